"""The built-in themes (style.py): readable text in every one, print in greys, and
colours that change without moving anything."""

from __future__ import annotations

import re

import pytest

import driverdiagram as dd
from driverdiagram.style import THEMES
from tests.paths import FALLS


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
