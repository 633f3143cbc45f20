"""Drawing many diagrams at once: where each drawing goes, one job per input file run
on all cores, and drawings already up to date left alone (see :mod:`driverdiagram.cache`).

:class:`Rendering` is the whole of ``driverdiagram render``: it plans every output
before anything is drawn (a plan that would overwrite an input, or draw two
diagrams to one file, is an :class:`~driverdiagram.errors.OptionError`), then
yields each job's :class:`Outcome` in input order.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import Cache, digest, key_path
from .draw.graphviz import FORMATS, outputs
from .errors import DiagramError, GraphvizNotFound, InvalidDiagram, Location, OptionError, Problem
from .files import make_folder, refuse_input, refuse_linked_folder, write_atomic
from .findings import line
from .limits import Limits, current, limits
from .measures import FORMATS as CHART_FORMATS
from .model import Diagram, Measure
from .style import DEFAULT, Theme

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from .draw.render import Planned

#: Fewer jobs than this are drawn here: starting workers would cost more than it saves.
POOL_FROM = 4
#: The most jobs in one chunk of work (one Graphviz process draws a chunk's small
#: diagrams): a few chunks for each worker keep them all busy to the end.
CHUNK_MOST = 32


@dataclass(frozen=True)
class Options:
    """How every drawing of a batch is made."""

    arrows: str = "none"
    layout: str = "auto"
    dpi: int | None = None
    page: str | None = None
    portrait: bool = False
    split: bool = False
    focus: str | None = None
    depth: int | None = None


@dataclass(frozen=True)
class Job:
    """One input file and the drawings to make of it."""

    name: str
    targets: tuple[tuple[str, Path | None], ...]  # (format, path; None for standard output)
    named: bool = False  # the one target is a file the user named (-o FILE)


@dataclass
class Outcome:
    """What a job did: lines for the user, in order, and what the cache should learn."""

    lines: list[tuple[bool, str]] = field(default_factory=list)  # (to stderr, text)
    data: bytes = b""  # a drawing for standard output
    failed: bool = False
    graphviz_missing: tuple[Problem, ...] = ()  # Graphviz is not installed: nothing drawn
    drawn: dict[str, dict[str, Any]] = field(default_factory=dict)  # cache entries by path


Plan = list[tuple[str, list[tuple[str, Path | None]]]]


def run_jobs(jobs: list[Job], options: Options, theme: Theme, in_force: Limits) -> list[Outcome]:
    """Load each diagram and make its drawings (in this process or a worker), with as
    few Graphviz processes as each drawing's own error allows: every drawing is planned
    first, then Graphviz draws them all (:func:`driverdiagram.draw.graphviz.outputs`),
    then each is finished and written, in order. The page's small-text note comes from
    the first drawing of a diagram."""
    with limits(**asdict(in_force)):
        work = [_planned(job, options, theme) for job in jobs]
        made = iter(
            outputs(
                [
                    planned.run
                    for _, _, plans in work
                    for _, _, planned in plans
                    if planned and planned.run
                ]
            )
        )
        for job, (outcome, diagram, plans) in zip(jobs, work, strict=True):
            drawn = [
                (format, target, planned, next(made) if planned and planned.run else b"")
                for format, target, planned in plans
            ]
            if diagram is not None:
                _finish(job, outcome, diagram, drawn, options, theme)
    return [outcome for outcome, _, _ in work]


#: A drawing planned: its format, where it goes and its plan (None when it was refused
#: before any drawing: the problem is in the outcome's lines).
_Plans = list[tuple[str, Path | None, "Planned | None"]]


def _planned(job: Job, options: Options, theme: Theme) -> tuple[Outcome, Diagram | None, _Plans]:
    """A job's diagram loaded, and each of its drawings planned (a split PDF is made
    whole here: it takes one Graphviz run for each primary driver)."""
    # the reader and the drawing only when there is something to draw: a batch with
    # every drawing up to date loads neither (nor networkx, nor PyYAML)
    from .draw.render import made, plan, render_split
    from .readers.diagram import load

    outcome = Outcome()
    try:
        diagram = load(job.name)  # standard input only in a batch of one, here
        folded: dict[str, int] = {}
        if options.focus is not None or options.depth is not None:
            diagram, folded = _view(diagram, options)
    except DiagramError as error:
        outcome.lines += [(True, line(problem)) for problem in error.problems]
        outcome.failed = True
        return outcome, None, []
    outcome.lines += [(True, line(warning)) for warning in diagram.warnings]
    plans: _Plans = []
    for format, target in job.targets:
        try:
            if target is not None:
                refuse_input(diagram.path, target)
                make_folder(target.parent)
            if options.split:
                split = render_split(
                    diagram,
                    theme=theme,
                    page=options.page,
                    portrait=options.portrait,
                    arrows=options.arrows,
                    layout=options.layout,
                )
                planned = made(split)
            else:
                planned = plan(
                    diagram,
                    format,
                    arrows=options.arrows,
                    layout=options.layout,
                    dpi=options.dpi,
                    theme=theme,
                    folded=folded,
                    page=options.page,
                    portrait=options.portrait,
                )
        except GraphvizNotFound as error:  # a split PDF runs Graphviz as it is planned
            outcome.graphviz_missing = error.problems
            return outcome, None, []
        except DiagramError as error:
            planned = None
            outcome.lines += [(True, line(problem)) for problem in error.problems]
            outcome.failed = True
        plans.append((format, target, planned))
    return outcome, diagram, plans


def _finish(
    job: Job,
    outcome: Outcome,
    diagram: Diagram,
    drawn: list[tuple[str, Path | None, Planned | None, bytes | DiagramError]],
    options: Options,
    theme: Theme,
) -> None:
    """Each of a job's drawings finished from what Graphviz wrote, and written."""
    from .draw.render import small_text_note

    size: tuple[float, float] | None = None
    for _, target, planned, output in drawn:
        if planned is None:
            continue
        try:
            if isinstance(output, DiagramError):
                raise output
            drawing = planned.finish(output)
            data, size = drawing.data, size or drawing.size
            if target is not None:
                write_atomic(target, data, named=job.named)
        except GraphvizNotFound as error:
            outcome.graphviz_missing = error.problems
            return
        except DiagramError as error:
            outcome.lines += [(True, line(problem)) for problem in error.problems]
            outcome.failed = True
            continue
        if target is None:
            outcome.data = data
        else:
            outcome.lines.append((False, str(target)))
            outcome.drawn[key_path(target)] = {
                "output": digest(data),
                # the data as it was read for this drawing, by real path
                "data": {m.data_file: m.data_digest for m in diagram.measures if m.data_file},
            }
    if options.page is not None and size is not None:
        note = small_text_note(diagram, size, theme, options.page, options.portrait)
        if note:
            outcome.lines.append((True, note))


