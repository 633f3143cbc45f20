"""Our own layout for large diagrams (draw/own.py), drawn through the real Graphviz
(``neato -n2``) and read back from the SVG: no box on another, every line from a
box's right side to the next one's left side and through no box, the document order
and the headings kept, the same ids and classes as a ``dot`` drawing, the same bytes
every time."""

from __future__ import annotations

import bisect
import io
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

import driverdiagram as dd
from benchmarks.run import diagram_text
from driverdiagram.cli import main
from driverdiagram.draw.layout import column_order
from driverdiagram.draw.own import OWN_FROM, chosen, isotonic
from driverdiagram.draw.render import draw, render_split
from tests import paths
from tests.svgcheck import Box, read

pytestmark = pytest.mark.graphviz

CLI = [sys.executable, "-m", "driverdiagram"]
EXAMPLES = sorted((paths.ROOT / "diagrams").glob("*.yaml"))
_PAIR = re.compile(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")


def generated(tmp_path: Path, boxes: int) -> dd.Diagram:
    """A generated diagram of about ``boxes`` boxes with the cross links the benchmark
    has: shared secondary drivers, refs up the change column, change ideas straight
    under a primary driver (a line that skips a column), weak links."""
    path = tmp_path / f"generated-{boxes}.yaml"
    path.write_text(diagram_text(boxes, cross=True), encoding="utf-8")
    with dd.limits(boxes=max(boxes, 20_000)):
        return dd.load(path)


def lines(svg: bytes) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """Each link's path, as the points of its cubic pieces (start, then three a piece)."""
    drawing = read(svg)
    found: dict[tuple[str, str], list[tuple[float, float]]] = {}
    groups = [g for g in drawing.root.iter("{http://www.w3.org/2000/svg}g")]
    edges = [g for g in groups if (g.get("class") or "").split()[:1] == ["edge"]]
    for group, link in zip(edges, drawing.links, strict=True):
        path = group.find("{http://www.w3.org/2000/svg}path")
        assert path is not None, link
        found[link] = [(float(x), float(y)) for x, y in _PAIR.findall(path.get("d") or "")]
    return found


def sampled(points: list[tuple[float, float]], steps: int = 12) -> list[tuple[float, float]]:
    """Points along a path of cubic pieces."""
    out = [points[0]]
    for at in range(0, len(points) - 3, 3):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[at : at + 4]
        for step in range(1, steps + 1):
            t = step / steps
            a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
            out.append((a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3))
    return out


class Columns:
    """The boxes of a drawing by column, to find the box at a point quickly."""

    def __init__(self, boxes: list[Box]) -> None:
        by_left: dict[float, list[Box]] = {}
        for box in boxes:
            by_left.setdefault(round(box.centre_x), []).append(box)
        self.columns = [
            (min(b.left for b in column), max(b.right for b in column), column)
            for column in by_left.values()
        ]
        for _, _, column in self.columns:
            column.sort(key=lambda box: box.top)
        self.tops = [[box.top for box in column] for _, _, column in self.columns]

    def inside(self, x: float, y: float, margin: float = 1.0) -> Box | None:
        for (left, right, column), tops in zip(self.columns, self.tops, strict=True):
            if not left + margin < x < right - margin:
                continue
            at = bisect.bisect_right(tops, y) - 1
            if at >= 0:
                box = column[at]
                if box.left + margin < x < box.right - margin and box.top + margin < y < (
                    box.bottom - margin
                ):
                    return box
        return None


def assert_well_laid_out(diagram: dd.Diagram, svg: bytes) -> None:
    drawing = read(svg)
    boxes = drawing.boxes
    # every box drawn, and no two overlap (in a column, each below the one above)
    assert set(boxes) >= {node.id for node in diagram.nodes}
    columns = Columns(list(boxes.values()))
    for _, _, column in columns.columns:
        for upper, lower in itertools.pairwise(column):
            assert upper.bottom < lower.top, (upper.id, lower.id)
    spans = sorted((left, right) for left, right, _ in columns.columns)
    for (_, right), (left, _) in itertools.pairwise(spans):
        assert right < left  # columns side by side, none over another
    # the headings: along the top, one level, each over its own column
    order = column_order(diagram)
    headings = [boxes[f"heading:{level.key}"] for level in diagram.levels]
    assert len({round(h.centre_y, 1) for h in headings}) == 1
    for level, heading in zip(diagram.levels, headings, strict=True):
        column = [boxes[node.id] for node in order[level]]
        assert all(heading.bottom < box.top for box in column), level
        assert all(abs(heading.centre_x - box.centre_x) < 0.5 for box in column), level
        # document order kept, top to bottom
        tops = [box.top for box in column]
        assert tops == sorted(tops), level
    # every line: out of its box's right side, into the next box's left side, through
    # no box on the way
    paths_ = lines(svg)
    assert sorted(paths_) == sorted((link.parent, link.child) for link in diagram.links)
    for (parent, child), points in paths_.items():
        start, end = points[0], points[-1]
        tail, head = boxes[parent], boxes[child]
        assert abs(start[0] - tail.right) < 1.0 and tail.top < start[1] < tail.bottom, parent
        assert abs(end[0] - head.left) < 1.0 and head.top < end[1] < head.bottom, child
        xs = [x for x, _ in points]
        assert xs == sorted(xs), (parent, child)  # always on, left to right
        for x, y in sampled(points):
            hit = columns.inside(x, y)
            assert hit is None, f"{parent}->{child} passes through {hit.id if hit else ''}"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_is_well_laid_out_by_our_own_layout(path: Path) -> None:
    diagram = dd.load(path)
    svg = draw(diagram, "svg", layout="own").data
    assert_well_laid_out(diagram, svg)


@pytest.mark.parametrize("boxes", [40, 300, 2000])
def test_generated_diagrams_are_well_laid_out(tmp_path: Path, boxes: int) -> None:
    diagram = generated(tmp_path, boxes)
    assert_well_laid_out(diagram, draw(diagram, "svg", layout="own").data)


@pytest.mark.slow
def test_twenty_thousand_boxes_are_well_laid_out_well_inside_the_time_limit(
    tmp_path: Path,
) -> None:
    diagram = generated(tmp_path, 20_000)
    with dd.limits(boxes=20_000, dot_timeout=60):  # half the default --dot-timeout
        svg = draw(diagram, "svg").data  # auto: our own layout at this size
    assert_well_laid_out(diagram, svg)


def _ids_and_classes(svg: bytes) -> list[tuple[str, str]]:
    root = read(svg).root
    return sorted(
        (element.get("id") or "", element.get("class") or "")
        for element in root.iter()
        if element.get("id") or element.get("class")
    )


@pytest.mark.parametrize("path", EXAMPLES[:2], ids=lambda p: p.stem)
def test_the_same_ids_classes_and_words_as_a_dot_drawing(path: Path) -> None:
    diagram = dd.load(path)
    own = draw(diagram, "svg", layout="own").data
    dot = draw(diagram, "svg", layout="dot").data
    assert _ids_and_classes(own) == _ids_and_classes(dot)
    words = re.compile(rb">([^<>]+)</text>")
    assert sorted(words.findall(own)) == sorted(words.findall(dot))


def test_a_drawing_of_changes_keeps_its_marks() -> None:
    old = dd.load(paths.ROOT / "diagrams" / "falls-ward-4.yaml")
    new = dd.load(paths.ROOT / "diagrams" / "falls-ward-9.yaml")
    from driverdiagram.diff import picture

    drawing, marks, link_marks = picture(old, new)
    own = draw(drawing, "svg", marks=marks, link_marks=link_marks, layout="own").data
    dot = draw(drawing, "svg", marks=marks, link_marks=link_marks, layout="dot").data
    classes = _ids_and_classes(own)
    assert any("dd-mark-removed" in names for _, names in classes)
    assert classes == _ids_and_classes(dot)
    assert_well_laid_out(drawing, own)


@pytest.mark.parametrize("arrows", ["to-aim", "from-aim"])
def test_arrowheads_touch_the_box_they_point_at(arrows: str) -> None:
    diagram = dd.load(EXAMPLES[1])
    svg = draw(diagram, "svg", arrows=arrows, layout="own").data
    drawing = read(svg)
    edges = [
        g
        for g in drawing.root.iter("{http://www.w3.org/2000/svg}g")
        if (g.get("class") or "").split()[:1] == ["edge"]
    ]
    assert len(edges) == len(diagram.links)
    for group, (parent, child) in zip(edges, drawing.links, strict=True):
        head = group.find("{http://www.w3.org/2000/svg}polygon")
        assert head is not None, (parent, child)
        xs = [float(x) for x, _ in _PAIR.findall(head.get("points") or "")]
        box = drawing.boxes[parent] if arrows == "to-aim" else drawing.boxes[child]
        side = box.right if arrows == "to-aim" else box.left
        tip = min(xs) if arrows == "to-aim" else max(xs)
        assert abs(tip - side) < 1.0, (parent, child)


def test_the_same_bytes_every_time_whatever_the_hash_seed(tmp_path: Path) -> None:
    source = tmp_path / "d.yaml"
    source.write_text(diagram_text(120, cross=True), encoding="utf-8")
    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / f"d{seed}.svg"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "driverdiagram",
                "render",
                str(source),
                "--layout",
                "own",
                "--force",
                "-o",
                str(target),
            ],
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "XDG_CACHE_HOME": str(tmp_path)},
            capture_output=True,
        )
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    diagram = dd.load(source)
    assert draw(diagram, "svg", layout="own").data == outputs[0]


