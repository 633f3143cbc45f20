"""What goes out comes back as the same diagram: YAML, JSON, CSV and the outline of
every valid case, example and template, exported and imported again."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import driverdiagram as dd
from driverdiagram.exports.json import cycle_record, measure_record
from driverdiagram.model import Measure
from driverdiagram.readers.imports import read
from tests.paths import ROOT

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
    # every measure's key and point (numerators and denominators too) survives the JSON,
    # and the YAML 'import' writes of it, its data file's numbers then written inline
    inline = [measure_record(m) | {"data": ""} for m in diagram.measures]
    assert list(map(measure_record, through_json.measures)) == inline
    imported = dd.loads(dd.to_yaml(through_json), "imported.yaml")
    assert list(map(measure_record, imported.measures)) == inline
    # every box is located at its own object in the JSON imported
    lines = exported.splitlines()
    for node in through_json.nodes:
        assert lines[node.location.line - 1][node.location.column - 1 :] == "{"
        assert f'"id": {json.dumps(node.id, ensure_ascii=False)},' in lines[node.location.line]
    # CSV carries boxes, links and, in FreeSPC's measures_json, each measure's name and
    # type; the rest of a measure, the PDSA cycles, owners and due dates, a coach's focus
    # and reflections stay in the YAML
    through_csv = read(dd.export(diagram, "csv"), "d.csv")
    named = replace(
        diagram,
        nodes=tuple(
            replace(node, owner="", due=None, focus=False, reflections=())
            for node in diagram.nodes
        ),
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


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_csv_export_comes_back_exactly(path: Path) -> None:
    """Export -> import -> export: every cell the same, FreeSPC's columns and ours."""
    text = dd.export(dd.load(path), "csv")
    assert dd.export(read(text, "d.csv"), "csv") == text


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
