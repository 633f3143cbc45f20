"""Shared setup for the driverdiagram fuzz targets (fuzz_loader.py, fuzz_csv.py).

Not a target itself. Builds the folder the fuzzed diagram is read from (its
``data/`` holds a few CSV files, so ``data:`` paths in measures reach the CSV
reader) and checks that a DiagramError is well formed: every problem has a
path, and a line and column of 1 or more (only the whole-file messages of
``loader.read`` may have line 0, and the fuzz targets never call it).
A diagram that loads must hold only finite measure values (check_diagram).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The repository root: fuzz/ lives at its top. DRIVERDIAGRAM_ROOT overrides it.
ROOT = Path(os.environ.get("DRIVERDIAGRAM_ROOT", HERE.parent)).resolve()

#: The messages of problems about a file as a whole, which have no line or
#: column (Location(path) in driverdiagram/files.py:read_bytes). Any other problem
#: must be located at line >= 1, column >= 1.
WHOLE_FILE_MESSAGES = (
    "no such file",
    "is a folder, not a file",
    "is a pipe",
    "is a device",
    "is a socket",
    "cannot read the file",
    # a workbook (a data file whose bytes are a zip or OLE file) that cannot be read
    # at all: driverdiagram/readers/workbook.py
    "the workbook",
    "the file is empty; it should be an Excel workbook",
    "the file is not an Excel workbook",
    "this is ",
    "part ",
)

#: A few CSV files written here so the targets work without the repository's
#: test data; the repository's own data files are added when found.
INLINE_CSV = {
    "monthly.csv": "period,value\n2026-01,31\n2026-02,29\n2026-03,\n2026-04,27.5\n",
    "ratio.csv": 'period,numerator,denominator,note\n2026-01,3,120,\n2026-02,4,118,"new, form"\n',
    "semicolon.csv": "period;value;note\n2026-01;61,5;first\n2026-02;62,0;\n",
    "daily.csv": "period,value\n2026-03-01,4\n2026-03-02,5\n2026-03-02,6\n",
    "no-header.csv": "2026-01,31\n2026-02,29\n",
    "empty.csv": "",
}

# the folders of the repository whose CSV files are copied into data/
CSV_DIRS = ("tests/cases", "diagrams", "templates")


def make_base_dir() -> str:
    """A temporary folder with data/*.csv (on /dev/shm when there is one: faster)."""
    parent = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    _remove_stale(Path(parent or tempfile.gettempdir()))
    base = tempfile.mkdtemp(prefix=f"ddfuzz-{os.getpid()}-", dir=parent)
    # libFuzzer ends the process with exit(), skipping atexit; _remove_stale
    # clears what an earlier run left behind
    atexit.register(shutil.rmtree, base, ignore_errors=True)
    data = Path(base, "data")
    data.mkdir()
    for name, text in INLINE_CSV.items():
        (data / name).write_text(text, encoding="utf-8")
    for folder in CSV_DIRS:
        tree = ROOT / folder
        if tree.is_dir():
            for csv in sorted(tree.rglob("*.csv")):
                if not (data / csv.name).exists():
                    shutil.copyfile(csv, data / csv.name)
    return base


def _remove_stale(folder: Path) -> None:
    """Remove the scratch folders of fuzz runs whose process has ended."""
    for old in folder.glob("ddfuzz-*-*"):
        try:
            pid = int(old.name.split("-")[1])
            os.kill(pid, 0)
        except ValueError:
            continue
        except ProcessLookupError:
            shutil.rmtree(old, ignore_errors=True)
        except PermissionError:
            continue


class BadProblem(AssertionError):
    """A DiagramError that breaks the promise of driverdiagram/errors.py."""


def _line_count(text: str | None) -> int | None:
    if text is None:
        return None
    # YAML line breaks: \n, \r\n, \r, and (pure-Python parser) \x85, \u2028, \u2029;
    # splitlines() counts a superset of them, so this is an upper bound
    return len(text.splitlines()) + 1


def check_error(error: BaseException, texts: dict[str, str | None]) -> None:
    """Raise BadProblem unless every problem of ``error`` is located properly.

    ``texts`` maps a file name to its text (None when it could not be decoded),
    to bound line numbers: a problem cannot be on a line the file does not have.
    """
    problems = getattr(error, "problems", None)
    if not problems:
        raise BadProblem(f"DiagramError with no problems: {error!r}")
    for problem in problems:
        location = problem.location
        if not isinstance(location.path, str) or not location.path:
            raise BadProblem(f"problem without a path: {problem!r}")
        if not isinstance(problem.message, str) or not problem.message:
            raise BadProblem(f"problem without a message: {problem!r}")
        if location.sheet:  # a place in a workbook: a sheet, or a cell of it
            if location.line < 0 or location.column < 0:
                raise BadProblem(f"bad row/column: {problem!r}")
            str(problem)
            continue
        if location.line == 0 and location.column == 0:
            if problem.message.startswith(WHOLE_FILE_MESSAGES):
                continue
            raise BadProblem(f"unlocated problem (line 0): {problem!r}")
        if location.line < 1 or location.column < 1:
            raise BadProblem(f"bad line/column: {problem!r}")
        if location.path in texts:
            most = _line_count(texts[location.path])
            if most is not None and location.line > most:
                raise BadProblem(
                    f"line {location.line} beyond the end of the file ({most - 1} lines):"
                    f" {problem!r}"
                )
        str(problem)  # formatting must not fail
    str(error)


def check_diagram(diagram: object) -> None:
    """Raise BadProblem when a loaded diagram breaks what later steps rely on:
    every measure value and target is a finite number or None (runchart.analyse
    raises ValueError for anything else, so `driverdiagram analyse` would crash)."""
    import math

    for measure in getattr(diagram, "measures", ()):
        if measure.target is not None and not math.isfinite(measure.target):
            raise BadProblem(f"measure {measure.id!r}: non-finite target {measure.target!r}")
        for point in measure.points:
            if point.value is not None and not math.isfinite(point.value):
                raise BadProblem(
                    f"measure {measure.id!r}: non-finite value {point.value!r}"
                    f" for {point.period} at {point.location}"
                )
