"""The I/O edge: bounded reads that never block, data paths kept inside the diagram's
folder, atomic writes that never go through a link the tool did not choose, and git.

Every file driverdiagram reads or writes goes through here, so the rules for a folder
someone else sent hold everywhere:

- a file is read only when it is a regular file (not a pipe, a device or a socket),
  opened without blocking, and at most one byte more than the size limit is read;
- a path written in a diagram (a measure's ``data:``) must stay inside the diagram's
  folder, or the root of the git repository that holds it, unless the user allows
  more (``--allow-outside-data``);
- a file the tool names itself (beside the input, inside an output folder) is
  written only as a regular file: never through a symbolic link, never onto a
  device or a pipe. A path the user typed (``-o FILE``) may be a device such as
  ``/dev/null``, never a link to a regular file;
- a write is atomic: a temporary file beside the target, renamed over it, removed
  on any failure; temporary files left by a killed run are cleaned up next time.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import InvalidDiagram, Location, Problem, RenderError
from .limits import current, megabytes
from .text import excerpt, one_line

#: What a temporary file is called: ``.NAME.PID.RANDOM.ddtmp`` beside its target.
_TEMP_SUFFIX = ".ddtmp"
#: A temporary file this old, whose process is gone, is left from a killed run.
STALE_SECONDS = 60.0


# -- reading ------------------------------------------------------------------------


def read_bytes(path: str | os.PathLike[str], *, limit: int | None = None, name: str = "") -> bytes:
    """The bytes of a regular file: at most ``limit`` + 1 of them (the file-size limit
    by default), so the caller can tell a file that is too large. Raises
    :class:`InvalidDiagram`, located at ``name`` (the path by default), for a file
    that is missing, a folder, not a regular file, or unreadable. Never blocks: a
    pipe or a device is refused before it is read."""
    shown = name or os.fspath(path)
    most = current().file_bytes if limit is None else limit
    where = Location(shown)
    try:
        status = os.stat(path)
        _check_regular(status, where)
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _NOCTTY | _CLOEXEC)
    except FileNotFoundError as error:
        raise InvalidDiagram.at(where, "no such file") from error
    except OSError as error:
        raise InvalidDiagram.at(where, f"cannot read the file ({_reason(error)})") from error
    with os.fdopen(descriptor, "rb") as file:
        opened = os.fstat(file.fileno())
        _check_regular(opened, where)  # the same file as was looked at
        try:
            # as much as the file holds and one byte more (a buffer of the whole limit
            # for every small file would cost more than reading it); then the rest, up
            # to the limit, of a file that grew since
            data = file.read(min(most, opened.st_size) + 1)
            if most >= len(data) > opened.st_size:
                data += file.read(most + 1 - len(data))
            return data
        except OSError as error:
            raise InvalidDiagram.at(where, f"cannot read the file ({_reason(error)})") from error


_NOCTTY = getattr(os, "O_NOCTTY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _check_regular(status: os.stat_result, where: Location) -> None:
    if stat.S_ISDIR(status.st_mode):
        raise InvalidDiagram.at(where, "is a folder, not a file")
    if not stat.S_ISREG(status.st_mode):
        raise InvalidDiagram.at(
            where,
            f"is {_kind(status.st_mode)}, not a regular file; driverdiagram reads only files",
        )


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def decode(data: bytes, name: str) -> str:
    """Bytes -> text, accepting UTF-8 with or without a byte-order mark, nothing else."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InvalidDiagram.at(
            Location(name, 1, 1), "the file is UTF-16 text; save it with UTF-8 encoding"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        at = _in_data(data, error)
        raise InvalidDiagram.at(
            _byte_location(data, at, name),
            f"the file is not UTF-8 text (byte 0x{data[at]:02X} here cannot be read);"
            " save it with UTF-8 encoding",
        ) from error


