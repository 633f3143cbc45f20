"""The PDF paper: the HTML paper printed by headless Chromium with no network (in a
network namespace of its own where the system allows one), a fresh profile, its
sandbox wherever it can have one, and the time limit of ``--dot-timeout``."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .. import tools
from ..errors import Location, RenderError
from ..limits import current
from ..model import Diagram
from ..style import DEFAULT, Theme
from ..text import excerpt
from .figures import Figure
from .html import to_html

#: How headless Chromium prints a paper: a fresh profile, nothing in the background,
#: and no network at all: every name resolves to nothing and every request, loopback
#: included, goes to a proxy on a closed port (the paper's Content-Security-Policy
#: forbids fetches as well; this holds even if it did not).
CHROMIUM_SWITCHES = (
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--no-pdf-header-footer",
)


def to_pdf(
    diagram: Diagram,
    *,
    theme: Theme = DEFAULT,
    page: str = "a4",
    figures: list[Figure] | None = None,
) -> bytes:
    """The HTML paper printed to PDF by headless Chromium (see :func:`print_html`)."""
    return print_html(to_html(diagram, theme=theme, page=page, figures=figures), diagram.path)


def print_html(page: str, name: str = "<paper>") -> bytes:
    """An HTML page printed to PDF by headless Chromium, as a paper is: with no
    network (see :data:`CHROMIUM_SWITCHES`; also in a network namespace of its own
    where the system allows one), in its sandbox unless it runs as root or cannot
    have one, a fresh profile, and the Graphviz time limit (``--dot-timeout``).
    Problems are located at ``name`` (the diagram)."""
    browser = tools.browser()
    if browser is None:
        raise RenderError.at(
            Location(name),
            "a PDF report is printed by a Chromium-family browser (Chromium, Chrome or"
            " Edge), and none was found; 'driverdiagram doctor' says how to install one (or"
            f" set {tools.BROWSER_VARIABLE} to a browser's path), or write .html and print"
            " it instead",
        )
    with tempfile.TemporaryDirectory(prefix="driverdiagram-", dir=_scratch_parent()) as folder:
        source = Path(folder) / "report.html"
        target = Path(folder) / "report.pdf"
        source.write_text(page, encoding="utf-8")
        switches = [
            *CHROMIUM_SWITCHES,
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        root = hasattr(os, "geteuid") and os.geteuid() == 0
        # Chromium refuses to start as root in its sandbox; anyone else keeps it,
        # unless it cannot have one here (a container without user namespaces)
        output = _print(name, [browser, *(["--no-sandbox"] if root else []), *switches], folder)
        if not root and not _printed(target) and b"sandbox" in output.lower():
            output = _print(name, [browser, "--no-sandbox", *switches], folder)
        if not _printed(target):
            raise RenderError.at(
                Location(name), "Chromium did not print the report" + _last_words(output)
            )
        return target.read_bytes()


def _printed(target: Path) -> bool:
    return target.is_file() and target.stat().st_size > 0


def _print(name: str, command: list[str], folder: str) -> bytes:
    """Run Chromium, in a network namespace of its own where one can be had, within
    the time limit; its output (standard error and output), for a failure's message."""
    import signal

    timeout = current().dot_timeout
    try:
        process = subprocess.Popen(
            [*_offline_prefix(), *command],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=_printer_environment(folder),
            start_new_session=True,  # so a timeout stops its helper processes too
        )
    except OSError as error:
        raise RenderError.at(Location(name), f"cannot run Chromium ({error})") from error
    try:
        output, _ = process.communicate(timeout=timeout)
    except BaseException as error:  # the time limit, or Ctrl-C: stop Chromium and its helpers
        if hasattr(os, "killpg"):
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)
        process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.communicate(timeout=5)  # a helper that left the group keeps the pipe
        if not isinstance(error, subprocess.TimeoutExpired):
            raise
        raise RenderError.at(
            Location(name),
            f"Chromium took longer than {timeout:g} seconds to print the report and was"
            " stopped (raise the limit with --dot-timeout)",
        ) from None
    return output


#: Chromium makes sockets under TMPDIR, and a socket's path is at most 107 bytes.
_SHORT_ENOUGH = 60


def _scratch_parent() -> str | None:
    """Where the printer's scratch folder goes: the usual temporary folder, or /tmp
    when that one's path is too long for Chromium's sockets (the scratch folder is
    also Chromium's TMPDIR, so all it leaves goes with the folder)."""
    usual = tempfile.gettempdir()
    if len(os.fsencode(usual)) + len("/driverdiagram-xxxxxxxx") <= _SHORT_ENOUGH:
        return None
    return "/tmp" if os.path.isdir("/tmp") and os.access("/tmp", os.W_OK) else None


def _printer_environment(folder: str) -> dict[str, str]:
    """Chromium's environment: its home, and (when the path is short enough for its
    sockets) its temporary files, in the scratch folder, so that whatever it leaves
    behind, even when it is stopped, goes with that folder."""
    environment = {**os.environ, "HOME": folder}
    if len(os.fsencode(folder)) <= _SHORT_ENOUGH:
        environment["TMPDIR"] = folder
    return environment


@functools.cache
def _offline_prefix() -> tuple[str, ...]:
    """``unshare`` switches that start a program in a network namespace with no
    network (only a loopback that is down), when this system allows it: as root
    directly, as anyone else in a user namespace that keeps their user id (so
    Chromium keeps its sandbox). Nothing where ``unshare`` is missing or refused."""
    program = shutil.which("unshare")
    if program is None:
        return ()
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    prefix = (program, "--net") if root else (program, "--map-current-user", "--net")
    try:
        probe = subprocess.run(
            [*prefix, "true"], stdin=subprocess.DEVNULL, capture_output=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ()
    return prefix if probe.returncode == 0 else ()


def _last_words(output: bytes) -> str:
    """The last thing Chromium said, briefly: what a failure's message quotes."""
    lines = [line for line in output.decode("utf-8", "replace").splitlines() if line.strip()]
    return f" (it said {excerpt(lines[-1], 160)})" if lines else ""
