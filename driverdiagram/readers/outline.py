"""An indented outline -> a Draft located in the outline itself: what ``driverdiagram
outline`` prints, a Markdown list (``export --to markdown`` too), or any list
indented one step per level, bullets and numbers optional.

Without level words, the first line is the aim, then one level deeper each indent:
primary, secondary, and change ideas for the deepest lines (a line three steps in
that has lines under it is a tertiary driver). A line may start with its box's id in
brackets, ``[huddle]``, and a level word with marks: ``Change idea (testing):``,
``(weak link)``. The same box under another parent is linked again: the same id,
or, for a line without one, the same text at the same level. Every box and problem
is at the line and column where the line's text starts.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..errors import InvalidDiagram, Location, Problem
from ..graph import Draft
from ..limits import current as current_limits
from ..model import Level, Link, Node, Status, Strength
from ..text import excerpt
from .diagram import ID_PATTERN, duplicate_id, empty_text, limited, too_many_boxes
from .tree import finish, holds, may_hold

_NOUNS = {
    "aim": Level.AIM,
    "primary driver": Level.PRIMARY,
    "secondary driver": Level.SECONDARY,
    "tertiary driver": Level.TERTIARY,
    "change idea": Level.CHANGE,
}
#: The start of an outline line: indentation, a bullet, ``[id]``, a level word with
#: its marks and a colon. The rest is the box's text, taken apart without a regular
#: expression (a lazy ``.*?`` before an optional ending is quadratic in long lines).
_LINE_START = re.compile(
    r"(?P<indent>[ \t]*)(?P<bullet>[-*+]|\d+[.)])?\s*"
    r"(?:\[(?P<id>[^\]]+)\]\s*)?"
    r"(?:(?P<noun>aim|primary driver|secondary driver|tertiary driver|change idea)"
    r"(?P<marks>(?:\s*\([^)]*\))*)\s*:\s*)?",
    re.IGNORECASE,
)
_AGAIN = "(also listed above)"
#: How many steps in a line can be: aim, primary, secondary, tertiary, change idea.
_DEEPEST = 4
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\S")
_LABELLED_AIM = re.compile(r"^\*\*([^*]+?):?\*\*:?\s*(.+)$")
_MERMAID = re.compile(r"\s*(flowchart|graph)\s+(LR|RL|TB|TD|BT)\b")


class _Line(NamedTuple):
    """One line of an outline, taken apart."""

    indent: str
    bullet: str
    id: str
    noun: str
    marks: str
    text: str


class _Entry(NamedTuple):
    """A line that is a box: its number, its depth of indentation (a tab is four
    spaces), its parts and the column where its text starts."""

    number: int
    indent: int
    parts: _Line
    column: int


def parse(text: str, name: str = "<string>") -> Draft:
    """The draft diagram in an outline. Raises :class:`InvalidDiagram` for an outline
    that cannot be taken apart (Mermaid, nothing in it, a line too long or too deep,
    indentation that matches no line above, more boxes than the limit); every other
    problem is in ``Draft.problems``."""
    if _MERMAID.match(text):
        raise InvalidDiagram.at(
            Location(name, 1, 1),
            "this is Mermaid, which cannot be imported; import the JSON or CSV export instead",
        )
    title, entries = _entries(text, name)
    outline = _Outline(name, entries, _depths(entries, name))
    for index in range(len(entries)):
        outline.entry(index)
    return outline.draft(title)


def _line(raw: str) -> _Line:
    start = _LINE_START.match(raw)
    assert start is not None  # every part of the pattern is optional
    text = raw[start.end() :].rstrip()
    if text.lower().endswith(_AGAIN):
        text = text[: -len(_AGAIN)].rstrip()
    return _Line(
        start.group("indent"),
        start.group("bullet") or "",
        start.group("id") or "",
        (start.group("noun") or "").lower(),
        (start.group("marks") or "").lower(),
        text,
    )


def _end_marks(words: str) -> tuple[str, str]:
    """Text without the marks Markdown export puts after it, "(*testing*) (see
    above)", and those marks as "(testing)(see above)"."""
    marks = ""
    while True:
        words = words.rstrip()
        opening = words.rfind("(")
        inner = words[opening + 1 : -1] if words.endswith(")") and opening >= 0 else ""
        if inner == "see above" or (len(inner) > 1 and inner[0] == inner[-1] == "*"):
            marks = "(" + inner.strip("*").lower() + ")" + marks
            words = words[:opening]
        else:
            return words, marks


