"""DOT -> SVG, PDF or PNG bytes through the Graphviz ``dot`` program; atomic file writes."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..errors import GraphvizNotFound, Location, RenderError
from ..files import refuse_input, write_atomic
from ..limits import current
from ..model import Diagram
from ..outlines import outline
from ..style import DEFAULT, Theme
from ..text import visible
from . import pages, svg
from .dot import WORD_JOINER, to_dot

FORMATS = ("svg", "pdf", "png", "dot")
DEFAULT_DPI = 150

INSTALL_GRAPHVIZ = """\
Graphviz is not installed (the 'dot' program was not found on PATH).
driverdiagram draws with Graphviz; install it, then run the command again:
  Debian/Ubuntu:  sudo apt-get install graphviz
  Fedora:         sudo dnf install graphviz
  macOS:          brew install graphviz
  Windows:        winget install graphviz   (or choco install graphviz), then open a new terminal
  conda:          conda install -c conda-forge graphviz
More: https://graphviz.org/download/"""


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
            data = _accessible(data, diagram)
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


def run_dot(source: str, format: str, *, name: str = "<string>", dpi: int | None = None) -> bytes:
    """Run Graphviz ``dot`` on DOT source and return its output."""
    program = shutil.which("dot")
    if program is None:
        raise GraphvizNotFound.at(Location(name), INSTALL_GRAPHVIZ)
    command = [program, f"-T{format}"]
    if format == "png":
        command.append(f"-Gdpi={dpi or DEFAULT_DPI}")
    timeout = current().dot_timeout
    try:
        result = subprocess.run(
            command, input=source.encode("utf-8"), capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as error:
        raise RenderError.at(
            Location(name),
            f"Graphviz took longer than {timeout:g} seconds and was stopped (a diagram this"
            " big is better split; or raise the limit with --dot-timeout)",
        ) from error
    except OSError as error:
        raise RenderError.at(Location(name), f"cannot run Graphviz ({error})") from error
    if result.returncode != 0 or not result.stdout:
        detail = (
            result.stderr.decode("utf-8", "replace").strip() or f"exit status {result.returncode}"
        )
        raise RenderError.at(Location(name), f"Graphviz could not draw the diagram: {detail}")
    return result.stdout


def _accessible(svg: bytes, diagram: Diagram) -> bytes:
    """Give the SVG a ``<title>`` and ``<desc>`` as its first children, for screen readers."""
    text = svg.decode("utf-8").replace("\\" + WORD_JOINER, "\\").replace("\\&#8288;", "\\")
    start = text.index("<svg")
    end = text.index(">", start) + 1
    title = diagram.title or diagram.aim.text
    head = text[start : end - 1] + ' role="img" aria-labelledby="dd-title dd-desc">'
    extra = (
        f'\n<title id="dd-title">{_xml(title)}</title>'
        f'\n<desc id="dd-desc">{_xml(outline(diagram))}</desc>'
    )
    return (text[:start] + head + extra + text[end:]).encode("utf-8")


def _xml(text: str) -> str:
    return visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
