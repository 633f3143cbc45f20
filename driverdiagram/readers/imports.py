"""Other formats -> Diagram: the JSON and CSV that ``export`` writes, FreeSPC's CSV,
a spreadsheet with one row per change idea, and indented outlines.

An import is written out as YAML and read back through the loader, so an
imported diagram is checked exactly like one written by hand; a problem the
loader finds is put back where it came from in the file imported. Each reader
takes time and memory in proportion to its input, stops at the box limit while
it reads, and reports every problem it can find at a line and column (for JSON,
with the path of the value, such as ``nodes[3].level``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from ..errors import DiagramError, InvalidDiagram, Location, Problem
from ..exports.json import JSON_FORMAT
from ..limits import current as current_limits
from ..model import (
    CHILD_KEYS,
    DEFAULT_LABELS,
    LEVEL_BY_KEY,
    Act,
    Cycle,
    Diagram,
    Direction,
    Level,
    Link,
    Measure,
    MeasureType,
    Node,
    Point,
    Rules,
    Status,
    Strength,
)
from ..text import csv_text, excerpt, suggest
from .diagram import ID_PATTERN


def _checked(
    diagram: Diagram,
    name: str,
    top: Callable[[str], Location],
    place: Callable[[list[Location]], list[tuple[Location, str]]] | None = None,
) -> Diagram:
    """``diagram`` written as YAML and read back through the loader, which checks it as
    it checks a file written by hand. A problem it finds is moved from the YAML (which
    the user never saw) to where its box, measure, cycle or link is in the file
    imported; ``top`` gives the place of a top-level value (``title``, ``labels``...),
    ``place`` turns stand-in locations into real ones with a prefix for the message."""
    from .. import loads
    from ..exports.yaml import origins, to_yaml

    text = to_yaml(diagram)
    try:
        return loads(text, name)
    except DiagramError as error:
        origin = origins(diagram, text)
        wheres = [origin(problem.line) if problem.line else "" for problem in error.problems]
        locations = [where if isinstance(where, Location) else top(where) for where in wheres]
        placed = place(locations) if place else [(location, "") for location in locations]
        problems = [
            Problem(location, prefix + problem.message, problem.severity, problem.code)
            for (location, prefix), problem in zip(placed, error.problems, strict=True)
        ]
        raise InvalidDiagram(_in_order(problems)) from error


def _in_order(problems: Iterable[Problem]) -> list[Problem]:
    """Problems by place in the file, each once."""
    unique = dict.fromkeys(problems)
    return sorted(unique, key=lambda problem: (problem.line, problem.column))


def _too_many_boxes(location: Location, most: int) -> Problem:
    return Problem(
        location,
        f"the diagram has more than {most:,} boxes, more than Graphviz can draw in"
        " reasonable time; split it into one diagram per primary driver (or, for a"
        " generated file, raise the limit with --max-boxes)",
    )


def _may_hold(parent: Level, child: Level) -> bool:
    """Whether a box of level ``parent`` may have a ``child`` box under it."""
    return child.key in CHILD_KEYS[parent]


def _holds(parent: Level) -> str:
    """What a box of this level may hold, in words: 'a primary driver holds secondary
    drivers and change ideas'."""
    nouns = [LEVEL_BY_KEY[key].noun + "s" for key in CHILD_KEYS[parent]]
    article = "an" if parent.noun[0] in "aeiou" else "a"
    return f"{article} {parent.noun} holds {' and '.join(nouns) if nouns else 'nothing'}"


# -- JSON ---------------------------------------------------------------------------

#: A place in a JSON document: the keys and indices from the top, ("nodes", 3, "level").
JsonPath = tuple[str | int, ...]


def from_json(text: str, name: str = "<string>") -> Diagram:
    """A diagram from ``driverdiagram export --to json`` output."""
    data = _json_data(text, name)
    reader = _JsonReader(text, name)
    diagram = reader.diagram(data)
    return _checked(diagram, name, reader.top, reader.place)


def _json_data(text: str, name: str) -> Any:
    """The parsed JSON, or a located error: bad syntax, nesting too deep for the parser,
    a number too long to read."""
    try:
        # long integers become floats (inf when too large), checked as numbers later,
        # instead of the ValueError Python raises past 4,300 digits
        return json.loads(
            text, parse_int=lambda digits: int(digits) if len(digits) < 20 else float(digits)
        )
    except json.JSONDecodeError as error:
        raise InvalidDiagram.at(
            Location(name, error.lineno, error.colno), f"not JSON: {error.msg}"
        ) from error
    except RecursionError as error:
        offset = _too_deep(text, current_limits().depth)
        line, column = _line_column(text, [offset])[0]
        raise InvalidDiagram.at(
            Location(name, line, column),
            f"lists and objects are nested more than {current_limits().depth} deep here;"
            " a driverdiagram export nests at most 5 (this is not an export)",
        ) from error


def _too_deep(text: str, most: int) -> int:
    """Where the nesting of lists and objects first goes deeper than ``most``."""
    depth = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > most:
                return match.start()
        elif token in "]}":
            depth -= 1
    return 0


def _line_column(text: str, offsets: list[int]) -> list[tuple[int, int]]:
    """1-based (line, column) of each offset into ``text``."""
    breaks = [match.start() for match in re.finditer("\n", text)]
    found = []
    for offset in offsets:
        line = bisect.bisect_left(breaks, offset)
        start = breaks[line - 1] + 1 if line else 0
        found.append((line + 1, offset - start + 1))
    return found


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


def _json_offsets(text: str, wanted: set[JsonPath]) -> dict[JsonPath, int]:
    """Where each wanted value starts in ``text`` (valid JSON), in one pass that stops
    when all are found: a stack of the objects and lists around the current token,
    each with its current key or index."""
    found: dict[JsonPath, int] = {}
    stack: list[list[Any]] = []  # [is an object, key or index, a key comes next]
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first in "]}":
            stack.pop()
            continue
        if first == ",":
            frame = stack[-1]
            if frame[0]:
                frame[2] = True
            else:
                frame[1] += 1
            continue
        if first == ":":
            stack[-1][2] = False
            continue
        if stack and stack[-1][0] and stack[-1][2]:
            stack[-1][1] = json.loads(token) if "\\" in token else token[1:-1]
            continue
        path = tuple(frame[1] for frame in stack)
        if path in wanted and path not in found:
            found[path] = match.start()
            if len(found) == len(wanted):
                break
        if first == "{":
            stack.append([True, None, True])
        elif first == "[":
            stack.append([False, 0, False])
    return found


