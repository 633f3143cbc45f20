"""A folder someone sent: what driverdiagram reads and writes on its behalf.

Each test is a hole found by trying the tool as an attacker would (issue 11): links
where outputs go, data paths that reach out of the folder, pipes and devices where
files are expected, temporary files left behind, set-id bits kept.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram import files
from driverdiagram.cli import main

DIAGRAM = "aim: Fewer falls on Ward 7\nprimary:\n  - Risks are known early\n"
SECRET = "CANARY-SECRET-1234"


def measured(data: str) -> str:
    return (
        "aim:\n  text: Fewer falls\n  measures:\n    - name: Falls\n"
        f"      data: {data}\nprimary:\n  - Risks are known early\n"
    )


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file the attacker wants overwritten or read, outside the sent folder."""
    path = tmp_path / "victim" / "authorized_keys"
    path.parent.mkdir()
    path.write_text(SECRET + "\n")
    return path


@pytest.fixture
def sent(tmp_path: Path) -> Path:
    """The folder someone sent."""
    folder = tmp_path / "sent"
    folder.mkdir()
    (folder / "plan.yaml").write_text(DIAGRAM)
    return folder


# -- outputs the tool names itself are never written through a link --------------------


@pytest.mark.graphviz
@pytest.mark.parametrize("format", ["svg", "pdf", "png", "dot"])
def test_render_beside_the_input_refuses_a_planted_link(
    runner: CliRunner, sent: Path, victim: Path, format: str
) -> None:
    (sent / f"plan.{format}").symlink_to(victim)
    result = runner.invoke(main, ["render", str(sent / "plan.yaml"), "-f", format])
    assert result.exit_code == 1
    assert "is a symbolic link; driverdiagram does not write through links" in result.stderr
    assert victim.read_text() == SECRET + "\n"
    assert (sent / f"plan.{format}").is_symlink()


@pytest.mark.graphviz
def test_a_batch_into_a_folder_refuses_links_inside_it(
    runner: CliRunner, sent: Path, victim: Path
) -> None:
    out = sent / "out"
    out.mkdir()
    (out / "plan.svg").symlink_to(victim)
    for index in range(5):  # enough files for the worker pool
        (sent / f"team{index}.yaml").write_text(DIAGRAM)
    inputs = [str(path) for path in sorted(sent.glob("*.yaml"))]
    result = runner.invoke(main, ["render", *inputs, "-o", f"{out}/"])
    assert result.exit_code == 1
    assert f"{out / 'plan.svg'}: error: is a symbolic link" in result.stderr
    assert victim.read_text() == SECRET + "\n"
    assert sorted(path.name for path in out.iterdir()) == [
        "plan.svg",
        *[f"team{index}.svg" for index in range(5)],
    ]


@pytest.mark.graphviz
def test_a_markdown_papers_side_files_refuse_links(
    runner: CliRunner, sent: Path, victim: Path
) -> None:
    (sent / "paper.svg").symlink_to(victim)
    result = runner.invoke(main, ["report", str(sent / "plan.yaml"), "-o", str(sent / "paper.md")])
    assert result.exit_code == 1
    assert "paper.svg: error: is a symbolic link" in result.stderr
    assert victim.read_text() == SECRET + "\n"
    assert not (sent / "paper.md").exists()


def test_chart_outputs_refuse_links(runner: CliRunner, sent: Path, victim: Path) -> None:
    (sent / "data.csv").write_text("period,value\n2026-01,3\n2026-02,4\n")
    (sent / "plan.yaml").write_text(measured("data.csv"))
    (sent / "plan.falls.svg").symlink_to(victim)
    result = runner.invoke(main, ["chart", str(sent / "plan.yaml")])
    assert result.exit_code == 1
    assert "plan.falls.svg: error: is a symbolic link" in result.stderr
    assert victim.read_text() == SECRET + "\n"


def test_an_explicit_output_that_is_a_link_to_a_file_is_refused(
    runner: CliRunner, sent: Path, victim: Path
) -> None:
    link = sent / "export.md"
    link.symlink_to(victim)
    result = runner.invoke(
        main, ["export", str(sent / "plan.yaml"), "--to", "markdown", "-o", str(link)]
    )
    assert result.exit_code == 1
    assert f"it points to {victim}" in result.stderr
    assert victim.read_text() == SECRET + "\n"


