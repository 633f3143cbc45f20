"""Two versions of a diagram -> what changed, in a coach's words.

Boxes are matched between the versions in three passes:

1. by ``id``, for boxes that have one written in both versions;
2. then by identical text (spaces aside) at the same level;
3. then by similar text at the same level (difflib ratio of at least 0.6), the
   most similar pairs first, ties in document order. In a large diagram (more than
   EVERY_PAIR pairs of unmatched boxes at a level) a box is compared only with the
   PARTNERS boxes that share most of its uncommon words, and after BUDGET
   comparisons the boxes left are added and removed: a diff takes seconds, and the
   same two files always give the same answer.

A matched box whose text differs is *reworded*; one whose first parent (where it
is written) is another box is *moved*. Unmatched boxes are *added* or
*removed*. Links are compared through the matching.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import Location
from .measures.words import number as shown_number
from .measures.words import verdict_of
from .model import Cycle, Diagram, Level, Link, Measure, Node, Point
from .text import fence, json_text, markdown, one_line, visible

SIMILAR = 0.6

#: The kinds of change, in the order they are reported.
KINDS = (
    "aim",
    "title",
    "team",
    "updated",
    "labels",
    "added",
    "removed",
    "reworded",
    "moved",
    "link-added",
    "link-removed",
    "strength",
    "status",
    "owner",
    "due",
    "notes",
    "measure-added",
    "measure-removed",
    "measure-changed",
    "data",
    "verdict",
    "cycle-added",
    "cycle-removed",
    "cycle-changed",
    "cycle-act",
)

#: A measure's fields a team discusses when they change, with their names in a summary.
MEASURE_FIELDS = {
    "name": "name",
    "short": "short label",
    "type": "type",
    "definition": "definition",
    "unit": "unit",
    "direction": "direction",
    "target": "target",
    "baseline": "baseline",
    "chart": "chart",
    "rules": "rules",
    "exclude": "excluded periods",
    "phases": "phases",
    "screen": "moving-range screening",
    "data": "data file",
    "sheet": "sheet",
    "columns": "data columns",
    "dates": "order of the data's dates",
}

#: A PDSA cycle's fields, in the order a cycle is written (its act is told on its own):
#: readers.measures.CYCLE_KEYS without act, written out so that ``--help``, which
#: lists diff's formats, loads no reader (tests/test_diff.py keeps the two the same).
CYCLE_FIELDS = (
    "name",
    "start",
    "end",
    "objective",
    "prediction",
    "plan",
    "do",
    "study",
    "measures",
    "owner",
    "due",
)

#: At most this many periods are named in one summary of changed or removed data;
#: new points are listed with their values up to NEW_SHOWN, else as a span of periods.
PERIODS_SHOWN = 6
NEW_SHOWN = 3


@dataclass(frozen=True)
class Change:
    kind: str
    text: str  # one line for a person
    details: dict[str, Any] = field(default_factory=dict, compare=False)


def match(old: Diagram, new: Diagram) -> dict[str, str]:
    """Old box id -> new box id, for the boxes that are the same box in both."""
    pairs: dict[str, str] = {old.aim.id: new.aim.id}
    new_ids = {node.id for node in new.nodes if not node.generated_id}
    for node in old.nodes:
        if not node.generated_id and node.id in new_ids and node.level != Level.AIM:
            pairs[node.id] = node.id
    taken = set(pairs.values())

    def free_old() -> list[Node]:
        return [node for node in old.nodes if node.id not in pairs]

    def free_new() -> list[Node]:
        return [node for node in new.nodes if node.id not in taken]

    by_text: dict[tuple[Level, str], list[Node]] = {}
    for node in free_new():
        by_text.setdefault((node.level, _words(node.text)), []).append(node)
    for node in free_old():
        candidates = by_text.get((node.level, _words(node.text)))
        if candidates:
            other = candidates.pop(0)
            pairs[node.id] = other.id
            taken.add(other.id)
    for a, b in _similar(free_old(), free_new()):
        if a.id not in pairs and b.id not in taken:
            pairs[a.id] = b.id
            taken.add(b.id)
    return pairs


#: Below this many pairs of boxes at one level, every pair is compared (the cheap
#: upper bounds first); above it, only each box's likeliest partners are.
EVERY_PAIR = 10_000
#: How many likely partners a new box is compared with, in a large diagram.
PARTNERS = 12
#: How many boxes each side of its place in the file a box is also compared with.
NEARBY = 2
#: A word (or run of words) in more boxes than this says little about which box is
#: which; it is not used to find partners.
COMMON = 60
#: How many postings of its words one box looks through for partners (its rarest
#: words first).
LOOKS = 300
#: The most work one diff spends comparing texts, in characters compared: difflib's
#: quick ratio costs the length of the old text, its full ratio about ten times the
#: two lengths. About three seconds' worth; past it, the boxes not yet compared are
#: added and removed rather than matched, so two files of 20,000 boxes take seconds,
#: not hours, and the same files always give the same answer.
BUDGET = 20_000_000


def _similar(olds: list[Node], news: list[Node]) -> list[tuple[Node, Node]]:
    """Pairs of boxes at the same level whose texts are similar (difflib ratio of at
    least SIMILAR), most similar first, ties in document order.

    Where a level has few enough boxes, every pair is considered, so this is exactly
    the all-pairs rule; the quick ratios (upper bounds of the ratio) only skip pairs
    that could not reach it. In a large diagram each new box is compared with the
    old boxes that share most of its less common words, at most PARTNERS of them.
    Either way the comparisons stop when the BUDGET is spent (levels left to right,
    new boxes in file order).
    """
    scored: list[tuple[float, int, int, Node, Node]] = []
    budget = BUDGET
    for level in Level:
        these = [(i, a) for i, a in enumerate(olds) if a.level == level]
        those = [(j, b) for j, b in enumerate(news) if b.level == level]
        if not these or not those:
            continue
        if len(these) * len(those) <= EVERY_PAIR:
            partners = [these] * len(those)
        else:
            partners = _likely_partners(those, these)
        for (j, b), candidates in zip(those, partners, strict=True):
            # difflib indexes its second text: the new box's, once for all its partners
            theirs = _words(b.text)
            matcher = difflib.SequenceMatcher(None, "", theirs)
            for i, a in candidates:
                mine = _words(a.text)
                budget -= len(mine)
                if budget < 0:
                    break
                matcher.set_seq1(mine)
                if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
                    continue  # upper bounds of the ratio: it cannot be similar enough
                budget -= 10 * (len(mine) + len(theirs))
                ratio = matcher.ratio()
                if ratio >= SIMILAR:
                    scored.append((-ratio, i, j, a, b))
    scored.sort(key=lambda item: item[:3])
    return [(a, b) for _, _, _, a, b in scored]


def _likely_partners(
    boxes: list[tuple[int, Node]], others: list[tuple[int, Node]]
) -> list[list[tuple[int, Node]]]:
    """For each box, the other boxes that share most of its uncommon words and runs of
    two or three words (at most PARTNERS, ties in document order), in document order.
    A box whose every word is common gets the NEARBY boxes at about its place in the
    other file (where a box reworded in place still is)."""
    index: dict[str, list[int]] = {}
    for position, (_, other) in enumerate(others):
        for token in _tokens(other.text):
            index.setdefault(token, []).append(position)
    found = []
    for number, (_, box) in enumerate(boxes):
        postings = [index[token] for token in _tokens(box.text) if token in index]
        postings = [each for each in postings if len(each) <= COMMON]
        postings.sort(key=len)  # rarest first; a stable sort, so ties keep the text's order
        shared: dict[int, int] = {}
        looked = 0
        for each in postings:
            looked += len(each)
            if looked > LOOKS:
                break
            for position in each:
                shared[position] = shared.get(position, 0) + 1
        best = sorted(shared, key=lambda position: (-shared[position], position))[:PARTNERS]
        if not best:  # every word is common: try the boxes at about the same place
            guess = number * len(others) // len(boxes)
            best = list(range(max(guess - NEARBY, 0), min(guess + NEARBY + 1, len(others))))
        found.append([others[position] for position in sorted(best)])
    return found


def _tokens(text: str) -> list[str]:
    """The words of a text (case and surrounding punctuation aside) and its runs of two
    and three words, each once, in the text's order: what two versions of a reworded
    box still share."""
    words = [word.strip(_PUNCTUATION) for word in text.casefold().split()]
    words = [word for word in words if word]
    pairs = [f"{one} {two}" for one, two in itertools.pairwise(words)]
    triples = [" ".join(words[start : start + 3]) for start in range(len(words) - 2)]
    return list(dict.fromkeys([*words, *pairs, *triples]))


_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u2018\u2019\u201c\u201d"


def compare(old: Diagram, new: Diagram) -> list[Change]:
    """Every change from ``old`` to ``new``, grouped by kind, in document order."""
    pairs = match(old, new)
    back = {b: a for a, b in pairs.items()}
    changes: list[Change] = []
    add = changes.append

    if _words(old.aim.text) != _words(new.aim.text):
        add(
            Change(
                "aim",
                f"aim reworded: {_q(old.aim.text)} -> {_q(new.aim.text)}",
                {"old": old.aim.text, "new": new.aim.text},
            )
        )
    for key in ("title", "team", "updated"):
        before, after = getattr(old, key), getattr(new, key)
        if before != after:
            add(
                Change(
                    key,
                    f"{key} changed: {_q(before) if before else '(none)'} -> "
                    f"{_q(after) if after else '(none)'}",
                    {"old": before, "new": after},
                )
            )
    for (key, before), (_, after) in zip(old.labels, new.labels, strict=True):
        if before != after:
            add(
                Change(
                    "labels",
                    f"column heading '{key}' changed: {_q(before)} -> {_q(after)}",
                    {"column": key, "old": before, "new": after},
                )
            )

    for node in new.nodes:
        if node.id not in back:
            parent = _first_parent(new, node.id)
            where = f" under {_q(new.node(parent).text)}" if parent else ""
            add(Change("added", f"added {node.level.noun} {_q(node.text)}{where}", _describe(node)))
    for node in old.nodes:
        if node.id not in pairs:
            add(Change("removed", f"removed {node.level.noun} {_q(node.text)}", _describe(node)))
    for node in new.nodes:
        if node.id in back:
            before = old.node(back[node.id])
            if _words(before.text) != _words(node.text) and node.level != Level.AIM:
                add(
                    Change(
                        "reworded",
                        f"reworded {node.level.noun}: {_q(before.text)} -> {_q(node.text)}",
                        {"id": node.id, "old": before.text, "new": node.text},
                    )
                )

    moved: set[tuple[str | None, str | None]] = (
        set()
    )  # (new parent, new child) links explained by a move
    gone: set[tuple[str, str]] = set()  # (old parent, old child) links explained by a move
    for node in new.nodes:
        if node.id not in back or node.level == Level.AIM:
            continue
        old_parent = _first_parent(old, back[node.id])
        new_parent = _first_parent(new, node.id)
        if old_parent is None or new_parent is None:
            continue
        if pairs.get(old_parent) != new_parent and not _linked(
            old, back, new_parent, back[node.id]
        ):
            add(
                Change(
                    "moved",
                    f"moved {node.level.noun} {_q(node.text)} from {_q(old.node(old_parent).text)}"
                    f" to {_q(new.node(new_parent).text)}",
                    {
                        "id": node.id,
                        "from": old.node(old_parent).text,
                        "to": new.node(new_parent).text,
                    },
                )
            )
            moved.add((new_parent, node.id))
            gone.add((old_parent, back[node.id]))

    old_links: dict[tuple[str | None, str | None], Link] = {
        (pairs.get(link.parent), pairs.get(link.child)): link for link in old.links
    }
    new_links: dict[tuple[str | None, str | None], Link] = {
        (link.parent, link.child): link for link in new.links
    }
    for pair, link in new_links.items():
        if (
            pair not in old_links
            and pair not in moved
            and link.parent in back
            and link.child in back
        ):
            add(
                Change(
                    "link-added",
                    f"{_q(new.node(link.child).text)} now also feeds"
                    f" {_q(new.node(link.parent).text)}",
                    {"parent": link.parent, "child": link.child},
                )
            )
    for link in old.links:
        matched = (pairs.get(link.parent), pairs.get(link.child))
        if matched in new_links or (link.parent, link.child) in gone:
            continue
        if link.parent in pairs and link.child in pairs:
            add(
                Change(
                    "link-removed",
                    f"{_q(old.node(link.child).text)} no longer feeds"
                    f" {_q(old.node(link.parent).text)}",
                    {"parent": pairs[link.parent], "child": pairs[link.child]},
                )
            )
    for pair, link in new_links.items():
        before_link = old_links.get(pair)
        if before_link is not None and before_link.strength != link.strength:
            add(
                Change(
                    "strength",
                    f"link {_q(new.node(link.parent).text)} -> {_q(new.node(link.child).text)}:"
                    f" {before_link.strength.value} -> {link.strength.value}",
                    {
                        "parent": link.parent,
                        "child": link.child,
                        "old": before_link.strength.value,
                        "new": link.strength.value,
                    },
                )
            )
    for node in new.nodes:
        if node.id in back and node.status is not None:
            before = old.node(back[node.id]).status
            if before is not None and before != node.status:
                add(
                    Change(
                        "status",
                        f"{_q(node.text)}: {before.value} -> {node.status.value}",
                        {"id": node.id, "old": before.value, "new": node.status.value},
                    )
                )
        if node.id in back and node.level == Level.CHANGE:
            changes += _assigned(old.node(back[node.id]), node)
    changes += _notes(old, new, back)
    changes += _measurement(old, new, pairs)
    return sorted(changes, key=lambda change: KINDS.index(change.kind))


def _assigned(before: Node, node: Node) -> list[Change]:
    """A change idea's owner or due date written, changed or taken out."""
    changes = []
    for key in ("owner", "due"):
        was_value, now_value = _field(before, key), _field(node, key)
        if was_value != now_value and (was_value or now_value):
            changes.append(
                Change(
                    key,
                    f"{_q(node.text)}: {key} {_shown(was_value)} -> {_shown(now_value)}",
                    {"id": node.id, "old": was_value or None, "new": now_value or None},
                )
            )
    return changes


