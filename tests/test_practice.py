"""A coach's own practice: ``focus`` and ``reflections`` on the practice domains (the
primary drivers), read with located errors, checked by lint (DD120, DD121), drawn
(domains in focus prominent, the rest muted but readable, each domain's latest rating
in words, a key), and tabled by the portal and the paper."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import driverdiagram as dd
from driverdiagram.coaching import Settings, lint
from driverdiagram.practice import is_practice, reflection_table, set_aside
from tests.paths import ROOT
from tests.svgcheck import read
from tests.test_style import contrast

PRACTICE = """\
aim: By June 2027, every team I coach reports a PDSA cycle each month
primary:
  - text: Creating buy-in
    focus: true
    reflections:
      - {date: 2026-03-31, rating: room-to-grow, note: Two teams unsure why}
      - date: 2026-09-30
        rating: Strong
    changes:
      - id: meet
        text: Meet each manager before a team starts
        status: testing
  - text: Practising professional self-care
    reflections:
      - {date: 2026-09-30, rating: not-yet}
    changes:
      - id: block
        text: Block an hour a week for planning
        status: testing
"""


def _load(text: str = PRACTICE) -> dd.Diagram:
    return dd.loads(text, "me.yaml")


def test_focus_and_reflections_are_read_in_date_order() -> None:
    buy_in, self_care = _load().at_level(dd.Level.PRIMARY)
    assert buy_in.focus and not self_care.focus
    assert [(r.date, r.rating.value, r.note) for r in buy_in.reflections] == [
        (dt.date(2026, 3, 31), "room-to-grow", "Two teams unsure why"),
        (dt.date(2026, 9, 30), "strong", ""),
    ]
    assert buy_in.latest is not None and buy_in.latest.rating.words == "strong"
    assert self_care.latest is not None and self_care.latest.rating.words == "not yet"


@pytest.mark.parametrize(
    ("old", "new", "where", "words"),
    [
        ("rating: Strong", "rating: stronger", (8, 17), "unknown rating 'stronger' (did you mean"),
        ("date: 2026-09-30\n", "date: 30/09/2026\n", (7, 15), "'date' should be a date written as"),
        (
            "        rating: Strong\n",
            "",
            (7, 9),
            "this reflection has no 'rating'; add 'rating: strong'",
        ),
        ("focus: true", "focus: maybe", (4, 12), "'focus' should be true"),
        ("date: 2026-09-30\n", "date: 2026-03-31\n", (7, 9), "a second reflection on 2026-03-31"),
        ("  - text: Practising", "  - text: x\n    changes: [y]\n  - text: Practising", None, ""),
    ],
)
def test_bad_practice_keys_are_located(
    old: str, new: str, where: tuple[int, int] | None, words: str
) -> None:
    text = PRACTICE.replace(old, new, 1)
    if where is None:  # a control: the edit keeps the file valid
        _load(text)
        return
    with pytest.raises(dd.InvalidDiagram) as raised:
        _load(text)
    (problem,) = raised.value.problems
    assert (problem.location.line, problem.location.column) == where
    assert words in problem.message


def test_focus_belongs_to_primary_drivers_only() -> None:
    text = PRACTICE.replace(
        "        text: Meet each manager before a team starts\n",
        "        text: Meet each manager before a team starts\n        focus: true\n",
    )
    with pytest.raises(dd.InvalidDiagram) as raised:
        _load(text)
    assert raised.value.problems[0].message == (
        "'focus' is only for primary drivers (a coach's practice domains), not a change idea"
    )


def _codes(text: str, today: dt.date) -> list[tuple[str, int]]:
    found = lint(_load(text), Settings(today=today), text)
    return [(p.code, p.line) for p in found if p.code in ("DD112", "DD113", "DD120", "DD121")]


def test_lint_wants_one_or_two_domains_in_focus_and_a_recent_reflection() -> None:
    assert _codes(PRACTICE, dt.date(2026, 12, 1)) == []
    assert _codes(PRACTICE, dt.date(2026, 12, 30)) == [("DD121", 2)]  # 91 days on
    unfocused = PRACTICE.replace("    focus: true\n", "")
    assert _codes(unfocused, dt.date(2026, 12, 1)) == [("DD120", 2)]
    three = (
        PRACTICE.replace("    focus: true\n", "    focus: yes\n").replace(
            "    reflections:\n      - {date: 2026-09-30, rating: not-yet}\n",
            "    focus: true\n",
        )
        + "  - text: Deepening relationships\n    focus: true\n    changes: [Ask]\n"
    )
    found = lint(_load(three), Settings(today=dt.date(2026, 12, 1)), three)
    (too_many,) = [p for p in found if p.code == "DD120"]
    assert too_many.line == 19 and "3 practice domains are in focus" in too_many.message


def test_a_diagram_that_is_no_coach_practice_is_left_alone() -> None:
    team = (
        "aim: Halve falls by June 2027\nprimary:\n  - text: Safer nights\n    changes: [Lights]\n"
    )
    assert not is_practice(_load(team))
    assert _codes(team, dt.date(2026, 12, 1)) == []
    template = (ROOT / "templates" / "coach-practice.yaml").read_text(encoding="utf-8")
    assert is_practice(dd.loads(template, "t.yaml"))  # the six domains, no reflection yet


def test_the_domains_set_aside_are_not_nagged_about_measures_and_cycles() -> None:
    measured = PRACTICE.replace(
        "  - text: Creating buy-in\n",
        "  - text: Creating buy-in\n    measures:\n      - name: Managers met\n"
        "        values: {2026-10: 2}\n",
    )
    diagram = _load(measured)
    assert set_aside(diagram) == {"p2", "block"}
    # the domain set aside is not asked for a process measure (DD112); without a
    # domain in focus, nothing is set aside and every domain is
    assert _codes(measured, dt.date(2026, 12, 1)) == []
    unfocused = measured.replace("    focus: true\n", "")
    assert set_aside(_load(unfocused)) == set()
    assert _codes(unfocused, dt.date(2026, 12, 1)) == [("DD120", 2), ("DD112", 15)]


@pytest.mark.graphviz
def test_the_drawing_shows_focus_muted_domains_and_latest_ratings(tmp_path: Path) -> None:
    svg = dd.render(_load(), "svg")
    text = svg.decode("utf-8").replace("&#45;", "-")
    drawing = read(svg)
    assert "IN FOCUS" in drawing.boxes["p1"].text
    assert "latest reflection: strong (2026-09-30)" in drawing.boxes["p1"].text
    assert "latest reflection: not yet (2026-09-30)" in drawing.boxes["p2"].text
    assert "IN FOCUS" not in drawing.boxes["p2"].text
    assert re.search(r'id="dd-p1" class="node dd-box dd-primary[^"]* dd-focus', text)
    for muted in ("p2", "block"):
        assert re.search(rf'id="dd-{muted}" class="node[^"]* dd-aside', text), muted
    assert not re.search(r'id="dd-(p1|meet)" class="node[^"]* dd-aside', text)
    # the key explains both looks
    assert "a domain I am working on now" in text and "set aside for now" in text


def test_muted_text_is_still_readable_in_every_theme() -> None:
    for name in dd.themes():
        theme = dd.theme(name)
        assert contrast(theme.muted_text, theme.background) >= 4.5, name


def test_the_table_of_reflections_for_the_portal_and_the_paper(tmp_path: Path) -> None:
    dates, rows = reflection_table(_load())
    assert dates == [dt.date(2026, 3, 31), dt.date(2026, 9, 30)]
    assert [(row.domain.id, [r.words if r else None for r in row.ratings]) for row in rows] == [
        ("p1", ["room to grow", "strong"]),
        ("p2", [None, "not yet"]),
    ]
    (tmp_path / "me.yaml").write_text(PRACTICE, encoding="utf-8")
    dd.paper(dd.load(tmp_path / "me.yaml"), tmp_path / "me.md")
    paper = (tmp_path / "me.md").read_text(encoding="utf-8")
    assert "## Reflections on my practice\n\n| Domain | 2026-03-31 | 2026-09-30 |" in paper
    assert "| Creating buy-in (in focus) | room to grow | strong |" in paper
    assert "| Practising professional self-care |  | not yet |" in paper


@pytest.mark.graphviz
def test_the_portal_page_has_the_table(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "me.yaml").write_text(PRACTICE, encoding="utf-8")
    dd.build_site([str(folder)], tmp_path / "site")
    page = (tmp_path / "site" / "me" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="practice-heading">Reflections on my practice</h2>' in page
    assert (
        '<th scope="row">Creating buy-in (in focus)</th><td>room to grow</td><td>strong</td>'
        in page
    )


def test_the_example_uses_it_all() -> None:
    example = dd.load(ROOT / "diagrams" / "qi-coach-practice.yaml")
    domains = example.at_level(dd.Level.PRIMARY)
    assert len(domains) == 6 and sum(node.focus for node in domains) == 2
    assert all(len(node.reflections) >= 4 for node in domains)  # a year, quarterly
    for node in domains:
        if node.focus:
            assert example.measures_of(node.id) and node.notes.startswith("Short-term aim")
    tested = {cycle.change for cycle in example.cycles}
    assert len(tested) >= 2


def test_a_rating_is_named_as_a_coach_writes_or_types_it() -> None:
    """One reading of a rating for the file, the API and the prompt (Rating.named):
    any case, words joined by spaces, hyphens or underscores; at a prompt or in an
    edit, the first letter too."""
    named = dd.Rating.named
    assert named("Room to grow") is named("room_to_grow") is named(" ROOM-TO-GROW ")
    assert named("room to grow") is dd.Rating.ROOM_TO_GROW
    assert named("Not yet") is dd.Rating.NOT_YET and named("strong") is dd.Rating.STRONG
    assert [named(text) for text in ("s", "r", "room", "n", "x", "")] == [None] * 6
    assert [named(text, short=True) for text in ("s", "R", "room", "n", "x", "")] == [
        dd.Rating.STRONG,
        dd.Rating.ROOM_TO_GROW,
        dd.Rating.ROOM_TO_GROW,
        dd.Rating.NOT_YET,
        None,
        None,
    ]
