"""In-place edits (driverdiagram.edit): a PDSA cycle, a period of data and a status
added to the examples, the golden cases and random files written in varied styles,
with every other line byte for byte as it was; and the edits refused."""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import driverdiagram as dd
from driverdiagram import edit
from driverdiagram.model import period_date

from .test_properties import HOSTILE, SCALE, diagrams

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "diagrams").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "cases" / "valid").glob("*.yaml")
)


def copied(source: Path, tmp_path: Path) -> Path:
    """``source`` and the data folder beside it, copied into ``tmp_path``."""
    shutil.copy(source, tmp_path / source.name)
    if (source.parent / "data").is_dir():
        shutil.copytree(source.parent / "data", tmp_path / "data")
    return tmp_path / source.name


def changed(before: bytes, after: bytes) -> tuple[list[bytes], list[bytes]]:
    """The lines only ``before`` has and the lines only ``after`` has (line ends kept),
    from difflib: every other line is the same in both, in the same order."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed: list[bytes] = []
    added: list[bytes] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, old, new, autojunk=False
    ).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


def spliced(before: bytes, after: bytes) -> tuple[bytes, bytes]:
    """What ``after`` has in place of ``before``'s one changed stretch: the bytes
    around it are the same."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return before[start : len(before) - end], after[start : len(after) - end]


def status_set(removed: list[bytes], added: list[bytes], status: str) -> bool:
    """Whether the lines changed say only ``status: STATUS``: a new line, the value of
    the line that had one (its quotes kept), or the key added to a flow mapping."""
    value = status.encode()
    if not removed:
        return len(added) == 1 and added[0].strip().startswith(b"status: " + value)
    if len(removed) != 1 or len(added) != 1:
        return False
    if b"status:" in removed[0]:
        pattern = rb"(status:\s*['\"]?)[A-Za-z]+"
        return added[0] == re.sub(pattern, rb"\g<1>" + value, removed[0], count=1)
    return added[0].replace(b", status: " + value, b"", 1) == removed[0]


def next_period(measure: dd.Measure) -> str:
    last = period_date(measure.points[-1].period) if measure.points else dt.date(2026, 1, 1)
    if measure.points and len(measure.points[-1].period) == 10:
        return (last + dt.timedelta(days=1)).isoformat()
    month = last.replace(day=28) + dt.timedelta(days=4)
    return month.strftime("%Y-%m")


