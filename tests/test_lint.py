"""The coaching rules of ``driverdiagram lint``: each found where it applies and only there."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.coaching import CODES, Settings, lint, parse_updated

ROOT = Path(__file__).parent.parent
TODAY = dt.date(2026, 11, 26)
CONDITIONS = [
    "Families know about kindergarten",
    "Enrolment is simple",
    "Fees and transport are no barrier",
    "Services refer children to each other",
    "Staff welcome every culture",
    "Places match the demand in each suburb",
]
GOOD_AIM = "Raise kindergarten enrolment from 82% to 95% by February 2027"


def diagram_with(aim: str = GOOD_AIM, primaries: list[str] | None = None, extra: str = "") -> str:
    """A sound diagram, changed in one place by the test."""
    primaries = primaries or ["Families know about kindergarten", "Enrolment is simple"]
    lines = ["updated: 2026-11-20", f"aim: {aim}", "primary:"]
    ideas = [
        "Flyers at playgroups",
        "Reminder texts",
        "Enrol at the MCH visit",
        "Open days",
        "A one-page form",
        "Help desk at the library",
    ]
    for text, idea in zip(primaries, ideas, strict=False):
        lines += [f"  - text: {text}", "    changes:", f"      - {idea}"]
    return "\n".join(lines) + "\n" + extra


#: The rules about measures and PDSA cycles have tests of their own (test_measures.py).
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


# -- the command ---------------------------------------------------------------


@pytest.fixture
def weak(tmp_path: Path) -> Path:
    path = tmp_path / "weak.yaml"
    path.write_text(diagram_with("Improve kindergarten enrolment"))
    return path


def test_lint_text_json_and_github(weak: Path) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["lint", str(weak), "--today", "2026-11-26"])
    assert text.exit_code == 1
    lines = text.stdout.splitlines()
    assert lines[0] == (
        f"{weak}:2:6: warning: the aim does not say how much; add a number or percentage"
        " (for example 'from 82% to 95%') [DD101]"
    )
    as_json = runner.invoke(main, ["lint", str(weak), "--today", "2026-11-26", "--format", "json"])
    records = json.loads(as_json.stdout)
    assert [
        f"{r['path']}:{r['line']}:{r['column']}: {r['severity']}: {r['message']} [{r['code']}]"
        for r in records
    ] == lines
    github = runner.invoke(main, ["lint", str(weak), "--today", "2026-11-26", "--format", "github"])
    assert github.stdout.splitlines()[0] == (
        f"::warning file={weak},line=2,col=6,title=DD101::the aim does not say how much; add a"
        " number or percentage (for example 'from 82%25 to 95%25')"
    )


def test_lint_clean_exits_0_and_invalid_files_are_errors(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(diagram_with())
    runner = CliRunner()
    result = runner.invoke(main, ["lint", str(good), "--today", "2026-11-26"])
    assert (result.exit_code, result.stdout) == (0, "")
    bad = tmp_path / "bad.yaml"
    bad.write_text("aim: A\nprimary: [B]\ntitel: x\n")
    result = runner.invoke(main, ["lint", str(bad), "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "path": str(bad),
            "line": 3,
            "column": 1,
            "code": "DD000",
            "severity": "error",
            "message": "unknown key 'titel' (did you mean 'title'?)",
        }
    ]


def test_validate_formats(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("aim: A\nprimary: [B]\ntitel: x\n")
    runner = CliRunner()
    result = runner.invoke(main, ["validate", str(bad), "--format", "github"])
    assert result.stdout == (
        f"::error file={bad},line=3,col=1,title=DD000::"
        "unknown key 'titel' (did you mean 'title'?)\n"
    )
    good = tmp_path / "good.yaml"
    good.write_text(diagram_with())
    result = runner.invoke(main, ["validate", str(good), "--format", "json"])
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_settings_from_the_nearest_file(tmp_path: Path) -> None:
    nested = tmp_path / "team" / "diagrams"
    nested.mkdir(parents=True)
    path = nested / "d.yaml"
    path.write_text(diagram_with(primaries=CONDITIONS))
    runner = CliRunner()
    args = ["lint", str(path), "--today", "2026-11-26"]
    assert runner.invoke(main, args).exit_code == 1
    (tmp_path / "pyproject.toml").write_text("[tool.driverdiagram]\nprimary-drivers = [2, 6]\n")
    assert runner.invoke(main, args).exit_code == 0
    (tmp_path / "team" / "driverdiagram.toml").write_text("ignore = []\nprimary-drivers = [2, 4]\n")
    result = runner.invoke(main, args)
    assert result.exit_code == 1 and "[DD104]" in result.stdout
    assert runner.invoke(main, [*args, "--ignore", "DD104"]).exit_code == 0
    (tmp_path / "team" / "driverdiagram.toml").write_text("max-lenght = 80\n")
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert "unknown setting 'max-lenght'" in result.stderr


def test_diagrams_only_passes_over_other_yaml(tmp_path: Path) -> None:
    from driverdiagram.readers.diagram import looks_like_diagram

    workflow = tmp_path / "ci.yaml"
    workflow.write_text("name: ci\non: push\njobs: {}\n")
    marked = tmp_path / "marked.yaml"
    marked.write_text("# yaml-language-server: $schema=driverdiagram.schema.json\ntitle: x\n")
    plain = tmp_path / "plain.yaml"
    plain.write_text(diagram_with())
    assert not looks_like_diagram(workflow.read_bytes())
    assert looks_like_diagram(marked.read_bytes()) and looks_like_diagram(plain.read_bytes())
    runner = CliRunner()
    result = runner.invoke(main, ["validate", "--diagrams-only", str(workflow), str(plain)])
    assert (result.exit_code, result.stdout) == (0, f"{plain}: ok (5 boxes, 4 links)\n")
    result = runner.invoke(main, ["lint", "--diagrams-only", str(workflow), str(marked)])
    assert result.exit_code == 1 and "missing 'aim'" in result.stderr
    assert str(workflow) not in result.output


def test_the_pre_commit_hooks_name_real_options() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [hook["id"] for hook in hooks] == ["driverdiagram-validate", "driverdiagram-lint"]
    for hook in hooks:
        command = hook["entry"].split()[1:]
        result = CliRunner().invoke(main, [*command, "--help"])
        assert result.exit_code == 0, hook
