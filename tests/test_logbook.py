"""The PDSA log in Excel: ``pdsa template`` (logbook.py) writes the workbook partners
fill in, the same bytes each time; ``pdsa import`` (readers/logs.py, intake.import_log)
reads it back as partners filled it in (blank rows, a typo in a change idea, a cycle
sent twice, a merged date), and reads the CSV that Microsoft Forms and Google Forms
export; each problem located at its cell, the diagram compared byte for byte."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main

from .paths import EARLY
from .test_edit import changed


@pytest.fixture
def early(tmp_path: Path) -> Path:
    shutil.copy(EARLY, tmp_path / EARLY.name)
    shutil.copytree(EARLY.parent / "data", tmp_path / "data")
    return tmp_path / EARLY.name


def template(diagram: Path, tmp_path: Path, name: str = "log.xlsx") -> Path:
    out = tmp_path / name
    result = CliRunner().invoke(main, ["pdsa", "template", str(diagram), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_the_template_has_the_sheets_headings_drop_downs_and_periods(
    early: Path, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(template(early, tmp_path))
    assert book.sheetnames == [
        "PDSA",
        "Instructions",
        *[m.id for m in dd.load(early).measures],
        "Lists",
    ]
    assert book["Lists"].sheet_state == "hidden"
    pdsa = book["PDSA"]
    assert [c.value for c in pdsa[1]] == [
        "Change idea",
        "Start",
        "End",
        "Objective",
        "Prediction",
        "Plan",
        "Who runs it",
        "Study due",
        "Do",
        "Study",
        "Act",
        "Your name",
        "Organisation",
    ]
    checks = {str(v.sqref): v for v in pdsa.data_validations.dataValidation}
    ideas = [n for n in dd.load(early).at_level(dd.Level.CHANGE) if not n.generated_id]
    assert checks["A2:A501"].type == "list"
    assert checks["A2:A501"].formula1 == f"=Lists!$A$2:$A${len(ideas) + 1}"
    listed = [row[0] for row in book["Lists"].iter_rows(min_row=2, max_col=1, values_only=True)]
    assert listed == [f"{n.id} — {' '.join(n.text.split())}" for n in ideas]
    assert checks["B2:B501"].type == checks["C2:C501"].type == "date"
    assert checks["H2:H501"].type == "date"  # Study due
    assert checks["K2:K501"].type == "list" and checks["K2:K501"].formula1 == "=Lists!$B$2:$B$4"
    assert [book["Lists"].cell(row=r, column=2).value for r in (2, 3, 4)] == [
        "adopt",
        "adapt",
        "abandon",
    ]
    assert "Change idea: choose it from the list" in " ".join(
        str(row[0]) for row in book["Instructions"].iter_rows(values_only=True)
    )
    # a measure of counts: its months from the first of its data to six past the last
    talk = [row for row in book["kinder-talk"].iter_rows(values_only=True)]
    assert talk[0] == ("Period", "Numerator", "Denominator", "Note", "Your name", "Organisation")
    assert talk[1][:3] == ("2024-11", 17, 71)
    assert [row[0] for row in talk[-7:]] == [
        "2026-10",
        "2026-11",
        "2026-12",
        "2027-01",
        "2027-02",
        "2027-03",
        "2027-04",
    ]
    assert talk[-1][1:3] == (None, None)
    assert book["mch-wait"]["B1"].value == "Value"


def test_the_template_is_the_same_bytes_each_time_and_refuses_to_replace_a_log(
    early: Path, tmp_path: Path
) -> None:
    first = template(early, tmp_path, "a.xlsx").read_bytes()
    assert template(early, tmp_path, "b.xlsx").read_bytes() == first
    assert dd.pdsa_template(dd.load(early)) == first
    again = CliRunner().invoke(
        main, ["pdsa", "template", str(early), "-o", str(tmp_path / "a.xlsx")]
    )
    assert again.exit_code == 1
    assert "a.xlsx: error: already exists; choose another name, or add --force" in again.stderr


def fill(
    path: Path, rows: dict[int, list[object]], data: dict[str, dict[int, list[object]]]
) -> Path:
    """The workbook as a partner fills it in and saves it."""
    book = openpyxl.load_workbook(path)
    for number, values in rows.items():
        for column, value in enumerate(values, 1):
            if value is not None:
                book["PDSA"].cell(row=number, column=column, value=value)
    for sheet, cells in data.items():
        for number, values in cells.items():
            for column, value in enumerate(values, 2):
                if value is not None:
                    book[sheet].cell(row=number, column=column, value=value)
    book.save(path)
    return path


def idea(node_id: str) -> str:
    node = dd.load(EARLY).node(node_id)
    return f"{node_id} — {' '.join(node.text.split())}"


def test_a_filled_in_log_is_merged_blank_rows_skipped_and_a_repeat_added_once(
    early: Path, tmp_path: Path
) -> None:
    log = fill(
        template(early, tmp_path),
        {
            2: [
                idea("flyer"),
                dt.date(2026, 11, 2),
                None,
                "Do parents read it?",
                None,
                None,
                "Sam Lee",
                dt.date(2026, 11, 30),
                "40 handed out",
                None,
                "adapt",
                "Ana Silva",
                "Riverbend GP",
            ],
            # row 3 left blank
            4: ["help-desk", "2026-11-09", dt.date(2026, 11, 20)],
            5: [idea("flyer"), dt.date(2026, 11, 2)],  # sent twice
        },
        {"kinder-talk": {26: [61, 88, "new script"]}},
    )
    before = early.read_bytes()
    csv_before = (early.parent / "data" / "kinder-talk.csv").read_bytes()
    dry = CliRunner().invoke(main, ["pdsa", "import", str(early), str(log), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert early.read_bytes() == before
    assert "+              - start: 2026-11-02\n" in dry.stdout
    result = CliRunner().invoke(main, ["pdsa", "import", str(early), str(log)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        f"{early}:201: added a PDSA cycle of 'flyer' starting 2026-11-02 (reported by Ana"
        " Silva, Riverbend GP)",
        f"{early}:348: added a PDSA cycle of 'help-desk' starting 2026-11-09",
        f"{early}:201: the PDSA cycle of 'flyer' starting 2026-11-02 is already in the file,"
        " skipped",
        f"{early.parent / 'data' / 'kinder-talk.csv'}:26: added 2026-11 to 'kinder-talk'",
        f"{log}: 24 periods of 'kinder-enrolment' already in the data, skipped",
    ]
    removed, added = changed(before, early.read_bytes())
    assert removed == []
    assert added == [
        b"              - start: 2026-11-02\n",
        b"                objective: Do parents read it?\n",
        b"                do: 40 handed out\n",
        b"                act: adapt\n",
        b"                owner: Sam Lee\n",
        b"                due: 2026-11-30\n",
        b"                  - start: 2026-11-09\n",
        b"                    end: 2026-11-20\n",
    ]
    data_after = (early.parent / "data" / "kinder-talk.csv").read_bytes()
    assert data_after == csv_before + b"2026-11,61,88,new script\n"
    # the same workbook sent again adds nothing
    again = CliRunner().invoke(main, ["pdsa", "import", str(early), str(log)])
    assert again.exit_code == 0 and "nothing to add: the file is as it was" in again.stdout


def test_each_problem_in_a_log_is_located_at_its_cell(early: Path, tmp_path: Path) -> None:
    log = fill(
        template(early, tmp_path),
        {
            2: ["flyr", "2026-11-02"],
            3: [
                idea("flyer"),
                "2026-02-30",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                "adpot",
            ],
            4: ["help-desk", None, None, "no date"],
            7: [None, "2026-11-02", None, "no idea"],
        },
        {"mch-wait": {5: ["lots"]}},
    )
    before = early.read_bytes()
    result = CliRunner().invoke(main, ["pdsa", "import", str(early), str(log)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{log}:PDSA!A2: error: 'flyr' is not a change idea of {early} (did you mean"
        " 'flyer'?); choose one from the drop-down or write its id (kinder-at-mch, flyer,"
        " language-videos, help-desk, missed-visit-followup)",
        f"{log}:PDSA!B3: error: Start: there is no day 2026-02-30",
        f"{log}:PDSA!K3: error: Act: 'adpot' is not one of adopt, adapt, abandon (did you"
        " mean 'adopt'?)",
        f"{log}:PDSA!B4: error: has no start date (the cycle's first day, as 2026-09-01; a"
        " merged cell? unmerge it and write the date in each row)",
        f"{log}:PDSA!A7: error: has no change idea; choose one from the drop-down",
        f"{log}:'mch-wait'!B5: error: Value: 'lots' is not a number",
    ]
    assert early.read_bytes() == before


def test_a_merged_start_date_is_named(early: Path, tmp_path: Path) -> None:
    path = template(early, tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["PDSA"]
    for row in (2, 3):
        sheet.cell(row=row, column=1, value="flyer")
    sheet["B2"] = dt.date(2026, 11, 2)
    sheet.merge_cells("B2:B3")
    book.save(path)
    with pytest.raises(dd.InvalidDiagram) as raised:
        dd.import_log(early, path)
    assert [str(p) for p in raised.value.problems] == [
        f"{path}:PDSA!B3: error: has no start date (the cycle's first day, as 2026-09-01; a"
        " merged cell? unmerge it and write the date in each row)"
    ]


MS_FORMS = (
    "ID,Start time,Completion time,Email,Name,Change idea,Start,End,Objective,Prediction,"
    "Plan,Do,Study,Act,Organisation\r\n"
    '1,11/3/26 9:01:02,11/3/26 9:04:10,anonymous,Anonymous,flyer,2026-11-02,,"Two lines:\r\n'
    'one, two",,,,,adapt,Riverbend GP\r\n'
    ",,,,,,,,,,,,,,\r\n"
    "2,11/4/26 9:01:02,11/4/26 9:04:10,ana@example.org,Ana Silva,"
    "A Saturday morning enrolment help desk at the library,2026-11-09,,,,,,,Adopt,\r\n"
    "3,11/4/26 9:01:02,11/4/26 9:04:10,ana@example.org,Ana Silva,flyr,2026-11-10,,,,,,,,\r\n"
)


def test_a_microsoft_forms_export_is_read_with_its_own_columns_passed_over(
    early: Path, tmp_path: Path
) -> None:
    responses = tmp_path / "responses.csv"
    responses.write_bytes(b"\xef\xbb\xbf" + MS_FORMS.encode())
    help_desk = dd.load(early).node("help-desk").text
    assert (
        help_desk == "A Saturday morning enrolment help desk at the library"
    )  # the text, as the form's choice has it
    with pytest.raises(dd.InvalidDiagram) as raised:
        dd.import_log(early, responses)
    assert [str(p) for p in raised.value.problems] == [
        f"{responses}:6:6: error: 'flyr' is not a change idea of {early} (did you mean"
        " 'flyer'?); choose one from the drop-down or write its id (kinder-at-mch, flyer,"
        " language-videos, help-desk, missed-visit-followup)"
    ]
    responses.write_bytes(MS_FORMS.replace("flyr", "flyer").encode())
    merged = dd.import_log(early, responses)
    assert merged.notes[:2] == (
        f"{early}:201: added a PDSA cycle of 'flyer' starting 2026-11-02 (reported by"
        " Riverbend GP)",
        f"{early}:346: added a PDSA cycle of 'help-desk' starting 2026-11-09 (reported by"
        " Ana Silva)",
    )
    cycle = dd.load(early).cycles_of("flyer")[-2]
    assert cycle.objective == "Two lines:\none, two" and cycle.act == dd.Act.ADAPT


def test_a_google_forms_export_with_day_month_dates_needs_to_be_told_which(
    early: Path, tmp_path: Path
) -> None:
    responses = tmp_path / "responses.csv"
    responses.write_text(
        "Timestamp,Email address,Change idea,Start (first day),Act\n"
        "02/11/2026 10:15:00,ana@example.org,flyer,02/11/2026,adapt\n"
        "30/11/2026 10:15:00,ana@example.org,help-desk,30/11/2026,\n"
    )
    with pytest.raises(dd.InvalidDiagram) as raised:
        dd.import_log(early, responses)
    assert [str(p) for p in raised.value.problems] == [
        f"{responses}:2:4: error: Start: '02/11/2026' could be day/month or month/day; give"
        " --dates dmy (1/9/2026 is 1 September) or --dates mdy (9 January), or write it as"
        " 2026-09-01"
    ]
    result = CliRunner().invoke(
        main, ["pdsa", "import", str(early), str(responses), "--dates", "dmy"]
    )
    assert result.exit_code == 0, result.output
    starts = {(c.change, c.start) for c in dd.load(early).cycles}
    assert {("flyer", dt.date(2026, 11, 2)), ("help-desk", dt.date(2026, 11, 30))} <= starts


def test_an_unknown_heading_is_named_with_the_headings_there_are(
    early: Path, tmp_path: Path
) -> None:
    responses = tmp_path / "responses.csv"
    responses.write_text("Change idea,Start,Objectve,Colour\nflyer,2026-11-02,x,blue\n")
    with pytest.raises(dd.InvalidDiagram) as raised:
        dd.import_log(early, responses)
    messages = [str(p) for p in raised.value.problems]
    assert messages[0].startswith(
        f"{responses}:1:3: error: 'Objectve' is not a heading of a PDSA log (did you mean"
        " 'Objective'?); the headings are Change idea, Start, End, Objective,"
    )
    assert messages[1].startswith(f"{responses}:1:4: error: 'Colour' is not a heading")
    assert len(messages) == 2


def test_a_day_written_as_text_is_read_whole_and_a_study_due_before_the_start_refused(
    early: Path, tmp_path: Path
) -> None:
    """A day typed as text is a day only when that is all the cell says (a time after
    it, as an export writes one, is fine): words after it are not lost quietly."""
    log = fill(
        template(early, tmp_path),
        {
            2: [idea("flyer"), "2026-11-02 00:00:00", "2026-11-20 approx"],
            3: [idea("flyer"), "2026-11-09T09:30", None, None, None, None, None, "next friday"],
            4: [idea("flyer"), "2026-11-16", None, None, None, None, None, "2026-11-01"],
        },
        {},
    )
    with pytest.raises(dd.InvalidDiagram) as raised:
        dd.import_log(early, log)
    assert [str(p) for p in raised.value.problems] == [
        f"{log}:PDSA!C2: error: End: '2026-11-20 approx' is not a date; write it as 2026-09-01",
        f"{log}:PDSA!H3: error: Study due: 'next friday' is not a date; write it as 2026-09-01",
        f"{log}:PDSA!H4: error: the study is due (2026-11-01) before the cycle starts (2026-11-16)",
    ]
