"""In-place edits of a diagram file that keep every other byte as the coach wrote it:
a PDSA cycle added (:func:`add_cycle`), a period of data added to a measure's data
file or inline ``values`` (:func:`add_point`), a change idea's status set
(:func:`set_status`).

How: precise text edits at the loader's own positions. The file is parsed by
:mod:`driverdiagram.readers.yamltree`, whose nodes know where they start and end and
how they are written (plain or quoted, flow ``{...}`` or block), and the new text is
spliced in at those places: nothing else is re-written, so comments, blank lines, key
order, quoting, line endings and a byte-order mark stay byte for byte. The new text
follows the file's own layout: its indentation (detected from the file's own nested
mappings and lists), its lists' dash offsets, flow or block as the neighbouring
entries are, and its preferred quote.

Why not ruamel.yaml's round trip: tried on the examples in diagrams/ and the valid
golden cases, with no edit at all, a dump re-wrote lines: its indentation is one
setting for the whole file (the default re-indented every list of the examples;
files mixing two styles cannot be kept), it re-escapes quoted text (two lines of
tests/cases/valid/literal-text.yaml) and joins a flow mapping written over two
lines into one (tests/cases/valid/measures.yaml). Text edits at our own positions
change exactly the lines that say the new thing.

Every edit is checked before it is written: the new text is loaded as the loader
loads any file (with the new data file's bytes in place of the one on disk) and
must hold exactly the new cycle, point or status; the file (and the data file) must
still hold the bytes read at the start, or the edit is refused (someone saved it
meanwhile); the write is atomic and never through a symbolic link.
"""

from __future__ import annotations

import bisect
import codecs
import csv
import datetime as dt
import difflib
import hashlib
import io
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from .errors import InvalidDiagram, Location, OptionError, Problem
from .files import decode_csv, read_bytes, refuse_link, refuse_linked_folder, write_atomic
from .model import (
    Act,
    Cycle,
    Diagram,
    Level,
    Measure,
    Node,
    Point,
    Rating,
    Status,
    period_date,
)
from .readers import diagram as reader
from .readers import yamltree
from .readers.measures import CYCLE_KEYS, CYCLE_TEXT_KEYS, DAY, MONTH, TITLE_ROWS
from .readers.yamltree import Mapping, Scalar, YamlNode
from .text import excerpt, suggest, visible, yaml_quoted

#: What a cycle's keys are written as, in this order: the reader's, its measures last.
CYCLE_ORDER = tuple(key for key in CYCLE_KEYS if key != "measures")

_BREAK = re.compile("\r\n|\r|\n|\x85|\u2028|\u2029")  # the line breaks YAML counts
#: A block scalar's header: | or >, then its chomping and indentation marks.
_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_SURROGATE = re.compile("[\ud800-\udfff]")

#: Whether a diagram read back holds what an edit asked for.
Holds = Callable[[Diagram], bool]


# -- the API ------------------------------------------------------------------------


def add_cycle(
    path: str | os.PathLike[str],
    change: str,
    start: str | dt.date,
    *,
    end: str | dt.date | None = None,
    name: str = "",
    objective: str = "",
    prediction: str = "",
    plan: str = "",
    do: str = "",
    study: str = "",
    act: str | None = None,
    measures: Sequence[str] = (),
    owner: str = "",
    due: str | dt.date | None = None,
) -> str:
    """Add a PDSA cycle to the change idea ``change`` of a diagram file, in place
    (``owner``: who runs it; ``due``: when its study is due back).

    Refused (a located :class:`InvalidDiagram`) when the change idea or a measure is
    not in the file, or a cycle of that change idea starting that day is there
    already; a bad date or act is an :class:`OptionError`. Returns what was done,
    as ``FILE:LINE: ...`` for the user."""
    edits = Edits(path)
    edits.add_cycle(
        change,
        start,
        end=end,
        name=name,
        objective=objective,
        prediction=prediction,
        plan=plan,
        do=do,
        study=study,
        act=act,
        measures=measures,
        owner=owner,
        due=due,
    )
    return edits.write()[0]


def add_point(
    path: str | os.PathLike[str],
    measure: str,
    period: str,
    value: float | None = None,
    *,
    numerator: float | None = None,
    denominator: float | None = None,
    note: str = "",
) -> str:
    """Add a period's value (or its numerator and denominator) to a measure, in place:
    to its data file when it has one (a row in the file's own column order, line
    ending and encoding), else to its inline ``values``, in time order.

    Refused when the measure is not in the file or the period is already in its
    data; a bad period or number is an :class:`OptionError`."""
    edits = Edits(path)
    edits.add_point(measure, period, value, numerator=numerator, denominator=denominator, note=note)
    return edits.write()[0]


def set_status(path: str | os.PathLike[str], change: str, status: str) -> str:
    """Write a change idea's ``status`` (idea, testing, adopted, abandoned), in place:
    its value replaced where it is written (its quotes kept), else added after the
    change idea's text."""
    edits = Edits(path)
    edits.set_status(change, status)
    return edits.write()[0]


def reflect(
    path: str | os.PathLike[str],
    ratings: dict[str, str],
    *,
    notes: dict[str, str] | None = None,
    focus: Sequence[str] | None = None,
    date: str | dt.date | None = None,
    dry_run: bool = False,
) -> Edits:
    """A coach's reflection on their practice, written into their diagram in place:
    ``ratings`` (domain -> strong, room-to-grow or not-yet; a domain is named by its
    id, its number from 1, or its words) become reflections dated ``date`` (today by
    default) with the ``notes`` given; ``focus``, when given, names the domains to
    work on now (``focus: true``; a domain in focus not named is taken out of it).
    Everything is checked, then written at once, atomically (nothing with
    ``dry_run``); the result's ``notes()`` say what was done and ``diff()`` shows it."""
    notes = notes or {}
    edits = Edits(path)
    day = dt.date.today() if date is None else date
    diagram = edits.source.diagram()
    for domain in notes:
        if domain not in ratings:
            raise OptionError(f"a note for '{domain}' needs its rating too")
    for domain, rating in ratings.items():
        edits.add_reflection(domain, day, rating, notes.get(domain, ""))
    if focus is not None:
        chosen = {_domain(diagram, domain, edits.name).id for domain in focus}
        for node in diagram.at_level(Level.PRIMARY):
            edits.set_focus(node.id, node.id in chosen)
    if not dry_run and edits.changed:
        edits.write()
    return edits


