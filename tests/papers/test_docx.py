"""The Word paper (papers/docx.py), opened with python-docx."""

from __future__ import annotations

from pathlib import Path

import pytest

import driverdiagram as dd
from driverdiagram.summary import CYCLE_HEADINGS, alt_text, charted, cycle_rows, rows
from tests.papers.paper import make
from tests.paths import EARLY

pytestmark = pytest.mark.graphviz


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
