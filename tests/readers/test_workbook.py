"""The workbook reader (readers/workbook.py): real .xlsx files made with openpyxl in a
temporary folder, and hostile ones (zip bombs, entity tricks, renamed files, links)
refused with a located message that says what to do."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

import driverdiagram as dd
from driverdiagram.errors import InvalidDiagram, Location, column_letters
from driverdiagram.readers.workbook import Cell, read_rows, sheet_names


def _values(rows: list[list[Cell]]) -> list[list[object]]:
    return [[cell.value for cell in row] for row in rows]


def _message(error: pytest.ExceptionInfo[InvalidDiagram]) -> str:
    [problem] = error.value.problems
    return str(problem)


def _rewrite(path: Path, part: str, change: dict[bytes, bytes]) -> None:
    """Replace bytes in one part of a workbook (what a program other than openpyxl
    would have written)."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    for old, new in change.items():
        assert old in parts[part]
        parts[part] = parts[part].replace(old, new)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.fixture
def log(tmp_path: Path) -> Path:
    """A partner's log: a title, dates, a blank row, merged cells, numbers as text."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "PDSA"
    sheet.append(["Change idea", "Start", "Reviewed", "Note"])
    sheet.append(["Huddle", dt.date(2025, 9, 1), 8, "first"])
    sheet.append([])
    sheet.append(["Huddle list", "01/10/2025", "12", True])
    sheet.append(["Rounds", dt.datetime(2025, 11, 3, 14, 30), 2.5, "   "])
    sheet["A6"] = "Merged across"
    sheet.merge_cells("A6:C7")
    sheet["B2"].number_format = "mmm-yy"
    sheet["C5"].number_format = "0.0%"
    sheet.append([])  # blank rows at the end are left out
    book.create_sheet("Data log")["B2"] = 7
    path = tmp_path / "log.xlsx"
    book.save(path)
    return path


def test_cells_keep_their_values_types_and_places(
    log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(log.parent)
    rows = read_rows("log.xlsx")
    assert _values(rows) == [
        ["Change idea", "Start", "Reviewed", "Note"],
        ["Huddle", dt.date(2025, 9, 1), 8, "first"],
        [],  # an empty row between others is kept, so rows[n - 1] is row n
        ["Huddle list", "01/10/2025", "12", True],  # text stays text: "12" is not 12
        ["Rounds", dt.datetime(2025, 11, 3, 14, 30), 2.5],  # a cell of spaces is empty
        ["Merged across"],  # the rest of a merged range is empty
    ]
    assert type(rows[1][1].value) is dt.date  # a date with no time of day
    assert rows[1][1].where == "log.xlsx:PDSA!B2"
    assert rows[1][1].number_format == "mmm-yy"
    assert rows[4][2].number_format == "0.0%"
    assert rows[0][0].number_format == "General"
    assert rows[4][2].location == Location("log.xlsx", 5, 3, "PDSA")
    assert str(rows[4][2].location) == "log.xlsx:PDSA!C5"
    # the API's three fields make a cell; where it is compares, not how it was built
    assert rows[1][3] == Cell("first", "log.xlsx:PDSA!D2")


def test_sheets_by_name_and_the_first_by_default(log: Path) -> None:
    assert sheet_names(log) == ["PDSA", "Data log"]
    assert _values(read_rows(log, "Data log")) == [[], [None, 7]]
    # Excel's sheet names are the same whatever their case or spacing
    rows = read_rows(log, "data  LOG", name="w/log.xlsx")
    assert rows[1][1].where == "w/log.xlsx:'Data log'!B2"  # quoted as a formula quotes it


def test_an_unknown_sheet_is_named_with_the_sheets_there_are(log: Path) -> None:
    with pytest.raises(InvalidDiagram) as error:
        read_rows(log, "PDAS", name="log.xlsx")
    assert _message(error) == (
        "log.xlsx: error: the workbook has no sheet 'PDAS' (did you mean 'PDSA'?);"
        " its sheets are 'PDSA', 'Data log'"
    )


def test_a_chart_sheet_is_not_a_table(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Counts"
    book.active["A1"] = 3
    chart = BarChart()
    chart.add_data(Reference(book.active, min_col=1, min_row=1, max_row=1))
    book.create_chartsheet("Chart").add_chart(chart)
    path = tmp_path / "chart.xlsx"
    book.save(path)
    with pytest.raises(InvalidDiagram) as error:
        read_rows(path, "Chart", name="chart.xlsx")
    assert _message(error) == (
        "chart.xlsx:Chart: error: this sheet is a chart, not cells; name a sheet with the table"
    )


def test_a_formula_gives_its_saved_result_or_nothing(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "=1+1"
    sheet["B1"] = "=A1*2"
    sheet["C1"] = "=1/0"
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    # Excel saves each formula's result with it: A1's and C1's as Excel would
    _rewrite(
        path,
        "xl/worksheets/sheet1.xml",
        {
            b'<c r="A1"><f>1+1</f><v></v></c>': b'<c r="A1"><f>1+1</f><v>2</v></c>',
            b'<c r="C1"><f>1/0</f><v></v></c>': b'<c r="C1" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
        },
    )
    # B1's result was never saved (no program calculated it): an empty cell
    assert _values(read_rows(path)) == [[2, None, "#DIV/0!"]]


def test_a_sheet_whose_stated_size_is_wrong_is_read_as_it_is(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["period", "value", "note"])
    book.active.append(["2025-09", 4, "a"])
    path = tmp_path / "dims.xlsx"
    book.save(path)
    _rewrite(
        path, "xl/worksheets/sheet1.xml", {b'<dimension ref="A1:C2"/>': b'<dimension ref="A1:A1"/>'}
    )
    assert _values(read_rows(path)) == [["period", "value", "note"], ["2025-09", 4, "a"]]


# -- files that are not workbooks ---------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"Month,Missed,Booked\nSep-25,4,40\n", "this is a text file (perhaps a CSV file renamed"),
        (b"", "the file is empty; it should be an Excel workbook (.xlsx)"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            "this is an old Excel 97-2003 workbook (.xls), not .xlsx; open it in Excel and"
            " save it with File > Save As > Excel Workbook (.xlsx)",
        ),
        (
            # how Office stores a workbook with a password: an OLE file whose stream
            # EncryptedPackage holds the encrypted zip
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + bytes(500)
            + "EncryptedPackage".encode("utf-16-le")
            + bytes(100),
            "the workbook is protected with a password, so it cannot be read;",
        ),
        (b"<html><table><tr><td>1</td></tr></table></html>", "this is a web page or XML file"),
        (b"\x00\x01\x02\x03binary", "the file is not an Excel workbook (.xlsx)"),
    ],
)
def test_a_file_that_is_not_a_workbook_says_what_it_is(
    tmp_path: Path, data: bytes, says: str
) -> None:
    path = tmp_path / "sent.xlsx"
    path.write_bytes(data)
    with pytest.raises(InvalidDiagram) as error:
        read_rows(path, name="sent.xlsx")
    assert _message(error).startswith(f"sent.xlsx: error: {says}")


def test_other_zip_files_are_named(tmp_path: Path) -> None:
    for parts, says in [
        ({"mimetype": "x", "content.xml": "x"}, "this is an OpenDocument spreadsheet (.ods)"),
        ({"xl/workbook.bin": "x"}, "this is a binary Excel workbook (.xlsb)"),
        ({"word/document.xml": "x"}, "this is a Word or PowerPoint file"),
        ({"photo.jpg": "x"}, "this is a zip file, not an Excel workbook (.xlsx)"),
    ]:
        path = tmp_path / "sent.xlsx"
        with zipfile.ZipFile(path, "w") as archive:
            for name, text in parts.items():
                archive.writestr(name, text)
        with pytest.raises(InvalidDiagram) as error:
            sheet_names(path, name="sent.xlsx")
        assert _message(error).startswith(f"sent.xlsx: error: {says}")


def test_a_truncated_or_damaged_workbook_is_refused(log: Path) -> None:
    data = log.read_bytes()
    log.write_bytes(data[: len(data) // 2])
    with pytest.raises(InvalidDiagram) as error:
        read_rows(log, name="log.xlsx")
    assert "the workbook is damaged: it is not a complete zip file" in _message(error)
    log.write_bytes(data)
    _rewrite(log, "xl/worksheets/sheet1.xml", {b"<sheetData>": b"<sheetData><row r='1'><c"})
    with pytest.raises(InvalidDiagram) as error:
        read_rows(log, name="log.xlsx")
    assert _message(error).startswith("log.xlsx: error: the workbook cannot be read (")


# -- hostile files ------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    """A part of 64 MB of zeros packs to about 64 kB: it is refused from the zip's
    directory alone, never unpacked."""
    path = tmp_path / "bomb.xlsx"
    book = openpyxl.Workbook()
    book.save(path)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/zeros.bin", "w") as part,
    ):
        for _ in range(64):
            part.write(bytes(1024 * 1024))
    assert path.stat().st_size < 200_000
    with pytest.raises(InvalidDiagram) as error:
        read_rows(path, name="bomb.xlsx")
    assert re.fullmatch(
        r"bomb\.xlsx: error: part 'xl/media/zeros\.bin' of the workbook unpacks [\d,]+ times"
        r" its packed size \(a workbook's parts unpack at most 200 times\): it looks made"
        r" to exhaust memory, so it is not read",
        _message(error),
    )


def test_a_workbook_past_the_unpacked_size_or_part_count_is_refused(log: Path) -> None:
    with dd.limits(workbook_unpacked=10_000), pytest.raises(InvalidDiagram) as error:
        read_rows(log, name="log.xlsx")
    assert re.fullmatch(
        r"log\.xlsx: error: the workbook unpacks to [\d,]+ bytes, more than the 10,000 bytes"
        r" driverdiagram reads; save the sheet you need in a workbook of its own",
        _message(error),
    )
    with dd.limits(workbook_parts=5), pytest.raises(InvalidDiagram) as error:
        sheet_names(log, name="log.xlsx")
    assert re.fullmatch(
        r"log\.xlsx: error: the workbook has \d+ parts, more than the 5 driverdiagram reads;"
        r" save the sheet you need in a workbook of its own",
        _message(error),
    )
    with dd.limits(file_bytes=1000), pytest.raises(InvalidDiagram) as error:
        read_rows(log, name="log.xlsx")
    assert "the workbook is larger than 1,000 bytes" in _message(error)


def test_a_sheet_past_the_cell_limit_is_refused_where_it_passes_it(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    for number in range(1, 11):
        book.active.append([number, number * 2, number * 3])
    path = tmp_path / "many.xlsx"
    book.save(path)
    with dd.limits(workbook_cells=20), pytest.raises(InvalidDiagram) as error:
        read_rows(path, name="many.xlsx")
    assert _message(error) == (
        "many.xlsx:Sheet!A7: error: the sheet has more than 20 cells up to here, more than"
        " driverdiagram reads from a sheet; keep the table you need on a sheet of its own"
    )
    with dd.limits(workbook_cells=30):
        assert len(read_rows(path)) == 10


def test_a_far_away_cell_or_a_huge_stated_size_costs_no_more_than_the_limit(
    tmp_path: Path,
) -> None:
    """A sheet that claims to be A1:XFD1048576, or has one cell on the last row,
    is read up to the cell limit and no further."""
    book = openpyxl.Workbook()
    book.active["A1"] = "period"
    path = tmp_path / "far.xlsx"
    book.save(path)
    _rewrite(
        path,
        "xl/worksheets/sheet1.xml",
        {
            b'<dimension ref="A1:A1"/>': b'<dimension ref="A1:XFD1048576"/>',
            b"</row></sheetData>": b'</row><row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c>'
            b"</row></sheetData>",
        },
    )
    with dd.limits(workbook_cells=50_000), pytest.raises(InvalidDiagram) as error:
        read_rows(path, name="far.xlsx")
    assert _message(error).startswith("far.xlsx:Sheet!A50001: error: the sheet has more than")


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_entity_tricks_in_the_xml_are_refused(tmp_path: Path, part: str) -> None:
    """The "billion laughs": an entity of entities of entities, in a sheet (parsed a
    row at a time) or in the workbook's own part (parsed whole)."""
    book = openpyxl.Workbook()
    book.active.title = "laugh"
    book.active["A1"] = "laugh"
    path = tmp_path / "laughs.xlsx"
    book.save(path)
    root = b"<worksheet " if part.endswith("sheet1.xml") else b"<workbook "
    laughs = (
        b'<!DOCTYPE lolz [<!ENTITY a "lol">'
        + b"".join(
            b'<!ENTITY %s "%s">' % (bytes([98 + n]), b"&%s;" % bytes([97 + n]) * 10)
            for n in range(8)
        )
        + b"]>"
    )
    laugh = b"<t>laugh</t>" if part.endswith("sheet1.xml") else b'name="laugh"'
    _rewrite(
        path,
        part,
        {root: laughs + root, laugh: laugh.replace(b"laugh", b"&i;")},
    )
    with pytest.raises(InvalidDiagram) as error:
        read_rows(path, name="laughs.xlsx")
    assert _message(error) == (
        "laughs.xlsx: error: the workbook's XML declares entities (a trick that makes a small"
        " file exhaust memory; Excel never writes them), so it is not read"
    )


def test_a_link_is_not_read_through(log: Path) -> None:
    link = log.parent / "linked.xlsx"
    os.symlink(log, link)
    with pytest.raises(InvalidDiagram) as error:
        read_rows(link, name="linked.xlsx")
    assert _message(error) == (
        "linked.xlsx: error: is a symbolic link; driverdiagram does not read workbooks"
        " through links: copy the workbook itself here"
    )
    with pytest.raises(InvalidDiagram) as error:
        read_rows(log.parent / "missing.xlsx", name="missing.xlsx")
    assert _message(error) == "missing.xlsx: error: no such file"


def test_a_workbook_someone_made_with_zip_encryption_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"
    book = openpyxl.Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    data = bytearray(buffer.getvalue())
    # set the "encrypted" flag of every part, as a zip tool's password does
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for match in re.finditer(re.escape(signature), bytes(data)):
            data[match.start() + offset] |= 1
    path.write_bytes(bytes(data))
    with pytest.raises(InvalidDiagram) as error:
        read_rows(path, name="locked.xlsx")
    assert "the workbook is protected with a password" in _message(error)


# -- places --------------------------------------------------------------------------------


def test_a_place_in_a_workbook_reads_as_a_spreadsheet_names_it() -> None:
    assert [column_letters(n) for n in (1, 3, 26, 27, 52, 703, 16384)] == [
        "A",
        "C",
        "Z",
        "AA",
        "AZ",
        "AAA",
        "XFD",
    ]
    assert str(Location("log.xlsx", 7, 3, "PDSA")) == "log.xlsx:PDSA!C7"
    assert str(Location("log.xlsx", 2, 1, "Sept 2025")) == "log.xlsx:'Sept 2025'!A2"
    assert str(Location("log.xlsx", 2, 1, "Bob's")) == "log.xlsx:'Bob''s'!A2"
    assert str(Location("log.xlsx", 2, 1, "2025")) == "log.xlsx:'2025'!A2"
    assert str(Location("log.xlsx", sheet="PDSA")) == "log.xlsx:PDSA"
    assert str(Location("data.csv", 4, 2)) == "data.csv:4:2"  # a CSV file's place as before


def test_a_hostile_sheet_name_is_shown_short_and_on_one_line(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active["B2"] = "x"
    path = tmp_path / "named.xlsx"
    book.save(path)
    _rewrite(path, "xl/workbook.xml", {b'name="Sheet"': b'name="' + b"A&#10;" * 50 + b'"'})
    [[], [_, cell]] = read_rows(path, name="named.xlsx")
    # 37 characters of it, each line break shown as the symbol for one
    assert cell.where == "named.xlsx:'" + ("A\u2424" * 20)[:37] + "...'!B2"
