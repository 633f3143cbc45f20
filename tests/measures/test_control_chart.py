"""Control charts drawn (measures/chart.py, measures/icons.py): the limits (stepped when
they vary by point), 2-sigma lines under mdc, flagged points by kind with a shape as
well as a colour, excluded points hollow, phases labelled, the icons, PDSA cycles on
the time axis; each read back from the SVG matplotlib wrote."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import driverdiagram as dd
from driverdiagram.draw import svg as svg_check
from driverdiagram.measures import icons
from driverdiagram.measures.chart import flagged
from driverdiagram.measures.words import control_of

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"

FALLS = """\
title: Ward 7
aim:
  text: Fewer falls
  measures:
    - id: falls
      name: Falls per 1,000 occupied bed days
      chart: u
      rules: mdc
      direction: down
      unit: per 1,000 bed days
      target: 4
      exclude: [2025-03]
      phases:
        - {from: 2025-11, label: Intentional rounding in place}
      data: falls.csv
primary:
  - id: p
    text: Risk found early
    secondary:
      - id: s
        text: Assessed on admission
        changes:
          - id: huddle
            text: Safety huddle
            pdsa:
              - start: 2025-10-13
                end: 2025-11-30
                act: adopt
                measures: [falls]
"""
#: Falls and occupied bed days: 12 months, then 12 after rounding began (the last 7 low).
FALLS_ROWS = [
    (6, 798), (7, 807), (6, 842), (9, 768), (7, 820), (6, 790), (7, 812), (6, 830),
    (7, 801), (8, 799), (6, 815), (7, 822),
    (7, 805), (6, 811), (8, 790), (7, 820), (8, 809), (5, 830), (4, 801), (5, 822),
    (3, 818), (4, 800), (5, 815), (3, 820),
]  # fmt: skip


def _falls(
    tmp_path: Path, text: str = FALLS, months: list[tuple[int, int]] = FALLS_ROWS
) -> dd.Diagram:
    rows = ["period,numerator,denominator"]
    for i, (falls, days) in enumerate(months):
        year, month = divmod(10 + i, 12)
        rows.append(f"{2024 + year}-{month + 1:02d},{falls},{days}")
    (tmp_path / "falls.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "ward.yaml").write_text(text, encoding="utf-8")
    return dd.load(tmp_path / "ward.yaml")


def _groups(root: ET.Element) -> dict[str, ET.Element]:
    return {e.get("id") or "": e for e in root.iter() if e.get("id")}


def _path_ys(group: ET.Element) -> list[float]:
    d = next(p.get("d") for p in group.iter(f"{SVG}path") if p.get("d"))
    assert d is not None
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return numbers[1::2]


def _marker(root: ET.Element, gid: str) -> tuple[str, str]:
    """The shape (the path of the marker drawn) and the fill of a group of points."""
    group = _groups(root)[gid]
    use = next(group.iter(f"{SVG}use"))
    shape = _groups(root)[(use.get(XLINK) or "#")[1:]].get("d") or ""
    fill = re.search(r"fill: (#[0-9a-f]{6})", use.get("style") or "")
    return shape, fill.group(1) if fill else ""


def _text(root: ET.Element) -> str:
    return " ".join(" ".join(e.itertext()) for e in root.iter(f"{SVG}text"))


def test_a_u_chart_under_mdc_draws_limits_by_phase_2_sigma_phases_and_icons(
    tmp_path: Path,
) -> None:
    diagram = _falls(tmp_path)
    data = dd.chart(diagram, "falls")
    root = ET.fromstring(data)
    groups = _groups(root)
    # a centre line, limits and 2-sigma lines for each phase
    for part in ("centre", "upper", "lower", "upper-2sigma", "lower-2sigma"):
        assert {f"{part}-1", f"{part}-2"} <= set(groups), part
    # U limits vary with each month's bed days: stepped, not one level
    assert len(set(_path_ys(groups["upper-1"]))) > 3
    # the phase is marked where it starts, with its label
    assert "phase-2" in groups and "Intentional rounding in place" in _text(groups["phase-label-2"])
    # the excluded month is drawn hollow; the sustained fall after rounding is flagged as
    # an improvement (lower is better), by shape as well as colour
    _, hollow = _marker(root, "excluded-points")
    _, solid = _marker(root, "points")
    assert hollow == "#ffffff" and solid != "#ffffff"
    analysis = control_of(diagram.measure("falls"))
    assert analysis is not None
    marks = flagged(analysis)
    assert marks and {signal.kind for signal in marks.values()} == {"improvement"}
    assert "improvement-points" in groups
    assert _marker(root, "improvement-points")[0] != _marker(root, "points")[0]
    # the icons: variation from the latest point, assurance from the target and limits
    assert (analysis.variation, analysis.variation_side) == ("special-cause-improvement", "low")
    assert analysis.assurance == "hit-or-miss"
    assert {"icon-special-cause-improvement", "icon-hit-or-miss"} <= set(groups)
    words = " ".join(_text(root).split())
    assert "Variation" in words and "Assurance" in words
    assert "Special cause: improvement" in words and "Limits (3σ, trial)" in words
    assert "Phase 2 (Intentional rounding in place), 2025-11 to 2026-10" in words
    assert "Variation: special cause improvement (low); assurance: hit or miss." in words
    # the PDSA cycle on the same time axis, and the same bytes every time
    assert "pdsa-huddle-1" in groups
    assert dd.chart(diagram, "falls") == data


def test_shapes_tell_the_kinds_apart_without_colour(tmp_path: Path) -> None:
    # a balancing measure going the wrong way: concern; on a measure going up: improvement
    values = [2.5, 1.2, 3.6, 2.6, 0, 2.5, 4.8, 2.4, 1.2, 3.6, 2.5, 2.4, 1.3, 3.8, 2.4, 2.6]
    values += [1.2, 2.5, 3.6, 4.2, 4.3, 4.4, 7.9, 9.6]
    inline = ", ".join(f"2025-{i + 1:02d}-01: {v}" for i, v in enumerate(values[:12]))
    inline += ", " + ", ".join(f"2026-{i + 1:02d}-01: {v}" for i, v in enumerate(values[12:]))
    text = FALLS.replace(
        "    - id: falls\n",
        "    - id: held\n      name: Restrained\n      type: balancing\n      chart: xmr\n"
        "      rules: mdc\n      direction: down\n      unit: per 1,000 bed days\n"
        f"      values: {{{inline}}}\n    - id: falls\n",
    )
    diagram = _falls(tmp_path, text)
    held = ET.fromstring(dd.chart(diagram, "held"))
    falls = ET.fromstring(dd.chart(diagram, "falls"))
    concern, improvement, plain = (
        _marker(held, "concern-points")[0],
        _marker(falls, "improvement-points")[0],
        _marker(held, "points")[0],
    )
    assert len({concern, improvement, plain}) == 3
    assert "icon-special-cause-concern" in _groups(held)
    # the mean of values written per 1,000 bed days is theirs, not 1,000 times it
    analysis = control_of(diagram.measure("held"))
    assert analysis is not None
    assert analysis.phases[0].centre == pytest.approx(sum(values) / len(values))


def test_shewhart_draws_no_2_sigma_lines_and_no_icons(tmp_path: Path) -> None:
    text = FALLS.replace("rules: mdc", "rules: shewhart")
    groups = _groups(ET.fromstring(dd.chart(_falls(tmp_path, text), "falls")))
    assert {"centre-1", "upper-1", "lower-1"} <= set(groups)
    assert not any(name.endswith("2sigma-1") or name.startswith("icon-") for name in groups)


def test_a_chart_with_too_few_points_for_limits_still_draws_its_points(tmp_path: Path) -> None:
    text = FALLS.replace("      exclude: [2025-03]\n", "").replace(
        "      phases:\n        - {from: 2025-11, label: Intentional rounding in place}\n", ""
    )
    root = ET.fromstring(dd.chart(_falls(tmp_path, text, FALLS_ROWS[:1]), "falls"))
    groups = _groups(root)
    assert "points" in groups and "Fewer than 10 data points" in " ".join(_text(root).split())


@pytest.mark.parametrize("name", icons.names())
def test_each_icon_stands_alone_as_checked_svg_the_same_every_time(name: str) -> None:
    side = "high" if name.startswith("special") else None
    data = icons.svg(name, side)
    svg_check.check(data, Path("icon.svg"))
    assert data == icons.svg(name, side)
    root = ET.fromstring(data)
    assert icons.WORDS[name] in (root.findtext(f"{SVG}title") or "")
    letters = _text(root)
    expected = {"consistently-pass": "P", "consistently-fail": "F", "hit-or-miss": "?"}
    if name in expected:
        assert expected[name] in letters
    elif side:
        assert "H" in letters  # a special cause says its side in a letter, not only colour