def _markdown(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A Markdown file's outline: its list, under the aim.

    The aim is a ``**Aim:** ...`` line, else the first plain line before the list,
    else the first ``#`` heading. Tables, code and other paragraphs are passed over.
    """
    first_bullet = next(index for index, (_, raw) in enumerate(lines) if _BULLET.match(raw))
    aim: tuple[int, str] | None = None
    heading: tuple[int, str] | None = None
    for number, raw in lines[:first_bullet]:
        stripped = raw.strip()
        labelled = _LABELLED_AIM.match(stripped)
        if labelled:
            aim = (number, labelled.group(2))
        elif stripped.startswith("#"):
            heading = heading or (number, stripped.lstrip("# ").strip())
        elif stripped and aim is None and not stripped.startswith(("|", "```", ">")):
            aim = (number, stripped)
    kept = [(number, raw) for number, raw in lines[first_bullet:] if _BULLET.match(raw)]
    if aim is None and heading is not None:
        return [heading, *kept]  # the heading is the aim
    title = [(heading[0], "# " + heading[1])] if heading is not None else []
    return [*title, *([aim] if aim else []), *kept]


def _unescape(text: str) -> str:
    """Text without Markdown's backslash escapes (``\\|`` -> ``|``)."""
    return re.sub(r"\\([\\`*_\[\]<>|#+!(){}.:@&~$=-])", r"\1", text)


def _entries(text: str, name: str) -> tuple[tuple[str, int], list[_Entry]]:
    """The title and its line, and each line that is a box."""
    entries: list[_Entry] = []
    title = ("", 0)
    lines = list(enumerate(text.splitlines(), start=1))
    most = current_limits().text + 1_000  # a box's text, and room for a bullet, id and marks
    for number, raw in lines:
        if len(raw.lstrip()) > most:
            raise InvalidDiagram.at(
                Location(name, number, len(raw) - len(raw.lstrip()) + 1),
                f"this line is {len(raw.strip()):,} characters long; a box's text can be at"
                f" most {current_limits().text:,} (put longer detail in a document of its own)",
            )
    written = dict(lines)
    if any(_BULLET.match(raw) for _, raw in lines):
        lines = _markdown(lines)
    for number, raw in lines:
        if not raw.strip():
            continue
        if raw.lstrip().startswith("#"):
            title = title if title[0] else (raw.lstrip().lstrip("# ").strip(), number)
            continue
        parts = _line(raw.replace("\t", "    "))
        line = written[number]  # as written: a Markdown aim's line is read without its marks
        column = len(line) - len(line.lstrip(" \t")) + 1
        entries.append(_Entry(number, len(parts.indent), parts, column))
    if not entries:
        raise InvalidDiagram.at(Location(name, 1, 1), "the outline is empty")
    if len(entries) > 1 and not entries[0].parts.noun and entries[1].parts.noun == "aim":
        # `outline` starts with the title
        title = title if title[0] else (entries[0].parts.text.strip(), entries[0].number)
        entries = entries[1:]
    if not entries[0].parts.bullet:
        # "Aim" then "- driver" at the same margin, as Markdown lists are written:
        # a bullet counts as one step in from an unbulleted line
        entries = [
            entry._replace(indent=entry.indent + 1) if entry.parts.bullet else entry
            for entry in entries
        ]
    return title, entries


def _depths(entries: list[_Entry], name: str) -> list[int]:
    """Each line's depth by its indentation: a stack of the indents on the way down."""
    depths: list[int] = []
    stack: list[int] = []
    for entry in entries:
        popped = False
        while stack and entry.indent < stack[-1]:
            stack.pop()
            popped = True
        where = Location(name, entry.number, entry.column)
        if popped and (not stack or entry.indent != stack[-1]):
            raise InvalidDiagram.at(
                where,
                "this line's indentation matches no line above it; line it up with its siblings",
            )
        if not stack or entry.indent > stack[-1]:
            stack.append(entry.indent)
        if len(stack) - 1 > _DEEPEST:
            raise InvalidDiagram.at(
                where,
                f"this line is {len(stack) - 1} steps in; a driver diagram has five columns"
                " (aim, primary, secondary and tertiary drivers, change ideas), so a line"
                f" can be at most {_DEEPEST} steps in from the aim",
            )
        depths.append(len(stack) - 1)
    return depths


class _Outline:
    """The boxes and links of an outline, made one line at a time."""

    def __init__(self, name: str, entries: list[_Entry], depths: list[int]) -> None:
        self.name = name
        self.entries = entries
        self.depths = depths
        self.deepest = max(depths)
        self.problems: list[Problem] = []
        self.nodes: list[Node] = []
        self.links: list[Link] = []
        self.linked: set[tuple[str, str]] = set()
        self.by_text: dict[tuple[Level, str], Node] = {}
        self.by_id: dict[str, Node] = {}
        self.path: list[Node] = []
        self.most = current_limits().boxes
        #: the depth of a line that could not be read: the lines under it are passed
        #: over (their parent is not known), so one mistake is one problem
        self.broken: int | None = None

    def level(self, index: int, noun: str) -> Level:
        """The level a line's words or depth give it."""
        depth = self.depths[index]
        has_children = index + 1 < len(self.depths) and self.depths[index + 1] > depth
        if noun:
            return _NOUNS[noun]
        if depth == 0:
            return Level.AIM
        if depth == 1:
            return Level.PRIMARY
        if depth == 2:
            return Level.SECONDARY if has_children or self.deepest > 2 else Level.CHANGE
        if depth == 3 and has_children:
            return Level.TERTIARY
        return Level.CHANGE

    def entry(self, index: int) -> None:
        number, _, parts, column = self.entries[index]
        depth = self.depths[index]
        words, marks = _end_marks(parts.text.strip())
        marks = parts.marks + marks
        words = _unescape(words).strip()
        if self.broken is not None and depth > self.broken:
            return
        self.broken = depth  # until this line is read
        level = self.level(index, parts.noun)
        where = Location(self.name, number, column)
        if depth == 0 and (self.nodes or level != Level.AIM):
            self.problems.append(
                Problem(
                    where,
                    "another line at the outermost level: the first is the aim, so indent"
                    " the drivers under it (or put the aim on a line of its own above the list)",
                )
            )
            return
        if not words:
            self.problems.append(Problem(where, empty_text(level)))
            return
        del self.path[depth:]
        if depth > 0 and not self.path:
            self.problems.append(Problem(where, "this line has no parent line above it"))
            return
        parent = self.path[-1] if depth > 0 else None
        if parent is not None and not may_hold(parent.level, level):
            self.problems.append(
                Problem(
                    where,
                    f"a {level.noun} cannot be under {parent.level.noun}"
                    f" {excerpt(parent.text)}; {holds(parent.level)}",
                )
            )
            return
        node = self.box(parts.id, level, words, marks, where)
        if node is None:
            return
        if parent is not None and (parent.id, node.id) not in self.linked:
            self.linked.add((parent.id, node.id))
            strength = Strength.WEAK if "(weak link)" in marks else Strength.STRONG
            again = node.location != where  # the box was written on a line above
            self.links.append(Link(parent.id, node.id, where, strength, ref=again))
        self.path.append(node)
        self.broken = None

    def box(self, given: str, level: Level, words: str, marks: str, where: Location) -> Node | None:
        """The box of a line: the one above with the same id (or, without one, the same
        text at the same level), else a new one; None after a problem."""
        key = (level, " ".join(words.split()).casefold())
        given = given.strip() if ID_PATTERN.match(given.strip()) else ""
        if given in self.by_id:
            node = self.by_id[given]
            if (node.level, " ".join(node.text.split()).casefold()) == key:
                return node
            self.problems.append(Problem(where, duplicate_id(given, node.location)))
            return None
        same = None if given else self.by_text.get(key)
        if same is not None:
            return same
        if len(self.nodes) >= self.most:
            raise InvalidDiagram([*self.problems, too_many_boxes(where, self.most)])
        status = next((s for s in Status if f"({s.value})" in marks), None)
        node = Node(
            given or f"_{len(self.nodes)}",
            level,
            limited(words, where, self.problems),
            where,
            status=(status or Status.IDEA) if level == Level.CHANGE else None,
            generated_id=not given,
        )
        if given:
            self.by_id[given] = node
        self.nodes.append(node)
        self.by_text.setdefault(key, node)
        return node

    def draft(self, title: tuple[str, int]) -> Draft:
        text, line = title
        draft = Draft(self.name, nodes=self.nodes, links=self.links, problems=self.problems)
        draft.title = limited(text, Location(self.name, line or 1, 1), self.problems)
        if not self.nodes or self.nodes[0].level != Level.AIM:
            if not self.problems:
                self.problems.append(
                    Problem(Location(self.name, 1, 1), "the first line must be the aim")
                )
            return draft
        finish(draft, self.nodes[0].location)
        return draft