def _found_part(path: JsonPath, offsets: dict[JsonPath, int]) -> JsonPath:
    """The longest start of ``path`` that is in the text (a missing key is reported
    at the object that should have it)."""
    for end in range(len(path), 0, -1):
        if path[:end] in offsets:
            return path[:end]
    return ()


def _json_path(path: JsonPath) -> str:
    """("nodes", 3, "level") -> 'nodes[3].level'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _kind(value: Any) -> str:
    """What a JSON value is, for a message (never the value itself, which may be huge)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if math.isnan(value):
            return "NaN (not a number)"
        return f"the number {value!r}" if math.isfinite(value) else "a number too large to hold"
    if isinstance(value, str):
        return f"the text {excerpt(value)}"
    return "a list" if isinstance(value, list) else "an object"


_SURROGATE = re.compile("[\ud800-\udfff]")


class _JsonReader:
    """Reads the parsed JSON of an export into a :class:`Diagram`, checking the shape of
    every value it uses. Boxes, links, measures and cycles get stand-in locations
    (line 0, column n: the n-th path asked for); :meth:`place` finds them in the text,
    in one pass, only when there is a problem to show."""

    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.paths: list[JsonPath] = []
        self.problems: list[tuple[JsonPath, str]] = []

    # -- places and problems --------------------------------------------------------

    def at(self, path: JsonPath) -> Location:
        """A stand-in location for the value at ``path``."""
        self.paths.append(path)
        return Location(self.name, 0, len(self.paths))

    def problem(self, path: JsonPath, message: str) -> None:
        self.problems.append((path, message))

    def top(self, key: str) -> Location:
        return self.at((key,) if key else ())

    def place(self, locations: list[Location]) -> list[tuple[Location, str]]:
        """Real locations for stand-ins (and for anything else, itself), each with the
        JSON path of its value to start the message with."""
        paths = [
            self.paths[location.column - 1] if self._stand_in(location) else None
            for location in locations
        ]
        return self._resolve(paths, locations)

    def _stand_in(self, location: Location) -> bool:
        return location.path == self.name and location.line == 0 and location.column > 0

    def _resolve(
        self, paths: list[JsonPath | None], fallback: list[Location]
    ) -> list[tuple[Location, str]]:
        wanted = {path[:end] for path in paths if path is not None for end in range(len(path) + 1)}
        offsets = _json_offsets(self.text, wanted)
        starts = [
            0 if path is None else offsets.get(_found_part(path, offsets), 0) for path in paths
        ]
        placed: list[tuple[Location, str]] = []
        for path, other, (line, column) in zip(
            paths, fallback, _line_column(self.text, starts), strict=True
        ):
            if path is None:
                placed.append((other, ""))
            else:
                prefix = f"{_json_path(path)}: " if path else ""
                placed.append((Location(self.name, line, column), prefix))
        return placed

    def fail(self) -> InvalidDiagram:
        """Every problem found, each at its place in the text."""
        placed = self._resolve(
            [path for path, _ in self.problems], [Location(self.name)] * len(self.problems)
        )
        problems = [
            Problem(location, prefix + message)
            for (location, prefix), (_, message) in zip(placed, self.problems, strict=True)
        ]
        return InvalidDiagram(_in_order(problems))

    # -- values ---------------------------------------------------------------------

    def text_at(self, value: Any, path: JsonPath) -> str:
        """A text value (null is empty); anything else is a problem."""
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(path, f"should be text (a JSON string), not {_kind(value)}")
            return ""
        if _SURROGATE.search(value):
            self.problem(path, "holds half of a surrogate pair (a broken \\u escape)")
            return ""
        return value

    def choice(
        self, value: Any, path: JsonPath, allowed: list[str], default: str | None
    ) -> str | None:
        """One of ``allowed`` (null is ``default``), else a problem and None."""
        if value is None and default is not None:
            return default
        if isinstance(value, str) and value in allowed:
            return value
        self.problem(path, f"should be one of {', '.join(allowed)}, not {_kind(value)}")
        return None

    def number(self, value: Any, path: JsonPath) -> float | None:
        """A finite number, or null."""
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.problem(path, f"should be a number, not {_kind(value)}")
            return None
        return float(value)

    def baseline(self, value: Any, path: JsonPath) -> int | None:
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value != int(value)
            or not 2 <= value <= 999_999_999
        ):
            self.problem(
                path,
                "should be a number of points, 2 or more (the first points that fix the"
                f" median), not {_kind(value)}",
            )
            return None
        return int(value)

    def date(self, value: Any, path: JsonPath, needed: bool) -> dt.date | None:
        if value is None and not needed:
            return None
        try:
            if isinstance(value, str) and len(value) == 10:
                return dt.date.fromisoformat(value)
        except ValueError:
            pass
        self.problem(path, f'should be a date such as "2026-09-14", not {_kind(value)}')
        return None

    def items(self, value: Any, path: JsonPath) -> list[Any]:
        """The items of a list value (null is an empty list)."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, f"should be a list, not {_kind(value)}")
            return []
        return value

    def object_at(self, value: Any, path: JsonPath) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.problem(path, f"should be an object, not {_kind(value)}")
        return None

    def flag(self, value: Any, path: JsonPath) -> bool:
        if value is None or isinstance(value, bool):
            return bool(value)
        self.problem(path, f"should be true or false, not {_kind(value)}")
        return False

    # -- the export -----------------------------------------------------------------

    def diagram(self, data: Any) -> Diagram:
        """The diagram the data describes; raises with every problem found."""
        if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
            raise InvalidDiagram.at(
                Location(self.name, 1, 1),
                f'not a driverdiagram JSON export (no "format": "{JSON_FORMAT}")',
            )
        if data.get("version", 1) != 1:
            self.problem(
                ("version",), f"this driverdiagram reads version 1, not {_kind(data['version'])}"
            )
        nodes = self.nodes(data.get("nodes"))
        known = {node.id: node for node in nodes}
        links = self.links(data.get("links"), known)
        measures = self.measures(data.get("measures"), known)
        cycles = self.cycles(data.get("cycles"), known)
        labels = self.labels(data.get("labels"))
        texts = {
            key: self.text_at(data.get(key), (key,))
            for key in ("title", "team", "updated", "notes")
        }
        if self.problems:
            raise self.fail()
        return Diagram(
            nodes=tuple(nodes),
            links=tuple(links),
            path=self.name,
            title=texts["title"],
            team=texts["team"],
            updated=texts["updated"],
            notes=texts["notes"],
            labels=tuple((key, labels.get(key, DEFAULT_LABELS[key])) for key in DEFAULT_LABELS),
            measures=tuple(measures),
            cycles=tuple(cycles),
        )

    def labels(self, value: Any) -> dict[str, str]:
        if value is None:
            return {}
        labels = self.object_at(value, ("labels",))
        found: dict[str, str] = {}
        for key, text in (labels or {}).items():
            if key not in DEFAULT_LABELS:
                hint = (
                    suggest(key, list(DEFAULT_LABELS))
                    or f"; the columns are {', '.join(DEFAULT_LABELS)}"
                )
                self.problem(("labels", key), f"unknown column {excerpt(key)}{hint}")
                continue
            found[key] = self.text_at(text, ("labels", key))
        return found

    def nodes(self, value: Any) -> list[Node]:
        items = self.items(value, ("nodes",))
        most = current_limits().boxes
        if len(items) > most:
            self.problem(("nodes", most), _too_many_boxes(Location(self.name), most).message)
            raise self.fail()
        nodes: list[Node] = []
        seen: dict[str, int] = {}
        statuses = [status.value for status in Status]
        for index, item in enumerate(items):
            path: JsonPath = ("nodes", index)
            entry = self.object_at(item, path)
            if entry is None:
                continue
            key = self.choice(entry.get("level"), (*path, "level"), list(LEVEL_BY_KEY), None)
            level = LEVEL_BY_KEY.get(key or "")
            status = None
            if level == Level.CHANGE:
                status = self.choice(entry.get("status"), (*path, "status"), statuses, "idea")
            generated = self.flag(entry.get("generated_id"), (*path, "generated_id"))
            node_id = self.identifier(entry.get("id"), (*path, "id"), generated, seen)
            text = self.text_at(entry.get("text"), (*path, "text"))
            notes = self.text_at(entry.get("notes"), (*path, "notes"))
            if node_id is None or level is None or (level == Level.CHANGE and status is None):
                continue  # a box with bad text is still made, so links to it are not reported
            if not node_id:
                node_id, generated = f"_{index}", True
            seen[node_id] = index
            nodes.append(
                Node(
                    id=node_id,
                    level=level,
                    text=text,
                    location=self.at(path),
                    notes=notes,
                    status=Status(status) if status else None,
                    generated_id=generated,
                )
            )
        aims = [index for index, node in enumerate(nodes) if node.level == Level.AIM]
        if aims != [0] and not self.problems:
            self.problem(("nodes",), "the first node must be the aim, and the only one")
        return nodes

    def identifier(
        self, value: Any, path: JsonPath, generated: bool, seen: dict[str, int]
    ) -> str | None:
        """A box's id: empty for one to make up, None after a problem."""
        if value is None or value == "":
            return ""
        if not isinstance(value, str):
            self.problem(path, f"should be an id (a JSON string), not {_kind(value)}")
            return None
        if not generated and not ID_PATTERN.match(value):
            self.problem(
                path,
                f"{excerpt(value)} is not an id: use letters, digits, '-' and '_',"
                ' starting with a letter (or set "generated_id": true)',
            )
            return None
        if value in seen:
            self.problem(path, f"nodes[{seen[value]}] has the id {excerpt(value)} too")
            return None
        return value

    def links(self, value: Any, known: dict[str, Node]) -> list[Link]:
        """The links, each box's first link that is not a ``ref`` being where it is
        written (or its first link, when all are marked ``ref``)."""
        found: list[tuple[str, str, Strength, bool, JsonPath]] = []
        seen: set[tuple[str, str]] = set()
        mentioned: set[str | None] = set()  # children of links with a problem of their own
        for index, item in enumerate(self.items(value, ("links",))):
            path: JsonPath = ("links", index)
            entry = self.object_at(item, path)
            if entry is None:
                continue
            ends = [self.end(entry.get(end), (*path, end), known) for end in ("parent", "child")]
            mentioned.add(ends[1])
            strength = self.choice(
                entry.get("strength"), (*path, "strength"), ["strong", "weak"], "strong"
            )
            ref = self.flag(entry.get("ref"), (*path, "ref"))
            parent, child = ends
            if parent is None or child is None or strength is None:
                continue
            upper, lower = known[parent], known[child]
            if not _may_hold(upper.level, lower.level):
                self.problem(
                    path,
                    f"{upper.level.noun} {excerpt(parent)} cannot have {lower.level.noun}"
                    f" {excerpt(child)} under it; {_holds(upper.level)}",
                )
                continue
            if (parent, child) in seen:
                self.problem(
                    path, f"the link from {excerpt(parent)} to {excerpt(child)} is written twice"
                )
                continue
            seen.add((parent, child))
            found.append((parent, child, Strength(strength), ref, path))
        homes: dict[str, int] = {}
        for number, (_, child, _, ref, _) in enumerate(found):
            if not ref and child not in homes:
                homes[child] = number
        for number, (_, child, _, _, _) in enumerate(found):
            homes.setdefault(child, number)
        links = [
            Link(
                parent,
                child,
                known[child].location if homes[child] == number else self.at(path),
                strength,
                ref=homes[child] != number,
            )
            for number, (parent, child, strength, _, path) in enumerate(found)
        ]
        for node in known.values():
            if node.level != Level.AIM and node.id not in homes and node.id not in mentioned:
                self.problem(
                    self.paths[node.location.column - 1],
                    f"no link leads to {node.level.noun} {excerpt(node.id)}; add one from"
                    ' the box it belongs under to "links"',
                )
        return links

    def end(self, value: Any, path: JsonPath, known: dict[str, Node]) -> str | None:
        """The id at one end of a link, if it is a node's."""
        if isinstance(value, str) and value in known:
            return value
        if isinstance(value, str):
            # did-you-mean costs a comparison with every id: for the first few only
            hint = suggest(value, list(known)) if len(self.problems) < 10 else ""
            self.problem(path, f"{excerpt(value)} is not the id of a node{hint}")
        else:
            self.problem(path, f"should be the id of a node (a string), not {_kind(value)}")
        return None

    def measures(self, value: Any, known: dict[str, Node]) -> list[Measure]:
        found = []
        types = [kind.value for kind in MeasureType]
        for index, item in enumerate(self.items(value, ("measures",))):
            path: JsonPath = ("measures", index)
            entry = self.object_at(item, path)
            if entry is None:
                continue
            box = self.end(entry.get("box"), (*path, "box"), known)
            measure_id = self.text_at(entry.get("id"), (*path, "id"))
            name = self.text_at(entry.get("name"), (*path, "name"))
            kind = self.choice(entry.get("type"), (*path, "type"), types, "process")
            direction = entry.get("direction")
            if direction is not None:
                direction = self.choice(direction, (*path, "direction"), ["up", "down"], None)
            rules = self.choice(
                entry.get("rules"), (*path, "rules"), [r.value for r in Rules], "ihi"
            )
            points = self.points(entry.get("points"), (*path, "points"))
            fields = dict(
                definition=self.text_at(entry.get("definition"), (*path, "definition")),
                unit=self.text_at(entry.get("unit"), (*path, "unit")),
                target=self.number(entry.get("target"), (*path, "target")),
                baseline=self.baseline(entry.get("baseline"), (*path, "baseline")),
                generated_id=self.flag(entry.get("generated_id"), (*path, "generated_id")),
            )
            if box is None or kind is None or rules is None or points is None:
                continue
            found.append(
                Measure(
                    id=measure_id or f"m{index + 1}",
                    name=name,
                    node=box,
                    location=self.at(path),
                    type=MeasureType(kind),
                    direction=Direction(direction) if direction else None,
                    rules=Rules(rules),
                    data="",  # the values go into the YAML: it needs no other file
                    points=points,
                    **fields,  # type: ignore[arg-type]
                )
            )
        return found

    def points(self, value: Any, path: JsonPath) -> tuple[Point, ...] | None:
        items = self.items(value, path)
        most = current_limits().points
        if len(items) > most:
            self.problem((*path, most), f"a measure may have at most {most:,} points")
            return None
        found = []
        for index, item in enumerate(items):
            where: JsonPath = (*path, index)
            entry = self.object_at(item, where)
            if entry is None:
                continue
            period = entry.get("period")
            if not isinstance(period, str) or not period:
                self.problem(
                    (*where, "period"),
                    f'should be a month or a day such as "2026-03", not {_kind(period)}',
                )
                continue
            found.append(
                Point(
                    period,
                    self.number(entry.get("value"), (*where, "value")),
                    self.at(where),
                    self.text_at(entry.get("note"), (*where, "note")),
                )
            )
        return tuple(found)

    def cycles(self, value: Any, known: dict[str, Node]) -> list[Cycle]:
        found = []
        acts = [act.value for act in Act]
        for index, item in enumerate(self.items(value, ("cycles",))):
            path: JsonPath = ("cycles", index)
            entry = self.object_at(item, path)
            if entry is None:
                continue
            change = self.end(entry.get("change"), (*path, "change"), known)
            if change is not None and known[change].level != Level.CHANGE:
                self.problem(
                    (*path, "change"),
                    f"{excerpt(change)} is a {known[change].level.noun};"
                    " PDSA cycles test change ideas",
                )
                change = None
            start = self.date(entry.get("start"), (*path, "start"), needed=True)
            end = self.date(entry.get("end"), (*path, "end"), needed=False)
            act = entry.get("act")
            if act is not None:
                act = self.choice(act, (*path, "act"), acts, None)
            texts = {
                key: self.text_at(entry.get(key), (*path, key))
                for key in ("name", "objective", "prediction", "plan", "do", "study")
            }
            watched = [
                self.text_at(measure, (*path, "measures", number))
                for number, measure in enumerate(
                    self.items(entry.get("measures"), (*path, "measures"))
                )
            ]
            if change is None or start is None:
                continue
            found.append(
                Cycle(
                    change=change,
                    number=index + 1,  # the loader numbers the cycles again, by date
                    start=start,
                    location=self.at(path),
                    end=end,
                    act=Act(act) if act else None,
                    measures=tuple(watched),
                    **texts,
                )
            )
        return found


