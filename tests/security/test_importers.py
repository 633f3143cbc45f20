"""Imports of files from someone else (issue 11): every wrong shape, deep nesting, huge
number and oversized file is a located error in the file imported, never a
traceback; the box limit stops a reader while it reads.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.readers.imports import read

SOURCE = """\
title: Falls on Ward 7
aim: Halve falls by June 2027
primary:
  - id: risk
    text: Risk is known
    measures:
      - id: assessed
        name: Patients assessed
        target: 90
        baseline: 4
        values: {2026-01: 50, 2026-02: 60, 2026-03: 70, 2026-04: 80}
    changes:
      - id: checklist
        text: Admission checklist
        pdsa:
          - start: 2026-02-01
            prediction: 8 of 10
            act: adapt
  - text: Rooms are safe
    changes:
      - ref: checklist
      - Hourly rounding
"""


def export() -> dict[str, Any]:
    return json.loads(dd.export(dd.loads(SOURCE, "falls.yaml"), "json"))


def problems_of(text: str, name: str = "falls.json") -> list[dd.Problem]:
    """The problems of a file to import (its format told from its name)."""
    with pytest.raises(dd.DiagramError) as caught:
        read(text, name)
    problems = list(caught.value.problems)
    for problem in problems:
        assert problem.path == name
        assert problem.line >= 1 and problem.column >= 1, problem
    return problems


def at(text: str, problem: dd.Problem) -> str:
    """The text from where a problem is located."""
    line = text.splitlines()[problem.line - 1]
    return line[problem.column - 1 :]


def test_the_export_imports() -> None:
    assert dd.to_dot(read(json.dumps(export()), "f.json")) == dd.to_dot(dd.loads(SOURCE))


def set_at(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = export()
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


# (path, value, the path named in the message, words in it)
SHAPES = [
    (("labels",), ["x"], "labels", "should be an object, not a list"),
    (("labels",), {"aims": "Goal"}, "labels.aims", "unknown column 'aims' (did you mean 'aim'?)"),
    (("labels",), {"aim": 5}, "labels.aim", "should be text"),
    (("nodes",), 5, "nodes", "should be a list, not the number 5"),
    (("links",), "all", "links", "should be a list"),
    (("title",), ["T"], "title", "should be text"),
    (("version",), 2, "version", "reads version 1"),
    (("nodes", 1), "risk", "nodes[1]", "should be an object"),
    (("nodes", 1, "id"), ["x"], "nodes[1].id", "should be an id (a JSON string), not a list"),
    (("nodes", 1, "id"), 5, "nodes[1].id", "not the number 5"),
    (("nodes", 1, "id"), "two words", "nodes[1].id", "'two words' is not an id"),
    (("nodes", 1, "text"), {"en": "Risk"}, "nodes[1].text", "should be text"),
    (("nodes", 1, "level"), "primery", "nodes[1].level", "should be one of aim, primary"),
    (("nodes", 2, "status"), ["testing"], "nodes[2].status", "should be one of idea, testing"),
    (("nodes", 1, "generated_id"), "no", "nodes[1].generated_id", "should be true or false"),
    (("links", 0, "parent"), ["x"], "links[0].parent", "should be the id of a node"),
    (("links", 0, "child"), {"id": "risk"}, "links[0].child", "should be the id of a node"),
    (("links", 0, "child"), "rsik", "links[0].child", "'rsik' is not the id of a node"),
    (("links", 0, "strength"), "firm", "links[0].strength", "should be one of strong, weak"),
    (("links", 0, "ref"), "yes", "links[0].ref", "should be true or false"),
    (("measures",), {"assessed": {}}, "measures", "should be a list, not an object"),
    (("measures", 0, "box"), ["risk"], "measures[0].box", "should be the id of a node"),
    (("measures", 0, "target"), "90%", "measures[0].target", "should be a number"),
    (("measures", 0, "target"), True, "measures[0].target", "should be a number, not true"),
    (("measures", 0, "baseline"), 2.5, "measures[0].baseline", "should be a number of points"),
    (("measures", 0, "baseline"), 0, "measures[0].baseline", "2 or more"),
    (("measures", 0, "type"), "outcomes", "measures[0].type", "should be one of outcome"),
    (("measures", 0, "points"), {"2026-01": 5}, "measures[0].points", "should be a list"),
    (("measures", 0, "points", 0, "value"), "50", "measures[0].points[0].value", "a number"),
    (("measures", 0, "points", 0, "period"), 202601, "measures[0].points[0].period", "month"),
    (("cycles",), {"checklist": []}, "cycles", "should be a list"),
    (("cycles", 0, "start"), "last week", "cycles[0].start", 'a date such as "2026-09-14"'),
    (("cycles", 0, "start"), None, "cycles[0].start", "a date"),
    (("cycles", 0, "change"), "risk", "cycles[0].change", "PDSA cycles test change ideas"),
    (("cycles", 0, "act"), "adopted", "cycles[0].act", "should be one of adopt, adapt"),
    (("cycles", 0, "measures"), "assessed", "cycles[0].measures", "should be a list"),
]


@pytest.mark.parametrize("path, value, named, words", SHAPES, ids=[s[2] for s in SHAPES])
def test_a_wrong_shape_is_located_at_its_value(
    path: tuple[Any, ...], value: Any, named: str, words: str
) -> None:
    data = set_at(path, value)
    text = json.dumps(data, indent=2)
    problems = problems_of(text)
    wanted = [p for p in problems if p.message.startswith(named + ": ")]
    assert wanted, [p.message for p in problems]
    assert words in wanted[0].message
    # the location is the named value's own place in the file
    shown = json.dumps(value_at(data, named), indent=2).splitlines()[0]
    assert at(text, wanted[0]).startswith(shown), (wanted[0], shown)


def value_at(data: Any, named: str) -> Any:
    """The value at a path as messages write it: 'measures[0].points[1].value'."""
    for part in re.findall(r"[^.\[\]]+", named):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


@pytest.mark.parametrize(
    "number, path",
    [
        ("1e400", ("measures", 0, "target")),
        ("-1e400", ("measures", 0, "points", 0, "value")),
        ("NaN", ("measures", 0, "target")),
        ("Infinity", ("measures", 0, "points", 1, "value")),
        ("1e400", ("measures", 0, "baseline")),
        ("9" * 5000, ("measures", 0, "baseline")),
        ("9" * 5000, ("measures", 0, "target")),
    ],
)
def test_huge_and_endless_numbers_are_located(number: str, path: tuple[Any, ...]) -> None:
    text = json.dumps(set_at(path, "HUGE"), indent=2).replace('"HUGE"', number)
    problems = problems_of(text)
    assert at(text, problems[0]).startswith(number[:20])
    assert "number" in problems[0].message


@pytest.mark.parametrize("nesting", [60, 1_000, 100_000])
def test_deep_arrays_are_located(nesting: int) -> None:
    text = '{"format": "driverdiagram", "labels": ' + "[" * nesting + "]" * nesting + "}"
    problems = problems_of(text)
    (problem,) = [p for p in problems if p.message.startswith(("labels", "lists"))]
    assert problem.line == 1
    if nesting >= 1_000:  # deeper than Python's parser goes: located where it gets too deep
        # 51 deep counting the object around everything: the 50th '['
        assert problem.column == len('{"format": "driverdiagram", "labels": ') + 50
        assert "nested more than 50 deep" in problem.message
    else:
        assert problem.column == len('{"format": "driverdiagram", "labels": ') + 1
        assert "labels: should be an object, not a list" in problem.message


def test_a_rule_of_the_loader_is_located_at_the_json_value() -> None:
    """Text too long for a box breaks the loader's text limit, which the JSON reader
    applies too: the problem is at the text itself (before, when an import was
    written as YAML and loaded, it came back at the box's object)."""
    data = export()
    data["nodes"][2]["text"] = "x" * 5_000
    text = json.dumps(data, indent=2)
    (problem,) = problems_of(text)
    assert problem.message.startswith("nodes[2].text: this text is 5,000 characters long")
    assert at(text, problem).startswith('"xxxx')
    assert '"id": "checklist"' in text.splitlines()[problem.line - 3]


@pytest.mark.parametrize(
    "change, words",
    [
        ({"parent": "aim", "child": "checklist"}, "aim 'aim' cannot have change idea"),
        ({"parent": "checklist", "child": "risk"}, "change idea 'checklist' cannot have"),
        ({"parent": "risk", "child": "risk"}, "cannot have primary driver 'risk' under it"),
        ({"parent": "risk", "child": "checklist"}, "written twice"),
    ],
)
def test_links_that_cannot_be_drawn_are_located(change: dict[str, str], words: str) -> None:
    data = export()
    data["links"].append(change)
    text = json.dumps(data, indent=2)
    problems = problems_of(text)
    assert problems[0].message.startswith(f"links[{len(data['links']) - 1}]: ")
    assert words in problems[0].message


def test_a_box_no_link_leads_to_is_located() -> None:
    data = export()
    data["links"] = [link for link in data["links"] if link["child"] != "risk"]
    text = json.dumps(data, indent=2)
    problems = problems_of(text)
    assert any(p.message.startswith("nodes[1]: no link leads to") for p in problems)


def test_too_many_nodes_are_refused_before_they_are_read() -> None:
    data = export()
    data["nodes"] += [{"id": f"x{index}", "level": "changes", "text": "x"} for index in range(100)]
    text = json.dumps(data, indent=2)
    with dd.limits(boxes=50):
        (problem,) = problems_of(text)
    assert problem.message.startswith("nodes[50]: the diagram has more than 50 boxes")
    assert '"id": "x45"' in text.splitlines()[problem.line]


# -- CSV ---------------------------------------------------------------------------

FREESPC = "id,level,parent_id,text,extra_parents,labels\n1,aim,,Halve falls by 2027,,\n"


@pytest.mark.parametrize(
    "rows, where, words",
    [
        ("2,primary,1,A,,\n2,primary,1,B,,\n", (4, 1), "row 3 has the id '2' too"),
        ("2,change,1,A,,\n", (3, 2), "a change idea cannot be under aim '1'"),
        ("2,primary,1,A,,\n3,primary,2,B,,\n", (4, 2), "cannot be under primary driver '2'"),
        ("2,primary,1,A,,\n3,change,2,B,1,\n", (4, 5), "a change idea cannot be under aim"),
        ("2,primary,1,A,,\n3,change,2,B,2,\n", (4, 5), "'2' is this box's parent already"),
        ("2,primary,1,A,,\n3,change,2,B,9,\n", (4, 5), "'9' is not the id of a box"),
        ('2,primary,1,"two\nlines",,\n3,change,2,"B\n\nC",,\n4,x,2,D,,\n', (8, 2), "level 'x'"),
    ],
)
def test_freespc_problems_are_located(rows: str, where: tuple[int, int], words: str) -> None:
    problems = problems_of(FREESPC + rows, "free.csv")
    assert [(p.line, p.column) for p in problems][:1] == [where]
    assert words in problems[0].message


@pytest.mark.parametrize(
    "labels", ['"[""x""]"', '"{""aims"": ""Goal""}"', '"{""aim"": [1]}"', "[" * 20_000]
)
def test_freespc_labels_that_are_not_headings_are_located(labels: str) -> None:
    text = f"id,level,parent_id,text,extra_parents,labels\n1,aim,,A by 2027,,{labels}\n"
    text += "2,primary,1,B,,\n"
    (problem,) = problems_of(text, "free.csv")
    assert (problem.line, problem.column) == (2, 6)
    assert "'labels' should be JSON like" in problem.message


def test_the_box_limit_stops_a_spreadsheet_while_it_is_read() -> None:
    rows = "".join(f"Halve falls by 2027,Driver {n % 3},Idea {n}\n" for n in range(1_000))
    with dd.limits(boxes=50):
        problems = problems_of("Aim,Primary driver,Change idea\n" + rows, "s.csv")
    assert len(problems) == 1
    # boxes: the aim, 3 drivers (rows 2-4) and an idea a row: the 50th box is row 47's idea
    assert (problems[0].line, problems[0].column) == (48, 3)
    assert "more than 50 boxes" in problems[0].message


def test_a_100000_row_spreadsheet_is_refused_at_the_row_over_the_limit() -> None:
    rows = "".join(f"Halve falls by 2027,Driver {n % 5},Idea {n}\n" for n in range(100_000))
    problems = problems_of("Aim,Primary driver,Change idea\n" + rows, "s.csv")
    # rows 2-6 make the aim, 5 drivers and 5 ideas; then a box a row: 20,001 on row 19,996
    assert [(p.line, p.column) for p in problems] == [(19_996, 3)]


def test_the_box_limit_stops_a_freespc_file_and_an_outline() -> None:
    rows = "".join(f"{n},change,2,Idea {n},,\n" for n in range(3, 200))
    with dd.limits(boxes=50):
        problems = problems_of(FREESPC + "2,primary,1,A,,\n" + rows, "free.csv")
        assert [(p.line, p.column) for p in problems] == [(52, 1)]
        outline = "Halve falls by 2027\n  Risk is known\n" + "".join(
            f"    Idea {n}\n" for n in range(200)
        )
        problems = problems_of(outline, "o.txt")
        assert [(p.line, p.column) for p in problems] == [(51, 5)]


def test_a_csv_cell_is_quoted_only_briefly_in_a_message() -> None:
    text = "Aim,Primary,Change,Status\nA by 2027,B,C," + "S" * 5_000 + "\x1b[2J\n"
    (problem,) = problems_of(text, "s.csv")
    assert len(problem.message) < 120 and "\x1b" not in problem.message


# -- outlines ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "outline, where",
    [
        ("Aim by 2027\n" + "".join("  " * n + f"- item {n}\n" for n in range(1, 3_001)), (6, 11)),
        ("Aim by 2027\n" + "".join(" " * n + f"item {n}\n" for n in range(1, 3_001)), (6, 6)),
        ("- Aim\n" + "".join("    " * n + f"- item {n}\n" for n in range(1, 3_001)), (6, 21)),
    ],
    ids=["markdown", "plain", "bulleted"],
)
def test_an_outline_nested_3000_deep_is_located(outline: str, where: tuple[int, int]) -> None:
    (problem,) = problems_of(outline, "o.md")
    assert (problem.line, problem.column) == where
    assert "at most 4 steps in" in problem.message


