"""Other formats -> Diagram: the JSON that ``export --to json`` writes.

An import is written out as YAML and read back through the loader, so an
imported diagram is checked exactly like one written by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

from .errors import InvalidDiagram, Location, Problem
from .exporter import JSON_FORMAT, csv_text
from .model import (
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


def from_json(text: str, name: str = "<string>") -> Diagram:
    """A diagram from ``driverdiagram export --to json`` output."""
    from . import loads
    from .writer import to_yaml

    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidDiagram.at(
            Location(name, error.lineno, error.colno), f"not JSON: {error.msg}"
        ) from error
    problems: list[Problem] = []

    def problem(where: str, message: str) -> None:
        problems.append(Problem(Location(name), f"{where}: {message}"))

    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        raise InvalidDiagram.at(
            Location(name), f'not a driverdiagram JSON export (no "format": "{JSON_FORMAT}")'
        )
    nodes: list[Node] = []
    for index, item in enumerate(data.get("nodes") or []):
        where = f"nodes[{index}]"
        if not isinstance(item, dict):
            problem(where, "should be an object")
            continue
        level = LEVEL_BY_KEY.get(str(item.get("level")))
        if level is None:
            problem(where, f"unknown level {item.get('level')!r}")
            continue
        status = item.get("status")
        if level == Level.CHANGE and status not in [member.value for member in Status]:
            problem(where, f"unknown status {status!r}")
            continue
        node = Node(
            id=str(item.get("id") or f"_{index}"),
            level=level,
            text=str(item.get("text") or ""),
            location=Location(name, index + 1, 1),
            notes=str(item.get("notes") or ""),
            status=Status(status) if level == Level.CHANGE else None,
            generated_id=bool(item.get("generated_id")),
        )
        nodes.append(node)
    known = {node.id: node for node in nodes}
    if len(known) != len(nodes):
        problem("nodes", "two nodes have the same id")
    links: list[Link] = []
    for index, item in enumerate(data.get("links") or []):
        where = f"links[{index}]"
        if (
            not isinstance(item, dict)
            or item.get("parent") not in known
            or item.get("child") not in known
        ):
            problem(where, "needs a 'parent' and a 'child' that are ids of nodes")
            continue
        child = known[item["child"]]
        location = child.location if not item.get("ref") else Location(name, 0, index + 1)
        strength = item.get("strength", "strong")
        if strength not in ("strong", "weak"):
            problem(where, f"unknown strength {strength!r}")
            continue
        links.append(Link(item["parent"], item["child"], location, Strength(strength)))
    aims = [node for node in nodes if node.level == Level.AIM]
    if len(aims) != 1 or (nodes and nodes[0].level != Level.AIM):
        problem("nodes", "the first node must be the one aim")
    if problems:
        raise InvalidDiagram(problems)
    measures = _json_measures(data.get("measures"), known, name, problem)
    cycles = _json_cycles(data.get("cycles"), known, name, problem)
    if problems:
        raise InvalidDiagram(problems)
    labels = {**DEFAULT_LABELS, **(data.get("labels") or {})}
    diagram = Diagram(
        nodes=tuple(nodes),
        links=tuple(links),
        path=name,
        title=str(data.get("title") or ""),
        team=str(data.get("team") or ""),
        updated=str(data.get("updated") or ""),
        notes=str(data.get("notes") or ""),
        labels=tuple((key, str(labels[key])) for key in DEFAULT_LABELS),
        measures=tuple(measures),
        cycles=tuple(cycles),
    )
    return loads(to_yaml(diagram), name)


def _json_measures(
    items: Any, known: dict[str, Node], name: str, problem: Callable[[str, str], None]
) -> list[Measure]:
    """The measures of a JSON export; the loader checks them again from the YAML."""
    found = []
    for index, item in enumerate(items or []):
        where = f"measures[{index}]"
        try:
            if item["box"] not in known:
                problem(where, f"'box' {item['box']!r} is not the id of a node")
                continue
            found.append(
                Measure(
                    id=str(item["id"]),
                    name=str(item["name"]),
                    node=item["box"],
                    location=Location(name, 0, index + 1),
                    type=MeasureType(item.get("type") or "process"),
                    definition=str(item.get("definition") or ""),
                    direction=Direction(item["direction"]) if item.get("direction") else None,
                    unit=str(item.get("unit") or ""),
                    target=_float(item.get("target")),
                    baseline=int(item["baseline"]) if item.get("baseline") else None,
                    rules=Rules(item.get("rules") or "ihi"),
                    data="",  # the values go into the YAML: it needs no other file
                    points=tuple(
                        Point(
                            str(point["period"]),
                            _float(point.get("value")),
                            Location(name),
                            str(point.get("note") or ""),
                        )
                        for point in item.get("points") or []
                    ),
                    generated_id=bool(item.get("generated_id")),
                )
            )
        except (KeyError, TypeError, ValueError) as error:
            problem(where, f"is not a measure as 'export --to json' writes one ({error})")
    return found


def _json_cycles(
    items: Any, known: dict[str, Node], name: str, problem: Callable[[str, str], None]
) -> list[Cycle]:
    found = []
    for index, item in enumerate(items or []):
        where = f"cycles[{index}]"
        try:
            if item["change"] not in known:
                problem(where, f"'change' {item['change']!r} is not the id of a node")
                continue
            found.append(
                Cycle(
                    change=item["change"],
                    number=int(item.get("number") or index + 1),
                    start=dt.date.fromisoformat(item["start"]),
                    location=Location(name, index + 1, 1),
                    end=dt.date.fromisoformat(item["end"]) if item.get("end") else None,
                    name=str(item.get("name") or ""),
                    objective=str(item.get("objective") or ""),
                    prediction=str(item.get("prediction") or ""),
                    plan=str(item.get("plan") or ""),
                    do=str(item.get("do") or ""),
                    study=str(item.get("study") or ""),
                    act=Act(item["act"]) if item.get("act") else None,
                    measures=tuple(str(m) for m in item.get("measures") or []),
                )
            )
        except (KeyError, TypeError, ValueError) as error:
            problem(where, f"is not a cycle as 'export --to json' writes one ({error})")
    return found


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


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


def from_csv(text: str, name: str = "<string>") -> Diagram:
    """A diagram from CSV: FreeSPC's ``id,level,parent_id,text,...`` layout (what
    ``export --to csv`` writes), or a spreadsheet with one row per change idea."""
    import csv
    import io

    first = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","  # Excel in many locales
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise InvalidDiagram.at(Location(name, reader.line_num, 1), f"not CSV: {error}") from error
    if not rows:
        raise InvalidDiagram.at(Location(name, 1, 1), "the file is empty")
    header = [_header(cell) for cell in rows[0]]
    if {"id", "level", "parentid", "text"} <= set(header):
        return _from_freespc(rows, header, name)
    return _from_spreadsheet(rows, header, name)


def _header(cell: str) -> str:
    return "".join(char for char in cell.lower() if char.isalnum())


_SHEET_COLUMNS = (
    ("aim", ("aim", "goal")),
    ("primary", ("primary",)),
    ("secondary", ("secondary",)),
    ("tertiary", ("tertiary",)),
    ("change", ("change", "idea", "intervention")),
    ("status", ("status", "stage")),
)


def _from_spreadsheet(rows: list[list[str]], header: list[str], name: str) -> Diagram:
    """One row per change idea, columns matched loosely by their headings ("Primary
    driver", "Secondary drivers", "Change idea", "Status", "Aim"). A blank cell means
    "same as above" unless a cell to its left starts something new on that row; the
    same text twice is the same box, so a driver or idea under two parents is shared."""
    from . import loads
    from .writer import to_yaml

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
    levels = [key for key in ("primary", "secondary", "tertiary", "change") if key in column]
    level_of = {
        "primary": Level.PRIMARY,
        "secondary": Level.SECONDARY,
        "tertiary": Level.TERTIARY,
        "change": Level.CHANGE,
    }
    problems: list[Problem] = []
    boxes: dict[tuple[Level, str], Node] = {}
    links: list[Link] = []
    seen_links: set[tuple[str, str]] = set()
    aim_text = ""
    above: dict[str, str] = {}

    def box(level: Level, text: str, number: int, key: str) -> Node:
        found = boxes.get((level, " ".join(text.split()).casefold()))
        if found is None:
            found = Node(
                f"_{len(boxes) + 1}",
                level,
                text,
                Location(name, number, column[key] + 1),
                status=Status.IDEA if level == Level.CHANGE else None,
                generated_id=True,
            )
            boxes[level, " ".join(text.split()).casefold()] = found
        return found

    for number, row in enumerate(rows[1:], start=2):

        def cell(key: str, row: list[str] = row) -> str:
            index = column.get(key)
            return csv_text(row[index].strip()) if index is not None and index < len(row) else ""

        if not any(value.strip() for value in row):
            continue
        if cell("aim"):
            if not aim_text:
                aim_text = cell("aim")
            elif " ".join(cell("aim").split()) != " ".join(aim_text.split()):
                problems.append(
                    Problem(
                        Location(name, number, column["aim"] + 1),
                        "a second aim; a driver diagram has one aim (leave this cell blank, or"
                        " put this aim's rows in a file of its own)",
                    )
                )
                continue
        chain: list[tuple[str, str]] = []
        fresh = False
        for key in levels:
            value = cell(key)
            if value:
                fresh = True
            elif not fresh and key != "change":
                value = above.get(key, "")
            if value:
                chain.append((key, value))
        for key in levels:
            above[key] = dict(chain).get(key, "")
        if not chain or chain[-1][0] != "change":
            problems.append(
                Problem(
                    Location(name, number, column["change"] + 1),
                    "this row has no change idea; write one, or delete the row",
                )
            )
            continue
        if chain[0][0] != "primary":
            problems.append(
                Problem(
                    Location(name, number, column["primary"] + 1),
                    "this row has no primary driver (and none above it)",
                )
            )
            continue
        parent: Node | None = None
        for key, value in chain:
            node = box(level_of[key], value, number, key)
            if key == "change" and cell("status"):
                status = cell("status").lower()
                if status not in [member.value for member in Status]:
                    problems.append(
                        Problem(
                            Location(name, number, column["status"] + 1),
                            f"unknown status '{cell('status')}';"
                            " use idea, testing, adopted or abandoned",
                        )
                    )
                else:
                    node = boxes[node.level, " ".join(value.split()).casefold()] = Node(
                        node.id,
                        node.level,
                        node.text,
                        node.location,
                        status=Status(status),
                        generated_id=True,
                    )
            parent_id = parent.id if parent is not None else "aim"
            if (parent_id, node.id) not in seen_links:
                seen_links.add((parent_id, node.id))
                first = not any(link.child == node.id for link in links)
                where = node.location if first else Location(name, number, len(links) + 2)
                links.append(Link(parent_id, node.id, where))
            parent = node
    if not aim_text:
        problems.append(
            Problem(
                Location(name, 1, 1), "no aim: add an 'Aim' column with the aim in its first row"
            )
        )
    if problems:
        raise InvalidDiagram(problems)
    aim = Node("aim", Level.AIM, aim_text, Location(name, 1, 1))
    nodes = [aim, *sorted(boxes.values(), key=lambda node: (node.location.line, node.level))]
    diagram = Diagram(nodes=tuple(nodes), links=tuple(links), path=name)
    return loads(to_yaml(diagram), name)


def _from_freespc(rows: list[list[str]], header: list[str], name: str) -> Diagram:
    from . import loads
    from .loader import ID_PATTERN
    from .writer import to_yaml

    column = {key: index for index, key in reversed(list(enumerate(header)))}
    problems: list[Problem] = []

    def cell(row: list[str], key: str) -> str:
        index = column.get(key)
        return csv_text(row[index].strip()) if index is not None and index < len(row) else ""

    def problem(number: int, key: str, message: str) -> None:
        where = column.get(key, 0) + 1
        problems.append(Problem(Location(name, number, where), message))

    nodes: list[Node] = []
    homes: list[tuple[str, str, str, int]] = []  # (parent, child, strength, row)
    extras: list[tuple[str, str, str, int]] = []
    position: dict[str, str] = {}
    counts: dict[tuple[str, Level], int] = {}
    meta: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(value.strip() for value in row):
            continue
        node_id, parent = cell(row, "id"), cell(row, "parentid")
        level = _CSV_LEVEL.get(cell(row, "level").lower())
        if not node_id:
            problem(number, "id", "this row has no id")
            continue
        if level is None:
            problem(
                number,
                "level",
                f"unknown level '{cell(row, 'level')}'; use aim, primary,"
                " secondary, tertiary or change",
            )
            continue
        if level == Level.AIM:
            meta = [
                cell(row, key) for key in ("title", "team", "updated", "diagramnotes", "labels")
            ]
            expected = "aim"
        elif parent not in position:
            problem(number, "parentid", f"parent '{parent}' is not a box in an earlier row")
            continue
        else:
            letter = {Level.PRIMARY: "p", Level.SECONDARY: "s", Level.TERTIARY: "t"}.get(level, "c")
            counts[parent, level] = counts.get((parent, level), 0) + 1
            base = position[parent]
            expected = (f"{base}." if base != "aim" else "") + f"{letter}{counts[parent, level]}"
            homes.append((parent, node_id, cell(row, "strength") or "strong", number))
        position[node_id] = expected
        status = cell(row, "status") or ("idea" if level == Level.CHANGE else "")
        if level == Level.CHANGE and status not in [member.value for member in Status]:
            problem(number, "status", f"unknown status '{status}'")
            continue
        for extra in filter(
            None, (part.strip() for part in re.split(r"[;|,]", cell(row, "extraparents")))
        ):
            other, _, strength = extra.partition(":")
            extras.append((other.strip(), node_id, strength.strip() or "strong", number))
        made_up = node_id in (expected, "_" + expected) or not ID_PATTERN.match(node_id)
        nodes.append(
            Node(
                node_id,
                level,
                cell(row, "text"),
                Location(name, number, 1),
                notes=cell(row, "notes"),
                status=Status(status) if level == Level.CHANGE else None,
                generated_id=made_up,
            )
        )
    known = {node.id for node in nodes}
    if len(known) != len(nodes):
        problems.append(Problem(Location(name), "two rows have the same id"))
    links: list[Link] = []
    for parent, child, strength, number in homes + extras:
        if parent not in known:
            problem(number, "extraparents", f"'{parent}' is not the id of a box")
            continue
        if strength not in ("strong", "weak"):
            problem(number, "strength", f"unknown strength '{strength}'; use strong or weak")
            continue
        location = next(node.location for node in nodes if node.id == child)
        if (parent, child, strength, number) in extras:
            location = Location(name, number, len(links) + 2)
        links.append(Link(parent, child, location, Strength(strength)))
    if not nodes or nodes[0].level != Level.AIM:
        problems.append(Problem(Location(name, 2, 1), "the first row must be the aim"))
    if problems:
        raise InvalidDiagram(sorted(problems, key=lambda p: (p.line, p.column)))
    title, team, updated, notes, labels_cell = meta or ["", "", "", "", ""]
    labels = dict(DEFAULT_LABELS)
    if labels_cell:
        try:
            labels.update(json.loads(labels_cell))
        except (ValueError, TypeError) as error:
            raise InvalidDiagram.at(
                Location(name, 2, column.get("labels", 0) + 1),
                '\'labels\' should be JSON like {"changes": "Ideas"}',
            ) from error
    diagram = Diagram(
        nodes=tuple(nodes),
        links=tuple(links),
        path=name,
        title=title,
        team=team,
        updated=updated,
        notes=notes,
        labels=tuple((key, str(labels[key])) for key in DEFAULT_LABELS),
    )
    return loads(to_yaml(diagram), name)


# -- outlines ---------------------------------------------------------------------

_NOUNS = {
    "aim": Level.AIM,
    "primary driver": Level.PRIMARY,
    "secondary driver": Level.SECONDARY,
    "tertiary driver": Level.TERTIARY,
    "change idea": Level.CHANGE,
}
_LINE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<bullet>[-*+]|\d+[.)])?\s*"
    r"(?:\[(?P<id>[^\]]+)\]\s*)?"
    r"(?:(?P<noun>aim|primary driver|secondary driver|tertiary driver|change idea)"
    r"(?P<marks>(?:\s*\([^)]*\))*)\s*:\s*)?"
    r"(?P<text>.*?)(?P<again>\s*\(also listed above\))?\s*$",
    re.IGNORECASE,
)


_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\S")
_LABELLED_AIM = re.compile(r"^\*\*([^*]+?):?\*\*:?\s*(.+)$")
_END_MARKS = re.compile(r"\s*\((\*[^)]*\*|see above)\)\s*$")


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
    from . import loads
    from .loader import ID_PATTERN
    from .writer import to_yaml

    if re.match(r"\s*(flowchart|graph)\s+(LR|RL|TB|TD|BT)\b", text):
        raise InvalidDiagram.at(
            Location(name, 1, 1),
            "this is Mermaid, which cannot be imported; import the JSON or CSV export instead",
        )
    entries: list[tuple[int, int, re.Match[str]]] = []  # (line, indent, match)
    title = ""
    lines = list(enumerate(text.splitlines(), start=1))
    bulleted = any(_BULLET.match(raw) for _, raw in lines)
    if bulleted:
        lines = _markdown_outline(lines)
    for number, raw in lines:
        if not raw.strip():
            continue
        if raw.lstrip().startswith("#"):
            title = title or raw.lstrip("# ").strip()
            continue
        match = _LINE.match(raw.replace("\t", "    "))
        assert match is not None  # the pattern matches any line
        entries.append((number, len(match.group("indent").replace("\t", "    ")), match))
    if not entries:
        raise InvalidDiagram.at(Location(name, 1, 1), "the outline is empty")
    if (
        len(entries) > 1
        and not entries[0][2].group("noun")
        and (entries[1][2].group("noun") or "").lower() == "aim"
    ):
        title = title or entries[0][2].group("text").strip()  # `outline` starts with the title
        entries = entries[1:]
    if not entries[0][2].group("bullet"):
        # "Aim" then "- driver" at the same margin, as Markdown lists are written:
        # a bullet counts as one step in from an unbulleted line
        entries = [
            (number, indent + 1 if match.group("bullet") else indent, match)
            for number, indent, match in entries
        ]
    # depth by indentation: a stack of the indents seen on the way down
    depths: list[int] = []
    stack: list[int] = []
    for number, indent, match in entries:
        popped = False
        while stack and indent < stack[-1]:
            stack.pop()
            popped = True
        if popped and (not stack or indent != stack[-1]):
            raise InvalidDiagram.at(
                Location(name, number, len(match.group("indent")) + 1),
                "this line's indentation matches no line above it; line it up with its siblings",
            )
        if not stack or indent > stack[-1]:
            stack.append(indent)
        depths.append(len(stack) - 1)
    deepest = max(depths)
    problems: list[Problem] = []
    nodes: list[Node] = []
    links: list[Link] = []
    by_text: dict[tuple[Level, str], Node] = {}
    by_id: set[str] = set()
    path: list[Node] = []
    for index, ((number, indent, match), depth) in enumerate(zip(entries, depths, strict=True)):
        words = match.group("text").strip()
        noun = (match.group("noun") or "").lower()
        marks = (match.group("marks") or "").lower()
        while _END_MARKS.search(words):  # "text (*testing*) (see above)" from Markdown
            found = _END_MARKS.search(words)
            assert found is not None
            marks += "(" + found.group(1).strip("*").lower() + ")"
            words = words[: found.start()]
        words = _unescape(words).strip()
        has_children = index + 1 < len(depths) and depths[index + 1] > depth
        if noun:
            level = _NOUNS[noun]
        elif depth == 0:
            level = Level.AIM
        elif depth == 1:
            level = Level.PRIMARY
        elif depth == 2:
            level = Level.SECONDARY if has_children or deepest > 2 else Level.CHANGE
        elif depth == 3 and has_children:
            level = Level.TERTIARY
        else:
            level = Level.CHANGE
        where = Location(name, number, len(match.group("indent")) + 1)
        if depth == 0 and (nodes or level != Level.AIM):
            problems.append(
                Problem(
                    where,
                    "another line at the outermost level: the first is the aim, so indent"
                    " the drivers under it (or put the aim on a line of its own above the list)",
                )
            )
            continue
        if not words:
            problems.append(Problem(where, "this line has no text"))
            continue
        status = next((s for s in Status if f"({s.value})" in marks), None)
        key = (level, " ".join(words.split()).casefold())
        node = by_text.get(key)
        if node is None:
            given = match.group("id") or ""
            node = Node(
                given or f"_{len(nodes)}",
                level,
                words,
                where,
                status=(status or Status.IDEA) if level == Level.CHANGE else None,
                generated_id=not ID_PATTERN.match(given) or given in by_id,
            )
            by_id.add(node.id)
            nodes.append(node)
            by_text[key] = node
            link_where = where
        else:
            link_where = Location(name, number, indent + 2)
        del path[depth:]
        if depth > 0:
            if not path:
                problems.append(Problem(where, "this line has no parent line above it"))
                continue
            parent = path[-1]
            strength = Strength.WEAK if "(weak link)" in marks else Strength.STRONG
            if not any(old.parent == parent.id and old.child == node.id for old in links):
                links.append(Link(parent.id, node.id, link_where, strength))
        path.append(node)
    if problems:
        raise InvalidDiagram(problems)
    if not nodes or nodes[0].level != Level.AIM:
        raise InvalidDiagram.at(Location(name, 1, 1), "the first line must be the aim")
    diagram = Diagram(nodes=tuple(nodes), links=tuple(links), path=name, title=title)
    return loads(to_yaml(diagram), name)
