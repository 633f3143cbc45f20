"""driverdiagram's JSON export -> a Draft located in the JSON itself.

Every value the export has is checked for its shape (text, one of a few words, a
number, a date, a list, an object) and by the rules the YAML loader applies to the
same value (text limits, ids, statuses, measures' periods and numbers, PDSA
dates, measure ids a cycle names). Each box, link, measure, point and cycle is
located at its object in the JSON; a problem at its value, its message starting
with the value's path (``nodes[3].level: ...``). Locations are found in one pass
over the text, so reading takes time in proportion to the file.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import re
from typing import Any

from ..errors import InvalidDiagram, Location, Problem
from ..graph import Draft
from ..limits import current as current_limits
from ..measures.kinds import CHARTS, KINDS, RUN_RULES
from ..model import (
    DEFAULT_LABELS,
    LEVEL_BY_KEY,
    Act,
    Cycle,
    Direction,
    Level,
    Link,
    Measure,
    MeasureType,
    Node,
    Phase,
    Point,
    Rating,
    Reflection,
    Rules,
    Status,
    Strength,
    period_date,
)
from ..text import excerpt, suggest, visible
from .diagram import ID_PATTERN, empty_text, limited, too_many_boxes
from .measures import LARGEST, SHORT_MOST, Series, measure_slug, numbered, ratio_value
from .tree import finish, holds, may_hold

#: What the export's ``format`` says (exports/json.py writes it).
JSON_FORMAT = "driverdiagram"

#: A place in a JSON document: the keys and indices from the top, ("nodes", 3, "level").
JsonPath = tuple[str | int, ...]


def parse(text: str, name: str = "<string>") -> Draft:
    """The draft diagram in ``driverdiagram export --to json`` output. Raises
    :class:`InvalidDiagram` for JSON that cannot be read as an export at all
    (bad syntax, nesting run wild, no ``"format": "driverdiagram"``, more boxes than
    the limit); every other problem is in ``Draft.problems``."""
    data = _json_data(text, name)
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        raise InvalidDiagram.at(
            Location(name, 1, 1),
            f'not a driverdiagram JSON export (no "format": "{JSON_FORMAT}")',
        )
    return _Reader(text, name, data).draft(data)


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
    """Where each wanted value starts in ``text`` (valid JSON), in one pass: a stack of
    the objects and lists around the current token, each with its current key or
    index. A key written twice is found where it is last, the value json reads."""
    found: dict[JsonPath, int] = {}
    if not wanted:
        return found
    depth = max(len(path) for path in wanted)
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
        if len(stack) <= depth:  # nothing deeper is wanted: no path to build
            path = tuple(frame[1] for frame in stack)
            if path in wanted:
                found[path] = match.start()
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


def _item_paths(data: dict[str, Any]) -> set[JsonPath]:
    """The paths of everything the draft holds a location for: the top-level values,
    each box, link, measure, point, phase, cycle and reflection."""
    wanted: set[JsonPath] = {(key,) for key in data}
    for key in ("nodes", "links", "measures", "cycles"):
        items = data.get(key)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            wanted.add((key, index))
            if key not in ("measures", "nodes") or not isinstance(item, dict):
                continue
            for part in ("points", "phases") if key == "measures" else ("reflections",):
                found = item.get(part)
                if isinstance(found, list):
                    wanted.update((key, index, part, number) for number in range(len(found)))
    return wanted


_SURROGATE = re.compile("[\ud800-\udfff]")


class _Reader:
    """Reads the parsed JSON of an export into a :class:`Draft`, checking the shape of
    every value it uses. What the draft holds is located from the start; a problem
    gets a stand-in location (line 0, column n: the n-th path asked for) that
    :meth:`placed` finds in the text, in one pass, only when there are problems."""

    def __init__(self, text: str, name: str, data: dict[str, Any]) -> None:
        self.text = text
        self.name = name
        wanted = _item_paths(data)
        offsets = _json_offsets(text, wanted)
        paths = list(offsets)
        lines = _line_column(text, [offsets[path] for path in paths])
        self.where = {
            path: Location(name, line, column)
            for path, (line, column) in zip(paths, lines, strict=True)
        }
        self.paths: list[JsonPath] = []
        self.found: list[tuple[Location, str]] = []
        #: the ids of boxes that could not be made (their problem is reported): what
        #: names them is passed over, so one mistake is one problem
        self.broken: set[str] = set()

    # -- places and problems --------------------------------------------------------

    def at(self, path: JsonPath) -> Location:
        """The location of an item the draft holds."""
        return self.where[path]

    def here(self, path: JsonPath) -> Location:
        """A stand-in location for the value at ``path``, for a problem."""
        self.paths.append(path)
        return Location(self.name, 0, len(self.paths))

    def problem(self, where: Location | JsonPath, message: str) -> None:
        """A problem at a location, or at the value at a path (named in the message)."""
        location = where if isinstance(where, Location) else self.here(where)
        self.found.append((location, message))

    def limited(self, text: str, location: Location) -> str:
        """Text no longer than the text limit (the loader's rule); longer is reported."""
        cut: list[Problem] = []
        text = limited(text, location, cut)
        for problem in cut:
            self.problem(location, problem.message)
        return text

    def problems(self) -> list[Problem]:
        """Every problem found so far (stand-in locations still to be found)."""
        return [Problem(location, message) for location, message in self.found]

    def placed(self, problems: list[Problem]) -> list[Problem]:
        """The problems with each stand-in found in the text, its path's name in front."""
        stand_ins = [
            self.paths[problem.column - 1]
            for problem in problems
            if problem.line == 0 and problem.column > 0
        ]
        wanted = {path[:end] for path in stand_ins for end in range(len(path) + 1)}
        offsets = _json_offsets(self.text, wanted)
        starts = [offsets.get(_found_part(path, offsets), 0) for path in stand_ins]
        places = iter(zip(stand_ins, _line_column(self.text, starts), strict=True))
        found = []
        for problem in problems:
            if problem.line == 0 and problem.column > 0:
                path, (line, column) = next(places)
                prefix = f"{_json_path(path)}: " if path else ""
                found.append(Problem(Location(self.name, line, column), prefix + problem.message))
            else:
                found.append(problem)
        return found

    # -- values ---------------------------------------------------------------------

    def text_at(self, value: Any, path: JsonPath) -> str:
        """A text value as written (null is empty); anything else is a problem."""
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(path, f"should be text (a JSON string), not {_kind(value)}")
            return ""
        if _SURROGATE.search(value):
            self.problem(path, "holds half of a surrogate pair (a broken \\u escape)")
            return ""
        return value

    def words(self, value: Any, path: JsonPath, shown: bool = False) -> str:
        """Text as the loader keeps it: trimmed and within the text limit; ``shown``
        for the text of measures and cycles, whose control characters are made
        visible (as charts and papers show them)."""
        text = self.text_at(value, path).strip()
        if len(text) > current_limits().text:
            text = self.limited(text, self.here(path))
        return visible(text) if shown else text

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
        """A finite number no larger than a chart can hold, or null."""
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.problem(path, f"should be a number, not {_kind(value)}")
            return None
        if abs(value) > LARGEST:
            self.problem(path, f"numbers above {LARGEST:,.0f} cannot be charted; check the units")
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

    def reflections(self, value: Any, path: JsonPath) -> tuple[Reflection, ...]:
        """A practice domain's reflections: a list of {date, rating, note}, one a day."""
        found: dict[dt.date, Reflection] = {}
        ratings = [rating.value for rating in Rating]
        for index, item in enumerate(self.items(value, path)):
            where: JsonPath = (*path, index)
            entry = self.object_at(item, where)
            if entry is None:
                continue
            day = self.date(entry.get("date"), (*where, "date"), needed=True)
            rating = self.choice(entry.get("rating"), (*where, "rating"), ratings, None)
            note = self.words(entry.get("note"), (*where, "note"))
            if day is None or rating is None:
                continue
            if day in found:
                self.problem((*where, "date"), f"a second reflection on {day}; keep one a day")
                continue
            found[day] = Reflection(day, Rating(rating), self.at(where), note)
        return tuple(sorted(found.values(), key=lambda reflection: reflection.date))

    def flag(self, value: Any, path: JsonPath) -> bool:
        if value is None or isinstance(value, bool):
            return bool(value)
        self.problem(path, f"should be true or false, not {_kind(value)}")
        return False

    # -- the export -----------------------------------------------------------------

    def draft(self, data: dict[str, Any]) -> Draft:
        """The draft the data describes, with every problem found."""
        draft = Draft(self.name)
        if data.get("version", 1) != 1:
            self.problem(
                ("version",), f"this driverdiagram reads version 1, not {_kind(data['version'])}"
            )
        nodes, paths = self.nodes(data.get("nodes"))
        known = {node.id: node for node in nodes}
        draft.nodes = nodes
        draft.links = self.links(data.get("links"), known, paths)
        draft.measures = self.measures(data.get("measures"), known)
        draft.cycles = self.cycles(data.get("cycles"), known, draft)
        draft.labels.update(self.labels(data.get("labels")))
        for key in ("title", "team", "updated", "notes"):
            setattr(draft, key, self.words(data.get(key), (key,)))
        if "updated" in data and data["updated"] is not None:
            draft.updated_location = self.where.get(("updated",))
        draft.problems = self.problems()
        finish(draft, nodes[0].location if nodes else Location(self.name, 1, 1))
        draft.problems = self.placed(draft.problems)
        return draft

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
            heading = self.words(text, ("labels", key))
            if not heading:
                self.problem(("labels", key), f"the '{key}' label is empty; write a column heading")
                continue
            found[key] = heading
        return found

    def nodes(self, value: Any) -> tuple[list[Node], dict[str, JsonPath]]:
        """The boxes, and the path of each."""
        items = self.items(value, ("nodes",))
        most = current_limits().boxes
        if len(items) > most:
            self.problem(("nodes", most), too_many_boxes(Location(self.name), most).message)
            raise InvalidDiagram(self.placed(self.problems()))
        nodes: list[Node] = []
        paths: dict[str, JsonPath] = {}
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
            elif level is not None and entry.get("status") is not None:
                self.problem(
                    (*path, "status"),
                    f"only a change idea has a status, not {_article(level.noun)}; make it null",
                )
            generated = self.flag(entry.get("generated_id"), (*path, "generated_id"))
            node_id = self.identifier(entry.get("id"), (*path, "id"), generated, paths)
            text = self.words(entry.get("text"), (*path, "text"))
            notes = self.words(entry.get("notes"), (*path, "notes"))
            owner = self.words(entry.get("owner"), (*path, "owner"))
            due = self.date(entry.get("due"), (*path, "due"), needed=False)
            focus = self.flag(entry.get("focus"), (*path, "focus"))
            reflections = self.reflections(entry.get("reflections"), (*path, "reflections"))
            if level not in (None, Level.PRIMARY) and (focus or reflections):
                self.problem(
                    (*path, "focus" if focus else "reflections"),
                    "only a primary driver (a coach's practice domain) has a focus and"
                    f" reflections, not {_article(level.noun)}",
                )
            if level not in (None, Level.CHANGE) and (owner or due):
                self.problem(
                    (*path, "owner" if owner else "due"),
                    f"only a change idea has an owner and a due date, not {_article(level.noun)}",
                )
            if level is not None and _blank(entry.get("text")):
                self.problem((*path, "text"), empty_text(level))
            if node_id is None or level is None:
                if isinstance(entry.get("id"), str):
                    self.broken.add(entry["id"])
                continue  # a box with bad text or a bad status is still made
            if not node_id:
                node_id, generated = f"_{index}", True
            paths[node_id] = path
            nodes.append(
                Node(
                    id=node_id,
                    level=level,
                    text=text,
                    location=self.at(path),
                    notes=notes,
                    status=Status(status or "idea") if level == Level.CHANGE else None,
                    generated_id=generated,
                    owner=owner if level == Level.CHANGE else "",
                    due=due if level == Level.CHANGE else None,
                    focus=focus if level == Level.PRIMARY else False,
                    reflections=reflections if level == Level.PRIMARY else (),
                )
            )
        aims = [index for index, node in enumerate(nodes) if node.level == Level.AIM]
        if aims != [0] and not self.found:
            self.problem(("nodes",), "the first node must be the aim, and the only one")
        return nodes, paths

    def identifier(
        self, value: Any, path: JsonPath, generated: bool, seen: dict[str, JsonPath]
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
            self.problem(path, f"{_json_path(seen[value])} has the id {excerpt(value)} too")
            return None
        return value

    def links(self, value: Any, known: dict[str, Node], paths: dict[str, JsonPath]) -> list[Link]:
        """The links, each at its place in "links". A box's first link that is not
        marked ``ref`` is where it is written (its first link, when all are)."""
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
            if not may_hold(upper.level, lower.level):
                self.problem(
                    path,
                    f"{upper.level.noun} {excerpt(parent)} cannot have {lower.level.noun}"
                    f" {excerpt(child)} under it; {holds(upper.level)}",
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
        for node in known.values():
            if node.level != Level.AIM and node.id not in homes and node.id not in mentioned:
                self.problem(
                    paths[node.id],
                    f"no link leads to {node.level.noun} {excerpt(node.id)}; add one from"
                    ' the box it belongs under to "links"',
                )
        return [
            Link(parent, child, self.at(path), strength, ref=homes[child] != number)
            for number, (parent, child, strength, _, path) in enumerate(found)
        ]

    def end(self, value: Any, path: JsonPath, known: dict[str, Node]) -> str | None:
        """The id at one end of a link, if it is a node's."""
        if isinstance(value, str) and value in known:
            return value
        if isinstance(value, str) and value in self.broken:
            return None  # the box's own problem is reported
        if isinstance(value, str):
            # did-you-mean costs a comparison with every id: for the first few only
            hint = suggest(value, list(known)) if len(self.found) < 10 else ""
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
            generated = self.flag(entry.get("generated_id"), (*path, "generated_id"))
            measure_id = self.measure_id(entry.get("id"), (*path, "id"), generated)
            name = self.words(entry.get("name"), (*path, "name"), shown=True)
            if _blank(entry.get("name")):
                self.problem((*path, "name"), "this measure has no name; write what is counted")
            on_aim = box is not None and known[box].level == Level.AIM
            kind = self.choice(
                entry.get("type"), (*path, "type"), types, "outcome" if on_aim else "process"
            )
            direction = entry.get("direction")
            if direction is not None:
                direction = self.choice(direction, (*path, "direction"), ["up", "down"], None)
            rules = self.choice(
                entry.get("rules"), (*path, "rules"), [r.value for r in Rules], "ihi"
            )
            unit = self.words(entry.get("unit"), (*path, "unit"), True)
            points = self.points(entry.get("points"), (*path, "points"), unit)
            fields = dict(
                short=self.short(entry.get("short"), (*path, "short")),
                definition=self.words(entry.get("definition"), (*path, "definition"), True),
                unit=unit,
                target=self.number(entry.get("target"), (*path, "target")),
                baseline=self.baseline(entry.get("baseline"), (*path, "baseline")),
            )
            control = self.control(entry, path, points or (), rules)
            if box is None or kind is None or rules is None or points is None or not name:
                continue
            if control is None:
                continue
            chart, rules = control.pop("chart"), control.pop("rules")
            fields.update(chart=chart, **control)
            found.append(
                Measure(
                    id=measure_id or measure_slug(name),
                    name=name,
                    node=box,
                    location=self.at(path),
                    type=MeasureType(kind),
                    direction=Direction(direction) if direction else None,
                    rules=Rules(rules),
                    data="",  # the values are kept inline: the diagram needs no other file
                    points=points,
                    generated_id=not measure_id,
                    **fields,  # type: ignore[arg-type]
                )
            )
        return found

    def control(
        self, entry: dict[str, Any], path: JsonPath, points: tuple[Point, ...], rules: str | None
    ) -> dict[str, Any] | None:
        """A measure's chart, rules, excluded periods, phases and screening, checked as
        the YAML loader checks them (the rules fit the chart, a P or U chart has each
        period's numerator and denominator, excluded periods are in the data, phases
        in time order after the first period); None after a problem."""
        chart = self.choice(entry.get("chart"), (*path, "chart"), list(CHARTS), "run")
        screen = entry.get("screen") is None or self.flag(entry.get("screen"), (*path, "screen"))
        if chart is None or rules is None:
            return None
        if chart != "run" and entry.get("rules") is None:
            rules = "shewhart"  # as the YAML loader: a control chart's default rule set
        before = len(self.found)
        periods = [point.period for point in points]
        phases = self.phases(entry.get("phases"), (*path, "phases"), points)
        if chart == "run":
            if rules not in RUN_RULES:
                self.problem(
                    (*path, "rules"),
                    f"{rules!r} is a rule set for control charts; a run chart takes"
                    f" {' or '.join(RUN_RULES)}",
                )
            if self.items(entry.get("exclude"), (*path, "exclude")):
                self.problem((*path, "exclude"), "'exclude' applies to control charts only")
            if len(self.found) > before:
                return None
            return {"chart": chart, "rules": rules, "phases": phases}
        if rules == "ihi":
            self.problem(
                (*path, "rules"),
                "'ihi' is the run chart rule set; a control chart takes shewhart, mdc or anhoej",
            )
        if KINDS[chart].ratio and any(
            point.value is not None and point.denominator is None for point in points
        ):
            self.problem(
                (*path, "points"),
                f"a {chart} chart needs each point's numerator and denominator",
            )
        exclude = []
        for number, item in enumerate(self.items(entry.get("exclude"), (*path, "exclude"))):
            if item not in periods:
                self.problem((*path, "exclude", number), "should be a period of the points")
            else:
                exclude.append(item)
        if len(self.found) > before:
            return None
        return {
            "chart": chart,
            "rules": rules,
            "exclude": tuple(exclude),
            "phases": phases,
            "screen": screen,
        }

    def phases(self, value: Any, path: JsonPath, points: tuple[Point, ...]) -> tuple[Phase, ...]:
        """The phases after the first: each from a period after the first point's and
        after the phase before it, with an optional label."""
        found: list[Phase] = []
        for number, item in enumerate(self.items(value, path)):
            where: JsonPath = (*path, number)
            phase = self.object_at(item, where)
            if phase is None:
                continue
            for key in phase:
                if key not in ("from", "label"):
                    hint = suggest(key, ["from", "label"]) or '; a phase has "from" and "label"'
                    self.problem((*where, key), f"unknown key {excerpt(key)}{hint}")
            start = phase.get("from")
            try:
                begin = period_date(start) if isinstance(start, str) else None
            except ValueError:
                begin = None
            after = period_date(found[-1].start) if found else (points[0].date if points else None)
            if begin is None or after is None or begin <= after:
                self.problem(
                    (*where, "from"),
                    "should be a period after the first point's and after the phase before",
                )
                continue
            label = self.words(phase.get("label"), (*where, "label"), shown=True)
            found.append(Phase(str(start), self.at(where), label))
        return tuple(found)

    def short(self, value: Any, path: JsonPath) -> str:
        """A measure's badge label, at most SHORT_MOST characters (the loader's rule)."""
        text = self.words(value, path, shown=True)
        if len(text) > SHORT_MOST:
            self.problem(
                path,
                f"'short' is the label on the diagram's badge: at most {SHORT_MOST}"
                f" characters, not {len(text):,}; put the full wording in 'name'",
            )
            return ""
        return text

    def measure_id(self, value: Any, path: JsonPath, generated: bool) -> str:
        """A measure's own id, or empty for one made from its name."""
        if generated or value is None or value == "":
            return ""
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            shown = excerpt(value) if isinstance(value, str) else _kind(value)
            self.problem(
                path,
                f"{shown} is not an id: use letters, digits, '-' and '_', starting with a"
                ' letter (or set "generated_id": true)',
            )
            return ""
        return value

    def counted(
        self, entry: dict[str, Any], where: JsonPath, unit: str, value: float | None
    ) -> tuple[float | None, tuple[float, float] | None] | None:
        """A point's value and its numerator and denominator (None without), or None
        after a problem (the point is left out). With a numerator and denominator the
        value is theirs, as a data file's is (numerator / denominator, times 100 for a
        unit '%'): one without the other, a denominator of 0 and a value written beside
        them that is not theirs are problems, never dropped in silence."""
        keys = ("numerator", "denominator")
        if all(entry.get(key) is None for key in keys):
            return value, None
        parts = [self.number(entry.get(key), (*where, key)) for key in keys]
        if any(
            part is None and entry.get(key) is not None
            for part, key in zip(parts, keys, strict=True)
        ):
            return None  # not a number: reported
        made, counts = ratio_value(
            self,
            parts[0],
            parts[1],
            unit,
            self.here((*where, "numerator")),
            self.here((*where, "denominator")),
        )
        if made is None or counts is None:
            return None
        if value is not None and not math.isclose(value, made, rel_tol=1e-9, abs_tol=1e-12):
            self.problem(
                (*where, "value"),
                f"is {value!r}, but numerator / denominator makes {made!r}; make the value"
                " null (it is computed from them), or correct the counts",
            )
            return None
        return made, counts

    def points(self, value: Any, path: JsonPath, unit: str = "") -> tuple[Point, ...] | None:
        items = self.items(value, path)
        most = current_limits().points
        if len(items) > most:
            self.problem((*path, most), f"a measure may have at most {most:,} points")
            return None
        series = Series(self)
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
            number = self.number(entry.get("value"), (*where, "value"))
            note = self.words(entry.get("note"), (*where, "note"), shown=True)
            read = self.counted(entry, where, unit, number)
            if read is None:
                continue
            number, ratio = read
            before = len(series.points)
            series.add(period.strip(), number, self.at(where), self.here((*where, "period")), ratio)
            if note and len(series.points) > before:
                series.note(" ".join(note.split()))  # as inline values keep a note
        return tuple(series.points)

    def cycles(self, value: Any, known: dict[str, Node], draft: Draft) -> list[Cycle]:
        """The PDSA cycles, change idea by change idea (in the order of the boxes),
        each change idea's numbered in date order."""
        by_change: dict[str, list[Cycle]] = {}
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
            if start is not None and end is not None and end < start:
                self.problem(
                    (*path, "end"),
                    f"the cycle ends ({end}) before it starts ({start}); check the dates",
                )
            act = entry.get("act")
            if act is not None:
                act = self.choice(act, (*path, "act"), acts, None)
            texts = {
                key: self.words(entry.get(key), (*path, key), shown=True)
                for key in ("name", "objective", "prediction", "plan", "do", "study", "owner")
            }
            due = self.date(entry.get("due"), (*path, "due"), needed=False)
            watched = []
            for number, measure in enumerate(
                self.items(entry.get("measures"), (*path, "measures"))
            ):
                where: JsonPath = (*path, "measures", number)
                measure_id = self.text_at(measure, where).strip()
                if not measure_id:
                    if isinstance(measure, str):
                        self.problem(where, "should be the id of a measure, not empty text")
                    continue
                watched.append(measure_id)
                draft.measure_refs.append((measure_id, self.here(where)))
            if change is None or start is None:
                continue
            by_change.setdefault(change, []).append(
                Cycle(
                    change=change,
                    number=0,
                    start=start,
                    location=self.at(path),
                    end=end,
                    act=Act(act) if act else None,
                    measures=tuple(watched),
                    due=due,
                    **texts,
                )
            )
        return [cycle for node in known for cycle in numbered(by_change.get(node, []))]


def _blank(value: Any) -> bool:
    """A missing or empty text (a value of another kind is reported as such)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _article(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun
