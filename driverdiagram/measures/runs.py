"""Run chart analysis: the IHI rules and Anhøj's rules, on a series of numbers.

Both work on the *useful* points: missing values and points exactly on the
centre line are left out. The centre is the median of the first ``baseline``
values (a frozen baseline; missing periods are not values) or of all values,
unless one is given.

``ihi`` (Perla, Provost and Murray 2011; Provost and Murray, *The Health Care
Data Guide*):

- shift: 6 or more consecutive useful points on the same side of the centre;
- trend: 5 or more consecutive points all going up or all going down, counted
  on the points that are not missing (points on the centre count here); a
  repeated value neither makes nor breaks a trend;
- runs: crossings + 1, too few or too many when outside the limits of the
  runs test of Swed and Eisenhart (1943), computed exactly here (see
  :func:`runs_limits`);
- astronomical points are the team's judgement (the data's note column).

``anhoej`` (Anhøj and Olesen 2014, as the R package qicharts2 applies them):
a signal when the longest run is longer than ``round(log2(n) + 3)`` or there
are fewer crossings than the 5th percentile of Binomial(n - 1, 0.5).

After a sustained shift (:data:`SUSTAINED_LENGTH` or more points on one side) a
new median is proposed, as the R package runcharter does: the median of the
shift's first nine points, from its first point on. It is a suggestion (SPEC
section 7): the centre line stays as it was.

Fewer than 10 data points (values that are not missing; points on the centre
line count, as SPEC section 6 says) are analysed all the same and flagged
``too_few_points``: too few to judge, though a signal found in them is still
reported, as an early signal. From 10 data points on a signal decides the verdict
even when many points sit on the median.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cache
from itertools import pairwise

#: Below this many data points (values not missing) a chart is drawn but not judged.
MIN_POINTS = 10
#: IHI: this many points on one side of the centre make a shift...
SHIFT_LENGTH = 6
#: ...and this many going up (or down) make a trend.
TREND_LENGTH = 5
#: A shift this long is sustained: a new median may be proposed from its first this
#: many points (runcharter's default ``runlength``, Wilson 2019).
SUSTAINED_LENGTH = 9
#: The two-sided significance of the runs tests.
ALPHA = Fraction(5, 100)

RULES = ("ihi", "anhoej")


@dataclass(frozen=True)
class Stretch:
    """A shift or a trend: its first and last point (0-based, inclusive) and its
    sense: +1 above the centre or going up, -1 below or going down."""

    first: int
    last: int
    sense: int
    points: tuple[int, ...]  # the points that make it, 0-based


@dataclass(frozen=True)
class RunPhase:
    """A phase of a run chart: its first and last point (0-based) and its median."""

    first: int
    last: int
    centre: float | None


@dataclass(frozen=True)
class Analysis:
    """The run chart analysis of one series. Indices are 0-based positions in the
    series given, missing values included."""

    rules: str
    n: int  # the points given, missing ones included
    n_useful: int  # not missing and not on the centre line
    centre: float | None
    longest_run: int
    longest_run_max: int  # a longer run is a signal (IHI: 5, so 6 is a shift)
    crossings: int
    crossings_min: int  # fewer crossings are a signal
    runs: int  # crossings + 1, or 0 without useful points
    runs_limits: tuple[int, int | None]  # fewer or more runs than these are a signal
    shift_points: list[int] = field(default_factory=list)
    trend_points: list[int] = field(default_factory=list)
    shifts: tuple[Stretch, ...] = ()
    trends: tuple[Stretch, ...] = ()
    too_few_runs: bool = False
    too_many_runs: bool = False
    signal: bool = False
    too_few_points: bool = True
    last_side: int = 0  # the side of the centre of the last useful point
    n_values: int = 0  # points that are not missing
    baseline_end: int = -1  # the index of the last point of the baseline (or of all)
    new_median: float | None = None  # proposed after a sustained shift: a suggestion only
    new_median_from: int = -1  # the first point of that shift
    phases: tuple[RunPhase, ...] = ()  # each phase's points and median (one without phases)

    def to_dict(self) -> dict[str, object]:
        """The fields that describe the analysis, as JSON-ready values."""
        return {
            "rules": self.rules,
            "n": self.n,
            "n_useful": self.n_useful,
            "centre": self.centre,
            "longest_run": self.longest_run,
            "longest_run_max": self.longest_run_max,
            "crossings": self.crossings,
            "crossings_min": self.crossings_min,
            "runs": self.runs,
            "runs_limits": list(self.runs_limits),
            "shift_points": list(self.shift_points),
            "trend_points": list(self.trend_points),
            "too_few_runs": self.too_few_runs,
            "too_many_runs": self.too_many_runs,
            "signal": self.signal,
            "too_few_points": self.too_few_points,
            "new_median": self.new_median,
            "new_median_from": self.new_median_from if self.new_median is not None else None,
            "phases": [
                {"first": phase.first, "last": phase.last, "centre": phase.centre}
                for phase in self.phases
            ],
        }


def analyse(
    values: Sequence[float | int | None],
    rules: str = "ihi",
    centre: float | None = None,
    baseline: int | None = None,
    phases: Sequence[int] = (),
) -> Analysis:
    """Analyse a run chart.

    ``values`` are numbers in time order, None for a missing period. ``centre``
    overrides the median; ``baseline`` takes the median of the first that many
    values (a frozen baseline; None is not a value) instead of all of them.
    ``phases`` lists the points (0-based) where a new phase starts: each phase has its
    own median and rules, as qicharts2's ``part`` (the baseline is the first phase's).
    """
    starts = sorted({0, *(start for start in phases if 0 < start < len(values))})
    if len(starts) > 1:
        return _phased(values, rules, centre, baseline, starts)
    if rules not in RULES:
        raise ValueError(f"unknown rules {rules!r}; use one of: {', '.join(RULES)}")
    if baseline is not None and baseline < 1:
        raise ValueError("baseline must be a number of points, 1 or more")
    series = [None if value is None else float(value) for value in values]
    for value in series:
        if value is not None and not math.isfinite(value):
            raise ValueError(f"{value} is not a number a run chart can show")
    baseline_end = _baseline_end(series, baseline)
    centre = median(series[: baseline_end + 1]) if centre is None else float(centre)

    useful = _useful(series, centre)
    n_useful = len(useful)
    runs = _runs(useful)
    crossings = max(len(runs) - 1, 0)
    longest_run = max((len(run) for run in runs), default=0)
    if rules == "ihi":
        limits: tuple[int, int | None] = runs_limits(n_useful)
        longest_max = SHIFT_LENGTH - 1
        crossings_min = max(limits[0] - 1, 0)
    else:
        crossings_min = binomial_quantile(max(n_useful - 1, 0), ALPHA)
        longest_max = round(math.log2(n_useful) + 3) if n_useful else 0
        limits = (crossings_min + 1, None)
    shifts = tuple(
        Stretch(run[0][0], run[-1][0], run[0][1], tuple(index for index, _ in run))
        for run in runs
        if len(run) > longest_max
    )
    found_trends = trends(series, TREND_LENGTH) if rules == "ihi" else ()
    sustained = [shift for shift in shifts if len(shift.points) >= SUSTAINED_LENGTH]
    proposal = max(sustained, key=lambda shift: shift.last) if sustained else None
    n_runs = len(runs)
    too_few_runs = bool(n_useful) and n_runs < limits[0]
    too_many_runs = limits[1] is not None and n_runs > limits[1]
    return Analysis(
        rules=rules,
        n=len(series),
        n_useful=n_useful,
        centre=centre,
        longest_run=longest_run,
        longest_run_max=longest_max,
        crossings=crossings,
        crossings_min=crossings_min,
        runs=n_runs,
        runs_limits=limits,
        shift_points=sorted({index for shift in shifts for index in shift.points}),
        trend_points=sorted({index for trend in found_trends for index in trend.points}),
        shifts=shifts,
        trends=found_trends,
        too_few_runs=too_few_runs,
        too_many_runs=too_many_runs,
        signal=bool(shifts or found_trends or too_few_runs or too_many_runs),
        too_few_points=sum(value is not None for value in series) < MIN_POINTS,
        last_side=useful[-1][1] if useful else 0,
        n_values=sum(value is not None for value in series),
        baseline_end=baseline_end,
        new_median=(
            median([series[i] for i in proposal.points[:SUSTAINED_LENGTH]]) if proposal else None
        ),
        new_median_from=proposal.first if proposal else -1,
        phases=(RunPhase(0, len(series) - 1, centre),),
    )


def _phased(
    values: Sequence[float | int | None],
    rules: str,
    centre: float | None,
    baseline: int | None,
    starts: list[int],
) -> Analysis:
    """A run chart in phases: each analysed on its own, the signals of all of them kept
    (their points counted in the whole series), the runs test and the suggestion of a
    new median those of the last phase, the process as it is now."""
    bounds = list(zip(starts, [*starts[1:], len(values)], strict=True))
    parts = [
        analyse(values[first:end], rules, centre, baseline if first == 0 else None)
        for first, end in bounds
    ]

    def moved(stretches: tuple[Stretch, ...], by: int) -> tuple[Stretch, ...]:
        return tuple(
            Stretch(s.first + by, s.last + by, s.sense, tuple(i + by for i in s.points))
            for s in stretches
        )

    placed = list(zip(parts, bounds, strict=True))
    shifts = tuple(s for part, (first, _) in placed for s in moved(part.shifts, first))
    found = tuple(s for part, (first, _) in placed for s in moved(part.trends, first))
    last, (last_first, _) = parts[-1], bounds[-1]
    n_values = sum(part.n_values for part in parts)
    return replace(
        last,
        n=len(values),
        shift_points=sorted({index for shift in shifts for index in shift.points}),
        trend_points=sorted({index for trend in found for index in trend.points}),
        shifts=shifts,
        trends=found,
        signal=any(part.signal for part in parts),
        too_few_points=n_values < MIN_POINTS,
        n_values=n_values,
        baseline_end=parts[0].baseline_end,
        new_median_from=last.new_median_from + last_first if last.new_median is not None else -1,
        phases=tuple(RunPhase(first, end - 1, part.centre) for part, (first, end) in placed),
    )


def _baseline_end(series: list[float | None], baseline: int | None) -> int:
    """The index of the last point of the baseline: the ``baseline``-th value that is
    not missing (or the last point of all)."""
    if not baseline:
        return len(series) - 1
    seen = 0
    for index, value in enumerate(series):
        if value is not None:
            seen += 1
            if seen == baseline:
                return index
    return len(series) - 1


def median(values: Sequence[float | None]) -> float | None:
    """The median of the values that are not missing (None when there are none)."""
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def _useful(series: list[float | None], centre: float | None) -> list[tuple[int, int]]:
    """(index, side) of each point off the centre line, side +1 above and -1 below.

    A point within a billionth of the centre is on it: the median of 87.1 and
    87.3 is 87.19999999999999 in floating point, and a point of 87.2 is on it.
    """
    if centre is None:
        return []
    tolerance = 1e-9 * max(1.0, abs(centre))
    return [
        (index, 1 if value > centre else -1)
        for index, value in enumerate(series)
        if value is not None and abs(value - centre) > tolerance
    ]


def _runs(useful: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The useful points cut into runs on one side of the centre."""
    runs: list[list[tuple[int, int]]] = []
    for point in useful:
        if runs and runs[-1][-1][1] == point[1]:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


