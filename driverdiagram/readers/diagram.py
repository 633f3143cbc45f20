"""Diagram files -> a draft diagram: the YAML format of docs/format.md, every problem located.

The draft still holds its ``ref`` entries unresolved; :mod:`driverdiagram.graph`
resolves them and runs the structural checks on the whole diagram.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import re
from collections.abc import Iterator
from dataclasses import replace

from ..errors import InvalidDiagram, Location, Problem
from ..files import Revision, decode, read_bytes, read_input, show_revision
from ..graph import Draft, Ref, check
from ..limits import current as current_limits
from ..limits import megabytes
from ..model import (
    CHILD_KEYS,
    DEFAULT_LABELS,
    LEVEL_BY_KEY,
    Act,
    Cycle,
    Diagram,
    Level,
    Link,
    Measure,
    Node,
    Reflection,
    Status,
    Strength,
)
from ..text import CURLY_QUOTES, excerpt, silenced_codes, starts_curly, straightened, suggest
from . import yamltree as yamlnodes
from .measures import read_cycles, read_date, read_measures
from .practice import PRACTICE_KEYS, read_focus, read_reflections
from .yamltree import (
    CURLY_HINT,
    Comment,
    Mapping,
    Scalar,
    Sequence,
    YamlNode,
    describe,
    no_space_after_dash,
)

ID_PATTERN = re.compile(r"[^\W\d_][\w-]*\Z")

TOP_KEYS = ("title", "team", "updated", "aim", "primary", "notes", "labels")
AIM_KEYS = ("text", "id", "notes", "measures")
NODE_KEYS: dict[Level, tuple[str, ...]] = {
    Level.PRIMARY: (
        "text",
        "id",
        "notes",
        "strength",
        "focus",
        "reflections",
        "secondary",
        "changes",
        "measures",
    ),
    Level.SECONDARY: ("text", "id", "notes", "strength", "tertiary", "changes", "measures"),
    Level.TERTIARY: ("text", "id", "notes", "strength", "changes", "measures"),
    Level.CHANGE: (
        "text",
        "id",
        "notes",
        "strength",
        "status",
        "owner",
        "due",
        "measures",
        "pdsa",
    ),
}
#: The keys only a change idea may have.
CHANGE_ONLY_KEYS = ("status", "owner", "due", "pdsa")
REF_KEYS = ("ref", "strength")
LEVEL_KEYS = ("primary", "secondary", "tertiary", "changes")
#: The letter of each level in the ids made up for boxes that have none: p1.s2.c1.
ID_LETTERS = {Level.PRIMARY: "p", Level.SECONDARY: "s", Level.TERTIARY: "t", Level.CHANGE: "c"}


#: What an absent data file is: a problem, a note, or no file is read at all.
DATA = ("required", "optional", "none")

#: What standard input is called in messages.
STDIN = "<stdin>"

#: The code of the warning for a text that a YAML comment cut short; lint's rule of
#: that code reports the same warnings, silenced as its other findings are.
CUT_TEXT = "DD116"
#: A comment meant for a program, never the rest of a text.
_DIRECTIVE = re.compile(r"#\s*(?:driverdiagram|yaml-language-server)\s*:", re.IGNORECASE)


def loads(
    text: str,
    name: str = "<string>",
    base: str | None = None,
    *,
    revision: Revision | None = None,
    data: str = "required",
    data_bytes: dict[str, bytes] | None = None,
) -> Diagram:
    """The checked diagram in YAML ``text``, named ``name`` in messages; its measures'
    data files are read from the folder ``base`` (none are read without one), or from
    git beside ``revision``, the diagram's own place in a repository at a revision.

    ``data`` says what an absent data file is: ``"required"``, a located problem;
    ``"optional"``, a note in ``Diagram.unread`` and a measure without points, for a
    command that does not need the data; ``"none"``: no data file is read at all.
    ``data_bytes`` (real path -> bytes) stands in for data files on disk: an edit
    checks the data file it is about to write.
    """
    with without_collection():
        return check(parse(text, name, base, revision=revision, data=data, data_bytes=data_bytes))


@contextlib.contextmanager
def without_collection() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a diagram is read: reading makes
    many small objects and no garbage with cycles, and each collection looks at all of
    them again, which made reading 40,000 boxes 2.5 times slower and worse than
    linear (benchmarks/loading.py). Left as it was found (off stays off)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load_revision(revision: Revision, *, data: str = "required") -> Diagram:
    """The checked diagram at a git revision, its data files read from the same one."""
    name = revision.spec
    return loads(
        text_of(show_revision(revision, name=name), name), name, revision=revision, data=data
    )


def load(name: str | os.PathLike[str], *, data: str = "required") -> Diagram:
    """The checked diagram in a file, or on standard input for ``-`` (its data files
    then read from the current folder); ``data`` as for :func:`loads`."""
    name = os.fspath(name)
    if name == "-":
        return loads(text_of(read_input("-"), STDIN), STDIN, base=".", data=data)
    return loads(read(name), name, base=os.path.dirname(name) or ".", data=data)


def read(path: str | os.PathLike[str]) -> str:
    """The text of a diagram file; an unreadable or non-UTF-8 file is a located error.
    Only a regular file is read (never a pipe or a device), at most one byte past
    the file-size limit."""
    return text_of(read_bytes(path), str(path))


def text_of(data: bytes, name: str) -> str:
    """The text of a diagram read as ``data`` (at most one byte past the size limit,
    as :func:`driverdiagram.files.read_bytes` and standard input read it)."""
    within_limit(data, name)
    return decode(data, name)


def within_limit(data: bytes, name: str) -> None:
    """Refuse ``data`` read from a file larger than the file-size limit."""
    if len(data) > current_limits().file_bytes:
        _refuse_oversized(data, name)


def _refuse_oversized(data: bytes, name: str) -> None:
    """Refuse a file too large to be a diagram, naming the real problem when its
    start already shows one (nesting run wild, an alias bomb), else its size."""
    head = data[: 256 * 1024]
    head = head[: head.rfind(b"\n") + 1]
    try:
        yamlnodes.parse(decode(head, name), name)
    except InvalidDiagram as error:
        if not error.problems[0].message.startswith("YAML syntax error"):
            raise
    raise InvalidDiagram.at(
        Location(name, 1, 1),
        f"the file is larger than {megabytes(current_limits().file_bytes)};"
        " a driver diagram file is a few kilobytes (for a generated file, raise the"
        " limit with --max-file-mb)",
    )


_SCHEMA_LINE = re.compile(rb"^# yaml-language-server: \$schema=\S*driverdiagram", re.MULTILINE)
_TOP_AIM = re.compile(rb"^aim[ \t]*:", re.MULTILINE)
_TOP_PRIMARY = re.compile(rb"^primary[ \t]*:", re.MULTILINE)


def looks_like_diagram(data: bytes) -> bool:
    """Whether a YAML file is meant as a driver diagram: it names driverdiagram's
    schema in its editor line, or has 'aim:' and 'primary:' at the top level.
    Used to pass over other YAML files (CI workflows, settings) in a repository."""
    head = data[:4096]
    return bool(_SCHEMA_LINE.search(head)) or bool(
        _TOP_AIM.search(data) and _TOP_PRIMARY.search(data)
    )


def parse(
    text: str,
    path: str = "<string>",
    base_dir: str | None = None,
    *,
    revision: Revision | None = None,
    data: str = "required",
    data_bytes: dict[str, bytes] | None = None,
) -> Draft:
    """Read the diagram format from YAML text.

    Measures' data files are read from the folder ``base_dir``; without one, no file
    is read at all, and a measure's ``data:`` is a located problem.
    Raises :class:`InvalidDiagram` for a problem that stops reading (YAML syntax,
    anchors, aliases, tags, a second document); every other problem is collected
    in ``Draft.problems``.
    """
    root, problems = yamlnodes.parse(text, path)
    if data not in DATA:
        raise ValueError(f"data must be one of {', '.join(DATA)}, not {data!r}")
    draft = Draft(
        path,
        problems=problems,
        base_dir=base_dir,
        revision=revision,
        data=data,
        data_bytes=dict(data_bytes or {}),
    )
    reader = Reader(draft)
    if root is None or root == yamlnodes.Scalar(None, root.location):  # nothing, or only '---'
        reader.problem(
            Location(path, 1, 1),
            "the file is empty; a driver diagram needs at least 'aim:' and 'primary:'"
            " (start from a template: driverdiagram new FILE)",
        )
    else:
        reader.written = _written_ids(root)
        reader.top(root)
        reader.measure_ids()
    return reader.draft


def _enum_value(node: YamlNode, kind: type[Status] | type[Strength], reader: Reader) -> str | None:
    """The value of a ``status`` or ``strength`` in lower case, whatever the case it is
    written in, or None after reporting a bad one."""
    allowed = [member.value for member in kind]
    name = kind.__name__.lower()
    if not isinstance(node, Scalar) or node.value is None:
        reader.problem(
            node.location,
            f"'{name}' should be one of: {', '.join(allowed)} (not {_shown(node)})",
        )
        return None
    value = node.value.strip()
    if value.lower() not in allowed:  # 'Testing' and 'WEAK' are what they say
        reader.problem(
            node.location,
            f"unknown {name} '{value}'{suggest(value.lower(), allowed, cutoff=0.7)};"
            f" use one of: {', '.join(allowed)}",
        )
        return None
    return value.lower()


def _shown(node: YamlNode) -> str:
    if isinstance(node, Scalar):
        return "empty" if node.value is None else f"'{node.value}'"
    return describe(node)


def _slug(text: str) -> str:
    """An id-shaped version of some text, for the example in a message."""
    words = re.findall(r"\w+", text)
    slug = "-".join(words).strip("_-") or "box"
    if not slug[0].isalpha():
        slug = "id-" + slug
    return slug


class Reader:
    """Walks the located YAML tree and fills a :class:`Draft`."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.ids: dict[str, Location] = {}
        self.written: set[str] = set()  # every id the file gives, to keep generated ids apart
        self.aim_id_implicit = True
        self.most_boxes = current_limits().boxes

    def problem(self, location: Location, message: str) -> None:
        self.draft.problems.append(Problem(location, message))

    # -- values -------------------------------------------------------------

    def text(self, node: YamlNode, what: str, box: bool = False) -> str | None:
        """Text as written, trimmed; None (after a problem) when it is not text. A
        comment that seems to have cut it short is a warning (see :func:`cut_short`;
        ``box`` for the text of a box)."""
        if isinstance(node, Scalar):
            self.cut_short(node, box)
            return self.limited((node.value or "").strip(), node.location)
        self.problem(node.location, f"{what} should be text, not {describe(node)}")
        return None

    def cut_short(self, node: Scalar, box: bool) -> None:
        """Warn when the comment after a text looks like the rest of it."""
        if node.comment is None or not (node.value or "").strip():
            return  # an empty text is a problem of its own, which names the comment
        message = cut_short(node.value or "", node.comment, box)
        if message:
            self.draft.warnings.append(
                Problem(node.comment.location, message, severity="warning", code=CUT_TEXT)
            )

    def empty(self, level: Level, node: YamlNode | None, location: Location) -> None:
        """Report a box with no text, at its comment when a comment took its place."""
        comment = node.comment if isinstance(node, Scalar) else None
        if comment is not None and _looks_like_text(comment, box=True):
            subject = "the aim" if level == Level.AIM else f"this {level.noun}"
            self.problem(
                comment.location,
                f"{subject} has no text: {excerpt(comment.text)} is a YAML comment, because"
                " ' #' starts one; put the text in quotes",
            )
        else:
            self.problem(location, empty_text(level))

    def limited(self, text: str, location: Location) -> str:
        """Text no longer than a box can show; longer text is reported and cut."""
        return limited(text, location, self.draft.problems)

    def entries(self, node: YamlNode, key: str, noun: str) -> list[YamlNode]:
        """The items of a list value; null is an empty list."""
        if isinstance(node, Sequence):
            return node.items
        if isinstance(node, Scalar) and node.value is None:
            return []
        dash = _dash_written(node)
        if dash is not None:  # '-text: x' or '-Hourly rounding' for an entry
            self.problem(dash[0], no_space_after_dash(dash[1]))
            return []
        self.problem(
            node.location,
            f"'{key}' should be a list of {noun}s (each line starting with '- '),"
            f" not {describe(node)}",
        )
        return []

    def unknown_key(self, key: Scalar, allowed: tuple[str, ...], owner: str) -> None:
        name = key.value or ""
        if len(name) > 1 and name[0] == "-" and name[1] not in " -":
            self.problem(
                key.location,
                f"'{name}:' has no space after its '-'; to start a list entry write"
                f" '- {name[1:]}: ...', or, for a key of this entry, '{name[1:]}:' without"
                " the '-'",
            )
            return
        usable = list(allowed)
        hint = suggest(name, usable)
        if hint:
            self.problem(key.location, f"unknown key '{name}'{hint}")
        else:
            self.problem(
                key.location,
                f"unknown key '{name}'; {owner} may have: {', '.join(usable)}",
            )

    # -- the file -----------------------------------------------------------

    def top(self, root: YamlNode) -> None:
        draft = self.draft
        if not isinstance(root, Mapping):
            self.problem(
                root.location,
                f"a diagram file should be a mapping of keys such as 'aim:' and 'primary:',"
                f" not {describe(root)}",
            )
            return
        allowed = tuple(key for key in TOP_KEYS)
        for key, value in root.items:
            name = key.value or ""
            if name in ("title", "team", "updated", "notes"):
                text = self.text(value, f"'{name}'")
                if text is not None:
                    setattr(draft, name, text)
                if name == "updated":
                    draft.updated_location = value.location
            elif name == "labels":
                self.labels(value)
            elif name in ("aim", "primary"):
                pass  # read below, so the aim is the first node whatever the key order
            elif name in ("secondary", "tertiary", "changes"):
                self.problem(
                    key.location,
                    f"'{name}' cannot be at the top of the file; put it under the"
                    f" {'primary' if name != 'tertiary' else 'secondary'} driver it belongs to",
                )
            elif name in ("measures", "pdsa"):
                self.problem(
                    key.location,
                    f"'{name}' cannot be at the top of the file; put"
                    + (
                        " measures on the aim or a driver"
                        if name == "measures"
                        else " PDSA cycles on the change idea they test"
                    ),
                )
            else:
                self.unknown_key(key, allowed, "a diagram file")
        aim = root.get("aim")
        if aim is None:
            self.problem(
                root.location,
                "missing 'aim': every driver diagram starts from one aim"
                " (add 'aim: what you will achieve, how much, by when')",
            )
            aim_id = "aim"
        else:
            aim_id = self.aim(aim)
        primary = root.get("primary")
        if "primary" in root.keys:
            draft.primary_location = root.keys["primary"].location
        if primary is None:
            self.problem(
                root.location,
                "missing 'primary': add the list of primary drivers that move the aim",
            )
            return
        items = self.entries(primary, "primary", "primary driver")
        if not items and (
            isinstance(primary, Sequence) or primary == Scalar(None, primary.location)
        ):
            self.problem(primary.location, "'primary' is empty; add at least one primary driver")
        self.children(items, Level.PRIMARY, aim_id, "")

    def labels(self, node: YamlNode) -> None:
        if not isinstance(node, Mapping):
            self.problem(
                node.location,
                f"'labels' should be a mapping of column headings such as"
                f" 'primary: Key drivers', not {describe(node)}",
            )
            return
        allowed = tuple(DEFAULT_LABELS)
        for key, value in node.items:
            name = key.value or ""
            if name not in DEFAULT_LABELS:
                self.unknown_key(key, allowed, "'labels'")
                continue
            text = self.text(value, f"the '{name}' label")
            if text == "":
                self.problem(value.location, f"the '{name}' label is empty; write a column heading")
            elif text is not None:
                self.draft.labels[name] = text

    def aim(self, node: YamlNode) -> str:
        """Read the aim; return its id."""
        location = node.location
        notes = ""
        aim_id = "aim"
        text: str | None
        measures: YamlNode | None = None
        text_node: YamlNode | None = node
        if isinstance(node, Mapping):
            text = None
            has_text = False
            for key, value in node.items:
                name = key.value or ""
                if name == "text":
                    has_text = True
                    text_node = value
                    text = self.text(value, "the aim's 'text'", box=True)
                elif name == "id":
                    aim_id = self.identifier(value) or aim_id
                    self.aim_id_implicit = False
                elif name == "notes":
                    notes = self.text(value, "'notes'") or ""
                elif name == "measures":
                    measures = value
                elif name == "pdsa":
                    self.problem(key.location, "'pdsa' is only for change ideas, not the aim")
                elif name == "primary":
                    self.problem(
                        key.location,
                        "'primary' belongs at the top of the file, not inside 'aim'"
                        " (unindent it to line up with 'aim:')",
                    )
                else:
                    self.unknown_key(key, AIM_KEYS, "the aim")
            if not has_text:
                self.problem(location, "the aim has no 'text'; add 'text: what you will achieve'")
                text = None
        else:
            text = self.text(node, "'aim'", box=True)
        if text == "":
            self.empty(Level.AIM, text_node, location)
        self.register(aim_id, location)
        self.draft.nodes.append(
            Node(aim_id, Level.AIM, text or "", location, notes=notes, generated_id=False)
        )
        if measures is not None:
            self.draft.measures.extend(read_measures(self, measures, aim_id, Level.AIM))
        return aim_id

    def identifier(self, node: YamlNode) -> str | None:
        """A valid id, or None after reporting a malformed one."""
        if not isinstance(node, Scalar) or node.value is None:
            self.problem(
                node.location,
                f"'id' should be a short name such as 'huddle', not {_shown(node)}",
            )
            return None
        value = node.value.strip()
        if not ID_PATTERN.match(value):
            self.problem(
                node.location,
                f"malformed id '{value}': use letters, digits, '-' and '_', starting with a"
                f" letter (for example '{_slug(value)}')",
            )
            return None
        return value

    def register(self, node_id: str, location: Location) -> bool:
        """Record a user-given id; report and refuse a duplicate."""
        first = self.ids.get(node_id)
        if first is not None:
            if node_id == "aim" and self.aim_id_implicit:
                message = "the id 'aim' belongs to the aim; choose another id"
            else:
                message = duplicate_id(node_id, first)
            self.problem(location, message)
            return False
        self.ids[node_id] = location
        return True

    def measure_ids(self) -> None:
        measure_ids(self.draft)

    # -- drivers and change ideas --------------------------------------------

    def children(self, items: list[YamlNode], level: Level, parent: str, position: str) -> None:
        """Read one list of entries of ``level`` hanging from ``parent``."""
        letter = ID_LETTERS[level]
        index = 0  # counts the boxes written here; a ref adds a link, not a box
        for item in items:
            if isinstance(item, Mapping) and item.get("ref") is not None:
                self.ref(item, level, parent)
                continue
            index += 1
            generated = f"{position}.{letter}{index}" if position else f"{letter}{index}"
            if generated in self.written:  # a generated id never takes a written one
                generated = "_" + generated
            if isinstance(item, Scalar):
                self.node_from_text(item, level, parent, generated)
            elif isinstance(item, Mapping):
                self.node_from_mapping(item, level, parent, generated)
            else:
                self.problem(
                    item.location,
                    f"each {level.noun} should be text or a mapping with 'text:',"
                    f" not {describe(item)}",
                )

    def node_from_text(self, item: Scalar, level: Level, parent: str, generated: str) -> None:
        self.cut_short(item, box=True)
        text = self.limited((item.value or "").strip(), item.location)
        if not text:
            self.empty(level, item, item.location)
        self.add(
            Node(
                generated,
                level,
                text,
                item.location,
                status=_default_status(level),
                generated_id=True,
            ),
            parent,
            Strength.STRONG,
        )

    def node_from_mapping(self, item: Mapping, level: Level, parent: str, generated: str) -> None:
        allowed = NODE_KEYS[level]
        if _text_with_colon(item, allowed):
            key, value = item.items[0]
            written = (
                f"{key.value}: {value.value or ''}".rstrip()
                if isinstance(value, Scalar)
                else key.value
            ) or ""
            name = key.value or ""
            if starts_curly(written) and written[-1] in CURLY_QUOTES:
                fix = (
                    f"; it is in curly quotes ({written[0]} {written[-1]}), which YAML does not"
                    f" read as quotes: type straight quotes instead: - {straightened(written)}"
                )
            else:
                fix = (
                    f"; if it is the text of a {level.noun}, put it in quotes:"
                    f" - {straightened(written)}"
                )
                if name.lower() in allowed:
                    fix += f" (or, for the key '{name.lower()}', write it in lower case)"
            self.problem(
                key.location,
                f"'{written}' reads as a key and a value because of the ': '{fix}",
            )
            self.add(
                Node(
                    generated,
                    level,
                    written or "",
                    item.location,
                    status=_default_status(level),
                    generated_id=True,
                ),
                parent,
                Strength.STRONG,
            )
            return
        text: str | None = None
        text_node: YamlNode | None = None
        has_text = False
        node_id = generated
        notes = ""
        strength = Strength.STRONG
        status = _default_status(level)
        status_written = False
        owner = ""
        due: dt.date | None = None
        focus = False
        reflections: tuple[Reflection, ...] = ()
        measures: YamlNode | None = None
        cycles: YamlNode | None = None
        child_lists: list[tuple[Scalar, YamlNode]] = []
        for key, value in item.items:
            name = key.value or ""
            if name == "text":
                has_text = True
                text_node = value
                text = self.text(value, "'text'", box=True)
            elif name == "id":
                given = self.identifier(value)
                if given is not None and self.register(given, value.location):
                    node_id = given
            elif name == "notes":
                notes = self.text(value, "'notes'") or ""
            elif name == "strength":
                strength = Strength(_enum_value(value, Strength, self) or "strong")
            elif name == "status" and level == Level.CHANGE:
                status = Status(_enum_value(value, Status, self) or "idea")
                status_written = True
            elif name == "owner" and level == Level.CHANGE:
                owner = self.text(value, "'owner'") or ""
            elif name == "due" and level == Level.CHANGE:
                due = read_date(self, value, "due")
            elif name == "focus" and level == Level.PRIMARY:
                focus = read_focus(self, value)
            elif name == "reflections" and level == Level.PRIMARY:
                reflections = read_reflections(self, value)
            elif name == "measures":
                measures = value
            elif name == "pdsa" and level == Level.CHANGE:
                cycles = value
            elif name in allowed:
                child_lists.append((key, value))
            elif name in LEVEL_KEYS or name in CHANGE_ONLY_KEYS or name in PRACTICE_KEYS:
                self.problem(key.location, _not_here(name, level))
            else:
                self.unknown_key(key, allowed, f"a {level.noun}")
        if not has_text:
            self.problem(
                item.location,
                f"this {level.noun} has no 'text'; add 'text: ...'"
                " (or 'ref: ID' to link to one written elsewhere)",
            )
        elif text == "":
            self.empty(level, text_node, item.location)
        if measures is not None:
            self.draft.measures.extend(read_measures(self, measures, node_id, level))
        if cycles is not None:
            tested = read_cycles(self, cycles, node_id)
            self.draft.cycles.extend(tested)
            if not status_written:
                status = status_from(tested)
        self.add(
            Node(
                node_id,
                level,
                text or "",
                item.location,
                notes=notes,
                status=status,
                generated_id=node_id == generated,
                owner=owner,
                due=due,
                focus=focus,
                reflections=reflections,
            ),
            parent,
            strength,
        )
        for key, value in child_lists:
            child_level = LEVEL_BY_KEY[key.value or ""]
            items = self.entries(value, child_level.key, child_level.noun)
            self.children(items, child_level, node_id, generated)

    def add(self, node: Node, parent: str, strength: Strength) -> None:
        if len(self.draft.nodes) >= self.most_boxes:
            raise InvalidDiagram(
                [*self.draft.problems, too_many_boxes(node.location, self.most_boxes)]
            )
        self.draft.nodes.append(node)
        self.draft.links.append(Link(parent, node.id, node.location, strength))

    def ref(self, item: Mapping, level: Level, parent: str) -> None:
        if level == Level.PRIMARY:
            self.problem(
                item.location,
                "'ref' cannot be used in 'primary': every primary driver already links to the"
                " aim (write the driver here instead)",
            )
            return
        target_node = item.get("ref")
        assert target_node is not None
        strength = Strength.STRONG
        for key, value in item.items:
            name = key.value or ""
            if name == "strength":
                strength = Strength(_enum_value(value, Strength, self) or "strong")
            elif name != "ref":
                self.problem(
                    key.location,
                    f"a 'ref' entry may only have 'strength' besides 'ref', not '{name}'"
                    " (write the box's text, notes and children where its id is defined)",
                )
        if not isinstance(target_node, Scalar) or not (target_node.value or "").strip():
            self.problem(
                target_node.location,
                f"'ref' should be the id of a {level.noun} written elsewhere,"
                f" not {_shown(target_node)}",
            )
            return
        self.draft.refs.append(
            Ref(parent, (target_node.value or "").strip(), level, target_node.location, strength)
        )