def _measurement(old: Diagram, new: Diagram, pairs: dict[str, str]) -> list[Change]:
    """Measures added or removed, new or changed data, a new verdict, PDSA cycles
    started or decided. Measures are matched by id, cycles by change idea and start."""
    changes: list[Change] = []
    add = changes.append
    before = {measure.id: measure for measure in old.measures}
    after = {measure.id: measure for measure in new.measures}
    for measure in new.measures:
        if measure.id not in before:
            where = _q(new.node(measure.node).text)
            add(
                Change(
                    "measure-added",
                    f"added {measure.type.value} measure {_q(measure.name)} on {where}",
                    {"measure": measure.id, "box": measure.node},
                )
            )
    for measure in old.measures:
        if measure.id not in after:
            add(
                Change(
                    "measure-removed",
                    f"removed measure {_q(measure.name)}",
                    {"measure": measure.id},
                )
            )
    for measure in new.measures:
        earlier = before.get(measure.id)
        if earlier is None:
            continue
        for key, noun in MEASURE_FIELDS.items():
            was_value, now_value = _measure_field(earlier, key), _measure_field(measure, key)
            if was_value != now_value:
                add(
                    Change(
                        "measure-changed",
                        f"{_q(measure.name)}: {noun} {_shown(was_value)} -> {_shown(now_value)}",
                        {"measure": measure.id, "field": key, "old": was_value, "new": now_value},
                    )
                )
        data = _data_change(earlier, measure)
        if data is not None:
            add(data)
        was, now = verdict_of(earlier), verdict_of(measure)
        if was != now:
            add(
                Change(
                    "verdict",
                    f"{_q(measure.name)}: {was} -> {now}",
                    {"measure": measure.id, "old": was, "new": now},
                )
            )
    for earlier_cycle, cycle in _cycle_pairs(old, new, pairs):
        if earlier_cycle is None and cycle is not None:
            idea = _q(new.node(cycle.change).text)
            add(
                Change(
                    "cycle-added",
                    f"PDSA cycle {cycle.number} of {idea} ({cycle.start})"
                    + (f": {cycle.act.value}" if cycle.act else ""),
                    {"change": cycle.change, "start": cycle.start.isoformat()},
                )
            )
        elif cycle is None and earlier_cycle is not None:
            idea = _q(old.node(earlier_cycle.change).text)
            add(
                Change(
                    "cycle-removed",
                    f"removed PDSA cycle {earlier_cycle.number} of {idea} ({earlier_cycle.start})",
                    {
                        "change": pairs.get(earlier_cycle.change, earlier_cycle.change),
                        "start": earlier_cycle.start.isoformat(),
                    },
                )
            )
        elif cycle is not None and earlier_cycle is not None:
            changes += _cycle_changes(earlier_cycle, cycle, _q(new.node(cycle.change).text))
    return changes


