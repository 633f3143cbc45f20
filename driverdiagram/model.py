"""The driver diagram as frozen data: nodes, links and the diagram that holds them."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .errors import Location, Problem

T = TypeVar("T")


class Level(enum.IntEnum):
    """The columns of a driver diagram, left to right."""

    AIM = 0
    PRIMARY = 1
    SECONDARY = 2
    TERTIARY = 3
    CHANGE = 4

    @property
    def key(self) -> str:
        """The YAML key of this level's list (and of its ``labels`` entry)."""
        return _KEYS[self]

    @property
    def noun(self) -> str:
        """What one node of this level is called in messages."""
        return _NOUNS[self]


_KEYS = {
    Level.AIM: "aim",
    Level.PRIMARY: "primary",
    Level.SECONDARY: "secondary",
    Level.TERTIARY: "tertiary",
    Level.CHANGE: "changes",
}
_NOUNS = {
    Level.AIM: "aim",
    Level.PRIMARY: "primary driver",
    Level.SECONDARY: "secondary driver",
    Level.TERTIARY: "tertiary driver",
    Level.CHANGE: "change idea",
}

LEVEL_BY_KEY = {level.key: level for level in Level}

#: The lists each level may contain, in the order they are drawn.
CHILD_KEYS: dict[Level, tuple[str, ...]] = {
    Level.AIM: ("primary",),
    Level.PRIMARY: ("secondary", "changes"),
    Level.SECONDARY: ("tertiary", "changes"),
    Level.TERTIARY: ("changes",),
    Level.CHANGE: (),
}

DEFAULT_LABELS = {
    "aim": "Aim",
    "primary": "Primary drivers",
    "secondary": "Secondary drivers",
    "tertiary": "Tertiary drivers",
    "changes": "Change ideas",
}


class Strength(str, enum.Enum):
    """How strongly a driver or change idea is believed to move its parent."""

    STRONG = "strong"
    WEAK = "weak"


class Status(str, enum.Enum):
    """Where a change idea is in its PDSA testing."""

    IDEA = "idea"
    TESTING = "testing"
    ADOPTED = "adopted"
    ABANDONED = "abandoned"


class MeasureType(str, enum.Enum):
    """What a measure tells the team (the Model for Improvement's family of measures)."""

    OUTCOME = "outcome"
    PROCESS = "process"
    BALANCING = "balancing"


class Direction(str, enum.Enum):
    """Which way a measure moves when things get better."""

    UP = "up"
    DOWN = "down"


class Rules(str, enum.Enum):
    """The rules a measure is judged by: ihi and anhoej on run charts
    (:mod:`driverdiagram.measures.runs`); shewhart, mdc and anhoej on control charts
    (:mod:`driverdiagram.measures.control`)."""

    IHI = "ihi"
    ANHOEJ = "anhoej"
    SHEWHART = "shewhart"
    MDC = "mdc"


class Act(str, enum.Enum):
    """What a team decided at the end of a PDSA cycle."""

    ADOPT = "adopt"
    ADAPT = "adapt"
    ABANDON = "abandon"


class Rating(str, enum.Enum):
    """How a coach judges their own practice in a domain, at a reflection: the
    article's question "does my practice feel strong, or is there room for
    improvement?", with a word for a domain not yet begun."""

    STRONG = "strong"
    ROOM_TO_GROW = "room-to-grow"
    NOT_YET = "not-yet"

    @property
    def words(self) -> str:
        """The rating as a person says it: 'room to grow'."""
        return self.value.replace("-", " ")

    @staticmethod
    def normal(text: str) -> str:
        """``text`` written as a rating is: lower case, its words joined by hyphens."""
        return "-".join(text.lower().replace("_", " ").replace("-", " ").split())

    @classmethod
    def named(cls, text: str, *, short: bool = False) -> Rating | None:
        """The rating ``text`` names whatever its case, and its words joined by spaces,
        hyphens or underscores ('Room to grow', 'not_yet'); with ``short``, also by its
        first letter or 'room', as a coach types at a prompt. None when it names none."""
        written = cls.normal(text)
        if short:
            written = _SHORT_RATINGS.get(written, written)
        return next((rating for rating in cls if rating.value == written), None)


#: A rating as a coach may type it in short (:meth:`Rating.named`).
_SHORT_RATINGS = {"s": "strong", "r": "room-to-grow", "room": "room-to-grow", "n": "not-yet"}


@dataclass(frozen=True)
class Reflection:
    """A coach's reflection on one practice domain (a primary driver), on a day."""

    date: dt.date
    rating: Rating
    location: Location
    note: str = ""


