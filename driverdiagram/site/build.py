"""Build the portal: find the diagrams, read them all, then write every page.

The output folder is the site's own: it must be new, empty (hidden files such as a
``.git`` aside) or one this module built before, which it knows by the list of files
it keeps there (:data:`MANIFEST`). Pages it wrote before and no longer writes are
removed, and nothing else ever is. No write goes through a symbolic link, no folder
inside the site is reached through one, and each file is written atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DiagramError, Location, OptionError, Problem, RenderError
from ..files import (
    holds,
    make_folder,
    make_stage,
    move_in,
    read_bytes,
    refuse_input,
    refuse_link,
    remove_file,
    remove_stage,
    write_atomic,
)
from ..limits import Limits, current, limits
from ..measures.chart import chart
from ..model import Diagram
from ..readers import diagram as reader
from ..style import DEFAULT, Theme
from ..summary import alt_text, practice_table
from . import history, pages, record
from .names import numbered
from .record import Record

if TYPE_CHECKING:
    import jinja2

#: The list of the files the site is made of, kept at its top: what a rebuild may
#: replace or remove, and how an output folder is known to be a site.
MANIFEST = ".driverdiagram-site"
#: The names the site's files have (what a list of them may hold): its stylesheet,
#: pages and charts, in at most two folders, each name ours (see :mod:`.names`).
_OURS = re.compile(r"(?:[a-z0-9][a-z0-9-]*/){0,2}[a-z0-9][a-z0-9-]*\.(?:html|svg|css)\Z")
#: What a diagram file is called, in a folder searched for them.
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Built:
    """What :func:`build` did: the files written, new or changed (paths inside the
    output folder: the programme's, then each diagram's, in order), the files removed
    because no diagram makes them any more, the problems of the diagrams left out
    (each invalid file), the warnings of those read (text cut short by a comment, a
    CSV read as Windows-1252), and the files that already held what they should
    (left as they were, so a server or a sync sees them unchanged), and the diagram
    files whose pages were drawn (the others were up to date)."""

    written: tuple[str, ...]
    removed: tuple[str, ...]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    kept: tuple[str, ...] = ()
    drawn: tuple[str, ...] = ()

    @property
    def files(self) -> tuple[str, ...]:
        """Every file of the site, written or kept."""
        return tuple(sorted((*self.written, *self.kept)))


def find(paths: list[str] | tuple[str, ...], out: Path) -> tuple[list[str], list[Problem]]:
    """The diagram files: each file named, and in each folder named every YAML file
    that is meant as a diagram (the ``--diagrams-only`` rule), in name order, passing
    over hidden folders, symbolic links to folders, the output folder, and links to
    files outside the folder (each reported)."""
    found: list[str] = []
    problems: list[Problem] = []
    skip = os.path.realpath(out)
    for path in paths:
        if os.path.isdir(path):
            top = os.path.realpath(path)
            for folder, subfolders, files in os.walk(path):
                subfolders[:] = sorted(
                    name
                    for name in subfolders
                    if not name.startswith(".")
                    and os.path.realpath(os.path.join(folder, name)) != skip
                )
                for name in sorted(files):
                    if name.lower().endswith(SUFFIXES) and not name.startswith("."):
                        file = os.path.join(folder, name)
                        real = os.path.realpath(file)
                        if os.path.commonpath([top, real]) != top:
                            # a link that leads out of the folder: a folder someone sent
                            # must not publish a diagram from elsewhere on this computer
                            problems.append(
                                Problem(
                                    Location(file),
                                    "is a link to a file outside the folder, passed over;"
                                    " name the file itself to put it in the site",
                                )
                            )
                        elif _looks_like_diagram(file):
                            found.append(file)
        elif os.path.lexists(path):
            found.append(path)
        else:
            problems.append(Problem(Location(path), "no such file or folder"))
    seen: set[str] = set()
    unique_files = []
    for file in found:
        real = os.path.realpath(file)
        if real not in seen:
            seen.add(real)
            unique_files.append(file)
    return unique_files, problems


def _looks_like_diagram(path: str) -> bool:
    try:
        return reader.looks_like_diagram(read_bytes(path))
    except DiagramError:
        return True  # read it as a diagram, so the user is told why it cannot be read


#: What a build's stage inside the site is called (``.driverdiagram-build.PID.RANDOM``).
STAGE = ".driverdiagram-build"


def build(
    paths: list[str] | tuple[str, ...],
    out: str | os.PathLike[str],
    *,
    title: str | None = None,
    contact: str = "",
    theme: Theme = DEFAULT,
    since: str | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Built:
    """Build the site of the diagrams in ``paths`` (files, or folders searched for
    them) into the folder ``out``; see :class:`Built`. Every diagram is read before
    anything is written; one that is invalid is left out and its problems returned.
    ``since`` (a revision or a date) is where the programme page's "what changed"
    starts; see :func:`.history.since`. ``contact`` is the coach's e-mail address the
    forms' e-mails go to (checked: see :func:`.pages.programme`).

    Only the pages of diagrams that changed since the last build are drawn again (see
    :mod:`.record`; ``force`` draws all), on ``jobs`` processes (default: one per
    core), ``progress(done, total)`` told after each diagram drawn. The new and
    changed files are written aside, in a stage inside ``out``, and moved into place
    only once every one is ready: a build that fails or is stopped part way (Graphviz's
    time limit, an interrupt) leaves the site as it was. The same inputs give the same
    bytes, whatever ``jobs`` and whatever was built before."""
    if jobs is not None and jobs < 1:
        raise OptionError("--jobs must be 1 or more")
    programme = pages.programme(title, contact)
    target = Path(out)
    refuse_link(target)
    old = _manifest(target)
    files, problems = find(paths, target)
    diagrams: list[Diagram] = []
    sources: list[str] = []
    warnings: list[Problem] = []
    for file in files:
        try:
            data = read_bytes(file)
            diagram = reader.loads(
                reader.text_of(data, file), file, base=os.path.dirname(file) or "."
            )
        except DiagramError as error:
            problems.extend(error.problems)
            continue
        diagrams.append(diagram)
        sources.append(hashlib.sha256(data).hexdigest())
        warnings.extend((*diagram.warnings, *diagram.unread))
    folders = numbered((Path(diagram.path).stem for diagram in diagrams), "diagram")
    named = [(d, pages.names_of(d, folder)) for d, folder in zip(diagrams, folders, strict=True)]
    site = _Stage(target, [diagram.path for diagram in diagrams])
    asked: dict[str, list[Any]] = {}  # each file's newest commit, for the next build
    heads = history.heads(diagrams, site.record.heads, asked)
    changed = history.since(diagrams, heads, since)
    keys = [
        record.key(d, source, folder, programme, theme, head)
        for d, source, folder, head in zip(diagrams, sources, folders, heads, strict=True)
    ]
    created = not target.exists()
    make_folder(target)
    try:
        kept = _diagram_files(site, named, heads, keys, programme, theme, jobs, force, progress)
        _programme_files(site, named, heads, changed, programme)
    except BaseException:
        site.discard()
        if created:
            with contextlib.suppress(OSError):
                target.rmdir()  # a first build that failed leaves no empty folder behind
        raise
    removed = site.finish(old)
    site.record.save(kept, asked)
    return Built(
        tuple(site.written),
        tuple(removed),
        tuple(problems),
        tuple(warnings),
        tuple(site.kept),
        tuple(diagrams[index].path for index in sorted(site.drawn)),
    )


def _diagram_files(
    site: _Stage,
    named: list[tuple[Diagram, pages.Names]],
    heads: list[history.Head],
    keys: list[str],
    programme: pages.Programme,
    theme: Theme,
    jobs: int | None,
    force: bool,
    progress: Callable[[int, int], None] | None,
) -> dict[str, dict[str, str]]:
    """Each diagram's pages: those up to date left as they are, the others drawn (on a
    pool of processes when there are several) and staged. What the record should keep:
    key -> {file: its hash}."""
    built: dict[str, dict[str, str]] = {}
    work: list[_Job] = []
    for index, ((diagram, names), head, key) in enumerate(zip(named, heads, keys, strict=True)):
        fresh = None if force else site.record.fresh(key, site.top)
        if fresh is not None:
            site.keep(index, fresh)
            built[key] = site.record.entries[key]
        else:
            work.append(_Job(index, diagram, names, programme, theme, head, current()))
    done = 0
    if progress is not None and work:
        progress(done, len(work))
    for job, made in _drawn(work, jobs):
        built[keys[job.index]] = {name: hashlib.sha256(data).hexdigest() for name, data in made}
        for name, data in made:
            site.write(name, data, job.index)
        site.drawn.append(job.index)
        done += 1
        if progress is not None:
            progress(done, len(work))
    return built


@dataclass(frozen=True)
class _Job:
    """One diagram's pages to draw, here or in a worker process."""

    index: int
    diagram: Diagram
    names: pages.Names
    programme: pages.Programme
    theme: Theme
    head: history.Head
    limits: Limits


