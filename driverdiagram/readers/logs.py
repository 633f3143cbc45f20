"""A partners' PDSA log -> located cycle and data reports: the workbook that ``pdsa
template`` writes (``log.xlsx``: its PDSA sheet and a data sheet per measure) as
partners filled it in, or a CSV file with the same headings, such as the responses
Microsoft Forms and Google Forms export when their questions carry those headings.

The headings (docs/pdsa.md, "The PDSA log in Excel") are matched whatever their case
and spacing, with a trailing ``?``, ``:`` or ``*`` and a hint in brackets left out
(``Start (first day)`` is ``Start``). The columns Forms add of their own (``ID``,
``Start time``, ``Completion time``, ``Email``, ``Name``, ``Last modified time``;
``Timestamp``, ``Email address``) are passed over; any other heading is a problem,
all of them named at once.

A change idea may be given by its id, its text, or as the template's drop-down shows
it (``huddle — Review high-risk patients...``); a typo gets a did-you-mean. Blank
rows are skipped. Every problem is located as a spreadsheet names the cell
(``log.xlsx:PDSA!C7``) or as ``responses.csv:12:3`` (line 12, column 3), and all of
them are listed at once.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..errors import InvalidDiagram, Location, Problem
from ..files import decode_csv, read_bytes
from ..limits import current
from ..model import Diagram, Level, Measure
from ..text import excerpt, suggest
from . import workbook
from .reports import ACTS, CycleReport, DataReport, Report

#: The PDSA sheet's columns: (key, heading), in the template's order.
PDSA_COLUMNS = (
    ("change", "Change idea"),
    ("start", "Start"),
    ("end", "End"),
    ("objective", "Objective"),
    ("prediction", "Prediction"),
    ("plan", "Plan"),
    ("owner", "Who runs it"),
    ("due", "Study due"),
    ("do", "Do"),
    ("study", "Study"),
    ("act", "Act"),
    ("reporter", "Your name"),
    ("organisation", "Organisation"),
)
#: A data sheet's columns (a CSV of data has a Measure column first).
DATA_COLUMNS = (
    ("measure", "Measure"),
    ("period", "Period"),
    ("value", "Value"),
    ("numerator", "Numerator"),
    ("denominator", "Denominator"),
    ("note", "Note"),
    ("reporter", "Your name"),
    ("organisation", "Organisation"),
)
#: The PDSA sheet's name in the template.
PDSA_SHEET = "PDSA"
INSTRUCTIONS_SHEET = "Instructions"
LISTS_SHEET = "Lists"
#: Columns Microsoft Forms and Google Forms add to their exports, passed over
#: (``name``: the respondent, taken as "Your name" when that is not asked).
FORMS_COLUMNS = frozenset(
    {
        "id",
        "start time",
        "completion time",
        "email",
        "name",
        "last modified time",
        "timestamp",
        "email address",
        "score",
        "total points",
    }
)
#: Between a change idea's id and its text in the template's drop-down.
DASH = " — "
#: The most rows a log is read to (a year of weekly cycles from 100 teams is 5,200).
MOST_ROWS = 20_000

_DAY = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\Z")
_NUMERIC_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\Z")
#: A day with a time after it, as a spreadsheet or a form exports one
#: (2026-11-02 00:00:00, 2026-11-02T09:30, 11/2/2026 9:01 AM): the day is read alone.
_TIME_AFTER = re.compile(r"(\S+)[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp][Mm])?\Z")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})\Z")


def sheet_name(measure: Measure, taken: Iterable[str] = ()) -> str:
    """The data sheet of a measure in the template: its id, as a sheet may be named
    (at most 31 characters, none of ``[]:*?/\\``), made unique against ``taken``."""
    name = re.sub(r"[\[\]:*?/\\']", "-", measure.id)[:31] or "measure"
    used = {item.casefold() for item in taken}
    base, number = name, 2
    while name.casefold() in used or name.casefold() in (
        PDSA_SHEET.casefold(),
        INSTRUCTIONS_SHEET.casefold(),
        LISTS_SHEET.casefold(),
    ):
        suffix = f" {number}"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    return name


def sheet_names_of(diagram: Diagram) -> dict[str, Measure]:
    """Each measure's data sheet name, in the diagram's order."""
    names: dict[str, Measure] = {}
    for measure in diagram.measures:
        names[sheet_name(measure, names)] = measure
    return names


def choices(diagram: Diagram) -> list[tuple[str, str]]:
    """The change ideas a log may name: (id, what the drop-down shows: ``id — text``),
    those with an id written in the file."""
    found = []
    for node in diagram.at_level(Level.CHANGE):
        if not node.generated_id:
            text = " ".join(node.text.split())
            shown = f"{node.id}{DASH}{text}"
            found.append((node.id, shown[:250]))  # a list entry in Excel has 255 at most
    return found


def normal_heading(text: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", text)
    return " ".join(text.casefold().replace("\u00a0", " ").split()).rstrip("?:* ").strip()


@dataclass
class _Cell:
    value: object
    where: Location


class _Reading:
    """A log's rows read against the diagram, the problems kept to list at once."""

    def __init__(self, diagram: Diagram, dates: str | None) -> None:
        self.diagram = diagram
        self.dates = dates
        self.problems: list[Problem] = []
        self.reports: list[Report] = []
        self.ideas = choices(diagram)
        self.by_key: dict[str, str] = {}
        for change_id, shown in self.ideas:
            node = diagram.node(change_id)
            for key in (change_id, shown, " ".join(node.text.split())):
                self.by_key.setdefault(key.casefold(), change_id)

    def problem(self, where: Location, message: str) -> None:
        self.problems.append(Problem(where, message))

    # one value

    def text(self, cell: _Cell | None) -> str:
        if cell is None or cell.value is None:
            return ""
        value = cell.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = " ".join(str(value).replace("\r\n", "\n").split(" ")).strip()
        if len(text) > current().text:
            self.problem(cell.where, f"is longer than {current().text} characters; shorten it")
            return ""
        return text

    def day(self, cell: _Cell | None, what: str) -> str:
        if cell is None or cell.value is None or cell.value == "":
            return ""
        value = cell.value
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        text = str(value).strip()
        timed = _TIME_AFTER.match(text)
        if timed:
            text = timed.group(1)  # the day; anything else after it is not a date
        found = _DAY.match(text)
        if found:
            year, month, day = (int(part) for part in found.groups())
            return self._real(cell, year, month, day, what)
        found = _NUMERIC_DAY.match(text)
        if found:
            first, second, year = (int(part) for part in found.groups())
            order = self.dates
            if order is None:
                if first > 12 >= second:
                    order = "dmy"
                elif second > 12 >= first:
                    order = "mdy"
                elif first == second:
                    order = "dmy"
            if order is None:
                self.problem(
                    cell.where,
                    f"{what}: {excerpt(text)} could be day/month or month/day; give --dates"
                    " dmy (1/9/2026 is 1 September) or --dates mdy (9 January), or write"
                    " it as 2026-09-01",
                )
                return ""
            day, month = (first, second) if order == "dmy" else (second, first)
            return self._real(cell, year, month, day, what)
        self.problem(cell.where, f"{what}: {excerpt(text)} is not a date; write it as 2026-09-01")
        return ""

    def _real(self, cell: _Cell, year: int, month: int, day: int, what: str) -> str:
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            self.problem(cell.where, f"{what}: there is no day {year}-{month:02d}-{day:02d}")
            return ""

    def number(self, cell: _Cell | None, what: str) -> float | None:
        if cell is None or cell.value is None or cell.value == "":
            return None
        value = cell.value
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.problem(cell.where, f"{what}: {excerpt(str(value))} is not a number")
            return None
        try:
            number = float(str(value).strip()) if isinstance(value, str) else float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.problem(cell.where, f"{what}: {excerpt(str(value))} is not a number")
            return None
        return number

    def change(self, cell: _Cell) -> str:
        text = self.text(cell)
        found = self.by_key.get(text.casefold()) or self.by_key.get(
            " ".join(text.split()).casefold()
        )
        if found is None and DASH.strip() in text:
            found = self.by_key.get(re.split(r"\s+[—–-]\s+", text, maxsplit=1)[0].casefold())
        if found is not None:
            return found
        known = [change_id for change_id, _ in self.ideas]
        texts = [" ".join(self.diagram.node(i).text.split()) for i in known]
        hint = suggest(text, known + texts, count=1, cutoff=0.6)
        listed = ", ".join(known[:8]) + (" ..." if len(known) > 8 else "")
        self.problem(
            cell.where,
            f"{excerpt(text)} is not a change idea of {self.diagram.path}{hint}; choose one"
            f" from the drop-down or write its id ({listed or 'it has none with an id'})",
        )
        return ""

    # one row

    def cycle(self, cells: dict[str, _Cell], row: Location, extra_name: str) -> None:
        if not any(self.text(cell) for cell in cells.values()):
            return  # a blank row
        count = len(self.problems)
        change_cell = cells.get("change")
        if change_cell is None or not self.text(change_cell):
            where = change_cell.where if change_cell else row
            self.problem(where, "has no change idea; choose one from the drop-down")
            change = ""
        else:
            change = self.change(change_cell)
        start_cell = cells.get("start")
        start = self.day(start_cell, "Start")
        if (start_cell is not None and start_cell.value in (None, "")) or start_cell is None:
            self.problem(
                start_cell.where if start_cell else row,
                "has no start date (the cycle's first day, as 2026-09-01; a merged cell?"
                " unmerge it and write the date in each row)",
            )
        end = self.day(cells.get("end"), "End")
        due = self.day(cells.get("due"), "Study due")
        if start and end and end < start:
            end_cell = cells["end"]
            self.problem(end_cell.where, f"the cycle ends ({end}) before it starts ({start})")
        if start and due and due < start:
            self.problem(
                cells["due"].where, f"the study is due ({due}) before the cycle starts ({start})"
            )
        act = self.text(cells.get("act")).lower()
        if act and act not in ACTS:
            self.problem(
                cells["act"].where,
                f"Act: {excerpt(act)} is not one of {', '.join(ACTS)}{suggest(act, ACTS)}",
            )
        if len(self.problems) > count:
            return
        reporter = self.text(cells.get("reporter")) or extra_name
        self.reports.append(
            CycleReport(
                change=change,
                start=start,
                location=row,
                end=end,
                act=act,
                reporter=reporter,
                organisation=self.text(cells.get("organisation")),
                at={key: cell.where for key, cell in cells.items()},
                objective=self.text(cells.get("objective")),
                prediction=self.text(cells.get("prediction")),
                plan=self.text(cells.get("plan")),
                owner=self.text(cells.get("owner")),
                due=due,
                do=self.text(cells.get("do")),
                study=self.text(cells.get("study")),
            )
        )

    def point(self, cells: dict[str, _Cell], row: Location, measure: Measure | None) -> None:
        numbers = {
            key: self.number(cells.get(key), heading)
            for key, heading in DATA_COLUMNS
            if key in ("value", "numerator", "denominator")
        }
        note = self.text(cells.get("note"))
        if all(number is None for number in numbers.values()):
            return  # a period not filled in yet (a note alone adds nothing)
        if measure is None:
            cell = cells.get("measure")
            wanted = self.text(cell)
            known = [m.id for m in self.diagram.measures]
            measure = next((m for m in self.diagram.measures if m.id == wanted), None)
            if measure is None:
                self.problem(
                    cell.where if cell else row,
                    f"{excerpt(wanted)} is not a measure of {self.diagram.path}"
                    f"{suggest(wanted, known)}",
                )
                return
        period = self.period(cells.get("period"), measure, row)
        if not period:
            return
        value, numerator, denominator = (
            numbers["value"],
            numbers["numerator"],
            numbers["denominator"],
        )
        if value is not None and (numerator is not None or denominator is not None):
            self.problem(
                cells["value"].where, "give the value or the numerator and denominator, not both"
            )
            return
        if value is None and (numerator is None or denominator is None):
            missing = "denominator" if denominator is None else "numerator"
            self.problem(row, f"has no {missing} (give both, or the value)")
            return
        self.reports.append(
            DataReport(
                measure=measure.id,
                period=period,
                location=row,
                value=value,
                numerator=numerator,
                denominator=denominator,
                note=note,
                reporter=self.text(cells.get("reporter")),
                organisation=self.text(cells.get("organisation")),
                at={"measure": row, **{key: cell.where for key, cell in cells.items()}},
            )
        )

    def period(self, cell: _Cell | None, measure: Measure, row: Location) -> str:
        days = any(len(point.period) == 10 for point in measure.points)
        if cell is None or cell.value in (None, ""):
            self.problem(cell.where if cell else row, "has no period (a month, as 2026-11)")
            return ""
        value = cell.value
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat() if days else value.isoformat()[:7]
        text = str(value).strip()
        month = _MONTH.match(text)
        if month and not days:
            year, number = int(month[1]), int(month[2])
            if 1 <= number <= 12:
                return f"{year}-{number:02d}"
        day = self.day(cell, "Period")
        if not day:
            return ""
        return day if days else day[:7]


