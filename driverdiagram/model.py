"""The driver diagram as frozen data: nodes, links and the diagram that holds them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .errors import Location

if TYPE_CHECKING:
    import networkx as nx


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


@dataclass(frozen=True)
class Link:
    """A line from a parent box to a child box one or more columns to its right."""

    parent: str
    child: str
    location: Location
    strength: Strength = Strength.STRONG


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
    _index: dict[str, Node] = field(default_factory=dict, init=False, repr=False, compare=False)
    _down: dict[str, list[Link]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _up: dict[str, list[Link]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for node in self.nodes:
            self._index[node.id] = node
            self._down[node.id] = []
            self._up[node.id] = []
        for link in self.links:
            self._down[link.parent].append(link)
            self._up[link.child].append(link)

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

    @property
    def credits(self) -> list[str]:
        """What the footer says: the team and "Updated ...", those that are given."""
        parts = [self.team, f"Updated {self.updated}" if self.updated else ""]
        return [" ".join(part.split()) for part in parts if part]

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The diagram as a networkx DiGraph (edges run from parent to child)."""
        from .graph import to_graph

        return to_graph(self)

    def _repr_svg_(self) -> str:
        """Jupyter shows a diagram as its SVG drawing."""
        from .renderer import render

        return render(self, "svg").decode("utf-8")
