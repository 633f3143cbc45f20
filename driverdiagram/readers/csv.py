"""CSV -> a Draft located in the CSV itself: FreeSPC's layout (what ``export --to
csv`` writes too), or a spreadsheet with one row per change idea.

A location in a CSV file is the line its row starts on (a quoted cell may hold line
breaks) and the number of the cell in that row, the column a spreadsheet shows
(3 is column C). Rows are read one at a time and the box limit stops a reader while
it reads, so time and memory grow with the file, never faster.

FreeSPC's driver diagram tool (github.com/FreeSPC-nhs/driver-diagram-tool) writes
one row per box: ``id, level, parent_id, text, color, auto_size, extra_parents,
box_height, vertical_gap, font_size, font_family, font_bold, title_aim,
title_primary, title_secondary, title_change, palette_json, measures_json`` (older
versions fewer of them). Read here:

- ``id``, ``level`` (aim, primary, secondary, change; tertiary too), ``parent_id``
  and ``text`` make the boxes; ``extra_parents`` (ids split on ``;`` or ``,``, each
  with ``:weak`` for a weak link) link a box under more parents, anywhere in the file.
- ``title_aim`` ... ``title_change`` are the column headings (``labels``), read from
  the first row that has any, as FreeSPC reads them.
- ``measures_json``, ``[{"type": "outcome", "text": "Falls per 1,000 bed days"}]``,
  gives the box a measure for each entry, named by its text. FreeSPC's type
  ``none`` ("no type") is a measure whose type was not chosen: it gets the type a
  measure written without one gets (outcome on the aim, process elsewhere). An
  entry's ``id`` (driverdiagram's export writes a measure's own id there, and
  FreeSPC keeps it) is the measure's id.
- ``color``, ``auto_size``, ``box_height``, ``vertical_gap``, ``font_size``,
  ``font_family``, ``font_bold`` and ``palette_json`` are how FreeSPC draws; a
  drawing here takes its look from its theme, so they are passed over.

driverdiagram's own columns follow FreeSPC's: ``status``, ``strength``, ``notes``
and, on the aim's row, ``title``, ``team``, ``updated``, ``diagram_notes`` and
``labels`` (JSON such as ``{"tertiary": "Enablers"}``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from ..errors import InvalidDiagram, Location, Problem
from ..graph import Draft
from ..limits import current as current_limits
from ..model import DEFAULT_LABELS, Level, Link, Measure, MeasureType, Node, Status, Strength
from ..text import csv_text, excerpt, visible
from .diagram import ID_LETTERS, ID_PATTERN, empty_text, limited, too_many_boxes
from .measures import measure_slug
from .tree import finish, holds, may_hold

#: A row of a CSV file: the line it starts on, and its cells.
Row = tuple[int, list[str]]
#: The cell of the current row under a heading (trimmed, empty when there is none).
Cell = Callable[[str], str]

_STATUSES = [status.value for status in Status]


def parse(text: str, name: str = "<string>") -> Draft:
    """The draft diagram in a CSV text: FreeSPC's layout when the first row names the
    columns id, level, parent_id and text, else a spreadsheet of change ideas."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    # ';' is what Excel writes in many locales; a tab, a sheet saved as .tsv
    delimiter = max((",", ";", "\t"), key=first.count)  # a tie is ','
    return parse_rows(_csv_rows(text, name, delimiter), name)


def parse_rows(rows: Iterator[Row], name: str, sheet: str = "") -> Draft:
    """The draft diagram in rows of cells, as :func:`parse` reads a CSV file's: also a
    sheet of a workbook (``sheet`` its name), each cell's column its number, so that
    a place reads ``coach.xlsx:Ideas!C7``."""
    header_row = next(rows, None)
    if header_row is None:
        raise InvalidDiagram.at(
            Location(name, 1, 1, sheet),
            "the sheet is empty; name the sheet that has the rows (import --sheet NAME)"
            if sheet
            else "the file is empty",
        )
    header = [_heading(cell) for cell in header_row[1]]
    if {"id", "level", "parentid", "text"} <= set(header):
        return _freespc(rows, header, name, sheet)
    return _spreadsheet(rows, header, name, sheet, header_row[0])


