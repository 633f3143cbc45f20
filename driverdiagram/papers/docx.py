"""The Word paper: real headings and tables, the diagram at print resolution with
alt text, and (with a template) the template's styles and nothing else from it."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from ..draw import pages
from ..draw.render import render
from ..errors import Location, RenderError
from ..files import read_bytes
from ..limits import current, megabytes
from ..measures.chart import WIDTH, chart
from ..model import Diagram
from ..outlines import outline
from ..style import DEFAULT, Theme
from ..summary import (
    CYCLE_HEADINGS,
    alt_text,
    box_notes,
    chart_title,
    charted,
    concerns,
    control_lines,
    counts,
    cycle_rows,
    rows,
    sections,
    title,
    verdict_line,
)
from ..text import excerpt

#: Resolution of the diagram in a Word document: sharp when printed.
DOCX_DPI = 200


def to_docx(
    diagram: Diagram,
    *,
    theme: Theme = DEFAULT,
    page: str = "a4",
    template: Path | None = None,
    png: bytes | None = None,
) -> bytes:
    """A Word document with real headings and tables, the diagram as a picture at
    print resolution with alt text (``png``, drawn here when not given, at
    :data:`DOCX_DPI`); ``template`` lends its styles."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    document = docx.Document()
    if template is not None:
        _use_styles(document, template)
    section = document.sections[-1]
    width, height = pages.size(page)  # landscape
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Pt(width), Pt(height)
    margin = Pt(pages.MARGIN * 1.2)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = margin

    document.add_heading(title(diagram), level=0)
    credits = diagram.credits
    if credits:
        document.add_paragraph(" · ".join(credits))
    if png is None:
        png = render(diagram, "png", theme=theme, dpi=DOCX_DPI)
    paper = _Paper(document, diagram, png, width, height)
    for part in sections(diagram):
        document.add_heading(part.heading, level=1)
        getattr(paper, f"part_{part.key}")()
    out = io.BytesIO()
    document.core_properties.title = title(diagram)[:255]  # Word's limit for a property
    document.save(out)
    return out.getvalue()


