"""The ``driverdiagram`` group: its global options (the limits), the options commands
share, and the one place an error reaches the user.

Commands raise; they never print an error or exit themselves. :class:`Command` turns
a :class:`~driverdiagram.DiagramError` into its located lines on standard error and
exit status 1 (2 for ``diff``, like diff), an :class:`~driverdiagram.OptionError`
into a usage error (exit status 2), and every message shows control characters
instead of obeying them.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import IO, Any, TypeVar

import click

import driverdiagram as dd

F = TypeVar("F", bound=Callable[..., Any])


def say(text: str, *, err: bool = False, nl: bool = True) -> None:
    """A line for the user, with any control character in it shown, not obeyed: file
    names and diagram text can carry terminal escape sequences."""
    click.echo(dd.visible(text), err=err, nl=nl)


def tell_notes(diagram: dd.Diagram) -> None:
    """Say on standard error what the reader warned of (a text cut short by ' #', a CSV
    read as Windows-1252) and, once each, the data files that were absent and left out."""
    for line in dd.problem_lines((*diagram.warnings, *diagram.unread)):
        click.echo(line, err=True)


class Failed(click.ClickException):
    """Problems found: each on its own line on standard error, then an exit status."""

    def __init__(self, problems: tuple[dd.Problem, ...], exit_code: int = 1) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems
        self.exit_code = exit_code  # type: ignore[misc]  # click's is a class default

    def show(self, file: IO[Any] | None = None) -> None:
        for line in dd.problem_lines(self.problems):
            click.echo(line, err=True)


class Command(click.Command):
    """A command whose errors reach the user through :class:`Failed` or as a usage
    error. ``trouble_exit`` is the exit status for a DiagramError (``diff`` says 2:
    1 means the versions differ)."""

    def __init__(self, *args: Any, trouble_exit: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trouble_exit = trouble_exit

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except dd.DiagramError as error:
            raise Failed(error.problems, self.trouble_exit) from error
        except dd.OptionError as error:
            raise click.UsageError(dd.visible(str(error)), ctx) from error


#: The module of driverdiagram.cli that defines each command of the top group, imported
#: when the command runs or its help is shown: ``render`` loads none of the others.
HOMES = {
    "analyse": "measures",
    "chart": "measures",
    "data": "measures",
    "diff": "history",
    "doctor": "check",
    "export": "convert",
    "import": "convert",
    "lint": "check",
    "new": "start",
    "outline": "history",
    "pdsa": "measures",
    "reflect": "practice",
    "render": "draw",
    "report": "papers",
    "rules": "check",
    "schema": "check",
    "serve": "portal",
    "site": "portal",
    "slides": "papers",
    "status": "measures",
    "templates": "start",
    "themes": "draw",
    "validate": "check",
}


class Group(click.Group):
    """The top of the command line: each command a :class:`Command`; a failure to write
    the results (a full disk behind standard output) is one line, not a traceback;
    usage errors, which quote what was typed, show its control characters. The top
    group's commands are defined in the modules :data:`HOMES` names, each imported
    when first wanted."""

    command_class = Command
    group_class = type  # a group's groups (pdsa, data) are Groups too, their commands Commands

    def __init__(self, *args: Any, homes: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.homes = homes or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.homes})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.homes:
            importlib.import_module(f"driverdiagram.cli.{self.homes[cmd_name]}")
        return super().get_command(ctx, cmd_name)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with _visible_usage_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _visible_usage_errors():
                return super().invoke(ctx)
        except OSError as error:
            if error.errno == errno.EPIPE:
                raise  # click ends quietly when a reader such as `head` goes away
            with contextlib.suppress(OSError):
                say(
                    f"driverdiagram: error: cannot write the output ({error.strerror or error})",
                    err=True,
                )
            ctx.exit(1)


class DefaultGroup(Group):
    """A group of commands in which one runs when none is named: ``pdsa FILE`` is
    ``pdsa list FILE``, as it was before ``pdsa add`` (a file called like a command
    is named ``./add``)."""

    def __init__(self, *args: Any, default: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default = default

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default, *args]
        return super().parse_args(ctx, args)


@contextlib.contextmanager
def _visible_usage_errors() -> Iterator[None]:
    try:
        yield
    except click.ClickException as error:
        error.message = dd.visible(error.message)  # type: ignore[misc]  # click marks it Final
        raise


class Amount(click.FloatRange):
    """A finite number in a range: 'inf' and 'nan' are refused as usage errors."""

    def __init__(self, most: float) -> None:
        super().__init__(min=0, max=most, min_open=True)

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        number = float(super().convert(value, param, ctx))
        if not math.isfinite(number):  # nan passes every comparison of FloatRange
            self.fail(f"{value!r} is not a number above 0.", param, ctx)
        return number


def _version(ctx: click.Context) -> None:
    """driverdiagram's version and the Graphviz it would draw with."""
    graphviz = dd.doctor()[0]
    found = (
        f"Graphviz {graphviz.version or '(version unknown)'} at {graphviz.where}"
        if graphviz.found
        else "Graphviz not found (run 'driverdiagram doctor')"
    )
    click.echo(f"driverdiagram {dd.__version__}\n{found}")
    ctx.exit()


