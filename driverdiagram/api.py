"""The public API: one function for each thing driverdiagram does, and each command of
the command line a few lines over one of them (``validate`` -> :func:`load`, ``lint``
-> :func:`lint`, ``diff`` -> :func:`compare`, ``import`` -> :func:`read`, ``report``
-> :func:`paper`, ``pdsa add`` -> :func:`add_cycle`, ...: see
:data:`driverdiagram.cli.COMMANDS`).

``import driverdiagram`` stays cheap: its ``__init__`` hands these names on lazily,
so this module (and networkx, YAML, matplotlib behind it) is loaded at first use.
Every function raises :class:`~driverdiagram.errors.DiagramError` (located problems)
or :class:`~driverdiagram.errors.OptionError` (a request that cannot be met).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import findings, starters
from .errors import DiagramError, InvalidDiagram, Location, OptionError, Problem
from .files import (
    at_revision,
    parse_revision,
    read_input,
    refuse_input,
    refuse_linked_folder,
    write_atomic,
)
from .model import Diagram, Level, Measure
from .readers import diagram as reader
from .readers.theme import theme_of
from .style import Theme
from .text import json_text, suggest, visible

if TYPE_CHECKING:
    import networkx as nx

    from .checkup import Check
    from .diff import Change
    from .measures.control import ControlAnalysis
    from .measures.runs import Analysis


# -- reading ----------------------------------------------------------------------------


def loads(text: str, name: str = "<string>", base: str | os.PathLike[str] | None = None) -> Diagram:
    """Read and check a diagram from YAML text; ``name`` is used in error messages.

    Nothing is read from disk unless ``base`` names the folder the measures' data
    files are in. Raises :class:`DiagramError` listing every problem in the text.
    """
    return reader.loads(text, name, None if base is None else os.fspath(base))


def load(path: str | os.PathLike[str], *, data: str = "required") -> Diagram:
    """Read and check a diagram file (``-``: standard input), with its data files.

    ``data="optional"`` is for a command that does not need the data: a data file that
    is absent leaves its measure without points, with a note in ``Diagram.unread``;
    ``data="none"`` reads no data file at all."""
    return reader.load(path, data=data)


def load_version(
    name: str | os.PathLike[str], *, rev: str | None = None, data: str = "required"
) -> Diagram:
    """A diagram from a file; or from git, its data files read from the same revision.

    ``rev`` reads the file ``name`` (a path on this machine, from any folder) as it was
    at that revision. Without it, a ``name`` such as ``HEAD~1:diagrams/falls.yaml`` that
    is not a file is read from git: from the repository's top, or from this folder
    when the path starts with ``./`` or ``../``, or an absolute path."""
    name = os.fspath(name)
    if rev is not None:
        return reader.load_revision(at_revision(rev, name), data=data)
    before, colon, _ = name.partition(":")
    if not colon or not before or Path(name).exists():
        return load(name, data=data)
    return reader.load_revision(parse_revision(name), data=data)


def read(path: str | os.PathLike[str], *, sheet: str | None = None) -> Diagram:
    """A diagram from another format (the ``import`` command): a JSON or CSV export, a
    FreeSPC CSV, a spreadsheet with one row per change idea (saved as CSV, or an Excel
    workbook, .xlsx: its first sheet, or the one ``sheet`` names), or an indented
    outline; told from the file name and contents. A CSV file saved by Excel in
    Windows-1252 is read so, with a note in the diagram's ``warnings``."""
    from .readers.imports import read_data as _read_import

    name = os.fspath(path)
    shown = reader.STDIN if name == "-" else name
    return _read_import(read_input(name), shown, sheet)


def read_text(path: str | os.PathLike[str]) -> str:
    """The text of a diagram file (``-``: standard input), checked to be UTF-8 and within
    the size limit; what :func:`lint` reads comments from."""
    name = os.fspath(path)
    return reader.text_of(read_input(name), reader.STDIN if name == "-" else name)


