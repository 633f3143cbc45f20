"""Measures and PDSA cycles in words: what ``analyse`` and ``pdsa`` print.

Pure functions of a checked diagram: text, Markdown and JSON-ready data. The text
is printed to terminals, so what comes from the file is shown on one line, its
control characters as pictures (:func:`~driverdiagram.text.visible`), never obeyed.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Any

from ..model import Diagram, Level, Measure, Node, period_date
from ..text import visible, words
from .kinds import KINDS, RUN_RULES, multiplier

if TYPE_CHECKING:
    from .control import ControlAnalysis
    from .runs import Analysis

# The rules themselves (runs, control) are imported by the functions that apply them:
# a module that only needs a number or a badge's words in passing (a diff, a drawing
# without measures, the command line's help) loads none of the statistics.


def analysis_of(measure: Measure) -> Analysis:
    """The run chart analysis of a measure, by its own rules and baseline (a control
    chart's median and runs by Anhøj's rules, for what still draws it as a run chart)."""
    from .runs import analyse

    rules = measure.rules.value if measure.rules.value in RUN_RULES else "anhoej"
    phases = phase_starts(measure) if measure.chart not in KINDS else []
    return analyse(measure.values, rules, baseline=measure.baseline, phases=phases)


def phase_starts(measure: Measure) -> list[int]:
    """Where each of the measure's phases starts: the first point (0-based) on or after
    its 'from' period."""
    dates = [point.date for point in measure.points]  # in time order: the reader checked
    starts = []
    for phase in measure.phases:
        at = bisect.bisect_left(dates, period_date(phase.start))
        if at < len(dates):
            starts.append(at)
    return starts


def control_of(measure: Measure) -> ControlAnalysis | None:
    """The control chart analysis of a measure with ``chart: xmr|p|u|c``, else None."""
    from .control import analyse_control

    if measure.chart not in KINDS:
        return None
    periods = [point.period for point in measure.points]
    exclude = [periods.index(period) for period in measure.exclude if period in periods]
    starts = phase_starts(measure)
    return analyse_control(
        measure.values,
        measure.chart,
        measure.rules.value,
        numerators=[point.numerator for point in measure.points],
        denominators=[point.denominator for point in measure.points],
        scale=multiplier(measure.unit),
        baseline=measure.baseline,
        exclude=exclude,
        phases=starts,
        screen=measure.screen,
        direction=measure.direction.value if measure.direction else None,
        target=measure.target,
    )


def verdict_of(measure: Measure, analysis: Analysis | None = None) -> str:
    """The plain-language verdict on a measure."""
    from .control import control_verdict
    from .runs import verdict

    direction = measure.direction.value if measure.direction else None
    control = control_of(measure)
    if control is not None:
        return control_verdict(control, direction)
    analysis = analysis or analysis_of(measure)
    return verdict(analysis, direction)


#: The most characters of a name shortened for a badge (whole words only).
BADGE_NAME = 24

#: A verdict in the fewest words, for a box's badge on the diagram.
VERDICT_WORDS = {
    "signal of improvement": "improving",
    "signal in the wrong direction": "wrong direction",
    "no signal yet": "no signal yet",
    "too few points to judge": "too few points",
    "no data yet": "no data yet",
}


def badge_name(measure: Measure) -> str:
    """What a box's badge calls a measure: its ``short`` label, else the first words
    of its name that fit in :data:`BADGE_NAME` characters (a first word longer than
    that is kept whole), never its id, which may be made up."""
    if measure.short:
        return visible(measure.short)
    parts = visible(measure.name).split()
    kept = parts[:1]
    for part in parts[1:]:
        if len(" ".join([*kept, part])) > BADGE_NAME:
            break
        kept.append(part)
    return " ".join(kept) + ("..." if len(kept) < len(parts) else "")


#: What a badge says of a Making Data Count chart: its variation icon in words.
VARIATION_WORDS = {
    "common-cause": "common cause",
    "special-cause-improvement": "special cause improvement",
    "special-cause-concern": "special cause concern",
    "special-cause-neutral": "special cause",
}
#: The badge words the diagram draws in bold: good news, and (underlined too) bad news.
IMPROVING_WORDS = ("improving", "special cause improvement")
CONCERN_WORDS = ("wrong direction", "special cause concern")


def badge_verdict(measure: Measure) -> str:
    """The verdict in a word or three: 'improving', 'wrong direction', 'no signal yet',
    'too few points', 'early signal', 'no data yet', 'non-random variation', or
    'signal' (one the measure has no direction to judge). A Making Data Count (``mdc``)
    chart says its variation instead: 'common cause', 'special cause improvement',
    'special cause concern', or 'special cause, high' (or low) without a direction. A
    control chart whose latest limits rest on fewer than 13 points adds ', trial
    limits'."""
    from .control import control_verdict

    control = control_of(measure)
    if control is None:
        return _verdict_words(verdict_of(measure))
    if control.rules == "mdc" and control.variation in VARIATION_WORDS:
        found = VARIATION_WORDS[control.variation]
        if control.variation == "special-cause-neutral" and control.variation_side:
            found += f", {control.variation_side}"
    else:
        found = _verdict_words(control_verdict(control, _direction(measure)))
        if found in ("too few points", "early signal", "no data yet"):
            return found  # too few points for limits to be anything but trial ones
    latest = control.phases[-1] if control.phases else None
    trial = latest is not None and latest.trial and latest.centre is not None
    return found + (", trial limits" if trial else "")