#: Fewer diagrams than this to draw are drawn here: starting workers costs more.
POOL_FROM = 2


def _drawn(work: list[_Job], jobs: int | None) -> Iterator[tuple[_Job, list[tuple[str, bytes]]]]:
    """Each job with its files, in the order they are done: here, or on a pool of
    worker processes."""
    workers = min(jobs or os.cpu_count() or 1, len(work))
    pool: ProcessPoolExecutor | None = None
    # a process with threads (the live preview's server) draws here: a forked worker
    # could inherit a lock another thread holds, and a spawned one would run the
    # caller's script again to find its functions
    if workers >= 2 and len(work) >= POOL_FROM and threading.active_count() == 1:
        import multiprocessing

        forks = "fork" in multiprocessing.get_all_start_methods()
        if forks:
            _warm()
        try:
            context = multiprocessing.get_context("fork" if forks else None)
            pool = ProcessPoolExecutor(workers, mp_context=context)
        except (OSError, NotImplementedError, ValueError):
            pool = None  # no process support here (no /dev/shm, say): draw one by one
    if pool is None:
        for job in work:
            yield job, _draw(job)
        return
    try:
        futures = {pool.submit(_draw, job): job for job in work}
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _warm() -> None:
    """Load, once and here, what every worker needs (the templates, matplotlib and its
    fonts), so that each forked worker starts with it instead of loading it again."""
    _environment()
    import matplotlib.backends.backend_svg
    import matplotlib.dates
    import matplotlib.figure
    import matplotlib.font_manager  # noqa: F401


