"""Versioning in a real git repository: a diagram whose measure keeps its data in a CSV
file, changed commit by commit as a team would (a new month, an edited study line, a
changed target, a moved box, an inserted box, an edited note). ``diff`` must report
each change, in a line or two, and nothing else, however the versions are named and
from wherever it is run; ``git diff`` and ``git log -p`` through the README's textconv
set-up must show each as a line or two, not the whole file."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

DIAGRAM = """\
title: Did-not-attend rate
notes: Reviewed monthly at the outpatients board
aim:
  text: Cut missed first appointments from 12% to 6% by March 2027
  measures:
    - id: dna
      name: Missed first appointments
      direction: down
      unit: '%'
      target: 6
      data: data/dna.csv
primary:
  - text: Patients know when and where to come
    secondary:
      - text: Letters are clear
        changes:
          - text: Send a text reminder three days before
            status: testing
            pdsa:
              - start: 2026-09-01
                prediction: fewer missed appointments
                study: missed appointments fell from 12 to 9
      - text: Reminders reach people
        changes:
          - Phone patients who missed before
  - text: Booking suits patients
    changes:
      - Offer evening clinics
"""

DATA = "period,numerator,denominator\n" + "".join(
    f"2026-{month:02d},{12 - month % 3},{100}\n" for month in range(1, 10)
)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Coach", "-c", "user.email=coach@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def tool(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "driverdiagram", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


#: Each commit after the first: what it changes, and the one line diff must report.
STEPS = [
    (
        "a new month of data",
        lambda text, data: (text, data + "2026-10,7,100\n"),
        [
            "'Missed first appointments': 1 new point (2026-10: 7 (7/100))",
            # the tenth data point: enough to judge (SPEC 6 counts data points)
            "'Missed first appointments': too few points to judge -> no signal yet",
        ],
    ),
    (
        "an edited study line",
        lambda text, data: (
            text.replace("fell from 12 to 9", "fell from 12 to 8 in the pilot clinic"),
            data,
        ),
        [
            "PDSA cycle 1 of 'Send a text reminder three days before': study"
            " 'missed appointments fell from 12 to 9' ->"
            " 'missed appointments fell from 12 to 8 in the pilot clinic'"
        ],
    ),
    (
        "a changed target",
        lambda text, data: (text.replace("target: 6\n", "target: 5\n"), data),
        ["'Missed first appointments': target 6 -> 5"],
    ),
    (
        "a moved box",
        lambda text, data: (
            text.replace(
                "        changes:\n          - Phone patients who missed before\n", ""
            ).replace(
                "    changes:\n      - Offer evening clinics\n",
                "    changes:\n      - Offer evening clinics\n"
                "      - Phone patients who missed before\n",
            ),
            data,
        ),
        [
            "moved change idea 'Phone patients who missed before' from 'Reminders reach"
            " people' to 'Booking suits patients'"
        ],
    ),
    (
        "an inserted box",
        lambda text, data: (
            text.replace("primary:\n", "primary:\n  - text: Transport is no barrier\n"),
            data,
        ),
        [
            "added primary driver 'Transport is no barrier' under 'Cut missed first"
            " appointments from 12% to 6% by March 2027'"
        ],
    ),
    (
        "an edited note",
        lambda text, data: (
            text.replace("Reviewed monthly at", "Reviewed each month at"),
            data,
        ),
        [
            "notes on the diagram: 'Reviewed monthly at the outpatients board' ->"
            " 'Reviewed each month at the outpatients board'"
        ],
    ),
]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository: one commit per step, diagrams/dna.yaml with diagrams/data/dna.csv,
    and the README's textconv set-up."""
    repo = tmp_path_factory.mktemp("repo")
    git(repo, "init", "-q")
    (repo / ".gitattributes").write_text("*.yaml diff=driverdiagram\n")
    command = f"'{sys.executable}' -m driverdiagram outline --textconv"
    git(repo, "config", "diff.driverdiagram.textconv", command)
    folder = repo / "diagrams"
    (folder / "data").mkdir(parents=True)
    text, data = DIAGRAM, DATA
    diagram, csv = folder / "dna.yaml", folder / "data" / "dna.csv"
    diagram.write_text(text)
    csv.write_text(data)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    for message, step, _ in STEPS:
        text, data = step(text, data)
        diagram.write_text(text)
        csv.write_text(data)
        git(repo, "commit", "-q", "-am", message)
    return repo


def revision(step: int) -> str:
    """The commit made by STEPS[step]."""
    return f"HEAD~{len(STEPS) - 1 - step}"


