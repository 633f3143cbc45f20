"""Diagram -> drawing bytes: the DOT, run through Graphviz, checked and fitted to the page."""

from __future__ import annotations

import os
from pathlib import Path

from ..files import refuse_input, write_atomic
from ..model import Diagram
from ..style import DEFAULT, Theme
from . import pages, svg
from .dot import to_dot
from .graphviz import DEFAULT_DPI, FORMATS, run_dot


def render(
    diagram: Diagram,
    format: str = "svg",
    *,
    path: str | os.PathLike[str] | None = None,
    arrows: str = "none",
    dpi: int | None = None,
    marks: dict[str, str] | None = None,
    link_marks: dict[tuple[str, str], str] | None = None,
    theme: Theme = DEFAULT,
    folded: dict[str, int] | None = None,
    page: str | None = None,
    portrait: bool = False,
    named: bool = True,
) -> bytes:
    """Draw ``diagram`` as ``svg``, ``pdf``, ``png`` or ``dot`` and return the bytes.

    With ``path``, also write them to that file atomically: the file is either
    the complete new drawing or left as it was. ``dpi`` sets PNG resolution
    (default 150). ``marks`` and ``link_marks`` draw a diagram of changes
    (see :func:`driverdiagram.differ.picture`). ``page`` (a4, a3, letter, tabloid;
    landscape unless ``portrait``) fits the drawing to that paper. ``named`` says the
    caller chose ``path`` itself (it may then be a device such as /dev/null); a name
    the tool made up, beside the input, is only ever written as a regular file.

    An SVG is checked (:func:`driverdiagram.svg.check`) before it is returned or
    written: one holding anything driverdiagram never draws (a script, a link, a
    picture read from a file) is a :class:`RenderError`.
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    if path is not None:
        refuse_input(diagram.path, Path(path))
    area = pages.printable(page or "a4", portrait)
    source = to_dot(
        diagram,
        arrows=arrows,
        theme=theme,
        marks=marks,
        link_marks=link_marks,
        folded=folded,
        page=area,
    )
    if format == "dot":
        data = source.encode("utf-8")
    elif format == "png" and page is not None:
        width, height = pages.svg_size(run_dot(source, "svg", name=diagram.path))
        scale = pages.scale_to_fit(width, height, page, portrait)
        data = run_dot(source, "png", name=diagram.path, dpi=round((dpi or DEFAULT_DPI) * scale))
    else:
        data = run_dot(source, format, name=diagram.path, dpi=dpi)
        if format == "svg":
            data = svg.accessible(data, diagram)
            if page is not None:
                data = pages.fit_svg(data, page, portrait)
            svg.check(data, diagram.path)  # before it is shown, inlined or written
        elif format == "pdf" and page is not None:
            data = pages.fit_pdf([data], page, portrait)
    if path is not None:
        write_atomic(Path(path), data, named=named)
    return data


def render_split(
    diagram: Diagram,
    *,
    path: str | os.PathLike[str] | None = None,
    theme: Theme = DEFAULT,
    page: str | None = None,
    portrait: bool = False,
    arrows: str = "none",
    named: bool = True,
) -> bytes:
    """One PDF with a page per primary driver: the aim, that driver and all under it."""
    from ..model import Level
    from ..views import focus

    if path is not None:
        refuse_input(diagram.path, Path(path))
    drawings = [
        run_dot(
            to_dot(
                focus(diagram, primary.id),
                arrows=arrows,
                theme=theme,
                page=pages.printable(page or "a4", portrait),
            ),
            "pdf",
            name=diagram.path,
        )
        for primary in diagram.at_level(Level.PRIMARY)
    ]
    data = pages.fit_pdf(drawings, page, portrait)
    if path is not None:
        write_atomic(Path(path), data, named=named)
    return data


def smallest_printed_text(diagram: Diagram, page: str, portrait: bool, theme: Theme) -> float:
    """The size, in points, of the smallest text once the drawing is fitted to the page."""
    area = pages.printable(page, portrait)
    width, height = pages.svg_size(
        run_dot(to_dot(diagram, theme=theme, page=area), "svg", name=diagram.path)
    )
    sizes = [theme.small_size, theme.heading_size] + [
        theme.levels[level].font_size for level in diagram.levels
    ]
    return min(sizes) * pages.scale_to_fit(width, height, page, portrait)
