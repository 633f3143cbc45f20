"""The API's functions that draw and write outputs: drawings (one or many files),
the picture of a diff, run charts, meeting papers, slides and the partnership portal.

Kept apart from :mod:`driverdiagram.api`, so checking a diagram loads none of the
drawing, charting or paper-writing code; ``driverdiagram``'s ``__init__`` hands
these names on as it does the others. Each function imports the module that does its
work when it is called, so a command loads only what it uses: ``render`` none of the
papers, slides, charts or portal (a test in tests/cli/test_group.py keeps it so).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DiagramError, OptionError
from .files import make_folder, refuse_input, refuse_link, refuse_linked_folder, write_atomic
from .model import Diagram, Measure
from .readers.theme import theme_of
from .style import Theme

if TYPE_CHECKING:
    from .batch import Rendering
    from .site import Built
    from .site.serve import Preview
    from .slides import Deck


def render(
    diagram: Diagram,
    format: str = "svg",
    *,
    path: str | os.PathLike[str] | None = None,
    arrows: str = "none",
    dpi: int | None = None,
    theme: str | Theme = "default",
    page: str | None = None,
    portrait: bool = False,
    split: bool = False,
    layout: str = "auto",
) -> bytes:
    """Draw the diagram as ``svg``, ``pdf``, ``png`` or ``dot`` bytes through Graphviz.

    With ``path`` the bytes are also written there, atomically (never over the diagram
    file itself, never through a symbolic link). ``theme`` is a built-in theme name, a
    theme file or a Theme; ``page`` (a4, a3, letter, tabloid) fits the drawing to that
    paper, landscape unless ``portrait``; ``split`` (PDF only) draws a page per primary
    driver. ``layout``: ``dot`` (Graphviz places the boxes), ``own`` (driverdiagram's
    own layout, quick for thousands of boxes) or ``auto`` (``own`` from 1,000 boxes).
    Raises :class:`DiagramError` (:class:`GraphvizNotFound` when ``dot`` is
    missing).
    """
    from .draw.render import draw, render_split

    look = theme_of(theme)
    if split:
        if format != "pdf":
            raise OptionError("split makes one PDF with a page per primary driver: use pdf")
        data = render_split(
            diagram, theme=look, page=page, portrait=portrait, arrows=arrows, layout=layout
        )
    else:
        data = draw(
            diagram,
            format,
            arrows=arrows,
            dpi=dpi,
            theme=look,
            page=page,
            portrait=portrait,
            layout=layout,
        ).data
    if path is not None:
        refuse_input(diagram.path, Path(path))
        write_atomic(Path(path), data, named=True)
    return data


def render_files(
    files: list[str] | tuple[str, ...],
    formats: list[str] | tuple[str, ...] = (),
    output: str | None = None,
    *,
    theme: str | Theme = "default",
    jobs: int | None = None,
    force: bool = False,
    **options: Any,
) -> Rendering:
    """Many diagrams drawn at once (the ``render`` command): every output planned first,
    then drawn on all cores when the result is iterated, drawings already up to date
    left as they are. ``options`` are those of :class:`driverdiagram.batch.Options`
    (arrows, layout, dpi, page, portrait, split, focus, depth)."""
    from .batch import Options, Rendering

    return Rendering(
        files, formats, output, Options(**options), theme_of(theme), jobs=jobs, force=force
    )


def render_changes(
    old: Diagram, new: Diagram, path: str | os.PathLike[str], *, theme: str | Theme = "default"
) -> None:
    """Draw the new diagram with its changes marked (added, reworded, moved, removed as
    a ghost, new status or strength) to ``path`` (.svg, .pdf or .png)."""
    from .diff import picture
    from .draw.render import draw

    target = Path(path)
    format = target.suffix.lower().lstrip(".")
    if format not in ("svg", "pdf", "png"):
        raise OptionError(f"-o {target}: end the name in .svg, .pdf or .png")
    drawing, marks, link_marks = picture(old, new)
    refuse_linked_folder(target.parent, Path(new.path).parent)
    refuse_input(new.path, target)
    data = draw(drawing, format, marks=marks, link_marks=link_marks, theme=theme_of(theme)).data
    write_atomic(target, data, named=True)


def paper(
    diagram: Diagram,
    path: str | os.PathLike[str],
    *,
    theme: str | Theme = "default",
    page: str = "a4",
    template: str | os.PathLike[str] | None = None,
    depth: int | None = None,
    focus: str | None = None,
    split: bool = False,
) -> list[str]:
    """Write a meeting paper (the format from the extension: .docx, .html, .md or .pdf);
    the notes to tell the user. ``focus`` (a box's id) makes the paper about that box,
    its way to the aim and all under it; ``depth`` folds page 1's picture to that many
    levels (the tables still list every change idea); ``split`` adds a page for each
    primary driver. With none of them, a diagram whose text would print below 8 pt on
    page 1 gets the split view by itself, and a note says so."""
    from . import views
    from .papers import FORMATS as PAPER_FORMATS
    from .papers import write as _write_paper

    target = Path(path)
    kind = target.suffix.lower().lstrip(".")
    if kind not in PAPER_FORMATS:
        raise OptionError(f"-o {target}: a report ends in .docx, .html, .md or .pdf")
    if template is not None:
        if kind != "docx":
            raise OptionError("--template is a Word document, for a .docx report")
        if not os.fspath(template).lower().endswith((".docx", ".dotx")):
            raise OptionError(f"--template {template} is not a Word document (.docx)")
    if depth is not None and not 1 <= depth <= 4:
        raise OptionError(f"--depth {depth}: give 1 (primary drivers) to 4")
    if focus is not None:
        diagram = views.focus(diagram, focus)
    refuse_link(target)  # before Chromium spends seconds on a paper that cannot be kept
    make_folder(target.parent, inside=Path(diagram.path).parent)
    return _write_paper(
        diagram,
        target,
        theme=theme_of(theme),
        page=page,
        template=Path(template) if template is not None else None,
        depth=depth,
        split=split,
    )


def deck(
    diagram: Diagram,
    path: str | os.PathLike[str] | None = None,
    *,
    split: bool = False,
    theme: str | Theme = "default",
) -> Deck:
    """A PowerPoint deck of the diagram as native shapes a team can edit (the
    ``slides`` command; :mod:`driverdiagram.slides` builds it): the title, the
    diagram (with ``split`` a slide per primary driver instead), each measure's chart
    with its verdict, the PDSA cycles as a table. The returned
    :class:`~driverdiagram.slides.Deck` holds the .pptx bytes and notes for the user
    (text below 8 pt). With ``path`` (ending in .pptx) the deck is also written
    there, atomically, never through a symbolic link and never over the diagram."""
    from .slides import build as _build_deck

    target = Path(path) if path is not None else None
    if target is not None:
        if target.suffix.lower() != ".pptx":
            raise OptionError(f"-o {target}: a deck of slides ends in .pptx")
        refuse_input(diagram.path, target)
        refuse_link(target)  # before Graphviz and matplotlib spend time on it
    made = _build_deck(diagram, theme=theme_of(theme), split=split)
    if target is not None:
        make_folder(target.parent, inside=Path(diagram.path).parent)
        write_atomic(target, made.data, named=True)
    return made


def chart(diagram: Diagram, measure: str | Measure, format: str = "svg") -> bytes:
    """The run chart of one of the diagram's measures (by id) as svg, png or pdf bytes."""
    from .api import choose_measures
    from .measures import chart as charts

    if isinstance(measure, str):
        measure = choose_measures(diagram, measure)[0]
    return charts.chart(diagram, measure, format)


def chart_files(
    diagram: Diagram,
    measure: str | None = None,
    format: str | None = None,
    output: str | None = None,
) -> Iterator[tuple[str, str | bytes]]:
    """Draw the run chart of each measure with data (the ``chart`` command; see
    :func:`driverdiagram.batch.chart_targets` for ``output``), yielding what to tell
    the user as it goes: ``("note", text)``, ``("wrote", path)``, or ``("data", bytes)``
    for a chart meant for standard output."""
    from .api import choose_measures
    from .batch import chart_targets
    from .measures import chart as charts

    plan = chart_targets(diagram, choose_measures(diagram, measure), format, output)
    for note in plan.notes:
        yield "note", note
    for item, target in plan.targets:
        data = charts.chart(diagram, item, plan.format)
        if target is None:
            yield "data", data
            continue
        make_folder(target.parent, inside=Path(diagram.path).parent)
        write_atomic(target, data, named=plan.named)
        yield "wrote", str(target)


def build_site(
    paths: list[str] | tuple[str, ...] = (".",),
    output: str | os.PathLike[str] = "site",
    *,
    title: str | None = None,
    contact: str = "",
    theme: str | Theme = "default",
    since: str | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Built:
    """Build the partnership portal (the ``site`` command): a static web site of the
    diagrams in ``paths`` (files, or folders searched for diagram files) in the folder
    ``output``: a programme page, a page per diagram and per change idea, the charts,
    one stylesheet, relative links only. ``title`` heads the programme page;
    ``contact`` (an e-mail address) is where the forms' e-mails go, the coach's.

    ``output`` must be new, empty or a site built before (whose pages no diagram makes
    any more are removed). A diagram that is invalid is left out and its problems are
    in the result's ``problems``; the others are built. See
    :class:`driverdiagram.site.Built`.

    Each diagram page shows the file's history in git (its newest commits, each with
    what it changed in words), and the programme page what changed in every diagram
    ``since`` a revision (a commit, tag or branch) or a date ``YYYY-MM-DD``; by
    default a month before the newest commit. Outside git the pages say so.

    A rebuild draws again only the pages of the diagrams that changed (their file,
    data files, history, the theme or the tool; ``force`` draws all), ``jobs`` at once
    (default: one per CPU), calling ``progress(done, total)`` after each diagram. The
    site is changed only once every new page is ready: a build that fails part way
    leaves it as it was. The same inputs give the same bytes whatever ``jobs`` is."""
    from .site import build as _build_site

    return _build_site(
        list(paths),
        output,
        title=title,
        contact=contact,
        theme=theme_of(theme),
        since=since,
        jobs=jobs,
        force=force,
        progress=progress,
    )


def serve_site(
    paths: list[str] | tuple[str, ...] = (".",),
    output: str | os.PathLike[str] | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    title: str | None = None,
    contact: str = "",
    theme: str | Theme = "default",
    since: str | None = None,
    jobs: int | None = None,
    report: Callable[[Built | DiagramError], None] | None = None,
) -> Preview:
    """The live preview (the ``serve`` command): the site of ``paths`` built (into
    ``output``, or a temporary folder removed when it stops) and ready to be served on
    ``host``:``port`` (0: any free port; the preview's ``url`` says which). Its
    ``run()`` serves until interrupted, building again within a moment of each saved
    change to a file in the folders named and making the open page reload; ``report``
    hears of each build. It serves the site's files only (GET and HEAD), never
    anything outside the site, and accepts no uploads. The reload script is added to
    the pages as they are sent, never written into the site."""
    from .site.serve import Preview

    return Preview(
        list(paths),
        output,
        host=host,
        port=port,
        title=title,
        contact=contact,
        theme=theme_of(theme),
        since=since,
        jobs=jobs,
        report=report,
    )
