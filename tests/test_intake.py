"""Reports from partners merged into a diagram (driverdiagram.intake, readers/reports,
edit.Edits): ``*.pdsa.yaml`` and ``*.data.yaml`` files read with located problems,
several edits written at once, a cycle sent twice added once, ``--dry-run`` writing
nothing; each file compared byte for byte before and after."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.readers.reports import CycleReport, DataReport, parse_report, read_report

from .paths import EARLY
from .test_edit import changed

DIAGRAM = (
    "# Ward 7: falls  \n"
    "aim:\n"
    "  text: Fewer falls\n"
    "  measures:\n"
    "    - id: falls\n"
    "      name: Falls\n"
    "      values: {2026-01: 3, 2026-03: 4}   # March from the audit\n"
    "    - id: assessed\n"
    "      name: Assessed\n"
    "      data: assessed.csv\n"
    "primary:\n"
    "  - text: 'Risk found early'\n"
    "    changes:\n"
    "      - id: huddle          # the daily huddle\n"
    '        text: "Review at the huddle"\n'
    "        pdsa:\n"
    "        - start: 2026-09-01\n"
    "          do: One ward\n"
    "\n"
    "      - id: rounding\n"
    "        text: Hourly rounding\n"
)
CSV = "period,numerator,denominator,note\r\n2026-01,30,40,\r\n2026-02,31,40,\r\n"


@pytest.fixture
def ward(tmp_path: Path) -> Path:
    (tmp_path / "assessed.csv").write_bytes(CSV.encode())
    path = tmp_path / "ward.yaml"
    path.write_text(DIAGRAM)
    return path


def report(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


CYCLE = (
    'kind: "pdsa-report"\n'
    'version: "1"\n'
    'change: "rounding"\n'
    'start: "2026-10-01"\n'
    'objective: "Can we round \\"hourly\\": every hour?"\n'
    'do: "# of patients seen: 12"\n'
    'act: "adapt"\n'
    'reporter: "Ana Silva"\n'
    'organisation: "Riverbend"\n'
)


def test_a_cycle_report_is_read_with_its_fields(tmp_path: Path) -> None:
    found = read_report(report(tmp_path, "rounding-2026-10-01.pdsa.yaml", CYCLE))
    assert isinstance(found, CycleReport)
    assert (found.change, found.start, found.act) == ("rounding", "2026-10-01", "adapt")
    assert found.objective == 'Can we round "hourly": every hour?'
    assert found.by == "Ana Silva, Riverbend"
    assert found.at["change"].line == 3


def test_who_runs_a_cycle_and_when_its_study_is_due_are_reported_and_merged(
    ward: Path, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    report(
        inbox,
        "rounding.pdsa.yaml",
        "kind: pdsa-report\nversion: 1\nchange: rounding\nstart: 2026-10-01\n"
        "owner: Night charge nurse\ndue: 2026-10-15\n",
    )
    report(
        inbox,
        "late.pdsa.yaml",
        "kind: pdsa-report\nversion: 1\nchange: rounding\nstart: 2026-10-20\ndue: 2026-10-32\n",
    )
    with pytest.raises(dd.InvalidDiagram) as raised:
        dd.merge_reports(ward, [inbox])
    assert [str(p) for p in raised.value.problems] == [
        f"{inbox / 'late.pdsa.yaml'}:5:6: error: 'due': '2026-10-32' is not a date; write it"
        " as 2026-09-01"
    ]
    (inbox / "late.pdsa.yaml").unlink()
    dd.merge_reports(ward, [inbox])
    cycle = dd.load(ward).cycles_of("rounding")[0]
    assert (cycle.owner, cycle.due) == ("Night charge nurse", dt.date(2026, 10, 15))


def test_a_data_report_is_read_plain_or_quoted() -> None:
    found = parse_report(
        "kind: data-report\nversion: 1\nmeasure: assessed\nperiod: 2026-03\n"
        'numerator: "33"\ndenominator: 40\n',
        "a.data.yaml",
    )
    assert isinstance(found, DataReport)
    assert (found.measure, found.period, found.numerator, found.denominator) == (
        "assessed",
        "2026-03",
        33.0,
        40.0,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- a\n", ["x.yaml:1:1: error: is not a report"]),
        ("kind: pdsa-reprot\nversion: 1\n", ["x.yaml:1:7: error: 'pdsa-reprot' is not a kind"]),
        ("kind: pdsa-report\nversion: 2\n", ["x.yaml:2:10: error: is a report of version '2'"]),
        (
            "kind: pdsa-report\nversion: 1\nchange: a\nstart: 2026-02-30\nstudy: [x]\n"
            "acts: adopt\n",
            [
                "x.yaml:6:1: error: 'acts' is not a key of a pdsa-report (did you mean 'act'?)",
                "x.yaml:4:8: error: 'start': '2026-02-30' is not a date",
                "x.yaml:5:8: error: 'study' should be text",
            ],
        ),
        (
            "kind: data-report\nversion: 1\nmeasure: a\nperiod: 2026-13\nvalue: lots\n",
            [
                "x.yaml:4:9: error: 'period': '2026-13' is not a month or a day",
                "x.yaml:5:8: error: 'value': 'lots' is not a number",
            ],
        ),
        (
            "kind: data-report\nversion: 1\nmeasure: a\nperiod: 2026-12\nnumerator: 3\n",
            ["x.yaml:1:1: error: has no 'denominator:'"],
        ),
    ],
)
def test_a_bad_report_is_refused_with_each_problem_located(text: str, expected: list[str]) -> None:
    with pytest.raises(dd.InvalidDiagram) as raised:
        parse_report(text, "x.yaml")
    lines = [str(problem) for problem in raised.value.problems]
    assert len(lines) == len(expected), lines
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start), (line, start)


def test_reports_from_a_folder_are_merged_in_one_write_and_a_repeat_is_skipped(
    ward: Path, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    report(inbox, "rounding-2026-10-01.pdsa.yaml", CYCLE)
    report(inbox, "rounding-2026-10-01 (1).pdsa.yaml", CYCLE)  # sent twice
    report(
        inbox,
        "huddle-2026-09-01.pdsa.yaml",  # already in the file
        "kind: pdsa-report\nversion: 1\nchange: huddle\nstart: 2026-09-01\n",
    )
    report(
        inbox,
        "huddle-2026-11-02.pdsa.yaml",
        "kind: pdsa-report\nversion: 1\nchange: huddle\nstart: 2026-11-02\nend: 2026-11-20\n",
    )
    report(inbox, "falls-2026-02.data.yaml", "kind: data-report\n")  # not this kind: not read
    before = ward.read_bytes()
    merged = dd.merge_reports(ward, [inbox])
    assert merged.written and merged.changed
    assert list(merged.notes) == [
        f"{ward}:17: the PDSA cycle of 'huddle' starting 2026-09-01 is already in the file,"
        " skipped",
        f"{ward}:19: added a PDSA cycle of 'huddle' starting 2026-11-02",
        f"{ward}:24: added a PDSA cycle of 'rounding' starting 2026-10-01 (reported by Ana"
        " Silva, Riverbend)",
        f"{ward}:25: the PDSA cycle of 'rounding' starting 2026-10-01 is already in the file,"
        " skipped",
    ]
    removed, added = changed(before, ward.read_bytes())
    assert removed == []
    assert added == [
        b"        - start: 2026-11-02\n",
        b"          end: 2026-11-20\n",
        b"        pdsa:\n",
        b"        - start: 2026-10-01\n",
        b'          objective: "Can we round \\"hourly\\": every hour?"\n',
        b'          do: "# of patients seen: 12"\n',
        b"          act: adapt\n",
    ], added
    cycles = [(c.change, c.start.isoformat()) for c in dd.load(ward).cycles]
    assert cycles == [
        ("huddle", "2026-09-01"),
        ("huddle", "2026-11-02"),
        ("rounding", "2026-10-01"),
    ]
    again = dd.merge_reports(ward, [inbox])
    assert not again.changed and not again.written and again.diff == ""
    assert all(note.endswith("skipped") for note in again.notes)


def test_a_later_report_of_a_cycle_fills_in_what_the_file_leaves_empty(
    ward: Path, tmp_path: Path
) -> None:
    """A partner reports the plan first and the study later: the second report of the
    same cycle (change idea and start) fills in what the file leaves empty, each key
    where the reader's order puts it, and keeps what the file already says otherwise,
    with a note; sent again, it adds nothing."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    report(
        inbox,
        "huddle-2026-09-01 (2).pdsa.yaml",
        "kind: pdsa-report\nversion: 1\nchange: huddle\nstart: 2026-09-01\n"
        "objective: Do staff name the risks?\ndo: Two wards\nstudy: |\n  Risks named in 9 of 10.\n"
        "  Night shift missed it.\nact: adopt\nmeasures: [falls]\nreporter: Ana Silva\n",
    )
    before = ward.read_bytes()
    merged = dd.merge_reports(ward, [inbox])
    assert list(merged.notes) == [
        f"{ward}:19: the PDSA cycle of 'huddle' starting 2026-09-01 has do 'One ward' here;"
        " the report says 'Two wards', so the file's is kept (edit it here if the report's"
        " is right)",
        f"{ward}:18: filled in objective, study, act and measures of the PDSA cycle of"
        " 'huddle' starting 2026-09-01 (reported by Ana Silva)",
    ]
    removed, added = changed(before, ward.read_bytes())
    assert removed == []
    assert added == [
        b"          objective: Do staff name the risks?\n",
        b'          study: "Risks named in 9 of 10.\\nNight shift missed it."\n',
        b"          act: adopt\n",
        b"          measures: [falls]\n",
    ], added
    cycle = dd.load(ward).cycles[0]
    assert (cycle.do, cycle.act, cycle.measures) == ("One ward", dd.Act.ADOPT, ("falls",))
    assert cycle.study == "Risks named in 9 of 10.\nNight shift missed it."
    again = dd.merge_reports(ward, [inbox])
    assert not again.changed and again.diff == ""
    assert list(again.notes) == [
        f"{ward}:19: the PDSA cycle of 'huddle' starting 2026-09-01 has do 'One ward' here;"
        " the report says 'Two wards', so the file's is kept (edit it here if the report's"
        " is right)",
    ]