def badge_tone(verdict: str) -> str:
    """'improvement', 'concern' or '' for a badge's words (:func:`badge_verdict`)."""
    head = verdict.split(",")[0]
    if head in IMPROVING_WORDS:
        return "improvement"
    return "concern" if head in CONCERN_WORDS else ""


def _verdict_words(found: str) -> str:
    if found.startswith("too few points to judge; early"):
        return "early signal"
    if found.startswith("signal of non-random"):
        return "non-random variation"
    return VERDICT_WORDS.get(found, "signal")


def with_unit(value: float | None, unit: str) -> str:
    """A value and its unit as people write them: '42%', '4 per 1,000 bed days'."""
    if not unit or value is None:
        return number(value)
    return f"{number(value)}{'' if unit == '%' else ' '}{words(unit)}"


def suggestion(measure: Measure, analysis: Analysis) -> str:
    """The new median a sustained shift proposes, in words ('' when there is none): a
    suggestion only, never applied (SPEC section 7)."""
    from .runs import SUSTAINED_LENGTH

    if analysis.new_median is None:
        return ""
    period = measure.points[analysis.new_median_from].period
    return (
        f"a sustained shift from {period}: a new median of"
        f" {with_unit(analysis.new_median, measure.unit)} (of its first {SUSTAINED_LENGTH}"
        " points) may describe the changed process; a suggestion only, the median"
        f" drawn is unchanged (to apply it, add 'phases: [{{from: {period}}}]' to the"
        " measure)"
    )


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
    return f"{periods[0]} to {periods[-1]} ({count(len(indices), 'point')})"


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
        detail.append(f"target {with_unit(measure.target, measure.unit)}")
    lines.append("  " + "; ".join(detail))
    if not measure.points:
        lines.append("  verdict: no data yet (add 'data' or 'values')")
        return lines
    control = control_of(measure)
    if control is not None:
        return lines + describe_control(measure, control)
    missing = sum(value is None for value in measure.values)
    lines.append(
        f"  {count(len(measure.points), 'point')} ({measure.points[0].period} to"
        f" {measure.points[-1].period}), {missing} missing, {analysis.n_useful} useful;"
        f" median{baseline_words(measure, analysis)} {with_unit(analysis.centre, measure.unit)}"
    )
    for at, phase in enumerate(analysis.phases if len(analysis.phases) > 1 else ()):
        named = phase_label(measure, at)
        lines.append(
            f"  phase {at + 1}{f' ({named})' if named else ''},"
            f" {measure.points[phase.first].period} to {measure.points[phase.last].period}:"
            f" median {with_unit(phase.centre, measure.unit)}"
        )
    rules = "IHI rules" if analysis.rules == "ihi" else "Anhøj rules"
    rules += " (last phase)" if len(analysis.phases) > 1 else ""
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
    if proposed := suggestion(measure, analysis):
        lines.append(f"  suggestion: {proposed}")
    if analysis.too_few_runs:
        lines.append("  too few runs: the data stay on one side of the median too long")
    if analysis.too_many_runs:
        lines.append("  too many runs: the data cross the median more often than chance")
    astronomical = [point for point in measure.points if point.astronomical]
    for point in astronomical:
        lines.append(f"  astronomical point {point.period}: {words(point.note)}")
    lines.append(f"  verdict: {verdict_of(measure, analysis)}")
    return lines


RULE_WORDS = {
    "outside": "outside the limits",
    "shift": "run on one side of the centre",
    "trend": "trend",
    "two-of-three": "2 of 3 beyond 2 sigma",
    "hugging": "15 or more within 1 sigma (hugging)",
    "runs": "too few crossings of the centre line",
    "astronomical": "astronomical point",
}
RULE_SET_WORDS = {
    "shewhart": "Shewhart rules (The Health Care Data Guide)",
    "mdc": "Making Data Count rules",
    "anhoej": "Anhøj rules on the centre line, and points outside the limits",
}


