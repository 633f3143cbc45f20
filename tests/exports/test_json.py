"""The JSON export (exports/json.py): everything, in a stable order."""

from __future__ import annotations

import json

import driverdiagram as dd
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
        "generated_id",
        "line",
    ]