def test_a_cycle_written_in_flow_style_is_filled_in_in_flow_style(
    ward: Path, tmp_path: Path
) -> None:
    ward.write_text(
        DIAGRAM.replace(
            "        text: Hourly rounding\n",
            "        text: Hourly rounding\n        pdsa: [{start: 2026-10-01, do: Nights}]\n",
        )
    )
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    report(
        inbox,
        "rounding.pdsa.yaml",
        "kind: pdsa-report\nversion: 1\nchange: rounding\nstart: 2026-10-01\n"
        "name: Nights\nstudy: 'Fewer calls, #1 ward'\nact: adapt\n",
    )
    dd.merge_reports(ward, [inbox])
    # each key after those the reader's order puts before it (a name, which comes first,
    # before them all), quoted as the file quotes
    assert (
        "        pdsa: [{name: Nights, start: 2026-10-01, do: Nights,"
        ' study: "Fewer calls, #1 ward", act: adapt}]\n'
    ) in ward.read_text()
    cycle = dd.load(ward).cycles_of("rounding")[0]
    assert (cycle.name, cycle.study, cycle.act) == ("Nights", "Fewer calls, #1 ward", dd.Act.ADAPT)


@pytest.mark.parametrize(
    "written, said, becomes",
    [
        # an empty text in quotes: the file's quotes, every mark escaped
        (
            '          study: ""\n',
            "study: 'say \"hi\" C:\\new'",
            '          study: "say \\"hi\\" C:\\\\new"\n',
        ),
        ("          study: ''\n", 'study: "it\'s"', "          study: 'it''s'\n"),
        ('          study: ""\n', 'study: "two\\nlines"', '          study: "two\\nlines"\n'),
        # an empty block: its header replaced, the keys after it kept on their lines
        ("          plan: |-  # later\n", "plan: P", "          plan: P  # later\n"),
        # an empty list given its measures
        ("          measures: []\n", "measures: [falls]", "          measures: [falls]\n"),
    ],
)
def test_an_empty_value_in_the_file_is_filled_in_where_it_is(
    ward: Path, tmp_path: Path, written: str, said: str, becomes: str
) -> None:
    ward.write_text(
        DIAGRAM.replace("          do: One ward\n", written + "          do: One ward\n")
    )
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    report(
        inbox,
        "huddle.pdsa.yaml",
        f"kind: pdsa-report\nversion: 1\nchange: huddle\nstart: 2026-09-01\n{said}\n",
    )
    before = ward.read_text()
    dd.merge_reports(ward, [inbox])
    assert ward.read_text() == before.replace(written, becomes)
    key, value = said.split(": ", 1)
    expected = parse_report(
        f"kind: pdsa-report\nversion: 1\nchange: huddle\nstart: 2026-09-01\n{said}\n", "r"
    )
    assert isinstance(expected, CycleReport)
    cycle = dd.load(ward).cycles_of("huddle")[0]
    assert getattr(cycle, key) == getattr(expected, key) and value
    assert cycle.do == "One ward"


