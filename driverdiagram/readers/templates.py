"""The starter templates shipped with the package (the folder ``driverdiagram.templates``),
as text: what ``driverdiagram new`` starts from, and where lint finds the example wording
of their boxes (:mod:`driverdiagram.coaching`). Imports nothing heavy: ``--help`` and
``templates`` list them without YAML."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Template:
    name: str
    description: str  # one line, from the file's '# description:' line
    text: str  # the YAML, without that line


def catalogue() -> dict[str, Template]:
    """Every starter template by name, sorted by name."""
    try:
        folder = resources.files("driverdiagram.templates")
    except ModuleNotFoundError:  # running from a source checkout that is not installed
        folder = resources.files("driverdiagram").joinpath("..").joinpath("templates")
    found: dict[str, Template] = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".yaml"):
            continue
        text = entry.read_text(encoding="utf-8")
        first, _, rest = text.partition("\n")
        description = ""
        if first.startswith("# description:"):
            description = first.removeprefix("# description:").strip()
            text = rest
        name = entry.name.removesuffix(".yaml")
        found[name] = Template(name, description, text)
    return found