#: How to save a CSV file so that it is UTF-8, in Excel's words.
SAVE_CSV_UTF8 = 'save it in Excel with File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)"'
#: What Windows-1252 leaves undefined, and control characters other than tab and line
#: breaks: bytes that are not in a CSV file a spreadsheet wrote in that encoding.
_NOT_CP1252 = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x81\x8d\x8f\x90\x9d]")


def decode_csv(data: bytes, name: str) -> tuple[str, Problem | None]:
    """Bytes of a CSV file -> text, and a note for the user when there is one.

    UTF-8 (with or without a byte-order mark) is read as it is. Bytes that are not
    UTF-8 but are clean Windows-1252 text, as Excel's "CSV (Comma delimited)" saves
    them on Windows, are read as Windows-1252, with a note located at the first byte
    that is not UTF-8. Anything else is a located error that says how to save the
    file as CSV UTF-8. (Diagram files are UTF-8 only: see :func:`decode`.)
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InvalidDiagram.at(
            Location(name, 1, 1), f"the file is UTF-16 text, not UTF-8; {SAVE_CSV_UTF8}"
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        first = _in_data(data, error)
    bad = _NOT_CP1252.search(data)
    if data.startswith(codecs.BOM_UTF8) or bad is not None:
        at = first if data.startswith(codecs.BOM_UTF8) or bad is None else bad.start()
        byte = data[at]
        why = "is a control character, not text" if byte < 0x80 else "cannot be read"
        raise InvalidDiagram.at(
            _byte_location(data, at, name),
            f"the file is neither UTF-8 nor Windows-1252 text (byte 0x{byte:02X} here {why});"
            f" {SAVE_CSV_UTF8}",
        )
    char = data[first : first + 1].decode("cp1252")
    note = Problem(
        _byte_location(data, first, name, "cp1252"),
        f'read as Windows-1252, as Excel saves "CSV (Comma delimited)" (byte'
        f" 0x{data[first]:02X} here is '{char}'); if a letter looks wrong, {SAVE_CSV_UTF8}",
        severity="note",
    )
    return data.decode("cp1252"), note


def _in_data(data: bytes, error: UnicodeDecodeError) -> int:
    """Where in ``data`` a UTF-8 error is: 'utf-8-sig' counts from after the mark."""
    return error.start + (len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)


def _byte_location(data: bytes, index: int, name: str, encoding: str = "utf-8") -> Location:
    """The line and column of a byte, counting the characters before it on its line (a
    byte-order mark is not one)."""
    start = data.rfind(b"\n", 0, index) + 1
    if start == 0 and data.startswith(codecs.BOM_UTF8):
        start = len(codecs.BOM_UTF8)
    line = data.count(b"\n", 0, index) + 1
    return Location(name, line, len(data[start:index].decode(encoding, "replace")) + 1)


def read_input(name: str) -> bytes:
    """The bytes of a file named on the command line, or of standard input for ``-``:
    at most one byte more than the size limit either way."""
    if name == "-":
        return sys.stdin.buffer.read(current().file_bytes + 1)
    return read_bytes(name)


def digest(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a regular file no larger than the file-size limit, or '' for
    anything else (missing, too large, a device, a pipe): what a drawing cache may
    trust without reading without bound."""
    import hashlib

    try:
        data = read_bytes(path)
    except InvalidDiagram:
        return ""
    if len(data) > current().file_bytes:
        return ""
    return hashlib.sha256(data).hexdigest()


# -- where a diagram may read from --------------------------------------------------------


def roots(diagram_folder: str) -> list[str]:
    """The folders a diagram in ``diagram_folder`` may read its data files from: that
    folder, and the root of the git repository that holds it, when there is one
    (but never a home folder or the filesystem's root: a repository of settings
    kept there would open every private file to a diagram that was sent)."""
    folder = os.path.realpath(diagram_folder or ".")
    found = [folder]
    home = os.path.realpath(os.path.expanduser("~"))
    for place in (folder, *(str(parent) for parent in Path(folder).parents)):
        if os.path.lexists(os.path.join(place, ".git")):
            if place not in (home, os.path.dirname(home), os.sep) and place != folder:
                found.append(place)
            break
    return found