def status_from(cycles: list[Cycle]) -> Status:
    """A change idea's status when none is written: from the act of its last cycle."""
    if not cycles:
        return Status.IDEA
    last = cycles[-1].act
    if last == Act.ADOPT:
        return Status.ADOPTED
    if last == Act.ABANDON:
        return Status.ABANDONED
    return Status.TESTING


# -- the rules every reader shares (the importers too) -------------------------


def limited(text: str, location: Location, problems: list[Problem]) -> str:
    """Text no longer than a box can show; longer text is reported and cut."""
    most = current_limits().text
    if len(text) <= most:
        return text
    problems.append(
        Problem(
            location,
            f"this text is {len(text):,} characters long; keep it under {most:,}"
            " (a box is read at a glance; longer detail belongs in 'notes' or in a"
            " document the diagram points to)",
        )
    )
    return text[:most]


def duplicate_id(node_id: str, first: Location) -> str:
    """The message for an id given a second time."""
    return (
        f"duplicate id '{node_id}' (already used at line {first.line});"
        " every id must be unique in the file"
    )


def too_many_boxes(location: Location, most: int) -> Problem:
    """The problem of the box that goes past the box limit."""
    return Problem(
        location,
        f"the diagram has more than {most:,} boxes, more than Graphviz can draw in"
        " reasonable time; split it into one diagram per primary driver (or, for a"
        " generated file, raise the limit with --max-boxes)",
    )


