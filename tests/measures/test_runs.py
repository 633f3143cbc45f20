"""Run chart analysis (measures/runs.py) against published values and hand-checked IHI cases."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import driverdiagram as dd
from driverdiagram.measures.runs import binomial_quantile, runs_limits, verdict
from tests import paths

CASES = paths.CASES / "runchart"


def critical_values() -> list[tuple[int, int, int]]:
    lines = (CASES / "anhoej-critical-values.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith(("#", "n\t"))]
    return [(int(n), int(longest), int(crossings)) for n, longest, crossings in rows]


def test_anhoej_critical_values_match_qicharts2_for_10_to_100() -> None:
    table = critical_values()
    assert [n for n, _, _ in table] == list(range(10, 101))
    for n, longest, crossings in table:
        # a series of n useful points: alternate sides, so every count is known
        result = dd.analyse([1, 3] * (n // 2) + [1] * (n % 2), rules="anhoej", centre=2)
        assert (result.n_useful, result.longest_run_max, result.crossings_min) == (
            n,
            longest,
            crossings,
        ), n


def test_qicharts_vignette_run_chart_with_points_on_the_median() -> None:
    """qicharts (v1) vignette, 'Run charts with R', figure 2: set.seed(9); y <- rpois(24, 16);
    y[13:24] <- rpois(12, 24). Published: 24 points of which 22 are not on the median,
    longest run 10, 3 crossings, both limits 7: a signal."""
    y = [12, 12, 14, 17, 11, 13, 15, 14, 21, 14, 16, 14, 30, 27, 18, 22, 29, 24, 24, 19, 28, 18]
    y += [24, 20]
    result = dd.analyse(y, rules="anhoej")
    assert result.centre == 18
    assert (result.n_useful, result.longest_run, result.crossings) == (22, 10, 3)
    assert (result.longest_run_max, result.crossings_min) == (7, 7)
    assert result.signal and not result.too_few_points
    # the first figure, before the shift (24 useful points, no signal)
    before = [*y[:12], 23, 12, 21, 20, 22, 18, 18, 12, 19, 13, 16, 21]
    quiet = dd.analyse(before, rules="anhoej")
    assert (quiet.n_useful, quiet.longest_run, quiet.crossings, quiet.signal) == (24, 5, 13, False)


def test_qicharts2_vignette_anhoej_rules_against_the_mean() -> None:
    """qicharts2 vignette, 'The Anhøj rules': set.seed(19) ... qic(y, chart = 'i'). Published:
    24 useful, longest run 13 (limit 8), 4 crossings (limit 8), runs.signal 1; the centre
    line of an I chart is the mean, 1.057091."""
    y = [
        -1.189453745259723,
        0.388581229632553,
        -0.344333349210725,
        -0.547896138418295,
        0.980662215750192,
        -0.236646007272852,
        0.809739704347715,
        -0.744779528664041,
        -0.259787013127099,
        -0.183083830410215,
        0.518629987612905,
        0.883465100720314,
        1.001284752582189,
        2.534829992287411,
        1.876232048314094,
        4.119303307927096,
        0.486524126076013,
        2.255194870622439,
        3.504741438430655,
        1.609919525299116,
        2.579358170126725,
        2.210355839686940,
        2.944042775533132,
        0.173306766388917,
    ]
    assert round(sum(y) / len(y), 6) == 1.057091
    result = dd.analyse(y, rules="anhoej", centre=sum(y) / len(y))
    assert (result.n_useful, result.longest_run, result.longest_run_max) == (24, 13, 8)
    assert (result.crossings, result.crossings_min, result.signal) == (4, 8, True)


# -- IHI rules, case by case ----------------------------------------------------


def test_shift_is_six_on_one_side_and_a_point_on_the_median_is_skipped() -> None:
    six = dd.analyse([1, 1, 1, 1, 1, 1, 9, 9, 9, 9, 9, 9, 5], centre=5)
    assert six.shift_points == list(range(12)) and six.signal
    five = dd.analyse([1, 1, 1, 1, 1, 9, 1, 9, 9, 9, 9, 9], centre=5)
    assert five.shift_points == [] and five.longest_run == 5
    # 3 above, 1 on the median, 3 above: a shift of 6 that leaves the median point out
    skipped = dd.analyse([9, 9, 9, 5, 9, 9, 9, 1, 9, 1, 9, 1, 9], centre=5)
    assert skipped.shift_points == [0, 1, 2, 4, 5, 6]
    assert skipped.n_useful == 12


def test_missing_values_neither_make_nor_break_a_shift_or_trend() -> None:
    shift = dd.analyse([9, 9, 9, None, 9, 9, 9, 1, 1, 9, 1], centre=5)
    assert shift.shift_points == [0, 1, 2, 4, 5, 6] and shift.n == 11 and shift.n_useful == 10
    trend = dd.analyse([1, 2, None, 3, 4, 5, 3, 9, 2, 8])
    assert trend.trend_points == [0, 1, 3, 4, 5]


def test_trend_is_five_going_one_way_and_repeats_are_skipped() -> None:
    assert dd.analyse([1, 2, 3, 3, 4, 5]).trend_points == [0, 1, 2, 4, 5]
    assert dd.analyse([1, 2, 3, 3, 4, 2]).trend_points == []  # four distinct rises
    assert dd.analyse([9, 7, 5, 3, 1, 4]).trend_points == [0, 1, 2, 3, 4]
    assert dd.analyse([4] * 8).trend_points == []
    # a turning point ends one trend and starts the next
    turn = dd.analyse([1, 2, 3, 4, 5, 4, 3, 2, 1])
    assert turn.trend_points == list(range(9))
    assert [(t.first, t.last, t.sense) for t in turn.trends] == [(0, 4, 1), (4, 8, -1)]
    # points on the median count for a trend
    assert dd.analyse([1, 2, 3, 4, 5], centre=3).trend_points == [0, 1, 2, 3, 4]


def test_runs_too_few_and_too_many() -> None:
    few = dd.analyse([1] * 6 + [9] * 6, centre=5)
    assert (few.runs, few.runs_limits, few.too_few_runs) == (2, (4, 10), True)
    many = dd.analyse([1, 9] * 6, centre=5)
    assert (many.runs, many.too_many_runs, many.signal) == (12, True, True)
    assert many.crossings == 11 and many.shift_points == [] and many.trend_points == []
    assert verdict(many, "up").startswith("signal of non-random variation")
    calm = dd.analyse([1, 9, 9, 1, 1, 9, 1, 9, 9, 1, 9, 1], centre=5)
    assert (calm.runs, calm.signal) == (9, False)


def test_fewer_than_ten_data_points_are_too_few_to_judge() -> None:
    result = dd.analyse([1, 2, 3, 4, 5, 6, 7, 8, 9])
    assert result.too_few_points and result.n_useful == 8  # 5 is the median
    assert verdict(result, "up") == "too few points to judge; early signal of improvement"
    assert verdict(dd.analyse([None, None]), "up") == "no data yet"


def test_too_few_points_counts_data_points_not_useful_ones() -> None:
    # the new user's 17 monthly points: many on the median, then a shift and a trend
    values = [5, 5, 4, 5, 5, 6, 5, 5, 5, 5, 3, 2.8, 2.5, 2.2, 2, 1.8, 1.5]
    result = dd.analyse(values, baseline=10)
    assert result.n_useful < 10 <= result.n_values
    assert result.shifts and result.trends and not result.too_few_points
    assert verdict(result, "down") == "signal of improvement"


def test_a_signal_among_fewer_than_ten_points_is_an_early_signal() -> None:
    shift = dd.analyse([9, 9, 9, 9, 9, 9, 1, 1, 1], centre=5)
    assert shift.too_few_points and shift.shifts
    assert verdict(shift, "down") == "too few points to judge; early signal in the wrong direction"
    trend = dd.analyse([1, 2, 3, 4, 5, 6])
    assert verdict(trend, "up") == "too few points to judge; early signal of improvement"
    assert verdict(dd.analyse([1, 3, 2, 3, 1]), "up") == "too few points to judge"


def test_the_centre_is_the_median_of_the_baseline_or_given() -> None:
    values = [10, 12, 11, 13, 30, 31, 32, 33, 34, 35, 36, 37]
    assert dd.analyse(values).centre == 31.5
    assert dd.analyse(values, baseline=4).centre == 11.5
    assert dd.analyse(values, baseline=4).shift_points == list(range(3, 12))
    assert dd.analyse(values, centre=20).centre == 20
    # a point equal to the median up to floating-point error is on the median
    assert dd.analyse([87.1, 87.3, 87.2]).n_useful == 2


def test_verdict_follows_the_direction() -> None:
    up = dd.analyse([5, 4, 6, 5, 4, 6, 5, 9, 9, 9, 9, 9, 9], baseline=7)
    assert verdict(up, "up") == "signal of improvement"
    assert verdict(up, "down") == "signal in the wrong direction"
    assert verdict(up, None).startswith("signal (upwards")
    assert verdict(dd.analyse([1, 9, 2, 8, 8, 2, 9, 1, 1, 9, 2, 8]), "up") == "no signal yet"


def test_bad_input_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="rules"):
        dd.analyse([1, 2], rules="western-electric")
    with pytest.raises(ValueError, match="not a number"):
        dd.analyse([1, math.nan])
    with pytest.raises(ValueError, match="baseline"):
        dd.analyse([1, 2], baseline=0)


# -- the exact limits ------------------------------------------------------------------


def _brute_force_limits(n: int) -> tuple[int, int]:
    """Every way to order n // 2 points below and the rest above, counted."""
    below = n // 2
    counts: dict[int, int] = {}
    for placed in itertools.combinations(range(n), below):
        sides = [0] * n
        for index in placed:
            sides[index] = 1
        runs = 1 + sum(a != b for a, b in itertools.pairwise(sides))
        counts[runs] = counts.get(runs, 0) + 1
    total = sum(counts.values())
    tail = Fraction(1, 40)
    lower = min(
        r for r in counts if Fraction(sum(c for k, c in counts.items() if k <= r), total) > tail
    )
    upper = max(
        r for r in counts if Fraction(sum(c for k, c in counts.items() if k >= r), total) > tail
    )
    return lower, upper


