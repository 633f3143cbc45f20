"""Starting out: ``new`` makes a diagram from a template; ``templates`` lists them."""

from __future__ import annotations

import click

import driverdiagram as dd

from .group import main, say


@main.command()
def templates() -> None:
    """List the starter templates for 'driverdiagram new'."""
    found = dd.list_templates()
    width = max(len(name) for name in found)
    for name, description in found.items():
        say(f"{name.ljust(width)}  {description}")


@main.command()
@click.argument("file", metavar="FILE")
@click.option(
    "-t",
    "--template",
    default=dd.DEFAULT_TEMPLATE,
    show_default=True,
    help="The template to start from ('driverdiagram templates' lists them).",
)
@click.option("--force", is_flag=True, help="Replace FILE if it already exists.")
@click.option(
    "--schema/--no-schema",
    default=True,
    show_default=True,
    help="Point editors at the format's JSON Schema, writing driverdiagram.schema.json"
    " beside FILE when no folder above it has one.",
)
def new(file: str, template: str, force: bool, schema: bool) -> None:
    """Start a new diagram FILE from a template.

    Refuses to replace an existing file unless --force is given. Use - to print
    the template instead.
    """
    if file == "-":
        say(dd.template_text(template), nl=False)
        return
    for note in dd.new(file, template, force=force, schema=schema):
        say(note, err=True)
    say(file)
    say(f"Next: edit {file}, then run: driverdiagram render {file}", err=True)