def trends(series: Sequence[float | None], length: int) -> tuple[Stretch, ...]:
    """Runs of ``length`` or more points all going up or all going down.

    Missing values are skipped; a value equal to the one before it is skipped
    too, so it neither lengthens nor breaks a trend. A point that turns is the
    last of one trend and the first of the next.
    """
    kept: list[tuple[int, float]] = []
    for index, value in enumerate(series):
        if value is None or (kept and kept[-1][1] == value):
            continue
        kept.append((index, value))
    steps = [1 if later[1] > earlier[1] else -1 for earlier, later in pairwise(kept)]
    trends: list[Stretch] = []
    start = 0  # steps[start:end] all go the same way: points kept[start] to kept[end]
    for end in range(1, len(steps) + 1):
        if end < len(steps) and steps[end] == steps[start]:
            continue
        if end - start + 1 >= length:
            points = tuple(index for index, _ in kept[start : end + 1])
            trends.append(Stretch(points[0], points[-1], steps[start], points))
        start = end
    return tuple(trends)


@cache
def runs_limits(n: int, alpha: Fraction = ALPHA) -> tuple[int, int]:
    """The IHI runs test: (lower, upper) for ``n`` useful points.

    Fewer runs than ``lower`` or more than ``upper`` is a signal. Computed
    exactly from the distribution of the number of runs of Swed and Eisenhart
    (1943) with the points split evenly about the median (n // 2 on one side),
    each tail at most alpha / 2: ``lower`` is the smallest r with
    P(R < r) <= alpha / 2 < P(R <= r), ``upper`` the largest with
    P(R > r) <= alpha / 2 < P(R >= r).
    """
    if n < 2:
        return (n, n)
    below = n // 2
    above = n - below
    weights = _run_counts(below, above)
    total = sum(weights.values())
    tail = alpha / 2
    lower = cumulative = 0
    for runs in sorted(weights):
        if Fraction(cumulative + weights[runs], total) > tail:
            lower = runs
            break
        cumulative += weights[runs]
    upper = cumulative = 0
    for runs in sorted(weights, reverse=True):
        if Fraction(cumulative + weights[runs], total) > tail:
            upper = runs
            break
        cumulative += weights[runs]
    return (lower, upper)


