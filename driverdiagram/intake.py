"""What partners send, merged into a diagram file in place: report files from the
portal's forms (``*.pdsa.yaml``, ``*.data.yaml``; :func:`merge_reports`).

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
    edits = Edits(path)
    for report in reports:
        try:
            _apply(edits, report)
        except InvalidDiagram as error:
            problems.extend(error.problems)
        except OptionError as error:
            problems.append(Problem(report.location, str(error)))
    if problems:
        raise InvalidDiagram(problems)
    diff = edits.diff()
    if dry_run:
        return Merged(tuple(edits.notes()), diff, edits.changed, False)
    changed = edits.changed
    return Merged(tuple(edits.write()), diff, changed, changed)


def _apply(edits: Edits, report: Report) -> bool:
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
    )


__all__ = ["Merged", "merge_reports"]
