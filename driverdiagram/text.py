"""Small text helpers used everywhere: what is safe to show, to quote, to suggest.

Layer 0: imports nothing of driverdiagram's. Every string that reaches a
terminal, an error message or an export goes through :func:`visible`, so a
control character in a diagram (an escape sequence, a bell, a carriage return)
is shown as a picture of itself and never acted on.
"""

from __future__ import annotations

import difflib
import re

#: What :func:`visible` changes: C0 and C1 control characters (a newline aside),
#: DEL, surrogates and non-characters.
_INVISIBLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_VISIBLE = {
    **{code: chr(0x2400 + code) for code in range(0x20)},  # the control pictures
    ord("\n"): "\n",
    ord("\t"): " ",
    0x7F: "\u2421",
    **{code: "\ufffd" for code in range(0x80, 0xA0)},  # C1: no pictures; CSI among them
    **{code: "\ufffd" for code in range(0xD800, 0xE000)},
    0xFFFE: "\ufffd",
    0xFFFF: "\ufffd",
}

#: Characters that change how the text around them is shown without being seen:
#: bidirectional overrides and isolates ("Trojan Source") and zero-width
#: characters. Legitimate in some scripts, so they are kept and lint flags them.
HIDDEN = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
HIDDEN_NAMES = {
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u200e": "left-to-right mark",
    "\u200f": "right-to-left mark",
    "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override",
    "\u202e": "right-to-left override",
    "\u2060": "word joiner",
    "\u2061": "function application",
    "\u2062": "invisible times",
    "\u2063": "invisible separator",
    "\u2064": "invisible plus",
    "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate",
    "\u2068": "first strong isolate",
    "\u2069": "pop directional isolate",
    "\ufeff": "zero-width no-break space",
}


def visible(text: str) -> str:
    """``text`` with what a terminal or a drawing would act on made visible instead:
    C0 control characters become their Unicode control pictures (ESC -> ␛, CR -> ␍,
    BEL -> ␇), a tab a space, C1 controls, unpaired surrogates and non-characters
    the replacement character. Newlines are kept."""
    if not _INVISIBLE.search(text):
        return text  # nearly always: the text is shown as written
    return text.translate(_VISIBLE)


def words(text: str) -> str:
    """:func:`visible` text on one line, runs of spaces and line breaks as one space."""
    return " ".join(visible(text).split())


def one_line(text: str) -> str:
    """:func:`visible` text on one line: each newline shown as ␤."""
    return visible(text).replace("\n", "\u2424")


def json_text(data: object, indent: int | None = 2) -> str:
    """``data`` as JSON that keeps non-ASCII text readable but carries no raw control
    character: json escapes C0 ones itself; C1 ones (U+0080-U+009F, which some
    terminals obey) and the line separators U+2028/U+2029 are escaped here."""
    import json

    return _JSON_UNSAFE.sub(
        lambda match: f"\\u{ord(match.group(0)):04x}",
        json.dumps(data, indent=indent, ensure_ascii=False),
    )


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")


def excerpt(text: str, most: int = 40) -> str:
    """A short, visible, quoted piece of text for an error message: at most ``most``
    characters of it, so a message never carries much of a file that failed a check."""
    shown = one_line(text)
    if len(shown) > most:
        shown = shown[: most - 3] + "..."
    return f"'{shown}'"


def hidden_characters(text: str) -> list[str]:
    """The names of the invisible formatting characters in ``text``, in order, once each."""
    return list(dict.fromkeys(HIDDEN_NAMES[char] for char in HIDDEN.findall(text)))


#: A ``# driverdiagram: ignore DD108, DD109`` comment, and the codes it names.
_IGNORE = re.compile(r"#\s*driverdiagram:\s*ignore\b([\w\s,]*)", re.IGNORECASE)


def silenced_codes(line: str) -> frozenset[str] | None:
    """The rule codes a ``# driverdiagram: ignore`` comment in ``line`` silences on its
    line (empty: every code), or None when the line has no such comment."""
    match = _IGNORE.search(line)
    if match is None:
        return None
    return frozenset(re.findall(r"DD\d{3}", match.group(1).upper()))


#: The quotes a word processor puts in for " and ' ("smart quotes"), which YAML
#: reads as ordinary letters, not as quotes.
CURLY_QUOTES = "\u201c\u201d\u2018\u2019\u201e\u201a"


def starts_curly(text: str) -> bool:
    """Whether text starts with a curly quote: most likely meant as YAML's quotes."""
    return bool(text) and text[0] in CURLY_QUOTES


