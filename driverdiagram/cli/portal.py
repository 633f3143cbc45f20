"""The partnership portal: ``site`` builds a static web site of a programme's diagrams."""

from __future__ import annotations

import signal
import sys
from typing import Any

import click

import driverdiagram as dd

from .group import PROGRESS_FROM, THEME_OPTION, count, find_theme, main, say


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
    "--contact",
    metavar="EMAIL",
    default="",
    help="The coach's e-mail address: the forms' e-mails to report a cycle or a month"
    " go to it (default: the partner fills the address in).",
)
@click.option(
    "--since",
    metavar="REV",
    default=None,
    help="What the programme page lists as changed since: a commit, tag or branch, or a"
    " date YYYY-MM-DD (default: a month before the newest commit).",
)
@THEME_OPTION
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Draw this many diagrams at once (default: the number of CPUs).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Draw every page again, even those up to date.",
)
@click.pass_context
def site(
    ctx: click.Context,
    paths: tuple[str, ...],
    output: str,
    title: str | None,
    contact: str,
    since: str | None,
    theme: str,
    jobs: int | None,
    force: bool,
) -> None:
    """Build a static web site of the diagrams in each PATH (a diagram file, or a folder
    searched for them; default: this folder): a programme page with a card per
    diagram and what changed since --since, a page per diagram with its drawing
    (every box a link), outline, charts, PDSA log and history in git, and a page per
    change idea. It needs no server, no script and no network: open index.html, or
    put the folder on any web server.

    An invalid diagram is left out and its problems reported (exit status 1); the
    other diagrams are built. Only the pages of diagrams that changed since the last
    build are drawn again (--force draws all), on all cores (-j), and the site is
    changed only once every new page is ready.
    """
    with Progress() as progress:
        built = dd.build_site(
            paths or (".",),
            output,
            title=title,
            contact=contact,
            theme=find_theme(theme),
            since=since,
            jobs=jobs,
            force=force,
            progress=progress.update,
        )
    for line in dd.problem_lines(built.warnings):
        click.echo(line, err=True)
    for line in dd.problem_lines(built.problems):
        click.echo(line, err=True)
    say(summary(built), err=True)
    say(f"{output.rstrip('/')}/index.html")
    ctx.exit(1 if built.problems else 0)


def summary(built: Any) -> str:
    """'66 pages and 25 other files (3 written, the others up to date), 1 old file
    removed': what a build did, in a line."""
    files = built.files
    pages = sum(1 for name in files if name.endswith(".html"))
    line = f"{count(pages, 'page')} and {count(len(files) - pages, 'other file')}"
    if built.kept:
        line += (
            " (all up to date)"
            if not built.written
            else f" ({len(built.written)} written, the others up to date)"
        )
    if built.removed:
        line += f", {count(len(built.removed), 'old file')} removed"
    return line


class Progress:
    """A progress bar of the diagrams drawn, on a terminal only (standard error is
    one): nothing at all when the output goes to a file or a pipe."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __enter__(self) -> Progress:
        return self

    def update(self, done: int, total: int) -> None:
        if total < PROGRESS_FROM or not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="drawing", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            sys.stderr.write("\r\033[K")  # the bar's line cleared for what follows


@main.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option(
    "-o",
    "--output",
    metavar="FOLDER",
    default=None,
    help="Build the site in this folder (new, empty or a site built before) and keep it"
    " (default: a temporary folder, removed when the preview stops).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port to serve on (0: any free port).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to serve on: 127.0.0.1 is this computer only; 0.0.0.0 (or this"
    " computer's address) shares the preview with the local network.",
)
@click.option("--title", default=None, help="The heading of the programme page.")
@click.option(
    "--contact",
    metavar="EMAIL",
    default="",
    help="The address the forms' e-mails go to (as for 'site').",
)
@click.option(
    "--since",
    metavar="REV",
    default=None,
    help="What the programme page lists as changed since (as for 'site').",
)
@THEME_OPTION
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Draw this many diagrams at once (default: the number of CPUs).",
)
def serve(
    paths: tuple[str, ...],
    output: str | None,
    port: int,
    host: str,
    title: str | None,
    contact: str,
    since: str | None,
    theme: str,
    jobs: int | None,
) -> None:
    """A live preview of the site while you edit: build the site of each PATH (as
    'site' does; default: this folder), serve it at http://127.0.0.1:8000/, and build
    it again as soon as a diagram or data file is saved, the open page reloading by
    itself. Ctrl-C stops it.

    It shows the site's files and nothing else, and accepts no uploads. The reload is
    added to each page as it is sent: the site itself (with -o) is the same as
    'site' builds.
    """
    preview = dd.serve_site(
        paths or (".",),
        output,
        host=host,
        port=port,
        title=title,
        contact=contact,
        theme=find_theme(theme),
        since=since,
        jobs=jobs,
        report=_reported,
    )
    for line in dd.problem_lines(preview.built.warnings):
        click.echo(line, err=True)
    for line in dd.problem_lines(preview.built.problems):
        click.echo(line, err=True)
    if not preview.local:
        say(
            f"warning: the preview is shared on {host}, port {preview.port}: anyone on a"
            " network that reaches this computer (the same Wi-Fi, say) can read every"
            " diagram in it, its data and its history. Use --host 127.0.0.1 to keep it to"
            " this computer.",
            err=True,
        )
    say(f"{summary(preview.built)}; serving at (Ctrl-C stops it):", err=True)
    say(preview.url)
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, _stop)  # stopped by the system as by Ctrl-C: tidily
    try:
        preview.run()
    except KeyboardInterrupt:
        say("stopped", err=True)


def _stop(number: int, frame: object) -> None:
    raise KeyboardInterrupt


def _reported(outcome: Any) -> None:
    """What a build of the live preview did, in a line or two on standard error."""
    if isinstance(outcome, dd.DiagramError):
        for line in dd.problem_lines(outcome.problems):
            click.echo(line, err=True)
        say("the preview still shows the last site built", err=True)
        return
    for line in dd.problem_lines(outcome.problems):
        click.echo(line, err=True)
    if outcome.written or outcome.removed or outcome.problems:
        say(f"rebuilt: {summary(outcome)}", err=True)
