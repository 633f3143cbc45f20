"""The portal's history from git: each diagram's commits with what each changed, in
words, and what changed across the programme since a revision or a date.

Each commit is compared as ``driverdiagram diff`` compares two versions
(:func:`driverdiagram.diff.compare`): the file (and its data files) at the commit's
first parent, against the file at the commit, both read from git through
:mod:`driverdiagram.files` (bounded, with its timeout). At most :data:`MOST` commits of
a file are read. Everything shown comes from git (dates included), never from the
clock, so the same repository gives the same pages.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass
from typing import Any

from ..diff import compare
from ..errors import DiagramError, InvalidDiagram, Location
from ..files import (
    Commit,
    Tracked,
    commit_before,
    file_log,
    head_commit,
    resolve,
    tracked_all,
)
from ..model import Diagram
from ..readers import diagram as reader
from ..text import excerpt, one_line

#: The most commits of one file the history shows.
MOST = 50
#: The most changes listed for one commit (or one team since --since); the rest counted.
SHOWN = 25
#: A --since that is a date rather than a revision.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


@dataclass(frozen=True)
class Step:
    """One commit in a file's history: who, when, why, and what changed in words
    (``note`` says why there is no list: the file was added, or could not be read)."""

    commit: str  # the short hash
    date: str
    author: str
    subject: str
    changes: tuple[str, ...]
    more: int  # changes not listed
    note: str


@dataclass(frozen=True)
class History:
    """A diagram's history: its commits newest first, or why there is none."""

    steps: tuple[Step, ...] = ()
    absent: str = ""  # why there is no history ('' when the file is in git)
    truncated: bool = False  # more commits than MOST
    newest: int | None = None  # when its newest commit was made (seconds)


@dataclass(frozen=True)
class TeamChanges:
    """What changed in one diagram since the programme's --since."""

    index: int  # the diagram's place among the programme's
    changes: tuple[str, ...]
    more: int
    note: str


@dataclass(frozen=True)
class Since:
    """What changed across the programme since a revision or a date."""

    label: str  # 'since 2026-10-20 (a month before the newest commit)'
    teams: tuple[TeamChanges, ...]
    absent: str = ""  # why there is nothing to compare with


class Versions:
    """Reads a file at commits, each once (a commit's parent is often the commit
    before it in the history)."""

    def __init__(self, file: Tracked, data: list[str]) -> None:
        self.file = file
        self.data = data
        self._read: dict[str, Diagram | str | None] = {}

    def at(self, commit: str) -> Diagram | str | None:
        """The diagram at ``commit``; None when the file is not there; else why it
        could not be read, in a line."""
        if commit not in self._read:
            self._read[commit] = self._load(commit)
        return self._read[commit]

    def _load(self, commit: str) -> Diagram | str | None:
        revision = self.file.at(commit)
        try:
            return reader.load_revision(revision, data="optional")
        except DiagramError as error:
            message = error.problems[0].message if error.problems else str(error)
            if message.startswith("the file is not in "):
                return None
            return one_line(excerpt(message, 200)[1:-1])


def _data_paths(diagram: Diagram, file: Tracked) -> list[str]:
    """The data files of the diagram's measures, as paths from the repository's top
    (those that stay inside it)."""
    probe = file.at("0" * 40)
    found = []
    for measure in diagram.measures:
        if measure.data:
            beside = probe.beside(measure.data)
            if beside is not None and beside.path not in found:
                found.append(beside.path)
    return found


def _listed(changes: list[str]) -> tuple[tuple[str, ...], int]:
    return tuple(changes[:SHOWN]), max(len(changes) - SHOWN, 0)


