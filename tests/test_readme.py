"""The README's Python example runs, and its error example is the real output."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from driverdiagram.cli import main

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.graphviz
def test_the_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    (block,) = re.findall(r"```python\n(.*?)```", README, re.S)
    shutil.copytree(ROOT / "diagrams", tmp_path / "diagrams")
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("Reduce inpatient falls")
    assert printed[-1] == "4 5 unknown key 'secondry' (did you mean 'secondary'?)"
    assert (tmp_path / "falls.pdf").read_bytes().startswith(b"%PDF")


def test_the_error_example_is_what_validate_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    block = README.split("## What errors look like", 1)[1].split("\n## ", 1)[0]
    (session,) = re.findall(r"```console\n(.*?)```", block, re.S)
    command, *expected = session.strip().splitlines()
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, command.removeprefix("$ driverdiagram ").split())
    assert result.exit_code == 1
    assert result.stderr.splitlines() == expected


def test_the_measures_example_is_what_analyse_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    block = README.split("## Measures, run charts and PDSA cycles", 1)[1]
    session = re.findall(r"```console\n(.*?)```", block, re.S)[0]
    command, *rest = session.strip().split("\n\n")[0].splitlines()
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, command.removeprefix("$ driverdiagram ").split())
    assert result.exit_code == 0
    assert result.stdout.splitlines() == rest


def test_the_edit_session_is_what_the_commands_print(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shlex

    block = README.split("## Adding cycles and data without touching the YAML", 1)[1]
    (session,) = re.findall(r"```console\n(.*?)```", block.split("\n## ", 1)[0], re.S)
    shutil.copytree(ROOT / "diagrams", tmp_path / "diagrams")
    before = (tmp_path / "diagrams" / "falls-prevention.yaml").read_bytes()
    monkeypatch.chdir(tmp_path)
    runs = [run.strip().splitlines() for run in session.split("$ driverdiagram ") if run.strip()]
    for command, *expected in runs:
        result = CliRunner().invoke(main, shlex.split(command))
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines() == expected
    after = (tmp_path / "diagrams" / "falls-prevention.yaml").read_bytes()
    # pdsa: and its four keys, the month; the status line replaced in place
    assert len(after.splitlines()) == len(before.splitlines()) + 6
