"""Smaller views of a big diagram: one driver in focus, or only the first levels."""

from __future__ import annotations

from dataclasses import replace

import networkx as nx

from .errors import InvalidDiagram, Location
from .graph import to_graph
from .model import Diagram
from .text import suggest


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
    hidden: dict[str, int] = {}
    for node_id in keep:
        below = nx.descendants(to_graph(diagram), node_id) - keep
        if below:
            hidden[node_id] = len(below)
    return _subset(diagram, keep), hidden


def _subset(diagram: Diagram, keep: set[str]) -> Diagram:
    nodes = tuple(node for node in diagram.nodes if node.id in keep)
    links = tuple(link for link in diagram.links if link.parent in keep and link.child in keep)
    return replace(diagram, nodes=nodes, links=links)
