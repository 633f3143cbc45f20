"""Lint settings from ``[tool.driverdiagram]`` in ``pyproject.toml`` or from ``driverdiagram.toml``.

The nearest such file, walking up from the diagram's folder, applies; in one
folder ``driverdiagram.toml`` comes before ``pyproject.toml`` (and a
``pyproject.toml`` without a ``[tool.driverdiagram]`` table is passed over).
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from .coaching import CODES, Settings
from .errors import InvalidDiagram, Location
from .files import decode, read_bytes
from .text import excerpt, suggest, visible

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

#: The keys a settings table may hold, with what each sets.
KEYS = {
    "select": "rule codes to run (default: all)",
    "ignore": "rule codes to skip",
    "primary-drivers": "the accepted number of primary drivers, as [min, max] (default [2, 5])",
    "max-length": "the longest driver or change-idea text, in characters (default 120)",
    "stale-after-days": "how old 'updated' may be, in days (default 90)",
    "cycle-days": "how long a change idea being tested may go without a PDSA cycle (default 60)",
    "reflect-days": "how long a coach's practice diagram may go without a reflection (default 90)",
}
_NUMBERS = {
    "max-length": "max_length",
    "stale-after-days": "stale_days",
    "cycle-days": "cycle_days",
    "reflect-days": "reflect_days",
}


def find(start: Path) -> tuple[Path, dict[str, Any], str] | None:
    """The nearest settings file at or above ``start``, its settings table and its text."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / "driverdiagram.toml"
        if own.is_file():
            data, text = _read(own)
            table = table_of(data, own)
            return own, data if table is None else table, text  # the whole file is settings
        project = candidate / "pyproject.toml"
        if project.is_file():
            data, text = _read(project)
            table = table_of(data, project)
            if table is not None:
                return project, table, text
    return None


def table_of(data: dict[str, Any], path: Path) -> dict[str, Any] | None:
    """A file's [tool.driverdiagram] table, or None when it has none."""
    tool = _table(data, "tool", path)
    if "driverdiagram" in tool:
        return _table(tool, "driverdiagram", path, "tool.driverdiagram")
    return None


def _table(data: dict[str, Any], key: str, path: Path, shown: str = "") -> dict[str, Any]:
    """``data[key]`` when it is a table ({} when absent); anything else is an error."""
    shown = shown or key
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise InvalidDiagram.at(
            Location(str(path)), f"'{shown}' should be a table of settings, like [{shown}]"
        )
    return value


_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


#: A settings file is a few lines; anything larger is not read.
SETTINGS_BYTES = 1 << 20


def _read(path: Path) -> tuple[dict[str, Any], str]:
    data = read_bytes(path, limit=SETTINGS_BYTES)
    if len(data) > SETTINGS_BYTES:
        raise InvalidDiagram.at(Location(str(path)), "is too large for a settings file (1 MB)")
    text = decode(data, str(path))
    return parse(text, str(path)), text


def parse(text: str, name: str) -> dict[str, Any]:
    """The TOML in ``text``; text that is not TOML is a located error."""
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        message = str(error) if isinstance(error, tomllib.TOMLDecodeError) else "nested too deep"
        found = _WHERE.search(message)
        where = Location(name, int(found[1]), int(found[2])) if found else Location(name)
        message = _WHERE.sub("", message)
        raise InvalidDiagram.at(where, f"cannot read the settings: {visible(message)}") from error


def settings_for(diagram_path: str, base: Settings) -> Settings:
    """``base`` with the settings of the nearest settings file applied."""
    start = Path(diagram_path).parent if diagram_path not in ("<stdin>", "<string>") else Path()
    found = find(start)
    if found is None:
        return base
    path, table, text = found
    return apply(table, base, str(path), text)


def apply(table: dict[str, Any], base: Settings, name: str, text: str = "") -> Settings:
    """Settings from a table, checked: a wrong key or value is an error naming the file
    (and the line of the key, found in ``text``)."""
    changes: dict[str, Any] = {}
    for key, value in table.items():
        where = _key_location(text, key, name)
        if key not in KEYS:
            raise InvalidDiagram.at(
                where,
                f"unknown setting {excerpt(key)} in [tool.driverdiagram]{suggest(key, list(KEYS))};"
                f" use: {', '.join(KEYS)}",
            )
        if key in ("select", "ignore"):
            changes[key] = codes(value, f"'{key}'", where)
        elif key == "primary-drivers":
            if not (
                isinstance(value, list)
                and len(value) == 2
                and all(isinstance(v, int) and v >= 0 for v in value)
                and value[0] <= value[1]
            ):
                raise InvalidDiagram.at(
                    where, "'primary-drivers' should be [min, max], like [2, 5]"
                )
            changes["primary_min"], changes["primary_max"] = value
        else:
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InvalidDiagram.at(where, f"'{key}' should be a whole number above 0")
            changes[_NUMBERS[key]] = value
    return replace(base, **changes)


def _key_location(text: str, key: str, name: str) -> Location:
    """Where ``key = ...`` is written in a TOML file (bare or quoted), or the file."""
    quote = "[\"']?"
    found = re.search(rf"(?m)^[ \t]*({quote}{re.escape(key)}{quote})[ \t]*=", text)
    if found is None:
        return Location(name)
    line_start = text.rfind("\n", 0, found.start(1)) + 1
    line = text.count("\n", 0, found.start(1)) + 1
    return Location(name, line, found.start(1) - line_start + 1)


def codes(value: object, what: str, where: Location) -> tuple[str, ...]:
    """Rule codes from a list (or a comma-separated string), each one known."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(item, str) for item in items):
        raise InvalidDiagram.at(where, f"{what} should be a list of rule codes like ['DD101']")
    found = tuple(item.strip().upper() for item in items if item.strip())
    unknown = [code for code in found if code not in CODES]
    if unknown:
        raise InvalidDiagram.at(
            where,
            f"unknown rule code {excerpt(unknown[0])} in {what}; the codes are {', '.join(CODES)}",
        )
    return found
