"""`driverdiagram reflect`: the coach's reflection on each practice domain and the one
or two chosen to work on, written into the file in place (every other line as it was),
asked at a real terminal (a pseudo-terminal) or given as options."""

from __future__ import annotations

import difflib
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main

#: A practice diagram written as a coach writes: comments, blank lines, odd quoting, a
#: flow list, a domain in focus, a folded note.
WRITTEN = """\
# My practice, reviewed each quarter with my supervisor.
aim: "By June 2027, every team I coach reports a PDSA cycle each month"

primary:
  - text: Shifting your mindset   # curiosity first
    reflections: [{date: 2026-08-28, rating: strong}]
    changes: ['Ask three open questions before any suggestion']

  - id: buy-in
    text: 'Creating buy-in'
    focus: true     # since August
    notes: >-
      Two managers still unsure why
      we do this.
    changes:
      - Meet each manager before a team starts   # adopted in spirit

  - text: Practising professional self-care
    changes:
      - Block an hour a week for planning
"""


#: The one line of WRITTEN an added reflection rewrites: its flow list grows in place.
FLOW_LIST = "    reflections: [{date: 2026-08-28, rating: strong}]"


def _only_added(before: str, after: str) -> list[str]:
    """The lines that are new in ``after``; fails if any line of ``before`` changed,
    but for the flow list of reflections growing inside its brackets."""
    added = []
    old, new = before.splitlines(), after.splitlines()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, old, new, autojunk=False
    ).get_opcodes():
        if tag == "replace":
            assert old[i1:i2] == [FLOW_LIST] and j2 - j1 == 1, (old[i1:i2], new[j1:j2])
            assert new[j1].startswith(FLOW_LIST[:-1] + ", {date: 2026-12-02"), new[j1]
            continue
        assert tag in ("equal", "insert"), (tag, old[i1:i2])
        if tag == "insert":
            added += new[j1:j2]
    return added


def test_the_answers_are_added_and_every_other_byte_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text(WRITTEN, encoding="utf-8")
    edits = dd.reflect(
        path,
        {"1": "strong", "buy-in": "room to grow", "self-care": "not-yet"},
        notes={"buy-in": "Managers came to the October meeting"},
        focus=["buy-in", "3"],
        date="2026-12-02",
    )
    after = path.read_text(encoding="utf-8")
    assert sorted(_only_added(WRITTEN, after)) == sorted(
        [
            "    focus: true",
            "    reflections:",
            "      - {date: 2026-12-02, rating: not-yet}",
            "    reflections:",
            "      - {date: 2026-12-02, rating: room-to-grow, note: Managers came to the October"
            " meeting}",
        ]
    )
    # the flow list of the first domain grew inside its brackets, on its own line
    assert (
        "    reflections: [{date: 2026-08-28, rating: strong}, {date: 2026-12-02, rating: strong}]"
        in after.splitlines()
    )
    diagram = dd.load(path)
    mindset, buy_in, self_care = diagram.at_level(dd.Level.PRIMARY)
    assert [r.rating.value for r in mindset.reflections] == ["strong", "strong"]
    assert (
        buy_in.latest is not None and buy_in.latest.note == "Managers came to the October meeting"
    )
    assert buy_in.focus and self_care.focus and not mindset.focus
    assert len(edits.notes()) == 4 and edits.notes()[0].startswith(f"{path}:")


