"""diff on big or hostile versions (issue 11): matching by similar text stays the
documented all-pairs rule where a level is small, stays near-linear where it is large
(each box compared with its likely partners, a work budget over all), and always gives
the same answer for the same files. Speed itself is measured in benchmarks/bounded.py.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import driverdiagram as dd
from driverdiagram import diff as differ
from driverdiagram.diff import compare, match
from driverdiagram.model import Diagram, Level

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bounded import reworded  # noqa: E402
from run import diagram_text  # noqa: E402


def all_pairs(old: Diagram, new: Diagram) -> dict[str, str]:
    """The matching as it was first written: every pair of boxes compared."""
    pairs: dict[str, str] = {old.aim.id: new.aim.id}
    new_ids = {node.id for node in new.nodes if not node.generated_id}
    for node in old.nodes:
        if not node.generated_id and node.id in new_ids and node.level != Level.AIM:
            pairs[node.id] = node.id
    taken = set(pairs.values())
    words = differ._words
    by_text: dict[tuple[Level, str], list[dd.Node]] = {}
    for node in new.nodes:
        if node.id not in taken:
            by_text.setdefault((node.level, words(node.text)), []).append(node)
    for node in old.nodes:
        found = by_text.get((node.level, words(node.text)))
        if node.id not in pairs and found:
            pairs[node.id] = found.pop(0).id
            taken.add(pairs[node.id])
    olds = [node for node in old.nodes if node.id not in pairs]
    news = [node for node in new.nodes if node.id not in taken]
    scored = []
    for i, a in enumerate(olds):
        for j, b in enumerate(news):
            if a.level == b.level:
                ratio = difflib.SequenceMatcher(None, words(a.text), words(b.text)).ratio()
                if ratio >= differ.SIMILAR:
                    scored.append((-ratio, i, j, a, b))
    for _, _, _, a, b in sorted(scored, key=lambda item: item[:3]):
        if a.id not in pairs and b.id not in taken:
            pairs[a.id] = b.id
            taken.add(b.id)
    return pairs


WORDS = ["risk", "falls", "staff", "ward", "daily", "huddle", "check", "family", "safe", "a"]
TEXT = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)


def diagram_of(primaries: list[tuple[str, list[str]]]) -> Diagram:
    lines = ["aim: Halve falls by 2027", "primary:"]
    for text, ideas in primaries:
        lines.append(f"  - text: {json.dumps(text)}")
        if ideas:
            lines.append("    changes: [" + ", ".join(json.dumps(idea) for idea in ideas) + "]")
    return dd.loads("\n".join(lines) + "\n")


SIDE = st.lists(st.tuples(TEXT, st.lists(TEXT, max_size=4)), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(SIDE, SIDE)
def test_small_levels_are_matched_exactly_as_every_pair_is(
    old: list[tuple[str, list[str]]], new: list[tuple[str, list[str]]]
) -> None:
    before, after = diagram_of(old), diagram_of(new)
    assert match(before, after) == all_pairs(before, after)


def test_a_large_level_is_matched_through_likely_partners() -> None:
    old = dd.loads(diagram_text(1_000))
    new = dd.loads(reworded(diagram_text(1_000)))
    changes = [change.kind for change in compare(old, new)]
    # every box but the aim is reworded, and found again: none added or removed
    assert changes.count("reworded") == len(old.nodes) - 1
    assert "added" not in changes and "removed" not in changes
    ideas = len(old.at_level(Level.CHANGE))
    assert ideas * ideas > differ.EVERY_PAIR  # so the partners were used, not every pair


def test_past_the_budget_boxes_are_added_and_removed(monkeypatch: pytest.MonkeyPatch) -> None:
    old = dd.loads(diagram_text(300))
    new = dd.loads(reworded(diagram_text(300)))
    full = match(old, new)
    monkeypatch.setattr(differ, "BUDGET", 20_000)
    cut = match(old, new)
    assert len(cut) < len(full)
    assert cut.items() <= full.items()  # what is still matched is matched the same way
    assert match(old, new) == cut  # the same answer every time
    kinds = [change.kind for change in compare(old, new)]
    assert kinds.count("added") == kinds.count("removed") == len(full) - len(cut)


def test_the_same_files_give_the_same_diff_whatever_the_hash_seed(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(diagram_text(2_000))
    # every box reworded, and some words shared by all: partners and ties are exercised
    new.write_text(reworded(diagram_text(2_000)).replace("Change idea", "Change"))
    outputs = set()
    for seed in ("0", "1", "12345"):
        run = subprocess.run(
            [sys.executable, "-m", "driverdiagram", "diff", "--format", "json", str(old), str(new)],
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=600,
        )
        assert run.returncode == 1, run.stderr
        outputs.add(run.stdout)
    assert len(outputs) == 1


def test_boxes_whose_words_are_all_common_are_compared_with_their_neighbours() -> None:
    # 256 ideas in two words: every word, pair and triple of words is in dozens of boxes
    ideas = [" ".join("risk" if n >> bit & 1 else "falls" for bit in range(8)) for n in range(256)]
    old = diagram_of([("Risk is known", ideas)])
    new = diagram_of([("Risk is known", [idea + " ward" for idea in ideas])])
    assert len(ideas) ** 2 > differ.EVERY_PAIR
    pairs = match(old, new)
    assert pairs == {node.id: node.id for node in old.nodes}