def _cycle_pairs(
    old: Diagram, new: Diagram, pairs: dict[str, str]
) -> list[tuple[Cycle | None, Cycle | None]]:
    """The cycles of the two versions, matched within each change idea: by start date,
    then by name, then by number (a cycle whose start date was corrected is the same
    cycle); what is left was added or removed. In the new version's order, the
    removed after."""
    taken: set[int] = set()  # id() of the old cycles matched
    matched: dict[int, Cycle] = {}  # id(new cycle) -> old cycle
    rules: tuple[Callable[[Cycle], tuple[Any, ...] | None], ...] = (
        lambda c: ("start", c.start),
        lambda c: ("name", c.name) if c.name else None,
        lambda c: ("number", c.number),
    )
    for rule in rules:
        waiting: dict[tuple[Any, ...], list[Cycle]] = {}
        for earlier in old.cycles:
            key = rule(earlier)
            if id(earlier) not in taken and key is not None:
                waiting.setdefault((pairs.get(earlier.change), *key), []).append(earlier)
        for cycle in new.cycles:
            key = rule(cycle)
            if id(cycle) in matched or key is None:
                continue
            candidates = waiting.get((cycle.change, *key))
            while candidates and id(candidates[0]) in taken:
                candidates.pop(0)
            if candidates:
                earlier = candidates.pop(0)
                matched[id(cycle)] = earlier
                taken.add(id(earlier))
    found: list[tuple[Cycle | None, Cycle | None]] = [
        (matched.get(id(cycle)), cycle) for cycle in new.cycles
    ]
    return found + [(earlier, None) for earlier in old.cycles if id(earlier) not in taken]


