"""The driverdiagram group (cli/group.py and cli/__init__.py): the version, help for
every command, errors and usage mistakes the one way, ``python -m``, what a command
imports, and each command a skin over an API function."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from tests.paths import CASES


@pytest.mark.parametrize(
    "command", [[], ["validate"], ["render"], ["new"], ["templates"], ["slides"]]
)
def test_every_command_has_help(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert result.output.startswith("Usage: ")


@pytest.mark.parametrize("case", sorted((CASES / "invalid").glob("*.yaml")), ids=lambda p: p.stem)
def test_no_traceback_for_any_invalid_file(runner: CliRunner, case: Path, tmp_path: Path) -> None:
    try:  # a few cases are valid with warnings: drawn, and the warnings shown
        warned = bool(dd.load(case).warnings)
    except dd.DiagramError:
        warned = False
    for command in (["validate", str(case)], ["render", str(case), "-o", str(tmp_path) + "/"]):
        result = runner.invoke(main, command)
        assert result.exit_code == (0 if warned else 1)
        assert ("Traceback" not in result.output and result.exception is None) or isinstance(
            result.exception, SystemExit
        )
        assert result.stderr.startswith((str(case) + ":", str(case.parent / "data") + "/"))
    if not warned:
        assert list(tmp_path.iterdir()) == [], "nothing written for an invalid diagram"


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    assert runner.invoke(main, ["validate"]).exit_code == 2
    assert runner.invoke(main, ["render", "x.yaml", "-f", "gif"]).exit_code == 2
    assert runner.invoke(main, ["frobnicate"]).exit_code == 2


def test_python_dash_m_and_console_script(diagram_file: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "driverdiagram", "validate", str(diagram_file)],
        capture_output=True,
        text=True,
    )
    assert (run.returncode, run.stdout) == (0, f"{diagram_file}: ok (2 boxes, 1 link)\n")


HEAVY = (
    "networkx",
    "yaml",
    "matplotlib",
    "numpy",
    "docx",
    "pptx",
    "pypdf",
    "lxml",
    "jinja2",
    "markupsafe",
    "concurrent.futures",
    "driverdiagram.draw.render",
    "driverdiagram.measures.chart",
    "driverdiagram.slides",
)


@pytest.mark.parametrize(
    "args, needed",
    [
        (["--help"], ()),
        (["render", "--help"], ()),
        (["site", "--help"], ()),
        (["slides", "--help"], ()),
        # validate needs the YAML parser and networkx's checks, and nothing else
        (
            ["validate", str(CASES / "valid" / "measures.yaml")],
            ("networkx", "yaml"),
        ),
    ],
)
def test_commands_import_only_what_they_need(args: list[str], needed: tuple[str, ...]) -> None:
    code = (
        "import sys; from driverdiagram.cli import main\n"
        f"try: main({args!r})\nexcept SystemExit: pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.stdout.splitlines()[-1] == str(sorted(needed))


def test_a_full_disk_behind_standard_output_is_one_line(diagram_file: Path) -> None:
    with open("/dev/full", "wb") as full:
        run = subprocess.run(
            [sys.executable, "-m", "driverdiagram", "validate", str(diagram_file)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert run.returncode == 1
    assert run.stderr == "driverdiagram: error: cannot write the output (No space left on device)\n"


def test_every_command_is_a_skin_over_an_api_function_and_has_help() -> None:
    from driverdiagram.cli import COMMANDS

    commands: dict[str, click.Command] = {}
    for name, command in main.commands.items():
        if isinstance(command, click.Group):  # pdsa, data: their commands are named in full
            assert command.help and len(command.help.split()) >= 4, name
            commands.update({f"{name} {sub}": each for sub, each in command.commands.items()})
        else:
            commands[name] = command
    assert set(COMMANDS) == set(commands), "each command names its API function"
    for command, function in COMMANDS.items():
        assert callable(getattr(dd, function)), (command, function)
        assert function in dd.__all__, function
        cli_command = commands[command]
        assert cli_command.help and len(cli_command.help.split()) >= 4, command
        for param in cli_command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{command} {param.opts[0]} has no help"
    for param in main.params:
        if isinstance(param, click.Option):
            assert param.help, f"driverdiagram {param.opts[0]} has no help"


def test_the_command_line_imports_only_the_api_and_click() -> None:
    import ast

    for path in sorted((Path(dd.__file__).parent / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert node.module in ("__future__", "click") or not node.module.startswith(
                    "driverdiagram"
                ), (path.name, node.module)
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 1 and node.module in (None, "group"), (path.name, node.module)