def test_pdf_png_and_pages_are_drawn_by_our_own_layout_too(tmp_path: Path) -> None:
    diagram = dd.load(EXAMPLES[1])
    assert draw(diagram, "pdf", layout="own").data.startswith(b"%PDF")
    plain = draw(diagram, "png", layout="own")
    assert plain.data.startswith(b"\x89PNG")
    fitted = draw(diagram, "png", layout="own", page="a4")
    assert fitted.data.startswith(b"\x89PNG") and fitted.size is not None
    svg = draw(diagram, "svg", layout="own", page="a4").data
    assert b'width="841.89pt" height="595.28pt"' in svg
    split = render_split(diagram, layout="own")
    assert len(PdfReader(io.BytesIO(split)).pages) == len(diagram.at_level(dd.Level.PRIMARY))


def test_auto_lays_out_large_diagrams_itself(tmp_path: Path) -> None:
    small = generated(tmp_path, 100)
    large = generated(tmp_path, OWN_FROM)
    assert chosen(small, "auto") == "dot" and chosen(large, "auto") == "own"
    assert chosen(small, "own") == "own" and chosen(large, "dot") == "dot"
    with pytest.raises(ValueError, match="layout must be one of"):
        chosen(small, "fast")
    assert draw(large, "svg").data == draw(large, "svg", layout="own").data


def test_the_command_line_chooses_the_layout(tmp_path: Path) -> None:
    source = tmp_path / "d.yaml"
    source.write_text(diagram_text(30), encoding="utf-8")
    runner = CliRunner()
    pinned = runner.invoke(main, ["render", str(source), "--layout", "own", "-f", "dot", "-o", "-"])
    assert pinned.exit_code == 0, pinned.output
    assert 'pos="' in pinned.output and "rank=same" not in pinned.output
    classic = runner.invoke(main, ["render", str(source), "-f", "dot", "-o", "-"])
    assert classic.exit_code == 0 and "rank=same" in classic.output
    wrong = runner.invoke(main, ["render", str(source), "--layout", "fast"])
    assert wrong.exit_code == 2 and "'fast' is not one of" in wrong.output


def test_isotonic_keeps_order_and_is_the_nearest_fit() -> None:
    assert isotonic([1, 3, 2, 4], [1, 1, 1, 1]) == [1, 2.5, 2.5, 4]
    assert isotonic([5, 1], [3, 1]) == [4, 4]
    assert isotonic([0, 1, 2], [1, 1, 1]) == [0, 1, 2]
