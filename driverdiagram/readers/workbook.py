"""Excel workbooks (.xlsx) read safely: the cells of a sheet, each with its place.

A workbook is a zip file of XML parts, and a workbook someone sent is hostile until
read. Before openpyxl sees it, the file is read like any other (a regular file, never
through a symbolic link, within the file-size limit) and its zip directory is checked
against the limits (:mod:`driverdiagram.limits`): how many parts, how many bytes they
unpack to, how far a large part expands (a zip bomb expands a thousand times). The
XML is parsed by openpyxl with defusedxml, which refuses entity tricks (the "billion
laughs"), read-only, one row at a time, and at most ``workbook_cells`` cells of a sheet.

What a cell holds:

- text, a whole number (``int``), a number with a fraction (``float``), ``True`` or
  ``False``, a date (:class:`datetime.date` when it has no time of day and its format
  shows none, else :class:`datetime.datetime`), or ``None`` for an empty cell. Text that
  is only spaces is empty too. A time of day or a duration is given as text
  (``"08:30:00"``). Text is as written: a caller shows it through
  :func:`driverdiagram.text.visible` or :func:`~driverdiagram.text.excerpt`;
- a formula gives the result Excel saved with the file (its cached value). A formula
  whose result was never saved (a file written by a program that does not calculate,
  never opened and saved in Excel) reads as an empty cell: the formula itself is not
  run. An error result reads as its text (``"#DIV/0!"``);
- merged cells: the top-left cell holds the value, the others are empty, as Excel
  stores them;
- ``number_format`` is the cell's format as Excel names it (``"General"``, ``"0.0%"``,
  ``"mmm-yy"``): a number shown as a percentage is still the fraction (0.25).

Each cell's ``where`` names its file (as the caller gave it), sheet and cell the way a
spreadsheet does, ``log.xlsx:PDSA!C7``, and :attr:`Cell.location` is the same place as a
:class:`~driverdiagram.errors.Location` for a problem.
"""

from __future__ import annotations

import datetime
import io
import os
import warnings
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import InvalidDiagram, Location
from ..files import read_bytes
from ..limits import current, megabytes
from ..text import excerpt, one_line, suggest

if TYPE_CHECKING:
    from collections.abc import Iterator

#: What a cell may hold (see the module's docstring).
Value = str | int | float | bool | datetime.date | datetime.datetime | None


