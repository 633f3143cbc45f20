"""Forgiving data files (readers/measures.py, readers/dates.py): data files as partners
keep them in Excel (tests/cases/data-files), read as they are: their own headings
mapped with ``columns:``, a title above the headings, dates as Excel writes them with
``dates: dmy | mdy``; and what cannot be read said plainly, every unknown heading at
once (the kept-aside mistakes are tests/cases/invalid/measure-data-forgiving.*)."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.readers.dates import Period, date_period, needs_order, order_shown, read_period
from tests.paths import CASES
from tests.samples import measured

PARTNERS = CASES / "data-files" / "partners.yaml"


def _points(measure: dd.Measure) -> list[tuple[str, float | None, str]]:
    return [
        (point.period, None if point.value is None else round(point.value, 2), point.note)
        for point in measure.points
    ]


def test_data_files_as_partners_keep_them_are_read() -> None:
    diagram = dd.load(PARTNERS)
    missed, referrals, seen, months = diagram.measures
    # a title, a note and a blank row above Month,Missed,Booked; Excel's CRLF rows
    assert _points(missed) == [
        ("2025-09", 8.57, ""),
        ("2025-10", 5.92, ""),
        ("2025-11", None, ""),
        ("2025-12", 8.4, ""),
        ("2026-01", 5.04, ""),
    ]
    assert [point.location.line for point in missed.points] == [5, 6, 7, 8, 9]
    assert missed.columns == (
        ("period", "Month"),
        ("numerator", "Missed"),
        ("denominator", "Booked"),
    )
    # 01/09/2025 day first, each the first of a month: months; ';' and a decimal comma
    assert _points(referrals) == [
        ("2025-09", 14.0, ""),
        ("2025-10", 17.0, "Half term"),
        ("2025-11", 12.5, ""),
        ("2025-12", 9.0, "Christmas"),
    ]
    assert referrals.dates == "dmy"
    # 09/15/2025 can only be month first, so the file's other dates are too; the time
    # of day Excel wrote after each is passed over
    assert _points(seen) == [
        ("2025-09-01", 31.0, ""),
        ("2025-09-08", 29.0, ""),
        ("2025-09-15", 35.0, ""),
        ("2025-09-22", 33.0, ""),
    ]
    assert [point.period for point in months.points] == ["2025-09", "2025-10", "2025-11", "2025-12"]


def test_the_settings_are_kept_by_the_yaml_export(tmp_path: Path) -> None:
    """`to_yaml` (what `export` and `import` write) keeps the measure's columns and
    dates with its data, so the file it writes reads the same points."""
    written = dd.to_yaml(dd.load(PARTNERS))
    assert "columns:\n" in written and "period: Month\n" in written
    assert "dates: dmy\n" in written
    shutil.copytree(PARTNERS.parent / "data", tmp_path / "data")
    copy = tmp_path / "partners.yaml"
    copy.write_text(written, encoding="utf-8")
    assert [_points(m) for m in dd.load(copy).measures] == [
        _points(m) for m in dd.load(PARTNERS).measures
    ]


def test_every_unknown_heading_is_named_at_once_with_a_columns_to_paste(tmp_path: Path) -> None:
    (tmp_path / "missed.csv").write_text(
        "Missed appointments\n\nMonth,Missed,Booked\nSep-25,12,140\nOct-25,9,152\n"
    )
    path = tmp_path / "d.yaml"
    path.write_text(
        measured(aim_measures="    - name: Missed\n      unit: '%'\n      data: missed.csv")
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.output.replace(str(tmp_path) + os.sep, "") == (
        "missed.csv:3:1: error: unknown columns 'Month', 'Missed' and 'Booked'; the columns"
        " are period, value, numerator, denominator and note: rename them in the file, or say"
        " which column is which in the measure, for example (check the guess): columns:"
        " {period: Month, numerator: Missed, denominator: Booked}\n"
    )
    # the columns: it suggests, pasted into the measure, reads the file
    path.write_text(
        measured(
            aim_measures="    - name: Missed\n      unit: '%'\n      data: missed.csv\n"
            "      columns: {period: Month, numerator: Missed, denominator: Booked}"
        )
    )
    (measure,) = dd.load(path).measures
    assert _points(measure) == [("2025-09", 8.57, ""), ("2025-10", 5.92, "")]


@pytest.mark.parametrize(
    ("content", "settings", "message"),
    [
        # a typo among known headings: did you mean
        (
            "perod,value\n2025-09,3\n",
            "",
            "d.csv:1:1: error: unknown column 'perod' (did you mean 'period'?); the columns are",
        ),
        # headings with no row of them above the data
        ("Sep-25,3\nOct-25,4\n", "", "d.csv:1:1: error: the first row should name the columns"),
        (
            "Sep-25,3\n",
            "\n      columns: {period: Month}",
            "d.csv:1:1: error: the data has no heading row; add one above the data, with the"
            " headings 'columns:' names ('Month')",
        ),
        # the same column named twice in columns:
        (
            "Month,Count\nSep-25,3\n",
            "\n      columns: {period: Month, value: month}",
            "d.yaml:6:39: error: 'month' is the period column already; each column has one role",
        ),
        # a repeated period, far from its first, is a duplicate, not out of order
        (
            "period,value\n2025-09,1\n2025-10,2\n2025-11,3\n2025-09,4\n",
            "",
            "d.csv:5:1: error: 2025-09 appears twice: lines 2 and 5; each period has one value",
        ),
        # a month written two ways is still the same month
        (
            "period,value\nSep-25,1\n2025-09,2\n",
            "",
            "d.csv:3:1: error: 2025-09 appears twice: lines 2 and 3",
        ),
        ("period,value\nSeptember,1\n", "", "d.csv:2:1: error: 'September' is not a period; a"),
        ("period,value\n31/02/2025,1\n", "", "d.csv:2:1: error: '31/02/2025' is not a period;"),
        (
            "period,value\n01/09/2025,1\n",
            "\n      dates: both",
            "d.yaml:6:14: error: unknown dates 'both'; use one of: dmy, mdy",
        ),
    ],
)
def test_data_file_mistakes_are_located(
    tmp_path: Path, content: str, settings: str, message: str
) -> None:
    (tmp_path / "d.csv").write_text(content)
    path = tmp_path / "d.yaml"
    path.write_text(measured(aim_measures="    - name: M\n      data: d.csv" + settings))
    with pytest.raises(dd.DiagramError) as caught:
        dd.load(path)
    assert str(caught.value).replace(str(tmp_path) + os.sep, "").startswith(message)


def test_with_columns_other_columns_are_passed_over(tmp_path: Path) -> None:
    """A sheet has more than the data: a computed rate, a ward. `columns:` says which
    columns hold the data; the others are not read."""
    (tmp_path / "d.csv").write_text(
        "Month,Ward,Missed,Booked,Rate\nSep-25,North,12,140,8.6%\nOct-25,North,9,152,5.9%\n"
    )
    path = tmp_path / "d.yaml"
    path.write_text(
        measured(
            aim_measures="    - name: M\n      data: d.csv\n      columns: {period: month,"
            " numerator: MISSED, denominator: '  Booked '}"
        )
    )
    (measure,) = dd.load(path).measures
    assert [(p.period, p.numerator, p.denominator) for p in measure.points] == [
        ("2025-09", 12.0, 140.0),
        ("2025-10", 9.0, 152.0),
    ]


def test_iso_days_on_the_first_stay_days(tmp_path: Path) -> None:
    """2025-09-01 written so is a day, as it always was; only dates written as Excel
    writes them become months when they are all the first of a month."""
    (tmp_path / "d.csv").write_text("period,value\n2025-09-01,1\n2025-10-01,2\n")
    path = tmp_path / "d.yaml"
    path.write_text(measured(aim_measures="    - name: M\n      data: d.csv"))
    (measure,) = dd.load(path).measures
    assert [p.period for p in measure.points] == ["2025-09-01", "2025-10-01"]
    (tmp_path / "d.csv").write_text("period,value\n01/09/2025,1\n15/09/2025,2\n")
    (measure,) = dd.load(path).measures
    assert [p.period for p in measure.points] == ["2025-09-01", "2025-09-15"]


@pytest.mark.parametrize(
    ("text", "order", "period"),
    [
        ("Sep-25", "", "2025-09"),
        ("sep 25", "", "2025-09"),
        ("Sept 2025", "", "2025-09"),
        ("September 2025", "", "2025-09"),
        ("Sep '25", "", "2025-09"),
        ("Jan-99", "", "1999-01"),  # Excel reads 30-99 as 1930-1999
        ("09/2025", "", "2025-09"),
        ("2025/09", "", "2025-09"),
        ("2025-09", "", "2025-09"),
        ("1-Sep-25", "", "2025-09-01"),
        ("01 Sep 2025", "", "2025-09-01"),
        ("1st September 2025", "", "2025-09-01"),
        ("Sep 1, 2025", "", "2025-09-01"),
        ("2025/09/01", "", "2025-09-01"),
        ("01/09/2025", "dmy", "2025-09-01"),
        ("01/09/2025", "mdy", "2025-01-09"),
        ("01-09-25", "dmy", "2025-09-01"),
        ("01.09.2025 00:00:00", "dmy", "2025-09-01"),
        ("9/1/2025 12:00 AM", "mdy", "2025-09-01"),
        ("15/09/2025", "", "2025-09-15"),  # only day first can read it
        ("05/05/2025", "", "2025-05-05"),  # the same either way
        ("2025-09-01", "", "2025-09-01"),
    ],
)
def test_excel_date_forms(text: str, order: str, period: str) -> None:
    found = read_period(text, order)
    assert isinstance(found, Period) and found.text == period


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("01/09/2025", "ambiguous"),
        ("March", "a month needs its year: write Mar-26 or 2026-03"),
        ("Smarch 2025", ""),
        ("13/13/2025", ""),
        ("Week 12", ""),
        ("", ""),
    ],
)
def test_what_is_not_a_period(text: str, why: str) -> None:
    assert read_period(text) == why


def test_the_order_a_date_shows() -> None:
    assert [order_shown(text) for text in ("15/09/2025", "09/15/2025", "01/09/2025", "Sep-25")] == [
        "dmy",
        "mdy",
        None,
        None,
    ]
    assert [needs_order(text) for text in ("01/09/2025", "05/05/2025", "15/09/2025")] == [
        True,
        False,
        False,
    ]


def test_a_workbook_date_cell_is_the_month_its_format_shows() -> None:
    import datetime as dt

    day = dt.date(2025, 9, 1)
    assert date_period(day, "mmm-yy").text == "2025-09"
    assert date_period(day, "[$-409]mmmm\\ yyyy").text == "2025-09"
    assert date_period(day, "dd/mm/yyyy").text == "2025-09-01"
    assert date_period(day, "yyyy-mm-dd").text == "2025-09-01"
    assert date_period(day, "General").text == "2025-09-01"


# -- a measure's data in a workbook ---------------------------------------------------------


def _counts_workbook(path: Path, missed: int = 12) -> None:
    """A coach's workbook: a title, the counts by month (dates shown as Sep-25) with a
    rate the sheet works out shown as a percentage, and a second sheet by week."""
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Counts"
    sheet.append(["Missed appointments - Riverside clinic"])
    sheet.merge_cells("A1:D1")
    sheet.append([])
    sheet.append(["Month", "Missed", "Booked", "Rate"])
    for index, (top, bottom) in enumerate([(missed, 140), (9, 152), (None, None), (11, 131)]):
        sheet.append([dt.date(2025, 9 + index, 1), top, bottom, top / bottom if top else None])
        sheet.cell(row=4 + index, column=1).number_format = "mmm-yy"
        sheet.cell(row=4 + index, column=4).number_format = "0.0%"
    weekly = book.create_sheet("By week")
    weekly.append(["period", "value", "note"])
    for index in range(3):
        weekly.append([dt.datetime(2025, 9, 1 + 7 * index), 0.5 + index / 10, None])
        weekly.cell(row=2 + index, column=2).number_format = "0%"
    weekly["C3"] = "Half term"
    book.save(path)


def _workbook_diagram(folder: Path, measures: str) -> Path:
    (folder / "data").mkdir(exist_ok=True)
    _counts_workbook(folder / "data" / "counts.xlsx")
    path = folder / "d.yaml"
    path.write_text(measured(aim_measures=measures))
    return path


def test_a_measure_reads_a_sheet_of_a_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _workbook_diagram(
        tmp_path,
        "    - id: missed\n      name: Missed\n      unit: '%'\n      data: data/counts.xlsx\n"
        "      columns: {period: Month, numerator: Missed, denominator: Booked}\n"
        "    - id: rate\n      name: Rate\n      unit: '%'\n      data: data/counts.xlsx\n"
        "      columns: {period: Month, value: Rate}\n"
        "    - id: weekly\n      name: Weekly\n      unit: '%'\n      data: data/counts.xlsx\n"
        "      sheet: by week",
    )
    missed, rate, weekly = dd.load("d.yaml").measures
    # date cells shown as Sep-25 are months; the title and blank row are passed over
    assert _points(missed) == [
        ("2025-09", 8.57, ""),
        ("2025-10", 5.92, ""),
        ("2025-11", None, ""),
        ("2025-12", 8.4, ""),
    ]
    assert str(missed.points[0].location) == "data/counts.xlsx:Counts!A4"
    # a number shown as a percentage is the percentage it shows
    assert _points(rate) == [
        ("2025-09", 8.57, ""),
        ("2025-10", 5.92, ""),
        ("2025-11", None, ""),
        ("2025-12", 8.4, ""),
    ]
    assert _points(weekly) == [
        ("2025-09-01", 50.0, ""),
        ("2025-09-08", 60.0, "Half term"),
        ("2025-09-15", 70.0, ""),
    ]
    assert weekly.sheet == "by week"
    # what was read is what a drawing's cache and the portal's record key on
    data = tmp_path / "data" / "counts.xlsx"
    assert missed.data_file == os.path.realpath(data)
    assert missed.data_digest == hashlib.sha256(data.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            "      sheet: Conts",
            "data/counts.xlsx: error: the workbook has no sheet 'Conts' (did you mean"
            " 'Counts'?); its sheets are 'Counts', 'By week'",
        ),
        (
            "      sheet: Counts",
            "data/counts.xlsx:Counts!A3: error: unknown columns 'Month', 'Missed', 'Booked' and"
            " 'Rate'; the columns are period, value, numerator, denominator and note: rename"
            " them in the file, or say which column is which in the measure, for example"
            " (check the guess): columns: {period: Month, numerator: Missed, denominator:"
            " Booked}",
        ),
        (
            "      sheet: By week\n      columns: {period: period, value: note}",
            "data/counts.xlsx:'By week'!C3: error: 'Half term' in the value column is not a number",
        ),
    ],
)
def test_workbook_data_mistakes_are_located_at_their_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    _workbook_diagram(tmp_path, "    - name: M\n      data: data/counts.xlsx\n" + settings)
    with pytest.raises(dd.DiagramError) as caught:
        dd.load("d.yaml")
    assert str(caught.value.problems[0]).startswith(message)


def test_a_sheet_for_a_csv_file_and_a_workbook_outside_the_folder_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d.csv").write_text("period,value\n2025-09,1\n")
    (tmp_path / "d.yaml").write_text(
        measured(aim_measures="    - name: M\n      data: d.csv\n      sheet: Sheet1")
    )
    with pytest.raises(dd.DiagramError) as caught:
        dd.load("d.yaml")
    assert str(caught.value) == (
        "d.yaml:5:13: error: the measure names a 'sheet', but data file 'd.csv' is CSV, which"
        " has no sheets; remove 'sheet', or point 'data' at the workbook"
    )
    team = tmp_path / "team"
    team.mkdir()
    _counts_workbook(tmp_path / "counts.xlsx")
    (team / "d.yaml").write_text(measured(aim_measures="    - name: M\n      data: ../counts.xlsx"))
    with pytest.raises(dd.DiagramError, match="is outside the diagram's folder"):
        dd.load(team / "d.yaml")
    # a workbook saved with a CSV's name is read as the workbook it is; a CSV saved
    # with a workbook's name says so
    (tmp_path / "counts.xlsx").rename(tmp_path / "counts.csv")
    (tmp_path / "d.yaml").write_text(
        measured(
            aim_measures="    - name: M\n      data: counts.csv\n"
            "      columns: {period: Month, value: Missed}"
        )
    )
    assert len(dd.load("d.yaml").measures[0].points) == 4
    (tmp_path / "d.csv").rename(tmp_path / "d.xlsx")
    (tmp_path / "d.yaml").write_text(measured(aim_measures="    - name: M\n      data: d.xlsx"))
    with pytest.raises(dd.DiagramError) as caught:
        dd.load("d.yaml")
    assert str(caught.value).startswith(
        "d.xlsx: error: this is a text file (perhaps a CSV file renamed .xlsx)"
    )


@pytest.mark.graphviz
def test_a_changed_workbook_draws_again_and_rebuilds_its_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The drawing cache and the portal's record key on the workbook's bytes."""
    monkeypatch.chdir(tmp_path)
    path = _workbook_diagram(
        tmp_path,
        "    - name: Missed\n      unit: '%'\n      data: data/counts.xlsx\n"
        "      columns: {period: Month, numerator: Missed, denominator: Booked}",
    )

    def render() -> list[str]:
        result = CliRunner().invoke(main, ["render", "d.yaml"])
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()

    assert render() == ["d.svg"]
    assert render() == []
    out = tmp_path / "site"
    dd.build_site([str(path)], out, title="Programme")
    assert dd.build_site([str(path)], out, title="Programme").drawn == ()
    _counts_workbook(tmp_path / "data" / "counts.xlsx", missed=30)
    assert render() == ["d.svg"]
    assert dd.build_site([str(path)], out, title="Programme").drawn == (str(path),)