@pytest.mark.parametrize("command", [["new"], ["import"]])
def test_new_and_import_never_write_through_a_dangling_link(
    runner: CliRunner, sent: Path, tmp_path: Path, command: list[str]
) -> None:
    planted = tmp_path / "victim-new-file"
    link = sent / "fresh.yaml"
    link.symlink_to(planted)  # dangling: the file it names does not exist yet
    (sent / "plan.json").write_text(dd.export(dd.loads(DIAGRAM), "json"))
    args = [str(link)] if command == ["new"] else [str(sent / "plan.json"), "-o", str(link)]
    without = runner.invoke(main, [*command, *args])
    assert without.exit_code == 1 and "already exists" in without.stderr
    forced = runner.invoke(main, [*command, *args, "--force"])
    assert forced.exit_code == 1 and "is a symbolic link" in forced.stderr
    assert not planted.exists()


def test_a_named_device_is_written_and_a_pipe_nobody_reads_is_an_error(
    runner: CliRunner, sent: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = runner.invoke(
        main, ["export", str(sent / "plan.yaml"), "--to", "json", "-o", "/dev/null"]
    )
    assert result.exit_code == 0
    pipe = sent / "pipe.md"
    os.mkfifo(pipe)
    monkeypatch.setattr(files, "PIPE_WAIT", 0.3)
    started = time.monotonic()
    result = runner.invoke(
        main, ["export", str(sent / "plan.yaml"), "--to", "markdown", "-o", str(pipe)]
    )
    assert result.exit_code == 1
    assert "is a pipe that nobody read from" in result.stderr
    assert time.monotonic() - started < 10
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_a_pipe_beside_the_input_is_not_written(runner: CliRunner, sent: Path) -> None:
    os.mkfifo(sent / "plan.dot")
    result = runner.invoke(main, ["render", str(sent / "plan.yaml"), "-f", "dot"])
    assert result.exit_code == 1
    assert "plan.dot: error: is a pipe (FIFO), not a regular file" in result.stderr


def test_set_id_bits_are_not_kept_on_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "out.svg"
    target.write_text("old")
    target.chmod(0o6755)
    files.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o755


def test_an_interrupt_while_writing_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.svg"
    target.write_text("old")

    def interrupted(descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomic(target, b"new")
    assert [path.name for path in tmp_path.iterdir()] == ["out.svg"]
    assert target.read_text() == "old"


def test_temporary_files_of_a_killed_run_are_cleaned_up(tmp_path: Path) -> None:
    dead = 2**22 + 12345  # above the largest process id Linux hands out by default
    stale = tmp_path / f".out.svg.{dead}.x1y2.ddtmp"
    stale.write_text("half a drawing")
    young = tmp_path / f".out.svg.{dead}.a1b2.ddtmp"
    young.write_text("another run, just started")
    alive = tmp_path / f".out.svg.{os.getpid()}.c3d4.ddtmp"
    alive.write_text("ours")
    other = tmp_path / ".notes.txt.ddtmp"
    other.write_text("not ours")
    hour_ago = time.time() - 3600
    for path in (stale, alive, other):
        os.utime(path, (hour_ago, hour_ago))
    files.write_atomic(tmp_path / "out.svg", b"drawing")
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [young.name, alive.name, other.name, "out.svg"]
    )


def test_one_write_cleans_up_the_folder_for_every_file_and_later_writes_do_not_scan_it(
    tmp_path: Path,
) -> None:
    dead = 2**22 + 12346
    hour_ago = time.time() - 3600
    left = [tmp_path / f".page-{n}.html.{dead}.q{n}w.ddtmp" for n in range(3)]
    for path in left:
        path.write_text("half a page")
        os.utime(path, (hour_ago, hour_ago))
    files.write_atomic(tmp_path / "index.html", b"page")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["index.html"]
    # within the minute the folder is not swept again: writing 2,000 files scans it once
    late = tmp_path / f".index.html.{dead}.z9z.ddtmp"
    late.write_text("left after the sweep")
    os.utime(late, (hour_ago, hour_ago))
    files.write_atomic(tmp_path / "index.html", b"page again")
    assert late.exists()
    files.clean_stale(tmp_path)
    assert not late.exists()


# -- data files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    ["/etc/passwd", "/proc/self/environ", "../victim/authorized_keys", "../../victim/x.csv"],
)
def test_data_outside_the_folder_is_not_read(sent: Path, victim: Path, data: str) -> None:
    (sent / "plan.yaml").write_text(measured(data))
    with pytest.raises(dd.DiagramError) as caught:
        dd.load(sent / "plan.yaml")
    message = str(caught.value)
    assert "is outside the diagram's folder" in message or "not found" in message
    assert "--allow-outside-data" in message or "not found" in message
    assert SECRET not in message and "root:" not in message


