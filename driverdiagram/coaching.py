"""Coaching checks: what an experienced improvement advisor looks for in a valid diagram.

Each rule has a stable code, says what it found and how to fix it, and is
located on the box it is about. A finding is silenced for one box by a comment
on the first line of that box's entry::

    - text: Implement a falls bundle   # driverdiagram: ignore DD108
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache

import networkx as nx

from .errors import Location, Problem
from .graph import to_graph
from .model import Diagram, Level, MeasureType, Node, Status
from .practice import is_practice, set_aside
from .readers.dates import MONTHS
from .readers.diagram import CUT_TEXT, parse
from .readers.templates import catalogue
from .text import HIDDEN_NAMES, hidden_characters, one_line, silenced_codes


@dataclass(frozen=True)
class Rule:
    """One coaching rule: its stable code and short name, what it checks, and the check."""

    code: str
    name: str
    summary: str
    check: Callable[[Diagram, Settings], Iterator[Problem]]


@dataclass(frozen=True)
class Settings:
    """What to check and the thresholds; from the command line, ``[tool.driverdiagram]``
    in ``pyproject.toml`` or ``driverdiagram.toml``."""

    select: tuple[str, ...] = field(default_factory=lambda: CODES)  # every rule
    ignore: tuple[str, ...] = ()
    primary_min: int = 2
    primary_max: int = 5
    max_length: int = 120
    stale_days: int = 90
    cycle_days: int = 60
    reflect_days: int = 90
    today: dt.date = field(default_factory=dt.date.today)


def lint(diagram: Diagram, settings: Settings | None = None, source: str = "") -> list[Problem]:
    """The coaching findings for a valid diagram, in file order.

    ``source`` is the file's text, read for ``# driverdiagram: ignore`` comments.
    """
    settings = settings or Settings()
    assert _every_change_idea_reaches_the_aim(diagram)
    wanted = [code for code in settings.select if code not in settings.ignore]
    found: list[Problem] = []
    for code in CODES:
        if code in wanted:
            found.extend(_BY_CODE[code].check(diagram, settings))
    silenced = _silenced(source)
    kept = [
        problem
        for problem in found
        if not (
            problem.line in silenced
            and (not silenced[problem.line] or problem.code in silenced[problem.line])
        )
    ]
    return sorted(kept, key=lambda problem: (problem.line, problem.column, problem.code))


def _finding(code: str, location: Location, message: str) -> Problem:
    return Problem(location, message, severity="warning", code=code)


# -- the aim -----------------------------------------------------------------

_NUMBER_WORDS = (
    r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred|thousand|half|halve|halved|double|doubled|twice|triple|tripled"
)
# "all", "every" and a leading "no" are amounts too: 100% and zero
_AMOUNT = re.compile(rf"\d|%|\b(?:{_NUMBER_WORDS}|all|every|none)\b|^\s*no\b", re.IGNORECASE)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WHEN = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b|"
    rf"\b(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b|"
    rf"\b(?:19|20)\d\d\b|\b(?:{_MONTHS})\b|\bq[1-4]\b|"
    r"\b(?:by|within|in|over|after|before|until)\s+(?:the\s+)?(?:next\s+|first\s+|coming\s+)?"
    rf"(?:\d+|{_NUMBER_WORDS}|a|an)?\s*(?:days?|weeks?|months?|years?|quarters?|terms?)\b|"
    r"\bby\s+the\s+end\s+of\b|\bend\s+of\s+(?:the\s+)?(?:year|quarter|term|month)\b|"
    r"\b(?:next|this)\s+(?:year|quarter|term|month)\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\b(?:improve[sd]?|improving|improvement|better|enhance[sd]?|enhancing|more|increase[sd]?|"
    r"reduce[sd]?|decrease[sd]?|optimi[sz]e[sd]?|strengthen(?:ed)?|boost(?:ed)?)\b",
    re.IGNORECASE,
)


def _has_amount(text: str) -> bool:
    """A number or percentage that is not part of a date or time frame."""
    return bool(_AMOUNT.search(_WHEN.sub(" ", text)))


def _aim_how_much(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    aim = diagram.aim
    if not _has_amount(aim.text):
        yield _finding(
            "DD101",
            aim.location,
            "the aim does not say how much; add a number or percentage"
            " (for example 'from 82% to 95%')",
        )


def _aim_by_when(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    aim = diagram.aim
    if not _WHEN.search(aim.text):
        yield _finding(
            "DD102",
            aim.location,
            "the aim does not say by when; add a date or time frame"
            " (for example 'by June 2027' or 'within 12 months')",
        )


def _aim_vague(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    aim = diagram.aim
    vague = _VAGUE.search(aim.text)
    if vague and not _has_amount(aim.text):
        yield _finding(
            "DD103",
            aim.location,
            f"the aim leans on '{vague.group(0)}' without an amount; say from what to what"
            " (for example 'increase attendance from 55% to 70%')",
        )


# -- structure -----------------------------------------------------------------


def _primary_count(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    primaries = diagram.at_level(Level.PRIMARY)
    low, high = settings.primary_min, settings.primary_max
    where = diagram.primary_location or primaries[0].location
    if len(primaries) < low:
        yield _finding(
            "DD104",
            where,
            f"only {len(primaries)} primary driver; most aims need {low} to {high}"
            " (what else must be true for the aim to be reached?)",
        )
    elif len(primaries) > high:
        yield _finding(
            "DD104",
            where,
            f"{len(primaries)} primary drivers; keep to {low}-{high} so the team can focus"
            " (merge related drivers, or make some of them secondary)",
        )


def _dead_ends(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    graph = to_graph(diagram)
    for node in diagram.nodes:
        if node.level in (Level.AIM, Level.CHANGE):
            continue
        if not any(graph.nodes[d]["level"] == Level.CHANGE for d in nx.descendants(graph, node.id)):
            yield _finding(
                "DD105",
                node.location,
                f"this {node.level.noun} leads to no change idea; add at least one idea to"
                " test, or remove the driver",
            )


def _every_change_idea_reaches_the_aim(diagram: Diagram) -> bool:
    """True of every valid diagram; an assertion of the graph, not a finding."""
    reach = nx.descendants(to_graph(diagram), diagram.aim.id)
    return all(node.id in reach for node in diagram.at_level(Level.CHANGE))


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _duplicates(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    seen: dict[str, Node] = {}
    kept: list[tuple[str, Node]] = []
    for node in diagram.nodes:
        key = _normal(node.text)
        first = seen.get(key)
        if first is None and len(kept) <= 2000:  # near-same matching is quadratic
            first = _near(key, kept)
        if first is not None:
            yield _finding(
                "DD106",
                node.location,
                f"this {node.level.noun} says the same as line {first.location.line}"
                f" ('{_short(first.text)}'); merge them, and use 'ref' if one box serves"
                " several drivers",
            )
            continue
        seen[key] = node
        kept.append((key, node))


#: How alike two texts must be (difflib's ratio, after case and punctuation are
#: set aside) to count as saying the same thing.
NEAR = 0.93


def _near(key: str, kept: list[tuple[str, Node]]) -> Node | None:
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(key)
    numbers = re.findall(r"\d+", key)
    for other, node in kept:
        if len(key) < 20 or re.findall(r"\d+", other) != numbers:
            continue  # short texts must match exactly; different numbers, different things
        matcher.set_seq1(other)
        # the cheap upper bounds first: most pairs are rejected without the full ratio
        if (
            matcher.real_quick_ratio() >= NEAR
            and matcher.quick_ratio() >= NEAR
            and matcher.ratio() >= NEAR
        ):
            return node
    return None


def _short(text: str) -> str:
    words = " ".join(one_line(text).split())
    return words if len(words) <= 50 else words[:47] + "..."


def _too_long(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    limit = settings.max_length
    for node in diagram.nodes:
        if node.level != Level.AIM and len(node.text) > limit:
            yield _finding(
                "DD107",
                node.location,
                f"this {node.level.noun} is {len(node.text)} characters long; keep it under"
                f" {limit} so it reads in print (move detail to 'notes')",
            )


_ACTIVITY = re.compile(
    r"^(?:to\s+)?(?:implement|introduce|develop|create|establish|provide|train|hold|run|launch|"
    r"deliver|conduct|roll\s+out|set\s+up|build|design|install|hire|recruit|audit|"
    r"organi[sz]e|produce|write)\b",
    re.IGNORECASE,
)


#: A number that is an amount to reach, not a label like "1." or "P2".
_TARGET = re.compile(
    r"\d\s*%|\bper\s+cent\b|"
    r"\b(?:to|by|from|at\s+least|under|over|below|above|less\s+than|more\s+than|"
    r"fewer\s+than)\s+\d",
    re.IGNORECASE,
)


def _primary_activity(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    for node in diagram.at_level(Level.PRIMARY):
        activity = _ACTIVITY.match(node.text.strip())
        if activity:
            yield _finding(
                "DD108",
                node.location,
                f"this primary driver reads as an activity ('{activity.group(0)}...'); write"
                " the condition of the system it should bring about (for example 'Staff know"
                " each patient's risk'), and test activities as change ideas",
            )
        elif _TARGET.search(node.text):
            yield _finding(
                "DD108",
                node.location,
                "this primary driver reads as a numeric target; a driver is a condition of"
                " the system, and numbers belong in the aim and in measures",
            )


# -- freshness -------------------------------------------------------------------


def parse_updated(text: str) -> dt.date | None:
    """The date in an ``updated`` value: 2026-11-20, 2026-11, 20 November 2026,
    November 2026 or Nov 2026 (a month alone means its first day). None if unreadable."""
    value = text.strip().rstrip(".")
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", value)
    try:
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3) or 1))
        words = re.fullmatch(r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]+)\.?,?\s+(\d{4})", value)
        if words and words.group(2).lower() in MONTHS:
            month = MONTHS[words.group(2).lower()]
            return dt.date(int(words.group(3)), month, int(words.group(1) or 1))
    except ValueError:
        return None
    return None


def _stale(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    if not diagram.updated:
        return
    location = diagram.updated_location or diagram.aim.location
    when = parse_updated(diagram.updated)
    if when is None:
        yield _finding(
            "DD109",
            location,
            f"'updated: {diagram.updated}' is not a date lint can read;"
            " write it as 2026-11-20 or 20 November 2026",
        )
        return
    age = (settings.today - when).days
    if age > settings.stale_days:
        yield _finding(
            "DD109",
            location,
            f"the diagram was last updated {age} days ago; review it with the team and"
            f" update 'updated' (a driver diagram is a living document)",
        )


def _future(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    when = parse_updated(diagram.updated) if diagram.updated else None
    if when is not None and when > settings.today:
        yield _finding(
            "DD117",
            diagram.updated_location or diagram.aim.location,
            f"'updated: {diagram.updated}' is a date in the future (today is"
            f" {settings.today.isoformat()}); write the day the diagram was last revised",
        )


def _overdue(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    for node in diagram.at_level(Level.CHANGE):
        late = node.due is not None and node.due < settings.today
        if late and node.due is not None and node.status in (Status.IDEA, Status.TESTING):
            yield _finding(
                "DD119",
                node.location,
                f"'{_short(node.text)}' was due {node.due.isoformat()} and is still"
                f" '{node.status.value}'; decide (adopt, adapt or abandon), or move"
                " 'due' to the new date",
            )
    for cycle in diagram.cycles:
        if cycle.due is not None and cycle.due < settings.today and cycle.act is None:
            yield _finding(
                "DD119",
                cycle.location,
                f"cycle {cycle.number} of '{cycle.change}' was due {cycle.due.isoformat()} and"
                " has no 'act' yet; record what the team studied and decided, or move 'due'",
            )


# -- a coach's own practice -----------------------------------------------------------


def _practice_focus(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    if not is_practice(diagram):
        return
    focused = [node for node in diagram.at_level(Level.PRIMARY) if node.focus]
    if not focused:
        yield _finding(
            "DD120",
            diagram.primary_location or diagram.aim.location,
            "no practice domain is in focus; pick one or two to work on now and write"
            " 'focus: true' on each (driverdiagram reflect FILE asks you)",
        )
    elif len(focused) > 2:
        yield _finding(
            "DD120",
            focused[2].location,
            f"{len(focused)} practice domains are in focus; the article's advice is to pick"
            " just one or two, so take 'focus: true' off the others for now",
        )


def _practice_reflection(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    if not is_practice(diagram):
        return
    dates = [r.date for node in diagram.at_level(Level.PRIMARY) for r in node.reflections]
    try:
        since = settings.today - dt.timedelta(days=settings.reflect_days)
    except OverflowError:
        since = dt.date.min
    if dates and max(dates) >= since:
        return
    last = f" (the last was on {max(dates)})" if dates else ""
    yield _finding(
        "DD121",
        diagram.primary_location or diagram.aim.location,
        f"no reflection on your practice in the last {settings.reflect_days} days{last};"
        " ask of each domain 'How am I tracking? Does my practice feel strong, or is there"
        " room to grow?' and write the answers (driverdiagram reflect FILE)",
    )


# -- what a template left --------------------------------------------------------------

#: The rule that finds a template's example wording still in a diagram.
PLACEHOLDER = "DD118"


@cache
def _placeholders() -> frozenset[str]:
    """The text of every box of every shipped template, as :func:`_normal` compares
    texts: wording that says what belongs in the box, for the team to replace. A box
    whose line silences this rule is left out: its wording is meant to be kept, such
    as coach-practice's six domains of practice."""
    found: set[str] = set()
    for template in catalogue().values():
        lines = template.text.splitlines()
        for node in parse(template.text, template.name).nodes:
            codes = silenced_codes(lines[node.location.line - 1])
            if codes is None or (codes and PLACEHOLDER not in codes):
                found.add(_normal(node.text))
    found.discard("")
    return frozenset(found)