@pytest.mark.parametrize("n", range(10, 19))
def test_runs_limits_are_the_exact_swed_eisenhart_limits(n: int) -> None:
    assert runs_limits(n) == _brute_force_limits(n)


#: The table of Perla, Provost and Murray (2011), as copied in two secondary sources
#: (IHI QI 104 course notes for n = 10..15; a run chart tool's lookup table for 10..40).
#: The original was not available to check against (see docs/measures.md).
PUBLISHED = {
    10: (3, 9), 11: (3, 10), 12: (3, 11), 13: (4, 11), 14: (4, 12), 15: (5, 12),
    16: (5, 13), 17: (5, 13), 18: (6, 14), 19: (6, 15), 20: (6, 16), 21: (7, 16),
    22: (7, 17), 23: (7, 17), 24: (8, 18), 25: (8, 18), 26: (9, 19), 27: (9, 20),
    28: (10, 20), 29: (10, 21), 30: (11, 22), 31: (11, 22), 32: (11, 23), 33: (11, 24),
    34: (12, 24), 35: (12, 25), 36: (13, 25), 37: (13, 26), 38: (14, 26), 39: (14, 27),
    40: (15, 27),
}  # fmt: skip


def test_where_the_exact_limits_agree_with_the_published_table() -> None:
    """docs/measures.md lists these rows. Where the two differ, the exact limit is one
    run stricter: no single significance level reproduces the published table."""
    agree = [n for n, limits in PUBLISHED.items() if runs_limits(n) == limits]
    assert agree == [10, 13, 14, 15, 16, 18, 19, 21, 24, 26, 28, 29, 31, 34, 36, 38, 40]
    for n, (lower, upper) in PUBLISHED.items():
        exact_lower, exact_upper = runs_limits(n)
        assert exact_lower - lower in (0, 1) and upper - exact_upper in (0, 1)


