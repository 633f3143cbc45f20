"""The Word paper: real headings and tables, the diagram at print resolution with
alt text, and (with a template) the template's styles and nothing else from it."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..draw import pages
from ..draw.pages import png_size
from ..errors import Location, RenderError
from ..files import read_bytes
from ..limits import current, megabytes
from ..measures.chart import WIDTH, chart
from ..model import Diagram
from ..outlines import outline
from ..style import DEFAULT, Theme
from ..summary import (
    PAPER_CYCLE_HEADINGS,
    box_notes,
    chart_title,
    charted,
    concerns,
    control_lines,
    counts,
    cycle_rows,
    has_middle_drivers,
    idea_headings,
    idea_rows,
    practice_table,
    sections,
    title,
    verdict_line,
)
from ..text import excerpt
from .figures import MARGIN, Figure, plan


def to_docx(
    diagram: Diagram,
    *,
    theme: Theme = DEFAULT,
    page: str = "a4",
    template: Path | None = None,
    figures: list[Figure] | None = None,
) -> bytes:
    """A Word document with real headings and tables, page numbers in the footer, the
    diagram's pictures at print resolution with alt text (``figures``, planned here
    when not given: see :func:`driverdiagram.papers.figures.plan`); ``template`` lends
    its styles."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    if figures is None:
        figures = plan(diagram, "docx", theme=theme, page=page).figures
    document = docx.Document()
    if template is not None:
        _use_styles(document, template)
    section = document.sections[-1]
    width, height = pages.size(page)  # landscape
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Pt(width), Pt(height)
    margin = Pt(MARGIN)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = margin
    section.footer_distance = Pt(MARGIN / 2)
    _page_numbers(section.footer.paragraphs[0])

    _heading(document, title(diagram), 0)
    credits = diagram.credits
    if credits:
        document.add_paragraph(" · ".join(credits))
    paper = _Paper(document, diagram, figures, width, height)
    for part in sections(diagram):
        # the charts start a page of their own, each chart after the first another
        _heading(document, part.heading, 1, new_page=part.key == "measures")
        getattr(paper, f"part_{part.key}")()
    out = io.BytesIO()
    document.core_properties.title = title(diagram)[:255]  # Word's limit for a property
    document.save(out)
    return out.getvalue()


def _heading(document: Any, text: str, level: int, *, new_page: bool = False) -> Any:
    """A heading kept with what follows it (never alone at a page's foot)."""
    heading = document.add_heading(text, level=level)
    heading.paragraph_format.keep_with_next = True
    if new_page:
        heading.paragraph_format.page_break_before = True
    return heading


