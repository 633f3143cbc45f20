"""A diagram as plain data without its locations, to assert that two diagrams read
from different files (an import and the YAML it prints) are the same diagram."""

from __future__ import annotations

import json
from typing import Any

import driverdiagram as dd

LEVELS = ["aim", "primary", "secondary", "tertiary", "changes"]


def shape(diagram: dd.Diagram) -> dict[str, Any]:
    """Everything the JSON export holds (every box, link, measure, point and cycle with
    every attribute, in order) but the lines things are written on. Links are taken
    box by box, and a box's children level by level, as a YAML file writes them: the
    order of a box's changes among its secondary drivers is not something it keeps."""
    data: dict[str, Any] = _lineless(json.loads(dd.export(diagram, "json")))
    place = {node["id"]: index for index, node in enumerate(data["nodes"])}
    level = {node["id"]: LEVELS.index(node["level"]) for node in data["nodes"]}
    data["links"].sort(key=lambda link: (place[link["parent"]], level[link["child"]]))
    return data


def _lineless(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _lineless(value) for key, value in data.items() if key != "line"}
    if isinstance(data, list):
        return [_lineless(item) for item in data]
    return data
