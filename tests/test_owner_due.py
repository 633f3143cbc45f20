"""`owner` and `due` on change ideas and PDSA cycles: read, located when wrong, kept by
every export and import, shown by the portal, the papers and `driverdiagram pdsa`, and
noted by lint when the date has passed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.readers.imports import read as imported

DIAGRAM = """\
title: Falls
aim: Halve falls on Ward 7 by June 2027
primary:
  - text: Safer nights
    changes:
      - id: huddle
        text: Review high-risk patients at the daily huddle
        owner: Priya Shah (falls lead)
        due: 2026-12-01
        pdsa:
          - start: 2026-09-01
            owner: Ward 7 night team
            due: 2026-09-21
            prediction: 8 of 10 reviewed
      - id: lights
        text: Night lights in every bay
"""


def _load(text: str = DIAGRAM) -> dd.Diagram:
    return dd.loads(text, "falls.yaml")


def test_owner_and_due_are_read_on_change_ideas_and_cycles() -> None:
    diagram = _load()
    huddle = diagram.node("huddle")
    assert (huddle.owner, huddle.due) == ("Priya Shah (falls lead)", dt.date(2026, 12, 1))
    assert (diagram.node("lights").owner, diagram.node("lights").due) == ("", None)
    (cycle,) = diagram.cycles_of("huddle")
    assert (cycle.owner, cycle.due) == ("Ward 7 night team", dt.date(2026, 9, 21))


@pytest.mark.parametrize(
    ("change", "line", "column", "words"),
    [
        ("        due: 1 December", 9, 14, "'due' should be a date written as 2026-09-01"),
        ("        due: 2026-02-30", 9, 14, "'2026-02-30' is not a real date"),
        ("            due: soon", 13, 18, "'due' should be a date written as 2026-09-01"),
    ],
)
def test_a_bad_due_date_is_located(change: str, line: int, column: int, words: str) -> None:
    lines = DIAGRAM.splitlines()
    key = 12 if change.startswith("            ") else 8  # the cycle's due or the idea's
    lines[key] = change
    with pytest.raises(dd.InvalidDiagram) as raised:
        _load("\n".join(lines) + "\n")
    (problem,) = raised.value.problems
    assert (problem.location.line, problem.location.column) == (line, column)
    assert words in problem.message


def test_a_driver_has_no_owner_and_says_so() -> None:
    text = DIAGRAM.replace("  - text: Safer nights\n", "  - text: Safer nights\n    owner: Sam\n")
    with pytest.raises(dd.InvalidDiagram) as raised:
        _load(text)
    (problem,) = raised.value.problems
    assert problem.location.line == 5
    assert problem.message == "'owner' is only for change ideas, not a primary driver"


@pytest.mark.parametrize("to", ["yaml", "json"])
def test_exports_keep_owner_and_due(to: str) -> None:
    diagram = _load()
    if to == "yaml":
        again = dd.loads(dd.to_yaml(diagram), "again.yaml")
    else:
        again = imported(dd.export(diagram, "json"), "again.json")
    for node in diagram.nodes:
        assert (again.node(node.id).owner, again.node(node.id).due) == (node.owner, node.due)
    assert [(c.owner, c.due) for c in again.cycles] == [(c.owner, c.due) for c in diagram.cycles]


def test_pdsa_output_shows_who_and_when() -> None:
    diagram = _load()
    text = dd.pdsa(diagram)
    assert "  Owner: Priya Shah (falls lead), due 2026-12-01\n" in text
    assert "    Owner: Ward 7 night team, due 2026-09-21\n" in text
    assert "· Owner\\: Priya Shah (falls lead), due 2026-12-01" in dd.pdsa(
        diagram, format="markdown"
    )
    (record,) = json.loads(dd.pdsa(diagram, format="json"))
    assert (record["owner"], record["due"]) == ("Priya Shah (falls lead)", "2026-12-01")
    assert (record["cycles"][0]["owner"], record["cycles"][0]["due"]) == (
        "Ward 7 night team",
        "2026-09-21",
    )


def test_pdsa_output_without_them_is_as_before() -> None:
    text = DIAGRAM.replace("        owner: Priya Shah (falls lead)\n        due: 2026-12-01\n", "")
    text = text.replace("            owner: Ward 7 night team\n            due: 2026-09-21\n", "")
    assert "Owner" not in dd.pdsa(_load(text)) and "due" not in dd.pdsa(_load(text))


def test_the_paper_has_owner_and_due_columns_only_when_an_idea_has_them(tmp_path: Path) -> None:
    (tmp_path / "falls.yaml").write_text(DIAGRAM, encoding="utf-8")
    diagram = dd.load(tmp_path / "falls.yaml")
    dd.paper(diagram, tmp_path / "paper.md")
    paper = (tmp_path / "paper.md").read_text(encoding="utf-8")
    assert "| Primary driver | Change idea | Status | Owner | Due |" in paper
    assert (
        "| Safer nights | Review high-risk patients at the daily huddle | testing"
        " | Priya Shah (falls lead) | 2026-12-01 |"
    ) in paper
    assert "|  | Night lights in every bay | idea |  |  |" in paper
    assert (
        "(cycle 1; Ward 7 night team)" in paper and "2026-09-01 (ongoing), due 2026-09-21" in paper
    )
    plain = DIAGRAM.replace("        owner: Priya Shah (falls lead)\n        due: 2026-12-01\n", "")
    (tmp_path / "plain.yaml").write_text(plain, encoding="utf-8")
    dd.paper(dd.load(tmp_path / "plain.yaml"), tmp_path / "plain.md")
    assert "| Owner |" not in (tmp_path / "plain.md").read_text(encoding="utf-8")


def test_the_portal_shows_the_owner_and_due_date(tmp_path: Path) -> None:
    folder = tmp_path / "diagrams"
    folder.mkdir()
    (folder / "falls.yaml").write_text(DIAGRAM, encoding="utf-8")
    dd.build_site([str(folder)], tmp_path / "site")
    pages = [path.read_text(encoding="utf-8") for path in (tmp_path / "site").rglob("*.html")]
    (huddle,) = [page for page in pages if "<h1>Review high-risk patients" in page]
    assert "· Owner: Priya Shah (falls lead) · Due: 2026-12-01</p>" in huddle
    assert "<dt>Run by</dt><dd>Ward 7 night team</dd>" in huddle
    assert "<dt>Study due</dt><dd>2026-09-21</dd>" in huddle


def test_owner_markup_reaches_the_portal_as_text(tmp_path: Path) -> None:
    folder = tmp_path / "diagrams"
    folder.mkdir()
    hostile = DIAGRAM.replace("Priya Shah (falls lead)", "'<script>alert(1)</script>'")
    (folder / "falls.yaml").write_text(hostile, encoding="utf-8")
    dd.build_site([str(folder)], tmp_path / "site")
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html"))
    assert "<script>alert(1)" not in pages
    assert "Owner: &lt;script&gt;alert(1)&lt;/script&gt;" in pages


@pytest.mark.parametrize(
    ("today", "codes"),
    [
        (dt.date(2026, 9, 21), []),  # nothing late yet
        (dt.date(2026, 9, 22), [11]),  # the cycle's study is late
        (dt.date(2026, 12, 2), [6, 11]),  # and the idea's decision
    ],
)
def test_lint_notes_what_is_past_its_due_date(today: dt.date, codes: list[int]) -> None:
    found = dd.lint(_load(), select=["DD119"], today=today)
    assert [problem.location.line for problem in found] == codes
    assert all(problem.code == "DD119" for problem in found)
    if codes:
        assert "was due" in found[0].message


def test_lint_leaves_a_decided_idea_alone() -> None:
    decided = DIAGRAM.replace(
        "        due: 2026-12-01\n", "        due: 2026-12-01\n        status: adopted\n"
    )
    decided = decided.replace(
        "            prediction: 8 of 10 reviewed\n", "            act: adopt\n"
    )
    assert dd.lint(_load(decided), select=["DD119"], today=dt.date(2027, 1, 1)) == []


def test_diff_names_a_new_owner_and_due_date() -> None:
    old = _load()
    new = _load(
        DIAGRAM.replace("Priya Shah (falls lead)", "Sam Lee").replace("2026-12-01", "2027-01-15")
    )
    changes = [change for change in dd.compare(old, new) if change.kind in ("owner", "due")]
    assert [change.kind for change in changes] == ["owner", "due"]
    assert changes[0].details == {
        "id": "huddle",
        "old": "Priya Shah (falls lead)",
        "new": "Sam Lee",
    }
    assert changes[1].details == {"id": "huddle", "old": "2026-12-01", "new": "2027-01-15"}
    cycle = _load(DIAGRAM.replace("Ward 7 night team", "Day team"))
    (edited,) = [c for c in dd.compare(old, cycle) if c.kind == "cycle-changed"]
    assert edited.details["field"] == "owner"


def test_the_schema_knows_owner_and_due() -> None:
    schema = json.loads(dd.schema())
    change = schema["definitions"]["change"]["properties"]
    assert {"owner", "due"} <= set(change)
    assert (
        "primary" in schema["definitions"]
        and "owner" not in schema["definitions"]["primary"]["properties"]
    )


def test_lint_command_shows_the_late_idea(tmp_path: Path) -> None:
    path = tmp_path / "falls.yaml"
    path.write_text(DIAGRAM, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["lint", str(path), "--today", "2026-12-02", "--select", "DD119"]
    )
    assert f"{path}:6:9: " in result.output and "[DD119]" in result.output, result.output


def test_pdsa_add_writes_owner_and_due_in_place(tmp_path: Path) -> None:
    path = tmp_path / "falls.yaml"
    path.write_text(DIAGRAM, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "pdsa", "add", str(path), "--change", "lights", "--start", "2026-10-05",
            "--owner", "Night team", "--due", "2026-10-30",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    added = path.read_text(encoding="utf-8").splitlines()[len(DIAGRAM.splitlines()) :]
    assert added == [
        "        pdsa:",
        "          - start: 2026-10-05",
        "            owner: Night team",
        "            due: 2026-10-30",
    ]
    (cycle,) = dd.load(path).cycles_of("lights")
    assert (cycle.owner, cycle.due) == ("Night team", dt.date(2026, 10, 30))
    bad = CliRunner().invoke(
        main,
        ["pdsa", "add", str(path), "--change", "lights", "--start", "2026-11-02", "--due", "soon"],
    )
    assert bad.exit_code == 2 and "--due" in bad.output
