"""Versions of a diagram: ``diff`` two of them, or print the ``outline`` git diffs."""

from __future__ import annotations

import click

import driverdiagram as dd

from .group import THEME_OPTION, find_theme, main, say, tell_notes


@main.command(trouble_exit=2)
@click.argument("sides", nargs=-1, metavar="OLD NEW | --rev REV FILE")
@click.option("--rev", metavar="REV", help="Compare FILE now with FILE at this git revision.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(dd.CHANGE_FORMATS),
    default="text",
    show_default=True,
    help="text for people, json for programs, markdown for a pull-request comment.",
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    help="Also draw the new diagram with the changes marked, to PATH (.svg, .pdf or .png).",
)
@THEME_OPTION
@click.pass_context
def diff(
    ctx: click.Context,
    sides: tuple[str, ...],
    rev: str | None,
    output_format: str,
    output: str | None,
    theme: str,
) -> None:
    """Say what changed between two versions of a diagram.

    OLD and NEW are files, or REV:PATH to read a file from git
    (HEAD~1:diagrams/falls.yaml); '--rev REV FILE' compares FILE with itself at
    REV. Exit status: 0 the same, 1 different, 2 trouble (like diff).
    """
    if rev is not None:
        if len(sides) != 1:
            raise click.UsageError("--rev REV takes one FILE")
        old, new = dd.load_version(sides[0], rev=rev), dd.load_version(sides[0])
        old_name, new_name = old.path, sides[0]
    elif len(sides) == 2:
        old_name, new_name = sides
        old, new = dd.load_version(old_name), dd.load_version(new_name)
    else:
        raise click.UsageError("give OLD and NEW, or --rev REV FILE")
    changes = dd.compare(old, new)
    if output is not None:
        dd.render_changes(old, new, output, theme=find_theme(theme))
        say(f"drew the changes in {output}", err=True)
    click.echo(dd.describe_changes(changes, old_name, new_name, output_format), nl=False)
    ctx.exit(1 if changes else 0)


@main.command()
@click.argument("file", metavar="FILE")
@click.option(
    "--textconv",
    is_flag=True,
    help="For git's textconv: print a file that is not a valid diagram as it is, and"
    " succeed, so 'git diff' still works on it.",
)
def outline(file: str, textconv: bool) -> None:
    """Print FILE as an indented plain-text outline, with ids and statuses.

    It is the diagram's text alternative, and what 'git diff' shows once the
    textconv set-up in docs/git.md is in place.
    """
    if textconv:
        say(dd.textconv(file), nl=False)
        return
    diagram = dd.load(file, data="optional")
    tell_notes(diagram)
    say(dd.outline(diagram, ids=True), nl=False)