def test_levels_named_in_the_wrong_order_are_located() -> None:
    outline = (
        "Aim: Halve falls by 2027\n  Primary driver: Risk is known\n"
        "    Change idea: Checklist\n      Secondary driver: Assessed\n"
    )
    (problem,) = problems_of(outline, "o.txt")
    assert (problem.line, problem.column) == (4, 7)
    assert "a secondary driver cannot be under change idea 'Checklist'" in problem.message


@pytest.mark.parametrize("line", ["x" * 10_000, "a" + " " * 100_000 + "b", "(" * 50_000 + ")"])
def test_a_very_long_outline_line_is_located(line: str) -> None:
    (problem,) = problems_of(f"Halve falls by 2027\n  Risk is known\n    {line}\n", "o.txt")
    assert (problem.line, problem.column) == (3, 5)
    assert "characters long" in problem.message


def test_the_outline_marks_still_come_apart() -> None:
    diagram = read(
        "# T\n\nHalve falls by 2027\n- Risk (*weak link*)\n  - Checklist (*testing*) (see above)\n"
        "  - Rounding (also listed above)\n",
        "o.md",
    )
    assert [node.text for node in diagram.nodes] == [
        "Halve falls by 2027",
        "Risk",
        "Checklist",
        "Rounding",
    ]
    assert diagram.nodes[2].status is not None and diagram.nodes[2].status.value == "testing"
    assert diagram.links[0].strength.value == "weak"