def measure_ids(draft: Draft) -> None:
    """Make the draft's measure ids unique (a made-up one gives way, numbered in the
    order of ``draft.measures``) and check that each measure a cycle names exists."""
    first: dict[str, Measure] = {}
    for measure in draft.measures:
        if not measure.generated_id:
            if measure.id in first:
                draft.problems.append(
                    Problem(
                        measure.location,
                        f"duplicate measure id '{measure.id}' (already used at line"
                        f" {first[measure.id].location.line}); every measure id must be unique",
                    )
                )
            first.setdefault(measure.id, measure)
    renamed = []
    for measure in draft.measures:
        if measure.generated_id:
            base, number = measure.id, 1
            while measure.id in first:
                number += 1
                measure = replace(measure, id=f"{base}-{number}")
            first[measure.id] = measure
        renamed.append(measure)
    draft.measures = renamed
    known = [measure.id for measure in renamed]
    for measure_id, location in draft.measure_refs:
        if measure_id not in first:
            hint = suggest(measure_id, known, count=2) or (
                f"; the measures are: {', '.join(known)}"
                if known
                else "; add the measure under 'measures' of the aim or a driver"
            )
            draft.problems.append(Problem(location, f"unknown measure '{measure_id}'{hint}"))


def _text_with_colon(item: Mapping, allowed: tuple[str, ...]) -> bool:
    """``- Risk: known early``, ``- Note: try this first``: one unknown key with text,
    most likely unquoted text. Keys are lower-case words, so a word with a capital
    ('Note'), a space or another character is text; a lower-case word close to a key
    ('secondry:') is reported as a misspelt key, with its suggestion."""
    if len(item.items) != 1:
        return False
    key, value = item.items[0]
    known = set(allowed) | set(LEVEL_KEYS) | {*CHANGE_ONLY_KEYS, *PRACTICE_KEYS, "ref"}
    name = key.value or ""
    if name in known or not isinstance(value, Scalar) or name.startswith("-"):
        return False
    return not re.fullmatch(r"[a-z_]+", name) or not suggest(name, sorted(known))


