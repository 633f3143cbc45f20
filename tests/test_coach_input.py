"""Input that forgives a coach (issue 13, item 4): the mistakes people make typing YAML
by hand or saving from Excel and Word, each read as meant or reported where it is with
how to fix it. Run through the command line, as a coach would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main

CASES = Path(__file__).parent / "cases"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(folder: Path, text: str, name: str = "plan.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- status, strength, act ... in any case ------------------------------------------------


def test_values_are_read_whatever_their_case_and_written_in_lower_case(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CASES / "valid")
    result = runner.invoke(main, ["validate", "capitals.yaml"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "capitals.yaml: ok (5 boxes, 4 links)\n",
        "",
    )
    diagram = dd.load("capitals.yaml")
    lower = Path("capitals.yaml").read_text(encoding="utf-8")
    for written, meant in [
        ("Outcome", "outcome"),
        ("Down", "down"),
        ("IHI", "ihi"),
        ("Testing", "testing"),
        ("Weak", "weak"),
        ("ADOPTED", "adopted"),
        ("Abandon", "abandon"),
    ]:
        lower = lower.replace(f": {written}\n", f": {meant}\n")
    assert dd.to_dot(diagram) == dd.to_dot(dd.loads(lower, "capitals.yaml"))
    written = runner.invoke(main, ["import", "-"], input=dd.export(diagram, "json"))
    assert written.exit_code == 0
    for value in ("type: outcome", "direction: down", "status: testing", "strength: weak"):
        assert value in written.stdout
    assert "status: adopted" in written.stdout and "act: abandon" in written.stdout
    exported = json.loads(runner.invoke(main, ["export", "capitals.yaml", "--to", "json"]).stdout)
    assert [node["status"] for node in exported["nodes"]][-3:] == [
        "testing",
        "adopted",
        "abandoned",
    ]
    csv = runner.invoke(main, ["export", "capitals.yaml", "--to", "csv"]).stdout
    assert ",testing,weak," in csv and ",adopted,strong," in csv


def test_a_misspelt_value_in_capitals_is_still_named(runner: CliRunner, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "aim: Halve falls by June 2027\nprimary:\n  - text: Risk is known\n    changes:\n"
        "      - text: Huddle\n        status: Adoptd\n        strength: Medium\n",
    )
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:6:17: error: unknown status 'Adoptd' (did you mean 'adopted'?);"
        " use one of: idea, testing, adopted, abandoned",
        f"{path}:7:19: error: unknown strength 'Medium'; use one of: strong, weak",
    ]
