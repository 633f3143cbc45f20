"""A team's own theme file (readers/theme.py): read, checked and located."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.readers.theme import theme
from driverdiagram.style import THEMES
from tests.paths import FALLS


def test_a_theme_file(tmp_path: Path) -> None:
    path = tmp_path / "ours.yaml"
    path.write_text(
        "base: print\nlink-colour: '#222222'\nlevels:\n  primary: {fill: '#DDEEFF', width: 200}\n"
        "statuses:\n  testing: {tag: TRIAL, legend: on trial}\n"
    )
    look = theme(str(path))
    assert look.name == "ours" and look.link_colour == "#222222"
    assert look.levels[dd.Level.PRIMARY].fill == "#DDEEFF"
    assert look.levels[dd.Level.PRIMARY].width == 200
    assert look.levels[dd.Level.SECONDARY] == THEMES["print"].levels[dd.Level.SECONDARY]
    assert look.statuses[dd.Status.TESTING].tag == "TRIAL"
    dot = dd.to_dot(dd.load(FALLS), theme=str(path))
    assert "TRIAL" in dot and "on trial" in dot


def test_a_bad_theme_file_is_located(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("base: printt\nlevels:\n  primary: {fil: red, width: -3}\nlink-colour: '#12'\n")
    with pytest.raises(dd.DiagramError) as caught:
        theme(str(path))
    found = [(p.line, p.column, p.message) for p in caught.value.problems]
    assert found[0][:2] == (1, 7) and "unknown base theme 'printt'" in found[0][2]
    assert found[1][:2] == (3, 13) and found[1][2] == "unknown key 'fil' (did you mean 'fill'?)"
    assert found[2][:2] == (3, 30)
    assert found[2][2] == "width should be a number from 40 to 1000 (points), not '-3'"
    assert found[3][:2] == (4, 14) and "is not a colour" in found[3][2]
    result = CliRunner().invoke(main, ["render", str(FALLS), "--theme", str(path), "-o", "-"])
    assert result.exit_code == 1 and result.stderr.startswith(f"{path}:1:7: error:")


def test_only_colours_every_viewer_knows(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("statuses:\n  testing: {fill: bluish, border: white}\nlink-colour: #333333\n")
    with pytest.raises(dd.DiagramError) as caught:
        theme(str(path))
    messages = [(p.line, p.message) for p in caught.value.problems]
    assert messages[0][0] == 2 and "'bluish' is not a colour" in messages[0][1]
    assert messages[1][0] == 3 and "an unquoted # starts a YAML comment" in messages[1][1]