@dataclass(frozen=True)
class Cell:
    """One cell of a sheet: its value, where it is (``log.xlsx:PDSA!C7``) and its
    number format."""

    value: Value
    where: str
    number_format: str = "General"
    #: the cell as a Location (the row as its line, the column's number as its column)
    location: Location = field(default=Location(""), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.location.path:
            object.__setattr__(self, "location", Location(self.where))


#: The start of a zip file, and of an OLE compound file (an .xls, or an encrypted .xlsx).
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: A part larger than this is checked for how far it expands (small parts of few
#: repeated bytes expand far and are harmless).
_RATIO_FROM = 1024 * 1024
_SAVE_AS = "open it in Excel and save it with File > Save As > Excel Workbook (.xlsx)"


def sheet_names(path: str | os.PathLike[str], *, name: str = "") -> list[str]:
    """The names of a workbook's sheets, in the order its tabs show them. ``name``
    is how messages name the file (the path as given by default)."""
    shown = name or os.fspath(path)
    book = _open(path, shown)
    try:
        return [str(title) for title in book.sheetnames]
    finally:
        book.close()


def read_rows(
    path: str | os.PathLike[str], sheet: str | None = None, *, name: str = ""
) -> list[list[Cell]]:
    """The rows of one sheet (the first sheet when ``sheet`` is None), each a list of
    its cells from column A: row n of the sheet is ``rows[n - 1]``. Empty cells at the
    end of a row and empty rows at the end of the sheet are left out (an empty row
    between others is ``[]``). ``name`` is how messages name the file (the path as
    given by default).

    Raises :class:`InvalidDiagram`, located in the file, for a file that is not an
    .xlsx workbook (an old .xls, a CSV file renamed), one protected with a password,
    a sheet it does not have, and a workbook or sheet beyond the limits."""
    shown = name or os.fspath(path)
    return _read(_open(path, shown), sheet, shown)[1]


def read_sheet(data: bytes, sheet: str | None = None, *, name: str) -> tuple[str, list[list[Cell]]]:
    """The name of the sheet read (as a place shows it, :func:`shown_sheet`) and its
    rows, as :func:`read_rows`, from a workbook's bytes already read (a measure's data
    file, standard input) and named ``name``."""
    return _read(_open_bytes(data, name), sheet, name)


def _read(book: Any, sheet: str | None, shown: str) -> tuple[str, list[list[Cell]]]:
    try:
        found = _sheet(book, sheet, shown)
        return shown_sheet(str(found.title)), _rows(found, shown)
    except InvalidDiagram:
        raise
    except Exception as error:  # any failure of a hostile file's XML
        raise _damaged(shown, error) from error
    finally:
        book.close()


# -- opening ----------------------------------------------------------------------------


def _open(path: str | os.PathLike[str], shown: str) -> Any:
    """The workbook, opened read-only after its bytes and zip directory are checked."""
    where = Location(shown)
    if os.path.islink(path):
        raise InvalidDiagram.at(
            where,
            "is a symbolic link; driverdiagram does not read workbooks through links:"
            " copy the workbook itself here",
        )
    return _open_bytes(read_bytes(path, name=shown), shown)


def _open_bytes(data: bytes, shown: str) -> Any:
    """The workbook in these bytes, opened read-only after its zip directory is checked."""
    where = Location(shown)
    if len(data) > current().file_bytes:
        raise InvalidDiagram.at(
            where,
            f"the workbook is larger than {megabytes(current().file_bytes)}; save the"
            " sheet you need in a workbook of its own (or raise the limit with --max-file-mb)",
        )
    _check_zip(data, where)
    import openpyxl  # here: it takes time to import, and most commands never need it

    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it passes over (data validation, styles)
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
    except Exception as error:  # any failure of a hostile file's XML
        raise _damaged(shown, error) from error


def _damaged(shown: str, error: Exception) -> InvalidDiagram:
    """The error for a workbook openpyxl could not read: its first cause, in words."""
    cause: BaseException = error
    while cause.__cause__ is not None or cause.__context__ is not None:
        cause = cause.__cause__ or cause.__context__  # type: ignore[assignment]
    reason = one_line(str(cause).split("\n")[0])[:120] or type(cause).__name__
    if "entit" in reason.lower() or "dtd" in reason.lower():
        # defusedxml's refusals, and libxml2's own guard against entity tricks
        return InvalidDiagram.at(
            Location(shown),
            "the workbook's XML declares entities (a trick that makes a small file"
            " exhaust memory; Excel never writes them), so it is not read",
        )
    return InvalidDiagram.at(
        Location(shown),
        f"the workbook cannot be read ({reason}); it may be damaged: {_SAVE_AS} again",
    )


def _check_zip(data: bytes, where: Location) -> None:
    """Refuse what is not an .xlsx workbook, and a workbook beyond the limits."""
    if not data.startswith(_ZIP):
        raise InvalidDiagram.at(where, _not_a_workbook(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise InvalidDiagram.at(
            where,
            "the workbook is damaged: it is not a complete zip file (was it copied while"
            f" it was still being saved?); {_SAVE_AS} again",
        ) from error
    with archive:
        parts = archive.infolist()
        limits = current()
        if len(parts) > limits.workbook_parts:
            raise InvalidDiagram.at(
                where,
                f"the workbook has {len(parts):,} parts, more than the"
                f" {limits.workbook_parts:,} driverdiagram reads; save the sheet you need"
                " in a workbook of its own",
            )
        unpacked = sum(part.file_size for part in parts)
        if unpacked > limits.workbook_unpacked:
            raise InvalidDiagram.at(
                where,
                f"the workbook unpacks to {megabytes(unpacked)}, more than the"
                f" {megabytes(limits.workbook_unpacked)} driverdiagram reads; save the sheet"
                " you need in a workbook of its own",
            )
        for part in parts:
            if part.file_size > _RATIO_FROM and (
                part.file_size > limits.workbook_ratio * max(part.compress_size, 1)
            ):
                raise InvalidDiagram.at(
                    where,
                    f"part {excerpt(part.filename)} of the workbook unpacks"
                    f" {part.file_size // max(part.compress_size, 1):,} times its packed size"
                    f" (a workbook's parts unpack at most {limits.workbook_ratio} times): it"
                    " looks made to exhaust memory, so it is not read",
                )
            if part.flag_bits & 0x1:
                raise InvalidDiagram.at(where, _PROTECTED)
        names = [part.filename for part in parts]
    if not any(name.lower().endswith("workbook.xml") for name in names):
        raise InvalidDiagram.at(where, _zip_kind(names))


_PROTECTED = (
    "the workbook is protected with a password, so it cannot be read; open it in Excel,"
    " remove the password (File > Info > Protect Workbook > Encrypt with Password, clear"
    " it), save it, and try again"
)


def _not_a_workbook(data: bytes) -> str:
    """What a file that is not a zip file is, and how to make it an .xlsx workbook."""
    if not data:
        return "the file is empty; it should be an Excel workbook (.xlsx)"
    if data.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            return _PROTECTED
        return f"this is an old Excel 97-2003 workbook (.xls), not .xlsx; {_SAVE_AS}"
    head = data[:4096]
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<?xml", b"<html", b"<!doctype", b"<table")):
        return (
            "this is a web page or XML file named like a workbook (some systems export"
            f" spreadsheets that way), not .xlsx; {_SAVE_AS}"
        )
    if b"\x00" not in head:
        return (
            "this is a text file (perhaps a CSV file renamed .xlsx), not an Excel"
            " workbook; name it .csv, or open it in Excel and save it as .xlsx"
        )
    return f"the file is not an Excel workbook (.xlsx); {_SAVE_AS}"


def _zip_kind(names: list[str]) -> str:
    """What a zip file that holds no workbook is."""
    if any(name.lower().endswith("workbook.bin") for name in names):
        return f"this is a binary Excel workbook (.xlsb), not .xlsx; {_SAVE_AS}"
    if "content.xml" in names and "mimetype" in names:
        return (
            "this is an OpenDocument spreadsheet (.ods), not .xlsx; save it as .xlsx"
            " (in LibreOffice: File > Save As > Excel 2007-365)"
        )
    if any(name.startswith(("word/", "ppt/")) for name in names):
        return "this is a Word or PowerPoint file, not an Excel workbook (.xlsx)"
    return "this is a zip file, not an Excel workbook (.xlsx)"


def shown_sheet(title: str) -> str:
    """A sheet's name as a place shows it: visible, on one line, and short (Excel's
    names are at most 31 characters; a hostile file's may be any length)."""
    shown = one_line(title)
    return shown if len(shown) <= 40 else shown[:37] + "..."


# -- reading a sheet --------------------------------------------------------------------


def _sheet(book: Any, wanted: str | None, shown: str) -> Any:
    """The sheet asked for (or the first worksheet), else a located error that lists
    the sheets there are."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    names = [str(title) for title in book.sheetnames]
    if wanted is None:
        for title in names:
            if isinstance(book[title], ReadOnlyWorksheet):
                return book[title]
        raise InvalidDiagram.at(Location(shown), "the workbook has no sheet of cells")
    found = next((title for title in names if title == wanted), None)
    if found is None:  # Excel's sheet names are the same in any case
        wanted_words = " ".join(wanted.split()).casefold()
        found = next(
            (title for title in names if " ".join(title.split()).casefold() == wanted_words),
            None,
        )
    if found is None:
        listed = ", ".join(excerpt(title, 32) for title in names[:20])
        more = f" and {len(names) - 20} more" if len(names) > 20 else ""
        raise InvalidDiagram.at(
            Location(shown),
            f"the workbook has no sheet {excerpt(wanted, 32)}{suggest(wanted, names)};"
            f" its sheets are {listed}{more}",
        )
    sheet = book[found]
    if not isinstance(sheet, ReadOnlyWorksheet):
        raise InvalidDiagram.at(
            Location(shown, sheet=shown_sheet(found)),
            "this sheet is a chart, not cells; name a sheet with the table",
        )
    return sheet


def _rows(sheet: Any, shown: str) -> list[list[Cell]]:
    title = shown_sheet(str(sheet.title))
    most = current().workbook_cells
    sheet.reset_dimensions()  # a file's stated size may be wrong, or made to be huge
    rows: list[list[Cell]] = []
    filled = 0  # how many rows up to the last one with a value
    read = 0
    for number, row in enumerate(_cells_of(sheet), start=1):
        read += max(1, len(row))
        if read > most:
            raise InvalidDiagram.at(
                Location(shown, number, 1, title),
                f"the sheet has more than {most:,} cells up to here, more than driverdiagram"
                " reads from a sheet; keep the table you need on a sheet of its own",
            )
        cells = [_cell(cell, shown, title, number, column) for column, cell in enumerate(row, 1)]
        while cells and cells[-1].value is None:
            cells.pop()
        rows.append(cells)
        if cells:
            filled = number
    del rows[filled:]
    return rows


def _cells_of(sheet: Any) -> Iterator[tuple[Any, ...]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield from sheet.iter_rows()


def _cell(cell: Any, shown: str, title: str, row: int, column: int) -> Cell:
    value = cell.value
    number_format = str(cell.number_format or "General")
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time() and not _shows_time(number_format):
            value = value.date()
    elif isinstance(value, datetime.time | datetime.timedelta):
        value = str(value)
    elif isinstance(value, str) and not value.strip():
        value = None
    elif value is not None and not isinstance(value, str | int | float | bool):
        value = str(value)
    location = Location(shown, row, column, title)
    return Cell(value, str(location), number_format, location)


def _shows_time(number_format: str) -> bool:
    """Whether a number format shows a time of day (hours or seconds; quoted text and
    escaped characters aside)."""
    plain = ""
    quoted = escaped = False
    for char in number_format.lower():
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif not quoted:
            plain += char
    return "h" in plain or "s" in plain
