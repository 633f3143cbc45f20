"""Golden files: each valid case's exact DOT, each invalid case's exact messages (a
case that is valid but warned about, such as text a comment cut short, has its exact
warnings, as ``validate`` prints them).

Run ``pytest --regen`` to rewrite the goldens from the current code, then read
the diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import driverdiagram as dd

CASES = Path(__file__).parent / "cases"
VALID = sorted((CASES / "valid").glob("*.yaml"))
INVALID = sorted((CASES / "invalid").glob("*.yaml"))


def _golden(path: Path, actual: str, regen: bool) -> None:
    if regen or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not regen:
            pytest.fail(f"{path.name} did not exist and was written; review and commit it")
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", VALID, ids=[case.stem for case in VALID])
def test_valid_case_gives_its_golden_dot(case: Path, regen: bool) -> None:
    diagram = dd.load(case)
    _golden(case.with_suffix(".dot"), dd.to_dot(diagram), regen)


@pytest.mark.parametrize("case", INVALID, ids=[case.stem for case in INVALID])
def test_invalid_case_gives_its_exact_messages(
    case: Path, regen: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(case.parent)
    try:
        problems = dd.load(case.name).warnings
        assert problems, f"{case.name} is valid and has no warning"
    except dd.DiagramError as error:
        problems = error.problems
        assert problems, "an error without problems tells the user nothing"
    for problem in problems:
        assert problem.path == case.name or problem.path.startswith("data/")
        assert problem.line >= 1 and problem.column >= 1, f"{problem} has no location"
    lines = [problem.with_code for problem in problems]
    _golden(case.with_suffix(".err"), "\n".join(lines) + "\n", regen)


def test_every_invalid_kind_of_the_spec_has_a_case() -> None:
    """docs/format.md section 9 (mistakes and their messages), kind by kind: each has a
    case file."""
    kinds = {
        "YAML syntax errors": [
            "syntax-colon",
            "syntax-unclosed-quote",
            "syntax-tab",
            "syntax-tab-in-text",
            "syntax-special-start",
            "text-with-colon",
            "syntax-unclosed-bracket",
            "syntax-unclosed-at-end",
        ],
        "a file that is not UTF-8": ["not-utf8"],
        "a second YAML document": ["second-document"],
        "anchors, aliases and tags": ["anchor", "alias", "tag-python", "alias-bomb"],
        "duplicate mapping keys": ["duplicate-key"],
        "unknown keys": ["unknown-key"],
        "wrong types": ["wrong-type", "primary-not-a-list", "not-a-mapping"],
        "empty text, and text too long to draw": ["empty-text", "text-too-long"],
        "a missing aim or primary": [
            "missing-aim",
            "missing-primary",
            "empty-primary",
            "only-document-start",
            "only-document-end",
        ],
        "children a level may not have": ["child-not-allowed"],
        "duplicate ids": ["duplicate-id", "duplicate-id-aim"],
        "malformed ids": ["malformed-id"],
        "ref to an unknown id, another level, itself, extra keys": [
            "ref-unknown",
            "ref-other-level",
            "ref-self",
            "ref-extra-keys",
            "ref-made-up-id",
        ],
        "a ref in primary": ["ref-in-primary"],
        "the same link written twice": ["duplicate-link"],
        "bad status or strength values (capitals are fine)": [
            "bad-status",
            "bad-strength",
            "value-capitals",
        ],
        "what coaches type: text cut by ' #', curly quotes from Word, a word and a colon,"
        " '-' with no space": [
            "comment-cuts-text",
            "comment-instead-of-text",
            "curly-quotes",
            "curly-quotes-in-list",
            "text-not-a-key",
            "dash-without-space",
            "dash-without-space-list",
        ],
        "measures: no name, bad values, missing data file, bad rows, cycles": [
            "measure-no-name",
            "measure-bad-values",
            "measure-data-missing",
            "measure-data-rows",
            "cycle-bad",
        ],
    }
    names = {case.stem for case in INVALID}
    missing = [name for cases in kinds.values() for name in cases if name not in names]
    assert not missing
