"""A meeting paper of the early-years example, made by ``driverdiagram report``."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from driverdiagram.cli import main
from tests.paths import EARLY

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def make(tmp_path: Path, suffix: str, *extra: str) -> Path:
    out = tmp_path / f"paper.{suffix}"
    result = CliRunner().invoke(main, ["report", str(EARLY), "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out
