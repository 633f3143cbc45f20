"""--focus and --depth show exactly the boxes they should."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram import views
from driverdiagram.cli import main

from .svgcheck import read

ROOT = Path(__file__).parent.parent
EARLY = ROOT / "diagrams" / "early-years-participation.yaml"
SPEC = ROOT / "tests" / "cases" / "valid" / "spec-example.yaml"


def test_focus_keeps_the_path_to_the_aim_and_everything_below() -> None:
    diagram = dd.load(SPEC)
    view = views.focus(diagram, "assess")
    assert [node.id for node in view.nodes] == [
        "aim",
        "identify",
        "assess",
        "p1.s1.c1",
        "huddle",
        "environment",
    ]
    assert {(link.parent, link.child) for link in view.links} == {
        ("aim", "identify"),
        ("identify", "assess"),
        ("assess", "p1.s1.c1"),
        ("assess", "huddle"),
        ("aim", "environment"),
        ("environment", "assess"),
    }
    with pytest.raises(dd.DiagramError, match="did you mean 'assess'"):
        views.focus(diagram, "asess")


def test_depth_folds_deeper_boxes_and_counts_them() -> None:
    diagram = dd.load(SPEC)
    view, folded = views.depth(diagram, 1)
    assert [node.id for node in view.nodes] == ["aim", "identify", "environment"]
    # the aim folds nothing away itself: the boxes under it are under the drivers shown
    assert folded == {"identify": 4, "environment": 5}  # assess is under both
    full, nothing = views.depth(diagram, 4)
    assert len(full.nodes) == len(diagram.nodes) and nothing == {}


@pytest.mark.graphviz
def test_render_focus_and_depth(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "focus.svg"
    result = runner.invoke(main, ["render", str(EARLY), "--focus", "know-value", "-o", str(out)])
    assert result.exit_code == 0
    diagram = dd.load(EARLY)
    expected = {node.id for node in views.focus(diagram, "know-value").nodes}
    drawn = {box for box in read(out.read_bytes()).boxes if not box.startswith("heading:")}
    assert drawn == expected
    out = tmp_path / "depth.svg"
    result = runner.invoke(main, ["render", str(EARLY), "--depth", "1", "-o", str(out)])
    assert result.exit_code == 0
    boxes = read(out.read_bytes()).boxes
    assert {box for box in boxes if not box.startswith("heading:")} == {
        node.id for node in views.depth(diagram, 1)[0].nodes
    }
    assert "more boxes" in boxes["know-value"].text
    bad = runner.invoke(main, ["render", str(EARLY), "--focus", "nothing", "-o", str(out)])
    assert bad.exit_code == 1 and "no box with id 'nothing'" in bad.stderr
