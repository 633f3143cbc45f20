"""Diagram -> a plain-text indented outline: the diagram's text alternative."""

from __future__ import annotations

from .model import Diagram, Level, Link, Status
from .text import visible

_NOUN = {
    Level.AIM: "Aim",
    Level.PRIMARY: "Primary driver",
    Level.SECONDARY: "Secondary driver",
    Level.TERTIARY: "Tertiary driver",
    Level.CHANGE: "Change idea",
}


def outline(diagram: Diagram, indent: str = "  ", ids: bool = False) -> str:
    """The diagram as an indented outline, one box a line, left to right.

    A box linked from several parents is written in full under the first and
    named again, marked "(also listed above)", under the others. With ``ids``
    each line starts with the box's id in brackets (for reviews and ``git diff``).
    Each box and the title is one line, control characters shown, never obeyed (the
    outline is printed to terminals and by ``git diff``).
    """
    lines: list[str] = []
    if diagram.title:
        lines.append(_line(diagram.title))
    seen: set[str] = set()

    def walk(node_id: str, depth: int, link: Link | None) -> None:
        node = diagram.node(node_id)
        words = [_NOUN[node.level]]
        if node.status is not None and node.status != Status.IDEA:
            words.append(f"({node.status.value})")
        if link is not None and link.strength.value == "weak":
            words.append("(weak link)")
        text = _line(node.text)
        again = node_id in seen
        suffix = " (also listed above)" if again and diagram.children(node_id) else ""
        label = f"[{node.id}] " if ids else ""
        lines.append(f"{indent * depth}{label}{' '.join(words)}: {text}{suffix}")
        if again:
            return
        seen.add(node_id)
        for child in diagram.children(node_id):
            walk(child.child, depth + 1, child)

    walk(diagram.aim.id, 0, None)
    return "\n".join(lines) + "\n"


def _line(text: str) -> str:
    """Text on one line, its control characters shown as pictures."""
    return " ".join(visible(text).split())
