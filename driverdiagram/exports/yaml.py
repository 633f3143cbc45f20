"""Diagram -> tidy YAML in the format of docs/format.md (for imports and conversions).

The YAML reads back as the same diagram: the same boxes, ids, links and their
order, so it draws the same DOT. Boxes keep the ids they have; a box that is
linked from several parents and has none gets one made from its text, because
``ref`` needs it. Everything else is written as briefly as the format allows.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..model import (
    DEFAULT_LABELS,
    Cycle,
    Diagram,
    Link,
    Measure,
    MeasureType,
    Node,
    Point,
    Reflection,
    Rules,
    Strength,
)
from ..readers.diagram import status_from
from ..text import new_id


def to_yaml(diagram: Diagram) -> str:
    """The diagram as YAML text that :func:`driverdiagram.loads` reads back unchanged."""
    ids = _ids(diagram)
    data: dict[str, Any] = {}
    for key in ("title", "team", "updated"):
        if getattr(diagram, key):
            data[key] = getattr(diagram, key)
    labels = {key: text for key, text in diagram.labels if DEFAULT_LABELS[key] != text}
    if labels:
        data["labels"] = labels
    aim = diagram.aim
    measures = [_measure(measure, on_aim=True) for measure in diagram.measures_of(aim.id)]
    if ids[aim.id] == "aim" and not aim.notes and not measures:
        data["aim"] = aim.text
    else:
        data["aim"] = _without_empty(
            {"id": ids[aim.id], "text": aim.text, "notes": aim.notes, "measures": measures}
        )
        if data["aim"].get("id") == "aim":
            del data["aim"]["id"]
    data["primary"] = [_entry(diagram, link, ids) for link in diagram.children(aim.id)]
    if diagram.notes:
        data["notes"] = diagram.notes
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88, indent=2)


def _entry(diagram: Diagram, link: Link, ids: dict[str, str | None]) -> Any:
    node = diagram.node(link.child)
    if link.ref:
        ref: dict[str, Any] = {"ref": ids[node.id]}
        if link.strength != Strength.STRONG:
            ref["strength"] = link.strength.value
        return ref
    entry: dict[str, Any] = {}
    if ids[node.id]:
        entry["id"] = ids[node.id]
    entry["text"] = node.text
    cycles = diagram.cycles_of(node.id)
    if node.status is not None and node.status != status_from(cycles):
        entry["status"] = node.status.value
    if node.focus:
        entry["focus"] = True
    if node.reflections:
        entry["reflections"] = [_reflection(reflection) for reflection in node.reflections]
    if node.owner:
        entry["owner"] = node.owner
    if node.due is not None:
        entry["due"] = node.due
    if link.strength != Strength.STRONG:
        entry["strength"] = link.strength.value
    if node.notes:
        entry["notes"] = node.notes
    measures = diagram.measures_of(node.id)
    if measures:
        entry["measures"] = [_measure(measure) for measure in measures]
    if cycles:
        entry["pdsa"] = [_cycle(cycle) for cycle in _written_order(cycles)]
    for key, links in _child_lists(diagram, node).items():
        entry[key] = [_entry(diagram, child, ids) for child in links]
    if list(entry) == ["text"]:
        return node.text
    return entry


def _child_lists(diagram: Diagram, node: Node) -> dict[str, list[Link]]:
    """A box's children by the key of the list they are written in, keys in the order
    of their first child."""
    lists: dict[str, list[Link]] = {}
    for child in diagram.children(node.id):
        lists.setdefault(diagram.node(child.child).level.key, []).append(child)
    return lists


def _value(point: Point) -> Any:
    """An inline value: a number, {value, note}, or a P or U chart's {numerator,
    denominator[, note]}."""
    if point.denominator is not None:
        found = {"numerator": _number(point.numerator), "denominator": _number(point.denominator)}
        return {**found, "note": point.note} if point.note else found
    return (
        {"value": _number(point.value), "note": point.note} if point.note else _number(point.value)
    )


def _measure(measure: Measure, on_aim: bool = False) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if not measure.generated_id:
        entry["id"] = measure.id
    entry["name"] = measure.name
    entry["short"] = measure.short
    if on_aim or measure.type != MeasureType.PROCESS:
        entry["type"] = measure.type.value
    entry["definition"] = measure.definition
    entry["direction"] = measure.direction.value if measure.direction else ""
    entry["unit"] = measure.unit
    entry["target"] = _number(measure.target)
    entry["baseline"] = measure.baseline
    if measure.chart != "run":
        entry["chart"] = measure.chart
    if measure.rules != Rules.IHI:
        entry["rules"] = measure.rules.value
    if measure.exclude:
        entry["exclude"] = list(measure.exclude)
    if measure.phases:
        entry["phases"] = [
            {"from": phase.start, "label": phase.label} if phase.label else {"from": phase.start}
            for phase in measure.phases
        ]
    if not measure.screen:
        entry["screen"] = False
    if measure.data:
        entry["data"] = measure.data
        entry["sheet"] = measure.sheet
        if measure.columns:
            entry["columns"] = dict(measure.columns)
        entry["dates"] = measure.dates
    elif measure.points:
        entry["values"] = {point.period: _value(point) for point in measure.points}
    return {key: value for key, value in entry.items() if value not in ("", None)}


def _number(value: float | None) -> float | int | None:
    """A whole number without its '.0', so the YAML reads as the user would write it."""
    if value is not None and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _reflection(reflection: Reflection) -> dict[str, Any]:
    entry: dict[str, Any] = {"date": reflection.date, "rating": reflection.rating.value}
    if reflection.note:
        entry["note"] = reflection.note
    return entry


def _written_order(cycles: list[Cycle]) -> list[Cycle]:
    return sorted(cycles, key=lambda cycle: (cycle.location.line, cycle.location.column))


def _cycle(cycle: Cycle) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": cycle.name,
        "start": cycle.start,
        "end": cycle.end,
        "objective": cycle.objective,
        "prediction": cycle.prediction,
        "plan": cycle.plan,
        "do": cycle.do,
        "study": cycle.study,
        "act": cycle.act.value if cycle.act else None,
        "measures": list(cycle.measures),
        "owner": cycle.owner,
        "due": cycle.due,
    }
    return {key: value for key, value in entry.items() if value not in ("", None, [])}


def _ids(diagram: Diagram) -> dict[str, str | None]:
    """The id to write for each box: its own, one made up for a shared box, or None."""
    taken = {node.id for node in diagram.nodes if not node.generated_id}
    ids: dict[str, str | None] = {}
    for node in diagram.nodes:
        if not node.generated_id:
            ids[node.id] = node.id
        elif len(diagram.parents(node.id)) > 1:
            ids[node.id] = new_id(node.text, taken)
            taken.add(ids[node.id] or "")
        else:
            ids[node.id] = None
    return ids


def _without_empty(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in entry.items() if value}


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, multi-line text as ``|`` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and _block_safe(value) else None
    if "\x85" in value:
        # NEL is a line break to YAML: quoted any other way it is read back as a
        # space (or a newline); in double quotes it is written as \N and kept
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _block_safe(value: str) -> bool:
    """Text that a ``|`` block keeps exactly: printable lines, no trailing spaces."""
    lines = value.split("\n")
    return all(line.isprintable() and line == line.rstrip() for line in lines)


_Dumper.add_representer(str, _text)