def test_a_domain_taken_out_of_focus_keeps_its_line(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text(WRITTEN, encoding="utf-8")
    dd.reflect(path, {}, focus=["Practising professional self-care"], date="2026-12-02")
    after = path.read_text(encoding="utf-8").splitlines()
    before = WRITTEN.splitlines()
    changed = [(b, a) for b, a in zip(before, after, strict=False) if b != a]
    assert changed[0] == (
        "    focus: true     # since August",
        "    focus: false     # since August",
    )
    assert "    focus: true" in after  # the new domain in focus
    assert len(after) == len(before) + 1


def test_a_second_reflection_the_same_day_is_passed_over(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text(WRITTEN, encoding="utf-8")
    edits = dd.reflect(path, {"1": "room-to-grow"}, date="2026-08-28")
    assert not edits.changed
    assert path.read_text(encoding="utf-8") == WRITTEN
    assert edits.notes() == [
        f"{path}:6: 'Shifting your mindset' has a reflection on 2026-08-28 already, skipped"
        " (to change it, edit it here)"
    ]


@pytest.mark.parametrize(
    ("ratings", "focus", "words"),
    [
        (
            {"7": "strong"},
            None,
            "has no practice domain '7'; name one by its number, id or words: 1 Shifting",
        ),
        ({"1": "stronger"}, None, "'stronger' is not a rating (did you mean 'strong'?)"),
        ({}, ["mindfulness"], "has no practice domain 'mindfulness'"),
    ],
)
def test_a_wrong_answer_is_refused_and_nothing_written(
    tmp_path: Path, ratings: dict[str, str], focus: list[str] | None, words: str
) -> None:
    path = tmp_path / "me.yaml"
    path.write_text(WRITTEN, encoding="utf-8")
    with pytest.raises(dd.OptionError) as raised:
        dd.reflect(path, ratings, focus=focus, date="2026-12-02")
    assert words in str(raised.value)
    assert path.read_text(encoding="utf-8") == WRITTEN


def test_the_command_takes_its_answers_as_options_and_shows_a_dry_run(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text(WRITTEN, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "reflect",
            str(path),
            "--non-interactive",
            "--rate",
            "3=r",
            "--date",
            "2026-12-02",
            "--dry-run",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "+    reflections:\n+      - {date: 2026-12-02, rating: room-to-grow}\n" in result.output
    assert result.output.endswith("(a dry run: nothing was written)\n")
    assert path.read_text(encoding="utf-8") == WRITTEN
    bare = CliRunner().invoke(main, ["reflect", str(path), "--non-interactive"])
    assert bare.exit_code == 2 and "give the answers with --rate" in bare.output


def _program() -> str:
    found = Path(sys.executable).parent / "driverdiagram"
    return str(found) if found.exists() else ""


@pytest.mark.skipif(not _program(), reason="needs the console script")
@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX pseudo-terminal")
def test_reflect_asks_at_a_real_terminal_and_writes_the_answers(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text(WRITTEN, encoding="utf-8")
    leader, follower = os.openpty()
    env = {**os.environ, "COLUMNS": "120", "TERM": "dumb"}
    child = subprocess.Popen(
        [_program(), "reflect", str(path), "--date", "2026-12-02"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    seen = b""
    cursor = 0  # what the test has read up to: a prompt asked again is found afresh

    def until(text: bytes) -> None:
        nonlocal seen, cursor
        deadline = time.monotonic() + 60
        while text not in seen[cursor:]:
            assert time.monotonic() < deadline, seen.decode("utf-8", "replace")
            ready, _, _ = select.select([leader], [], [], 1)
            if ready:
                try:
                    seen += os.read(leader, 4096)
                except OSError:  # the terminal closed: the program ended
                    break
        assert text in seen[cursor:], seen.decode("utf-8", "replace")
        cursor = seen.index(text, cursor) + len(text)

    def answer(prompt: bytes, text: str) -> None:
        until(prompt)
        os.write(leader, text.encode("utf-8") + b"\r")

    until(b"1 of 3. Shifting your mindset (last time, 2026-08-28: strong)")
    answer(b"Enter to pass over: ", "x")  # not a rating: asked again
    until(b"Type s, r or n")
    answer(b"Enter to pass over: ", "s")
    answer(b"Enter for none): ", "Still curious first")
    until(b"2 of 3. Creating buy-in [in focus]")
    answer(b"Enter to pass over: ", "r")
    answer(b"Enter for none): ", "")
    until(b"3 of 3. Practising professional self-care")
    answer(b"Enter to pass over: ", "")  # passed over
    until(b"Which one or two domains will you work on now?")
    answer(b"(now 2; Enter to keep as it is): ", "1 2 3")
    until(b"choose at most two")
    answer(b"(now 2; Enter to keep as it is): ", "2, 3")
    until(b"is now in focus")
    assert child.wait(timeout=60) == 0, seen.decode("utf-8", "replace")
    os.close(leader)
    after = path.read_text(encoding="utf-8")
    assert sorted(_only_added(WRITTEN, after)) == sorted(
        [
            "    reflections:",
            "      - {date: 2026-12-02, rating: room-to-grow}",
            "    focus: true",
        ]
    )
    assert "'Creating buy-in': room to grow on 2026-12-02" in seen.decode()
    assert (
        "    reflections: [{date: 2026-08-28, rating: strong}, {date: 2026-12-02, rating:"
        " strong, note: Still curious first}]" in after.splitlines()
    )