def test_a_link_inside_the_folder_to_a_file_outside_is_not_followed(
    sent: Path, victim: Path
) -> None:
    (sent / "data").mkdir()
    (sent / "data" / "falls.csv").symlink_to(victim)
    (sent / "plan.yaml").write_text(measured("data/falls.csv"))
    with pytest.raises(dd.DiagramError, match="is outside the diagram's folder") as caught:
        dd.load(sent / "plan.yaml")
    assert SECRET not in str(caught.value)


def test_the_user_may_allow_data_kept_elsewhere(sent: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared" / "falls.csv"
    shared.parent.mkdir()
    shared.write_text("period,value\n2026-01,3\n")
    (sent / "plan.yaml").write_text(measured(str(shared)))
    with pytest.raises(dd.DiagramError, match="outside"):
        dd.load(sent / "plan.yaml")
    with dd.limits(outside_data=True):
        assert dd.load(sent / "plan.yaml").measures[0].values == [3.0]
    result = CliRunner().invoke(main, ["--allow-outside-data", "validate", str(sent / "plan.yaml")])
    assert result.exit_code == 0, result.stderr


def test_data_anywhere_in_the_diagrams_repository_is_read(tmp_path: Path) -> None:
    repo = tmp_path / "programme"
    (repo / ".git").mkdir(parents=True)
    (repo / "data").mkdir()
    (repo / "data" / "falls.csv").write_text("period,value\n2026-01,3\n")
    (repo / "diagrams").mkdir()
    (repo / "diagrams" / "plan.yaml").write_text(measured("../data/falls.csv"))
    assert dd.load(repo / "diagrams" / "plan.yaml").measures[0].values == [3.0]
    (repo / "diagrams" / "plan.yaml").write_text(measured("../.git/config"))
    (repo / ".git" / "config").write_text("[remote]\nurl = https://token@example.org\n")
    with pytest.raises(dd.DiagramError, match="outside") as caught:
        dd.load(repo / "diagrams" / "plan.yaml")
    assert "token" not in str(caught.value)


def test_a_repository_at_the_home_folder_does_not_open_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / ".git").mkdir(parents=True)  # a repository of settings ("dotfiles")
    (home / ".ssh").mkdir()
    (home / ".ssh" / "id_rsa").write_text(SECRET)
    (home / "Downloads" / "sent").mkdir(parents=True)
    (home / "Downloads" / "sent" / "plan.yaml").write_text(measured("../../.ssh/id_rsa"))
    monkeypatch.setenv("HOME", str(home))
    with pytest.raises(dd.DiagramError, match="outside") as caught:
        dd.load(home / "Downloads" / "sent" / "plan.yaml")
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize("kind", ["fifo", "folder", "device-link"])
def test_data_that_is_not_a_regular_file_is_refused_at_once(sent: Path, kind: str) -> None:
    place = sent / "falls.csv"
    if kind == "fifo":
        os.mkfifo(place)
    elif kind == "folder":
        place.mkdir()
    else:
        (sent / "dev").mkdir()
        place = sent / "dev" / "zero"
        os.symlink("/dev/zero", place)
    (sent / "plan.yaml").write_text(measured(place.relative_to(sent).as_posix()))
    outcome: list[BaseException] = []

    def load() -> None:
        try:
            dd.load(sent / "plan.yaml")
        except dd.DiagramError as error:
            outcome.append(error)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(timeout=20)
    assert not thread.is_alive(), "reading the data file hung"
    assert outcome, "a data file that is not a file was accepted"
    message = str(outcome[0])
    assert (
        "is a pipe (FIFO), not a regular file" in message
        or "is a folder, not a CSV file" in message
        or "is outside the diagram's folder" in message  # /dev/zero, through the link
    ), message


def test_a_data_files_error_quotes_only_a_short_visible_piece(
    runner: CliRunner, sent: Path
) -> None:
    token = "ghp_" + "S3cr3tT0k3n" * 8
    (sent / "creds.csv").write_text(f"{token}\x1b]0;pwned\x07,x\n1,2\n")
    (sent / "plan.yaml").write_text(measured("creds.csv"))
    for output in ("text", "github", "json"):
        result = runner.invoke(main, ["validate", "--format", output, str(sent / "plan.yaml")])
        assert result.exit_code == 1
        shown = result.stdout + result.stderr
        assert "unknown columns 'ghp_S3cr3tT0k3nS3cr3t...' and 'x';" in shown
        assert "say which column is which in the measure with 'columns:'" in shown
        assert token.lower() not in shown and "s3cr3tt0k3n" * 3 not in shown
        assert "\x1b" not in shown and "\x07" not in shown


# -- inputs that are not files -----------------------------------------------------------


