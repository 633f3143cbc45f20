"""Smaller views of a big diagram: one driver in focus, or only the first levels."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import networkx as nx

from .errors import InvalidDiagram, Location
from .graph import to_graph
from .model import Diagram, Level, Node
from .text import singular, suggest


def focus(diagram: Diagram, node_id: str) -> Diagram:
    """The box ``node_id``, every path from it to the aim, and everything under it."""
    if node_id not in to_graph(diagram):
        ids = [node.id for node in diagram.nodes]
        hint = suggest(node_id, ids, count=3) or " (ids are shown by 'driverdiagram outline')"
        raise InvalidDiagram.at(Location(diagram.path), f"no box with id '{node_id}'{hint}")
    graph = to_graph(diagram)
    keep = {node_id} | nx.ancestors(graph, node_id) | nx.descendants(graph, node_id)
    return _subset(diagram, keep)


def depth(diagram: Diagram, levels: int) -> tuple[Diagram, dict[str, int]]:
    """Only the boxes at most ``levels`` links from the aim (1: the primary drivers);
    with, for each box whose children were folded away, how many boxes it holds."""
    distance = nx.single_source_shortest_path_length(to_graph(diagram), diagram.aim.id)
    keep = {node_id for node_id, steps in distance.items() if steps <= levels}
    graph = to_graph(diagram)
    hidden: dict[str, int] = {}
    for node_id in keep:
        # the boxes folded away under this one: reached through folded boxes only, so a
        # box shown (a primary driver under the aim) counts what is under it, not the aim
        below: set[str] = set()
        waiting = [child for child in graph.successors(node_id) if child not in keep]
        while waiting:
            box = waiting.pop()
            if box not in below:
                below.add(box)
                waiting.extend(child for child in graph.successors(box) if child not in keep)
        if below:
            hidden[node_id] = len(below)
    return _subset(diagram, keep), hidden


def _subset(diagram: Diagram, keep: set[str]) -> Diagram:
    nodes = tuple(node for node in diagram.nodes if node.id in keep)
    links = tuple(link for link in diagram.links if link.parent in keep and link.child in keep)
    return replace(diagram, nodes=nodes, links=links)


@dataclass(frozen=True)
class Part:
    """One primary driver's part of a split view: the aim, that driver and all under
    it, headed "Primary driver 2 of 4: ...", with ``shared`` naming each box in it that
    other primary drivers drive too (box id -> how many others), the box where the
    sharing starts and not the boxes under it."""

    number: int
    of: int
    primary: Node
    view: Diagram
    shared: dict[str, int]

    @property
    def heading(self) -> str:
        return f"{singular(self.view.label(Level.PRIMARY))} {self.number} of {self.of}: " + (
            " ".join(self.primary.text.split())
        )


def parts(diagram: Diagram) -> list[Part]:
    """The diagram split by primary driver, in file order (see :class:`Part`)."""
    graph = to_graph(diagram)
    primaries = diagram.at_level(Level.PRIMARY)
    under = {primary.id: nx.descendants(graph, primary.id) for primary in primaries}
    served = Counter(box for boxes in under.values() for box in boxes)
    found = []
    for number, primary in enumerate(primaries, start=1):
        mine = under[primary.id]
        # a shared box is marked where the sharing starts: not again on every box under it
        shared = {
            box: served[box] - 1
            for box in sorted(mine)
            if served[box] > 1
            and not any(served[parent] > 1 for parent in graph.predecessors(box) if parent in mine)
        }
        view = _subset(diagram, {diagram.aim.id, primary.id} | mine)
        found.append(Part(number, len(primaries), primary, view, shared))
    return found
