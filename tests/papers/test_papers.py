"""What every paper has (papers/__init__.py): the box notes, and a note on small text."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from driverdiagram.cli import main
from tests.paths import ROOT

pytestmark = pytest.mark.graphviz


def test_box_notes_are_in_the_paper_and_small_text_is_reported(tmp_path: Path) -> None:
    runner = CliRunner()
    paper = tmp_path / "falls.md"
    assert (
        runner.invoke(
            main, ["report", str(ROOT / "diagrams/falls-prevention.yaml"), "-o", str(paper)]
        ).exit_code
        == 0
    )
    assert "Audit in September" in paper.read_text()
    big = runner.invoke(
        main,
        ["report", str(ROOT / "diagrams/qi-coach-practice.yaml"), "-o", str(tmp_path / "q.html")],
    )
    assert big.exit_code == 0 and "below 8 pt" in big.stderr