def outside(path: str, allowed: list[str]) -> bool:
    """Whether ``path``, with every link in it followed, is outside all of ``allowed``
    (real paths), or reaches into a ``.git`` folder."""
    real = os.path.realpath(path)
    parts = Path(real).parts
    if ".git" in parts:
        return True
    return not any(
        real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in allowed
    )


# -- writing --------------------------------------------------------------------------


def refuse_input(input_name: str, target: Path) -> None:
    """Never let an output replace the diagram file it was made from."""
    source = Path(input_name)
    try:
        same = source.samefile(target)
    except OSError:
        same = os.path.realpath(source) == os.path.realpath(target)
    if same:
        raise RenderError.at(
            Location(str(target)),
            "refusing to overwrite the diagram file itself; choose another output name",
        )


def refuse_linked_folder(folder: str | os.PathLike[str], base: str | os.PathLike[str]) -> None:
    """Refuse an output folder inside ``base`` (the diagram's folder) that is reached
    through a symbolic link: a link planted in a folder someone sent (``out -> ~/.ssh``)
    must not carry the outputs elsewhere. Folders outside ``base`` are the user's own."""
    top = Path(os.path.abspath(base))
    place = Path(os.path.abspath(folder))
    try:
        parts = place.relative_to(top).parts
    except ValueError:
        return
    for part in parts:
        top = top / part
        if os.path.islink(top):
            raise _link_error(top)


def make_folder(folder: Path, inside: str | os.PathLike[str] | None = None) -> None:
    """Create an output folder (and those above it) when the first output is ready;
    with ``inside`` (the diagram's folder), first refuse one reached through a link
    within it (see :func:`refuse_linked_folder`)."""
    if inside is not None:
        refuse_linked_folder(folder, inside)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as error:
        raise RenderError.at(Location(str(folder)), "is a file, not a folder") from error
    except OSError as error:
        raise RenderError.at(
            Location(str(folder)), f"cannot create the folder ({_reason(error)})"
        ) from error


