"""Limits: runaway files end in a clear error, and every limit can be raised."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main


def boxes(count: int) -> str:
    """A diagram of ``count`` boxes: one primary driver per 10 change ideas."""
    lines = ["aim: Raise enrolment from 80% to 95% by June 2027", "primary:"]
    made = 1
    while made < count:
        lines += [f"  - text: Driver {made}", "    changes:"]
        made += 1
        for _ in range(min(10, count - made)):
            lines.append(f"      - Change idea {made}")
            made += 1
    return "\n".join(lines) + "\n"


def test_too_many_boxes_is_a_located_error_and_the_limit_can_be_raised(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(boxes(120))
    runner = CliRunner()
    refused = runner.invoke(main, ["--max-boxes", "100", "validate", str(path)])
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"{path}:")
    assert "more than 100 boxes" in refused.stderr and "--max-boxes" in refused.stderr
    accepted = runner.invoke(main, ["--max-boxes", "200", "validate", str(path)])
    assert (accepted.exit_code, accepted.stdout) == (0, f"{path}: ok (120 boxes, 119 links)\n")
    # the option lasts for its own run only
    assert runner.invoke(main, ["validate", str(path)]).exit_code == 0


def test_100000_boxes_are_refused_by_default(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(boxes(100_000))
    with pytest.raises(dd.DiagramError) as caught:
        dd.load(path)
    (problem,) = caught.value.problems
    assert "more than 20,000 boxes" in problem.message and problem.line > 1


def test_deep_nesting_and_big_files(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("aim: A\nprimary: " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(dd.DiagramError, match="nested more than 50 levels"):
        dd.load(deep)
    with dd.limits(depth=1000), pytest.raises(dd.DiagramError, match="more than 1000 levels"):
        dd.load(deep)
    shallow = tmp_path / "shallow.yaml"
    shallow.write_text("aim: A\nprimary: " + "[" * 80 + "]" * 80 + "\n")
    with dd.limits(depth=1000), pytest.raises(dd.DiagramError) as caught:
        dd.load(shallow)  # allowed that deep, it is then simply not a diagram
    assert "nested" not in str(caught.value)
    big = tmp_path / "big.yaml"
    with big.open("wb") as file:
        file.write(b"aim: A\nprimary:\n")
        for _ in range(50):
            file.write(b"  - " + b"x" * (1024 * 1024) + b"\n")
    with pytest.raises(dd.DiagramError, match=r"larger than 10 MB.*--max-file-mb"):
        dd.load(big)
    runner = CliRunner()
    result = runner.invoke(main, ["--max-file-mb", "60", "validate", str(big)])
    assert "larger than" not in result.stderr and "characters long" in result.stderr


def test_text_limit(tmp_path: Path) -> None:
    text = "aim: " + "A" * 3000 + "\nprimary: [B]\n"
    with pytest.raises(dd.DiagramError, match="3,000 characters long; keep it under 2,000"):
        dd.loads(text)
    with dd.limits(text=5000):
        assert dd.loads(text).aim.text == "A" * 3000


@pytest.mark.graphviz
def test_dot_timeout(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(boxes(3000))
    result = CliRunner().invoke(main, ["--dot-timeout", "0.01", "render", str(path), "-o", "-"])
    assert result.exit_code == 1
    assert "Graphviz took longer than 0.01 seconds and was stopped" in result.stderr
    assert shutil.which("dot")


def test_limits_are_checked() -> None:
    with pytest.raises(TypeError, match="unknown limit 'bytes'"), dd.limits(bytes=5):
        pass
    with pytest.raises(ValueError, match="must be a finite number above 0"), dd.limits(boxes=0):
        pass
    with pytest.raises(ValueError, match="at most 1000"), dd.limits(depth=5000):
        pass
    assert dd.limits  # the defaults are back after a block
    assert dd.Limits() == dd.Limits(file_bytes=10 * 2**20, boxes=20_000, depth=50, text=2000)
    result = CliRunner().invoke(main, ["--max-boxes", "0", "validate", "x.yaml"])
    assert result.exit_code == 2


def test_a_flood_of_values_is_refused_while_reading(tmp_path: Path) -> None:
    flood = tmp_path / "flood.yaml"
    flood.write_text("aim: A\nprimary: [" + ",".join(["a"] * 600_000) + "]\n")
    with pytest.raises(dd.DiagramError) as caught:
        dd.load(flood)
    (problem,) = caught.value.problems
    assert "more than 510,000 values" in problem.message and problem.line == 2
