"""YAML text -> a tree of located scalars, lists and mappings.

PyYAML's ``safe_load`` forgets where each value was written, keeps the last of
duplicate keys silently and turns ``yes`` into ``True``. This module walks
PyYAML's event stream instead and builds a small tree in which every value keeps
its line and column and every scalar keeps the characters the user typed.
Anchors, aliases, tags and second documents are refused as they are met, so a
"billion laughs" file or a ``!!python/object`` tag is never expanded or run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import InvalidDiagram, Location, Problem
from ..limits import current
from ..text import CURLY_QUOTES, excerpt, straightened

#: Deeper than any driver diagram needs (the deepest is about 10); stops
#: pathological nesting long before Python's recursion limit matters.

_USE_REF = (
    "to link to a box written elsewhere, give that box an 'id' and write 'ref: ID'"
    " (text that starts with '&' or '*' must be in quotes)"
)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
#: What a message says about the quotes a word processor types ("smart quotes").
CURLY_HINT = (
    "curly quotes (“ ” ‘ ’), as word processors type them, are not quotes to YAML:"
    " type straight quotes, \" or '"
)


@dataclass(frozen=True)
class Comment:
    """A YAML comment on the line where a plain (unquoted) value ends, right after it:
    where its ``#`` is, the comment as written (from the ``#`` to the end of the line)
    and how many spaces and tabs stand between the value and the ``#``."""

    location: Location
    text: str
    gap: int


@dataclass
class Scalar:
    """A single value; ``value`` is None for YAML's null (``~``, ``null``, nothing).
    ``comment`` is the comment that follows a plain value on its line, if any: YAML
    ends the value where `` #`` starts, so it may be the rest of a text."""

    value: str | None
    location: Location
    comment: Comment | None = field(default=None, compare=False)
    #: where the value ends (after its closing quote, or past a block scalar's lines)
    #: and how it is written: '' plain, ' or " quoted, | or > a block (for edits)
    end: Location | None = field(default=None, compare=False)
    style: str = field(default="", compare=False)


@dataclass
class Sequence:
    """Items in the order written; ``flow`` for ``[a, b]``, whose ``end`` is after
    the ``]`` (a block list's end is where the next thing starts: see edit.py)."""

    items: list[YamlNode]
    location: Location
    flow: bool = field(default=False, compare=False)
    end: Location | None = field(default=None, compare=False)


@dataclass
class Mapping:
    """Key-value pairs in the order written; duplicate keys were reported and dropped."""

    items: list[tuple[Scalar, YamlNode]]
    location: Location
    keys: dict[str, Scalar] = field(default_factory=dict)
    flow: bool = field(default=False, compare=False)  # {a: 1}, as Sequence's
    end: Location | None = field(default=None, compare=False)

    def get(self, key: str) -> YamlNode | None:
        for item_key, value in self.items:
            if item_key.value == key:
                return value
        return None


YamlNode = Scalar | Sequence | Mapping


def describe(node: YamlNode) -> str:
    """What a value is, in words a user knows."""
    if isinstance(node, Mapping):
        return "a mapping (key: value lines)"
    if isinstance(node, Sequence):
        return "a list"
    return "text"


def location_at(path: str, text: str, index: int) -> Location:
    """The line and column of a character index in ``text``."""
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return Location(path, line, index - start + 1)


