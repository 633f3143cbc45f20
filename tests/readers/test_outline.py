"""The outline reader (readers/outline.py): indented outlines and Markdown lists."""

from __future__ import annotations

import pytest

import driverdiagram as dd
from driverdiagram.model import Level
from driverdiagram.readers.imports import read
from tests.paths import ROOT


def test_a_badly_indented_outline_is_located() -> None:
    with pytest.raises(dd.DiagramError) as caught:
        read("Aim by 2027\n    - A\n        - B\n  - C\n", "o.txt")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (4, 3)


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
