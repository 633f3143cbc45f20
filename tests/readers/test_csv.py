"""The CSV reader (readers/csv.py): FreeSPC's files, old and current, and a
spreadsheet with one row per change idea."""

from __future__ import annotations

import pytest

import driverdiagram as dd
from driverdiagram.model import Level
from driverdiagram.readers.imports import read
from tests.paths import ROOT


def test_a_current_freespc_export_imports_in_full() -> None:
    """FreeSPC's tool as it is now: CRLF rows, the drawing columns, the column titles
    on every row, extra_parents split on ';', and measures in measures_json."""
    case = ROOT / "tests" / "cases" / "import" / "valid" / "freespc-current.csv"
    diagram = read(case.read_bytes().decode("utf-8"), "f.csv")
    assert dict(diagram.labels) == {
        "aim": "Aim",
        "primary": "Key drivers",
        "secondary": "Secondary drivers",
        "tertiary": "Tertiary drivers",
        "changes": "Ideas to test",
    }
    assert [(m.node, m.name, m.type.value) for m in diagram.measures] == [
        ("aim", "Falls per 1,000 occupied bed days", "outcome"),
        ("p1.s1", "% assessed within 6 hours", "process"),
        ("p1.s1", "Assessments audited", "process"),  # FreeSPC's "none": the default
        ("p2.s1.c1", "Nurse time spent on rounds", "balancing"),
    ]
    huddle = next(n for n in diagram.nodes if n.text.startswith("Daily safety huddle"))
    assert [(link.parent, link.ref) for link in diagram.parents(huddle.id)] == [
        ("p1.s1", False),
        ("p2.s1", True),
        ("p2", True),
    ]
    # each measure at its measures_json cell (column 18), each extra parent's link at
    # the extra_parents cell (column 7) of the row that names it
    assert {(m.location.line, m.location.column) for m in diagram.measures} == {
        (2, 18),
        (5, 18),
        (8, 18),
    }
    assert [(link.location.line, link.location.column) for link in diagram.parents(huddle.id)] == [
        (9, 1),
        (9, 7),
        (9, 7),
    ]


def test_a_freespc_file_with_numeric_ids_imports() -> None:
    text = (
        "id,level,parent_id,text,color,extra_parents\n"
        "1,aim,,Halve falls by June 2027,#ffffff,\n"
        "2,primary,1,Risk is known,#ffc281,\n"
        "3,primary,1,Rooms are safe,#ffc281,\n"
        "4,secondary,2,Risk assessed on admission,#ffe0b2,3\n"
        "5,change,4,Admission checklist,#ffffff,\n"
    )
    diagram = read(text, "free.csv")
    assert [node.text for node in diagram.nodes][:3] == [
        "Halve falls by June 2027",
        "Risk is known",
        "Risk assessed on admission",
    ]
    shared = next(node for node in diagram.nodes if node.text == "Risk assessed on admission")
    assert len(diagram.parents(shared.id)) == 2


def test_the_spreadsheet_layout_imports_with_shared_boxes() -> None:
    diagram = read((ROOT / "tests/cases/import/spreadsheet.csv").read_text(), "sheet.csv")
    texts = {node.text: node for node in diagram.nodes}
    assert diagram.aim.text == "95% of eligible children enrolled by Feb 2027"
    assert len(diagram.at_level(Level.PRIMARY)) == 3
    shared = texts["Services contact families early"]
    assert [diagram.node(link.parent).text for link in diagram.parents(shared.id)] == [
        "Families know about kinder",
        "Enrolment is simple",
    ]
    assert texts["Kinder stall at the festival"].status.value == "testing"
    assert diagram.node(diagram.parents(texts["Free bus from the estate"].id)[0].parent).text == (
        "Fees and transport are no barrier"
    )
    assert len(diagram.at_level(Level.CHANGE)) == 5


@pytest.mark.parametrize(
    "text, where, message",
    [
        ("Aim,Primary,Change,Status\nA,B,C,done\n", (2, 4), "unknown status 'done'"),
        ("Aim,Primary,Change\nA,B,\n", (2, 3), "this row has no change idea"),
        ("Aim,Primary,Change\n,B,C\n", (1, 1), "no aim"),
        ("Name,Owner\nx,y\n", (1, 1), "not a driver diagram spreadsheet"),
        ("id,level,parent_id,text\n1,aim,,A\n2,primery,1,B\n", (3, 2), "unknown level 'primery'"),
        ("id,level,parent_id,text\n1,aim,,A\n2,primary,9,B\n", (3, 3), "parent '9' is not a box"),
    ],
)
def test_bad_spreadsheets_are_located(text: str, where: tuple[int, int], message: str) -> None:
    with pytest.raises(dd.DiagramError) as caught:
        read(text, "s.csv")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == where
    assert message in problem.message


def test_a_semicolon_spreadsheet_imports() -> None:
    diagram = read(
        "Aim;Primary driver;Change idea\nHalve falls by 2027;Risk known;Checklist\n", "s.csv"
    )
    assert [node.text for node in diagram.nodes] == [
        "Halve falls by 2027",
        "Risk known",
        "Checklist",
    ]


def test_a_defused_cell_is_trimmed_after_its_quote_comes_off() -> None:
    """Found by the import property test: a FreeSPC text "'\\r0" lost its defusing quote
    and kept the carriage return, which its YAML then trimmed: the import and its YAML
    read differently."""
    from driverdiagram.readers.imports import read

    text = 'id,level,parent_id,text\r\n1,aim,,"\'\r0"\r\nbox2,primary,1,Risk is known\r\n'
    diagram = read(text, "x.csv")
    assert diagram.aim.text == "0"
    assert dd.loads(dd.to_yaml(diagram)).aim.text == "0"