# -- headings ---------------------------------------------------------------------------


def _columns(
    headings: Sequence[_Cell],
    allowed: Sequence[tuple[str, str]],
    reading: _Reading,
    what: str,
) -> tuple[dict[str, int], int | None]:
    """Which column holds each key (and a Forms "Name" column), the unknown headings
    reported at once."""
    by_heading = {normal_heading(heading): key for key, heading in allowed}
    aliases = {"start date": "start", "end date": "end", "first day": "start"}
    aliases |= {"last day": "end", "change": "change", "reporter": "reporter"}
    aliases |= {"owner": "owner", "due": "due", "due date": "due", "study due back": "due"}
    found: dict[str, int] = {}
    forms_name = None
    unknown: list[tuple[_Cell, str]] = []
    for index, cell in enumerate(headings):
        written = reading.text(cell)
        heading = normal_heading(written)
        if not heading:
            continue
        key = by_heading.get(heading) or (aliases.get(heading) if heading in aliases else None)
        if key is not None and key in {k for k, _ in allowed}:
            if key in found:
                reading.problem(cell.where, f"a second {excerpt(written)} column; keep one")
            found[key] = index
        elif heading in FORMS_COLUMNS:
            if heading == "name":
                forms_name = index
        else:
            unknown.append((cell, written))
    names = [heading for _, heading in allowed]
    for cell, written in unknown:
        reading.problem(
            cell.where,
            f"{excerpt(written)} is not a heading of {what}{suggest(written, names)};"
            f" the headings are {', '.join(names)}",
        )
    return found, forms_name


