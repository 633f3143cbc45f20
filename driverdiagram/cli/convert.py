"""Other formats: ``export`` a diagram, ``import`` one from JSON, CSV or an outline."""

from __future__ import annotations

import click

import driverdiagram as dd

from .group import main, say, tell_notes


@main.command()
@click.argument("file", metavar="FILE")
@click.option(
    "--to",
    "to",
    type=click.Choice(list(dd.EXPORTS)),
    required=True,
    help="; ".join(f"{kind}: {what}" for kind, what in dd.EXPORTS.items()) + ".",
)
@click.option("-o", "--output", metavar="PATH", help="Write here instead of standard output.")
def export(file: str, to: str, output: str | None) -> None:
    """Export FILE as Markdown, Mermaid, CSV or JSON."""
    diagram = dd.load(file, data="optional")
    tell_notes(diagram)
    _write(dd.export(diagram, to), output, diagram.path)


@main.command("import")
@click.argument("file", metavar="FILE")
@click.option(
    "-o", "--output", metavar="PATH", help="Write the YAML here (default: standard output)."
)
@click.option("--force", is_flag=True, help="Replace PATH if it already exists.")
@click.option(
    "--sheet",
    metavar="NAME",
    help="The sheet of an Excel workbook to read (default: the first).",
)
def import_(file: str, output: str | None, force: bool, sheet: str | None) -> None:
    """Turn FILE into driver diagram YAML: a JSON or CSV export, a FreeSPC CSV, a
    spreadsheet with one row per change idea (saved as CSV, or an Excel workbook,
    .xlsx; columns such as Aim, Primary driver, Secondary driver, Change idea,
    Status; a blank cell means "same as above"), or an indented outline (Markdown
    list or plain text). The format is told from the file name and contents.
    """
    if output not in (None, "-") and not force:
        dd.refuse_existing(output)
    diagram = dd.read(file, sheet=sheet)
    tell_notes(diagram)  # a CSV read as Windows-1252, say
    _write(dd.to_yaml(diagram), output, file)


def _write(text: str, output: str | None, source: str) -> None:
    """Text to standard output, or (atomically) to the file named, saying so."""
    if output is None or output == "-":
        click.echo(text, nl=False)  # exactly the export: it is inert by construction
        return
    dd.write_text(text, output, source=source)
    say(output, err=True)
