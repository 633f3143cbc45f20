"""What the command-line tests share: a CliRunner and a small diagram file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.samples import MINIMAL


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def diagram_file(tmp_path: Path) -> Path:
    path = tmp_path / "falls.yaml"
    path.write_text(MINIMAL)
    return path