def _cycle_changes(earlier: Cycle, cycle: Cycle, idea: str) -> list[Change]:
    """Each field of a PDSA cycle edited, a change of its own, and the act decided."""
    changes = []
    base = {"change": cycle.change, "start": cycle.start.isoformat()}
    for key in CYCLE_FIELDS:
        was_value, now_value = _field(earlier, key), _field(cycle, key)
        if was_value != now_value:
            changes.append(
                Change(
                    "cycle-changed",
                    f"PDSA cycle {cycle.number} of {idea}: {key}"
                    f" {_shown(was_value)} -> {_shown(now_value)}",
                    {**base, "field": key, "old": was_value, "new": now_value},
                )
            )
    if earlier.act != cycle.act:
        was_act = earlier.act.value if earlier.act else None
        now_act = cycle.act.value if cycle.act else None
        text = (
            f"decided to {now_act}"
            if was_act is None
            else f"act {_shown(was_act)} -> {_shown(now_act)}"
        )
        changes.append(
            Change(
                "cycle-act",
                f"PDSA cycle {cycle.number} of {idea}: {text}",
                {**base, "act": now_act, "old": was_act},
            )
        )
    return changes


def _notes(old: Diagram, new: Diagram, back: dict[str, str]) -> list[Change]:
    """Notes changed on the diagram and on any box (the aim included)."""
    changes = []
    if _words(old.notes) != _words(new.notes):
        changes.append(
            Change(
                "notes",
                f"notes on the diagram: {_shown(old.notes)} -> {_shown(new.notes)}",
                {"id": None, "old": old.notes, "new": new.notes},
            )
        )
    for node in new.nodes:
        if node.id in back:
            before = old.node(back[node.id]).notes
            if _words(before) != _words(node.notes):
                where = "the aim" if node.level == Level.AIM else _q(node.text)
                changes.append(
                    Change(
                        "notes",
                        f"notes on {where}: {_shown(before)} -> {_shown(node.notes)}",
                        {"id": node.id, "old": before, "new": node.notes},
                    )
                )
    return changes


