"""What partners send, merged into a diagram file in place: report files from the
portal's forms (``*.pdsa.yaml``, ``*.data.yaml``; :func:`merge_reports`) and the PDSA
log workbook, or a Forms CSV export, they filled in (:func:`import_log`).

Every report is read and checked first (all problems listed at once, each located
in its report), then applied as one batch of :class:`driverdiagram.edit.Edits`:
the file is written once, or not at all. A cycle already in the file (same change
idea and start) is skipped with a note, as is a period already there with the same
value; a period there with another value is refused where it is written.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from .edit import Edits
from .errors import InvalidDiagram, Location, OptionError, Problem
from .readers.logs import read_log
from .readers.reports import (
    CYCLE_KIND,
    DATA_KIND,
    SUFFIXES,
    CycleReport,
    DataReport,
    Report,
    read_report,
    report_files,
)

#: The command that merges each kind of report.
_COMMANDS = {CYCLE_KIND: "pdsa add", DATA_KIND: "data add"}


@dataclass(frozen=True)
class Merged:
    """What a merge did (or, with ``dry_run``, would do): a line per report
    (``FILE:LINE: added ...`` or ``... skipped``), the unified diff of the files'
    changes, and whether anything was (or would be) written."""

    notes: tuple[str, ...]
    diff: str
    changed: bool
    written: bool


def merge_reports(
    path: str | os.PathLike[str],
    sources: Sequence[str | os.PathLike[str]],
    *,
    kind: str = CYCLE_KIND,
    dry_run: bool = False,
) -> Merged:
    """Merge report files of ``kind`` (``pdsa-report`` or ``data-report``: files, or
    folders of ``*.pdsa.yaml`` / ``*.data.yaml`` files, in name order) into the
    diagram file ``path``, in place; with ``dry_run`` nothing is written."""
    if kind not in SUFFIXES:
        raise OptionError(f"'{kind}' is not a kind of report: {', '.join(SUFFIXES)}")
    names = report_files([os.fspath(source) for source in sources], kind)
    if not names:
        raise OptionError("name the report files to merge, or a folder of them")
    reports: list[Report] = []
    problems: list[Problem] = []
    for name in names:
        try:
            report = read_report(name)
        except InvalidDiagram as error:
            problems.extend(error.problems)
            continue
        found = CYCLE_KIND if isinstance(report, CycleReport) else DATA_KIND
        if found != kind:
            problems.append(
                Problem(
                    report.at.get("kind", Location(name)),
                    f"is a {found}, not a {kind}; merge it with 'driverdiagram"
                    f" {_COMMANDS[found]} FILE --from {name}'",
                )
            )
            continue
        reports.append(report)
    if problems:
        raise InvalidDiagram(problems)
    return _merge(Edits(path), reports, dry_run)


def import_log(
    path: str | os.PathLike[str],
    log: str | os.PathLike[str],
    *,
    dates: str | None = None,
    dry_run: bool = False,
) -> Merged:
    """Merge a partners' PDSA log (the workbook ``pdsa template`` wrote, filled in, or
    a CSV file with its headings, such as a Microsoft Forms or Google Forms export)
    into the diagram file ``path``, in place, as :func:`merge_reports` merges reports;
    ``dates`` (``dmy`` or ``mdy``) reads a day written 01/09/2026."""
    edits = Edits(path)
    reports = read_log(log, edits.source.diagram(), dates=dates)
    return _merge(edits, reports, dry_run, log=os.fspath(log))


def _merge(edits: Edits, reports: Sequence[Report], dry_run: bool, log: str = "") -> Merged:
    """Apply the reports; a log's periods already in the data (its sheets list every
    known month) are counted in one line per measure rather than one line each."""
    problems: list[Problem] = []
    known: dict[str, int] = {}
    for report in reports:
        try:
            added = _apply(edits, report, tell=not log)
        except InvalidDiagram as error:
            problems.extend(error.problems)
            continue
        except OptionError as error:
            problems.append(Problem(report.location, str(error)))
            continue
        if log and not added and isinstance(report, DataReport):
            known[report.measure] = known.get(report.measure, 0) + 1
    if problems:
        raise InvalidDiagram(problems)
    diff = edits.diff()
    notes = edits.notes() if dry_run else []
    changed = edits.changed
    if not dry_run:
        notes = edits.write()
    for measure, count in known.items():
        periods = "period" if count == 1 else "periods"
        notes.append(f"{log}: {count} {periods} of '{measure}' already in the data, skipped")
    return Merged(tuple(notes), diff, changed, changed and not dry_run)


def _apply(edits: Edits, report: Report, tell: bool = True) -> bool:
    if isinstance(report, CycleReport):
        return edits.add_cycle(
            report.change,
            report.start,
            end=report.end or None,
            name=report.name,
            objective=report.objective,
            prediction=report.prediction,
            plan=report.plan,
            do=report.do,
            study=report.study,
            act=report.act or None,
            measures=report.measures,
            owner=report.owner,
            due=report.due or None,
            skip=True,
            where=report.at.get("change", report.location),
            by=report.by,
        )
    assert isinstance(report, DataReport)
    return edits.add_point(
        report.measure,
        report.period,
        report.value,
        numerator=report.numerator,
        denominator=report.denominator,
        note=report.note,
        skip=True,
        where=report.at.get("measure", report.location),
        by=report.by,
        tell=tell,
    )


__all__ = ["Merged", "import_log", "merge_reports"]
