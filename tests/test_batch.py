"""render over many files: all cores, a progress bar on a terminal, and drawings that are
up to date left alone."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from driverdiagram.cli import main

pytestmark = pytest.mark.graphviz
ROOT = Path(__file__).parent.parent


def diagram(number: int) -> str:
    return (
        f"aim: Raise enrolment in suburb {number} from 80% to 95% by June 2027\n"
        "primary:\n"
        "  - text: Families know about kindergarten\n"
        f"    changes: [Flyers at playgroup {number}, Reminder texts]\n"
        "  - text: Enrolment is simple\n"
        "    changes: [A one-page form]\n"
    )


@pytest.fixture
def batch(tmp_path: Path) -> list[Path]:
    files = []
    for number in range(12):
        path = tmp_path / "in" / f"d{number:02}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(diagram(number))
        files.append(path)
    return files


def render(*args: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(main, ["render", *args])
    return result.exit_code, result.stdout.splitlines(), result.stderr


def test_a_batch_is_drawn_in_order_on_several_cores_then_left_alone(
    batch: list[Path], tmp_path: Path
) -> None:
    out = str(tmp_path / "out") + "/"
    code, written, _ = render("-j", "2", *map(str, batch), "-o", out)
    assert code == 0
    assert written == [f"{out}d{n:02}.svg" for n in range(12)]
    assert all(Path(path).read_bytes().startswith(b"<?xml") for path in written)
    # nothing changed: nothing drawn
    code, written, note = render("-j", "2", *map(str, batch), "-o", out)
    assert (code, written) == (0, [])
    assert note == "12 drawings are up to date and left as they are (--force draws again)\n"
    # one input changed, one drawing edited by hand, one deleted: those three are drawn
    batch[3].write_text(diagram(99))
    (tmp_path / "out" / "d05.svg").write_text("edited")
    (tmp_path / "out" / "d07.svg").unlink()
    code, written, _ = render(*map(str, batch), "-o", out)
    assert written == [f"{out}d03.svg", f"{out}d05.svg", f"{out}d07.svg"]
    assert b"suburb 99" in (tmp_path / "out" / "d03.svg").read_bytes()
    # other options are other drawings; --force draws everything
    assert len(render(*map(str, batch), "-o", out, "--theme", "print")[1]) == 12
    assert len(render(*map(str, batch), "-o", out, "--theme", "print")[1]) == 0
    assert len(render(*map(str, batch), "-o", out, "--theme", "print", "--force")[1]) == 12


def test_a_changed_data_file_draws_again(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    data = tmp_path / "data" / "m.csv"
    data.write_text("period,value\n" + "".join(f"2026-{m:02},{m}\n" for m in range(1, 13)))
    path = tmp_path / "m.yaml"
    path.write_text(
        "aim:\n  text: A 10% by 2027\n  measures:\n    - name: M\n      direction: up\n"
        "      baseline: 6\n      data: data/m.csv\nprimary: [B]\n"
    )
    assert render(str(path))[1] == [str(tmp_path / "m.svg")]
    assert render(str(path))[1] == []
    data.write_text("period,value\n" + "".join(f"2026-{m:02},5\n" for m in range(1, 13)))
    assert render(str(path))[1] == [str(tmp_path / "m.svg")]


def test_one_bad_file_in_a_pool_does_not_stop_the_others(batch: list[Path], tmp_path: Path) -> None:
    batch[4].write_text("aim: A\nprimary: [B]\ntitel: x\n")
    code, written, errors = render("-j", "2", *map(str, batch), "-o", str(tmp_path / "o") + "/")
    assert code == 1
    assert len(written) == 11 and not any("d04" in path for path in written)
    assert errors == f"{batch[4]}:3:1: error: unknown key 'titel' (did you mean 'title'?)\n"


def test_standard_output_and_input_are_never_cached(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(diagram(1))
    for _ in range(2):
        result = CliRunner().invoke(main, ["render", str(path), "-o", "-"])
        assert result.stdout_bytes.startswith(b"<?xml")


def test_a_progress_bar_on_a_terminal(batch: list[Path], tmp_path: Path) -> None:
    """Run in a real pseudo-terminal: the bar goes to standard error, paths to standard
    output, and a pipe gets no bar at all."""
    main_fd, terminal = pty.openpty()
    command = [sys.executable, "-m", "driverdiagram", "render", "-j", "2", *map(str, batch)]
    command += ["-o", str(tmp_path / "tty") + "/"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=terminal, env={**os.environ, "COLUMNS": "80"}
    )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(main_fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    stdout, _ = process.communicate()
    os.close(main_fd)
    assert process.returncode == 0
    assert b"drawing" in shown and b"100%" in shown
    assert len(stdout.splitlines()) == 12 and b"drawing" not in stdout
    piped = subprocess.run(
        [*command[:-1], str(tmp_path / "pipe") + "/"], capture_output=True, check=True
    )
    assert b"drawing" not in piped.stderr


def test_a_data_file_is_tracked_whatever_folder_render_runs_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ward = tmp_path / "ward"
    (ward / "data").mkdir(parents=True)
    data = ward / "data" / "m.csv"
    data.write_text("period,value\n2026-01,1\n2026-02,2\n")
    (ward / "m.yaml").write_text(
        "aim:\n  text: A 10% by 2027\n  measures:\n    - name: M\n      data: data/m.csv\n"
        "primary: [B]\n"
    )
    elsewhere = tmp_path / "elsewhere"  # with a data/m.csv of its own, as the old one was
    (elsewhere / "data").mkdir(parents=True)
    (elsewhere / "data" / "m.csv").write_text(data.read_text())
    monkeypatch.chdir(ward)
    assert render("m.yaml")[1] == ["m.svg"]
    data.write_text("period,value\n2026-01,1\n2026-02,3\n")
    monkeypatch.chdir(elsewhere)
    assert render("../ward/m.yaml")[1] == ["../ward/m.svg"]


@pytest.mark.parametrize(
    "damage",
    [
        '{"format": 1, "drawings": 5}',
        "[1, 2]",
        "{",
        '{"format": 1, "drawings": {"x": 3, "y": {"data": 7}}}',
    ],
)
def test_a_damaged_cache_means_drawing_again(
    tmp_path: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "d.yaml"
    path.write_text(diagram(1))
    assert render(str(path))[1] == [str(tmp_path / "d.svg")]
    (tmp_path / "cache" / "driverdiagram" / "drawings.json").write_text(damage)
    code, written, _ = render(str(path))
    assert (code, written) == (0, [str(tmp_path / "d.svg")])
    assert render(str(path))[1] == []


def test_a_cache_that_cannot_be_written_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    path = tmp_path / "d.yaml"
    path.write_text(diagram(1))
    code, written, note = render(str(path))
    assert code == 0 and written == [str(tmp_path / "d.svg")]
    assert "note: cannot keep the record of what was drawn" in note