def _data_change(earlier: Measure, measure: Measure) -> Change | None:
    """The points added, changed and removed, by period, old -> new value (and its
    numerator and denominator, when it has them: 30/40 -> 60/80 is a change though the
    value is the same)."""
    known = {point.period: point for point in earlier.points}
    now = {point.period for point in measure.points}
    added = [p for p in measure.points if p.period not in known]
    edited = [
        (known[p.period], p)
        for p in measure.points
        if p.period in known and _reading(known[p.period]) != _reading(p)
    ]
    removed = [p for p in earlier.points if p.period not in now]
    if not (added or edited or removed):
        return None
    parts = []
    if added:
        listed = (
            ", ".join(f"{p.period}: {_point(p)}" for p in added)
            if len(added) <= NEW_SHOWN
            else f"{added[0].period} to {added[-1].period}"
        )
        parts.append(f"{_count(len(added), 'new point')} ({listed})")
    if edited:
        listed = ", ".join(
            f"{p.period}: {_point(was)} -> {_point(p)}" for was, p in edited[:PERIODS_SHOWN]
        )
        parts.append(
            f"{len(edited)} changed ({listed}{', ...' if len(edited) > PERIODS_SHOWN else ''})"
        )
    if removed:
        listed = ", ".join(f"{p.period}: {_point(p)}" for p in removed[:PERIODS_SHOWN])
        parts.append(
            f"{len(removed)} removed ({listed}{', ...' if len(removed) > PERIODS_SHOWN else ''})"
        )
    shown = "; ".join(parts)
    return Change(
        "data",
        f"{_q(measure.name)}: {shown}",
        {
            "measure": measure.id,
            "new": [p.period for p in added],
            "changed": [p.period for _, p in edited],
            "removed": [p.period for p in removed],
            "points": [_point_record(p.period, None, p) for p in added]
            + [_point_record(p.period, was, p) for was, p in edited]
            + [_point_record(p.period, p, None) for p in removed],
        },
    )


