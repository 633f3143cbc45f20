"""Run charts (measures/chart.py): text drawn literally, a new median suggested."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import driverdiagram as dd
from driverdiagram.measures.runs import analyse
from driverdiagram.measures.words import describe, record
from tests.samples import measured


def test_chart_text_is_literal(tmp_path: Path) -> None:
    text = measured(
        aim_measures="    - id: m\n      name: 'Cost $5 & <more> \"x\" \\\\N'\n"
        "      values: {2026-01: 1, 2026-02: {value: 2, note: '$x$ & <y>'}}"
    )
    svg = dd.chart(dd.loads(text), "m").decode()
    root = ET.fromstring(svg)
    words = " ".join(t.text or "" for t in root.iter() if t.text)
    assert 'Cost $5 & <more> "x" \\\\N' in words and "$x$ & <y>" in words


SHIFTED = (
    "    - id: m\n      name: Falls\n      direction: down\n      unit: per 1,000 bed days\n"
    "      values: {2025-01: 8, 2025-02: 9, 2025-03: 7, 2025-04: 8, 2025-05: 9, 2025-06: 8,"
    " 2025-07: 7, 2025-08: 9, 2025-09: 8.5, 2025-10: 7.5, 2025-11: 4, 2025-12: 5,"
    " 2026-01: 4.5, 2026-02: 3.9, 2026-03: 4.2, 2026-04: 5.1, 2026-05: 4.4, 2026-06: 3.8,"
    " 2026-07: 4.6}"
)


def test_a_sustained_shift_suggests_a_new_median_never_applies_it() -> None:
    # runcharter: nine points on one side, a new median of those nine
    result = analyse([8, 9, 7, 8, 9, 8, 7, 9, 8.5, 7.5, 4, 5, 4.5, 3.9, 4.2, 5.1, 4.4, 3.8, 4.6])
    assert (result.new_median, result.new_median_from, result.centre) == (4.4, 10, 7)
    short = analyse([8, 9, 7, 8, 9, 8, 7, 9, 2, 3, 2, 3, 2, 3])  # a shift of 6: not yet
    assert short.shifts and short.new_median is None
    diagram = dd.loads(measured(aim_measures=SHIFTED))
    measure = diagram.measure("m")
    expected = (
        "a sustained shift from 2025-11: a new median of 4.4 per 1,000 bed days (of its first"
        " 9 points) may describe the changed process; a suggestion only, the median drawn is"
        " unchanged (to apply it, add 'phases: [{from: 2025-11}]' to the measure)"
    )
    assert f"  suggestion: {expected}" in describe(diagram, measure)
    data = record(diagram, measure)
    assert (data["new_median"], data["new_median_from"], data["suggestion"]) == (
        4.4,
        "2025-11",
        expected,
    )
    assert data["centre"] == 7 and {p["centre"] for p in data["points"]} == {7}
    root = ET.fromstring(dd.chart(diagram, "m"))
    caption = next(e for e in root.iter() if e.get("id") == "caption")
    words = " ".join(" ".join(e.itertext()) for e in caption.iter())
    assert "Suggestion: a sustained shift from 2025-11" in " ".join(words.split())
    one_point = "    - id: q\n      name: Q\n      values: {2026-01: 1}"
    quiet = dd.loads(measured(aim_measures=one_point))
    assert record(quiet, quiet.measure("q"))["suggestion"] is None


def _path_xs(root: ET.Element, gid: str) -> list[float]:
    """The x of each vertex of the first line drawn in the group ``gid``."""
    group = next(e for e in root.iter() if e.get("id") == gid)
    d = next(p.get("d") for p in group.iter() if p.get("d"))
    assert d is not None
    numbers = [float(n) for n in d.replace("M", " ").replace("L", " ").split()]
    return numbers[0::2]


def test_a_monthly_point_is_drawn_mid_month_after_a_cycle_started_that_month() -> None:
    text = measured(
        aim_measures="    - id: m\n      name: Assessed\n"
        "      values: {2026-03: 5, 2026-04: 6, 2026-05: 7}",
        change_extra="        pdsa:\n          - start: 2026-04-13\n            end: 2026-04-30\n"
        "            measures: [m]",
    )
    root = ET.fromstring(dd.chart(dd.loads(text), "m"))
    march, april, may = _path_xs(root, "points")
    start, end = _path_xs(root, "pdsa-huddle-1")
    assert march < start < april < end < may  # the cycle of 13-30 April spans April's point
    # the month's tick sits under its point
    ticks = [
        float(use.get("x") or "nan")
        for e in root.iter()
        if (e.get("id") or "").startswith("xtick_")
        for use in e.iter("{http://www.w3.org/2000/svg}use")
    ]
    assert [round(x, 2) for x in ticks] == [round(x, 2) for x in (march, april, may)]


def _texts(svg: bytes) -> list[str]:
    return [e.text for e in ET.fromstring(svg).iter() if e.text and e.text.strip()]


def test_median_and_target_labels_carry_the_unit_and_counts_agree_in_number() -> None:
    def drawn(unit: str, values: str) -> list[str]:
        text = measured(
            aim_measures=f"    - id: m\n      name: M\n      unit: {unit}\n      target: 4\n"
            f"      values: {{{values}}}"
        )
        return _texts(dd.chart(dd.loads(text), "m"))

    percent = drawn("'%'", "2026-03: 5, 2026-04: 6, 2026-05: 7")
    assert "Median 6%" in percent and "Target 4%" in percent
    long = drawn("per 1,000 bed days", "2026-03: 5, 2026-04: 6, 2026-05: 7")
    assert {"Median 6", "Target 4", "per 1,000 bed", "days"} <= set(long)
    # one crossing, one run: singular; never '1 crossings'
    once = " ".join(drawn("'%'", "2026-01: 1, 2026-02: 1, 2026-03: 9, 2026-04: 9"))
    assert "2 runs" in once and "1 crossing." in once and "1 crossings" not in once
    assert "4 useful points" in once


PHASED = (
    "    - id: m\n      name: Falls\n      direction: down\n      unit: per 1,000 bed days\n"
    "      phases: [{from: 2025-11, label: Rounding}]\n"
    "      values: {2025-01: 8, 2025-02: 9, 2025-03: 7, 2025-04: 8, 2025-05: 9, 2025-06: 8,"
    " 2025-07: 7, 2025-08: 9, 2025-09: 8.5, 2025-10: 7.5, 2025-11: 4, 2025-12: 5,"
    " 2026-01: 4.5, 2026-02: 3.9, 2026-03: 4.2, 2026-04: 5.1, 2026-05: 4.4, 2026-06: 3.8,"
    " 2026-07: 4.6}"
)


def test_a_run_chart_in_phases_has_a_median_and_rules_for_each() -> None:
    # the suggestion of a new median, applied by the coach with a 'phases:' entry
    values = [8, 9, 7, 8, 9, 8, 7, 9, 8.5, 7.5, 4, 5, 4.5, 3.9, 4.2, 5.1, 4.4, 3.8, 4.6]
    whole = analyse(values)
    phased = analyse(values, phases=[10])
    assert [(p.first, p.last, p.centre) for p in phased.phases] == [(0, 9, 8), (10, 18, 4.4)]
    assert whole.shifts and not phased.shifts  # each phase is read against its own median
    assert phased.centre == 4.4 and phased.new_median is None
    # a shift inside the second phase is found at its place in the whole series
    later = analyse([*values[:10], 5, 5, 5, 5, 5, 5, 1, 1, 1, 1, 1, 1, 1], phases=[10])
    assert later.shifts and min(later.shifts[0].points) >= 10
    diagram = dd.loads(measured(aim_measures=PHASED))
    measure = diagram.measure("m")
    lines = describe(diagram, measure)
    assert "  phase 1, 2025-01 to 2025-10: median 8 per 1,000 bed days" in lines
    assert "  phase 2 (Rounding), 2025-11 to 2026-07: median 4.4 per 1,000 bed days" in lines
    data = record(diagram, measure)
    assert [p["centre"] for p in data["points"]] == [8] * 10 + [4.4] * 9
    assert [p["phase"] for p in data["points"]] == [0] * 10 + [1] * 9
    root = ET.fromstring(dd.chart(diagram, "m"))
    ids = {e.get("id") for e in root.iter()}
    assert {"median", "median-2", "phase-2", "phase-label-2"} <= ids
    words = " ".join(" ".join(_texts(dd.chart(diagram, "m"))).split())
    assert "Rounding" in words and "Median 4.4" in words  # the latest phase's, at the right
    assert "phase 2 (Rounding) 4.4 per 1,000 bed days" in words
