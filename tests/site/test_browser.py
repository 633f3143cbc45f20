"""The portal in a real headless Chromium, from file:// (issue 15): links followed with
the mouse from the programme page to a change idea, its PDSA log and a chart; every box
reached with the Tab key; no console error, no request outside the site's folder; and
hostile text in every field shown, never run."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import driverdiagram as dd
from tests.paths import ROOT
from tests.site.browser import CHROMIUM, Browser
from tests.site.hostile import HOSTILE, write_hostile

#: The one script a page may have: the forms'.
FORMS_JS = (Path(dd.__file__).parent / "site" / "templates" / "forms.js").read_text()

pytestmark = [
    pytest.mark.graphviz,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium"),
]

#: The address of a box's link in the drawing (SVG links are in the xlink namespace).
BOX_HREF = "e => e.getAttribute('href') || e.getAttributeNS('http://www.w3.org/1999/xlink', 'href')"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("portal") / "site"
    built = dd.build_site([str(ROOT / "diagrams")], out, title="Example programme")
    assert built.problems == ()
    return out


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    opened = Browser(tmp_path / "profile")
    try:
        yield opened
    finally:
        opened.close()


def assert_stayed_inside(browser: Browser, site: Path) -> None:
    assert browser.console_errors() == []
    top = site.resolve().as_uri() + "/"
    # Chromium draws a date field's calendar icon from a data: address of its own
    outside = [url for url in browser.requests() if not url.startswith((top, "data:image/svg+xml"))]
    assert outside == [], "every request stays in the site's folder"


def test_links_lead_from_the_programme_to_a_change_idea_its_cycles_and_a_chart(
    browser: Browser, site: Path
) -> None:
    browser.open((site / "index.html").as_uri())
    assert browser.evaluate("document.title") == "Example programme"
    browser.click("a[href='early-years-participation/index.html']")
    assert browser.url().endswith("/early-years-participation/index.html")
    # a box of the drawing, clicked where it is drawn
    browser.click("svg a[*|href='change-kinder-at-mch.html']")
    assert browser.url().endswith("/early-years-participation/change-kinder-at-mch.html")
    assert browser.evaluate("document.querySelector('h1').textContent").startswith("MCH nurses")
    assert browser.evaluate("document.querySelectorAll('article.cycle').length") == 4
    assert "Prediction" in browser.evaluate("document.querySelector('article.cycle').innerText")
    images = browser.evaluate(  # each chart scrolled to, as they load when seen
        "Promise.all([...document.images].map(i => { i.scrollIntoView();"
        " return i.decode().then(() => [i.getAttribute('src'), i.naturalWidth > 0],"
        " () => [i.getAttribute('src'), false]); }))"
    )
    assert images and all(loaded for _, loaded in images), images
    browser.click("figcaption a")
    assert "/early-years-participation/charts/" in browser.url()
    assert browser.evaluate("document.documentElement.localName") == "svg"
    assert_stayed_inside(browser, site)


def test_a_driver_box_leads_to_its_measures_in_the_outline(browser: Browser, site: Path) -> None:
    browser.open((site / "falls-prevention" / "index.html").as_uri())
    browser.click("svg a[*|href='#box-identify']", same_page=True)
    assert browser.evaluate("location.hash") == "#box-identify"
    entry = browser.evaluate("document.getElementById('box-identify').innerText")
    assert "Patients at risk are identified early" in entry and "Measure:" in entry
    assert_stayed_inside(browser, site)


def test_the_tab_key_reaches_every_box_of_the_drawing(browser: Browser, site: Path) -> None:
    browser.open((site / "falls-prevention" / "index.html").as_uri())
    boxes = browser.evaluate(f"[...document.querySelectorAll('svg a')].map({BOX_HREF})")
    assert len(boxes) == len(dd.load(ROOT / "diagrams" / "falls-prevention.yaml").nodes)
    reached = []
    marked = []
    for _ in range(len(boxes) + 20):  # the skip link and the breadcrumbs come first
        browser.press_tab()
        href, stroke = browser.evaluate(
            "(() => { const e = document.activeElement;"
            " if (!e || !e.closest('svg')) return [null, null];"
            " const edge = e.querySelector('path, polygon');"
            f" return [({BOX_HREF})(e), getComputedStyle(edge).strokeWidth]; }})()"
        )
        if href:
            reached.append(href)
            marked.append(stroke)
    assert reached == boxes, "in drawing order, each once"
    # the box in focus is marked by a thick border in the focus colour
    assert set(marked) == {"5px"}


def test_a_page_is_drawn_and_not_blank(browser: Browser, site: Path) -> None:
    browser.open((site / "index.html").as_uri())
    icons = browser.evaluate(
        "Promise.all([...document.images].map(i => i.decode().then("
        "() => [i.alt, i.naturalWidth > 0], () => [i.alt, false])))"
    )
    assert icons and all(loaded for _, loaded in icons), icons
    assert all(alt.startswith(("Variation: ", "Assurance: ")) for alt, _ in icons)
    assert browser.evaluate("document.querySelectorAll('svg.spark polyline').length") > 0
    png = browser.screenshot()
    assert png.startswith(b"\x89PNG") and len(png) > 40_000, "a blank page is a few kilobytes"
    assert_stayed_inside(browser, site)


def test_hostile_text_is_shown_and_never_run(browser: Browser, tmp_path: Path) -> None:
    out = tmp_path / "site"
    dd.build_site([str(write_hostile(tmp_path / "in"))], out)
    for page in ("index.html", "hostile/index.html", "hostile/change-idea.html"):
        browser.open((out / page).as_uri())
        assert browser.evaluate("typeof window.pwned") == "undefined"
        # no script but the forms' (allowed by its hash), no textarea but the forms'
        assert (
            browser.evaluate(
                "[...document.querySelectorAll('script, iframe, object, embed, textarea')]"
                ".filter(e => !(e.tagName === 'SCRIPT' && e.textContent === "
                f"{json.dumps(FORMS_JS)}) && !(e.tagName === 'TEXTAREA' && e.closest("
                "'form.dd-form'))).length"
            )
            == 0
        )
        text = browser.evaluate("document.body.innerText")
        assert HOSTILE in " ".join(text.split()) or HOSTILE in text, page
        sources = browser.evaluate("[...document.images].map(i => i.getAttribute('src'))")
        assert all(src.startswith("charts/") for src in sources), sources
    assert_stayed_inside(browser, out)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_from_a_web_server_every_page_is_reached_from_the_programme_page(
    site: Path, tmp_path: Path
) -> None:
    """The site as a plain web server serves it (the standard library's, in a thread):
    every page of the site reached by following links from the programme page, every
    box of every drawing a link that works, each page and image loaded with no console
    error, and no request anywhere but this server."""
    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    browser = Browser(tmp_path / "profile", loopback=True)
    try:
        queue, seen, boxes = [origin + "index.html"], set(), 0
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            browser.open(url)
            assert browser.evaluate("document.readyState") == "complete"
            status = browser.evaluate(
                "performance.getEntriesByType('navigation')[0].responseStatus"
            )
            assert status == 200, url
            images = browser.evaluate(
                "Promise.all([...document.images].map(i => { i.loading = 'eager';"
                " return i.decode().then(() => i.naturalWidth > 0, () => false); }))"
            )
            assert all(images), url
            links = browser.evaluate(
                "[...document.querySelectorAll('a[href]')].map(a => a.href)"
                " .concat([...document.querySelectorAll('svg a')].map(a =>"
                " new URL(a.getAttribute('href') ||"
                " a.getAttributeNS('http://www.w3.org/1999/xlink', 'href'), location.href).href))"
            )
            boxes += browser.evaluate("document.querySelectorAll('svg a').length")
            for link in links:
                if link.startswith("mailto:"):  # the forms' e-mail, never followed
                    continue
                page = link.split("#", 1)[0]
                assert page.startswith(origin), (url, link)
                if page.endswith(".html") and page not in seen:
                    queue.append(page)
                elif not page.endswith(".html"):
                    seen_file = site / page.removeprefix(origin)
                    assert seen_file.is_file(), (url, link)
        pages = {origin + p.relative_to(site).as_posix() for p in site.rglob("*.html")}
        assert {u for u in seen if u.endswith(".html")} == pages
        assert boxes >= sum(len(dd.load(p).nodes) for p in (ROOT / "diagrams").glob("*.yaml"))
        assert browser.console_errors() == []
        outside = [
            u for u in browser.requests() if not u.startswith((origin, "data:image/svg+xml"))
        ]
        assert outside == [], "every request stays on the site's server"
    finally:
        browser.close()
        server.shutdown()
        server.server_close()
