"""Imports (readers/imports.py). Golden files: each file under
tests/cases/import/valid gives the exact YAML ``driverdiagram import`` prints
(NAME.yaml), which reads back as the same diagram; each file under
tests/cases/import/invalid gives its exact messages (NAME.err), every one on a line,
and at a column, that the file has. And what no reader takes: Mermaid, a second aim.

Run ``pytest --regen`` to rewrite the goldens from the current code, then read the
diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import driverdiagram as dd
from driverdiagram.exports.yaml import to_yaml
from driverdiagram.files import decode, decode_csv
from driverdiagram.readers.imports import read, read_data
from tests import paths
from tests.shapes import shape

CASES = paths.CASES / "import"
KINDS = (".csv", ".json", ".md", ".txt")
VALID = sorted(path for path in (CASES / "valid").iterdir() if path.suffix in KINDS)
INVALID = sorted(path for path in (CASES / "invalid").iterdir() if path.suffix in KINDS)


def _golden(path: Path, actual: str, regen: bool) -> None:
    if regen or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not regen:
            pytest.fail(f"{path.name} did not exist and was written; review and commit it")
    assert actual == path.read_text(encoding="utf-8")


def _text(case: Path) -> str:
    """The file as ``import`` reads it: UTF-8 (a CSV file Windows-1252 too), line ends
    as they are."""
    if case.suffix == ".csv":
        return decode_csv(case.read_bytes(), case.name)[0]
    return decode(case.read_bytes(), case.name)


@pytest.mark.parametrize("case", VALID, ids=[case.name for case in VALID])
def test_valid_import_gives_its_golden_yaml(case: Path, regen: bool) -> None:
    diagram = read_data(case.read_bytes(), case.name)
    text = to_yaml(diagram)
    _golden(case.with_suffix(".yaml"), text, regen)
    assert shape(dd.loads(text, "again.yaml")) == shape(diagram)
    lines = _text(case).splitlines()
    for node in diagram.nodes:  # each box is where its text is written
        assert node.location.path == case.name
        assert 1 <= node.location.line <= len(lines)


@pytest.mark.parametrize("case", INVALID, ids=[case.name for case in INVALID])
def test_invalid_import_gives_its_exact_messages(case: Path, regen: bool) -> None:
    with pytest.raises(dd.DiagramError) as caught:
        read_data(case.read_bytes(), case.name)
    problems = caught.value.problems
    try:
        text = _text(case)
    except dd.DiagramError:  # not text at all: its lines, each bad byte one character
        text = case.read_bytes().decode("utf-8", "replace")
    assert problems, "an error without problems tells the user nothing"
    lines = text.splitlines()
    for problem in problems:
        assert problem.path == case.name
        assert 1 <= problem.line <= len(lines), f"{problem} is not on a line of the file"
        # a column of the line (a CSV row's cell number is never more than that)
        assert 1 <= problem.column <= len(lines[problem.line - 1]) + 1, problem
    _golden(case.with_suffix(".err"), str(caught.value) + "\n", regen)


def test_every_kind_of_bad_import_has_a_case() -> None:
    """Issue 12's cases, and one file for each reader's kinds of problem."""
    kinds = {
        "a spreadsheet: an empty change idea (the issue's 4-line file), a second aim,"
        " a bad status, text too long, not a spreadsheet": [
            "empty-change.csv",
            "spreadsheet-problems.csv",
            "not-csv.csv",
            "not-text.csv",
        ],
        "FreeSPC: extra_parents repeating the row's parent (the issue's 8-line file),"
        " an unknown level, a parent not yet defined, measures_json, our own columns,"
        " the id 'aim' taken": [
            "freespc-repeated-parent.csv",
            "freespc-unknown-level.csv",
            "freespc-parent-later.csv",
            "freespc-measures.csv",
            "freespc-cells.csv",
            "freespc-aim-id.csv",
        ],
        "a JSON export: a bad status, measures and cycles, links, no primary driver, not JSON": [
            "bad-status.json",
            "measures.json",
            "links.json",
            "no-primary.json",
            "not-json.json",
        ],
        "an outline: inconsistent indentation, levels in the wrong order, ids twice, Mermaid": [
            "inconsistent-indent.txt",
            "wrong-level.md",
            "duplicate-id.txt",
            "mermaid.md",
        ],
    }
    names = {case.name for case in INVALID}
    assert not [name for cases in kinds.values() for name in cases if name not in names]


def test_the_issues_two_files_are_one_error_each_on_their_own_row() -> None:
    """The 4-line CSV with an empty change idea was reported at line 6 of the YAML the
    import wrote; FreeSPC's extra_parents repeating the row's parent at lines 9, 16
    and 17 of an 8-line file. Now: one error each, at the row and the cell."""
    (empty,) = _problems(CASES / "invalid" / "empty-change.csv")
    assert (empty.line, empty.column) == (4, 3)
    (repeated,) = _problems(CASES / "invalid" / "freespc-repeated-parent.csv")
    assert (repeated.line, repeated.column) == (7, 7)  # the row of id 6; extra_parents
    assert repeated.message.startswith("'4' is this box's parent already")


def _problems(case: Path) -> tuple[dd.Problem, ...]:
    with pytest.raises(dd.DiagramError) as caught:
        read(_text(case), case.name)
    return caught.value.problems


def test_imports_refuse_mermaid_and_a_second_aim() -> None:
    with pytest.raises(dd.DiagramError, match="this is Mermaid"):
        dd_import("flowchart LR\n  a --- b\n", "x.mermaid")
    with pytest.raises(dd.DiagramError) as caught:
        read("Aim,Primary,Change\nA,P1,C1\nB,P2,C2\n", "two.csv")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (3, 1) and "a second aim" in problem.message


def dd_import(text: str, name: str) -> dd.Diagram:
    return read(text, name)
