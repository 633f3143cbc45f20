"""Input that forgives a coach (issue 13, item 4): the mistakes people make typing YAML
by hand or saving from Excel and Word, each read as meant or reported where it is with
how to fix it. Run through the command line, as a coach would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from tests.paths import CASES, ROOT


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(folder: Path, text: str, name: str = "plan.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- status, strength, act ... in any case ------------------------------------------------


def test_values_are_read_whatever_their_case_and_written_in_lower_case(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CASES / "valid")
    result = runner.invoke(main, ["validate", "capitals.yaml"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "capitals.yaml: ok (5 boxes, 4 links)\n",
        "",
    )
    diagram = dd.load("capitals.yaml")
    lower = Path("capitals.yaml").read_text(encoding="utf-8")
    for written, meant in [
        ("Outcome", "outcome"),
        ("Down", "down"),
        ("IHI", "ihi"),
        ("Testing", "testing"),
        ("Weak", "weak"),
        ("ADOPTED", "adopted"),
        ("Abandon", "abandon"),
    ]:
        lower = lower.replace(f": {written}\n", f": {meant}\n")
    assert dd.to_dot(diagram) == dd.to_dot(dd.loads(lower, "capitals.yaml"))
    written = runner.invoke(main, ["import", "-"], input=dd.export(diagram, "json"))
    assert written.exit_code == 0
    for value in ("type: outcome", "direction: down", "status: testing", "strength: weak"):
        assert value in written.stdout
    assert "status: adopted" in written.stdout and "act: abandon" in written.stdout
    exported = json.loads(runner.invoke(main, ["export", "capitals.yaml", "--to", "json"]).stdout)
    assert [node["status"] for node in exported["nodes"]][-3:] == [
        "testing",
        "adopted",
        "abandoned",
    ]
    csv = runner.invoke(main, ["export", "capitals.yaml", "--to", "csv"]).stdout
    assert ",testing,weak," in csv and ",adopted,strong," in csv


def test_a_control_charts_kind_and_rules_in_any_case(runner: CliRunner) -> None:
    text = (
        "aim:\n  text: Halve falls by June 2027\n  measures:\n    - name: Falls\n"
        "      chart: XmR\n      rules: Shewhart\n      values: {2026-01: 8, 2026-02: 7}\n"
        "primary:\n  - Risk is known\n"
    )
    assert runner.invoke(main, ["validate", "-"], input=text).exit_code == 0
    written = dd.to_yaml(dd.loads(text))  # what import and the API write
    assert "chart: xmr\n" in written and "rules: shewhart\n" in written


def test_a_misspelt_value_in_capitals_is_still_named(runner: CliRunner, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "aim: Halve falls by June 2027\nprimary:\n  - text: Risk is known\n    changes:\n"
        "      - text: Huddle\n        status: Adoptd\n        strength: Medium\n",
    )
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:6:17: error: unknown status 'Adoptd' (did you mean 'adopted'?);"
        " use one of: idea, testing, adopted, abandoned",
        f"{path}:7:19: error: unknown strength 'Medium'; use one of: strong, weak",
    ]


# -- an unquoted ' #' cuts a text short ---------------------------------------------------

CUT = (
    "aim: Halve falls on Ward 7 from 8 to 4 per 1,000 bed days by June 2027\n"
    "primary:\n"
    "  - text: Families remember #1 priority\n"
    "    changes:\n"
    "      - Hourly rounding  # reviewed in May\n"
)
CUT_WARNING = (
    ":3:29: warning: the text stops before '#1 priority' because ' #' starts a YAML"
    " comment; put the text in quotes [DD116]"
)


def test_validate_warns_where_a_comment_cut_a_text_short(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, CUT)
    result = runner.invoke(main, ["validate", str(path)])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        f"{path}: ok (3 boxes, 2 links)\n",
        f"{path}{CUT_WARNING}\n",
    )
    assert dd.load(path).node("p1").text == "Families remember"
    as_json = json.loads(runner.invoke(main, ["validate", str(path), "--format", "json"]).stdout)
    assert [(r["line"], r["column"], r["severity"], r["code"]) for r in as_json] == [
        (3, 29, "warning", "DD116")
    ]
    github = runner.invoke(main, ["validate", str(path), "--format", "github"])
    assert github.exit_code == 0 and github.stdout.startswith(
        f"::warning file={path},line=3,col=29,title=DD116::the text stops before '#1 priority'"
    )


def test_lint_reports_it_as_a_rule_that_can_be_silenced(runner: CliRunner, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "updated: 2026-11-20\n"
        + CUT.replace(
            "primary:\n",
            "primary:\n  - text: Enrolment is simple\n    changes: [A one-page form]\n",
        ),
    )
    args = ["lint", str(path), "--today", "2026-11-26"]
    result = runner.invoke(main, args)
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout == (
        f"{path}:6:29: warning: the text stops before '#1 priority' because ' #' starts a"
        " YAML comment; put the text in quotes [DD116]\n"
    )
    assert runner.invoke(main, [*args, "--ignore", "DD116"]).stdout == f"{path}: ok\n"
    path.write_text(
        path.read_text().replace("#1 priority", "#1 priority  # driverdiagram: ignore DD116")
    )
    result = runner.invoke(main, args)
    assert (result.exit_code, result.stdout) == (0, f"{path}: ok\n")
    assert runner.invoke(main, ["validate", str(path)]).stderr == ""


def test_render_shows_the_warning_with_the_drawing(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, CUT)
    result = runner.invoke(main, ["render", str(path), "-f", "dot", "-o", "-"])
    assert result.exit_code == 0
    assert result.stderr == f"{path}{CUT_WARNING}\n"
    assert "Families remember" in result.stdout and "priority" not in result.stdout


@pytest.mark.parametrize(
    "line, warned",
    [
        ("- Falls are our #1 priority", True),  # no space after '#': more of the text
        ("- Falls are our # 1 priority", True),  # one space, as words are spaced
        ("- Falls are our  # 1 priority", False),  # set off as a comment
        ("- Falls are our  #1", True),
        ("- text: Falls are our # added by Sam", True),
        ("- text: Falls are our    # added by Sam", False),
        ("- text: Falls are our # driverdiagram: ignore DD108", False),
        ("- text: Falls are our #driverdiagram: ignore DD108", False),
        ("- C# training for the ward champion", False),  # not a comment at all
        ("- 'Falls are our #1 priority'", False),
        ('- "Falls are our #1 priority"', False),
    ],
)
def test_which_comments_read_as_the_rest_of_a_text(line: str, warned: bool) -> None:
    text = f"aim: Halve falls by June 2027\nprimary:\n  {line}\n"
    warnings = dd.loads(text, "plan.yaml").warnings
    assert bool(warnings) == warned, warnings
    if warned:
        (warning,) = warnings
        assert (warning.line, warning.column) == (3, line.index("#") + 3)


def test_only_a_box_takes_one_space_for_more_text() -> None:
    text = (
        "title: Falls # 2026\nteam: Ward 7 #falls\n"
        "aim: Halve falls by June 2027\nprimary:\n  - Risk is known\n"
    )
    assert [w.line for w in dd.loads(text, "plan.yaml").warnings] == [2]


def test_a_comment_where_the_text_should_be(runner: CliRunner, tmp_path: Path) -> None:
    path = write(
        tmp_path, "aim: Halve falls by June 2027\nprimary:\n  - #1 priority is the check\n"
    )
    result = runner.invoke(main, ["validate", str(path)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"{path}:3:5: error: this primary driver has no text: '#1 priority is the check' is a"
        " YAML comment, because ' #' starts one; put the text in quotes\n",
    )


def test_the_examples_and_templates_have_no_warnings(runner: CliRunner) -> None:
    files = sorted((ROOT / "diagrams").glob("*.yaml")) + sorted((ROOT / "templates").glob("*.yaml"))
    result = runner.invoke(main, ["validate", *map(str, files)])
    assert (result.exit_code, result.stderr) == (0, "")
    for path in files:
        assert dd.load(path).warnings == ()


# -- curly quotes, a word and a colon, '-' with no space ----------------------------------


def errors(runner: CliRunner, path: Path) -> list[str]:
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1 and result.stdout == ""
    return [line.removeprefix(f"{path}:") for line in result.stderr.splitlines()]


@pytest.mark.parametrize(
    "line, column, quotes",
    [
        ("  - text: “Goal: reduce waits”", 11, "(“ ”)"),
        ("  - text: ‘Goal: reduce waits’", 11, "(‘ ’)"),
    ],
)
def test_curly_quotes_are_named(
    runner: CliRunner, tmp_path: Path, line: str, column: int, quotes: str
) -> None:
    path = write(tmp_path, f"aim: Halve waits by June 2027\nprimary:\n{line}\n")
    assert errors(runner, path) == [
        f"3:{column}: error: YAML syntax error: this text is in curly quotes {quotes}, which"
        " YAML does not read as quotes, so it cannot read the ': ' inside; type straight"
        ' quotes instead: "Goal: reduce waits"'
    ]


def test_curly_quotes_at_the_top_and_in_a_list(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "aim: “Goal: halve waits by June 2027”\nprimary:\n  - Booking\n")
    assert errors(runner, path) == [
        "1:6: error: YAML syntax error: this text is in curly quotes (“ ”), which YAML does"
        " not read as quotes, so it cannot read the ': ' inside; type straight quotes"
        ' instead: "Goal: halve waits by June 2027"'
    ]
    path = write(tmp_path, "aim: Halve waits by June 2027\nprimary:\n  - “Goal: reduce waits”\n")
    assert errors(runner, path) == [
        "3:5: error: '“Goal: reduce waits”' reads as a key and a value because of the ': ';"
        " it is in curly quotes (“ ”), which YAML does not read as quotes: type straight"
        ' quotes instead: - "Goal: reduce waits"'
    ]
    path = write(
        tmp_path,
        "aim: Halve waits by June 2027\nprimary:\n  - Staff’s “urgent” list is short\n",
    )
    assert runner.invoke(main, ["validate", str(path)]).exit_code == 0  # curly quotes in text


def test_a_word_and_a_colon_is_text_not_a_key(runner: CliRunner, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "aim: Halve waits by June 2027\nprimary:\n  - text: Booking\n    changes:\n"
        "      - Note: try this first\n      - notse: x\n",
    )
    assert errors(runner, path) == [
        "5:9: error: 'Note: try this first' reads as a key and a value because of the ': ';"
        ' if it is the text of a change idea, put it in quotes: - "Note: try this first"',
        "6:9: error: unknown key 'notse' (did you mean 'notes'?)",
        "6:9: error: this change idea has no 'text'; add 'text: ...' (or 'ref: ID' to link to"
        " one written elsewhere)",
    ]


@pytest.mark.parametrize(
    "lines, at",
    [
        (["      - A booking page", "      -text: x", "      - Evening clinics"], "6:7"),
        (["      -text: x", "      - Evening clinics"], "5:7"),
        (["      - A booking page", "      -text: x"], "6:7"),
        (["      -text: x"], "5:7"),
    ],
)
def test_a_dash_with_no_space_is_reported_on_its_own_line(
    runner: CliRunner, tmp_path: Path, lines: list[str], at: str
) -> None:
    path = write(
        tmp_path,
        "aim: Halve waits by June 2027\nprimary:\n  - text: Booking\n    changes:\n"
        + "\n".join(lines)
        + "\n",
    )
    (message,) = errors(runner, path)
    assert message.startswith(f"{at}: error: ")
    assert message.endswith(
        "a list entry needs a space after its '-'; write '- text: x', not '-text: x'"
    )


def test_a_dash_with_no_space_before_a_key(runner: CliRunner, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "aim: Halve waits by June 2027\nprimary:\n  - text: Booking\n    -changes:\n"
        "      - Evening clinics\n",
    )
    assert errors(runner, path) == [
        "4:5: error: '-changes:' has no space after its '-'; to start a list entry write"
        " '- changes: ...', or, for a key of this entry, 'changes:' without the '-'"
    ]


# -- CSV files saved by Excel in Windows-1252 ---------------------------------------------

SAVE = 'save it in Excel with File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)"'
MEASURED = (
    "aim:\n  text: Reduce falls from 8 to 4 per 1,000 bed days by June 2027\n  measures:\n"
    "    - name: Falls per 1,000 bed days\n      data: falls.csv\nprimary:\n  - Risk is known\n"
)


def test_a_data_file_in_windows_1252_is_read_with_a_note(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, MEASURED)
    (tmp_path / "falls.csv").write_bytes(
        "period,value,note\r\n2026-01,7,\r\n2026-02,6,Café opened – a quiet month\r\n".encode(
            "cp1252"
        )
    )
    note = (
        'falls.csv:3:14: note: read as Windows-1252, as Excel saves "CSV (Comma delimited)"'
        f" (byte 0xE9 here is 'é'); if a letter looks wrong, {SAVE}\n"
    )
    result = runner.invoke(main, ["validate", "plan.yaml"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "plan.yaml: ok (2 boxes, 1 link)\n",
        note,
    )
    assert dd.load("plan.yaml").measures[0].points[1].note == "Café opened – a quiet month"
    result = runner.invoke(
        main, ["lint", "plan.yaml", "--today", "2026-11-26", "--select", "DD104"]
    )
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "plan.yaml:6:1: warning: only 1 primary driver; most aims need 2 to 5 (what else must"
        " be true for the aim to be reached?) [DD104]\n",
        note,
    )
    result = runner.invoke(main, ["lint", "plan.yaml", "--select", "DD101"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "plan.yaml: ok\n", note)
    as_json = json.loads(runner.invoke(main, ["validate", "plan.yaml", "--format", "json"]).stdout)
    assert [(r["path"], r["severity"], r["code"]) for r in as_json] == [
        ("falls.csv", "note", "DD000")
    ]
    github = runner.invoke(main, ["validate", "plan.yaml", "--format", "github"]).stdout
    assert github.startswith("::notice file=falls.csv,line=3,col=14,title=DD000::read as")


def test_a_data_file_that_is_not_text_says_how_to_save_it(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, MEASURED)
    (tmp_path / "falls.csv").write_bytes(b"period,value\r\n2026-01,7\r\n2026-02,\x81\r\n")
    result = runner.invoke(main, ["validate", "plan.yaml"])
    assert result.stderr == (
        "falls.csv:3:9: error: the file is neither UTF-8 nor Windows-1252 text (byte 0x81"
        f" here cannot be read); {SAVE}\n"
    )
    (tmp_path / "falls.csv").write_bytes(b"period,value,note\r\n2026-01,7,Caf\xe9\x00\r\n")
    assert runner.invoke(main, ["validate", "plan.yaml"]).stderr == (
        "falls.csv:2:15: error: the file is neither UTF-8 nor Windows-1252 text (byte 0x00"
        f" here is a control character, not text); {SAVE}\n"
    )
    (tmp_path / "falls.csv").write_bytes("period,value\n2026-01,7\n".encode("utf-16"))
    assert runner.invoke(main, ["validate", "plan.yaml"]).stderr == (
        f"falls.csv:1:1: error: the file is UTF-16 text, not UTF-8; {SAVE}\n"
    )


def test_a_spreadsheet_in_windows_1252_imports_with_a_note(
    runner: CliRunner, tmp_path: Path
) -> None:
    sheet = tmp_path / "ideas.csv"
    rows = [
        "Aim,Primary driver,Change idea,Status",
        "Réduire les chutes d’ici juin 2027,Le risque est connu,Liste à l’admission,Testing",
    ]
    sheet.write_bytes("\r\n".join([*rows, ""]).encode("cp1252"))
    result = runner.invoke(main, ["import", str(sheet)])
    assert result.exit_code == 0
    assert result.stdout.startswith("aim: Réduire les chutes d’ici juin 2027\n")
    assert "status: testing" in result.stdout
    assert result.stderr == (
        f'{sheet}:2:2: note: read as Windows-1252, as Excel saves "CSV (Comma delimited)"'
        f" (byte 0xE9 here is 'é'); if a letter looks wrong, {SAVE}\n"
    )
    from_stdin = runner.invoke(main, ["import", "-"], input=sheet.read_bytes())
    assert (from_stdin.exit_code, from_stdin.stdout) == (0, result.stdout)
    assert from_stdin.stderr.startswith("<stdin>:2:2: note: read as Windows-1252")
    sheet.write_bytes(b"Aim,Primary driver,Change idea\r\nHalve falls,Risk,Caf\x81\r\n")
    result = runner.invoke(main, ["import", str(sheet)])
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"{sheet}:2:21: error: the file is neither UTF-8 nor Windows-1252 text (byte 0x81"
        f" here cannot be read); {SAVE}\n",
    )


def test_a_diagram_file_stays_utf8_only(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes("aim: Réduire les chutes d’ici 2027\nprimary:\n  - Risque\n".encode("cp1252"))
    assert errors(runner, path) == [
        "1:7: error: the file is not UTF-8 text (byte 0xE9 here cannot be read); save it with"
        " UTF-8 encoding"
    ]


def test_curly_quotes_around_part_of_a_text_with_a_colon(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "aim: “Goal: fewer waits” by June 2027\nprimary:\n  - Booking\n")
    assert errors(runner, path) == [
        "1:6: error: YAML syntax error: a ':' YAML cannot read in this text; put the whole"
        " text in straight quotes, \" or ' (curly quotes, as word processors type them, are"
        ' not quotes to YAML): "“Goal: fewer waits” by June 2027"'
    ]


def test_a_dash_inside_an_unclosed_quote_is_not_taken_for_an_entry(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = write(tmp_path, 'aim: Halve waits by June 2027\nprimary:\n  - "Booking\n  -online\n')
    assert errors(runner, path) == [
        "3:5: error: YAML syntax error: this quote is never closed; add the closing quote"
        " (or remove the opening one)"
    ]