@dataclass(frozen=True)
class Point:
    """One period of a measure: its value (None when missing) and an optional note."""

    period: str  # as written: 2026-03 or 2026-03-15
    value: float | None
    location: Location
    note: str = ""
    numerator: float | None = None  # from a data file's numerator and denominator columns
    denominator: float | None = None

    @property
    def astronomical(self) -> bool:
        """The team marked this point as astronomical: its note starts with the word."""
        return self.note.lower().startswith("astronomical")

    @property
    def date(self) -> dt.date:
        """The period as a date: a month is its first day."""
        return period_date(self.period)


def period_date(period: str) -> dt.date:
    """``2026-03`` -> 1 March 2026; ``2026-03-15`` -> that day."""
    if len(period) == 7:
        period += "-01"
    return dt.date.fromisoformat(period)


@dataclass(frozen=True)
class Phase:
    """A new centre line and limits from a period on (a changed process), with its label."""

    start: str  # the period as written: 2026-04 or 2026-04-15
    location: Location
    label: str = ""


@dataclass(frozen=True)
class Measure:
    """A measure on a box: how the team will know a change is an improvement."""

    id: str
    name: str
    node: str  # the id of the box it belongs to
    location: Location
    type: MeasureType = MeasureType.PROCESS
    definition: str = ""
    direction: Direction | None = None
    unit: str = ""
    short: str = ""  # the label on a box's badge ('' = made from the name)
    target: float | None = None
    baseline: int | None = None
    rules: Rules = Rules.IHI
    data: str = ""  # the data file as written, when the values come from one
    data_file: str = ""  # its real path, and the hash of the bytes read from it
    data_digest: str = ""
    points: tuple[Point, ...] = ()
    generated_id: bool = False
    chart: str = "run"  # run | xmr | p | u | c (measures.kinds.CHARTS)
    exclude: tuple[str, ...] = ()  # periods left out of the centre line and limits
    phases: tuple[Phase, ...] = ()  # the phases after the first, in time order
    screen: bool = True  # XmR: leave out moving ranges of 3.267 x their mean or more
    #: the data file's heading for each column it names (``columns:``): period, value,
    #: numerator, denominator or note -> the heading, in the order written
    columns: tuple[tuple[str, str], ...] = ()
    dates: str = ""  # dmy | mdy: how the data file's dates like 01/09/2025 read
    sheet: str = ""  # the sheet of a workbook data file (``sheet:``)

    @property
    def values(self) -> list[float | None]:
        return [point.value for point in self.points]


@dataclass(frozen=True)
class Cycle:
    """One PDSA cycle of a change idea."""

    change: str  # the id of the change idea
    number: int  # 1, 2, ... in date order within its change idea
    start: dt.date
    location: Location
    end: dt.date | None = None
    name: str = ""  # the short name written, if any
    objective: str = ""
    prediction: str = ""
    plan: str = ""
    do: str = ""
    study: str = ""
    act: Act | None = None
    measures: tuple[str, ...] = ()
    owner: str = ""  # who runs the cycle, as written
    due: dt.date | None = None  # when its study is due back

    @property
    def label(self) -> str:
        """The short name a run chart marks the cycle with."""
        return self.name or f"{self.change} #{self.number}"


@dataclass(frozen=True)
class Node:
    """One box: the aim, a driver or a change idea."""

    id: str
    level: Level
    text: str
    location: Location
    notes: str = ""
    status: Status | None = None  # change ideas only; None elsewhere
    generated_id: bool = False
    owner: str = ""  # change ideas only: who leads the testing, as written
    due: dt.date | None = None  # change ideas only: when a decision is due
    focus: bool = False  # primary drivers only: a domain the coach works on now
    reflections: tuple[Reflection, ...] = ()  # primary drivers only, in date order

    @property
    def latest(self) -> Reflection | None:
        """The newest reflection, or None."""
        return self.reflections[-1] if self.reflections else None


@dataclass(frozen=True)
class Link:
    """A line from a parent box to a child box one or more columns to its right.

    ``ref`` is true for a link written as ``ref: ID`` (the box itself is written
    under another parent); ``location`` is then where the ``ref`` is written.
    """

    parent: str
    child: str
    location: Location
    strength: Strength = Strength.STRONG
    ref: bool = False