def describe_control(measure: Measure, control: ControlAnalysis) -> list[str]:
    """A control chart's analysis as lines of text: each phase's centre and limits, the
    signals, the icons and the verdict."""
    from .control import control_verdict

    kind = KINDS[control.chart]
    missing = sum(value is None for value in measure.values)
    lines = [
        f"{kind.title}, {RULE_SET_WORDS[control.rules]};"
        f" {count(len(measure.points), 'point')} ({measure.points[0].period} to"
        f" {measure.points[-1].period}), {missing} missing,"
        f" {len(measure.exclude)} excluded",
        *phase_lines(measure, control),
        *signal_lines(measure, control),
    ]
    if control.variation:
        lines.append(icon_words(control))
    lines.append(f"verdict: {control_verdict(control, _direction(measure))}")
    return [f"  {line}" for line in lines]


def phase_label(measure: Measure, number: int) -> str:
    """The label the measure gives phase ``number`` (counted from 0; the first phase has
    none), '' when it has none."""
    if number == 0 or number > len(measure.phases):
        return ""
    return words(measure.phases[number - 1].label)


def phase_lines(measure: Measure, control: ControlAnalysis) -> list[str]:
    """A line for each phase: its periods, centre, limits and what they came from."""
    lines = []
    for phase in control.phases:
        points = control.points[phase.first : phase.last + 1]
        lowers = [p.lower for p in points if p.lower is not None]
        uppers = [p.upper for p in points if p.upper is not None]
        span = f"{measure.points[phase.first].period} to {measure.points[phase.last].period}"
        named = phase_label(measure, phase.number)
        label = f" ({named})" if named else ""
        if phase.centre is None or not lowers:
            lines.append(f"phase {phase.number + 1}{label}, {span}: too few points for limits")
            continue
        limits = f"{_span(lowers)} to {_span(uppers)}" + (
            " (by point)" if len(set(lowers)) > 1 or len(set(uppers)) > 1 else ""
        )
        notes = []
        if phase.trial:
            notes.append(f"trial limits: {phase.basis} points, fewer than 13")
        if phase.screened:
            notes.append(f"{count(phase.screened, 'moving range')} screened out")
        lines.append(
            f"phase {phase.number + 1}{label}, {span}: centre {number(phase.centre)},"
            f" limits {limits}, from {count(phase.basis, 'point')}"
            + (f" ({'; '.join(notes)})" if notes else "")
        )
    return lines


def signal_lines(measure: Measure, control: ControlAnalysis) -> list[str]:
    """A line for each signal: its rule and side, its periods and its kind."""
    lines = []
    for signal in control.signals:
        periods = [measure.points[i].period for i in signal.points]
        where = periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"
        side = {1: " (high)", -1: " (low)"}.get(signal.sense, "")
        lines.append(
            f"{RULE_WORDS[signal.rule]}{side}: {where}"
            f" ({count(len(periods), 'point')}), {signal.kind}"
        )
    return lines


#: The most stretches of one rule listed in :func:`signal_summary` before '... and N more'.
SUMMARY_STRETCHES = 6


def signal_summary(measure: Measure, control: ControlAnalysis) -> list[str]:
    """The signals in as few lines as say them all: one per rule, side and kind, with
    its stretches of periods ('outside the limits (low), concern: 2024-12, 2025-02')."""
    groups: dict[tuple[str, int, str], list[str]] = {}
    for signal in control.signals:
        periods = [measure.points[i].period for i in signal.points]
        where = periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"
        groups.setdefault((signal.rule, signal.sense, signal.kind), []).append(where)
    lines = []
    for (rule, sense, kind), stretches in groups.items():
        side = {1: " (high)", -1: " (low)"}.get(sense, "")
        shown = ", ".join(stretches[:SUMMARY_STRETCHES])
        if len(stretches) > SUMMARY_STRETCHES:
            shown += f" and {len(stretches) - SUMMARY_STRETCHES:,} more"
        lines.append(f"{RULE_WORDS[rule]}{side}, {kind}: {shown}")
    return lines


def icon_words(control: ControlAnalysis) -> str:
    """The variation and assurance icons in words: 'variation: special cause concern
    (high); assurance: hit or miss'."""
    assert control.variation is not None
    icon = control.variation.replace("-", " ")
    return (
        f"variation: {icon}"
        + (f" ({control.variation_side})" if control.variation_side else "")
        + (f"; assurance: {control.assurance.replace('-', ' ')}" if control.assurance else "")
    )


