"""Property tests for imports: whatever a random JSON export, FreeSPC file, spreadsheet
or outline imports as, the YAML ``driverdiagram import`` prints for it reads back as
the same diagram (every box, id, link, measure, point and cycle; tests/shapes.py), and
a file that does not import has every problem on a line of its own."""

from __future__ import annotations

import csv
import io
import json
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import driverdiagram as dd
from driverdiagram.exports.yaml import to_yaml
from driverdiagram.readers.imports import read
from driverdiagram.text import visible
from tests.shapes import shape
from tests.test_properties import HOSTILE, TEXT, diagrams, text_of

SCALE = int(os.environ.get("DD_EXAMPLES", "0")) or None
SETTINGS = settings(
    max_examples=SCALE or 120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
#: A few words, so the same text comes back (a box shared in a spreadsheet or an
#: outline), and any text at all.
WORDS = st.sampled_from(["Risk is known", "Rooms are safe", "Checklist", "Rounding", "huddle"])
CELL = WORDS | TEXT


def imports_the_same(text: str, name: str) -> dd.Diagram | None:
    """The diagram ``text`` imports as, after checking that its YAML reads back as the
    same diagram; None when it does not import (its problems then on its lines)."""
    try:
        diagram = read(text, name)
    except dd.DiagramError as error:
        lines = max(1, len(text.splitlines()))
        for problem in error.problems:
            assert problem.path == name
            assert 1 <= problem.line <= lines and problem.column >= 1, problem
        return None
    for node in diagram.nodes:
        assert node.location.path == name and node.location.line >= 1
    again = dd.loads(to_yaml(diagram), "again.yaml")
    assert shape(again) == shape(diagram)
    return diagram


def unordered(diagram: dd.Diagram) -> tuple[list[Any], list[Any]]:
    """A diagram's boxes and links, each in the order of its ids, text as the CSV
    export writes it (control characters shown, never obeyed). Whether an id that is
    the one made up for its place (p2) was written is not in a CSV file either."""
    data = shape(diagram)
    for node in data["nodes"]:
        node["text"], node["notes"] = visible(node["text"]), visible(node["notes"])
        del node["generated_id"]
    return (
        sorted(data["nodes"], key=lambda node: node["id"]),
        sorted(data["links"], key=lambda link: (link["parent"], link["child"])),
    )


# -- exports of random diagrams ------------------------------------------------------


@st.composite
def measured(draw: st.DrawFn) -> dict[str, Any]:
    """A random diagram's JSON export with random measures and PDSA cycles added."""
    data, _, _ = draw(diagrams())
    exported = json.loads(dd.export(dd.loads(text_of(data), "random.yaml"), "json"))
    boxes = [node["id"] for node in exported["nodes"]]
    changes = [node["id"] for node in exported["nodes"] if node["level"] == "changes"]
    measures = []
    for number in range(draw(st.integers(0, 3))):
        months = sorted(draw(st.sets(st.integers(0, 35), max_size=6)))
        measures.append(
            {
                "id": f"m{number}" if draw(st.booleans()) else "",
                "box": draw(st.sampled_from(boxes)),
                "name": draw(WORDS | HOSTILE),
                "type": draw(st.sampled_from(["outcome", "process", "balancing", None])),
                "target": draw(st.none() | st.floats(-1e6, 1e6)),
                "generated_id": draw(st.booleans()),
                "points": [
                    {
                        "period": f"{2024 + month // 12}-{month % 12 + 1:02d}",
                        "value": draw(st.none() | st.floats(-1e6, 1e6)),
                        "note": draw(st.sampled_from(["", "new form", " astronomical \n x "])),
                    }
                    for month in months
                ],
            }
        )
    exported["measures"] = measures
    exported["cycles"] = [
        {
            "change": draw(st.sampled_from(changes)),
            "start": f"2026-0{draw(st.integers(1, 9))}-01",
            "act": draw(st.sampled_from([None, "adopt", "adapt", "abandon"])),
            "study": draw(st.sampled_from(["", "Fewer falls"])),
            "measures": draw(st.lists(st.sampled_from(["m0", "m1", "m2"]), max_size=2)),
        }
        for _ in range(draw(st.integers(0, 3) if changes else st.just(0)))
    ]
    return exported


@given(measured())
@SETTINGS
def test_a_random_json_export_imports_as_its_yaml(exported: dict[str, Any]) -> None:
    imports_the_same(json.dumps(exported, indent=1, ensure_ascii=False), "random.json")


@given(diagrams())
@SETTINGS
def test_every_export_of_a_random_diagram_imports_as_its_yaml(
    generated: tuple[dict[str, Any], int, int],
) -> None:
    diagram = dd.loads(text_of(generated[0]), "random.yaml")
    through_json = imports_the_same(dd.export(diagram, "json"), "d.json")
    assert through_json is not None and shape(through_json) == shape(diagram)
    through_csv = imports_the_same(dd.export(diagram, "csv"), "d.csv")
    # the same boxes and links: FreeSPC writes a box's extra parents on its own row,
    # so where a 'ref' was among its parent's other children is not in the file
    assert through_csv is not None and unordered(through_csv) == unordered(diagram)
    # an outline holds one line a box, its text on one line: what it gives is checked
    imports_the_same(dd.outline(diagram, ids=True), "d.txt")
    imports_the_same(dd.export(diagram, "markdown"), "d.md")


# -- files written by hand, or by other tools ---------------------------------------------


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@given(
    WORDS,
    st.lists(
        st.tuples(
            st.sampled_from(["", "", "Halve falls by 2027"]),
            WORDS | st.just(""),
            WORDS | st.just(""),
            CELL | st.just("Checklist"),
            st.sampled_from(["", "testing", "Adopted", "idea"]),
        ),
        min_size=1,
        max_size=8,
    ),
)
@SETTINGS
def test_a_random_spreadsheet_imports_as_its_yaml(first: str, rows: list[tuple[str, ...]]) -> None:
    header = ["Aim", "Primary driver", "Secondary driver", "Change idea", "Status"]
    start = ["Halve falls by 2027", first, "", "Rounding", ""]  # blank: "same as above"
    imports_the_same(csv_text([header, start, *map(list, rows)]), "sheet.csv")


@st.composite
def freespc(draw: st.DrawFn) -> str:
    """A FreeSPC file as its tool writes it (mostly valid): boxes under earlier boxes
    of the level to their left, extra parents, measures, column titles; the older
    layouts with fewer columns too."""
    levels = ["aim", "primary", "secondary", "change"]
    boxes: list[tuple[str, str]] = [("1", "aim")]
    boxes_ids = ["1"]
    rows = []
    titles = draw(st.lists(WORDS | st.just(""), min_size=4, max_size=4))
    for number in range(2, draw(st.integers(3, 12))):
        level = draw(st.sampled_from(levels[1:])) if number > 2 else "primary"
        upper = levels[levels.index(level) - 1 : levels.index(level)]
        if level == "change":
            upper = ["primary", "secondary"]
        parents = [box for box, kind in boxes if kind in upper]
        if not parents:
            continue
        box = str(number) if draw(st.booleans()) else f"box{number}"
        parent = draw(st.sampled_from(parents))
        # mostly other parents of the right level; now and then any box at all
        others = [b for b in parents if b != parent] if draw(st.integers(0, 5)) else boxes_ids
        extra = draw(st.lists(st.sampled_from(others), max_size=2, unique=True)) if others else []
        measures = [
            {"type": draw(st.sampled_from(["outcome", "process", "balancing", "none"])), "text": t}
            for t in draw(st.lists(WORDS | HOSTILE, max_size=2))
        ]
        rows.append(
            [
                box,
                level,
                parent,
                draw(CELL),
                "#ffffff",
                "0",
                draw(st.sampled_from([";", ","])).join(extra),
                "32",
                "8",
                "13",
                "",
                "0",
                *titles,
                "[]",
                json.dumps(measures),
            ]
        )
        boxes.append((box, level))
        boxes_ids.append(box)
    aim = ["1", "aim", "", draw(CELL), "#1e3a8a", "1", "", "32", "8", "13", "", "0", *titles]
    header = ["id", "level", "parent_id", "text", "color", "auto_size", "extra_parents"]
    header += ["box_height", "vertical_gap", "font_size", "font_family", "font_bold"]
    header += ["title_aim", "title_primary", "title_secondary", "title_change"]
    header += ["palette_json", "measures_json"]
    width = draw(st.sampled_from([5, 7, len(header)]))  # older versions: fewer columns
    table = [header, [*aim, "[]", "[]"], *rows]
    return csv_text([row[:width] for row in table])


@given(freespc())
@SETTINGS
def test_a_random_freespc_file_imports_as_its_yaml(text: str) -> None:
    imports_the_same(text, "freespc.csv")


@given(
    st.sampled_from(["", "- ", "* ", "1. "]),
    st.lists(
        st.tuples(
            st.integers(-3, 1),
            st.sampled_from(["", "", "[x1] ", "[risk] ", "[p1.s1] "]),
            st.sampled_from(["", "", "", "Change idea (testing): ", "Secondary driver: "]),
            CELL.filter(lambda text: "\n" not in text and "\r" not in text),
        ),
        max_size=8,
    ),
)
@SETTINGS
def test_a_random_outline_imports_as_its_yaml(
    bullet: str, lines: list[tuple[int, str, str, str]]
) -> None:
    """Lines one step in from the line above at most (a step out anywhere), level
    words below the primary drivers (which are mostly in their place)."""
    text, depth = "Halve falls by 2027\n", 0
    for step, box_id, noun, words in lines:
        depth = min(max(depth + step, 1), 4)
        text += f"{'  ' * depth}{bullet}{box_id}{noun if depth > 1 else ''}{words}\n"
    imports_the_same(text, "outline.txt")
