"""The live preview (``driverdiagram serve``): the site served on this computer, built
again as soon as a diagram or data file is saved, and the open page reloaded.

It is the standard library's :class:`http.server.ThreadingHTTPServer` with a handler
of our own that serves files and nothing else: GET and HEAD only (every other method
is refused, and no request body is ever read), only regular files inside the site
(no ``..``, no hidden file such as the site's list, no link that leads out, no
folder listing), and on a loopback address only to a request that names it (a web
page elsewhere cannot reach the preview by pointing a name of its own at 127.0.0.1).

Changes are seen with ``watchfiles`` (the operating system's file events, through a
small, well-kept Rust library) or, where it cannot be imported, by looking at the
files' sizes and times four times a second. The reload is a few lines of script that
ask :data:`VERSION` for the build's number; the server adds them (and lets them run,
by the page's Content-Security-Policy) to each page it sends, so the site's own files
never hold them: the folder it builds is the same as ``driverdiagram site``'s.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import ipaddress
import os
import posixpath
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from ..errors import DiagramError, Location, RenderError
from ..files import make_temporary, read_bytes, remove_file, remove_stage
from ..style import DEFAULT, Theme
from .build import Built, build
from .record import record_path

#: Where the page's script asks for the number of the newest build (not a file).
VERSION = "/.driverdiagram-preview/version"
#: How often the open page asks, in milliseconds.
POLL_MS = 300
#: How long changes are gathered before a build starts (an editor's save is often a
#: few events), and how often files are looked at without watchfiles, in seconds.
SETTLE = 0.1
POLL_SECONDS = 0.25
#: The most a request may take to arrive, in seconds: a slow client holds no thread.
REQUEST_SECONDS = 30
#: The largest file served (a page with the drawing of a huge diagram inline).
PAGE_BYTES = 256 * 2**20
#: What each kind of file is served as.
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
}


def script(version: int) -> str:
    """The reload: ask for the build's number, and load the page again when it is not
    the one this page was sent with."""
    return (
        f"(function(){{var v={version};function ask(){{"
        f'fetch("{VERSION}",{{cache:"no-store"}})'
        ".then(function(r){return r.ok?r.text():String(v);})"
        ".then(function(t){if(Number(t)!==v){location.reload();}else{later();}},later);}"
        f"function later(){{setTimeout(ask,{POLL_MS});}}later();}})();"
    )


def with_reload(page: bytes, version: int, problems: list[str]) -> bytes:
    """A page of the site as the preview sends it: the reload script before
    ``</body>``, allowed by its hash in the page's Content-Security-Policy (with
    requests to the server itself); and, when the last build left diagrams out, their
    problems at the top, as text."""
    text = page.decode("utf-8", "replace")
    code = script(version)
    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    text = re.sub(
        r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")',
        lambda m: (
            m.group(1)
            + html.escape(allow(html.unescape(m.group(2)), f"'sha256-{digest}'"), quote=True)
            + m.group(3)
        ),
        text,
        count=1,
    )
    if problems:
        shown = "\n".join(html.escape(line) for line in problems)
        note = (
            '<div role="alert"><p><strong>The preview left out a diagram with problems;'
            f" fix them and save:</strong></p><pre>{shown}</pre></div>\n"
        )
        text = re.sub(r"(<body[^>]*>\n?)", lambda m: m.group(1) + note, text, count=1)
    at = text.rfind("</body>")
    if at < 0:
        at = len(text)
    return (text[:at] + f"<script>{code}</script>\n" + text[at:]).encode("utf-8")


def allow(policy: str, source: str) -> str:
    """A Content-Security-Policy that also runs the script with hash ``source`` and lets
    it ask the server (``connect-src 'self'``), all else as it was."""
    directives = [part.strip() for part in policy.split(";") if part.strip()]
    names = [part.split()[0].lower() for part in directives]
    for name, value in (("script-src", source), ("connect-src", "'self'")):
        if name in names:
            index = names.index(name)
            words = [w for w in directives[index].split() if w != "'none'"]
            directives[index] = " ".join([*words, value])
        else:
            directives.append(f"{name} {value}")
            names.append(name)
    return "; ".join(directives)


def missing(path: str, version: int, problems: list[str]) -> bytes:
    """The page for an address the site has no file for (reloaded too, so it turns into
    the page once the diagram is mended)."""
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">\n'
        "<title>Not in the site</title>\n</head>\n<body>\n"
        f"<main><h1>Not in the site</h1><p>There is no page at {html.escape(path)}."
        ' <a href="/index.html">The programme page</a>.</p></main>\n</body>\n</html>\n'
    )
    return with_reload(page.encode(), version, problems)


@dataclass
class State:
    """What the server shows: the site's folder, the newest build's number (the page's
    script reloads when it changes), and the problems of the diagrams it left out."""

    top: Path
    version: int = 1
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Handler(BaseHTTPRequestHandler):
    """Serves the site's files, and nothing else (see the module's docstring)."""

    server: Server
    timeout = REQUEST_SECONDS
    server_version = "driverdiagram-preview"
    sys_version = ""

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _refuse(self) -> None:
        # nothing is read of what was sent, and the connection is closed after
        self.close_connection = True
        self._send(
            HTTPStatus.METHOD_NOT_ALLOWED,
            b"The preview only shows the site: it accepts no uploads or changes.\n",
            "text/plain; charset=utf-8",
            body=True,
            extra={"Allow": "GET, HEAD"},
        )

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_CONNECT = do_TRACE = _refuse

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the coach's terminal shows the builds, not every request

    def _answer(self, *, body: bool) -> None:
        state = self.server.state
        if not self.server.host_allowed(self.headers.get("Host", "")):
            self._send(HTTPStatus.FORBIDDEN, b"Not this host.\n", TYPES[".txt"], body=body)
            return
        address = urlsplit(self.path).path
        with state.lock:
            version, problems = state.version, list(state.problems)
        if address == VERSION:
            self._send(HTTPStatus.OK, str(version).encode(), TYPES[".txt"], body=body)
            return
        found = self._file(address)
        if isinstance(found, str):  # a folder: to its address with a '/', for its links
            self._send(
                HTTPStatus.MOVED_PERMANENTLY,
                b"",
                TYPES[".txt"],
                body=body,
                extra={"Location": found},
            )
            return
        if found is None:
            page = missing(address, version, problems)
            self._send(HTTPStatus.NOT_FOUND, page, TYPES[".html"], body=body)
            return
        try:
            data = read_bytes(found, limit=PAGE_BYTES)
        except DiagramError:
            page = missing(address, version, problems)
            self._send(HTTPStatus.NOT_FOUND, page, TYPES[".html"], body=body)
            return
        kind = TYPES.get(found.suffix.lower(), "application/octet-stream")
        if found.suffix.lower() == ".html":
            data = with_reload(data, version, problems)
        self._send(HTTPStatus.OK, data, kind, body=body)

    def _file(self, address: str) -> Path | str | None:
        """The file an address names inside the site; for a folder, the address it
        should have (ending in '/') or its index.html; None for anything else."""
        try:
            raw = unquote(address, errors="strict")
        except UnicodeDecodeError:
            return None
        if not raw.startswith("/") or "\0" in raw or "\\" in raw:
            return None
        parts = [part for part in raw.split("/") if part]
        if any(part.startswith(".") for part in parts):
            return None  # '..', '.', and hidden files: the site's list, a build's stage
        top = self.server.state.top
        path = top.joinpath(*parts)
        real, inside = os.path.realpath(path), os.path.realpath(top)
        if real != inside and not real.startswith(inside + os.sep):
            return None  # a link that leads out of the site
        if os.path.isdir(real):
            if not raw.endswith("/"):
                return quote(posixpath.join("/", *parts) + "/")  # never a raw line break
            path, real = path / "index.html", os.path.join(real, "index.html")
        return path if os.path.isfile(real) else None

    def _send(
        self,
        status: HTTPStatus,
        data: bytes,
        kind: str,
        *,
        body: bool,
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")  # a preview: always the newest
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    state: State
    hosts: frozenset[str] | None  # the names a request may give; None: any

    def host_allowed(self, host: str) -> bool:
        if self.hosts is None:
            return True
        return host.lower() in self.hosts


class Server6(Server):
    address_family = socket.AF_INET6


def loopback(host: str) -> bool:
    """Whether ``host`` is this computer only (127.0.0.1, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Preview:
    """The site of ``paths`` built into ``out`` (a new temporary folder by default,
    removed at :meth:`close`) and served on ``host``:``port`` (0: a free port); see the
    module's docstring. ``report`` is told of each build after the first: what it did,
    or the error that stopped it (the last good site is still served)."""

    def __init__(
        self,
        paths: list[str],
        out: str | os.PathLike[str] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        title: str | None = None,
        contact: str = "",
        theme: Theme = DEFAULT,
        since: str | None = None,
        jobs: int | None = None,
        report: Callable[[Built | DiagramError], None] | None = None,
    ) -> None:
        self.paths = paths
        self.temporary = out is None
        self.top = Path(out) if out is not None else make_temporary("driverdiagram-preview-")
        self.options: dict[str, Any] = {
            "title": title,
            "contact": contact,
            "theme": theme,
            "since": since,
        }
        self.jobs = jobs
        self.report = report
        self.stop = threading.Event()
        self.watcher: threading.Thread | None = None
        try:
            self.built = build(paths, self.top, jobs=jobs, **self.options)
            self.state = State(self.top, 1, _lines(self.built))
            kind = Server6 if ":" in host else Server
            try:
                server = kind((host, port), Handler)
            except OSError as error:
                raise RenderError.at(
                    Location(f"{host}:{port}"),
                    f"cannot serve here ({error.strerror or error}); choose another --port",
                ) from error
        except BaseException:
            self._remove()
            raise
        server.state = self.state
        bound = server.server_address[1]
        if loopback(host):
            names = {"localhost", "127.0.0.1", "[::1]", host.lower()}
            server.hosts = frozenset(f"{name}:{bound}" for name in names)
        else:
            server.hosts = None  # shared on purpose: any name this computer has
        self.server = server
        self.port = bound
        self.local = loopback(host)
        self.url = f"http://{_shown(host)}:{bound}/"

    def run(self) -> None:
        """Serve, and build again on each change, until :meth:`close` (or Ctrl-C)."""
        self.watcher = threading.Thread(target=self._watch, name="watch", daemon=True)
        self.watcher.start()
        try:
            self.server.serve_forever(poll_interval=0.2)
        finally:
            self.close()

    def close(self) -> None:
        self.stop.set()
        with contextlib.suppress(Exception):
            self.server.shutdown()
        self.server.server_close()
        if self.watcher is not None and self.watcher is not threading.current_thread():
            self.watcher.join(timeout=10)
        self._remove()

    def _remove(self) -> None:
        """A temporary site goes when the preview stops, and its record with it."""
        if self.temporary:
            kept = record_path(self.top)
            remove_stage(self.top.parent)
            with contextlib.suppress(DiagramError):
                remove_file(kept, kept.parent)

    def rebuild(self) -> None:
        """Build again; a build that changed a file gets a new number (the open pages
        reload)."""
        try:
            built = build(self.paths, self.top, jobs=self.jobs, **self.options)
        except DiagramError as error:
            if self.report is not None:
                self.report(error)
            return
        with self.state.lock:
            lines = _lines(built)
            if built.written or built.removed or lines != self.state.problems:
                self.state.version += 1
            self.state.problems = lines
        self.built = built
        if self.report is not None:
            self.report(built)

    def _watch(self) -> None:
        for _ in changes(self.paths, self.top, self.stop):
            if self.stop.is_set():
                return
            self.rebuild()


def _lines(built: Built) -> list[str]:
    return [str(problem) for problem in built.problems]


def _shown(host: str) -> str:
    return f"[{host}]" if ":" in host else host


# -- seeing changes -------------------------------------------------------------------------


def roots(paths: list[str]) -> list[str]:
    """The folders to watch: each folder named, and the folder of each file named."""
    found: list[str] = []
    for path in paths:
        folder = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
        folder = os.path.abspath(folder)
        if folder not in found:
            found.append(folder)
    return found


def counts(path: str, top: str, out: str) -> bool:
    """Whether a change to ``path`` (found under ``top``) could change the site: not in
    the site's own folder, nor in a hidden folder (.git) or file (an editor's swap file)."""
    real = os.path.abspath(path)
    if real == out or real.startswith(out + os.sep):
        return False
    inside = os.path.relpath(real, top)
    return not any(part.startswith(".") or part == "__pycache__" for part in Path(inside).parts)


def changes(paths: list[str], out: Path, stop: threading.Event) -> Iterator[None]:
    """Once for each burst of changes that could change the site, until ``stop``; and
    once as soon as the watching has begun, for a file saved since the first build."""
    folders = roots(paths)
    site = os.path.abspath(out)
    try:
        import watchfiles
    except ImportError:
        yield from _polled(folders, site, stop)
        return

    def relevant(_change: object, path: str) -> bool:
        return any(
            counts(path, top, site) for top in folders if os.path.commonpath([top, path]) == top
        )

    begun = False
    for found in watchfiles.watch(
        *folders,
        watch_filter=relevant,
        debounce=int(SETTLE * 1000),
        step=50,
        stop_event=stop,
        rust_timeout=200,
        yield_on_timeout=True,  # the first time out says the watching has begun
        raise_interrupt=False,
    ):
        if found or not begun:
            begun = True
            yield


def _polled(folders: list[str], site: str, stop: threading.Event) -> Iterator[None]:
    """:func:`changes` without watchfiles: the size and time of every file, looked at
    four times a second."""
    seen = _snapshot(folders, site)
    yield
    while not stop.wait(POLL_SECONDS):
        now = _snapshot(folders, site)
        if now != seen:
            time.sleep(SETTLE)
            seen = _snapshot(folders, site)
            yield


def _snapshot(folders: list[str], site: str) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for top in folders:
        for folder, subfolders, files in os.walk(top):
            subfolders[:] = sorted(
                name for name in subfolders if counts(os.path.join(folder, name), top, site)
            )
            for name in files:
                path = os.path.join(folder, name)
                if counts(path, top, site):
                    with contextlib.suppress(OSError):
                        status = os.stat(path)
                        found[path] = (status.st_mtime_ns, status.st_size)
    return found