def looks_like_diagram(path: str | os.PathLike[str]) -> bool:
    """Whether a YAML file is meant as a driver diagram (``--diagrams-only``): it names
    driverdiagram's schema in its editor line, or has top-level 'aim:' and 'primary:'.
    A file that cannot be read counts as one, so checking it reports why."""
    try:
        data = read_input(os.fspath(path))
    except DiagramError:
        return True
    return reader.looks_like_diagram(data)


def textconv(path: str | os.PathLike[str]) -> str:
    """What ``git diff`` shows of a file through the textconv set-up: the outline of a
    valid diagram, or the file as it is (its control characters shown, and nothing at
    all for a symbolic link, which git diffs as the path it holds)."""
    from .outlines import facts

    name = os.fspath(path)
    try:
        return facts(load(name, data="none"))
    except DiagramError:
        pass
    if name != "-" and os.path.islink(name):
        return ""
    try:
        data = read_input(name)
    except DiagramError:
        return ""
    return visible(data[: reader.current_limits().file_bytes].decode("utf-8", "replace"))


# -- checking ---------------------------------------------------------------------------


def lint(
    source: Diagram | str | os.PathLike[str],
    *,
    select: tuple[str, ...] | list[str] | str | None = None,
    ignore: tuple[str, ...] | list[str] | str | None = None,
    today: dt.date | None = None,
) -> list[Problem]:
    """The coaching findings for a diagram, in file order.

    ``source`` is a diagram file (read, checked, and searched for ``# driverdiagram:
    ignore`` comments, with the settings of the nearest driverdiagram.toml or
    pyproject.toml) or a loaded :class:`Diagram`. ``select`` and ``ignore`` (rule
    codes, a list or comma-separated) override the settings; ``today`` is the date
    'updated' is judged against.
    """
    if isinstance(source, Diagram):
        return _findings(source, "", select, ignore, today)
    return list(_linted(os.fspath(source), select, ignore, today).problems)


@dataclass(frozen=True)
class Checked:
    """One file checked: its diagram (None when it is not valid), its problems (why it
    is not valid; or, from :func:`lint_files`, the coaching findings) and what else to
    tell the user, which does not make the file fail: warnings and notes from reading
    it (from :func:`lint_files`, those no coaching rule reports, such as a data file
    read as Windows-1252)."""

    name: str
    diagram: Diagram | None
    problems: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()


def validate(
    files: list[str] | tuple[str, ...], *, diagrams_only: bool = False
) -> Iterator[Checked]:
    """Each file checked (the ``validate`` command), in order; with ``diagrams_only``,
    YAML files that are not driver diagrams are passed over."""
    for name in files:
        if diagrams_only and not looks_like_diagram(name):
            continue
        try:
            diagram = load(name)
        except DiagramError as error:
            yield Checked(name, None, error.problems)
        else:
            yield Checked(name, diagram, notes=diagram.warnings)


def lint_files(
    files: list[str] | tuple[str, ...],
    *,
    diagrams_only: bool = False,
    select: tuple[str, ...] | list[str] | str | None = None,
    ignore: tuple[str, ...] | list[str] | str | None = None,
    today: dt.date | None = None,
) -> Iterator[Checked]:
    """Each file checked and linted (the ``lint`` command; see :func:`lint`): its
    diagram and findings, or None and why it is not valid."""
    _codes(select, "--select", Location("command line"))  # before any file is read
    _codes(ignore, "--ignore", Location("command line"))
    for name in files:
        if diagrams_only and not looks_like_diagram(name):
            continue
        try:
            yield _linted(name, select, ignore, today)
        except DiagramError as error:
            yield Checked(name, None, error.problems)


def _linted(name: str, select: Any, ignore: Any, today: dt.date | None) -> Checked:
    """A diagram file read, checked and linted, its comments read for ignores."""
    from . import coaching

    text = read_text(name)
    shown = reader.STDIN if name == "-" else name
    diagram = loads(text, shown, os.path.dirname(name) or ".")
    findings = tuple(_findings(diagram, text, select, ignore, today))
    notes = tuple(warning for warning in diagram.warnings if warning.code not in coaching.CODES)
    return Checked(name, diagram, findings, notes)


