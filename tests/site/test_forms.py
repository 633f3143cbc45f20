"""The portal's forms (site/templates/forms.js): "Report a cycle" on each change idea's
page and "Add a month" on each measure, filled in inside a real headless Chromium from
``file://``, the file they make captured as the browser downloads it and merged back
into the diagram with ``pdsa add --from`` / ``data add --from``; the script allowed by
its hash and no other; without JavaScript the page says what to send instead."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.site import pages
from tests.paths import EARLY
from tests.site.browser import CHROMIUM, Browser
from tests.test_edit import changed

pytestmark = [pytest.mark.graphviz]

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium")

#: What a partner types: quotes, a backslash, YAML's own marks, a line break, accents.
TYPED = 'She said "no": 3 of 10 # not \\ all\nnext line: café – ok'


@pytest.fixture
def programme(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the worked example and its site."""
    folder = tmp_path / "diagrams"
    folder.mkdir()
    shutil.copy(EARLY, folder / EARLY.name)
    shutil.copytree(EARLY.parent / "data", folder / "data")
    out = tmp_path / "site"
    built = dd.build_site([str(folder)], out)
    assert built.problems == ()
    return folder / EARLY.name, out


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    opened = Browser(tmp_path / "profile")
    try:
        yield opened
    finally:
        opened.close()


