"""`driverdiagram import` of a coach's Excel workbook (readers/imports.py): the same
one-row-per-change-idea layout the CSV import reads, from a sheet, each problem at
its cell (``ideas.xlsx:Ideas!E3``)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.errors import column_letters
from driverdiagram.exports.yaml import to_yaml
from driverdiagram.files import decode_csv
from driverdiagram.readers.imports import read_data
from tests.paths import CASES

IMPORTS = CASES / "import"


def _workbook_of(case: Path, path: Path, sheet: str = "Ideas") -> None:
    """The CSV case's cells in a workbook, each in the cell of the same row and column,
    on a sheet after an empty one (so the sheet must be named)."""
    text = decode_csv(case.read_bytes(), case.name)[0]
    delimiter = ";" if text.count(";") > text.count(",") else ","
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet_of = book.create_sheet(sheet)
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        sheet_of.append([cell or None for cell in row])
    book.save(path)


def test_a_workbook_imports_as_its_csv_does(tmp_path: Path) -> None:
    case = IMPORTS / "valid" / "spreadsheet-semicolons.csv"
    path = tmp_path / "ideas.xlsx"
    _workbook_of(case, path)
    from_csv = read_data(case.read_bytes(), "ideas.csv")
    from_workbook = read_data(path.read_bytes(), "ideas.xlsx", "Ideas")
    assert to_yaml(from_workbook) == to_yaml(from_csv)
    huddle = next(node for node in from_workbook.nodes if node.text == "Daily safety huddle")
    assert str(huddle.location) == "ideas.xlsx:Ideas!E4"


def test_a_workbooks_problems_are_at_its_cells(tmp_path: Path) -> None:
    """The same problems as the CSV file's, each at the cell the CSV's line and column
    name."""
    case = IMPORTS / "invalid" / "spreadsheet-problems.csv"
    path = tmp_path / "ideas.xlsx"
    _workbook_of(case, path, sheet="Change ideas")
    with pytest.raises(dd.DiagramError) as caught:
        read_data(path.read_bytes(), "ideas.xlsx", "change ideas")

    def cell(match: re.Match[str]) -> str:
        line, column = int(match.group(1)), int(match.group(2))
        return f"ideas.xlsx:'Change ideas'!{column_letters(column)}{line}:"

    expected = re.sub(
        r"^spreadsheet-problems\.csv:(\d+):(\d+):",
        cell,
        (case.with_suffix(".err")).read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    assert str(caught.value) + "\n" == expected
    assert str(caught.value).startswith("ideas.xlsx:'Change ideas'!E3: error: unknown status")


def test_merged_cells_and_a_title_row_as_a_coach_lays_them_out(tmp_path: Path) -> None:
    """A primary driver merged down its rows reads as "same as above"; blank rows
    above the headings are passed over; numbers and dates are their text."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Change package"
    sheet.append([])
    sheet.append(["Aim", "Primary driver", "Change idea", "Status"])
    sheet.append(["Enrol 95% of 4-year-olds by 2027", "Families know", "Flyers", "testing"])
    sheet.append([None, None, "Reminder texts", None])
    sheet.append([None, None, 2027, None])
    sheet.append([None, "Enrolment is simple", "A one-page form", "Adopted"])
    sheet.merge_cells("B3:B5")
    path = tmp_path / "package.xlsx"
    book.save(path)
    diagram = dd.read(path)
    assert [(node.level.name.lower(), node.text) for node in diagram.nodes] == [
        ("aim", "Enrol 95% of 4-year-olds by 2027"),
        ("primary", "Families know"),
        ("change", "Flyers"),
        ("change", "Reminder texts"),
        ("change", "2027"),
        ("primary", "Enrolment is simple"),
        ("change", "A one-page form"),
    ]
    assert [node.status.value for node in diagram.nodes if node.status] == [
        "testing",
        "idea",
        "idea",
        "adopted",
    ]


def test_the_import_command_reads_a_workbook_and_its_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    case = IMPORTS / "valid" / "spreadsheet-semicolons.csv"
    _workbook_of(case, tmp_path / "ideas.xlsx")
    runner = CliRunner()
    result = runner.invoke(main, ["import", "ideas.xlsx", "--sheet", "Ideas"])
    assert result.exit_code == 0, result.output
    assert result.stdout == to_yaml(read_data(case.read_bytes(), "ideas.csv"))
    # the first sheet is empty: not a driver diagram spreadsheet, said at its cell
    result = runner.invoke(main, ["import", "ideas.xlsx"])
    assert result.exit_code == 1
    assert result.stderr == (
        "ideas.xlsx:Notes!A1: error: the sheet is empty; name the sheet that has the rows"
        " (import --sheet NAME)\n"
    )
    result = runner.invoke(main, ["import", "ideas.xlsx", "--sheet", "Idea"])
    assert result.exit_code == 1
    assert result.stderr == (
        "ideas.xlsx: error: the workbook has no sheet 'Idea' (did you mean 'Ideas'?);"
        " its sheets are 'Notes', 'Ideas'\n"
    )
    (tmp_path / "ideas.csv").write_bytes(case.read_bytes())
    result = runner.invoke(main, ["import", "ideas.csv", "--sheet", "Ideas"])
    assert result.exit_code == 2
    assert "--sheet names a sheet of a workbook, but ideas.csv is not an Excel workbook" in (
        result.stderr
    )
    # an old .xls says what to do
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    result = runner.invoke(main, ["import", "old.xls"])
    assert result.exit_code == 1
    assert result.stderr.startswith("old.xls: error: this is an old Excel 97-2003 workbook")
