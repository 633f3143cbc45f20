"""Rendering many diagrams: one job per input file, run on all cores, and a cache that
skips drawings already up to date.

A drawing is up to date when the file it was written to still holds exactly what
was written, and nothing it was drawn from has changed: the diagram file, its
measures' data files, the drawing options and theme, the version of
driverdiagram and the Graphviz program. The cache lives in the user's cache
folder (``$XDG_CACHE_HOME/driverdiagram`` or ``~/.cache/driverdiagram``), keyed by
the drawing's absolute path; deleting it only means the next run draws again.
Checking it reads and hashes files but parses nothing, so a batch with nothing to
do takes a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .draw.graphviz import identity

if TYPE_CHECKING:
    from .limits import Limits
    from .style import Theme

CACHE_FORMAT = 1
#: A record larger than this is not read (about 200,000 drawings).
CACHE_BYTES = 64 * 2**20


@dataclass(frozen=True)
class Options:
    """How every drawing of a batch is made."""

    arrows: str = "none"
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
    graphviz_missing: str = ""
    drawn: dict[str, dict[str, Any]] = field(default_factory=dict)  # cache entries by path


def run(job: Job, options: Options, theme: Theme, limits: Limits) -> Outcome:
    """Load one diagram and make its drawings (in this process or a worker)."""
    from . import views
    from .cli import _load as load_input
    from .draw.render import render, render_split
    from .errors import DiagramError, GraphvizNotFound
    from .files import make_folder

    outcome = Outcome()
    from .limits import limits as limits_in

    with limits_in(**asdict(limits)):
        try:
            diagram = load_input(job.name)  # standard input only in a batch of one, here
            folded: dict[str, int] = {}
            if options.focus is not None:
                diagram = views.focus(diagram, options.focus)
            if options.depth is not None:
                diagram, folded = views.depth(diagram, options.depth)
        except DiagramError as error:
            outcome.lines += [(True, line) for line in problem_lines(error)]
            outcome.failed = True
            return outcome
        for format, target in job.targets:
            try:
                if target is not None:
                    make_folder(target.parent)
                if options.split:
                    data = render_split(
                        diagram,
                        path=target,
                        theme=theme,
                        page=options.page,
                        portrait=options.portrait,
                        arrows=options.arrows,
                        named=job.named,
                    )
                else:
                    data = render(
                        diagram,
                        format,
                        path=target,
                        arrows=options.arrows,
                        dpi=options.dpi,
                        theme=theme,
                        folded=folded,
                        page=options.page,
                        portrait=options.portrait,
                        named=job.named,
                    )
            except GraphvizNotFound as error:
                outcome.graphviz_missing = "\n".join(problem_lines(error))
                return outcome
            except DiagramError as error:
                outcome.lines += [(True, line) for line in problem_lines(error)]
                outcome.failed = True
                continue
            if target is None:
                outcome.data = data
            else:
                outcome.lines.append((False, str(target)))
                outcome.drawn[_key_path(target)] = {
                    "output": _digest(data),
                    # the data as it was read for this drawing, by real path
                    "data": {m.data_file: m.data_digest for m in diagram.measures if m.data_file},
                }
        if options.page is not None and not options.split:
            note = _small_text_note(diagram, options.page, options.portrait, theme)
            if note:
                outcome.lines.append((True, note))
    return outcome


def problem_lines(error: Any) -> list[str]:
    """A DiagramError's problems as the command line prints them."""
    return [problem.with_code for problem in error.problems]


def _small_text_note(diagram: Any, page: str, portrait: bool, theme: Theme) -> str:
    from .draw.pages import READABLE
    from .draw.render import smallest_printed_text
    from .errors import DiagramError

    try:
        smallest = smallest_printed_text(diagram, page, portrait, theme)
    except DiagramError:
        return ""  # the drawing itself reported any trouble
    if smallest >= READABLE:
        return ""
    bigger = {"a4": "a3", "letter": "tabloid"}.get(page)
    advice = f"--page {bigger}, " if bigger else ""
    return (
        f"note: {diagram.path} fitted to {page.upper()} prints its smallest text at"
        f" {smallest:.1f} pt, below {READABLE:g} pt; try {advice}--depth 2,"
        " --focus ID or --split"
    )


# -- the cache ---------------------------------------------------------------------------


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: str | Path) -> str:
    """The file's hash, or '' when it is not a regular file within the size limit
    (a link to /dev/zero is not hashed for ever)."""
    from .files import digest

    return digest(path)


def _key_path(target: Path) -> str:
    return os.path.realpath(target)


def cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "driverdiagram" / "drawings.json"


class Cache:
    """What was drawn where, from what; see the module's docstring."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or cache_path()
        self.entries: dict[str, dict[str, Any]] = {}
        self.changed = False
        self.problem = ""  # why the cache could not be written, if it could not
        self.sources: dict[str, str] = {}  # input -> its hash, this run
        self.graphviz: str | None = None  # which dot draws, looked up once a run
        from .errors import DiagramError
        from .files import read_bytes

        try:
            raw = read_bytes(self.path, limit=CACHE_BYTES)
            data = json.loads(raw) if len(raw) <= CACHE_BYTES else None
        except (DiagramError, ValueError, RecursionError):
            return  # no cache yet, or a damaged one: draw everything
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
            return
        drawings = data.get("drawings")
        if isinstance(drawings, dict):
            self.entries = {
                path: entry
                for path, entry in drawings.items()
                if isinstance(entry, dict) and isinstance(entry.get("data", {}), dict)
            }

    def key(self, name: str, format: str, options: Options, theme: Theme) -> str:
        """What a drawing depends on, besides its data files, as one hash."""
        if name not in self.sources:  # an input drawn in several formats is read once
            self.sources[name] = _file_digest(name)
        source = self.sources[name]
        if self.graphviz is None:
            self.graphviz = identity()
        if format != "png":
            options = replace(options, dpi=None)  # resolution only changes a PNG
        parts = [__version__, self.graphviz, source, format, repr(options), repr(theme)]
        return _digest("\0".join(parts).encode("utf-8")) if source else ""

    def fresh(self, target: Path, key: str) -> bool:
        """Whether the drawing at ``target`` is up to date for ``key``."""
        entry = self.entries.get(_key_path(target))
        if not key or not entry or entry.get("key") != key:
            return False
        if entry.get("output") != _file_digest(target):
            return False  # deleted or edited since it was drawn
        data = entry.get("data") or {}
        return all(
            isinstance(path, str) and _file_digest(path) == digest for path, digest in data.items()
        )

    def record(self, drawn: dict[str, dict[str, Any]], keys: dict[str, str]) -> None:
        for path, entry in drawn.items():
            self.entries[path] = {"key": keys.get(path, ""), **entry}
            self.changed = True

    def save(self) -> None:
        """Write the cache atomically; a cache that cannot be written is passed over."""
        if not self.changed:
            return
        from .errors import DiagramError
        from .files import make_folder, write_atomic

        data = json.dumps({"format": CACHE_FORMAT, "drawings": self.entries}).encode("utf-8")
        try:
            make_folder(self.path.parent)
            write_atomic(self.path, data)
        except DiagramError as error:
            self.problem = str(error.problems[0])

    def key_path(self, target: Path) -> str:
        return _key_path(target)