def straightened(text: str) -> str:
    """Text that starts and ends with curly quotes, in the straight double quotes YAML
    reads (``“Goal: reduce waits”`` -> ``"Goal: reduce waits"``); other text in
    straight quotes as it is."""
    inner = text[1:] if starts_curly(text) else text
    if inner and inner[-1] in CURLY_QUOTES:
        inner = inner[:-1]
    inner = inner.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{inner}"'


def yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that reads back as exactly that: ``\\``,
    ``"``, line breaks, tabs and every character YAML would not print escaped."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif not char.isprintable() or char in "\x85\u2028\u2029":
            code = ord(char)
            out.append(
                f"\\x{code:02X}"
                if code < 0x100
                else f"\\u{code:04X}"
                if code < 0x10000
                else f"\\U{code:08X}"
            )
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def suggest(
    word: str, candidates: list[str] | tuple[str, ...], count: int = 1, cutoff: float = 0.6
) -> str:
    """`` (did you mean 'x'?)`` for the closest candidates, or nothing."""
    if len(word) > 200:
        return ""  # nothing that long is a misspelt key; difflib is quadratic in it
    matches = difflib.get_close_matches(word, candidates, n=count, cutoff=cutoff)
    if not matches:
        return ""
    return " (did you mean " + " or ".join(f"'{match}'" for match in matches) + "?)"


def slug(text: str, most: int = 40) -> str:
    """Lower-case words joined by '-': an id-shaped name made from some text."""
    words = re.findall(r"[^\W_]+", text.lower())
    return "-".join(words)[:most].strip("-")


def new_id(text: str, taken: set[str] | frozenset[str]) -> str:
    """A short, readable id from the first four words of some text, not one of
    ``taken``: 'review-high-risk-patients', 'box-2027', 'huddle-2'. The id a box
    under several parents is given when it has none of its own (``ref`` needs one)."""
    words = re.findall(r"[^\W_]+", text.lower())[:4]
    base = "-".join(words) or "box"
    if not base[0].isalpha():
        base = "box-" + base
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    return name


# -- Markdown -------------------------------------------------------------------------

#: Characters CommonMark or GitHub may read as markup anywhere in a line: emphasis,
#: code, links and images, HTML, tables, maths, strikethrough, headings, mentions and
#: references (@name, #12), entities (&lt;) and autolinks or emoji (https://, :x:).
_MARKUP = re.compile(r"[\\`*_\[\]<>|$~#@&:]")
#: ... and what is markup only at the start of a line: lists, rules, setext headings.
_LINE_START = re.compile(r"^([-+=]|\d+[.)])")
_WWW = re.compile(r"(?i)\bwww\.")


def markdown(text: str) -> str:
    """Text shown literally in Markdown, on one line: every character that could be
    markup escaped with a backslash (which CommonMark allows before any ASCII
    punctuation), control characters made visible."""
    out = _MARKUP.sub(lambda match: "\\" + match.group(0), " ".join(visible(text).split()))
    out = _WWW.sub(lambda match: match.group(0)[:-1] + "\\.", out)  # GitHub links www.x
    return _LINE_START.sub(lambda match: match.group(0)[:-1] + "\\" + match.group(0)[-1], out)


def fence(text: str, char: str = "`") -> str:
    """A code fence longer than any run of ``char`` in ``text`` (at least three), so
    the text can never close it."""
    runs = re.findall(re.escape(char) + "+", text)
    return char * max(3, max((len(run) for run in runs), default=0) + 1)


# -- CSV ------------------------------------------------------------------------------

#: A cell starting with one of these is a formula to Excel, LibreOffice or Google
#: Sheets (OWASP's CSV injection list), even after spaces: ``=HYPERLINK(...)`` would
#: be a live link.
_FORMULA = re.compile("[\\s']*[=+\\-@\t\r]")
#: A cell defused by :func:`csv_cell`: its quote, then what made it a formula.
_DEFUSED = re.compile("'[\\s']*[=+\\-@\t\r]")


def csv_cell(text: str) -> str:
    """A CSV cell that no spreadsheet runs: control characters made visible (so no
    bare CR ever splits a row), and text that would start a formula behind a ``'``,
    which spreadsheets show as text. Text that already starts with quotes and then a
    formula start gets one more, so :func:`csv_text` undoes exactly this."""
    shown = visible(text)
    return "'" + shown if _FORMULA.match(shown) else shown


def csv_text(cell: str) -> str:
    """The text of a cell :func:`csv_cell` wrote (its defusing quote taken off)."""
    return cell[1:] if _DEFUSED.match(cell) else cell


def singular(label: str) -> str:
    """A column heading as the name of one of its boxes: 'Primary drivers' -> 'Primary
    driver', 'Domains' -> 'Domain' (a heading that is not a plural stays as it is)."""
    words = " ".join(label.split())
    if words.endswith("s") and not words.endswith("ss") and len(words) > 1:
        return words[:-1]
    return words