# -- CSV ----------------------------------------------------------------------------

_CSV_LEVEL = {
    "aim": Level.AIM,
    "primary": Level.PRIMARY,
    "secondary": Level.SECONDARY,
    "tertiary": Level.TERTIARY,
    "change": Level.CHANGE,
    "changes": Level.CHANGE,
    "change idea": Level.CHANGE,
}


#: A row of a CSV file: the line it starts on, and its cells.
Row = tuple[int, list[str]]


def from_csv(text: str, name: str = "<string>") -> Diagram:
    """A diagram from CSV: FreeSPC's ``id,level,parent_id,text,...`` layout (what
    ``export --to csv`` writes), or a spreadsheet with one row per change idea."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","  # Excel in many locales
    rows = _csv_rows(text, name, delimiter)
    header_row = next(rows, None)
    if header_row is None:
        raise InvalidDiagram.at(Location(name, 1, 1), "the file is empty")
    header = [_header(cell) for cell in header_row[1]]
    if {"id", "level", "parentid", "text"} <= set(header):
        return _from_freespc(rows, header, name)
    return _from_spreadsheet(rows, header, name)


def _csv_rows(text: str, name: str, delimiter: str) -> Iterator[Row]:
    """The rows of a CSV text one at a time (a reader keeps only the boxes it makes),
    each with the line it starts on: a quoted cell may hold line breaks."""
    import csv
    import io

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for row in reader:
            yield line, row
            line = reader.line_num + 1
    except csv.Error as error:
        raise InvalidDiagram.at(Location(name, reader.line_num, 1), f"not CSV: {error}") from error


def _header(cell: str) -> str:
    return "".join(char for char in cell.lower() if char.isalnum())


def _cells(row: list[str], column: dict[str, int]) -> Callable[[str], str]:
    """The cell of a row under a heading: trimmed, a defusing quote the CSV export
    added taken off, empty when the row is short."""

    def cell(key: str) -> str:
        index = column.get(key)
        return csv_text(row[index].strip()) if index is not None and index < len(row) else ""

    return cell


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
_STATUSES = [status.value for status in Status]


def _from_spreadsheet(rows: Iterator[Row], header: list[str], name: str) -> Diagram:
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
            Location(name, 1, 1),
            "not a driver diagram spreadsheet: the first row needs headings such as"
            " 'Primary driver', 'Secondary driver' (optional) and 'Change idea', or the"
            " columns id,level,parent_id,text of a FreeSPC export",
        )
    sheet = _Sheet(name, column)
    for number, row in rows:
        if any(value.strip() for value in row):
            sheet.row(number, _cells(row, column))
    return sheet.diagram()


class _Sheet:
    """The boxes and links of a spreadsheet, read one row at a time."""

    def __init__(self, name: str, column: dict[str, int]) -> None:
        self.name = name
        self.column = column
        self.levels = [key for key in _SHEET_LEVELS if key in column]
        self.problems: list[Problem] = []
        self.boxes: dict[tuple[Level, str], Node] = {}
        self.links: list[Link] = []
        self.seen_links: set[tuple[str, str]] = set()
        self.linked: set[str] = set()  # boxes that have their first link
        self.aim_text = ""
        self.above: dict[str, str] = {}
        self.most = current_limits().boxes - 1  # the aim is a box too

    def at(self, number: int, key: str) -> Location:
        return Location(self.name, number, self.column[key] + 1)

    def row(self, number: int, cell: Callable[[str], str]) -> None:
        if cell("aim"):
            if not self.aim_text:
                self.aim_text = cell("aim")
            elif " ".join(cell("aim").split()) != " ".join(self.aim_text.split()):
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
            self.link(parent_id, node, number)
            parent_id = node.id

    def status(self, number: int, cell: Callable[[str], str]) -> Status | None:
        """The row's status, if it has a known one."""
        written = cell("status")
        if not written:
            return None
        if written.lower() not in _STATUSES:
            self.problems.append(
                Problem(
                    self.at(number, "status"),
                    f"unknown status {excerpt(written)}; use idea, testing, adopted or abandoned",
                )
            )
            return None
        return Status(written.lower())

    def box(self, level: Level, text: str, number: int, key: str, status: Status | None) -> Node:
        """The box with this text at this level: made on its first row."""
        words = (level, " ".join(text.split()).casefold())
        found = self.boxes.get(words)
        if found is None:
            if len(self.boxes) >= self.most:
                raise InvalidDiagram(
                    [*self.problems, _too_many_boxes(self.at(number, key), self.most + 1)]
                )
            found = Node(
                f"_{len(self.boxes) + 1}",
                level,
                text,
                self.at(number, key),
                status=Status.IDEA if level == Level.CHANGE else None,
                generated_id=True,
            )
        if status is not None and level == Level.CHANGE:
            found = Node(
                found.id, level, found.text, found.location, status=status, generated_id=True
            )
        self.boxes[words] = found
        return found

    def link(self, parent_id: str, node: Node, number: int) -> None:
        if (parent_id, node.id) in self.seen_links:
            return
        self.seen_links.add((parent_id, node.id))
        # a box is written where its first link is; the others are refs, each placed
        # on its own row (a column no cell has, so no two are the same place)
        first = node.id not in self.linked
        self.linked.add(node.id)
        where = node.location if first else Location(self.name, number, len(self.links) + 2)
        self.links.append(Link(parent_id, node.id, where, ref=not first))

    def diagram(self) -> Diagram:
        if not self.aim_text:
            self.problems.append(
                Problem(
                    Location(self.name, 1, 1),
                    "no aim: add an 'Aim' column with the aim in its first row",
                )
            )
        if self.problems:
            raise InvalidDiagram(self.problems)
        aim = Node("aim", Level.AIM, self.aim_text, Location(self.name, 1, 1))
        boxes = sorted(self.boxes.values(), key=lambda node: (node.location.line, node.level))
        diagram = Diagram(nodes=(aim, *boxes), links=tuple(self.links), path=self.name)
        return _checked(diagram, self.name, lambda key: aim.location)


