"""The partnership portal: ``site`` builds a static web site of a programme's diagrams."""

from __future__ import annotations

import click

import driverdiagram as dd

from .group import THEME_OPTION, count, find_theme, main, say


@main.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option(
    "-o",
    "--output",
    metavar="FOLDER",
    default="site",
    show_default=True,
    help="The folder to build the site in: new, empty, or a site built here before.",
)
@click.option(
    "--title",
    default=None,
    help="The heading of the programme page (default: Driver diagrams).",
)
@click.option(
    "--since",
    metavar="REV",
    default=None,
    help="What the programme page lists as changed since: a commit, tag or branch, or a"
    " date YYYY-MM-DD (default: a month before the newest commit).",
)
@THEME_OPTION
@click.pass_context
def site(
    ctx: click.Context,
    paths: tuple[str, ...],
    output: str,
    title: str | None,
    since: str | None,
    theme: str,
) -> None:
    """Build a static web site of the diagrams in each PATH (a diagram file, or a folder
    searched for them; default: this folder): a programme page with a card per
    diagram and what changed since --since, a page per diagram with its drawing
    (every box a link), outline, charts, PDSA log and history in git, and a page per
    change idea. It needs no server, no script and no network: open index.html, or
    put the folder on any web server.

    An invalid diagram is left out and its problems reported (exit status 1); the
    other diagrams are built.
    """
    built = dd.build_site(
        paths or (".",), output, title=title, theme=find_theme(theme), since=since
    )
    for line in dd.problem_lines(built.warnings):
        click.echo(line, err=True)
    for line in dd.problem_lines(built.problems):
        click.echo(line, err=True)
    pages = sum(1 for name in built.written if name.endswith(".html"))
    removed = f", {count(len(built.removed), 'old file')} removed" if built.removed else ""
    say(
        f"{count(pages, 'page')} and {count(len(built.written) - pages, 'other file')}{removed}",
        err=True,
    )
    say(f"{output.rstrip('/')}/index.html")
    ctx.exit(1 if built.problems else 0)
