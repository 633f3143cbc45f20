"""PDSA cycles in words: what ``driverdiagram pdsa`` prints, as text, Markdown or
JSON-ready records, change ideas in file order and their cycles in date order."""

from __future__ import annotations

from typing import Any

from ..model import Cycle, Diagram, Level, Node
from ..text import markdown as _md
from ..text import words

_CYCLE_FIELDS = (
    ("objective", "Objective"),
    ("prediction", "Prediction"),
    ("plan", "Plan"),
    ("do", "Do"),
    ("study", "Study"),
)


def _dates(cycle: Cycle) -> str:
    if cycle.end is None:
        return f"{cycle.start} (ongoing)" if cycle.act is None else f"{cycle.start}"
    return f"{cycle.start} to {cycle.end}"


def _days(cycle: Cycle) -> int | None:
    return (cycle.end - cycle.start).days + 1 if cycle.end else None


def assigned(record: Node | Cycle) -> str:
    """Who leads a change idea or runs a cycle and when it is due, in words ('' when
    neither is written): 'Owner: Priya Shah, due 2026-12-01', 'Due 2026-12-01'."""
    parts = []
    if record.owner:
        parts.append(f"Owner: {words(record.owner)}")
    if record.due is not None:
        parts.append(f"{'due' if parts else 'Due'} {record.due.isoformat()}")
    return ", ".join(parts)


def changes_with_cycles(diagram: Diagram, change: str | None = None) -> list[Node]:
    """The change ideas that have cycles (or the one asked for), in file order."""
    return [
        node
        for node in diagram.at_level(Level.CHANGE)
        if (change is None and diagram.cycles_of(node.id)) or node.id == change
    ]


def pdsa_text(diagram: Diagram, change: str | None = None) -> str:
    lines: list[str] = []
    for node in changes_with_cycles(diagram, change):
        cycles = diagram.cycles_of(node.id)
        status = node.status.value if node.status else ""
        lines.append(f"{node.id}: {words(node.text)} [{status}, {_cycles(len(cycles))}]")
        if assigned(node):
            lines.append(f"  {assigned(node)}")
        for cycle in cycles:
            act = cycle.act.value if cycle.act else "not decided yet"
            lines.append(f"  Cycle {cycle.number}: {_dates(cycle)}; act: {act}")
            if assigned(cycle):
                lines.append(f"    {assigned(cycle)}")
            for key, title in _CYCLE_FIELDS:
                text = getattr(cycle, key)
                if text:
                    lines.append(f"    {title}: {words(text)}")
            if cycle.measures:
                lines.append(f"    Measures: {', '.join(cycle.measures)}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n" if lines else ""


def _cycles(count: int) -> str:
    return f"{count} PDSA cycle{'s' if count != 1 else ''}"


def _cell(text: str) -> str:
    """Text made safe for one Markdown table cell (never empty, so the table holds)."""

    return _md(text) or " "


def pdsa_markdown(diagram: Diagram, change: str | None = None) -> str:
    parts: list[str] = []
    for node in changes_with_cycles(diagram, change):
        cycles = diagram.cycles_of(node.id)
        status = node.status.value if node.status else ""
        parts.append(f"### {_cell(node.text)}\n")
        who = f" · {_md(assigned(node))}" if assigned(node) else ""
        parts.append(f"`{node.id}` · {status} · {_cycles(len(cycles))}{who}\n")
        if not cycles:
            continue
        parts.append("| Cycle | Dates | Prediction | What we learned | Act |")
        parts.append("|---|---|---|---|---|")
        for cycle in cycles:
            learned = cycle.study or cycle.do
            parts.append(
                f"| {cycle.number} | {_cell(_dates(cycle))} | {_cell(cycle.prediction)}"
                f" | {_cell(learned)} | {cycle.act.value if cycle.act else ' '} |"
            )
        parts.append("")
    return "\n".join(parts).rstrip("\n") + "\n" if parts else ""


def pdsa_records(diagram: Diagram, change: str | None = None) -> list[dict[str, Any]]:
    found = []
    for node in changes_with_cycles(diagram, change):
        found.append(
            {
                "id": node.id,
                "text": node.text,
                "status": node.status.value if node.status else None,
                "owner": node.owner or None,
                "due": node.due.isoformat() if node.due else None,
                "cycles": [
                    {
                        "number": cycle.number,
                        "name": cycle.label,
                        "start": cycle.start.isoformat(),
                        "end": cycle.end.isoformat() if cycle.end else None,
                        "days": _days(cycle),
                        "objective": cycle.objective,
                        "prediction": cycle.prediction,
                        "plan": cycle.plan,
                        "do": cycle.do,
                        "study": cycle.study,
                        "act": cycle.act.value if cycle.act else None,
                        "measures": list(cycle.measures),
                        "owner": cycle.owner or None,
                        "due": cycle.due.isoformat() if cycle.due else None,
                    }
                    for cycle in diagram.cycles_of(node.id)
                ],
            }
        )
    return found
