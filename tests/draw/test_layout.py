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
