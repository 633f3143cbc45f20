"""A diagram in rows and sentences: what every paper and export shows, built once.

The change ideas by driver, the counts by status, the notes, a line for each measure
and a row for each PDSA cycle, the title and the picture's alternative text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from .measures.kinds import KINDS
from .measures.words import (
    RULE_SET_WORDS,
    analysis_of,
    control_of,
    icon_words,
    number,
    phase_lines,
    signal_summary,
    verdict_of,
)
from .model import Diagram, Level, Measure, MeasureType, Node, Status
from .practice import reflection_table
from .text import singular, visible


@dataclass(frozen=True)
class Row:
    driver: str
    change: str
    status: str


def rows(diagram: Diagram) -> list[Row]:
    """Every (driver, change idea) link, drivers in file order."""
    found = []
    for node in diagram.nodes:
        if node.level in (Level.AIM, Level.CHANGE):
            continue
        for link in diagram.children(node.id):
            child = diagram.node(link.child)
            if child.level == Level.CHANGE:
                status = child.status.value if child.status is not None else ""
                found.append(Row(" ".join(node.text.split()), " ".join(child.text.split()), status))
    return found


@dataclass(frozen=True)
class IdeaRow:
    """A row of a paper's change-idea table: the primary driver, the driver the idea
    hangs from ('' when that is the primary driver itself), the idea and its status;
    ``primary_span`` and ``driver_span`` are how many rows, this one first, share its
    primary driver's cell and its driver's (0: a row under a cell above)."""

    primary: str
    driver: str
    change: str
    status: str
    primary_span: int
    driver_span: int
    #: The cells after the idea's: its status, then its owner and due date when the
    #: diagram gives any change idea one (:func:`has_assigned`).
    tail: tuple[str, ...] = ()


def idea_rows(diagram: Diagram) -> list[IdeaRow]:
    """Every change idea under each primary driver, grouped: primary drivers in file
    order, under each the drivers below it in file order (itself first) and their
    change ideas in the order written. An idea under two primary drivers is listed
    under both."""
    import networkx as nx

    from .graph import to_graph

    found: list[tuple[str, str, str, str]] = []
    tails: list[tuple[str, ...]] = []
    assigned = has_assigned(diagram)
    graph = to_graph(diagram)
    for primary in diagram.at_level(Level.PRIMARY):
        under = nx.descendants(graph, primary.id)
        drivers = [primary] + [
            node
            for node in diagram.nodes
            if node.id in under and node.level in (Level.SECONDARY, Level.TERTIARY)
        ]
        for driver in drivers:
            for link in diagram.children(driver.id):
                child = diagram.node(link.child)
                if child.level == Level.CHANGE:
                    found.append(
                        (
                            _words(primary.text),
                            "" if driver is primary else _words(driver.text),
                            _words(child.text),
                            child.status.value if child.status is not None else "",
                        )
                    )
                    tails.append(_tail(child, found[-1][3], assigned))
    rows: list[IdeaRow] = []
    for index, (top, middle, idea, status) in enumerate(found):
        first_primary = index == 0 or found[index - 1][0] != top
        first_driver = first_primary or found[index - 1][1] != middle
        primary_span = _run(found, index, 1) if first_primary else 0
        driver_span = _run(found, index, 2) if first_driver else 0
        rows.append(IdeaRow(top, middle, idea, status, primary_span, driver_span, tails[index]))
    return rows


def has_assigned(diagram: Diagram) -> bool:
    """Whether any change idea has an owner or a due date written."""
    return any(node.owner or node.due for node in diagram.at_level(Level.CHANGE))


def _tail(node: Node, status: str, assigned: bool) -> tuple[str, ...]:
    if not assigned:
        return (status,)
    return (status, _words(node.owner), node.due.isoformat() if node.due else "")


def _run(found: list[tuple[str, str, str, str]], start: int, width: int) -> int:
    """How many rows from ``start`` share its first ``width`` cells."""
    end = start + 1
    while end < len(found) and found[end][:width] == found[start][:width]:
        end += 1
    return end - start


def idea_headings(diagram: Diagram) -> tuple[str, ...]:
    """The headings of :func:`idea_rows`' table, in the diagram's own words; no driver
    column where the diagram has no secondary or tertiary drivers."""
    names = [singular(diagram.label(Level.PRIMARY))]
    if has_middle_drivers(diagram):
        names.append(singular(diagram.label(Level.SECONDARY)))
    tail = ("Status", "Owner", "Due") if has_assigned(diagram) else ("Status",)
    return (*names, singular(diagram.label(Level.CHANGE)), *tail)


def has_middle_drivers(diagram: Diagram) -> bool:
    return any(level in (Level.SECONDARY, Level.TERTIARY) for level in diagram.levels)


def _words(text: str) -> str:
    return " ".join(text.split())


def counts(diagram: Diagram) -> list[tuple[str, int]]:
    """How many change ideas have each status (each idea counted once)."""
    tally = Counter(node.status for node in diagram.at_level(Level.CHANGE))
    return [(status.value, tally.get(status, 0)) for status in Status]


def box_notes(diagram: Diagram) -> list[tuple[str, str]]:
    """(box text, its notes) for every box that has notes, in file order."""
    return [(" ".join(n.text.split()), n.notes) for n in diagram.nodes if n.notes]


def printable(diagram: Diagram) -> Diagram:
    """The diagram with control characters in its text made visible, as the drawing
    shows them: Word documents cannot hold them at all."""
    nodes = tuple(replace(n, text=visible(n.text), notes=visible(n.notes)) for n in diagram.nodes)
    return replace(
        diagram,
        nodes=nodes,
        title=visible(diagram.title),
        team=visible(diagram.team),
        updated=visible(diagram.updated),
        notes=visible(diagram.notes),
    )


def charted(diagram: Diagram) -> list[Measure]:
    """The measures that have data, in file order: each gets a run chart."""
    return [measure for measure in diagram.measures if measure.points]


def chart_title(measure: Measure) -> str:
    """What kind of chart a measure has: 'Run chart', 'U chart (rates)' ..."""
    kind = KINDS.get(measure.chart)
    return kind.title if kind is not None else "Run chart"


def verdict_line(diagram: Diagram, measure: Measure) -> str:
    """One sentence under a chart: where the measure sits and what it shows; for a
    control chart also its kind and rules, the latest limits and (Making Data Count)
    its variation and assurance icons in words."""
    node = diagram.node(measure.node)
    where = "the aim" if node.level == Level.AIM else " ".join(node.text.split())
    unit = measure.unit if measure.unit.startswith("%") or not measure.unit else f" {measure.unit}"
    parts = [f"{measure.type.value.capitalize()} measure for {where}."]
    if measure.definition:
        parts.append(f"{' '.join(measure.definition.split()).rstrip('.')}.")
    control = control_of(measure)
    if control is not None:
        parts.append(f"{chart_title(measure)}, {RULE_SET_WORDS[control.rules]}.")
    target = f"; target {number(measure.target)}{unit}." if measure.target is not None else "."
    latest = next((p for p in reversed(measure.points) if p.value is not None), None)
    if latest is not None and control is None:
        parts.append(
            f"Latest: {number(latest.value)}{unit} ({latest.period}); median"
            f" {number(analysis_of(measure).centre)}{unit}{target}"
        )
    elif latest is not None and control is not None:
        index = measure.points.index(latest)
        point = control.points[index]
        limits = (
            f", limits {number(point.lower)} to {number(point.upper)}"
            if point.lower is not None and point.upper is not None
            else ""
        )
        parts.append(
            f"Latest: {number(latest.value)}{unit} ({latest.period}); centre"
            f" {number(point.centre)}{unit}{limits}{target}"
        )
        if control.rules == "mdc" and control.variation:
            parts.append(f"{_sentence(icon_words(control))}.")
    parts.append(f"Verdict: {verdict_of(measure)}.")
    return " ".join(parts)


def control_lines(measure: Measure) -> list[str]:
    """What a paper lists under a control chart's verdict line: each phase's centre
    and limits, then the signals in words, a line for each rule, side and kind (none
    for a run chart)."""
    control = control_of(measure)
    if control is None or not measure.points:
        return []
    lines = [*phase_lines(measure, control), *signal_summary(measure, control)]
    if not control.signals:
        lines.append("no signals: every point within the limits and no rule broken")
    return [_sentence(line) for line in lines]


def concerns(diagram: Diagram) -> list[str]:
    """A sentence for each balancing measure whose latest point is special cause
    concern (Making Data Count) or whose verdict is a signal in the wrong direction:
    what a paper calls out before anything else, as a change may be doing harm."""
    found = []
    for measure in charted(diagram):
        if measure.type != MeasureType.BALANCING:
            continue
        control = control_of(measure)
        latest = next((p for p in reversed(measure.points) if p.value is not None), None)
        if control is not None and control.rules == "mdc":
            if control.variation != "special-cause-concern":
                continue
            side = f" ({control.variation_side})" if control.variation_side else ""
            what = f"shows special cause concern{side}"
        elif verdict_of(measure) == "signal in the wrong direction":
            what = "shows a signal in the wrong direction"
        else:
            continue
        unit = (
            measure.unit if measure.unit.startswith("%") or not measure.unit else f" {measure.unit}"
        )
        at = f", latest {number(latest.value)}{unit} ({latest.period})" if latest else ""
        found.append(
            f"Balancing measure '{' '.join(measure.name.split())}' {what}{at}: check whether"
            " the changes being tested are causing it."
        )
    return found


def _sentence(line: str) -> str:
    return line[:1].upper() + line[1:]


@dataclass(frozen=True)
class CycleRow:
    change: str
    dates: str
    prediction: str
    learned: str
    act: str
    objective: str = ""
    plan: str = ""

    @property
    def cells(self) -> tuple[str, ...]:
        """The row as a paper prints it, under :data:`PAPER_CYCLE_HEADINGS`."""
        return (
            self.change,
            self.dates,
            self.objective,
            self.plan,
            self.prediction,
            self.learned,
            self.act,
        )


def cycle_rows(diagram: Diagram) -> list[CycleRow]:
    """Every PDSA cycle: change ideas in file order, their cycles in date order."""
    found = []
    for node in diagram.at_level(Level.CHANGE):
        for cycle in diagram.cycles_of(node.id):
            dates = f"{cycle.start} to {cycle.end}" if cycle.end else f"{cycle.start} (ongoing)"
            if cycle.due is not None:
                dates += f", due {cycle.due}"
            who = f"; {_words(cycle.owner)}" if cycle.owner else ""
            found.append(
                CycleRow(
                    f"{' '.join(node.text.split())} (cycle {cycle.number}{who})",
                    dates,
                    " ".join(cycle.prediction.split()),
                    " ".join((cycle.study or cycle.do).split()),
                    cycle.act.value if cycle.act else "",
                    " ".join(cycle.objective.split()),
                    " ".join(cycle.plan.split()),
                )
            )
    return found


CYCLE_HEADINGS = ("Change idea", "Dates", "Prediction", "What we learned", "Act")
#: A paper's table of cycles: the plan as well as what was predicted and learned.
PAPER_CYCLE_HEADINGS = (
    "Change idea",
    "Dates",
    "Objective",
    "Plan",
    "Prediction",
    "What we learned",
    "Act",
)


def title(diagram: Diagram) -> str:
    return diagram.title or "Driver diagram"


def alt_text(diagram: Diagram) -> str:
    """A short description for the picture; the outline in the paper is the full one."""
    primaries = len(diagram.at_level(Level.PRIMARY))
    ideas = len(diagram.at_level(Level.CHANGE))
    return (
        f"Driver diagram: the aim '{' '.join(diagram.aim.text.split())}', {primaries}"
        f" primary driver{'s' if primaries != 1 else ''} and {ideas} change"
        f" idea{'s' if ideas != 1 else ''}. The outline below gives every box."
    )


#: The most reflection dates a table shows (the newest): a paper's page has room for them.
REFLECTIONS_SHOWN = 8


def practice_table(diagram: Diagram) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """A coach's reflections as a table: the headings (Domain, then each date, oldest
    first, the newest :data:`REFLECTIONS_SHOWN`) and a row per practice domain (its
    text, '(in focus)' after it when it is, and its rating in words on each date, ''
    where it had none). No rows when no domain has a reflection."""
    dates, rows = reflection_table(diagram)
    dates = dates[-REFLECTIONS_SHOWN:]
    shown = len(dates)
    headings = ("Domain", *(date.isoformat() for date in dates))
    found = []
    for row in rows:
        name = _words(row.domain.text) + (" (in focus)" if row.domain.focus else "")
        ratings = row.ratings[len(row.ratings) - shown :] if shown else ()
        found.append((name, *(rating.words if rating else "" for rating in ratings)))
    return headings, found


@dataclass(frozen=True)
class Section:
    """A part of a meeting paper: its key and its heading."""

    key: str
    heading: str


#: The parts of every meeting paper, in order (after the title and the team and date):
#: the one list the HTML, Markdown, Word and PDF papers follow.
SECTIONS = (
    Section("aim", "Aim"),
    Section("concerns", "Balancing measures to watch"),
    Section("diagram", "Driver diagram"),
    Section("changes", "Change ideas by driver"),
    Section("counts", "Change ideas by status"),
    Section("practice", "Reflections on my practice"),
    Section("measures", "Measures"),
    Section("cycles", "PDSA cycles"),
    Section("outline", "Outline"),
    Section("notes", "Notes"),
)


def sections(diagram: Diagram) -> list[Section]:
    """The parts of the paper this diagram has: measures only with data, PDSA cycles
    and notes only when there are some, balancing measures to watch only when one
    signals concern."""
    present = {
        "concerns": bool(concerns(diagram)),
        "measures": bool(charted(diagram)),
        "cycles": bool(diagram.cycles),
        "practice": bool(practice_table(diagram)[1]),
        "notes": bool(diagram.notes or box_notes(diagram)),
    }
    return [section for section in SECTIONS if present.get(section.key, True)]