def _reading(point: Point) -> tuple[float | None, float | None, float | None]:
    """What a period says: its value, numerator and denominator."""
    return point.value, point.numerator, point.denominator


def _point(point: Point) -> str:
    """A period's value as a person reads it, with its counts: 75 (30/40)."""
    if point.value is not None and point.denominator is not None:
        counts = f"{shown_number(point.numerator)}/{shown_number(point.denominator)}"
        return f"{_value(point.value)} ({counts})"
    return _value(point.value)


def _point_record(period: str, was: Point | None, now: Point | None) -> dict[str, Any]:
    """A point's old and new value for JSON, and its old and new numerator and
    denominator when either side has them."""
    record: dict[str, Any] = {
        "period": period,
        "old": _exact(was.value) if was else None,
        "new": _exact(now.value) if now else None,
    }
    if any(p is not None and p.denominator is not None for p in (was, now)):
        for side, p in (("old", was), ("new", now)):
            record[f"{side}_numerator"] = _exact(p.numerator) if p else None
            record[f"{side}_denominator"] = _exact(p.denominator) if p else None
    return record


def _measure_field(measure: Measure, key: str) -> Any:
    """A measure's field as JSON holds it; phases as [{"from", "label"}], the data's
    columns as ["value: Rate", ...]."""
    if key == "phases":
        return [{"from": phase.start, "label": phase.label} for phase in measure.phases]
    if key == "columns":
        return [f"{name}: {heading}" for name, heading in measure.columns]
    return _field(measure, key)


