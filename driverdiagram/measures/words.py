"""Measures and PDSA cycles in words: what ``analyse`` and ``pdsa`` print.

Pure functions of a checked diagram: text, Markdown and JSON-ready data. The text
is printed to terminals, so what comes from the file is shown on one line, its
control characters as pictures (:func:`~driverdiagram.text.visible`), never obeyed.
"""

from __future__ import annotations

from typing import Any

from ..model import Diagram, Level, Measure, Node
from ..text import visible, words
from .runs import Analysis, analyse, verdict


def analysis_of(measure: Measure) -> Analysis:
    """The run chart analysis of a measure, by its own rules and baseline."""
    return analyse(measure.values, measure.rules.value, baseline=measure.baseline)


def verdict_of(measure: Measure, analysis: Analysis | None = None) -> str:
    """The plain-language verdict on a measure."""
    analysis = analysis or analysis_of(measure)
    return verdict(analysis, measure.direction.value if measure.direction else None)


def improving(measure: Measure) -> bool:
    """Whether the measure shows a signal of improvement."""
    return verdict_of(measure) == "signal of improvement"


def number(value: float | None) -> str:
    """A value as people write it: 67.5, 8, 0.25, 1,234 (at most two decimals)."""
    if value is None:
        return "-"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _owner(diagram: Diagram, measure: Measure) -> str:
    node = diagram.node(measure.node)
    if node.level == Level.AIM:
        return "the aim"
    return f"{node.level.noun} '{_short(node)}'"


def _short(node: Node, words: int = 8) -> str:
    parts = visible(node.text).split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


def _points(measure: Measure, indices: list[int]) -> str:
    """'2026-01 to 2026-08 (8 points)' for the points of a shift or trend."""
    if not indices:
        return "none"
    periods = [measure.points[index].period for index in indices]
    return f"{periods[0]} to {periods[-1]} ({len(indices)} points)"


def describe(diagram: Diagram, measure: Measure) -> list[str]:
    """The analysis of one measure as lines of text for a coach."""
    analysis = analysis_of(measure)
    lines = [f"{measure.id}: {words(measure.name)}"]
    detail = [measure.type.value, f"on {_owner(diagram, measure)}"]
    if measure.unit:
        detail.append(f"unit {words(measure.unit)}")
    if measure.direction:
        detail.append(better(measure))
    if measure.target is not None:
        detail.append(f"target {number(measure.target)}")
    lines.append("  " + "; ".join(detail))
    if not measure.points:
        lines.append("  verdict: no data yet (add 'data' or 'values')")
        return lines
    missing = sum(value is None for value in measure.values)
    lines.append(
        f"  {_count(len(measure.points), 'point')} ({measure.points[0].period} to"
        f" {measure.points[-1].period}), {missing} missing, {analysis.n_useful} useful;"
        f" median{baseline_words(measure, analysis)} {number(analysis.centre)}"
    )
    rules = "IHI rules" if analysis.rules == "ihi" else "Anhøj rules"
    expected = expected_runs(analysis)
    lines.append(
        f"  {rules}: longest run {analysis.longest_run} (more than"
        f" {analysis.longest_run_max} is a shift); crossings {analysis.crossings}"
        f" (fewer than {analysis.crossings_min} is a signal); runs {analysis.runs}"
        f" (expected {expected})"
    )
    for shift in analysis.shifts:
        side = "above" if shift.sense > 0 else "below"
        lines.append(f"  shift {side} the median: {_points(measure, list(shift.points))}")
    for trend in analysis.trends:
        way = "up" if trend.sense > 0 else "down"
        lines.append(f"  trend {way}: {_points(measure, list(trend.points))}")
    if analysis.too_few_runs:
        lines.append("  too few runs: the data stay on one side of the median too long")
    if analysis.too_many_runs:
        lines.append("  too many runs: the data cross the median more often than chance")
    astronomical = [point for point in measure.points if point.astronomical]
    for point in astronomical:
        lines.append(f"  astronomical point {point.period}: {words(point.note)}")
    lines.append(f"  verdict: {verdict_of(measure, analysis)}")
    return lines


def better(measure: Measure) -> str:
    """'higher is better' or 'lower is better' (the measure has a direction)."""
    assert measure.direction is not None
    return f"{'higher' if measure.direction.value == 'up' else 'lower'} is better"


def expected_runs(analysis: Analysis) -> str:
    """The runs a random process would give: '8 to 18', or 'at least 7' (Anhøj)."""
    lower, upper = analysis.runs_limits
    return f"{lower} to {upper}" if upper is not None else f"at least {lower}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def baseline_words(measure: Measure, analysis: Analysis) -> str:
    """' of the first 12 points (2024-11 to 2025-10)' for a frozen median, else ''."""
    if not measure.baseline or analysis.baseline_end >= len(measure.points) - 1:
        return ""
    last = measure.points[analysis.baseline_end].period
    return f" of the first {measure.baseline} values ({measure.points[0].period} to {last})"


def record(diagram: Diagram, measure: Measure) -> dict[str, Any]:
    """One measure and its analysis, as JSON-ready data."""
    analysis = analysis_of(measure)
    data: dict[str, Any] = {
        "id": measure.id,
        "name": measure.name,
        "box": measure.node,
        "type": measure.type.value,
        "unit": measure.unit,
        "direction": measure.direction.value if measure.direction else None,
        "target": measure.target,
        "baseline": measure.baseline,
        "periods": [point.period for point in measure.points],
        "values": measure.values,
        "notes": [
            {"period": p.period, "note": p.note, "astronomical": p.astronomical}
            for p in measure.points
            if p.note
        ],
    }
    data.update(analysis.to_dict())
    data["verdict"] = verdict_of(measure, analysis)
    return data


# -- PDSA cycles ----------------------------------------------------------------
