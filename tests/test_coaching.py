"""The coaching rules of ``driverdiagram lint`` (coaching.py): each found where it
applies and only there."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.coaching import CODES, Settings, lint, parse_updated
from driverdiagram.readers.diagram import parse
from driverdiagram.readers.templates import catalogue
from tests.paths import ROOT
from tests.samples import CONDITIONS, GOOD_AIM, diagram_with, measured

TODAY = dt.date(2026, 11, 26)

#: The rules about measures and PDSA cycles have a test of their own (test_measurement_rules).
MEASURING = ("DD110", "DD111", "DD112", "DD113", "DD114")


def findings(text: str, **settings: object) -> list[tuple[str, int]]:
    diagram = dd.loads(text, "d.yaml")
    settings.setdefault("ignore", MEASURING)
    found = lint(diagram, Settings(today=TODAY, **settings), text)  # type: ignore[arg-type]
    return [(problem.code, problem.line) for problem in found]


def test_a_sound_diagram_has_no_findings() -> None:
    assert findings(diagram_with()) == []


@pytest.mark.parametrize(
    "aim, codes",
    [
        (GOOD_AIM, []),
        ("Halve falls on Ward 7 by June 2027", []),
        ("Eligible children are enrolled in kindergarten by 28 February 2027", ["DD101"]),
        ("Children are enrolled within 12 months", ["DD101"]),
        ("Every eligible child is enrolled within 12 months", []),
        ("No avoidable pressure ulcers on the ward by 2027", []),
        ("Raise enrolment from 82% to 95%", ["DD102"]),
        ("Reach 95% enrolment within 12 months", []),
        ("Reach 95% enrolment by the end of the year", []),
        ("Improve kindergarten enrolment", ["DD101", "DD102", "DD103"]),
        ("Better and more enrolment by 2027", ["DD101", "DD103"]),
        ("Reduce falls by 30% in Q3", []),
    ],
)
def test_the_aim_says_how_much_and_by_when(aim: str, codes: list[str]) -> None:
    assert [code for code, line in findings(diagram_with(aim))] == codes
    assert all(line == 2 for code, line in findings(diagram_with(aim)))


@pytest.mark.parametrize(
    "count, found", [(1, [("DD104", 3)]), (2, []), (5, []), (6, [("DD104", 3)])]
)
def test_the_number_of_primary_drivers(count: int, found: list[tuple[str, int]]) -> None:
    primaries = CONDITIONS[:count]
    assert findings(diagram_with(primaries=primaries)) == found


def test_the_range_of_primary_drivers_is_configurable() -> None:
    primaries = CONDITIONS
    assert findings(diagram_with(primaries=primaries), primary_min=4, primary_max=6) == []


def test_a_driver_that_leads_to_no_change_idea() -> None:
    text = (
        f"aim: {GOOD_AIM}\nupdated: 2026-11-20\nprimary:\n"
        "  - text: Families know about kindergarten\n    secondary:\n"
        "      - text: Services talk to families early\n        changes: [Script for visits]\n"
        "      - Flyers reach every playgroup\n"
        "  - text: Enrolment is simple\n"
    )
    assert findings(text) == [("DD105", 8), ("DD105", 9)]


def test_boxes_that_say_the_same_thing() -> None:
    text = diagram_with(
        primaries=["Families know about kindergarten", "families know about Kindergarten!"]
    )
    assert findings(text) == [("DD106", 7)]
    near = diagram_with(
        primaries=["Families know about kindergarten", "Families knows about kindergartens"]
    )
    assert findings(near) == [("DD106", 7)]
    different = diagram_with(
        primaries=["Families know about kindergarten", "Families can afford kindergarten"]
    )
    assert findings(different) == []


def test_a_shared_box_is_not_a_duplicate() -> None:
    text = (
        f"aim: {GOOD_AIM}\nupdated: 2026-11-20\nprimary:\n"
        "  - text: Families know about kindergarten\n    changes:\n"
        "      - id: script\n        text: A script for the 3.5 year visit\n"
        "  - text: Enrolment is simple\n    changes:\n      - ref: script\n"
    )
    assert findings(text) == []


def test_text_too_long_to_read_in_print() -> None:
    long = "Families know about kindergarten and " * 4
    assert findings(diagram_with(primaries=[long.strip(), "Enrolment is simple"])) == [("DD107", 4)]
    assert (
        findings(diagram_with(primaries=[long.strip(), "Enrolment is simple"]), max_length=200)
        == []
    )


@pytest.mark.parametrize(
    "primary, found",
    [
        ("Implement a new enrolment system", True),
        ("Introduce reminder letters", True),
        ("Increase enrolment to 95%", True),
        ("80% of families know about kindergarten", True),
        ("Families know about kindergarten", False),
        ("1. Families know about kindergarten", False),
        ("P2 Enrolment is simple", False),
        ("Implementation support is available", False),
        ("Improved communication between teams", False),
        ("Develop a discharge checklist", True),
    ],
)
def test_a_primary_driver_is_a_condition(primary: str, found: bool) -> None:
    codes = findings(diagram_with(primaries=[primary, "Enrolment is simple for every family"]))
    assert codes == ([("DD108", 4)] if found else [])


@pytest.mark.parametrize(
    "updated, found",
    [
        ("2026-11-20", False),
        ("2026-08-28", False),
        ("2026-08-27", True),
        ("2025-01", True),
        ("20 November 2026", False),
        ("Nov 2026", False),
        ("March 2026", True),
        ("soon", True),
    ],
)
def test_an_old_or_unreadable_updated(updated: str, found: bool) -> None:
    text = diagram_with().replace("updated: 2026-11-20", f"updated: {updated}")
    assert findings(text) == ([("DD109", 1)] if found else [])


def test_no_updated_is_no_finding() -> None:
    assert findings(diagram_with().replace("updated: 2026-11-20\n", "")) == []


def test_parse_updated() -> None:
    assert parse_updated("2026-11-20") == dt.date(2026, 11, 20)
    assert parse_updated("3rd March 2026") == dt.date(2026, 3, 3)
    assert parse_updated("2026-02-30") is None


def test_select_ignore_and_an_inline_comment() -> None:
    text = diagram_with("Improve kindergarten enrolment")
    assert [c for c, _ in findings(text, select=("DD102",))] == ["DD102"]
    assert [c for c, _ in findings(text, ignore=("DD101", "DD103", *MEASURING))] == ["DD102"]
    silenced = text.replace(
        "aim: Improve kindergarten enrolment",
        "aim: Improve kindergarten enrolment  # driverdiagram: ignore DD101, DD103",
    )
    assert [c for c, _ in findings(silenced)] == ["DD102"]
    everything = text.replace(
        "aim: Improve kindergarten enrolment",
        "aim: Improve kindergarten enrolment  # driverdiagram: ignore",
    )
    assert findings(everything) == []


def test_the_examples_are_lint_clean_and_the_rules_are_listed() -> None:
    for path in sorted((ROOT / "diagrams").glob("*.yaml")):
        text = path.read_text()
        assert (
            lint(
                dd.loads(text, str(path), base=path.parent),
                Settings(today=dt.date(2026, 12, 1)),
                text,
            )
            == []
        )
    result = CliRunner().invoke(main, ["rules"])
    assert [line.split()[0] for line in result.stdout.splitlines()] == list(CODES)


# -- measures and PDSA cycles -------------------------------------------------------


def codes(text: str, **settings: object) -> list[tuple[str, int]]:
    found = lint(dd.loads(text, "d.yaml"), Settings(today=dt.date(2026, 11, 26), **settings), text)  # type: ignore[arg-type]
    return [(p.code, p.line) for p in found if p.code >= "DD110"]


def test_measurement_rules() -> None:
    # an unmeasured diagram is not nagged
    assert codes("aim: A 10% by 2027\nprimary: [B, C]\n") == []
    # measures but no outcome on the aim, no balancing, a primary without a process measure
    text = measured(aim_measures="    - name: Cost\n      type: process")
    assert codes(text) == [("DD110", 2), ("DD111", 2), ("DD112", 7)]
    good = measured(
        aim_measures="    - name: Falls\n    - name: Staff time\n      type: balancing",
        change_extra="        measures:\n          - name: Huddles held\n"
        "        pdsa:\n          - start: 2026-11-01\n            prediction: 8 of 10",
    )
    assert codes(good) == []  # a process measure below the primary driver counts
    stale = good.replace("2026-11-01", "2026-08-01").replace("8 of 10", "''")
    stale = stale.replace("            prediction: ''\n", "            end: 2026-08-20\n")
    assert codes(stale) == [("DD113", 12), ("DD114", 17)]
    assert codes(stale, cycle_days=120) == [("DD114", 17)]
    # an open cycle (no end, no act) that started lately is running; one started long ago
    # and never closed is stale
    running = good.replace("2026-11-01", "2026-10-01")
    assert codes(running) == []
    forgotten = good.replace("2026-11-01", "2025-01-01")
    assert codes(forgotten) == [("DD113", 12)]


# -- issue 13: an 'updated' in the future, a template's wording left in --------------------


@pytest.mark.parametrize(
    "updated, found",
    [
        ("2026-11-26", False),  # today
        ("2026-11-27", True),
        ("2027-01", True),  # a month means its first day
        ("2026-11", False),
        ("December 2026", True),
        ("26 November 2026", False),
    ],
)
def test_an_updated_in_the_future(updated: str, found: bool) -> None:
    text = diagram_with().replace("updated: 2026-11-20", f"updated: {updated}")
    assert findings(text) == ([("DD117", 1)] if found else [])
    silenced = text.replace(f"updated: {updated}", f"updated: {updated}  # driverdiagram: ignore")
    assert findings(silenced) == []


def test_a_templates_example_wording_left_in() -> None:
    text = diagram_with(
        primaries=["Families know about kindergarten", "A condition you are less sure about!"]
    )
    assert findings(text) == [("DD118", 7)]  # case and punctuation aside
    aim = diagram_with(aim="What will improve, by how much, for whom, by when")
    assert ("DD118", 2) in findings(aim)
    kept = diagram_with(primaries=["Creating buy-in", "Deepening relationships"])
    assert findings(kept) == []  # coach-practice's domains are meant to be kept


def test_the_example_wording_is_every_templates_own() -> None:
    """Each shipped template, linted, has DD118 on exactly its boxes whose lines do not
    say the wording is to be kept: the rule's texts are read from the templates."""
    for template in catalogue().values():
        diagram = dd.loads(template.text, template.name)
        lines = template.text.splitlines()
        expected = [
            node.location.line
            for node in parse(template.text, template.name).nodes
            if "ignore DD118" not in lines[node.location.line - 1]
        ]
        found = lint(diagram, Settings(select=("DD118",)), template.text)
        assert [problem.line for problem in found] == expected, template.name
        assert expected, f"{template.name} has no example wording"
