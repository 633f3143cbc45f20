"""Measures and PDSA cycles in a diagram file (docs/measures.md), with their data files.

Read by :mod:`driverdiagram.loader` while it walks the file; every problem is
located, in the diagram file or in the data file where it is.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import json
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from ..errors import InvalidDiagram, Location, Problem
from ..files import Revision, decode_csv, outside, read_bytes, roots, show_revision
from ..graph import Draft
from ..limits import current, megabytes
from ..measures.kinds import CHARTS, CONTROL_RULES, KINDS, RUN_RULES, multiplier
from ..model import (
    Act,
    Cycle,
    Direction,
    Level,
    Measure,
    MeasureType,
    Phase,
    Point,
    Rules,
    period_date,
)
from ..text import excerpt, one_line, suggest, visible
from .dates import ORDERS, Period, date_period, order_shown, read_period
from .yamltree import Mapping, Scalar, Sequence, YamlNode, describe


class Walker(Protocol):
    """What the diagram reader offers the readers of measures and cycles: the draft
    being filled, a place for problems and its checks of text, lists, keys and ids."""

    draft: Draft

    def problem(self, location: Location, message: str) -> None: ...

    def text(self, node: YamlNode, what: str) -> str | None: ...

    def limited(self, text: str, location: Location) -> str: ...

    def entries(self, node: YamlNode, key: str, noun: str) -> list[YamlNode]: ...

    def unknown_key(self, key: Scalar, allowed: tuple[str, ...], owner: str) -> None: ...

    def identifier(self, node: YamlNode) -> str | None: ...


MEASURE_KEYS = (
    "id",
    "name",
    "short",
    "type",
    "definition",
    "direction",
    "unit",
    "target",
    "baseline",
    "rules",
    "chart",
    "exclude",
    "phases",
    "screen",
    "data",
    "sheet",
    "columns",
    "dates",
    "values",
)
#: The most characters of a measure's ``short`` label (it sits on a box's badge).
SHORT_MOST = 30
CYCLE_KEYS = (
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
CYCLE_TEXT_KEYS = ("name", "objective", "prediction", "plan", "do", "study", "owner")

#: The largest number a measure may hold: beyond it a chart's arithmetic overflows, and
#: no count or rate a team charts comes near it.
LARGEST = 1e15

MISSING = {"", "na", "n/a", "-", "null"}
MONTH = re.compile(r"\d{4}-\d{2}\Z")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def read_measures(reader: Walker, node: YamlNode, owner: str, level: Level) -> list[Measure]:
    """The ``measures`` list of a box."""
    found = []
    for item in reader.entries(node, "measures", "measure"):
        if not isinstance(item, Mapping):
            reader.problem(
                item.location,
                f"each measure should be a mapping with at least 'name:', not {describe(item)}",
            )
            continue
        measure = _measure(reader, item, owner, level)
        if measure is not None:
            found.append(measure)
    return found


def _measure(reader: Walker, item: Mapping, owner: str, level: Level) -> Measure | None:
    fields: dict[str, object] = {
        "type": MeasureType.OUTCOME if level == Level.AIM else MeasureType.PROCESS
    }
    measure_id = ""
    name = ""
    data_node: Scalar | None = None
    values_node: YamlNode | None = None
    layout: dict[str, object] = {}
    settings: list[Scalar] = []  # the keys that say how the data file is laid out
    for key, value in item.items:
        key_name = key.value or ""
        if key_name == "id":
            measure_id = reader.identifier(value) or ""
        elif key_name in ("name", "short", "definition", "unit"):
            text = _text(reader, value, f"the measure's '{key_name}'")
            if text is not None and key_name == "short" and len(text) > SHORT_MOST:
                reader.problem(
                    value.location,
                    f"'short' is the label on the diagram's badge: at most {SHORT_MOST}"
                    f" characters, not {len(text):,}; put the full wording in 'name'",
                )
            elif text is not None:
                if key_name == "name":
                    name = text
                else:
                    fields[key_name] = text
        elif key_name == "type":
            kind = _choice(reader, value, "type", [member.value for member in MeasureType])
            if kind:
                fields["type"] = MeasureType(kind)
        elif key_name == "direction":
            way = _choice(reader, value, "direction", [member.value for member in Direction])
            if way:
                fields["direction"] = Direction(way)
        elif key_name == "rules":
            rules = _choice(reader, value, "rules", [member.value for member in Rules])
            if rules:
                fields["rules"] = Rules(rules)
        elif key_name == "chart":
            chart = _choice(reader, value, "chart", list(CHARTS))
            if chart:
                fields["chart"] = chart
        elif key_name == "screen":
            flag = value.value.strip() if isinstance(value, Scalar) and value.value else ""
            if flag in ("true", "false"):
                fields["screen"] = flag == "true"
            else:
                reader.problem(
                    value.location,
                    f"'screen' should be true or false, not {_quoted(value)} (false leaves"
                    " every moving range in, as the Making Data Count spreadsheet does)",
                )
        elif key_name in ("exclude", "phases"):
            pass  # read below, once the periods are known
        elif key_name == "target":
            fields["target"] = _number(reader, value, "'target'")
        elif key_name == "baseline":
            fields["baseline"] = _baseline(reader, value)
        elif key_name == "data":
            if isinstance(value, Scalar) and (value.value or "").strip():
                data_node = value
            else:
                reader.problem(
                    value.location,
                    "'data' should be the path of a CSV file, relative to this file"
                    " (for example 'data: data/falls-rate.csv')",
                )
        elif key_name == "values":
            values_node = value
        elif key_name == "columns":
            layout["columns"] = _columns_setting(reader, value)
            layout["columns_at"] = value.location
            settings.append(key)
        elif key_name == "dates":
            dates = _choice(reader, value, "dates", list(ORDERS))
            if dates:
                layout["dates"] = dates
            settings.append(key)
        elif key_name == "sheet":
            sheet = _text(reader, value, "the measure's 'sheet'")
            if sheet:
                fields["sheet"] = sheet
            settings.append(key)
        else:
            reader.unknown_key(key, MEASURE_KEYS, "a measure")
    if not name:
        reader.problem(
            item.location,
            "this measure has no 'name'; add 'name: what is counted'"
            " (for example 'name: Falls per 1,000 occupied bed days')",
        )
        return None
    if data_node is not None and values_node is not None:
        reader.problem(
            item.keys["values"].location,
            "a measure takes its numbers from 'data' or 'values', not both; remove one",
        )
        values_node = None
    if settings and data_node is None:
        reader.problem(
            settings[0].location,
            f"'{settings[0].value}' says how the measure's data file is laid out, but the"
            " measure has no 'data' file; add 'data:', or remove it",
        )
    unit = str(fields.get("unit", ""))
    points: list[Point] = []
    found = Layout(**layout)  # type: ignore[arg-type]
    fields["columns"], fields["dates"] = found.columns, found.dates
    if data_node is not None:
        fields["data"] = (data_node.value or "").strip()
        points, fields["data_file"], fields["data_digest"] = _read_data(
            reader, data_node, unit, found, str(fields.get("sheet", ""))
        )
    elif values_node is not None:
        points = _inline_values(reader, values_node, unit)
    # a data file that gave no points (left unread by textconv, absent for an outline,
    # or reported as unreadable) has no periods to check the excluded ones against
    unread = data_node is not None and not points
    _control(reader, item, fields, points, unread)
    return Measure(
        id=measure_id or measure_slug(name),
        name=name,
        node=owner,
        location=item.location,
        points=tuple(points),
        generated_id=not measure_id,
        **fields,  # type: ignore[arg-type]
    )


def _columns_setting(reader: Walker, node: YamlNode) -> tuple[tuple[str, str], ...]:
    """``columns: {period: Month, numerator: Missed, denominator: Booked}``: the data
    file's heading of each column it names."""
    example = "columns: {period: Month, numerator: Missed, denominator: Booked}"
    if not isinstance(node, Mapping):
        reader.problem(
            node.location,
            f"'columns' should name the data file's heading of each column, such as"
            f" '{example}', not {describe(node)}",
        )
        return ()
    found: dict[str, str] = {}
    seen: dict[str, str] = {}
    for key, value in node.items:
        role = (key.value or "").strip()
        if role not in ROLES:
            reader.unknown_key(key, ROLES, "'columns'")
            continue
        heading = value.value.strip() if isinstance(value, Scalar) and value.value else ""
        if not heading or not isinstance(value, Scalar):
            reader.problem(
                value.location,
                f"write the data file's heading of the {role} column, as in '{example}'",
            )
            continue
        heading = reader.limited(heading, value.location)
        if _heading(heading) in seen:
            reader.problem(
                value.location,
                f"{excerpt(heading, 24)} is the {seen[_heading(heading)]} column already;"
                " each column has one role",
            )
            continue
        seen[_heading(heading)] = role
        found[role] = heading
    return tuple(found.items())