class _Paper:
    """The parts of a Word paper, a ``part_KEY`` method for each section of
    :data:`driverdiagram.summary.SECTIONS`, each written under its heading."""

    def __init__(
        self, document: Any, diagram: Diagram, png: bytes, width: float, height: float
    ) -> None:
        self.document, self.diagram, self.png = document, diagram, png
        self.width, self.height = width, height

    def part_aim(self) -> None:
        self.document.add_paragraph(" ".join(self.diagram.aim.text.split()))

    def part_concerns(self) -> None:
        for line in concerns(self.diagram):
            paragraph = self.document.add_paragraph(style=_list_style(self.document))
            paragraph.add_run(line).bold = True

    def part_diagram(self) -> None:
        from docx.shared import Pt

        diagram, margin = self.diagram, pages.MARGIN * 1.2
        usable = Pt(self.width - 2 * margin)
        picture = self.document.add_picture(io.BytesIO(self.png), width=usable)
        picture_height = picture.height
        limit = Pt(self.height - 2 * margin - 60)
        if picture_height > limit:  # too tall for the page: fit the height instead
            picture.height = limit
            picture.width = int(usable * limit / picture_height)
        properties = picture._inline.docPr  # alt text, which python-docx has no API for
        properties.set("descr", alt_text(diagram))
        properties.set("title", title(diagram))

    def part_changes(self) -> None:
        table = self._table(("Driver", "Change idea", "Status"))
        for row in rows(self.diagram):
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = row.driver, row.change, row.status

    def part_counts(self) -> None:
        tally = self.document.add_table(rows=1, cols=2)
        tally.style = _table_style(self.document)
        tally.rows[0].cells[0].text, tally.rows[0].cells[1].text = "Status", "Change ideas"
        for status, number in counts(self.diagram):
            cells = tally.add_row().cells
            cells[0].text, cells[1].text = status, str(number)

    def part_measures(self) -> None:
        from docx.shared import Inches

        for measure in charted(self.diagram):
            self.document.add_heading(measure.name, level=2)
            self.document.add_paragraph(verdict_line(self.diagram, measure))
            for line in control_lines(measure):
                self.document.add_paragraph(line, style=_list_style(self.document))
            image = self.document.add_picture(
                io.BytesIO(chart(self.diagram, measure, "png")), width=Inches(WIDTH)
            )
            image._inline.docPr.set("descr", f"{chart_title(measure)}: {measure.name}")

    def part_cycles(self) -> None:
        table = self._table(CYCLE_HEADINGS)
        for r in cycle_rows(self.diagram):
            cells = table.add_row().cells
            for cell, text in zip(
                cells, (r.change, r.dates, r.prediction, r.learned, r.act), strict=True
            ):
                cell.text = text

    def part_outline(self) -> None:
        from docx.shared import Pt

        for line in outline(self.diagram).splitlines():
            depth = (len(line) - len(line.lstrip(" "))) // 2
            paragraph = self.document.add_paragraph(line.strip())
            paragraph.paragraph_format.left_indent = Pt(14 * depth)
            paragraph.paragraph_format.space_after = Pt(0)

    def part_notes(self) -> None:
        for part in re.split(r"\n\s*\n", self.diagram.notes):
            if part.strip():
                self.document.add_paragraph(part.strip())
        for text, notes in box_notes(self.diagram):
            paragraph = self.document.add_paragraph(style=_list_style(self.document))
            paragraph.add_run(text).bold = True
            paragraph.add_run(f": {notes}")

    def _table(self, headings: tuple[str, ...]) -> Any:
        """A table with a bold heading row."""
        table = self.document.add_table(rows=1, cols=len(headings))
        table.style = _table_style(self.document)
        for cell, text in zip(table.rows[0].cells, headings, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        return table


#: A Word template is a zip file; none of its parts needs to be larger than this
#: uncompressed, nor all of them together, nor so much larger than it is compressed
#: (a "zip bomb" of a few kilobytes can hold gigabytes of one repeated byte).
TEMPLATE_PART = 20 * 1024 * 1024


TEMPLATE_TOTAL = 50 * 1024 * 1024


TEMPLATE_RATIO = 100


#: The styles that the paper uses, taken from python-docx's own template when the
#: user's template lacks them (Word writes a style into a file only once it is used).
PAPER_STYLES = ("Title", "Heading 1", "Heading 2", "List Bullet", "Table Grid")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _use_styles(document: object, template: Path) -> None:
    """Give a fresh ``document`` the styles of the Word document ``template``, and
    nothing else of it: not its text, pictures, headers, settings or relationships
    (a remote ``attachedTemplate`` or any other external link stays behind).

    The template is read as a bounded regular file and checked as a zip before
    anything is inflated: sizes and compression ratios first, then only
    ``word/styles.xml`` is read, at most as large as it says it is."""
    import copy

    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml

    where = Location(str(template))
    data = read_bytes(template, name=str(template))
    if len(data) > current().file_bytes:
        raise RenderError.at(
            where,
            f"the template is larger than {megabytes(current().file_bytes)}; a Word"
            " template with styles is a few tens of kilobytes (raise the limit with"
            " --max-file-mb)",
        )
    styles = _template_part(data, "word/styles.xml", where)
    if b"<!DOCTYPE" in styles or b"<!ENTITY" in styles:
        raise RenderError.at(where, "the template's styles declare a DOCTYPE; Word never does")
    try:
        element = parse_xml(styles)
    except Exception as error:  # lxml's XMLSyntaxError and its kin
        raise RenderError.at(
            where, f"the template's styles (word/styles.xml) cannot be read ({error})"
        ) from error
    if element.tag != f"{_W}styles":
        raise RenderError.at(where, "the template's word/styles.xml holds no styles")
    part = document.part.part_related_by(RELATIONSHIP_TYPE.STYLES)  # type: ignore[attr-defined]
    fresh = document.styles  # type: ignore[attr-defined]
    ours = [name for name in PAPER_STYLES if name in fresh]
    part._element = element  # python-docx has no API to replace a part's XML
    for name in ours:
        if name not in document.styles:  # type: ignore[attr-defined]
            element.append(copy.deepcopy(fresh[name].element))


def _template_part(data: bytes, name: str, where: Location) -> bytes:
    """One part of a Word document, after checking the whole zip is of a sane size."""
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise RenderError.at(
            where, f"is not a Word document (.docx is a zip file; {error})"
        ) from error
    total = 0
    for member in members:
        total += member.file_size
        shown = excerpt(member.filename)
        if member.file_size > TEMPLATE_PART:
            raise RenderError.at(
                where,
                f"its part {shown} would be {megabytes(member.file_size)} uncompressed;"
                f" a template's parts are at most {megabytes(TEMPLATE_PART)}",
            )
        if member.file_size > 1024 * 1024 and member.file_size > TEMPLATE_RATIO * max(
            member.compress_size, 1
        ):
            ratio = member.file_size // max(member.compress_size, 1)
            raise RenderError.at(
                where,
                f"its part {shown} is compressed {ratio:,} times over, as zip bombs are;"
                " it was not opened",
            )
    if total > TEMPLATE_TOTAL:
        raise RenderError.at(
            where,
            f"it would be {megabytes(total)} uncompressed; a template is at most"
            f" {megabytes(TEMPLATE_TOTAL)}",
        )
    try:
        with archive.open(name) as part:
            return part.read(TEMPLATE_PART + 1)  # never more than the size it declared
    except KeyError:
        raise RenderError.at(
            where, f"has no styles ({name}); use a Word document (.docx) as the template"
        ) from None
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError) as error:
        # a damaged or lying part (CRC), encryption, an unknown compression
        raise RenderError.at(where, f"its styles cannot be read ({error})") from error


def _list_style(document: object) -> str | None:
    names = {style.name for style in document.styles}  # type: ignore[attr-defined]
    return "List Bullet" if "List Bullet" in names else None


def _table_style(document: object) -> str | None:
    names = {style.name for style in document.styles}  # type: ignore[attr-defined]
    return "Table Grid" if "Table Grid" in names else None