class Rendering:
    """A ``render`` of many files: plan on creation, draw when iterated.

    Iterating yields each job's :class:`Outcome` in input order and raises
    :class:`~driverdiagram.errors.GraphvizNotFound` when Graphviz is missing. Once it
    is done (or interrupted), :attr:`fresh` counts the drawings left as they were and
    :attr:`cache_problem` says why the record of drawings could not be kept, if it
    could not.
    """

    def __init__(
        self,
        files: tuple[str, ...] | list[str],
        formats: tuple[str, ...] | list[str] = (),
        output: str | None = None,
        options: Options | None = None,
        theme: Theme | None = None,
        *,
        jobs: int | None = None,
        force: bool = False,
    ) -> None:
        files = tuple(files)
        options = options or Options()
        plan = plan_targets(files, tuple(formats), output)
        if options.split and any(f != "pdf" for _, targets in plan for f, _ in targets):
            raise OptionError("--split makes one PDF with a page per primary driver: use -f pdf")
        if options.portrait and options.page is None:
            raise OptionError("--portrait goes with --page")
        self.options = options
        self.theme = theme or DEFAULT
        self.jobs = jobs
        self.fresh = 0
        self.cache_problem = ""
        self.failed = False
        named = output is not None and names_one_file(output)
        to_stdout = any(target is None for _, targets in plan for _, target in targets)
        self.cache = None if to_stdout or "-" in files else Cache()
        self.keys: dict[str, str] = {}
        self.work: list[Job] = []
        chosen = dict.fromkeys(format for _, targets in plan for format, _ in targets)
        # what every drawing in a format shares, written out once a format
        settings = {format: Cache.setting(format, options, self.theme) for format in chosen}
        for name, targets in plan:
            stale = []
            for format, target in targets:
                if self.cache is None or target is None:
                    stale.append((format, target))
                    continue
                key = self.cache.key(name, settings[format])
                real = key_path(target)
                self.keys[real] = key
                if force or not self.cache.fresh(real, key):
                    stale.append((format, target))
                else:
                    self.fresh += 1
            if stale:
                self.work.append(Job(name, tuple(stale), named=named))

    def __len__(self) -> int:
        """How many jobs there are to draw."""
        return len(self.work)

    def __iter__(self) -> Iterator[Outcome]:
        try:
            for outcome in outcomes(self.work, self.options, self.theme, current(), self.jobs):
                if outcome.graphviz_missing:
                    raise GraphvizNotFound(outcome.graphviz_missing)
                self.failed = self.failed or outcome.failed
                if self.cache is not None:
                    self.cache.record(outcome.drawn, self.keys)
                yield outcome
        finally:  # what was drawn before an interruption is remembered too
            if self.cache is not None:
                self.cache.save()
                self.cache_problem = self.cache.problem


