"""driverdiagram doctor and --version: what is found on this computer, and how to install
what is not (the real programs here; PATH emptied to see them missing)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram import tools
from driverdiagram.cli import main


def test_doctor_finds_graphviz_with_its_version_and_says_what_each_thing_is_for() -> None:
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 0, result.output
    [graphviz] = [line for line in result.output.splitlines() if "Graphviz" in line]
    assert graphviz.startswith("  ok       Graphviz ") and graphviz.split()[2][0].isdigit()
    assert "draws every diagram" in graphviz and result.output.rstrip().endswith(
        ("Ready to draw.", "install what you need.")
    )
    checks = dd.doctor()
    assert [c.name.split()[0] for c in checks] == [
        "Graphviz",
        "Liberation",
        "a",
        "LibreOffice",
        "git",
    ]
    assert all(check.needed_for and check.install for check in checks)


def test_with_nothing_on_path_each_missing_thing_has_its_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(tools.BROWSER_VARIABLE, raising=False)
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  needed   Graphviz"))
    assert lines[at + 1].startswith("           install: ")
    assert "cannot draw" in lines[-1]
    if sys.platform.startswith("linux") and Path("/etc/debian_version").exists():
        assert lines[at + 1].endswith("sudo apt-get install graphviz")
        assert "           install: sudo apt-get install chromium" in lines
    # and the message of a drawing without Graphviz points to doctor
    drawn = CliRunner().invoke(
        main, ["render", "-", "-o", str(tmp_path / "x.svg")], input="aim: a\nprimary: [b]\n"
    )
    assert drawn.exit_code != 0 and "driverdiagram doctor" in drawn.output


def _program(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_a_browser_is_found_in_the_standard_folders_of_windows_and_macos(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv(tools.BROWSER_VARIABLE, raising=False)
    edge = _program(tmp_path / "Program Files" / "Microsoft/Edge/Application/msedge.exe")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "Program Files"))
    monkeypatch.delenv("ProgramFiles(x86)", raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    assert tools.browser() == str(edge)
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    chrome = _program(tmp_path / "Applications/Google Chrome.app/Contents/MacOS/Google Chrome")
    assert tools.browser() == str(chrome)
    # a browser named by the environment variable comes first
    named = _program(tmp_path / "brave")
    monkeypatch.setenv(tools.BROWSER_VARIABLE, str(named))
    assert tools.browser() == str(named)


def test_version_names_the_graphviz_it_draws_with() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    first, second = result.output.splitlines()
    assert first == f"driverdiagram {dd.__version__}"
    assert second.startswith("Graphviz ") and os.sep in second
