"""Screenshots of the portal for the guide (docs/portal.md), taken by the tests' headless Chromium:
``python -m tests.site.screenshots [OUT]`` (``make site-screenshots``) builds the
example programme and writes docs/portal-programme.png and docs/portal-change-idea.png
(or into OUT). The same browser as tests/site/test_browser.py: nothing from the network."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import driverdiagram as dd
from tests.paths import ROOT
from tests.site.browser import Browser

#: The example programme, and the change idea page the guide shows.
PROGRAMME = ROOT / "diagrams"
TITLE = "Example programme"
CHANGE = "falls-ward-4/change-huddle.html"
#: Each screenshot: its file, the page, and the window (a laptop's width); the whole
#: page is taken, however long.
SHOTS = (
    ("portal-programme.png", "index.html", (1200, 900)),
    ("portal-change-idea.png", CHANGE, (1200, 900)),
)


def take(out: Path, site: Path, page: str, size: tuple[int, int], profile: Path) -> bytes:
    browser = Browser(profile, *size)
    try:
        browser.open((site / page).as_uri())
        browser.evaluate(  # every chart drawn, though lazy ones are below the window
            "Promise.all([...document.images].map(i => { i.loading = 'eager';"
            " return i.decode().catch(() => 0); }))"
        )
        width, height = browser.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        png = browser.screenshot()
    finally:
        browser.close()
    out.write_bytes(png)
    return png


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs"
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as scratch:
        site = Path(scratch) / "site"
        built = dd.build_site([str(PROGRAMME)], site, title=TITLE)
        if built.problems:
            print(*dd.problem_lines(built.problems), sep="\n", file=sys.stderr)
            return 1
        for name, page, size in SHOTS:
            take(out / name, site, page, size, Path(scratch) / f"profile-{name}")
            print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
