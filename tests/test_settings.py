"""Lint settings (settings.py): the nearest pyproject.toml or driverdiagram.toml
applies, the command line's options over it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from driverdiagram.cli import main
from tests.samples import CONDITIONS, diagram_with


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
