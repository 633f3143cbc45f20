"""How much driverdiagram will take on: file size, boxes, nesting, text, time.

Each limit is far beyond any diagram a team writes by hand, and turns a file
that would exhaust memory or time into a clear, located error instead. Raise
them for generated diagrams, from the command line (``driverdiagram
--max-boxes 50000 render big.yaml``) or from Python::

    with driverdiagram.limits(boxes=50_000, dot_timeout=600):
        driverdiagram.render(driverdiagram.load("big.yaml"), "svg")
"""

from __future__ import annotations

import contextlib
import contextvars
import math
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Limits:
    #: The largest diagram or data file read, in bytes (a 1,000-box file is about 100 kB).
    file_bytes: int = 10 * 1024 * 1024
    #: The most boxes in one diagram. 20,000 with cross links draw in 7 to 14 s with
    #: our own layout (draw/own.py; ``--layout auto`` takes it from 1,000 boxes), well
    #: inside ``dot_timeout``; Graphviz dot's layout of the same (``--layout dot``)
    #: takes 2 to 5 minutes, at or beyond it (benchmarks/run.py, benchmarks/layout.py).
    boxes: int = 20_000
    #: The deepest nesting of lists and mappings (a diagram needs about 12); at most
    #: MAX_DEPTH, the most libyaml parses (beyond it PyYAML's own parser is
    #: quadratic in the depth).
    depth: int = 50
    #: The longest text of a box, title or note, in characters.
    text: int = 2_000
    #: The most points one measure may have (ten years of weekly data is 520).
    points: int = 5_000
    #: Seconds Graphviz (and Chromium, printing a paper) may take before it is stopped.
    dot_timeout: float = 120.0
    #: The most bytes a workbook (.xlsx, a zip file of XML parts) may unpack to:
    #: its sheets' XML is 5 to 20 times the file's size, and a zip bomb far more.
    workbook_unpacked: int = 100 * 1024 * 1024
    #: The most parts (files in the zip) a workbook may have: three or four a sheet.
    workbook_parts: int = 2_000
    #: The most a part of a workbook larger than a megabyte may expand when unpacked
    #: (unpacked / packed size): a sheet's XML packs 5 to 50 times, a zip bomb
    #: a thousand times.
    workbook_ratio: int = 200
    #: The most cells read from one sheet, empty ones between filled ones counted
    #: (a 5,000-row, 10-column sheet has 50,000).
    workbook_cells: int = 1_000_000
    #: Whether a measure's ``data:`` may point outside the diagram's folder and its
    #: git repository (off: a folder someone sent cannot read your other files).
    outside_data: bool = False


DEFAULT = Limits()
MAX_DEPTH = 1000
_CURRENT: contextvars.ContextVar[Limits] = contextvars.ContextVar("limits", default=DEFAULT)


def current() -> Limits:
    """The limits in force here."""
    return _CURRENT.get()


@contextlib.contextmanager
def limits(**changes: float | bool) -> Iterator[Limits]:
    """Run a block with some limits changed (see :class:`Limits` for the names)::

    with driverdiagram.limits(outside_data=True):   # a data folder kept elsewhere
        driverdiagram.load("falls.yaml")
    """
    known = {field.name for field in fields(Limits)}
    checked: dict[str, float | bool] = {}
    for name, value in changes.items():
        if name not in known:
            raise TypeError(f"unknown limit {name!r}; the limits are {', '.join(sorted(known))}")
        if name == "outside_data":
            if not isinstance(value, bool):
                raise TypeError(f"outside_data is True or False, not {value!r}")
            checked[name] = value
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"limit {name} must be a number, not {value!r}")
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"limit {name} must be a finite number above 0, not {value}")
        if name != "dot_timeout" and value != int(value):
            raise ValueError(f"limit {name} must be a whole number, not {value}")
        checked[name] = value if name == "dot_timeout" else int(value)
        if name == "depth" and value > MAX_DEPTH:
            raise ValueError(f"the depth limit can be at most {MAX_DEPTH}, not {value}")
    token = _CURRENT.set(replace(current(), **checked))  # type: ignore[arg-type]
    try:
        yield current()
    finally:
        _CURRENT.reset(token)


def megabytes(size: int) -> str:
    """10485760 -> '10 MB' (or '1.5 MB')."""
    value = size / (1024 * 1024)
    return f"{value:g} MB" if value >= 0.1 else f"{size:,} bytes"