def _draw(job: _Job) -> list[tuple[str, bytes]]:
    """A diagram's files (its charts, its page, its change ideas' pages), in order."""
    with limits(**asdict(job.limits)):
        past, _ = history.history_of(job.diagram, head=job.head)
        return list(
            _diagram_pages(_environment(), job.diagram, job.names, job.programme, job.theme, past)
        )


@cache
def _environment() -> jinja2.Environment:
    return pages.environment()


def _programme_files(
    site: _Stage,
    named: list[tuple[Diagram, pages.Names]],
    heads: list[history.Head],
    changed: history.Since,
    programme: pages.Programme,
) -> None:
    """The files the whole site shares: the stylesheet, the icons and the programme
    page (its cards, what changed since, the change ideas several teams share)."""
    site.write(pages.STYLESHEET, pages.stylesheet())
    site.write(pages.ICON, pages.site_icon())
    # the Making Data Count icons any measure shows, each file once
    icons = {icon.src: icon for d, _ in named for m in d.measures for icon in pages.icons_of(m)}
    for src in sorted(icons):
        site.write(src, pages.icon_svg(icons[src]))
    cards = [
        pages.card_of(d, names, head.committed)
        for (d, names), head in zip(named, heads, strict=True)
    ]
    columns, shared = pages.shared_ideas(named)
    site.write(
        "index.html",
        pages.render(
            _environment(),
            "index.html",
            title=programme.title,
            root="",
            cards=cards,
            columns=columns,
            shared=shared,
            since=changed,
            changed=[(cards[team.index], team) for team in changed.teams],
        ),
    )


def _diagram_pages(
    env: jinja2.Environment,
    diagram: Diagram,
    names: pages.Names,
    programme: pages.Programme,
    theme: Theme,
    past: history.History,
) -> Iterator[tuple[str, bytes]]:
    folder = names.folder
    charts = {m.id: pages.chart_of(diagram, m, names) for m in diagram.measures}
    for measure in diagram.measures:
        if measure.points:
            yield f"{folder}/{names.chart(measure)}", chart(diagram, measure, "svg")
    common = {
        "programme": programme.title,
        "root": "../",
        "diagram": diagram,
        "diagram_title": pages.card_title(diagram),
        "charts": charts,
        "names": names,
    }
    outline = pages.outline_of(diagram, names)
    ideas = pages.ideas_of(diagram, names)
    yield (
        f"{folder}/index.html",
        pages.render(
            env,
            "diagram.html",
            **common,
            title=pages.card_title(diagram),
            svg=pages.markup(pages.linked_svg(diagram, names, theme)),
            alt=alt_text(diagram),
            outline=outline,
            practice=practice_table(diagram),
            ideas=[idea for idea in ideas if idea.cycles],
            forms={
                m.id: pages.month_form(diagram, m, charts[m.id].anchor, programme.contact)
                for m in diagram.measures
            },
            history=past,
            most=history.MOST,
        ),
    )
    for idea in ideas:
        watched = list(dict.fromkeys(m for cycle in idea.cycles for m in cycle.measures))
        yield (
            f"{folder}/{idea.href}",
            pages.render(
                env,
                "change.html",
                **common,
                title=" ".join(idea.node.text.split()),
                idea=idea,
                paths=pages.paths_to_aim(diagram, idea.node.id),
                form=pages.cycle_form(diagram, idea.node, programme.contact),
                watched=[charts[m] for m in watched if m in charts],
            ),
        )


