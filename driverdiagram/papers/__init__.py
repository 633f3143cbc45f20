"""Diagram -> a meeting paper: DOCX, self-contained HTML, Markdown or PDF.

Every paper has the same parts, in this order: title, team and date, the aim,
the diagram (sized for the page, with a text alternative), a table of every
driver with its change ideas and their status, the counts by status, the
run chart of each measure that has data and a table of the PDSA cycles (when
the diagram has them), the outline of the whole diagram, and the notes.

A paper is inert whoever wrote the diagram: text is escaped for each format, every
SVG is checked (:mod:`driverdiagram.draw.svg`) before it goes in, the HTML paper's
Content-Security-Policy forbids scripts and every fetch, the PDF printer (Chromium)
has no network, and a Word template lends its styles and nothing else.
"""

from __future__ import annotations

from pathlib import Path

from ..files import refuse_input, write_atomic
from ..measures.chart import chart
from ..model import Diagram
from ..style import DEFAULT, Theme
from ..summary import charted, printable
from .docx import to_docx
from .figures import Figure, plan
from .html import to_html
from .markdown import chart_path, to_markdown
from .pdf import to_pdf

FORMATS = ("docx", "html", "md", "pdf")


def write(
    diagram: Diagram,
    path: Path,
    *,
    theme: Theme = DEFAULT,
    page: str = "a4",
    template: Path | None = None,
    named: bool = True,
    depth: int | None = None,
    split: bool = False,
) -> list[str]:
    """Write the paper (the format is the file's extension); the notes for the user:
    the view the paper chose itself because the whole diagram would print below 8 pt,
    or text still printing below it and what to try. ``depth`` folds page 1's picture
    to that many levels; ``split`` adds a page per primary driver. Each picture is
    drawn once, for the room it has (see :mod:`.figures`).

    ``named`` says the user chose ``path`` (it may then be a device such as
    /dev/stdout); the side files of a Markdown paper are always written as regular
    files."""
    refuse_input(diagram.path, path)
    diagram = printable(diagram)
    kind = path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ValueError(f"a paper is .docx, .html, .md or .pdf, not .{kind}")
    planned = plan(diagram, kind, theme=theme, page=page, depth=depth, split=split)
    figures = planned.figures
    if kind == "docx":
        data = to_docx(diagram, theme=theme, page=page, template=template, figures=figures)
    elif kind == "html":
        data = to_html(diagram, theme=theme, page=page, figures=figures).encode("utf-8")
    elif kind == "pdf":
        data = to_pdf(diagram, theme=theme, page=page, figures=figures)
    else:
        # the side files are named here, not by the user: only ever regular files
        pictures = [picture_path(path, figure) for figure in figures]
        for figure, picture in zip(figures, pictures, strict=True):
            write_atomic(picture, figure.data)
        for measure in charted(diagram):
            write_atomic(chart_path(path, measure), chart(diagram, measure, "svg"))
        named_pictures = [(f, p.name) for f, p in zip(figures, pictures, strict=True)]
        data = to_markdown(diagram, named_pictures).encode("utf-8")
    write_atomic(path, data, named=named)
    return [] if kind == "md" else planned.notes


def picture_path(paper: Path, figure: Figure) -> Path:
    """Where a Markdown paper's picture goes: beside it, ``paper.svg`` for page 1's and
    ``paper.part-2.svg`` for the second primary driver's."""
    if figure.number:
        return paper.with_name(f"{paper.stem}.part-{figure.number}.svg")
    return paper.with_suffix(".svg")
