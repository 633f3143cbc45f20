"""The Word paper (papers/docx.py), opened with python-docx."""

from __future__ import annotations

from pathlib import Path

import pytest

import driverdiagram as dd
from driverdiagram.summary import PAPER_CYCLE_HEADINGS, charted, cycle_rows, idea_rows
from driverdiagram.views import parts
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
    # the whole diagram would print below 8 pt: page 1 shows its primary drivers and
    # each primary driver has a page of its own
    split = [part.heading for part in parts(diagram)]
    assert len(split) == 4 and split[1].startswith("Primary driver 2 of 4: ")
    assert headings[: 4 + len(split)] == [
        diagram.title,
        "Aim",
        "Driver diagram",
        *split,
        "Change ideas by driver",
    ]
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == [
        "Primary driver",
        "Secondary driver",
        "Change idea",
        "Status",
    ]
    body = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    # a merged cell reads as its text on every row it spans
    assert body == [[r.primary, r.driver, r.change, r.status] for r in idea_rows(diagram)] or all(
        row[2:] == [r.change, r.status] for row, r in zip(body, idea_rows(diagram), strict=True)
    )
    for change in diagram.at_level(dd.Level.CHANGE):
        assert any(" ".join(change.text.split()) == row[2] for row in body)
    charts = charted(diagram)
    assert len(document.inline_shapes) == 1 + len(split) + len(charts)
    described = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert described[0].startswith("Driver diagram, its first levels: the aim ")
    assert "4 primary drivers; the boxes under them are folded away" in described[0]
    assert all(
        alt.startswith(f"{part.heading}. The aim ") and "change idea" in alt
        for alt, part in zip(described[1 : 1 + len(split)], parts(diagram), strict=True)
    )
    assert described[1 + len(split) :] == [f"Run chart: {m.name}" for m in charts]
    assert [m.name for m in charts] == [
        p.text for p in document.paragraphs if p.style.name == "Heading 2" and p.text not in split
    ]
    cycles = document.tables[-1]
    assert [cell.text for cell in cycles.rows[0].cells] == list(PAPER_CYCLE_HEADINGS)
    assert [[cell.text for cell in row.cells] for row in cycles.rows[1:]] == [
        list(r.cells) for r in cycle_rows(diagram)
    ]
    assert any(r.objective and r.plan for r in cycle_rows(diagram))
    section = document.sections[0]
    assert section.page_width > section.page_height, "landscape"
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer


def test_docx_template_lends_its_styles(tmp_path: Path) -> None:
    import docx

    template = tmp_path / "ours.docx"
    base = docx.Document()
    base.styles["Normal"].font.name = "Georgia"
    base.save(str(template))
    paper = docx.Document(str(make(tmp_path, "docx", "--template", str(template))))
    assert paper.styles["Normal"].font.name == "Georgia"