def _dash_written(node: YamlNode) -> tuple[Location, str] | None:
    """Where a value that was meant as a list starts with '-' and no space, and what
    follows the '-': '-text: x' (a mapping) or '-Hourly rounding' (a text)."""
    if isinstance(node, Mapping) and node.items:
        key, value = node.items[0]
        name = key.value or ""
        rest = f": {value.value or ''}" if isinstance(value, Scalar) else ":"
        if len(name) > 1 and name[0] == "-" and name[1] not in " -":
            return key.location, f"{name[1:]}{rest}".rstrip()
    if isinstance(node, Scalar):
        text = node.value or ""
        if len(text) > 1 and text[0] == "-" and text[1] not in " -":
            return node.location, text[1:]
    return None


def _written_ids(root: YamlNode) -> set[str]:
    """Every value written under an ``id`` key anywhere in the file."""
    found: set[str] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            for key, value in node.items:
                if key.value == "id" and isinstance(value, Scalar) and value.value:
                    found.add(value.value.strip())
                stack.append(value)
        elif isinstance(node, Sequence):
            stack.extend(node.items)
    return found


def _default_status(level: Level) -> Status | None:
    return Status.IDEA if level == Level.CHANGE else None


def cut_short(value: str, comment: Comment, box: bool) -> str:
    """The warning for a plain text whose comment looks like the rest of it, or ''.

    YAML ends unquoted text where `` #`` starts a comment, so ``Families remember #1
    priority`` is the text 'Families remember'. A comment that follows a text with no
    space after its ``#`` (``#1 priority``) reads as more of the text; so does one
    after a box's text with a single space before the ``#`` (``Room # 4``), as words
    are spaced, where comments are usually set off by two. A comment such as
    ``text: Hourly rounding  # reviewed in May`` is a comment, and a directive (``#
    driverdiagram: ignore ...``, ``# yaml-language-server: ...``) is never text.
    """
    if not _looks_like_text(comment, box):
        return ""
    codes = silenced_codes(comment.text)
    if codes is not None and (not codes or CUT_TEXT in codes):
        return ""
    message = (
        f"the text stops before {excerpt(comment.text)} because ' #' starts a YAML comment;"
        " put the text in quotes"
    )
    if starts_curly(value.strip()):
        return f"{message} ({CURLY_HINT})"
    if comment.text[1:2] in (" ", "\t"):
        return f"{message} (if it is a comment, leave two spaces before the '#')"
    if comment.gap > 1:
        return f"{message} (if it is a comment, put a space after the '#')"
    return message