# -- the files ----------------------------------------------------------------------------


def read_log(
    path: str | os.PathLike[str], diagram: Diagram, *, dates: str | None = None
) -> list[Report]:
    """The cycles and data periods a log holds (an .xlsx workbook or a .csv file),
    checked against ``diagram``; raises :class:`InvalidDiagram` with every problem."""
    name = os.fspath(path)
    if dates not in (None, "dmy", "mdy"):
        raise InvalidDiagram.at(Location(name), "dates: give dmy or mdy")
    reading = _Reading(diagram, dates)
    if name.lower().endswith((".xlsx", ".xlsm")):
        _workbook(name, reading)
    else:
        _csv(name, reading)
    if reading.problems:
        raise InvalidDiagram(reading.problems)
    return reading.reports


def _workbook(name: str, reading: _Reading) -> None:
    sheets = workbook.sheet_names(name)
    measures = sheet_names_of(reading.diagram)
    pdsa = next((s for s in sheets if s.strip().casefold() == PDSA_SHEET.casefold()), None)
    data_sheets = [s for s in sheets if s in measures]
    if pdsa is None and not data_sheets:
        raise InvalidDiagram.at(
            Location(name),
            f"has no sheet '{PDSA_SHEET}' and no sheet of a measure of"
            f" {reading.diagram.path} ({', '.join(measures) or 'it has none'}); is it the"
            " workbook 'driverdiagram pdsa template' wrote?",
        )
    if pdsa is not None:
        rows = workbook.read_rows(name, pdsa)
        _table(rows, reading, PDSA_COLUMNS, f"the {PDSA_SHEET} sheet", None)
    for sheet in data_sheets:
        rows = workbook.read_rows(name, sheet)
        columns = tuple(item for item in DATA_COLUMNS if item[0] != "measure")
        _table(rows, reading, columns, f"the sheet {sheet}", measures[sheet])


