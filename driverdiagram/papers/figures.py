"""The pictures of the diagram a paper prints, and the size each prints at.

Page 1 holds the diagram under the title and the aim, as wide as the page allows.
When its text would print below 8 pt the paper chooses a view itself (unless the user
chose one with ``depth`` or ``split``): page 1 shows the diagram to the secondary
drivers (or the primary ones), folded boxes counted, and a page follows for each
primary driver, "Primary driver 2 of 4: ...", with the boxes it shares with others
marked. Each picture is drawn once, for exactly the room it has, without the title and
the team (the paper prints those once, above it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..draw import pages
from ..draw.pages import png_size
from ..draw.render import draw
from ..model import Diagram, Level
from ..style import DEFAULT, Theme
from ..summary import alt_text
from ..text import singular
from ..views import depth as depth_view
from ..views import parts

#: The paper's margins, in points (12 mm).
MARGIN = 12 / 25.4 * 72
#: Height left for the diagram on page 1 of a landscape paper (after the title, the
#: team, the aim), in millimetres; a page of its own keeps room for its heading.
FIRST_PAGE_HEIGHT = {"a4": 145, "a3": 235, "letter": 150, "tabloid": 235}
HEADING_HEIGHT = 14
#: What each line calling out a balancing measure takes from page 1, in millimetres.
CONCERN_HEIGHT = 7
#: A small drawing is printed larger than Graphviz draws it to fill its room, but not
#: beyond this, nor so far that its smallest text prints larger than LARGEST_TEXT.
ENLARGE = 2.2
LARGEST_TEXT = 14.0
#: Resolution of pictures in a Word document: sharp when printed.
DOCX_DPI = 200
_MM = 72 / 25.4


@dataclass(frozen=True)
class Figure:
    """One picture of the diagram: ``heading`` ('' for page 1's), the view drawn, its
    bytes (SVG, or PNG for Word) and Graphviz's size in points, and the width and
    height it prints at, in points."""

    heading: str
    view: Diagram
    data: bytes
    size: tuple[float, float]
    printed: tuple[float, float]
    smallest: float  # the smallest text as printed, in points
    number: int = 0  # a primary driver's part: its number (1, 2, ...)
    folded: bool = False  # a view to the first levels only (--depth)

    @property
    def alt(self) -> str:
        """The picture's text alternative: what it shows (the outline gives every box)."""
        if not self.heading and not self.folded:
            return alt_text(self.view)
        aim = " ".join(self.view.aim.text.split())
        counted = ", ".join(
            f"{len(boxes)} {singular(self.view.label(level)).lower()}"
            + ("s" if len(boxes) != 1 else "")
            for level in self.view.levels[1:]
            if (boxes := self.view.at_level(level))
        )
        if self.heading:
            return f"{self.heading}. The aim '{aim}' and, under this driver, {counted}."
        return (
            f"Driver diagram, its first levels: the aim '{aim}' and {counted}; the boxes"
            " under them are folded away and counted. The outline below gives every box."
        )


@dataclass(frozen=True)
class Figures:
    figures: list[Figure]
    notes: list[str]


#: What a Word paper's page 1 gives its title, team, the "Aim" and "Driver diagram"
#: headings and a line of aim (python-docx's styles, as LibreOffice and Word lay them
#: out), in millimetres, beyond what the HTML paper's print styles give them.
DOCX_HEADINGS = 26
#: About how many characters of the aim a line of page 1 holds per point of width.
_AIM_CHARACTERS = 0.19


def first_page_room(diagram: Diagram, page: str, kind: str = "html") -> tuple[float, float]:
    """Width and height (points) for the diagram on page 1: less each line of the aim
    after its first and each line calling out a balancing measure above it."""
    from ..summary import concerns

    width = pages.size(page)[0] - 2 * MARGIN
    aim_lines = max(1, -(-len(" ".join(diagram.aim.text.split())) // int(width * _AIM_CHARACTERS)))
    height = FIRST_PAGE_HEIGHT[page] - CONCERN_HEIGHT * len(concerns(diagram))
    height -= 5 * (aim_lines - 1) + (DOCX_HEADINGS if kind == "docx" else 0)
    return width, height * _MM


def part_room(page: str) -> tuple[float, float]:
    """Width and height (points) for a picture on a page of its own, under its heading."""
    width, height = pages.size(page)
    return width - 2 * MARGIN, height - 2 * MARGIN - HEADING_HEIGHT * _MM


def plan(
    diagram: Diagram,
    kind: str,
    *,
    theme: Theme = DEFAULT,
    page: str = "a4",
    depth: int | None = None,
    split: bool = False,
) -> Figures:
    """The pictures for a paper of ``kind`` (docx: PNG; html, pdf, md: SVG) and the notes
    for the user: the view the paper chose itself, text still printing below 8 pt."""
    notes: list[str] = []
    room = first_page_room(diagram, page, kind)
    if depth is not None:
        view, folded = depth_view(diagram, depth)
        first = _figure(view, kind, theme, room, folded=folded)
        first = replace(first, folded=True)
    else:
        first = _figure(diagram, kind, theme, room)
    chosen = depth is not None or split
    deep = len(diagram.levels) > 3  # primary and secondary drivers to fold to
    if not chosen and first.smallest < pages.READABLE and len(diagram.at_level(Level.PRIMARY)) > 1:
        whole = first.smallest
        for levels in (2, 1) if deep else (1,):
            view, folded = depth_view(diagram, levels)
            first = replace(_figure(view, kind, theme, room, folded=folded), folded=True)
            if first.smallest >= pages.READABLE:
                break
        shown = (
            "to the secondary drivers"
            if first.view.levels[-1] == Level.SECONDARY
            else ("to the primary drivers")
        )
        notes.append(
            f"note: the whole diagram would print its smallest text at {whole:.1f} pt on"
            f" {page.upper()}, below {pages.READABLE:g} pt, so the paper shows it {shown}"
            " on page 1 and each primary driver on a page of its own after it (choose"
            " yourself with --split, --depth N or --focus ID)"
        )
        split = True
    figures = [first]
    if split:
        for part in parts(diagram):
            figures.append(
                _figure(
                    part.view,
                    kind,
                    theme,
                    part_room(page),
                    heading=part.heading,
                    shared=part.shared,
                    number=part.number,
                )
            )
    for figure in figures:
        if figure.smallest < pages.READABLE:
            bigger = pages.BIGGER.get(page)
            advice = f"--page {bigger} or " if bigger else ""
            where = f"'{figure.heading}'" if figure.heading else "the diagram on page 1"
            options = "--focus ID" if figure.heading else "--split, --depth 2 or --focus ID"
            notes.append(
                f"note: {where} prints its smallest text at {figure.smallest:.1f} pt, below"
                f" {pages.READABLE:g} pt; try {advice}{options}"
            )
    return Figures(figures, notes)


def _figure(
    view: Diagram,
    kind: str,
    theme: Theme,
    room: tuple[float, float],
    *,
    heading: str = "",
    folded: dict[str, int] | None = None,
    shared: dict[str, int] | None = None,
    number: int = 0,
) -> Figure:
    # the paper prints the title and the team once, above the picture
    bare = replace(view, title="", team="", updated="")
    fill = bool(heading)
    if kind == "docx":
        drawing = draw(
            bare,
            "png",
            theme=theme,
            dpi=DOCX_DPI,
            folded=folded,
            shared=shared,
            room=room,
            fill=fill,
        )
        width, height = png_size(drawing.data)
        size = (width * 72 / DOCX_DPI, height * 72 / DOCX_DPI)
    else:
        drawing = draw(bare, "svg", theme=theme, folded=folded, shared=shared, room=room, fill=fill)
        assert drawing.size is not None
        size = drawing.size
    smallest = min(pages.text_sizes(view.levels, theme))
    scale = min(room[0] / size[0], room[1] / size[1], ENLARGE, LARGEST_TEXT / smallest)
    return Figure(
        heading,
        view,
        drawing.data,
        size,
        (size[0] * scale, size[1] * scale),
        smallest * scale,
        number,
    )
