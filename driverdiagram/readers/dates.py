"""Periods as spreadsheets write them: ``Sep-25``, ``Sept 2025``, ``01/09/2025``.

A measure's data file names each period in its first column, or the column its
``columns:`` names. Written by hand, ``2026-03`` (a month) or ``2026-03-15`` (a day);
exported from Excel, whatever the cell's format showed. Read here:

- a month with its name and year: ``Sep-25``, ``Sep 25``, ``Sept 2025``,
  ``September 2025``, ``sep.2025``, ``Sep '25``; a two-digit year as Excel reads it
  (00-29 are 2000-2029, 30-99 are 1930-1999);
- a month as numbers: ``09/2025``, ``2025/09``;
- a day with the month's name: ``1-Sep-25``, ``01 Sep 2025``, ``1st September 2025``,
  ``Sep 1, 2025``;
- a day as numbers: ``2025/09/01`` (year first), ``01/09/2025`` or ``01-09-2025`` or
  ``01.09.2025``, which is 1 September or 9 January: the measure's ``dates: dmy`` (day
  first, as in the UK) or ``dates: mdy`` (month first, as in the US) says which, or
  another date in the same file whose day is over 12 (``15/09/2025``);
- a time of day after a date (``01/09/2025 00:00``, how Excel writes a date cell into
  CSV) is passed over.

Month names are English, the way Excel writes them in English.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

#: Day first (the UK, most of the world) and month first (the US).
ORDERS = ("dmy", "mdy")

#: Each English month name and abbreviation, in lower case -> its number.
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_TIME = re.compile(r"[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?\Z")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})\Z")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_NAME_YEAR = re.compile(r"([A-Za-z]{3,9})\.?[\s\-/.,]*'?(\d{4}|\d{2})\Z")
_DAY_NAME_YEAR = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]+([A-Za-z]{3,9})\.?[\s\-/.,]+'?(\d{4}|\d{2})\Z"
)
_NAME_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\Z")
_NUMBERS = re.compile(r"(\d{1,4})([/.\-])(\d{1,2})\2(\d{4}|\d{2})\Z")
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-](\d{4})\Z")
_YEAR_MONTH = re.compile(r"(\d{4})[/.](\d{1,2})\Z")
_NAME_ALONE = re.compile(r"[A-Za-z]{3,9}\.?\Z")


@dataclass(frozen=True)
class Period:
    """A period read from a spreadsheet: ``2025-09`` or ``2025-09-01``; ``written_iso``
    when it was written so (a day written otherwise may be the month it starts)."""

    text: str
    written_iso: bool = True

    @property
    def day(self) -> dt.date | None:
        """The day, for a period that is one (and a real one)."""
        try:
            return dt.date.fromisoformat(self.text) if len(self.text) == 10 else None
        except ValueError:
            return None


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 30 else 1900  # as Excel reads a two-digit year
    return year


def _month(year: int, month: int) -> Period | None:
    if not 1 <= month <= 12 or not 1 <= year <= 9999:
        return None
    return Period(f"{year:04d}-{month:02d}", written_iso=False)


def _day(year: int, month: int, day: int) -> Period | None:
    try:
        return Period(dt.date(year, month, day).isoformat(), written_iso=False)
    except ValueError:
        return None


def _named(name: str) -> int | None:
    return MONTHS.get(name.lower())


def order_shown(text: str) -> str | None:
    """The order a date like ``15/09/2025`` shows by itself: 'dmy' when its first
    number can only be a day, 'mdy' when its second can only be, else None."""
    numbers = _NUMBERS.match(_without_time(text))
    if numbers is None or len(numbers.group(1)) > 2:
        return None
    first, second = int(numbers.group(1)), int(numbers.group(3))
    if first > 12 >= second:
        return "dmy"
    if second > 12 >= first:
        return "mdy"
    return None


def needs_order(text: str) -> bool:
    """Whether a date like ``01/09/2025`` reads differently day first and month first."""
    numbers = _NUMBERS.match(_without_time(text))
    if numbers is None or len(numbers.group(1)) > 2:
        return False
    first, second = int(numbers.group(1)), int(numbers.group(3))
    return first != second and first <= 12 and second <= 12


def _without_time(text: str) -> str:
    text = text.strip()
    match = _TIME.search(text)
    if match and match.start() > 0:
        return text[: match.start()]
    return text


def read_period(text: str, order: str = "") -> Period | str:
    """The period a cell's text names, or why it names none (a message's end, after
    the cell's text): ``order`` is 'dmy' or 'mdy' for dates like 01/09/2025 (with ''
    such a date whose reading depends on it is not read: see :func:`needs_order`)."""
    text = _without_time(text)
    if _ISO_MONTH.match(text) or _ISO_DAY.match(text):
        return Period(text)
    found: Period | None = None
    if match := _NAME_YEAR.match(text):
        month = _named(match.group(1))
        found = _month(_year(match.group(2)), month) if month else None
    elif match := _DAY_NAME_YEAR.match(text):
        month = _named(match.group(2))
        found = _day(_year(match.group(3)), month, int(match.group(1))) if month else None
    elif match := _NAME_DAY_YEAR.match(text):
        month = _named(match.group(1))
        found = _day(int(match.group(3)), month, int(match.group(2))) if month else None
    elif match := _NUMBERS.match(text):
        first, second, last = match.group(1), int(match.group(3)), match.group(4)
        if len(first) == 4:  # 2025/09/01: year, month, day
            found = _day(int(first), second, int(last)) if len(last) <= 2 else None
        elif len(first) <= 2:
            if not order and needs_order(text):
                return "ambiguous"
            day, month = (int(first), second) if order != "mdy" else (second, int(first))
            found = _day(_year(last), month, day)
    elif match := _MONTH_YEAR.match(text):
        found = _month(int(match.group(2)), int(match.group(1)))
    elif match := _YEAR_MONTH.match(text):
        found = _month(int(match.group(1)), int(match.group(2)))
    if found is not None:
        return found
    if _NAME_ALONE.match(text) and _named(text.rstrip(".")):
        return "a month needs its year: write Mar-26 or 2026-03"
    return ""


def date_period(value: dt.date, number_format: str = "") -> Period:
    """The period of a workbook's date cell: the month when its format shows no day
    (``mmm-yy``), else the day."""
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format.lower())
    if plain and "d" not in plain and ("m" in plain or "y" in plain):
        return Period(f"{value.year:04d}-{value.month:02d}", written_iso=False)
    return Period(value.isoformat()[:10], written_iso=False)