@pytest.mark.parametrize("source", EXAMPLES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_example_takes_each_edit_with_only_the_new_lines_changed(
    source: Path, tmp_path: Path
) -> None:
    path = copied(source, tmp_path)
    diagram = dd.load(path)
    ideas = [n for n in diagram.at_level(dd.Level.CHANGE) if not n.generated_id]
    edits = 0
    for node in ideas:
        before = path.read_bytes()
        starts = {cycle.start for cycle in diagram.cycles if cycle.change == node.id}
        start = max(starts, default=dt.date(2026, 9, 1)) + dt.timedelta(days=7)
        measures = [diagram.measures[0].id] if diagram.measures else []
        dd.add_cycle(
            path,
            node.id,
            start.isoformat(),
            objective="Can night staff: use the list?",
            prediction="8 of 10 # reviewed",
            act="adapt",
            measures=measures,
        )
        after = path.read_bytes()
        removed, added = changed(before, after)
        assert all(line.startswith(b" ") for line in added)
        # a block list or mapping grows by new lines; a flow one on the lines it is on
        if removed:
            old, new = spliced(before, after)
            assert (old == b"" and b"pdsa" in new) or b"start" in new, (removed, added)
        assert b"start: " + start.isoformat().encode() in b"".join(added)
        assert [c for c in dd.load(path).cycles if c.change == node.id and c.start == start]
        edits += 1
    for node in ideas:
        before = path.read_bytes()
        status = "abandoned" if node.status != dd.Status.ABANDONED else "idea"
        dd.set_status(path, node.id, status)
        after = path.read_bytes()
        removed, added = changed(before, after)
        assert len(added) == 1 and len(removed) <= 1, (removed, added)
        assert f"status: {status}".encode() in added[0]
        assert status_set(removed, added, status)
        assert next(n for n in dd.load(path).nodes if n.id == node.id).status.value == status
        edits += 1
    for measure in diagram.measures:
        before = path.read_bytes()
        data_file = path.parent / measure.data if measure.data else None
        data_before = data_file.read_bytes() if data_file else b""
        period = next_period(measure)
        ratio = any(point.numerator is not None for point in measure.points)
        if ratio:
            dd.add_point(path, measure.id, period, numerator=3, denominator=40)
        else:
            dd.add_point(path, measure.id, period, 7.5)
        if data_file is not None:
            assert path.read_bytes() == before
            removed, added = changed(data_before, data_file.read_bytes())
            assert removed == [] and len(added) == 1
            assert added[0].startswith(period.encode())
        else:
            removed, added = changed(before, path.read_bytes())
            old, new = spliced(before, path.read_bytes())
            assert old == b"" and period.encode() in new
        again = next(m for m in dd.load(path).measures if m.id == measure.id)
        assert again.points[-1].period == period
        assert again.points[-1].numerator == (3 if ratio else None)
        edits += 1
    assert edits or source.name in ("minimal.yaml", "literal-text.yaml")


def test_a_status_written_in_quotes_keeps_its_quotes(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    text = (
        "aim: Aim  # the aim\n"
        "primary:\n"
        "  - text: P\n"
        "    changes:\n"
        "      - {id: a, text: A, status: 'testing'}   # flow\n"
        "      - id: b\n"
        "        text: B\n"
        '        status: "idea"\n'
    )
    path.write_text(text)
    dd.set_status(path, "a", "adopted")
    dd.set_status(path, "b", "testing")
    assert path.read_text() == text.replace("'testing'", "'adopted'").replace('"idea"', '"testing"')


def test_a_status_goes_after_the_text_when_none_is_written(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        "aim: Aim\nprimary:\n  - text: P\n    changes:\n"
        "      - id: a\n        text: >-\n          A long\n          text\n\n"
        "        notes: n\n      - {id: b, text: B}\n"
    )
    assert dd.set_status(path, "a", "adopted") == f"{path}:9: 'a' is now adopted"
    dd.set_status(path, "b", "abandoned")
    assert path.read_text() == (
        "aim: Aim\nprimary:\n  - text: P\n    changes:\n"
        "      - id: a\n        text: >-\n          A long\n          text\n"
        "        status: adopted\n\n"
        "        notes: n\n      - {id: b, text: B, status: abandoned}\n"
    )


def test_a_cycle_follows_the_list_it_joins_and_the_file_s_indentation(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    text = (
        "aim: Aim\n"
        "primary:\n"
        "    -   text: P     # four spaces, and three after the dash\n"
        "        changes:\n"
        "            -   id: a\n"
        "                text: A\n"
        "            -   id: b\n"
        "                text: B\n"
        "                pdsa:\n"
        "                    - {start: 2026-01-05, act: adapt}\n"
        "\n"
        "# the end\n"
    )
    path.write_text(text)
    dd.add_cycle(path, "a", "2026-02-01", plan="One ward")
    dd.add_cycle(path, "b", "2026-02-01", act="adopt", name="Second: go")
    assert path.read_text() == (
        "aim: Aim\n"
        "primary:\n"
        "    -   text: P     # four spaces, and three after the dash\n"
        "        changes:\n"
        "            -   id: a\n"
        "                text: A\n"
        "                pdsa:\n"
        "                    -   start: 2026-02-01\n"
        "                        plan: One ward\n"
        "            -   id: b\n"
        "                text: B\n"
        "                pdsa:\n"
        "                    - {start: 2026-01-05, act: adapt}\n"
        '                    - {name: "Second: go", start: 2026-02-01, act: adopt}\n'
        "\n"
        "# the end\n"
    )
    assert dd.load(path).nodes[-1].status == dd.Status.ADOPTED


def test_a_new_pdsa_list_is_laid_out_as_the_file_s_other_pdsa_lists(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    text = (
        "aim: Aim\n"
        "primary:\n"
        "    - text: P\n"
        "      changes:\n"
        "          - id: a\n"
        "            text: A\n"
        "            pdsa:\n"
        "            -   start: 2026-01-05\n"
        "          - id: b\n"
        "            text: B\n"
    )
    path.write_text(text)
    dd.add_cycle(path, "b", "2026-02-01", act="adopt")
    assert path.read_text() == text + (
        "            pdsa:\n            -   start: 2026-02-01\n                act: adopt\n"
    )


def test_text_that_yaml_would_misread_is_quoted_and_reads_back_exactly(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        "aim: Aim\nprimary:\n  - text: P\n    changes:\n      - id: a\n        text: A\n"
    )
    texts = [
        "yes",
        "- a list?",
        "key: value",
        "x # y",
        "'quoted'",
        'say "hi"',
        "null",
        "a\\b",
        "[1]",
    ]
    for day, text in enumerate(texts, start=1):
        dd.add_cycle(path, "a", f"2026-03-{day:02d}", objective=text, do=text + " and more")
    cycles = dd.load(path).cycles
    assert [cycle.objective for cycle in cycles] == texts
    assert [cycle.do for cycle in cycles] == [text + " and more" for text in texts]


def test_values_grow_in_time_order_flow_or_block_as_written(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    text = (
        "aim:\n"
        "  text: Aim\n"
        "  measures:\n"
        "    - id: flow\n"
        "      name: Flow\n"
        "      values: {2026-01: 3, 2026-03: 5}   # monthly\n"
        "    - id: block\n"
        "      name: Block\n"
        "      values:\n"
        "        2026-01: 3\n"
        "        # a gap for February\n"
        "        2026-03: 5\n"
        "    - id: none\n"
        "      name: None yet\n"
        "primary:\n"
        "  - P\n"
    )
    path.write_text(text)
    dd.add_point(path, "flow", "2026-02", 4)
    dd.add_point(path, "flow", "2026-04", 6, note="a new month")
    dd.add_point(path, "block", "2026-02", 4.25)
    dd.add_point(path, "block", "2026-04", None, numerator=1, denominator=4)
    dd.add_point(path, "none", "2026-04", 1)
    assert path.read_text() == (
        "aim:\n"
        "  text: Aim\n"
        "  measures:\n"
        "    - id: flow\n"
        "      name: Flow\n"
        "      values: {2026-01: 3, 2026-02: 4, 2026-03: 5, 2026-04: {value: 6, note: a new month}}"
        "   # monthly\n"
        "    - id: block\n"
        "      name: Block\n"
        "      values:\n"
        "        2026-01: 3\n"
        "        # a gap for February\n"
        "        2026-02: 4.25\n"
        "        2026-03: 5\n"
        "        2026-04: {numerator: 1, denominator: 4}\n"
        "    - id: none\n"
        "      name: None yet\n"
        "      values: {2026-04: 1}\n"
        "primary:\n"
        "  - P\n"
    )


def test_a_windows_file_keeps_its_line_ends_byte_order_mark_and_block_scalars(
    tmp_path: Path,
) -> None:
    path = tmp_path / "d.yaml"
    text = (
        "aim:\r\n  text: Aim\r\n  measures:\r\n    - id: m\r\n      name: M\r\n"
        "      values:\r\n        2026-01:\r\n          numerator: 1\r\n"
        "          denominator: 2\r\n"
        "primary:\r\n  - text: P\r\n    changes:\r\n"
        "      - id: a\r\n        text: A\r\n        notes: |+\r\n          kept\r\n\r\n"
        "      - id: b\r\n        text: B\r\n        notes: |\r\n          clipped\r\n\r\n"
        "# the end, with no line end"
    )
    path.write_bytes(codecs.BOM_UTF8 + text.encode())
    dd.add_point(path, "m", "2026-02", numerator=3, denominator=4)
    dd.add_cycle(path, "a", "2026-02-01", study="ok")
    dd.add_cycle(path, "b", "2026-02-01", study="ok")
    assert path.read_bytes() == codecs.BOM_UTF8 + (
        b"aim:\r\n  text: Aim\r\n  measures:\r\n    - id: m\r\n      name: M\r\n"
        b"      values:\r\n        2026-01:\r\n          numerator: 1\r\n"
        b"          denominator: 2\r\n"
        b"        2026-02:\r\n          numerator: 3\r\n          denominator: 4\r\n"
        b"primary:\r\n  - text: P\r\n    changes:\r\n"
        b"      - id: a\r\n        text: A\r\n        notes: |+\r\n          kept\r\n\r\n"
        b"        pdsa:\r\n          - start: 2026-02-01\r\n            study: ok\r\n"
        b"      - id: b\r\n        text: B\r\n        notes: |\r\n          clipped\r\n"
        b"        pdsa:\r\n          - start: 2026-02-01\r\n            study: ok\r\n\r\n"
        b"# the end, with no line end"
    )


def test_a_file_without_a_last_line_end_gets_one_before_the_new_lines(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("aim: Aim\nprimary:\n  - text: P\n    changes:\n      - id: a\n        text: A")
    dd.set_status(path, "a", "testing")
    assert path.read_text() == (
        "aim: Aim\nprimary:\n  - text: P\n    changes:\n      - id: a\n        text: A\n"
        "        status: testing\n"
    )


CSV_DIAGRAM = (
    "aim:\n  text: Aim\n  measures:\n    - id: m\n      name: M\n      data: m.csv\n"
    "primary:\n  - P\n"
)


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8], ids=["plain", "bom"])
def test_a_csv_row_keeps_the_file_s_columns_line_ends_and_byte_order_mark(
    tmp_path: Path, bom: bytes
) -> None:
    (tmp_path / "d.yaml").write_text(CSV_DIAGRAM)
    data = bom + b"Note,Period,Value\r\n,2026-01,3\r\nfirst visit,2026-03,5\r\n"
    (tmp_path / "m.csv").write_bytes(data)
    message = dd.add_point(tmp_path / "d.yaml", "m", "2026-04", 6, note="after, the move")
    assert message == f"{tmp_path / 'm.csv'}:4: added 2026-04 to 'm'"
    dd.add_point(tmp_path / "d.yaml", "m", "2026-02", 4)
    assert (tmp_path / "m.csv").read_bytes() == bom + (
        b"Note,Period,Value\r\n,2026-01,3\r\n,2026-02,4\r\nfirst visit,2026-03,5\r\n"
        b'"after, the move",2026-04,6\r\n'
    )
    assert [p.value for p in dd.load(tmp_path / "d.yaml").measures[0].points] == [3, 4, 5, 6]


def test_a_csv_row_is_added_to_a_file_without_a_last_line_end_and_in_windows_1252(
    tmp_path: Path,
) -> None:
    (tmp_path / "d.yaml").write_text(CSV_DIAGRAM)
    (tmp_path / "m.csv").write_bytes(b"period;numerator;denominator;note\n2026-01;3;40;caf\xe9")
    dd.add_point(tmp_path / "d.yaml", "m", "2026-02", numerator=4, denominator=41, note="déjà")
    assert (tmp_path / "m.csv").read_bytes() == (
        b"period;numerator;denominator;note\n2026-01;3;40;caf\xe9\n2026-02;4;41;d\xe9j\xe0"
    )
    with pytest.raises(dd.DiagramError, match="Windows-1252, which cannot hold"):
        dd.add_point(tmp_path / "d.yaml", "m", "2026-03", numerator=1, denominator=2, note="✓")


def test_a_csv_without_the_columns_asked_for_is_refused(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(CSV_DIAGRAM)
    (tmp_path / "m.csv").write_text("period,value\n2026-01,3\n")
    with pytest.raises(dd.DiagramError) as caught:
        dd.add_point(tmp_path / "d.yaml", "m", "2026-02", numerator=1, denominator=2)
    assert str(caught.value) == (
        f"{tmp_path / 'm.csv'}:1:1: error: this data file has a value column, not numerator and"
        " denominator; give the period's value"
    )
    with pytest.raises(dd.DiagramError, match="has no note column; add ',note' to its header"):
        dd.add_point(tmp_path / "d.yaml", "m", "2026-02", 1, note="x")
    assert (tmp_path / "m.csv").read_text() == "period,value\n2026-01,3\n"


SMALL = (
    "aim:\n"
    "  text: Aim\n"
    "  measures:\n"
    "    - {id: falls, name: Falls, values: {2026-01: 3, 2026-02: 4}}\n"
    "primary:\n"
    "  - text: P\n"
    "    changes:\n"
    "      - id: huddle\n"
    "        text: Huddle\n"
    "        pdsa:\n"
    "          - start: 2026-09-01\n"
    "      - Not named\n"
)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda p: dd.add_cycle(p, "hudle", "2026-10-01"),
            "{p}: error: has no change idea 'hudle' (did you mean 'huddle'?)",
        ),
        (
            lambda p: dd.add_cycle(p, "p1.c2", "2026-10-01"),
            "{p}: error: 'p1.c2' is the place of a change idea without an id; give it an"
            " 'id:' (and 'text:') so cycles and statuses can name it",
        ),
        (
            lambda p: dd.add_cycle(p, "huddle", "2026-09-01"),
            "{p}:11:13: error: 'huddle' already has a PDSA cycle starting 2026-09-01 (cycle 1);"
            " a cycle is added once (to change it, edit it here)",
        ),
        (
            lambda p: dd.add_cycle(p, "huddle", "2026-10-01", measures=["fals"]),
            "{p}: error: has no measure 'fals' (did you mean 'falls'?)",
        ),
        (
            lambda p: dd.add_point(p, "falls", "2026-02", 5),
            "{p}:4:53: error: period 2026-02 of 'falls' is already in the data here; a period"
            " has one value (to change it, edit it here)",
        ),
        (
            lambda p: dd.add_point(p, "fall", "2026-03", 5),
            "{p}: error: has no measure 'fall' (did you mean 'falls'?)",
        ),
        (
            lambda p: dd.add_point(p, "falls", "2026-03-01", 5),
            "{p}:4:65: error: '2026-03-01' is a day but the periods before it are months; use"
            " one kind of period for a measure (after the edit; the file was not changed)",
        ),
    ],
)
def test_refusals_are_located_and_say_how_to_fix_them(
    tmp_path: Path, call: Any, message: str
) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(SMALL)
    with pytest.raises(dd.DiagramError) as caught:
        call(path)
    assert dd.problem_lines(caught.value.problems) == [message.format(p=path)]
    assert path.read_text() == SMALL


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda p: dd.add_cycle(p, "huddle", "2026-13-01"),
            "--start: '2026-13-01' is not a real date",
        ),
        (
            lambda p: dd.add_cycle(p, "huddle", "1/10/2026"),
            "--start: '1/10/2026' is not a date; write it as 2026-09-01",
        ),
        (
            lambda p: dd.add_cycle(p, "huddle", "2026-10-05", end="2026-10-01"),
            "the cycle ends (2026-10-01) before it starts (2026-10-05)",
        ),
        (lambda p: dd.add_cycle(p, "huddle", "2026-10-05", act="adapted"), "--act: 'adapted'"),
        (lambda p: dd.add_point(p, "falls", "2026-13", 1), "'2026-13' is not a real month"),
        (lambda p: dd.add_point(p, "falls", "Nov 2026", 1), "'Nov 2026' is not a period"),
        (lambda p: dd.add_point(p, "falls", "2026-03", 1, numerator=1, denominator=2), "not both"),
        (lambda p: dd.add_point(p, "falls", "2026-03", numerator=1), "give both"),
        (lambda p: dd.set_status(p, "huddle", "adoptd"), "did you mean 'adopted'?"),
        (
            lambda p: dd.add_cycle(p, "huddle", "2026-10-05", objective="caf\udce9"),
            "--objective: the text is not UTF-8",
        ),
    ],
)
def test_a_bad_value_asked_for_is_an_option_error(tmp_path: Path, call: Any, message: str) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(SMALL)
    with pytest.raises(dd.OptionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call(path)
    assert path.read_text() == SMALL


def test_an_invalid_file_is_not_edited(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(SMALL.replace("text: Huddle", "txt: Huddle"))
    with pytest.raises(dd.DiagramError, match="unknown key 'txt'"):
        dd.set_status(path, "huddle", "adopted")


def test_a_file_changed_on_disk_while_it_is_edited_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(SMALL)
    loads = edit.reader.loads

    def meanwhile(*args: Any, **kwargs: Any) -> dd.Diagram:
        found = loads(*args, **kwargs)
        path.write_text(SMALL + "# saved in an editor\n")  # between the read and the write
        return found

    monkeypatch.setattr(edit.reader, "loads", meanwhile)
    with pytest.raises(dd.DiagramError) as caught:
        dd.add_cycle(path, "huddle", "2026-10-01")
    assert str(caught.value) == (
        f"{path}: error: changed on disk while it was being edited (saved in an editor, or by"
        " another command); nothing was written: run the command again"
    )
    assert path.read_text() == SMALL + "# saved in an editor\n"


def test_a_data_file_changed_on_disk_while_it_is_edited_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "d.yaml").write_text(CSV_DIAGRAM)
    (tmp_path / "m.csv").write_text("period,value\n2026-01,3\n")
    loads = edit.reader.loads

    def meanwhile(*args: Any, **kwargs: Any) -> dd.Diagram:
        if kwargs.get("data_bytes"):
            (tmp_path / "m.csv").write_text("period,value\n2026-01,3\n2026-02,9\n")
        return loads(*args, **kwargs)

    monkeypatch.setattr(edit.reader, "loads", meanwhile)
    with pytest.raises(dd.DiagramError, match=r"m\.csv: error: changed on disk while it was"):
        dd.add_point(tmp_path / "d.yaml", "m", "2026-02", 4)
    assert (tmp_path / "m.csv").read_text() == "period,value\n2026-01,3\n2026-02,9\n"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symbolic_link_is_never_edited_through(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text(SMALL)
    (tmp_path / "link.yaml").symlink_to(real)
    with pytest.raises(dd.DiagramError, match="is a symbolic link; driverdiagram does not write"):
        dd.set_status(tmp_path / "link.yaml", "huddle", "adopted")
    (tmp_path / "d.yaml").write_text(CSV_DIAGRAM)
    (tmp_path / "real.csv").write_text("period,value\n2026-01,3\n")
    (tmp_path / "m.csv").symlink_to(tmp_path / "real.csv")
    with pytest.raises(dd.DiagramError, match=r"m\.csv: error: is a symbolic link"):
        dd.add_point(tmp_path / "d.yaml", "m", "2026-02", 4)
    assert real.read_text() == SMALL
    assert (tmp_path / "real.csv").read_text() == "period,value\n2026-01,3\n"
    # a data folder that is a link inside the diagram's folder
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "m.csv").write_text("period,value\n2026-01,3\n")
    (tmp_path / "data").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "e.yaml").write_text(CSV_DIAGRAM.replace("data: m.csv", "data: data/m.csv"))
    with pytest.raises(dd.DiagramError, match=r"data: error: is a symbolic link"):
        dd.add_point(tmp_path / "e.yaml", "m", "2026-02", 4)
    assert (tmp_path / "elsewhere" / "m.csv").read_text() == "period,value\n2026-01,3\n"


