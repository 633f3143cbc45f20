"""The one place Graphviz is run: DOT source in, SVG, PDF or PNG bytes out, within
the time limit (``--dot-timeout``), with one clear message when it is not installed.

A drawing is one :class:`Run`: :func:`Run.output` runs it alone; :func:`outputs` runs
many with few Graphviz processes (a batch of small diagrams: starting ``dot`` costs
more than drawing one), each with the bytes and the error it would have had alone.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import DiagramError, GraphvizNotFound, Location, RenderError
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


@dataclass(frozen=True)
class Run:
    """One run of Graphviz: the program (``dot``, or ``neato`` run as ``neato -n2``),
    its options (``-T`` formats first, in the order their outputs are wanted) and the
    source; ``name`` is the file its errors are located in."""

    source: str
    options: tuple[str, ...]
    name: str = "<string>"
    engine: str = "dot"

    def output(self) -> bytes:
        """What Graphviz writes, run alone (a :class:`RenderError` when it fails, or
        takes longer than ``--dot-timeout``)."""
        return _run(list(self.options), self.source, self.name, self.engine)


def drawing_run(
    source: str, format: str, *, name: str = "<string>", dpi: int | None = None, engine: str = "dot"
) -> Run:
    """The run that draws DOT source as ``format`` (see :func:`drawn` for its bytes)."""
    options: tuple[str, ...] = (f"-T{format}",)
    if format == "png":
        options += (f"-Gdpi={dpi or DEFAULT_DPI}",)
    return Run(source, options, name, engine)


def drawn(run: Run, output: bytes) -> bytes:
    """The drawing a :func:`drawing_run` made: a PNG says its resolution."""
    if run.options[0] == "-Tpng":
        return with_dpi(output, float(run.options[1].removeprefix("-Gdpi=")))
    return output


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
    run = drawing_run(source, format, name=name, dpi=dpi, engine=engine)
    return drawn(run, run.output())


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


def fitting_run(
    source: str,
    area: tuple[float, float],
    most: float,
    *,
    name: str = "<string>",
    dpi: int,
    engine: str = "dot",
) -> Run:
    """The run that draws DOT source as a PNG fitted to ``area`` (points) at ``dpi``:
    shrunk as needed, enlarged by at most ``most`` (see :func:`fitted` for the PNG and
    the drawing's own size in points, before fitting).

    Graphviz draws at ``most`` times the resolution, shrunk to fit the area over
    ``most`` (the graph's ``size``), and writes its ``plain`` layout first, whose first
    line gives the factor it shrank by."""
    width, height = (side / most / 72 for side in area)
    options = ("-Tplain", "-Tpng", f"-Gdpi={dpi * most:g}", f"-Gsize={width:.4f},{height:.4f}")
    return Run(source, options, name, engine)


def fitted(
    output: bytes, dpi: int, most: float, name: str = "<string>"
) -> tuple[bytes, tuple[float, float]]:
    """The PNG a :func:`fitting_run` made, and the drawing's own size in points."""
    end = output.find(b"\nstop\n")
    png = output[end + 6 :]
    fields = output[: max(end, 0)].split(b"\n", 1)[0].split()
    if end < 0 or png[:8] != b"\x89PNG\r\n\x1a\n" or len(fields) < 2 or fields[0] != b"graph":
        raise RenderError.at(Location(name), "Graphviz wrote no picture")
    shrunk = float(fields[1])
    pixels = (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big"))
    natural = tuple(side * 72 / (dpi * most * shrunk) for side in pixels)
    return with_dpi(png, dpi), (natural[0], natural[1])


#: Runs of Graphviz share one process in :func:`outputs` up to this many...
SHARED_RUNS = 64
#: ... and this many characters of source in all (about 1,800 boxes, drawn in a second
#: or two: well inside the time limit, so a shared process is stopped only by a drawing
#: that would be stopped alone)...
SHARED_SOURCE = 1_000_000
#: ... and a source longer than this (about 450 boxes) is run alone: starting its own
#: process costs little beside drawing it.
SHARED_ONE = 250_000


def outputs(runs: Sequence[Run]) -> list[bytes | DiagramError]:
    """What Graphviz writes for each run, or the error it stopped with, in order; the
    same bytes and errors as running each alone (:meth:`Run.output`), with fewer
    processes: runs with the same program and options share one, over a file each in
    a private temporary folder (``-O``), up to :data:`SHARED_RUNS` runs and
    :data:`SHARED_SOURCE` characters (a source over :data:`SHARED_ONE` runs alone).
    When a shared process fails, or takes longer than ``--dot-timeout``, each of its
    runs is run again alone, so that its own error (or none) is what it gets, within a
    time limit of its own."""
    found: list[bytes | DiagramError] = [b""] * len(runs)
    for group in _groups(runs):
        shared = _shared([runs[at] for at in group]) if len(group) > 1 else None
        for place, at in enumerate(group):
            if shared is not None:
                found[at] = shared[place]
                continue
            try:
                found[at] = runs[at].output()
            except DiagramError as error:
                found[at] = error
    return found


def _groups(runs: Sequence[Run]) -> list[list[int]]:
    """The runs (by place) that may share a process: the same program and options, at
    most SHARED_RUNS of them and SHARED_SOURCE characters in all."""
    groups: list[list[int]] = []
    open_groups: dict[tuple[str, tuple[str, ...]], tuple[list[int], int]] = {}
    for at, run in enumerate(runs):
        if len(run.source) > SHARED_ONE:
            groups.append([at])
            continue
        key = (run.engine, run.options)
        group, size = open_groups.get(key, ([], 0))
        if group and (len(group) >= SHARED_RUNS or size + len(run.source) > SHARED_SOURCE):
            group, size = [], 0
        if not group:
            groups.append(group)
        group.append(at)
        open_groups[key] = (group, size + len(run.source))
    return groups


#: Graphviz 2.43 gives the second and later graphs of one process the id of a page
#: ('page0,1_graph0'); each drawing alone is 'graph0', and so it is made again.
_PAGE_ID = re.compile(rb'<g id="page\d+,\d+_(graph\d+)" class="graph"')


def _shared(runs: list[Run]) -> list[bytes] | None:
    """The outputs of runs with the same program and options from one Graphviz
    process, or None when it failed or ran out of time (each is then run alone, and
    says so if Graphviz is missing)."""
    first = runs[0]
    try:
        program = _program(first.engine, first.name)
    except GraphvizNotFound:
        return None  # each run alone says so, located in its own file
    formats = [option[2:] for option in first.options if option.startswith("-T")]
    with tempfile.TemporaryDirectory(prefix="driverdiagram-") as folder:
        files = [os.path.join(folder, f"{at}.gv") for at in range(len(runs))]
        for path, run in zip(files, runs, strict=True):
            with open(path, "x", encoding="utf-8") as file:
                file.write(run.source)
        command = [program, *_engine_options(first.engine), *first.options, "-O", *files]
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                timeout=current().dot_timeout,
                stdin=subprocess.DEVNULL,
                cwd=folder,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        if result.returncode != 0:
            return None
        found = []
        for path in files:
            try:
                parts = [Path(f"{path}.{format}").read_bytes() for format in formats]
            except OSError:
                return None
            if not all(parts):
                return None
            found.append(b"".join(parts))
    if "svg" in formats:
        found = [_PAGE_ID.sub(rb'<g id="\1" class="graph"', output, count=1) for output in found]
    return found


def _program(engine: str, name: str) -> str:
    """Where the Graphviz program is (a GraphvizNotFound, located in ``name``, when
    it is not installed)."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    program = shutil.which(engine)
    if program is None:  # neato comes with dot in every Graphviz package
        missing = INSTALL_GRAPHVIZ.replace("'dot' program", f"'{engine}' program")
        raise GraphvizNotFound.at(Location(name), missing)
    return program


def _engine_options(engine: str) -> list[str]:
    # neato -n2 takes every position from the source, in points: it lays nothing out
    return ["-n2"] if engine == "neato" else []


def _run(options: list[str], source: str, name: str, engine: str = "dot") -> bytes:
    program = _program(engine, name)
    command = [program, *_engine_options(engine), *options]
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
