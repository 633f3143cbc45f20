"""What a hostile diagram, file name or argument can make the command line do.

Escape sequences never reach the terminal, git is never handed an option, and odd
option values and settings files end in a usage or located error, not a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from driverdiagram.cli import main

#: What a terminal acts on: C0 controls but newline, DEL and C1 controls (CSI among them).
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
ESCAPES = "\x1b]0;pwned\x07 \x1b[2J\r\x9b31m\x00"
#: The same, as YAML's double-quoted escapes write them (YAML refuses them raw).
ESCAPED = r"\e]0;pwned\a \e[2J\r\x9b31m\0"
HOSTILE = (
    f'title: "Plan {ESCAPED}"\n'
    "aim:\n"
    f'  text: "Fewer falls {ESCAPED}"\n'
    "  measures:\n"
    f'    - name: "Falls {ESCAPED}"\n'
    f'      values: {{2026-01: 3, 2026-02: {{value: 4, note: "odd {ESCAPED}"}}}}\n'
    "primary:\n"
    f'  - text: "Risks {ESCAPED}"\n'
    "    changes:\n"
    "      - id: huddle\n"
    f'        text: "Huddle {ESCAPED}"\n'
    "        pdsa:\n"
    f'          - {{start: 2026-01-05, objective: "Try {ESCAPED}", act: adapt}}\n'
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(HOSTILE)
    return path


def shown(result: object) -> str:
    return result.stdout + result.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "command",
    [
        ["outline"],
        ["analyse"],
        ["analyse", "--format", "json"],
        ["pdsa"],
        ["pdsa", "--format", "markdown"],
        ["pdsa", "--format", "json"],
    ],
)
def test_no_control_character_reaches_the_terminal(
    runner: CliRunner, hostile: Path, command: list[str]
) -> None:
    result = runner.invoke(main, [*command, str(hostile)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not RAW_CONTROL.search(shown(result)), repr(shown(result))
    assert "\u241b" in shown(result) or "\\u001b" in shown(result)  # shown, not dropped


def test_no_control_character_in_an_error_about_the_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / f"plan{ESCAPES.replace(chr(0), '').replace('/', '')}.yaml"
    path.write_text(f'aim: x\nprimary: [y]\n"secondry{ESCAPED}": z\n')
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert not RAW_CONTROL.search(shown(result)), repr(shown(result))
    assert "unknown key" in result.stderr


def test_diff_prints_changes_without_control_characters(
    runner: CliRunner, hostile: Path, tmp_path: Path
) -> None:
    older = tmp_path / "older.yaml"
    older.write_text(HOSTILE.replace("Huddle", "A huddle"))
    for format in ("text", "markdown", "json"):
        result = runner.invoke(main, ["diff", "--format", format, str(older), str(hostile)])
        assert result.exit_code == 1
        assert not RAW_CONTROL.search(shown(result)), (format, repr(shown(result)))


def test_textconv_shows_an_invalid_file_without_control_characters(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_bytes(f"aim: [\n{ESCAPES}\n".encode())
    result = runner.invoke(main, ["outline", "--textconv", str(path)])
    assert result.exit_code == 0
    assert not RAW_CONTROL.search(result.stdout)
    assert "aim: [" in result.stdout and "\u241b]0;pwned\u2407" in result.stdout


# -- git --------------------------------------------------------------------------------


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q")
    (folder / "plan.yaml").write_text("aim: Fewer falls\nprimary: [Risks known]\n")
    git(folder, "add", "plan.yaml")
    git(folder, "commit", "-qm", "first")
    return folder


@pytest.mark.parametrize(
    "old",
    ["--output=OUT:plan.yaml", "-ooutput:plan.yaml", "--exec=touch OUT:plan.yaml"],
)
def test_a_revision_that_looks_like_an_option_is_refused(
    runner: CliRunner, repo: Path, monkeypatch: pytest.MonkeyPatch, old: str
) -> None:
    monkeypatch.chdir(repo)
    planted = repo.parent / "pwned"
    old = old.replace("OUT", str(planted))
    result = runner.invoke(main, ["diff", "--", old, "plan.yaml"])
    assert result.exit_code == 2
    assert "is not a revision (it starts with '-')" in result.stderr
    assert not planted.exists() and not (repo / "output").exists()
    result = runner.invoke(main, ["diff", "--rev", "--output=" + str(planted), "plan.yaml"])
    assert result.exit_code == 2 and not planted.exists()


def test_a_blob_larger_than_the_limit_is_refused_before_it_is_read(
    runner: CliRunner, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    (repo / "plan.yaml").write_text("aim: x\nprimary: [y]\nnotes: " + "z" * 3 * 2**20 + "\n")
    git(repo, "commit", "-qam", "big")
    (repo / "plan.yaml").write_text("aim: x\nprimary: [y]\n")
    result = runner.invoke(main, ["--max-file-mb", "1", "diff", "--rev", "HEAD", "plan.yaml"])
    assert result.exit_code == 2
    assert "is larger than 1 MB in git" in result.stderr


# -- option values and settings ----------------------------------------------------------


@pytest.mark.parametrize(
    "option",
    [
        ["--max-file-mb", "inf"],
        ["--max-file-mb", "nan"],
        ["--max-file-mb", "-1"],
        ["--max-file-mb", "1e400"],
        ["--dot-timeout", "nan"],
        ["--dot-timeout", "inf"],
        ["--dot-timeout", "0"],
    ],
)
def test_option_values_that_are_not_finite_are_usage_errors(
    runner: CliRunner, hostile: Path, option: list[str]
) -> None:
    result = runner.invoke(main, [*option, "validate", str(hostile)])
    assert result.exit_code == 2
    assert f"Invalid value for '{option[0]}'" in result.stderr


def test_a_tiny_file_limit_is_a_located_error(runner: CliRunner, hostile: Path) -> None:
    result = runner.invoke(main, ["--max-file-mb", "1e-9", "validate", str(hostile)])
    assert result.exit_code == 1
    assert "the file is larger than 1 bytes" in result.stderr


@pytest.mark.parametrize(
    "settings, message",
    [
        (b"tool = 5\n", "'tool' should be a table of settings, like [tool]"),
        (
            b"[tool]\ndriverdiagram = 5\n",
            "'tool.driverdiagram' should be a table of settings, like [tool.driverdiagram]",
        ),
        (b"select = [\xff]\n", "driverdiagram.toml:1:11: error: the file is not UTF-8 text"),
        (b"select = \n", "driverdiagram.toml:1:10: error: cannot read the settings: Invalid value"),
        (b"\x1b]0;x\x07 = 1\n", "cannot read the settings"),
    ],
)
def test_a_broken_settings_file_is_a_located_error(
    runner: CliRunner, hostile: Path, settings: bytes, message: str
) -> None:
    (hostile.parent / "driverdiagram.toml").write_bytes(settings)
    result = runner.invoke(main, ["lint", str(hostile)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert message in result.stderr
    assert not RAW_CONTROL.search(result.stderr)


def test_a_settings_file_that_is_a_pipe_is_passed_over(runner: CliRunner, hostile: Path) -> None:
    os.mkfifo(hostile.parent / "driverdiagram.toml")
    (hostile.parent / "pyproject.toml").write_text('[tool.driverdiagram]\nselect = ["DD111"]\n')
    result = runner.invoke(main, ["lint", str(hostile)])  # it would hang if the pipe were read
    assert result.exit_code == 1
    assert "[DD111]" in result.stdout and "[DD1" not in result.stdout.replace("[DD111]", "")


@pytest.mark.parametrize(
    "command",
    [
        ["analyse", "PLAN", "--measure", "VALUE"],
        ["chart", "PLAN", "--measure", "VALUE"],
        ["pdsa", "PLAN", "--change", "VALUE"],
        ["render", "PLAN", "--theme", "VALUE"],
        ["new", "fresh.yaml", "--template", "VALUE"],
        ["report", "PLAN", "-o", "paperVALUE"],
        ["--max-file-mb", "VALUE", "validate", "PLAN"],
    ],
)
def test_a_usage_error_shows_what_was_typed_without_obeying_it(
    runner: CliRunner, hostile: Path, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(hostile.parent)
    typed = "\x1b]0;OPT-PWNED\x07<script>"
    args = [part.replace("VALUE", typed).replace("PLAN", str(hostile)) for part in command]
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert not RAW_CONTROL.search(result.stderr), repr(result.stderr)
    assert "\u241b]0;OPT-PWNED\u2407" in result.stderr or "\\x1b]0;OPT-PWNED" in result.stderr


def test_lint_on_the_first_day_of_year_one(runner: CliRunner, hostile: Path) -> None:
    result = runner.invoke(main, ["lint", str(hostile), "--today", "0001-01-01"])
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_zero_width_no_break_space_in_a_chart(tmp_path: Path) -> None:
    import driverdiagram as dd

    diagram = dd.loads(
        'aim:\n  text: a\n  measures:\n    - name: "Falls \\ufeff per week"\n'
        '      unit: "\\ufeff%"\n'
        '      values: {2026-01: {value: 1, note: "n\\ufeff"}, 2026-02: 2}\n'
        "primary: [b]\n"
    )
    for format in ("pdf", "svg", "png"):
        assert dd.chart(diagram, diagram.measures[0].id, format)


@pytest.mark.parametrize(
    "command",
    [
        ["pdsa", "add", "--change", f"huddle{ESCAPES}", "--start", "2026-02-01"],
        ["pdsa", "add", "--change", "huddle", "--start", f"2026-02-01{ESCAPES}"],
        ["pdsa", "add", "--change", "huddle", "--start", "2026-02-01", "--measure", ESCAPES],
        ["data", "add", "--measure", ESCAPES, "2026-03", "5"],
        ["data", "add", "--measure", "falls", ESCAPES, "5"],
        ["status", f"huddle{ESCAPES}", "adopted"],
    ],
)
def test_an_edit_refused_shows_control_characters_not_obeys_them(
    runner: CliRunner, hostile: Path, command: list[str]
) -> None:
    before = hostile.read_text()
    group = 1 if command[0] != "status" else 0
    result = runner.invoke(main, [*command[: group + 1], str(hostile), *command[group + 1 :]])
    assert result.exit_code in (1, 2), result.output
    assert not RAW_CONTROL.search(shown(result)), repr(shown(result))
    assert hostile.read_text() == before


def test_an_edit_writes_hostile_text_escaped_and_says_so_safely(
    runner: CliRunner, hostile: Path
) -> None:
    result = runner.invoke(
        main,
        ["pdsa", "add", str(hostile), "--change", "huddle", "--start", "2026-02-01",
         "--objective", f"Try {ESCAPES}"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert not RAW_CONTROL.search(shown(result)), repr(shown(result))
    assert not RAW_CONTROL.search(hostile.read_text().replace("\n", ""))
    assert "\u241b" in runner.invoke(main, ["pdsa", str(hostile)]).stdout