def scripts(page: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", page, re.S)


def test_a_page_with_a_form_runs_only_the_forms_script_allowed_by_its_hash(
    programme: tuple[Path, Path],
) -> None:
    _, site = programme
    script = (Path(pages.__file__).parent / "templates" / "forms.js").read_text()
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = f"script-src &#39;sha256-{digest}&#39;"
    change = (site / EARLY.stem / "change-flyer.html").read_text()
    assert scripts(change) == [script]
    assert policy in change.replace("&#x27;", "&#39;")
    diagram = (site / EARLY.stem / "index.html").read_text()
    assert scripts(diagram) == [script]
    assert diagram.count("<summary>Add a month</summary>") == len(dd.load(EARLY).measures)
    index = (site / "index.html").read_text()
    assert "<script" not in index  # no form, no script
    # no script attribute runs anything: no on...= handler, no javascript: address
    for page in site.rglob("*.html"):
        text = page.read_text()
        assert not re.search(r"\son[a-z]+=", text) and "javascript:" not in text, page


def test_without_javascript_the_page_says_what_to_send(programme: tuple[Path, Path]) -> None:
    _, site = programme
    page = (site / EARLY.stem / "change-flyer.html").read_text()
    fallback = page[page.index('<div class="dd-fallback"') : page.index("</div>")]
    assert "send your coach these lines" in fallback
    assert "kind: &#34;pdsa-report&#34;" in fallback or 'kind: "pdsa-report"' in fallback
    assert "change: &#34;flyer&#34;" in fallback or 'change: "flyer"' in fallback
    mailto = re.search(r'href="(mailto:[^"]*)"', fallback)
    assert mailto is not None
    query = urllib.parse.urlsplit(mailto[1].replace("&amp;", "&")).query
    body = urllib.parse.parse_qs(query)["body"][0]
    assert body.startswith('kind: "pdsa-report"\nversion: "1"\n')
    assert 'change: "flyer"\n' in body
    assert '<form class="dd-form" id="report-cycle" hidden' in page


def fill(browser: Browser, selector: str, text: str) -> None:
    """Type ``text`` into a field as a person would (focused, then the text inserted)."""
    browser.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
    for number, line in enumerate(text.split("\n")):
        if number:
            for kind in ("keyDown", "keyUp"):
                browser.call(
                    "Input.dispatchKeyEvent",
                    {"type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
                    | ({"text": "\r"} if kind == "keyDown" else {}),
                )
        if line:
            browser.call("Input.insertText", {"text": line})


def set_value(browser: Browser, selector: str, value: str) -> None:
    """A date or month picker's value (its look differs by locale; its value does not)."""
    browser.evaluate(
        f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
        f" e.value = {json.dumps(value)}; e.dispatchEvent(new Event('input')); }})()"
    )


def press(browser: Browser, selector: str) -> None:
    """Click ``selector`` with the mouse (what it does stays on the page)."""
    x, y = browser.evaluate(
        f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
        " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
        " return [r.left + r.width / 2, r.top + r.height / 2]; })()"
    )
    for kind in ("mousePressed", "mouseReleased"):
        browser.call(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
        )


def downloaded(browser: Browser, folder: Path, selector: str) -> Path:
    """Click the download link and wait for the browser's file."""
    folder.mkdir(exist_ok=True)
    browser.call(
        "Browser.setDownloadBehavior",
        {"behavior": "allow", "downloadPath": str(folder), "eventsEnabled": True},
        browser=True,
    )
    press(browser, selector)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if not p.name.endswith(".crdownload")]
        if done:
            return done[0]
        time.sleep(0.1)
    raise AssertionError("no file was downloaded")


def outside(browser: Browser, site: Path) -> list[str]:
    top = site.resolve().as_uri() + "/"
    return [
        url
        for url in browser.requests()
        # the date picker's icon, which Chromium draws from a data: address of its own,
        # and the file the form made (a blob: of the page's own text) are not outside
        if not url.startswith((top, "data:image/svg+xml", "blob:"))
    ]


@needs_chromium
def test_a_cycle_reported_in_the_form_is_downloaded_and_merged_back(
    browser: Browser, programme: tuple[Path, Path], tmp_path: Path
) -> None:
    diagram, site = programme
    browser.open((site / EARLY.stem / "change-flyer.html").as_uri())
    assert browser.evaluate("document.getElementById('report-cycle').hidden") is False
    assert browser.evaluate("document.getElementById('report-cycle-fallback').hidden") is True
    set_value(browser, "#report-cycle-start", "2026-11-02")
    set_value(browser, "#report-cycle-end", "2026-11-20")
    fill(browser, "#report-cycle-objective", "Do parents read the new flyer?")
    fill(browser, "#report-cycle-do", TYPED)
    browser.evaluate("document.getElementById('report-cycle-act').value = 'adapt'")
    fill(browser, "#report-cycle-reporter", "Ana Silva")
    press(browser, "#report-cycle button[type=submit]")
    status = browser.evaluate("document.querySelector('#report-cycle .dd-status').textContent")
    assert status == "The file flyer-2026-11-02.pdsa.yaml is ready: download it or e-mail it."
    preview = browser.evaluate("document.querySelector('#report-cycle .dd-preview').textContent")
    mail = browser.evaluate("document.querySelector('#report-cycle .dd-mail').href")
    parts = urllib.parse.urlsplit(mail)
    assert parts.scheme == "mailto" and parts.path == ""  # the site has no address to send to
    sent = urllib.parse.parse_qs(parts.query)
    assert sent["subject"] == ["flyer-2026-11-02.pdsa.yaml"] and sent["body"] == [preview]
    path = downloaded(browser, tmp_path / "downloads", "#report-cycle .dd-download")
    assert path.name == "flyer-2026-11-02.pdsa.yaml"
    assert path.read_text(encoding="utf-8") == preview
    assert browser.console_errors() == []
    assert outside(browser, site) == []
    # the coach merges it: the cycle as typed, every other line as it was
    before = diagram.read_bytes()
    result = CliRunner().invoke(main, ["pdsa", "add", str(diagram), "--from", str(path)])
    assert result.exit_code == 0, result.output
    assert "added a PDSA cycle of 'flyer' starting 2026-11-02 (reported by Ana Silva)" in (
        result.stdout
    )
    removed, added = changed(before, diagram.read_bytes())
    assert removed == [] and len(added) == 5
    cycle = dd.load(diagram).cycles_of("flyer")[-1]
    assert (cycle.start.isoformat(), cycle.end.isoformat() if cycle.end else None) == (
        "2026-11-02",
        "2026-11-20",
    )
    assert cycle.do == TYPED and cycle.act == dd.Act.ADAPT
    assert cycle.objective == "Do parents read the new flyer?"
    # sent twice, added once
    again = CliRunner().invoke(main, ["pdsa", "add", str(diagram), "--from", str(path)])
    assert again.exit_code == 0 and again.stdout.rstrip().endswith(
        "nothing to add: the file is as it was"
    )


@needs_chromium
def test_a_month_added_in_the_form_is_merged_into_the_measures_data(
    browser: Browser, programme: tuple[Path, Path], tmp_path: Path
) -> None:
    diagram, site = programme
    browser.open((site / EARLY.stem / "index.html").as_uri())
    form = "#measure-kinder-talk-add"
    assert browser.evaluate(f"document.querySelector('{form}').hidden") is False
    press(browser, "#measure-kinder-talk summary")
    set_value(browser, f"{form}-period", "2026-11")
    fill(browser, f"{form}-numerator", "61")
    fill(browser, f"{form}-denominator", "88")
    fill(browser, f"{form}-note", "the new phone script")
    press(browser, f"{form} button[type=submit]")
    path = downloaded(browser, tmp_path / "downloads", f"{form} .dd-download")
    assert path.name == "kinder-talk-2026-11.data.yaml"
    assert browser.console_errors() == []
    assert outside(browser, site) == []
    csv = diagram.parent / "data" / "kinder-talk.csv"
    before = csv.read_bytes()
    result = CliRunner().invoke(main, ["data", "add", str(diagram), "--from", str(path)])
    assert result.exit_code == 0, result.output
    assert csv.read_bytes() == before + b"2026-11,61,88,the new phone script\n"


@needs_chromium
def test_without_javascript_the_form_is_hidden_and_the_lines_to_send_shown(
    browser: Browser, programme: tuple[Path, Path]
) -> None:
    _, site = programme
    browser.call("Emulation.setScriptExecutionDisabled", {"value": True})
    browser.open((site / EARLY.stem / "change-flyer.html").as_uri())
    shown = browser.evaluate("document.body.innerText")
    assert "send your coach these lines" in shown and 'change: "flyer"' in shown
    assert (
        browser.evaluate("getComputedStyle(document.getElementById('report-cycle')).display")
        == "none"
    )


def test_with_a_contact_the_e_mails_go_to_the_coach(tmp_path: Path) -> None:
    """site --contact: the page without script names the address and its e-mail link
    goes to it; the form hands it to the script; a new address draws the pages again."""
    folder = tmp_path / "diagrams"
    folder.mkdir()
    shutil.copy(EARLY, folder / EARLY.name)
    shutil.copytree(EARLY.parent / "data", folder / "data")
    out = tmp_path / "site"
    run = CliRunner().invoke(
        main, ["site", str(folder), "-o", str(out), "--contact", " coach@riverbend.org "]
    )
    assert run.exit_code == 0, run.output
    for page in (out / EARLY.stem / "change-flyer.html", out / EARLY.stem / "index.html"):
        text = page.read_text()
        assert "E-mail these lines to coach@riverbend.org</a>" in text
        assert 'data-dd-contact="coach@riverbend.org"' in text
        address = re.search(r'href="(mailto:[^"]*)"', text)
        assert address is not None
        assert urllib.parse.urlsplit(address[1]).path == "coach@riverbend.org"
    again = dd.build_site([str(folder)], out, contact="o'brien@riverbend.org")
    assert f"{EARLY.stem}/change-flyer.html" in again.written
    page = (out / EARLY.stem / "change-flyer.html").read_text()
    assert "mailto:o%27brien@riverbend.org?" in page and "to o&#39;brien@riverbend.org<" in page


@pytest.mark.parametrize(
    "contact",
    [
        "coach@riverbend.org?cc=everyone@riverbend.org",
        "coach@riverbend.org&body=spam",
        "coach@riverbend.org\nBcc: everyone@riverbend.org",
        '"><script>alert(1)</script>@riverbend.org',
        "coach at riverbend.org",
        "coach@localhost",
        "coach@-riverbend.org",
        "coach@riverbend.123",
    ],
)
def test_a_contact_that_is_not_a_plain_address_is_refused(tmp_path: Path, contact: str) -> None:
    out = tmp_path / "site"
    run = CliRunner().invoke(main, ["site", str(EARLY), "-o", str(out), "--contact", contact])
    assert run.exit_code == 2
    last = run.stderr.splitlines()[-1]  # the address on the error's one line
    assert last.startswith("Error: --contact '") and "is not an e-mail address" in last
    assert last.endswith("as name@example.org")
    assert not out.exists()


@needs_chromium
def test_the_script_s_e_mail_goes_to_the_contact(browser: Browser, tmp_path: Path) -> None:
    folder = tmp_path / "diagrams"
    folder.mkdir()
    shutil.copy(EARLY, folder / EARLY.name)
    shutil.copytree(EARLY.parent / "data", folder / "data")
    out = tmp_path / "site"
    assert dd.build_site([str(folder)], out, contact="coach@riverbend.org").problems == ()
    browser.open((out / EARLY.stem / "change-flyer.html").as_uri())
    set_value(browser, "#report-cycle-start", "2026-11-02")
    fill(browser, "#report-cycle-objective", "Do parents read the new flyer?")
    press(browser, "#report-cycle button[type=submit]")
    mail = browser.evaluate("document.querySelector('#report-cycle .dd-mail').href")
    parts = urllib.parse.urlsplit(mail)
    assert (parts.scheme, parts.path) == ("mailto", "coach@riverbend.org")
    assert urllib.parse.parse_qs(parts.query)["subject"] == ["flyer-2026-11-02.pdsa.yaml"]
