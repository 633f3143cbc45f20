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


#: A balancing measure whose latest month is far above its limits (Making Data Count).
RESTRAINT = (
    "    - name: Patients restrained or sedated for agitation\n"
    "      short: Restraint or sedation\n"
    "      type: balancing\n      direction: down\n      chart: xmr\n      rules: mdc\n"
    "      values: {2025-01: 2.5, 2025-02: 1.2, 2025-03: 3.6, 2025-04: 2.6, 2025-05: 2.0,"
    " 2025-06: 2.5, 2025-07: 2.8, 2025-08: 2.4, 2025-09: 1.2, 2025-10: 3.6, 2025-11: 2.5,"
    " 2025-12: 2.4, 2026-01: 1.3, 2026-02: 3.0, 2026-03: 2.4, 2026-04: 2.6, 2026-05: 9.5}\n"
)


def _control(name: str, chart: str, rules: str, values: list[float]) -> str:
    """A measure (lower is better) with monthly values from 2025-01."""
    months = ", ".join(
        f"{2025 + i // 12}-{i % 12 + 1:02d}: {value}" for i, value in enumerate(values)
    )
    return (
        f"    - name: {name}\n      direction: down\n      chart: {chart}\n"
        f"      rules: {rules}\n      values: {{{months}}}\n"
    )


def test_a_control_chart_badge_says_its_variation_or_verdict_and_trial_limits() -> None:
    from driverdiagram.draw.layout import badges
    from tests.samples import measured

    steady = [5, 6, 5, 7, 6, 5, 6, 7, 5, 6, 6, 5, 7, 6, 5]
    text = measured(
        aim_measures=RESTRAINT
        + _control("Steady", "xmr", "mdc", steady)
        + _control("Better", "xmr", "mdc", [*steady, 4, 3, 4, 3, 4, 3, 4])
        + _control("Young", "xmr", "mdc", steady[:8])
        + _control("Shewhart better", "xmr", "shewhart", [*steady, 4, 3, 4, 3, 4, 3, 4, 3])
        + _control("Shewhart young", "xmr", "shewhart", [6, 5, 7, 6, 5, 6, 7, 5, 6, 6, 5, 1])
        + _control("Anhoej worse", "xmr", "anhoej", [*steady, 8, 9, 8, 9, 8, 9, 8, 9, 8])
        + _control("Shewhart few", "xmr", "shewhart", [5, 6, 5])
        + "    - name: Not yet\n      chart: u\n"
    )
    assert badges(dd.loads(text))["aim"].measures == (
        ("Restraint or sedation", "special cause concern"),
        ("Steady", "common cause"),
        ("Better", "special cause improvement"),
        ("Young", "common cause, trial limits"),
        ("Shewhart better", "improving"),
        ("Shewhart young", "improving, trial limits"),
        ("Anhoej worse", "wrong direction"),
        ("Shewhart few", "too few points"),
        ("Not yet", "no data yet"),
    )
    badge = badges(dd.loads(text))["aim"]
    assert badge.concern and badge.improving


def test_a_balancing_measure_of_special_cause_concern_shows_on_the_diagram() -> None:
    """The badge says so in words, bold and underlined (not by colour alone), and the
    box is marked for style sheets and screen-reader-minded tools."""
    import xml.etree.ElementTree as ET

    from tests.samples import measured

    diagram = dd.loads(measured(aim_measures=RESTRAINT))
    svg = ET.fromstring(dd.render(diagram, "svg"))
    ns = {"svg": "http://www.w3.org/2000/svg"}
    [aim] = [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("id") == "dd-aim"]
    assert "dd-concern" in (aim.get("class") or "").split()
    texts = aim.findall(".//svg:text", ns)
    words = " ".join(t.text or "" for t in texts)
    assert "Restraint or sedation" in words and "(special cause concern)" in " ".join(words.split())
    marked = [t for t in texts if t.get("text-decoration") == "underline"]
    assert " ".join(t.text or "" for t in marked) == "(special cause concern)"
    assert all(t.get("font-weight") == "bold" for t in marked)
    # on a light box the words are in the theme's concern colour as well
    on_primary = "\n".join("  " + line if line else line for line in RESTRAINT.split("\n"))
    dot = dd.to_dot(dd.loads(measured(primary_extra="    measures:\n" + on_primary)))
    concern = r'<FONT COLOR="#B2182B"><B><U>\(special cause(?: |<BR/>)concern\)</U></B></FONT>'
    assert re.search(concern, dot)


def test_adding_a_ref_moves_no_other_box() -> None:
    """A ref draws a line and nothing more: every other box keeps its place in its
    column and where Graphviz puts it (the falls example, a ref added to each of its
    change ideas from a driver that does not drive it yet, one at a time)."""
    import json
    import subprocess
    from dataclasses import replace

    from driverdiagram.draw.layout import column_order
    from driverdiagram.model import Level, Link
    from tests.paths import FALLS

    def placed(diagram: dd.Diagram) -> tuple[dict[str, int], dict[str, float]]:
        order = {n.id: i for nodes in column_order(diagram).values() for i, n in enumerate(nodes)}
        laid = subprocess.run(
            ["dot", "-Tjson"], input=dd.to_dot(diagram).encode(), capture_output=True, check=True
        )
        ys = {
            item["name"]: float(item["pos"].split(",")[1])
            for item in json.loads(laid.stdout)["objects"]
            if "pos" in item and item["name"] in order
        }
        return order, ys

    diagram = dd.load(FALLS)
    order, ys = placed(diagram)
    tried = 0
    for child in diagram.at_level(Level.CHANGE)[::3]:
        parents = {link.parent for link in diagram.parents(child.id)}
        other = next(n for n in diagram.at_level(Level.SECONDARY) if n.id not in parents)
        added = replace(
            diagram, links=(*diagram.links, Link(other.id, child.id, child.location, ref=True))
        )
        after_order, after_ys = placed(added)
        unrelated = set(order) - {child.id, other.id}
        assert {b: after_order[b] for b in unrelated} == {b: order[b] for b in unrelated}
        assert all(abs(after_ys[b] - ys[b]) < 1 for b in unrelated), child.id
        tried += 1
    assert tried >= 3


def test_a_change_idea_straight_under_a_primary_driver_sits_with_its_other_ideas() -> None:
    """A change idea written under a primary driver (skipping the secondary column)
    goes with that driver's other ideas, in the order written, never among the ideas
    of another primary driver's secondaries."""
    from driverdiagram.draw.layout import column_order

    diagram = dd.loads(
        "aim: More children enrolled\nprimary:\n"
        "  - text: Families know\n    secondary:\n"
        "      - text: Services tell families\n        changes: [Script, Flyer]\n"
        "      - text: Languages\n        changes: [Translated flyer]\n"
        "    changes: [Festival stall]\n"
        "  - text: Enrolment is simple\n    changes: [Online form]\n"
        "    secondary:\n"
        "      - text: One form\n        changes: [Shared form]\n"
    )
    ideas = [" ".join(n.text.split()) for n in column_order(diagram)[dd.Level.CHANGE]]
    assert ideas == [
        "Script",
        "Flyer",
        "Translated flyer",
        "Festival stall",
        "Online form",
        "Shared form",
    ]
