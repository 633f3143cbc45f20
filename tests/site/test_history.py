"""The portal's history from git (issue 15): each diagram page lists the file's commits
with what each changed in words, the programme page what changed since a revision or
a date across the teams, and outside git both pages say so plainly."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.site import history
from tests.site.hostile import HOSTILE
from tests.site.test_build import parsed, scripts_but_the_forms

pytestmark = [
    pytest.mark.graphviz,
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
]

WARD = """\
title: Ward {ward}
aim:
  text: Fewer falls on ward {ward}
  measures:
    - id: falls
      name: Falls
      type: outcome
      direction: down
      data: data/falls-{ward}.csv
primary:
  - text: Patients at risk are known
    changes:
      - id: huddle
        text: A safety huddle at each shift change
        status: {status}
"""


def git(
    repo: Path, *args: str, when: str = "2026-03-01T09:00:00+00:00", who: str = "Coach"
) -> None:
    subprocess.run(
        ["git", "-c", f"user.name={who}", "-c", "user.email=coach@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when},
    )


def write(repo: Path, ward: str, status: str = "idea", months: int = 3) -> None:
    (repo / "data").mkdir(exist_ok=True)
    (repo / f"ward-{ward}.yaml").write_text(WARD.format(ward=ward, status=status))
    (repo / "data" / f"falls-{ward}.csv").write_text(
        "period,value\n" + "".join(f"2026-{m:02d},{9 - m}\n" for m in range(1, months + 1))
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two wards' diagrams, changed commit by commit over three months."""
    repo = tmp_path_factory.mktemp("programme")
    git(repo, "init", "-q", "-b", "main")
    write(repo, "7")
    write(repo, "9")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "Start the programme", when="2026-01-05T09:00:00+00:00")
    git(repo, "tag", "start")
    write(repo, "7", status="testing")
    git(repo, "commit", "-qam", "Ward 7 tests the huddle", when="2026-02-10T09:00:00+00:00")
    write(repo, "7", status="testing", months=4)  # only the data file changes
    git(repo, "commit", "-qam", "April's falls", when="2026-03-20T09:00:00+00:00")
    write(repo, "9", status="adopted")
    git(
        repo,
        "commit",
        "-qam",
        HOSTILE,
        when="2026-04-02T09:00:00+00:00",
        who='Mallory &amp; "co" Jr',  # git drops < and > from names
    )
    return repo


