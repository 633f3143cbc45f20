"""Meeting papers and slides: ``report`` writes a paper as Word, HTML, Markdown or PDF,
``slides`` a PowerPoint deck."""

from __future__ import annotations

import click

import driverdiagram as dd

from .group import PAGE_CHOICE, THEME_OPTION, find_theme, main, say


@main.command()
@click.argument("file", metavar="FILE")
@click.option(
    "-o",
    "--output",
    metavar="PAPER",
    required=True,
    help="The paper to write: .docx (Word), .html (one self-contained file), .md (with the"
    " picture as an .svg beside it) or .pdf (printed by Chromium).",
)
@click.option(
    "--page",
    type=PAGE_CHOICE,
    default="a4",
    show_default=True,
    help="The paper size (landscape).",
)
@THEME_OPTION
@click.option(
    "--template",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A Word document whose styles the .docx paper uses.",
)
@click.option(
    "--focus",
    metavar="ID",
    help="A paper about this box: its way to the aim and everything under it"
    " ('driverdiagram outline --ids' shows the ids).",
)
@click.option(
    "--depth",
    type=click.IntRange(1, 4),
    default=None,
    help="Page 1 shows only the boxes this many links from the aim (1: primary drivers);"
    " the tables still list every change idea.",
)
@click.option(
    "--split",
    is_flag=True,
    help="A page for each primary driver after page 1 (chosen by itself when the whole"
    " diagram would print below 8 pt).",
)
def report(
    file: str,
    output: str,
    page: str,
    theme: str,
    template: str | None,
    focus: str | None,
    depth: int | None,
    split: bool,
) -> None:
    """Write a meeting paper from FILE: title, team and date, the aim, the diagram, a
    table of the change ideas by primary and secondary driver with their status,
    counts by status, charts and PDSA cycles, a text outline and the notes. When the
    whole diagram would print below 8 pt, page 1 shows its first levels and a page
    follows for each primary driver."""
    look = find_theme(theme)
    notes = dd.paper(
        dd.load(file),
        output,
        theme=look,
        page=page,
        template=template,
        focus=focus,
        depth=depth,
        split=split,
    )
    for note in notes:
        say(note, err=True)
    say(output)


@main.command()
@click.argument("file", metavar="FILE")
@click.option(
    "-o",
    "--output",
    metavar="DECK",
    required=True,
    help="The deck to write, ending in .pptx (PowerPoint; LibreOffice and Keynote open it).",
)
@click.option(
    "--split",
    is_flag=True,
    help="A slide per primary driver (the aim, that driver and all under it) instead of"
    " the whole diagram on one slide.",
)
@THEME_OPTION
def slides(file: str, output: str, split: bool, theme: str) -> None:
    """Write a PowerPoint deck from FILE that the team can edit: a title slide, the
    diagram as native boxes and connectors placed as Graphviz places them (moving a
    box drags its lines), a slide per measure's chart with its verdict, and the PDSA
    cycles as a table."""
    look = find_theme(theme)
    made = dd.deck(dd.load(file), output, split=split, theme=look)
    for note in made.notes:
        say(note, err=True)
    say(output)