def _view(diagram: Diagram, options: Options) -> tuple[Diagram, dict[str, int]]:
    """The part of the diagram ``--focus`` and ``--depth`` ask for, and the boxes folded."""
    from . import views  # only for these options

    if options.focus is not None:
        diagram = views.focus(diagram, options.focus)
    if options.depth is None:
        return diagram, {}
    return views.depth(diagram, options.depth)


def outcomes(
    work: list[Job], options: Options, theme: Theme, in_force: Limits, jobs: int | None
) -> Iterator[Outcome]:
    """Each job's outcome, in input order: here, or on a pool of worker processes; the
    jobs in chunks, each chunk's drawings made by as few Graphviz processes as can be
    (:func:`run_jobs`)."""
    workers = min(jobs or os.cpu_count() or 1, len(work))
    pool: Executor | None = None
    if workers >= 2 and len(work) >= POOL_FROM:
        from concurrent.futures import ProcessPoolExecutor  # a batch of one needs no pool

        try:
            pool = ProcessPoolExecutor(max_workers=workers)
        except (OSError, NotImplementedError):
            pool = None  # no process support here (no /dev/shm, say): draw one by one
    # a few chunks for each worker, so that one slow chunk does not keep the others idle
    size = max(1, min(CHUNK_MOST, -(-len(work) // ((workers if pool else 1) * 4))))
    chunks = [work[at : at + size] for at in range(0, len(work), size)]
    if pool is None:
        for chunk in chunks:
            yield from run_jobs(chunk, options, theme, in_force)
        return
    try:
        for done in pool.map(
            run_jobs,
            chunks,
            itertools.repeat(options),
            itertools.repeat(theme),
            itertools.repeat(in_force),
        ):
            yield from done
    finally:
        pool.shutdown(cancel_futures=True)


# -- where each drawing goes ------------------------------------------------------------


def plan_targets(files: tuple[str, ...], formats: tuple[str, ...], output: str | None) -> Plan:
    """Where each input's drawings go: (input, [(format, path or None for stdout)]).

    Every target is checked before anything is drawn: a plan that would overwrite an
    input, or write two drawings to one file, is an :class:`OptionError`; an output
    folder reached through a link inside the diagram's folder is a located error.
    """
    if files.count("-") > 1:
        raise OptionError("standard input (-) can be read only once")
    plan = _targets(files, formats, output)
    seen: dict[Path, str] = {}
    for name, targets in plan:
        for _, target in targets:
            if target is None or name == "-":
                continue
            refuse_linked_folder(target.parent, Path(name).parent)
            try:
                refuse_input(name, target)
            except DiagramError as error:
                raise OptionError(
                    f"the drawing {target} would replace the input file itself;"
                    " choose another output name with -o"
                ) from error
            key = Path(os.path.realpath(target))
            if key in seen:
                raise OptionError(
                    f"{seen[key]} and {name} would both be drawn to {target};"
                    " render them separately, or rename one"
                )
            seen[key] = name
    return plan


def names_one_file(output: str) -> bool:
    """Whether ``-o output`` names the one file to write (not standard output or a folder)."""
    return output != "-" and not output.endswith(("/", os.sep)) and not Path(output).is_dir()


def _targets(files: tuple[str, ...], formats: tuple[str, ...], output: str | None) -> Plan:
    chosen = list(dict.fromkeys(formats))
    if output is None:
        if files == ("-",):
            return [("-", [(_one_format(chosen, None), None)])]
        if "-" in files:
            raise OptionError("standard input (-) among other files needs -o to say where to write")
        chosen = chosen or ["svg"]
        return [(name, [(f, Path(name).with_suffix("." + f)) for f in chosen]) for name in files]
    if output == "-":
        if len(files) != 1:
            raise OptionError("-o - (standard output) takes exactly one input file")
        return [(files[0], [(_one_format(chosen, None), None)])]
    folder = Path(output)
    if not names_one_file(output):
        if "-" in files:
            raise OptionError("standard input (-) needs -o FILE or -o -, not a folder")
        if folder.exists() and not folder.is_dir():
            raise OptionError(f"-o {output} is a file, not a folder")
        chosen = chosen or ["svg"]
        return [
            (name, [(f, folder / (Path(name).stem + "." + f)) for f in chosen]) for name in files
        ]
    if len(files) != 1:
        raise OptionError(
            f"-o {output} names one file, but there are {len(files)} inputs;"
            " give a folder (ending in /) instead"
        )
    return [(files[0], [(_one_format(chosen, folder), folder)])]


def _one_format(chosen: list[str], target: Path | None) -> str:
    """The single format for a single output, checked against its file extension."""
    if len(chosen) > 1:
        where = "standard output" if target is None else str(target)
        raise OptionError(
            f"several formats cannot all go to {where}: use -o with a folder (ending in /)"
        )
    suffix = target.suffix.lower().lstrip(".") if target is not None else ""
    if not chosen:
        if suffix and suffix not in FORMATS:
            raise OptionError(
                f"-o {target}: driverdiagram does not write .{suffix} files; end the name in"
                " .svg, .pdf, .png or .dot (or choose the format with -f)"
            )
        return suffix or "svg"
    if suffix in FORMATS and suffix != chosen[0]:
        raise OptionError(f"-o {target} ends in .{suffix} but the format is {chosen[0]}")
    return chosen[0]


# -- where each chart goes ----------------------------------------------------------------


@dataclass(frozen=True)
class ChartPlan:
    """Where the run chart of each measure with data goes (None: standard output)."""

    format: str
    targets: tuple[tuple[Measure, Path | None], ...]
    named: bool  # -o names the one file written
    notes: tuple[str, ...]  # measures with no data yet


def chart_targets(
    diagram: Diagram, chosen: list[Measure], format: str | None, output: str | None
) -> ChartPlan:
    """Plan the charts of ``chosen`` (the ``chart`` command): ``output`` is a file (for
    one measure), a folder (existing, or ending in '/'), ``-`` for standard output, or
    None for the diagram's folder, each chart named DIAGRAM.MEASURE.FORMAT. Names that
    do not fit are an :class:`OptionError`; no measure with data, a located error."""
    from .readers.diagram import STDIN  # loaded already: the diagram was read

    with_data = [m for m in chosen if any(value is not None for value in m.values)]
    notes = tuple(
        f"note: {m.id} has no data yet; no chart drawn" for m in chosen if m not in with_data
    )
    if not with_data:
        raise InvalidDiagram([Problem(Location(diagram.path), message) for message in notes])
    if output is not None and output != "-" and Path(output).is_dir():
        output = output.rstrip("/" + os.sep) + "/"
    one_file = output == "-" or (output is not None and not output.endswith(("/", os.sep)))
    suffix = ""
    if one_file and output is not None and output != "-":
        suffix = Path(output).suffix.lower().lstrip(".")
    if suffix in CHART_FORMATS:
        if format is not None and format != suffix:
            raise OptionError(
                f"-o {output} ends in .{suffix} but the format is {format};"
                " drop -f or make them agree"
            )
        format = suffix
    elif suffix:
        raise OptionError(f"-o {output}: a chart file ends in .svg, .png or .pdf")
    format = format or "svg"
    if one_file and len(with_data) > 1:
        raise OptionError(
            f"-o {output} names one file, but {diagram.path} has {len(with_data)} measures"
            " with data; add --measure ID, or give a folder ending in '/'"
        )
    stdin = diagram.path == STDIN
    stem = "diagram" if stdin else Path(diagram.path).stem
    targets: list[tuple[Measure, Path | None]] = []
    for measure in with_data:
        name = f"{stem}.{measure.id}.{format}"
        if output == "-":
            targets.append((measure, None))
        elif output is None:
            targets.append((measure, (Path() if stdin else Path(diagram.path).parent) / name))
        elif output.endswith(("/", os.sep)):
            targets.append((measure, Path(output) / name))
        else:
            targets.append((measure, Path(output)))
    return ChartPlan(format, tuple(targets), one_file and output != "-", notes)
