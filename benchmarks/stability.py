"""Layout stability, measured: crossings, and how far unrelated boxes move when one
``ref`` is added (issue 17, item 5).

For each diagram (the examples, the templates and the valid cases), Graphviz lays it
out (``dot -Tjson``) as driverdiagram draws it; then, for each box that could take
one more parent (a box in a column after the first driver column), one ``ref`` is
added from the first box of the column before that does not drive it yet, and the
diagram is laid out again. Reported, per diagram: the links that cross (a pair of
links between the same two columns whose ends are in opposite orders), before; and,
over all the one-ref additions tried, the median and largest number of *unrelated*
boxes (neither end of the new link) whose place in its column changed, and the
largest vertical move of an unrelated box as a share of its column's height.

    .venv/bin/python benchmarks/stability.py [FILE...]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import driverdiagram as dd
from driverdiagram.draw.layout import column_order
from driverdiagram.model import Level, Link

ROOT = Path(__file__).resolve().parent.parent
#: At most this many one-ref additions per diagram (spread over its boxes).
TRIES = 12


def positions(diagram: dd.Diagram) -> dict[str, float]:
    """Each box's vertical centre as Graphviz places it, in points from the top."""
    source = dd.to_dot(diagram)
    out = subprocess.run(["dot", "-Tjson"], input=source.encode(), capture_output=True, check=True)
    graph = json.loads(out.stdout)
    found = {}
    for item in graph.get("objects", []):
        if "pos" in item and item.get("name") in {n.id for n in diagram.nodes}:
            found[item["name"]] = -float(item["pos"].split(",")[1])
    return found


def crossings(diagram: dd.Diagram) -> int:
    order = column_order(diagram)
    place = {node.id: index for nodes in order.values() for index, node in enumerate(nodes)}
    level = {node.id: node.level for node in diagram.nodes}
    groups: dict[tuple[Level, Level], list[Link]] = {}
    for link in diagram.links:
        groups.setdefault((level[link.parent], level[link.child]), []).append(link)
    count = 0
    for links in groups.values():
        for i, a in enumerate(links):
            for b in links[i + 1 :]:
                up = place[a.parent] - place[b.parent]
                down = place[a.child] - place[b.child]
                count += up * down < 0
    return count


def with_ref(diagram: dd.Diagram, child: dd.Node) -> tuple[dd.Diagram, str] | None:
    """The diagram with one more link to ``child``: from the first box of the column
    before it that does not drive it yet."""
    levels = diagram.levels
    before = levels[levels.index(child.level) - 1]
    if before == Level.AIM:
        return None
    parents = {link.parent for link in diagram.parents(child.id)}
    for node in diagram.at_level(before):
        if node.id not in parents:
            link = Link(node.id, child.id, child.location, ref=True)
            return replace(diagram, links=(*diagram.links, link)), node.id
    return None


def measure(path: Path) -> dict[str, object]:
    diagram = dd.load(path)
    before_order = {
        node.id: index
        for nodes in column_order(diagram).values()
        for index, node in enumerate(nodes)
    }
    before_y = positions(diagram)
    height = (max(before_y.values()) - min(before_y.values())) or 1.0
    candidates = [n for n in diagram.nodes if n.level not in (Level.AIM, Level.PRIMARY)]
    step = max(1, len(candidates) // TRIES)
    moved_counts, moves = [], []
    for child in candidates[::step][:TRIES]:
        made = with_ref(diagram, child)
        if made is None:
            continue
        after, parent = made
        after_order = {
            node.id: index
            for nodes in column_order(after).values()
            for index, node in enumerate(nodes)
        }
        after_y = positions(after)
        unrelated = [n.id for n in diagram.nodes if n.id not in (child.id, parent)]
        moved_counts.append(sum(before_order[b] != after_order[b] for b in unrelated))
        moves.append(max(abs(after_y[b] - before_y[b]) for b in unrelated) / height)
    return {
        "diagram": path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path),
        "boxes": len(diagram.nodes),
        "crossings": crossings(diagram),
        "refs tried": len(moved_counts),
        "reordered (median, most)": (
            (statistics.median(moved_counts), max(moved_counts)) if moved_counts else None
        ),
        "largest move": f"{max(moves):.0%}" if moves else None,
    }


def main(files: list[str]) -> None:
    paths = [Path(f).resolve() for f in files] or [
        *sorted((ROOT / "diagrams").glob("*.yaml")),
        *sorted((ROOT / "templates").glob("*.yaml")),
        *sorted((ROOT / "tests" / "cases" / "valid").glob("*.yaml")),
    ]
    print(
        "| diagram | boxes | crossings | refs tried | unrelated boxes reordered"
        " (median, most) | largest move of an unrelated box |"
    )
    print("|---|---|---|---|---|---|")
    for path in paths:
        row = measure(path)
        print("| " + " | ".join(str(value) for value in row.values()) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
