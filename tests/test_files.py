"""Bytes -> text (files.py): diagram files are UTF-8; CSV files also Windows-1252, as
Excel saves them, with a note, and anything else says how to save them as CSV UTF-8."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

import driverdiagram as dd
from driverdiagram.files import decode, decode_csv, read_bytes


def test_utf8_csv_is_read_as_it_is_and_has_no_note() -> None:
    text = "period,value,note\n2026-01,7,Café – “quiet”\n"
    assert decode_csv(text.encode(), "x.csv") == (text, None)
    assert decode_csv(codecs.BOM_UTF8 + text.encode(), "x.csv") == (text, None)


def test_windows_1252_csv_is_read_with_a_note_at_its_first_letter_that_is_not_utf8() -> None:
    text = "period,value,note\r\n2026-01,7,\r\n2026-02,6,Café – “quiet” ™ €\r\n"
    decoded, note = decode_csv(text.encode("cp1252"), "x.csv")
    assert decoded == text
    assert note is not None and note.severity == "note"
    assert (note.line, note.column) == (3, 14)
    assert note.message.startswith(
        "read as Windows-1252, as Excel saves \"CSV (Comma delimited)\" (byte 0xE9 here is 'é')"
    )


@pytest.mark.parametrize(
    "data, at, why",
    [
        (b"period,value\n2026-01,7\x81\n", (2, 10), "byte 0x81 here cannot be read"),
        (b"a,b\n\x8d\n", (2, 1), "byte 0x8D here cannot be read"),
        (b"a,caf\xe9\x00\n", (1, 7), "byte 0x00 here is a control character, not text"),
        (b"a,caf\xe9\x1b[31m\n", (1, 7), "byte 0x1B here is a control character, not text"),
        (codecs.BOM_UTF8 + b"a,caf\xe9\n", (1, 6), "byte 0xE9 here cannot be read"),
    ],
)
def test_what_is_neither_utf8_nor_windows_1252_says_how_to_save_it(
    data: bytes, at: tuple[int, int], why: str
) -> None:
    with pytest.raises(dd.DiagramError) as caught:
        decode_csv(data, "x.csv")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == at
    assert problem.message == (
        f"the file is neither UTF-8 nor Windows-1252 text ({why}); save it in Excel with"
        ' File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)"'
    )


def test_utf16_csv_says_how_to_save_it() -> None:
    with pytest.raises(dd.DiagramError, match="UTF-16 text, not UTF-8; save it in Excel"):
        decode_csv("a,b\n".encode("utf-16"), "x.csv")


def test_a_diagram_file_is_utf8_only() -> None:
    with pytest.raises(dd.DiagramError, match=r"not UTF-8 text \(byte 0xE9 here"):
        decode("aim: Café\n".encode("cp1252"), "d.yaml")


def test_a_bad_byte_after_a_byte_order_mark_is_where_it_is() -> None:
    with pytest.raises(dd.DiagramError) as caught:
        decode(codecs.BOM_UTF8 + "aim: Café\n".encode("cp1252"), "d.yaml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (1, 9)
    assert "byte 0xE9 here" in problem.message


@pytest.mark.parametrize("size", [0, 1, 99, 100, 101, 5000])
def test_a_file_is_read_whole_up_to_the_limit_and_one_byte_past_it(
    tmp_path: Path, size: int
) -> None:
    """read_bytes reads what the file holds, and one byte more than the limit at most
    (so a caller can tell a file too large), whatever its size."""
    path = tmp_path / "f.bin"
    path.write_bytes(bytes(range(256)) * (size // 256) + bytes(range(size % 256)))
    assert read_bytes(path, limit=100) == path.read_bytes()[:101]
    assert read_bytes(path) == path.read_bytes()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_file_whose_stated_size_is_short_is_read_to_its_end() -> None:
    """A file may hold more than its size said when it was opened (one that grew since,
    or /proc's, which all say 0): it is read to its end, up to the limit."""
    assert os.stat("/proc/self/status").st_size == 0
    data = read_bytes("/proc/self/status")
    assert data.startswith(b"Name:") and data.count(b"\n") > 10
    assert len(read_bytes("/proc/self/status", limit=10)) == 11