def write_atomic(path: str | os.PathLike[str], data: bytes, *, named: bool = False) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new one,
    never half of one: a temporary file beside it, then renamed over it.

    ``path`` must be a regular file or not exist yet; a symbolic link is refused
    (renaming over it would be safe, but a link there means someone expects the
    write to go elsewhere). With ``named`` (the user typed this path, as ``-o
    FILE``) a device or a pipe, such as ``/dev/null`` or ``/dev/stdout``, is
    written directly, without waiting for a pipe nobody reads. The new file has
    the old one's permissions without set-user-id, set-group-id or sticky bits, or
    the usual ones for a new file.
    """
    target = Path(path)
    where = Location(str(target))
    link = _status(target, where)
    if link is not None and stat.S_ISLNK(link.st_mode):
        try:
            pointed = os.stat(target)
        except OSError:
            pointed = None
        if named and pointed is not None and _stream(pointed.st_mode):
            _write_stream(target, data, where)
            return
        raise _link_error(target)
    if link is not None and stat.S_ISDIR(link.st_mode):
        raise RenderError.at(where, "is a folder; name a file to write")
    if link is not None and not stat.S_ISREG(link.st_mode):
        if named and _stream(link.st_mode):
            _write_stream(target, data, where)
            return
        raise RenderError.at(
            where, f"is {_kind(link.st_mode)}, not a regular file; choose another name"
        )
    if link is not None:
        mode = stat.S_IMODE(link.st_mode) & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    folder = target.parent
    _sweep(folder)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=folder, prefix=f".{target.name}.{os.getpid()}.", suffix=_TEMP_SUFFIX
        )
    except OSError as error:
        raise RenderError.at(where, f"cannot write here ({_reason(error)})") from error
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as error:  # an interrupt too: never leave the temporary file
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise RenderError.at(where, f"cannot write the file ({_reason(error)})") from error
        raise


def remove_file(path: Path, inside: Path) -> bool:
    """Remove a regular file that driverdiagram wrote in the folder ``inside`` (a page
    of a site no diagram makes any more): never a link, a folder or a device, and
    never in a folder reached through a link. Whether there was one to remove."""
    refuse_linked_folder(path.parent, inside)
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as error:
        raise RenderError.at(
            Location(str(path)), f"cannot look at it ({_reason(error)})"
        ) from error
    if not stat.S_ISREG(status.st_mode):
        return False
    try:
        os.unlink(path)
    except OSError as error:
        raise RenderError.at(Location(str(path)), f"cannot remove it ({_reason(error)})") from error
    return True


# -- a folder of outputs built aside, then moved in --------------------------------------


def regular_digest(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a regular file (a link is not followed), or '' for anything else:
    whether an output is still exactly what was written there."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return ""
    except OSError:
        return ""
    return digest(path)


def holds(path: str | os.PathLike[str], data: bytes) -> bool:
    """Whether ``path`` is a regular file (not a link) holding exactly ``data``."""
    try:
        status = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(status.st_mode) or status.st_size != len(data):
        return False
    try:
        return read_bytes(path, limit=len(data)) == data
    except InvalidDiagram:
        return False


def make_stage(top: Path, prefix: str) -> Path:
    """A new private folder inside ``top`` to build outputs in before they are moved into
    place (``PREFIX.PID.RANDOM``, hidden by the prefix's dot); stages left by killed
    runs are removed first."""
    _clean_stages(top, prefix)
    try:
        return Path(tempfile.mkdtemp(dir=top, prefix=f"{prefix}.{os.getpid()}."))
    except OSError as error:
        raise RenderError.at(Location(str(top)), f"cannot write here ({_reason(error)})") from error


def make_temporary(prefix: str) -> Path:
    """A new, empty folder ``site`` in a new private temporary folder (for a site that
    is not kept: remove it with :func:`remove_stage` of its parent)."""
    try:
        folder = Path(tempfile.mkdtemp(prefix=prefix)) / "site"
        folder.mkdir()
    except OSError as error:
        raise RenderError.at(
            Location(tempfile.gettempdir()), f"cannot make a temporary folder ({_reason(error)})"
        ) from error
    return folder


def remove_stage(stage: Path) -> None:
    """Remove a stage and what is left in it (never following a link)."""
    with contextlib.suppress(OSError):
        if stat.S_ISDIR(os.lstat(stage).st_mode):
            shutil.rmtree(stage)


def _clean_stages(top: Path, prefix: str) -> None:
    pattern = re.compile(re.escape(prefix) + r"\.(\d+)\.[^.]+\Z")
    try:
        entries = list(os.scandir(top))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        found = pattern.match(entry.name)
        if found is None:
            continue
        with contextlib.suppress(OSError):
            status = entry.stat(follow_symlinks=False)
            old = stat.S_ISDIR(status.st_mode) and now - status.st_mtime >= STALE_SECONDS
            if old and not _alive(int(found.group(1))):
                shutil.rmtree(entry.path)


def _status(target: Path, where: Location) -> os.stat_result | None:
    """What is at ``target`` now, the link itself if it is one (None: nothing yet); a
    located error when it cannot be looked at."""
    try:
        return os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise RenderError.at(where, f"cannot write here ({_reason(error)})") from error


def move_in(source: Path, target: Path, top: Path) -> None:
    """Move a file built in a stage to its place ``target`` inside the folder ``top``,
    as :func:`write_atomic` would write it: a reader sees the old file or the new one;
    never through a link (the file's or a folder's inside ``top``), never over a folder;
    the old file's permissions kept."""
    make_folder(target.parent, inside=top)
    where = Location(str(target))
    status = _status(target, where)
    if status is not None:
        if stat.S_ISLNK(status.st_mode):
            raise _link_error(target)
        if stat.S_ISDIR(status.st_mode):
            raise RenderError.at(where, "is a folder; name a file to write")
        if not stat.S_ISREG(status.st_mode):
            raise RenderError.at(
                where, f"is {_kind(status.st_mode)}, not a regular file; choose another name"
            )
    try:
        if status is not None:
            os.chmod(source, stat.S_IMODE(status.st_mode) & 0o777)
        os.replace(source, target)
    except OSError as error:
        raise RenderError.at(where, f"cannot write the file ({_reason(error)})") from error


def refuse_link(path: str | os.PathLike[str]) -> None:
    """Refuse, before anything is written, a path that is a symbolic link."""
    if os.path.islink(path):
        raise _link_error(Path(path))


def _link_error(path: Path) -> RenderError:
    try:
        pointed = f" (it points to {one_line(os.readlink(path))}); remove it, or name the file"
        pointed += " itself"
    except OSError:
        pointed = "; remove it, or choose another name"
    return RenderError.at(
        Location(str(path)),
        "is a symbolic link; driverdiagram does not write through links" + pointed,
    )


def _stream(mode: int) -> bool:
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


#: How long a write waits for a reader to open a pipe the user named.
PIPE_WAIT = 10.0


def _write_stream(path: Path, data: bytes, where: Location) -> None:
    """Write to a device or a pipe the user named. A pipe is given a few seconds for
    its reader to open it, then it is an error, not a wait without end."""
    deadline = time.monotonic() + PIPE_WAIT
    while True:
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK | _NOCTTY | _CLOEXEC)
            break
        except OSError as error:
            if error.errno != errno.ENXIO:
                raise RenderError.at(where, f"cannot write ({_reason(error)})") from error
            if time.monotonic() > deadline:  # a pipe with no reader
                raise RenderError.at(
                    where, f"is a pipe that nobody read from for {PIPE_WAIT:g} seconds"
                ) from error
            time.sleep(0.05)
    try:
        os.set_blocking(descriptor, True)  # a reader is there: it sets the pace
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
    except OSError as error:
        raise RenderError.at(where, f"cannot write ({_reason(error)})") from error


