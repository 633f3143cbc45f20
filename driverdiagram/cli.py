"""The ``driverdiagram`` command: a thin click layer over the Python API."""

from __future__ import annotations

import contextlib
import datetime
import errno
import itertools
import math
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import __version__
from .errors import DiagramError, GraphvizNotFound, InvalidDiagram, Location, Problem
from .limits import DEFAULT as DEFAULT_LIMITS
from .limits import limits
from .text import json_text, visible

if TYPE_CHECKING:
    from .batch import Job, Options, Outcome
    from .limits import Limits
    from .model import Diagram, Measure
    from .style import Theme

FORMATS = ("svg", "pdf", "png", "dot")  # kept in step with render.FORMATS (tested)
ARROWS = ("none", "to-aim", "from-aim")
STDIN_NAME = "<stdin>"


class _Group(click.Group):
    """Turns a failure to write results (a full disk behind standard output) into
    a one-line error instead of a traceback. Every other OSError is caught
    where it happens and reported as a DiagramError. Usage errors, which quote
    what was typed, show its control characters instead of sending them."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with _visible_usage_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> object:
        try:
            with _visible_usage_errors():
                return super().invoke(ctx)
        except OSError as error:
            if error.errno == errno.EPIPE:
                raise  # click ends quietly when a reader such as `head` goes away
            with contextlib.suppress(OSError):
                _say(
                    f"driverdiagram: error: cannot write the output ({error.strerror or error})",
                    err=True,
                )
            sys.exit(1)


@contextlib.contextmanager
def _visible_usage_errors() -> Iterator[None]:
    try:
        yield
    except click.ClickException as error:
        error.message = visible(error.message)  # type: ignore[misc]  # click marks it Final
        raise


class _Amount(click.FloatRange):
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


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="driverdiagram")
@click.option(
    "--max-file-mb",
    type=_Amount(most=100_000),
    default=DEFAULT_LIMITS.file_bytes / 2**20,
    show_default=True,
    help="Refuse diagram and data files larger than this.",
)
@click.option(
    "--max-boxes",
    type=click.IntRange(min=1),
    default=DEFAULT_LIMITS.boxes,
    show_default=True,
    help="Refuse diagrams with more boxes.",
)
@click.option(
    "--max-depth",
    type=click.IntRange(min=1, max=1000),
    default=DEFAULT_LIMITS.depth,
    show_default=True,
    help="Refuse YAML nested deeper.",
)
@click.option(
    "--max-text",
    type=click.IntRange(min=1),
    default=DEFAULT_LIMITS.text,
    show_default=True,
    help="Refuse box texts longer than this many characters.",
)
@click.option(
    "--dot-timeout",
    type=_Amount(most=86_400),
    default=DEFAULT_LIMITS.dot_timeout,
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
        limits(
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
    import signal
    import threading

    def stop(number: int, frame: object) -> None:
        raise SystemExit(128 + number)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


def _say(text: str, *, err: bool = False, nl: bool = True) -> None:
    """A line for the user, with any control character in it shown, not obeyed: file
    names and diagram text can carry terminal escape sequences."""
    click.echo(visible(text), err=err, nl=nl)


def _report(error: DiagramError) -> None:
    """Where a DiagramError reaches the user outside validate and lint: one line each."""
    _Output("text").problems(error.problems, err=True)


def _read(name: str) -> tuple[str, str]:
    """The text of a diagram file and the name to report it by (``-`` is standard input)."""
    from .limits import current
    from .readers.diagram import read, text_of

    if name == "-":
        return text_of(sys.stdin.buffer.read(current().file_bytes + 1), STDIN_NAME), STDIN_NAME
    return read(name), name


def _load(name: str) -> Diagram:
    """Load a diagram from a path, or from standard input for ``-``."""
    from . import load

    return load(name)


DIAGRAMS_ONLY = click.option(
    "--diagrams-only",
    is_flag=True,
    help="Pass over YAML files that are not driver diagrams (for pre-commit hooks): a"
    " diagram names driverdiagram's schema in its editor line or has top-level 'aim:'"
    " and 'primary:'.",
)


def _diagrams(files: tuple[str, ...], only: bool) -> list[str]:
    """The files to check; with ``only``, those that look like driver diagrams."""
    if not only:
        return list(files)
    from .files import read_bytes
    from .readers.diagram import looks_like_diagram

    kept = []
    for name in files:
        try:
            data = read_bytes(name)
        except DiagramError:
            kept.append(name)  # let the check report it
            continue
        if looks_like_diagram(data):
            kept.append(name)
    return kept


THEME_OPTION = click.option(
    "--theme",
    default="default",
    show_default=True,
    metavar="NAME|FILE",
    help="default, print (greyscale-safe), colourblind, high-contrast, or a theme file"
    " ('driverdiagram themes' lists them).",
)


def _theme(name: str) -> Theme:
    """A theme by name or file; a bad one is a usage error, or the file's located errors."""
    from .readers.theme import theme as find
    from .style import THEMES

    try:
        return find(name)
    except DiagramError as error:
        if name not in THEMES and not Path(name).exists():
            raise click.BadParameter(error.problems[0].message, param_hint="--theme") from error
        _fail(error)


