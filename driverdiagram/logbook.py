"""A diagram -> the PDSA log workbook partners fill in (``pdsa template``; openpyxl).

Sheets, in this order:

- **PDSA**: a row per cycle under the headings of
  :data:`driverdiagram.readers.logs.PDSA_COLUMNS`. The change-idea column is a
  drop-down of the diagram's change ideas (those with an id), each shown as
  ``id — text``; Start, End and Study due accept only dates; Act is a drop-down of adopt, adapt,
  abandon. The headings are frozen, the columns wide enough to read.
- **Instructions**: what to do, in plain words, and which sheet is which measure.
- a **data sheet per measure** (named by its id): its periods, from its data's first
  to six months past its last (months; a measure of days gets twelve empty rows),
  the values already known filled in, and Value (or Numerator and Denominator), Note,
  Your name and Organisation columns.
- **Lists** (hidden): the drop-down's entries.

The same diagram gives the same bytes: the workbook's created and modified times are
fixed (to the diagram's ``updated`` day when it has one, else 2000-01-01) and so is
every part's time in the zip.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from .model import Diagram, Measure, period_date
from .readers.logs import (
    DASH,
    DATA_COLUMNS,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    PDSA_COLUMNS,
    PDSA_SHEET,
    choices,
    sheet_names_of,
)
from .readers.reports import ACTS
from .summary import title

#: How many rows of the PDSA sheet carry the drop-downs and date checks.
ROWS = 500
#: Months ahead of a measure's last period its sheet offers.
AHEAD = 6
#: The zip time of every part (the earliest a zip can say).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_WIDTHS = {"change": 45, "start": 12, "end": 12, "owner": 18, "due": 12, "act": 10, "reporter": 18}
_PROMPTS = {
    "change": "Choose the change idea from the list.",
    "start": "The cycle's first day, as a date: 2026-09-01.",
    "end": "The cycle's last day (leave it empty if it is still going).",
    "due": "When the study is due back, as a date (optional).",
    "act": "adopt, adapt or abandon (leave it empty until the team decides).",
}


def pdsa_workbook(diagram: Diagram) -> bytes:
    """The workbook's bytes (see the module's docstring)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    heading = title(diagram) if diagram.title else " ".join(diagram.aim.text.split())
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    pdsa = book.active
    pdsa.title = PDSA_SHEET
    ideas = choices(diagram)
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    lists["A1"] = "Change ideas"
    for row, (_, shown) in enumerate(ideas, 2):
        lists.cell(row=row, column=1, value=_cell_text(shown))
    lists["B1"] = "Act"
    for row, act in enumerate(ACTS, 2):
        lists.cell(row=row, column=2, value=act)
    for column, (key, text) in enumerate(PDSA_COLUMNS, 1):
        cell = pdsa.cell(row=1, column=column, value=text)
        cell.font = bold
        letter = cell.column_letter
        pdsa.column_dimensions[letter].width = _WIDTHS.get(key, 30)
        cells = f"{letter}2:{letter}{ROWS + 1}"
        if key == "change" and ideas:
            check = DataValidation(
                type="list",
                formula1=f"={LISTS_SHEET}!$A$2:$A${len(ideas) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Not a change idea",
                error="Choose a change idea from the list.",
            )
        elif key in ("start", "end", "due"):
            check = DataValidation(
                type="date",
                operator="greaterThan",
                formula1="36526",  # 2000-01-01
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Not a date",
                error="Write a date, as 2026-09-01.",
            )
            for row in range(2, ROWS + 2):
                pdsa.cell(row=row, column=column).number_format = "yyyy-mm-dd"
        elif key == "act":
            check = DataValidation(
                type="list",
                formula1=f"={LISTS_SHEET}!$B$2:$B${len(ACTS) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Not adopt, adapt or abandon",
                error="Choose adopt, adapt or abandon.",
            )
        else:
            for row in range(2, ROWS + 2):
                pdsa.cell(row=row, column=column).alignment = wrap
            continue
        check.prompt = _PROMPTS[key]
        check.showInputMessage = True
        check.add(cells)
        pdsa.add_data_validation(check)
    pdsa.freeze_panes = "A2"

    guide = book.create_sheet(INSTRUCTIONS_SHEET, 1)
    guide.column_dimensions["A"].width = 100
    lines = _instructions(diagram, heading, bool(ideas))
    for row, line in enumerate(lines, 1):
        cell = guide.cell(row=row, column=1, value=_cell_text(line))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True, size=14)

    for name, measure in sheet_names_of(diagram).items():
        _data_sheet(book.create_sheet(name, book.index(lists)), measure, bold)

    book.active = 0
    moment = _moment(diagram)
    book.properties.creator = "driverdiagram"
    book.properties.title = _cell_text(f"PDSA log: {heading}")
    book.properties.created = moment
    book.properties.modified = moment
    book.properties.lastModifiedBy = "driverdiagram"
    return _written(book)


