"""How a diagram looks, as plain data: fonts, sizes, colours and the status cues."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from .model import Level, Status

#: Helvetica on macOS, Arial on Windows, Liberation Sans (metric-compatible with
#: Arial) or any sans-serif on Linux: one family that every viewer has.
FONT = "Helvetica,Arial,Liberation Sans,sans-serif"

# -- what a theme's values may be -------------------------------------------------------
#
# A theme is data, never markup: Graphviz copies a font name into the SVG as it is,
# and colours into attributes, so each value is held to a plain shape here, for
# theme files (driverdiagram.themes, with located errors) and for a Theme built in
# Python (driverdiagram.dot refuses one that breaks these rules).

#: Family names (letters, digits, spaces and hyphens) with commas between them.
FONT_PATTERN = re.compile(r"[^\W_]+(?:[ -]+[^\W_]+)*(?: *, *[^\W_]+(?:[ -]+[^\W_]+)*)*\Z")
FONT_LENGTH = 200
#: A colour as #RRGGBB, or one of the names every viewer and Graphviz agree on.
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}\Z")
COLOUR_NAMES = ("transparent", "none")
BORDER_STYLES = ("solid", "dashed", "dotted", "bold")
#: The least and most of each number a theme sets, and its unit.
RANGES: dict[str, tuple[float, float, str]] = {
    "font_size": (4, 72, "points"),
    "title_size": (4, 72, "points"),
    "heading_size": (4, 72, "points"),
    "small_size": (4, 72, "points"),
    "width": (40, 1000, "points"),
    "link_width": (0.1, 10, "points"),
}
#: The longest status word (``tag``) and key text (``legend``), in characters.
TAG_LENGTH, LEGEND_LENGTH = 40, 200


def font_ok(font: str) -> bool:
    """Whether ``font`` is a plain list of font families."""
    return len(font) <= FONT_LENGTH and FONT_PATTERN.match(font) is not None


def colour_ok(colour: str) -> bool:
    """Whether ``colour`` is #RRGGBB, transparent or none."""
    return colour in COLOUR_NAMES or COLOUR.match(colour) is not None


def number_ok(field: str, value: float) -> bool:
    """Whether a theme number (``font_size``, ``width`` ...) is finite and in its range."""
    low, high, _ = RANGES[field]
    return isinstance(value, int | float) and math.isfinite(value) and low <= value <= high


@dataclass(frozen=True)
class LevelStyle:
    """The boxes of one column and their heading."""

    fill: str
    border: str
    text: str
    heading_fill: str
    heading_text: str
    font_size: float
    width: int  # points: every box of the column is this wide


@dataclass(frozen=True)
class StatusStyle:
    """A change idea's status: a fill colour and, for those who cannot see it, a cue
    that is not colour: a word in the box and a border style."""

    fill: str
    border: str
    border_style: str  # Graphviz style: solid, dashed, dotted or bold
    tag: str  # the word shown in the box; empty for the default status
    legend: str


@dataclass(frozen=True)
class Theme:
    """Everything a drawing's look depends on. Built-in themes are below; a team
    can keep its own in a small YAML file (see :mod:`driverdiagram.themes`)."""

    font: str
    levels: dict[Level, LevelStyle]
    statuses: dict[Status, StatusStyle]
    link_colour: str
    title_size: float
    heading_size: float
    small_size: float
    muted_text: str
    background: str
    name: str = "default"
    link_width: float = 1.3
    improving: str = "#1B7837"  # the word that marks a measure with a signal of improvement
    concern: str = "#B2182B"  # the words that mark a signal in the wrong direction