def test_a_name_filled_in_goes_first_in_its_cycle(ward: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    report(
        inbox,
        "huddle.pdsa.yaml",
        "kind: pdsa-report\nversion: 1\nchange: huddle\nstart: 2026-09-01\nname: Nights\n",
    )
    before = ward.read_text()
    dd.merge_reports(ward, [inbox])
    assert ward.read_text() == before.replace(
        "        - start: 2026-09-01\n", "        - name: Nights\n          start: 2026-09-01\n"
    )
    assert dd.load(ward).cycles_of("huddle")[0].name == "Nights"


def test_a_cycle_added_and_completed_in_one_merge(ward: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, more in (("a", "plan: One ward"), ("b", "study: It worked\nact: adopt")):
        report(
            inbox,
            f"{name}.pdsa.yaml",
            f"kind: pdsa-report\nversion: 1\nchange: rounding\nstart: 2026-10-01\n{more}\n",
        )
    merged = dd.merge_reports(ward, [inbox])
    assert merged.written
    assert [note.split(": ", 1)[1] for note in merged.notes] == [
        "added a PDSA cycle of 'rounding' starting 2026-10-01",
        "filled in study and act of the PDSA cycle of 'rounding' starting 2026-10-01",
    ]
    cycle = dd.load(ward).cycles_of("rounding")[0]
    assert (cycle.plan, cycle.study, cycle.act) == ("One ward", "It worked", dd.Act.ADOPT)


def test_a_dry_run_shows_the_diff_and_writes_nothing(ward: Path, tmp_path: Path) -> None:
    path = report(tmp_path, "r.pdsa.yaml", CYCLE)
    before = ward.read_bytes()
    result = CliRunner().invoke(main, ["pdsa", "add", str(ward), "--from", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert ward.read_bytes() == before
    assert f"--- {ward} (now)\n+++ {ward} (after)\n" in result.stdout
    assert "+        pdsa:\n" in result.stdout
    assert '+            do: "# of patients seen: 12"\n' in result.stdout or (
        '+          do: "# of patients seen: 12"\n' in result.stdout
    )
    assert result.stdout.endswith("(a dry run: nothing was written)\n")
    real = CliRunner().invoke(main, ["pdsa", "add", str(ward), "--from", str(path)])
    assert real.exit_code == 0, real.output
    assert (
        real.stdout == f"{ward}:22: added a PDSA cycle of 'rounding' starting 2026-10-01"
        " (reported by Ana Silva, Riverbend)\n"
    )


def test_several_paths_follow_from(ward: Path, tmp_path: Path) -> None:
    one = report(tmp_path, "a.pdsa.yaml", CYCLE)
    two = report(
        tmp_path,
        "b.pdsa.yaml",
        "kind: pdsa-report\nversion: 1\nchange: huddle\nstart: 2026-12-01\n",
    )
    result = CliRunner().invoke(main, ["pdsa", "add", str(ward), "--from", str(one), str(two)])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2
    assert len(dd.load(ward).cycles) == 3


def test_a_wrong_change_idea_is_refused_in_its_report_with_did_you_mean(
    ward: Path, tmp_path: Path
) -> None:
    good = report(tmp_path, "a.pdsa.yaml", CYCLE)
    bad = report(
        tmp_path, "b.pdsa.yaml", "kind: pdsa-report\nversion: 1\nchange: hudle\nstart: 2026-12-01\n"
    )
    bad_measure = report(
        tmp_path,
        "c.data.yaml",
        "kind: data-report\nversion: 1\nmeasure: fals\nperiod: 2026-05\nvalue: 3\n",
    )
    before = ward.read_bytes()
    result = CliRunner().invoke(main, ["pdsa", "add", str(ward), "--from", str(good), str(bad)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{bad}:3:9: error: {ward} has no change idea 'hudle' (did you mean 'huddle'?)\n"
    )
    assert ward.read_bytes() == before  # the good one is not written either
    result = CliRunner().invoke(main, ["data", "add", str(ward), "--from", str(bad_measure)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{bad_measure}:3:10: error: {ward} has no measure 'fals' (did you mean 'falls'?)\n"
    )
    wrong_kind = CliRunner().invoke(main, ["data", "add", str(ward), "--from", str(good)])
    assert wrong_kind.exit_code == 1
    assert "is a pdsa-report, not a data-report; merge it with 'driverdiagram pdsa add" in (
        wrong_kind.stderr
    )
    assert ward.read_bytes() == before


def test_months_go_to_the_values_and_the_csv_in_one_merge(ward: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    report(
        inbox,
        "falls-2026-02.data.yaml",
        "kind: data-report\nversion: 1\nmeasure: falls\nperiod: 2026-02\nvalue: 5\n",
    )
    report(
        inbox,
        "falls-2026-03.data.yaml",
        "kind: data-report\nversion: 1\nmeasure: falls\nperiod: 2026-03\nvalue: 4\n",
    )  # already there, same value
    report(
        inbox,
        "assessed-2026-03.data.yaml",
        "kind: data-report\nversion: 1\n"
        "measure: assessed\nperiod: 2026-03\nnumerator: 33\ndenominator: 40\n"
        'note: "new form"\n',
    )
    before, csv_before = ward.read_bytes(), (tmp_path / "assessed.csv").read_bytes()
    merged = dd.merge_reports(ward, [inbox], kind="data-report")
    assert list(merged.notes) == [
        f"{tmp_path / 'assessed.csv'}:4: added 2026-03 to 'assessed'",
        f"{ward}:7: added 2026-02 to 'falls'",
        f"{ward}:7: period 2026-03 of 'falls' is already in the data, skipped",
    ]
    assert changed(before, ward.read_bytes()) == (
        [b"      values: {2026-01: 3, 2026-03: 4}   # March from the audit\n"],
        [b"      values: {2026-01: 3, 2026-02: 5, 2026-03: 4}   # March from the audit\n"],
    )
    assert (tmp_path / "assessed.csv").read_bytes() == csv_before + b"2026-03,33,40,new form\r\n"


def test_a_period_there_with_another_value_is_refused_where_it_is(
    ward: Path, tmp_path: Path
) -> None:
    path = report(
        tmp_path,
        "a.data.yaml",
        "kind: data-report\nversion: 1\nmeasure: assessed\n"
        "period: 2026-02\nnumerator: 1\ndenominator: 2\n",
    )
    csv_before = (tmp_path / "assessed.csv").read_bytes()
    with pytest.raises(dd.InvalidDiagram) as raised:
        dd.merge_reports(ward, [path], kind="data-report")
    assert [str(p) for p in raised.value.problems] == [
        f"{tmp_path / 'assessed.csv'}:3:1: error: period 2026-02 of 'assessed' is already in"
        " the data here with another value; a period has one value (to change it, edit it"
        " here)"
    ]
    assert (tmp_path / "assessed.csv").read_bytes() == csv_before


def test_edits_of_one_file_are_written_once_and_refused_if_it_changed_meanwhile(
    ward: Path,
) -> None:
    before = ward.read_bytes()
    edits = dd.Edits(ward)
    assert edits.add_cycle("rounding", "2026-10-01", do="x")
    assert edits.set_status("rounding", "adopted")
    assert edits.add_point("falls", "2026-04", 2)
    assert not edits.set_status("rounding", "adopted")
    assert ward.read_bytes() == before  # nothing written yet
    ward.write_bytes(before + b"# saved meanwhile\n")
    with pytest.raises(dd.InvalidDiagram, match="changed on disk while it was being edited"):
        edits.write()
    assert ward.read_bytes() == before + b"# saved meanwhile\n"
    ward.write_bytes(before)
    edits = dd.Edits(ward)
    edits.add_cycle("rounding", "2026-10-01", do="x")
    edits.set_status("rounding", "adopted")
    notes = edits.write()
    assert notes == [
        f"{ward}:23: added a PDSA cycle of 'rounding' starting 2026-10-01",
        f"{ward}:22: 'rounding' is now adopted",
    ]
    assert changed(before, ward.read_bytes()) == (
        [],
        [
            b"        status: adopted\n",
            b"        pdsa:\n",
            b"        - start: 2026-10-01\n",
            b"          do: x\n",
        ],
    )


def test_the_worked_example_takes_a_folder_of_reports(tmp_path: Path) -> None:
    shutil.copy(EARLY, tmp_path / EARLY.name)
    shutil.copytree(EARLY.parent / "data", tmp_path / "data")
    path = tmp_path / EARLY.name
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for day in ("2026-11-01", "2026-11-15"):
        text = CYCLE.replace("rounding", "flyer").replace("2026-10-01", day)
        report(inbox, f"flyer-{day}.pdsa.yaml", text)
    before = path.read_bytes()
    merged = dd.merge_reports(path, [inbox])
    assert len(merged.notes) == 2 and merged.written
    removed, added = changed(before, path.read_bytes())
    assert removed == [] and len(added) == 8
    assert [c.start.isoformat() for c in dd.load(path).cycles if c.change == "flyer"][-2:] == [
        "2026-11-01",
        "2026-11-15",
    ]
