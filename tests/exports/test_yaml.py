"""The tidy YAML an import is written as (exports/yaml.py)."""

from __future__ import annotations

import json

import driverdiagram as dd
from driverdiagram.readers.imports import read
from tests.paths import ROOT


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