@click.group(cls=Group, homes=HOMES, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    "-V",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _, value: _version(ctx) if value else None,
    help="Show the version, and the Graphviz found, and exit.",
)
@click.option(
    "--max-file-mb",
    type=Amount(most=100_000),
    default=dd.Limits().file_bytes / 2**20,
    show_default=True,
    help="Refuse diagram and data files larger than this.",
)
@click.option(
    "--max-boxes",
    type=click.IntRange(min=1),
    default=dd.Limits().boxes,
    show_default=True,
    help="Refuse diagrams with more boxes.",
)
@click.option(
    "--max-depth",
    type=click.IntRange(min=1, max=1000),
    default=dd.Limits().depth,
    show_default=True,
    help="Refuse YAML nested deeper.",
)
@click.option(
    "--max-text",
    type=click.IntRange(min=1),
    default=dd.Limits().text,
    show_default=True,
    help="Refuse box texts longer than this many characters.",
)
@click.option(
    "--dot-timeout",
    type=Amount(most=86_400),
    default=dd.Limits().dot_timeout,
    show_default=True,
    metavar="SECONDS",
    help="Stop Graphviz (and Chromium, printing a paper) after this long.",
)
@click.option(
    "--allow-outside-data",
    is_flag=True,
    help="Let a measure's 'data:' read files outside the diagram's folder and its git"
    " repository (only for diagrams you trust).",
)
@click.pass_context
def main(
    ctx: click.Context,
    max_file_mb: float,
    max_boxes: int,
    max_depth: int,
    max_text: int,
    dot_timeout: float,
    allow_outside_data: bool,
) -> None:
    """Write, check and draw driver diagrams for quality improvement.

    A driver diagram is kept in a YAML file: one aim, the primary and secondary
    drivers that move it, and the change ideas to test. Start with:

    \b
        driverdiagram new falls.yaml
        driverdiagram render falls.yaml

    The --max-... options and --dot-timeout raise the limits that turn a runaway
    file into a clear error; they go before the command.
    """
    _stop_cleanly_on_sigterm()
    # in force for this command only (a test's next command starts from the defaults)
    ctx.with_resource(
        dd.limits(
            file_bytes=max(1, int(max_file_mb * 2**20)),
            boxes=max_boxes,
            depth=max_depth,
            text=max_text,
            dot_timeout=dot_timeout,
            outside_data=allow_outside_data,
        )
    )


def _stop_cleanly_on_sigterm() -> None:
    """Let a SIGTERM (a closed terminal, a CI job cancelled) end the run as Ctrl-C does:
    temporary files and folders removed, Chromium and Graphviz stopped."""

    def stop(number: int, frame: object) -> None:
        raise SystemExit(128 + number)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


def write_bytes(data: bytes) -> None:
    """Bytes (a drawing) to standard output."""
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


# -- options several commands share -----------------------------------------------------------

#: A batch at least this long shows a progress bar on a terminal.
PROGRESS_FROM = 10

THEME_OPTION = click.option(
    "--theme",
    default="default",
    show_default=True,
    metavar="NAME|FILE",
    help="default, print (greyscale-safe), colourblind, high-contrast, or a theme file"
    " ('driverdiagram themes' lists them).",
)

PROBLEMS_FORMAT = click.option(
    "--format",
    "output_format",
    type=click.Choice(dd.PROBLEM_FORMATS),
    default="text",
    show_default=True,
    help="text: FILE:LINE:COLUMN lines; json: one array of problems on standard output;"
    " github: GitHub Actions annotations on standard output.",
)

DIAGRAMS_ONLY = click.option(
    "--diagrams-only",
    is_flag=True,
    help="Pass over YAML files that are not driver diagrams (for pre-commit hooks): a"
    " diagram names driverdiagram's schema in its editor line or has top-level 'aim:'"
    " and 'primary:'.",
)

PAGE_CHOICE = click.Choice(dd.PAGES)


def find_theme(name: str) -> Any:
    """A theme by name or file; a name that is neither is a usage error, a theme file's
    problems are located errors."""
    if name not in dd.themes() and not os.path.exists(name):
        raise click.BadParameter(
            f"no theme called '{name}' and no such file; use one of"
            f" {', '.join(dd.themes())}, or the path of a theme file",
            param_hint="--theme",
        )
    return dd.theme(name)


class Problems:
    """Problems in the chosen format: text and annotations go out as found, JSON as one
    array once every file has been read. ``count`` says how many there were."""

    def __init__(self, output_format: str) -> None:
        self.format = output_format
        self.collected: list[dd.Problem] = []
        self.count = 0

    def show(self, problems: list[dd.Problem] | tuple[dd.Problem, ...], err: bool) -> None:
        self.count += len(problems)
        if self.format == "json":
            self.collected += problems
            return
        for line in dd.problem_lines(problems, self.format):
            click.echo(line, err=err and self.format == "text")

    def note(self, problems: list[dd.Problem] | tuple[dd.Problem, ...]) -> None:
        """Warnings and notes that do not make a file fail: on standard error as text,
        with the problems in JSON and annotations, and not counted."""
        if self.format == "json":
            self.collected += problems
            return
        for line in dd.problem_lines(problems, self.format):
            click.echo(line, err=self.format == "text")

    def result(self, line: str) -> None:
        """A line for a person (``FILE: ok``); only the text format has them."""
        if self.format == "text":
            say(line)

    def close(self) -> None:
        if self.format == "json":
            click.echo(dd.problem_lines(self.collected, "json")[0])


def count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}{'es' if noun == 'box' else 's'}"
