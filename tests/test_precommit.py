"""``pre-commit try-repo`` runs both hooks from a clone of this repository."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
pytestmark = pytest.mark.skipif(
    shutil.which("git") is None
    or subprocess.run(
        [sys.executable, "-m", "pre_commit", "--version"], capture_output=True
    ).returncode
    != 0,
    reason="needs git and pre-commit (pip install -e '.[test]')",
)


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


def test_try_repo_runs_both_hooks(tmp_path: Path) -> None:
    clone = tmp_path / "driverdiagram"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    # the working tree as it is now, so the test checks this change and not the last commit
    for name in (".pre-commit-hooks.yaml", "setup.cfg", "pyproject.toml"):
        shutil.copy(ROOT / name, clone / name)
    shutil.rmtree(clone / "driverdiagram")
    shutil.copytree(
        ROOT / "driverdiagram",
        clone / "driverdiagram",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    _git(clone, "add", "-A")
    _git(
        clone,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "now",
    )

    sample = tmp_path / "sample"
    sample.mkdir()
    _git(sample, "init", "-q")
    (sample / "good.yaml").write_text(
        "updated: 2099-01-01\n"
        "aim: Raise kindergarten enrolment from 82% to 95% by February 2027\nprimary:\n"
        "  - text: Families know about kindergarten\n    changes: [Flyers at playgroups]\n"
        "  - text: Enrolment is simple\n    changes: [A one-page form]\n"
    )
    (sample / "weak.yaml").write_text("aim: Improve things\nprimary:\n  - Implement a plan\n")
    (sample / "workflow.yaml").write_text("name: ci\non: push\n")
    _git(sample, "add", "-A")
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(clone), "--all-files"],
        cwd=sample,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert re.search(r"driverdiagram validate\.+Passed", output), output
    assert re.search(r"driverdiagram lint\.+Failed", output), output
    assert "weak.yaml:1:6: warning: the aim does not say how much" in output
    assert "[DD108]" in output
    assert "workflow.yaml" not in output.split("===")[-1]
