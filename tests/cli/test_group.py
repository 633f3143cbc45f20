"""The driverdiagram group (cli/group.py and cli/__init__.py): the version, help for
every command, errors and usage mistakes the one way, ``python -m``, what a command
imports, and each command a skin over an API function."""

from __future__ import annotations

import os
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
    "statistics",
    "driverdiagram.draw.render",
    "driverdiagram.measures.chart",
    "driverdiagram.measures.control",
    "driverdiagram.measures.runs",
    "driverdiagram.views",
    "driverdiagram.coaching",
    "driverdiagram.edit",
    "driverdiagram.intake",
    "driverdiagram.papers",
    "driverdiagram.site",
    "driverdiagram.slides",
    "driverdiagram.cli.check",
    "driverdiagram.cli.portal",
)


@pytest.mark.parametrize(
    "args, needed",
    [
        (["--help"], ("driverdiagram.cli.check", "driverdiagram.cli.portal")),
        (["render", "--help"], ()),
        (["site", "--help"], ("driverdiagram.cli.portal",)),
        (["slides", "--help"], ()),
        # validate needs the YAML parser and networkx's checks, and nothing else
        (
            ["validate", str(CASES / "valid" / "measures.yaml")],
            ("networkx", "yaml", "driverdiagram.cli.check"),
        ),
        # render a diagram without measures: the drawing and its cache, no pool of
        # workers, no views, no rules of measures, none of the other outputs
        (
            ["render", str(CASES / "valid" / "spec-example.yaml"), "-o", "{tmp}/full.svg"],
            ("networkx", "yaml", "driverdiagram.draw.render"),
        ),
    ],
)
def test_commands_import_only_what_they_need(
    args: list[str], needed: tuple[str, ...], tmp_path: Path
) -> None:
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in args]
    code = (
        "import sys; from driverdiagram.cli import main\n"
        f"try: main({args!r})\nexcept SystemExit: pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    cache = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **cache}
    )
    assert run.stdout.splitlines()[-1] == str(sorted(needed)), run.stderr
    if args[0] == "render" and "--help" not in args:
        assert (tmp_path / "full.svg").read_bytes().startswith(b"<?xml")


def test_a_render_with_nothing_to_draw_reads_no_diagram(tmp_path: Path) -> None:
    """A drawing up to date is known from the record alone: the second render loads no
    YAML parser, no networkx and no drawing code (so a no-change batch stays quick)."""
    source = tmp_path / "falls.yaml"
    source.write_bytes((CASES / "valid" / "spec-example.yaml").read_bytes())
    args = ["render", str(source), "--theme", "print", "-o", str(tmp_path / "out") + "/"]
    code = (
        "import sys; from driverdiagram.cli import main\n"
        f"try: main({args!r})\nexcept SystemExit: pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert "networkx" in first.stdout.splitlines()[-1], first.stderr
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert "1 drawing is up to date" in again.stderr
    assert again.stdout.splitlines()[-1] == "[]", again.stderr


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
    context = click.Context(main)
    for name in main.list_commands(context):
        command = main.get_command(context, name)
        assert command is not None, name
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


def test_each_command_is_found_in_the_module_that_defines_it() -> None:
    from driverdiagram.cli.group import HOMES

    code = (
        "import sys, click; from driverdiagram.cli.group import HOMES, main\n"
        "for name, home in sorted(HOMES.items()):\n"
        "    before = set(sys.modules)\n"
        "    command = main.get_command(click.Context(main), name)\n"
        "    print(name, command.name, command.callback.__module__,"
        " sorted(m for m in set(sys.modules) - before if m.startswith('driverdiagram.cli.')))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seen: set[str] = set()
    for line in run.stdout.splitlines():
        name, found, module, *imported = line.split(" ", 3)
        assert found == name and module == f"driverdiagram.cli.{HOMES[name]}", line
        # a module is loaded only when one of its commands is first wanted, and alone
        expected = [] if HOMES[name] in seen else [module]
        assert imported == [str(expected)], line
        seen.add(HOMES[name])
    assert main.get_command(click.Context(main), "frobnicate") is None
    cli = Path(dd.__file__).parent / "cli"
    assert set(HOMES.values()) == {p.stem for p in cli.glob("*.py")} - {"__init__", "group"}


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