@dataclass(frozen=True)
class Head:
    """Where a diagram's history stands: its file in git (None outside git, with why
    in ``absent``), its data files there, and its newest commit (None before the first).
    One ``git log`` answers it, so a rebuild learns cheaply whether the history changed."""

    file: Tracked | None
    data: tuple[str, ...] = ()
    newest: Commit | None = None
    absent: str = ""

    @property
    def key(self) -> str:
        """What the history shown depends on: the newest commit, or why there is none."""
        if self.file is None:
            return f"absent:{self.absent}"
        commit = self.newest.commit if self.newest is not None else ""
        return "\0".join([self.file.top, self.file.path, *self.data, commit])

    @property
    def committed(self) -> str:
        """The date of the newest commit ('' outside git or before the first)."""
        return self.newest.date if self.newest is not None else ""

    def versions(self) -> Versions | None:
        """A reader of the file's versions, for :func:`since`."""
        return Versions(self.file, list(self.data)) if self.file is not None else None


def heads(
    diagrams: list[Diagram],
    known: dict[str, list[Any]] | None = None,
    keep: dict[str, list[Any]] | None = None,
) -> list[Head]:
    """Each diagram's :class:`Head` (git asked once for each folder's repository).

    ``known`` remembers, between builds, each file's newest commit for the commit HEAD
    was at (what ``git log -1 HEAD -- FILE`` answers depends on nothing else), so a
    rebuild with no new commit asks git once per repository, not once per diagram;
    ``keep`` is given what this build used, to remember for the next."""
    memo = known or {}
    kept = keep if keep is not None else {}
    found = []
    tops: dict[str, str | None] = {}
    for diagram, file in zip(diagrams, tracked_all([d.path for d in diagrams]), strict=True):
        if isinstance(file, str):
            found.append(Head(None, absent=file))
            continue
        data = tuple(_data_paths(diagram, file))
        if file.top not in tops:
            tops[file.top] = head_commit(file.top)
        if tops[file.top] is None:
            found.append(Head(file, data, None))  # a repository with no commit yet
            continue
        asked = "\0".join([file.top, file.path, *data, tops[file.top] or ""])
        fields = memo.get(asked)
        if isinstance(fields, list) and _commit_fields(fields):
            kept[asked] = fields
            found.append(Head(file, data, Commit(*fields) if fields else None))
            continue
        try:
            commits = file_log(file, list(data), most=1)
        except InvalidDiagram as error:
            why = f"git could not list its commits ({error.problems[0].message})"
            found.append(Head(None, absent=why))
            continue
        newest = commits[0] if commits else None
        kept[asked] = list(dataclasses.astuple(newest)) if newest is not None else []
        found.append(Head(file, data, newest))
    return found


def _commit_fields(fields: list[Any]) -> bool:
    """Whether a remembered commit has the fields of one (or is [] for none)."""
    if not fields:
        return True
    types: tuple[type | tuple[type, ...], ...] = (str, (str, type(None)), int, str, str, str)
    return len(fields) == 6 and all(isinstance(f, t) for f, t in zip(fields, types, strict=True))


def history_of(
    diagram: Diagram, most: int | None = None, head: Head | None = None
) -> tuple[History, Versions | None]:
    """The file's history, its newest ``most`` commits (default :data:`MOST`), and
    the reader of its versions, for :func:`since`; ``head`` as :func:`heads` found it
    (asked of git when not given)."""
    most = MOST if most is None else most
    head = head or heads([diagram])[0]
    versions = head.versions()
    if head.file is None or versions is None:
        return History(absent=head.absent), None
    try:
        commits = file_log(head.file, versions.data, most=most + 1)
    except InvalidDiagram as error:
        return History(absent=f"git could not list its commits ({error.problems[0].message})"), None
    steps = tuple(_step(versions, commit) for commit in commits[:most])
    newest = commits[0].time if commits else None
    return History(steps, "", len(commits) > most, newest), versions


