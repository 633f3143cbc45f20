"""Where Graphviz puts each box: the DOT the drawings use, laid out by ``dot -Tjson0``
(through the one runner, with its time limit), read back as boxes and links in
points with the origin at the top left, then fitted to an area of a slide."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from ..draw.dot import to_dot
from ..draw.graphviz import run_dot
from ..draw.layout import badges, fit_change_column
from ..errors import Location, RenderError
from ..model import Diagram
from ..style import Theme

#: A box is at most this many times the size Graphviz gave it (as a drawing on a page).
MAX_ENLARGE = 1.5


@dataclass(frozen=True)
class Box:
    """A node Graphviz placed: a box, a column heading, the key or the credits. Points,
    ``x`` and ``y`` its top left corner, y growing downwards as on a slide."""

    id: str
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Layout:
    """A diagram as Graphviz laid it out: its boxes by node name (``heading:primary``,
    ``key`` and ``credits`` among them), its links (parent, child, begin, end) in
    drawing order, the theme with the column widths that layout used, and the factor
    it was scaled by (1 as Graphviz drew it)."""

    boxes: dict[str, Box]
    links: tuple[tuple[str, str, tuple[float, float], tuple[float, float]], ...]
    theme: Theme
    scale: float = 1.0

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """Left, top, right and bottom of everything drawn."""
        boxes = self.boxes.values()
        return (
            min(box.x for box in boxes),
            min(box.y for box in boxes),
            max(box.right for box in boxes),
            max(box.bottom for box in boxes),
        )

    def fitted(self, left: float, top: float, width: float, height: float) -> Layout:
        """The layout scaled to fit the area (shrunk as needed, enlarged by at most
        :data:`MAX_ENLARGE`), centred across it and set at its top."""
        x0, y0, x1, y1 = self.bounds
        scale = min(width / max(x1 - x0, 1.0), height / max(y1 - y0, 1.0), MAX_ENLARGE)
        dx = left + (width - (x1 - x0) * scale) / 2

        def point(x: float, y: float) -> tuple[float, float]:
            return dx + (x - x0) * scale, top + (y - y0) * scale

        boxes = {
            name: replace(
                box,
                x=point(box.x, box.y)[0],
                y=point(box.x, box.y)[1],
                width=box.width * scale,
                height=box.height * scale,
            )
            for name, box in self.boxes.items()
        }
        links = tuple(
            (parent, child, point(*begin), point(*end)) for parent, child, begin, end in self.links
        )
        return Layout(boxes, links, self.theme, self.scale * scale)


def place(diagram: Diagram, theme: Theme, area: tuple[float, float]) -> Layout:
    """Lay ``diagram`` out with Graphviz as the drawings are, shaped for ``area``
    (width and height in points). Raises :class:`RenderError` if Graphviz fails or
    is missing (:class:`GraphvizNotFound`)."""
    source = to_dot(diagram, theme=theme, page=area)
    output = run_dot(source, "json0", name=diagram.path)
    try:
        graph = json.loads(output)
        return _read(graph, fit_change_column(diagram, theme, area, badges(diagram)))
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise RenderError.at(
            Location(diagram.path), f"Graphviz wrote a layout that cannot be read ({error})"
        ) from error


def _read(graph: dict[str, object], theme: Theme) -> Layout:
    height = float(str(graph["bb"]).split(",")[3])
    names: dict[int, str] = {}
    boxes: dict[str, Box] = {}
    for item in graph.get("objects", []):  # type: ignore[attr-defined]
        if "pos" not in item:
            continue  # a subgraph (a rank), not a node
        x, y = (float(part) for part in item["pos"].split(","))
        width, tall = float(item["width"]) * 72, float(item["height"]) * 72
        names[item["_gvid"]] = item["name"]
        boxes[item["name"]] = Box(item["name"], x - width / 2, height - y - tall / 2, width, tall)
    links = []
    for edge in graph.get("edges", []):  # type: ignore[attr-defined]
        if not str(edge.get("id", "")).startswith("dd-link-"):
            continue  # the invisible edges that pin the order
        points = [
            tuple(float(part) for part in token.split(","))
            for token in edge["pos"].split()
            if not token.startswith(("s,", "e,"))
        ]
        begin, end = points[0], points[-1]
        links.append(
            (
                names[edge["tail"]],
                names[edge["head"]],
                (begin[0], height - begin[1]),
                (end[0], height - end[1]),
            )
        )
    return Layout(boxes, tuple(links), theme)
