"""What the importers (json, csv, outline) share: which level may hold which, the
checks every imported tree needs, and the ids its boxes get.

An import's boxes keep the ids the user gave them. A box without one (FreeSPC's
numbers, a spreadsheet's cells, an outline's lines) gets the id the YAML that
``driverdiagram import`` prints gives it when it is read back: the loader's
made-up id for its place (p1, p1.s2, p1.s2.c1), or, for a box under several
parents, one from its text ('daily-safety-huddle', as ``ref`` needs). So the
diagram an import returns and the diagram its YAML loads as are the same.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import Location, Problem
from ..graph import Draft
from ..model import CHILD_KEYS, LEVEL_BY_KEY, Level, Link
from ..text import new_id
from .diagram import ID_LETTERS, measure_ids


def may_hold(parent: Level, child: Level) -> bool:
    """Whether a box of level ``parent`` may have a ``child`` box under it."""
    return child.key in CHILD_KEYS[parent]


def holds(parent: Level) -> str:
    """What a box of this level may hold, in words: 'a primary driver holds secondary
    drivers and change ideas'."""
    nouns = [LEVEL_BY_KEY[key].noun + "s" for key in CHILD_KEYS[parent]]
    article = "an" if parent.noun[0] in "aeiou" else "a"
    return f"{article} {parent.noun} holds {' and '.join(nouns) if nouns else 'nothing'}"


def finish(draft: Draft, where: Location) -> None:
    """The checks every import needs before :func:`driverdiagram.graph.check`; then,
    for a draft without problems, the ids of its boxes and measures, and the order of
    its boxes, measures and cycles, as the YAML it prints will have them. ``where``
    is the aim's place, for a diagram without a primary driver."""
    nodes = draft.nodes
    if (
        not draft.problems  # a primary driver that could not be read is reported already
        and nodes
        and nodes[0].level == Level.AIM
        and not any(node.level == Level.PRIMARY for node in nodes)
    ):
        draft.problems.append(
            Problem(where, "the diagram has no primary driver; add at least one under the aim")
        )
    if not draft.problems:
        _box_ids(draft)
    if not draft.problems:
        _written_order(draft)
    measure_ids(draft)


def _box_ids(draft: Draft) -> None:
    """Give each box without an id of its own the one its YAML will give it (see the
    module's docstring), renaming its links, measures and cycles with it."""
    aim = draft.nodes[0]
    links = sorted(draft.links, key=lambda link: (link.location.line, link.location.column))
    parents: dict[str, int] = {}
    for link in links:
        parents[link.child] = parents.get(link.child, 0) + 1
    taken = {node.id for node in draft.nodes if not node.generated_id}
    taken.update(measure.id for measure in draft.measures if not measure.generated_id)
    if aim.generated_id and "aim" in taken:
        box = next(node for node in draft.nodes if node.id == "aim")
        draft.problems.append(
            Problem(box.location, "the id 'aim' belongs to the aim; choose another id")
        )
        return
    new: dict[str, str] = {aim.id: "aim"} if aim.generated_id else {}
    for node in draft.nodes:
        if node.generated_id and parents.get(node.id, 0) > 1:
            new[node.id] = new_id(node.text, taken)
            taken.add(new[node.id])
    shared = set(new)
    homes: dict[str, list[Link]] = {}
    for link in links:
        if not link.ref:
            homes.setdefault(link.parent, []).append(link)
    level = {node.id: node.level for node in draft.nodes}
    made_up = {node.id for node in draft.nodes if node.generated_id}
    stack = [(aim.id, "")]
    while stack:
        parent, position = stack.pop()
        counts: dict[Level, int] = {}
        for link in homes.pop(parent, []):  # popped: each box is placed once
            child_level = level[link.child]
            counts[child_level] = counts.get(child_level, 0) + 1
            place = f"{ID_LETTERS[child_level]}{counts[child_level]}"
            place = f"{position}.{place}" if position else place
            if place in taken:  # as the loader does: a made-up id never takes a given one
                place = "_" + place
            if link.child in made_up and link.child not in new:
                new[link.child] = place
            stack.append((link.child, place))
    if not new:
        return
    draft.nodes = [
        replace(node, id=new[node.id], generated_id=node.id not in shared and node is not aim)
        if node.id in new
        else node
        for node in draft.nodes
    ]
    draft.links = [
        replace(
            link, parent=new.get(link.parent, link.parent), child=new.get(link.child, link.child)
        )
        for link in draft.links
    ]
    draft.measures = [replace(m, node=new.get(m.node, m.node)) for m in draft.measures]
    draft.cycles = [replace(c, change=new.get(c.change, c.change)) for c in draft.cycles]


def _written_order(draft: Draft) -> None:
    """Boxes in the order the YAML writes them: depth first from the aim, each box's
    children list by list (a list per level, in the order of its first box), as
    links are read in the file; measures and cycles box by box in that order (the
    loader numbers made-up measure ids in it)."""
    children: dict[str, list[Link]] = {}
    for link in sorted(draft.links, key=lambda link: (link.location.line, link.location.column)):
        children.setdefault(link.parent, []).append(link)
    level = {node.id: node.level for node in draft.nodes}
    order: dict[str, int] = {}
    stack = [draft.nodes[0].id]
    while stack:
        node_id = stack.pop()
        order[node_id] = len(order)
        lists: dict[Level, list[Link]] = {}  # a list's place is its first link's, ref or not
        for link in children.pop(node_id, []):
            lists.setdefault(level[link.child], []).append(link)
        written = [link.child for links in lists.values() for link in links if not link.ref]
        stack.extend(reversed(written))
    last = len(order)  # (every box is reached: each has a link from a box to its left)
    draft.nodes.sort(key=lambda node: order.get(node.id, last))
    draft.measures.sort(key=lambda measure: order.get(measure.node, last))
    draft.cycles.sort(key=lambda cycle: order.get(cycle.change, last))