def _csv_rows(text: str, name: str, delimiter: str) -> Iterator[Row]:
    """The rows of a CSV text one at a time (a reader keeps only the boxes it makes),
    each with the line it starts on: a quoted cell may hold line breaks."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for row in reader:
            yield line, row
            line = reader.line_num + 1
    except csv.Error as error:
        raise InvalidDiagram.at(Location(name, reader.line_num, 1), f"not CSV: {error}") from error


def _heading(cell: str) -> str:
    """A column heading as it is matched: lower case letters and digits only."""
    return "".join(char for char in cell.lower() if char.isalnum())


def _cells(row: list[str], column: dict[str, int]) -> Cell:
    """The cell of a row under a heading: trimmed, a defusing quote the CSV export
    added taken off, empty when the row is short."""

    def cell(key: str) -> str:
        index = column.get(key)
        return (
            csv_text(row[index].strip()).strip() if index is not None and index < len(row) else ""
        )

    return cell


def _blank(row: list[str]) -> bool:
    return not any(value.strip() for value in row)


# -- a spreadsheet: one row per change idea --------------------------------------------

_SHEET_COLUMNS = (
    ("aim", ("aim", "goal")),
    ("primary", ("primary",)),
    ("secondary", ("secondary",)),
    ("tertiary", ("tertiary",)),
    ("change", ("change", "idea", "intervention")),
    ("status", ("status", "stage")),
)
_SHEET_LEVELS = {
    "primary": Level.PRIMARY,
    "secondary": Level.SECONDARY,
    "tertiary": Level.TERTIARY,
    "change": Level.CHANGE,
}


def _spreadsheet(
    rows: Iterator[Row], header: list[str], name: str, sheet: str = "", first: int = 1
) -> Draft:
    """One row per change idea, columns matched loosely by their headings ("Primary
    driver", "Secondary drivers", "Change idea", "Status", "Aim"). A blank cell means
    "same as above" unless a cell to its left starts something new on that row; the
    same text twice is the same box, so a driver or idea under two parents is shared."""
    column: dict[str, int] = {}
    for index, heading in enumerate(header):
        for key, words in _SHEET_COLUMNS:
            if key not in column and any(word in heading for word in words):
                column[key] = index
                break
    if "primary" not in column or "change" not in column:
        raise InvalidDiagram.at(
            Location(name, first, 1, sheet),
            "not a driver diagram spreadsheet: the first row needs headings such as"
            " 'Primary driver', 'Secondary driver' (optional) and 'Change idea', or the"
            " columns id,level,parent_id,text of a FreeSPC export",
        )
    table = _Sheet(name, column, sheet)
    for number, row in rows:
        if not _blank(row):
            table.row(number, _cells(row, column))
    return table.draft()


class _Sheet:
    """The boxes and links of a spreadsheet, read one row at a time."""

    def __init__(self, name: str, column: dict[str, int], sheet: str = "") -> None:
        self.name = name
        self.column = column
        self.sheet = sheet
        self.levels = [key for key in _SHEET_LEVELS if key in column]
        self.problems: list[Problem] = []
        self.boxes: dict[tuple[Level, str], Node] = {}
        self.links: list[Link] = []
        self.seen_links: set[tuple[str, str]] = set()
        self.linked: set[str] = set()  # boxes that have their first link
        self.aim: Node | None = None
        self.aim_words = ""  # its text, spaces as one
        self.above: dict[str, str] = {}
        self.most = current_limits().boxes - 1  # the aim is a box too
        self.longest = current_limits().text

    def at(self, number: int, key: str) -> Location:
        return Location(self.name, number, self.column[key] + 1, self.sheet)

    def row(self, number: int, cell: Cell) -> None:
        written_aim = cell("aim")
        if written_aim and self.aim is None:
            where = self.at(number, "aim")
            self.aim = Node("aim", Level.AIM, limited(written_aim, where, self.problems), where)
            self.aim_words = " ".join(written_aim.split())
        elif (
            written_aim
            and written_aim != self.aim_words
            and (" ".join(written_aim.split()) != self.aim_words)
        ):
            self.problems.append(
                Problem(
                    self.at(number, "aim"),
                    "a second aim; a driver diagram has one aim (leave this cell blank, or"
                    " put this aim's rows in a file of its own)",
                )
            )
            return
        chain: list[tuple[str, str]] = []
        fresh = False
        for key in self.levels:
            value = cell(key)
            if value:
                fresh = True
            elif not fresh and key != "change":
                value = self.above.get(key, "")
            if value:
                chain.append((key, value))
        written = dict(chain)
        self.above = {key: written.get(key, "") for key in self.levels}
        if not chain or chain[-1][0] != "change":
            self.problems.append(
                Problem(
                    self.at(number, "change"),
                    "this row has no change idea; write one, or delete the row",
                )
            )
            return
        if chain[0][0] != "primary":
            self.problems.append(
                Problem(
                    self.at(number, "primary"),
                    "this row has no primary driver (and none above it)",
                )
            )
            return
        status = self.status(number, cell)
        parent_id = "aim"
        for key, value in chain:
            node = self.box(_SHEET_LEVELS[key], value, number, key, status)
            self.link(parent_id, node, number, key)
            parent_id = node.id

    def status(self, number: int, cell: Cell) -> Status | None:
        """The row's status, if it has a known one."""
        written = cell("status")
        if not written:
            return None
        if written.lower() not in _STATUSES:
            self.problems.append(Problem(self.at(number, "status"), _unknown_status(written)))
            return None
        return Status(written.lower())

    def box(self, level: Level, text: str, number: int, key: str, status: Status | None) -> Node:
        """The box with this text at this level: made on its first row."""
        words = (level, " ".join(text.split()).casefold())
        found = self.boxes.get(words)
        if found is None:
            where = self.at(number, key)
            if len(self.boxes) >= self.most:
                raise InvalidDiagram([*self.problems, too_many_boxes(where, self.most + 1)])
            if len(text) > self.longest:
                text = limited(text, where, self.problems)
            found = Node(
                f"_{len(self.boxes) + 1}",
                level,
                text,
                where,
                status=Status.IDEA if level == Level.CHANGE else None,
                generated_id=True,
            )
        if status is not None and level == Level.CHANGE:
            found = Node(
                found.id, level, found.text, found.location, status=status, generated_id=True
            )
        self.boxes[words] = found
        return found

    def link(self, parent_id: str, node: Node, number: int, key: str) -> None:
        if (parent_id, node.id) in self.seen_links:
            return
        self.seen_links.add((parent_id, node.id))
        # a box is written where its first link is; another is a ref, at the cell on
        # its own row that names the box again
        first = node.id not in self.linked
        self.linked.add(node.id)
        where = node.location if first else self.at(number, key)
        self.links.append(Link(parent_id, node.id, where, ref=not first))

    def draft(self) -> Draft:
        if self.aim is None:
            self.problems.append(
                Problem(
                    Location(self.name, 1, 1, self.sheet),
                    "no aim: add an 'Aim' column with the aim in its first row",
                )
            )
        draft = Draft(self.name, problems=self.problems)
        if self.aim is not None:
            draft.nodes = [self.aim, *self.boxes.values()]
            draft.links = self.links
            finish(draft, self.aim.location)
        return draft


# -- FreeSPC's layout: one row per box ----------------------------------------------------

_CSV_LEVEL = {
    "aim": Level.AIM,
    "primary": Level.PRIMARY,
    "secondary": Level.SECONDARY,
    "tertiary": Level.TERTIARY,
    "change": Level.CHANGE,
    "changes": Level.CHANGE,
    "change idea": Level.CHANGE,
}
#: FreeSPC's column headings -> the labels they hold.
_TITLES = {
    "titleaim": "aim",
    "titleprimary": "primary",
    "titlesecondary": "secondary",
    "titlechange": "changes",
}
#: FreeSPC's measure types: "none" is a measure whose type was not chosen.
_MEASURE_TYPES = ("outcome", "process", "balancing", "none")
_MEASURES_EXAMPLE = '[{"type": "process", "text": "Patients assessed on admission"}]'


def _freespc(rows: Iterator[Row], header: list[str], name: str, sheet: str = "") -> Draft:
    """FreeSPC's layout (see the module's docstring). A box's parent is in an earlier
    row; its extra parents may be anywhere."""
    column = {key: index for index, key in reversed(list(enumerate(header)))}
    freespc = _FreeSpc(name, column, sheet)
    for number, row in rows:
        if not _blank(row):
            freespc.row(number, _cells(row, column))
    return freespc.draft()


class _FreeSpc:
    """The boxes, links and measures of a FreeSPC file, read one row at a time."""

    def __init__(self, name: str, column: dict[str, int], sheet: str = "") -> None:
        self.name = name
        self.column = column
        self.sheet = sheet
        self.problems: list[Problem] = []
        self.nodes: dict[str, Node] = {}
        self.rows: dict[str, int] = {}  # id -> its row
        self.homes: list[tuple[str, str, str, int]] = []  # (parent, child, strength, row)
        self.extras: list[tuple[str, str, str, int]] = []
        self.position: dict[str, str] = {}  # id -> the id the loader would make up
        self.counts: dict[tuple[str, Level], int] = {}
        self.measures: list[Measure] = []
        self.labels: dict[str, str] = {}
        self.titles_read = False
        self.meta: dict[str, str] = {}
        self.updated_at: Location | None = None
        self.first_row = 0
        self.most = current_limits().boxes
        #: the ids of rows that could not be made into boxes (their problem is
        #: reported): rows under them and links to them are passed over
        self.broken: set[str] = set()

    def at(self, number: int, key: str) -> Location:
        """The cell under a heading on a row (the row's first cell when there is none)."""
        return Location(self.name, number, self.column.get(key, 0) + 1, self.sheet)

    def problem(self, number: int, key: str, message: str) -> None:
        self.problems.append(Problem(self.at(number, key), message))

    def text(self, number: int, key: str, cell: Cell) -> str:
        """A cell's text, within the text limit."""
        return limited(cell(key), self.at(number, key), self.problems)

    def row(self, number: int, cell: Cell) -> None:
        self.first_row = self.first_row or number
        self.titles(number, cell)
        node_id = cell("id")
        if not node_id:
            self.problem(number, "id", "this row has no id")
            return
        if node_id in self.nodes:
            self.problem(
                number, "id", f"row {self.rows[node_id]} has the id {excerpt(node_id)} too"
            )
            return
        level = self.place(number, cell, node_id)
        if level is None:
            self.broken.add(node_id)
            return
        if len(self.nodes) >= self.most:
            raise InvalidDiagram(
                [
                    *self.problems,
                    too_many_boxes(Location(self.name, number, 1, self.sheet), self.most),
                ]
            )
        # a problem in one of the row's other cells is reported, and the box made, so
        # the rows under it are read as usual
        status = cell("status").lower()
        if level == Level.CHANGE and status not in ("", *_STATUSES):
            self.problem(number, "status", _unknown_status(cell("status")))
            status = ""
        if level != Level.CHANGE and status:
            self.problem(
                number,
                "status",
                f"only a change idea has a status, not {_article(level.noun)};"
                " leave this cell empty",
            )
        text = self.text(number, "text", cell)
        if not text:
            self.problem(number, "text", empty_text(level))
        if level == Level.AIM:
            self.aim_row(number, cell)
        else:
            self.homes.append((cell("parentid"), node_id, cell("strength") or "strong", number))
        for extra in filter(
            None, (part.strip() for part in re.split("[;,]", cell("extraparents")))
        ):
            other, _, strength = extra.partition(":")
            self.extras.append((other.strip(), node_id, strength.strip() or "strong", number))
        self.rows[node_id] = number
        expected = self.position[node_id]
        made_up = node_id in (expected, "_" + expected) or not ID_PATTERN.match(node_id)
        self.nodes[node_id] = Node(
            node_id,
            level,
            text,
            self.at(number, "id"),
            notes=self.text(number, "notes", cell),
            status=Status(status or "idea") if level == Level.CHANGE else None,
            generated_id=made_up,
        )
        self.measures.extend(self.measures_of(number, cell("measuresjson"), node_id, level))

    def place(self, number: int, cell: Cell, node_id: str) -> Level | None:
        """The row's level, its parent checked (and the id the loader would make up
        for the box noted); None after a problem."""
        level = _CSV_LEVEL.get(cell("level").lower())
        parent = cell("parentid")
        if level is None:
            self.problem(
                number,
                "level",
                f"unknown level {excerpt(cell('level'))}; use aim, primary, secondary,"
                " tertiary or change",
            )
            return None
        if level == Level.AIM:
            if any(node.level == Level.AIM for node in self.nodes.values()):
                self.problem(
                    number,
                    "level",
                    "a second aim; a driver diagram has one aim (put this aim's rows in a"
                    " file of its own)",
                )
                return None
            self.position[node_id] = "aim"
            return level
        if parent in self.broken:
            return None  # the parent's problem is reported
        if parent not in self.nodes:
            self.problem(
                number, "parentid", f"parent {excerpt(parent)} is not a box in an earlier row"
            )
            return None
        upper = self.nodes[parent].level
        if not may_hold(upper, level):
            self.problem(
                number,
                "level",
                f"a {level.noun} cannot be under {upper.noun} {excerpt(parent)}; {holds(upper)}",
            )
            return None
        self.counts[parent, level] = self.counts.get((parent, level), 0) + 1
        base = self.position[parent]
        made = f"{ID_LETTERS[level]}{self.counts[parent, level]}"
        self.position[node_id] = f"{base}.{made}" if base != "aim" else made
        return level

    def aim_row(self, number: int, cell: Cell) -> None:
        """What the aim's row holds for the whole diagram (driverdiagram's columns)."""
        for key in ("title", "team", "updated", "diagramnotes"):
            self.meta[key] = self.text(number, key, cell)
        if self.meta["updated"]:
            self.updated_at = self.at(number, "updated")
        self.labels.update(self.labels_cell(number, cell("labels")))

    def titles(self, number: int, cell: Cell) -> None:
        """FreeSPC's column headings, from the first row that has any (as FreeSPC reads
        them; every row repeats them)."""
        if self.titles_read or not any(cell(key) for key in _TITLES):
            return
        self.titles_read = True
        for key, label in _TITLES.items():
            if cell(key):
                self.labels.setdefault(label, self.text(number, key, cell))

    def labels_cell(self, number: int, text: str) -> dict[str, str]:
        """driverdiagram's ``labels`` cell: JSON like {"changes": "Ideas"}."""
        if not text:
            return {}
        try:
            labels = json.loads(text)
        except (ValueError, RecursionError):
            labels = None
        if not isinstance(labels, dict) or not all(
            key in DEFAULT_LABELS and isinstance(heading, str) and heading.strip()
            for key, heading in labels.items()
        ):
            self.problem(
                number,
                "labels",
                '\'labels\' should be JSON like {"changes": "Ideas"}, naming columns'
                f" among {', '.join(DEFAULT_LABELS)}",
            )
            return {}
        where = self.at(number, "labels")
        return {
            key: limited(heading.strip(), where, self.problems) for key, heading in labels.items()
        }

    def measures_of(self, number: int, text: str, box: str, level: Level) -> list[Measure]:
        """The measures in a ``measures_json`` cell, each named by its ``text``."""
        if not text:
            return []
        try:
            entries: Any = json.loads(text)
        except (ValueError, RecursionError):
            entries = None
        where = self.at(number, "measuresjson")
        if not isinstance(entries, list):
            self.problem(
                number,
                "measuresjson",
                f"'measures_json' should be a JSON list such as {_MEASURES_EXAMPLE}",
            )
            return []
        found = []
        for index, entry in enumerate(entries, start=1):
            name = entry.get("text") if isinstance(entry, dict) else None
            if not isinstance(name, str) or not name.strip():
                self.problem(
                    number,
                    "measuresjson",
                    f"measure {index} in 'measures_json' has no text; each is written like"
                    f" {_MEASURES_EXAMPLE[1:-1]}",
                )
                continue
            kind = entry.get("type") or "none"
            kind = kind.strip().lower() if isinstance(kind, str) else kind
            if kind not in _MEASURE_TYPES:
                self.problem(
                    number,
                    "measuresjson",
                    f"measure {index} in 'measures_json' has the type {excerpt(str(kind))};"
                    " use outcome, process, balancing or none",
                )
                continue
            if kind == "none":
                kind = "outcome" if level == Level.AIM else "process"
            given = entry.get("id")  # driverdiagram's export keeps a measure's own id
            if given is not None and not (isinstance(given, str) and ID_PATTERN.match(given)):
                self.problem(
                    number,
                    "measuresjson",
                    f"measure {index} in 'measures_json' has the id"
                    f" {excerpt(str(given))}, which is not an id: use letters, digits, '-'"
                    " and '_', starting with a letter",
                )
                continue
            name = visible(limited(name.strip(), where, self.problems))
            found.append(
                Measure(
                    id=given or measure_slug(name),
                    name=name,
                    node=box,
                    location=where,
                    type=MeasureType(kind),
                    generated_id=not given,
                )
            )
        return found

    def links(self) -> list[Link]:
        links: list[Link] = []
        seen: set[tuple[str, str]] = set()
        for extra, (parent, child, strength, number) in [
            *((False, home) for home in self.homes),
            *((True, extra) for extra in self.extras),
        ]:
            key = "extraparents" if extra else "parentid"
            if parent in self.broken:
                continue  # the parent's problem is reported
            if parent not in self.nodes:
                self.problem(number, key, f"{excerpt(parent)} is not the id of a box")
                continue
            if strength not in ("strong", "weak"):
                self.problem(
                    number,
                    "extraparents" if extra else "strength",
                    f"unknown strength {excerpt(strength)}; use strong or weak",
                )
                continue
            upper, lower = self.nodes[parent].level, self.nodes[child].level
            if extra and not may_hold(upper, lower):
                self.problem(
                    number,
                    key,
                    f"a {lower.noun} cannot be under {upper.noun} {excerpt(parent)};"
                    f" {holds(upper)}",
                )
                continue
            if (parent, child) in seen:
                self.problem(
                    number,
                    key,
                    f"{excerpt(parent)} is this box's parent already; remove it from extra_parents",
                )
                continue
            seen.add((parent, child))
            # a box is where its row is; an extra parent's link where extra_parents is
            where = self.at(number, key) if extra else self.nodes[child].location
            links.append(Link(parent, child, where, Strength(strength), ref=extra))
        return links

    def given(self, node: Node) -> Node:
        """A primary driver whose id is the one the loader makes up for its place (p2)
        was given that id if the ids made up under it start with '_p2.': the loader
        makes the place of a box given that id '_p2' (and an id with a '.' is never
        given, so only a primary's made-up id can be one)."""
        if node.level != Level.PRIMARY or not node.generated_id or not ID_PATTERN.match(node.id):
            return node
        if not any(other.startswith(f"_{node.id}.") for other in self.nodes):
            return node
        return replace(node, generated_id=False)

    def draft(self) -> Draft:
        nodes = [self.given(node) for node in self.nodes.values()]
        links = self.links()
        if not self.first_row:
            self.problems.append(
                Problem(
                    Location(self.name, 1, 1, self.sheet), "there are no rows; add the aim's row"
                )
            )
        elif not nodes or nodes[0].level != Level.AIM:
            where = (
                nodes[0].location if nodes else Location(self.name, self.first_row, 1, self.sheet)
            )
            self.problems.append(Problem(where, "the first row must be the aim"))
        draft = Draft(
            self.name,
            nodes=nodes,
            links=links,
            problems=self.problems,
            measures=self.measures,
            title=self.meta.get("title", ""),
            team=self.meta.get("team", ""),
            updated=self.meta.get("updated", ""),
            notes=self.meta.get("diagramnotes", ""),
            updated_location=self.updated_at,
        )
        draft.labels.update(self.labels)
        finish(draft, nodes[0].location if nodes else Location(self.name, 1, 1, self.sheet))
        return draft


def _unknown_status(written: str) -> str:
    return f"unknown status {excerpt(written)}; use idea, testing, adopted or abandoned"


def _article(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun
