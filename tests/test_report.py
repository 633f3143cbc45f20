"""driverdiagram report: each paper opened with a real reader."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.summary import CYCLE_HEADINGS, alt_text, charted, cycle_rows, rows

ROOT = Path(__file__).parent.parent
EARLY = ROOT / "diagrams" / "early-years-participation.yaml"
pytestmark = pytest.mark.graphviz
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def make(tmp_path: Path, suffix: str, *extra: str) -> Path:
    out = tmp_path / f"paper.{suffix}"
    result = CliRunner().invoke(main, ["report", str(EARLY), "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


def test_docx_has_headings_tables_picture_and_alt_text(tmp_path: Path) -> None:
    import docx

    document = docx.Document(str(make(tmp_path, "docx")))
    diagram = dd.load(EARLY)
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[:4] == [diagram.title, "Aim", "Driver diagram", "Change ideas by driver"]
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["Driver", "Change idea", "Status"]
    body = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert body == [[r.driver, r.change, r.status] for r in rows(diagram)]
    for change in diagram.at_level(dd.Level.CHANGE):
        assert any(" ".join(change.text.split()) == row[1] for row in body)
    charts = charted(diagram)
    assert len(document.inline_shapes) == 1 + len(charts)
    described = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert described == [alt_text(diagram)] + [f"Run chart: {m.name}" for m in charts]
    assert [m.name for m in charts] == [
        p.text for p in document.paragraphs if p.style.name == "Heading 2"
    ]
    cycles = document.tables[-1]
    assert [cell.text for cell in cycles.rows[0].cells] == list(CYCLE_HEADINGS)
    assert [[cell.text for cell in row.cells] for row in cycles.rows[1:]] == [
        [r.change, r.dates, r.prediction, r.learned, r.act] for r in cycle_rows(diagram)
    ]
    section = document.sections[0]
    assert section.page_width > section.page_height, "landscape"


def test_docx_template_lends_its_styles(tmp_path: Path) -> None:
    import docx

    template = tmp_path / "ours.docx"
    base = docx.Document()
    base.styles["Normal"].font.name = "Georgia"
    base.save(str(template))
    paper = docx.Document(str(make(tmp_path, "docx", "--template", str(template))))
    assert paper.styles["Normal"].font.name == "Georgia"


def test_html_is_self_contained(tmp_path: Path) -> None:
    text = make(tmp_path, "html").read_text()
    addresses = set(re.findall(r"https?://[^\s\"'<>)]+", text))
    assert addresses <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "<script" not in text and "<link" not in text and "@import" not in text
    assert "<svg" in text and "Tell families at every contact that funded kinder is free" in text
    diagram = dd.load(EARLY)
    assert text.count("<svg") == 1 + len(charted(diagram))
    for measure in charted(diagram):  # each chart's parts keep ids of their own
        assert text.count(f'id="{measure.id}-median"') == 1
    assert "<h2>PDSA cycles</h2>" in text
    assert text.count('<td class="dates">') == len(cycle_rows(diagram)) == len(diagram.cycles)


def test_markdown_has_the_picture_beside_it(tmp_path: Path) -> None:
    paper = make(tmp_path, "md")
    text = paper.read_text()
    assert "](paper.svg)" in text and (tmp_path / "paper.svg").read_bytes().startswith(b"<?xml")
    diagram = dd.load(EARLY)
    tables = len(rows(diagram)) + 1 + len(list(dd.Status)) + 1 + len(cycle_rows(diagram)) + 1
    assert text.count("\n| ") == tables
    for measure in charted(diagram):
        chart = tmp_path / f"paper.{measure.id}.svg"
        assert f"]({chart.name})" in text and b'id="median"' in chart.read_bytes()


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium")
def test_pdf_pages_and_text(tmp_path: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(str(make(tmp_path, "pdf")))
    assert len(reader.pages) >= 3
    first = reader.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (842, 595)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for change in dd.load(EARLY).at_level(dd.Level.CHANGE):
        assert " ".join(change.text.split()[:3]) in text


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


def test_report_usage(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["report", str(EARLY), "-o", str(tmp_path / "x.odt")]).exit_code == 2
    result = runner.invoke(
        main, ["report", str(EARLY), "-o", str(tmp_path / "x.html"), "--template", str(EARLY)]
    )
    assert result.exit_code == 2


def test_box_notes_are_in_the_paper_and_small_text_is_reported(tmp_path: Path) -> None:
    runner = CliRunner()
    paper = tmp_path / "falls.md"
    assert (
        runner.invoke(
            main, ["report", str(ROOT / "diagrams/falls-prevention.yaml"), "-o", str(paper)]
        ).exit_code
        == 0
    )
    assert "Audit in September" in paper.read_text()
    big = runner.invoke(
        main,
        ["report", str(ROOT / "diagrams/qi-coach-practice.yaml"), "-o", str(tmp_path / "q.html")],
    )
    assert big.exit_code == 0 and "below 8 pt" in big.stderr