FORMAT_OPTION = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text: FILE:LINE:COLUMN lines; json: one array of problems on standard output;"
    " github: GitHub Actions annotations on standard output.",
)


class _Output:
    """Problems in the chosen format. Text goes out as found; JSON is one array,
    written when every file has been read."""

    def __init__(self, output_format: str) -> None:
        self.format = output_format
        self.collected: list[dict[str, object]] = []
        self.count = 0

    def problems(self, problems: tuple[Problem, ...] | list[Problem], err: bool) -> None:
        self.count += len(problems)
        for problem in problems:
            code = problem.code or "DD000"
            if self.format == "json":
                self.collected.append(
                    {
                        "path": problem.path,
                        "line": problem.line,
                        "column": problem.column,
                        "code": code,
                        "severity": problem.severity,
                        "message": problem.message,
                    }
                )
            elif self.format == "github":
                kind = "error" if problem.severity == "error" else "warning"
                place = f"file={_github(problem.path)}"
                if problem.line:
                    place += f",line={problem.line},col={problem.column}"
                _say(f"::{kind} {place},title={code}::{_github(problem.message, True)}")
            else:
                _say(problem.with_code, err=err)

    def result(self, line: str) -> None:
        """A line for a person (``FILE: ok``); only the text format has them."""
        if self.format == "text":
            _say(line)

    def close(self) -> None:
        if self.format == "json":
            click.echo(json_text(self.collected))