def reported(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode in (0, 1), result.stderr
    return [line.strip() for line in result.stdout.splitlines()[1:]]


@pytest.mark.parametrize("step", range(len(STEPS)), ids=[step[0] for step in STEPS])
def test_diff_of_two_revisions_reports_each_change_and_nothing_else(repo: Path, step: int) -> None:
    expected = STEPS[step][2]
    new = revision(step)
    old = f"{new}~1"
    from_top = tool(repo, "diff", f"{old}:diagrams/dna.yaml", f"{new}:diagrams/dna.yaml")
    assert reported(from_top) == expected
    here = tool(repo / "diagrams", "diff", f"{old}:./dna.yaml", f"{new}:./dna.yaml")
    assert reported(here) == expected
    outside = tool(
        repo.parent,
        "diff",
        f"{old}:{repo / 'diagrams' / 'dna.yaml'}",
        f"{new}:{repo / 'diagrams' / 'dna.yaml'}",
    )
    assert reported(outside) == expected


def test_diff_rev_reads_the_data_at_that_revision_from_any_folder(repo: Path) -> None:
    absolute = repo / "diagrams" / "dna.yaml"
    for cwd, name in [
        (repo, "diagrams/dna.yaml"),
        (repo / "diagrams", "dna.yaml"),
        (repo / "diagrams" / "data", "../dna.yaml"),
        (repo.parent, str(absolute)),
        (Path("/"), str(absolute)),
    ]:
        result = tool(cwd, "diff", "--rev", "HEAD", name)
        assert (result.returncode, result.stderr) == (0, ""), (cwd, name, result.stderr)
        assert result.stdout == f"HEAD:diagrams/dna.yaml -> {name}: no changes\n"
    everything = tool(repo, "diff", "--rev", "HEAD~6", "diagrams/dna.yaml")
    assert len(reported(everything)) == sum(len(step[2]) for step in STEPS)


def test_today_s_data_never_stands_in_for_an_old_revision(repo: Path) -> None:
    """The old side of a diff reads the CSV as it was at its revision."""
    result = tool(
        repo, "diff", "--rev", revision(0) + "~1", "diagrams/dna.yaml", "--format", "json"
    )
    changes = json.loads(result.stdout)["changes"]
    data = [change for change in changes if change["kind"] == "data"]
    assert data and data[0]["points"] == [
        {
            "period": "2026-10",
            "old": None,
            "new": 7.0,
            "old_numerator": None,
            "old_denominator": None,
            "new_numerator": 7.0,
            "new_denominator": 100.0,
        }
    ]


def test_a_data_file_missing_at_a_revision_is_located_and_names_it(repo: Path) -> None:
    git(repo, "rm", "-q", "diagrams/data/dna.csv")
    git(repo, "commit", "-q", "-m", "lost the data")
    try:
        result = tool(repo, "diff", "--rev", "HEAD", "diagrams/dna.yaml")
        assert result.returncode == 2
        assert result.stderr.startswith("HEAD:diagrams/dna.yaml:11:13: error: data file")
        assert "is not in 'HEAD' (looked for HEAD:diagrams/data/dna.csv)" in result.stderr
        # what does not need the data says so once and goes on
        outline = tool(repo, "outline", "diagrams/dna.yaml")
        assert outline.returncode == 0
        assert outline.stderr.count("not found") == 1
        assert tool(repo, "export", "--to", "json", "diagrams/dna.yaml").returncode == 0
    finally:
        git(repo, "reset", "-q", "--hard", "HEAD~1")


def test_a_revision_that_is_not_one_is_a_clear_error(repo: Path) -> None:
    for rev, words in [("nope", "no revision 'nope'"), ("-p", "is not a revision")]:
        result = tool(repo, "diff", "--rev", rev, "diagrams/dna.yaml")
        assert result.returncode == 2 and words in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    elsewhere = tool(Path("/"), "diff", "HEAD:diagrams/dna.yaml", "HEAD:diagrams/dna.yaml")
    assert elsewhere.returncode == 2 and "is not in a git repository" in elsewhere.stderr


def changed_lines(patch: str, suffix: str) -> list[str]:
    """The + and - lines of one file's part of a patch."""
    lines, inside = [], False
    for line in patch.splitlines():
        if line.startswith("diff --git"):
            inside = line.endswith(suffix)
        elif inside and re.match(r"[+-](?![+-]{2} )", line):
            lines.append(line)
    return lines


@pytest.mark.parametrize("step", range(len(STEPS)), ids=[step[0] for step in STEPS])
def test_git_log_p_shows_each_change_in_a_line_or_two(repo: Path, step: int) -> None:
    patch = git(repo, "log", "-p", "-1", revision(step))
    yaml_lines = changed_lines(patch, "dna.yaml")
    csv_lines = changed_lines(patch, "dna.csv")
    assert 1 <= len(yaml_lines) + len(csv_lines) <= 2, patch
    assert not any("text:" in line or "primary:" in line for line in yaml_lines), patch


def test_what_each_step_shows_through_textconv(repo: Path) -> None:
    def shown(step: int) -> list[str]:
        patch = git(repo, "log", "-p", "-1", revision(step))
        return changed_lines(patch, "dna.yaml") + changed_lines(patch, "dna.csv")

    assert shown(0) == ["+2026-10,7,100"]
    assert shown(1) == [
        "-      [send-a-text-reminder] PDSA 2026-09-01 study: missed appointments fell"
        " from 12 to 9",
        "+      [send-a-text-reminder] PDSA 2026-09-01 study: missed appointments fell"
        " from 12 to 8 in the pilot clinic",
    ]
    assert shown(2) == ["-[aim] measure dna target: 6", "+[aim] measure dna target: 5"]
    assert shown(4) == ["+  [transport-is-no-barrier] Primary driver: Transport is no barrier"]
    assert shown(5) == [
        "-notes: Reviewed monthly at the outpatients board",
        "+notes: Reviewed each month at the outpatients board",
    ]


def test_git_diff_of_the_work_tree_sees_a_new_month_and_a_study_edit(repo: Path) -> None:
    diagram = repo / "diagrams" / "dna.yaml"
    csv = repo / "diagrams" / "data" / "dna.csv"
    text, data = diagram.read_text(), csv.read_text()
    try:
        csv.write_text(data + "2026-11,6,100\n")
        diagram.write_text(text.replace("in the pilot clinic", "in both clinics"))
        patch = git(repo, "diff")
        assert changed_lines(patch, "dna.csv") == ["+2026-11,6,100"]
        assert [line[:1] for line in changed_lines(patch, "dna.yaml")] == ["-", "+"]
        assert "in both clinics" in changed_lines(patch, "dna.yaml")[1]
        assert os.environ.get("GIT_EXTERNAL_DIFF") is None
    finally:
        diagram.write_text(text)
        csv.write_text(data)