# -- the command line: never a traceback ---------------------------------------------

HOSTILE_FILES = {
    "labels.json": json.dumps(set_at(("labels",), ["x"])),
    "nodes.json": json.dumps(set_at(("nodes",), 5)),
    "parent.json": json.dumps(set_at(("links", 0, "parent"), ["x"])),
    "baseline.json": json.dumps(set_at(("measures", 0, "baseline"), 1)).replace(
        '"baseline": 1', '"baseline": 1e400'
    ),
    "deep.json": '{"format": "driverdiagram", "nodes": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "measures.json": json.dumps(set_at(("measures",), {"a": 1})),
    "ids.json": json.dumps(set_at(("nodes", 1, "id"), 12)),
    "deep.md": "Aim by 2027\n" + "".join("  " * n + f"- item {n}\n" for n in range(1, 3_001)),
    "free.csv": FREESPC + "2,primary,1,A,,\n3,change,2,B,2;1,\n",
    "sheet.csv": "Aim,Primary,Change,Status\nA by 2027,B,C,done\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_import_of_a_hostile_file_is_a_located_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(HOSTILE_FILES[name], encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines
    for line in lines:
        assert re.match(rf"{re.escape(str(path))}:\d+:\d+: error: \S", line), line


# -- any mutation: a diagram or located problems, nothing else --------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["aim", "risk", "checklist", "changes", "primary", "weak", "2026-02-01"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*prefix, index))
    return found


ALL_PATHS = paths(export())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(ALL_PATHS), JSON_VALUES), min_size=1, max_size=3))
def test_a_mutated_export_imports_or_is_located(changes: list[tuple[Any, Any]]) -> None:
    data = export()
    for path, value in changes:
        target: Any = data
        try:
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change took this path away
    text = json.dumps(data, indent=1)
    try:
        read(text, "m.json")
    except dd.DiagramError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.path == "m.json"
            assert 1 <= problem.line <= text.count("\n") + 1, problem
            assert problem.column >= 1, problem


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["", "aim", "primary", "change", "1", "2", "3", "x", "'=", "a;b"])
            | st.text(max_size=6),
            max_size=7,
        ),
        max_size=6,
    ),
    st.booleans(),
)
def test_any_csv_imports_or_is_located(rows: list[list[str]], freespc: bool) -> None:
    import csv
    import io

    out = io.StringIO()
    header = ["id", "level", "parent_id", "text", "extra_parents", "status"]
    csv.writer(out).writerow(header if freespc else ["Aim", "Primary", "Secondary", "Change"])
    csv.writer(out).writerows(rows)
    text = out.getvalue()
    lines = len(re.split("\r\n|\r|\n", text))  # CSV ends a line at a bare CR too
    try:
        read(text, "m.csv")
    except dd.DiagramError as error:
        for problem in error.problems:
            assert 1 <= problem.line <= lines and problem.column >= 1, problem


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 7),
            st.sampled_from(["", "- ", "* ", "1. "]),
            st.sampled_from(["", "Aim: ", "Primary driver: ", "Change idea (testing): "]),
            st.text(max_size=10),
        ),
        max_size=8,
    )
)
def test_any_outline_imports_or_is_located(lines: list[tuple[int, str, str, str]]) -> None:
    text = "".join(f"{'  ' * depth}{bullet}{noun}{words}\n" for depth, bullet, noun, words in lines)
    try:
        read(text, "m.txt")
    except dd.DiagramError as error:
        for problem in error.problems:
            assert 1 <= problem.line <= max(1, len(text.splitlines())), problem
            assert problem.column >= 1, problem
