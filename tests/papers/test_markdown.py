"""The Markdown paper (papers/markdown.py), with its pictures beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

import driverdiagram as dd
from driverdiagram.summary import charted, cycle_rows, idea_rows
from tests.papers.paper import make
from tests.paths import EARLY

pytestmark = pytest.mark.graphviz


def test_markdown_has_the_picture_beside_it(tmp_path: Path) -> None:
    paper = make(tmp_path, "md")
    text = paper.read_text()
    assert "](paper.svg)" in text and (tmp_path / "paper.svg").read_bytes().startswith(b"<?xml")
    diagram = dd.load(EARLY)
    tables = len(idea_rows(diagram)) + 1 + len(list(dd.Status)) + 1 + len(cycle_rows(diagram)) + 1
    assert text.count("\n| ") == tables
    for number in range(1, 5):  # a page for each primary driver, its picture beside
        assert f"](paper.part-{number}.svg)" in text
        assert (tmp_path / f"paper.part-{number}.svg").read_bytes().startswith(b"<?xml")
    for measure in charted(diagram):
        chart = tmp_path / f"paper.{measure.id}.svg"
        assert f"]({chart.name})" in text and b'id="median"' in chart.read_bytes()