def _placeholder(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    examples = _placeholders()
    for node in diagram.nodes:
        if _normal(node.text) not in examples:
            continue
        if node.level == Level.AIM:
            what = "write the team's aim: what will improve, by how much, for whom, by when"
        else:
            noun = "change idea" if node.level == Level.CHANGE else "driver"
            what = f"write the team's own {noun}, or delete the entry"
        yield _finding(
            PLACEHOLDER,
            node.location,
            f"{'the aim' if node.level == Level.AIM else f'this {node.level.noun}'} is still"
            f" a template's example wording ('{_short(node.text)}'); {what}",
        )


# -- measures and PDSA cycles ------------------------------------------------------


def _outcome_measure(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    # a diagram still being drafted, with no measures or cycles yet, is not nagged
    if not (diagram.measures or diagram.cycles):
        return
    if not any(m.type == MeasureType.OUTCOME for m in diagram.measures_of(diagram.aim.id)):
        yield _finding(
            "DD110",
            diagram.aim.location,
            "the aim has no outcome measure; add one under the aim's 'measures' (type:"
            " outcome) so the team will know whether a change is an improvement",
        )


def _balancing_measure(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    if diagram.measures and not any(m.type == MeasureType.BALANCING for m in diagram.measures):
        yield _finding(
            "DD111",
            diagram.aim.location,
            "no balancing measure; add one (type: balancing) to watch for harm elsewhere,"
            " such as staff time or waiting in another service",
        )


def _process_measure(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    if not diagram.measures:
        return
    measured = {m.node for m in diagram.measures if m.type == MeasureType.PROCESS}
    aside = set_aside(diagram)
    for node in diagram.at_level(Level.PRIMARY):
        if node.id in aside:
            continue
        below = nx.descendants(to_graph(diagram), node.id) | {node.id}
        if not measured & below:
            yield _finding(
                "DD112",
                node.location,
                f"the primary driver '{_short(node.text)}' has no process measure; add one"
                " (on it or on a driver below it) to see whether the driver is moving",
            )


def _recent_cycle(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    if not diagram.cycles:
        return
    try:
        since = settings.today - dt.timedelta(days=settings.cycle_days)
    except OverflowError:  # a --today in the first weeks of year 1: every cycle is recent
        since = dt.date.min
    aside = set_aside(diagram)
    for node in diagram.at_level(Level.CHANGE):
        if node.status != Status.TESTING or node.id in aside:
            continue
        cycles = diagram.cycles_of(node.id)
        if any(max(cycle.start, cycle.end or cycle.start) >= since for cycle in cycles):
            continue
        days = settings.cycle_days
        if not cycles:
            why = "it has none"
        elif cycles[-1].end is None and cycles[-1].act is None:
            why = f"its last started {cycles[-1].start} and is still open: add its 'end' and 'act'"
        else:
            why = f"the last was on {max(c.end or c.start for c in cycles)}"
        yield _finding(
            "DD113",
            node.location,
            f"'{_short(node.text)}' is being tested but has had no PDSA cycle in the last"
            f" {days} days ({why}); record the next cycle, or set its status",
        )


def _cycle_prediction(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    for cycle in diagram.cycles:
        if not cycle.prediction:
            yield _finding(
                "DD114",
                cycle.location,
                f"cycle {cycle.number} of '{cycle.change}' has no prediction; write what the"
                " team expects to happen before the test, so the study can learn from it",
            )


# -- text that is not what it seems ---------------------------------------------------

_CODE_POINT = {name: char for char, name in HIDDEN_NAMES.items()}
#: The bidirectional controls among the hidden characters: marks, embeddings,
#: overrides and isolates. The others are zero-width.
_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _hidden(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    for what, location, text in _texts(diagram):
        names = hidden_characters(text)
        if not names:
            continue
        chars = [_CODE_POINT[name] for name in names]
        listed = " and ".join(
            f"{'an' if name[0] in 'aeiou' else 'a'} {name} (U+{ord(char):04X})"
            for name, char in zip(names, chars, strict=True)
        )
        if any(char in _BIDI for char in chars):
            why = (
                "a bidirectional control changes the order in which the text around it"
                " is shown, so what people read is not what the file says"
            )
        else:
            why = (
                "a zero-width character cannot be seen, so two texts that look the same"
                " can differ, and a search for the words misses this one"
            )
        yield _finding(
            "DD115",
            location,
            f"there {'are' if len(names) > 1 else 'is'} {listed} in {what}; {why};"
            f" delete {'them' if len(names) > 1 else 'it'} unless the language of the"
            " text needs it (then silence DD115 on this line)",
        )


def _cut_short(diagram: Diagram, settings: Settings) -> Iterator[Problem]:
    # found while reading, where the comments are; validate shows them too
    yield from (warning for warning in diagram.warnings if warning.code == CUT_TEXT)


def _texts(diagram: Diagram) -> Iterator[tuple[str, Location, str]]:
    """Every piece of text in the diagram: what it is, where, and the text."""
    aim = diagram.aim.location
    for key in ("title", "team", "updated", "notes"):
        where = diagram.updated_location if key == "updated" else None
        yield f"the diagram's {key}", where or aim, getattr(diagram, key)
    for key, label in diagram.labels:
        yield f"the column heading '{key}'", aim, label
    for node in diagram.nodes:
        yield f"this {node.level.noun}'s text", node.location, node.text
        yield f"this {node.level.noun}'s notes", node.location, node.notes
        yield f"this {node.level.noun}'s owner", node.location, node.owner
    for measure in diagram.measures:
        name = f"measure '{measure.id}'"
        for key in ("name", "definition", "unit"):
            yield f"the {key} of {name}", measure.location, getattr(measure, key)
        for point in measure.points:
            yield f"the note on {point.period} of {name}", point.location, point.note
    for cycle in diagram.cycles:
        name = f"cycle {cycle.number} of '{cycle.change}'"
        for key in ("name", "objective", "prediction", "plan", "do", "study", "owner"):
            yield f"the {key} of {name}", cycle.location, getattr(cycle, key)


#: Every rule, in the order lint runs them and lists them: the one registry.
RULES = (
    Rule("DD101", "aim-how-much", "the aim says how much: a number or a percentage", _aim_how_much),
    Rule("DD102", "aim-by-when", "the aim says by when: a date or a time frame", _aim_by_when),
    Rule(
        "DD103", "aim-vague", "the aim does not rest on vague words without an amount", _aim_vague
    ),
    Rule(
        "DD104",
        "primary-count",
        "the number of primary drivers is within a range (2-5)",
        _primary_count,
    ),
    Rule("DD105", "dead-end", "every driver leads to at least one change idea", _dead_ends),
    Rule("DD106", "duplicate-text", "no two boxes say the same thing", _duplicates),
    Rule(
        "DD107",
        "text-length",
        "driver and change-idea text is short enough to read in print",
        _too_long,
    ),
    Rule(
        "DD108",
        "primary-activity",
        "a primary driver is a condition, not an activity or target",
        _primary_activity,
    ),
    Rule("DD109", "stale", "the diagram was updated recently (within 90 days)", _stale),
    Rule(
        "DD110",
        "outcome-measure",
        "in a measured diagram, the aim has an outcome measure",
        _outcome_measure,
    ),
    Rule(
        "DD111",
        "balancing-measure",
        "a measured diagram has a balancing measure",
        _balancing_measure,
    ),
    Rule(
        "DD112",
        "process-measure",
        "in a measured diagram, each primary driver has a process measure (on it or below it)",
        _process_measure,
    ),
    Rule(
        "DD113",
        "recent-cycle",
        "when cycles are recorded, a change idea being tested had one in the last 60 days",
        _recent_cycle,
    ),
    Rule(
        "DD114", "cycle-prediction", "each PDSA cycle writes down its prediction", _cycle_prediction
    ),
    Rule(
        "DD115",
        "hidden-characters",
        "no text holds invisible characters: bidirectional overrides or zero-width characters",
        _hidden,
    ),
    Rule(
        CUT_TEXT,
        "comment-in-text",
        "no text is cut short by an unquoted ' #', which starts a YAML comment",
        _cut_short,
    ),
    Rule("DD117", "updated-future", "'updated' is not a date in the future", _future),
    Rule(
        PLACEHOLDER,
        "placeholder",
        "no box still holds a template's example wording",
        _placeholder,
    ),
    Rule(
        "DD119",
        "overdue",
        "a change idea or PDSA cycle past its 'due' date has been decided",
        _overdue,
    ),
    Rule(
        "DD120",
        "practice-focus",
        "a coach's practice diagram has one or two domains in focus",
        _practice_focus,
    ),
    Rule(
        "DD121",
        "practice-reflection",
        "a coach's practice diagram has a reflection in the last 90 days",
        _practice_reflection,
    ),
)
CODES: tuple[str, ...] = tuple(rule.code for rule in RULES)
_BY_CODE = {rule.code: rule for rule in RULES}


def _silenced(source: str) -> dict[int, frozenset[str]]:
    """Line number -> the codes silenced there (empty: every code)."""
    silenced: dict[int, frozenset[str]] = {}
    for number, line in enumerate(source.splitlines(), start=1):
        codes = silenced_codes(line)
        if codes is not None:
            silenced[number] = codes
    return silenced
