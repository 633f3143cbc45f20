"""Graphviz (draw/graphviz.py) runs once per output: each command is run with a
``dot`` on the PATH that notes every call and then runs the real Graphviz, and the
calls are counted."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import ROOT

pytestmark = pytest.mark.graphviz

EXAMPLE = ROOT / "diagrams" / "falls-prevention.yaml"


@pytest.fixture
def counted(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment whose ``dot`` logs each run (its options) to a file."""
    real = shutil.which("dot")
    assert real is not None
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    log = tmp_path / "dot-runs.log"
    wrapper = bin_folder / "dot"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}"}
    return env, log


def runs(env: dict[str, str], log: Path, folder: Path, *args: str) -> list[str]:
    """The Graphviz runs of one command (its options, one line per run)."""
    log.unlink(missing_ok=True)
    work = folder / "work"
    if not work.exists():
        shutil.copytree(EXAMPLE.parent, work)
    result = subprocess.run(
        [sys.executable, "-m", "driverdiagram", *args],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return log.read_text().splitlines() if log.exists() else []


@pytest.mark.parametrize(
    "args",
    [
        ["render", "-f", "svg", "--force"],
        ["render", "-f", "pdf", "--force"],
        ["render", "-f", "png", "--force"],
        ["render", "-f", "svg", "--page", "a4", "--force"],
        ["render", "-f", "pdf", "--page", "a3", "--force"],
        ["render", "-f", "png", "--page", "a4", "--force"],
        ["render", "-f", "png", "--page", "letter", "--portrait", "--force"],
        ["report", "-o", "paper.html"],
        ["report", "-o", "paper.md"],
        ["report", "-o", "paper.docx"],
        ["slides", "-o", "deck.pptx"],
    ],
    ids=lambda args: " ".join(args),
)
def test_one_graphviz_run_per_output(
    counted: tuple[dict[str, str], Path], tmp_path: Path, args: list[str]
) -> None:
    env, log = counted
    assert len(runs(env, log, tmp_path, *args, EXAMPLE.name)) == 1


def test_several_formats_run_graphviz_once_each(
    counted: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, log = counted
    formats = ["svg", "pdf", "png", "dot"]
    called = runs(
        env,
        log,
        tmp_path,
        "render",
        *(option for f in formats for option in ("-f", f)),
        "--page",
        "a4",
        "--force",
        EXAMPLE.name,
    )
    # DOT is written by driverdiagram itself; each drawn format is one run
    assert len(called) == 3
    assert sorted(line.split()[0] for line in called) == ["-Tpdf", "-Tplain", "-Tsvg"]


def test_a_drawing_already_made_runs_no_graphviz(
    counted: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, log = counted
    assert len(runs(env, log, tmp_path, "render", "-f", "svg", EXAMPLE.name)) == 1
    assert runs(env, log, tmp_path, "render", "-f", "svg", EXAMPLE.name) == []


@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser")), reason="needs Chromium"
)
def test_a_pdf_paper_runs_graphviz_once(
    counted: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, log = counted
    assert len(runs(env, log, tmp_path, "report", "-o", "paper.pdf", EXAMPLE.name)) == 1
