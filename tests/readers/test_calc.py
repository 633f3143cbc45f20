"""The PDSA log workbook in LibreOffice Calc (headless, with a profile of its own), as a
partner without Excel would use it: Calc opens the template ``pdsa template`` writes
and sees every sheet, heading and known value; a log filled in and saved by Calc (its
own flavour of .xlsx) keeps its drop-downs and hidden list and is imported exactly as
the same log saved by Excel's library. Skipped only where LibreOffice Calc is not
installed (CI installs libreoffice-calc)."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

import driverdiagram as dd
from driverdiagram.readers.logs import PDSA_COLUMNS
from tests.paths import EARLY

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
#: Calc is its own package beside Writer and Impress: its library is beside soffice.
CALC = SOFFICE is not None and (Path(SOFFICE).resolve().parent / "libsclo.so").exists()
pytestmark = pytest.mark.skipif(not CALC, reason="needs LibreOffice Calc (libreoffice-calc)")

#: CSV of every sheet (the last field, -1), UTF-8 (76), comma-separated, quoted as needed.
_EVERY_SHEET = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def calc(book: Path, to: str, out: Path, tmp_path: Path) -> None:
    """Open ``book`` in Calc and save it with the filter ``to`` into the folder ``out``."""
    assert SOFFICE is not None
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(book),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def early(tmp_path: Path) -> Path:
    folder = tmp_path / "programme"
    folder.mkdir()
    shutil.copy(EARLY, folder / EARLY.name)
    shutil.copytree(EARLY.parent / "data", folder / "data")
    return folder / EARLY.name


def test_calc_opens_the_template_with_every_sheet_heading_and_known_value(
    early: Path, tmp_path: Path
) -> None:
    log = tmp_path / "log.xlsx"
    log.write_bytes(dd.pdsa_template(dd.load(early)))
    calc(log, _EVERY_SHEET, tmp_path / "csv", tmp_path)
    diagram = dd.load(early)
    sheets = ["PDSA", "Instructions", *[m.id for m in diagram.measures], "Lists"]
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == sorted(
        f"log-{sheet}.csv" for sheet in sheets
    )

    def rows(sheet: str) -> list[list[str]]:
        text = (tmp_path / "csv" / f"log-{sheet}.csv").read_text(encoding="utf-8")
        return list(csv.reader(text.splitlines()))

    # the headings as written (tests/test_logbook.py spells them out)
    assert rows("PDSA")[0] == [heading for _, heading in PDSA_COLUMNS]
    ideas = [row[0] for row in rows("Lists") if row and row[0]]
    flyer = diagram.node("flyer")
    assert f"flyer — {' '.join(flyer.text.split())}" in ideas
    # a measure's sheet: its periods, with the values already known, as Calc reads them
    talk = diagram.measure("kinder-talk")
    known = {row[0]: row[1:3] for row in rows("kinder-talk")[1:] if row and row[1]}
    assert known == {
        point.period: [f"{point.numerator:g}", f"{point.denominator:g}"]
        for point in talk.points
        if point.numerator is not None and point.denominator is not None
    }
    assert len(known) >= 20
    assert any(diagram.title in " ".join(row) for row in rows("Instructions"))


def _filled(log: Path, flyer: str) -> None:
    """The log as a partner fills it in: a cycle and a month of one measure."""
    book = openpyxl.load_workbook(log)
    for column, value in enumerate(
        [flyer, dt.date(2026, 11, 2), dt.date(2026, 11, 20), "Do parents read it?"], 1
    ):
        book["PDSA"].cell(row=2, column=column, value=value)
    book["PDSA"].cell(row=2, column=7, value="Sam Lee")  # who runs it
    book["PDSA"].cell(row=2, column=8, value=dt.date(2026, 11, 30))  # study due
    book["PDSA"].cell(row=2, column=11, value="adapt")
    book["PDSA"].cell(row=2, column=12, value="Ana Silva")
    for column, value in enumerate([61, 88, "new script"], 2):
        book["kinder-talk"].cell(row=26, column=column, value=value)
    book.save(log)


def test_a_log_saved_by_calc_keeps_its_lists_and_is_imported_as_excel_s_is(
    early: Path, tmp_path: Path
) -> None:
    flyer = dd.load(early).node("flyer")
    log = tmp_path / "log.xlsx"
    log.write_bytes(dd.pdsa_template(dd.load(early)))
    _filled(log, f"flyer — {' '.join(flyer.text.split())}")
    calc(log, "xlsx:Calc MS Excel 2007 XML", tmp_path / "calc", tmp_path)
    saved = tmp_path / "calc" / "log.xlsx"
    assert saved.read_bytes() != log.read_bytes()  # Calc wrote its own

    book = openpyxl.load_workbook(saved)
    assert book.sheetnames == openpyxl.load_workbook(log).sheetnames
    assert book["Lists"].sheet_state == "hidden"
    rules = book["PDSA"].data_validations.dataValidation
    lists = {str(rule.sqref): rule.formula1 for rule in rules}
    assert any(rule.startswith("A2") for rule in lists), lists  # the change ideas' drop-down
    assert any(rule.startswith("K2") for rule in lists), lists  # act: adopt, adapt, abandon

    from_excel = dd.import_log(early, log, dry_run=True)
    from_calc = dd.import_log(early, saved, dry_run=True)
    assert from_calc.diff == from_excel.diff
    assert "+              - start: 2026-11-02\n" in from_calc.diff
    assert "+                end: 2026-11-20\n" in from_calc.diff
    assert "+2026-11,61,88,new script\n" in from_calc.diff
    assert [note.replace(str(saved), "LOG") for note in from_calc.notes] == [
        note.replace(str(log), "LOG") for note in from_excel.notes
    ]
    before = early.read_bytes()
    merged = dd.import_log(early, saved)
    assert merged.written and early.read_bytes() != before
    cycle = dd.load(early).cycles_of("flyer")[-1]
    assert (cycle.start, cycle.end, cycle.act) == (
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 20),
        dd.Act.ADAPT,
    )
    assert cycle.objective == "Do parents read it?"
    assert (cycle.owner, cycle.due) == ("Sam Lee", dt.date(2026, 11, 30))


def test_a_data_workbook_saved_by_calc_gives_its_formulas_results(tmp_path: Path) -> None:
    """A rate worked out by a formula has no result until a spreadsheet saves it:
    written by a program it is a missing period; once Calc has saved the workbook it is
    the percentage Calc shows, as Excel's would be (docs/measures.md)."""
    folder = tmp_path / "clinic"
    (folder / "data").mkdir(parents=True)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Counts"
    sheet.append(["Month", "Missed", "Booked", "Rate"])
    for row, (missed, booked) in enumerate([(9, 100), (7, 96), (12, 110)], 2):
        sheet.cell(row=row, column=1, value=dt.date(2026, row - 1, 1)).number_format = "mmm-yy"
        sheet.cell(row=row, column=2, value=missed)
        sheet.cell(row=row, column=3, value=booked)
        sheet.cell(row=row, column=4, value=f"=B{row}/C{row}").number_format = "0.0%"
    written = folder / "written.xlsx"
    book.save(written)
    calc(written, "xlsx:Calc MS Excel 2007 XML", folder / "data", tmp_path)
    (folder / "data" / "written.xlsx").rename(folder / "data" / "clinic.xlsx")
    shutil.copy(written, folder / "data" / "never-opened.xlsx")
    measure = (
        "  - text: Fewer missed appointments\n    measures:\n      - id: {id}\n"
        "        name: Missed appointments\n        unit: '%'\n        data: data/{file}\n"
        "        sheet: Counts\n        columns: {{period: Month, value: Rate}}\n"
    )
    diagram = folder / "clinic.yaml"
    diagram.write_text(
        "aim: Fewer missed appointments by June 2027\nprimary:\n"
        + measure.format(id="saved", file="clinic.xlsx")
        + measure.format(id="unsaved", file="never-opened.xlsx")
    )
    loaded = dd.load(diagram)
    saved = loaded.measure("saved")
    assert [(p.period, round(p.value or 0, 2)) for p in saved.points] == [
        ("2026-01", 9.0),
        ("2026-02", 7.29),
        ("2026-03", 10.91),
    ]
    assert [p.value for p in loaded.measure("unsaved").points] == [None, None, None]