#: When this process last swept each folder (by absolute path) of temporary files.
_SWEPT: dict[str, float] = {}
#: A temporary file's name after its target's: ``.PID.RANDOM.ddtmp`` (no '.' in RANDOM).
_TEMP_NAME = re.compile(r"\.(\d+)\.[^.]+" + re.escape(_TEMP_SUFFIX) + r"\Z")


def _sweep(folder: Path) -> None:
    """Clean up ``folder`` (see :func:`clean_stale`) at most once a minute in this
    process: a file left by a killed run is stale only after a minute anyway, and
    scanning the folder before every write made writing N files take N² steps
    (4,000 pages of a site: 50 s)."""
    key = os.path.abspath(folder)
    now = time.monotonic()
    last = _SWEPT.get(key)
    if last is not None and now - last < STALE_SECONDS:
        return
    clean_stale(folder)
    _SWEPT[key] = now


def clean_stale(folder: Path, name: str | None = None) -> None:
    """Remove temporary files left in ``folder`` by a run that was killed (its process
    is gone and the file is older than a minute): those for the file ``name``, or for
    any file."""
    prefix = f".{name}." if name is not None else "."
    try:
        entries = os.scandir(folder)
    except OSError:
        return
    now = time.time()
    with entries:
        for entry in entries:
            if not (entry.name.startswith(prefix) and entry.name.endswith(_TEMP_SUFFIX)):
                continue
            found = _TEMP_NAME.search(entry.name, len(prefix) - 1)
            if found is None:
                continue
            with contextlib.suppress(OSError):
                status = entry.stat(follow_symlinks=False)
                if not stat.S_ISREG(status.st_mode) or now - status.st_mtime < STALE_SECONDS:
                    continue
                if _alive(int(found.group(1))):
                    continue
                os.unlink(entry.path)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: leave its files alone
    return True


# -- git -------------------------------------------------------------------------------

#: How long git may take to show one file.
GIT_TIMEOUT = 60.0