@dataclass
class _Note:
    """A line of what an edit did: ``text`` after ``FILE:LINE``, the line found from
    ``anchor`` (a character of the diagram's text) or ``line`` (of a data file), both
    moved as later edits put text before them."""

    text: str
    file: str = ""  # a data file's real path; "" for the diagram
    shown: str = ""  # the data file as named to the user
    anchor: int | None = None
    line: int | None = None


@dataclass
class _DataFile:
    shown: str
    original: bytes
    now: bytes


class Edits:
    """Several edits of one diagram file (and its measures' data files), each applied
    in memory as it is asked for and checked by loading the result, all written at
    once by :meth:`write` (each file atomically) or shown by :meth:`diff`.

    An edit sees the ones before it: a second cycle of the same change idea and start
    is refused (or skipped, with ``skip=True``), as it would be in the file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        name = os.fspath(path)
        if name == "-":
            raise OptionError("an edit needs a file to change, not standard input")
        refuse_link(name)  # the edit would go elsewhere than the file named
        self.name = name
        self.original = read_bytes(name)
        self.source = _Source(name, self.original)
        self._data: dict[str, _DataFile] = {}
        self._holds: list[Holds] = []
        self._notes: list[_Note] = []

    # what was asked for

    @property
    def changed(self) -> bool:
        """Whether any edit changes a file (skipped ones do not)."""
        return self.source.data != self.original or any(
            found.now != found.original for found in self._data.values()
        )

    def notes(self) -> list[str]:
        """What each edit did or why it was skipped, ``FILE:LINE: ...``, in order."""
        lines = []
        text_lines = self.source
        for note in self._notes:
            if note.file:
                lines.append(f"{note.shown}:{note.line}: {note.text}")
            elif note.anchor is not None:
                line = text_lines.line_of(note.anchor) if note.anchor < len(text_lines.text) else 1
                lines.append(f"{self.name}:{line}: {note.text}")
            else:
                lines.append(f"{self.name}: {note.text}")
        return lines

    def diff(self) -> str:
        """What :meth:`write` would change, as a unified diff of each file."""
        parts: list[str] = []
        files = [(self.name, self.original, self.source.data, False)] + [
            (found.shown, found.original, found.now, True) for found in self._data.values()
        ]
        for shown, before, after, is_csv in files:
            if before == after:
                continue
            old = decode_csv(before, shown)[0] if is_csv else reader.text_of(before, shown)
            new = decode_csv(after, shown)[0] if is_csv else reader.text_of(after, shown)
            parts.extend(
                difflib.unified_diff(
                    _lines(old), _lines(new), fromfile=f"{shown} (now)", tofile=f"{shown} (after)"
                )
            )
        return "".join(parts)

    def write(self) -> list[str]:
        """Write every changed file (none of them when one changed on disk since it was
        read); what was done, as :meth:`notes`."""
        new = self.source.diagram()
        if not all(holds(new) for holds in self._holds):
            raise InvalidDiagram.at(
                Location(self.name),
                "the edits did not read back as asked (a bug: please report it); the file"
                " was not changed",
            )
        _unchanged(self.name, self.original)
        for found in self._data.values():
            _unchanged(found.shown, found.original)
        for found in self._data.values():
            if found.now != found.original:
                write_atomic(found.shown, found.now)
        if self.source.data != self.original:
            write_atomic(self.name, self.source.data)
        return self.notes()

    # the edits

    def add_cycle(
        self,
        change: str,
        start: str | dt.date,
        *,
        end: str | dt.date | None = None,
        name: str = "",
        objective: str = "",
        prediction: str = "",
        plan: str = "",
        do: str = "",
        study: str = "",
        act: str | None = None,
        measures: Sequence[str] = (),
        owner: str = "",
        due: str | dt.date | None = None,
        skip: bool = False,
        where: Location | None = None,
        by: str = "",
    ) -> bool:
        """A PDSA cycle added to change idea ``change`` (as :func:`add_cycle`); with
        ``skip``, a cycle of that change idea and start already there is not refused
        but completed: what it leaves empty and this one says is filled in (a partner
        reports the plan first and the study later), what it says otherwise is kept,
        with a note; False when nothing was added. ``where`` locates the change idea's
        id in a report it came from (for the messages); ``by`` says who reported it."""
        start_date = _day(start, "--start")
        end_date = None if end is None or end == "" else _day(end, "--end")
        if end_date is not None and end_date < start_date:
            raise OptionError(f"the cycle ends ({end_date}) before it starts ({start_date})")
        chosen_act = _act(act)
        due_date = None if due is None or due == "" else _day(due, "--due")
        if due_date is not None and due_date < start_date:
            raise OptionError(
                f"the study is due ({due_date}) before the cycle starts ({start_date})"
            )
        texts = {
            "name": name,
            "objective": objective,
            "prediction": prediction,
            "plan": plan,
            "do": do,
            "study": study,
            "owner": owner,
        }
        for key, text in (*texts.items(), *(("measure", m) for m in measures)):
            _readable(text, f"--{key}")
        source = self.source
        diagram = source.diagram()
        node = _change_idea(diagram, change, source.name, where)
        there = next(
            (c for c in diagram.cycles if c.change == node.id and c.start == start_date), None
        )
        if there is not None and not skip:
            raise InvalidDiagram.at(
                there.location,
                f"'{node.id}' already has a PDSA cycle starting {start_date} (cycle"
                f" {there.number}); a cycle is added once (to change it, edit it here)",
            )
        for measure_id in measures:  # each one the diagram has
            _measure(diagram, measure_id, source.name, where)
        if there is not None:
            said: dict[str, str | list[str]] = {
                **{key: text.strip() for key, text in texts.items() if text.strip()},
                **({"end": end_date.isoformat()} if end_date else {}),
                **({"act": chosen_act} if chosen_act else {}),
                **({"due": due_date.isoformat()} if due_date else {}),
                **({"measures": list(measures)} if measures else {}),
            }
            return self._complete(there, said, by)
        fields: list[tuple[str, str | list[str]]] = []
        for key in CYCLE_ORDER:
            if key == "start":
                fields.append((key, start_date.isoformat()))
            elif key == "end" and end_date is not None:
                fields.append((key, end_date.isoformat()))
            elif key == "act" and chosen_act is not None:
                fields.append((key, chosen_act))
            elif key == "due" and due_date is not None:
                fields.append((key, due_date.isoformat()))
            elif key in texts and texts[key].strip():
                fields.append((key, texts[key].strip()))
        if measures:
            fields.append(("measures", list(measures)))
        mapping = source.mapping_at(node.location)
        edit = _Editor(source).add_list_item(mapping, "pdsa", fields)
        wanted = Cycle(
            change=node.id,
            number=0,
            start=start_date,
            location=Location(source.name),
            end=end_date,
            act=Act(chosen_act) if chosen_act else None,
            measures=tuple(measures),
            due=due_date,
            **{key: visible(value.strip()) for key, value in texts.items()},
        )

        def holds(new: Diagram) -> bool:
            return any(_same_cycle(cycle, wanted) for cycle in new.cycles)

        reported = f" (reported by {by})" if by else ""
        self._splice(
            edit, holds, f"added a PDSA cycle of '{node.id}' starting {start_date}{reported}"
        )
        return True

    def _complete(self, cycle: Cycle, said: dict[str, str | list[str]], by: str) -> bool:
        """A cycle already in the file given what a report says of it that the file
        leaves empty, one key at a time in the reader's order; what the file says
        otherwise is kept, with a note. False when nothing was filled in."""
        what = f"the PDSA cycle of '{cycle.change}' starting {cycle.start}"
        anchor = self.source.index(cycle.location)
        filled: list[str] = []
        kept = 0
        for key in CYCLE_KEYS:
            if key not in said:
                continue
            written = _cycle_value(cycle, key)
            if not written:
                filled.append(key)
            elif _words(written) != _words(said[key]):
                kept += 1
                node = self.source.mapping_at(cycle.location).get(key)
                self._notes.append(
                    _Note(
                        f"{what} has {key} {excerpt(_joined(written))} here; the report says"
                        f" {excerpt(_joined(said[key]))}, so the file's is kept (edit it here"
                        " if the report's is right)",
                        anchor=self.source.index(node.location) if node else anchor,
                    )
                )
        if not filled:
            if not kept:
                self._notes.append(_Note(f"{what} is already in the file, skipped", anchor=anchor))
            return False
        reported = f" (reported by {by})" if by else ""
        for number, key in enumerate(filled):
            now = _cycle_at(self.source.diagram(), cycle.change, cycle.start)
            mapping = self.source.mapping_at(now.location)
            value = said[key]
            after = CYCLE_KEYS[: CYCLE_KEYS.index(key)]
            edit = _Editor(self.source).set_key(mapping, key, value, after=after)

            def holds(new: Diagram, key: str = key, value: str | list[str] = value) -> bool:
                found = _cycle_value(_cycle_at(new, cycle.change, cycle.start), key)
                if isinstance(value, list):
                    return isinstance(found, list) and sorted(found) == sorted(value)
                return found == visible(value)  # exactly: every line break kept

            text = f"filled in {_listed(filled)} of {what}{reported}" if number == 0 else ""
            self._splice(edit, holds, text)
        return True

    def add_point(
        self,
        measure: str,
        period: str,
        value: float | None = None,
        *,
        numerator: float | None = None,
        denominator: float | None = None,
        note: str = "",
        skip: bool = False,
        where: Location | None = None,
        by: str = "",
        tell: bool = True,
    ) -> bool:
        """A period added to a measure (as :func:`add_point`); with ``skip``, the same
        period with the same value (and note) already there is passed over with a
        note (False; no note unless ``tell``); a different one is refused, located
        where it is written."""
        period = period.strip()
        _check_period(period)
        if (numerator is None) != (denominator is None):
            raise OptionError("give both the numerator and the denominator, or neither")
        if value is None and numerator is None:
            raise OptionError("give the period's value, or its numerator and denominator")
        if value is not None and numerator is not None:
            raise OptionError(
                "give the value or the numerator and denominator, not both (the value is"
                " numerator / denominator)"
            )
        if denominator == 0:
            raise OptionError("the denominator is 0; a period with nothing to count has no value")
        note = " ".join(_readable(note, "--note").split())
        shown = visible(note)
        source = self.source
        diagram = source.diagram()
        found = _measure(diagram, measure, source.name, where)
        ratio = None if numerator is None or denominator is None else (numerator, denominator)

        def same(point: Point) -> bool:
            return (
                point.period == period
                and (ratio is not None or point.value == value)
                and (ratio is None or (point.numerator, point.denominator) == ratio)
                and point.note == shown
            )

        for point in found.points:
            if point.period == period:
                if skip and same(point):
                    if tell:
                        self._notes.append(self._note_at(point.location, found, period))
                    return False
                raise InvalidDiagram.at(
                    point.location,
                    f"period {period} of '{found.id}' is already in the data here"
                    f"{' with another value' if skip else ''}; a period has one value (to"
                    " change it, edit it here)",
                )

        def holds(new: Diagram) -> bool:
            measures = [m for m in new.measures if m.id == found.id]
            return bool(measures) and any(same(point) for point in measures[0].points)

        cells = {"period": period, "note": note}
        if ratio is not None:
            cells["numerator"], cells["denominator"] = _number(ratio[0]), _number(ratio[1])
        else:
            cells["value"] = _number(value)
        reported = f" (reported by {by})" if by else ""
        text = f"added {period} to '{found.id}'{reported}"
        if found.data and found.data.lower().endswith((".xlsx", ".xlsm")):
            raise InvalidDiagram.at(
                found.location,
                f"the data of '{found.id}' are in the workbook {excerpt(found.data)}: add"
                f" {period} there, in Excel (driverdiagram adds periods to CSV data files and"
                " to inline 'values')",
            )
        if found.data:
            self._add_row(found, cells, holds, text)
        else:
            edit = _Editor(source).add_value(source.mapping_at(found.location), found, cells)
            self._splice(edit, holds, text)
        return True

    def set_status(self, change: str, status: str) -> bool:
        """A change idea's status written (as :func:`set_status`); False when it is
        written so already."""
        allowed = [member.value for member in Status]
        wanted = status.strip().lower()
        if wanted not in allowed:
            raise OptionError(
                f"'{status}' is not a status{suggest(wanted, allowed)}; use one of"
                f" {', '.join(allowed)}"
            )
        source = self.source
        node = _change_idea(source.diagram(), change, source.name)
        mapping = source.mapping_at(node.location)
        written = mapping.get("status")
        if isinstance(written, Scalar) and (written.value or "").strip().lower() == wanted:
            self._notes.append(
                _Note(f"'{node.id}' is {wanted} already", anchor=source.index(written.location))
            )
            return False
        edit = _Editor(source).set_key(mapping, "status", wanted, after=("text", "id"))

        def holds(new: Diagram) -> bool:
            return any(n.id == node.id and n.status == Status(wanted) for n in new.nodes)

        self._splice(edit, holds, f"'{node.id}' is now {wanted}")
        return True

    def add_reflection(self, domain: str, date: str | dt.date, rating: str, note: str = "") -> bool:
        """A reflection on a practice domain (a primary driver: its id, its number from
        1 in file order, or its text), as ``{date: ..., rating: ..., note: ...}`` at the
        end of its ``reflections`` (made after its text when there is none); False,
        with a note, when the domain has a reflection that day already."""
        day = _day(date, "--date")
        wanted = _rating(rating)
        note = " ".join(_readable(note, "--note").split())
        source = self.source
        node = _domain(source.diagram(), domain, source.name)
        for reflection in node.reflections:
            if reflection.date == day:
                self._notes.append(
                    _Note(
                        f"'{_short(node.text)}' has a reflection on {day} already, skipped"
                        " (to change it, edit it here)",
                        anchor=source.index(reflection.location),
                    )
                )
                return False
        fields: list[tuple[str, str | list[str]]] = [
            ("date", day.isoformat()),
            ("rating", wanted.value),
        ]
        if note:
            fields.append(("note", note))
        mapping = source.mapping_at(node.location)
        edit = _Editor(source).add_list_item(
            mapping, "reflections", fields, after=("text", "id", "notes", "strength", "focus")
        )
        shown = visible(note)

        def holds(new: Diagram) -> bool:
            return any(
                n.id == node.id
                and any(
                    r.date == day and r.rating == wanted and r.note == shown for r in n.reflections
                )
                for n in new.nodes
            )

        self._splice(edit, holds, f"'{_short(node.text)}': {wanted.words} on {day}")
        return True

    def set_focus(self, domain: str, focus: bool) -> bool:
        """A practice domain put in focus (``focus: true``, after its text) or taken out
        of it (a written ``focus`` set to false; nothing written where there is none);
        False when it is so already."""
        source = self.source
        node = _domain(source.diagram(), domain, source.name)
        if node.focus == focus:
            return False
        mapping = source.mapping_at(node.location)
        edit = _Editor(source).set_key(
            mapping, "focus", "true" if focus else "false", after=("text", "id")
        )

        def holds(new: Diagram) -> bool:
            return any(n.id == node.id and n.focus == focus for n in new.nodes)

        now = "now in focus" if focus else "no longer in focus"
        self._splice(edit, holds, f"'{_short(node.text)}' is {now}")
        return True

    # applying them

    def _overrides(self) -> dict[str, bytes]:
        return {real: found.now for real, found in self._data.items()}

    def _splice(self, edit: _Edit, holds: Holds, text: str) -> None:
        """Put ``edit`` in the diagram's text, checked; the next edits see it."""
        source = self.source
        new_text = source.text[: edit.start] + edit.new + source.text[edit.end :]
        loaded = source.check(new_text, holds, self._overrides())
        delta = len(edit.new) - (edit.end - edit.start)
        for note in self._notes:
            if not note.file and note.anchor is not None and note.anchor >= edit.end:
                note.anchor += delta
        offset = len(edit.new) - len(edit.new.lstrip("\r\n"))
        data = (codecs.BOM_UTF8 if source.bom else b"") + new_text.encode("utf-8")
        self.source = _Source(self.name, data, self._overrides(), loaded)
        self._holds.append(holds)
        if text:  # '' : a later part of an edit already told
            self._notes.append(_Note(text, anchor=edit.start + offset))

    def _note_at(self, where: Location, measure: Measure, period: str) -> _Note:
        text = f"period {period} of '{measure.id}' is already in the data, skipped"
        if measure.data:
            path = self.source.data_path(measure)
            return _Note(text, os.path.realpath(path), path, line=where.line)
        return _Note(text, anchor=self.source.index(where))

    def _add_row(self, measure: Measure, cells: dict[str, str], holds: Holds, text: str) -> None:
        source = self.source
        path = source.data_path(measure)
        real = os.path.realpath(path)
        if real not in self._data:
            refuse_link(path)
            refuse_linked_folder(os.path.dirname(path), source.base)
            data = read_bytes(path)
            if real != measure.data_file:
                raise InvalidDiagram.at(Location(path), "is not the data file the diagram read")
            self._data[real] = _DataFile(path, data, data)
        found = self._data[real]
        changed, line = source.row_added(path, found.now, measure, cells)
        loaded = source.check(source.text, holds, {**self._overrides(), real: changed})
        for note in self._notes:
            if note.file == real and note.line is not None and note.line >= line:
                note.line += 1
        found.now = changed
        self.source = _Source(self.name, source.data, self._overrides(), loaded)
        self._holds.append(holds)
        self._notes.append(_Note(text, real, path, line=line))


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


