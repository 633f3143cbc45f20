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
from ..draw.pages import png_size
from ..draw.render import draw
from ..files import refuse_input, write_atomic
from ..measures.chart import chart
from ..model import Diagram
from ..style import DEFAULT, Theme
from ..summary import charted, printable
from .docx import DOCX_DPI, to_docx
from .html import print_height, to_html
from .markdown import chart_path, to_markdown
from .pdf import to_pdf

FORMATS = ("docx", "html", "md", "pdf")
#: Room for the diagram on the first page, in points, beside the page's margins (12 mm).
_MARGIN = 12 / 25.4 * 72


def printed_text(
    diagram: Diagram, size: tuple[float, float], *, theme: Theme = DEFAULT, page: str = "a4"
) -> float:
    """The smallest text size, in points, of a drawing of ``size`` (Graphviz's own, in
    points) as the paper prints it on its first page."""
    room_width = pages.size(page)[0] - 2 * _MARGIN
    room_height = print_height(diagram, page) / 25.4 * 72
    scale = min(room_width / size[0], room_height / size[1], 1.0)
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
) -> list[str]:
    """Write the paper (the format is the file's extension); the notes for the user: the
    diagram printing its text below 8 pt, and what to try. Graphviz runs once: the
    picture in the paper is also what the printed size is measured on.

    ``named`` says the user chose ``path`` (it may then be a device such as
    /dev/stdout); the side files of a Markdown paper are always written as regular
    files."""
    refuse_input(diagram.path, path)
    diagram = printable(diagram)
    kind = path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ValueError(f"a paper is .docx, .html, .md or .pdf, not .{kind}")
    if kind == "docx":
        drawing = draw(diagram, "png", theme=theme, dpi=DOCX_DPI)
        width, height = png_size(drawing.data)
        size = (width * 72 / DOCX_DPI, height * 72 / DOCX_DPI)
        data = to_docx(diagram, theme=theme, page=page, template=template, png=drawing.data)
    else:
        drawing = draw(diagram, "svg", theme=theme)
        assert drawing.size is not None
        size = drawing.size
        if kind == "html":
            data = to_html(diagram, theme=theme, page=page, svg_data=drawing.data).encode("utf-8")
        elif kind == "pdf":
            data = to_pdf(diagram, theme=theme, page=page, svg_data=drawing.data)
        else:
            # the side files are named here, not by the user: only ever regular files
            picture = path.with_suffix(".svg")
            write_atomic(picture, drawing.data)
            for measure in charted(diagram):
                write_atomic(chart_path(path, measure), chart(diagram, measure, "svg"))
            data = to_markdown(diagram, picture.name).encode("utf-8")
    write_atomic(path, data, named=named)
    smallest = printed_text(diagram, size, theme=theme, page=page)
    if kind == "md" or smallest >= pages.READABLE:
        return []
    bigger = {"a4": "a3", "letter": "tabloid"}.get(page)
    advice = f"--page {bigger} or " if bigger else ""
    return [
        f"note: the diagram in {path} prints its smallest text at {smallest:.1f} pt,"
        f" below {pages.READABLE:g} pt; try {advice}a smaller view (render --depth 2 or"
        " --focus ID)"
    ]
