"""Other formats -> Diagram: the JSON that ``export --to json`` writes.

An import is written out as YAML and read back through the loader, so an
imported diagram is checked exactly like one written by hand.
"""

from __future__ import annotations

import json

from .errors import InvalidDiagram, Location, Problem
from .exporter import JSON_FORMAT
from .model import DEFAULT_LABELS, LEVEL_BY_KEY, Diagram, Level, Link, Node, Status, Strength


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
    )
    return loads(to_yaml(diagram), name)