def test_binomial_quantile_is_rs_qbinom() -> None:
    for trials in range(0, 60):
        total = 2**trials
        expected = next(
            k
            for k in range(trials + 1)
            if Fraction(sum(math.comb(trials, i) for i in range(k + 1)), total) >= Fraction(1, 20)
        )
        assert binomial_quantile(trials, Fraction(1, 20)) == expected


@given(
    st.lists(
        st.one_of(st.none(), st.integers(-5, 5), st.floats(-1e6, 1e6, allow_nan=False)),
        max_size=60,
    ),
    st.sampled_from(["ihi", "anhoej"]),
)
def test_any_series_gives_a_consistent_analysis(values: list[float | None], rules: str) -> None:
    result = dd.analyse(values, rules=rules)
    assert result.n == len(values)
    assert 0 <= result.n_useful <= sum(v is not None for v in values)
    assert result.runs == (result.crossings + 1 if result.n_useful else 0)
    assert result.longest_run <= result.n_useful
    for index in result.shift_points + result.trend_points:
        assert values[index] is not None
    assert result.shift_points == sorted(set(result.shift_points))
    assert result.signal == bool(
        result.shift_points or result.trend_points or result.too_few_runs or result.too_many_runs
    )
    assert result.too_few_points == (sum(value is not None for value in values) < 10)


def test_a_shift_outweighs_a_later_trend_in_the_verdict() -> None:
    # falls halved and stayed below the median; the last points creep up again
    better = dd.analyse(
        [8, 9, 7, 8, 9, 8, 7, 9, 8, 8, 7, 9, 3, 3.5, 3, 3.2, 3.4, 3.6, 3.8, 4.1], baseline=12
    )
    assert better.shifts and better.trends
    assert verdict(better, "down") == "signal of improvement"
    worse = dd.analyse([8, 9, 7, 8, 9, 8, 7, 9, 8, 8, 7, 9, 14, 13, 12, 11, 10.5, 10], baseline=12)
    assert verdict(worse, "down") == "signal in the wrong direction"


def test_the_baseline_counts_values_not_missing_periods() -> None:
    result = dd.analyse([None] * 5 + [1, 2, 3, 4, 5, 6, 7, 8], baseline=5)
    assert (result.centre, result.baseline_end) == (3, 9)
    # twelve data points all on the median: enough to judge, and nothing to see
    assert verdict(dd.analyse([3] * 12), "up") == "no signal yet"