def _run_counts(first: int, second: int) -> dict[int, int]:
    """How many of the C(first + second, first) orders of two kinds of point
    have each number of runs (Swed and Eisenhart's formula)."""
    if first == 0 or second == 0:
        return {1: 1}
    counts: dict[int, int] = {}
    for runs in range(2, first + second + 1):
        k = runs // 2
        if runs % 2 == 0:
            count = 2 * math.comb(first - 1, k - 1) * math.comb(second - 1, k - 1)
        else:
            count = math.comb(first - 1, k - 1) * math.comb(second - 1, k) + math.comb(
                first - 1, k
            ) * math.comb(second - 1, k - 1)
        if count:
            counts[runs] = count
    return counts


@cache
def binomial_quantile(trials: int, p: Fraction) -> int:
    """The smallest k with P(X <= k) >= p for X ~ Binomial(trials, 1/2), exactly
    (R's ``qbinom(p, trials, 0.5)``)."""
    total = 2**trials
    cumulative = 0
    for k in range(trials + 1):
        cumulative += math.comb(trials, k)
        if Fraction(cumulative, total) >= p:
            return k
    return trials


def verdict(analysis: Analysis, direction: str | None) -> str:
    """The analysis in a coach's words, given which way is better (``up``/``down``)."""
    if analysis.n_values == 0:
        return "no data yet"
    if not analysis.signal:
        return "too few points to judge" if analysis.too_few_points else "no signal yet"
    found = _signal_words(analysis, direction)
    return early(found) if analysis.too_few_points else found


def early(found: str) -> str:
    """The verdict on fewer than 10 data points that show a signal: too few to judge,
    and the signal named as an early one (SPEC section 6: never hidden)."""
    return f"too few points to judge; early {found}"


def _signal_words(analysis: Analysis, direction: str | None) -> str:
    sense = _sense(analysis)
    if sense == 0:
        return "signal of non-random variation (too many runs: check how the data are collected)"
    if direction not in ("up", "down"):
        return (
            f"signal ({'upwards' if sense > 0 else 'downwards'};"
            " set the measure's 'direction' to judge it)"
        )
    better = 1 if direction == "up" else -1
    return "signal of improvement" if sense == better else "signal in the wrong direction"


def _sense(analysis: Analysis) -> int:
    """Which way the evidence points: the latest shift (a sustained change outweighs a
    trend), else the latest trend, else (too few runs) the side of the last useful
    point; 0 for too many runs only."""
    for stretches in (analysis.shifts, analysis.trends):
        if stretches:
            return max(stretches, key=lambda stretch: stretch.last).sense
    if analysis.too_few_runs:
        return analysis.last_side
    return 0
