"""Diagram -> other formats: JSON (everything, stable order), Markdown, Mermaid, CSV,
and the tidy YAML an import is written as.

Only JSON and YAML carry measures whole (a control chart's keys, each point's
numerator and denominator): CSV has each measure's name and type in FreeSPC's
``measures_json``, and Markdown and Mermaid carry the boxes and links only.

Every export is inert wherever it is opened: Markdown escapes all markup, Mermaid
labels are entity codes for anything its parser or renderer acts on, CSV cells
cannot start a spreadsheet formula, and none of them carries a raw control
character (JSON escapes them).

One list of the export kinds: :data:`EXPORTS`. A new kind is one module here and
one entry there; the command line's ``export --to`` choices come from it.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Diagram
from .csv import to_csv
from .json import to_json
from .markdown import to_markdown
from .mermaid import to_mermaid

#: Each export kind, with the function that writes it and what it is for.
EXPORTS: dict[str, tuple[Callable[[Diagram], str], str]] = {
    "markdown": (to_markdown, "an outline and a table for a paper"),
    "mermaid": (to_mermaid, "a flowchart GitHub and GitLab draw"),
    "csv": (to_csv, "FreeSPC's column layout"),
    "json": (to_json, "every box and link"),
}
FORMATS = tuple(EXPORTS)
#: What each export kind is for (the command line's help, without the functions).
DESCRIPTIONS = {kind: what for kind, (_, what) in EXPORTS.items()}


def export(diagram: Diagram, to: str) -> str:
    """The diagram as ``markdown``, ``mermaid``, ``csv`` or ``json`` text."""
    if to not in EXPORTS:
        raise ValueError(f"export to one of {', '.join(FORMATS)}, not {to!r}")
    return EXPORTS[to][0](diagram)
