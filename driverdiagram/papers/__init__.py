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

from ..draw import pages
from ..draw.render import render
from ..files import refuse_input, write_atomic
from ..measures.chart import chart
from ..model import Diagram
from ..style import DEFAULT, Theme
from ..summary import charted, printable
from .docx import to_docx
from .html import PRINT_HEIGHT, to_html
from .markdown import chart_path, to_markdown
from .pdf import to_pdf

FORMATS = ("docx", "html", "md", "pdf")


def printed_text(diagram: Diagram, *, theme: Theme = DEFAULT, page: str = "a4") -> float:
    """The smallest text size, in points, of the diagram as the paper prints it."""
    width, height = pages.svg_size(render(diagram, "svg", theme=theme))
    room_width = pages.size(page)[0] - 2 * 12 / 25.4 * 72
    room_height = PRINT_HEIGHT[page] / 25.4 * 72
    scale = min(room_width / width, room_height / height, 1.0)
    sizes = [theme.small_size] + [theme.levels[level].font_size for level in diagram.levels]
    return min(sizes) * scale


def write(
    diagram: Diagram,
    path: Path,
    *,
    theme: Theme = DEFAULT,
    page: str = "a4",
    template: Path | None = None,
    named: bool = True,
) -> None:
    """Write the paper; the format is the file's extension. ``named`` says the user
    chose ``path`` (it may then be a device such as /dev/stdout); the side files of a
    Markdown paper are always written as regular files."""
    refuse_input(diagram.path, path)
    diagram = printable(diagram)
    kind = path.suffix.lower().lstrip(".")
    if kind == "docx":
        data = to_docx(diagram, theme=theme, page=page, template=template)
    elif kind == "html":
        data = to_html(diagram, theme=theme, page=page).encode("utf-8")
    elif kind == "md":
        # the side files are named here, not by the user: only ever regular files
        picture = path.with_suffix(".svg")
        write_atomic(picture, render(diagram, "svg", theme=theme))
        for measure in charted(diagram):
            write_atomic(chart_path(path, measure), chart(diagram, measure, "svg"))
        data = to_markdown(diagram, picture.name).encode("utf-8")
    elif kind == "pdf":
        data = to_pdf(diagram, theme=theme, page=page)
    else:
        raise ValueError(f"a paper is .docx, .html, .md or .pdf, not .{kind}")
    write_atomic(path, data, named=named)
