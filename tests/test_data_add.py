"""`data add` into the data files coaches really keep: a title row above the headings,
their own headings mapped with `columns:`, Excel's month names; and a workbook, which
it leaves to Excel."""

from __future__ import annotations

from pathlib import Path

import pytest

import driverdiagram as dd

DIAGRAM = """\
aim: Halve missed appointments by June 2027
primary:
  - text: Families can get to the clinic
    measures:
      - id: missed
        name: Missed appointments
        data: data/missed.csv
        columns: {period: Month, numerator: Missed, denominator: Booked}
    changes: [A text reminder the day before]
"""

DATA = (
    "Missed appointments, Riverbend clinic\r\n"
    "Month,Missed,Booked\r\nSep-25,12,80\r\nOct-25,9,82\r\n"
)


def _write(tmp_path: Path, data: str = DATA) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "missed.csv").write_bytes(data.encode("utf-8"))
    path = tmp_path / "clinic.yaml"
    path.write_text(DIAGRAM, encoding="utf-8")
    return path


def test_a_month_goes_under_the_files_own_headings_below_its_title(tmp_path: Path) -> None:
    path = _write(tmp_path)
    said = dd.add_point(path, "missed", "2025-11", numerator=7, denominator=79)
    assert said == f"{tmp_path / 'data' / 'missed.csv'}:5: added 2025-11 to 'missed'"
    assert (tmp_path / "data" / "missed.csv").read_bytes() == (DATA + "2025-11,7,79\r\n").encode()
    points = dd.load(path).measure("missed").points
    assert [(p.period, p.numerator, p.denominator) for p in points] == [
        ("2025-09", 12, 80),
        ("2025-10", 9, 82),
        ("2025-11", 7, 79),
    ]


def test_a_workbook_is_left_to_excel(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    (tmp_path / "data").mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["period", "value"])
    sheet.append(["2026-01", 3])
    book.save(tmp_path / "data" / "counts.xlsx")
    path = tmp_path / "clinic.yaml"
    text = DIAGRAM.replace("data/missed.csv", "data/counts.xlsx").replace(
        "        columns: {period: Month, numerator: Missed, denominator: Booked}\n", ""
    )
    path.write_text(text, encoding="utf-8")
    before = (tmp_path / "data" / "counts.xlsx").read_bytes()
    with pytest.raises(dd.InvalidDiagram) as raised:
        dd.add_point(path, "missed", "2026-02", 4)
    message = str(raised.value)
    assert "are in the workbook 'data/counts.xlsx': add 2026-02 there, in Excel" in message
    assert (tmp_path / "data" / "counts.xlsx").read_bytes() == before
    assert path.read_text(encoding="utf-8") == text
