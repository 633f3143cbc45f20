"""Two versions of a diagram (diff.py): every kind of edit named, nothing else, and
the picture of the changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.diff import compare, match, picture
from driverdiagram.draw.dot import to_dot
from tests.samples import measured

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


def test_diff_tells_what_changed_in_measures_and_cycles(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text(
        measured(
            aim_measures="    - id: falls\n      name: Falls\n      direction: down\n"
            "      baseline: 6\n      values: {2026-01: 8, 2026-02: 9, 2026-03: 7, 2026-04: 8,"
            " 2026-05: 9, 2026-06: 7, 2026-07: 5}",
            change_extra="        pdsa:\n          - {start: 2026-06-01, prediction: fewer}",
        )
    )
    new.write_text(
        measured(
            aim_measures="    - id: falls\n      name: Falls\n      direction: down\n"
            "      baseline: 6\n      values: {2026-01: 8, 2026-02: 9, 2026-03: 7, 2026-04: 8,"
            " 2026-05: 9, 2026-06: 6, 2026-07: 5, 2026-08: 4, 2026-09: 5, 2026-10: 4,"
            " 2026-11: 3, 2026-12: 4}\n    - name: Restraint use\n      type: balancing",
            change_extra="        pdsa:\n          - {start: 2026-06-01, prediction: fewer,"
            " act: adapt}\n          - {start: 2026-08-01, prediction: fewer still}",
        )
    )
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    lines = result.stdout.splitlines()
    assert (
        "added balancing measure 'Restraint use' on 'Reduce falls from 8 to 4 per 1,000"
        " bed days by June 2027'" in result.stdout
    )
    assert (
        "'Falls': 5 new points (2026-08 to 2026-12); 1 changed (2026-06: 7 -> 6)" in result.stdout
    )
    assert "'Falls': too few points to judge -> signal of improvement" in result.stdout
    assert any(
        line.endswith(
            "PDSA cycle 2 of 'Review high-risk patients at the daily huddle' (2026-08-01)"
        )
        for line in lines
    )
    assert "PDSA cycle 1 of 'Review high-risk patients at the daily huddle': decided to adapt" in (
        result.stdout
    )


RECORDS = """\
notes: {diagram_note}
aim:
  text: Halve falls by June 2027
  notes: {aim_note}
  measures:
    - id: falls
      name: Falls
      direction: down
      unit: per 1,000 bed days
      target: {target}
      values: {{{values}}}
primary:
  - id: risk
    text: Risk is known
    notes: {box_note}
    changes:
      - id: huddle-review
        text: Huddle review
        status: {status}
        pdsa:
          - start: 2026-06-01
            prediction: {prediction}
            act: {act}
  - text: Rooms are safe
    changes:
      - ref: huddle-review
        strength: {strength}
"""

BEFORE = dict(
    diagram_note="Board in May",
    aim_note="From the safety plan",
    target=4,
    values="2026-01: 8, 2026-02: 9, 2026-03: 7",
    box_note="",
    status="testing",
    prediction="fewer falls",
    act="adapt",
    strength="strong",
)


def records(**changed: object) -> dd.Diagram:
    return dd.loads(RECORDS.format(**{**BEFORE, **changed}))


def test_every_change_a_team_discusses_is_reported_in_words() -> None:
    old = records()
    new = records(
        diagram_note="Board in June",
        aim_note="From the 2026 safety plan",
        target=3,
        values="2026-01: 8, 2026-03: 6, 2026-04: 5",
        box_note="Ask pharmacy",
        status="adopted",
        prediction="a third fewer falls",
        act="adopt",
        strength="weak",
    )
    summaries = [change.text for change in compare(old, new)]
    assert summaries == [
        "link 'Rooms are safe' -> 'Huddle review': strong -> weak",
        "'Huddle review': testing -> adopted",
        "notes on the diagram: 'Board in May' -> 'Board in June'",
        "notes on the aim: 'From the safety plan' -> 'From the 2026 safety plan'",
        "notes on 'Risk is known': (none) -> 'Ask pharmacy'",
        "'Falls': target 4 -> 3",
        "'Falls': 1 new point (2026-04: 5); 1 changed (2026-03: 7 -> 6); 1 removed (2026-02: 9)",
        "PDSA cycle 1 of 'Huddle review': prediction 'fewer falls' -> 'a third fewer falls'",
        "PDSA cycle 1 of 'Huddle review': act 'adapt' -> 'adopt'",
    ]
    assert compare(old, records()) == []


def test_a_cycle_whose_date_was_corrected_is_the_same_cycle() -> None:
    old = records()
    new = dd.loads(RECORDS.format(**BEFORE).replace("2026-06-01", "2026-06-03"))
    assert [change.text for change in compare(old, new)] == [
        "PDSA cycle 1 of 'Huddle review': start '2026-06-01' -> '2026-06-03'"
    ]


def test_changes_to_records_are_the_same_in_json_and_markdown() -> None:
    old, new = records(), records(box_note="Ask pharmacy", target=3)
    changes = compare(old, new)
    data = dd.describe_changes(changes, "a", "b", "json")
    assert '"field": "target"' in data and '"old": 4.0' in data and '"new": 3.0' in data
    markdown = dd.describe_changes(changes, "a", "b", "markdown")
    assert "- notes on 'Risk is known'\\: (none) -\\> 'Ask pharmacy'" in markdown


def test_the_picture_marks_a_box_whose_records_changed() -> None:
    old, new = records(), records(box_note="Ask pharmacy", prediction="fewer")
    drawing, marks, link_marks = picture(old, new)
    assert (marks, link_marks) == ({"risk": "updated", "huddle-review": "updated"}, {})
    dot = to_dot(drawing, marks=marks, link_marks=link_marks)
    assert dot.count(">UPDATED<") == 3  # the two boxes, and the key
    assert "its notes, measures or PDSA cycles changed" in dot


CONTROL = """\
aim:
  text: Halve falls by June 2027
  measures:
    - id: falls
      name: Falls
      short: {short}
      chart: {chart}
      rules: {rules}
      baseline: {baseline}
      exclude: [{exclude}]
      phases: [{phases}]
      screen: {screen}
      values: {{{values}}}
    - id: assessed
      name: Assessed
      unit: "%"
      chart: p
      values: {{{counts}}}