def _exact(value: float | None) -> float | None:
    """A value to 12 significant digits: 7/100 x 100 is 7, not 7.000000000000001."""
    return None if value is None else float(f"{value:.12g}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _value(value: float | None) -> str:
    """A data value as a person reads it: 12, 3.5, 1,234, or (missing)."""
    return "(missing)" if value is None else shown_number(value)


def _field(record: Any, key: str) -> Any:
    """A field's value as JSON holds it: text, a number, a date as ISO text, a list."""
    value = getattr(record, key)
    if hasattr(value, "value") and not isinstance(value, (int, float, str)):
        return value.value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, str):
        return _words(value)
    return value


def _shown(value: Any) -> str:
    """A field's value in a summary: quoted text, a number, or (none)."""
    if value is None or value == "" or value == []:
        return "(none)"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list):
        return _q(", ".join(_item(item) for item in value))
    if isinstance(value, (int, float)):
        return shown_number(value)
    return _q(str(value))


def _item(item: Any) -> str:
    """One item of a listed field: a period, a measure's id, or a phase by its start."""
    if isinstance(item, dict):
        label = f" ({item['label']})" if item.get("label") else ""
        return f"from {item['from']}{label}"
    return str(item)


def _linked(old: Diagram, back: dict[str, str], new_parent: str, old_child: str) -> bool:
    """Whether the old version already linked the new parent's match to the child."""
    old_parent = back.get(new_parent)
    return old_parent is not None and any(
        link.parent == old_parent for link in old.parents(old_child)
    )


def _first_parent(diagram: Diagram, node_id: str) -> str | None:
    """The box a box is written under (its first parent)."""
    parents = diagram.parents(node_id)
    home = next((link for link in parents if not link.ref), parents[0] if parents else None)
    return home.parent if home is not None else None


def _describe(node: Node) -> dict[str, Any]:
    return {"id": node.id, "level": node.level.key, "text": node.text}


def _words(text: str) -> str:
    return " ".join(text.split())


def _q(text: str) -> str:
    """Text quoted in a summary: on one line, control characters shown, at most 120
    characters (a summary is read in a terminal or a pull-request comment)."""
    words = _words(visible(text))
    return f"'{words if len(words) <= 120 else words[:117] + '...'}'"


#: The forms a list of changes can be written in.
FORMATS = ("text", "json", "markdown")


def report(changes: list[Change], old_name: str, new_name: str, format: str = "text") -> str:
    """The changes from ``old_name`` to ``new_name`` as lines for a person, JSON for a
    program, or a Markdown list for a pull-request comment."""
    if format == "json":
        return json_text({"old": old_name, "new": new_name, "changes": as_json(changes)}) + "\n"
    if format == "markdown":
        return as_markdown(changes, old_name, new_name)
    noun = "change" if len(changes) == 1 else "changes"
    lines = [f"{old_name} -> {new_name}: {len(changes) or 'no'} {noun}"]
    lines += [f"  {change.text}" for change in changes]
    return visible("\n".join(lines)) + "\n"


def as_json(changes: list[Change]) -> list[dict[str, Any]]:
    return [{"kind": change.kind, "summary": change.text, **change.details} for change in changes]


def as_markdown(changes: list[Change], old_name: str, new_name: str) -> str:
    """The changes as a Markdown list for a pull-request comment. Nothing in it is
    markup but the list itself: summaries are escaped (no link, image, mention or
    HTML from a box's text), file names are code spans no backtick in them can end."""
    lines = [f"### Changes from {_code(old_name)} to {_code(new_name)}", ""]
    if not changes:
        return "\n".join([*lines, "No changes.", ""])
    lines += [f"- {markdown(change.text)}" for change in changes]
    return "\n".join(lines) + "\n"


