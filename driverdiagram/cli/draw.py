"""Drawing: ``render`` (many files at once, on all cores) and the list of ``themes``."""

from __future__ import annotations

import contextlib
import sys

import click

import driverdiagram as dd

from .group import PAGE_CHOICE, PROGRESS_FROM, THEME_OPTION, find_theme, main, say, write_bytes


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "-f",
    "--format",
    "formats",
    type=click.Choice(dd.FORMATS),
    multiple=True,
    help="Output format; repeat for several. Default: svg (or the -o file's extension).",
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    help="A folder (existing, or ending in /), a file name (one input and one format),"
    " or - for standard output. Default: next to each input.",
)
@click.option(
    "--arrows",
    type=click.Choice(dd.ARROWS),
    default="none",
    show_default=True,
    help="Arrowheads on the links: none, pointing to the aim, or away from it.",
)
@click.option(
    "--layout",
    type=click.Choice(dd.LAYOUTS),
    default="auto",
    show_default=True,
    help="Who places the boxes: Graphviz dot, driverdiagram's own layout (seconds for"
    " thousands of boxes, where dot takes minutes), or auto (own from 1,000 boxes).",
)
@click.option(
    "--dpi",
    type=click.IntRange(10, 2400),
    default=None,
    help="Resolution of PNG output, dots per inch (default 150).",
)
@THEME_OPTION
@click.option(
    "--focus",
    metavar="ID",
    help="Draw only this box, its path to the aim and everything under it"
    " ('driverdiagram outline' shows the ids).",
)
@click.option(
    "--page",
    type=PAGE_CHOICE,
    default=None,
    help="Fit the drawing to this paper (landscape; 10 mm margins), warning when its text"
    " would print below 8 pt.",
)
@click.option("--portrait", is_flag=True, help="With --page: the page upright.")
@click.option(
    "--split",
    is_flag=True,
    help="PDF only: one page per primary driver (each with the aim), in one file.",
)
@click.option(
    "--depth",
    type=click.IntRange(1, 4),
    default=None,
    help="Draw only the boxes this many links from the aim (1: primary drivers),"
    " noting how many boxes each folds away.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Draw this many files at once (default: the number of CPUs).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Draw every file again, even when its drawing is up to date.",
)
@click.pass_context
def render(
    ctx: click.Context,
    files: tuple[str, ...],
    formats: tuple[str, ...],
    output: str | None,
    theme: str,
    jobs: int | None,
    force: bool,
    **options: object,
) -> None:
    """Draw each FILE as SVG, PDF, PNG or Graphviz DOT.

    Writes next to each input with the same name and the format's extension
    (falls.yaml -> falls.svg) unless -o says otherwise, and prints each path
    written. A file is replaced only by a complete new drawing, and never the
    input itself. Many files are drawn on all cores (-j), and a drawing whose
    inputs, options and tools have not changed since it was written is left as
    it is (--force draws it again).
    """
    rendering = dd.render_files(
        files, formats, output, theme=find_theme(theme), jobs=jobs, force=force, **options
    )
    bar = None
    if len(rendering) >= PROGRESS_FROM and sys.stderr.isatty():
        bar = click.progressbar(length=len(rendering), label="drawing", file=sys.stderr)
    with bar or contextlib.nullcontext():
        for outcome in rendering:
            if bar is not None:
                sys.stderr.write("\r\033[K")  # clear the bar's line for the outcome's lines
            for to_stderr, line in outcome.lines:
                say(line, err=to_stderr)
            if outcome.data:
                write_bytes(outcome.data)
            if bar is not None:
                bar.update(1)
    if rendering.cache_problem:
        say(
            f"note: cannot keep the record of what was drawn ({rendering.cache_problem});"
            " the next run draws everything again",
            err=True,
        )
    if rendering.fresh:
        what = "drawing is" if rendering.fresh == 1 else "drawings are"
        them = "it is" if rendering.fresh == 1 else "they are"
        say(
            f"{rendering.fresh} {what} up to date and left as {them} (--force draws again)",
            err=True,
        )
    ctx.exit(1 if rendering.failed else 0)


@main.command()
def themes() -> None:
    """List the built-in themes for --theme (a theme file works too; see docs/themes.md)."""
    found = dd.themes()
    width = max(len(name) for name in found)
    for name, description in found.items():
        say(f"{name.ljust(width)}  {description}")
