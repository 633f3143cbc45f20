"""The one place Graphviz is run: DOT source in, SVG, PDF or PNG bytes out, within
the time limit (``--dot-timeout``), with one clear message when it is not installed.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import zlib
from pathlib import Path

from ..errors import GraphvizNotFound, Location, RenderError
from ..limits import current

FORMATS = ("svg", "pdf", "png", "dot")


DEFAULT_DPI = 150


INSTALL_GRAPHVIZ = """\
Graphviz is not installed (the 'dot' program was not found on PATH).
driverdiagram draws with Graphviz; install it, then run the command again:
  Debian/Ubuntu:  sudo apt-get install graphviz
  Fedora:         sudo dnf install graphviz
  macOS:          brew install graphviz
  Windows:        winget install graphviz   (or choco install graphviz), then open a new terminal
  conda:          conda install -c conda-forge graphviz
More: https://graphviz.org/download/
('driverdiagram doctor' checks everything driverdiagram uses.)"""


#: The Graphviz programs driverdiagram runs: ``dot`` lays out and draws; ``neato`` (run
#: as ``neato -n2``) only draws what :mod:`driverdiagram.draw.own` has laid out.
ENGINES = ("dot", "neato")


def run_dot(
    source: str,
    format: str,
    *,
    name: str = "<string>",
    dpi: int | None = None,
    engine: str = "dot",
) -> bytes:
    """Run Graphviz ``dot`` (or ``neato -n2``, with ``engine``) on DOT source and
    return its output."""
    command = [f"-T{format}"]
    if format == "png":
        command.append(f"-Gdpi={dpi or DEFAULT_DPI}")
        return with_dpi(_run(command, source, name, engine), dpi or DEFAULT_DPI)
    return _run(command, source, name, engine)


def sizes(source: str, *, name: str = "<string>") -> dict[str, tuple[float, float]]:
    """The width and height, in points, Graphviz gives each node of DOT source whose
    nodes all stand at a ``pos`` already (``neato -n2``, which lays nothing out), by
    node name. Only names of the form ``m<number>`` are read: a label's text can
    never pass for one of them."""
    output = _run(["-Tplain"], source, name, "neato").decode("utf-8", "replace")
    found: dict[str, tuple[float, float]] = {}
    for line in output.splitlines():
        fields = line.split(" ", 6)
        if len(fields) < 6 or fields[0] != "node" or not _MEASURED.match(fields[1]):
            continue
        try:
            size = (float(fields[4]) * 72, float(fields[5]) * 72)
        except ValueError:
            continue
        found.setdefault(fields[1], size)
    return found


#: What to try when Graphviz's own layout runs out of time.
_OWN_HINT = " or drawn with --layout own (seconds for thousands of boxes)"
_MEASURED = re.compile(r"m\d+\Z")


def with_dpi(png: bytes, dpi: float) -> bytes:
    """A PNG that says its resolution (a pHYs chunk, in pixels per metre, right after the
    header), so a 300 dpi picture goes into Word or PowerPoint at its printed size.
    Graphviz writes none; one already there is replaced."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        return png
    chunks, at = [], 8
    while at + 12 <= len(png):
        length = int.from_bytes(png[at : at + 4], "big")
        end = at + 12 + length
        if png[at + 4 : at + 8] != b"pHYs":
            chunks.append(png[at:end])
        at = end
    per_metre = round(dpi / 0.0254).to_bytes(4, "big")
    body = b"pHYs" + per_metre + per_metre + b"\x01"
    phys = (9).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
    return png[:8] + chunks[0] + phys + b"".join(chunks[1:])


def png_to_fit(
    source: str,
    area: tuple[float, float],
    most: float,
    *,
    name: str = "<string>",
    dpi: int,
    engine: str = "dot",
) -> tuple[bytes, tuple[float, float]]:
    """A PNG of DOT source fitted to ``area`` (points) at ``dpi``: shrunk as needed,
    enlarged by at most ``most``; and the drawing's own size in points, before fitting.

    One run of Graphviz: it draws at ``most`` times the resolution, shrunk to fit the
    area over ``most`` (the graph's ``size``), and writes its ``plain`` layout first,
    whose first line gives the factor it shrank by."""
    width, height = (side / most / 72 for side in area)
    command = ["-Tplain", "-Tpng", f"-Gdpi={dpi * most:g}", f"-Gsize={width:.4f},{height:.4f}"]
    output = _run(command, source, name, engine)
    end = output.find(b"\nstop\n")
    png = output[end + 6 :]
    fields = output[: max(end, 0)].split(b"\n", 1)[0].split()
    if end < 0 or png[:8] != b"\x89PNG\r\n\x1a\n" or len(fields) < 2 or fields[0] != b"graph":
        raise RenderError.at(Location(name), "Graphviz wrote no picture")
    shrunk = float(fields[1])
    pixels = (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big"))
    natural = tuple(side * 72 / (dpi * most * shrunk) for side in pixels)
    return with_dpi(png, dpi), (natural[0], natural[1])


def _run(options: list[str], source: str, name: str, engine: str = "dot") -> bytes:
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    program = shutil.which(engine)
    if program is None:  # neato comes with dot in every Graphviz package
        missing = INSTALL_GRAPHVIZ.replace("'dot' program", f"'{engine}' program")
        raise GraphvizNotFound.at(Location(name), missing)
    # neato -n2 takes every position from the source, in points: it lays nothing out
    command = [program, *(["-n2"] if engine == "neato" else []), *options]
    timeout = current().dot_timeout
    try:
        result = subprocess.run(
            command, input=source.encode("utf-8"), capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as error:
        raise RenderError.at(
            Location(name),
            f"Graphviz took longer than {timeout:g} seconds and was stopped (a diagram this"
            f" big is better split{_OWN_HINT if engine == 'dot' else ''}; or raise the limit"
            " with --dot-timeout)",
        ) from error
    except OSError as error:
        raise RenderError.at(Location(name), f"cannot run Graphviz ({error})") from error
    if result.returncode != 0 or not result.stdout:
        detail = (
            result.stderr.decode("utf-8", "replace").strip() or f"exit status {result.returncode}"
        )
        raise RenderError.at(Location(name), f"Graphviz could not draw the diagram: {detail}")
    return result.stdout


def infer_format(path: str | os.PathLike[str], default: str = "svg") -> str:
    """The format a file name asks for by its extension (``falls.pdf`` -> ``pdf``), or
    ``default`` when it names none of :data:`FORMATS`."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else default


def version() -> tuple[str, str] | None:
    """Graphviz's ``dot``: its path and version ('2.43.0'), or None when it is missing."""
    program = shutil.which("dot")
    if program is None:
        return None
    try:
        result = subprocess.run(
            [program, "-V"], capture_output=True, timeout=10, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired):
        return program, ""
    words = result.stderr.decode("utf-8", "replace").split()
    found = next((w for before, w in itertools.pairwise(words) if before == "version"), "")
    return program, found


def identity() -> str:
    """Which Graphviz would draw: its path, size and time (a new version changes them),
    or '' when there is none."""
    program = shutil.which("dot")
    if program is None:
        return ""
    try:
        status = os.stat(os.path.realpath(program))
    except OSError:
        return program
    return f"{program}:{status.st_size}:{status.st_mtime_ns}"