def _code(text: str) -> str:
    """A Markdown code span showing ``text`` on one line exactly: fenced by a run of
    backticks longer than any inside, padded with a space each side (which CommonMark
    takes off again) so a backtick at either end cannot join the fence."""
    shown = one_line(text)
    ticks = fence(shown)
    return f"{ticks} {shown} {ticks}"


#: The changes a drawing marks on their box as "updated": owners, due dates, notes,
#: measures, PDSA cycles.
UPDATES = (
    "owner",
    "due",
    "notes",
    "measure-added",
    "measure-changed",
    "data",
    "verdict",
    "cycle-added",
    "cycle-removed",
    "cycle-changed",
    "cycle-act",
)


def _box_of(change: Change, new: Diagram) -> str | None:
    """The box in the new version a change of notes, a measure or a cycle is on."""
    details = change.details
    if "change" in details:
        return str(details["change"]) if any(n.id == details["change"] for n in new.nodes) else None
    if "measure" in details:
        measure = next((m for m in new.measures if m.id == details["measure"]), None)
        return measure.node if measure is not None else None
    box = details.get("id")
    return str(box) if box else None


def picture(
    old: Diagram, new: Diagram
) -> tuple[Diagram, dict[str, str], dict[tuple[str, str], str]]:
    """The new diagram with what was removed put back as ghosts, and the marks that
    :func:`driverdiagram.dot.to_dot` draws: added, reworded, moved or removed."""
    pairs = match(old, new)
    back = {b: a for a, b in pairs.items()}
    marks: dict[str, str] = {}
    link_marks: dict[tuple[str, str], str] = {}
    for change in compare(old, new):
        if change.kind in ("added", "reworded", "moved"):
            marks[change.details["id"]] = change.kind
        elif change.kind == "status":
            marks.setdefault(change.details["id"], "status")
        elif change.kind == "strength":
            link_marks[change.details["parent"], change.details["child"]] = "strength"
        elif change.kind in UPDATES:
            box = _box_of(change, new)
            if box is not None:
                marks.setdefault(box, "updated")
    for link in new.links:
        if (link.parent, link.child) in link_marks:
            continue
        if link.child in marks and marks[link.child] == "added":
            link_marks[link.parent, link.child] = "added"
        elif (
            link.parent in back
            and link.child in back
            and not any(
                old_link.parent == back[link.parent] for old_link in old.parents(back[link.child])
            )
        ):
            link_marks[link.parent, link.child] = (
                "moved" if marks.get(link.child) == "moved" else "added"
            )

    def ghost_id(old_id: str) -> str:
        return pairs.get(old_id, "removed:" + old_id)

    nodes = list(new.nodes)
    links = list(new.links)
    for node in old.nodes:
        if node.id not in pairs:
            where = Location("(removed)", node.location.line, node.location.column)
            ghost = Node(
                "removed:" + node.id,
                node.level,
                node.text,
                where,
                status=node.status,
                generated_id=True,
            )
            nodes.append(ghost)
            marks[ghost.id] = "removed"
    present = {(link.parent, link.child) for link in links}
    by_id = {node.id: node for node in nodes}
    linked = {link.child for link in links}  # boxes that have the link they are written at
    for link in old.links:
        key = (ghost_id(link.parent), ghost_id(link.child))
        if key in present:
            continue
        child = by_id[key[1]]
        written = child.id.startswith("removed:") and key[1] not in linked
        location = child.location if written else Location("(removed)", 0, len(links))
        links.append(Link(key[0], key[1], location, link.strength, ref=not written))
        linked.add(key[1])
        link_marks[key] = "removed"
        present.add(key)
    drawing = replace(new, nodes=tuple(nodes), links=tuple(links))
    return drawing, marks, link_marks
