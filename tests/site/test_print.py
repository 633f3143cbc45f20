"""The portal printed, on a phone and read by people with low vision (issue 15): each
diagram page prints its drawing alone on one A4 page (Chromium's own PDF, read back
with pypdf); at a phone's width (390 px) no page is wider than the window; and every
piece of text on every page has a contrast of at least 4.5:1 with what is behind it
(WCAG 2.1 AA), measured from the colours Chromium computes from the stylesheet."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import driverdiagram as dd
from driverdiagram.site.pages import TEMPLATES
from tests.paths import ROOT
from tests.site.browser import CHROMIUM, Browser
from tests.site.hostile import write_hostile

pytestmark = [
    pytest.mark.graphviz,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium"),
]

EXAMPLES = sorted((ROOT / "diagrams").glob("*.yaml"))
#: A4 landscape in PDF points, as the print stylesheet asks.
A4_LANDSCAPE = (841.9, 595.3)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("printed") / "site"
    dd.build_site([str(ROOT / "diagrams")], out, title="Example programme")
    dd.build_site([str(write_hostile(tmp_path_factory.mktemp("hostile")))], out.parent / "hostile")
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    opened = Browser(tmp_path_factory.mktemp("profile"))
    try:
        yield opened
    finally:
        opened.close()


def every_page(site: Path) -> list[Path]:
    pages = [site / "index.html"]
    for path in EXAMPLES:
        folder = site / path.stem
        pages.append(folder / "index.html")
        pages.extend(sorted(folder.glob("change-*.html"))[:2])
    return pages


def printed(browser: Browser, page: Path) -> list[str]:
    """The text of each page of ``page`` printed as Chromium prints it."""
    import pypdf

    browser.open(page.as_uri())
    data = browser.call("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    pdf = pypdf.PdfReader(io.BytesIO(base64.b64decode(data["data"])))
    for sheet in pdf.pages:
        size = (float(sheet.mediabox.width), float(sheet.mediabox.height))
        assert size == pytest.approx(A4_LANDSCAPE, abs=1), page
    return [" ".join((sheet.extract_text() or "").split()) for sheet in pdf.pages]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_each_diagram_prints_alone_on_one_a4_page(browser: Browser, site: Path, path: Path) -> None:
    pytest.importorskip("pypdf")
    diagram = dd.load(path)
    sheets = printed(browser, site / path.stem / "index.html")
    first = sheets[0]
    assert first.startswith(" ".join((diagram.title or diagram.aim.text).split())[:30])
    # the drawing is on the first sheet whole: its last box's words are there, and the
    # next sheet starts with what follows it, the outline
    last = diagram.nodes[-1].text.split()
    assert all(word in first for word in last[:2]), (last, first[-300:])
    assert len(sheets) > 1 and sheets[1].startswith("Outline"), sheets[1][:80]
    # nothing of the screen's furniture: the skip link, the breadcrumbs, the hint, the footer
    for furniture in ("Skip to the content", "Every box is a link", "Made with driverdiagram"):
        assert furniture not in " ".join(sheets), furniture


def test_at_a_phone_width_no_page_is_wider_than_the_window(browser: Browser, site: Path) -> None:
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
    )
    try:
        for page in [*every_page(site), site.parent / "hostile" / "hostile" / "index.html"]:
            browser.open(page.as_uri())
            width, inner = browser.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert inner == 390
            assert width <= inner, (page, width)
    finally:
        browser.call("Emulation.clearDeviceMetricsOverride")


#: For each element with text of its own: its colour, and the first background colour
#: that is not transparent on the way up (the page's white at the top), both as RGBA.
TEXT_COLOURS = """
(() => {
  const rgba = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const back = e => {
    for (; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c.length && (c.length < 4 || c[3] > 0)) return c;
    }
    return [255, 255, 255];
  };
  const found = [];
  for (const e of document.body.querySelectorAll('*')) {
    if (e.closest('svg') || e.closest('.skip')) continue;
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(e);
    if (!own || style.display === 'none' || style.visibility === 'hidden') continue;
    found.push([e.localName + '.' + e.className, rgba(style.color), back(e),
                e.textContent.trim().slice(0, 40)]);
  }
  return found;
})()
"""


def luminance(rgb: list[float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: list[float], other: list[float]) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_text_on_every_page_has_a_contrast_of_at_least_4_5(
    browser: Browser, site: Path
) -> None:
    checked = 0
    for page in every_page(site):
        browser.open(page.as_uri())
        for element, colour, background, text in browser.evaluate(TEXT_COLOURS):
            assert len(colour) == 3 or colour[3] == 1, (page, element, "opaque text")
            ratio = contrast(colour, background)
            assert ratio >= 4.5, (page.name, element, text, colour, background, ratio)
            checked += 1
    assert checked > 500


def test_the_stylesheet_colours_for_text_pass_wcag_aa() -> None:
    css = (TEMPLATES / "style.css").read_text()
    colours = dict(re.findall(r"--([a-z]+): #([0-9a-f]{6}|[0-9a-f]{3})\b", css))

    def rgb(name: str) -> list[float]:
        value = colours[name]
        if len(value) == 3:
            value = "".join(digit * 2 for digit in value)
        return [int(value[i : i + 2], 16) for i in (0, 2, 4)]

    for text in ("ink", "muted", "accent"):
        for background in ("paper", "soft"):
            assert contrast(rgb(text), rgb(background)) >= 4.5, (text, background)
    # the focus ring and the lines are not text: 3:1 against the page (WCAG 1.4.11)
    assert contrast(rgb("focus"), rgb("paper")) >= 3
