"""Our own layered layout, for large diagrams: every box and line placed here, Graphviz
only measuring the boxes and drawing them (``neato -n2``, which lays nothing out).

Graphviz ``dot`` spends time that grows with the square of a column's height on
crossings that the pinned document order leaves it nothing to improve (about 10 s at
5,000 boxes, 5 minutes at 20,000). A driver diagram's layout is simple enough to
compute directly, in time that grows with its size:

- each column's x from its level, as wide as its widest box, the gaps Graphviz's
  ``ranksep`` would leave; the headings along the top, the boxes below them;
- each column's order is :func:`driverdiagram.draw.layout.column_order` (document
  order), the same as ``dot`` is given;
- y: each parent centred on the boxes written under it, each group of siblings
  centred on its parent where the column has room, the boxes at least Graphviz's
  ``nodesep`` apart. Each column is fitted by isotonic regression (the
  pool-adjacent-violators algorithm): the closest positions to the wanted ones that
  keep the order and the gaps, in linear time; a few sweeps right to left (parents
  on their children) and left to right (children under their parents) settle it;
- every line leaves its box's right side and enters the next box's left side as a
  gentle S; a line that skips a column crosses it horizontally through a gap
  between two of its boxes (the gap nearest its way, a wide one if there is one
  near), so no line passes through a box.

The DOT it draws is :func:`driverdiagram.draw.dot.dot_parts`'s, so the ids, classes,
labels, themes, marks and arrows are those of a ``dot`` drawing.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence

from ..model import Diagram, Level
from .dot import Parts
from .graphviz import sizes
from .layout import NODESEP, RANKSEP, home

#: The layouts a drawing may ask for: ``auto`` is ``own`` from :data:`OWN_FROM` boxes.
LAYOUTS = ("auto", "own", "dot")
#: From this many boxes ``auto`` lays a diagram out itself (measured with
#: benchmarks/layout.py: below it ``dot`` is quick enough and draws the same picture).
OWN_FROM = 1000
#: The length of an arrowhead, in points: Graphviz's 10 times the edges' arrowsize (0.7).
ARROW = 7.0
#: How many sweeps (right to left, then left to right) settle the columns.
SWEEPS = 3
#: A gap between two boxes this tall or taller takes a line through it comfortably.
WIDE_GAP = 12.0
#: How far, in points, a line that skips a column keeps from the boxes it passes.
CLEARANCE = 3.0


def chosen(diagram: Diagram, layout: str) -> str:
    """The layout a drawing gets: ``own`` or ``dot`` (``auto`` chooses by size)."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    if layout == "auto":
        return "own" if len(diagram.nodes) >= OWN_FROM else "dot"
    return layout


def pinned(parts: Parts, diagram: Diagram, arrows: str = "none") -> str:
    """The DOT of ``parts`` with every node and line at the place this layout gives it,
    for ``neato -n2``. Graphviz runs once here, to measure the boxes."""
    names = [name for kind, _, name, _ in parts.statements if kind == "node"]
    measured = sizes(_measuring(parts), name=diagram.path)
    size = {name: measured.get(f"m{index}", (1.0, 1.0)) for index, name in enumerate(names)}
    kids, refs = _children(diagram)
    column = {name: index for index, names in enumerate(parts.columns) for name in names}
    # what each parent centres on: the boxes written under it (else those it refs) in
    # the nearest column they are in; one further right (a change idea straight under a
    # primary driver, which may sit far down its column) only draws a line
    targets: dict[str, list[str]] = {}
    for name in dict.fromkeys([*kids, *refs]):
        under = kids.get(name) or refs[name]
        nearest = min(column[child] for child in under)
        targets[name] = [child for child in under if column[child] == nearest]
    targets[diagram.aim.id] = _aim_target(diagram, parts) or targets.get(diagram.aim.id, [])
    places = Places(parts.columns, size)
    places.settle(kids, targets)
    edges = [
        _route(places, parent, child, arrows)
        for kind, _, parent, child in parts.statements
        if kind == "edge"
    ]
    nodes = {name: f'pos="{_point(places.x[name], places.y[name])}"' for name in names}
    return parts.source(nodes, edges, pins=False)


def _measuring(parts: Parts) -> str:
    """The nodes alone, each at the origin under a name of our own (``m0``, ``m1``...)."""
    out: list[str] = []
    index = 0
    for kind, text, _, _ in parts.statements:
        if kind == "line":
            out.append(text)
        elif kind == "node":
            out.append(f'  m{index} [{text}, pos="0,0"]')
            index += 1
    return "\n".join(out) + "\n"


def _children(diagram: Diagram) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each box's boxes written under it (home children) and those it only refs."""
    kids: dict[str, list[str]] = {}
    refs: dict[str, list[str]] = {}
    for link in diagram.links:
        into = kids if home(diagram, link.child) == link else refs
        into.setdefault(link.parent, []).append(link.child)
    return kids, refs


