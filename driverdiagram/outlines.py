"""Diagram -> a plain-text indented outline: the diagram's text alternative."""

from __future__ import annotations

from collections.abc import Iterator

from .model import DEFAULT_LABELS, Cycle, Diagram, Level, Link, Measure, Node, Rules, Status
from .text import new_id, visible

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
    for node, depth, link, again in _walk(diagram):
        suffix = " (also listed above)" if again and diagram.children(node.id) else ""
        label = f"[{node.id}] " if ids else ""
        lines.append(f"{indent * depth}{label}{_heading(node, link)}{suffix}")
    return "\n".join(lines) + "\n"


def _walk(diagram: Diagram) -> Iterator[tuple[Node, int, Link | None, bool]]:
    """The boxes left to right, each with its depth, the link it is reached by and
    whether it was reached before (a box under several parents: its boxes below are
    walked the first time only)."""
    seen: set[str] = set()

    def walk(
        node_id: str, depth: int, link: Link | None
    ) -> Iterator[tuple[Node, int, Link | None, bool]]:
        again = node_id in seen
        yield diagram.node(node_id), depth, link, again
        if again:
            return
        seen.add(node_id)
        for child in diagram.children(node_id):
            yield from walk(child.child, depth + 1, child)

    yield from walk(diagram.aim.id, 0, None)


def _heading(node: Node, link: Link | None) -> str:
    """'Change idea (testing) (weak link): its text', on one line."""
    words = [_NOUN[node.level]]
    if node.status is not None and node.status != Status.IDEA:
        words.append(f"({node.status.value})")
    if link is not None and link.strength.value == "weak":
        words.append("(weak link)")
    return f"{' '.join(words)}: {_line(node.text)}"


def _line(text: str) -> str:
    """Text on one line, its control characters shown as pictures."""
    return " ".join(visible(text).split())


def facts(diagram: Diagram) -> str:
    """Everything a diff of two versions should see, one fact a line: what ``git diff``
    shows through the textconv set-up (``driverdiagram outline --textconv``).

    Each line of a box starts with its id in brackets: the id written in the file, or,
    for a box without one, an id made from its words (never from its place, so a box
    inserted above does not change its neighbours' lines). Under the box: its notes,
    its measures field by field (a control chart's keys, each phase a line) with each
    data point (its numerator and denominator too) and the verdict, and its PDSA
    cycles field by field, each named by its start date. A measure's data file is
    named, not read: git hands the textconv an older version as a file elsewhere,
    and the data file's own diff shows its new rows."""
    ids = _stable_ids(diagram)
    lines: list[str] = []
    for key in ("title", "team", "updated", "notes"):
        value = getattr(diagram, key)
        if value:
            lines.append(f"{key}: {_line(value)}")
    for key, heading in diagram.labels:
        if heading != DEFAULT_LABELS[key]:
            lines.append(f"heading {key}: {_line(heading)}")
    measures: dict[str, list[Measure]] = {}
    for measure in diagram.measures:
        measures.setdefault(measure.node, []).append(measure)
    cycles: dict[str, list[Cycle]] = {}
    for cycle in diagram.cycles:
        cycles.setdefault(cycle.change, []).append(cycle)
    for node, depth, link, again in _walk(diagram):
        pad, label = "  " * depth, f"[{ids[node.id]}]"
        suffix = " (also listed above)" if again else ""
        lines.append(f"{pad}{label} {_heading(node, link)}{suffix}")
        if again:
            continue
        if node.notes:
            lines.append(f"{pad}{label} notes: {_line(node.notes)}")
        if node.owner:
            lines.append(f"{pad}{label} owner: {_line(node.owner)}")
        if node.due is not None:
            lines.append(f"{pad}{label} due: {node.due.isoformat()}")
        for measure in measures.get(node.id, []):
            lines.extend(f"{pad}{label} {fact}" for fact in _measure_facts(measure))
        for cycle in cycles.get(node.id, []):
            lines.extend(f"{pad}{label} {fact}" for fact in _cycle_facts(cycle))
    return "\n".join(lines) + "\n"


def _stable_ids(diagram: Diagram) -> dict[str, str]:
    """Each box's id as written, or made from its words when the file gives none."""
    taken = {node.id for node in diagram.nodes if not node.generated_id}
    ids: dict[str, str] = {}
    for node in diagram.nodes:
        if node.generated_id and node.level != Level.AIM:
            made = new_id(visible(node.text), taken)
            taken.add(made)
            ids[node.id] = made
        else:
            ids[node.id] = node.id
    return ids


def _measure_facts(measure: Measure) -> list[str]:
    from .measures.words import number, verdict_of  # the rules: only for a measure

    name = f"measure {measure.id}"
    facts = [f"{name}: {_line(measure.name)} ({measure.type.value})"]
    fields = (
        ("short", measure.short),
        ("definition", measure.definition),
        ("unit", measure.unit),
        ("direction", measure.direction.value if measure.direction else ""),
        ("target", number(measure.target) if measure.target is not None else ""),
        ("baseline", f"first {measure.baseline} points" if measure.baseline else ""),
        ("chart", measure.chart if measure.chart != "run" else ""),
        ("rules", measure.rules.value if measure.rules != Rules.IHI else ""),
        ("excluded", ", ".join(measure.exclude)),
        ("screen", "" if measure.screen else "off (every moving range kept)"),
        ("data file", measure.data),
    )
    facts += [f"{name} {key}: {_line(value)}" for key, value in fields if value]
    for phase in measure.phases:  # one a line, so a new or relabelled phase is one line
        label = f": {_line(phase.label)}" if phase.label else ""
        facts.append(f"{name} phase from {phase.start}{label}")
    for point in measure.points:
        note = f" ({_line(point.note)})" if point.note else ""
        counts = ""
        if point.value is not None and point.denominator is not None:
            counts = f" ({number(point.numerator)}/{number(point.denominator)})"
        facts.append(f"{name} {point.period}: {number(point.value)}{counts}{note}")
    if measure.points:
        facts.append(f"{name} verdict: {verdict_of(measure)}")
    return facts


def _cycle_facts(cycle: Cycle) -> list[str]:
    name = f"PDSA {cycle.start.isoformat()}"
    facts = [f"{name}: cycle {cycle.number}" + (f", {_line(cycle.name)}" if cycle.name else "")]
    fields = (
        ("end", cycle.end.isoformat() if cycle.end else ""),
        ("objective", cycle.objective),
        ("prediction", cycle.prediction),
        ("plan", cycle.plan),
        ("do", cycle.do),
        ("study", cycle.study),
        ("act", cycle.act.value if cycle.act else ""),
        ("measures", ", ".join(cycle.measures)),
        ("owner", cycle.owner),
        ("due", cycle.due.isoformat() if cycle.due else ""),
    )
    return facts + [f"{name} {key}: {_line(value)}" for key, value in fields if value]