@pytest.mark.parametrize("command", [["validate"], ["render", "-f", "dot"], ["outline"]])
def test_an_input_that_is_a_link_to_a_device_or_a_pipe_is_refused(
    runner: CliRunner, sent: Path, command: list[str]
) -> None:
    os.symlink("/dev/zero", sent / "zero.yaml")
    os.mkfifo(sent / "pipe.yaml")
    for name, message in (("zero.yaml", "is a device"), ("pipe.yaml", "is a pipe (FIFO)")):
        started = time.monotonic()
        result = runner.invoke(main, [*command, str(sent / name)])
        assert result.exit_code == 1
        assert f"{sent / name}: error: {message}, not a regular file" in result.stderr
        assert time.monotonic() - started < 10


def test_the_drawing_cache_hashes_only_regular_files(tmp_path: Path) -> None:
    from driverdiagram.batch import Cache, Options
    from driverdiagram.style import DEFAULT

    os.symlink("/dev/zero", tmp_path / "zero.yaml")
    started = time.monotonic()
    setting = Cache.setting("svg", Options(), DEFAULT)
    assert Cache(tmp_path / "cache.json").key(str(tmp_path / "zero.yaml"), setting) == ""
    assert time.monotonic() - started < 5


def test_a_note_in_a_data_file_is_held_to_the_text_limit(sent: Path) -> None:
    (sent / "falls.csv").write_text("period,value,note\n2026-01,3," + "n" * 3000 + "\n")
    (sent / "plan.yaml").write_text(measured("falls.csv"))
    with pytest.raises(dd.DiagramError, match=r"falls\.csv:2:11: error: this text is 3,000"):
        dd.load(sent / "plan.yaml")


@pytest.mark.graphviz
@pytest.mark.parametrize("output", ["out/", "out/sub/", "out/paper.md", "out/x.md"])
def test_an_output_folder_in_the_sent_folder_that_is_a_link_is_refused(
    runner: CliRunner, sent: Path, victim: Path, output: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (sent / "out").symlink_to(victim.parent)
    monkeypatch.chdir(sent)
    before = sorted(victim.parent.iterdir())
    if output == "out/paper.md":
        command = ["report", "plan.yaml", "-o", output]
    elif output == "out/x.md":
        command = ["export", "plan.yaml", "--to", "markdown", "-o", output]
    else:
        command = ["render", "plan.yaml", "-o", output]
    result = runner.invoke(main, command)
    assert result.exit_code == 1
    assert "out: error: is a symbolic link; driverdiagram does not write through links" in (
        result.stderr
    )
    assert sorted(victim.parent.iterdir()) == before


def test_a_chart_folder_that_is_a_link_is_refused(
    runner: CliRunner, sent: Path, victim: Path
) -> None:
    (sent / "data.csv").write_text("period,value\n2026-01,3\n2026-02,4\n")
    (sent / "plan.yaml").write_text(measured("data.csv"))
    (sent / "charts").symlink_to(victim.parent)
    result = runner.invoke(main, ["chart", str(sent / "plan.yaml"), "-o", f"{sent / 'charts'}/"])
    assert result.exit_code == 1 and "is a symbolic link" in result.stderr
    assert sorted(path.name for path in victim.parent.iterdir()) == ["authorized_keys"]


@pytest.mark.graphviz
def test_a_folder_of_your_own_that_is_a_link_is_followed(
    runner: CliRunner, sent: Path, tmp_path: Path
) -> None:
    shared = tmp_path / "shared-drive"
    shared.mkdir()
    (tmp_path / "papers").symlink_to(shared)  # outside the diagram's folder: yours
    result = runner.invoke(
        main, ["render", str(sent / "plan.yaml"), "-o", f"{tmp_path / 'papers'}/"]
    )
    assert result.exit_code == 0, result.stderr
    assert (shared / "plan.svg").is_file()


def test_new_writes_nothing_beside_a_links_target(
    runner: CliRunner, sent: Path, victim: Path
) -> None:
    (sent / "fresh.yaml").symlink_to(victim.parent / "fresh.yaml")
    result = runner.invoke(main, ["new", str(sent / "fresh.yaml"), "--force"])
    assert result.exit_code == 1 and "is a symbolic link" in result.stderr
    assert sorted(path.name for path in victim.parent.iterdir()) == ["authorized_keys"]
    assert not (sent / "driverdiagram.schema.json").exists()


def test_textconv_does_not_print_what_a_link_points_to(
    runner: CliRunner, sent: Path, victim: Path
) -> None:
    (sent / "plan.yaml").unlink()
    (sent / "plan.yaml").symlink_to(victim)
    result = runner.invoke(main, ["outline", "--textconv", str(sent / "plan.yaml")])
    assert result.exit_code == 0
    assert SECRET not in result.stdout
