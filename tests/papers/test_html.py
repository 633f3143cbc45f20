"""The HTML paper (papers/html.py): self-contained, and drawn by Chromium."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

import driverdiagram as dd
from driverdiagram.summary import charted, cycle_rows
from tests.papers.paper import CHROMIUM, make
from tests.paths import EARLY

pytestmark = pytest.mark.graphviz


def test_html_is_self_contained(tmp_path: Path) -> None:
    text = make(tmp_path, "html").read_text()
    addresses = set(re.findall(r"https?://[^\s\"'<>)]+", text))
    assert addresses <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "<script" not in text and "<link" not in text and "@import" not in text
    assert "<svg" in text and "Tell families at every contact that funded kinder is free" in text
    diagram = dd.load(EARLY)
    # page 1's picture, a page for each of the four primary drivers, the charts
    assert text.count("<svg") == 1 + 4 + len(charted(diagram))
    assert text.count('<section class="part">') == 4
    assert text.count('id="part-2-graph0"') == 1  # each part's ids its own
    for measure in charted(diagram):  # each chart's parts keep ids of their own
        assert text.count(f'id="{measure.id}-median"') == 1
    assert "<h2>PDSA cycles</h2>" in text
    assert text.count('<td class="dates">') == len(cycle_rows(diagram)) == len(diagram.cycles)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium")
def test_chromium_shows_the_diagram(tmp_path: Path) -> None:
    paper = make(tmp_path, "html")
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1280,2000",
            f"--screenshot={shot}",
            paper.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    png = shot.read_bytes()
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1280, 2000)
    assert len(png) > 60_000, "a blank page compresses to a few kilobytes"
