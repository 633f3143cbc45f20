"""Drawing (cli/draw.py): ``render`` to files, folders, standard output and pipes,
its usage mistakes, and the list of ``themes``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.draw.graphviz import FORMATS as RENDER_FORMATS
from driverdiagram.style import THEMES
from tests.paths import FALLS
from tests.samples import MINIMAL


def test_formats_are_the_renderers() -> None:
    (option,) = [p for p in main.commands["render"].params if p.name == "formats"]
    assert tuple(option.type.choices) == RENDER_FORMATS  # type: ignore[attr-defined]


@pytest.mark.graphviz
def test_render_writes_next_to_the_input(
    runner: CliRunner, diagram_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(diagram_file.parent)
    result = runner.invoke(main, ["render", "falls.yaml", "-f", "svg", "-f", "pdf", "-f", "dot"])
    assert (result.exit_code, result.stdout) == (0, "falls.svg\nfalls.pdf\nfalls.dot\n")
    assert Path("falls.svg").read_bytes().startswith(b"<?xml")
    assert Path("falls.dot").read_text() == dd.to_dot(dd.load("falls.yaml"))
    assert Path("falls.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.graphviz
def test_render_to_a_folder_a_file_and_stdout(
    runner: CliRunner, diagram_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "nested"
    result = runner.invoke(main, ["render", str(diagram_file), "-o", f"{out}/", "-f", "png"])
    assert (result.exit_code, result.stdout) == (0, f"{out}/falls.png\n")
    assert (out / "falls.png").read_bytes().startswith(b"\x89PNG")
    named = tmp_path / "board-paper.pdf"
    result = runner.invoke(main, ["render", str(diagram_file), "-o", str(named)])
    assert (result.exit_code, result.stdout) == (0, f"{named}\n")
    assert named.read_bytes().startswith(b"%PDF"), "the extension chooses the format"
    result = runner.invoke(main, ["render", str(diagram_file), "-o", "-", "-f", "dot"])
    assert result.exit_code == 0
    assert result.stdout == dd.to_dot(dd.load(diagram_file))


@pytest.mark.graphviz
def test_render_from_standard_input_to_standard_output(runner: CliRunner) -> None:
    result = runner.invoke(main, ["render", "-"], input=MINIMAL)
    assert result.exit_code == 0
    assert result.stdout.startswith("<?xml") and "Families know they are eligible" in result.stdout


def test_render_usage_mistakes(runner: CliRunner, diagram_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(MINIMAL)
    cases = {
        ("-o", str(tmp_path / "one.svg"), str(other)): "names one file, but there are 2 inputs",
        (
            "-o",
            str(tmp_path / "x.svg"),
            "-f",
            "svg",
            "-f",
            "pdf",
        ): "several formats cannot all go",
        ("-o", str(tmp_path / "x.jpg")): "does not write .jpg files",
        ("-o", str(tmp_path / "x.pdf"), "-f", "png"): "ends in .pdf but the format is png",
        ("-o", str(diagram_file), "-f", "svg"): "would replace the input file itself",
        ("-o", str(diagram_file)): "does not write .yaml files",
        (str(diagram_file), "-o", str(tmp_path / "out") + "/"): "would both be drawn to",
    }
    for extra, message in cases.items():
        result = runner.invoke(main, ["render", str(diagram_file), *extra])
        assert result.exit_code == 2, extra
        assert message in result.stderr, (extra, result.stderr)
    for args, message in {
        ("-", "-"): "can be read only once",
        (str(tmp_path / "x.svg"),): "would replace the input file itself",
    }.items():
        (tmp_path / "x.svg").write_text(MINIMAL)
        result = runner.invoke(main, ["render", *args])
        assert result.exit_code == 2, extra
        assert message in result.stderr, (extra, result.stderr)
    assert diagram_file.read_text() == MINIMAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["falls.yaml", "other.yaml", "x.svg"]
    assert (tmp_path / "x.svg").read_text() == MINIMAL


def test_render_without_graphviz(
    runner: CliRunner, diagram_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = runner.invoke(main, ["render", str(diagram_file)])
    assert result.exit_code == 1
    assert "Graphviz is not installed" in result.stderr
    assert (
        "sudo apt-get install graphviz" in result.stderr
        and "brew install graphviz" in result.stderr
    )
    assert not diagram_file.with_suffix(".svg").exists()


@pytest.mark.graphviz
def test_render_refuses_a_symlink_and_writes_into_a_named_pipe(
    runner: CliRunner, diagram_file: Path, tmp_path: Path
) -> None:
    import os
    import threading

    real = tmp_path / "real.svg"
    real.write_text("mine")
    link = tmp_path / "link.svg"
    link.symlink_to(real)
    refused = runner.invoke(main, ["render", str(diagram_file), "-o", str(link)])
    assert refused.exit_code == 1
    assert f"{link}: error: is a symbolic link; driverdiagram does not write through links" in (
        refused.stderr
    )
    assert link.is_symlink() and real.read_text() == "mine"

    pipe = tmp_path / "pipe.svg"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    result = runner.invoke(main, ["render", str(diagram_file), "-o", str(pipe)])
    reader.join(timeout=30)
    assert result.exit_code == 0
    assert received and received[0].startswith(b"<?xml")
    assert pipe.is_fifo(), "a pipe is written into, never replaced by a file"


def test_themes_command_and_an_unknown_theme() -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["themes"]).stdout.split("\n")
    assert [line.split()[0] for line in listed if line] == list(THEMES)
    result = runner.invoke(main, ["render", str(FALLS), "--theme", "sepia"])
    assert result.exit_code == 2 and "no theme called 'sepia'" in result.stderr
