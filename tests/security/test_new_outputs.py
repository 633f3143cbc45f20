"""Holes found by attacking this session's outputs (control-chart counts, slides, the
portal, phases), each closed at its edge: a located error, never a traceback or a
diagram from outside the folder, and near-linear work."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main

BASE = """\
aim:
  text: Fewer harms
  measures:
    - id: m
      name: Harms
      chart: {chart}
      values: {{2025-01: {first}, 2025-02: {{numerator: 1, denominator: 2}},
                2025-03: {{numerator: 1, denominator: 3}}}}
primary: [A driver]
"""


@pytest.mark.parametrize(
    ("chart", "first", "words"),
    [
        ("p", "{numerator: 10, denominator: 5}", "is larger than the denominator"),
        ("u", "{numerator: -100, denominator: 1}", "cannot be negative"),
        ("p", "{numerator: 1, denominator: -5}", "cannot be negative"),
    ],
)
def test_impossible_counts_are_located_errors_not_tracebacks(
    chart: str, first: str, words: str
) -> None:
    with pytest.raises(dd.DiagramError) as raised:
        dd.loads(BASE.format(chart=chart, first=first), "d.yaml")
    [problem] = raised.value.problems
    assert problem.location.line == 7 and words in problem.message


def test_negative_counts_in_a_data_file_are_located(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("period,numerator,denominator\n2025-01,-3,5\n", "utf-8")
    (tmp_path / "d.yaml").write_text(
        "aim:\n  text: a\n  measures:\n    - name: m\n      chart: u\n      data: c.csv\n"
        "primary: [b]\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "d.yaml")])
    assert result.exit_code == 1 and "c.csv:2:9: error: a count cannot be negative" in result.output


def test_a_slide_whose_text_would_be_under_1_pt_is_still_written() -> None:
    ideas = "\n".join(f"          - Idea {i}" for i in range(260))
    text = (
        "aim: a\nprimary:\n  - text: p\n    secondary:\n      - text: s\n"
        f"        changes:\n{ideas}\n"
    )
    deck = dd.deck(dd.loads(text))
    assert deck.data[:2] == b"PK" and any("below 8 pt" in note for note in deck.notes)


def test_the_portal_passes_over_a_link_to_a_diagram_outside_the_folder(tmp_path: Path) -> None:
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "private.yaml").write_text("aim: SECRET aim\nprimary: [x]\n", "utf-8")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "ours.yaml").write_text("aim: Our aim\nprimary: [y]\n", "utf-8")
    os.symlink("../secret/private.yaml", tmp_path / "shared" / "team.yaml")
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["site", str(tmp_path / "shared"), "-o", str(out)])
    assert result.exit_code == 1 and "a link to a file outside the folder" in result.output
    pages = [p.read_text("utf-8") for p in out.rglob("*.html")]
    assert pages and not any("SECRET" in page for page in pages)
    assert any("Our aim" in page for page in pages)


def test_thousands_of_phases_are_read_in_near_linear_time() -> None:
    """2,500 points in 1,250 phases took 3.2 s to validate (one pass over the points per
    phase); each phase now looks at its own points (benchmark numbers in the closing
    note; this checks the answer, not the time)."""
    values = ", ".join(f"{2000 + i // 12}-{i % 12 + 1:02d}: {i % 7}" for i in range(600))
    phases = ", ".join(f"{{from: {2000 + i // 12}-{i % 12 + 1:02d}}}" for i in range(2, 600, 2))
    diagram = dd.loads(
        f"aim:\n  text: a\n  measures:\n    - id: m\n      name: m\n      chart: xmr\n"
        f"      phases: [{phases}]\n      values: {{{values}}}\nprimary: [b]\n"
    )
    analysis = dd.analyse_control(
        list(diagram.measure("m").values), "xmr", phases=list(range(2, 600, 2))
    )
    assert len(diagram.measure("m").phases) == 299 and len(analysis.phases) == 300


def test_a_site_build_stopped_part_way_does_not_lock_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "programme"
    folder.mkdir()
    (folder / "team.yaml").write_text("aim: Our aim\nprimary: [A driver]\n", "utf-8")
    out = tmp_path / "site"
    stopped = CliRunner().invoke(
        main, ["--dot-timeout", "0.0001", "site", str(folder), "-o", str(out)]
    )
    assert stopped.exit_code == 1 and "Graphviz took longer" in stopped.output
    # nothing half built is left: not a page, not the stage it was built in
    assert not out.exists() or list(out.iterdir()) == []
    again = CliRunner().invoke(main, ["site", str(folder), "-o", str(out)])
    assert again.exit_code == 0, again.output
    assert "Our aim" in (out / "index.html").read_text("utf-8")
