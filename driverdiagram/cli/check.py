"""Checking diagrams: ``validate``, ``lint`` and the list of ``rules``."""

from __future__ import annotations

import datetime

import click

import driverdiagram as dd

from .group import DIAGRAMS_ONLY, PROBLEMS_FORMAT, Problems, count, main, say


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@PROBLEMS_FORMAT
@DIAGRAMS_ONLY
@click.pass_context
def validate(
    ctx: click.Context, files: tuple[str, ...], output_format: str, diagrams_only: bool
) -> None:
    """Check that each FILE is a valid driver diagram.

    Prints 'FILE: ok' for each valid file. Problems go to standard error as
    'FILE:LINE:COLUMN: error: MESSAGE', and so do warnings, such as a text cut
    short by a ' #', which leave the file valid. Exit status 1 if any file is
    invalid. Use - to read standard input.
    """
    output = Problems(output_format)
    for checked in dd.validate(files, diagrams_only=diagrams_only):
        diagram = checked.diagram
        if diagram is None:
            output.show(checked.problems, err=True)
            continue
        output.note(checked.notes)
        boxes, links = count(len(diagram.nodes), "box"), count(len(diagram.links), "link")
        output.result(f"{diagram.path}: ok ({boxes}, {links})")
    output.close()
    ctx.exit(1 if output.count else 0)


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@PROBLEMS_FORMAT
@DIAGRAMS_ONLY
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Run only these rules (comma-separated codes, e.g. DD101,DD102).",
)
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The date to judge 'updated' against (default: today).",
)
@click.pass_context
def lint(
    ctx: click.Context,
    files: tuple[str, ...],
    output_format: str,
    diagrams_only: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    today: datetime.datetime | None,
) -> None:
    """Check that each FILE is a good driver diagram, as a coach reviewing it would.

    Runs 'validate' first, then the coaching rules (see 'driverdiagram rules').
    Settings come from [tool.driverdiagram] in the nearest pyproject.toml or
    from driverdiagram.toml; --select and --ignore override them. Silence one
    finding on one box with a comment on its first line:
    '# driverdiagram: ignore DD108'. Prints 'FILE: ok' for a file with no
    findings. Exit status 1 if anything is found.
    """
    output = Problems(output_format)
    checked_files = dd.lint_files(
        files,
        diagrams_only=diagrams_only,
        select=select,
        ignore=ignore,
        today=today.date() if today else None,
    )
    for checked in checked_files:
        output.note(checked.notes)
        output.show(checked.problems, err=checked.diagram is None)
        if checked.diagram is not None and not checked.problems:
            output.result(f"{checked.diagram.path}: ok")
    output.close()
    ctx.exit(1 if output.count else 0)


@main.command()
def rules() -> None:
    """List the coaching rules that 'lint' runs, with their codes."""
    for code, name, summary in dd.rules():
        say(f"{code}  {name.ljust(16)}  {summary}")


@main.command()
def schema() -> None:
    """Print the JSON Schema of the diagram format, for editors.

    Save it beside your diagrams and point your editor's YAML language server
    at it (see docs/writing.md), to get completion, help on hover and red
    squiggles as you type.
    """
    say(dd.schema(), nl=False)


@main.command()
@click.pass_context
def doctor(ctx: click.Context) -> None:
    """Check what driverdiagram uses on this computer.

    Graphviz (needed to draw), the font the layout is measured for, a
    Chromium-family browser (for PDF papers), LibreOffice (to open slides and Word
    papers) and git (for versions): where each was found and its version, what it
    is for, and for each one missing the command that installs it here. Exit
    status 1 if Graphviz is missing.
    """
    checks = dd.doctor()
    say("\n".join(dd.doctor_report(checks)))
    ctx.exit(0 if all(check.found for check in checks if check.required) else 1)