def _span(values: list[float]) -> str:
    """'4.2', or '1.1-2.3' for limits that vary by point."""
    low, high = number(min(values)), number(max(values))
    return low if low == high else f"{low}-{high}"


def _direction(measure: Measure) -> str | None:
    return measure.direction.value if measure.direction else None


def better(measure: Measure) -> str:
    """'higher is better' or 'lower is better' (the measure has a direction)."""
    assert measure.direction is not None
    return f"{'higher' if measure.direction.value == 'up' else 'lower'} is better"


def expected_runs(analysis: Analysis) -> str:
    """The runs a random process would give: '8 to 18', or 'at least 7' (Anhøj)."""
    lower, upper = analysis.runs_limits
    return f"{lower} to {upper}" if upper is not None else f"at least {lower}"


def count(number: int, noun: str) -> str:
    """'1 crossing', '3 crossings', '1,204 points'."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


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
    control = control_of(measure)
    data["chart"] = measure.chart
    if control is None:
        data.update(analysis.to_dict())
        if analysis.new_median is not None:
            data["new_median_from"] = measure.points[analysis.new_median_from].period
        data["suggestion"] = suggestion(measure, analysis) or None
        data.update(_run_points(measure, analysis))
        data["variation"] = data["assurance"] = None
    else:
        data.update(control_record(measure, control))
    data["verdict"] = verdict_of(measure, analysis)
    return data


def _kind(sense: int, measure: Measure) -> str:
    direction = _direction(measure)
    if not sense or direction is None:
        return "neutral"
    return "improvement" if sense == (1 if direction == "up" else -1) else "concern"


def _run_points(measure: Measure, analysis: Analysis) -> dict[str, Any]:
    """A run chart's points and signals in the shape of a control chart's."""
    periods = [point.period for point in measure.points]
    signals: list[dict[str, Any]] = []
    for rule, stretches in (("shift", analysis.shifts), ("trend", analysis.trends)):
        for stretch in stretches:
            signals.append(
                {
                    "rule": rule,
                    "periods": [periods[i] for i in stretch.points],
                    "kind": _kind(stretch.sense, measure),
                }
            )
    if analysis.too_few_runs or analysis.too_many_runs:
        sense = analysis.last_side if analysis.too_few_runs else 0
        signals.append(
            {
                "rule": "runs",
                "periods": [p.period for p in measure.points if p.value is not None],
                "kind": _kind(sense, measure),
            }
        )
    for point in measure.points:
        if point.astronomical:
            signals.append({"rule": "astronomical", "periods": [point.period], "kind": "neutral"})
    phase_of = [0] * len(measure.points)
    centres: list[float | None] = [analysis.centre] * len(measure.points)
    for number, phase in enumerate(analysis.phases):
        for index in range(phase.first, phase.last + 1):
            phase_of[index], centres[index] = number, phase.centre
    return {
        "points": [
            {
                "period": point.period,
                "value": point.value,
                "centre": centres[index],
                "lower": None,
                "upper": None,
                "excluded": False,
                "phase": phase_of[index],
            }
            for index, point in enumerate(measure.points)
        ],
        "signals": signals,
    }


def control_record(measure: Measure, control: ControlAnalysis) -> dict[str, Any]:
    """A control chart's analysis as JSON-ready data (SPEC section 7's fields and more)."""
    periods = [point.period for point in measure.points]
    return {
        "rules": control.rules,
        "screen": measure.screen,
        "exclude": list(measure.exclude),
        "phases": [
            {
                "from": periods[phase.first],
                "to": periods[phase.last],
                "label": measure.phases[phase.number - 1].label if phase.number else "",
                "centre": phase.centre,
                "basis": phase.basis,
                "trial": phase.trial,
                "screened": phase.screened,
                **({"runs": phase.runs} if phase.runs is not None else {}),
            }
            for phase in control.phases
        ],
        "points": [
            {
                "period": periods[point.index],
                "value": point.value,
                "centre": point.centre,
                "lower": point.lower,
                "upper": point.upper,
                "lower_2sigma": point.lower2,
                "upper_2sigma": point.upper2,
                "excluded": point.excluded,
                "phase": point.phase,
            }
            for point in control.points
        ],
        "signals": [
            {
                "rule": signal.rule,
                "periods": [periods[i] for i in signal.points],
                "kind": signal.kind,
                "side": {1: "high", -1: "low"}.get(signal.sense),
            }
            for signal in control.signals
        ],
        "variation": control.variation,
        "variation_side": control.variation_side,
        "assurance": control.assurance,
        "trial_limits": control.trial,
        "signal": control.signal,
        "too_few_points": control.too_few_points,
    }


# -- PDSA cycles ----------------------------------------------------------------
