"""Meeting papers (cli/papers.py): the usage mistakes of ``report``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from driverdiagram.cli import main
from tests.paths import EARLY

pytestmark = pytest.mark.graphviz


def test_report_usage(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["report", str(EARLY), "-o", str(tmp_path / "x.odt")]).exit_code == 2
    result = runner.invoke(
        main, ["report", str(EARLY), "-o", str(tmp_path / "x.html"), "--template", str(EARLY)]
    )
    assert result.exit_code == 2
