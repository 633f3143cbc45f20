"""Text in boxes: how wide each character is, and lines broken to fit a width.

Widths are those of Helvetica (and of Arial and Liberation Sans, which share its
metrics), in thousandths of an em, so the layout can be estimated before Graphviz
draws anything.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from ..style import LevelStyle
from ..text import visible

#: Advance widths of Helvetica (and of Arial and Liberation Sans, which share its
#: metrics) for printable ASCII, in thousandths of an em, from the font's AFM.
_HELVETICA = (
    278,
    278,
    355,
    556,
    556,
    889,
    667,
    191,
    333,
    333,
    389,
    584,
    278,
    333,
    278,
    278,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    278,
    278,
    584,
    584,
    584,
    556,
    1015,
    667,
    667,
    722,
    722,
    667,
    611,
    778,
    722,
    278,
    500,
    667,
    556,
    833,
    722,
    778,
    667,
    778,
    722,
    667,
    611,
    722,
    667,
    944,
    667,
    667,
    611,
    278,
    278,
    278,
    469,
    556,
    333,
    556,
    556,
    500,
    556,
    556,
    278,
    556,
    556,
    222,
    222,
    500,
    222,
    833,
    556,
    556,
    556,
    556,
    333,
    500,
    278,
    556,
    500,
    722,
    500,
    500,
    500,
    334,
    260,
    334,
    584,
)
#: Characters outside ASCII: an average Latin or Greek letter, or a full em for
#: the wide characters of East Asian scripts and emoji (a little over an em, as
#: fallback fonts draw them wider).
_OTHER, _WIDE = 600, 1150
#: A little room for rounding and hinting. A system with none of the fonts
#: above falls back to a wider one (DejaVu Sans): boxes then grow a little.
SAFETY = 0.94


def em_width(char: str) -> int:
    """How wide a character is, in thousandths of an em (0 for combining marks)."""
    code = ord(char)
    if 32 <= code < 127:
        return _HELVETICA[code - 32]
    if unicodedata.combining(char) or char in "\u200d\ufe0f":
        return 0
    base = unicodedata.normalize("NFD", char)[0]
    if base != char and 32 <= ord(base) < 127:
        return _HELVETICA[ord(base) - 32]
    return _WIDE if unicodedata.east_asian_width(char) in "WF" else _OTHER


def line_budget(style: LevelStyle) -> int:
    """How much text fits on one line of a box of this column, in thousandths of an em."""
    return int(style.width * SAFETY / style.font_size * 1000)


@lru_cache(maxsize=65536)
def text_width(text: str) -> int:
    return sum(em_width(char) for char in text)


def wrap(text: str, width: int) -> list[str]:
    """Break text into lines at most ``width`` thousandths of an em wide (see
    :func:`_wrap`; the result is cached, as layout estimates wrap each box
    at several widths)."""
    return list(_wrap(text, width))


@lru_cache(maxsize=65536)
def _wrap(text: str, width: int) -> tuple[str, ...]:
    """Break text into lines at most ``width`` thousandths of an em wide, at spaces
    where possible.

    Line breaks the user wrote are kept; a word longer than a line (a web
    address, or text in a script written without spaces) is split. Each
    character is measured once, so even a huge word wraps in linear time.
    """
    space = em_width(" ")
    lines: list[str] = []
    for paragraph in visible(text).split("\n"):
        line, used = "", 0
        for word in paragraph.split():
            size = text_width(word)
            if size > width:
                if line:
                    lines.append(line)
                pieces = _split(word, width)
                lines.extend(pieces[:-1])
                line, used = pieces[-1], text_width(pieces[-1])
            elif not line:
                line, used = word, size
            elif used + space + size <= width:
                line, used = f"{line} {word}", used + space + size
            else:
                lines.append(line)
                line, used = word, size
        lines.append(line)
    return tuple(lines)


def _split(word: str, width: int) -> list[str]:
    """A word too long for a line, cut into pieces that fit (combining marks stay
    with their letter)."""
    pieces: list[str] = []
    start, used = 0, 0
    for index, char in enumerate(word):
        size = em_width(char)
        if used + size > width and index > start and size > 0:
            pieces.append(word[start:index])
            start, used = index, 0
        used += size
    pieces.append(word[start:])
    return pieces


@lru_cache(maxsize=65536)
def _word_widths(text: str) -> tuple[tuple[int, ...], ...]:
    """The width of each word of each paragraph, measured once per text."""
    return tuple(
        tuple(text_width(word) for word in paragraph.split())
        for paragraph in visible(text).split("\n")
    )


def measure_lines(text: str, width: int) -> tuple[int, int]:
    """How many lines :func:`wrap` makes of ``text`` and how wide its last line is,
    counted on word widths alone (layout estimates ask this at several widths)."""
    space = em_width(" ")
    count, used = 0, 0
    for words in _word_widths(text):
        if words and max(words) > width:
            lines = _wrap(text, width)  # a word to split: rare, so measured in full
            return len(lines), text_width(lines[-1])
        used = -1  # nothing on the line yet
        for size in words:
            if used < 0:
                used = size
            elif used + space + size <= width:
                used += space + size
            else:
                count += 1
                used = size
        count += 1
        used = max(used, 0)
    return count, used