def _unchanged(name: str, data: bytes) -> None:
    try:
        now = read_bytes(name)
    except InvalidDiagram:
        now = b""
    if hashlib.sha256(now).digest() != hashlib.sha256(data).digest():
        raise InvalidDiagram.at(
            Location(name),
            "changed on disk while it was being edited (saved in an editor, or by"
            " another command); nothing was written: run the command again",
        )


# -- what is asked for -------------------------------------------------------------


def _readable(text: str, option: str) -> str:
    """Refuse text that cannot be written as UTF-8 (bytes that were not UTF-8, typed in
    a terminal that is not set to it)."""
    if _SURROGATE.search(text):
        raise OptionError(
            f"{option}: the text is not UTF-8; type it again, or check the terminal's encoding"
        )
    return text


def _day(value: str | dt.date, option: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not DAY.match(text):
        raise OptionError(f"{option}: {excerpt(text)} is not a date; write it as 2026-09-01")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise OptionError(f"{option}: '{text}' is not a real date") from None


def _act(act: str | None) -> str | None:
    if act is None or not act.strip():
        return None
    allowed = [member.value for member in Act]
    chosen = act.strip().lower()
    if chosen not in allowed:
        raise OptionError(f"--act: '{act}' is not one of {', '.join(allowed)}")
    return chosen


def _check_period(period: str) -> None:
    if not (MONTH.match(period) or DAY.match(period)):
        raise OptionError(
            f"{excerpt(period)} is not a period; write a month as 2026-03 or a day as 2026-03-15"
        )
    try:
        period_date(period)
    except ValueError:
        kind = "month" if MONTH.match(period) else "date"
        raise OptionError(f"'{period}' is not a real {kind}") from None


def _number(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _hint(wanted: str, known: list[str], noun: str) -> str:
    return suggest(wanted, known, count=2) or (
        f"; its {noun}s are {', '.join(known[:8])}{' ...' if len(known) > 8 else ''}"
        if known
        else f"; it has no {noun} with an id"
    )


def _change_idea(diagram: Diagram, change: str, name: str, where: Location | None = None) -> Node:
    ideas = [node for node in diagram.at_level(Level.CHANGE)]
    for node in ideas:
        if node.id == change:
            if node.generated_id:
                break
            return node
    given = [node.id for node in ideas if not node.generated_id]
    lead = f"{name} has" if where else "has"  # located in a report, not in the file
    message = f"{lead} no change idea '{change}'{_hint(change, given, 'change idea')}"
    if any(node.id == change for node in ideas):
        message = (
            f"'{change}' is the place of a change idea without an id; give it an 'id:'"
            " (and 'text:') so cycles and statuses can name it"
        )
    raise InvalidDiagram.at(where or Location(name), message)


def _domain(diagram: Diagram, wanted: str, name: str) -> Node:
    """A practice domain (a primary driver) by its id, its number from 1 in file order,
    or its text (case and spaces aside; or words only one domain begins with, or else
    has in it: 'self-care')."""
    domains = diagram.at_level(Level.PRIMARY)
    given = " ".join(wanted.split()).casefold()
    if given.isdigit() and 1 <= int(given) <= len(domains):
        return domains[int(given) - 1]
    for node in domains:
        if node.id == wanted.strip() or " ".join(node.text.split()).casefold() == given:
            return node
    texts = [(node, " ".join(node.text.split()).casefold()) for node in domains]
    for found in (
        [node for node, text in texts if given and text.startswith(given)],
        [node for node, text in texts if given and given in text],
    ):
        if len(found) == 1:
            return found[0]
    listed = "; ".join(f"{number} {_short(n.text)}" for number, n in enumerate(domains, 1))
    raise OptionError(
        f"{name} has no practice domain '{wanted}'; name one by its number, id or words: {listed}"
    )


def _rating(rating: str) -> Rating:
    named = Rating.named(rating, short=True)
    if named is None:
        allowed = [member.value for member in Rating]
        raise OptionError(
            f"'{rating}' is not a rating{suggest(Rating.normal(rating), allowed)}; use one of"
            f" {', '.join(allowed)}"
        )
    return named


def _short(text: str, most: int = 48) -> str:
    words = " ".join(text.split())
    return words if len(words) <= most else words[: most - 3].rstrip() + "..."


def _measure(diagram: Diagram, wanted: str, name: str, where: Location | None = None) -> Measure:
    for measure in diagram.measures:
        if measure.id == wanted:
            return measure
    known = [measure.id for measure in diagram.measures]
    lead = f"{name} has" if where else "has"
    raise InvalidDiagram.at(
        where or Location(name), f"{lead} no measure '{wanted}'{_hint(wanted, known, 'measure')}"
    )


def _same_cycle(cycle: Cycle, wanted: Cycle) -> bool:
    """Whether ``cycle`` says all that ``wanted`` does (a later report of the same cycle
    may have filled in more since)."""
    keys = ("end", "act", "measures", "due", *CYCLE_TEXT_KEYS)
    return (cycle.change, cycle.start) == (wanted.change, wanted.start) and all(
        getattr(cycle, key) == getattr(wanted, key) for key in keys if getattr(wanted, key)
    )


def _cycle_at(diagram: Diagram, change: str, start: dt.date) -> Cycle:
    """The cycle of ``change`` starting ``start`` (one there is: an edit found it)."""
    return next(c for c in diagram.cycles if c.change == change and c.start == start)


def _cycle_value(cycle: Cycle, key: str) -> str | list[str]:
    """What a cycle says for ``key`` as a report would write it ('' or [] : nothing)."""
    value = getattr(cycle, key)
    if key == "measures":
        return list(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Act):
        return value.value
    return value or ""


def _words(value: str | list[str]) -> str:
    """A value compared as its words: a text folded over lines in the file, or read
    control characters made visible, is the same text; measures in another order are
    the same measures."""
    text = ", ".join(sorted(value)) if isinstance(value, list) else visible(value)
    return " ".join(text.split())


def _joined(value: str | list[str]) -> str:
    return value if isinstance(value, str) else ", ".join(value)


def _listed(keys: list[str]) -> str:
    """'study', 'study and act', 'do, study and act'."""
    return keys[0] if len(keys) == 1 else ", ".join(keys[:-1]) + " and " + keys[-1]


# -- the file -----------------------------------------------------------------------


@dataclass
class _Edit:
    """Text to put in place of ``text[start:end]`` (an insertion when they are equal)."""

    start: int
    end: int
    new: str


class _Source:
    """A diagram file as read: its bytes, text, tree and the lines YAML counts."""

    def __init__(
        self,
        name: str,
        data: bytes,
        data_bytes: dict[str, bytes] | None = None,
        loaded: Diagram | None = None,
    ) -> None:
        self.name = name
        self.data = data
        self.bom = data.startswith(codecs.BOM_UTF8)
        self.text = reader.text_of(data, name)
        first = _BREAK.search(self.text)
        self.newline = first.group() if first and first.group() in ("\r\n", "\r") else "\n"
        self.starts = [0] + [match.end() for match in _BREAK.finditer(self.text)]
        root, _ = yamltree.parse(self.text, name)
        if not isinstance(root, Mapping):
            raise InvalidDiagram.at(Location(name, 1, 1), "is not a diagram (no 'aim:' mapping)")
        self.root = root
        self.base = os.path.dirname(name) or "."
        self.data_bytes = dict(data_bytes or {})  # data files as edits left them
        self.loaded = loaded

    def diagram(self) -> Diagram:
        """The diagram as it is now (it must be valid: an edit does not fix a file)."""
        if self.loaded is None:
            self.loaded = reader.loads(
                self.text, self.name, self.base, data_bytes=self.data_bytes or None
            )
        return self.loaded

    # positions

    def index(self, where: Location) -> int:
        return self.starts[where.line - 1] + where.column - 1

    def mapping_at(self, where: Location) -> Mapping:
        for node in _walk(self.root):
            if isinstance(node, Mapping) and node.location == where:
                return node
        raise InvalidDiagram.at(where, "cannot find this entry in the file to edit it")

    def column(self, node: YamlNode) -> int:
        return node.location.column - 1

    def dash_column(self, item: YamlNode) -> int:
        """The column of the '-' before a block list's item."""
        dash = self.text.rfind("-", 0, self.index(item.location))
        return dash - self.starts[self.line_of(dash) - 1]

    def end_of(self, node: YamlNode) -> int:
        """Where the text of ``node`` ends: a flow collection's closing bracket, else
        its last value's end."""
        if isinstance(node, Scalar):
            assert node.end is not None
            return self.index(node.end)
        if node.flow or not node.items:
            assert node.end is not None
            return self.index(node.end)
        last = node.items[-1]
        return self.end_of(last[1] if isinstance(last, tuple) else last)

    def last_scalar(self, node: YamlNode) -> Scalar | None:
        if isinstance(node, Scalar):
            return node
        if node.flow or not node.items:
            return None
        last = node.items[-1]
        return self.last_scalar(last[1] if isinstance(last, tuple) else last)

    def line_after(self, node: YamlNode) -> tuple[int, str]:
        """Where a line after ``node`` goes (the start of the line after the one it ends
        on: its comment stays on its line), and what must come first there (a line
        break, at the end of a file that has none)."""
        index = self.end_of(node)
        last = self.last_scalar(node)
        if index in self.starts[1:] and index > 0:  # a block scalar ends at a line start
            keep = last is not None and last.style in ("|", ">") and self._keeps(last)
            line = self.starts.index(index)
            while not keep and line > 1 and not self._line(line - 1).strip(" \t"):
                line -= 1
            return self.starts[line], ""
        found = _BREAK.search(self.text, index)
        if found is None:
            return len(self.text), self.newline
        return found.end(), ""

    def _keeps(self, scalar: Scalar) -> bool:
        header = self.text[self.index(scalar.location) : self.index(scalar.location) + 4]
        return "+" in header.split("#")[0].split()[0] if header.strip() else False

    def _line(self, number: int) -> str:
        """The text of line ``number`` (0-based), without its break."""
        start = self.starts[number]
        stop = self.starts[number + 1] if number + 1 < len(self.starts) else len(self.text)
        return _BREAK.sub("", self.text[start:stop])

    def line_of(self, index: int) -> int:
        """The 1-based line an index is on."""
        return bisect.bisect_right(self.starts, index)

    # writing

    def check(self, text: str, holds: Holds, data_bytes: dict[str, bytes]) -> Diagram:
        """The diagram ``text`` (with ``data_bytes`` for data files) loads as, which must
        hold what the edit asked for."""
        try:
            new = reader.loads(text, self.name, self.base, data_bytes=data_bytes or None)
        except InvalidDiagram as error:
            raise InvalidDiagram(
                [
                    Problem(
                        problem.location,
                        f"{problem.message} (after the edit; the file was not changed)",
                    )
                    for problem in error.problems
                ]
            ) from error
        if not holds(new):
            raise InvalidDiagram.at(
                Location(self.name),
                "the edit did not read back as asked (a bug: please report it); the file was"
                " not changed",
            )
        return new

    # a measure's data file

    def data_path(self, measure: Measure) -> str:
        return os.path.normpath(os.path.join(self.base, measure.data))

    def row_added(
        self, path: str, data: bytes, measure: Measure, cells: dict[str, str]
    ) -> tuple[bytes, int]:
        """The bytes of the measure's data file ``data`` with a row added, and the line
        the row is on."""
        text, note = decode_csv(data, path)
        encoding = "cp1252" if note is not None else "utf-8"
        body = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = body.split("\n")
        written = [number for number, line in enumerate(lines) if line.strip()]
        # the heading row: the first to name the period column (title rows above it are
        # passed over, as the reader passes them over), else the first row
        named = {role: heading.strip().lower() for role, heading in measure.columns}
        roles = {heading: role for role, heading in named.items()}
        period = named.get("period", "period")
        header_at = written[0]
        for number in written[: TITLE_ROWS + 1]:
            candidate = lines[number]
            splitter = max((",", ";", "\t"), key=candidate.count)
            comma = splitter if candidate.count(splitter) else ","
            head = next(csv.reader([candidate], delimiter=comma))
            if period in (cell.strip().lower() for cell in head):
                header_at = number
                break
        header_line = lines[header_at]
        delimiter = max((",", ";", "\t"), key=header_line.count)
        if not header_line.count(delimiter):
            delimiter = ","
        # each column by its role: a heading 'columns:' maps, else the heading itself
        header = [
            roles.get(cell.strip().lower(), cell.strip().lower())
            for cell in next(csv.reader([header_line], delimiter=delimiter))
        ]
        where = Location(path, header_at + 1, 1)
        if "numerator" in cells and "numerator" not in header:
            raise InvalidDiagram.at(
                where,
                "this data file has a value column, not numerator and denominator; give the"
                " period's value",
            )
        if "value" in cells and "value" not in header:
            raise InvalidDiagram.at(
                where,
                "this data file has numerator and denominator columns; give the period's"
                " numerator and denominator, not its value",
            )
        if cells["note"] and "note" not in header:
            raise InvalidDiagram.at(
                where,
                f"this data file has no note column; add '{delimiter}note' to its header"
                " row, or leave the note out",
            )
        if delimiter == ";" and re.search(r"\d,\d", body):  # decimal commas, as written
            cells = {
                key: (value.replace(".", ",") if key != "note" and key != "period" else value)
                for key, value in cells.items()
            }
        row = io.StringIO()
        csv.writer(row, delimiter=delimiter, lineterminator="").writerow(
            [cells.get(column, "") for column in header]
        )
        newline = (
            "\r\n" if b"\r\n" in data else "\r" if b"\r" in data and b"\n" not in data else "\n"
        )
        try:
            encoded = row.getvalue().encode(encoding)
        except UnicodeEncodeError as error:
            raise InvalidDiagram.at(
                Location(path),
                f"is saved as Windows-1252, which cannot hold {error.object[error.start]!r} in"
                " the note; save the file as CSV UTF-8 first, or leave the character out",
            ) from error
        # after the last period before it; before the first of all when none is
        new_date = period_date(cells["period"])
        before = [point for point in measure.points if period_date(point.period) < new_date]
        if before:
            after_line = before[-1].location.line
        elif measure.points:
            after_line = measure.points[0].location.line - 1
        else:
            after_line = header_at + 1
        line_break = newline.encode("ascii")
        starts = [0] + [found.end() for found in re.finditer(re.escape(line_break), data)]
        if after_line < len(starts):
            at, new = starts[after_line], encoded + line_break
        else:  # after a last line with no line break
            at, new = len(data), line_break + encoded
        line = after_line + 1
        return data[:at] + new + data[at:], line


def _key_date(key: Scalar) -> dt.date | None:
    """The date of a period written as a key of ``values`` (None if it is not one)."""
    text = (key.value or "").strip()
    if not (MONTH.match(text) or DAY.match(text)):
        return None
    try:
        return period_date(text)
    except ValueError:
        return None


def _walk(node: YamlNode) -> Iterator[YamlNode]:
    yield node
    if isinstance(node, Mapping):
        for _, value in node.items:
            yield from _walk(value)
    elif isinstance(node, yamltree.Sequence):
        for item in node.items:
            yield from _walk(item)


# -- the new text ---------------------------------------------------------------------


class _Style:
    """How the file lays out what it nests, as most of its own entries do (its lists
    under the same key first: a new ``pdsa:`` is laid out as the file's other ``pdsa:``
    lists are)."""

    def __init__(self, source: _Source) -> None:
        offsets: Counter[int] = Counter()  # a block list's '-' from its key's column
        gaps: Counter[int] = Counter()  # an item's first key from its '-'
        self.by_key: dict[str, tuple[Counter[int], Counter[int]]] = {}
        indents: Counter[int] = Counter()  # a nested block mapping from its key's column
        quotes: Counter[str] = Counter()
        for node in _walk(source.root):
            if isinstance(node, Scalar) and node.style in ("'", '"'):
                quotes[node.style] += 1
            if isinstance(node, Mapping) and not node.flow:
                for key, value in node.items:
                    if isinstance(value, yamltree.Sequence) and not value.flow and value.items:
                        dash_column = source.dash_column(value.items[0])
                        own = self.by_key.setdefault(key.value or "", (Counter(), Counter()))
                        for found in (offsets, own[0]):
                            found[dash_column - source.column(key)] += 1
                        for item in value.items:
                            if isinstance(item, Mapping) and not item.flow:
                                for found in (gaps, own[1]):
                                    found[source.column(item) - dash_column] += 1
                    elif (
                        isinstance(value, Mapping)
                        and not value.flow
                        and value.location.line > key.location.line
                    ):
                        indents[source.column(value) - source.column(key)] += 1
        self.offset = _most(offsets, 2, lambda n: n >= 0)
        self.gap = _most(gaps, 2, lambda n: n >= 2)
        self.indent = _most(indents, 2, lambda n: n >= 1)
        self.quote = "'" if quotes["'"] > quotes['"'] else '"'

    def list_layout(self, key: str) -> tuple[int, int]:
        """A new block list under ``key``: its '-' from the key's column, and its items'
        keys from the '-'."""
        offsets, gaps = self.by_key.get(key, (Counter(), Counter()))
        return _most(offsets, self.offset, lambda n: n >= 0), _most(
            gaps, self.gap, lambda n: n >= 2
        )


def _most(counts: Counter[int], default: int, fits: Callable[[int], bool]) -> int:
    for value, _ in counts.most_common():
        if fits(value):
            return value
    return default


class _Editor:
    """The text that adds an entry where it belongs, laid out as the file is."""

    def __init__(self, source: _Source) -> None:
        self.source = source
        self.style = _Style(source)
        self.nl = source.newline

    # scalars

    def scalar(self, text: str, flow: bool = False) -> str:
        """``text`` as a YAML value that reads back as exactly that: plain when it can
        be, else quoted as the file prefers."""
        if _plain(text, flow):
            return text
        return self.quoted(text, self.style.quote)

    def quoted(self, text: str, quote: str) -> str:
        """``text`` in the quotes given (``'`` when it can be: one line of printable
        text; else ``"``, with YAML's escapes) that reads back as exactly that."""
        if quote == "'" and text.isprintable():
            return "'" + text.replace("'", "''") + "'"
        return yaml_quoted(text)

    def flow_mapping(self, fields: list[tuple[str, str | list[str]]]) -> str:
        parts = [f"{key}: {self.value(value, True)}" for key, value in fields]
        return "{" + ", ".join(parts) + "}"

    def value(self, value: str | list[str], flow: bool) -> str:
        if isinstance(value, list):
            return "[" + ", ".join(self.scalar(item, True) for item in value) + "]"
        return self.scalar(value, flow)

    def block_mapping(
        self, fields: list[tuple[str, str | list[str]]], first: str, rest: str
    ) -> str:
        """Lines of ``key: value``: the first after ``first`` (a '- ' or nothing), the
        others indented by ``rest``."""
        lines = [
            f"{first if number == 0 else rest}{key}: {self.value(value, False)}"
            for number, (key, value) in enumerate(fields)
        ]
        return "".join(line + self.nl for line in lines)

    # edits

    def add_list_item(
        self,
        owner: Mapping,
        key: str,
        fields: list[tuple[str, str | list[str]]],
        after: tuple[str, ...] = (),
    ) -> _Edit:
        """An item added at the end of ``owner``'s list ``key`` (the list made when
        there is none: at the end of ``owner``, or with ``after`` below the last of
        those keys, its items one flow mapping a line)."""
        source = self.source
        existing = owner.get(key)
        if isinstance(existing, yamltree.Sequence) and existing.items:
            last = existing.items[-1]
            if existing.flow:
                at = source.end_of(last)
                return _Edit(at, at, ", " + self.flow_mapping(fields))
            first = existing.items[0]
            dash = source.dash_column(first)
            gap = source.column(first) - dash if isinstance(first, Mapping) else self.style.gap
            at, lead = source.line_after(existing)
            if isinstance(last, Mapping) and last.flow:
                text = " " * dash + "-" + " " * (gap - 1) + self.flow_mapping(fields) + self.nl
            else:
                text = self.block_mapping(
                    fields, " " * dash + "-" + " " * (gap - 1), " " * (dash + gap)
                )
            return _Edit(at, at, lead + text)
        if isinstance(existing, yamltree.Sequence):  # [] or [ ]
            assert existing.end is not None
            at = source.index(existing.end) - 1
            return _Edit(at, at, self.flow_mapping(fields))
        if existing is not None:
            if isinstance(existing, Scalar) and existing.value is None:
                return self._replace_null(
                    owner, key, existing, "[" + self.flow_mapping(fields) + "]"
                )
            raise InvalidDiagram.at(existing.location, f"'{key}' should be a list here")
        if owner.flow:
            return self._flow_key(owner, f"{key}: [{self.flow_mapping(fields)}]")
        column = source.column(owner)
        offset, gap = self.style.list_layout(key)
        dash = column + offset
        anchor = None
        for item_key, item_value in owner.items:
            if item_key.value in after:
                anchor = item_value
        if anchor is not None:
            at, lead = source.line_after(anchor)
            item = " " * dash + "-" + " " * (gap - 1) + self.flow_mapping(fields) + self.nl
            return _Edit(at, at, lead + " " * column + key + ":" + self.nl + item)
        at, lead = source.line_after(owner)
        text = (
            " " * column
            + key
            + ":"
            + self.nl
            + self.block_mapping(fields, " " * dash + "-" + " " * (gap - 1), " " * (dash + gap))
        )
        return _Edit(at, at, lead + text)

    def _replace_null(self, owner: Mapping, key: str, value: Scalar, new: str) -> _Edit:
        """A key written with no value (``pdsa:``, ``values: ~``) given one, on its line."""
        source = self.source
        if value.end is not None and value.end != value.location:
            start, stop = source.index(value.location), source.index(value.end)
            return _Edit(start, stop, new)
        keyed = owner.keys[key]
        colon = source.text.find(":", source.index(keyed.location) + len(key))
        return _Edit(colon + 1, colon + 1, " " + new)

    def _flow_key(self, owner: Mapping, entry: str) -> _Edit:
        source = self.source
        if owner.items:
            at = source.end_of(owner.items[-1][1])
            return _Edit(at, at, ", " + entry)
        assert owner.end is not None
        at = source.index(owner.end) - 1
        return _Edit(at, at, entry)

    def set_key(
        self, owner: Mapping, key: str, value: str | list[str], after: tuple[str, ...]
    ) -> _Edit:
        """``key: value`` set: its value replaced where it is written (its quotes kept),
        else the key added after the last of the keys ``after`` that is written (last of
        all when none is; first of all when ``after`` is empty: the key comes first); a
        list is added as a flow list."""
        source = self.source
        written = owner.get(key)
        if isinstance(written, yamltree.Sequence):  # an empty list, [], given its items
            assert isinstance(value, list) and not written.items, "only an empty list is set"
            start, stop = source.index(written.location), source.end_of(written)
            return _Edit(start, stop, self.value(value, True))
        if isinstance(value, list):
            assert written is None or (isinstance(written, Scalar) and written.value is None)
        elif isinstance(written, Scalar) and written.value is not None:
            start, stop = source.index(written.location), source.end_of(written)
            if written.style in ("|", ">"):
                # a block's header (| or >-, say) replaced where it is: its lines, empty
                # when a value is filled in, and the line break after it stay as they are
                header = _BLOCK_HEADER.match(source.text, start)
                assert header is not None
                return _Edit(start, header.end(), self.scalar(value, owner.flow))
            if written.style in ("'", '"'):  # the file's quotes, every mark escaped
                return _Edit(start, stop, self.quoted(value, written.style))
            return _Edit(start, stop, self.scalar(value, owner.flow))
        if written is not None:
            assert isinstance(written, Scalar)
            return self._replace_null(owner, key, written, self.value(value, owner.flow))
        anchor = None
        for item_key, item_value in owner.items:
            if item_key.value in after:
                anchor = item_value
        if not after and owner.items:  # the first key: before every key written
            at = source.index(owner.items[0][0].location)
            if owner.flow:
                return _Edit(at, at, f"{key}: {self.value(value, True)}, ")
            rest = self.nl + " " * source.column(owner.items[0][0])
            return _Edit(at, at, f"{key}: {self.value(value, False)}{rest}")
        if owner.flow:
            if anchor is None:
                return self._flow_key(owner, f"{key}: {self.value(value, True)}")
            at = source.end_of(anchor)
            return _Edit(at, at, f", {key}: {self.value(value, True)}")
        at, lead = source.line_after(anchor if anchor is not None else owner)
        line = " " * source.column(owner) + f"{key}: {self.value(value, False)}" + self.nl
        return _Edit(at, at, lead + line)

    def add_value(self, owner: Mapping, measure: Measure, cells: dict[str, str]) -> _Edit:
        """A period added to a measure's inline ``values``, in time order (``values``
        made, as the file's other measures write it, when there is none)."""
        source = self.source
        period = cells["period"]
        inner: list[tuple[str, str | list[str]]] = []
        if "numerator" in cells:
            inner = [("numerator", cells["numerator"]), ("denominator", cells["denominator"])]
        if cells["note"]:
            inner = [*(inner or [("value", cells["value"])]), ("note", cells["note"])]
        values = owner.get("values")
        if values is None:
            flow = self._values_flow()
            if flow or owner.flow:
                entry = f"{period}: {self.flow_mapping(inner) if inner else cells['value']}"
                if owner.flow:
                    return self._flow_key(owner, "values: {" + entry + "}")
                text = " " * source.column(owner) + "values: {" + entry + "}" + self.nl
            else:
                column = source.column(owner) + self.style.indent
                text = " " * source.column(owner) + "values:" + self.nl
                text += self._block_entry(period, inner, cells, column)
            at, lead = source.line_after(owner)
            return _Edit(at, at, lead + text)
        if not isinstance(values, Mapping):
            raise InvalidDiagram.at(
                values.location, "'values' should be a mapping of period: number"
            )
        new_date = period_date(period)
        later = [key for key, _ in values.items if (_key_date(key) or new_date) > new_date]
        entry_flow = any(isinstance(value, Mapping) and value.flow for _, value in values.items)
        entry_block = any(
            isinstance(value, Mapping) and not value.flow for _, value in values.items
        )
        if values.flow:
            entry = f"{period}: {self.flow_mapping(inner) if inner else cells['value']}"
            if later:
                at = source.index(later[0].location)
                return _Edit(at, at, entry + ", ")
            return self._flow_key(values, entry)
        column = source.column(values)
        block = entry_block and not entry_flow
        text = self._block_entry(period, inner, cells, column, block)
        if later:
            at = source.starts[later[0].location.line - 1]
            return _Edit(at, at, text)
        at, lead = source.line_after(values)
        return _Edit(at, at, lead + text)

    def _block_entry(
        self,
        period: str,
        inner: list[tuple[str, str | list[str]]],
        cells: dict[str, str],
        column: int,
        block: bool = False,
    ) -> str:
        if not inner:
            return " " * column + f"{period}: {cells['value']}" + self.nl
        if not block:
            return " " * column + f"{period}: {self.flow_mapping(inner)}" + self.nl
        nested = " " * (column + self.style.indent)
        return " " * column + f"{period}:" + self.nl + self.block_mapping(inner, nested, nested)

    def _values_flow(self) -> bool:
        """Whether the file's measures write ``values`` as ``{...}`` (so by default)."""
        for node in _walk(self.source.root):
            if isinstance(node, Mapping):
                values = node.get("values")
                if isinstance(values, Mapping) and "name" in node.keys:
                    return values.flow
        return True


_PLAIN_START = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]")


def _plain(text: str, flow: bool) -> bool:
    """Whether ``text`` reads back as itself written without quotes."""
    if not text or text != text.strip() or text in _NULLS or not text.isprintable():
        return False
    if not _PLAIN_START.match(text) or ": " in text or " #" in text or text.endswith(":"):
        return False
    if text.startswith("-") or "\t" in text:
        return False
    return not (flow and any(char in text for char in ",[]{}:#"))


__all__ = ["Edits", "add_cycle", "add_point", "set_status"]
