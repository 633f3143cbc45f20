"""driverdiagram diff: every kind of edit named, nothing else; git revisions as sides."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.diff import compare, match

CASES = Path(__file__).parent / "cases" / "diff"
OLD, NEW = CASES / "old.yaml", CASES / "new.yaml"


def test_every_kind_of_edit_is_named_once() -> None:
    changes = compare(dd.load(OLD), dd.load(NEW))
    assert [change.kind for change in changes] == [
        "aim",
        "title",
        "updated",
        "labels",
        "added",
        "removed",
        "reworded",
        "moved",
        "link-added",
        "link-removed",
        "strength",
        "strength",
        "status",
    ]
    texts = [change.text for change in changes]
    assert (
        "added change idea 'Bedside risk symbol' under 'Staff know each patient's risk level'"
        in texts
    )
    assert (
        "'Review high-risk patients at the daily safety huddle' now also feeds"
        " 'Rooms are free of trip hazards'" in texts
    )
    assert "'Review high-risk patients at the daily safety huddle': testing -> adopted" in texts


def test_matching_by_id_then_text_then_similar_text() -> None:
    old, new = dd.load(OLD), dd.load(NEW)
    pairs = match(old, new)
    assert pairs["assess"] == "assess"  # id, although reworded
    assert pairs["p1.s1.c1"] == "p2.s1.c1"  # identical text, moved
    reworded = dd.loads("aim: A\nprimary:\n  - Families know about kindergarten\n")
    original = dd.loads("aim: A\nprimary:\n  - Families know all about kindergarten\n")
    assert match(original, reworded)["p1"] == "p1"
    unrelated = dd.loads("aim: A\nprimary:\n  - Transport is free\n")
    assert "p1" not in match(original, unrelated)


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


@pytest.mark.graphviz
def test_the_picture_marks_every_change_with_words(tmp_path: Path) -> None:
    from driverdiagram.diff import picture

    from .svgcheck import read

    old, new = dd.load(OLD), dd.load(NEW)
    drawing, marks, link_marks = picture(old, new)
    from driverdiagram.draw.render import render

    first = render(drawing, "svg", marks=marks, link_marks=link_marks)
    assert first == render(drawing, "svg", marks=marks, link_marks=link_marks)
    boxes = read(first).boxes
    words = {box.text.split()[-1] for box in boxes.values() if box.text}
    assert {"NEW", "REWORDED", "MOVED", "REMOVED"} <= words
    assert "REMOVED" in boxes["removed:p2.s1.c1"].text
    assert "REWORDED" in boxes["assess"].text
    assert sorted(set(link_marks.values())) == ["added", "moved", "removed", "strength"]
    assert "NEW STATUS" in boxes["huddle"].text  # testing -> adopted
    text = first.decode()
    assert "new since the earlier version" in text and "gone (drawn as a ghost)" in text
    assert "a change idea whose status changed" in text and "a link now stronger" in text
    runner = CliRunner()
    out = tmp_path / "change.pdf"
    result = runner.invoke(main, ["diff", str(OLD), str(NEW), "-o", str(out)])
    assert result.exit_code == 1 and out.read_bytes().startswith(b"%PDF")
    bad = runner.invoke(main, ["diff", str(OLD), str(NEW), "-o", str(tmp_path / "x.gif")])
    assert bad.exit_code == 2