def parse(text: str, path: str) -> tuple[YamlNode | None, list[Problem]]:
    """Parse one YAML document into located nodes.

    Returns the root (None for an empty file) and the problems that do not stop
    parsing (duplicate keys). Raises :class:`InvalidDiagram` for problems that do:
    syntax errors, anchors, aliases, tags, a second document, too deep nesting,
    too many values.

    The events come from libyaml when PyYAML has it (about thirty times faster),
    one at a time, so a runaway file is refused before it is all in memory. When
    libyaml finds any problem, the file is parsed again by the pure-Python parser,
    whose messages and positions the errors of this module are written for.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    # libyaml accepts a tab inside plain text, which the messages here report
    if fast is not None and "\t" not in text:
        try:
            return _compose(text, path, _fast_events(text, fast))
        except _LibyamlFailed:
            pass
    return _compose(text, path, yaml.parse(text, Loader=yaml.SafeLoader))


class _LibyamlFailed(Exception):
    """libyaml found a problem: the pure-Python parser will say what and where."""


def _fast_events(text: str, loader: Any) -> Iterator[yaml.Event]:
    try:
        yield from yaml.parse(text, Loader=loader)
    except yaml.YAMLError as error:
        raise _LibyamlFailed from error


def _compose(
    text: str, path: str, events: Iterable[yaml.Event]
) -> tuple[YamlNode | None, list[Problem]]:
    """The located tree built from ``events`` (see :func:`parse`)."""
    chosen = current()
    depth = chosen.depth
    # every box takes a handful of values (its mapping, keys, text, id...), and a measure
    # two per point: far more than this is not a diagram, and is refused before it is
    # all held in memory
    budget = chosen.boxes * 20 + chosen.points * 2 * 10 + 10_000
    values = 0
    problems: list[Problem] = []
    stack: list[Mapping | Sequence] = []
    pending_key: list[Scalar | None] = []  # per open mapping: a key awaiting its value
    root: YamlNode | None = None
    documents = 0

    def mark(event: yaml.Event) -> Location:
        start = event.start_mark
        assert start is not None  # the pure-Python parser marks every event
        return Location(path, start.line + 1, start.column + 1)

    def end_mark(event: yaml.Event) -> Location:
        end = event.end_mark
        assert end is not None
        return Location(path, end.line + 1, end.column + 1)

    def refuse(event: yaml.Event, message: str) -> InvalidDiagram:
        return InvalidDiagram([Problem(mark(event), message)])

    def attach(node: YamlNode) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        key = pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                raise InvalidDiagram(
                    [Problem(node.location, "a key must be a plain word, not " + describe(node))]
                )
            pending_key[-1] = node
            return
        pending_key[-1] = None
        name = key.value if key.value is not None else ""
        first = parent.keys.get(name)
        if first is not None:
            problems.append(
                Problem(
                    key.location,
                    f"duplicate key '{name}' (already written at line {first.location.line});"
                    " keep only one of them",
                )
            )
            return
        parent.keys[name] = key
        parent.items.append((key, node))

    try:
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise refuse(
                        event,
                        "a second YAML document starts here; a diagram file holds one"
                        " diagram (delete this '---' line and what follows, or move it to"
                        " a file of its own)",
                    )
            elif isinstance(event, yaml.AliasEvent):
                raise refuse(
                    event,
                    f"YAML aliases ('*{event.anchor}') are not supported; {_USE_REF}",
                )
            elif isinstance(event, yaml.NodeEvent):
                values += 1
                if values > budget:
                    raise refuse(
                        event,
                        f"the file holds more than {budget:,} values (texts, lists and"
                        " mappings), far more than a driver diagram; for a generated file,"
                        " raise the limit with --max-boxes",
                    )
                if event.anchor is not None:
                    raise refuse(
                        event,
                        f"YAML anchors ('&{event.anchor}') are not supported; {_USE_REF}",
                    )
                tag = getattr(event, "tag", None)
                if tag is not None:
                    tag = tag.replace("tag:yaml.org,2002:", "!!", 1)
                    raise refuse(
                        event,
                        f"YAML tags ('{tag}') are not supported; remove the tag and write"
                        " plain text (to link to a box written elsewhere, use 'ref: ID')",
                    )
                if isinstance(event, yaml.ScalarEvent):
                    value: str | None = _encodable(event.value)
                    comment = None
                    if not event.style:  # plain: None, or '' from libyaml
                        comment = _comment_after(text, event.end_mark, path)
                        if value in _NULLS:
                            value = None
                    style = event.style or ""
                    attach(Scalar(value, mark(event), comment, end_mark(event), style))
                else:
                    if len(stack) >= depth:
                        raise refuse(
                            event,
                            f"the file is nested more than {depth} levels deep; a driver"
                            " diagram needs about 10 (check the indentation and brackets;"
                            " for a generated file, raise the limit with --max-depth)",
                        )
                    container: Mapping | Sequence
                    flow = bool(getattr(event, "flow_style", False))
                    if isinstance(event, yaml.MappingStartEvent):
                        container = Mapping([], mark(event), flow=flow)
                    else:
                        container = Sequence([], mark(event), flow=flow)
                    attach(container)
                    stack.append(container)
                    pending_key.append(None)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop().end = end_mark(event)
                pending_key.pop()
    except yaml.MarkedYAMLError as error:
        raise InvalidDiagram([_syntax_problem(error, path)]) from error
    except yaml.reader.ReaderError as error:
        location = location_at(path, text, error.position)
        raise InvalidDiagram(
            [
                Problem(
                    location,
                    f"the file contains a control character (U+{error.character:04X})"
                    " that YAML does not allow; delete it",
                )
            ]
        ) from error
    return root, problems


def _comment_after(text: str, end: Any, path: str) -> Comment | None:
    """The comment that starts on the line where a plain value ends, after nothing but
    spaces and tabs. Both parsers' marks count characters of ``text``."""
    if end is None:
        return None
    start = index = end.index
    while index < len(text) and text[index] in " \t":
        index += 1
    if index == start or index >= len(text) or text[index] != "#":
        return None  # a '#' right after a value is part of it ('C#'); a comment needs a space
    stop = text.find("\n", index)
    written = text[index : len(text) if stop < 0 else stop].rstrip(" \t\r")
    where = Location(path, end.line + 1, end.column + 1 + index - start)
    return Comment(where, written, index - start)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(text: str) -> str:
    """Text that can be written as UTF-8: a lone surrogate (only a "\\uD800" escape
    makes one) becomes the replacement character."""
    return _SURROGATE.sub("\ufffd", text)