def theme_problems(theme: Theme) -> list[str]:
    """What is wrong with a theme's values, by the rules above: nothing for the
    built-in themes and for any theme a theme file gives."""
    found = [] if font_ok(theme.font) else [f"font {theme.font[:60]!r} is not a list of families"]
    colours = {
        "link colour": theme.link_colour,
        "muted text": theme.muted_text,
        "background": theme.background,
        "improving": theme.improving,
        "concern": theme.concern,
    }
    numbers: list[tuple[str, float]] = [
        ("title_size", theme.title_size),
        ("heading_size", theme.heading_size),
        ("small_size", theme.small_size),
        ("link_width", theme.link_width),
    ]
    for level, style in theme.levels.items():
        for part in ("fill", "border", "text", "heading_fill", "heading_text"):
            colours[f"{level.key} {part}"] = getattr(style, part)
        numbers += [("font_size", style.font_size), ("width", style.width)]
    for status, cue in theme.statuses.items():
        colours[f"{status.value} fill"], colours[f"{status.value} border"] = cue.fill, cue.border
        if cue.border_style not in BORDER_STYLES:
            found.append(f"{status.value} border style {cue.border_style[:60]!r} is not ours")
        if len(cue.tag) > TAG_LENGTH or len(cue.legend) > LEGEND_LENGTH:
            found.append(f"{status.value} tag or legend is too long")
    found += [
        f"{name} {value[:60]!r} is not a colour"
        for name, value in colours.items()
        if not colour_ok(value)
    ]
    found += [
        f"{name} {value!r} is out of range" for name, value in numbers if not number_ok(name, value)
    ]
    return found


DEFAULT = Theme(
    font=FONT,
    levels={
        Level.AIM: LevelStyle("#1F4E79", "#163A5C", "#FFFFFF", "#163A5C", "#FFFFFF", 15, 180),
        Level.PRIMARY: LevelStyle("#D9E7F5", "#2F6EA8", "#14263A", "#2F6EA8", "#FFFFFF", 13, 170),
        Level.SECONDARY: LevelStyle("#DDF1E6", "#2E7D52", "#10291B", "#2E7D52", "#FFFFFF", 12, 170),
        Level.TERTIARY: LevelStyle(
            "#ECE3F5", "#6B4C9A", "#22163A", "#6B4C9A", "#FFFFFF", 11.5, 160
        ),
        Level.CHANGE: LevelStyle("#FFF6DD", "#A8710F", "#2B1D05", "#96630A", "#FFFFFF", 11, 260),
    },
    statuses={
        Status.IDEA: StatusStyle("#FFF6DD", "#A8710F", "solid", "", "an idea, not yet tested"),
        Status.TESTING: StatusStyle("#FFD877", "#8A5A00", "dashed", "TESTING", "being tested"),
        Status.ADOPTED: StatusStyle(
            "#BFE5C8", "#1E6B34", "bold", "ADOPTED", "in everyday practice"
        ),
        Status.ABANDONED: StatusStyle(
            "#E4E4E4", "#6E6E6E", "dotted", "ABANDONED", "tested, set aside"
        ),
    },
    link_colour="#5B6670",
    title_size=20,
    heading_size=12,
    small_size=11,
    muted_text="#4A4A4A",
    background="#FFFFFF",
)


def _levels(rows: dict[Level, tuple[str, str, str, str, str]]) -> dict[Level, LevelStyle]:
    return {
        level: replace(
            DEFAULT.levels[level], fill=f, border=b, text=t, heading_fill=hf, heading_text=ht
        )
        for level, (f, b, t, hf, ht) in rows.items()
    }


def _statuses(rows: dict[Status, tuple[str, str]]) -> dict[Status, StatusStyle]:
    return {
        status: replace(DEFAULT.statuses[status], fill=fill, border=border)
        for status, (fill, border) in rows.items()
    }