def _control(
    reader: Walker, item: Mapping, fields: dict[str, object], points: list[Point], unread: bool
) -> None:
    """The control chart keys, checked against each other and the data: the rules fit
    the chart, a P or U chart has numerators and denominators, excluded periods are in
    the data (only periods, when the data file was left ``unread``), phases are in order
    and long enough to compute limits."""
    chart = str(fields.get("chart", "run"))
    rules = fields.get("rules")
    rules_node = item.get("rules")
    if chart == "run":
        if isinstance(rules, Rules) and rules.value not in RUN_RULES and rules_node is not None:
            reader.problem(
                rules_node.location,
                f"'{rules.value}' is a rule set for control charts; add 'chart: xmr' (or"
                f" p, u, c) to this measure, or use {' or '.join(RUN_RULES)} on a run chart",
            )
        for key in ("exclude", "screen"):
            if key in item.keys:
                reader.problem(
                    item.keys[key].location,
                    f"'{key}' applies to control charts; add 'chart: xmr' (or p, u, c)"
                    " to this measure",
                )
        if "phases" in item.keys:  # a new median from each phase's first period
            fields["phases"] = tuple(_phases(reader, item.get("phases"), points, set(), 1))
        return
    if rules is None:
        fields["rules"] = Rules(CONTROL_RULES[0])
    elif rules == Rules.IHI and rules_node is not None:
        reader.problem(
            rules_node.location,
            "'ihi' is the run chart rule set; a control chart takes shewhart (Health"
            " Care Data Guide), mdc (Making Data Count) or anhoej",
        )
    kind = KINDS[chart]
    ratio = [point for point in points if point.denominator is not None]
    valued = [point for point in points if point.value is not None]
    chart_node = item.get("chart")
    chart_location = chart_node.location if chart_node is not None else item.location
    if kind.ratio and valued and len(ratio) < len(valued):
        reader.problem(
            chart_location,
            f"a {chart} chart needs each period's numerator and denominator; give"
            " 'data' a CSV file with columns period,numerator,denominator (or write"
            " each period in 'values' as 2026-03: {numerator: 12, denominator: 40})",
        )
    elif chart == "p" and (over := [p for p in ratio if (p.numerator or 0) > (p.denominator or 0)]):
        for point in over:
            reader.problem(
                point.location,
                f"in {point.period} the numerator ({point.numerator:g}) is larger than the"
                f" denominator ({point.denominator:g}): a p chart's numerator counts some of"
                " the denominator (for a rate that can exceed it, use 'chart: u')",
            )
    elif chart == "c" and ratio:
        reader.problem(
            chart_location,
            "a c chart counts events: give 'data' a CSV file with columns period,value"
            " (for a rate with a denominator, use 'chart: u')",
        )
    periods = [point.period for point in points]
    written = item.get("exclude")
    excluded = _exclude(reader, written, None if unread else periods) if written is not None else []
    fields["exclude"] = tuple(excluded)
    if "phases" in item.keys:
        fields["phases"] = tuple(
            _phases(reader, item.get("phases"), points, set(excluded), kind.needs)
        )


def _exclude(reader: Walker, node: YamlNode | None, periods: list[str] | None) -> list[str]:
    """The excluded periods: each one of ``periods``, or (None: the data were not read)
    only a period."""
    if node is None:
        return []
    items = node.items if isinstance(node, Sequence) else [node]
    found: list[str] = []
    for entry in items:
        text = (entry.value or "").strip() if isinstance(entry, Scalar) else ""
        if not text:
            reader.problem(
                entry.location,
                f"'exclude' should list periods such as [2025-03], not {_quoted(entry)}",
            )
        elif periods is None:
            problem = _check_period(text)
            if problem:
                reader.problem(entry.location, problem)
            else:
                found.append(text)
        elif text not in periods:
            span = f" (the data run {periods[0]} to {periods[-1]})" if periods else ""
            reader.problem(
                entry.location,
                f"excluded period {excerpt(text)} is not in the data{span}; write it as"
                " the data file or 'values' does",
            )
        else:
            found.append(text)
    return found