def _syntax_problem(error: yaml.MarkedYAMLError, path: str) -> Problem:
    """Turn a PyYAML syntax error into a located problem that says how to fix it."""
    problem = error.problem or "unreadable YAML"
    context = error.context or ""
    mark = error.problem_mark or error.context_mark

    def at(m: yaml.Mark | None) -> Location:
        if m is None:
            return Location(path, 1, 1)
        return Location(path, m.line + 1, m.column + 1)

    if mark is not None and mark.buffer:
        if any(kind in problem for kind in _BLOCK_ERRORS) and "quoted" not in context:
            dash = _dash_without_space(mark.buffer, mark, error.context_mark, path)
            if dash is not None:
                return dash
        if "mapping values are not allowed" in problem:
            curly = _curly_quoted(mark.buffer, mark, path)
            if curly is not None:
                return curly
    if "'\\t'" in problem or "\t" in problem:
        if (
            mark is not None
            and mark.buffer
            and mark.buffer[mark.pointer - mark.column : mark.pointer].strip(" \t-")
        ):
            return Problem(
                at(mark),
                "YAML syntax error: a tab character inside the text; replace it with a space"
                " (or put the whole text in quotes)",
            )
        return Problem(at(mark), "YAML syntax error: a tab character; indent with spaces, not tabs")
    character = re.match(r"found character '(.)' that cannot start any token", problem)
    if character:
        return Problem(
            at(mark),
            f"YAML syntax error: text cannot start with '{character.group(1)}';"
            " put the whole text in quotes",
        )
    if "while scanning an alias" in context or "while scanning an anchor" in context:
        return Problem(
            at(error.context_mark),
            "YAML syntax error: text cannot start with '*' or '&'; put the whole text in quotes",
        )
    if "found unknown escape character" in problem:
        return Problem(
            at(mark),
            "YAML syntax error: in double quotes a backslash starts an escape such as \\n;"
            " use single quotes for text with backslashes ('S:\\Quality'), or double them",
        )
    if "quoted scalar" in context and "end of stream" in problem:
        return Problem(
            at(error.context_mark),
            "YAML syntax error: this quote is never closed; add the closing quote"
            " (or remove the opening one)",
        )
    if "while parsing a flow" in context and error.context_mark is not None:
        where = error.context_mark
        opening = "[" if "sequence" in context else "{"
        if "flow node" in context and mark is not None and mark.buffer:
            found = _unclosed_bracket(mark.buffer)
            if found is None:
                return Problem(at(mark), f"YAML syntax error: {problem}")
            index, opening = found
            return Problem(
                location_at(path, mark.buffer, index),
                f"YAML syntax error: this '{opening}' is never closed; add the"
                f" '{']' if opening == '[' else '}'}'",
            )
        closing = "]" if opening == "[" else "}"
        return Problem(
            at(where),
            f"YAML syntax error: this '{opening}' is not closed where YAML expects;"
            f" add the '{closing}' (or put text that contains ',' '{opening}' or"
            f" '{closing}' in quotes)",
        )
    if "found '<document end>'" in problem:
        return Problem(
            at(mark),
            "YAML syntax error: the document ends here ('...') before it says anything;"
            " a diagram needs at least 'aim:' and 'primary:'",
        )
    if "expected '<document start>'" in problem:
        return Problem(
            at(mark),
            "YAML syntax error: text after a '...' line, which ends the YAML document;"
            " delete the '...' line",
        )
    if "mapping values are not allowed" in problem:
        return Problem(
            at(mark),
            "YAML syntax error: a ':' YAML cannot read here; put text that contains ': ' in"
            " quotes, check this line's indentation, and check that each key above has a"
            " space after its ':'",
        )
    if "could not find expected ':'" in problem and error.context_mark is not None:
        return Problem(
            at(error.context_mark),
            "YAML syntax error: expected 'key: value' here; add the missing ':' or check the"
            " indentation",
        )
    if "but found '<scalar>'" in problem or "but found '<flow" in problem:
        return Problem(
            at(mark),
            "YAML syntax error: text YAML cannot place here; if the text starts with a quote,"
            " '[' or '{', put the whole text in quotes, otherwise check the indentation",
        )
    if "expected <block end>" in problem or "did not find expected" in problem:
        return Problem(
            at(mark),
            "YAML syntax error: this line's indentation does not match the lines around it;"
            " line it up with the entries it belongs with",
        )
    detail = f"{problem} ({context})" if context else problem
    return Problem(at(mark), f"YAML syntax error: {detail}")