primary:
  - Risk is known
"""

CONTROL_BEFORE = dict(
    short="Falls",
    chart="xmr",
    rules="shewhart",
    baseline=6,
    exclude="2026-03",
    phases="{from: 2026-05, label: Huddle}",
    screen="true",
    values=", ".join(f"2026-{m:02d}: {v}" for m, v in enumerate([8, 9, 7, 8, 5, 4, 5, 4], 1)),
    counts="2026-01: {numerator: 30, denominator: 40}, 2026-02: {numerator: 28, denominator: 40}",
)


def control(**changed: object) -> dd.Diagram:
    return dd.loads(CONTROL.format(**{**CONTROL_BEFORE, **changed}))


def test_every_control_chart_key_and_count_changed_is_reported_in_words() -> None:
    """A change of chart, rules, baseline, excluded periods, phases, screening or the
    badge's label, and of a period's numerator or denominator, is a line of its own,
    even where the value stays the same (30/40 -> 60/80)."""
    old = control()
    new = control(
        short="Falls rate",
        chart="c",
        rules="mdc",
        baseline=4,
        exclude="2026-03, 2026-04",
        phases="{from: 2026-05, label: Huddle in place}",
        screen="false",
        counts="2026-01: {numerator: 60, denominator: 80},"
        " 2026-02: {numerator: 29, denominator: 40}",
    )
    summaries = [change.text for change in compare(old, new)]
    assert summaries[:8] == [
        "'Falls': short label 'Falls' -> 'Falls rate'",
        "'Falls': baseline 6 -> 4",
        "'Falls': chart 'xmr' -> 'c'",
        "'Falls': rules 'shewhart' -> 'mdc'",
        "'Falls': excluded periods '2026-03' -> '2026-03, 2026-04'",
        "'Falls': phases 'from 2026-05 (Huddle)' -> 'from 2026-05 (Huddle in place)'",
        "'Falls': moving-range screening on -> off",
        "'Assessed': 2 changed (2026-01: 75 (30/40) -> 75 (60/80), 2026-02: 70 (28/40) -> 72.5"
        " (29/40))",
    ]
    assert {change.kind for change in compare(old, new)[:7]} == {"measure-changed"}
    data = next(change for change in compare(old, new) if change.kind == "data")
    assert data.details["points"][0] == {
        "period": "2026-01",
        "old": 75.0,
        "new": 75.0,
        "old_numerator": 30.0,
        "old_denominator": 40.0,
        "new_numerator": 60.0,
        "new_denominator": 80.0,
    }
    phases = next(c for c in compare(old, new) if c.details.get("field") == "phases")
    assert phases.details["new"] == [{"from": "2026-05", "label": "Huddle in place"}]
    assert compare(old, control()) == []
    # no phases at all, and a run chart again
    plain = dd.loads(
        CONTROL.format(**CONTROL_BEFORE)
        .replace("      exclude: [2026-03]\n", "")
        .replace("      phases: [{from: 2026-05, label: Huddle}]\n", "")
        .replace("      screen: true\n", "")
    )
    assert "'Falls': phases 'from 2026-05 (Huddle)' -> (none)" in [
        change.text for change in compare(old, plain)
    ]


def test_a_change_to_where_a_measure_s_data_is_read_is_reported(tmp_path: Path) -> None:
    """The data file's sheet, the columns read from it and the order of its dates are
    a measure's definition too: a change to any of them is a line of its own."""
    (tmp_path / "clinic.csv").write_text(
        "Month,Seen,Booked\n01/02/2026,7,9\n01/03/2026,8,9\n", encoding="utf-8"
    )
    text = (
        "aim:\n  text: More seen\n  measures:\n    - id: seen\n      name: Seen\n"
        "      data: clinic.csv\n      columns: {{period: Month, value: {value}}}\n"
        "      dates: {dates}\n"
        "primary:\n  - Something\n"
    )
    path = tmp_path / "d.yaml"
    path.write_text(text.format(value="Seen", dates="dmy"))
    old = dd.load(path)
    path.write_text(text.format(value="Booked", dates="mdy"))
    new = dd.load(path)
    summaries = [change.text for change in compare(old, new)]
    assert summaries[:2] == [
        "'Seen': data columns 'period: Month, value: Seen' -> 'period: Month, value: Booked'",
        "'Seen': order of the data's dates 'dmy' -> 'mdy'",
    ]
    changed = next(c for c in compare(old, new) if c.details.get("field") == "columns")
    assert changed.details["new"] == ["period: Month", "value: Booked"]


def test_every_key_of_a_cycle_but_its_act_is_compared() -> None:
    from driverdiagram.diff import CYCLE_FIELDS
    from driverdiagram.readers.measures import CYCLE_KEYS

    assert tuple(key for key in CYCLE_KEYS if key != "act") == CYCLE_FIELDS