def _phases(
    reader: Walker, node: YamlNode | None, points: list[Point], excluded: set[str], needs: int
) -> list[Phase]:
    if node is None:
        return []
    if not isinstance(node, Sequence):
        reader.problem(
            node.location,
            "'phases' should be a list such as [{from: 2026-04, label: Huddle in place}]",
        )
        return []
    found: list[Phase] = []
    for entry in node.items:
        if not isinstance(entry, Mapping) or "from" not in entry.keys:
            reader.problem(
                entry.location,
                "each phase should be a mapping with 'from' (its first period) and an"
                " optional 'label', such as {from: 2026-04, label: Huddle in place}",
            )
            continue
        for key, _ in entry.items:
            if key.value not in ("from", "label"):
                reader.unknown_key(key, ("from", "label"), "a phase")
        start_node = entry.get("from")
        start = (start_node.value or "").strip() if isinstance(start_node, Scalar) else ""
        problem = _check_period(start)
        assert start_node is not None
        if problem:
            reader.problem(start_node.location, problem)
            continue
        if found and period_date(start) <= period_date(found[-1].start):
            reader.problem(
                start_node.location,
                f"phases out of order: {start} comes after {found[-1].start}; list the"
                " phases in time order",
            )
            continue
        label_node = entry.get("label")
        label = _text(reader, label_node, "the phase's 'label'") if label_node else ""
        found.append(Phase(start, entry.location, label or ""))
    if not points:
        return found
    starts = [points[0].period] + [phase.start for phase in found]
    dates = [point.date for point in points]  # in time order: the reader checked
    for number, phase in enumerate(found, start=1):
        begin = period_date(starts[number])
        end = period_date(starts[number + 1]) if number + 1 < len(starts) else None
        first = bisect.bisect_left(dates, begin)  # each phase looks at its own points only
        last = bisect.bisect_left(dates, end) if end is not None else len(points)
        if number == 1 and not any(p.value is not None for p in points[:first]):
            reader.problem(
                phase.location,
                f"the phase from {phase.start} starts before the data do ({points[0].period});"
                " the first phase begins with the first period, so list only later changes",
            )
            continue
        inside = [p for p in points[first:last] if p.value is not None and p.period not in excluded]
        if len(inside) < max(needs, 2):
            reader.problem(
                phase.location,
                f"the phase from {phase.start} has {len(inside)} point"
                f"{'' if len(inside) == 1 else 's'} to compute limits from; it needs at"
                f" least {max(needs, 2)} (start a phase only where the process changed)",
            )
    return found


def _text(reader: Walker, node: YamlNode, what: str) -> str | None:
    """Text as the loader reads it, with control characters made visible (as the
    drawing shows them), so charts and papers can always hold it."""
    text = reader.text(node, what)
    return None if text is None else visible(text)


def measure_slug(name: str) -> str:
    """The id made up for a measure that has none, from its name: lower case words
    joined by '-' (``measure_ids`` then makes it unique)."""
    words = re.findall(r"[^\W_]+", name.lower())
    slug = "-".join(words)[:40].strip("-") or "measure"
    return slug if slug[0].isalpha() else "m-" + slug


def _choice(reader: Walker, node: YamlNode, key: str, allowed: list[str]) -> str | None:
    """One of ``allowed`` (act, type, direction, rules) in lower case, whatever the case
    it is written in, or None after reporting a bad value."""
    value = node.value.strip() if isinstance(node, Scalar) and node.value else ""
    if value.lower() in allowed:  # 'Adopt' and 'UP' are what they say
        return value.lower()
    if not value:
        shown = "empty" if isinstance(node, Scalar) else describe(node)
        reader.problem(node.location, f"'{key}' should be one of: {', '.join(allowed)} ({shown})")
    else:
        hint = suggest(value.lower(), allowed, cutoff=0.5)
        if key == "direction" and not hint:
            lower = value.lower()
            if lower in ("lower", "less", "decrease", "fewer", "reduce", "down is better"):
                hint = " (for lower is better, use 'down')"
            elif lower in ("higher", "more", "increase", "greater", "up is better"):
                hint = " (for higher is better, use 'up')"
        reader.problem(
            node.location,
            f"unknown {key} '{value}'{hint}; use one of: {', '.join(allowed)}",
        )
    return None


def _number(reader: Walker, node: YamlNode, what: str) -> float | None:
    text = node.value.strip() if isinstance(node, Scalar) and node.value else ""
    number = _parse_number(text)
    if number is None or isinstance(number, str):
        reader.problem(
            node.location,
            f"{what} should be a number, not {_quoted(node)}"
            + (f"; {number}" if isinstance(number, str) else ""),
        )
        return None
    return number


def _quoted(node: YamlNode) -> str:
    if isinstance(node, Scalar):
        if not node.value:
            return "empty"
        shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
        return f"'{shown}'"
    return describe(node)


def _parse_number(text: str, decimal_comma: bool = False) -> float | str | None:
    """A finite number; None when it is not one, or a hint (str) for a near miss."""
    text = text.strip().replace("\u2212", "-")  # a typographic minus from a word processor
    if decimal_comma:
        text = text.replace(",", ".")
    if text.endswith("%"):
        return "write the number without '%' and put '%' in the measure's 'unit'"
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")  # 1,234.5
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number) or not re.search(r"\d", text):
        return None
    if abs(number) > LARGEST:
        return f"numbers above {LARGEST:,.0f} cannot be charted; check the units"
    return number


def _baseline(reader: Walker, node: YamlNode) -> int | None:
    text = node.value.strip() if isinstance(node, Scalar) and node.value else ""
    if re.fullmatch(r"[0-9]{1,9}", text) and int(text) >= 2:
        return int(text)
    reader.problem(
        node.location,
        f"'baseline' should be a number of points, 2 or more (the first points that fix"
        f" the median), not {_quoted(node)}",
    )
    return None


# -- data ------------------------------------------------------------------


def _check_period(text: str) -> str | None:
    """Why a period is not one, or None when it is a month or a date."""
    if not (MONTH.match(text) or DAY.match(text)):
        return (
            f"{excerpt(text)} is not a period; write a month as 2026-03 or a day as 2026-03-15"
            if text
            else "the period is empty; write a month as 2026-03 or a day as 2026-03-15"
        )
    try:
        period_date(text)
    except ValueError:
        return f"'{text}' is not a real {'month' if MONTH.match(text) else 'date'}"
    return None


class Reporter(Protocol):
    """What a reader that collects points offers :class:`Series`: a place for problems,
    and the text limit."""

    def problem(self, location: Location, message: str) -> None: ...

    def limited(self, text: str, location: Location) -> str: ...