_CSV_LEVEL = {
    "aim": Level.AIM,
    "primary": Level.PRIMARY,
    "secondary": Level.SECONDARY,
    "tertiary": Level.TERTIARY,
    "change": Level.CHANGE,
    "changes": Level.CHANGE,
    "change idea": Level.CHANGE,
}
_LETTER = {Level.PRIMARY: "p", Level.SECONDARY: "s", Level.TERTIARY: "t", Level.CHANGE: "c"}


def _from_freespc(rows: Iterator[Row], header: list[str], name: str) -> Diagram:
    """FreeSPC's layout, one row per box: ``id,level,parent_id,text`` and the columns
    ``export --to csv`` adds (``extra_parents``, ``status``, ``strength``, ``notes``;
    on the aim's row ``title``, ``team``, ``updated``, ``diagram_notes``, ``labels``).
    A box's parent is in an earlier row; its extra parents may be anywhere."""
    column = {key: index for index, key in reversed(list(enumerate(header)))}
    freespc = _FreeSpc(name, column)
    for number, row in rows:
        if any(value.strip() for value in row):
            freespc.row(number, _cells(row, column))
    return freespc.diagram()


class _FreeSpc:
    """The boxes and links of a FreeSPC file, read one row at a time."""

    def __init__(self, name: str, column: dict[str, int]) -> None:
        self.name = name
        self.column = column
        self.problems: list[Problem] = []
        self.nodes: dict[str, Node] = {}
        self.rows: dict[str, int] = {}  # id -> its row
        self.homes: list[tuple[str, str, str, int]] = []  # (parent, child, strength, row)
        self.extras: list[tuple[str, str, str, int]] = []
        self.position: dict[str, str] = {}  # id -> the id the loader would make up
        self.counts: dict[tuple[str, Level], int] = {}
        self.meta: list[str] = []
        self.meta_row = 2
        self.most = current_limits().boxes

    def problem(self, number: int, key: str, message: str) -> None:
        where = self.column.get(key, 0) + 1
        self.problems.append(Problem(Location(self.name, number, where), message))

    def row(self, number: int, cell: Callable[[str], str]) -> None:
        node_id, parent = cell("id"), cell("parentid")
        level = _CSV_LEVEL.get(cell("level").lower())
        if not node_id:
            self.problem(number, "id", "this row has no id")
            return
        if level is None:
            self.problem(
                number,
                "level",
                f"unknown level {excerpt(cell('level'))}; use aim, primary, secondary,"
                " tertiary or change",
            )
            return
        if node_id in self.nodes:
            self.problem(
                number, "id", f"row {self.rows[node_id]} has the id {excerpt(node_id)} too"
            )
            return
        if len(self.nodes) >= self.most:
            raise InvalidDiagram(
                [*self.problems, _too_many_boxes(Location(self.name, number, 1), self.most)]
            )
        if level == Level.AIM:
            keys = ("title", "team", "updated", "diagramnotes", "labels")
            self.meta, self.meta_row = [cell(key) for key in keys], number
            expected = "aim"
        elif parent not in self.nodes:
            self.problem(
                number, "parentid", f"parent {excerpt(parent)} is not a box in an earlier row"
            )
            return
        elif not _may_hold(self.nodes[parent].level, level):
            upper = self.nodes[parent].level
            self.problem(
                number,
                "level",
                f"a {level.noun} cannot be under {upper.noun} {excerpt(parent)}; {_holds(upper)}",
            )
            return
        else:
            self.counts[parent, level] = self.counts.get((parent, level), 0) + 1
            base = self.position[parent]
            expected = (
                f"{base}." if base != "aim" else ""
            ) + f"{_LETTER[level]}{self.counts[parent, level]}"
        status = cell("status") or ("idea" if level == Level.CHANGE else "")
        if level == Level.CHANGE and status not in _STATUSES:
            self.problem(number, "status", f"unknown status {excerpt(status)}")
            return
        if level != Level.AIM:
            self.homes.append((parent, node_id, cell("strength") or "strong", number))
        for extra in filter(
            None, (part.strip() for part in re.split(r"[;|,]", cell("extraparents")))
        ):
            other, _, strength = extra.partition(":")
            self.extras.append((other.strip(), node_id, strength.strip() or "strong", number))
        self.position[node_id] = expected
        self.rows[node_id] = number
        made_up = node_id in (expected, "_" + expected) or not ID_PATTERN.match(node_id)
        self.nodes[node_id] = Node(
            node_id,
            level,
            cell("text"),
            Location(self.name, number, 1),
            notes=cell("notes"),
            status=Status(status) if level == Level.CHANGE else None,
            generated_id=made_up,
        )

    def links(self) -> list[Link]:
        links: list[Link] = []
        seen: set[tuple[str, str]] = set()
        for extra, (parent, child, strength, number) in [
            *((False, home) for home in self.homes),
            *((True, extra) for extra in self.extras),
        ]:
            key = "extraparents" if extra else "parentid"
            if parent not in self.nodes:
                self.problem(number, key, f"{excerpt(parent)} is not the id of a box")
                continue
            if strength not in ("strong", "weak"):
                where = "extraparents" if extra else "strength"
                self.problem(
                    number, where, f"unknown strength {excerpt(strength)}; use strong or weak"
                )
                continue
            upper, lower = self.nodes[parent].level, self.nodes[child].level
            if extra and not _may_hold(upper, lower):
                self.problem(
                    number,
                    key,
                    f"a {lower.noun} cannot be under {upper.noun} {excerpt(parent)};"
                    f" {_holds(upper)}",
                )
                continue
            if (parent, child) in seen:
                self.problem(number, key, f"{excerpt(parent)} is this box's parent already")
                continue
            seen.add((parent, child))
            location = self.nodes[child].location
            if extra:  # a ref: placed on its row, in a column no cell has
                location = Location(self.name, number, len(links) + 2)
            links.append(Link(parent, child, location, Strength(strength), ref=bool(extra)))
        return links

    def diagram(self) -> Diagram:
        nodes = list(self.nodes.values())
        links = self.links()
        if not nodes or nodes[0].level != Level.AIM:
            self.problems.append(
                Problem(Location(self.name, 2, 1), "the first row must be the aim")
            )
        title, team, updated, notes, labels_cell = self.meta or ["", "", "", "", ""]
        labels = self.labels(labels_cell)
        if self.problems:
            raise InvalidDiagram(_in_order(self.problems))
        diagram = Diagram(
            nodes=tuple(nodes),
            links=tuple(links),
            path=self.name,
            title=title,
            team=team,
            updated=updated,
            notes=notes,
            labels=tuple((key, labels.get(key, text)) for key, text in DEFAULT_LABELS.items()),
        )
        aim = nodes[0].location
        return _checked(diagram, self.name, lambda key: self.meta_at(key) or aim)

    def meta_at(self, key: str) -> Location | None:
        """Where a top-level value is: its cell in the aim's row."""
        heading = {"notes": "diagramnotes"}.get(key, key)
        if heading not in self.column:
            return None
        return Location(self.name, self.meta_row, self.column[heading] + 1)

    def labels(self, cell: str) -> dict[str, str]:
        """The column headings in the aim's row: JSON like {"changes": "Ideas"}."""
        if not cell:
            return {}
        try:
            labels = json.loads(cell)
        except (ValueError, RecursionError):
            labels = None
        if not isinstance(labels, dict) or not all(
            key in DEFAULT_LABELS and isinstance(text, str) for key, text in labels.items()
        ):
            where = self.meta_at("labels") or Location(self.name, self.meta_row, 1)
            self.problems.append(
                Problem(
                    where,
                    '\'labels\' should be JSON like {"changes": "Ideas"}, naming columns'
                    f" among {', '.join(DEFAULT_LABELS)}",
                )
            )
            return {}
        return labels