def _table(
    rows: list[list[workbook.Cell]],
    reading: _Reading,
    columns: Sequence[tuple[str, str]],
    what: str,
    measure: Measure | None,
) -> None:
    """The rows of a sheet: the first row with something in it is the headings."""
    cells = [[_Cell(cell.value, cell.location) for cell in row] for row in rows]
    first = next((index for index, row in enumerate(cells) if any(c.value for c in row)), None)
    if first is None:
        return
    found, forms_name = _columns(cells[first], columns, reading, what)
    if not found:
        return
    if len(cells) - first > MOST_ROWS:
        reading.problem(cells[first][0].where, f"has more than {MOST_ROWS} rows")
        return
    for row in cells[first + 1 :]:
        if not row:
            continue
        by_key = _by_key(row, found)
        row_where = row[0].where
        name = (
            reading.text(row[forms_name])
            if forms_name is not None and forms_name < len(row)
            else ""
        )
        if name.casefold() == "anonymous":
            name = ""
        if columns[0][0] == "change":
            reading.cycle(by_key, row_where, name)
        else:
            reading.point(by_key, row_where, measure)


def _by_key(row: list[_Cell], found: dict[str, int]) -> dict[str, _Cell]:
    """Each key's cell in a row (an empty one, at its place, past the row's end)."""
    return {
        key: row[index]
        if index < len(row)
        else _Cell(None, dataclasses.replace(row[0].where, column=index + 1))
        for key, index in found.items()
    }