class Series:
    """Points being collected, with the order checks every source of data shares (a
    data file, inline ``values`` and an imported JSON export's points)."""

    def __init__(self, reader: Reporter) -> None:
        self.reader = reader
        self.points: list[Point] = []
        self.kind = ""  # "month" or "day", from the first period
        self.full = False
        self.most = current().points
        #: where each period was first written (a row with a bad value too)
        self.seen: dict[str, Location] = {}

    def add(
        self,
        period: str,
        value: float | None,
        location: Location,
        period_location: Location,
        ratio: tuple[float, float] | None = None,
    ) -> None:
        if self.full:
            return
        problem = _check_period(period)
        if problem:
            if period.isdigit() and len(period) < 4:
                problem += " (if it is the decimals of a number like 61,5, write 61.5)"
            self.reader.problem(period_location, problem)
            return
        kind = "month" if MONTH.match(period) else "day"
        if self.kind and kind != self.kind:
            self.reader.problem(
                period_location,
                f"'{period}' is a {kind} but the periods before it are {self.kind}s;"
                " use one kind of period for a measure",
            )
            return
        self.kind = kind
        first = self.seen.setdefault(period, location)
        if first is not location:
            rows = "rows" if location.sheet else "lines"
            self.reader.problem(
                period_location,
                f"{period} appears twice: {rows} {first.line} and {location.line};"
                " each period has one value (remove one of them, or correct its period)",
            )
            return
        if self.points:
            last = self.points[-1]
            if period_date(period) < last.date:
                self.reader.problem(
                    period_location,
                    f"periods out of order: {period} comes after {last.period};"
                    " put the periods in time order",
                )
                return
        if len(self.points) == self.most:
            self.reader.problem(
                location,
                f"a measure can have at most {self.most:,} points; a run chart of more"
                " cannot be read (sum the data by week or month)",
            )
            self.full = True
            return
        top, bottom = ratio if ratio is not None else (None, None)
        self.points.append(Point(period, value, location, numerator=top, denominator=bottom))

    def note(self, text: str, location: Location | None = None) -> None:
        """The note of the point just added: shown as the drawing shows text, and no
        longer than the text limit (a longer one is reported at ``location`` and cut)."""
        text = visible(text)
        if location is not None:
            text = self.reader.limited(text, location)
        if self.points and text:
            last = self.points[-1]
            self.points[-1] = Point(
                last.period, last.value, last.location, text, last.numerator, last.denominator
            )


def _inline_values(reader: Walker, node: YamlNode, unit: str) -> list[Point]:
    """``values``: period -> number (empty when missing), or period -> {value, note},
    or, for a P or U chart, period -> {numerator, denominator, note} (the value is
    numerator / denominator, scaled by the unit as a data file's is)."""
    if not isinstance(node, Mapping):
        reader.problem(
            node.location,
            f"'values' should be a mapping of period: number, such as"
            f" '{{2026-01: 31, 2026-02: 29}}', not {describe(node)}",
        )
        return []
    series = Series(reader)
    for key, value in node.items:
        note = ""
        ratio: tuple[float, float] | None = None
        if isinstance(value, Mapping):
            allowed = ("value", "numerator", "denominator", "note")
            unknown = [inner for inner, _ in value.items if inner.value not in allowed]
            for inner in unknown:
                reader.unknown_key(inner, allowed, "a value")
            if unknown:
                continue  # one mistake, one message: the period is not read
            note_node = value.get("note")
            note = _text(reader, note_node, "'note'") or "" if note_node is not None else ""
            if "numerator" in value.keys or "denominator" in value.keys:
                found = _inline_ratio(reader, key, value, unit)
                if found is _BAD:
                    continue
                counted, ratio = found if isinstance(found, tuple) else (None, None)
                before = len(series.points)
                series.add((key.value or "").strip(), counted, key.location, key.location, ratio)
                if note and len(series.points) > before:
                    series.note(" ".join(note.split()))
                continue
            value = value.get("value") or Scalar(None, value.location)
        if not isinstance(value, Scalar):
            reader.problem(
                value.location,
                f"the value for {key.value} should be a number, not {describe(value)}",
            )
            continue
        number: float | None = None
        if (value.value or "").strip().lower() not in MISSING:
            parsed = _parse_number(value.value or "")
            if parsed is None or isinstance(parsed, str):
                reader.problem(
                    value.location,
                    f"the value for {key.value} should be a number, not {_quoted(value)}"
                    + (f"; {parsed}" if isinstance(parsed, str) else "")
                    + " (leave it empty for a missing period)",
                )
                continue
            number = parsed
        before = len(series.points)
        series.add((key.value or "").strip(), number, key.location, key.location)
        if note and len(series.points) > before:
            series.note(" ".join(note.split()))
    return series.points


def _inline_ratio(
    reader: Walker, key: Scalar, value: Mapping, unit: str
) -> tuple[float, tuple[float, float]] | float | None:
    """An inline {numerator, denominator}: (value, (numerator, denominator)), None for
    a missing period (both empty), or ``_BAD`` after reporting a problem."""
    if "value" in value.keys:
        reader.problem(
            value.keys["value"].location,
            f"the value for {key.value} is its numerator / denominator; write 'value' or"
            " 'numerator' and 'denominator', not both",
        )
        return _BAD
    numbers: dict[str, float | None] = {}
    for part in ("numerator", "denominator"):
        node = value.get(part)
        text = (node.value or "").strip() if isinstance(node, Scalar) else ""
        if node is None or text.lower() in MISSING:
            numbers[part] = None
            continue
        parsed = _parse_number(text)
        if parsed is None or isinstance(parsed, str):
            reader.problem(
                node.location,
                f"the {part} for {key.value} should be a number, not {_quoted(node)}",
            )
            return _BAD
        numbers[part] = parsed
    top, bottom = numbers["numerator"], numbers["denominator"]
    if top is None and bottom is None:
        return None
    if top is None or bottom is None:
        reader.problem(
            value.location,
            f"write both the numerator and the denominator for {key.value}, or leave both"
            " empty for a missing period",
        )
        return _BAD
    if top < 0 or bottom < 0:
        reader.problem(
            value.keys["numerator" if top < 0 else "denominator"].location,
            f"a count cannot be negative ({key.value}); write the numerator and"
            " denominator as counted",
        )
        return _BAD
    if bottom == 0:
        reader.problem(
            value.keys["denominator"].location,
            f"the denominator for {key.value} is 0; leave both empty for a period with"
            " nothing to count",
        )
        return _BAD
    number = top / bottom * multiplier(unit)
    if not abs(number) <= LARGEST:
        reader.problem(
            value.location,
            f"numerator / denominator is {number:g}, too large to chart; check the units",
        )
        return _BAD
    return number, (top, bottom)


def _read_data(
    reader: Walker, node: Scalar, unit: str, layout: Layout, sheet: str = ""
) -> tuple[list[Point], str, str]:
    """The points in a data file, the file's real path and the hash of what was read
    (so a batch knows exactly which data a drawing shows)."""
    written = (node.value or "").strip()
    draft = reader.draft
    if draft.data == "none":
        return [], "", ""
    if draft.revision is not None:
        return _read_revision(reader, node, written, draft.revision, unit, layout, sheet)
    if draft.base_dir is None:
        reader.problem(
            node.location,
            f"data file {excerpt(written, 80)} is not read: this diagram was given as text,"
            " with no folder to read it from (load the file, or pass loads() a base folder)",
        )
        return [], "", ""
    path = os.path.normpath(os.path.join(draft.base_dir, written))
    real = os.path.realpath(path)
    if real in draft.data_bytes:  # the data an edit is about to write
        return _points(
            reader, node, written, draft.data_bytes[real], path, real, unit, layout, sheet
        )
    if not os.path.lexists(path) and draft.data == "optional":
        _unread(
            reader,
            node,
            f"data file {excerpt(written, 80)} not found; its measure is shown without data",
        )
        return [], "", ""
    data = _data_bytes(reader, node, written, path)
    if data is None:
        return [], "", ""
    return _points(reader, node, written, data, path, os.path.realpath(path), unit, layout, sheet)