def _github(text: str, message: bool = False) -> str:
    """Escape text for a workflow command, as GitHub's toolkit does."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if not message:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@FORMAT_OPTION
@DIAGRAMS_ONLY
def validate(files: tuple[str, ...], output_format: str, diagrams_only: bool) -> None:
    """Check that each FILE is a valid driver diagram.

    Prints 'FILE: ok' for each valid file. Problems go to standard error as
    'FILE:LINE:COLUMN: error: MESSAGE'. Exit status 1 if any file is invalid.
    Use - to read standard input.
    """
    output = _Output(output_format)
    for name in _diagrams(files, diagrams_only):
        try:
            diagram = _load(name)
        except DiagramError as error:
            output.problems(error.problems, err=True)
            continue
        boxes, links = len(diagram.nodes), len(diagram.links)
        output.result(f"{diagram.path}: ok ({_count(boxes, 'box')}, {_count(links, 'link')})")
    output.close()
    if output.count:
        sys.exit(1)


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@FORMAT_OPTION
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
def lint(
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
    '# driverdiagram: ignore DD108'. Exit status 1 if anything is found.
    """
    from . import loads
    from . import settings as config
    from .coaching import Settings
    from .coaching import lint as run_rules

    here = Location("command line")
    try:
        chosen = config.codes(",".join(select), "--select", here) if select else None
        skipped = config.codes(",".join(ignore), "--ignore", here) if ignore else None
    except DiagramError as error:
        raise click.UsageError(error.problems[0].message) from error
    base = Settings(today=today.date()) if today else Settings()
    output = _Output(output_format)
    for name in _diagrams(files, diagrams_only):
        try:
            text, shown = _read(name)
            diagram = loads(text, shown, base=os.path.dirname(name) or ".")
            settings = config.settings_for(shown, base)
        except DiagramError as error:
            output.problems(error.problems, err=True)
            continue
        if chosen is not None:
            settings = replace(settings, select=chosen)
        if skipped is not None:
            settings = replace(settings, ignore=skipped)
        output.problems(run_rules(diagram, settings, text), err=False)
    output.close()
    if output.count:
        sys.exit(1)


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
    textconv set-up in the README is in place.
    """
    from .outlines import outline as write_outline

    try:
        text, shown = _read(file)
        from . import loads

        diagram = loads(text, shown, base=os.path.dirname(file) or ".")
    except DiagramError as error:
        if not textconv:
            _fail(error)
        _say(_raw(file).decode("utf-8", "replace"), nl=False)
        return
    _say(write_outline(diagram, ids=True), nl=False)


def _raw(file: str) -> bytes:
    """As much of a file as the size limit allows, for git to show as it is (nothing,
    when it cannot be read: git then shows the change as a whole)."""
    from .files import read_bytes
    from .limits import current

    most = current().file_bytes
    if file == "-":
        return sys.stdin.buffer.read(most)
    if os.path.islink(file):
        return b""  # git diffs a link as the path it holds, never through textconv
    try:
        return read_bytes(file)[:most]
    except DiagramError:
        return b""


@main.command()
@click.argument("file", metavar="FILE")
@click.option(
    "--to",
    "to",
    type=click.Choice(["markdown", "mermaid", "csv", "json"]),
    required=True,
    help="markdown: an outline and a table for a paper; mermaid: a flowchart GitHub and"
    " GitLab draw; csv: FreeSPC's column layout; json: every box and link.",
)
@click.option("-o", "--output", metavar="PATH", help="Write here instead of standard output.")
def export(file: str, to: str, output: str | None) -> None:
    """Export FILE as Markdown, Mermaid, CSV or JSON."""
    from .exports import export as convert

    try:
        diagram = _load(file)
        text = convert(diagram, to)
        _write_text(text, output, file)
    except DiagramError as error:
        _fail(error)


@main.command("import")
@click.argument("file", metavar="FILE")
@click.option(
    "-o", "--output", metavar="PATH", help="Write the YAML here (default: standard output)."
)
@click.option("--force", is_flag=True, help="Replace PATH if it already exists.")
def import_(file: str, output: str | None, force: bool) -> None:
    """Turn FILE into driver diagram YAML: a JSON or CSV export, a FreeSPC CSV, a
    spreadsheet saved as CSV with one row per change idea (columns such as Aim,
    Primary driver, Secondary driver, Change idea, Status; a blank cell means
    "same as above"), or an indented outline (Markdown list or plain text). The
    format is told from the file name and contents.
    """
    from .exports.yaml import to_yaml

    if output and output != "-" and os.path.lexists(output) and not force:
        _fail(
            InvalidDiagram(
                [Problem(Location(output), "already exists; choose another name, or add --force")]
            )
        )
    try:
        text, shown = _read(file)
        diagram = _importer(file, text)(text, shown)
        _write_text(to_yaml(diagram), output, file)
    except DiagramError as error:
        _fail(error)


def _importer(file: str, text: str) -> Callable[[str, str], Diagram]:
    """The reader for a file to import: JSON, CSV or an outline."""
    from .readers.imports import from_csv, from_json, from_outline

    suffix = Path(file).suffix.lower()
    if suffix == ".json" or text.lstrip().startswith("{"):
        return from_json
    if suffix in (".csv", ".tsv"):
        return from_csv
    if suffix in (".md", ".markdown", ".txt", ".outline"):
        return from_outline
    first = text.lstrip().split("\n", 1)[0]
    return from_csv if first.count(",") >= 2 else from_outline


def _write_text(text: str, output: str | None, source: str) -> None:
    """Text to standard output, or atomically to a file that is not the input."""
    from .files import refuse_input, refuse_linked_folder, write_atomic

    if output is None or output == "-":
        click.echo(text, nl=False)  # the export as written: it is inert by construction
        return
    target = Path(output)
    refuse_input(source, target)
    refuse_linked_folder(target.parent, Path(source).parent)
    write_atomic(target, text.encode("utf-8"), named=True)
    _say(str(target), err=True)


@main.command()
@click.argument("sides", nargs=-1, metavar="OLD NEW | --rev REV FILE")
@click.option("--rev", metavar="REV", help="Compare FILE now with FILE at this git revision.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    help="Also draw the new diagram with the changes marked, to PATH (.svg, .pdf or .png).",
)
@THEME_OPTION
def diff(
    sides: tuple[str, ...], rev: str | None, output_format: str, output: str | None, theme: str
) -> None:
    """Say what changed between two versions of a diagram.

    OLD and NEW are files, or REV:PATH to read a file from git
    (HEAD~1:diagrams/falls.yaml); '--rev REV FILE' compares FILE with itself at
    REV. Exit status: 0 the same, 1 different, 2 trouble (like diff).
    """
    from .diff import as_json, as_markdown, compare

    if rev is not None:
        if len(sides) != 1:
            raise click.UsageError("--rev REV takes one FILE")
        relative = sides[0] if sides[0].startswith(("./", "../", "/")) else f"./{sides[0]}"
        old_name, new_name = f"{rev}:{relative}", sides[0]
    elif len(sides) == 2:
        old_name, new_name = sides
    else:
        raise click.UsageError("give OLD and NEW, or --rev REV FILE")
    try:
        old, new = _version(old_name), _version(new_name)
    except DiagramError as error:
        _report(error)
        sys.exit(2)
    changes = compare(old, new)
    if output is not None:
        _draw_changes(old, new, output, _theme(theme))
    if output_format == "json":
        click.echo(json_text({"old": old_name, "new": new_name, "changes": as_json(changes)}))
    elif output_format == "markdown":
        _say(as_markdown(changes, old_name, new_name), nl=False)
    else:
        noun = "change" if len(changes) == 1 else "changes"
        _say(f"{old_name} -> {new_name}: {len(changes) or 'no'} {noun}")
        for change in changes:
            _say(f"  {change.text}")
    sys.exit(1 if changes else 0)


def _draw_changes(old: Diagram, new: Diagram, output: str, look: Theme) -> None:
    """Draw the new diagram with its changes marked, or exit 2 saying why not."""
    from .diff import picture
    from .draw.render import render as draw
    from .files import refuse_linked_folder

    target = Path(output)
    format = target.suffix.lower().lstrip(".")
    if format not in ("svg", "pdf", "png"):
        raise click.UsageError(f"-o {output}: end the name in .svg, .pdf or .png")
    drawing, marks, link_marks = picture(old, new)
    try:
        refuse_linked_folder(target.parent, Path(new.path).parent)
        draw(drawing, format, path=target, marks=marks, link_marks=link_marks, theme=look)
    except DiagramError as error:
        _report(error)
        sys.exit(2)
    _say(f"drew the changes in {target}", err=True)


def _version(name: str) -> Diagram:
    """A diagram from a file, or from git for REV:PATH (when no such file exists)."""
    from . import loads
    from .files import git_show
    from .readers.diagram import decode

    rev, colon, _ = name.partition(":")
    if not colon or not rev or Path(name).exists():
        return _load(name)
    # as git reads it: from the repository's top, or ./ for this folder
    return loads(decode(git_show(name), name), name, base=".")


@main.command()
def schema() -> None:
    """Print the JSON Schema of the diagram format, for editors.

    Save it beside your diagrams and point your editor's YAML language server
    at it (see the README), to get completion, help on hover and red
    squiggles as you type.
    """
    from importlib import resources

    _say(resources.files("driverdiagram").joinpath("schema.json").read_text("utf-8"), nl=False)


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
    type=click.Choice(["a4", "a3", "letter", "tabloid"]),
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
    from .files import make_folder, refuse_link
    from .papers import FORMATS
    from .papers import write as write_paper

    target = Path(output)
    kind = target.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise click.UsageError(f"-o {output}: a report ends in .docx, .html, .md or .pdf")
    if template and kind != "docx":
        raise click.UsageError("--template is a Word document, for a .docx report")
    if template and not template.lower().endswith((".docx", ".dotx")):
        raise click.UsageError(f"--template {template} is not a Word document (.docx)")
    look = _theme(theme)
    try:
        diagram = _load(file)
        refuse_link(target)  # before Chromium spends seconds on a paper that cannot be kept
        make_folder(target.parent, inside=Path(diagram.path).parent)
        write_paper(
            diagram, target, theme=look, page=page, template=Path(template) if template else None
        )
        from .draw.pages import READABLE
        from .papers import printed_text

        smallest = printed_text(diagram, theme=look, page=page)
        if kind != "md" and smallest < READABLE:
            bigger = {"a4": "a3", "letter": "tabloid"}.get(page)
            advice = f"--page {bigger} or " if bigger else ""
            _say(
                f"note: the diagram in {target} prints its smallest text at {smallest:.1f} pt,"
                f" below {READABLE:g} pt; try {advice}a smaller view (render --depth 2 or"
                " --focus ID)",
                err=True,
            )
    except GraphvizNotFound as error:
        _fail(error)
    except DiagramError as error:
        _fail(error)
    _say(str(target))


def _pick_measures(diagram: Diagram, wanted: str | None) -> list[Measure]:
    """The measure asked for (a usage error when there is none), or all of them."""
    from .text import suggest

    if wanted is None:
        return list(diagram.measures)
    try:
        return [diagram.measure(wanted)]
    except KeyError:
        known = [measure.id for measure in diagram.measures]
        hint = suggest(wanted, known, count=2) or (
            f" (the measures are: {', '.join(known)})" if known else " (it has no measures)"
        )
        raise click.UsageError(f"{diagram.path} has no measure '{wanted}'{hint}") from None


def _no_measures(diagram: Diagram) -> NoReturn:
    _fail(
        InvalidDiagram.at(
            Location(diagram.path),
            "has no measures; add 'measures:' to the aim or a driver (driverdiagram new"
            " --template measures shows each key)",
        )
    )


@main.command()
@click.argument("file", metavar="FILE")
@click.option("--measure", "measure_id", metavar="ID", help="Only this measure.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs.",
)
def analyse(file: str, measure_id: str | None, output_format: str) -> None:
    """Apply the run chart rules to each measure of FILE and say what they show.

    For each measure: the median, the longest run, crossings and runs against
    their limits, any shift or trend, and a verdict: signal of improvement,
    signal in the wrong direction, no signal yet, or too few points to judge.
    A measure's 'rules' (ihi or anhoej) and 'baseline' decide how.
    """
    from .measures.words import describe, record

    try:
        diagram = _load(file)
    except DiagramError as error:
        _fail(error)
    chosen = _pick_measures(diagram, measure_id)
    if not chosen:
        _no_measures(diagram)
    if output_format == "json":
        records = [record(diagram, measure) for measure in chosen]
        click.echo(json_text(records))
        return
    _say("\n\n".join("\n".join(describe(diagram, measure)) for measure in chosen))


@main.command()
@click.argument("file", metavar="FILE")
@click.option("--measure", "measure_id", metavar="ID", help="Only this measure.")
@click.option(
    "-f",
    "--format",
    "chart_format",
    type=click.Choice(["svg", "png", "pdf"]),
    default=None,
    help="The file format of the charts (default: from -o's extension, else svg).",
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    help="A file (for one measure), a folder ending in '/', or - for standard output."
    " Default: FILE's folder, named DIAGRAM.MEASURE.FORMAT.",
)
def chart(file: str, measure_id: str | None, chart_format: str | None, output: str | None) -> None:
    """Draw a run chart of each measure of FILE (with matplotlib).

    Each chart shows the points, the median (frozen over the baseline, then
    dashed), the target, shift and trend points, astronomical points and
    notes, and the PDSA cycles that watch the measure. A measure without data
    is passed over with a note.
    """
    from .errors import RenderError
    from .files import make_folder, write_atomic
    from .measures.chart import chart as draw

    try:
        diagram = _load(file)
    except DiagramError as error:
        _fail(error)
    chosen = _pick_measures(diagram, measure_id)
    if not chosen:
        _no_measures(diagram)
    with_data = [m for m in chosen if any(value is not None for value in m.values)]
    for measure in chosen:
        if measure not in with_data:
            _say(f"note: {measure.id} has no data yet; no chart drawn", err=True)
    if not with_data:
        sys.exit(1)
    if output is not None and output != "-" and Path(output).is_dir():
        output = output.rstrip("/" + os.sep) + "/"
    one_file = output == "-" or (output is not None and not output.endswith(("/", os.sep)))
    suffix = ""
    if one_file and output is not None and output != "-":
        suffix = Path(output).suffix.lower().lstrip(".")
    if suffix in ("svg", "png", "pdf"):
        if chart_format is not None and chart_format != suffix:
            raise click.UsageError(
                f"-o {output} ends in .{suffix} but the format is {chart_format};"
                " drop -f or make them agree"
            )
        chart_format = suffix
    elif suffix:
        raise click.UsageError(f"-o {output}: a chart file ends in .svg, .png or .pdf")
    chart_format = chart_format or "svg"
    if one_file and len(with_data) > 1:
        raise click.UsageError(
            f"-o {output} names one file, but {file} has {len(with_data)} measures with"
            " data; add --measure ID, or give a folder ending in '/'"
        )
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        _fail(
            RenderError.at(
                Location(file),
                "charts need matplotlib; install it with: pip install matplotlib",
            )
        )
    for measure in with_data:
        data = draw(diagram, measure, chart_format)
        if output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            continue
        stem = Path(diagram.path).stem if diagram.path != STDIN_NAME else "diagram"
        name = f"{stem}.{measure.id}.{chart_format}"
        if output is None:
            folder = Path(diagram.path).parent if diagram.path != STDIN_NAME else Path()
            target = folder / name
        elif output.endswith(("/", os.sep)):
            target = Path(output) / name
        else:
            target = Path(output)
        try:
            make_folder(target.parent, inside=Path(diagram.path).parent)
            write_atomic(target, data, named=one_file)
        except RenderError as error:
            _fail(error)
        _say(str(target))


@main.command()
@click.argument("file", metavar="FILE")
@click.option("--change", "change_id", metavar="ID", help="Only this change idea.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text to read, markdown to paste into a meeting paper, json for programs.",
)
def pdsa(file: str, change_id: str | None, output_format: str) -> None:
    """List the PDSA cycles of FILE in date order, per change idea: dates,
    objective, prediction, plan, do, study and act."""
    from .measures.pdsa import pdsa_markdown, pdsa_records, pdsa_text
    from .model import Level
    from .text import suggest

    try:
        diagram = _load(file)
    except DiagramError as error:
        _fail(error)
    if change_id is not None:
        ideas = [node.id for node in diagram.at_level(Level.CHANGE) if not node.generated_id]
        if change_id not in ideas:
            hint = suggest(change_id, ideas, count=2) or " (give the change idea an 'id')"
            raise click.UsageError(f"{diagram.path} has no change idea '{change_id}'{hint}")
    elif not diagram.cycles:
        _fail(
            InvalidDiagram.at(
                Location(diagram.path),
                "has no PDSA cycles; add 'pdsa:' to a change idea (driverdiagram new"
                " --template measures shows each key)",
            )
        )
    if output_format == "json":
        click.echo(json_text(pdsa_records(diagram, change_id)))
    elif output_format == "markdown":
        _say(pdsa_markdown(diagram, change_id), nl=False)
    else:
        _say(pdsa_text(diagram, change_id), nl=False)


@main.command()
def themes() -> None:
    """List the built-in themes for --theme (a theme file works too; see the README)."""
    from .style import DESCRIPTIONS

    width = max(len(name) for name in DESCRIPTIONS)
    for name, description in DESCRIPTIONS.items():
        _say(f"{name.ljust(width)}  {description}")


@main.command()
def rules() -> None:
    """List the coaching rules that 'lint' runs, with their codes."""
    from .coaching import RULES

    for rule in RULES:
        _say(f"{rule.code}  {rule.name.ljust(16)}  {rule.summary}")


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "-f",
    "--format",
    "formats",
    type=click.Choice(FORMATS),
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
    type=click.Choice(ARROWS),
    default="none",
    show_default=True,
    help="Arrowheads on the links: none, pointing to the aim, or away from it.",
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
    type=click.Choice(["a4", "a3", "letter", "tabloid"]),
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
def render(
    files: tuple[str, ...],
    formats: tuple[str, ...],
    output: str | None,
    arrows: str,
    dpi: int | None,
    theme: str,
    page: str | None,
    portrait: bool,
    split: bool,
    focus: str | None,
    depth: int | None,
    jobs: int | None,
    force: bool,
) -> None:
    """Draw each FILE as SVG, PDF, PNG or Graphviz DOT.

    Writes next to each input with the same name and the format's extension
    (falls.yaml -> falls.svg) unless -o says otherwise, and prints each path
    written. A file is replaced only by a complete new drawing, and never the
    input itself. Many files are drawn on all cores (-j), and a drawing whose
    inputs, options and tools have not changed since it was written is left as
    it is (--force draws it again).
    """
    from .batch import Cache, Job, Options
    from .limits import current

    look = _theme(theme)
    plan = _plan(files, formats, output)
    named = (
        len(plan) == 1
        and len(plan[0][1]) == 1
        and output not in (None, "-")
        and not (output.endswith(("/", os.sep)) or Path(output).is_dir())
    )
    if split and any(format != "pdf" for _, targets in plan for format, _ in targets):
        raise click.UsageError("--split makes one PDF with a page per primary driver: use -f pdf")
    if portrait and page is None:
        raise click.UsageError("--portrait goes with --page")
    options = Options(arrows, dpi, page, portrait, split, focus, depth)
    to_stdout = any(target is None for _, targets in plan for _, target in targets)
    cache = None if to_stdout or "-" in files else Cache()
    work: list[Job] = []
    keys: dict[str, str] = {}
    fresh = 0
    for name, targets in plan:
        stale = []
        for format, target in targets:
            if cache is None or target is None:
                stale.append((format, target))
                continue
            key = cache.key(name, format, options, look)
            keys[cache.key_path(target)] = key
            if force or not cache.fresh(target, key):
                stale.append((format, target))
            else:
                fresh += 1
        if stale:
            work.append(Job(name, tuple(stale), named=named))
    failed = False
    try:
        for outcome in _run_jobs(work, options, look, current(), jobs):
            if outcome.graphviz_missing:
                _say(outcome.graphviz_missing, err=True)
                sys.exit(1)
            for to_stderr, line in outcome.lines:
                _say(line, err=to_stderr)
            if outcome.data:
                sys.stdout.buffer.write(outcome.data)
                sys.stdout.buffer.flush()
            failed = failed or outcome.failed
            if cache is not None:
                cache.record(outcome.drawn, keys)
    finally:  # what was drawn before an interruption is remembered too
        if cache is not None:
            cache.save()
            if cache.problem:
                _say(
                    f"note: cannot keep the record of what was drawn ({cache.problem});"
                    " the next run draws everything again",
                    err=True,
                )
    if fresh:
        what = "drawing is" if fresh == 1 else "drawings are"
        them = "it is" if fresh == 1 else "they are"
        _say(f"{fresh} {what} up to date and left as {them} (--force draws again)", err=True)
    if failed:
        sys.exit(1)


#: Fewer jobs than this are drawn here: starting workers would cost more than it saves.
POOL_FROM = 4
#: A batch at least this long shows a progress bar on a terminal.
PROGRESS_FROM = 10


def _run_jobs(
    work: list[Job], options: Options, look: Theme, limits: Limits, jobs: int | None
) -> Iterator[Outcome]:
    """Each job's outcome, in input order: here, or on a pool of worker processes."""
    from .batch import run

    workers = min(jobs or os.cpu_count() or 1, len(work))
    pool = None
    if workers >= 2 and len(work) >= POOL_FROM:
        from concurrent.futures import ProcessPoolExecutor

        try:
            pool = ProcessPoolExecutor(max_workers=workers)
        except (OSError, NotImplementedError):
            pool = None  # no process support here (no /dev/shm, say): draw one by one
    results: Iterator[Outcome]
    if pool is None:
        results = (run(job, options, look, limits) for job in work)
    else:
        results = pool.map(
            run,
            work,
            itertools.repeat(options),
            itertools.repeat(look),
            itertools.repeat(limits),
            chunksize=max(1, len(work) // (workers * 8)),
        )
    bar = None
    if len(work) >= PROGRESS_FROM and sys.stderr.isatty():
        bar = click.progressbar(length=len(work), label="drawing", file=sys.stderr)
        bar.__enter__()
    try:
        for outcome in results:
            if bar is not None:
                sys.stderr.write("\r\033[K")  # clear the bar's line for the outcome's lines
                sys.stderr.flush()
            yield outcome
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _plan(
    files: tuple[str, ...], formats: tuple[str, ...], output: str | None
) -> list[tuple[str, list[tuple[str, Path | None]]]]:
    """Where each input's drawings go: (input, [(format, path or None for stdout)]).

    Every target is checked before anything is drawn: a plan that would
    overwrite an input, or write two drawings to one file, is a usage error.
    """
    from .files import refuse_input, refuse_linked_folder

    if files.count("-") > 1:
        raise click.UsageError("standard input (-) can be read only once")
    plan = _targets(files, formats, output)
    seen: dict[Path, str] = {}
    for name, targets in plan:
        for _, target in targets:
            if target is None or name == "-":
                continue
            try:
                refuse_linked_folder(target.parent, Path(name).parent)
            except DiagramError as error:
                _fail(error)
            try:
                refuse_input(name, target)
            except DiagramError as error:
                raise click.UsageError(
                    f"the drawing {target} would replace the input file itself;"
                    " choose another output name with -o"
                ) from error
            key = Path(os.path.realpath(target))
            if key in seen:
                raise click.UsageError(
                    f"{seen[key]} and {name} would both be drawn to {target};"
                    " render them separately, or rename one"
                )
            seen[key] = name
    return plan


def _names_one_file(output: str) -> bool:
    """Whether ``-o output`` names the one file to write (not standard output or a folder)."""
    return output != "-" and not output.endswith(("/", os.sep)) and not Path(output).is_dir()


def _targets(
    files: tuple[str, ...], formats: tuple[str, ...], output: str | None
) -> list[tuple[str, list[tuple[str, Path | None]]]]:
    chosen = list(dict.fromkeys(formats))
    if output is None:
        if files == ("-",):
            return [("-", [(_one_format(chosen, None), None)])]
        if "-" in files:
            raise click.UsageError(
                "standard input (-) among other files needs -o to say where to write"
            )
        chosen = chosen or ["svg"]
        return [(name, [(f, Path(name).with_suffix("." + f)) for f in chosen]) for name in files]
    if output == "-":
        if len(files) != 1:
            raise click.UsageError("-o - (standard output) takes exactly one input file")
        return [(files[0], [(_one_format(chosen, None), None)])]
    folder = Path(output)
    if not _names_one_file(output):
        if "-" in files:
            raise click.UsageError("standard input (-) needs -o FILE or -o -, not a folder")
        if folder.exists() and not folder.is_dir():
            raise click.UsageError(f"-o {output} is a file, not a folder")
        chosen = chosen or ["svg"]
        return [
            (name, [(f, folder / (Path(name).stem + "." + f)) for f in chosen]) for name in files
        ]
    if len(files) != 1:
        raise click.UsageError(
            f"-o {output} names one file, but there are {len(files)} inputs;"
            " give a folder (ending in /) instead"
        )
    format = _one_format(chosen, folder)
    return [(files[0], [(format, folder)])]


def _one_format(chosen: list[str], target: Path | None) -> str:
    """The single format for a single output, checked against its file extension."""
    if len(chosen) > 1:
        where = "standard output" if target is None else str(target)
        raise click.UsageError(
            f"several formats cannot all go to {where}: use -o with a folder (ending in /)"
        )
    suffix = target.suffix.lower().lstrip(".") if target is not None else ""
    if not chosen:
        if suffix and suffix not in FORMATS:
            raise click.UsageError(
                f"-o {target}: driverdiagram does not write .{suffix} files; end the name in"
                " .svg, .pdf, .png or .dot (or choose the format with -f)"
            )
        return suffix or "svg"
    if suffix in FORMATS and suffix != chosen[0]:
        raise click.UsageError(f"-o {target} ends in .{suffix} but the format is {chosen[0]}")
    return chosen[0]


SCHEMA_FILE = "driverdiagram.schema.json"
_SCHEMA_LINE = re.compile(r"(?m)^# yaml-language-server: \$schema=.*\n")


def _schema_line(text: str, target: Path, wanted: bool) -> str:
    """The template's editor line, pointing at the nearest driverdiagram.schema.json
    (written beside the new file when there is none), or removed."""
    if not wanted:
        return _SCHEMA_LINE.sub("", text, count=1)
    folder = Path(os.path.abspath(target)).parent  # beside the name typed, not a link's target
    found = next(
        (
            place / SCHEMA_FILE
            for place in (folder, *folder.parents)
            if (place / SCHEMA_FILE).is_file()
        ),
        None,
    )
    if found is None:
        from importlib import resources

        from .files import write_atomic

        found = folder / SCHEMA_FILE
        try:
            write_atomic(
                found, resources.files("driverdiagram").joinpath("schema.json").read_bytes()
            )
        except DiagramError:
            return _SCHEMA_LINE.sub("", text, count=1)  # the diagram matters more than the line
        _say(f"wrote {found.name} beside it, so editors can check the file as you type", err=True)
    relative = os.path.relpath(found, folder).replace(os.sep, "/")
    return _SCHEMA_LINE.sub(f"# yaml-language-server: $schema={relative}\n", text, count=1)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}{'es' if noun == 'box' else 's'}"