def _page_numbers(paragraph: Any) -> None:
    """'Page N of M' on the right of the footer, by Word's own PAGE and NUMPAGES
    fields (LibreOffice fills them in too)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for text, field in (("Page ", "PAGE"), (" of ", "NUMPAGES")):
        paragraph.add_run(text).font.size = Pt(8)
        run = paragraph.add_run()
        run.font.size = Pt(8)
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), f" {field} ")
        number = OxmlElement("w:r")
        shown = OxmlElement("w:t")
        shown.text = "1"
        number.append(shown)
        simple.append(number)
        run._r.addnext(simple)


#: What a heading takes on the page, with the space around it, and a line of body
#: text, in points (python-docx's styles), and body characters per point of width.
_CHART_HEADINGS = 48
_LINE = 18
_CHARACTERS = 0.17


def _lines(text: str, width: float) -> int:
    """About how many lines a paragraph takes on a page ``width`` points wide."""
    return max(1, -(-len(text) // int((width - 2 * MARGIN) * _CHARACTERS)))


class _Paper:
    """The parts of a Word paper, a ``part_KEY`` method for each section of
    :data:`driverdiagram.summary.SECTIONS`, each written under its heading."""

    def __init__(
        self, document: Any, diagram: Diagram, figures: list[Figure], width: float, height: float
    ) -> None:
        self.document, self.diagram, self.figures = document, diagram, figures
        self.width, self.height = width, height

    def part_aim(self) -> None:
        self.document.add_paragraph(" ".join(self.diagram.aim.text.split()))

    def part_concerns(self) -> None:
        for line in concerns(self.diagram):
            paragraph = self.document.add_paragraph(style=_list_style(self.document))
            paragraph.add_run(line).bold = True

    def part_diagram(self) -> None:
        from docx.shared import Pt

        for figure in self.figures:
            if figure.heading:
                _heading(self.document, figure.heading, 2, new_page=True)
            picture = self.document.add_picture(
                io.BytesIO(figure.data), width=Pt(figure.printed[0]), height=Pt(figure.printed[1])
            )
            properties = picture._inline.docPr  # alt text, which python-docx has no API for
            properties.set("descr", figure.alt)
            properties.set("title", figure.heading or title(self.diagram))

    def part_changes(self) -> None:
        headings = idea_headings(self.diagram)
        middle = has_middle_drivers(self.diagram)
        table = self._table(headings)
        ideas = idea_rows(self.diagram)
        start = len(table.rows)
        for row in ideas:
            cells = table.add_row().cells
            texts = [row.primary] + ([row.driver] if middle else []) + [row.change, *row.tail]
            for cell, text in zip(cells, texts, strict=True):
                cell.text = text
        # a primary driver's cell, and a driver's, spans its group's rows
        for index, row in enumerate(ideas, start=start):
            spans = [row.primary_span] + ([row.driver_span] if middle else [])
            for column, span in enumerate(spans):
                if span > 1:
                    top = table.cell(index, column)
                    text = top.text
                    merged = top.merge(table.cell(index + span - 1, column))
                    merged.text = text  # merging joins the cells' texts: keep one
        _whole_rows(table)
        self._widths(table, (2, 3, 4, 1) if middle else (3, 5, 1))

    def part_counts(self) -> None:
        tally = self.document.add_table(rows=1, cols=2)
        tally.style = _table_style(self.document)
        tally.rows[0].cells[0].text, tally.rows[0].cells[1].text = "Status", "Change ideas"
        for status, number in counts(self.diagram):
            cells = tally.add_row().cells
            cells[0].text, cells[1].text = status, str(number)

    def part_practice(self) -> None:
        headings, rows = practice_table(self.diagram)
        table = self._table(headings)
        for row in rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text

    def part_measures(self) -> None:
        from docx.shared import Inches, Pt

        for number, measure in enumerate(charted(self.diagram)):
            # a chart, its heading and its words on one page, each chart on a new one
            _heading(self.document, measure.name, 2, new_page=number > 0)
            said = verdict_line(self.diagram, measure)
            verdict = self.document.add_paragraph(said)
            verdict.paragraph_format.keep_with_next = True
            lines = control_lines(measure)
            for line in lines:
                listed = self.document.add_paragraph(line, style=_list_style(self.document))
                listed.paragraph_format.keep_with_next = True
            png = chart(self.diagram, measure, "png")
            wide, high = png_size(png)
            # as wide as the chart is drawn, or less where its words leave it less room
            words = _lines(said, self.width) + sum(_lines(line, self.width) for line in lines)
            room = self.height - 2 * MARGIN - _CHART_HEADINGS - words * _LINE
            room -= _CHART_HEADINGS if number == 0 else 0  # the "Measures" heading above
            room -= _LINE * 2  # room to spare: Word and LibreOffice lay text out a little apart
            width = min(Inches(WIDTH), int(Pt(room) * wide / high))
            image = self.document.add_picture(io.BytesIO(png), width=width)
            image._inline.docPr.set("descr", f"{chart_title(measure)}: {measure.name}")

    def part_cycles(self) -> None:
        table = self._table(PAPER_CYCLE_HEADINGS)
        for r in cycle_rows(self.diagram):
            for cell, text in zip(table.add_row().cells, r.cells, strict=True):
                cell.text = text
        _whole_rows(table)
        self._widths(table, (2.4, 1.3, 2, 2, 2, 2.4, 1.1))

    def part_outline(self) -> None:
        from docx.shared import Pt

        for line in outline(replace(self.diagram, title="")).splitlines():
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
        """A table with a bold heading row, repeated at the top of each page it runs
        onto, and rows that do not break across pages."""
        from docx.oxml import OxmlElement

        table = self.document.add_table(rows=1, cols=len(headings))
        table.style = _table_style(self.document)
        for cell, text in zip(table.rows[0].cells, headings, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        return table

    def _widths(self, table: Any, shares: tuple[float, ...]) -> None:
        """The table across the page, its columns in these shares of the width."""
        from docx.shared import Pt

        table.autofit = False
        usable = self.width - 2 * MARGIN
        widths = [Pt(usable * share / sum(shares)) for share in shares]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid LibreOffice lays out by; Word reads the cells
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width


def _whole_rows(table: Any) -> None:
    """No row of the table breaks across two pages."""
    from docx.oxml import OxmlElement

    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


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
