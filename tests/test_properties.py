"""Property tests: random valid diagrams always work, and broken files only ever give
located DiagramErrors."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import driverdiagram as dd
from driverdiagram.graph import check
from driverdiagram.readers.diagram import decode, parse

from . import svgcheck

ROOT = Path(__file__).parent.parent
#: Examples per property; for a longer search: DD_EXAMPLES=5000 pytest tests/test_properties.py
SCALE = int(os.environ.get("DD_EXAMPLES", "0")) or None
SOURCES = sorted((ROOT / "tests" / "cases" / "valid").glob("*.yaml")) + sorted(
    (ROOT / "diagrams").glob("*.yaml")
)

#: Text that has tripped drawing tools: markup, quotes, backslashes and Graphviz's own
#: escapes, right-to-left and combining scripts, emoji, and any other character.
HOSTILE = st.one_of(
    st.sampled_from(
        [
            "<b>&amp;\"'</b>",
            "\\N \\G \\L \\\\",
            "שלום עולם",
            "é\u0301 ñ",
            "👩🏽‍⚕️ 🏥",
            "两个字 三个字",
            "a{b}|c<d>",
            "%s %d {0}",
            "# not a comment",
            "- not a list",
            "key: value",
        ]
    ),
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40),
)
TEXT = HOSTILE.map(lambda text: text.strip()).filter(bool)


@st.composite
def diagrams(draw: st.DrawFn) -> tuple[dict[str, Any], int, int]:
    """A random valid diagram as YAML data, with its number of boxes and links."""
    counter = iter(range(10_000))
    change_ids: list[str] = []
    boxes = links = 0

    def entry(level: str) -> dict[str, Any]:
        nonlocal boxes, links
        boxes += 1
        links += 1
        item: dict[str, Any] = {"text": draw(TEXT)}
        if draw(st.booleans()):
            item["id"] = f"{level}{next(counter)}"
            if level == "c":
                change_ids.append(item["id"])
        if level != "p" and draw(st.integers(0, 4)) == 0:
            item["strength"] = "weak"
        if level == "c" and draw(st.booleans()):
            item["status"] = draw(st.sampled_from(["idea", "testing", "adopted", "abandoned"]))
        if draw(st.integers(0, 5)) == 0:
            item["notes"] = draw(TEXT)
        return item

    def changes() -> list[Any]:
        nonlocal links
        found: list[Any] = [entry("c") for _ in range(draw(st.integers(0, 3)))]
        # a shared change idea, linked again with 'ref' (never twice to one parent)
        linked = {item.get("id") for item in found}
        for target in (
            draw(st.lists(st.sampled_from(change_ids), max_size=2, unique=True))
            if (change_ids)
            else []
        ):
            if target not in linked:
                found.append({"ref": target})
                links += 1
                linked.add(target)
        return found

    primaries = []
    for _ in range(draw(st.integers(1, 4))):
        primary = entry("p")
        secondaries = []
        for _ in range(draw(st.integers(0, 3))):
            secondary = entry("s")
            tertiaries = []
            for _ in range(draw(st.integers(0, 2))):
                tertiary = entry("t")
                tertiary["changes"] = changes()
                tertiaries.append(tertiary)
            if tertiaries:
                secondary["tertiary"] = tertiaries
            secondary["changes"] = changes()
            secondaries.append(secondary)
        if secondaries:
            primary["secondary"] = secondaries
        primary["changes"] = changes()
        primaries.append(primary)
    data = {"title": draw(TEXT), "aim": draw(TEXT), "primary": primaries}
    return data, boxes + 1, links


def text_of(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=60)


@given(diagrams())
@settings(max_examples=SCALE or 150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_valid_diagrams_validate_and_draw_the_same_twice(
    generated: tuple[dict[str, Any], int, int],
) -> None:
    data, boxes, links = generated
    text = text_of(data)
    diagram = dd.loads(text, "random.yaml")
    assert (len(diagram.nodes), len(diagram.links)) == (boxes, links)
    assert dd.to_dot(diagram) == dd.to_dot(dd.loads(text, "random.yaml"))
    assert diagram.warnings == ()  # YAML a program writes has no comment to mistake for text
    assert dd.loads(dd.to_yaml(diagram)).warnings == ()
    assert dd.loads(dd.to_yaml(diagram)).nodes == tuple(
        node.__class__(**{**node.__dict__, "location": again.location})
        for node, again in zip(diagram.nodes, dd.loads(dd.to_yaml(diagram)).nodes, strict=True)
    )


@pytest.mark.graphviz
@given(diagrams())
@settings(
    max_examples=(SCALE or 250) // 10, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
def test_random_diagrams_render_valid_svg_with_every_box_and_link(
    generated: tuple[dict[str, Any], int, int],
) -> None:
    data, _, _ = generated
    diagram = dd.loads(text_of(data), "random.yaml")
    svg = dd.render(diagram, "svg")
    assert svg == dd.render(diagram, "svg"), "the same input draws the same bytes"
    drawing = svgcheck.read(svg)
    assert {node.id for node in diagram.nodes} <= set(drawing.boxes)
    assert sorted(drawing.links) == sorted((link.parent, link.child) for link in diagram.links)


# -- broken files ----------------------------------------------------------------------


def _located(error: dd.DiagramError) -> None:
    assert error.problems
    for problem in error.problems:
        assert problem.path
        assert problem.line >= 1 and problem.column >= 1, str(problem)


MUTATIONS = st.sampled_from(
    ["delete-line", "indent", "dedent", "rename-key", "truncate", "random-bytes", "swap-lines"]
)


@given(
    st.sampled_from(SOURCES),
    st.lists(
        st.tuples(MUTATIONS, st.integers(0, 10**6), st.binary(max_size=8)), min_size=1, max_size=4
    ),
)
@settings(max_examples=SCALE or 400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_mutated_files_give_located_errors_or_load(
    source: Path, mutations: list[tuple[str, int, bytes]]
) -> None:
    data = source.read_bytes()
    for kind, where, junk in mutations:
        lines = data.split(b"\n")
        at = where % max(len(lines), 1)
        if kind == "delete-line":
            del lines[at]
        elif kind == "indent":
            lines[at] = b"  " + lines[at]
        elif kind == "dedent":
            lines[at] = lines[at][2:] if lines[at].startswith(b"  ") else lines[at]
        elif kind == "rename-key":
            head, colon, tail = lines[at].partition(b":")
            if colon:
                lines[at] = head.rstrip(b"abcdefghijklmnopqrstuvwxyz") + b"zz" + colon + tail
        elif kind == "swap-lines" and len(lines) > 1:
            other = (at + 1) % len(lines)
            lines[at], lines[other] = lines[other], lines[at]
        data = b"\n".join(lines)
        if kind == "truncate":
            data = data[: where % (len(data) + 1)]
        elif kind == "random-bytes":
            position = where % (len(data) + 1)
            data = data[:position] + junk + data[position:]
    assume(data != source.read_bytes())
    try:
        # the folder of the source, so its data files are found as they would be
        check(parse(decode(data, "mutated.yaml"), "mutated.yaml", base_dir=str(source.parent)))
    except dd.DiagramError as error:
        _located(error)