# -- outlines ---------------------------------------------------------------------

_NOUNS = {
    "aim": Level.AIM,
    "primary driver": Level.PRIMARY,
    "secondary driver": Level.SECONDARY,
    "tertiary driver": Level.TERTIARY,
    "change idea": Level.CHANGE,
}
#: The start of an outline line: indentation, a bullet, ``[id]``, a level word with
#: its marks and a colon. The rest is the box's text, taken apart without a regular
#: expression (a lazy ``.*?`` before an optional ending is quadratic in long lines).
_LINE_START = re.compile(
    r"(?P<indent>[ \t]*)(?P<bullet>[-*+]|\d+[.)])?\s*"
    r"(?:\[(?P<id>[^\]]+)\]\s*)?"
    r"(?:(?P<noun>aim|primary driver|secondary driver|tertiary driver|change idea)"
    r"(?P<marks>(?:\s*\([^)]*\))*)\s*:\s*)?",
    re.IGNORECASE,
)
_AGAIN = "(also listed above)"


class _Line(NamedTuple):
    """One line of an outline, taken apart."""

    indent: str
    bullet: str
    id: str
    noun: str
    marks: str
    text: str


def _outline_line(raw: str) -> _Line:
    start = _LINE_START.match(raw)
    assert start is not None  # every part of the pattern is optional
    text = raw[start.end() :].rstrip()
    if text.lower().endswith(_AGAIN):
        text = text[: -len(_AGAIN)].rstrip()
    return _Line(
        start.group("indent"),
        start.group("bullet") or "",
        start.group("id") or "",
        (start.group("noun") or "").lower(),
        (start.group("marks") or "").lower(),
        text,
    )


