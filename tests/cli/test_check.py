"""Checking diagrams (cli/check.py): ``validate`` and ``lint``, their formats, and
the pre-commit hooks that run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from driverdiagram.cli import main
from tests.paths import CASES, ROOT
from tests.samples import MINIMAL, diagram_with


def test_validate_ok(
    runner: CliRunner, diagram_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(diagram_file.parent)
    result = runner.invoke(main, ["validate", "falls.yaml"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "falls.yaml: ok (2 boxes, 1 link)\n",
        "",
    )


def test_validate_reports_every_file(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES / "invalid")
    result = runner.invoke(
        main, ["validate", "bad-strength.yaml", "../valid/minimal.yaml", "missing.yaml"]
    )
    assert result.exit_code == 1
    assert result.stdout == "../valid/minimal.yaml: ok (2 boxes, 1 link)\n"
    assert result.stderr == (
        "bad-strength.yaml:4:15: error: unknown strength 'medium'; use one of: strong, weak\n"
        "missing.yaml: error: no such file\n"
    )


def test_validate_reads_standard_input(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "-"], input=MINIMAL)
    assert (result.exit_code, result.stdout) == (0, "<stdin>: ok (2 boxes, 1 link)\n")
    bad = runner.invoke(main, ["validate", "-"], input="aim: A\nprimary: [B]\ntitel: x\n")
    assert bad.exit_code == 1
    assert bad.stderr == "<stdin>:3:1: error: unknown key 'titel' (did you mean 'title'?)\n"


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
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{good}: ok\n", "")
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


# -- lint: golden cases, FILE: ok, a new diagram's example wording -----------------------

LINT_CASES = sorted((CASES / "lint").glob("*.yaml"))


@pytest.mark.parametrize("case", LINT_CASES, ids=[case.stem for case in LINT_CASES])
def test_lint_cases_give_their_exact_output(
    case: Path, regen: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tests/cases/lint/NAME.yaml: what ``lint NAME.yaml --today 2026-11-26`` prints, in
    NAME.err (``pytest --regen`` rewrites them)."""
    monkeypatch.chdir(case.parent)
    result = CliRunner().invoke(main, ["lint", case.name, "--today", "2026-11-26"])
    assert result.stderr == "" and result.exit_code == (
        0 if result.stdout.endswith(": ok\n") else 1
    )
    golden = case.with_suffix(".err")
    if regen or not golden.exists():
        golden.write_text(result.stdout, encoding="utf-8")
        if not regen:
            pytest.fail(f"{golden.name} did not exist and was written; review and commit it")
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_a_new_diagram_is_flagged_until_its_wording_is_the_teams(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    runner = CliRunner()
    assert runner.invoke(main, ["new", str(path), "--template", "blank"]).exit_code == 0
    result = runner.invoke(main, ["lint", str(path), "--select", "DD118"])
    assert result.exit_code == 1 and result.stdout.count("[DD118]") == 4
    text = path.read_text()
    for old, new in [
        ("What will improve, by how much, for whom, by when", "Halve falls by June 2027"),
        ("A condition that must be in place to reach the aim", "Risk is known"),
        ("A more specific condition that feeds the primary driver", "Risk assessed"),
        ("A change you can test on a small scale", "Admission checklist"),
    ]:
        text = text.replace(old, new)
    path.write_text(text)
    result = runner.invoke(main, ["lint", str(path), "--select", "DD118"])
    assert (result.exit_code, result.stdout) == (0, f"{path}: ok\n")