def _read_revision(
    reader: Walker,
    node: Scalar,
    written: str,
    revision: Revision,
    unit: str,
    layout: Layout,
    sheet: str,
) -> tuple[list[Point], str, str]:
    """The points in a data file at the diagram's git revision, beside the diagram
    there: never the file on disk today, which may hold later data."""
    shown = excerpt(written, 80)
    beside = revision.beside(written)
    if beside is None:
        reader.problem(
            node.location,
            f"data file {shown} is outside the git repository, so it cannot be read at"
            f" {excerpt(revision.rev)}; keep the data in the repository, beside the diagram",
        )
        return [], "", ""
    try:
        data = show_revision(beside, name=reader.draft.path, what=f"data file {shown}")
    except InvalidDiagram as error:
        message = error.problems[0].message
        if reader.draft.data == "optional" and " is not in " in message:
            _unread(reader, node, f"{message}; its measure is shown without data")
        else:
            reader.problem(node.location, message)
        return [], "", ""
    return _points(reader, node, written, data, beside.spec, beside.spec, unit, layout, sheet)


def _unread(reader: Walker, node: Scalar, message: str) -> None:
    """Note a data file left out (once per file: several measures may share one)."""
    if all(note.message != message for note in reader.draft.unread):
        reader.draft.unread.append(Problem(node.location, message, severity="note"))


def _points(
    reader: Walker,
    node: Scalar,
    written: str,
    data: bytes,
    path: str,
    real: str,
    unit: str,
    layout: Layout,
    sheet: str,
) -> tuple[list[Point], str, str]:
    """The points in a data file's bytes, read from ``path`` (as messages name it)."""
    import hashlib  # only for a diagram with data files

    digest = hashlib.sha256(data).hexdigest()
    if len(data) > current().file_bytes:
        reader.problem(
            node.location,
            f"data file {excerpt(written)} is larger than {megabytes(current().file_bytes)};"
            " a measure's data is a few kilobytes (raise the limit with --max-file-mb)",
        )
        return [], real, digest
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or written.lower().endswith(
        WORKBOOK_SUFFIXES
    ):
        return _workbook_points(reader, data, path, unit, layout, sheet), real, digest
    if sheet:
        reader.problem(
            node.location,
            f"the measure names a 'sheet', but data file {excerpt(written)} is CSV, which has"
            " no sheets; remove 'sheet', or point 'data' at the workbook",
        )
        return [], real, digest
    try:
        text, note = decode_csv(data, path)  # Excel's Windows-1252 too, with a note
    except InvalidDiagram as error:
        reader.draft.problems.extend(error.problems)
        return [], real, digest
    if note is not None:
        reader.draft.warnings.append(note)
    return _parse_csv(reader, text, path, unit, layout), real, digest


#: The names of workbooks a measure's data may be (a file whose bytes are a workbook's
#: is read as one whatever its name).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def _workbook_points(
    reader: Walker, data: bytes, path: str, unit: str, layout: Layout, sheet: str
) -> list[Point]:
    """The points in a sheet of a workbook (its first unless ``sheet`` names one), read
    as a CSV file is: the same headings, title rows and dates, each problem at its cell
    (``data/counts.xlsx:Sheet1!B7``). A number shown as a percentage (0.0%) is read as
    the percentage it shows (8.6, not 0.086)."""
    from .workbook import read_sheet  # here: most diagrams' data are CSV

    try:
        title, cells = read_sheet(data, sheet or None, name=path)
    except InvalidDiagram as error:
        reader.draft.problems.extend(error.problems)
        return []
    shown = title
    rows: list[TableRow] = []
    for number, row in enumerate(cells, start=1):
        if not row:
            continue

        def here(index: int, number: int = number) -> Location:
            return Location(path, number, index + 1, shown)

        formats = [cell.number_format for cell in row]
        values = [
            _workbook_value(cell.value, form) for cell, form in zip(row, formats, strict=True)
        ]
        rows.append((number, values, here, formats))
    return _table(reader, rows, path, unit, layout)


def _workbook_value(value: CellValue, number_format: str) -> CellValue:
    shown_as_percent = "%" in re.sub(r'"[^"]*"|\\.', "", number_format)
    if isinstance(value, int | float) and not isinstance(value, bool) and shown_as_percent:
        return round(value * 100, 10)
    return value


def _data_bytes(reader: Walker, node: Scalar, written: str, path: str) -> bytes | None:
    """The bytes of a data file (one more than the limit, at most), or None after
    reporting why it cannot be read.

    Only a regular file inside the diagram's folder, or inside the git repository
    that holds it, is read, unless the user allowed more (--allow-outside-data):
    a diagram someone sent must not be able to chart /etc/passwd or ~/.ssh.
    """

    shown = excerpt(written, 80)
    if not os.path.lexists(path):
        looked = f" (looked for {one_line(path)})" if path != written else ""
        reader.problem(
            node.location,
            f"data file {shown} not found{looked}; the path is relative to the diagram file",
        )
        return None
    if not current().outside_data and outside(path, roots(reader.draft.base_dir or ".")):
        reader.problem(
            node.location,
            f"data file {shown} is outside the diagram's folder (and its git repository),"
            " so it is not read: a diagram should carry its data with it. Move the file"
            " into the diagram's folder, or, if you trust this diagram, run with"
            " driverdiagram --allow-outside-data",
        )
        return None
    try:
        return read_bytes(path, name=written)
    except InvalidDiagram as error:
        reason = error.problems[0].message
        if reason == "is a folder, not a file":
            reason = "is a folder, not a CSV file"
        reader.problem(node.location, f"data file {shown} {reason}")
    return None


@dataclass(frozen=True)
class Layout:
    """How a measure's data file is laid out, as the measure says: the heading of each
    column it names (``columns:``, period/value/numerator/denominator/note -> the
    heading), with where that is written, and how dates like 01/09/2025 read
    (``dates: dmy | mdy``)."""

    columns: tuple[tuple[str, str], ...] = ()
    columns_at: Location | None = None
    dates: str = ""

    def heading(self, role: str) -> str:
        """The heading, as matched, of a column: its name unless ``columns:`` says."""
        return _heading(dict(self.columns).get(role, role))


#: A cell of a data table: text from a CSV file; a workbook's typed value.
CellValue = str | int | float | bool | dt.date | None
Locate = Callable[[int], Location]  # the location of a cell of the current row
#: A row of a data table: its line (a workbook's row), its cells, where each cell is,
#: and a workbook cell's number format (a CSV file's are "").
TableRow = tuple[int, list[CellValue], Locate, list[str]]
_BAD = -math.inf  # a value reported as wrong (never a real value: those are finite)
#: The columns a data file may have, in the order they are shown.
ROLES = ("period", "value", "numerator", "denominator", "note")
#: How many rows above the headings may be titles (a report's heading, a blank line).
TITLE_ROWS = 20


