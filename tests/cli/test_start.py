"""Starting out (cli/start.py): ``templates`` lists them, ``new`` makes a diagram."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main


def test_templates_lists_each_with_a_description(runner: CliRunner) -> None:
    result = runner.invoke(main, ["templates"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert {"blank", "ihi-classic", "coach-practice"} <= set(names)
    assert all(len(line.split(maxsplit=1)) == 2 for line in result.stdout.splitlines())


@pytest.mark.parametrize("template", ["blank", "ihi-classic", "coach-practice"])
def test_new_from_each_template_is_valid(runner: CliRunner, tmp_path: Path, template: str) -> None:
    target = tmp_path / f"{template}.yaml"
    result = runner.invoke(main, ["new", str(target), "--template", template])
    assert (result.exit_code, result.stdout) == (0, f"{target}\n")
    assert not target.read_text().startswith("# description:")
    dd.load(target)


def test_new_defaults_to_ihi_classic_and_never_overwrites(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "mine.yaml"
    assert runner.invoke(main, ["new", str(target)]).exit_code == 0
    classic = runner.invoke(main, ["new", "-", "--template", "ihi-classic"]).stdout
    editor_line = "# yaml-language-server: $schema=driverdiagram.schema.json\n"
    assert target.read_text() == editor_line + classic
    assert (tmp_path / "driverdiagram.schema.json").read_text() == (
        Path(dd.__file__).parent / "schema.json"
    ).read_text()
    target.write_text("my own work")
    result = runner.invoke(main, ["new", str(target)])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"{target}: error: already exists; choose another name, or add --force to replace it\n"
    )
    assert target.read_text() == "my own work"
    assert runner.invoke(main, ["new", str(target), "--force"]).exit_code == 0
    assert target.read_text() == editor_line + classic
    nested = tmp_path / "team" / "falls.yaml"
    nested.parent.mkdir()
    assert runner.invoke(main, ["new", str(nested), "--template", "blank"]).exit_code == 0
    assert nested.read_text().startswith(
        "# yaml-language-server: $schema=../driverdiagram.schema.json\n"
    )
    assert not (nested.parent / "driverdiagram.schema.json").exists()
    bare = tmp_path / "bare.yaml"
    assert runner.invoke(main, ["new", str(bare), "--no-schema"]).exit_code == 0
    assert bare.read_text() == classic


def test_new_unknown_template(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["new", str(tmp_path / "x.yaml"), "--template", "ihi-clasic"])
    assert result.exit_code == 2
    assert "no template called 'ihi-clasic' (did you mean 'ihi-classic'?)" in result.stderr
