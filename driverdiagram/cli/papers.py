"""Meeting papers: ``report`` writes one as Word, HTML, Markdown or PDF."""

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
def report(file: str, output: str, page: str, theme: str, template: str | None) -> None:
    """Write a meeting paper from FILE: title, team and date, the aim, the diagram, a
    table of every driver with its change ideas and status, counts by status, a text
    outline and the notes."""
    look = find_theme(theme)
    for note in dd.paper(dd.load(file), output, theme=look, page=page, template=template):
        say(note, err=True)
    say(output)