@dataclass(frozen=True)
class Revision:
    """A file as it was at a git revision: the revision as the user wrote it, the
    commit it names, the repository's top folder and the file's path from there
    ('/' between folders, as git writes it)."""

    rev: str
    commit: str
    top: str
    path: str

    @property
    def spec(self) -> str:
        """``REV:PATH`` as the user would write it, from the repository's top."""
        return f"{self.rev}:{self.path}"

    def beside(self, written: str) -> Revision | None:
        """The file at ``written``, relative to this one's folder, at the same revision;
        None when the path leads out of the repository (or is absolute)."""
        if written.startswith("/") or os.path.isabs(written):
            return None
        parts: list[str] = []
        for part in PurePosixPath(self.path).parent.joinpath(written.replace("\\", "/")).parts:
            if part == "..":
                if not parts:
                    return None
                parts.pop()
            elif part not in (".", ""):
                parts.append(part)
        if not parts:
            return None
        return Revision(self.rev, self.commit, self.top, "/".join(parts))


def at_revision(rev: str, file: str | os.PathLike[str]) -> Revision:
    """``file`` (a path on this machine, absolute or from the current folder; it need
    not exist any more) as it was at ``rev`` in the git repository that holds it,
    wherever the command is run from."""
    path = os.path.abspath(os.fspath(file))
    folder = os.path.dirname(path)
    while not os.path.isdir(folder) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)  # a folder removed since: ask the nearest one left
    where = Location(f"{rev}:{os.fspath(file)}")
    top = _top(folder, where)
    inside = os.path.relpath(
        os.path.join(os.path.realpath(folder), os.path.relpath(path, folder)), top
    )
    if inside == os.curdir or inside.startswith(os.pardir + os.sep) or inside == os.pardir:
        raise InvalidDiagram.at(where, f"is not inside the git repository at {one_line(top)}")
    return Revision(
        rev, _commit(rev, top, where), top, PurePosixPath(*Path(inside).parts).as_posix()
    )


def parse_revision(spec: str, folder: str | os.PathLike[str] = ".") -> Revision:
    """``REV:PATH`` as git reads it: PATH from the repository's top, or from ``folder``
    (the current one) when it starts with ``./`` or ``../``, or an absolute path."""
    rev, _, path = spec.partition(":")
    if path.startswith(("./", "../", "/")) or path in (".", "..") or os.path.isabs(path):
        return at_revision(rev, os.path.join(os.fspath(folder), path))
    where = Location(spec)
    top = _top(os.fspath(folder), where)
    return at_revision(rev, os.path.join(top, path))


def _top(folder: str, where: Location) -> str:
    """The top folder of the git repository that holds ``folder``."""
    try:
        shown = _git(["git", "-C", folder, "rev-parse", "--show-toplevel"], where)
    except InvalidDiagram as error:
        raise InvalidDiagram.at(
            where,
            f"{one_line(os.path.abspath(folder))} is not in a git repository, so there is no"
            " revision to read"
            f" (the git message: {error.problems[0].message.removeprefix('git cannot show it: ')})",
        ) from error
    return os.path.realpath(shown.decode("utf-8", "surrogateescape").strip())


def _commit(rev: str, top: str, where: Location) -> str:
    """The commit ``rev`` names, refusing one that git would read as an option."""
    if not rev:
        raise InvalidDiagram.at(where, "no revision before the ':'; name a commit, tag or branch")
    if rev.startswith("-"):
        raise InvalidDiagram.at(
            where,
            f"{excerpt(rev)} is not a revision (it starts with '-'); name a commit, tag or branch",
        )
    if "\0" in rev or "\n" in rev:
        raise InvalidDiagram.at(where, "a revision cannot hold control characters")
    try:
        found = _git(
            [
                "git",
                "-C",
                top,
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                f"{rev}^{{commit}}",
            ],
            where,
        )
    except InvalidDiagram as error:
        raise InvalidDiagram.at(
            where,
            f"git cannot show it: no revision {excerpt(rev)} in {one_line(top)}; name a commit,"
            " tag or branch (git log --oneline lists the commits)",
        ) from error
    return found.decode("ascii", "replace").strip()


