"""Starting a diagram: a new file made from one of the starter templates shipped with
the package (read by :mod:`driverdiagram.readers.templates`), dated today and pointed
at the format's JSON Schema for editors."""

from __future__ import annotations

import datetime as dt
import os
import re
from importlib import resources
from pathlib import Path

from .errors import DiagramError, InvalidDiagram, Location, OptionError
from .files import refuse_link, write_atomic
from .readers.templates import catalogue
from .text import suggest

#: The template a new diagram starts from unless another is named.
DEFAULT_TEMPLATE = "ihi-classic"
#: The schema's name when it is written beside a diagram.
SCHEMA_FILE = "driverdiagram.schema.json"
_SCHEMA_LINE = re.compile(r"(?m)^# yaml-language-server: \$schema=.*\n")
_UPDATED = re.compile(r"(?m)^updated:[ \t]*[^\s#]+")


def schema() -> str:
    """The JSON Schema of the diagram format, as shipped with the package."""
    return resources.files("driverdiagram").joinpath("schema.json").read_text("utf-8")


def template_text(name: str = DEFAULT_TEMPLATE, today: dt.date | None = None) -> str:
    """A template's YAML, dated ``today`` (so lint's freshness check starts from it) and
    without its editor line (which points into the package). An unknown name is an
    :class:`OptionError`."""
    return _without_schema(_dated(name, today))


def _dated(name: str, today: dt.date | None = None) -> str:
    found = catalogue()
    if name not in found:
        hint = suggest(name, list(found)) or f" (choose from: {', '.join(found)})"
        raise OptionError(f"no template called '{name}'{hint}")
    day = (today or dt.date.today()).isoformat()
    return _UPDATED.sub(f"updated: {day}", found[name].text, count=1)


def new(
    path: str | os.PathLike[str],
    template: str = DEFAULT_TEMPLATE,
    *,
    force: bool = False,
    schema_line: bool = True,
) -> list[str]:
    """Start a new diagram at ``path`` from a template; the notes to tell the user.

    Refuses (a located error) to replace an existing file unless ``force``, and never
    writes through a symbolic link. With ``schema_line`` the file's first line points
    editors at the nearest driverdiagram.schema.json, written beside it when no folder
    above has one.
    """
    text = _dated(template)
    target = Path(path)
    if os.path.lexists(target) and not force:
        raise InvalidDiagram.at(
            Location(str(target)),
            "already exists; choose another name, or add --force to replace it",
        )
    refuse_link(target)  # before anything is written beside it
    notes: list[str] = []
    text = _point_at_schema(text, target, notes) if schema_line else _without_schema(text)
    write_atomic(target, text.encode("utf-8"), named=True)
    if target.suffix.lower() not in (".yaml", ".yml"):
        notes.append(
            f"note: {target} does not end in .yaml; editors highlight it better if it does"
        )
    return notes


def _without_schema(text: str) -> str:
    return _SCHEMA_LINE.sub("", text, count=1)


def _point_at_schema(text: str, target: Path, notes: list[str]) -> str:
    """The template's editor line, pointing at the nearest driverdiagram.schema.json
    (written beside the new file when there is none)."""
    folder = Path(os.path.abspath(target)).parent  # beside the name typed, not a link's target
    found = next(
        (
            place / SCHEMA_FILE
            for place in (folder, *folder.parents)
            if (place / SCHEMA_FILE).is_file()
        ),
        None,
    )
    if found is None:
        found = folder / SCHEMA_FILE
        try:
            write_atomic(found, schema().encode("utf-8"))
        except DiagramError:
            return _without_schema(text)  # the diagram matters more than the line
        notes.append(f"wrote {found.name} beside it, so editors can check the file as you type")
    relative = os.path.relpath(found, folder).replace(os.sep, "/")
    return _SCHEMA_LINE.sub(f"# yaml-language-server: $schema={relative}\n", text, count=1)