def _end_marks(words: str) -> tuple[str, str]:
    """Text without the marks Markdown export puts after it, "(*testing*) (see
    above)", and those marks as "(testing)(see above)"."""
    marks = ""
    while True:
        words = words.rstrip()
        opening = words.rfind("(")
        inner = words[opening + 1 : -1] if words.endswith(")") and opening >= 0 else ""
        if inner == "see above" or (len(inner) > 1 and inner[0] == inner[-1] == "*"):
            marks = "(" + inner.strip("*").lower() + ")" + marks
            words = words[:opening]
        else:
            return words, marks


_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\S")
_LABELLED_AIM = re.compile(r"^\*\*([^*]+?):?\*\*:?\s*(.+)$")


def _markdown_outline(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A Markdown file's outline: its list, under the aim.

    The aim is a ``**Aim:** ...`` line, else the first plain line before the list,
    else the first ``#`` heading. Tables, code and other paragraphs are passed over.
    """
    first_bullet = next(index for index, (_, raw) in enumerate(lines) if _BULLET.match(raw))
    aim: tuple[int, str] | None = None
    heading: tuple[int, str] | None = None
    for number, raw in lines[:first_bullet]:
        stripped = raw.strip()
        labelled = _LABELLED_AIM.match(stripped)
        if labelled:
            aim = (number, labelled.group(2))
        elif stripped.startswith("#"):
            heading = heading or (number, stripped.lstrip("# ").strip())
        elif stripped and aim is None and not stripped.startswith(("|", "```", ">")):
            aim = (number, stripped)
    kept = [(number, raw) for number, raw in lines[first_bullet:] if _BULLET.match(raw)]
    if aim is None and heading is not None:
        return [heading, *kept]  # the heading is the aim
    title = [(heading[0], "# " + heading[1])] if heading is not None else []
    return [*title, *([aim] if aim else []), *kept]


def _unescape(text: str) -> str:
    """Text without Markdown's backslash escapes (``\\|`` -> ``|``)."""
    return re.sub(r"\\([\\`*_\[\]<>|#+!(){}.:@&~$=-])", r"\1", text)


def from_outline(text: str, name: str = "<string>") -> Diagram:
    """A diagram from an indented outline: ``driverdiagram outline`` output, or any
    list indented one step per level (bullets and numbers optional).

    Without level words, the first line is the aim, then one level deeper each
    indent: primary, secondary, and change ideas for the deepest lines (a line
    three steps in that has lines under it is a tertiary driver). The same text
    under another parent is the same box, linked again.
    """
    if re.match(r"\s*(flowchart|graph)\s+(LR|RL|TB|TD|BT)\b", text):
        raise InvalidDiagram.at(
            Location(name, 1, 1),
            "this is Mermaid, which cannot be imported; import the JSON or CSV export instead",
        )
    title, entries = _outline_entries(text, name)
    depths = _depths(entries, name)
    outline = _Outline(name, entries, depths)
    for index in range(len(entries)):
        outline.entry(index)
    return outline.diagram(title)


def _outline_entries(text: str, name: str) -> tuple[str, list[tuple[int, int, _Line]]]:
    """The title, and each line that is a box: (line number, indent, its parts)."""
    entries: list[tuple[int, int, _Line]] = []  # (line, indent, parts)
    title = ""
    lines = list(enumerate(text.splitlines(), start=1))
    most = current_limits().text + 1_000  # a box's text, and room for a bullet, id and marks
    for number, raw in lines:
        if len(raw.lstrip()) > most:
            raise InvalidDiagram.at(
                Location(name, number, len(raw) - len(raw.lstrip()) + 1),
                f"this line is {len(raw.strip()):,} characters long; a box's text can be at"
                f" most {current_limits().text:,} (put longer detail in a document of its own)",
            )
    if any(_BULLET.match(raw) for _, raw in lines):
        lines = _markdown_outline(lines)
    for number, raw in lines:
        if not raw.strip():
            continue
        if raw.lstrip().startswith("#"):
            title = title or raw.lstrip("# ").strip()
            continue
        parts = _outline_line(raw.replace("\t", "    "))
        entries.append((number, len(parts.indent), parts))
    if not entries:
        raise InvalidDiagram.at(Location(name, 1, 1), "the outline is empty")
    if len(entries) > 1 and not entries[0][2].noun and entries[1][2].noun == "aim":
        title = title or entries[0][2].text.strip()  # `outline` starts with the title
        entries = entries[1:]
    if not entries[0][2].bullet:
        # "Aim" then "- driver" at the same margin, as Markdown lists are written:
        # a bullet counts as one step in from an unbulleted line
        entries = [
            (number, indent + 1 if parts.bullet else indent, parts)
            for number, indent, parts in entries
        ]
    return title, entries


#: How many steps in a line can be: aim, primary, secondary, tertiary, change idea.
_DEEPEST = 4


def _depths(entries: list[tuple[int, int, _Line]], name: str) -> list[int]:
    """Each line's depth by its indentation: a stack of the indents on the way down."""
    depths: list[int] = []
    stack: list[int] = []
    for number, indent, parts in entries:
        popped = False
        while stack and indent < stack[-1]:
            stack.pop()
            popped = True
        where = Location(name, number, len(parts.indent) + 1)
        if popped and (not stack or indent != stack[-1]):
            raise InvalidDiagram.at(
                where,
                "this line's indentation matches no line above it; line it up with its siblings",
            )
        if not stack or indent > stack[-1]:
            stack.append(indent)
        if len(stack) - 1 > _DEEPEST:
            raise InvalidDiagram.at(
                where,
                f"this line is {len(stack) - 1} steps in; a driver diagram has five columns"
                " (aim, primary, secondary and tertiary drivers, change ideas), so a line"
                f" can be at most {_DEEPEST} steps in from the aim",
            )
        depths.append(len(stack) - 1)
    return depths


class _Outline:
    """The boxes and links of an outline, made one line at a time."""

    def __init__(self, name: str, entries: list[tuple[int, int, _Line]], depths: list[int]) -> None:
        self.name = name
        self.entries = entries
        self.depths = depths
        self.deepest = max(depths)
        self.problems: list[Problem] = []
        self.nodes: list[Node] = []
        self.links: list[Link] = []
        self.linked: set[tuple[str, str]] = set()
        self.by_text: dict[tuple[Level, str], Node] = {}
        self.by_id: set[str] = set()
        self.path: list[Node] = []
        self.most = current_limits().boxes

    def level(self, index: int, noun: str) -> Level:
        """The level a line's words or depth give it."""
        depth = self.depths[index]
        has_children = index + 1 < len(self.depths) and self.depths[index + 1] > depth
        if noun:
            return _NOUNS[noun]
        if depth == 0:
            return Level.AIM
        if depth == 1:
            return Level.PRIMARY
        if depth == 2:
            return Level.SECONDARY if has_children or self.deepest > 2 else Level.CHANGE
        if depth == 3 and has_children:
            return Level.TERTIARY
        return Level.CHANGE

    def entry(self, index: int) -> None:
        number, indent, parts = self.entries[index]
        depth = self.depths[index]
        words, marks = _end_marks(parts.text.strip())
        marks = parts.marks + marks
        words = _unescape(words).strip()
        level = self.level(index, parts.noun)
        where = Location(self.name, number, len(parts.indent) + 1)
        if depth == 0 and (self.nodes or level != Level.AIM):
            self.problems.append(
                Problem(
                    where,
                    "another line at the outermost level: the first is the aim, so indent"
                    " the drivers under it (or put the aim on a line of its own above the list)",
                )
            )
            return
        if not words:
            self.problems.append(Problem(where, "this line has no text"))
            return
        del self.path[depth:]
        if depth > 0 and not self.path:
            self.problems.append(Problem(where, "this line has no parent line above it"))
            return
        parent = self.path[-1] if depth > 0 else None
        if parent is not None and not _may_hold(parent.level, level):
            self.problems.append(
                Problem(
                    where,
                    f"a {level.noun} cannot be under {parent.level.noun}"
                    f" {excerpt(parent.text)}; {_holds(parent.level)}",
                )
            )
            return
        node, link_where = self.box(parts, level, words, marks, where, indent)
        if parent is not None and (parent.id, node.id) not in self.linked:
            self.linked.add((parent.id, node.id))
            strength = Strength.WEAK if "(weak link)" in marks else Strength.STRONG
            self.links.append(
                Link(parent.id, node.id, link_where, strength, ref=link_where != node.location)
            )
        self.path.append(node)

    def box(
        self, parts: _Line, level: Level, words: str, marks: str, where: Location, indent: int
    ) -> tuple[Node, Location]:
        """The box of a line (a new one, or the one with the same text at the same
        level), and where its link from the line above is."""
        key = (level, " ".join(words.split()).casefold())
        node = self.by_text.get(key)
        if node is not None:
            return node, Location(self.name, where.line, indent + 2)
        if len(self.nodes) >= self.most:
            raise InvalidDiagram([*self.problems, _too_many_boxes(where, self.most)])
        status = next((s for s in Status if f"({s.value})" in marks), None)
        node = Node(
            parts.id or f"_{len(self.nodes)}",
            level,
            words,
            where,
            status=(status or Status.IDEA) if level == Level.CHANGE else None,
            generated_id=not ID_PATTERN.match(parts.id) or parts.id in self.by_id,
        )
        self.by_id.add(node.id)
        self.nodes.append(node)
        self.by_text[key] = node
        return node, where

    def diagram(self, title: str) -> Diagram:
        if self.problems:
            raise InvalidDiagram(self.problems)
        if not self.nodes or self.nodes[0].level != Level.AIM:
            raise InvalidDiagram.at(Location(self.name, 1, 1), "the first line must be the aim")
        diagram = Diagram(
            nodes=tuple(self.nodes), links=tuple(self.links), path=self.name, title=title
        )
        aim = self.nodes[0].location
        return _checked(diagram, self.name, lambda key: aim)