def _step(versions: Versions, commit: Commit) -> Step:
    short = commit.commit[:10]
    now = versions.at(commit.commit)
    before = versions.at(commit.parent) if commit.parent else None

    def step(changes: list[str], note: str = "") -> Step:
        shown, more = _listed(changes)
        return Step(short, commit.date, commit.author, commit.subject, shown, more, note)

    if now is None:
        return step([], "The file was removed (or renamed) in this commit.")
    if isinstance(now, str):
        return step([], f"The diagram could not be read at this commit: {now}")
    if before is None:
        return step([], "The diagram was added in this commit.")
    if isinstance(before, str):
        return step([], f"The diagram could not be read before this commit: {before}")
    changes = [change.text for change in compare(before, now)]
    if not changes:
        return step([], "No change to what the diagram says (its layout, comments or spacing).")
    return step(changes)


def since(diagrams: list[Diagram], found: list[Head], rev: str | None) -> Since:
    """What changed in each diagram since ``rev`` (a commit, tag or branch, or a date
    ``YYYY-MM-DD``; default: a month before the newest commit of any of them), each
    compared with the diagram as the site shows it; ``found`` is each one's
    :class:`Head`. The commit a date or a revision names is asked of git once for
    each repository."""
    kept = [(i, v) for i, v in enumerate(head.versions() for head in found) if v is not None]
    if not kept:
        return Since("", (), "these diagrams are not in a git repository, so there is no history")
    when: int | None = None
    if rev is None:
        newest = max((h.newest.time for h in found if h.newest is not None), default=None)
        if newest is None:
            return Since("", (), "no commit holds these diagrams yet")
        when, day = _month_before(newest)
        label = f"since {day} (a month before the newest commit)"
    elif _DATE.match(rev):
        try:
            start = datetime.date.fromisoformat(rev)
        except ValueError:
            raise InvalidDiagram.at(
                Location("--since"), f"{excerpt(rev)} is not a date (YYYY-MM-DD)"
            ) from None
        moment = datetime.datetime(start.year, start.month, start.day, tzinfo=datetime.timezone.utc)
        when = int(moment.timestamp())
        label = f"since {start.isoformat()}"
    else:
        label = f"since {rev}"
    teams = []
    found_rev = rev is None or when is not None
    failure = ""
    bases: dict[str, str | InvalidDiagram | None] = {}  # repository -> the commit then
    for index, versions in kept:
        top = versions.file.top
        if top not in bases:
            try:
                if when is not None:
                    bases[top] = commit_before(top, when)
                else:
                    assert rev is not None
                    bases[top] = resolve(top, rev)
            except InvalidDiagram as error:
                bases[top] = error
        base = bases[top]
        if isinstance(base, InvalidDiagram):
            failure = failure or base.problems[0].message
            teams.append(TeamChanges(index, (), 0, base.problems[0].message))
            continue
        found_rev = True
        old = versions.at(base) if base is not None else None
        if old is None:
            teams.append(TeamChanges(index, (), 0, "New since then."))
            continue
        if isinstance(old, str):
            teams.append(TeamChanges(index, (), 0, f"It could not be read then: {old}"))
            continue
        changes = [change.text for change in compare(old, diagrams[index])]
        if changes:
            shown, more = _listed(changes)
            teams.append(TeamChanges(index, shown, more, ""))
    if not found_rev:  # in no repository: a mistake, not a note
        raise InvalidDiagram.at(
            Location("--since"),
            failure.replace("name a commit,", "name a date YYYY-MM-DD or a commit,"),
        )
    return Since(label, tuple(teams))


def _month_before(stamp: int) -> tuple[int, str]:
    """The moment a calendar month before ``stamp`` (the day kept, or the month's last),
    and its date."""
    moment = datetime.datetime.fromtimestamp(stamp, tz=datetime.timezone.utc)
    year, month = (moment.year, moment.month - 1) if moment.month > 1 else (moment.year - 1, 12)
    day = moment.day
    while True:
        try:
            earlier = moment.replace(year=year, month=month, day=day)
            break
        except ValueError:
            day -= 1
    return int(earlier.timestamp()), earlier.date().isoformat()
