"""The JSON export (exports/json.py): everything, in a stable order."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from tests.paths import ROOT


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
        "owner",
        "due",
        "focus",
        "reflections",
        "generated_id",
        "line",
    ]


CONTROL = ROOT / "tests" / "cases" / "valid" / "control-charts.yaml"


def test_a_control_chart_measure_exports_and_imports_with_every_key(tmp_path: Path) -> None:
    """chart, rules, baseline, exclude, phases, screen, short and each point's numerator
    and denominator go out in the JSON and come back, through ``import``'s YAML too, to
    the same measures and the same analysis."""
    from driverdiagram.exports.json import measure_record
    from driverdiagram.readers.imports import read

    diagram = dd.load(CONTROL)
    exported = json.loads(dd.export(diagram, "json"))
    falls, assessed, overtime = exported["measures"]
    assert (falls["chart"], falls["rules"], falls["baseline"], falls["short"]) == (
        "u",
        "mdc",
        6,
        "Falls rate",
    )
    assert falls["exclude"] == ["2026-05"]
    assert falls["phases"] == [{"from": "2026-07", "label": "Huddle in place"}]
    assert (falls["screen"], overtime["screen"]) == (True, False)
    assert falls["points"][0] == {
        "period": "2026-01",
        "value": 9 / 1010 * 1000,
        "note": "",
        "numerator": 9.0,
        "denominator": 1010.0,
    }
    assert assessed["points"][3] == {"period": "2026-04", "value": None, "note": ""}
    assert "numerator" not in overtime["points"][0]
    through_json = read(dd.export(diagram, "json"), "d.json")
    imported = dd.loads(dd.to_yaml(through_json), "imported.yaml")  # what import writes
    for again in (through_json, imported):
        records = [measure_record(m) | {"data": ""} for m in diagram.measures]
        assert [measure_record(m) for m in again.measures] == records
        assert dd.measure_records(again) == dd.measure_records(diagram)
        assert again.measures[0].phases[0].label == "Huddle in place"
    # and through the commands, as a coach moves a diagram between tools
    runner = CliRunner()
    out, back = tmp_path / "d.json", tmp_path / "d.yaml"
    assert (
        runner.invoke(main, ["export", str(CONTROL), "--to", "json", "-o", str(out)]).exit_code == 0
    )
    assert runner.invoke(main, ["import", str(out), "-o", str(back)]).exit_code == 0
    assert dd.measure_records(dd.load(back)) == dd.measure_records(diagram)