@dataclass(frozen=True)
class Diagram:
    """A checked driver diagram.

    ``nodes`` are in document order with the aim first; ``links`` in the order
    they are written. Build one with :func:`driverdiagram.load` or
    :func:`driverdiagram.loads`.
    """

    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    path: str = "<string>"
    title: str = ""
    team: str = ""
    updated: str = ""
    notes: str = ""
    labels: tuple[tuple[str, str], ...] = tuple(DEFAULT_LABELS.items())
    updated_location: Location | None = None
    primary_location: Location | None = None  # of the 'primary:' key
    measures: tuple[Measure, ...] = ()  # in file order
    cycles: tuple[Cycle, ...] = ()  # per change idea in date order, change ideas in file order
    unread: tuple[Problem, ...] = field(default=(), compare=False)  # data files left out
    #: What reading the file found that does not make it invalid, in file order: text a
    #: YAML comment cut short (severity "warning"), a data file read as Windows-1252
    #: ("note"). Not part of what the diagram says, so not compared.
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    _index: dict[str, Node] = field(default_factory=dict, init=False, repr=False, compare=False)
    _down: dict[str, list[Link]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _up: dict[str, list[Link]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for node in self.nodes:
            self._index[node.id] = node
            self._down[node.id] = []
            self._up[node.id] = []
        for link in self.links:
            self._down[link.parent].append(link)
            self._up[link.child].append(link)

    def measures_of(self, node_id: str) -> list[Measure]:
        """The measures written on this box (indexed once per diagram: a drawing asks
        for every box's, so a scan each time would make it quadratic)."""
        return list(self.memo("measures by box", self._measures_by_box).get(node_id, ()))

    def measure(self, measure_id: str) -> Measure:
        """The measure with this id (``KeyError`` if there is none)."""
        found = self.memo("measures by id", self._measures_by_id)
        if measure_id not in found:
            raise KeyError(measure_id)
        return found[measure_id]

    def cycles_of(self, change_id: str) -> list[Cycle]:
        """The PDSA cycles of this change idea, in date order."""
        return list(self.memo("cycles by idea", self._cycles_by_idea).get(change_id, ()))

    def cycles_watching(self, measure_id: str) -> list[Cycle]:
        """The cycles that name this measure, in date order."""
        return list(self.memo("cycles by measure", self._cycles_by_measure).get(measure_id, ()))

    def _measures_by_box(self) -> dict[str, list[Measure]]:
        found: dict[str, list[Measure]] = {}
        for measure in self.measures:
            found.setdefault(measure.node, []).append(measure)
        return found

    def _measures_by_id(self) -> dict[str, Measure]:
        found: dict[str, Measure] = {}
        for measure in self.measures:
            found.setdefault(measure.id, measure)  # the first, as a scan finds it
        return found

    def _cycles_by_idea(self) -> dict[str, list[Cycle]]:
        found: dict[str, list[Cycle]] = {}
        for cycle in self.cycles:
            found.setdefault(cycle.change, []).append(cycle)
        return found

    def _cycles_by_measure(self) -> dict[str, list[Cycle]]:
        found: dict[str, list[Cycle]] = {}
        for cycle in self.cycles:
            for measure_id in dict.fromkeys(cycle.measures):
                found.setdefault(measure_id, []).append(cycle)
        for cycles in found.values():
            cycles.sort(key=lambda cycle: (cycle.start, cycle.location))
        return found

    @property
    def aim(self) -> Node:
        return self.nodes[0]

    def node(self, node_id: str) -> Node:
        """The node with this id (``KeyError`` if there is none)."""
        return self._index[node_id]

    def label(self, level: Level) -> str:
        """The column heading of a level."""
        return dict(self.labels)[level.key]

    def children(self, node_id: str) -> list[Link]:
        """The links from this node, in the order they are written."""
        return list(self._down[node_id])

    def parents(self, node_id: str) -> list[Link]:
        """The links into this node, in the order they are written."""
        return list(self._up[node_id])

    def at_level(self, level: Level) -> list[Node]:
        return [node for node in self.nodes if node.level == level]

    @property
    def levels(self) -> list[Level]:
        """The levels that have at least one node, left to right."""
        present = {node.level for node in self.nodes}
        return [level for level in Level if level in present]

    def memo(self, key: str, make: Callable[[], T]) -> T:
        """What ``make`` returns, made once per diagram and kept (a diagram never
        changes): the networkx graph of :func:`driverdiagram.graph.to_graph`, say."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    @property
    def credits(self) -> list[str]:
        """What the footer says: the team and "Updated ...", those that are given."""
        parts = [self.team, f"Updated {self.updated}" if self.updated else ""]
        return [" ".join(part.split()) for part in parts if part]
