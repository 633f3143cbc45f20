"""Themes as data: the built-in ones, and a team's own theme file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.readers.theme import theme
from driverdiagram.style import THEMES

ROOT = Path(__file__).parent.parent
FALLS = ROOT / "diagrams" / "falls-prevention.yaml"


def colours(svg: str) -> set[str]:
    return {c.lower() for c in re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{6})"', svg)}


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("name", list(THEMES))
def test_every_theme_keeps_text_readable(name: str) -> None:
    """WCAG AA (4.5:1) for the text of every box and heading, in every theme."""
    look = THEMES[name]
    for style in look.levels.values():
        assert contrast(style.text, style.fill) >= 4.5, (name, style)
        assert contrast(style.heading_text, style.heading_fill) >= 4.5, (name, style)
    change_text = look.levels[dd.Level.CHANGE].text
    for status in look.statuses.values():
        assert contrast(change_text, status.fill) >= 4.5, (name, status)
        if status.tag:
            assert contrast(status.border, status.fill) >= 3, (name, status)


@pytest.mark.graphviz
def test_print_is_greyscale_and_statuses_keep_their_words() -> None:
    svg = dd.render(dd.load(FALLS), "svg", theme="print").decode()
    for colour in colours(svg):
        r, g, b = colour[1:3], colour[3:5], colour[5:7]
        assert r == g == b, colour
    for word in ("TESTING", "ADOPTED", "ABANDONED"):
        assert word in svg


@pytest.mark.graphviz
@pytest.mark.parametrize("name", ["colourblind", "high-contrast"])
def test_themes_change_the_colours_not_the_layout(name: str) -> None:
    diagram = dd.load(FALLS)
    default, other = dd.to_dot(diagram), dd.to_dot(diagram, theme=name)
    assert default != other
    strip = lambda text: re.sub(r'#[0-9A-Fa-f]{6}|penwidth="[\d.]+"', "", text)  # noqa: E731
    assert strip(default) == strip(other)


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


def test_themes_command_and_an_unknown_theme() -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["themes"]).stdout.split("\n")
    assert [line.split()[0] for line in listed if line] == list(THEMES)
    result = runner.invoke(main, ["render", str(FALLS), "--theme", "sepia"])
    assert result.exit_code == 2 and "no theme called 'sepia'" in result.stderr


def test_only_colours_every_viewer_knows(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("statuses:\n  testing: {fill: bluish, border: white}\nlink-colour: #333333\n")
    with pytest.raises(dd.DiagramError) as caught:
        theme(str(path))
    messages = [(p.line, p.message) for p in caught.value.problems]
    assert messages[0][0] == 2 and "'bluish' is not a colour" in messages[0][1]
    assert messages[1][0] == 3 and "an unquoted # starts a YAML comment" in messages[1][1]
