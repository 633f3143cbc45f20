"""Reading the YAML format (readers/diagram.py): literal text, locations, ids, and hostile input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import driverdiagram as dd
from driverdiagram import Level, Status, Strength
from tests.paths import CASES


def test_scalars_stay_exactly_as_typed() -> None:
    diagram = dd.loads(
        "aim: 2026-01-01\n"
        "primary:\n"
        "  - yes\n  - no\n  - on\n  - off\n  - 1e3\n  - 0x1F\n  - 012\n  - .inf\n  - true\n"
        "  - '~'\n  - \"null\"\n"
    )
    texts = [node.text for node in diagram.nodes]
    assert texts == [
        "2026-01-01",
        "yes",
        "no",
        "on",
        "off",
        "1e3",
        "0x1F",
        "012",
        ".inf",
        "true",
        "~",
        "null",
    ]


def test_null_where_a_list_is_expected_is_an_empty_list() -> None:
    diagram = dd.loads("aim: A\nprimary:\n  - text: B\n    secondary:\n    changes: ~\n")
    assert [node.text for node in diagram.nodes] == ["A", "B"]


def test_text_is_trimmed_and_keeps_written_line_breaks() -> None:
    diagram = dd.loads("aim: |\n  First line\n  Second line\n\nprimary:\n  - '  padded  '\n")
    assert diagram.aim.text == "First line\nSecond line"
    assert diagram.nodes[1].text == "padded"


def test_every_node_and_link_keeps_its_location() -> None:
    text = CASES.joinpath("valid/spec-example.yaml").read_text()
    diagram = dd.loads(text, name="falls.yaml")
    huddle = diagram.node("huddle")
    assert (huddle.location.path, huddle.location.line, huddle.location.column) == (
        "falls.yaml",
        13,
        13,
    )
    ref = [link for link in diagram.links if link.child == "huddle"][1]
    assert (ref.location.line, ref.location.column) == (18, 18)


def test_levels_statuses_strengths_and_shared_links() -> None:
    diagram = dd.load(CASES / "valid/spec-example.yaml")
    assert diagram.node("huddle").level == Level.CHANGE
    assert diagram.node("huddle").status == Status.TESTING
    assert [link.parent for link in diagram.parents("huddle")] == ["assess", "p1.s2"]
    assert [link.parent for link in diagram.parents("assess")] == ["identify", "environment"]
    weak = [link for link in diagram.links if link.strength == Strength.WEAK]
    assert [(link.parent, link.child) for link in weak] == [("environment", "p2.s1")]
    assert diagram.node("p2.s1.c1").status == Status.IDEA
    assert diagram.node("identify").status is None


def test_generated_ids_follow_position_and_never_take_a_written_id() -> None:
    diagram = dd.loads("aim: A\nprimary:\n  - B\n  - id: p1\n    text: C\n    changes: [D]\n")
    assert [node.id for node in diagram.nodes] == ["aim", "_p1", "p1", "p2.c1"]


def test_a_generated_id_cannot_be_referenced() -> None:
    with pytest.raises(dd.DiagramError) as caught:
        dd.loads(
            "aim: A\nprimary:\n  - text: B\n    changes: [C]\n  - text: D\n"
            "    changes:\n      - ref: p1.c1\n"
        )
    assert "'p1.c1' is a made-up id" in str(caught.value)


def test_the_graph_has_every_box_and_link() -> None:
    diagram = dd.load(CASES / "valid/everything.yaml")
    graph = dd.to_graph(diagram)
    assert set(graph.nodes) == {node.id for node in diagram.nodes}
    assert graph.number_of_edges() == len(diagram.links)
    assert graph.nodes["script"]["level"] == Level.CHANGE
    assert graph.in_degree("script") == 3


def test_unicode_ids_and_text() -> None:
    diagram = dd.loads(
        "aim: Réduire les chutes\nprimary:\n  - id: sécurité\n    text: Sécurité\n"
        "    secondary:\n      - id: 環境\n        text: 環境\n  - text: Autre\n"
        "    secondary:\n      - ref: 環境\n"
    )
    assert [link.parent for link in diagram.parents("環境")] == ["sécurité", "p2"]


def test_bytes_that_are_not_utf8_are_located(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("aim: ok\nprimary:\n  - Sécurité\n".encode("latin-1"))
    with pytest.raises(dd.DiagramError) as caught:
        dd.load(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (3, 6)
    assert "not UTF-8" in problem.message


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfaim: A\nprimary: [B]\n")
    assert dd.load(path).aim.text == "A"


def test_utf16_is_named(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes("aim: A\nprimary: [B]\n".encode("utf-16"))
    with pytest.raises(dd.DiagramError, match="UTF-16"):
        dd.load(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(dd.DiagramError, match="no such file"):
        dd.load(tmp_path / "nothing.yaml")
    with pytest.raises(dd.DiagramError, match="folder"):
        dd.load(tmp_path)


def test_python_tags_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"aim: !!python/object/apply:os.system ['touch {marker}']\nprimary: [B]\n"
    with pytest.raises(dd.DiagramError, match="tags"):
        dd.loads(text)
    assert not marker.exists()


def test_a_billion_laughs_is_refused_at_once() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name, previous in zip("bcdefghijklmnop", "abcdefghijklmno", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    started = time.perf_counter()
    with pytest.raises(dd.DiagramError, match="anchors"):
        dd.loads("\n".join(lines))
    assert time.perf_counter() - started < 5  # generous: a real bomb never finishes


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_deep_nesting_is_refused(opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    with pytest.raises(dd.DiagramError, match="nested more than"):
        dd.loads("aim: A\nprimary: " + opening * 5000 + "x" + closing * 5000)


def test_deep_block_nesting_is_refused() -> None:
    text = "aim: A\nprimary:\n" + "".join("  " * depth + "- \n" for depth in range(1, 200))
    with pytest.raises(dd.DiagramError) as caught:
        dd.loads(text)
    assert caught.value.problems[0].line >= 1


def test_control_characters_are_located() -> None:
    with pytest.raises(dd.DiagramError) as caught:
        dd.loads("aim: A\nprimary: [B\x07]\n")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, 12)


def test_all_problems_of_a_file_come_together_in_file_order() -> None:
    with pytest.raises(dd.DiagramError) as caught:
        dd.loads(
            "aim: A\nprimary:\n  - text: B\n    status: testing\n    secondary:\n"
            "      - ref: nowhere\n  - text: ''\n",
            name="x.yaml",
        )
    lines = [problem.line for problem in caught.value.problems]
    assert lines == [4, 6, 7]
    assert str(caught.value).splitlines()[0].startswith("x.yaml:4:5: error: ")


def test_an_oversized_file_is_refused_before_reading_it_all(tmp_path: Path) -> None:

    path = tmp_path / "huge.yaml"
    with open(path, "wb") as file:
        file.write(b"aim: A\nprimary:\n")
        file.write(b"  - x\n" * (dd.Limits().file_bytes // 6 + 10))
    with pytest.raises(dd.DiagramError, match="larger than"):
        dd.load(path)


def test_an_oversized_file_names_a_problem_its_start_already_shows(tmp_path: Path) -> None:

    path = tmp_path / "deep.yaml"
    with open(path, "w") as file:
        file.write("aim: A\nprimary:\n")
        depth = 0
        while file.tell() <= dd.Limits().file_bytes:
            file.write("  " * depth + "key:\n")
            depth += 1
    with pytest.raises(dd.DiagramError) as caught:
        dd.load(path)
    (problem,) = caught.value.problems
    assert "nested more than" in problem.message and problem.line == 53


def test_where_a_ref_stands_changes_neither_ids_nor_drawing() -> None:
    first = (
        "aim: A\nprimary:\n  - text: B\n    changes:\n      - id: shared\n        text: C\n"
        "  - text: D\n    changes:\n      - ref: shared\n      - E\n"
    )
    last = first.replace("      - ref: shared\n      - E\n", "      - E\n      - ref: shared\n")
    one, other = dd.loads(first), dd.loads(last)
    assert [node.id for node in one.nodes] == [node.id for node in other.nodes]
    assert "p2.c1" in [node.id for node in one.nodes]
    assert dd.to_dot(one) == dd.to_dot(other)


def test_a_lone_surrogate_becomes_the_replacement_character() -> None:
    diagram = dd.loads('aim: "A \\uD800 B"\nprimary: [C]\n')
    assert diagram.aim.text == "A \ufffd B"
    assert dd.export(diagram, "json").encode("utf-8")