def show_revision(revision: Revision, *, name: str = "", what: str = "the file") -> bytes:
    """The bytes of a file at a revision: only a regular file (not a symbolic link, a
    folder or a submodule), its size checked against the file-size limit before it is
    read. A file missing at that revision is a located error naming the revision."""
    where = Location(name or revision.spec)
    listed = _git(
        [
            "git",
            "-C",
            revision.top,
            "ls-tree",
            "-l",
            "-z",
            "--full-tree",
            revision.commit,
            "--",
            revision.path,
        ],
        where,
    )
    entry = listed.split(b"\0", 1)[0]
    head, _, listed_path = entry.partition(b"\t")
    fields = head.split()
    if not entry or listed_path.decode("utf-8", "surrogateescape") != revision.path:
        raise InvalidDiagram.at(
            where,
            f"{what} is not in {excerpt(revision.rev)} (looked for {one_line(revision.spec)})",
        )
    mode, kind, blob, size = (field.decode("ascii", "replace") for field in fields[:4])
    if kind == "tree":
        raise InvalidDiagram.at(where, f"{what} is a folder in {excerpt(revision.rev)}, not a file")
    if mode == "120000":
        raise InvalidDiagram.at(
            where,
            f"{what} is a symbolic link in {excerpt(revision.rev)}; links are not followed"
            " (commit the file itself)",
        )
    if kind != "blob":
        raise InvalidDiagram.at(where, f"{what} is a {kind} in {excerpt(revision.rev)}, not a file")
    most = current().file_bytes
    if not size.isdigit() or int(size) > most:
        raise InvalidDiagram.at(
            where,
            f"{what} is larger than {megabytes(most)} in git at {excerpt(revision.rev)}; a"
            " diagram and its data are a few kilobytes (raise the limit with --max-file-mb)",
        )
    return _git(["git", "-C", revision.top, "cat-file", "blob", blob], where)


def _git(command: list[str], where: Location) -> bytes:
    try:
        run = subprocess.run(
            command,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        )
    except FileNotFoundError as error:
        raise InvalidDiagram.at(
            where,
            "git is not installed (or not on PATH); 'driverdiagram doctor' says how to install it",
        ) from error
    except (OSError, subprocess.TimeoutExpired) as error:
        raise InvalidDiagram.at(where, f"cannot run git ({error})") from error
    if run.returncode != 0:
        reason = run.stderr.decode("utf-8", "replace").strip().splitlines()
        last = reason[-1] if reason else "unknown revision"
        raise InvalidDiagram.at(
            where, f"git cannot show it: {one_line(last.removeprefix('fatal: '))}"
        )
    return run.stdout


def git_version() -> tuple[str, str] | None:
    """git's path and version ('2.39.2'), or None when there is no git."""
    program = shutil.which("git")
    if program is None:
        return None
    try:
        output = _git([program, "--version"], Location("git"))
    except InvalidDiagram:
        return program, ""
    words = output.decode("utf-8", "replace").split()
    return program, words[2] if len(words) > 2 else ""


# -- a file's history --------------------------------------------------------------------

#: Between the fields of one commit in ``git log``'s output (NUL: in no name or subject).
_FIELDS = "%H%x00%P%x00%ct%x00%as%x00%an%x00%s"


@dataclass(frozen=True)
class Commit:
    """One commit of a file's history, as git tells it: its hash, its first parent
    (None for a first commit), when it was made (seconds, committer time), the author's
    date (``YYYY-MM-DD``), the author's name and the subject line."""

    commit: str
    parent: str | None
    time: int
    date: str
    author: str
    subject: str


@dataclass(frozen=True)
class Tracked:
    """A file in a git repository: the repository's top folder and the file's path
    from there ('/' between folders)."""

    top: str
    path: str

    def at(self, commit: str, rev: str = "") -> Revision:
        """The file at ``commit`` (a full hash), called ``rev`` (default: its short form)."""
        return Revision(rev or commit[:10], commit, self.top, self.path)