def _fail(error: DiagramError) -> NoReturn:
    _report(error)
    sys.exit(1)


# -- templates --------------------------------------------------------------


def _templates() -> dict[str, tuple[str, str]]:
    """Each template's name -> (one-line description, YAML text), sorted by name."""
    from importlib import resources

    found: dict[str, tuple[str, str]] = {}
    try:
        folder = resources.files("driverdiagram.templates")
    except ModuleNotFoundError:  # running from a source checkout that is not installed
        folder = resources.files("driverdiagram").joinpath("..").joinpath("templates")
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".yaml"):
            continue
        text = entry.read_text(encoding="utf-8")
        first, _, rest = text.partition("\n")
        description = ""
        if first.startswith("# description:"):
            description = first.removeprefix("# description:").strip()
            text = rest
        found[entry.name.removesuffix(".yaml")] = (description, text)
    return found


@main.command()
def templates() -> None:
    """List the starter templates for 'driverdiagram new'."""
    found = _templates()
    width = max(len(name) for name in found)
    for name, (description, _) in found.items():
        _say(f"{name.ljust(width)}  {description}")


@main.command()
@click.argument("file", metavar="FILE")
@click.option(
    "-t",
    "--template",
    default="ihi-classic",
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
    from .errors import RenderError
    from .files import refuse_link, write_atomic
    from .text import suggest

    found = _templates()
    if template not in found:
        hint = suggest(template, list(found)) or f" (choose from: {', '.join(found)})"
        raise click.UsageError(f"no template called '{template}'{hint}")
    # a new diagram is dated today, so lint's freshness check starts from here
    today = datetime.date.today().isoformat()
    text = re.sub(r"(?m)^updated:[ \t]*[^\s#]+", f"updated: {today}", found[template][1], count=1)
    if file == "-":
        _say(_SCHEMA_LINE.sub("", text, count=1), nl=False)
        return
    target = Path(file)
    if os.path.lexists(target) and not force:
        _fail(
            InvalidDiagram(
                [
                    Problem(
                        Location(file),
                        "already exists; choose another name, or add --force to replace it",
                    )
                ]
            )
        )
    try:
        refuse_link(target)  # before anything is written beside it
    except RenderError as error:
        _fail(error)
    text = _schema_line(text, target, schema)
    try:
        write_atomic(target, text.encode("utf-8"), named=True)
    except RenderError as error:
        _fail(error)
    if target.suffix.lower() not in (".yaml", ".yml"):
        _say(
            f"note: {file} does not end in .yaml; editors highlight it better if it does", err=True
        )
    _say(str(target))
    _say(f"Next: edit {file}, then run: driverdiagram render {file}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