def _findings(
    diagram: Diagram, text: str, select: Any, ignore: Any, today: dt.date | None
) -> list[Problem]:
    from . import coaching, settings

    here = Location("command line")
    chosen, skipped = _codes(select, "--select", here), _codes(ignore, "--ignore", here)
    base = coaching.Settings(today=today) if today else coaching.Settings()
    rules = settings.settings_for(diagram.path, base)
    if chosen is not None:
        rules = replace(rules, select=chosen)
    if skipped is not None:
        rules = replace(rules, ignore=skipped)
    return coaching.lint(diagram, rules, text)


def _codes(value: Any, what: str, where: Location) -> tuple[str, ...] | None:
    from . import settings

    if value is None or value == () or value == []:
        return None
    joined = ",".join(value) if isinstance(value, list | tuple) else value
    try:
        return settings.codes(joined, what, where)
    except DiagramError as error:
        raise OptionError(error.problems[0].message) from error


def problem_lines(problems: list[Problem] | tuple[Problem, ...], format: str = "text") -> list[str]:
    """Problems as the command line prints them: a ``FILE:LINE:COLUMN`` line each
    (``text``), a GitHub Actions annotation each (``github``), or one JSON array."""
    if format == "json":
        return [findings.as_json(problems)]
    show = findings.annotation if format == "github" else findings.line
    return [show(problem) for problem in problems]


def rules() -> list[tuple[str, str, str]]:
    """The coaching rules :func:`lint` runs: (code, name, what it checks)."""
    from . import coaching

    return [(rule.code, rule.name, rule.summary) for rule in coaching.RULES]


def schema() -> str:
    """The JSON Schema of the diagram format, for editors."""
    return starters.schema()


# -- writing text -----------------------------------------------------------------------


def refuse_existing(path: str | os.PathLike[str]) -> None:
    """A located error when ``path`` exists already (a dangling link counts): an import
    or a new diagram replaces a file only when asked to (``--force``)."""
    if os.path.lexists(path):
        raise InvalidDiagram.at(
            Location(os.fspath(path)), "already exists; choose another name, or add --force"
        )


def pdsa_template(
    diagram: Diagram, output: str | os.PathLike[str] | None = None, *, force: bool = False
) -> bytes:
    """The PDSA log workbook (.xlsx) partners fill in for ``diagram``: a PDSA sheet
    with a drop-down of its change ideas, checked dates and a drop-down of acts, an
    Instructions sheet, a data sheet per measure. Written to ``output`` when given
    (never over a file there unless ``force``: it may be a log partners filled in).
    The same diagram gives the same bytes."""
    from .logbook import pdsa_workbook

    data = pdsa_workbook(diagram)
    if output is not None:
        if not str(output).lower().endswith(".xlsx"):
            raise OptionError(f"-o {output}: the workbook's name should end in .xlsx")
        if not force:
            refuse_existing(output)
        target = Path(output)
        refuse_input(diagram.path, target)
        write_atomic(target, data, named=True)
    return data


def write_text(text: str, path: str | os.PathLike[str], *, source: str = "") -> None:
    """Text written to the file the user named, atomically: never over ``source`` (the
    diagram it came from), never through a symbolic link or a linked folder in the
    diagram's folder."""
    target = Path(path)
    if source:
        refuse_input(source, target)
        refuse_linked_folder(target.parent, Path(source).parent)
    write_atomic(target, text.encode("utf-8"), named=True)


# -- views and text ------------------------------------------------------------------


def focus(diagram: Diagram, node_id: str) -> Diagram:
    """The box ``node_id``, every path from it to the aim, and everything under it."""
    from . import views

    return views.focus(diagram, node_id)


def depth(diagram: Diagram, levels: int) -> tuple[Diagram, dict[str, int]]:
    """Only the boxes at most ``levels`` links from the aim (1: the primary drivers), and
    for each box whose children were folded away how many boxes it holds."""
    from . import views

    return views.depth(diagram, levels)