class _Stage:
    """The files of a build, written aside in a stage inside the site's folder, then
    moved into place together; and their list (:data:`MANIFEST`)."""

    def __init__(self, top: Path, inputs: list[str]) -> None:
        self.top = top
        self.inputs = inputs
        self.record = Record(top)
        self.stage: Path | None = None
        self.staged: dict[int, list[str]] = {}  # by diagram (-1: the programme's files)
        self.unchanged: dict[int, list[str]] = {}  # files that already hold what is built
        self.written: list[str] = []
        self.kept: list[str] = []
        self.drawn: list[int] = []  # the diagrams whose pages were drawn

    def write(self, name: str, data: bytes, owner: int = -1) -> None:
        """Stage a file of the site, unless it already holds exactly ``data``."""
        path = self.top / name
        for source in self.inputs:
            refuse_input(source, path)
        if holds(path, data):
            self.unchanged.setdefault(owner, []).append(name)
            return
        if self.stage is None:
            self.stage = make_stage(self.top, STAGE)
        staged = self.stage / name
        make_folder(staged.parent, inside=self.stage)
        write_atomic(staged, data)
        self.staged.setdefault(owner, []).append(name)

    def keep(self, owner: int, names: list[str]) -> None:
        """A diagram's files that are up to date: left as they are."""
        self.unchanged.setdefault(owner, []).extend(names)

    def discard(self) -> None:
        """Forget a build that failed: the site is as it was."""
        if self.stage is not None:
            remove_stage(self.stage)

    def finish(self, old: list[str]) -> list[str]:
        """Move the staged files into place, remove what the last build wrote and this
        one did not, then keep the list; what was removed."""
        owners = sorted(set(self.staged) | set(self.unchanged))
        self.written = [name for owner in owners for name in self.staged.get(owner, [])]
        self.kept = [name for owner in owners for name in self.unchanged.get(owner, [])]
        moved: list[str] = []
        try:
            with _interrupts_held():
                for name in self.written:
                    if self.stage is not None:
                        move_in(self.stage / name, self.top / name, self.top)
                        moved.append(name)
        except BaseException:
            # stopped while moving the files in (a full disk): list every file moved
            # with the last build's and the up-to-date ones, so the next build takes
            # the folder as its own and tidies it, instead of refusing a folder of pages
            self._list(set(moved) | set(old) | set(self.kept))
            raise
        finally:
            self.discard()
        kept = set(self.written) | set(self.kept)
        removed = []
        for name in old:
            if name not in kept and remove_file(self.top / name, self.top):
                removed.append(name)
        self._list(kept)
        return removed

    def _list(self, names: set[str]) -> None:
        """Keep the list of the site's files (:data:`MANIFEST`), in name order."""
        data = "".join(f"{n}\n" for n in sorted(names)).encode()
        if not holds(self.top / MANIFEST, data):
            write_atomic(self.top / MANIFEST, data)


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold an interrupt (Ctrl-C) until the block is done: moving a build's files in
    takes a moment, and stopping half way would leave old pages beside new ones. Only
    the main thread can catch signals; elsewhere the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    before = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
    if caught:
        raise KeyboardInterrupt


def _manifest(top: Path) -> list[str]:
    """The files the site in ``top`` was built with; [] for a new or empty folder. A
    folder with other things in it (hidden ones aside) and no list is refused."""
    if not top.exists():
        return []
    if not top.is_dir():
        raise RenderError.at(Location(str(top)), "is a file; the site is written to a folder")
    listed = top / MANIFEST
    if not os.path.lexists(listed):
        if any(not entry.startswith(".") for entry in os.listdir(top)):
            raise RenderError.at(
                Location(str(top)),
                "is not empty and holds no site built by driverdiagram; choose a new or"
                " empty folder, so no file of yours is overwritten",
            )
        return []
    text = read_bytes(listed).decode("utf-8", "replace")
    # only the kind of name this module writes: inside the site, never up or absolute
    return [line for line in text.splitlines() if _OURS.match(line)]
