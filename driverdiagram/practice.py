"""A coach's own practice (the article's six domains, as primary drivers): whether a
diagram is one, which domains are in focus and which boxes are set aside for now, and
the reflections as a table of domains by date for the portal and the paper."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .model import Diagram, Level, Node, Rating

#: The six domains of a QI coach's practice, as the article names them (and the
#: coach-practice template writes them).
DOMAINS = (
    "Shifting your mindset",
    "Developing technical knowledge and skills",
    "Creating buy-in",
    "Deepening relationships",
    "Building the capacity of others",
    "Practising professional self-care",
)


def _normal(text: str) -> str:
    """Text as lint compares box texts: case and punctuation aside."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def is_practice(diagram: Diagram) -> bool:
    """Whether the diagram is a coach's own practice: a primary driver has a focus or a
    reflection, or three or more primary drivers are the article's practice domains."""
    primaries = diagram.at_level(Level.PRIMARY)
    if any(node.focus or node.reflections for node in primaries):
        return True
    domains = {_normal(domain) for domain in DOMAINS}
    return sum(_normal(node.text) in domains for node in primaries) >= 3


def set_aside(diagram: Diagram) -> set[str]:
    """In a coach's practice with domains in focus, the boxes that serve only the
    domains not in focus: set aside for now, so the measurement rules (DD112, DD113)
    leave them be."""
    if not is_practice(diagram):
        return set()
    primaries = diagram.at_level(Level.PRIMARY)
    if not any(node.focus for node in primaries):
        return set()
    import networkx as nx  # only here: the papers' and portal's tables need none of it

    from .graph import to_graph

    graph = to_graph(diagram)
    kept: set[str] = set()
    for node in primaries:
        if node.focus:
            kept |= nx.descendants(graph, node.id) | {node.id}
    return {node.id for node in diagram.nodes if node.level != Level.AIM} - kept


def in_focus(diagram: Diagram) -> list[Node]:
    """The practice domains in focus, in file order."""
    return [node for node in diagram.at_level(Level.PRIMARY) if node.focus]


@dataclass(frozen=True)
class DomainRow:
    """A practice domain in the table of reflections: its text, whether it is in focus,
    and its rating on each of the table's dates (None where it had no reflection)."""

    domain: Node
    ratings: tuple[Rating | None, ...]


def reflection_table(diagram: Diagram) -> tuple[list[dt.date], list[DomainRow]]:
    """The dates any domain was reflected on (oldest first) and a row per primary
    driver: empty when no domain has a reflection."""
    domains = diagram.at_level(Level.PRIMARY)
    dates = sorted({r.date for node in domains for r in node.reflections})
    if not dates:
        return [], []
    rows = []
    for node in domains:
        on = {r.date: r.rating for r in node.reflections}
        rows.append(DomainRow(node, tuple(on.get(date) for date in dates)))
    return dates, rows
