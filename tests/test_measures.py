"""Measures and PDSA cycles: reading them, the commands that use them, and their lint rules."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.coaching import Settings, lint

ROOT = Path(__file__).parent.parent
EARLY = ROOT / "diagrams" / "early-years-participation.yaml"
FALLS = ROOT / "diagrams" / "falls-prevention.yaml"
MEASURED = ROOT / "tests" / "cases" / "valid" / "measures.yaml"

BASE = """\
aim:
  text: Reduce falls from 8 to 4 per 1,000 bed days by June 2027
  measures:
{aim_measures}
primary:
  - id: identify
    text: Patients at risk are identified early
{primary_extra}
    changes:
      - id: huddle
        text: Review high-risk patients at the daily huddle
{change_extra}
"""


def diagram(
    aim_measures: str = "    - id: falls-rate\n      name: Falls per 1,000 bed days",
    primary_extra: str = "",
    change_extra: str = "",
) -> str:
    return BASE.format(
        aim_measures=aim_measures, primary_extra=primary_extra, change_extra=change_extra
    )


# -- reading -------------------------------------------------------------------------


def test_measure_fields_defaults_and_made_up_ids() -> None:
    text = diagram(
        aim_measures="    - name: Falls per 1,000 bed days\n"
        "    - name: Falls per 1,000 bed days\n"
        "      type: balancing\n"
        "      rules: anhoej\n"
        "      target: '1,250.5'",
        primary_extra="    measures:\n      - name: Assessed within 24 hours",
    )
    loaded = dd.loads(text)
    first, second, third = loaded.measures
    assert (first.id, first.type, first.node, first.generated_id) == (
        "falls-per-1-000-bed-days",
        dd.MeasureType.OUTCOME,
        "aim",
        True,
    )
    assert (second.id, second.type.value, second.rules.value, second.target) == (
        "falls-per-1-000-bed-days-2",
        "balancing",
        "anhoej",
        1250.5,
    )
    assert (third.id, third.type.value, third.node) == (
        "assessed-within-24-hours",
        "process",
        "identify",
    )


def test_inline_values_with_blanks_notes_and_typographic_minus() -> None:
    text = diagram(
        aim_measures="    - id: m\n      name: M\n      values:\n"
        "        2026-01: 3\n        2026-02:\n        2026-03: NA\n"
        "        2026-04: {value: 5, note: 'Astronomical: outbreak'}\n"
        "        2026-05: \u22122.5\n"
    )
    (measure,) = dd.loads(text).measures
    assert measure.values == [3.0, None, None, 5.0, -2.5]
    assert [p.period for p in measure.points] == [
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
    ]
    assert measure.points[3].astronomical and not measure.points[0].astronomical


def test_data_files_are_relative_to_the_diagram(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ward"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "falls.csv").write_text(
        "\ufeffperiod,numerator,denominator,note\n2026-01,8,1000,\n\n2026-02,,,outage\n"
        "2026-03,3,750,Huddle starts\n",
        encoding="utf-8",
    )
    (folder / "data" / "assessed.csv").write_text(
        "Period;Value;Note\n2026-01;82,5;\n2026-02;90;\n", encoding="utf-8"
    )
    path = folder / "ward.yaml"
    path.write_text(
        diagram(
            aim_measures="    - id: falls-rate\n      name: Falls\n      unit: per 1,000 bed days\n"
            "      data: data/falls.csv",
            primary_extra="    measures:\n      - id: assessed\n        name: Assessed\n"
            "        unit: '%'\n        data: data/assessed.csv",
        )
    )
    monkeypatch.chdir(tmp_path)  # somewhere else: the paths still resolve from the file
    falls, assessed = dd.load(path).measures
    assert falls.values == [8.0, None, 4.0]
    assert [p.note for p in falls.points] == ["", "outage", "Huddle starts"]
    assert falls.data == "data/falls.csv"
    assert assessed.values == [82.5, 90.0]  # semicolons and a decimal comma, as Excel saves


def test_ratio_multiplier_follows_the_unit() -> None:
    from driverdiagram.readers.measures import multiplier

    assert [multiplier(u) for u in ("%", "per 1,000 bed days", "per 100 patients", "days", "")] == [
        100.0,
        1000.0,
        100.0,
        1.0,
        1.0,
    ]


def test_status_follows_the_last_cycle_unless_written() -> None:
    loaded = dd.load(MEASURED)
    statuses = {node.id: node.status.value for node in loaded.at_level(dd.Level.CHANGE)}
    assert statuses == {"huddle": "adopted", "signs": "abandoned", "p1.c3": "idea"}
    testing = dd.loads(diagram(change_extra="        pdsa:\n          - start: 2026-09-01"))
    assert testing.node("huddle").status == dd.Status.TESTING
    cycles = loaded.cycles_of("huddle")
    assert [(c.number, c.act.value if c.act else None) for c in cycles] == [
        (1, "adapt"),
        (2, "adopt"),
    ]
    assert cycles[0].label == "huddle #1"
    assert [c.label for c in loaded.cycles_watching("falls-rate")] == ["huddle #1"]


def test_cycles_are_numbered_by_date_whatever_the_order_written() -> None:
    text = diagram(
        change_extra="        pdsa:\n"
        "          - {start: 2026-10-01, act: adopt}\n"
        "          - {start: 2026-09-01, act: adapt, name: Night shift}\n"
    )
    loaded = dd.loads(text)
    assert [(c.start.isoformat(), c.number, c.label) for c in loaded.cycles] == [
        ("2026-09-01", 1, "Night shift"),
        ("2026-10-01", 2, "huddle #2"),
    ]
    assert loaded.node("huddle").status == dd.Status.ADOPTED


def test_measures_and_pdsa_in_the_wrong_place() -> None:
    with pytest.raises(dd.DiagramError) as caught:
        dd.loads("aim: A\nmeasures: []\npdsa: []\nprimary: [B]\n", "d.yaml")
    assert [p.message.split(";")[0] for p in caught.value.problems] == [
        "'measures' cannot be at the top of the file",
        "'pdsa' cannot be at the top of the file",
    ]


def test_duplicate_measure_ids_and_unknown_keys() -> None:
    text = diagram(
        aim_measures="    - id: m\n      name: One\n    - id: m\n      name: Two\n      colour: red"
    )
    with pytest.raises(dd.DiagramError) as caught:
        dd.loads(text, "d.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "d.yaml:6:7: error: duplicate measure id 'm' (already used at line 4); every measure"
        " id must be unique",
        "d.yaml:8:7: error: unknown key 'colour'; a measure may have: id, name, type,"
        " definition, direction, unit, target, baseline, rules, data, values",
    ]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "data/x.csv:1:1: error: the data file is empty"),
        (b"period,value\n", "data/x.csv:1:1: error: the data file has a header row but no data"),
        (b"period,value,colour\n", "data/x.csv:1:14: error: unknown column 'colour'"),
        (b"period,value\n2026-01,\xff\n", "data/x.csv:2:9: error: the file is not UTF-8"),
        (b"period,value\n2026-02-30,1\n", "data/x.csv:2:1: error: '2026-02-30' is not a real date"),
        (b"period,numerator\n2026-01,1\n", "data/x.csv:1:1: error: the columns should be"),
        (b"period,value\n2026-01,inf\n", "data/x.csv:2:9: error: 'inf' in the value column"),
    ],
)
def test_data_file_problems_are_located(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.csv").write_bytes(content)
    path = tmp_path / "d.yaml"
    path.write_text(diagram(aim_measures="    - name: M\n      data: data/x.csv"))
    with pytest.raises(dd.DiagramError) as caught:
        dd.load(path)
    assert str(caught.value).replace(str(tmp_path) + os.sep, "").startswith(message)


def test_a_data_file_that_is_a_folder_or_too_big(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    path = tmp_path / "d.yaml"
    path.write_text(diagram(aim_measures="    - name: M\n      data: data"))
    with pytest.raises(dd.DiagramError, match="is a folder, not a CSV file"):
        dd.load(path)
    (tmp_path / "big.csv").write_bytes(b"period,value\n" + b"0" * (10 * 2**20))
    path.write_text(diagram(aim_measures="    - name: M\n      data: big.csv"))
    with pytest.raises(dd.DiagramError, match="larger than 10 MB"):
        dd.load(path)


def test_too_many_points(tmp_path: Path) -> None:
    MAX_POINTS = dd.Limits().points
    rows = "".join(f"{2000 + i // 365:04d}-01-01,{i}\n" for i in range(1))
    start = dt.date(2000, 1, 1)
    rows = "".join(f"{start + dt.timedelta(days=i)},{i % 7}\n" for i in range(MAX_POINTS + 5))
    (tmp_path / "big.csv").write_text("period,value\n" + rows)
    path = tmp_path / "d.yaml"
    path.write_text(diagram(aim_measures="    - name: M\n      data: big.csv"))
    with pytest.raises(dd.DiagramError) as caught:
        dd.load(path)
    (problem,) = caught.value.problems
    assert problem.line == MAX_POINTS + 2 and "at most 5,000 points" in problem.message


# -- the commands ----------------------------------------------------------------------


def test_analyse_text_and_json() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["analyse", str(MEASURED)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:6] == [
        "falls-rate: Falls per 1,000 bed days",
        "  outcome; on the aim; lower is better; target 4",
        "  12 points (2026-01 to 2026-12), 0 missing, 10 useful; median of the first 6 values"
        " (2026-01 to 2026-06) 8",
        "  IHI rules: longest run 7 (more than 5 is a shift); crossings 3 (fewer than 2 is a"
        " signal); runs 4 (expected 3 to 9)",
        "  shift below the median: 2026-06 to 2026-12 (7 points)",
        "  verdict: signal of improvement",
    ]
    assert "restraint-use: Restraint use\n  balancing; on the aim\n  verdict: no data yet" in (
        result.stdout
    )
    as_json = json.loads(runner.invoke(main, ["analyse", str(MEASURED), "--format", "json"]).stdout)
    falls = as_json[0]
    assert falls["shift_points"] == [5, 6, 7, 8, 9, 10, 11]
    assert (falls["n_useful"], falls["centre"], falls["longest_run"]) == (10, 8, 7)
    assert (falls["signal"], falls["verdict"], falls["runs_limits"]) == (
        True,
        "signal of improvement",
        [3, 9],
    )
    assert [record["id"] for record in as_json] == ["falls-rate", "restraint-use", "assessed"]
    one = runner.invoke(main, ["analyse", str(MEASURED), "--measure", "assessed"])
    assert one.stdout.startswith("assessed: Assessed within 24 hours\n")


def test_analyse_usage_errors() -> None:
    runner = CliRunner()
    wrong = runner.invoke(main, ["analyse", str(MEASURED), "--measure", "fals-rate"])
    assert wrong.exit_code == 2 and "no measure 'fals-rate' (did you mean 'falls-rate'?)" in (
        wrong.stderr
    )
    none = runner.invoke(main, ["analyse", "-"], input="aim: A\nprimary: [B]\n")
    assert none.exit_code == 1
    assert none.stderr.startswith("<stdin>: error: has no measures;")


def test_pdsa_text_markdown_and_json() -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["pdsa", str(MEASURED), "--change", "huddle"])
    assert text.exit_code == 0
    assert text.stdout == (
        "huddle: Review high-risk patients at the safety huddle [adopted, 2 PDSA cycles]\n"
        "  Cycle 1: 2026-06-01 to 2026-06-14; act: adapt\n"
        "    Prediction: 8 of 10 reviewed\n"
        "    Measures: falls-rate\n"
        "  Cycle 2: 2026-07-01; act: adopt\n"
        "    Prediction: every high-risk patient reviewed\n"
    )
    markdown = runner.invoke(main, ["pdsa", str(MEASURED), "--format", "markdown"]).stdout
    assert "| 1 | 2026-06-01 to 2026-06-14 | 8 of 10 reviewed |   | adapt |" in markdown
    assert markdown.count("### ") == 3
    records = json.loads(runner.invoke(main, ["pdsa", str(MEASURED), "--format", "json"]).stdout)
    assert [r["id"] for r in records] == ["huddle", "signs", "p1.c3"]
    assert records[0]["cycles"][0]["days"] == 14
    wrong = runner.invoke(main, ["pdsa", str(MEASURED), "--change", "hudle"])
    assert wrong.exit_code == 2 and "(did you mean 'huddle'?)" in wrong.stderr


def test_pdsa_markdown_escapes_table_cells() -> None:
    text = diagram(
        change_extra="        pdsa:\n          - start: 2026-09-01\n"
        "            prediction: 'a | b <script> *c*'\n"
    )
    from driverdiagram.measures.pdsa import pdsa_markdown

    out = pdsa_markdown(dd.loads(text))
    assert "a \\| b \\<script\\> \\*c\\*" in out


@pytest.mark.graphviz
def test_chart_files_are_deterministic_and_name_their_parts(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["chart", str(EARLY), "-o", str(tmp_path) + "/"])
    assert result.exit_code == 0, result.output
    loaded = dd.load(EARLY)
    charted = [m for m in loaded.measures if m.points]
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"early-years-participation.{m.id}.svg" for m in charted)
    svg = (tmp_path / "early-years-participation.kinder-enrolment.svg").read_bytes()
    root = ET.fromstring(svg)
    ids = {element.get("id") for element in root.iter()}
    assert {"points", "median", "median-extended", "target", "shift-points", "pdsa"} <= ids
    text = svg.decode()
    assert "Median 68" in text and "Target 85" in text and "kinder-at-mch #1" in text
    # the same bytes from a new process, whatever its hash seed
    again = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, driverdiagram as dd;"
            f"sys.stdout.buffer.write(dd.chart(dd.load({str(EARLY)!r}), 'kinder-enrolment'))",
        ],
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "123"},
    ).stdout
    assert again == svg


def test_chart_formats_and_outputs(tmp_path: Path) -> None:
    runner = CliRunner()
    png = runner.invoke(
        main, ["chart", str(MEASURED), "--measure", "falls-rate", "-f", "png", "-o", "-"]
    )
    assert png.stdout_bytes.startswith(b"\x89PNG")
    pdf = tmp_path / "falls.pdf"
    result = runner.invoke(
        main, ["chart", str(MEASURED), "--measure", "falls-rate", "-f", "pdf", "-o", str(pdf)]
    )
    assert result.exit_code == 0 and pdf.read_bytes().startswith(b"%PDF")
    many = runner.invoke(main, ["chart", str(EARLY), "-o", str(tmp_path / "one.svg")])
    assert many.exit_code == 2 and "add --measure ID" in many.stderr
    empty = runner.invoke(main, ["chart", str(MEASURED), "--measure", "assessed"])
    assert empty.exit_code == 1 and "assessed has no data yet" in empty.stderr


def test_chart_text_is_literal(tmp_path: Path) -> None:
    text = diagram(
        aim_measures="    - id: m\n      name: 'Cost $5 & <more> \"x\" \\\\N'\n"
        "      values: {2026-01: 1, 2026-02: {value: 2, note: '$x$ & <y>'}}"
    )
    svg = dd.chart(dd.loads(text), "m").decode()
    root = ET.fromstring(svg)
    words = " ".join(t.text or "" for t in root.iter() if t.text)
    assert 'Cost $5 & <more> "x" \\\\N' in words and "$x$ & <y>" in words


def test_diagram_shows_measures_cycles_and_improvement() -> None:
    dot = dd.to_dot(dd.load(MEASURED))
    assert "Measures: falls-rate<BR/><FONT" in dot and "(improving)" in dot
    assert "Measure: assessed</FONT>" in dot
    assert "2 PDSA cycles" in dot and "1 PDSA cycle<" in dot
    assert 'class="dd-box dd-aim dd-measured dd-improving"' in dot
    plain = dd.to_dot(dd.loads("aim: A\nprimary: [B]\n"))
    assert "Measure" not in plain and "PDSA" not in plain


# -- lint ------------------------------------------------------------------------------


def codes(text: str, **settings: object) -> list[tuple[str, int]]:
    found = lint(dd.loads(text, "d.yaml"), Settings(today=dt.date(2026, 11, 26), **settings), text)  # type: ignore[arg-type]
    return [(p.code, p.line) for p in found if p.code >= "DD110"]


def test_measurement_rules() -> None:
    # an unmeasured diagram is not nagged
    assert codes("aim: A 10% by 2027\nprimary: [B, C]\n") == []
    # measures but no outcome on the aim, no balancing, a primary without a process measure
    text = diagram(aim_measures="    - name: Cost\n      type: process")
    assert codes(text) == [("DD110", 2), ("DD111", 2), ("DD112", 7)]
    good = diagram(
        aim_measures="    - name: Falls\n    - name: Staff time\n      type: balancing",
        change_extra="        measures:\n          - name: Huddles held\n"
        "        pdsa:\n          - start: 2026-11-01\n            prediction: 8 of 10",
    )
    assert codes(good) == []  # a process measure below the primary driver counts
    stale = good.replace("2026-11-01", "2026-08-01").replace("8 of 10", "''")
    stale = stale.replace("            prediction: ''\n", "            end: 2026-08-20\n")
    assert codes(stale) == [("DD113", 12), ("DD114", 17)]
    assert codes(stale, cycle_days=120) == [("DD114", 17)]
    # an open cycle (no end, no act) that started lately is running; one started long ago
    # and never closed is stale
    running = good.replace("2026-11-01", "2026-10-01")
    assert codes(running) == []
    forgotten = good.replace("2026-11-01", "2025-01-01")
    assert codes(forgotten) == [("DD113", 12)]


def test_examples_use_every_measurement_feature() -> None:
    loaded = dd.load(EARLY)
    assert len([m for m in loaded.measures if len(m.points) >= 24]) >= 4
    from driverdiagram.measures.words import verdict_of

    assert "signal of improvement" in {verdict_of(m) for m in loaded.measures}
    assert {m.type.value for m in loaded.measures} == {"outcome", "process", "balancing"}
    assert any(p.astronomical for m in loaded.measures for p in m.points)
    assert len(loaded.cycles) >= 10 and {c.act for c in loaded.cycles} >= set(dd.Act)
    template = dd.loads(
        CliRunner().invoke(main, ["new", "-", "--template", "measures"]).stdout, "t.yaml"
    )
    assert template.measures and template.cycles


@pytest.mark.parametrize(
    "content, message",
    [
        (b"period,value\r2026-01,5\r2026-02,x\r", "data/x.csv:3:9: error: 'x' in the value"),
        (
            b'period,value,note\n2026-01,5,"said ""ok"" then\n2026-02,6,\n2026-03,7,"end"\n',
            "data/x.csv:2:1: error: lines 2 to 4 cannot be read as CSV",
        ),
        (b"period,value,note\n2026-01,1,hello, world\n", "data/x.csv:2:17: error: this row has 4"),
        (b"PK\x03\x04rest", "d.yaml:5:13: error: data file 'data/x.csv' is a spreadsheet workbook"),
        (b"period\tvalue\n2026-01\tfive\n", "data/x.csv:2:9: error: 'five' in the value column"),
    ],
)
def test_awkward_csv_files_are_located_errors(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.csv").write_bytes(content)
    path = tmp_path / "d.yaml"
    path.write_text(diagram(aim_measures="    - name: M\n      data: data/x.csv"))
    with pytest.raises(dd.DiagramError) as caught:
        dd.load(path)
    assert str(caught.value).replace(str(tmp_path) + os.sep, "").startswith(message)


def test_control_characters_are_shown_not_passed_on(tmp_path: Path) -> None:
    text = diagram(
        aim_measures='    - id: m\n      name: "Bell\\x07 here"\n'
        "      values: {2026-01: 1, 2026-02: 2}",
        change_extra="        pdsa:\n"
        '          - {start: 2026-01-05, prediction: "esc\\x1b", measures: [m]}',
    )
    path = tmp_path / "c.yaml"
    path.write_text(text.replace("Reduce falls", "Reduce \\x07 falls"))
    loaded = dd.load(path)
    assert loaded.measures[0].name == "Bell\u2407 here"
    ET.fromstring(dd.chart(loaded, "m"))  # well-formed XML
    result = CliRunner().invoke(main, ["report", str(path), "-o", str(tmp_path / "c.docx")])
    assert result.exit_code == 0, result.output


def test_chart_takes_its_format_from_the_output_name(tmp_path: Path) -> None:
    runner = CliRunner()
    png = tmp_path / "falls.png"
    assert (
        runner.invoke(
            main, ["chart", str(MEASURED), "--measure", "falls-rate", "-o", str(png)]
        ).exit_code
        == 0
    )
    assert png.read_bytes().startswith(b"\x89PNG")
    clash = runner.invoke(
        main, ["chart", str(MEASURED), "--measure", "falls-rate", "-f", "pdf", "-o", str(png)]
    )
    assert clash.exit_code == 2 and "ends in .png but the format is pdf" in clash.stderr
    folder = tmp_path / "charts"
    folder.mkdir()
    into = runner.invoke(main, ["chart", str(MEASURED), "-o", str(folder)])
    assert into.exit_code == 0 and (folder / "measures.falls-rate.svg").exists()


def test_diff_tells_what_changed_in_measures_and_cycles(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text(
        diagram(
            aim_measures="    - id: falls\n      name: Falls\n      direction: down\n"
            "      baseline: 6\n      values: {2026-01: 8, 2026-02: 9, 2026-03: 7, 2026-04: 8,"
            " 2026-05: 9, 2026-06: 7, 2026-07: 5}",
            change_extra="        pdsa:\n          - {start: 2026-06-01, prediction: fewer}",
        )
    )
    new.write_text(
        diagram(
            aim_measures="    - id: falls\n      name: Falls\n      direction: down\n"
            "      baseline: 6\n      values: {2026-01: 8, 2026-02: 9, 2026-03: 7, 2026-04: 8,"
            " 2026-05: 9, 2026-06: 6, 2026-07: 5, 2026-08: 4, 2026-09: 5, 2026-10: 4,"
            " 2026-11: 3, 2026-12: 4}\n    - name: Restraint use\n      type: balancing",
            change_extra="        pdsa:\n          - {start: 2026-06-01, prediction: fewer,"
            " act: adapt}\n          - {start: 2026-08-01, prediction: fewer still}",
        )
    )
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    lines = result.stdout.splitlines()
    assert (
        "added balancing measure 'Restraint use' on 'Reduce falls from 8 to 4 per 1,000"
        " bed days by June 2027'" in result.stdout
    )
    assert "'Falls': 5 new points (2026-08 to 2026-12); 1 changed (2026-06)" in result.stdout
    assert "'Falls': too few points to judge -> signal of improvement" in result.stdout
    assert any(
        line.endswith(
            "PDSA cycle 2 of 'Review high-risk patients at the daily huddle' (2026-08-01)"
        )
        for line in lines
    )
    assert "PDSA cycle 1 of 'Review high-risk patients at the daily huddle': decided to adapt" in (
        result.stdout
    )


def test_loads_reads_no_file_unless_given_a_base_folder(tmp_path: Path) -> None:
    (tmp_path / "falls.csv").write_text("period,value\n2026-01,3\n")
    text = (
        "aim:\n  text: Fewer falls\n  measures:\n    - name: Falls\n      data: falls.csv\n"
        "primary: [b]\n"
    )
    with pytest.raises(
        dd.DiagramError, match=r"<string>:5:13: error: data file 'falls\.csv' is not read"
    ):
        dd.loads(text)
    assert dd.loads(text, base=tmp_path).measures[0].values == [3.0]
    (tmp_path / "plan.yaml").write_text(text)
    assert dd.load(tmp_path / "plan.yaml").measures[0].values == [3.0]