#: The errors of a block YAML could not place, which a '-' with no space may cause.
_BLOCK_ERRORS = (
    "expected <block end>",
    "could not find expected ':'",
    "mapping values are not allowed",
    "did not find expected",
)
#: A line whose first character is a '-' with no space after it ('-text: x'), which
#: YAML reads as text, not as a list entry. '---' is a document marker.
_DASH = re.compile(r"^( *)-(?=[^\s-])(.*)$")


def _dash_without_space(
    text: str, mark: yaml.Mark, context: yaml.Mark | None, path: str
) -> Problem | None:
    """``-text: x`` for ``- text: x``, on the line it is written on. YAML reads it as a
    key or a text, and reports the mistake on the next line that no longer fits:
    the line wanted is the last such line from where the block YAML was reading
    began down to the error, indented as the line of the error is."""
    lines = text.rstrip("\0").split("\n")
    last = min(mark.line, len(lines) - 1)
    first = context.line if context is not None and context.line <= last else last
    indent = len(lines[last]) - len(lines[last].lstrip(" "))
    for number in range(last, first - 1, -1):
        found = _DASH.match(lines[number].rstrip("\r"))
        if found and (number == last or not lines[last].strip() or len(found.group(1)) == indent):
            column = len(found.group(1))
            return Problem(
                Location(path, number + 1, column + 1),
                f"YAML syntax error: {no_space_after_dash(found.group(2))}",
            )
    return None


def no_space_after_dash(rest: str) -> str:
    """The message for ``-text: x`` (``rest`` is what follows the '-')."""
    written = excerpt(rest.strip(), 60)[1:-1]
    return f"a list entry needs a space after its '-'; write '- {written}', not '-{written}'"


def _curly_quoted(text: str, mark: yaml.Mark, path: str) -> Problem | None:
    """A ': ' YAML cannot read inside text that starts with a curly quote: text meant
    to be quoted, with the quotes a word processor typed (“Goal: reduce waits”)."""
    line = text.rstrip("\0").split("\n")[mark.line].rstrip("\r")
    found = re.match(r"^[ ]*(?:- +)*(?:[^\s:#][^:#]*: +)?(?=[" + CURLY_QUOTES + "])", line)
    if found is None or found.end() >= mark.column:
        return None
    written = line[found.end() :].rstrip()
    if written[-1] not in CURLY_QUOTES:  # “quoted words” and more: curly quotes in the text
        quoted = written.replace("\\", "\\\\").replace('"', '\\"')
        return Problem(
            Location(path, mark.line + 1, found.end() + 1),
            "YAML syntax error: a ':' YAML cannot read in this text; put the whole text in"
            " straight quotes, \" or ' (curly quotes, as word processors type them, are not"
            f' quotes to YAML): "{quoted}"',
        )
    return Problem(
        Location(path, mark.line + 1, found.end() + 1),
        f"YAML syntax error: this text is in curly quotes ({written[0]} {written[-1]}), which"
        " YAML does not read as quotes, so it cannot read the ': ' inside; type straight"
        f" quotes instead: {straightened(written)}",
    )


def _unclosed_bracket(text: str) -> tuple[int, str] | None:
    """The innermost '[' or '{' that is never closed, skipping quoted text and comments."""
    stack: list[tuple[int, str]] = []
    quote = ""
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t\n"):
            newline = text.find("\n", index)
            index = len(text) if newline < 0 else newline
            continue
        elif char in "[{":
            stack.append((index, char))
        elif char in "]}" and stack:
            stack.pop()
        index += 1
    return stack[-1] if stack else None