def _csv(name: str, reading: _Reading) -> None:
    data = read_bytes(name)
    if len(data) > current().file_bytes:
        raise InvalidDiagram.at(Location(name), "is larger than the file-size limit")
    text, _ = decode_csv(data, name)
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    if not first_line.count(delimiter):
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[_Cell]] = []
    line = 1
    try:
        for record in reader:
            rows.append(
                [
                    _Cell(value if value.strip() else None, Location(name, line, column))
                    for column, value in enumerate(record, 1)
                ]
            )
            line = reader.line_num + 1
            if len(rows) > MOST_ROWS + 1:
                raise InvalidDiagram.at(Location(name, line, 1), f"has more than {MOST_ROWS} rows")
    except csv.Error as error:
        raise InvalidDiagram.at(
            Location(name, line, 1), f"cannot be read as CSV ({error})"
        ) from error
    headings = next((row for row in rows if any(c.value for c in row)), [])
    keys = {normal_heading(str(c.value or "")) for c in headings}
    is_data = "period" in keys and "change idea" not in keys
    columns = DATA_COLUMNS if is_data else PDSA_COLUMNS
    what = "a data log" if is_data else "a PDSA log"
    found, forms_name = _columns(headings, columns, reading, what)
    if not found:
        raise InvalidDiagram.at(Location(name, 1, 1), "has no headings row")
    start = rows.index(headings)
    for row in rows[start + 1 :]:
        if not row:
            continue
        by_key = _by_key(row, found)
        row_where = Location(name, row[0].where.line, 0)
        extra = (
            reading.text(row[forms_name])
            if forms_name is not None and forms_name < len(row)
            else ""
        )
        if extra.casefold() == "anonymous":
            extra = ""
        if is_data:
            if "measure" not in found:
                reading.problem(Location(name, 1, 1), "has no Measure column")
                return
            reading.point(by_key, row_where, None)
        else:
            reading.cycle(by_key, row_where, extra)


__all__ = [
    "DASH",
    "DATA_COLUMNS",
    "PDSA_COLUMNS",
    "PDSA_SHEET",
    "choices",
    "read_log",
    "sheet_name",
    "sheet_names_of",
]
