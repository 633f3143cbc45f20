"""The DOT language: the one place text and values become DOT.

Text (box text, titles, a theme's status words and key) goes through :func:`escape`,
DOT values through :func:`quote`, and each finished HTML-like label is checked to hold
only the few tags :mod:`driverdiagram.draw.dot` draws, so neither a box nor a theme can
add a link or a picture (``<TD HREF>``, ``<IMG SRC>``) to any output, PNG and PDF
included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..text import visible

#: Graphviz replaces \N, \G, \E, \T, \H and \L in any label with names of its
#: own, and no escaping stops it. An invisible word joiner after every backslash
#: keeps the text literal; the SVG step removes it again.
WORD_JOINER = "\u2060"


def escape(text: str) -> str:
    """Text for an HTML-like label: shown literally, never interpreted."""
    return (
        visible(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        # Graphviz's HTML-like label lexer misreads a cell whose text is only ']'
        # ("non-space string used after </TABLE>"); a character reference is safe
        .replace("]", "&#93;")
        .replace("\\", "\\" + WORD_JOINER)
    )


def plain(text: str) -> str:
    """Text for a quoted attribute that Graphviz shows as it is (a tooltip): control
    characters made visible, backslashes kept literal (:func:`quote` does the rest)."""
    return visible(text).replace("\\", "\\" + WORD_JOINER)


def escape_lines(lines: Iterable[str], br: str = "<BR/>") -> str:
    """Lines joined by line breaks; a table cell's BALIGN aligns them."""
    return br.join(escape(line) for line in lines) or " "


def html_table(rows: list[str], width: int, align: str = "LEFT") -> str:
    """A borderless one-column table whose width fixes the width of the box."""
    body = "".join(
        f'<TR><TD WIDTH="{width}" ALIGN="{align}" BALIGN="{align}">{row}</TD></TR>' for row in rows
    )
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="1" CELLSPACING="0">{body}</TABLE>'


def quote(name: str) -> str:
    """A DOT identifier, always quoted."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def attributes(**attrs: str) -> str:
    """DOT attributes in the order given; HTML-like labels (``<...>``) stay unquoted."""
    parts = []
    for name, value in attrs.items():
        if name == "label" and value.startswith("<") and value.endswith(">"):
            parts.append(f"{name}={checked_label(value)}")
        else:
            parts.append(f"{name}={quote(value)}")
    return ", ".join(parts)


#: The tags of HTML-like labels drawn here, with the attributes they use. Graphviz
#: also knows IMG (a picture read from any file), HREF and friends (links, in SVG and
#: PDF): none of them may ever appear.
_LABEL_TAGS = ("TABLE", "TR", "TD", "FONT", "B", "I", "U", "BR")


_LABEL_ATTRIBUTES = (
    "BORDER",
    "CELLBORDER",
    "CELLPADDING",
    "CELLSPACING",
    "WIDTH",
    "ALIGN",
    "BALIGN",
    "COLSPAN",
    "COLOR",
    "BGCOLOR",
    "STYLE",
    "POINT-SIZE",
)


_LABEL_TAG = re.compile(
    rf"</?(?:{'|'.join(_LABEL_TAGS)})"
    rf'(?:\s+(?:{"|".join(_LABEL_ATTRIBUTES)})="[^"<>&]*")*\s*/?>'
)


def checked_label(label: str) -> str:
    """An HTML-like label, after making sure it holds only the tags and attributes
    this module writes (the text in it was escaped; this is the second line)."""
    rest = _LABEL_TAG.sub("", label[1:-1])
    if "<" in rest or ">" in rest:
        at = min(i for i in (rest.find("<"), rest.find(">")) if i >= 0)
        raise ValueError(f"a label with {rest[at : at + 60]!r}, which is never drawn")
    return label
