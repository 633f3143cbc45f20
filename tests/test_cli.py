"""The command line, tested to the exact output with click's CliRunner on real files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.draw.graphviz import FORMATS as RENDER_FORMATS

CASES = Path(__file__).parent / "cases"
MINIMAL = (
    "aim: Every family enrolled by March 2027\nprimary:\n  - Families know they are eligible\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def diagram_file(tmp_path: Path) -> Path:
    path = tmp_path / "falls.yaml"
    path.write_text(MINIMAL)
    return path


def test_formats_are_the_renderers() -> None:
    (option,) = [p for p in main.commands["render"].params if p.name == "formats"]
    assert tuple(option.type.choices) == RENDER_FORMATS  # type: ignore[attr-defined]


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"driverdiagram, version {dd.__version__}\n"


@pytest.mark.parametrize("command", [[], ["validate"], ["render"], ["new"], ["templates"]])
def test_every_command_has_help(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert result.output.startswith("Usage: ")


def test_validate_ok(
    runner: CliRunner, diagram_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(diagram_file.parent)
    result = runner.invoke(main, ["validate", "falls.yaml"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "falls.yaml: ok (2 boxes, 1 link)\n",
        "",
    )


def test_validate_reports_every_file(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES / "invalid")
    result = runner.invoke(
        main, ["validate", "bad-strength.yaml", "../valid/minimal.yaml", "missing.yaml"]
    )
    assert result.exit_code == 1
    assert result.stdout == "../valid/minimal.yaml: ok (2 boxes, 1 link)\n"
    assert result.stderr == (
        "bad-strength.yaml:4:15: error: unknown strength 'medium'; use one of: strong, weak\n"
        "missing.yaml: error: no such file\n"
    )


def test_validate_reads_standard_input(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "-"], input=MINIMAL)
    assert (result.exit_code, result.stdout) == (0, "<stdin>: ok (2 boxes, 1 link)\n")
    bad = runner.invoke(main, ["validate", "-"], input="aim: A\nprimary: [B]\ntitel: x\n")
    assert bad.exit_code == 1
    assert bad.stderr == "<stdin>:3:1: error: unknown key 'titel' (did you mean 'title'?)\n"


@pytest.mark.parametrize("case", sorted((CASES / "invalid").glob("*.yaml")), ids=lambda p: p.stem)
def test_no_traceback_for_any_invalid_file(runner: CliRunner, case: Path, tmp_path: Path) -> None:
    for command in (["validate", str(case)], ["render", str(case), "-o", str(tmp_path) + "/"]):
        result = runner.invoke(main, command)
        assert result.exit_code == 1
        assert ("Traceback" not in result.output and result.exception is None) or isinstance(
            result.exception, SystemExit
        )
        assert result.stderr.startswith((str(case) + ":", str(case.parent / "data") + "/"))
    assert list(tmp_path.iterdir()) == [], "nothing written for an invalid diagram"


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    assert runner.invoke(main, ["validate"]).exit_code == 2
    assert runner.invoke(main, ["render", "x.yaml", "-f", "gif"]).exit_code == 2
    assert runner.invoke(main, ["frobnicate"]).exit_code == 2


@pytest.mark.graphviz
def test_render_writes_next_to_the_input(
    runner: CliRunner, diagram_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(diagram_file.parent)
    result = runner.invoke(main, ["render", "falls.yaml", "-f", "svg", "-f", "pdf", "-f", "dot"])
    assert (result.exit_code, result.stdout) == (0, "falls.svg\nfalls.pdf\nfalls.dot\n")
    assert Path("falls.svg").read_bytes().startswith(b"<?xml")
    assert Path("falls.dot").read_text() == dd.to_dot(dd.load("falls.yaml"))
    assert Path("falls.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.graphviz
def test_render_to_a_folder_a_file_and_stdout(
    runner: CliRunner, diagram_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "nested"
    result = runner.invoke(main, ["render", str(diagram_file), "-o", f"{out}/", "-f", "png"])
    assert (result.exit_code, result.stdout) == (0, f"{out}/falls.png\n")
    assert (out / "falls.png").read_bytes().startswith(b"\x89PNG")
    named = tmp_path / "board-paper.pdf"
    result = runner.invoke(main, ["render", str(diagram_file), "-o", str(named)])
    assert (result.exit_code, result.stdout) == (0, f"{named}\n")
    assert named.read_bytes().startswith(b"%PDF"), "the extension chooses the format"
    result = runner.invoke(main, ["render", str(diagram_file), "-o", "-", "-f", "dot"])
    assert result.exit_code == 0
    assert result.stdout == dd.to_dot(dd.load(diagram_file))


@pytest.mark.graphviz
def test_render_from_standard_input_to_standard_output(runner: CliRunner) -> None:
    result = runner.invoke(main, ["render", "-"], input=MINIMAL)
    assert result.exit_code == 0
    assert result.stdout.startswith("<?xml") and "Families know they are eligible" in result.stdout


def test_render_usage_mistakes(runner: CliRunner, diagram_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(MINIMAL)
    cases = {
        ("-o", str(tmp_path / "one.svg"), str(other)): "names one file, but there are 2 inputs",
        (
            "-o",
            str(tmp_path / "x.svg"),
            "-f",
            "svg",
            "-f",
            "pdf",
        ): "several formats cannot all go",
        ("-o", str(tmp_path / "x.jpg")): "does not write .jpg files",
        ("-o", str(tmp_path / "x.pdf"), "-f", "png"): "ends in .pdf but the format is png",
        ("-o", str(diagram_file), "-f", "svg"): "would replace the input file itself",
        ("-o", str(diagram_file)): "does not write .yaml files",
        (str(diagram_file), "-o", str(tmp_path / "out") + "/"): "would both be drawn to",
    }
    for extra, message in cases.items():
        result = runner.invoke(main, ["render", str(diagram_file), *extra])
        assert result.exit_code == 2, extra
        assert message in result.stderr, (extra, result.stderr)
    for args, message in {
        ("-", "-"): "can be read only once",
        (str(tmp_path / "x.svg"),): "would replace the input file itself",
    }.items():
        (tmp_path / "x.svg").write_text(MINIMAL)
        result = runner.invoke(main, ["render", *args])
        assert result.exit_code == 2, extra
        assert message in result.stderr, (extra, result.stderr)
    assert diagram_file.read_text() == MINIMAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["falls.yaml", "other.yaml", "x.svg"]
    assert (tmp_path / "x.svg").read_text() == MINIMAL


def test_render_without_graphviz(
    runner: CliRunner, diagram_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = runner.invoke(main, ["render", str(diagram_file)])
    assert result.exit_code == 1
    assert "Graphviz is not installed" in result.stderr
    assert (
        "sudo apt-get install graphviz" in result.stderr
        and "brew install graphviz" in result.stderr
    )
    assert not diagram_file.with_suffix(".svg").exists()


def test_templates_lists_each_with_a_description(runner: CliRunner) -> None:
    result = runner.invoke(main, ["templates"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert {"blank", "ihi-classic", "coach-practice"} <= set(names)
    assert all(len(line.split(maxsplit=1)) == 2 for line in result.stdout.splitlines())


@pytest.mark.parametrize("template", ["blank", "ihi-classic", "coach-practice"])
def test_new_from_each_template_is_valid(runner: CliRunner, tmp_path: Path, template: str) -> None:
    target = tmp_path / f"{template}.yaml"
    result = runner.invoke(main, ["new", str(target), "--template", template])
    assert (result.exit_code, result.stdout) == (0, f"{target}\n")
    assert not target.read_text().startswith("# description:")
    dd.load(target)


def test_new_defaults_to_ihi_classic_and_never_overwrites(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "mine.yaml"
    assert runner.invoke(main, ["new", str(target)]).exit_code == 0
    classic = runner.invoke(main, ["new", "-", "--template", "ihi-classic"]).stdout
    editor_line = "# yaml-language-server: $schema=driverdiagram.schema.json\n"
    assert target.read_text() == editor_line + classic
    assert (tmp_path / "driverdiagram.schema.json").read_text() == (
        Path(dd.__file__).parent / "schema.json"
    ).read_text()
    target.write_text("my own work")
    result = runner.invoke(main, ["new", str(target)])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"{target}: error: already exists; choose another name, or add --force to replace it\n"
    )
    assert target.read_text() == "my own work"
    assert runner.invoke(main, ["new", str(target), "--force"]).exit_code == 0
    assert target.read_text() == editor_line + classic
    nested = tmp_path / "team" / "falls.yaml"
    nested.parent.mkdir()
    assert runner.invoke(main, ["new", str(nested), "--template", "blank"]).exit_code == 0
    assert nested.read_text().startswith(
        "# yaml-language-server: $schema=../driverdiagram.schema.json\n"
    )
    assert not (nested.parent / "driverdiagram.schema.json").exists()
    bare = tmp_path / "bare.yaml"
    assert runner.invoke(main, ["new", str(bare), "--no-schema"]).exit_code == 0
    assert bare.read_text() == classic


def test_new_unknown_template(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["new", str(tmp_path / "x.yaml"), "--template", "ihi-clasic"])
    assert result.exit_code == 2
    assert "no template called 'ihi-clasic' (did you mean 'ihi-classic'?)" in result.stderr


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
    "pypdf",
    "lxml",
    "concurrent.futures",
    "driverdiagram.draw.render",
    "driverdiagram.measures.chart",
)


@pytest.mark.parametrize(
    "args, needed",
    [
        (["--help"], ()),
        (["render", "--help"], ()),
        # validate needs the YAML parser and networkx's checks, and nothing else
        (
            ["validate", str(Path(__file__).parent / "cases" / "valid" / "measures.yaml")],
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


@pytest.mark.graphviz
def test_render_refuses_a_symlink_and_writes_into_a_named_pipe(
    runner: CliRunner, diagram_file: Path, tmp_path: Path
) -> None:
    import os
    import threading

    real = tmp_path / "real.svg"
    real.write_text("mine")
    link = tmp_path / "link.svg"
    link.symlink_to(real)
    refused = runner.invoke(main, ["render", str(diagram_file), "-o", str(link)])
    assert refused.exit_code == 1
    assert f"{link}: error: is a symbolic link; driverdiagram does not write through links" in (
        refused.stderr
    )
    assert link.is_symlink() and real.read_text() == "mine"

    pipe = tmp_path / "pipe.svg"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    result = runner.invoke(main, ["render", str(diagram_file), "-o", str(pipe)])
    reader.join(timeout=30)
    assert result.exit_code == 0
    assert received and received[0].startswith(b"<?xml")
    assert pipe.is_fifo(), "a pipe is written into, never replaced by a file"


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

    assert set(COMMANDS) == set(main.commands), "each command names its API function"
    for command, function in COMMANDS.items():
        assert callable(getattr(dd, function)), (command, function)
        assert function in dd.__all__, function
        cli_command = main.commands[command]
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