def outline(diagram: Diagram, *, ids: bool = False) -> str:
    """The diagram as an indented plain-text outline (its text alternative);
    ``ids`` puts each box's id in front of it."""
    from .outlines import outline as _outline

    return _outline(diagram, ids=ids)


def to_yaml(diagram: Diagram) -> str:
    """The diagram as tidy YAML that :func:`loads` reads back as the same diagram."""
    from .exports import yaml as yaml_export

    return yaml_export.to_yaml(diagram)


def export(diagram: Diagram, to: str) -> str:
    """The diagram as ``markdown``, ``mermaid``, ``csv`` or ``json`` text."""
    from .exports import export as _export

    return _export(diagram, to)


def to_dot(diagram: Diagram, *, arrows: str = "none", theme: str | Theme = "default") -> str:
    """The Graphviz DOT source of the drawing (pure: runs no program).

    ``arrows``: ``none`` (default), ``to-aim`` or ``from-aim``. ``theme``: a built-in
    theme (default, print, colourblind, high-contrast), a theme file, or a Theme.
    """
    from .draw.dot import to_dot as _to_dot

    return _to_dot(diagram, arrows=arrows, theme=theme_of(theme))


def to_graph(diagram: Diagram) -> nx.DiGraph:
    """The diagram as a networkx DiGraph, edges from parent to child."""
    from .graph import to_graph as _to_graph

    return _to_graph(diagram)


# -- drawing ----------------------------------------------------------------------------


def compare(old: Diagram, new: Diagram) -> list[Change]:
    """Every change from ``old`` to ``new``, grouped by kind, in document order."""
    from .diff import compare as _compare

    return _compare(old, new)


def describe_changes(
    changes: list[Change], old_name: str, new_name: str, format: str = "text"
) -> str:
    """Changes as lines for a person (``text``), ``json`` or a ``markdown`` list."""
    from .diff import report as _report

    return _report(changes, old_name, new_name, format)


# -- papers ------------------------------------------------------------------------------


# -- measures and PDSA cycles --------------------------------------------------------------


def analyse(
    values: list[float | int | None] | tuple[float | int | None, ...],
    rules: str = "ihi",
    centre: float | None = None,
    baseline: int | None = None,
    phases: list[int] | tuple[int, ...] = (),
) -> Analysis:
    """Apply the run chart rules to a series (numbers in time order, None when missing).

    ``rules``: ``ihi`` (shift, trend, runs test) or ``anhoej`` (longest run,
    crossings, as qicharts2). ``centre`` overrides the median; ``baseline`` takes
    the median of the first that many points; ``phases`` lists the points (0-based)
    where a new phase, with its own median and rules, starts. The result has
    ``n_useful``, ``centre``, ``longest_run``, ``longest_run_max``, ``crossings``,
    ``crossings_min``, ``runs``, ``runs_limits``, ``shift_points``,
    ``trend_points``, ``signal``, ``too_few_points`` and ``phases``.
    """
    from .measures.runs import analyse as _analyse

    return _analyse(values, rules, centre=centre, baseline=baseline, phases=phases)


def analyse_control(
    values: list[float | int | None] | tuple[float | int | None, ...] | None = None,
    chart: str = "xmr",
    rules: str = "shewhart",
    **options: Any,
) -> ControlAnalysis:
    """Analyse a control chart: ``chart`` is ``xmr``, ``p``, ``u`` or ``c``; ``rules``
    ``shewhart``, ``mdc`` or ``anhoej``.

    An XmR or C chart takes ``values`` (None when missing); a P or U chart takes
    ``numerators=`` and ``denominators=`` and ``scale=`` (100 for %). Keyword options:
    ``baseline`` (the first N periods fix the first phase's limits), ``exclude``
    (0-based points left out of the centre and limits), ``phases`` (0-based points
    where a new phase starts), ``screen`` (False keeps every moving range),
    ``direction`` (``up``/``down``) and ``target``. The result has ``points`` (value,
    centre, lower, upper, 2- and 1-sigma lines, excluded, phase), ``phases``,
    ``signals`` (rule, points, sense, kind), ``variation``, ``assurance`` and
    ``trial``; see docs/measures.md.
    """
    from .measures.control import analyse_control as _analyse_control

    return _analyse_control(values, chart, rules, **options)


