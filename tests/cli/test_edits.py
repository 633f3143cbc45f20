"""Editing a diagram in place from the command line (cli/measures.py): ``pdsa add``,
``data add`` and ``status``; and ``pdsa FILE``, which still lists the cycles."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main, measures
from tests.paths import MEASURED

DIAGRAM = (
    "# Ward 7\n"
    "aim:\n"
    "  text: Fewer falls\n"
    "  measures:\n"
    "    - id: falls\n"
    "      name: Falls\n"
    "      values: {2026-01: 3, 2026-02: 4}\n"
    "    - id: assessed\n"
    "      name: Assessed\n"
    "      data: assessed.csv\n"
    "primary:\n"
    "  - text: Risk found early\n"
    "    changes:\n"
    "      - id: huddle          # the daily huddle\n"
    "        text: 'Review at the huddle'\n"
    "\n"
    "      - Hourly rounding\n"
)


@pytest.fixture
def ward(tmp_path: Path) -> Path:
    (tmp_path / "assessed.csv").write_text("period,numerator,denominator\n2026-01,30,40\n")
    path = tmp_path / "ward.yaml"
    path.write_text(DIAGRAM)
    return path


def test_pdsa_file_still_lists_the_cycles_as_pdsa_list_does() -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["pdsa", "list", str(MEASURED), "--change", "huddle"])
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.startswith("huddle: Review high-risk patients at the safety huddle")
    for args in (
        ["pdsa", str(MEASURED), "--change", "huddle"],
        ["pdsa", "--change", "huddle", str(MEASURED)],
    ):
        again = runner.invoke(main, args)
        assert (again.exit_code, again.stdout) == (0, listed.stdout)
    helped = runner.invoke(main, ["pdsa", "--help"])
    assert helped.exit_code == 0
    assert "add " in helped.stdout and "list " in helped.stdout
    assert "'driverdiagram pdsa FILE' is 'pdsa list FILE'" in " ".join(helped.stdout.split())


def test_pdsa_add_writes_the_cycle_and_says_where(ward: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "pdsa", "add", str(ward), "--change", "huddle", "--start", "2026-09-01",
            "--end", "2026-09-14", "--objective", "Can nights use it?", "--act", "adapt",
            "--measure", "falls", "--measure", "assessed",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{ward}:16: added a PDSA cycle of 'huddle' starting 2026-09-01\n"
    assert ward.read_text() == DIAGRAM.replace(
        "        text: 'Review at the huddle'\n",
        "        text: 'Review at the huddle'\n"
        "        pdsa:\n"
        "          - start: 2026-09-01\n"
        "            end: 2026-09-14\n"
        "            objective: Can nights use it?\n"
        "            act: adapt\n"
        "            measures: [falls, assessed]\n",
    )
    again = CliRunner().invoke(
        main, ["pdsa", "add", str(ward), "--change", "huddle", "--start", "2026-09-01"]
    )
    assert again.exit_code == 1
    assert again.stderr == (
        f"{ward}:17:13: error: 'huddle' already has a PDSA cycle starting 2026-09-01 (cycle 1);"
        " a cycle is added once (to change it, edit it here)\n"
    )


def test_pdsa_add_asks_for_what_is_missing_only_at_a_terminal(
    ward: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["pdsa", "add", str(ward), "--change", "huddle"])
    assert missing.exit_code == 2
    assert "give the cycle's first day: --start 2026-09-01" in missing.stderr
    monkeypatch.setattr(measures, "at_terminal", lambda: True)
    # start; name, end, objective, prediction, (plan given), do, study, act
    answers = "2026-10-01\n\n\nWill it work?\n\n\n\nadopt\n"
    asked = runner.invoke(
        main, ["pdsa", "add", str(ward), "--change", "huddle", "--plan", "Nights"], input=answers
    )
    assert asked.exit_code == 0, asked.output
    assert "Objective: what question does the cycle answer?" in asked.stdout
    assert "Plan:" not in asked.stdout  # given already
    (cycle,) = dd.load(ward).cycles
    assert (cycle.start.isoformat(), cycle.objective, cycle.plan, cycle.act) == (
        "2026-10-01",
        "Will it work?",
        "Nights",
        dd.Act.ADOPT,
    )


def test_data_add_takes_period_and_value_or_options(ward: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["data", "add", str(ward), "--measure", "falls", "2026-03", "5"])
    assert (first.exit_code, first.stdout) == (0, f"{ward}:7: added 2026-03 to 'falls'\n")
    second = runner.invoke(
        main,
        ["data", "add", str(ward), "--measure", "falls", "--period", "2026-04", "--value", "6.5"],
    )
    assert second.exit_code == 0, second.output
    assert "values: {2026-01: 3, 2026-02: 4, 2026-03: 5, 2026-04: 6.5}\n" in ward.read_text()
    ratio = runner.invoke(
        main, ["data", "add", str(ward), "--measure", "assessed", "2026-02", "31/42"]
    )
    assert (ratio.exit_code, ratio.stdout) == (
        0,
        f"{ward.parent / 'assessed.csv'}:3: added 2026-02 to 'assessed'\n",
    )
    counts = runner.invoke(
        main,
        ["data", "add", str(ward), "--measure", "assessed", "--period", "2026-03",
         "--numerator", "33", "--denominator", "40"],
    )  # fmt: skip
    assert counts.exit_code == 0, counts.output
    assert (ward.parent / "assessed.csv").read_text() == (
        "period,numerator,denominator\n2026-01,30,40\n2026-02,31,42\n2026-03,33,40\n"
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["2026-02", "9"],
            1,
            "{w}:7:28: error: period 2026-02 of 'falls' is already in the data here",
        ),
        (["2026-03", "seven"], 2, "'seven' is not a number"),
        (["2026-3", "7"], 2, "'2026-3' is not a period; write a month as 2026-03"),
        (["2026-03"], 2, "give the period's value, or its numerator and denominator"),
        (
            ["2026-03", "7", "--period", "2026-04"],
            2,
            "give PERIOD VALUE, or --period and --value, not both",
        ),
        ([], 2, "give the period: PERIOD VALUE, or --period 2026-11 --value 7"),
    ],
)
def test_data_add_refusals(ward: Path, args: list[str], code: int, message: str) -> None:
    result = CliRunner().invoke(main, ["data", "add", str(ward), "--measure", "falls", *args])
    assert result.exit_code == code
    assert message.format(w=ward) in result.stderr
    assert ward.read_text() == DIAGRAM


def test_status_sets_the_status_and_keeps_everything_else(ward: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["status", str(ward), "huddle", "Adopted"])
    assert (result.exit_code, result.stdout) == (0, f"{ward}:16: 'huddle' is now adopted\n")
    assert ward.read_text() == DIAGRAM.replace(
        "        text: 'Review at the huddle'\n",
        "        text: 'Review at the huddle'\n        status: adopted\n",
    )
    again = runner.invoke(main, ["status", str(ward), "huddle", "adopted"])
    assert (again.exit_code, again.stdout) == (0, f"{ward}:16: 'huddle' is adopted already\n")
    wrong = runner.invoke(main, ["status", str(ward), "huddle", "done"])
    assert wrong.exit_code == 2 and "'done' is not one of 'idea', 'testing'" in wrong.stderr
    unknown = runner.invoke(main, ["status", str(ward), "hudle", "adopted"])
    assert unknown.exit_code == 1
    assert unknown.stderr == f"{ward}: error: has no change idea 'hudle' (did you mean 'huddle'?)\n"
    placed = runner.invoke(main, ["status", str(ward), "p1.c2", "adopted"])
    assert placed.exit_code == 1 and "give it an 'id:'" in placed.stderr
