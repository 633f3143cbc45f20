"""Draft -> checked Diagram: resolves references and checks the structure on a networkx graph.

Every reader (:mod:`driverdiagram.readers`) produces a :class:`Draft` located in the
user's own file; :func:`check` turns it into a :class:`~driverdiagram.model.Diagram`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from .errors import InvalidDiagram, Location, Problem
from .files import Revision
from .model import DEFAULT_LABELS, Cycle, Diagram, Level, Link, Measure, Node, Strength
from .text import suggest


@dataclass(frozen=True)
class Ref:
    """A ``{ref: ID}`` entry: one more link to a node written elsewhere."""

    parent: str
    target: str
    level: Level
    location: Location
    strength: Strength = Strength.STRONG


@dataclass
class Draft:
    """What the file says, before references are resolved and the structure checked."""

    path: str
    nodes: list[Node] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    title: str = ""
    team: str = ""
    updated: str = ""
    notes: str = ""
    labels: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LABELS))
    updated_location: Location | None = None
    primary_location: Location | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # see Diagram.warnings
    base_dir: str | None = None  # where data files are read from (None: nowhere)
    revision: Revision | None = None  # read from git: data files from the same revision
    data: str = "required"  # "required", "optional" (absent files noted) or "none" (not read)
    unread: list[Problem] = field(default_factory=list)  # data files absent, when optional
    # data files' bytes by real path, read instead of the files on disk: an edit checks
    # the data it is about to write (driverdiagram.edit)
    data_bytes: dict[str, bytes] = field(default_factory=dict)
    measures: list[Measure] = field(default_factory=list)
    cycles: list[Cycle] = field(default_factory=list)
    measure_refs: list[tuple[str, Location]] = field(default_factory=list)  # from cycles


#: The levels a link may lead to from each level (change ideas hang from any driver).
ALLOWED_CHILDREN: dict[Level, frozenset[Level]] = {
    Level.AIM: frozenset({Level.PRIMARY}),
    Level.PRIMARY: frozenset({Level.SECONDARY, Level.CHANGE}),
    Level.SECONDARY: frozenset({Level.TERTIARY, Level.CHANGE}),
    Level.TERTIARY: frozenset({Level.CHANGE}),
    Level.CHANGE: frozenset(),
}


def check(draft: Draft) -> Diagram:
    """Resolve the draft's references, check its structure and return the diagram.

    Raises :class:`InvalidDiagram` with every problem of the file (those found
    while reading it and those found here), in the order they appear in the file,
    its warnings among them (a comment that cut a text short may be why a box is
    empty).
    """
    problems = list(draft.problems)
    graph = _graph(draft.nodes, draft.links)
    links = list(draft.links)
    for ref in draft.refs:
        link = _resolve(ref, graph, problems)
        if link is not None:
            graph.add_edge(link.parent, link.child, link=link)
            links.append(link)
    if not problems:
        problems.extend(_structure(graph))
    warnings = sorted(draft.warnings, key=lambda problem: _file_order(problem, draft.path))
    if problems:
        # the diagram file's problems first, then those in its data files
        problems = sorted([*problems, *warnings], key=lambda p: _file_order(p, draft.path))
        raise InvalidDiagram(problems)
    return Diagram(
        nodes=tuple(draft.nodes),
        links=tuple(sorted(links, key=lambda link: (link.location.line, link.location.column))),
        path=draft.path,
        title=draft.title,
        team=draft.team,
        updated=draft.updated,
        notes=draft.notes,
        labels=tuple(draft.labels.items()),
        updated_location=draft.updated_location,
        primary_location=draft.primary_location,
        measures=tuple(draft.measures),
        cycles=tuple(draft.cycles),
        unread=tuple(draft.unread),
        warnings=tuple(warnings),
    )


def _file_order(problem: Problem, path: str) -> tuple[bool, str, int, int]:
    return (problem.path != path, problem.path, problem.line, problem.column)


def to_graph(diagram: Diagram) -> nx.DiGraph:
    """The diagram as a DiGraph: node attributes ``node`` (a Node), ``level``, ``text``;
    edge attributes ``link`` (a Link) and ``strength``. Made once per diagram."""
    return diagram.memo("graph", lambda: _graph(diagram.nodes, diagram.links))


def _graph(
    nodes: list[Node] | tuple[Node, ...], links: list[Link] | tuple[Link, ...]
) -> nx.DiGraph:
    graph = nx.DiGraph()
    for node in nodes:
        if node.id not in graph:  # a duplicate id was reported while reading
            graph.add_node(node.id, node=node, level=node.level, text=node.text)
    for link in links:
        # a link from a box that was not read (a missing aim, say) is already reported
        if link.parent in graph and link.child in graph:
            graph.add_edge(link.parent, link.child, link=link, strength=link.strength.value)
    return graph


def _resolve(ref: Ref, graph: nx.DiGraph, problems: list[Problem]) -> Link | None:
    """The link a ``ref`` adds, or None after reporting why it cannot be made."""
    target = ref.target
    if target in graph and graph.nodes[target]["node"].generated_id:
        problems.append(
            Problem(
                ref.location,
                f"'{target}' is a made-up id (the position of a box that has no id) and cannot"
                " be referenced; give that box an 'id' and refer to that",
            )
        )
        return None
    if target not in graph:
        same_level = sorted(
            node_id
            for node_id, data in graph.nodes(data=True)
            if data["level"] == ref.level and not data["node"].generated_id
        )
        hint = suggest(target, same_level, count=3)
        if not hint:
            hint = f"; give the {ref.level.noun} you mean 'id: {target}'"
        problems.append(Problem(ref.location, f"unknown id '{target}' in 'ref'{hint}"))
        return None
    if target == ref.parent:
        problems.append(Problem(ref.location, f"'{target}' cannot be linked to itself"))
        return None
    found: Level = graph.nodes[target]["level"]
    if found != ref.level:
        problems.append(
            Problem(
                ref.location,
                f"'{target}' is {_article(found.noun)}, but a ref under '{ref.level.key}' must"
                f" name {_article(ref.level.noun)}",
            )
        )
        return None
    if graph.has_edge(ref.parent, target):
        first: Link = graph.edges[ref.parent, target]["link"]
        parent: Node = graph.nodes[ref.parent]["node"]
        problems.append(
            Problem(
                ref.location,
                f"'{target}' is already linked to {_name(parent)} (line {first.location.line});"
                " remove this repeat",
            )
        )
        return None
    return Link(ref.parent, target, ref.location, ref.strength, ref=True)


def _structure(graph: nx.DiGraph) -> list[Problem]:
    """Checks that hold by construction for every file the reader accepts.

    They guard the invariants later steps rely on (columns, reachability, no
    cycles), so a bug in the reader cannot produce a drawing that lies.
    """
    problems: list[Problem] = []
    aims = [node_id for node_id, level in graph.nodes(data="level") if level == Level.AIM]
    if len(aims) != 1:
        raise AssertionError(f"a diagram has exactly one aim, found {len(aims)}")
    for parent, child, link in graph.edges(data="link"):
        parent_level: Level = graph.nodes[parent]["level"]
        child_level: Level = graph.nodes[child]["level"]
        if child_level not in ALLOWED_CHILDREN[parent_level]:
            problems.append(
                Problem(
                    link.location,
                    f"{_article(parent_level.noun)} cannot lead to {_article(child_level.noun)}",
                )
            )
    reachable = nx.descendants(graph, aims[0]) | {aims[0]}
    for node_id in graph.nodes:
        if node_id not in reachable:
            node: Node = graph.nodes[node_id]["node"]
            problems.append(Problem(node.location, f"'{node.text}' is not connected to the aim"))
    if not nx.is_directed_acyclic_graph(graph):
        raise AssertionError("links always run to a later column, so there can be no cycle")
    return problems


def _name(node: Node) -> str:
    """How a message names a box: its id, or the start of its text when it has none."""
    if not node.generated_id:
        return f"'{node.id}'"
    text = " ".join(node.text.split())
    return f"'{text[:40]}...'" if len(text) > 43 else f"'{text}'"


def _article(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun
