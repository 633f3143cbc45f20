"""Outline, exports and imports: what goes out comes back as the same diagram."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.exports.json import cycle_record, measure_record
from driverdiagram.model import Level, Measure
from driverdiagram.readers.imports import read

ROOT = Path(__file__).parent.parent
FILES = (
    sorted((ROOT / "tests" / "cases" / "valid").glob("*.yaml"))
    + sorted((ROOT / "diagrams").glob("*.yaml"))
    + sorted((ROOT / "templates").glob("*.yaml"))
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_yaml_and_json_round_trips_draw_the_same(path: Path) -> None:
    diagram = dd.load(path)
    # written beside the original, so a measure's data file is found as before
    again = dd.loads(dd.to_yaml(diagram), str(path.with_name("again.yaml")), base=path.parent)
    assert dd.to_dot(again) == dd.to_dot(diagram)
    assert list(map(measure_record, again.measures)) == list(map(measure_record, diagram.measures))
    assert list(map(cycle_record, again.cycles)) == list(map(cycle_record, diagram.cycles))
    exported = dd.export(diagram, "json")
    through_json = read(exported, "d.json")
    assert dd.to_dot(through_json) == dd.to_dot(diagram)
    # every box is located at its own object in the JSON imported
    lines = exported.splitlines()
    for node in through_json.nodes:
        assert lines[node.location.line - 1][node.location.column - 1 :] == "{"
        assert f'"id": {json.dumps(node.id, ensure_ascii=False)},' in lines[node.location.line]
    # CSV carries boxes, links and, in FreeSPC's measures_json, each measure's name and
    # type; the rest of a measure and the PDSA cycles stay in the YAML
    through_csv = read(dd.export(diagram, "csv"), "d.csv")
    named = replace(
        diagram,
        measures=tuple(Measure(m.id, m.name, m.node, m.location, m.type) for m in diagram.measures),
        cycles=(),
    )
    assert dd.to_dot(through_csv) == dd.to_dot(named)
    assert [(m.node, m.name, m.type) for m in through_csv.measures] == [
        (m.node, m.name, m.type) for m in diagram.measures
    ]
    # the same diagram as its YAML: lines are the JSON's, and measures keep their data
    # inline, so their 'data' is gone
    ours, theirs = json.loads(dd.export(through_json, "json")), json.loads(dd.export(again, "json"))
    for measure in theirs.get("measures", []):
        measure["data"] = ""
    assert _lineless(ours) == _lineless(theirs)


def _lineless(data: object) -> object:
    if isinstance(data, dict):
        return {key: _lineless(value) for key, value in data.items() if key != "line"}
    if isinstance(data, list):
        return [_lineless(item) for item in data]
    return data


def test_written_yaml_is_tidy() -> None:
    diagram = dd.load(ROOT / "tests" / "cases" / "valid" / "spec-example.yaml")
    text = dd.to_yaml(diagram)
    assert "p1.s2" not in text, "made-up ids are not written"
    assert "      - ref: huddle\n" in text and "      - ref: assess\n" in text
    assert "          - Add a falls risk screen to the admission checklist\n" in text


def test_written_yaml_keeps_a_next_line_character() -> None:
    """U+0085 (NEL) is a line break to YAML: written any way but double-quoted it read
    back as a space, so an import of text holding one printed another diagram."""
    diagram = read("Aim,Primary,Change\nHalve falls\x85by 2027,Risk\x85known,Checklist\n", "s.csv")
    again = dd.loads(dd.to_yaml(diagram))
    assert [node.text for node in again.nodes] == [node.text for node in diagram.nodes]
    assert again.aim.text == "Halve falls\x85by 2027"


def test_a_shared_box_without_an_id_gets_one_from_its_text() -> None:
    exported = json.loads(dd.export(dd.load(ROOT / "tests/cases/valid/spec-example.yaml"), "json"))
    for node in exported["nodes"]:
        if node["id"] == "huddle":
            node["id"], node["generated_id"] = "p1.s1.c2", True
    for link in exported["links"]:
        for end in ("parent", "child"):
            if link[end] == "huddle":
                link[end] = "p1.s1.c2"
    text = dd.to_yaml(read(json.dumps(exported), "d.json"))
    assert "id: review-high-risk-patients" in text
    assert "ref: review-high-risk-patients" in text


def test_json_export_has_everything_in_a_stable_order() -> None:
    diagram = dd.load(ROOT / "diagrams" / "early-years-participation.yaml")
    data = json.loads(dd.export(diagram, "json"))
    assert list(data) == [
        "format",
        "version",
        "title",
        "team",
        "updated",
        "notes",
        "labels",
        "nodes",
        "links",
        "measures",
        "cycles",
    ]
    assert [node["id"] for node in data["nodes"]] == [node.id for node in diagram.nodes]
    assert len(data["links"]) == len(diagram.links)
    assert list(data["nodes"][0]) == [
        "id",
        "level",
        "text",
        "notes",
        "status",
        "generated_id",
        "line",
    ]


def test_markdown_lists_every_change_idea_under_each_driver() -> None:
    diagram = dd.load(ROOT / "diagrams" / "early-years-participation.yaml")
    text = dd.export(diagram, "markdown")
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    expected = [link for link in diagram.links if diagram.node(link.child).level == Level.CHANGE]
    assert len(rows) - 1 == len(expected)
    for change in diagram.at_level(Level.CHANGE):
        assert any(change.text.split()[0] in row for row in rows)


def test_markdown_and_mermaid_show_text_literally() -> None:
    diagram = dd.loads('aim: "A | <b> & \\"q\\" # *x*"\nprimary: [B]\n')
    markdown = dd.export(diagram, "markdown")
    assert 'A \\| \\<b\\> \\& "q" \\# \\*x\\*' in markdown
    mermaid = dd.export(diagram, "mermaid")
    assert 'n0["A #124; #60;b#62; #38; #34;q#34; #35; #42;x#42;"]' in mermaid


def test_mermaid_has_every_box_link_column_and_status() -> None:
    diagram = dd.load(ROOT / "diagrams" / "early-years-participation.yaml")
    text = dd.export(diagram, "mermaid")
    assert text.startswith("flowchart LR\n")
    assert len(re.findall(r'^    n\d+\["', text, re.M)) == len(diagram.nodes)
    assert len(re.findall(r"^  n\d+ (---|-\.-) n\d+$", text, re.M)) == len(diagram.links)
    assert text.count("-.-") == sum(link.strength.value == "weak" for link in diagram.links)
    assert text.count("subgraph ") == len(diagram.levels)
    for status in ("testing", "adopted", "abandoned"):
        assert f"classDef {status} " in text


def test_outline_command(tmp_path: Path) -> None:
    runner = CliRunner()
    path = ROOT / "tests" / "cases" / "valid" / "spec-example.yaml"
    result = runner.invoke(main, ["outline", str(path)])
    assert result.exit_code == 0
    assert result.stdout == dd.outline(dd.load(path), ids=True)
    assert "  [identify] Primary driver: Patients at risk are identified early\n" in result.stdout
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(b"aim: [\n")
    assert runner.invoke(main, ["outline", str(broken)]).exit_code == 1
    raw = runner.invoke(main, ["outline", "--textconv", str(broken)])
    assert (raw.exit_code, raw.stdout) == (0, "aim: [\n")


def test_export_and_import_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    source = ROOT / "diagrams" / "falls-prevention.yaml"
    exported = tmp_path / "falls.json"
    result = runner.invoke(main, ["export", str(source), "--to", "json", "-o", str(exported)])
    assert result.exit_code == 0
    back = tmp_path / "falls.yaml"
    result = runner.invoke(main, ["import", str(exported), "-o", str(back)])
    assert result.exit_code == 0
    assert dd.to_dot(dd.load(back)) == dd.to_dot(dd.load(source))
    again = runner.invoke(main, ["import", str(exported), "-o", str(back)])
    assert again.exit_code == 1 and "already exists" in again.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "driverdiagram", "nodes": [')
    result = runner.invoke(main, ["import", str(broken)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{broken}:1:")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_diff_shows_the_outline(tmp_path: Path) -> None:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    git("init", "-q")
    (tmp_path / ".gitattributes").write_text("*.yaml diff=driverdiagram\n")
    command = f"'{sys.executable}' -m driverdiagram outline --textconv"
    git("config", "diff.driverdiagram.textconv", command)
    path = tmp_path / "falls.yaml"
    path.write_text("aim: Halve falls by June 2027\nprimary:\n  - Risk is known\n")
    git("add", "-A")
    git("commit", "-q", "-m", "one")
    path.write_text(
        "aim: Halve falls by June 2027\nprimary:\n  - Risk is known\n  - Rooms are safe\n"
    )
    diff = git("diff")
    assert "+  [p2] Primary driver: Rooms are safe" in diff


def test_csv_export_is_freespc_first() -> None:
    """FreeSPC's current columns in its order (its tool writes them so), then ours."""
    text = dd.export(dd.load(ROOT / "tests" / "cases" / "valid" / "spec-example.yaml"), "csv")
    header, aim, primary, assess = text.splitlines()[:4]
    assert header == (
        "id,level,parent_id,text,color,auto_size,extra_parents,box_height,vertical_gap,"
        "font_size,font_family,font_bold,title_aim,title_primary,title_secondary,title_change,"
        "palette_json,measures_json,status,strength,notes,title,team,updated,diagram_notes,labels"
    )
    assert aim.startswith("aim,aim,,")
    assert primary.startswith("identify,primary,aim,Patients at risk are identified early,#")
    assert assess.split(",")[:3] == ["assess", "secondary", "identify"]
    assert assess.split(",")[6] == "environment"
    assert assess.split(",")[7:16] == [
        *("32", "8", "13", "", "0"),
        *("Aim", "Primary drivers", "Secondary drivers", "Change ideas"),
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_csv_export_comes_back_exactly(path: Path) -> None:
    """Export -> import -> export: every cell the same, FreeSPC's columns and ours."""
    text = dd.export(dd.load(path), "csv")
    assert dd.export(read(text, "d.csv"), "csv") == text


def test_a_current_freespc_export_imports_in_full() -> None:
    """FreeSPC's tool as it is now: CRLF rows, the drawing columns, the column titles
    on every row, extra_parents split on ';', and measures in measures_json."""
    case = ROOT / "tests" / "cases" / "import" / "valid" / "freespc-current.csv"
    diagram = read(case.read_bytes().decode("utf-8"), "f.csv")
    assert dict(diagram.labels) == {
        "aim": "Aim",
        "primary": "Key drivers",
        "secondary": "Secondary drivers",
        "tertiary": "Tertiary drivers",
        "changes": "Ideas to test",
    }
    assert [(m.node, m.name, m.type.value) for m in diagram.measures] == [
        ("aim", "Falls per 1,000 occupied bed days", "outcome"),
        ("p1.s1", "% assessed within 6 hours", "process"),
        ("p1.s1", "Assessments audited", "process"),  # FreeSPC's "none": the default
        ("p2.s1.c1", "Nurse time spent on rounds", "balancing"),
    ]
    huddle = next(n for n in diagram.nodes if n.text.startswith("Daily safety huddle"))
    assert [(link.parent, link.ref) for link in diagram.parents(huddle.id)] == [
        ("p1.s1", False),
        ("p2.s1", True),
        ("p2", True),
    ]
    # each measure at its measures_json cell (column 18), each extra parent's link at
    # the extra_parents cell (column 7) of the row that names it
    assert {(m.location.line, m.location.column) for m in diagram.measures} == {
        (2, 18),
        (5, 18),
        (8, 18),
    }
    assert [(link.location.line, link.location.column) for link in diagram.parents(huddle.id)] == [
        (9, 1),
        (9, 7),
        (9, 7),
    ]


def test_a_freespc_file_with_numeric_ids_imports() -> None:
    text = (
        "id,level,parent_id,text,color,extra_parents\n"
        "1,aim,,Halve falls by June 2027,#ffffff,\n"
        "2,primary,1,Risk is known,#ffc281,\n"
        "3,primary,1,Rooms are safe,#ffc281,\n"
        "4,secondary,2,Risk assessed on admission,#ffe0b2,3\n"
        "5,change,4,Admission checklist,#ffffff,\n"
    )
    diagram = read(text, "free.csv")
    assert [node.text for node in diagram.nodes][:3] == [
        "Halve falls by June 2027",
        "Risk is known",
        "Risk assessed on admission",
    ]
    shared = next(node for node in diagram.nodes if node.text == "Risk assessed on admission")
    assert len(diagram.parents(shared.id)) == 2


def test_the_spreadsheet_layout_imports_with_shared_boxes() -> None:
    diagram = read((ROOT / "tests/cases/import/spreadsheet.csv").read_text(), "sheet.csv")
    texts = {node.text: node for node in diagram.nodes}
    assert diagram.aim.text == "95% of eligible children enrolled by Feb 2027"
    assert len(diagram.at_level(Level.PRIMARY)) == 3
    shared = texts["Services contact families early"]
    assert [diagram.node(link.parent).text for link in diagram.parents(shared.id)] == [
        "Families know about kinder",
        "Enrolment is simple",
    ]
    assert texts["Kinder stall at the festival"].status.value == "testing"
    assert diagram.node(diagram.parents(texts["Free bus from the estate"].id)[0].parent).text == (
        "Fees and transport are no barrier"
    )
    assert len(diagram.at_level(Level.CHANGE)) == 5


@pytest.mark.parametrize(
    "text, where, message",
    [
        ("Aim,Primary,Change,Status\nA,B,C,done\n", (2, 4), "unknown status 'done'"),
        ("Aim,Primary,Change\nA,B,\n", (2, 3), "this row has no change idea"),
        ("Aim,Primary,Change\n,B,C\n", (1, 1), "no aim"),
        ("Name,Owner\nx,y\n", (1, 1), "not a driver diagram spreadsheet"),
        ("id,level,parent_id,text\n1,aim,,A\n2,primery,1,B\n", (3, 2), "unknown level 'primery'"),
        ("id,level,parent_id,text\n1,aim,,A\n2,primary,9,B\n", (3, 3), "parent '9' is not a box"),
    ],
)
def test_bad_spreadsheets_are_located(text: str, where: tuple[int, int], message: str) -> None:
    with pytest.raises(dd.DiagramError) as caught:
        read(text, "s.csv")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == where
    assert message in problem.message


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_an_outline_comes_back_with_every_box_and_link(path: Path) -> None:
    from driverdiagram.text import visible

    diagram = dd.load(path)
    again = read(dd.outline(diagram, ids=True), "outline.txt")
    # the outline shows control characters as pictures (a bell as ␇), on one line
    assert sorted(" ".join(visible(node.text).split()) for node in diagram.nodes) == sorted(
        node.text for node in again.nodes
    )
    assert len(again.links) == len(diagram.links)

    def statuses(d: dd.Diagram) -> list[tuple[str, str]]:
        return sorted((" ".join(visible(n.text).split()), str(n.status)) for n in d.nodes)

    assert statuses(again) == statuses(diagram)


def test_a_markdown_list_imports(tmp_path: Path) -> None:
    source = tmp_path / "falls.md"
    source.write_text(
        "# Falls on Ward 7\n\nHalve falls by June 2027\n"
        "- Risk is known\n  - Risk assessed on admission\n    - Admission checklist\n"
        "- Rooms are safe\n  - Floors are clear\n    - Hourly rounding\n"
        "  - Risk assessed on admission\n"
    )
    result = CliRunner().invoke(main, ["import", str(source)])
    assert result.exit_code == 0
    diagram = dd.loads(result.stdout, "x.yaml")
    assert diagram.title == "Falls on Ward 7"
    assert [n.level for n in diagram.nodes] == [
        Level.AIM,
        Level.PRIMARY,
        Level.SECONDARY,
        Level.CHANGE,
        Level.PRIMARY,
        Level.SECONDARY,
        Level.CHANGE,
    ]
    shared = next(n for n in diagram.nodes if n.text == "Risk assessed on admission")
    assert len(diagram.parents(shared.id)) == 2


def test_a_badly_indented_outline_is_located() -> None:
    with pytest.raises(dd.DiagramError) as caught:
        read("Aim by 2027\n    - A\n        - B\n  - C\n", "o.txt")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (4, 3)


MMDC = shutil.which("mmdc") or os.environ.get("MMDC")


@pytest.mark.skipif(not MMDC or not shutil.which("chromium"), reason="needs mmdc and chromium")
def test_the_mermaid_cli_draws_every_box(tmp_path: Path) -> None:
    """Run with MMDC=/path/to/node_modules/.bin/mmdc where the Mermaid CLI is installed
    (npm install @mermaid-js/mermaid-cli, with PUPPETEER_SKIP_DOWNLOAD=1)."""
    diagram = dd.load(ROOT / "diagrams" / "early-years-participation.yaml")
    source = tmp_path / "d.mmd"
    source.write_text(dd.export(diagram, "mermaid"))
    config = tmp_path / "puppeteer.json"
    config.write_text(
        json.dumps(
            {
                "executablePath": shutil.which("chromium"),
                "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            }
        )
    )
    out = tmp_path / "d.svg"
    run = subprocess.run(
        [str(MMDC), "-p", str(config), "-i", str(source), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    svg = out.read_text()
    assert "Syntax error" not in svg
    for node in diagram.nodes:
        assert node.text.split()[0] in svg


def test_imports_refuse_mermaid_and_a_second_aim() -> None:
    with pytest.raises(dd.DiagramError, match="this is Mermaid"):
        dd_import("flowchart LR\n  a --- b\n", "x.mermaid")
    with pytest.raises(dd.DiagramError) as caught:
        read("Aim,Primary,Change\nA,P1,C1\nB,P2,C2\n", "two.csv")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (3, 1) and "a second aim" in problem.message


def test_a_semicolon_spreadsheet_imports() -> None:
    diagram = read(
        "Aim;Primary driver;Change idea\nHalve falls by 2027;Risk known;Checklist\n", "s.csv"
    )
    assert [node.text for node in diagram.nodes] == [
        "Halve falls by 2027",
        "Risk known",
        "Checklist",
    ]


def test_markdown_lists_and_the_markdown_export_import() -> None:
    listed = read(
        "# Halve falls by June 2027\n\n- Risk is known\n  - Risk assessed\n    - Checklist\n"
        "- Ward is safe\n  - Floors clear\n    - Rounding\n",
        "l.md",
    )
    assert listed.aim.text == "Halve falls by June 2027"
    assert [n.text for n in listed.at_level(Level.PRIMARY)] == ["Risk is known", "Ward is safe"]
    original = dd.load(ROOT / "diagrams" / "falls-prevention.yaml")
    back = read(dd.export(original, "markdown"), "export.md")
    assert sorted(n.text for n in back.nodes) == sorted(
        " ".join(n.text.split()) for n in original.nodes
    )
    assert len(back.links) == len(original.links)
    assert sorted(str(n.status) for n in back.nodes) == sorted(
        str(n.status) for n in original.nodes
    )


def dd_import(text: str, name: str) -> dd.Diagram:
    return read(text, name)