#: Greyscale-safe: nothing is told by colour alone; statuses by word and border.
PRINT = replace(
    DEFAULT,
    name="print",
    levels=_levels(
        {
            Level.AIM: ("#3A3A3A", "#000000", "#FFFFFF", "#000000", "#FFFFFF"),
            Level.PRIMARY: ("#E4E4E4", "#333333", "#000000", "#333333", "#FFFFFF"),
            Level.SECONDARY: ("#F1F1F1", "#333333", "#000000", "#333333", "#FFFFFF"),
            Level.TERTIARY: ("#F8F8F8", "#333333", "#000000", "#333333", "#FFFFFF"),
            Level.CHANGE: ("#FFFFFF", "#333333", "#000000", "#333333", "#FFFFFF"),
        }
    ),
    statuses=_statuses(
        {
            Status.IDEA: ("#FFFFFF", "#333333"),
            Status.TESTING: ("#FFFFFF", "#000000"),
            Status.ADOPTED: ("#E4E4E4", "#000000"),
            Status.ABANDONED: ("#FFFFFF", "#555555"),
        }
    ),
    link_colour="#333333",
    muted_text="#333333",
    improving="#000000",
    concern="#000000",
)

#: The Okabe-Ito palette, told apart with the common colour-vision deficiencies.
COLOURBLIND = replace(
    DEFAULT,
    name="colourblind",
    levels=_levels(
        {
            Level.AIM: ("#005A8C", "#003B5C", "#FFFFFF", "#003B5C", "#FFFFFF"),
            Level.PRIMARY: ("#D5ECF9", "#0072B2", "#0B2233", "#0072B2", "#FFFFFF"),
            Level.SECONDARY: ("#FCE7C6", "#B07800", "#2B1D00", "#8C5F00", "#FFFFFF"),
            Level.TERTIARY: ("#F4DDEB", "#A3507F", "#2E0F21", "#A3507F", "#FFFFFF"),
            Level.CHANGE: ("#FFFFFF", "#4D4D4D", "#1A1A1A", "#4D4D4D", "#FFFFFF"),
        }
    ),
    statuses=_statuses(
        {
            Status.IDEA: ("#FFFFFF", "#4D4D4D"),
            Status.TESTING: ("#F9E38C", "#7A6500"),
            Status.ADOPTED: ("#9FD8C5", "#00664A"),
            Status.ABANDONED: ("#E0E0E0", "#5C5C5C"),
        }
    ),
    improving="#00664A",
    concern="#8A3300",
)

#: Black on white with heavy lines, for projectors and low vision.
HIGH_CONTRAST = replace(
    DEFAULT,
    name="high-contrast",
    levels=_levels(
        {
            Level.AIM: ("#000000", "#000000", "#FFFFFF", "#000000", "#FFFFFF"),
            Level.PRIMARY: ("#FFFFFF", "#000000", "#000000", "#000000", "#FFFFFF"),
            Level.SECONDARY: ("#FFFFFF", "#000000", "#000000", "#000000", "#FFFFFF"),
            Level.TERTIARY: ("#FFFFFF", "#000000", "#000000", "#000000", "#FFFFFF"),
            Level.CHANGE: ("#FFFFFF", "#000000", "#000000", "#000000", "#FFFFFF"),
        }
    ),
    statuses=_statuses(
        {
            Status.IDEA: ("#FFFFFF", "#000000"),
            Status.TESTING: ("#FFFFFF", "#000000"),
            Status.ADOPTED: ("#FFFFFF", "#000000"),
            Status.ABANDONED: ("#FFFFFF", "#000000"),
        }
    ),
    link_colour="#000000",
    link_width=2.2,
    muted_text="#000000",
    improving="#000000",
    concern="#000000",
)

THEMES = {theme.name: theme for theme in (DEFAULT, PRINT, COLOURBLIND, HIGH_CONTRAST)}
DESCRIPTIONS = {
    "default": "colour by level and status, with words and border styles as well",
    "print": "greyscale-safe: nothing is told by colour alone",
    "colourblind": "the Okabe-Ito palette, safe for the common colour-vision deficiencies",
    "high-contrast": "black on white with heavy lines, for projectors and low vision",
}