def choose_measures(diagram: Diagram, wanted: str | None = None) -> list[Measure]:
    """The measure asked for (an :class:`OptionError` when there is none), or all of them
    (a located error when the diagram has none)."""
    if not diagram.measures:
        raise InvalidDiagram.at(
            Location(diagram.path),
            "has no measures; add 'measures:' to the aim or a driver (driverdiagram new"
            " --template measures shows each key)",
        )
    if wanted is None:
        return list(diagram.measures)
    try:
        return [diagram.measure(wanted)]
    except KeyError:
        known = [measure.id for measure in diagram.measures]
        hint = suggest(wanted, known, count=2) or f" (the measures are: {', '.join(known)})"
        raise OptionError(f"{diagram.path} has no measure '{wanted}'{hint}") from None


def describe(diagram: Diagram, measure: str | None = None) -> str:
    """What the run chart rules say of each measure (or the one named), in words."""
    from .measures import words

    return "\n\n".join(
        "\n".join(words.describe(diagram, m)) for m in choose_measures(diagram, measure)
    )


def measure_records(diagram: Diagram, measure: str | None = None) -> list[dict[str, Any]]:
    """Each measure's analysis (or the one named's) as JSON-ready data."""
    from .measures import words

    return [words.record(diagram, m) for m in choose_measures(diagram, measure)]


def pdsa(diagram: Diagram, change: str | None = None, format: str = "text") -> str:
    """The PDSA cycles (of one change idea, or all) as ``text``, ``markdown`` or ``json``."""
    from .measures import pdsa as _pdsa

    if change is not None:
        ideas = [node.id for node in diagram.at_level(Level.CHANGE) if not node.generated_id]
        if change not in ideas:
            hint = suggest(change, ideas, count=2) or " (give the change idea an 'id')"
            raise OptionError(f"{diagram.path} has no change idea '{change}'{hint}")
    elif not diagram.cycles:
        raise InvalidDiagram.at(
            Location(diagram.path),
            "has no PDSA cycles; add 'pdsa:' to a change idea (driverdiagram new"
            " --template measures shows each key)",
        )
    if format == "json":
        return json_text(_pdsa.pdsa_records(diagram, change)) + "\n"
    if format == "markdown":
        return _pdsa.pdsa_markdown(diagram, change)
    return _pdsa.pdsa_text(diagram, change)


# -- starting ---------------------------------------------------------------------------


def list_templates() -> dict[str, str]:
    """The starter templates for :func:`new`, each with its one-line description."""
    return {name: found.description for name, found in starters.catalogue().items()}


def template_text(name: str = starters.DEFAULT_TEMPLATE) -> str:
    """A starter template's YAML, dated today."""
    return starters.template_text(name)


def new(
    path: str | os.PathLike[str],
    template: str = starters.DEFAULT_TEMPLATE,
    *,
    force: bool = False,
    schema: bool = True,
) -> list[str]:
    """Start a new diagram file from a template; the notes to tell the user."""
    return starters.new(path, template, force=force, schema_line=schema)


# -- this computer ---------------------------------------------------------------------


def doctor() -> list[Check]:
    """What driverdiagram uses on this computer (Graphviz, the font the layout is measured
    for, a Chromium-family browser, LibreOffice, git): each with where it was found, its
    version, what it is for and the command that installs it here."""
    from . import checkup as _checkup

    return _checkup.checks()


def doctor_report(checks: list[Check]) -> list[str]:
    """:func:`doctor`'s checks as lines for a terminal, the install command under each
    one missing."""
    from . import checkup as _checkup

    return _checkup.report(checks)
