"""The layout (draw/layout.py) fits the page: a 30-box diagram on A4 landscape
prints with text no smaller than 8 pt."""

from __future__ import annotations

import re

import pytest

import driverdiagram as dd
from tests.paths import ROOT

pytestmark = pytest.mark.graphviz

#: A4 landscape less 10 mm margins, in points.
PAGE = ((297 - 20) / 25.4 * 72, (210 - 20) / 25.4 * 72)


def smallest_printed_text(svg: bytes) -> float:
    """The smallest font size, in points, once the drawing is scaled to fit the page."""
    text = svg.decode()
    width = float(re.search(r'<svg width="([\d.]+)pt"', text).group(1))  # type: ignore[union-attr]
    height = float(re.search(r' height="([\d.]+)pt"', text).group(1))  # type: ignore[union-attr]
    sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', text)]
    return min(sizes) * min(PAGE[0] / width, PAGE[1] / height, 1.0)


def thirty_boxes() -> dd.Diagram:
    """Aim, 3 primary drivers, 8 secondary drivers, 18 change ideas of typical length."""
    lines = [
        "title: Kindergarten enrolment in Riverbend",
        "team: Riverbend improvement team",
        "updated: 2026-11-20",
        "aim: Increase the share of eligible children enrolled in kindergarten from 82% to"
        " 95% by February 2027",
        "primary:",
    ]
    secondary = change = 0
    statuses = ["idea", "testing", "adopted", "abandoned"]
    for primary, count in enumerate((3, 3, 2), start=1):
        lines += [
            f"  - text: Families can take up a place, part {primary} of the story",
            "    secondary:",
        ]
        for _ in range(count):
            secondary += 1
            lines += [
                f"      - text: Secondary driver {secondary}, a cause in a few words",
                "        changes:",
            ]
            for _ in range(3 if secondary <= 2 else 2):
                change += 1
                lines += [
                    f"          - text: Change idea {change} to test with a PDSA cycle",
                    f"            status: {statuses[change % 4]}",
                ]
    diagram = dd.loads("\n".join(lines) + "\n")
    assert len(diagram.nodes) == 30
    return diagram


def test_a_typical_thirty_box_diagram_prints_at_8pt_or_more_on_a4() -> None:
    assert smallest_printed_text(dd.render(thirty_boxes(), "svg")) >= 8


def test_the_falls_example_prints_at_8pt_or_more_on_a4() -> None:
    path = ROOT / "diagrams" / "falls-prevention.yaml"
    assert smallest_printed_text(dd.render(dd.load(path), "svg")) >= 8


def test_a_badge_names_each_measure_briefly_with_its_verdict_in_words() -> None:
    from driverdiagram.draw.layout import badges
    from tests.samples import measured

    text = measured(
        aim_measures="    - name: Falls per 1,000 occupied bed days on the ward\n"
        "      direction: down\n"
        "      values: {2026-01: 9, 2026-02: 8, 2026-03: 7, 2026-04: 6, 2026-05: 5}\n"
        "    - name: Restraint use\n      short: Restraints\n"
        "    - name: Supercalifragilisticexpialidocious-assessments-completed-today x\n"
        "      values: {2026-01: 3, 2026-02: 4, 2026-03: 6, 2026-04: 5, 2026-05: 3,"
        " 2026-06: 4, 2026-07: 6, 2026-08: 5, 2026-09: 4, 2026-10: 5}"
    )
    diagram = dd.loads(text)
    badge = badges(diagram)["aim"]
    assert badge.measures == (
        ("Falls per 1,000 occupied...", "early signal"),
        ("Restraints", "no data yet"),
        ("Supercalifragilisticexpialidocious-assessments-completed-today...", "no signal yet"),
    )
    assert badge.text.startswith("Measures: Falls per 1,000 occupied... (early signal); ")
    made_up = [m.id for m in diagram.measures]
    assert not any(measure_id in badge.text for measure_id in made_up)
    dot = dd.to_dot(diagram)
    assert "Restraints (no data yet)" in dot and "falls-per" not in dot
