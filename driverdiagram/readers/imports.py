"""Other formats -> a checked Diagram: the JSON and CSV that ``export`` writes,
FreeSPC's CSV, a spreadsheet with one row per change idea, and indented outlines.

Each reader (:mod:`.json`, :mod:`.csv`, :mod:`.outline`) builds a Draft located in
the user's own file, and :func:`driverdiagram.graph.check` checks it as it checks a
diagram written in YAML, so every problem is at a line and column of the file
imported. The YAML ``driverdiagram import`` prints is
:func:`driverdiagram.exports.yaml.to_yaml` of the diagram, and reads back as it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from ..errors import OptionError
from ..files import decode, decode_csv
from ..graph import Draft, check
from ..model import Diagram
from ..text import one_line
from .csv import parse as parse_csv
from .csv import parse_rows
from .diagram import within_limit
from .json import parse as parse_json
from .outline import parse as parse_outline

#: A reader: text and the name it is known by -> a draft located in that text.
Reader = Callable[[str, str], Draft]


def read_data(data: bytes, name: str, sheet: str | None = None) -> Diagram:
    """The diagram in the bytes of a file to import (as :func:`read`). A CSV file may
    be in Windows-1252, as Excel saves "CSV (Comma delimited)": it is read so, with a
    note among the diagram's warnings (:func:`driverdiagram.files.decode_csv`); the
    other formats are UTF-8. An Excel workbook (.xlsx: its name or its bytes say so)
    is read as a CSV spreadsheet is, from its first sheet or the one ``sheet`` names;
    ``sheet`` for a file that is not a workbook is an :class:`OptionError`."""
    within_limit(data, name)
    if is_workbook(data, name):
        return check(_workbook(data, name, sheet))
    if sheet is not None:
        raise OptionError(
            f"--sheet names a sheet of a workbook, but {one_line(name)} is not an Excel"
            " workbook (.xlsx); leave --sheet out"
        )
    parse = reader_for(name, data[:4096].decode("utf-8", "replace"))
    if parse is not parse_csv:
        return check(parse(decode(data, name), name))
    text, note = decode_csv(data, name)
    draft = parse(text, name)
    if note is not None:
        draft.warnings.append(note)
    return check(draft)


def is_workbook(data: bytes, name: str) -> bool:
    """Whether a file to import is an Excel workbook: named so, or a zip or OLE file
    (which no other format read here is)."""
    suffix = os.path.splitext(name)[1].lower()
    return suffix in (".xlsx", ".xlsm", ".xls") or data.startswith(
        (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
    )


def _workbook(data: bytes, name: str, sheet: str | None) -> Draft:
    """A sheet of a coach's workbook, one row per change idea (or FreeSPC's layout),
    read by the CSV reader: each cell as the text the sheet shows for it, each
    problem at its cell (``ideas.xlsx:Sheet1!C7``). Empty rows above the headings are
    passed over."""
    from .workbook import read_sheet  # here: it is needed for workbooks only

    title, cells = read_sheet(data, sheet, name=name)
    rows = (
        (number, [_text(cell.value) for cell in row])
        for number, row in enumerate(cells, start=1)
        if row
    )
    return parse_rows(rows, name, title)


def _text(value: object) -> str:
    """A workbook cell's value as the text of a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read(text: str, name: str) -> Diagram:
    """The diagram in ``text``, a file to import named ``name`` (its format told from
    the name and the text, see :func:`reader_for`). Raises
    :class:`~driverdiagram.DiagramError` with every problem, located in the text."""
    return check(reader_for(name, text)(text, name))


def reader_for(name: str, text: str) -> Reader:
    """The reader for a file to import: JSON (a ``.json`` name, or text that starts
    with ``{``), CSV (``.csv``, ``.tsv``) or an outline (``.md``, ``.markdown``,
    ``.txt``, ``.outline``); another name is CSV when its first line has two commas
    or more, else an outline."""
    suffix = os.path.splitext(name)[1].lower()
    if suffix == ".json" or text.lstrip().startswith("{"):
        return parse_json
    if suffix in (".csv", ".tsv"):
        return parse_csv
    if suffix in (".md", ".markdown", ".txt", ".outline"):
        return parse_outline
    first = text.lstrip().split("\n", 1)[0]
    return parse_csv if first.count(",") >= 2 else parse_outline