def _heading(cell: CellValue) -> str:
    """A heading as it is matched: spaces as one, the case not minded."""
    return " ".join(str(cell if cell is not None else "").split()).casefold()


def _parse_csv(reader: Walker, text: str, path: str, unit: str, layout: Layout) -> list[Point]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac line ends
    lines = text.split("\n")
    filled = [line for line in lines if line.strip()]
    if not filled:
        reader.problem(
            Location(path, 1, 1),
            "the data file is empty; write a header row 'period,value' and a row per period",
        )
        return []
    delimiter = _delimiter(filled[:TITLE_ROWS], layout)
    csv_rows = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    rows: list[TableRow] = []
    ended = 0  # the line the previous row ended on
    while True:
        try:
            row = next(csv_rows)
        except StopIteration:
            break
        except csv.Error as error:
            began = ended + 1
            where = (
                f"lines {began} to {csv_rows.line_num}"
                if csv_rows.line_num > began
                else "this line"
            )
            reader.problem(
                Location(path, began, 1),
                f'{where} cannot be read as CSV ({error}); check the quotes ("): a note'
                " in quotes must end with a quote, and a quote inside it is written twice",
            )
            break
        line, began = csv_rows.line_num, ended + 1
        ended = line
        if not any(cell.strip() for cell in row):
            continue
        if line != began:
            reader.problem(
                Location(path, began, 1),
                f'a cell starts with a quote (") on line {began} that only closes on line'
                f" {line}; every period must be on one line (close the quote, or remove it)",
            )
            break
        raw = lines[line - 1] if line - 1 < len(lines) else ""
        starts = _cell_columns(raw, delimiter, len(row))

        def here(cell: int, line: int = line, starts: list[int] = starts) -> Location:
            return Location(path, line, starts[cell] if cell < len(starts) else 1)

        rows.append((line, [cell.strip() for cell in row], here, []))
    extra = f" put a note that contains '{delimiter}' in quotes (\"...\")"
    return _table(reader, rows, path, unit, layout, delimiter != ",", extra)


