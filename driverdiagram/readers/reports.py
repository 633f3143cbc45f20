"""A partner's report file -> a located cycle or data report: ``ID-DATE.pdsa.yaml``
(one PDSA cycle of a change idea) and ``ID-PERIOD.data.yaml`` (one period of a
measure), as the portal's forms write them (docs/format.md, "Reports from partners").

A report is small YAML with a ``kind`` and a ``version`` so it is recognisable:

    kind: pdsa-report            # or data-report
    version: 1
    change: huddle               # data-report: measure, period, value (or numerator
    start: 2026-09-01            # and denominator), note
    do: 9 of 10 reviewed         # ... the other keys of a cycle, all optional
    owner: Sam Lee               # who runs it; due: when its study is due back
    reporter: Ana Silva          # optional, both kinds
    organisation: Riverbend GP

Every problem is located in the report (``x.pdsa.yaml:4:8``) and all of them are
listed at once. Whether the change idea or measure is in the diagram is for the
edit that merges the report to say (with a did-you-mean), at the place recorded in
the report's ``at``.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from dataclasses import dataclass, field

from ..errors import InvalidDiagram, Location, Problem
from ..files import decode, read_bytes
from ..limits import current
from ..model import Act
from ..text import excerpt, suggest
from . import yamltree
from .measures import DAY
from .yamltree import Mapping, Scalar

#: The ``kind`` of each report, and the name its files end with.
CYCLE_KIND = "pdsa-report"
DATA_KIND = "data-report"
SUFFIXES = {CYCLE_KIND: ".pdsa.yaml", DATA_KIND: ".data.yaml"}
VERSION = "1"
#: A report is a few lines; a megabyte is not one.
MOST_BYTES = 256 * 1024

_COMMON = ("kind", "version", "diagram", "reporter", "organisation")
CYCLE_KEYS = (
    *_COMMON,
    "change",
    "name",
    "start",
    "end",
    "objective",
    "prediction",
    "plan",
    "do",
    "study",
    "act",
    "measures",
    "owner",
    "due",
)
DATA_KEYS = (*_COMMON, "measure", "period", "value", "numerator", "denominator", "note")
ACTS = tuple(act.value for act in Act)
_PERIOD = re.compile(r"\d{4}-\d{2}(-\d{2})?\Z")


@dataclass(frozen=True)
class CycleReport:
    """One PDSA cycle of change idea ``change``, as a partner reported it."""

    change: str
    start: str
    location: Location  # the report file
    end: str = ""
    name: str = ""
    objective: str = ""
    prediction: str = ""
    plan: str = ""
    do: str = ""
    study: str = ""
    act: str = ""
    measures: tuple[str, ...] = ()
    owner: str = ""  # who runs the cycle
    due: str = ""  # when its study is due back
    reporter: str = ""
    organisation: str = ""
    #: where each key's value is written in the report
    at: dict[str, Location] = field(default_factory=dict, compare=False)

    @property
    def by(self) -> str:
        """Who reported it, in words (empty when the report does not say)."""
        return ", ".join(part for part in (self.reporter, self.organisation) if part)


@dataclass(frozen=True)
class DataReport:
    """One period of measure ``measure``: its value, or numerator and denominator."""

    measure: str
    period: str
    location: Location
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    note: str = ""
    reporter: str = ""
    organisation: str = ""
    at: dict[str, Location] = field(default_factory=dict, compare=False)

    @property
    def by(self) -> str:
        return ", ".join(part for part in (self.reporter, self.organisation) if part)


Report = CycleReport | DataReport


def read_report(path: str | os.PathLike[str]) -> Report:
    """The report in a file (a regular file, at most :data:`MOST_BYTES`)."""
    name = os.fspath(path)
    data = read_bytes(name, limit=MOST_BYTES)
    if len(data) > MOST_BYTES:
        raise InvalidDiagram.at(
            Location(name),
            f"is larger than a report can be ({MOST_BYTES // 1024} KiB); is it a report"
            " from the portal's form?",
        )
    return parse_report(decode(data, name), name)


def parse_report(text: str, name: str) -> Report:
    """The report in ``text``; raises :class:`InvalidDiagram` with every problem."""
    root, problems = yamltree.parse(text, name)
    if problems:
        raise InvalidDiagram(problems)
    if not isinstance(root, Mapping):
        raise InvalidDiagram.at(
            Location(name, 1, 1),
            "is not a report: a report from the portal starts 'kind: pdsa-report' or"
            " 'kind: data-report'",
        )
    reading = _Reading(root, name)
    kind = reading.text("kind")
    if kind not in SUFFIXES:
        where = reading.at.get("kind", Location(name, 1, 1))
        given = f"{excerpt(kind)} is not a kind of report" if kind else "no 'kind:'"
        raise InvalidDiagram.at(
            where,
            f"{given}{suggest(kind, list(SUFFIXES))}: a report from the portal says"
            " 'kind: pdsa-report' or 'kind: data-report'",
        )
    version = reading.text("version")
    if version != VERSION:
        raise InvalidDiagram.at(
            reading.at.get("version", root.location),
            f"is a report of version {excerpt(version)}; this driverdiagram reads version"
            f" {VERSION} (a newer driverdiagram may read it)"
            if version
            else "has no 'version: 1'",
        )
    allowed = CYCLE_KEYS if kind == CYCLE_KIND else DATA_KEYS
    for key, _ in root.items:
        word = key.value or ""
        if word not in allowed:
            reading.problem(
                key.location,
                f"{excerpt(word)} is not a key of a {kind}{suggest(word, list(allowed))};"
                f" it has {', '.join(allowed[2:])}",
            )
    report = reading.cycle() if kind == CYCLE_KIND else reading.point()
    if reading.problems:
        raise InvalidDiagram(reading.problems)
    return report


class _Reading:
    """A report's mapping read key by key, the problems kept to list at once."""

    def __init__(self, root: Mapping, name: str) -> None:
        self.root = root
        self.name = name
        self.problems: list[Problem] = []
        self.at: dict[str, Location] = {
            key.value or "": value.location for key, value in root.items
        }

    def problem(self, where: Location, message: str) -> None:
        self.problems.append(Problem(where, message))

    def text(self, key: str) -> str:
        """The text of ``key`` (empty when it is not there or null), one paragraph's
        spaces kept; a list or mapping is a problem."""
        node = self.root.get(key)
        if node is None:
            return ""
        if not isinstance(node, Scalar):
            self.problem(node.location, f"'{key}' should be text, not {yamltree.describe(node)}")
            return ""
        value = (node.value or "").strip()
        if len(value) > current().text:
            self.problem(
                node.location,
                f"'{key}' is longer than {current().text} characters; shorten it",
            )
            return ""
        return value

    def required(self, key: str, what: str) -> str:
        value = self.text(key)
        if not value and key not in self.at:
            self.problem(self.root.location, f"has no '{key}:' ({what})")
        elif not value:
            self.problem(self.at[key], f"'{key}' is empty ({what})")
        return value

    def day(self, key: str, what: str, required: bool = False) -> str:
        value = self.required(key, what) if required else self.text(key)
        if value and not _real_day(value):
            self.problem(
                self.at[key], f"'{key}': {excerpt(value)} is not a date; write it as 2026-09-01"
            )
            return ""
        return value

    def number(self, key: str) -> float | None:
        value = self.text(key)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.problem(self.at[key], f"'{key}': {excerpt(value)} is not a number")
            return None
        return number

    def cycle(self) -> CycleReport:
        change = self.required("change", "the id of the change idea tested")
        start = self.day("start", "the cycle's first day, as 2026-09-01", required=True)
        end = self.day("end", "")
        due = self.day("due", "")
        if start and end and end < start:
            self.problem(self.at["end"], f"the cycle ends ({end}) before it starts ({start})")
        if start and due and due < start:
            self.problem(
                self.at["due"], f"the study is due ({due}) before the cycle starts ({start})"
            )
        act = self.text("act").lower()
        if act and act not in ACTS:
            self.problem(
                self.at["act"],
                f"'act': {excerpt(act)} is not one of {', '.join(ACTS)}{suggest(act, ACTS)}",
            )
        measures: list[str] = []
        node = self.root.get("measures")
        if isinstance(node, yamltree.Sequence):
            for item in node.items:
                if isinstance(item, Scalar) and item.value:
                    measures.append(item.value.strip())
                else:
                    self.problem(item.location, "each of 'measures' is a measure's id")
        elif isinstance(node, Scalar) and node.value:
            measures = [part.strip() for part in node.value.split(",") if part.strip()]
        elif node is not None and not isinstance(node, Scalar):
            self.problem(node.location, "'measures' should be a list of measure ids")
        return CycleReport(
            change=change,
            start=start,
            location=Location(self.name),
            end=end,
            act=act,
            measures=tuple(measures),
            due=due,
            at=self.at,
            **{
                key: self.text(key)
                for key in (
                    "name",
                    "objective",
                    "prediction",
                    "plan",
                    "do",
                    "study",
                    "owner",
                    "reporter",
                    "organisation",
                )
            },
        )

    def point(self) -> DataReport:
        measure = self.required("measure", "the id of the measure")
        period = self.required("period", "the month, as 2026-11, or the day, as 2026-11-15")
        if period and not _real_period(period):
            self.problem(
                self.at["period"],
                f"'period': {excerpt(period)} is not a month or a day; write 2026-11 or 2026-11-15",
            )
        value, numerator, denominator = (
            self.number(key) for key in ("value", "numerator", "denominator")
        )
        if not {"value", "numerator", "denominator"} & set(self.at):
            self.problem(self.root.location, "has no 'value:' (or 'numerator:' and 'denominator:')")
        elif value is None and numerator is None and denominator is None:
            pass  # each is a problem already
        elif value is not None and (numerator is not None or denominator is not None):
            self.problem(
                self.at["value"],
                "give the value or the numerator and denominator, not both",
            )
        elif value is None and (numerator is None) != (denominator is None):
            missing = "denominator" if denominator is None else "numerator"
            self.problem(self.root.location, f"has no '{missing}:' (give both, or the value)")
        elif denominator == 0:
            self.problem(
                self.at["denominator"],
                "the denominator is 0; a period with nothing to count has no value",
            )
        return DataReport(
            measure=measure,
            period=period,
            location=Location(self.name),
            value=value,
            numerator=numerator,
            denominator=denominator,
            note=self.text("note"),
            reporter=self.text("reporter"),
            organisation=self.text("organisation"),
            at=self.at,
        )


def _real_day(text: str) -> bool:
    if not DAY.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _real_period(text: str) -> bool:
    if not _PERIOD.match(text):
        return False
    return _real_day(text if len(text) == 10 else text + "-01")


def report_files(paths: list[str], kind: str) -> list[str]:
    """The report files named: files as given, a folder's files of reports of
    ``kind`` (``*.pdsa.yaml`` or ``*.data.yaml``; not its subfolders', nor links) in
    name order."""
    suffix = SUFFIXES[kind]
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            names = sorted(
                entry.name
                for entry in os.scandir(path)
                if entry.name.endswith(suffix) and entry.is_file(follow_symlinks=False)
            )
            if not names:
                raise InvalidDiagram.at(Location(path), f"is a folder with no *{suffix} file")
            found.extend(os.path.join(path, name) for name in names)
        else:
            found.append(path)
    return found


__all__ = [
    "CYCLE_KIND",
    "DATA_KIND",
    "CycleReport",
    "DataReport",
    "Report",
    "parse_report",
    "read_report",
    "report_files",
]
