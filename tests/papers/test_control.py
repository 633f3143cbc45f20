"""Control charts in the meeting papers: the chart kind and rules, each phase's centre
and limits, the signals and the Making Data Count icons in words, and a balancing
measure of special cause concern called out before the diagram."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.papers.figures import CONCERN_HEIGHT, first_page_room, plan
from driverdiagram.summary import concerns, sections
from tests.papers.paper import CHROMIUM
from tests.paths import FALLS

pytestmark = pytest.mark.graphviz

#: What every paper of the falls example says of its U chart (read by the Making Data
#: Count rules, with a phase from hourly rounding and the huddle's run below it).
FALLS_WORDS = (
    "U chart (rates), Making Data Count rules.",
    "Latest: 4.8 per 1,000 bed days (2026-10); centre 5.49 per 1,000 bed days,"
    " limits 0 to 13.2; target 4 per 1,000 bed days.",
    "Variation: special cause improvement (low); assurance: hit or miss.",
    "Verdict: signal of improvement.",
    "Phase 1, 2024-05 to 2025-07: centre 7.3, limits 0 to 16.13-16.73 (by point), from 15 points",
    "Phase 2 (Hourly rounding adopted), 2025-08 to 2026-10: centre 5.49, limits 0 to"
    " 13.15-13.59 (by point), from 15 points",
    "Run on one side of the centre (low), improvement: 2026-04 to 2026-10",
)

CONCERN = """\
title: Falls prevention on Ward 9
aim:
  text: Reduce falls on Ward 9 from 7 to 4 per 1,000 bed days by June 2027
  measures:
    - name: Patients restrained or sedated for agitation
      short: Restraint or sedation
      type: balancing
      direction: down
      chart: xmr
      rules: mdc
      values: {2025-01: 2.5, 2025-02: 1.2, 2025-03: 3.6, 2025-04: 2.6, 2025-05: 2.0,
               2025-06: 2.5, 2025-07: 2.8, 2025-08: 2.4, 2025-09: 1.2, 2025-10: 3.6,
               2025-11: 2.5, 2025-12: 2.4, 2026-01: 1.3, 2026-02: 3.0, 2026-03: 2.4,
               2026-04: 2.6, 2026-05: 9.5}
primary:
  - text: Patients at risk are identified early
    changes:
      - Review high-risk patients at the daily huddle
"""
CALLED_OUT = (
    "Balancing measure 'Patients restrained or sedated for agitation' shows special cause"
    " concern (high), latest 9.5 (2026-05): check whether the changes being tested are"
    " causing it."
)


def report(source: Path, out: Path) -> Path:
    result = CliRunner().invoke(main, ["report", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def concern_file(tmp_path: Path) -> Path:
    path = tmp_path / "ward9.yaml"
    path.write_text(CONCERN)
    return path


def test_the_markdown_paper_gives_a_control_chart_in_words(tmp_path: Path) -> None:
    text = report(FALLS, tmp_path / "falls.md").read_text().replace("\\:", ":")
    for words in FALLS_WORDS:
        assert words in text
    assert "- Phase 2 (Hourly rounding adopted), 2025-08" in text
    assert "![U chart (rates): Falls per 1,000 occupied bed days](falls.falls-rate.svg)" in text
    assert "![Run chart: Patients restrained or sedated" in text  # run charts as before
    # no balancing measure signals concern, so nothing is called out
    assert concerns(dd.load(FALLS)) == [] and "Balancing measures to watch" not in text


def test_the_html_paper_gives_a_control_chart_in_words(tmp_path: Path) -> None:
    import html

    page = report(FALLS, tmp_path / "falls.html").read_text()
    text = html.unescape(page)
    for words in FALLS_WORDS:
        assert words in text
    assert '<section class="chart" style="--lines: 5"><h3>Falls per 1,000 occupied' in page
    assert 'aria-label="U chart (rates): Falls per 1,000 occupied bed days"' in page
    # six charts and the diagram on one page: every id once, every reference to one of them
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)) and "falls-rate-upper-2" in ids
    used = re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', page)
    assert used and {a or b for a, b in used} <= set(ids)


def test_the_word_paper_gives_a_control_chart_in_words(tmp_path: Path) -> None:
    import docx

    document = docx.Document(str(report(FALLS, tmp_path / "falls.docx")))
    paragraphs = [p.text for p in document.paragraphs]
    at = paragraphs.index("Falls per 1,000 occupied bed days")
    assert all(words in paragraphs[at + 1] for words in FALLS_WORDS[:4])
    assert paragraphs[at + 2 : at + 5] == list(FALLS_WORDS[4:])
    assert document.paragraphs[at + 2].style.name == "List Bullet"
    described = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert "U chart (rates): Falls per 1,000 occupied bed days" in described


def test_a_balancing_measure_of_special_cause_concern_is_called_out(tmp_path: Path) -> None:
    import html

    import docx

    source = concern_file(tmp_path)
    assert [s.key for s in sections(dd.load(source))][:3] == ["aim", "concerns", "diagram"]
    markdown = report(source, tmp_path / "p.md").read_text().replace("\\:", ":")
    assert f"## Aim\n\n{dd.load(source).aim.text}\n\n## Balancing measures to watch\n\n" in markdown
    assert f"- **{CALLED_OUT}**" in markdown
    assert "Variation: special cause concern (high)." in markdown
    assert "- Outside the limits (high), concern: 2026-05" in markdown

    page = report(source, tmp_path / "p.html").read_text()
    assert f'<ul class="concerns"><li>{html.escape(CALLED_OUT)}</li></ul>' in page
    # the diagram gives up the line the call-out takes on the first printed page
    diagram = dd.load(source)
    without = replace(diagram, measures=())
    assert first_page_room(diagram, "a4")[1] == pytest.approx(
        first_page_room(without, "a4")[1] - CONCERN_HEIGHT * 72 / 25.4
    )
    [first] = plan(diagram, "html").figures
    assert first.printed[1] <= first_page_room(diagram, "a4")[1] + 0.01
    [width] = re.findall(r'<svg style="--print-width: ([\d.]+)mm"', page)
    assert float(width) == pytest.approx(first.printed[0] * 25.4 / 72, abs=0.06)

    document = docx.Document(str(report(source, tmp_path / "p.docx")))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[:4] == [
        "Falls prevention on Ward 9",
        "Aim",
        "Balancing measures to watch",
        "Driver diagram",
    ]
    [called] = [p for p in document.paragraphs if p.text == CALLED_OUT]
    assert all(run.bold for run in called.runs)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium")
def test_the_pdf_paper_calls_out_the_concern_and_gives_the_phases(tmp_path: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(str(report(concern_file(tmp_path), tmp_path / "p.pdf")))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    first = " ".join(reader.pages[0].extract_text().split())
    assert "shows special cause concern (high)" in first
    assert "Outside the limits (high), concern: 2026-05" in text
