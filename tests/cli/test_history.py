"""Versions of a diagram (cli/history.py): ``diff`` two of them, files or git
revisions, and the ``outline`` that git diffs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from tests.paths import CASES, ROOT

OLD, NEW = CASES / "diff" / "old.yaml", CASES / "diff" / "new.yaml"


def test_outline_command(tmp_path: Path) -> None:
    runner = CliRunner()
    path = ROOT / "tests" / "cases" / "valid" / "spec-example.yaml"
    result = runner.invoke(main, ["outline", str(path)])
    assert result.exit_code == 0
    assert result.stdout == dd.outline(dd.load(path), ids=True)
    assert "  [identify] Primary driver: Patients at risk are identified early\n" in result.stdout
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(b"aim: [\n")
    assert runner.invoke(main, ["outline", str(broken)]).exit_code == 1
    raw = runner.invoke(main, ["outline", "--textconv", str(broken)])
    assert (raw.exit_code, raw.stdout) == (0, "aim: [\n")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_diff_shows_the_outline(tmp_path: Path) -> None:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    git("init", "-q")
    (tmp_path / ".gitattributes").write_text("*.yaml diff=driverdiagram\n")
    command = f"'{sys.executable}' -m driverdiagram outline --textconv"
    git("config", "diff.driverdiagram.textconv", command)
    path = tmp_path / "falls.yaml"
    path.write_text("aim: Halve falls by June 2027\nprimary:\n  - Risk is known\n")
    git("add", "-A")
    git("commit", "-q", "-m", "one")
    path.write_text(
        "aim: Halve falls by June 2027\nprimary:\n  - Risk is known\n  - Rooms are safe\n"
    )
    diff = git("diff")
    assert "+  [rooms-are-safe] Primary driver: Rooms are safe" in diff


def test_identical_and_reordered_files_are_the_same(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["diff", str(OLD), str(OLD)])
    assert (result.exit_code, result.stdout) == (0, f"{OLD} -> {OLD}: no changes\n")
    tidy = tmp_path / "tidy.yaml"
    tidy.write_text(dd.to_yaml(dd.load(OLD)))
    assert runner.invoke(main, ["diff", str(OLD), str(tidy)]).exit_code == 0


def test_formats_and_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["diff", str(OLD), str(NEW)])
    assert text.exit_code == 1
    assert text.stdout.splitlines()[0] == f"{OLD} -> {NEW}: 13 changes"
    data = json.loads(runner.invoke(main, ["diff", str(OLD), str(NEW), "--format", "json"]).stdout)
    assert [change["summary"] for change in data["changes"]] == [
        line.strip() for line in text.stdout.splitlines()[1:]
    ]
    assert data["changes"][-1] == {
        "kind": "status",
        "summary": "'Review high-risk patients at the daily safety huddle': testing -> adopted",
        "id": "huddle",
        "old": "testing",
        "new": "adopted",
    }
    markdown = runner.invoke(main, ["diff", str(OLD), str(NEW), "--format", "markdown"]).stdout
    assert markdown.count("\n- ") == 13
    broken = tmp_path / "broken.yaml"
    broken.write_text("aim: [\n")
    trouble = runner.invoke(main, ["diff", str(OLD), str(broken)])
    assert trouble.exit_code == 2 and trouble.stderr.startswith(f"{broken}:1:")
    assert runner.invoke(main, ["diff", str(OLD)]).exit_code == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_revisions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    (tmp_path / "diagrams").mkdir()
    path = tmp_path / "diagrams" / "falls.yaml"
    path.write_text(OLD.read_text())
    git("add", "-A")
    git("commit", "-q", "-m", "one")
    path.write_text(NEW.read_text())
    git("commit", "-qam", "two")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["diff", "HEAD~1:diagrams/falls.yaml", "diagrams/falls.yaml"])
    assert result.exit_code == 1
    assert result.stdout.startswith("HEAD~1:diagrams/falls.yaml -> diagrams/falls.yaml: 13 changes")
    assert runner.invoke(main, ["diff", "--rev", "HEAD", "diagrams/falls.yaml"]).exit_code == 0
    short = runner.invoke(main, ["diff", "--rev", "HEAD~1", "diagrams/falls.yaml"])
    assert short.exit_code == 1 and "13 changes" in short.stdout
    missing = runner.invoke(main, ["diff", "--rev", "HEAD~5", "diagrams/falls.yaml"])
    assert missing.exit_code == 2 and "git cannot show it" in missing.stderr


def test_outline_and_export_say_what_the_reader_warned_of(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("aim: Halve falls by June 2027\nprimary:\n  - Families remember #1 priority\n")
    runner = CliRunner()
    for args in (["outline", str(path)], ["export", "--to", "json", str(path)]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.stderr
        assert result.stderr == (
            f"{path}:3:23: warning: the text stops before '#1 priority' because ' #' starts"
            " a YAML comment; put the text in quotes [DD116]\n"
        )


def test_the_textconv_shows_every_control_chart_key(tmp_path: Path) -> None:
    """git diff sees a control chart's keys, each phase on a line and each period's
    counts, though the textconv reads no data file: a measure that excludes a period
    of its CSV is still shown as facts (it was shown as raw YAML: with no data read,
    the excluded period was 'not in the data')."""
    source = CASES / "valid" / "control-charts.yaml"
    text = source.read_text(encoding="utf-8")
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"  # no data/ folder here
    old.write_text(text, encoding="utf-8")
    new.write_text(
        text.replace("label: Huddle in place", "label: Huddle at 8am")
        .replace("exclude: [2026-05]", "exclude: [2026-04, 2026-05]")
        .replace("screen: false", "screen: true")
        .replace("{numerator: 28, denominator: 41}", "{numerator: 29, denominator: 41}"),
        encoding="utf-8",
    )
    runner = CliRunner()
    before = runner.invoke(main, ["outline", "--textconv", str(old)]).stdout
    after = runner.invoke(main, ["outline", "--textconv", str(new)]).stdout
    for fact in (
        "[aim] measure falls-rate chart: u",
        "[aim] measure falls-rate rules: mdc",
        "[aim] measure falls-rate short: Falls rate",
        "[aim] measure falls-rate baseline: first 6 points",
        "[aim] measure falls-rate data file: data/falls-per-bed-days.csv",
        "measure assessed 2026-03: 84.62 (33/39) (new checklist)",
    ):
        assert fact in before
    removed = [line for line in before.splitlines() if line not in after.splitlines()]
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert [line.strip() for line in removed] == [
        "[aim] measure falls-rate excluded: 2026-05",
        "[aim] measure falls-rate phase from 2026-07: Huddle in place",
        "[patients-at-risk-are] measure assessed 2026-02: 68.29 (28/41)",
        "[patients-at-risk-are] measure overtime screen: off (every moving range kept)",
    ]
    assert [line.strip() for line in added] == [
        "[aim] measure falls-rate excluded: 2026-04, 2026-05",
        "[aim] measure falls-rate phase from 2026-07: Huddle at 8am",
        "[patients-at-risk-are] measure assessed 2026-02: 70.73 (29/41)",
    ]
    # an outline without the data file goes on too, saying so once
    outlined = runner.invoke(main, ["outline", str(old)])
    assert outlined.exit_code == 0 and "not found" in outlined.stderr