def _aim_target(diagram: Diagram, parts: Parts) -> list[str]:
    """The boxes the aim centres on: the middle primary driver when there is one (as
    ``dot`` lines it up), else all of them."""
    if len(parts.columns) < 2:
        return []
    primaries = [name for name in parts.columns[1][1:] if name not in ("key", "credits")]
    if len(primaries) % 2 == 1 and diagram.levels[1] == Level.PRIMARY:
        return [primaries[len(primaries) // 2]]
    return primaries


class Places:
    """Where each node of the columns stands: its centre (x, y), y counted down from
    the top of the headings, in points."""

    def __init__(self, columns: list[list[str]], size: dict[str, tuple[float, float]]) -> None:
        self.columns = columns
        self.size = size
        self.x: dict[str, float] = {}
        self.y: dict[str, float] = {}
        self.column: dict[str, int] = {}
        self._gaps: dict[int, tuple[list[float], list[float]]] = {}
        self.left: list[float] = []
        self.right: list[float] = []
        left = 0.0
        for index, column in enumerate(columns):
            width = max(size[name][0] for name in column)
            self.left.append(left)
            self.right.append(left + width)
            for name in column:
                self.x[name] = left + width / 2
                self.column[name] = index
            left += width + RANKSEP
        heading = max(size[column[0]][1] for column in columns)
        for column in columns:
            self.y[column[0]] = heading / 2
        self.top = heading + NODESEP  # the top of every column's first box
        # each column's boxes (the footer is placed last, under everything)
        self.bodies = [[name for name in column[1:] if name != "credits"] for column in columns]
        for body in self.bodies:
            self._fit(body, [None] * len(body))

    def settle(self, kids: dict[str, list[str]], targets: dict[str, list[str]]) -> None:
        """Sweep the columns: parents onto their ``targets``, children (``kids``, the
        boxes written under each parent) under their parents."""
        last = len(self.columns) - 1
        for sweep in range(SWEEPS):
            if sweep % 2 == 0:
                for index in range(last - 1, -1, -1):
                    self._centre_parents(self.bodies[index], targets)
            else:
                for index in range(1, last + 1):
                    self._follow_parents(self.bodies[index - 1 :: -1], self.bodies[index], kids)
        self._footer()

    def _centre_parents(self, body: list[str], targets: dict[str, list[str]]) -> None:
        wanted: list[float | None] = []
        for name in body:
            under = targets.get(name)
            if under:
                ys = [self.y[child] for child in under]
                wanted.append((min(ys) + max(ys)) / 2)
            else:
                wanted.append(None)
        self._fit(body, wanted)

    def _follow_parents(
        self, before: Sequence[list[str]], body: list[str], kids: dict[str, list[str]]
    ) -> None:
        """Each group of siblings in this column moved to centre on its parent."""
        inside = {name: index for index, name in enumerate(body)}
        wanted: list[float | None] = [None] * len(body)
        for parents in before:
            for parent in parents:
                group = [inside[child] for child in kids.get(parent, ()) if child in inside]
                if not group:
                    continue
                ys = [self.y[body[index]] for index in group]
                shift = self.y[parent] - (min(ys) + max(ys)) / 2
                for index in group:
                    wanted[index] = self.y[body[index]] + shift
        for index, name in enumerate(body):  # a box without a parent (the key) stays
            if wanted[index] is None and name in self.y:
                wanted[index] = self.y[name]
        self._fit(body, wanted)

    def _fit(self, body: list[str], wanted: list[float | None]) -> None:
        """Place the boxes of a column as near the ``wanted`` centres as the order and
        the gaps allow (least squares; a box that wants nothing follows the one above)."""
        if not body:
            return
        heights = [self.size[name][1] for name in body]
        offsets = [0.0]
        for upper, lower in itertools.pairwise(heights):
            offsets.append(offsets[-1] + (upper + lower) / 2 + NODESEP)
        lowest = self.top + heights[0] / 2
        values: list[float] = []
        weights: list[float] = []
        for index, want in enumerate(wanted):
            if want is None:
                values.append(values[-1] if values else lowest)
                weights.append(1e-3)
            else:
                values.append(want - offsets[index])
                weights.append(1.0)
        for index, value in enumerate(isotonic(values, weights)):
            self.y[body[index]] = max(value, lowest) + offsets[index]

    def _footer(self) -> None:
        for index, column in enumerate(self.columns):
            if "credits" in column:
                bottom = max(
                    self.y[name] + self.size[name][1] / 2 for body in self.bodies for name in body
                )
                self.y["credits"] = bottom + NODESEP + self.size["credits"][1] / 2
                self.x["credits"] = self.right[index] - self.size["credits"][0] / 2

    def gaps(self, index: int) -> tuple[list[float], list[float]]:
        """:meth:`free`, worked out once per column."""
        if index not in self._gaps:
            self._gaps[index] = self.free(index)
        return self._gaps[index]

    def free(self, index: int) -> tuple[list[float], list[float]]:
        """The free stretches of a column a line can cross it through, top to bottom:
        their tops and bottoms (under the heading, between boxes, under the last)."""
        column = self.columns[index]
        names = sorted(column[1:], key=lambda name: self.y[name])
        tops = [self.y[column[0]] + self.size[column[0]][1] / 2]
        bottoms: list[float] = []
        for name in names:
            half = self.size[name][1] / 2
            bottoms.append(self.y[name] - half)
            tops.append(self.y[name] + half)
        bottoms.append(float("inf"))
        return tops, bottoms

    def clear(self, index: int, points: Sequence[tuple[float, float]]) -> bool:
        """Whether a cubic (four points) stays at least :data:`CLEARANCE` from every box
        of column ``index``: sampled, each sample looked up among the column's gaps."""
        tops, bottoms = self.gaps(index)
        left, right = self.left[index] - CLEARANCE, self.right[index] + CLEARANCE
        for x, y in _samples(points):
            if left <= x <= right:
                at = bisect.bisect_right(tops, y) - 1
                if at < 0 or not tops[at] + CLEARANCE <= y <= bottoms[at] - CLEARANCE:
                    return False
        return True


def isotonic(values: Sequence[float], weights: Sequence[float]) -> list[float]:
    """The non-decreasing sequence nearest ``values`` in weighted least squares (the
    pool-adjacent-violators algorithm, linear time)."""
    means: list[float] = []
    totals: list[float] = []
    counts: list[int] = []
    for value, weight in zip(values, weights, strict=True):
        means.append(value)
        totals.append(weight)
        counts.append(1)
        while len(means) > 1 and means[-2] > means[-1]:
            mean, total, count = means.pop(), totals.pop(), counts.pop()
            merged = totals[-1] + total
            means[-1] = (means[-1] * totals[-1] + mean * total) / merged
            totals[-1] = merged
            counts[-1] += count
    fitted: list[float] = []
    for mean, count in zip(means, counts, strict=True):
        fitted.extend([mean] * count)
    return fitted


def _route(places: Places, parent: str, child: str, arrows: str) -> str:
    """A line's ``pos``: from the parent's right side to the child's left side, through
    a gap of each column it skips, as one B-spline (with an arrowhead's tip)."""
    start = (places.x[parent] + places.size[parent][0] / 2, places.y[parent])
    end = (places.x[child] - places.size[child][0] / 2, places.y[child])
    prefix = ""
    if arrows == "to-aim":
        prefix = f"s,{_point(*start)} "
        start = (start[0] + ARROW, start[1])
    elif arrows == "from-aim":
        prefix = f"e,{_point(*end)} "
        end = (end[0] - ARROW, end[1])
    points = [start]
    first, last = places.column[parent], places.column[child]
    direct = _curve(start, end)
    if all(places.clear(index, [start, *direct]) for index in range(first + 1, last)):
        points += direct  # one gentle S over the columns between, clear of their boxes
        return 'pos="' + prefix + " ".join(_point(*point) for point in points) + '"'
    at = start
    for index in range(first + 1, last):
        left, right = places.left[index], places.right[index]
        # where a straight way from here to the end would cross the column's middle
        share = ((left + right) / 2 - at[0]) / max(end[0] - at[0], 1.0)
        through = _through(places, index, at[1] + (end[1] - at[1]) * share)
        points += _curve(at, (left, through))
        points += _straight((left, through), (right, through))
        at = (right, through)
    points += _curve(at, end)
    return 'pos="' + prefix + " ".join(_point(*point) for point in points) + '"'


def _through(places: Places, index: int, wanted: float) -> float:
    """The height at which a line crosses column ``index``: inside a free stretch near
    ``wanted``, a wide one if one is near."""
    tops, bottoms = places.gaps(index)
    at = bisect.bisect_left(tops, wanted)
    best: tuple[float, float] | None = None
    for gap in range(max(at - 3, 0), min(at + 3, len(tops))):
        top, bottom = tops[gap], bottoms[gap]
        room = bottom - top
        if room <= 0:
            continue
        margin = min(WIDE_GAP / 2, room / 2)
        height = min(max(wanted, top + margin), bottom - margin)
        cost = abs(height - wanted) + (0 if room >= WIDE_GAP else 4 * WIDE_GAP)
        if best is None or cost < best[0]:
            best = (cost, height)
    return best[1] if best is not None else wanted


def _samples(points: Sequence[tuple[float, float]], steps: int = 24) -> list[tuple[float, float]]:
    """Points along a cubic (its four control points), its ends included."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
    out = []
    for step in range(steps + 1):
        t = step / steps
        a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
        out.append((a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3))
    return out


def _curve(start: tuple[float, float], end: tuple[float, float]) -> list[tuple[float, float]]:
    """A cubic from ``start`` to ``end`` leaving and arriving level: an S between columns."""
    half = (end[0] - start[0]) / 2
    return [(start[0] + half, start[1]), (end[0] - half, end[1]), end]


def _straight(start: tuple[float, float], end: tuple[float, float]) -> list[tuple[float, float]]:
    third = (end[0] - start[0]) / 3
    return [(start[0] + third, start[1]), (start[0] + 2 * third, end[1]), end]


def _point(x: float, y: float) -> str:
    """A point in Graphviz's coordinates (y up), to the hundredth of a point."""
    return f"{_number(x)},{_number(-y)}"


def _number(value: float) -> str:
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text
