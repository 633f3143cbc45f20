"""Diagram -> drawing bytes: the DOT, run through Graphviz, checked and fitted to the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypedDict

from ..model import Diagram
from ..style import DEFAULT, Theme
from . import pages, svg
from .dot import Parts, dot_parts
from .graphviz import DEFAULT_DPI, FORMATS, Run, drawing_run, drawn, fitted, fitting_run, run_dot
from .own import chosen, pinned

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing's own from Python 3.11; for checkers only

#: How much one primary driver's page of a split view may be enlarged to fill its page.
SPLIT_ENLARGE = 2.2


@dataclass(frozen=True)
class Drawing:
    """A finished drawing and the size Graphviz gave it, in points, before any fitting
    to a page (None where it is not known: a DOT file, or a PNG drawn without a page)."""

    data: bytes
    size: tuple[float, float] | None = None


@dataclass(frozen=True)
class Planned:
    """A drawing ready for Graphviz: its one ``run`` (None for DOT source, which needs
    none) and ``finish``, which makes the drawing of what the run wrote (checked,
    fitted to the page). :func:`draw` runs it alone; a batch runs many at once
    (:func:`driverdiagram.draw.graphviz.outputs`)."""

    run: Run | None
    finish: Callable[[bytes], Drawing]

    def drawing(self) -> Drawing:
        """The drawing, Graphviz run alone."""
        return self.finish(self.run.output() if self.run is not None else b"")


class Options(TypedDict, total=False):
    """:func:`plan`'s options, by name, for the functions that hand them on (a test
    keeps the two the same, so a type checker sees a misspelt or mistyped option)."""

    arrows: str
    dpi: int | None
    marks: dict[str, str] | None
    link_marks: dict[tuple[str, str], str] | None
    theme: Theme
    folded: dict[str, int] | None
    page: str | None
    portrait: bool
    links: dict[str, str] | None
    room: tuple[float, float] | None
    shared: dict[str, int] | None
    fill: bool
    layout: str


def draw(diagram: Diagram, format: str = "svg", **options: Unpack[Options]) -> Drawing:
    """Draw ``diagram`` as ``svg``, ``pdf``, ``png`` or ``dot``, running Graphviz once
    (the options are :func:`plan`'s)."""
    return plan(diagram, format, **options).drawing()


def plan(
    diagram: Diagram,
    format: str = "svg",
    *,
    arrows: str = "none",
    dpi: int | None = None,
    marks: dict[str, str] | None = None,
    link_marks: dict[tuple[str, str], str] | None = None,
    theme: Theme = DEFAULT,
    folded: dict[str, int] | None = None,
    page: str | None = None,
    portrait: bool = False,
    links: dict[str, str] | None = None,
    room: tuple[float, float] | None = None,
    shared: dict[str, int] | None = None,
    fill: bool = False,
    layout: str = "auto",
) -> Planned:
    """The drawing of ``diagram`` as ``svg``, ``pdf``, ``png`` or ``dot``, ready for its
    one run of Graphviz.

    ``dpi`` sets PNG resolution (default 150). ``marks`` and ``link_marks`` draw a
    diagram of changes (see :func:`driverdiagram.diff.picture`). ``page`` (a4, a3,
    letter, tabloid; landscape unless ``portrait``) fits the drawing to that paper.
    ``links`` (box id -> a page of the portal) makes boxes links (see
    :func:`driverdiagram.draw.dot.to_dot`); the check allows those addresses only.
    ``room`` (width, height in points) is the space the drawing is shaped for when it
    is not a whole page (a paper's first page under its title, say); ``shared`` marks
    the boxes of a split view's part that other primary drivers share, and ``fill``
    lets a small part take narrower columns to fill its room. ``layout`` is ``dot``
    (Graphviz lays the drawing out), ``own`` (:mod:`driverdiagram.draw.own` does, and
    Graphviz only draws it: quick for thousands of boxes) or ``auto`` (``own`` from
    :data:`driverdiagram.draw.own.OWN_FROM` boxes). The ``dot`` format is the source
    for Graphviz ``dot`` unless ``layout`` is ``own``: then it is the laid-out source
    for ``neato -n2``.

    An SVG is checked (:func:`driverdiagram.draw.svg.check`) as it is finished: one
    holding anything driverdiagram never draws (a script, a link, a picture read from
    a file) is a :class:`RenderError`. Nothing is written.
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    explicit_own = layout == "own"
    layout = chosen(diagram, layout)
    area = room or pages.printable(page or "a4", portrait)
    parts = dot_parts(
        diagram,
        arrows=arrows,
        theme=theme,
        marks=marks,
        link_marks=link_marks,
        folded=folded,
        page=area,
        links=links,
        shared=shared,
        fill=fill,
    )
    if format == "dot" and not explicit_own:
        return _ready(parts.source())
    engine, source = _laid_out(parts, diagram, layout, arrows)
    if format == "dot":
        return _ready(source)
    if format == "png" and page is not None:
        # the page decides the resolution: Graphviz fits the PNG to it in the same run
        resolution = dpi or DEFAULT_DPI
        run = fitting_run(
            source, area, pages.MAX_ENLARGE, name=diagram.path, dpi=resolution, engine=engine
        )

        def fitted_png(output: bytes) -> Drawing:
            return Drawing(*fitted(output, resolution, pages.MAX_ENLARGE, diagram.path))

        return Planned(run, fitted_png)
    run = drawing_run(source, format, name=diagram.path, dpi=dpi, engine=engine)

    def finished(output: bytes) -> Drawing:
        return _finished(drawn(run, output), format, diagram, page, portrait, links)

    return Planned(run, finished)


def _ready(source: str) -> Planned:
    """DOT source, which needs no Graphviz run."""
    return made(source.encode("utf-8"))


def made(data: bytes) -> Planned:
    """A drawing made already (DOT source, a split PDF): nothing left for Graphviz."""
    drawing = Drawing(data)
    return Planned(None, lambda _: drawing)


def _finished(
    data: bytes,
    format: str,
    diagram: Diagram,
    page: str | None,
    portrait: bool,
    links: dict[str, str] | None,
) -> Drawing:
    """A drawing as Graphviz made it, finished: an SVG given its text alternative,
    fitted to the page and checked; a PDF fitted to the page."""
    size: tuple[float, float] | None = None
    if format == "svg":
        size = pages.svg_size(data)
        data = svg.accessible(data, diagram)
        if page is not None:
            data = pages.fit_svg(data, page, portrait)
        # before it is shown, inlined or written
        svg.check(data, diagram.path, links=frozenset((links or {}).values()))
    elif format == "pdf":
        size = pages.pdf_size(data)
        if page is not None:
            data = pages.fit_pdf([data], page, portrait)
    return Drawing(data, size)


def _laid_out(parts: Parts, diagram: Diagram, layout: str, arrows: str) -> tuple[str, str]:
    """The Graphviz program to run and its source: ``dot`` and the DOT it lays out, or
    ``neato`` and the source with every position our own layout gave it."""
    if chosen(diagram, layout) == "own":
        return "neato", pinned(parts, diagram, arrows)
    return "dot", parts.source()


def render(diagram: Diagram, format: str = "svg", **options: Unpack[Options]) -> bytes:
    """The bytes of :func:`draw`'s drawing (the same options)."""
    return draw(diagram, format, **options).data


def render_split(
    diagram: Diagram,
    *,
    theme: Theme = DEFAULT,
    page: str | None = None,
    portrait: bool = False,
    arrows: str = "none",
    layout: str = "auto",
) -> bytes:
    """One PDF with a page per primary driver (the aim, that driver and all under it),
    each headed "Primary driver 2 of 4: ..." with the boxes other primary drivers share
    marked so, filling the page (A4 unless ``page`` says otherwise): a part is shaped
    for the page and enlarged up to :data:`SPLIT_ENLARGE`. ``layout`` is :func:`draw`'s,
    for each part."""
    from ..views import parts  # the parts of a diagram: only for a split drawing

    page = page or "a4"
    area = pages.printable(page, portrait)
    drawings = []
    for part in parts(diagram):
        view = replace(part.view, title=part.heading)
        source = dot_parts(
            view, arrows=arrows, theme=theme, page=area, shared=part.shared, fill=True
        )
        engine, text = _laid_out(source, view, layout, arrows)
        drawings.append(run_dot(text, "pdf", name=diagram.path, engine=engine))
    return pages.fit_pdf(drawings, page, portrait, enlarge=SPLIT_ENLARGE)


def smallest_text(
    diagram: Diagram, size: tuple[float, float], theme: Theme, page: str, portrait: bool = False
) -> float:
    """The size, in points, of the smallest text of a drawing of ``size`` (Graphviz's
    own) once it is fitted to the page."""
    smallest = min(pages.text_sizes(diagram.levels, theme))
    return smallest * pages.scale_to_fit(size[0], size[1], page, portrait)


def small_text_note(
    diagram: Diagram, size: tuple[float, float], theme: Theme, page: str, portrait: bool = False
) -> str:
    """A note when the drawing fitted to the page prints its text below 8 pt, saying
    what to try; '' when it prints large enough."""
    smallest = smallest_text(diagram, size, theme, page, portrait)
    if smallest >= pages.READABLE:
        return ""
    bigger = pages.BIGGER.get(page)
    advice = f"--page {bigger}, " if bigger else ""
    return (
        f"note: {diagram.path} fitted to {page.upper()} prints its smallest text at"
        f" {smallest:.1f} pt, below {pages.READABLE:g} pt; try {advice}--depth 2,"
        " --focus ID or --split"
    )
