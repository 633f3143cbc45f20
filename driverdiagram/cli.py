"""The ``driverdiagram`` command: a thin click layer over the Python API."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from . import __version__
from .errors import DiagramError, GraphvizNotFound, InvalidDiagram, Location, Problem

FORMATS = ("svg", "pdf", "png", "dot")  # kept in step with render.FORMATS (tested)
ARROWS = ("none", "to-aim", "from-aim")
STDIN_NAME = "<stdin>"


class _Group(click.Group):
    """Turns a failure to write results (a full disk behind standard output) into
    a one-line error instead of a traceback. Every other OSError is caught
    where it happens and reported as a DiagramError."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OSError as error:
            if error.errno == errno.EPIPE:
                raise  # click ends quietly when a reader such as `head` goes away
            with contextlib.suppress(OSError):
                click.echo(
                    f"driverdiagram: error: cannot write the output ({error.strerror or error})",
                    err=True,
                )
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="driverdiagram")
def main() -> None:
    """Write, check and draw driver diagrams for quality improvement.

    A driver diagram is kept in a YAML file: one aim, the primary and secondary
    drivers that move it, and the change ideas to test. Start with:

    \b
        driverdiagram new falls.yaml
        driverdiagram render falls.yaml
    """


def _report(error: DiagramError) -> None:
    """The one place a DiagramError reaches the user: each problem on its own line."""
    for problem in error.problems:
        click.echo(str(problem), err=True)


def _load(name: str):  # -> Diagram
    """Load a diagram from a path, or from standard input for ``-``."""
    from . import load, loads
    from .loader import decode

    if name == "-":
        data = sys.stdin.buffer.read()
        return loads(decode(data, STDIN_NAME), STDIN_NAME)
    return load(name)


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
def validate(files: tuple[str, ...]) -> None:
    """Check that each FILE is a valid driver diagram.

    Prints 'FILE: ok' for each valid file. Problems go to standard error as
    'FILE:LINE:COLUMN: error: MESSAGE'. Exit status 1 if any file is invalid.
    Use - to read standard input.
    """
    failed = False
    for name in files:
        try:
            diagram = _load(name)
        except DiagramError as error:
            _report(error)
            failed = True
            continue
        boxes, links = len(diagram.nodes), len(diagram.links)
        click.echo(f"{diagram.path}: ok ({_count(boxes, 'box')}, {_count(links, 'link')})")
    if failed:
        sys.exit(1)


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
def render(
    files: tuple[str, ...],
    formats: tuple[str, ...],
    output: str | None,
    arrows: str,
    dpi: int | None,
) -> None:
    """Draw each FILE as SVG, PDF, PNG or Graphviz DOT.

    Writes next to each input with the same name and the format's extension
    (falls.yaml -> falls.svg) unless -o says otherwise, and prints each path
    written. A file is replaced only by a complete new drawing, and never the
    input itself.
    """
    from .renderer import render as draw

    plan = _plan(files, formats, output)
    failed = False
    for name, targets in plan:
        try:
            diagram = _load(name)
        except DiagramError as error:
            _report(error)
            failed = True
            continue
        for format, target in targets:
            try:
                if target is None:
                    data = draw(diagram, format, arrows=arrows, dpi=dpi)
                    sys.stdout.buffer.write(data)
                    sys.stdout.buffer.flush()
                    continue
                _make_folder(target.parent)
                draw(diagram, format, path=target, arrows=arrows, dpi=dpi)
            except GraphvizNotFound as error:
                _fail(error)
            except DiagramError as error:
                _report(error)
                failed = True
                continue
            click.echo(str(target))
    if failed:
        sys.exit(1)


def _plan(
    files: tuple[str, ...], formats: tuple[str, ...], output: str | None
) -> list[tuple[str, list[tuple[str, Path | None]]]]:
    """Where each input's drawings go: (input, [(format, path or None for stdout)]).

    Every target is checked before anything is drawn: a plan that would
    overwrite an input, or write two drawings to one file, is a usage error.
    """
    from .renderer import refuse_input

    if files.count("-") > 1:
        raise click.UsageError("standard input (-) can be read only once")
    plan = _targets(files, formats, output)
    seen: dict[Path, str] = {}
    for name, targets in plan:
        for _, target in targets:
            if target is None or name == "-":
                continue
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
    if output.endswith(("/", os.sep)) or folder.is_dir():
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


def _make_folder(folder: Path) -> None:
    """Create an output folder when the first drawing is ready to go in it."""
    from .errors import RenderError

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise RenderError.at(
            Location(str(folder)), f"cannot create the folder ({error.strerror or error})"
        ) from error


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
        click.echo(f"{name.ljust(width)}  {description}")


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
def new(file: str, template: str, force: bool) -> None:
    """Start a new diagram FILE from a template.

    Refuses to replace an existing file unless --force is given. Use - to print
    the template instead.
    """
    from .errors import RenderError
    from .loader import suggest
    from .renderer import write_atomic

    found = _templates()
    if template not in found:
        hint = suggest(template, list(found)) or f" (choose from: {', '.join(found)})"
        raise click.UsageError(f"no template called '{template}'{hint}")
    text = found[template][1]
    if file == "-":
        click.echo(text, nl=False)
        return
    target = Path(file)
    if target.exists() and not force:
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
        write_atomic(target, text.encode("utf-8"))
    except RenderError as error:
        _fail(error)
    if target.suffix.lower() not in (".yaml", ".yml"):
        click.echo(
            f"note: {file} does not end in .yaml; editors highlight it better if it does", err=True
        )
    click.echo(str(target))
    click.echo(f"Next: edit {file}, then run: driverdiagram render {file}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