@pytest.fixture(scope="module")
def site(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    built = dd.build_site([str(repo)], out)
    assert built.problems == ()
    return out


def shown(path: Path) -> str:
    return " ".join("".join(parsed(path).text).split())


def test_each_commit_of_a_file_is_listed_with_what_it_changed_in_words(site: Path) -> None:
    page = site / "ward-7" / "index.html"
    text = shown(page)
    entries = page.read_text().split('<li><p class="commit">')[1:]
    assert len(entries) == 3, "the three commits that touched ward 7's files, newest first"
    assert [re.search(r'datetime="([\d-]+)"', e)[1] for e in entries] == [  # type: ignore[index]
        "2026-03-20",
        "2026-02-10",
        "2026-01-05",
    ]
    assert "April's falls" in text and "Coach" in text
    # a commit that changed only the data file is read with its data, in words
    assert "'Falls': 1 new point (2026-04: 5)" in text
    assert "'A safety huddle at each shift change': idea -> testing" in text
    assert "The diagram was added in this commit." in text
    # the card says when the file was last committed
    assert "Last commit 2026-03-20" in shown(site / "index.html")


def test_a_hostile_subject_and_author_are_shown_as_text(site: Path) -> None:
    page = site / "ward-9" / "index.html"
    links = parsed(page)
    assert scripts_but_the_forms(page) == []
    assert HOSTILE in "".join(links.text)
    assert 'Mallory &amp; "co" Jr' in "".join(links.text)


def test_the_programme_page_says_what_changed_since_a_month_before_the_newest_commit(
    site: Path,
) -> None:
    text = shown(site / "index.html")
    # the newest commit is of 2 April: since 2 March, April's falls and ward 9's adoption
    assert "What changed since 2026-03-02 (a month before the newest commit)" in text
    assert "'Falls': 1 new point (2026-04: 5)" in text
    assert "'A safety huddle at each shift change': idea -> adopted" in text
    assert "idea -> testing" not in text  # in February: before the month
    index = (site / "index.html").read_text()
    since = index[index.index('id="since-heading"') :]
    assert '<a href="ward-7/index.html#history-heading">Ward 7</a>' in since
    assert '<a href="ward-9/index.html#history-heading">Ward 9</a>' in since


def test_since_takes_a_revision_or_a_date(repo: Path, tmp_path: Path) -> None:
    dd.build_site([str(repo)], tmp_path / "tag", since="start")
    text = shown(tmp_path / "tag" / "index.html")
    assert "What changed since start" in text
    assert "idea -> testing" in text and "idea -> adopted" in text
    dd.build_site([str(repo)], tmp_path / "date", since="2026-03-21")
    text = shown(tmp_path / "date" / "index.html")
    assert "What changed since 2026-03-21" in text
    assert "idea -> adopted" in text and "new point" not in text
    dd.build_site([str(repo)], tmp_path / "quiet", since="2026-05-01")
    assert "No diagram changed in that time." in shown(tmp_path / "quiet" / "index.html")
    with pytest.raises(dd.DiagramError, match="no revision 'nowhere'"):
        dd.build_site([str(repo)], tmp_path / "bad", since="nowhere")
    with pytest.raises(dd.DiagramError, match="is not a revision"):
        dd.build_site([str(repo)], tmp_path / "bad", since="--output=x")
    with pytest.raises(dd.DiagramError, match="cannot hold control characters"):
        dd.build_site([str(repo)], tmp_path / "bad", since="HEAD\nx")
    with pytest.raises(dd.DiagramError, match="is not a date"):
        dd.build_site([str(repo)], tmp_path / "bad", since="2026-02-30")
    assert not (tmp_path / "bad").exists(), "nothing written before the error"


def test_the_command_takes_since(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["site", str(repo), "-o", str(out), "--since", "start"])
    assert result.exit_code == 0, result.output
    assert "What changed since start" in shown(out / "index.html")
    result = CliRunner().invoke(main, ["site", str(repo), "-o", str(out), "--since", "nowhere"])
    assert result.exit_code == 1
    assert "--since: error: git cannot show it: no revision 'nowhere'" in result.stderr


def test_the_history_is_bounded(
    repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(history, "MOST", 2)
    dd.build_site([str(repo / "ward-7.yaml")], tmp_path / "site")
    page = (tmp_path / "site" / "ward-7" / "index.html").read_text()
    assert page.count('<li><p class="commit">') == 2
    assert "Only the newest 2 commits are shown" in page


def test_outside_git_the_pages_say_so(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    write(folder, "7")
    dd.build_site([str(folder)], tmp_path / "site")
    page = shown(tmp_path / "site" / "ward-7" / "index.html")
    assert (
        "No history: the file is not in a git repository, so there is no history to show." in page
    )
    index = shown(tmp_path / "site" / "index.html")
    assert "Nothing to compare with: these diagrams are not in a git repository" in index


def test_a_file_in_git_with_no_commit_yet_has_no_history(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    write(tmp_path, "7")
    dd.build_site([str(tmp_path / "ward-7.yaml")], tmp_path / "site")
    page = shown(tmp_path / "site" / "ward-7" / "index.html")
    assert "No commit holds this file yet" in page
    assert "no commit holds these diagrams yet" in shown(tmp_path / "site" / "index.html")


def test_the_same_repository_gives_the_same_bytes(repo: Path, site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    dd.build_site([str(repo)], again)
    for page in sorted(site.rglob("*.html")):
        assert (again / page.relative_to(site)).read_bytes() == page.read_bytes(), page