def tracked(file: str | os.PathLike[str]) -> Tracked | str:
    """``file`` in the git repository that holds it, or why there is none (not in a
    repository, git not installed), in a few words for a page."""
    path = os.path.abspath(os.fspath(file))
    folder = os.path.dirname(path)
    where = Location(os.fspath(file))
    try:
        shown = _git(["git", "-C", folder, "rev-parse", "--show-toplevel"], where)
    except InvalidDiagram as error:
        message = error.problems[0].message
        if "not installed" in message:
            return "git is not installed, so there is no history to show"
        return "the file is not in a git repository, so there is no history to show"
    top = os.path.realpath(shown.decode("utf-8", "surrogateescape").strip())
    inside = os.path.relpath(os.path.join(os.path.realpath(folder), os.path.basename(path)), top)
    if inside.startswith(os.pardir):
        return "the file is not in a git repository, so there is no history to show"
    return Tracked(top, PurePosixPath(*Path(inside).parts).as_posix())


def tracked_all(paths: list[str]) -> list[Tracked | str]:
    """:func:`tracked` for many files, git asked once for each folder."""
    tops: dict[str, Tracked | str] = {}
    found: list[Tracked | str] = []
    for name in paths:
        path = os.path.abspath(name)
        folder = os.path.dirname(path)
        if folder not in tops:
            tops[folder] = tracked(path)
        first = tops[folder]
        if isinstance(first, str):
            found.append(first)
            continue
        inside = os.path.relpath(
            os.path.join(os.path.realpath(folder), os.path.basename(path)), first.top
        )
        found.append(Tracked(first.top, PurePosixPath(*Path(inside).parts).as_posix()))
    return found


def head_commit(top: str) -> str | None:
    """The commit HEAD names in the repository at ``top``; None before the first."""
    try:
        shown = _git(["git", "-C", top, "rev-parse", "--verify", "--quiet", "HEAD"], Location(top))
    except InvalidDiagram:
        return None
    return shown.decode("ascii", "replace").strip() or None


def file_log(file: Tracked, also: list[str], *, most: int) -> list[Commit]:
    """The newest ``most`` commits that changed the file or any of ``also`` (paths
    from the repository's top: its data files), newest first; [] when the repository
    has no commit yet. Paths are read literally (no wildcards, no ':' magic)."""
    where = Location(file.path)
    try:
        _git(["git", "-C", file.top, "rev-parse", "--verify", "--quiet", "HEAD"], where)
    except InvalidDiagram:
        return []  # a repository with no commit yet
    shown = _git(
        [
            "git",
            "--literal-pathspecs",
            "-C",
            file.top,
            "-c",
            "log.showSignature=false",
            "log",
            "-z",
            f"--format={_FIELDS}",
            f"--max-count={max(most, 1)}",
            "HEAD",
            "--",
            file.path,
            *also,
        ],
        where,
    )
    fields = shown.decode("utf-8", "replace").split("\0")
    if fields and fields[-1] == "":
        fields.pop()
    commits = []
    for index in range(0, len(fields) - 5, 6):  # six fields a commit, NUL between all
        commit, parents, stamp, date, author, subject = fields[index : index + 6]
        if re.fullmatch(r"[0-9a-f]{40,64}", commit) and stamp.isdigit():
            first = parents.split()[0] if parents.split() else None
            commits.append(Commit(commit, first, int(stamp), date, author, subject))
    return commits[:most]


def commit_before(top: str, when: int) -> str | None:
    """The newest commit on HEAD made before ``when`` (seconds), or None."""
    shown = _git(
        ["git", "-C", top, "rev-list", "-1", f"--before=@{when}", "HEAD"], Location(top)
    ).strip()
    return shown.decode("ascii", "replace") or None


def resolve(top: str, rev: str) -> str:
    """The commit ``rev`` names in the repository at ``top`` (an error if none)."""
    return _commit(rev, top, Location(rev))