# -- random files in varied styles, random edits -------------------------------------------


class _Indented(yaml.SafeDumper):
    """Lists indented under their key (PyYAML's default writes them flush)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


PLAIN_TEXT = HOSTILE.map(lambda text: " ".join(text.split())).filter(bool)


@st.composite
def styled(draw: st.DrawFn) -> str:
    """A random valid diagram with a measure, written as a person might: 2 or 4 spaces,
    lists flush or indented, leaf mappings flow or block, comments here and there."""
    data, _, _ = draw(diagrams())
    months = sorted(draw(st.sets(st.integers(1, 12), max_size=5)))
    aim: dict[str, Any] = {"text": data["aim"]}
    if draw(st.booleans()):
        aim["measures"] = [
            {
                "id": "m",
                "name": draw(PLAIN_TEXT),
                "values": {f"2026-{month:02d}": month * 2 for month in months},
            }
        ]
    data["aim"] = aim
    text = yaml.dump(
        data,
        Dumper=_Indented if draw(st.booleans()) else yaml.SafeDumper,
        allow_unicode=True,
        sort_keys=False,
        width=10**6,
        indent=draw(st.sampled_from([2, 4])),
        default_flow_style=draw(st.sampled_from([False, None])),
    )
    lines = text.splitlines(keepends=True)
    out = []
    for line in lines:
        if draw(st.integers(0, 5)) == 0:
            out.append(" " * (len(line) - len(line.lstrip(" "))) + "# a comment\n")
        if draw(st.integers(0, 6)) == 0:
            out.append("\n")
        stripped = line.rstrip("\n")
        if stripped.lstrip(" -").startswith(("id: ", "status: ")) and draw(st.booleans()):
            line = stripped + "   # note\n"
        out.append(line)
    return "".join(out)


@st.composite
def edits(draw: st.DrawFn, diagram: dd.Diagram) -> tuple[str, dict[str, Any]]:
    ideas = [n.id for n in diagram.at_level(dd.Level.CHANGE) if not n.generated_id]
    kinds = ["point"] if diagram.measures else []
    kinds += ["cycle", "status"] if ideas else []
    if not kinds:
        return "none", {}
    kind = draw(st.sampled_from(kinds))
    if kind == "point":
        taken = {point.period for point in diagram.measures[0].points}
        month = draw(st.sampled_from([m for m in range(1, 13) if f"2026-{m:02d}" not in taken]))
        return kind, {"period": f"2026-{month:02d}", "value": draw(st.integers(0, 99))}
    change = draw(st.sampled_from(ideas))
    if kind == "status":
        return kind, {
            "change": change,
            "status": draw(st.sampled_from(["idea", "testing", "adopted", "abandoned"])),
        }
    fields = {
        key: draw(PLAIN_TEXT)
        for key in draw(st.sets(st.sampled_from(["name", "objective", "do", "study"])))
    }
    if draw(st.booleans()):
        fields["act"] = draw(st.sampled_from(["adopt", "adapt", "abandon"]))
    return kind, {"change": change, "start": "2026-09-01", **fields}


@given(text=styled(), data=st.data())
@settings(
    max_examples=SCALE or 150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_random_files_take_random_edits_with_every_other_line_unchanged(
    text: str, data: st.DataObject, tmp_path: Path
) -> None:
    path = tmp_path / "random.yaml"
    path.write_text(text, encoding="utf-8")
    diagram = dd.load(path)
    kind, asked = data.draw(edits(diagram))
    if kind == "none":
        return
    if kind == "point":
        dd.add_point(path, "m", asked["period"], asked["value"])
    elif kind == "status":
        dd.set_status(path, asked["change"], asked["status"])
    else:
        dd.add_cycle(path, **asked)
    after = path.read_bytes()
    before = text.encode("utf-8")
    removed, added = changed(before, after)
    old, new = spliced(before, after)
    # one stretch of the file changed: text added, or a status's value replaced
    if kind == "status":
        assert status_set(removed, added, asked["status"]) or removed == added == [], (old, new)
    else:
        assert old == b"", (old, new)
        assert len(removed) <= 1  # a flow mapping or list grows on its line
    loaded = dd.load(path)
    if kind == "point":
        assert asked["period"] in [p.period for p in loaded.measures[0].points]
    elif kind == "status":
        assert (
            next(n for n in loaded.nodes if n.id == asked["change"]).status.value == asked["status"]
        )
    else:
        cycles = [c for c in loaded.cycles if c.change == asked["change"]]
        assert cycles[-1].start == dt.date(2026, 9, 1)
        for key in ("name", "objective", "do", "study"):
            assert getattr(cycles[-1], key) == dd.visible(asked.get(key, ""))
