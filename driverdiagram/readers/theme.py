"""A team's own theme, read from a small YAML file (the built-in ones are in style.py).

A theme file names a built-in theme to start from and changes what it lists::

    base: print                      # default, print, colourblind or high-contrast
    font: "Arial,Helvetica,sans-serif"
    link-colour: "#333333"
    levels:
      primary: {fill: "#DDEEFF", border: "#114488", heading-fill: "#114488"}
    statuses:
      testing: {fill: "#FFE9A8", border-style: dashed}

Every value is data, never markup (a theme file may come from someone else):

- ``font``: font family names (letters, digits, spaces and hyphens) with commas
  between them, at most 200 characters;
- colours: ``"#RRGGBB"`` (in quotes), white, black, transparent or none;
- ``border-style``: solid, dashed, dotted or bold;
- a status's ``tag`` (the word in the box, at most 40 characters) and ``legend``
  (its line in the key, at most 200) are shown as text, exactly as written;
- numbers, in points, written as plain decimals (``12`` or ``11.5``):
  ``font-size``, ``title-size``, ``heading-size`` and ``small-size`` from 4 to 72,
  ``width`` (a column's boxes) from 40 to 1000, ``link-width`` from 0.1 to 10.

Anything else is an error located at the value.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import InvalidDiagram, Location, Problem
from ..model import LEVEL_BY_KEY, Status
from ..style import (
    BORDER_STYLES,
    DEFAULT,
    DESCRIPTIONS,
    FONT_LENGTH,
    LEGEND_LENGTH,
    RANGES,
    TAG_LENGTH,
    THEMES,
    Theme,
    colour_ok,
    font_ok,
    number_ok,
)
from ..text import excerpt, suggest

#: Names every viewer and Graphviz agree on; anything else is written as #RRGGBB.
_NAMED = {"white": "#FFFFFF", "black": "#000000", "transparent": "transparent", "none": "none"}
_LEVEL_KEYS = {
    "fill": "fill",
    "border": "border",
    "text": "text",
    "heading-fill": "heading_fill",
    "heading-text": "heading_text",
    "font-size": "font_size",
    "width": "width",
}
_STATUS_KEYS = {
    "fill": "fill",
    "border": "border",
    "border-style": "border_style",
    "tag": "tag",
    "legend": "legend",
}
_TOP_KEYS = {
    "base": "",
    "font": "font",
    "link-colour": "link_colour",
    "link-width": "link_width",
    "title-size": "title_size",
    "heading-size": "heading_size",
    "small-size": "small_size",
    "muted-text": "muted_text",
    "improving": "improving",
    "concern": "concern",
    "background": "background",
    "levels": "",
    "statuses": "",
}
_COLOURS = {
    "fill",
    "border",
    "text",
    "heading_fill",
    "heading_text",
    "link_colour",
    "muted_text",
    "improving",
    "concern",
    "background",
}
#: A number as a theme file writes it: plain decimals, no exponents, nan or inf.
_DECIMAL = re.compile(r"[0-9]{1,6}(?:\.[0-9]{1,6})?\Z")


def theme(name_or_path: str) -> Theme:
    """A built-in theme by name, or a theme file; raises InvalidDiagram, located."""
    if name_or_path in THEMES:
        return THEMES[name_or_path]
    path = Path(name_or_path)
    if not path.is_file():
        raise InvalidDiagram.at(
            Location(name_or_path),
            f"no theme called '{name_or_path}' and no such file; use one of"
            f" {', '.join(THEMES)}, or the path of a theme file",
        )
    # a theme file is read and parsed as a diagram is; a built-in theme needs neither
    from . import yamltree as yamlnodes
    from .diagram import read

    text = read(path)
    root, problems = yamlnodes.parse(text, str(path))
    if not isinstance(root, yamlnodes.Mapping):
        raise InvalidDiagram.at(Location(str(path), 1, 1), "a theme file is a mapping of keys")
    result = DEFAULT
    base = root.get("base")
    if isinstance(base, yamlnodes.Scalar):
        if base.value not in THEMES:
            problems.append(
                Problem(
                    base.location,
                    f"unknown base theme '{base.value}'; use one of {', '.join(THEMES)}",
                )
            )
        else:
            result = THEMES[base.value]
    changes: dict[str, Any] = {"name": path.stem}
    levels = dict(result.levels)
    statuses = dict(result.statuses)
    for key, value in root.items:
        name = key.value or ""
        if name not in _TOP_KEYS:
            hint = suggest(name, list(_TOP_KEYS))
            problems.append(Problem(key.location, f"unknown key '{name}'{hint}"))
        elif name == "levels":
            for level_key, style in _pairs(value, problems):
                level = LEVEL_BY_KEY.get(level_key.value or "")
                if level is None:
                    problems.append(
                        Problem(
                            level_key.location,
                            f"unknown level '{level_key.value}';"
                            " use aim, primary, secondary, tertiary or changes",
                        )
                    )
                    continue
                levels[level] = replace(levels[level], **_fields(style, _LEVEL_KEYS, problems))
        elif name == "statuses":
            for status_key, style in _pairs(value, problems):
                try:
                    status = Status(status_key.value)
                except ValueError:
                    problems.append(
                        Problem(
                            status_key.location,
                            f"unknown status '{status_key.value}';"
                            " use idea, testing, adopted or abandoned",
                        )
                    )
                    continue
                fields = _fields(style, _STATUS_KEYS, problems)
                statuses[status] = replace(statuses[status], **fields)
        elif name != "base":
            changes.update(_value(_TOP_KEYS[name], value, problems, name))
    if problems:
        raise InvalidDiagram(sorted(problems, key=lambda p: (p.line, p.column)))
    return replace(result, levels=levels, statuses=statuses, **changes)


def themes() -> dict[str, str]:
    """The built-in themes, each with what it is for."""
    return dict(DESCRIPTIONS)


def theme_of(name_or_theme: str | Theme) -> Theme:
    """A Theme as given, or the built-in theme or theme file it names."""
    return name_or_theme if isinstance(name_or_theme, Theme) else theme(name_or_theme)


def _pairs(node: Any, problems: list[Problem]) -> list[tuple[Any, Any]]:
    from . import yamltree as yamlnodes  # loaded already: a theme file is being read

    if not isinstance(node, yamlnodes.Mapping):
        problems.append(Problem(node.location, "should be a mapping"))
        return []
    return node.items


def _fields(node: Any, keys: dict[str, str], problems: list[Problem]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in _pairs(node, problems):
        name = key.value or ""
        if name not in keys:
            hint = suggest(name, list(keys))
            problems.append(Problem(key.location, f"unknown key '{name}'{hint}"))
            continue
        found.update(_value(keys[name], value, problems, name))
    return found


def _value(field: str, node: Any, problems: list[Problem], key: str = "") -> dict[str, Any]:
    """The field a theme file's value sets, or nothing (and a problem) when the value
    is not one a theme may hold."""
    from . import yamltree as yamlnodes  # loaded already: a theme file is being read

    if isinstance(node, yamlnodes.Scalar) and node.value is None and field in _COLOURS:
        problems.append(
            Problem(
                node.location,
                'no colour here; write it in quotes, like "#1F4E79" (an unquoted # starts a'
                " YAML comment)",
            )
        )
        return {}
    if not isinstance(node, yamlnodes.Scalar) or node.value is None:
        problems.append(Problem(node.location, "should be a single value"))
        return {}
    text = node.value.strip()
    message = _refusal(field, text, key)
    if message:
        problems.append(Problem(node.location, message))
        return {}
    if field in RANGES:
        return {field: int(float(text)) if field == "width" else float(text)}
    if field in _COLOURS:
        return {field: _NAMED.get(text.lower(), text)}
    return {field: text}


def _refusal(field: str, text: str, key: str) -> str:
    """Why ``text`` cannot be the value of ``field``, or '' when it can."""
    if field in RANGES:
        low, high, unit = RANGES[field]
        if not (_DECIMAL.match(text) and number_ok(field, float(text))):
            return (
                f"{key or field} should be a number from {low:g} to {high:g} ({unit}),"
                f" not {excerpt(text)}"
            )
    elif field in _COLOURS:
        if text.lower() not in _NAMED and not colour_ok(text):
            return (
                f'{excerpt(text)} is not a colour; write it like "#1F4E79" (in quotes),'
                " or white, black or none"
            )
    elif field == "font":
        if not font_ok(text):
            return (
                f"{excerpt(text)} is not a list of fonts; write font family names (letters,"
                f" digits, spaces and hyphens) with commas between them, at most"
                f' {FONT_LENGTH} characters, like "Arial,Helvetica,sans-serif"'
            )
    elif field == "border_style":
        if text not in BORDER_STYLES:
            return "border-style is solid, dashed, dotted or bold"
    elif field == "tag" and len(text) > TAG_LENGTH:
        return f"a tag is a word or two, at most {TAG_LENGTH} characters (this has {len(text):,})"
    elif field == "legend" and len(text) > LEGEND_LENGTH:
        return f"a legend is at most {LEGEND_LENGTH} characters (this has {len(text):,})"
    return ""
