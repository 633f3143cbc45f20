"""Measures and PDSA cycles in a diagram file (readers/measures.py): their fields,
values and data files, and every problem located."""

from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from tests.paths import MEASURED
from tests.samples import measured


def test_measure_fields_defaults_and_made_up_ids() -> None:
    text = measured(
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
    text = measured(
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
        measured(
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
    testing = dd.loads(measured(change_extra="        pdsa:\n          - start: 2026-09-01"))
    assert testing.node("huddle").status == dd.Status.TESTING
    cycles = loaded.cycles_of("huddle")
    assert [(c.number, c.act.value if c.act else None) for c in cycles] == [
        (1, "adapt"),
        (2, "adopt"),
    ]
    assert cycles[0].label == "huddle #1"
    assert [c.label for c in loaded.cycles_watching("falls-rate")] == ["huddle #1"]


def test_cycles_are_numbered_by_date_whatever_the_order_written() -> None:
    text = measured(
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
    text = measured(
        aim_measures="    - id: m\n      name: One\n    - id: m\n      name: Two\n      size: big"
    )
    with pytest.raises(dd.DiagramError) as caught:
        dd.loads(text, "d.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "d.yaml:6:7: error: duplicate measure id 'm' (already used at line 4); every measure"
        " id must be unique",
        "d.yaml:8:7: error: unknown key 'size'; a measure may have: id, name, short, type,"
        " definition, direction, unit, target, baseline, rules, chart, exclude, phases, screen,"
        " data, sheet, columns, dates, values",
    ]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "data/x.csv:1:1: error: the data file is empty"),
        (b"period,value\n", "data/x.csv:1:1: error: the data file has a header row but no data"),
        (b"period,value,colour\n", "data/x.csv:1:14: error: unknown column 'colour'"),
        (b"period,value\n2026-01,\x81\n", "data/x.csv:2:9: error: the file is neither UTF-8"),
        (b"period,value\n2026-02-30,1\n", "data/x.csv:2:1: error: '2026-02-30' is not a real date"),
        (b"period,numerator\n2026-01,1\n", "data/x.csv:1:1: error: the columns should be"),
        (b"period,value\n2026-01,inf\n", "data/x.csv:2:9: error: 'inf' in the value column"),
    ],
)
def test_data_file_problems_are_located(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.csv").write_bytes(content)
    path = tmp_path / "d.yaml"
    path.write_text(measured(aim_measures="    - name: M\n      data: data/x.csv"))
    with pytest.raises(dd.DiagramError) as caught:
        dd.load(path)
    assert str(caught.value).replace(str(tmp_path) + os.sep, "").startswith(message)


def test_a_data_file_that_is_a_folder_or_too_big(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    path = tmp_path / "d.yaml"
    path.write_text(measured(aim_measures="    - name: M\n      data: data"))
    with pytest.raises(dd.DiagramError, match="is a folder, not a CSV file"):
        dd.load(path)
    (tmp_path / "big.csv").write_bytes(b"period,value\n" + b"0" * (10 * 2**20))
    path.write_text(measured(aim_measures="    - name: M\n      data: big.csv"))
    with pytest.raises(dd.DiagramError, match="larger than 10 MB"):
        dd.load(path)


def test_too_many_points(tmp_path: Path) -> None:
    MAX_POINTS = dd.Limits().points
    rows = "".join(f"{2000 + i // 365:04d}-01-01,{i}\n" for i in range(1))
    start = dt.date(2000, 1, 1)
    rows = "".join(f"{start + dt.timedelta(days=i)},{i % 7}\n" for i in range(MAX_POINTS + 5))
    (tmp_path / "big.csv").write_text("period,value\n" + rows)
    path = tmp_path / "d.yaml"
    path.write_text(measured(aim_measures="    - name: M\n      data: big.csv"))
    with pytest.raises(dd.DiagramError) as caught:
        dd.load(path)
    (problem,) = caught.value.problems
    assert problem.line == MAX_POINTS + 2 and "at most 5,000 points" in problem.message


@pytest.mark.parametrize(
    "content, message",
    [
        (b"period,value\r2026-01,5\r2026-02,x\r", "data/x.csv:3:9: error: 'x' in the value"),
        (
            b'period,value,note\n2026-01,5,"said ""ok"" then\n2026-02,6,\n2026-03,7,"end"\n',
            "data/x.csv:2:1: error: lines 2 to 4 cannot be read as CSV",
        ),
        (b"period,value,note\n2026-01,1,hello, world\n", "data/x.csv:2:17: error: this row has 4"),
        # a workbook's bytes are read as a workbook, whatever the name
        (b"PK\x03\x04rest", "data/x.csv: error: the workbook is damaged: it is not a complete"),
        (b"period\tvalue\n2026-01\tfive\n", "data/x.csv:2:9: error: 'five' in the value column"),
    ],
)
def test_awkward_csv_files_are_located_errors(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.csv").write_bytes(content)
    path = tmp_path / "d.yaml"
    path.write_text(measured(aim_measures="    - name: M\n      data: data/x.csv"))
    with pytest.raises(dd.DiagramError) as caught:
        dd.load(path)
    assert str(caught.value).replace(str(tmp_path) + os.sep, "").startswith(message)


def test_control_characters_are_shown_not_passed_on(tmp_path: Path) -> None:
    text = measured(
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


def test_a_short_label_is_read_and_a_long_one_located() -> None:
    text = measured(
        aim_measures="    - id: m\n      name: Falls per 1,000 bed days\n      short: Falls"
    )
    assert dd.loads(text).measure("m").short == "Falls"
    long = measured(aim_measures="    - id: m\n      name: Falls\n      short: " + "x" * 31)
    with pytest.raises(dd.DiagramError) as caught:
        dd.loads(long, "d.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "d.yaml:6:14: error: 'short' is the label on the diagram's badge: at most 30"
        " characters, not 31; put the full wording in 'name'"
    ]


def test_inline_values_may_be_numerators_and_denominators_for_a_u_chart() -> None:
    text = measured(
        aim_measures="    - name: Falls\n      unit: per 1,000 bed days\n      chart: u\n"
        "      values:\n"
        "        2026-01: {numerator: 6, denominator: 800}\n"
        "        2026-02: {numerator: 4, denominator: 800, note: Huddle starts}\n"
        "        2026-03: {numerator: , denominator: }\n"
    )

    def points(diagram: dd.Diagram) -> list[tuple[object, ...]]:
        return [(p.value, p.numerator, p.denominator, p.note) for p in diagram.measures[0].points]

    diagram = dd.loads(text)
    assert points(diagram) == [
        (7.5, 6, 800, ""),
        (5.0, 4, 800, "Huddle starts"),
        (None, None, None, ""),
    ]
    # the YAML written keeps them, so the chart's limits can still be computed
    assert points(dd.loads(dd.to_yaml(diagram))) == points(diagram)
    with pytest.raises(dd.DiagramError) as caught:
        dd.loads(text.replace("denominator: 800, note", "note"))
    assert "write both the numerator and the denominator for 2026-02" in str(caught.value)
    with pytest.raises(dd.DiagramError) as caught:
        dd.loads(text.replace("{numerator: 6,", "{value: 7.5, numerator: 6,"))
    assert "write 'value' or 'numerator' and 'denominator', not both" in str(caught.value)


def test_inline_numerators_and_denominators_read_as_a_data_file_does(tmp_path: Path) -> None:
    """values: {2026-01: {numerator: 30, denominator: 40}} is a data file's
    period,numerator,denominator row: the value made the same way (x 100 for '%'), the
    counts kept for a P or U chart, empty for a missing period."""
    counts = [(30, 40), (28, 41), None, (35, 40)]
    inline = ", ".join(
        f"2026-{month:02d}: "
        + ("" if pair is None else f"{{numerator: {pair[0]}, denominator: {pair[1]}}}")
        for month, pair in enumerate(counts, 1)
    )
    rows = "".join(
        f"2026-{month:02d},{'' if pair is None else pair[0]},{'' if pair is None else pair[1]}\n"
        for month, pair in enumerate(counts, 1)
    )
    (tmp_path / "assessed.csv").write_text("period,numerator,denominator\n" + rows)
    common = '    - name: Assessed\n      unit: "%"\n      chart: p\n'
    written = dd.loads(measured(aim_measures=common + f"      values: {{{inline}}}"))
    from_file = dd.loads(measured(aim_measures=common + "      data: assessed.csv"), base=tmp_path)
    points = written.measures[0].points
    assert [(p.value, p.numerator, p.denominator) for p in points] == [
        (p.value, p.numerator, p.denominator) for p in from_file.measures[0].points
    ]
    assert points[0].value == 75.0 and points[2].value is None
    assert dd.measure_records(written) == dd.measure_records(from_file)
    # a note beside the counts is kept; a c chart given counts says to use a u chart
    noted = dd.loads(
        measured(
            aim_measures=common
            + "      values: {2026-01: {numerator: 3, denominator: 4, note: new form}}"
        )
    )
    assert noted.measures[0].points[0].note == "new form"
    with pytest.raises(dd.DiagramError) as raised:
        dd.loads(
            measured(
                aim_measures="    - name: Falls\n      chart: c\n"
                "      values: {2026-01: {numerator: 3, denominator: 40}}"
            )
        )
    assert "use 'chart: u'" in str(raised.value)
