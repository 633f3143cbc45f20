"""The JSON export: every box, link, measure and cycle with every attribute, keys in a
fixed order; ``driverdiagram import`` reads it back into the same diagram."""

from __future__ import annotations

from typing import Any

from ..model import Cycle, Diagram, Measure, Point
from ..text import json_text

JSON_FORMAT = "driverdiagram"


def to_json(diagram: Diagram) -> str:
    """Every box and link with every attribute, keys in a fixed order.

    ``links`` are in the order they are written; ``ref`` marks a link written as
    ``ref: ID`` rather than where the box itself is written. ``driverdiagram
    import`` reads this back into the same diagram.
    """
    data: dict[str, Any] = {
        "format": JSON_FORMAT,
        "version": 1,
        "title": diagram.title,
        "team": diagram.team,
        "updated": diagram.updated,
        "notes": diagram.notes,
        "labels": dict(diagram.labels),
        "nodes": [
            {
                "id": node.id,
                "level": node.level.key,
                "text": node.text,
                "notes": node.notes,
                "status": node.status.value if node.status is not None else None,
                "owner": node.owner,
                "due": node.due.isoformat() if node.due else None,
                "focus": node.focus,
                "reflections": [
                    {"date": r.date.isoformat(), "rating": r.rating.value, "note": r.note}
                    for r in node.reflections
                ],
                "generated_id": node.generated_id,
                "line": node.location.line,
            }
            for node in diagram.nodes
        ],
        "links": [
            {
                "parent": link.parent,
                "child": link.child,
                "strength": link.strength.value,
                "ref": link.ref,
                "line": link.location.line,
            }
            for link in diagram.links
        ],
    }
    if diagram.measures:
        data["measures"] = [measure_record(measure) for measure in diagram.measures]
    if diagram.cycles:
        data["cycles"] = [cycle_record(cycle) for cycle in diagram.cycles]
    # json escapes C0 controls itself; json_text escapes C1 ones and U+2028/U+2029 too
    return json_text(data) + "\n"


def measure_record(measure: Measure) -> dict[str, Any]:
    """A measure with every attribute, its points in time order."""
    return {
        "id": measure.id,
        "box": measure.node,
        "name": measure.name,
        "short": measure.short,
        "type": measure.type.value,
        "definition": measure.definition,
        "direction": measure.direction.value if measure.direction else None,
        "unit": measure.unit,
        "target": measure.target,
        "baseline": measure.baseline,
        "rules": measure.rules.value,
        "chart": measure.chart,
        "exclude": list(measure.exclude),
        "phases": [{"from": phase.start, "label": phase.label} for phase in measure.phases],
        "screen": measure.screen,
        "data": measure.data,
        "generated_id": measure.generated_id,
        "points": [_point(point) for point in measure.points],
    }


def _point(point: Point) -> dict[str, Any]:
    """A point; a P or U chart's with its numerator and denominator."""
    found: dict[str, Any] = {"period": point.period, "value": point.value, "note": point.note}
    if point.denominator is not None:
        found["numerator"], found["denominator"] = point.numerator, point.denominator
    return found


def cycle_record(cycle: Cycle) -> dict[str, Any]:
    """A PDSA cycle with every attribute."""
    return {
        "change": cycle.change,
        "number": cycle.number,
        "name": cycle.name,
        "start": cycle.start.isoformat(),
        "end": cycle.end.isoformat() if cycle.end else None,
        "objective": cycle.objective,
        "prediction": cycle.prediction,
        "plan": cycle.plan,
        "do": cycle.do,
        "study": cycle.study,
        "act": cycle.act.value if cycle.act else None,
        "measures": list(cycle.measures),
        "owner": cycle.owner,
        "due": cycle.due.isoformat() if cycle.due else None,
    }
