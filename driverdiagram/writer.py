"""Diagram -> tidy YAML in the format of SPEC.md section 2 (for imports and conversions).

The YAML reads back as the same diagram: the same boxes, ids, links and their
order, so it draws the same DOT. Boxes keep the ids they have; a box that is
linked from several parents and has none gets one made from its text, because
``ref`` needs it. Everything else is written as briefly as the format allows.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .model import DEFAULT_LABELS, Diagram, Level, Link, Node, Status, Strength


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
    if ids[aim.id] == "aim" and not aim.notes:
        data["aim"] = aim.text
    else:
        data["aim"] = _without_empty({"id": ids[aim.id], "text": aim.text, "notes": aim.notes})
        if data["aim"].get("id") == "aim":
            del data["aim"]["id"]
    data["primary"] = [_entry(diagram, link, ids) for link in diagram.children(aim.id)]
    if diagram.notes:
        data["notes"] = diagram.notes
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88, indent=2)


def _entry(diagram: Diagram, link: Link, ids: dict[str, str | None]) -> Any:
    node = diagram.node(link.child)
    if not _defines(link, node):
        ref: dict[str, Any] = {"ref": ids[node.id]}
        if link.strength != Strength.STRONG:
            ref["strength"] = link.strength.value
        return ref
    entry: dict[str, Any] = {}
    if ids[node.id]:
        entry["id"] = ids[node.id]
    entry["text"] = node.text
    if node.status is not None and node.status != Status.IDEA:
        entry["status"] = node.status.value
    if link.strength != Strength.STRONG:
        entry["strength"] = link.strength.value
    if node.notes:
        entry["notes"] = node.notes
    for child in diagram.children(node.id):
        key = diagram.node(child.child).level.key
        if diagram.node(child.child).level == Level.CHANGE:
            key = "changes"
        entry.setdefault(key, []).append(_entry(diagram, child, ids))
    if list(entry) == ["text"]:
        return node.text
    return entry


def _defines(link: Link, node: Node) -> bool:
    """Whether this link is where the box is written (not a ``ref`` to it)."""
    return link.location == node.location


def _ids(diagram: Diagram) -> dict[str, str | None]:
    """The id to write for each box: its own, one made up for a shared box, or None."""
    taken = {node.id for node in diagram.nodes if not node.generated_id}
    ids: dict[str, str | None] = {}
    for node in diagram.nodes:
        if not node.generated_id:
            ids[node.id] = node.id
        elif len(diagram.parents(node.id)) > 1:
            ids[node.id] = _fresh(node.text, taken)
            taken.add(ids[node.id] or "")
        else:
            ids[node.id] = None
    return ids


def _fresh(text: str, taken: set[str]) -> str:
    """A short, readable id from the first words of the text."""
    words = re.findall(r"[^\W_]+", text.lower())[:4]
    base = "-".join(words) or "box"
    if not base[0].isalpha():
        base = "box-" + base
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    return name


def _without_empty(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in entry.items() if value}


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, multi-line text as ``|`` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and _block_safe(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _block_safe(value: str) -> bool:
    """Text that a ``|`` block keeps exactly: printable lines, no trailing spaces."""
    lines = value.split("\n")
    return all(line.isprintable() and line == line.rstrip() for line in lines)


_Dumper.add_representer(str, _text)