def _instructions(diagram: Diagram, heading: str, ideas: bool) -> list[str]:
    headings = ", ".join(text for _, text in PDSA_COLUMNS)
    lines = [
        f"PDSA log: {heading}",
        "",
        "How to fill it in",
        "1. On the PDSA sheet, use one row for each PDSA cycle (a test of a change idea).",
        "2. Change idea: choose it from the list in the cell."
        if ideas
        else "2. Change idea: this diagram has no change idea with an id yet; ask your coach.",
        "3. Start and End: the first and last day of the test, as dates (2026-09-01)."
        " Leave End empty while the test is still going.",
        "4. Objective, Prediction, Plan, Do, Study: a few words each. What question does"
        " the test answer? What do you expect? Who does what, where, when? What happened?"
        " How did it compare with the prediction? Who runs it and Study due (both"
        " optional): who leads the test, and the day its study is due back.",
        "5. Act: adopt, adapt or abandon, from the list, once the team has decided.",
        "6. Your name and Organisation, so your coach knows who to thank.",
        "7. Each measure has its own sheet with its months: type the month's value (or"
        " its numerator and denominator) in its row. Leave the months you do not have"
        " empty.",
        "8. Save the workbook and send it to your coach. You can send the same workbook"
        " again with more rows: what is already in the diagram is not added twice, and"
        " what you have filled in since in a row already sent (its Study and Act, say)"
        " is added.",
        "",
        f"The PDSA sheet's headings are: {headings}. A Microsoft Forms or Google Forms"
        " form whose questions carry these headings works too: send your coach its"
        " responses as a CSV file.",
    ]
    named = sheet_names_of(diagram)
    if named:
        lines += ["", "The measures' sheets"]
        lines += [f"{name}: {' '.join(m.name.split())}" for name, m in named.items()]
    return lines


def _data_sheet(sheet: object, measure: Measure, bold: object) -> None:
    counts = measure.chart in ("p", "u") or any(p.numerator is not None for p in measure.points)
    keys = ["period", *(["numerator", "denominator"] if counts else ["value"])]
    keys += ["note", "reporter", "organisation"]
    headings = dict(DATA_COLUMNS)
    for column, key in enumerate(keys, 1):
        cell = sheet.cell(row=1, column=column, value=headings[key])  # type: ignore[attr-defined]
        cell.font = bold
        sheet.column_dimensions[cell.column_letter].width = 30 if key == "note" else 14  # type: ignore[attr-defined]
    sheet.freeze_panes = "A2"  # type: ignore[attr-defined]
    known = {point.period: point for point in measure.points}
    for row, period in enumerate(_periods(measure), 2):
        cell = sheet.cell(row=row, column=1, value=period)  # type: ignore[attr-defined]
        cell.number_format = "@"  # text: Excel must not turn 2026-11 into a date
        point = known.get(period)
        if point is None:
            continue
        values = {
            "value": point.value,
            "numerator": point.numerator,
            "denominator": point.denominator,
            "note": _cell_text(point.note) or None,
        }
        for column, key in enumerate(keys[1:4], 2):
            if values.get(key) is not None:
                sheet.cell(row=row, column=column, value=values[key])  # type: ignore[attr-defined]


def _periods(measure: Measure) -> list[str]:
    """The measure's periods: every month from its first to :data:`AHEAD` months past
    its last (the months it lacks too); for days, its days then empty rows."""
    periods = [point.period for point in measure.points]
    if not periods or any(len(period) == 10 for period in periods):
        return [*periods, *([""] * 12)]
    first, last = period_date(periods[0]), period_date(periods[-1])
    end = divmod(last.year * 12 + last.month - 1 + AHEAD, 12)
    months = []
    year, month = first.year, first.month - 1
    while (year, month) <= end:
        months.append(f"{year}-{month + 1:02d}")
        year, month = divmod(year * 12 + month + 1, 12)
    return months


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell_text(text: str) -> str:
    """Text a cell can hold (no control characters, which openpyxl refuses), never a
    formula (a leading ``=`` is kept as text by openpyxl's string cells)."""
    return _ILLEGAL.sub("\ufffd", text)[:32_000]


def _moment(diagram: Diagram) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(diagram.updated[:10]) if diagram.updated else None
    except ValueError:
        day = None
    day = day or dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def _written(book: object) -> bytes:
    """The workbook's bytes with every part's time fixed (openpyxl stamps the modified
    time and the zip's times with the clock)."""
    from openpyxl.writer.excel import ExcelWriter

    moment = book.properties.modified  # type: ignore[attr-defined]
    first = io.BytesIO()
    with zipfile.ZipFile(first, "w", zipfile.ZIP_DEFLATED) as archive:
        writer = ExcelWriter(book, archive)
        book.properties.modified = moment  # type: ignore[attr-defined]
        writer.save()
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(first.getvalue())) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            part = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            part.compress_type = zipfile.ZIP_DEFLATED
            part.external_attr = 0o600 << 16
            target.writestr(part, source.read(info.filename))
    return fixed.getvalue()


__all__ = ["DASH", "pdsa_workbook"]