def _delimiter(lines: list[str], layout: Layout) -> str:
    """The character between the columns: the one that splits a line of the file's
    first ones into its headings (titles may be above them), else the one the first
    line has most of (';' is what Excel writes in many locales; a tab, a sheet saved
    as .tsv; a tie is ',')."""
    known = {layout.heading(role) for role in ROLES}
    for line in lines:
        for delimiter in (",", ";", "\t"):
            if line.count(delimiter) and layout.heading("period") in {
                _heading(cell) for cell in line.split(delimiter)
            }:
                return delimiter
    for line in lines:
        for delimiter in (",", ";", "\t"):
            if (
                line.count(delimiter)
                and len(known & {_heading(c) for c in line.split(delimiter)}) > 1
            ):
                return delimiter
    first = lines[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    return delimiter if first.count(delimiter) else ","


def _cell_columns(raw: str, delimiter: str, count: int) -> list[int]:
    """The 1-based column where each cell of a CSV line starts (1 for all when quoted)."""
    if '"' in raw:
        return [1] * count
    starts = [1]
    for index, char in enumerate(raw):
        if char == delimiter:
            starts.append(index + 2)
    return starts


def _cell_text(value: CellValue) -> str:
    """A cell as text (a workbook's number as the number it is)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _table(
    reader: Walker,
    rows: list[TableRow],
    path: str,
    unit: str,
    layout: Layout,
    decimal_comma: bool = False,
    extra: str = "",
) -> list[Point]:
    """The points of a data table (a CSV file's rows, or a workbook sheet's): its
    headings found under any title rows, mapped by the measure's ``columns:``, its
    periods in any of the forms :mod:`.dates` reads."""
    rows = [row for row in rows if any(_cell_text(cell) for cell in row[1])]
    if not rows:
        reader.problem(
            Location(path, 1, 1),
            "the data file is empty; write a header row 'period,value' and a row per period",
        )
        return []
    found = _header(reader, rows, path, layout)
    if found is None:
        return []
    start, columns = found
    header = rows[start]
    width = len(header[1])
    data = rows[start + 1 :]
    periods = _periods(reader, data, columns["period"], layout)
    if periods is None:
        return []
    series = Series(reader)
    for (_line, cells, here, _formats), period in zip(data, periods, strict=True):
        if len(cells) > width and any(_cell_text(cell) for cell in cells[width:]):
            reader.problem(
                here(width),
                f"this row has {len(cells)} cells but the header names {width};{extra}"
                if extra
                else f"this row has a value beyond the last heading (column {width}); give"
                " its column a heading the measure names, or remove it",
            )
            continue
        cells = cells + [None] * (width - len(cells))
        period_at = here(columns["period"])
        if isinstance(period, Problem):
            reader.problem(period.location, period.message)
            continue
        value, ratio = _row_value(reader, cells, columns, here, unit, decimal_comma)
        if value is _BAD:
            series.seen.setdefault(period, here(0))  # a later repeat is still a repeat
            continue
        before = len(series.points)
        series.add(period, value, here(0), period_at, ratio)
        if "note" in columns and len(series.points) > before:
            series.note(" ".join(_cell_text(cells[columns["note"]]).split()), here(columns["note"]))
    if not series.points and not reader.draft.problems:
        reader.problem(Location(path, 1, 1), "the data file has a header row but no data rows")
    return series.points


def _looks_like_data(row: TableRow) -> bool:
    """Whether a row holds a period in some cell (so it is a data row, not headings)."""
    return any(
        isinstance(cell, dt.date) or isinstance(read_period(_cell_text(cell), "dmy"), Period)
        for cell in row[1]
    )


def _header(
    reader: Walker, rows: list[TableRow], path: str, layout: Layout
) -> tuple[int, dict[str, int]] | None:
    """The index of the heading row and the column of each role, or None after
    reporting why there is none that will do. The heading row is the first to name the
    period column; failing that, the row above the first row of data. Rows above it are
    titles, passed over."""
    period = layout.heading("period")
    start = next(
        (
            index
            for index, row in enumerate(rows[:TITLE_ROWS])
            if period in {_heading(cell) for cell in row[1]}
        ),
        None,
    )
    if start is None:
        first_data = next(
            (index for index, row in enumerate(rows[: TITLE_ROWS + 1]) if _looks_like_data(row)),
            None,
        )
        if first_data == 0:
            reader.problem(
                rows[0][2](0),
                "the first row should name the columns; add a header row 'period,value'"
                " (or 'period,numerator,denominator') above the data"
                if not layout.columns
                else f"the data has no heading row; add one above the data, with the headings"
                f" 'columns:' names ({_listed([h for _, h in layout.columns])})",
            )
            return None
        start = first_data - 1 if first_data is not None else 0
    _line, cells, here, _formats = rows[start]
    headings = [_heading(cell) for cell in cells]
    columns: dict[str, int] = {}
    for role in ROLES:
        wanted = layout.heading(role)
        if wanted in headings:
            columns[role] = headings.index(wanted)
    named = dict(layout.columns)
    missing = [role for role in named if role not in columns]
    if missing:
        where = layout.columns_at or here(0)
        written = [_cell_text(cell) for cell in cells if _cell_text(cell)]
        names = " and ".join(
            f"the {role} column {excerpt(named[role], 24)}"
            + suggest(named[role], written, cutoff=0.75)
            for role in missing
        )
        reader.problem(
            where,
            f"'columns' names {names}, but the data's headings ({_place(here(0))}) are"
            f" {_listed(written)}; write the headings as the file has them",
        )
        return None
    taken = set(columns.values())
    unknown = [index for index, heading in enumerate(headings) if heading and index not in taken]
    if unknown and not layout.columns:
        reader.problem(here(unknown[0]), _unknown_headings(rows, start, unknown, columns))
        return None
    if "period" not in columns:
        reader.problem(
            here(0),
            "the first row should name the columns: period,value[,note] or"
            " period,numerator,denominator[,note]",
        )
        return None
    has_value = "value" in columns
    has_ratio = "numerator" in columns and "denominator" in columns
    if has_value == has_ratio or ("numerator" in columns) != ("denominator" in columns):
        reader.problem(
            here(0),
            "the columns should be period,value[,note] or period,numerator,denominator[,note]"
            + (" (say which is which with 'columns:')" if layout.columns else ""),
        )
        return None
    return start, columns


def _listed(words: list[str]) -> str:
    shown = [excerpt(word, 24) for word in words[:12]]
    if len(words) > 12:
        shown.append(f"{len(words) - 12} more")
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _unknown_headings(
    rows: list[TableRow], start: int, unknown: list[int], columns: dict[str, int]
) -> str:
    """Every heading driverdiagram does not know, each with a guess at what it meant,
    and a ``columns:`` to paste that names them."""
    cells = rows[start][1]
    written = [_cell_text(cells[index]) for index in unknown]
    shown = [excerpt(heading, 24) + suggest(_heading(heading), ROLES) for heading in written]
    plural = len(shown) > 1
    listed = (", ".join(shown[:-1]) + " and " + shown[-1]) if plural else shown[0]
    mapping = _guess_columns(rows, start, unknown, columns)
    # an example quotes headings whole, so only short, visible ones: a message never
    # carries much of a file that failed a check
    plain = all(len(heading) <= 40 and one_line(heading) == heading for _, heading in mapping)
    example = (
        "columns: {" + ", ".join(f"{role}: {_yaml_text(h)}" for role, h in mapping) + "}"
        if mapping and plain
        else ""
    )
    return (
        f"unknown column{'s' if plural else ''} {listed}; the columns are period, value,"
        " numerator, denominator and note: rename "
        + ("them" if plural else "it")
        + " in the file, or say which column is which in the measure"
        + (f", for example (check the guess): {example}" if example else " with 'columns:'")
    )


def _guess_columns(
    rows: list[TableRow], start: int, unknown: list[int], columns: dict[str, int]
) -> list[tuple[str, str]]:
    """A guess at the ``columns:`` a file with unknown headings needs: the period
    from the first data row's period, the numbers in order (one a value, two a
    numerator and a denominator), a text column the note."""
    cells = rows[start][1]
    sample = rows[start + 1][1] if start + 1 < len(rows) else []

    def at(index: int) -> CellValue:
        return sample[index] if index < len(sample) else None

    guess: dict[str, int] = {}
    free = list(unknown)
    if "period" not in columns:
        dated = [
            index
            for index in free
            if isinstance(at(index), dt.date)
            or isinstance(read_period(_cell_text(at(index)), "dmy"), Period)
        ]
        guess["period"] = (dated or free)[0]
        free.remove(guess["period"])
    numbers = [
        index
        for index in free
        if isinstance(at(index), int | float)
        or isinstance(_parse_number(_cell_text(at(index))), float)
    ]
    if not ({"value", "numerator", "denominator"} & set(columns)):
        if len(numbers) == 1:
            guess["value"] = numbers[0]
        elif len(numbers) >= 2:
            guess["numerator"], guess["denominator"] = numbers[0], numbers[1]
    texts = [index for index in free if index not in guess.values() and index not in numbers]
    if "note" not in columns and texts:
        guess["note"] = texts[0]
    return [(role, _cell_text(cells[guess[role]])) for role in ROLES if role in guess]


def _yaml_text(text: str) -> str:
    """A heading as it is written inside ``{...}`` in YAML: quoted when it must be."""
    if re.fullmatch(r"[A-Za-z][\w .()%/-]*", text) and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def _periods(
    reader: Walker, data: list[TableRow], column: int, layout: Layout
) -> list[str | Problem] | None:
    """The period of each data row (or the problem with it), in the forms a
    spreadsheet writes; None after reporting why the dates cannot be read at all.

    Dates like 01/09/2025 read by the measure's ``dates:``, else by a date in the file
    that shows its order (15/09/2025). Dates that are all the first of a month, when
    any is not written 2025-09-01, are months: a sheet of months shown as dates."""
    order = layout.dates
    if not order:
        shown: dict[str, Location] = {}
        for _line, cells, here, _formats in data:
            if column < len(cells) and isinstance(cells[column], str):
                found = order_shown(str(cells[column]))
                if found is not None and found not in shown:
                    shown[found] = here(column)
        if len(shown) == 2:
            first, second = sorted(shown.items(), key=lambda item: item[1])
            reader.problem(
                second[1],
                f"this date is written {_ORDER_WORDS[second[0]]}, but the one on"
                f" {_place(first[1])} is {_ORDER_WORDS[first[0]]}; write every date the same"
                " way, and say which in the measure with 'dates: dmy' or 'dates: mdy'",
            )
            return None
        order = next(iter(shown), "")
    read: list[Period | Problem] = []
    for _line, cells, here, formats in data:
        cell = cells[column] if column < len(cells) else None
        where = here(column)
        if isinstance(cell, dt.date):
            number_format = formats[column] if column < len(formats) else ""
            read.append(date_period(cell, number_format))
            continue
        text = _cell_text(cell)
        period = read_period(text, order)
        if period == "ambiguous":
            reader.problem(
                where,
                f"{excerpt(text)} could be read day first or month first; say which in the"
                " measure: 'dates: dmy' (day first, 01/09/2025 is 1 September, as in the UK)"
                " or 'dates: mdy' (month first, as in the US)",
            )
            return None
        if isinstance(period, str):
            problem = _check_period(text) or f"{excerpt(text)} is not a period"
            if period:
                problem = f"{excerpt(text)} is not a period; {period}"
            elif text.isdigit() and len(text) < 4:
                problem += " (if it is the decimals of a number like 61,5, write 61.5)"
            read.append(Problem(where, problem))
            continue
        read.append(period)
    days = [period.day for period in read if isinstance(period, Period) and period.day]
    months = (
        bool(days)
        and all(day.day == 1 for day in days)
        and any(
            isinstance(period, Period) and period.day and not period.written_iso for period in read
        )
    )
    return [
        period
        if isinstance(period, Problem)
        else (period.text[:7] if months and period.day else period.text)
        for period in read
    ]


_ORDER_WORDS = {"dmy": "day first", "mdy": "month first"}


def _place(location: Location) -> str:
    if location.sheet:
        return f"row {location.line}"
    return f"line {location.line}"


def _row_value(
    reader: Walker,
    cells: list[CellValue],
    columns: dict[str, int],
    locate: Locate,
    unit: str,
    decimal_comma: bool,
) -> tuple[float | None, tuple[float, float] | None]:
    """The row's value (None when missing, ``_BAD`` after reporting a problem) and its
    numerator and denominator when it has them."""

    def number(column: str) -> float | None:
        cell = cells[columns[column]]
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            parsed: float | str | None = _parse_number(repr(float(cell)))
        else:
            text = _cell_text(cell)
            if text.lower() in MISSING:
                return None
            parsed = _parse_number(text, decimal_comma)
        if parsed is None or isinstance(parsed, str):
            reader.problem(
                locate(columns[column]),
                f"{excerpt(_cell_text(cell), 24)} in the {column} column is not a number"
                + (f"; {parsed}" if isinstance(parsed, str) else "")
                + " (leave it empty for a missing period)",
            )
            return _BAD
        return parsed

    if "value" in columns:
        return number("value"), None
    numerator, denominator = number("numerator"), number("denominator")
    return ratio_value(
        reader,
        numerator,
        denominator,
        unit,
        locate(columns["numerator"]),
        locate(columns["denominator"]),
    )


def ratio_value(
    reporter: Reporter,
    numerator: float | None,
    denominator: float | None,
    unit: str,
    numerator_at: Location,
    denominator_at: Location,
) -> tuple[float | None, tuple[float, float] | None]:
    """A period's value from its numerator and denominator (each None when missing,
    ``_BAD`` when already reported), as a data file and a JSON export read them: both
    missing is a missing period; one alone, a denominator of 0 or a value too large
    to chart is reported (the value is then ``_BAD``)."""
    if numerator is _BAD or denominator is _BAD:
        return _BAD, None
    if numerator is None and denominator is None:
        return None, None
    if numerator is None or denominator is None:
        reporter.problem(
            numerator_at if numerator is None else denominator_at,
            "write both the numerator and the denominator, or leave both empty for a"
            " missing period",
        )
        return _BAD, None
    if numerator < 0 or denominator < 0:
        reporter.problem(
            numerator_at if numerator < 0 else denominator_at,
            "a count cannot be negative; write the numerator and denominator as counted",
        )
        return _BAD, None
    if denominator == 0:
        reporter.problem(
            denominator_at,
            "the denominator is 0; leave both empty for a period with nothing to count",
        )
        return _BAD, None
    value = numerator / denominator * multiplier(unit)
    if not abs(value) <= LARGEST:
        reporter.problem(
            numerator_at,
            f"numerator / denominator is {value:g}, too large to chart; check the units",
        )
        return _BAD, None
    return value, (numerator, denominator)


# -- PDSA cycles -------------------------------------------------------------


def read_cycles(reader: Walker, node: YamlNode, change: str) -> list[Cycle]:
    """The ``pdsa`` list of a change idea, numbered in date order."""
    found: list[Cycle] = []
    for item in reader.entries(node, "pdsa", "PDSA cycle"):
        if not isinstance(item, Mapping):
            reader.problem(
                item.location,
                f"each PDSA cycle should be a mapping with at least 'start:', not {describe(item)}",
            )
            continue
        cycle = _cycle(reader, item, change)
        if cycle is not None:
            found.append(cycle)
    return numbered(found)


def numbered(cycles: list[Cycle]) -> list[Cycle]:
    """A change idea's cycles in date order, numbered 1, 2 ... (same-day cycles keep
    the order they are written in)."""
    found = sorted(cycles, key=lambda cycle: cycle.start)
    return [
        Cycle(**{**cycle.__dict__, "number": number}) for number, cycle in enumerate(found, start=1)
    ]


def _cycle(reader: Walker, item: Mapping, change: str) -> Cycle | None:
    fields: dict[str, object] = {}
    start: dt.date | None = None
    end_node: YamlNode | None = None
    for key, value in item.items:
        name = key.value or ""
        if name in CYCLE_TEXT_KEYS:
            text = _text(reader, value, f"the cycle's '{name}'")
            if text:
                fields[name] = text
        elif name == "start":
            start = read_date(reader, value, "start")
        elif name == "end":
            fields["end"] = read_date(reader, value, "end")
            end_node = value
        elif name == "due":
            fields["due"] = read_date(reader, value, "due")
        elif name == "act":
            act = _choice(reader, value, "act", [member.value for member in Act])
            if act:
                fields["act"] = Act(act)
        elif name == "measures":
            named = _measure_refs(reader, value)
            fields["measures"] = tuple(measure_id for measure_id, _ in named)
            reader.draft.measure_refs.extend(named)
        else:
            reader.unknown_key(key, CYCLE_KEYS, "a PDSA cycle")
    if "start" not in item.keys:
        reader.problem(
            item.location, "this PDSA cycle has no 'start'; add 'start: 2026-09-01' (its first day)"
        )
        return None
    if start is None:
        return None
    end = fields.get("end")
    if isinstance(end, dt.date) and end < start and end_node is not None:
        reader.problem(
            end_node.location,
            f"the cycle ends ({end}) before it starts ({start}); check the dates",
        )
    return Cycle(change=change, number=0, start=start, location=item.location, **fields)  # type: ignore[arg-type]


def read_date(reader: Walker, node: YamlNode, key: str) -> dt.date | None:
    """The day written as ``2026-09-01`` (a located problem and None otherwise)."""
    text = node.value.strip() if isinstance(node, Scalar) and node.value else ""
    if DAY.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            reader.problem(node.location, f"'{text}' is not a real date")
            return None
    reader.problem(
        node.location,
        f"'{key}' should be a date written as 2026-09-01, not {_quoted(node)}",
    )
    return None


def _measure_refs(reader: Walker, node: YamlNode) -> list[tuple[str, Location]]:
    if isinstance(node, Scalar) and node.value:
        items: list[YamlNode] = [node]
    elif isinstance(node, Sequence):
        items = node.items
    else:
        reader.problem(
            node.location,
            f"'measures' of a cycle should be a list of measure ids such as [falls-rate],"
            f" not {_quoted(node)}",
        )
        return []
    found = []
    for item in items:
        if isinstance(item, Scalar) and (item.value or "").strip():
            found.append(((item.value or "").strip(), item.location))
        else:
            reader.problem(item.location, f"a measure id should be text, not {_quoted(item)}")
    return found
