"""Diagram -> a PowerPoint deck of native shapes, with python-pptx (imported only here,
inside the functions that build, so ``driverdiagram --help`` never pays for it).

Slides, in order: the title (title, aim, team and date); the diagram (or, split, one
slide per primary driver); a slide per measure with data (its chart and its verdict in
words); the PDSA cycles as a table. Every slide is 16:9 (13.333 x 7.5 in) and nothing
is placed off it.

The diagram is placed where Graphviz places it (:mod:`driverdiagram.slides.place`):
rounded boxes in the theme's colours with their text at the theme's sizes (scaled with
the drawing), column headings, the key, and elbow connectors glued to the right side
of each parent box and the left side of each child (connection sites 3 and 1 of a
rectangle), so a box moved in PowerPoint drags its lines. Weak links are dashed.

Everything a diagram says is plain text in the deck: it is run text, never markup, and
control characters (which XML cannot hold) are shown as pictures of themselves first
(:func:`driverdiagram.summary.printable`, :func:`driverdiagram.text.visible`). The same
diagram gives the same bytes: the document's dates are fixed and the zip is written
again with fixed times, in name order.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from ..draw.layout import MARGIN_X, RANKSEP, badge_lines, badges, text_lines
from ..draw.pages import READABLE, png_size
from ..draw.wrap import SAFETY, text_width, wrap
from ..measures.chart import DPI, chart
from ..model import Diagram, Level, Node, Status, Strength
from ..style import DEFAULT, Theme
from ..summary import CYCLE_HEADINGS, chart_title, charted, cycle_rows, printable, title
from ..text import visible, words
from ..views import focus
from .place import Box, place

#: The slide, in points: 16:9, 13.333 x 7.5 inches.
WIDTH, HEIGHT = 960.0, 540.0
#: Room kept clear at every edge, and where the title and the body of a slide stand.
EDGE = 24.0
TITLE_TOP, TITLE_HEIGHT = 14.0, 56.0
BODY_TOP = TITLE_TOP + TITLE_HEIGHT + 6.0
BODY = (EDGE, BODY_TOP, WIDTH - 2 * EDGE, HEIGHT - BODY_TOP - EDGE)
#: Line height in the deck, in font sizes (set exactly, so boxes hold what Graphviz
#: measured: its lines are a little taller than this).
SPACING = 1.12
#: A box's text never shrinks below this to fit; smaller text is noted.
SMALLEST = READABLE
TITLE_SIZE, TEXT_SIZE, TABLE_SIZE = 28.0, 14.0, 11.0
#: The longest cell of the PDSA table, in lines (the YAML holds the rest).
CELL_LINES = 12
_EMU = 12700  # per point
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIXED = dt.datetime(2000, 1, 1)


@dataclass(frozen=True)
class Deck:
    """A finished deck: the .pptx bytes, how many slides, and what to tell the user
    (text printed below 8 pt, text too long for its box)."""

    data: bytes
    slides: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Run:
    text: str
    size: float
    colour: str
    bold: bool = False


@dataclass
class _Build:
    """What building one deck keeps: the presentation, the font and the notes."""

    prs: Any
    font: str
    theme: Theme
    notes: list[str] = field(default_factory=list)

    @property
    def number(self) -> int:
        return len(self.prs.slides)


#: The smallest font size (and line spacing) a slide can hold, in points.
SMALLEST_POSSIBLE = 1.0


def build(diagram: Diagram, *, theme: Theme = DEFAULT, split: bool = False) -> Deck:
    """The deck of ``diagram`` (see the module's docstring). Raises
    :class:`~driverdiagram.RenderError` when Graphviz fails (GraphvizNotFound when
    it is missing)."""
    from pptx import Presentation
    from pptx.util import Emu

    diagram = printable(diagram)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(_emu(WIDTH)), Emu(_emu(HEIGHT))
    work = _Build(prs, _font(theme), theme)
    _title_slide(work, diagram)
    if split:
        primaries = diagram.at_level(Level.PRIMARY)
        for number, primary in enumerate(primaries, start=1):
            heading = f"Primary driver {number} of {len(primaries)}: {words(primary.text)}"
            _diagram_slide(work, focus(diagram, primary.id), heading, split=True)
    else:
        _diagram_slide(work, diagram, title(diagram))
    for measure in charted(diagram):
        _chart_slide(work, diagram, measure)
    _pdsa_slides(work, diagram)
    _properties(prs, diagram)
    buffer = io.BytesIO()
    prs.save(buffer)
    return Deck(_steady(buffer.getvalue()), work.number, tuple(work.notes))


# -- slides -------------------------------------------------------------------------


def _slide(work: _Build, heading: str, layout: int = 5) -> Any:
    """A new slide with its title placeholder set to ``heading`` (the title PowerPoint
    and screen readers know the slide by), across the top."""
    slide = work.prs.slides.add_slide(work.prs.slide_layouts[layout])
    shape = slide.shapes.title
    _place(shape, EDGE, TITLE_TOP, WIDTH - 2 * EDGE, TITLE_HEIGHT)
    size, lines = _fit_lines(heading, WIDTH - 2 * EDGE, TITLE_HEIGHT, TITLE_SIZE, 2)
    ink = work.theme.levels[Level.AIM].border
    _write(shape.text_frame, [[[Run(line, size, ink, bold=True)] for line in lines]], work.font)
    _frame(shape.text_frame, anchor="middle")
    return slide


def _title_slide(work: _Build, diagram: Diagram) -> None:
    from pptx.util import Emu

    slide = work.prs.slides.add_slide(work.prs.slide_layouts[6])  # blank
    shapes = slide.shapes
    ink = work.theme.levels[Level.AIM].border
    width = WIDTH - 4 * EDGE
    size, lines = _fit_lines(title(diagram), width, 130, 40, 3)
    box = shapes.add_textbox(Emu(_emu(2 * EDGE)), Emu(_emu(110)), Emu(_emu(width)), Emu(_emu(130)))
    box.name = "title"
    _write(box.text_frame, [[[Run(line, size, ink, bold=True)] for line in lines]], work.font)
    _frame(box.text_frame, anchor="bottom")
    aim_size, aim_lines = _fit_lines(f"Aim: {words(diagram.aim.text)}", width, 150, 20, 6)
    box = shapes.add_textbox(Emu(_emu(2 * EDGE)), Emu(_emu(256)), Emu(_emu(width)), Emu(_emu(150)))
    box.name = "aim"
    text = work.theme.levels[Level.PRIMARY].text
    _write(box.text_frame, [[[Run(line, aim_size, text)] for line in aim_lines]], work.font)
    _frame(box.text_frame, anchor="top")
    if diagram.credits:
        small, credit_lines = _fit_lines("  ·  ".join(diagram.credits), width, 60, 16, 2)
        box = shapes.add_textbox(
            Emu(_emu(2 * EDGE)), Emu(_emu(HEIGHT - 2 * EDGE - 60)), Emu(_emu(width)), Emu(_emu(60))
        )
        box.name = "credits"
        muted = work.theme.muted_text
        _write(box.text_frame, [[[Run(line, small, muted)] for line in credit_lines]], work.font)
        _frame(box.text_frame, anchor="bottom")


def _diagram_slide(work: _Build, diagram: Diagram, heading: str, split: bool = False) -> None:
    """The diagram (or, split, one primary driver's view of it) as native shapes where
    Graphviz put them, fitted to the slide."""
    from pptx.enum.shapes import MSO_CONNECTOR
    from pptx.util import Emu

    left, top, width, height = BODY
    layout = place(diagram, work.theme, (width, height)).fitted(left, top, width, height)
    theme = layout.theme
    slide = _slide(work, heading)
    shapes = slide.shapes
    scale = layout.scale
    notes = badges(diagram)
    drawn: dict[str, Any] = {}
    sizes: list[float] = []
    overflow: list[str] = []
    for level in diagram.levels:
        box = layout.boxes.get(f"heading:{level.key}")
        if box is None:
            continue
        style = theme.levels[level]
        size = theme.heading_size * scale
        lines = wrap(diagram.label(level), _budget(box.width - 2 * MARGIN_X * scale, size))
        size = _shrunk(size, len(lines), box.height, scale)
        sizes.append(size)
        shape = _rounded(shapes, box, style.heading_fill, style.heading_fill, "solid", 1.0, scale)
        shape.name = f"heading {level.key}"
        runs = [[Run(line, size, style.heading_text, bold=True)] for line in lines]
        _write(shape.text_frame, [runs], work.font, align="center", spacing=size * SPACING)
        _frame(shape.text_frame, anchor="middle", side=MARGIN_X * scale)
    for node in diagram.nodes:
        box = layout.boxes[node.id]
        shape, size, fits = _node(work, shapes, node, box, theme, scale, notes)
        drawn[node.id] = shape
        sizes.append(size)
        if not fits:
            overflow.append(node.id)
    if "key" in layout.boxes:
        sizes.append(_key(work, shapes, diagram, layout.boxes["key"], theme, scale))
    if "credits" in layout.boxes:
        sizes.append(_credits(work, shapes, diagram, layout.boxes["credits"], theme, scale))
    strength = {(link.parent, link.child): link.strength for link in diagram.links}
    columns = diagram.levels
    connectors = []
    for parent, child, begin, end in layout.links:
        line = shapes.add_connector(
            MSO_CONNECTOR.ELBOW, *(Emu(_emu(value)) for value in (*begin, *end))
        )
        line.begin_connect(drawn[parent], 3)  # the parent's right side
        line.end_connect(drawn[child], 1)  # the child's left side
        line.name = f"link {parent} -> {child}"
        _unstyled(line)
        line.line.color.rgb = _rgb(theme.link_colour)
        line.line.width = Emu(_emu(theme.link_width))
        if strength[(parent, child)] == Strength.WEAK:
            _dash(line.line, "dashed")
        skipped = columns.index(diagram.node(child).level) - columns.index(
            diagram.node(parent).level
        )
        if skipped > 1:  # bend in the last gap before the child, not among the boxes
            start, finish = drawn[parent].left + drawn[parent].width, drawn[child].left
            bend = finish - _emu(RANKSEP * scale / 2)
            if finish > start:
                _adjust(line, round((bend - start) / (finish - start) * 100000))
        connectors.append(line._element)
    tree = shapes._spTree
    for element in reversed(connectors):  # lines under the boxes, not across their text
        tree.remove(element)
        tree.insert(2, element)
    smallest = min(sizes)
    if smallest < READABLE:
        work.notes.append(
            f"note: slide {work.number} ({heading[:60]}) shows its smallest text at"
            f" {smallest:.1f} pt, below {READABLE:g} pt"
            + ("" if split else "; try --split, a slide per primary driver")
        )
    if overflow:
        work.notes.append(
            f"note: slide {work.number}: the text of {', '.join(overflow[:5])}"
            f"{' ...' if len(overflow) > 5 else ''} is more than its box holds at"
            f" {SMALLEST:g} pt"
        )


def _node(
    work: _Build,
    shapes: Any,
    node: Node,
    box: Box,
    theme: Theme,
    scale: float,
    notes: dict[str, Any],
) -> tuple[Any, float, bool]:
    """A box with its text (as Graphviz wrapped it), its status word and its badge;
    the size its text was set at and whether it fits."""
    style = theme.levels[node.level]
    lines, tag_alone = text_lines(node, style, theme)
    fill, border, border_style, tag = style.fill, style.border, "solid", ""
    width = 2.0 if node.level == Level.AIM else 1.2
    if node.status is not None:
        cue = theme.statuses[node.status]
        fill, border, border_style, tag = cue.fill, cue.border, cue.border_style, cue.tag
        width = 2.4 if node.status == Status.ADOPTED else width
    badge = notes.get(node.id)
    small = badge_lines(badge, style, theme) if badge is not None else []
    count = len(lines) + (1 if tag and tag_alone else 0)
    ems = count * style.font_size + len(small) * theme.small_size  # at a scale of 1
    room = box.height - 2 * _INSET
    # Lines a little closer first (down to single spacing), then smaller text, never
    # below SMALLEST for that reason.
    spacing = max(1.0, min(SPACING, room / (ems * scale)))
    factor = min(scale, room / ems)
    smallest = min(style.font_size, theme.small_size if small else style.font_size)
    if factor < scale and factor * smallest < SMALLEST:
        factor = min(scale, SMALLEST / smallest)
    fits = factor * ems * spacing <= room + 0.5
    size, small_size = style.font_size * factor, theme.small_size * factor
    text = [[Run(line, size, style.text)] for line in lines]
    if tag:
        word = Run(tag, size, border, bold=True)
        if tag_alone:
            text.append([word])
        else:
            text[-1] += [Run("\u00a0\u00a0", size, style.text), word]
    paragraphs = [text]
    if small:
        paragraphs.append([[Run(line, small_size, style.text)] for line in small])
    shape = _rounded(shapes, box, fill, border, border_style, width, scale)
    shape.name = f"box {node.id}"
    frame = shape.text_frame
    spacings = [size * spacing, small_size * spacing]
    _write(frame, paragraphs, work.font, spacing=spacings)
    _frame(frame, anchor="middle", side=MARGIN_X * scale)
    if node.notes:  # the notes PowerPoint shows as the shape's alternative text
        shape._element.nvSpPr.cNvPr.set("descr", words(node.notes)[:1000])
    return shape, min(size, small_size) if small else size, fits


def _key(
    work: _Build, shapes: Any, diagram: Diagram, box: Box, theme: Theme, scale: float
) -> float:
    """The key where Graphviz left room for it: only the statuses the diagram uses,
    and a weak link when it has one. Its text size."""
    from pptx.enum.shapes import MSO_CONNECTOR
    from pptx.util import Emu

    used = {node.status for node in diagram.nodes if node.status is not None}
    weak = any(link.strength == Strength.WEAK for link in diagram.links)
    statuses = [status for status in Status if status in used] if used - {Status.IDEA} else []
    # Graphviz's key has a row for every status when any is used: share its height
    rows = 1 + (len(Status) if statuses else 0) + weak
    row = box.height / rows
    size = min(theme.small_size * scale, row / SPACING / 1.25)
    ink = theme.muted_text if theme.muted_text not in ("none", "transparent") else "#000000"
    widest = max(text_width(theme.statuses[status].tag) for status in Status)
    swatch = min(box.width * 0.5, max(widest * size * 1.1 / 1000 + 8, box.width * 0.3))

    def label(x: float, y: float, width: float, text: str, bold: bool = False) -> None:
        shape = shapes.add_textbox(Emu(_emu(x)), Emu(_emu(y)), Emu(_emu(width)), Emu(_emu(row)))
        shape.name = f"key {text}"
        _write(shape.text_frame, [[[Run(text, size, ink, bold=bold)]]], work.font)
        _frame(shape.text_frame, anchor="middle")

    label(box.x, box.y, box.width, "Key", bold=True)
    y = box.y + row
    gap = 6 * scale
    for status in statuses:
        cue = theme.statuses[status]
        tile = Box(f"key-{status.value}", box.x, y + row * 0.1, swatch, row * 0.8)
        shape = _rounded(shapes, tile, cue.fill, cue.border, cue.border_style, 1.2, scale)
        shape.name = f"key status {status.value}"
        _write(
            shape.text_frame,
            [[[Run(cue.tag or "\u00a0", size, cue.border, bold=True)]]],
            work.font,
            align="center",
        )
        _frame(shape.text_frame, anchor="middle", side=1.0)
        shape.text_frame.word_wrap = False  # the word on one line, as wide as it is
        label(box.x + swatch + gap, y, box.width - swatch - gap, visible(cue.legend))
        y += row
    if weak:
        middle = Emu(_emu(y + row / 2))
        line = shapes.add_connector(
            MSO_CONNECTOR.STRAIGHT, Emu(_emu(box.x)), middle, Emu(_emu(box.x + swatch)), middle
        )
        line.name = "key weak link"
        _unstyled(line)
        line.line.color.rgb = _rgb(theme.link_colour)
        line.line.width = Emu(_emu(theme.link_width))
        _dash(line.line, "dashed")
        label(box.x + swatch + gap, y, box.width - swatch - gap, "a weaker link")
    return size


def _credits(
    work: _Build, shapes: Any, diagram: Diagram, box: Box, theme: Theme, scale: float
) -> float:
    """The team and the date at the foot of the tallest column, as Graphviz put them."""
    from pptx.util import Emu

    size = theme.small_size * scale
    lines = wrap("  ·  ".join(diagram.credits), _budget(box.width, size))
    if len(lines) > 1:
        lines = [line for part in diagram.credits for line in wrap(part, _budget(box.width, size))]
    size = _shrunk(size, len(lines), box.height, scale)
    shape = shapes.add_textbox(
        Emu(_emu(box.x)), Emu(_emu(box.y)), Emu(_emu(box.width)), Emu(_emu(box.height))
    )
    shape.name = "credits"
    ink = theme.muted_text if theme.muted_text not in ("none", "transparent") else "#000000"
    runs = [[Run(line, size, ink)] for line in lines]
    _write(shape.text_frame, [runs], work.font, align="right", spacing=size * SPACING)
    _frame(shape.text_frame, anchor="middle")
    return size


def _chart_slide(work: _Build, diagram: Diagram, measure: Any) -> None:
    """A measure's chart as a picture, its verdict in words beneath it."""
    from pptx.util import Emu

    from ..summary import verdict_line

    slide = _slide(work, f"{chart_title(measure)}: {words(measure.name)}")
    left, top, width, height = BODY
    text = words(verdict_line(diagram, measure))
    size, lines = _fit_lines(text, width, 110, TEXT_SIZE, 5)
    text_height = len(lines) * size * SPACING + 8
    png = chart(diagram, measure, "png")
    pixels = png_size(png)
    natural = (pixels[0] * 72 / DPI, pixels[1] * 72 / DPI)
    room = height - text_height - 6
    fit = min(width / natural[0], room / natural[1])
    shown = (natural[0] * fit, natural[1] * fit)
    x = left + (width - shown[0]) / 2
    picture = slide.shapes.add_picture(
        io.BytesIO(png), Emu(_emu(x)), Emu(_emu(top)), Emu(_emu(shown[0])), Emu(_emu(shown[1]))
    )
    picture.name = f"chart {measure.id}"
    picture._element.nvPicPr.cNvPr.set("descr", text[:1000])
    box = slide.shapes.add_textbox(
        Emu(_emu(left)),
        Emu(_emu(top + shown[1] + 6)),
        Emu(_emu(width)),
        Emu(_emu(text_height)),
    )
    box.name = f"verdict {measure.id}"
    ink = work.theme.levels[Level.PRIMARY].text
    _write(box.text_frame, [[[Run(line, size, ink)] for line in lines]], work.font)
    _frame(box.text_frame, anchor="top")


def _pdsa_slides(work: _Build, diagram: Diagram) -> None:
    """The PDSA cycles as a native table, over as many slides as it takes."""
    rows = [
        [words(row.change), row.dates, words(row.prediction), words(row.learned), row.act]
        for row in cycle_rows(diagram)
    ]
    if not rows:
        return
    _, _, width, height = BODY
    shares = (0.27, 0.13, 0.23, 0.29, 0.08)
    widths = [width * share for share in shares]
    cells = [
        [_cell_lines(text, column) for text, column in zip(row, widths, strict=True)]
        for row in rows
    ]
    heads = [_cell_lines(text, column) for text, column in zip(CYCLE_HEADINGS, widths, strict=True)]
    chunks: list[list[list[list[str]]]] = [[]]
    used = _row_height(heads)
    for row_cells in cells:
        tall = _row_height(row_cells)
        if chunks[-1] and used + tall > height:
            chunks.append([])
            used = _row_height(heads)
        chunks[-1].append(row_cells)
        used += tall
    for number, chunk in enumerate(chunks, start=1):
        heading = "PDSA cycles" + (f" ({number} of {len(chunks)})" if len(chunks) > 1 else "")
        _table(work, _slide(work, heading), [heads, *chunk], widths)


def _table(work: _Build, slide: Any, rows: list[list[list[str]]], widths: list[float]) -> None:
    from pptx.util import Emu

    left, top, _, _ = BODY
    heights = [_row_height(row) for row in rows]
    frame = slide.shapes.add_table(
        len(rows),
        len(widths),
        Emu(_emu(left)),
        Emu(_emu(top)),
        Emu(sum(_emu(width) for width in widths)),
        Emu(sum(_emu(height) for height in heights)),
    )
    frame.name = "PDSA cycles"
    table = frame.table
    # "No Style, Table Grid": plain lines, every colour set below
    frame._element.graphic.graphicData.tbl.tblPr.find(
        _qn("a:tableStyleId")
    ).text = "{5940675A-B579-460E-94D1-54222C63F5DA}"
    for index, width in enumerate(widths):
        table.columns[index].width = Emu(_emu(width))
    head = work.theme.levels[Level.PRIMARY]
    for r, (row, tall) in enumerate(zip(rows, heights, strict=True)):
        table.rows[r].height = Emu(_emu(tall))
        for c, lines in enumerate(row):
            cell = table.cell(r, c)
            fill = head.heading_fill if r == 0 else "#FFFFFF"
            ink = head.heading_text if r == 0 else "#000000"
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(fill if fill.startswith("#") else "#FFFFFF")
            runs = [
                [Run(line, TABLE_SIZE, ink if ink.startswith("#") else "#000000", r == 0)]
                for line in lines
            ]
            _write(cell.text_frame, [runs], work.font, spacing=TABLE_SIZE * SPACING)
            cell.margin_left = cell.margin_right = Emu(_emu(_CELL_X))
            cell.margin_top = cell.margin_bottom = Emu(_emu(_CELL_Y))


_CELL_X, _CELL_Y = 5.0, 3.0


def _cell_lines(text: str, width: float) -> list[str]:
    lines = wrap(text or " ", _budget(width - 2 * _CELL_X, TABLE_SIZE))
    if len(lines) > CELL_LINES:
        lines = [*lines[: CELL_LINES - 1], lines[CELL_LINES - 1].rstrip() + " …"]
    return lines


def _row_height(row: list[list[str]]) -> float:
    return max(len(lines) for lines in row) * TABLE_SIZE * SPACING + 2 * _CELL_Y + 4


# -- shapes and text -----------------------------------------------------------------

_INSET = 1.0  # points above and below a box's text


def _emu(points: float) -> int:
    return round(points * _EMU)


def _font(theme: Theme) -> str:
    """One family for the deck: Arial when the theme lists it (Helvetica and Liberation
    Sans share its widths, and every PowerPoint has it), else the theme's first."""
    families = [part.strip() for part in theme.font.split(",") if part.strip()]
    if "Arial" in families or not families or families[0].lower() in ("sans-serif", "sans"):
        return "Arial"
    return families[0]


def _budget(width: float, size: float) -> int:
    """How much text fits on a line ``width`` points wide at ``size``, in thousandths
    of an em (as :func:`driverdiagram.draw.wrap.line_budget`)."""
    return max(int(width * SAFETY / size * 1000), 1000)


def _shrunk(size: float, lines: int, height: float, scale: float) -> float:
    """``size``, smaller if ``lines`` of it are taller than ``height`` (never below
    :data:`SMALLEST` for that reason)."""
    room = height - 2 * _INSET
    if lines * size * SPACING <= room:
        return size
    return max(room / (lines * SPACING), min(size, SMALLEST))


def _fit_lines(
    text: str, width: float, height: float, size: float, most: int
) -> tuple[float, list[str]]:
    """A size, at most ``size`` and no less than 14 pt (or :data:`SMALLEST`), at which
    ``text`` wraps to at most ``most`` lines within ``height``; cut short with an
    ellipsis when even that is too long."""
    floor = min(size, 14.0)
    while True:
        lines = wrap(text, _budget(width, size))
        if (len(lines) <= most and len(lines) * size * SPACING <= height) or size <= floor:
            break
        size = max(floor, size - 2)
    most = min(most, max(1, int(height // (size * SPACING))))
    if len(lines) > most:
        lines = [*lines[: most - 1], _cut(lines[most - 1], _budget(width, size))]
    return size, lines


def _cut(line: str, budget: int) -> str:
    while line and text_width(line + " …") > budget:
        line = line[:-1]
    return line.rstrip() + " …"


def _place(shape: Any, x: float, y: float, width: float, height: float) -> None:
    from pptx.util import Emu

    shape.left, shape.top = Emu(_emu(x)), Emu(_emu(y))
    shape.width, shape.height = Emu(_emu(width)), Emu(_emu(height))


def _rounded(
    shapes: Any, box: Box, fill: str, border: str, style: str, width: float, scale: float
) -> Any:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Emu

    shape = shapes.add_shape(
        MSO_SHAPE.ROUNDED_RECTANGLE,
        Emu(_emu(box.x)),
        Emu(_emu(box.y)),
        Emu(_emu(box.width)),
        Emu(_emu(box.height)),
    )
    _unstyled(shape)
    shape.adjustments[0] = min(0.5, 5 * scale / max(min(box.width, box.height), 1.0))
    if fill.startswith("#"):
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(fill)
    else:
        shape.fill.background()
    if border.startswith("#"):
        shape.line.color.rgb = _rgb(border)
        shape.line.width = Emu(_emu(max(width, 2.0) if style == "bold" else width))
        _dash(shape.line, style)
    else:
        shape.line.fill.background()
    return shape


def _unstyled(shape: Any) -> None:
    """Drop the theme style python-pptx gives a new shape (white text, blue lines, a
    shadow in some themes): every colour here is set by the diagram's theme."""
    style = shape._element.find(_qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def _dash(line: Any, style: str) -> None:
    from pptx.enum.dml import MSO_LINE_DASH_STYLE

    if style == "dashed":
        line.dash_style = MSO_LINE_DASH_STYLE.DASH
    elif style == "dotted":
        line.dash_style = MSO_LINE_DASH_STYLE.ROUND_DOT


def _adjust(line: Any, value: int) -> None:
    """Set an elbow connector's bend (adj1, in thousandths of a percent of its width)."""
    from pptx.oxml.xmlchemy import OxmlElement

    geometry = line._element.spPr.find(_qn("a:prstGeom"))
    guides = geometry.find(_qn("a:avLst"))
    if guides is None:
        guides = OxmlElement("a:avLst")
        geometry.append(guides)
    guide = OxmlElement("a:gd")
    guide.set("name", "adj1")
    guide.set("fmla", f"val {max(0, min(100000, value))}")
    guides.append(guide)


def _rgb(colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour[1:] if colour.startswith("#") else "000000")


def _qn(tag: str) -> str:
    from pptx.oxml.ns import qn

    return str(qn(tag))


def _write(
    frame: Any,
    paragraphs: list[list[list[Run]]],
    font: str,
    *,
    align: str = "left",
    spacing: float | list[float] | None = None,
) -> None:
    """Paragraphs of lines of runs into a text frame: lines joined by line breaks, so
    the deck breaks them where the drawing does. Every run is plain text."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    where = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}[align]
    for index, lines in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = where
        gap = spacing[index] if isinstance(spacing, list) else spacing
        if gap is None and lines and lines[0]:
            gap = lines[0][0].size * SPACING
        if gap:
            paragraph.line_spacing = Pt(max(round(gap, 1), SMALLEST_POSSIBLE))
        for number, line in enumerate(lines):
            if number:
                paragraph.add_line_break()
            for part in line:
                run = paragraph.add_run()
                run.text = visible(part.text).replace("\n", " ")
                run.font.name = font
                # PowerPoint's smallest size is 1 pt: a slide that needs less has
                # already been named in the notes (try --split, or fewer boxes)
                run.font.size = Pt(max(round(part.size, 1), SMALLEST_POSSIBLE))
                run.font.bold = part.bold
                run.font.color.rgb = _rgb(part.colour)


def _frame(frame: Any, *, anchor: str, side: float = 2.0) -> None:
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
    from pptx.util import Emu

    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = {
        "top": MSO_ANCHOR.TOP,
        "middle": MSO_ANCHOR.MIDDLE,
        "bottom": MSO_ANCHOR.BOTTOM,
    }[anchor]
    frame.margin_left = frame.margin_right = Emu(_emu(side))
    frame.margin_top = frame.margin_bottom = Emu(_emu(_INSET))


# -- the file ------------------------------------------------------------------------


def _properties(prs: Any, diagram: Diagram) -> None:
    """Document properties that say what the deck is and never when it was made: the
    diagram's ``updated`` date when it is one, else a fixed date."""
    try:
        when = dt.datetime.fromisoformat(diagram.updated[:10]) if diagram.updated else _FIXED
    except ValueError:
        when = _FIXED
    core = prs.core_properties
    core.title = title(diagram)[:200]
    core.subject = "Driver diagram"
    core.author = core.last_modified_by = "driverdiagram"
    core.revision = 1
    core.created = core.modified = when
    core.last_printed = when
    core.keywords = core.comments = core.category = ""


def _steady(data: bytes) -> bytes:
    """The .pptx zip written again so the same deck is the same bytes: every entry
    with one fixed time and the same attributes, in name order ([Content_Types].xml
    sorts first, where Office expects it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist()):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name), compresslevel=6)
    return buffer.getvalue()
