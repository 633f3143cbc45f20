"""Control chart analysis (measures/control.py, measures/kinds.py) against published vectors:
qicharts2's own test results, NHSRplotthedots' XmR limit cases and its Making Data Count
rule cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.measures.control import ControlAnalysis, analyse_control, control_verdict
from driverdiagram.measures.words import control_of
from tests import paths, samples
from tests.paths import MEASURED
from tests.r_random import RRandom

TOLERANCE = 1e-4
QICHARTS2 = json.loads((paths.CASES / "control" / "qicharts2.json").read_text(encoding="utf-8"))

#: R's rnorm(20) after set.seed(123), the data of NHSRplotthedots'
#: tests/testthat/test-ptd_spc_standard.R ("it returns expected values").
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774,
    1.71506499, 0.46091621, -1.26506123, -0.68685285, -0.44566197,
    1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113,
    1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def _run(case: dict[str, Any], rules: str = "anhoej") -> ControlAnalysis:
    return analyse_control(
        case.get("values"),
        case["chart"],
        rules,
        numerators=case.get("numerators"),
        denominators=case.get("denominators"),
        scale=case["scale"],
        baseline=case.get("baseline"),
        exclude=case.get("exclude", ()),
        phases=case.get("phases", ()),
    )


@pytest.mark.parametrize("name", sorted(QICHARTS2["cases"]))
def test_qicharts2_centre_limits_and_points_outside(name: str) -> None:
    case = QICHARTS2["cases"][name]
    expected = case["expected"]
    analysis = _run(case)
    assert len(analysis.points) == len(expected["centre"])
    worst = 0.0
    for point, value, centre, lower, upper in zip(
        analysis.points,
        expected["value"],
        expected["centre"],
        expected["lower"],
        expected["upper"],
        strict=True,
    ):
        for ours, theirs in ((point.value, value), (point.centre, centre)):
            worst = max(worst, abs(ours - theirs))
        for ours, theirs in ((point.lower, lower), (point.upper, upper)):
            worst = max(worst, abs(ours - theirs))
    assert worst < TOLERANCE, f"{name}: off by {worst}"
    outside = sorted(i for s in analysis.signals if s.rule == "outside" for i in s.points)
    assert outside == expected["outside"]


@pytest.mark.parametrize("name", sorted(QICHARTS2["cases"]))
def test_qicharts2_runs_analysis_on_the_centre_line(name: str) -> None:
    case = QICHARTS2["cases"][name]
    expected = case["expected"]["runs_last_phase"]
    analysis = _run(case)
    runs = analysis.phases[-1].runs
    assert runs is not None
    signal = expected.pop("signal")
    assert runs == expected
    in_last = [s for s in analysis.signals if s.phase == len(analysis.phases) - 1]
    assert any(s.rule in ("shift", "runs") for s in in_last) == signal


def test_qicharts2_p_chart_with_exclusions_and_two_phases() -> None:
    """Montgomery example 7.1 (qicharts2's ex_7.1_5.rds): two excluded samples are left
    out of the first phase's centre but still flagged outside; its runs analysis has 28
    useful points."""
    analysis = _run(QICHARTS2["cases"]["ex_7.1_5"])
    first = analysis.phases[0]
    assert (first.first, first.last, first.basis) == (0, 29, 28)
    assert first.runs == {
        "n_useful": 28,
        "longest_run": 5,
        "longest_run_max": 8,
        "crossings": 13,
        "crossings_min": 9,
    }
    assert [p.index for p in analysis.points if p.excluded] == [14, 22]
    assert analysis.phases[1].centre == pytest.approx(0.1096875, abs=1e-12)


def test_qicharts2_freeze_extends_the_baseline_limits() -> None:
    """Example 6.5 (ex_6.5_3.rds): limits from the first 20 weeks; weeks 39 and 40 are
    beyond them."""
    analysis = _run(QICHARTS2["cases"]["ex_6.5_3"])
    assert analysis.phases[0].basis == 20
    uppers = {p.upper for p in analysis.points}
    assert len(uppers) == 1 and uppers.pop() == pytest.approx(321.216685, abs=1e-6)


def test_percent_scales_values_centre_and_limits_alike() -> None:
    case = dict(QICHARTS2["cases"]["tbl_7.4_1"])
    plain = _run(case)
    percent = _run({**case, "scale": 100})
    for one, hundred in zip(plain.points, percent.points, strict=True):
        for field in ("value", "centre", "lower", "upper", "lower2", "upper2"):
            assert getattr(hundred, field) == pytest.approx(100 * getattr(one, field))
    assert max(p.upper or 0 for p in percent.points) <= 100


def test_an_xmr_chart_in_a_per_1000_unit_is_not_scaled_again() -> None:
    # values written per 1,000 bed days are already in the unit: the mean is theirs
    values = "{2026-01: 2.5, 2026-02: 1.5, 2026-03: 2, 2026-04: 3, 2026-05: 1}"
    text = samples.measured(
        aim_measures="    - id: m\n      name: Restrained\n      chart: xmr\n"
        f"      unit: per 1,000 bed days\n      values: {values}"
    )
    measure = dd.loads(text).measure("m")
    analysis = control_of(measure)
    assert analysis is not None and analysis.phases[0].centre == pytest.approx(2.0)
    assert [p.value for p in analysis.points] == [2.5, 1.5, 2, 3, 1]
    assert analysis_of_values(scale=1000) == analysis_of_values(scale=1)


def analysis_of_values(scale: float) -> ControlAnalysis:
    return analyse_control([2.5, 1.5, 2, 3, 1], "c", scale=scale)


def test_p_limits_are_clamped_to_0_and_1() -> None:
    analysis = analyse_control(
        None, "p", numerators=[1, 0, 2, 9, 10, 1], denominators=[2, 3, 10, 10, 10, 2]
    )
    assert all((p.lower or 0) >= 0 and (p.upper or 0) <= 1 for p in analysis.points)
    assert analysis.points[0].upper == 1.0 and analysis.points[0].lower == 0.0


# -- NHSRplotthedots: XmR limits (2.66 x mean moving range), screening ----------------------


def test_nhsrplotthedots_xmr_limits() -> None:
    """tests/testthat/_snaps/ptd_spc_standard.md, r1: mean 0.1416238, limits -3.01138
    and 3.294627 (printed to 7 significant digits)."""
    point = analyse_control(RNORM_123, "xmr", "mdc").points[0]
    assert point.centre == pytest.approx(0.1416238, abs=1e-6)
    assert point.lower == pytest.approx(-3.01138, abs=1e-5)
    assert point.upper == pytest.approx(3.294627, abs=1e-6)


def test_nhsrplotthedots_screened_and_unscreened_moving_ranges() -> None:
    """The same snapshot, r2 and r3: y[15] = 10; screened limits -2.383666 and 3.722497
    (the two moving ranges around the outlier left out), unscreened -4.596625 and
    5.935457 (the Making Data Count spreadsheet)."""
    data = list(RNORM_123)
    data[14] = 10
    screened = analyse_control(data, "xmr", "mdc")
    plain = analyse_control(data, "xmr", "mdc", screen=False)
    assert screened.phases[0].screened == 2 and plain.phases[0].screened == 0
    assert screened.points[0].centre == pytest.approx(0.6694159, abs=1e-6)
    assert screened.points[0].lower == pytest.approx(-2.383666, abs=1e-6)
    assert screened.points[0].upper == pytest.approx(3.722497, abs=1e-6)
    assert plain.points[0].lower == pytest.approx(-4.596625, abs=1e-6)
    assert plain.points[0].upper == pytest.approx(5.935457, abs=1e-6)


def test_mdc_and_qicharts2_xmr_limits_differ_in_the_fourth_digit() -> None:
    mdc = analyse_control(RNORM_123, "xmr", "mdc").points[0]
    shewhart = analyse_control(RNORM_123, "xmr", "shewhart").points[0]
    assert mdc.upper is not None and shewhart.upper is not None
    assert 0 < mdc.upper - shewhart.upper < 1e-3
    assert mdc.upper2 == pytest.approx(mdc.centre + (2 / 3) * (mdc.upper - mdc.centre))


# -- Making Data Count rules (NHSRplotthedots' tests) -------------------------------------


def test_mdc_two_near_limit_points_on_opposite_sides_are_common_cause() -> None:
    """test-ptd_spc_standard.R: 1, -1 eight times, then 5.5 and -5.5: both are near the
    limits but on opposite sides of the mean, so neither is special cause."""
    data = [1.0, -1.0] * 8
    data[14], data[15] = 5.5, -5.5
    analysis = analyse_control(data, "xmr", "mdc")
    assert analysis.signals == ()
    assert analysis.variation == "common-cause"


def _flat(values: list[float]) -> list[float]:
    """A series whose limits are wide: noise around 50 first, then the values."""
    return [50.0, 70.0, 30.0, 60.0, 40.0, 55.0, 45.0, *values]


def test_mdc_trend_is_broken_by_a_tie() -> None:
    """ptd_seven_point_trend(c(1:3, 3:6)) is no trend; 1:7 is one."""
    tie = analyse_control(_flat([41, 42, 43, 43, 44, 45, 46]), "xmr", "mdc")
    assert not [s for s in tie.signals if s.rule == "trend"]
    rising = analyse_control(_flat([41, 42, 43, 44, 45, 46, 47]), "xmr", "mdc")
    trends = [s for s in rising.signals if s.rule == "trend"]
    assert [s.points for s in trends] == [(7, 8, 9, 10, 11, 12, 13)]


def test_shewhart_trend_ignores_a_tie() -> None:
    """The Health Care Data Guide: like values neither make nor break a trend."""
    analysis = analyse_control(_flat([41, 42, 43, 43, 44, 45, 46]), "xmr", "shewhart")
    assert [s.points for s in analysis.signals if s.rule == "trend"] == [(7, 8, 9, 11, 12, 13)]


def test_mdc_seven_on_one_side_is_broken_by_a_point_on_the_mean() -> None:
    """ptd_seven_point_one_side_mean: a run needs 7 points on one side; 0 breaks it."""
    below = [-1.0] * 3 + [0.0] + [-1.0] * 4  # 3 below, one on the mean, 4 below
    series = [2.0, -2.0] * 4 + below + [1.0] * 7  # the mean is 0
    analysis = analyse_control(series, "xmr", "mdc")
    assert analysis.points[0].centre == 0
    shifts = [s for s in analysis.signals if s.rule == "shift"]
    assert [s.points for s in shifts] == [tuple(range(16, 23))]


def test_mdc_precedence_and_kinds() -> None:
    """Outside beats trend: 1..7 rising with limits from itself flags its ends outside
    and the five between as a trend; with direction up all are improvement."""
    analysis = analyse_control([1, 2, 3, 4, 5, 6, 7], "xmr", "mdc", direction="up")
    assert [(s.rule, s.points) for s in analysis.signals] == [
        ("outside", (0,)),
        ("trend", (1, 2, 3, 4, 5)),
        ("outside", (6,)),
    ]
    assert [s.kind for s in analysis.signals] == ["concern", "improvement", "improvement"]
    assert analysis.flags == {0: "outside", 1: "trend", 2: "trend", 3: "trend", 4: "trend",
                              5: "trend", 6: "outside"}  # fmt: skip


def test_mdc_two_of_three_flags_only_the_near_points() -> None:
    """ptd_two_in_three: two of three points beyond 2 sigma, all three above the mean."""
    base = [10.0, 12.0, 8.0, 11.0, 9.0, 10.0, 12.0, 8.0, 11.0, 9.0, 10.0, 12.0, 8.0]
    analysis = analyse_control(
        [*base, 15.5, 11.0, 15.5, 10.0], "xmr", "mdc", direction="down", baseline=13
    )
    assert analysis.points[0].upper2 == pytest.approx(10 + 2 * 2.66 / 3 * 2.5)
    found = [s for s in analysis.signals if s.rule == "two-of-three"]
    assert [(s.points, s.kind) for s in found] == [((13, 15), "concern")]


def test_variation_and_assurance_icons() -> None:
    base = [10.0, 12.0, 8.0, 11.0, 9.0, 10.0, 12.0, 8.0, 11.0, 9.0, 10.0, 12.0, 8.0]
    calm = analyse_control(base, "xmr", "mdc", direction="up", target=30)
    assert (calm.variation, calm.assurance) == ("common-cause", "consistently-fail")
    assert analyse_control(base, "xmr", "mdc", direction="up", target=2).assurance == (
        "consistently-pass"
    )
    assert analyse_control(base, "xmr", "mdc", direction="down", target=10).assurance == (
        "hit-or-miss"
    )
    assert analyse_control(base, "xmr", "mdc", target=10).assurance is None
    high = analyse_control([*base, 30.0], "xmr", "mdc", direction="down")
    assert (high.variation, high.variation_side) == ("special-cause-concern", "high")
    assert control_verdict(high, "down") == "signal in the wrong direction"


def test_trial_limits_under_13_points() -> None:
    assert analyse_control([1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2], "xmr", "mdc").trial
    assert not analyse_control([1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1], "xmr", "mdc").trial


def test_shewhart_hugging_and_eight_on_one_side() -> None:
    wide = [0.0, 10.0, -10.0, 10.0, -10.0]
    hugging = analyse_control([*wide, *([0.5, -0.5] * 8)], "xmr", "shewhart")
    assert [len(s.points) for s in hugging.signals if s.rule == "hugging"] == [16]
    assert control_verdict(hugging, "up").startswith("signal of non-random variation")
    shift = analyse_control([*wide, *([1.0, 2.0] * 4)], "xmr", "shewhart", direction="down")
    found = [s for s in shift.signals if s.rule == "shift"]
    assert [(len(s.points), s.kind) for s in found] == [(8, "concern")]


def test_too_few_points_still_lists_signals() -> None:
    analysis = analyse_control([1, 2, 3, 4, 5, 6, 7], "xmr", "mdc", direction="up")
    assert analysis.signals
    assert control_verdict(analysis, "up") == (
        "too few points to judge; early signal of improvement"
    )


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown chart"):
        analyse_control([1, 2], "g")
    with pytest.raises(ValueError, match="unknown rules"):
        analyse_control([1, 2], "xmr", "ihi")
    with pytest.raises(ValueError, match="numerators and denominators"):
        analyse_control([1, 2], "p")


# -- the format and the command line ---------------------------------------------------


def test_a_p_chart_from_a_data_file_through_analyse_json(tmp_path: Path) -> None:
    """Montgomery's table 7.4 (qicharts2's tbl_7.4_1.rds) written as a coach would: a CSV
    of numerators and denominators, unit %, one period excluded, one phase."""
    case = QICHARTS2["cases"]["tbl_7.4_1"]
    rows = ["period,numerator,denominator"] + [
        f"{2024 + i // 12}-{i % 12 + 1:02d},{top},{int(bottom)}"
        for i, (top, bottom) in enumerate(
            zip(case["numerators"], case["denominators"], strict=True)
        )
    ]
    (tmp_path / "defects.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "d.yaml").write_text(
        "aim:\n  text: Fewer defective units\n  measures:\n    - id: defects\n"
        "      name: Defective units\n      unit: '%'\n      chart: p\n      rules: mdc\n"
        "      direction: down\n      target: 5\n      data: defects.csv\n"
        "primary:\n  - Suppliers\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["analyse", str(tmp_path / "d.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.stdout)
    assert (record["chart"], record["rules"], record["assurance"]) == ("p", "mdc", "hit-or-miss")
    expected = case["expected"]
    for point, centre, lower, upper in zip(
        record["points"], expected["centre"], expected["lower"], expected["upper"], strict=True
    ):
        assert point["centre"] == pytest.approx(100 * centre, abs=TOLERANCE)
        assert point["lower"] == pytest.approx(100 * lower, abs=TOLERANCE)
        assert point["upper"] == pytest.approx(100 * upper, abs=TOLERANCE)
        assert set(point) >= {"period", "value", "excluded", "phase"}
    assert [s["periods"] for s in record["signals"] if s["rule"] == "outside"] == [["2024-11"]]
    assert record["signals"][0]["kind"] == "concern"
    assert record["verdict"] == "signal in the wrong direction"
    text = CliRunner().invoke(main, ["analyse", str(tmp_path / "d.yaml")])
    assert "P chart (proportions), Making Data Count rules" in text.stdout
    assert "outside the limits (high): 2024-11 (1 point), concern" in text.stdout


def test_the_qicharts2_vignette_i_chart_through_analyse_json(tmp_path: Path) -> None:
    """The I chart of qicharts2's vignette ("Testing for special cause variation"):
    set.seed(19); y <- rnorm(24); y[22] <- 4; y[13:24] <- rnorm(12, mean = 2);
    qic(y, chart = 'i'). Its published summary: CL 1.057091, aLCL -2.114884, aUCL
    4.229067, aLCL.95 -1.057559, aUCL.95 3.171742, longest run 13 (max 8), 4 crossings
    (min 8), runs signal, no point outside. R's random numbers are rebuilt in
    tests/r_random.py (checked against rnorm(20) after set.seed(123) above)."""
    assert [round(x, 8) for x in RRandom(123).rnorm(20)] == RNORM_123
    r = RRandom(19)
    y = r.rnorm(24)
    y[21] = 4
    y[12:24] = r.rnorm(12, mean=2)
    values = ", ".join(f"{2024 + i // 12}-{i % 12 + 1:02d}: {v!r}" for i, v in enumerate(y))
    (tmp_path / "d.yaml").write_text(
        "aim:\n  text: A process\n  measures:\n    - id: y\n      name: y\n"
        f"      chart: xmr\n      rules: anhoej\n      values: {{{values}}}\n"
        "primary:\n  - A driver\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["analyse", str(tmp_path / "d.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.stdout)
    for point in record["points"]:
        assert point["centre"] == pytest.approx(1.057091, abs=TOLERANCE)
        assert point["lower"] == pytest.approx(-2.114884, abs=TOLERANCE)
        assert point["upper"] == pytest.approx(4.229067, abs=TOLERANCE)
        assert point["lower_2sigma"] == pytest.approx(-1.057559, abs=TOLERANCE)
        assert point["upper_2sigma"] == pytest.approx(3.171742, abs=TOLERANCE)
    rules = [signal["rule"] for signal in record["signals"]]
    assert "outside" not in rules and {"shift", "runs"} <= set(rules)
    runs = analyse_control(y, "xmr", "anhoej").phases[0].runs
    assert runs is not None
    assert (runs["longest_run"], runs["longest_run_max"]) == (13, 8)
    assert (runs["crossings"], runs["crossings_min"]) == (4, 8)


def test_exclude_phases_and_screen_are_read() -> None:
    values = ", ".join(f"2026-{m:02d}: {v}" for m, v in enumerate([5, 7, 6, 8, 30, 6, 7, 5], 1))
    diagram = dd.loads(
        "aim:\n  text: Fewer falls\n  measures:\n    - name: Falls\n      chart: xmr\n"
        "      exclude: [2026-05]\n      screen: false\n"
        "      phases: [{from: 2026-06, label: Huddle}]\n"
        f"      values: {{{values}}}\nprimary:\n  - Staff\n"
    )
    measure = diagram.measures[0]
    assert (measure.exclude, measure.screen, measure.rules.value) == (
        ("2026-05",),
        False,
        "shewhart",
    )
    assert [(p.start, p.label) for p in measure.phases] == [("2026-06", "Huddle")]
    [record] = dd.measure_records(diagram)
    assert [p["phase"] for p in record["points"]] == [0] * 5 + [1] * 3
    assert record["points"][4]["excluded"] is True
    assert record["phases"][0]["centre"] == pytest.approx(6.5)  # 5, 7, 6, 8 without the 30
    assert [s["periods"] for s in record["signals"]] == [["2026-05"]]  # excluded, still outside


def test_run_charts_keep_their_analysis_and_gain_the_shared_fields() -> None:
    [record] = dd.measure_records(dd.load(MEASURED), "falls-rate")
    assert record["chart"] == "run" and record["shift_points"] == [5, 6, 7, 8, 9, 10, 11]
    assert {p["lower"] for p in record["points"]} == {None}
    assert [s["rule"] for s in record["signals"]] == ["shift"]
    assert record["signals"][0]["kind"] == "improvement"


def test_control_keys_survive_to_yaml() -> None:
    values = ", ".join(f"2026-{m:02d}: {v}" for m, v in enumerate([5, 7, 6, 8, 30, 6, 7, 5], 1))
    diagram = dd.loads(
        "aim:\n  text: Fewer falls\n  measures:\n    - name: Falls\n      chart: xmr\n"
        "      rules: mdc\n      exclude: [2026-05]\n      screen: false\n"
        "      phases: [{from: 2026-06, label: Huddle}]\n"
        f"      values: {{{values}}}\nprimary:\n  - Staff\n"
    )
    again = dd.loads(dd.to_yaml(diagram)).measures[0]
    first = diagram.measures[0]
    for field in ("chart", "rules", "exclude", "screen"):
        assert getattr(again, field) == getattr(first, field)
    assert [(p.start, p.label) for p in again.phases] == [("2026-06", "Huddle")]
