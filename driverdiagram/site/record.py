"""Which of a site's pages are up to date: a record of what each diagram's pages were
built from, so a rebuild after one file changes redraws only that diagram's pages.

A diagram's pages (its page, its change ideas' pages, its charts) are up to date when
every file the record lists for them still holds exactly what was written, and the
diagram's key is the one they were built with: a hash of everything they are made
from (see :func:`key`). The programme page, the icons and the stylesheet are built
every time (they are cheap), as are the history's newest commits (one ``git log``).

The record lives in the user's cache folder (``$XDG_CACHE_HOME/driverdiagram/sites``
or ``~/.cache/driverdiagram/sites``), one file per site folder, never in the site
itself (which is published). Deleting it only means the next build draws everything.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..draw.graphviz import identity
from ..errors import DiagramError
from ..files import make_folder, read_bytes, regular_digest, write_atomic
from ..model import Diagram
from ..style import Theme
from ..version import __version__
from .history import MOST, Head

if TYPE_CHECKING:
    from .pages import Programme

#: Changed when what a key holds changes, so an old record is not trusted.
FORMAT = 1
#: A record larger than this is not read.
RECORD_BYTES = 64 * 2**20
#: The package's own files: what the pages are made by (a change to a template or to
#: the code that fills it changes every key, even before the version changes).
_PACKAGE = Path(__file__).resolve().parent.parent


def _hash(parts: Iterable[str]) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


@cache
def _tools() -> str:
    """driverdiagram's version and files, Graphviz, and the libraries that draw and
    write the pages: asked once a process."""
    from importlib import metadata

    parts = [str(FORMAT), __version__, identity()]
    for library in ("matplotlib", "jinja2", "markupsafe"):
        try:
            parts.append(f"{library} {metadata.version(library)}")
        except metadata.PackageNotFoundError:
            parts.append(library)
    for path in sorted(_PACKAGE.rglob("*")):
        if (
            path.suffix in (".py", ".html", ".css", ".svg", ".json")
            and "__pycache__" not in path.parts
        ):
            parts.append(f"{path.relative_to(_PACKAGE).as_posix()} {regular_digest(path)}")
    return _hash(parts)


def key(
    diagram: Diagram, source: str, folder: str, programme: Programme, theme: Theme, head: Head
) -> str:
    """Everything a diagram's pages are made from, as one hash: the tools (see
    :func:`_tools`), the theme, the programme's title (on every page) and contact (in
    every form's e-mail), the diagram's folder in the site, the bytes of its file
    (``source``, their hash) and of each data file, and its history's newest commit.
    Nothing else goes on its pages: the shared change ideas and what changed since are
    on the programme page only."""
    data = [f"{m.data_file}\0{m.data_digest}" for m in diagram.measures if m.data_file]
    return _hash(
        [
            _tools(),
            repr(theme),
            programme.title,
            programme.contact,
            folder,
            source,
            *data,
            head.key,
            str(MOST),
        ]
    )


def record_path(site: Path) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    name = hashlib.sha256(os.fsencode(os.path.realpath(site))).hexdigest()[:32]
    return Path(base) / "driverdiagram" / "sites" / f"{name}.json"


class Record:
    """What each diagram's pages in one site were built from (see the module's
    docstring): key -> {file name in the site: its hash}."""

    def __init__(self, site: Path) -> None:
        self.path = record_path(site)
        self.site = os.path.realpath(site)
        self.entries: dict[str, dict[str, str]] = {}
        self.heads: dict[str, list[Any]] = {}  # each file's newest commit (history.heads)
        self.problem = ""  # why the record could not be kept, if it could not
        try:
            raw = read_bytes(self.path, limit=RECORD_BYTES)
            data: Any = json.loads(raw) if len(raw) <= RECORD_BYTES else None
        except (DiagramError, ValueError, RecursionError):
            return  # none yet, or damaged: build everything
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return
        if data.get("site") != self.site or not isinstance(data.get("pages"), dict):
            return
        heads = data.get("heads")
        if isinstance(heads, dict):
            self.heads = {k: v for k, v in heads.items() if isinstance(v, list)}
        for entry_key, files in data["pages"].items():
            if isinstance(files, dict) and all(
                isinstance(n, str) and isinstance(h, str) for n, h in files.items()
            ):
                self.entries[entry_key] = files

    def fresh(self, entry_key: str, top: Path) -> list[str] | None:
        """The files of pages built with ``entry_key`` when every one of them still
        holds what was written (a regular file, not a link); None when they must be
        built again."""
        files = self.entries.get(entry_key)
        if not files:
            return None
        for name, hashed in files.items():
            if regular_digest(top / name) != hashed:
                return None  # removed or edited since
        return list(files)

    def save(self, built: dict[str, dict[str, str]], heads: dict[str, list[Any]]) -> None:
        """Keep the record of this build (the pages of diagrams no longer in the site
        are forgotten, as are the commits asked of git before); one that cannot be
        written is passed over (:attr:`problem`)."""
        self.heads = heads
        data = {"format": FORMAT, "site": self.site, "pages": built, "heads": self.heads}
        try:
            make_folder(self.path.parent)
            write_atomic(self.path, json.dumps(data, sort_keys=True).encode("utf-8"))
        except DiagramError as error:
            self.problem = str(error.problems[0])