def _looks_like_text(comment: Comment, box: bool) -> bool:
    if _DIRECTIVE.match(comment.text):
        return False
    spaced = comment.text[1:2] in (" ", "\t")
    return not spaced or (box and comment.gap == 1)


def empty_text(level: Level) -> str:
    """The message for a box whose text is empty."""
    if level == Level.AIM:
        return "the aim has no text; write what the team will achieve, how much and by when"
    what = "idea" if level == Level.CHANGE else "driver"
    return f"this {level.noun} has no text; write the {what}, or delete the entry"


def _not_here(key: str, level: Level) -> str:
    """The message for a child list (or change-idea key) a level may not have."""
    if key in CHANGE_ONLY_KEYS:
        return f"'{key}' is only for change ideas, not a {level.noun}"
    if key in PRACTICE_KEYS:
        return (
            f"'{key}' is only for primary drivers (a coach's practice domains), not a {level.noun}"
        )
    if level == Level.CHANGE:
        return (
            f"a change idea cannot have '{key}': change ideas are the last column"
            " (to let one idea serve several drivers, use 'ref: ID' under each driver)"
        )
    may = " and ".join(f"'{name}'" for name in CHILD_KEYS[level])
    hint = {
        ("primary", Level.PRIMARY): "primary drivers are listed at the top of the file",
        ("secondary", Level.SECONDARY): "use 'tertiary' for the next level",
        ("tertiary", Level.PRIMARY): "put tertiary drivers under a secondary driver",
        ("tertiary", Level.TERTIARY): "a tertiary driver is the last driver level",
    }.get((key, level), "")
    message = f"a {level.noun} cannot have '{key}' (it may contain {may})"
    return f"{message}; {hint}" if hint else message
