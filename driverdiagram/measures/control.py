"""Control chart analysis: centre line and limits per point, phase by phase, and the
signals of a rule set (docs/measures.md, "Control charts"). Pure: no plotting.

The kinds (XmR, P, U, C) and their formulas are in :mod:`driverdiagram.measures.kinds`.
Here, as in qicharts2's ``qic.agg`` (github.com/anhoej/qicharts2, ``R/helper.functions.R``):

- ``baseline: N`` takes the centre and limits of the first phase from its first N
  periods (qicharts2's ``freeze``: periods as written, the missing and excluded among
  them left out) and extends them over the rest of the phase;
- an excluded point is left out of the centre, the limits and the rules that look at
  sequences, but is still flagged when it falls outside the limits;
- each phase (qicharts2's ``part``, NHSRplotthedots' ``rebase``) has its own centre,
  limits and signals;
- a unit of ``%`` or ``per N ...`` multiplies values, centre and limits alike, after
  P limits are clamped to [0, 1] and P, U and C lower limits at 0.

Rule sets:

- ``shewhart``, the control chart rules of Provost and Murray, *The Health Care Data
  Guide* (2011), chapter 5: a point outside the limits; 8 or more consecutive points on
  one side of the centre (points on it neither add nor break); 6 consecutive points
  going up or down (a repeated value neither makes nor breaks a trend); 2 of 3
  consecutive points beyond 2 sigma on the same side (the outer third, or beyond);
  15 or more consecutive points within 1 sigma of the centre (hugging).
- ``mdc``, NHS England's Making Data Count, as NHSRplotthedots implements it
  (``R/ptd_calculate_point_type.R``): a point outside the limits; 7 points in a row
  strictly rising or falling (a repeated value breaks the trend); 2 of 3 consecutive
  points on the same side of the mean with at least 2 of them between 2 sigma and the
  limit (only those flagged; a point on the mean or across it breaks the three); 7 points
  in a row on one side of the mean (a point on the mean breaks the run). Each point
  carries one rule, by precedence outside > trend > two-of-three > shift. The
  variation and assurance icons follow NHSRplotthedots (``ptd_calculate_assurance_type``):
  variation from the latest point, assurance from the target against the latest
  limits. Fewer than 13 points in a phase's basis: trial limits.
- ``anhoej``: qicharts2's runs analysis (``runs.analysis``: longest run above
  round(log2(n)) + 3, or fewer crossings than qbinom(0.05, n - 1, 0.5)) on the
  chart's centre line, plus points outside the limits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .kinds import CONTROL_RULES, KINDS, Phase
from .runs import MIN_POINTS, analyse, early, trends

#: Fewer points than this in the basis of a phase's limits: trial limits (Making Data Count).
TRIAL = 13
#: shewhart (The Health Care Data Guide): shift, trend and hugging lengths.
SHEWHART_SHIFT = 8
SHEWHART_TREND = 6
HUGGING = 15
#: mdc (Making Data Count): shift and trend lengths.
MDC_RUN = 7
#: Which rule wins when several flag a point (mdc), and which the verdict looks at first.
PRECEDENCE = ("outside", "trend", "two-of-three", "shift", "runs", "hugging")


@dataclass(frozen=True)
class ControlPoint:
    """One period on a control chart: its value, the centre and the limits at 3 sigma
    (``lower``, ``upper``), 2 sigma and 1 sigma, all in the measure's unit (None where
    they cannot be known: no data, no denominator); ``phase`` counts from 0."""

    index: int
    value: float | None
    centre: float | None
    lower: float | None
    upper: float | None
    lower2: float | None
    upper2: float | None
    lower1: float | None
    upper1: float | None
    excluded: bool
    phase: int


@dataclass(frozen=True)
class Signal:
    """Points that together break a rule: ``rule`` (outside, shift, trend,
    two-of-three, hugging, runs), the points (0-based indices), ``sense`` (+1 above the
    centre or going up, -1 below or down, 0 neither) and ``kind`` (improvement,
    concern or neutral, from the measure's direction)."""

    rule: str
    points: tuple[int, ...]
    sense: int
    kind: str
    phase: int


@dataclass(frozen=True)
class PhaseLimits:
    """A phase: its first and last point, the centre, how many points its limits are
    computed from (``basis``), whether those are trial limits, how many moving ranges
    screening left out, and (``anhoej``) the runs analysis on its centre line."""

    number: int
    first: int
    last: int
    centre: float | None
    basis: int
    trial: bool
    screened: int = 0
    runs: dict[str, Any] | None = None


@dataclass(frozen=True)
class ControlAnalysis:
    """The analysis of one control chart. Indices are 0-based positions in the series
    given, missing values included."""

    chart: str
    rules: str
    n: int
    n_values: int
    points: tuple[ControlPoint, ...]
    phases: tuple[PhaseLimits, ...]
    signals: tuple[Signal, ...] = ()
    variation: str | None = None
    variation_side: str | None = None
    assurance: str | None = None
    too_few_points: bool = True
    flags: dict[int, str] = field(default_factory=dict)  # mdc: each flagged point's rule

    @property
    def signal(self) -> bool:
        return bool(self.signals)

    @property
    def trial(self) -> bool:
        """Whether any phase has trial limits (fewer than 13 points behind them)."""
        return any(phase.trial for phase in self.phases)


def analyse_control(
    values: Sequence[float | int | None] | None = None,
    chart: str = "xmr",
    rules: str = "shewhart",
    *,
    numerators: Sequence[float | int | None] | None = None,
    denominators: Sequence[float | int | None] | None = None,
    scale: float = 1.0,
    baseline: int | None = None,
    exclude: Sequence[int] = (),
    phases: Sequence[int] = (),
    screen: bool = True,
    direction: str | None = None,
    target: float | None = None,
) -> ControlAnalysis:
    """Analyse a control chart.

    ``values`` are numbers in time order (None when missing) for an XmR or C chart,
    in the measure's unit; a P or U chart takes ``numerators`` and ``denominators``
    instead, and ``scale`` (100 for a percentage, 1000 for "per 1,000 ...") multiplies
    its values, centre and limits (an XmR or C chart ignores it). ``baseline`` fixes
    the first phase's limits on its first that many periods; ``exclude`` lists points
    (0-based) left out of the centre and limits;
    ``phases`` lists the points (0-based) where a new phase starts. ``screen`` leaves
    out moving ranges of 3.267 x their mean or more (XmR). ``direction`` (``up`` or
    ``down``) says which way is better, ``target`` is the value aimed for.
    """
    if chart not in KINDS:
        raise ValueError(f"unknown chart {chart!r}; use one of: {', '.join(KINDS)}")
    if rules not in CONTROL_RULES:
        raise ValueError(
            f"unknown rules {rules!r} for a control chart; use one of: {', '.join(CONTROL_RULES)}"
        )
    kind = KINDS[chart]
    if not kind.ratio:
        scale = 1.0  # an XmR or C chart's values are as written, already in the unit
    raw, sizes, shown = _series(kind.ratio, values, numerators, denominators, scale)
    n = len(raw)
    excluded = set(exclude)
    starts = sorted({0, *(start for start in phases if 0 < start < n)})
    bounds = list(zip(starts, [*starts[1:], n], strict=True)) if n else []
    points: list[ControlPoint] = []
    summaries: list[PhaseLimits] = []
    signals: list[Signal] = []
    flags: dict[int, str] = {}
    for number, (first, end) in enumerate(bounds):
        basis = [
            raw[i] is not None
            and i not in excluded
            and (number > 0 or baseline is None or i < baseline)
            for i in range(first, end)
        ]
        count = sum(basis)
        lines = None
        if count >= kind.needs:
            lines = kind.lines(Phase(raw[first:end], sizes[first:end], basis, screen, rules))
        for offset, i in enumerate(range(first, end)):
            points.append(_point(i, shown[i], lines, offset, kind, scale, i in excluded, number))
        centre = lines.centre * scale if lines is not None else None
        phase_points = points[first:end]
        runs_summary = None
        if lines is not None:
            found, runs_summary = _rules(rules, phase_points, direction, number)
            if rules == "mdc":
                found = _precedence(found, phase_points, flags, direction, number)
            signals.extend(found)
        summaries.append(
            PhaseLimits(
                number,
                first,
                end - 1,
                centre,
                count,
                count < TRIAL,
                lines.screened if lines is not None else 0,
                runs_summary,
            )
        )
    variation, side = _variation(points, signals)
    return ControlAnalysis(
        chart=chart,
        rules=rules,
        n=n,
        n_values=sum(value is not None for value in shown),
        points=tuple(points),
        phases=tuple(summaries),
        signals=tuple(signals),
        variation=variation,
        variation_side=side,
        assurance=_assurance(points, direction, target),
        too_few_points=sum(value is not None for value in shown) < MIN_POINTS,
        flags=flags,
    )


def _series(
    ratio: bool,
    values: Sequence[float | int | None] | None,
    numerators: Sequence[float | int | None] | None,
    denominators: Sequence[float | int | None] | None,
    scale: float,
) -> tuple[list[float | None], list[float | None], list[float | None]]:
    """(raw values, sizes, values as shown) from what was given."""
    if ratio:
        if numerators is None or denominators is None or len(numerators) != len(denominators):
            raise ValueError("a P or U chart needs numerators and denominators of one length")
        raw: list[float | None] = []
        sizes: list[float | None] = []
        for top, bottom in zip(numerators, denominators, strict=True):
            if top is None or bottom is None or not bottom:
                raw.append(None)
                sizes.append(None)
            else:
                raw.append(float(top) / float(bottom))
                sizes.append(float(bottom))
        return raw, sizes, [None if value is None else value * scale for value in raw]
    if values is None:
        raise ValueError("an XmR or C chart needs values")
    plain = [None if value is None else float(value) for value in values]
    for value in plain:
        if value is not None and not math.isfinite(value):
            raise ValueError(f"{value} is not a number a control chart can show")
    return plain, [None] * len(plain), plain


def _point(
    index: int,
    value: float | None,
    lines: Any,
    offset: int,
    kind: Any,
    scale: float,
    excluded: bool,
    phase: int,
) -> ControlPoint:
    sigma = lines.sigma[offset] if lines is not None else None
    if sigma is None:
        centre = lines.centre * scale if lines is not None else None
        return ControlPoint(
            index, value, centre, None, None, None, None, None, None, excluded, phase
        )

    def at(k: float) -> float:
        limit = lines.centre + k * sigma
        if kind.floor is not None:
            limit = max(limit, kind.floor)
        if kind.ceiling is not None:
            limit = min(limit, kind.ceiling)
        return limit * scale

    return ControlPoint(
        index,
        value,
        lines.centre * scale,
        at(-3),
        at(3),
        at(-2),
        at(2),
        at(-1),
        at(1),
        excluded,
        phase,
    )


# -- the rules ------------------------------------------------------------------------


def _kind(sense: int, direction: str | None) -> str:
    if sense == 0 or direction not in ("up", "down"):
        return "neutral"
    better = 1 if direction == "up" else -1
    return "improvement" if sense == better else "concern"


def _side(point: ControlPoint) -> int:
    """+1 above the centre, -1 below, 0 on it (within a billionth, as run charts)."""
    assert point.value is not None and point.centre is not None
    tolerance = 1e-9 * max(1.0, abs(point.centre))
    if abs(point.value - point.centre) <= tolerance:
        return 0
    return 1 if point.value > point.centre else -1


def _outside(point: ControlPoint) -> int:
    """+1 above the upper limit, -1 below the lower one, else 0 (strictly beyond, as
    qicharts2's sigma.signal and NHSRplotthedots' outside_limits)."""
    if point.value is None:
        return 0
    if point.upper is not None and point.value > point.upper:
        return 1
    if point.lower is not None and point.value < point.lower:
        return -1
    return 0


def _beyond2(point: ControlPoint) -> int:
    """+1 beyond the upper 2-sigma line, -1 beyond the lower one, else 0."""
    assert point.value is not None
    if point.upper2 is not None and point.value > point.upper2:
        return 1
    if point.lower2 is not None and point.value < point.lower2:
        return -1
    return 0


def _rules(
    rules: str, points: list[ControlPoint], direction: str | None, phase: int
) -> tuple[list[Signal], dict[str, Any] | None]:
    """The signals of one phase (before mdc's precedence), and anhoej's runs figures."""

    def signal(rule: str, found: Sequence[int], sense: int) -> Signal:
        return Signal(rule, tuple(found), sense, _kind(sense, direction), phase)

    found = [
        signal("outside", [point.index], _outside(point)) for point in points if _outside(point)
    ]
    sequence = [
        point
        for point in points
        if point.value is not None and not point.excluded and point.centre is not None
    ]
    if rules == "anhoej":
        extra, figures = _anhoej(sequence, signal)
        return found + extra, figures
    if rules == "shewhart":
        shift, trend = SHEWHART_SHIFT, SHEWHART_TREND
    else:
        shift, trend = MDC_RUN, MDC_RUN
    for stretch, sense in _one_side(sequence, shift, breaks=rules == "mdc"):
        found.append(signal("shift", stretch, sense))
    if rules == "shewhart":
        values = [point.value for point in sequence]
        for run in trends(values, trend):
            found.append(signal("trend", [sequence[i].index for i in run.points], run.sense))
        for stretch, sense in _two_of_three(sequence, lambda p: _beyond2(p), same_side=False):
            found.append(signal("two-of-three", stretch, sense))
        for stretch in _hugging(sequence):
            found.append(signal("hugging", stretch, 0))
    else:
        for stretch, sense in _strict_trends(sequence, trend):
            found.append(signal("trend", stretch, sense))

        def close(point: ControlPoint) -> int:
            return 0 if _outside(point) else _beyond2(point)

        for stretch, sense in _two_of_three(sequence, close, same_side=True):
            found.append(signal("two-of-three", stretch, sense))
    return found, None


def _one_side(
    sequence: list[ControlPoint], length: int, breaks: bool
) -> list[tuple[list[int], int]]:
    """Runs of ``length`` or more points on one side of the centre. A point on the
    centre breaks a run when ``breaks`` (mdc), else neither adds nor breaks (shewhart,
    as run charts)."""
    found: list[tuple[list[int], int]] = []
    run: list[int] = []
    sense = 0
    for point in [*sequence, None]:
        side = _side(point) if point is not None else 0
        if point is not None and side == 0 and not breaks:
            continue
        if point is not None and side != 0 and side == sense:
            run.append(point.index)
            continue
        if len(run) >= length:
            found.append((run, sense))
        run, sense = ([point.index], side) if point is not None and side else ([], 0)
    return found


def _strict_trends(sequence: list[ControlPoint], length: int) -> list[tuple[list[int], int]]:
    """Runs of ``length`` or more points each strictly above (or below) the one before:
    a repeated value breaks the trend (Making Data Count; NHSRplotthedots'
    ``ptd_seven_point_trend``)."""
    found: list[tuple[list[int], int]] = []
    run: list[ControlPoint] = sequence[:1]
    sense = 0
    for point in sequence[1:]:
        assert point.value is not None and run[-1].value is not None
        step = (point.value > run[-1].value) - (point.value < run[-1].value)
        if step and step == sense:
            run.append(point)
            continue
        if len(run) >= length:
            found.append(([p.index for p in run], sense))
        run, sense = [run[-1], point] if step else [point], step
    if len(run) >= length:
        found.append(([p.index for p in run], sense))
    return found


def _two_of_three(
    sequence: list[ControlPoint], beyond: Any, same_side: bool
) -> list[tuple[list[int], int]]:
    """Points beyond 2 sigma (by ``beyond``: +1 above, -1 below, 0 not) of which 2 of
    3 consecutive points are on one side; with ``same_side`` the third point must be
    on that side of the centre too (NHSRplotthedots' ``ptd_two_in_three``). Only the
    points beyond 2 sigma are flagged; flagged points that share a window are one
    signal."""
    marks = [beyond(point) for point in sequence]
    flagged: dict[int, int] = {}
    for start in range(len(sequence) - 2):
        window = range(start, start + 3)
        for sense in (1, -1):
            hits = [i for i in window if marks[i] == sense]
            if len(hits) < 2:
                continue
            if same_side and any(_side(sequence[i]) != sense for i in window):
                continue
            for i in hits:
                flagged[i] = sense
    found: list[tuple[list[int], int]] = []
    for i in sorted(flagged):
        if found and found[-1][1] == flagged[i] and i - found[-1][0][-1] <= 2:
            found[-1][0].append(i)
        else:
            found.append(([i], flagged[i]))
    return [([sequence[i].index for i in run], sense) for run, sense in found]


def _hugging(sequence: list[ControlPoint]) -> list[list[int]]:
    """Runs of 15 or more consecutive points within 1 sigma of the centre."""
    found: list[list[int]] = []
    run: list[int] = []
    for point in [*sequence, None]:
        if (
            point is not None
            and point.lower1 is not None
            and point.upper1 is not None
            and point.value is not None
            and point.lower1 < point.value < point.upper1
        ):
            run.append(point.index)
            continue
        if len(run) >= HUGGING:
            found.append(run)
        run = []
    return found


def _anhoej(sequence: list[ControlPoint], signal: Any) -> tuple[list[Signal], dict[str, Any]]:
    """qicharts2's runs analysis on the centre line of a phase (excluded points left
    out, as qicharts2's ``runs.analysis`` takes only included points)."""
    centre = sequence[0].centre if sequence else None
    result = analyse([point.value for point in sequence], "anhoej", centre=centre)
    found = [
        signal("shift", [sequence[i].index for i in stretch.points], stretch.sense)
        for stretch in result.shifts
    ]
    if result.too_few_runs:
        useful = [
            point.index
            for point in sequence
            if _side(point) != 0  # the points the crossings are counted on
        ]
        found.append(signal("runs", useful, result.last_side))
    figures = {
        "n_useful": result.n_useful,
        "longest_run": result.longest_run,
        "longest_run_max": result.longest_run_max,
        "crossings": result.crossings,
        "crossings_min": result.crossings_min,
    }
    return found, figures


def _precedence(
    found: list[Signal],
    points: list[ControlPoint],
    flags: dict[int, str],
    direction: str | None,
    phase: int,
) -> list[Signal]:
    """Making Data Count: each point keeps only its first rule by precedence (outside >
    trend > two-of-three > shift), a point in two trends the later one (as
    NHSRplotthedots); then the points of one rule and sense in a row are one signal."""
    best: dict[int, tuple[int, int, str]] = {}  # index -> (rank, -order, rule), sense below
    sense_of: dict[int, int] = {}
    for order, item in enumerate(found):
        rank = PRECEDENCE.index(item.rule)
        for index in item.points:
            key = (rank, -order, item.rule)
            if index not in best or key < best[index]:
                best[index] = key
                sense_of[index] = item.sense
    grouped: list[Signal] = []
    previous: tuple[str, int, int] | None = None  # rule, sense, position of the last flagged
    for position, point in enumerate(points):
        if point.index not in best:
            continue
        rule, sense = best[point.index][2], sense_of[point.index]
        flags[point.index] = rule
        gap = 2 if rule == "two-of-three" else 1  # 2 of 3: the point between is not flagged
        if previous is not None and previous[:2] == (rule, sense) and position - previous[2] <= gap:
            last = grouped[-1]
            grouped[-1] = Signal(rule, (*last.points, point.index), sense, last.kind, phase)
        else:
            grouped.append(Signal(rule, (point.index,), sense, _kind(sense, direction), phase))
        previous = (rule, sense, position)
    return grouped


# -- the summaries --------------------------------------------------------------------


def _variation(points: list[ControlPoint], signals: list[Signal]) -> tuple[str | None, str | None]:
    """The variation icon, from the latest point with a value: common-cause, or
    special-cause-improvement / -concern / -neutral with its side (high or low)."""
    latest = next((point for point in reversed(points) if point.value is not None), None)
    if latest is None or latest.centre is None:
        return None, None
    holding = [signal for signal in signals if latest.index in signal.points]
    if not holding:
        return "common-cause", None
    first = min(holding, key=lambda signal: PRECEDENCE.index(signal.rule))
    side = {1: "high", -1: "low"}.get(first.sense)
    return f"special-cause-{first.kind}", side


def _assurance(
    points: list[ControlPoint], direction: str | None, target: float | None
) -> str | None:
    """The assurance icon: the target against the latest limits (NHSRplotthedots'
    ``ptd_calculate_assurance_type``): beyond them on the wrong side = consistently-fail,
    on the right side = consistently-pass, between them = hit-or-miss. None without a
    target or a direction."""
    if target is None or direction not in ("up", "down"):
        return None
    latest = next(
        (p for p in reversed(points) if p.lower is not None and p.upper is not None), None
    )
    if latest is None:
        return None
    assert latest.lower is not None and latest.upper is not None
    up = direction == "up"
    if target > latest.upper:
        return "consistently-fail" if up else "consistently-pass"
    if target < latest.lower:
        return "consistently-pass" if up else "consistently-fail"
    return "hit-or-miss"


def control_verdict(analysis: ControlAnalysis, direction: str | None) -> str:
    """The analysis in a coach's words: the latest signal decides (by precedence when
    two end together), as on a run chart."""
    if analysis.n_values == 0:
        return "no data yet"
    if not analysis.signals:
        return "too few points to judge" if analysis.too_few_points else "no signal yet"
    found = _signal_words(analysis, direction)
    return early(found) if analysis.too_few_points else found


def _signal_words(analysis: ControlAnalysis, direction: str | None) -> str:
    latest = max(
        analysis.signals,
        key=lambda signal: (signal.points[-1], -PRECEDENCE.index(signal.rule)),
    )
    if latest.sense == 0:
        return (
            "signal of non-random variation (points hug the centre line: check how the"
            " data are collected, or whether the limits mix different processes)"
        )
    if direction not in ("up", "down"):
        return (
            f"signal ({'upwards' if latest.sense > 0 else 'downwards'};"
            " set the measure's 'direction' to judge it)"
        )
    return (
        "signal of improvement" if latest.kind == "improvement" else "signal in the wrong direction"
    )
