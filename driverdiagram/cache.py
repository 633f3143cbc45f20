"""Which drawings are up to date: a record of what was drawn where, from what.

A drawing is up to date when the file it was written to still holds exactly what
was written, and nothing it was drawn from has changed: the diagram file, its
measures' data files, the drawing options and theme, the version of driverdiagram
and the Graphviz program. The record lives in the user's cache folder
(``$XDG_CACHE_HOME/driverdiagram`` or ``~/.cache/driverdiagram``), keyed by the
drawing's real path; deleting it only means the next run draws again. Checking it
reads and hashes files but parses nothing, so a batch with nothing to do takes a
fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from .draw.graphviz import identity
from .errors import DiagramError
from .files import digest as file_digest
from .files import make_folder, read_bytes, write_atomic
from .style import Theme
from .version import __version__

CACHE_FORMAT = 1
#: A record larger than this is not read (about 200,000 drawings).
CACHE_BYTES = 64 * 2**20
#: The most drawings the record keeps: those drawn last (a drawing not drawn again
#: since is only drawn once more if it is asked for).
CACHE_MOST = 50_000


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key_path(target: Path) -> str:
    """The key of a drawing in the record: its real path."""
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
        self.problem = ""  # why the record could not be written, if it could not
        self.sources: dict[str, str] = {}  # input -> its hash, this run
        self.graphviz: str | None = None  # which dot draws, looked up once a run
        try:
            raw = read_bytes(self.path, limit=CACHE_BYTES)
            data = json.loads(raw) if len(raw) <= CACHE_BYTES else None
        except (DiagramError, ValueError, RecursionError):
            return  # no record yet, or a damaged one: draw everything
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
            return
        drawings = data.get("drawings")
        if isinstance(drawings, dict):
            self.entries = {
                path: entry
                for path, entry in drawings.items()
                if isinstance(entry, dict) and isinstance(entry.get("data", {}), dict)
            }

    @staticmethod
    def setting(format: str, options: object, theme: Theme) -> str:
        """What a drawing in ``format`` depends on besides its input and tools: the
        same for every file of a batch, so a batch writes it out once a format."""
        if format != "png" and hasattr(options, "dpi"):
            options = replace(options, dpi=None)  # type: ignore[type-var]  # only a PNG's
        return "\0".join([format, repr(options), repr(theme)])

    def key(self, name: str, setting: str) -> str:
        """What a drawing of ``name`` with ``setting`` (:meth:`setting`) depends on,
        besides its data files, as one hash ('' when the input cannot be hashed: it is
        then always drawn)."""
        if name not in self.sources:  # an input drawn in several formats is read once
            self.sources[name] = file_digest(name)
        source = self.sources[name]
        if self.graphviz is None:
            self.graphviz = identity()
        parts = [__version__, self.graphviz, source, setting]
        return digest("\0".join(parts).encode("utf-8")) if source else ""

    def fresh(self, path: str, key: str) -> bool:
        """Whether the drawing at ``path`` (its real path, :func:`key_path`) is up to
        date for ``key``."""
        entry = self.entries.get(path)
        if not key or not entry or entry.get("key") != key:
            return False
        if entry.get("output") != file_digest(path):
            return False  # deleted or edited since it was drawn
        data = entry.get("data") or {}
        return all(
            isinstance(path, str) and file_digest(path) == hashed for path, hashed in data.items()
        )

    def record(self, drawn: dict[str, dict[str, Any]], keys: dict[str, str]) -> None:
        for path, entry in drawn.items():
            self.entries.pop(path, None)  # the newest last: the record keeps the newest
            self.entries[path] = {"key": keys.get(path, ""), **entry}
            self.changed = True

    def pruned(self) -> dict[str, dict[str, Any]]:
        """The entries worth keeping: of drawings still there (a folder of drawings
        deleted takes its entries with it), at most :data:`CACHE_MOST`, the newest."""
        kept = {path: entry for path, entry in self.entries.items() if os.path.lexists(path)}
        if len(kept) > CACHE_MOST:
            kept = dict(list(kept.items())[-CACHE_MOST:])
        return kept

    def save(self) -> None:
        """Write the record atomically; one that cannot be written is passed over (and
        :attr:`problem` says why)."""
        if not self.changed:
            return
        self.entries = self.pruned()
        record = {"format": CACHE_FORMAT, "drawings": self.entries}
        # compact, and without the check for cycles a record of plain data cannot have
        data = json.dumps(record, separators=(",", ":"), check_circular=False).encode("utf-8")
        try:
            make_folder(self.path.parent)
            write_atomic(self.path, data)
        except DiagramError as error:
            self.problem = str(error.problems[0])
