"""The README and every page of the guide (docs/) are true: each ``console`` example is
typed into a new shell, as a coach would, in a scratch copy of the examples, and prints
what the page says; each ``python`` example runs; each whole diagram in a ``yaml``
example validates; every relative link and anchor leads somewhere.

A ``console`` block is a list of ``$ command`` lines, each followed by what it shows
in the terminal (standard output and standard error, as they come; a line ``...``
stands for any number of lines). A page may say more about the block that follows it
in an HTML comment, which no reader sees:

- ``<!-- run: exit 1 -->``: the commands end with that status (0 otherwise);
- ``<!-- run: file falls.yaml -->``: the block is a file the reader saves under that
  name, for the examples after it;
- ``<!-- run: skip: WHY -->``: an example that cannot run here, with the reason.

The commands of one page run one after another in the same folder, so a page can
build on its earlier examples, as its reader does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import driverdiagram as dd

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(
    r"(?:<!-- run: (?P<say>[^>]*?) -->\n)?^```(?P<lang>[\w-]*)\n(?P<body>.*?)^```$", re.S | re.M
)
#: What a scratch folder holds: the examples, the templates and the test cases the
#: pages name (copied, so an example that edits a file edits the copy).
COPIED = ("diagrams", "templates", "tests/cases")


@dataclass(frozen=True)
class Block:
    page: Path
    line: int
    lang: str
    body: str
    say: str

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    return [
        Block(
            page,
            text.count("\n", 0, found.start("body")),
            found["lang"],
            found["body"],
            (found["say"] or "").strip(),
        )
        for found in _FENCE.finditer(text)
    ]


def _shell_pages() -> list[Path]:
    return [page for page in PAGES if any(b.lang == "console" for b in blocks(page))]


def runs(block: Block) -> list[tuple[str, list[str]]]:
    """The commands of a console block, each with the lines it should print."""
    found: list[tuple[str, list[str]]] = []
    for line in block.body.splitlines():
        if line.startswith("$ "):
            found.append((line[2:], []))
        elif found:
            found[-1][1].append(line)
        elif line.strip():
            raise AssertionError(f"{block.name}: output before the first '$ ' command")
    for _, expected in found:
        while expected and not expected[-1].strip():
            expected.pop()
    return found


def matches(expected: list[str], got: list[str]) -> bool:
    """Whether ``got`` reads as ``expected``, where a line '...' is any lines."""
    if not expected:
        return not got
    if expected[0] == "...":
        return any(matches(expected[1:], got[skip:]) for skip in range(len(got) + 1))
    return bool(got) and got[0] == expected[0] and matches(expected[1:], got[1:])


def _say(block: Block, key: str) -> str | None:
    for part in block.say.split(";"):
        name, _, value = part.strip().partition(" ")
        if name.rstrip(":") == key:
            return value.strip() or key
    return None


@pytest.fixture(scope="module")
def program() -> str:
    found = Path(sys.executable).parent / "driverdiagram"
    assert found.exists(), "the console script is installed beside the interpreter"
    return str(found)


def _scratch(tmp_path: Path) -> Path:
    for part in COPIED:
        shutil.copytree(ROOT / part, tmp_path / part, ignore=_drawn)
    return tmp_path


def _drawn(folder: str, names: list[str]) -> list[str]:
    """Leave out what ``make demo`` drew in a checkout: the pages start from the files."""
    return [n for n in names if n.endswith((".svg", ".pdf", ".png")) or n == "charts"]


def _shell_env(program: str, home: Path) -> dict[str, str]:
    """A new shell's environment after '. .venv/bin/activate': the console script's
    folder first on PATH, a home of its own (so the drawing cache starts empty)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "LANG", "LC_ALL", "TZ", "MMDC", "DRIVERDIAGRAM_BROWSER")
    }
    env["PATH"] = f"{Path(program).parent}{os.pathsep}{env.get('PATH', '')}"
    env["HOME"] = str(home)
    env["XDG_CACHE_HOME"] = str(home / ".cache")
    env["COLUMNS"] = "100"
    env["PYTHONUNBUFFERED"] = "1"  # the lines in the order a terminal shows them
    for who in ("AUTHOR", "COMMITTER"):  # the coach's own git set-up, in a real shell
        env[f"GIT_{who}_NAME"] = "A Coach"
        env[f"GIT_{who}_EMAIL"] = "coach@example.org"
    return env


@pytest.mark.graphviz
@pytest.mark.parametrize("page", _shell_pages(), ids=lambda page: page.name)
def test_every_console_example_prints_what_the_page_says(
    page: Path, tmp_path: Path, program: str
) -> None:
    folder = _scratch(tmp_path / "work")
    home = tmp_path / "home"
    home.mkdir()
    env = _shell_env(program, home)
    ran = 0
    for block in blocks(page):
        saved = _say(block, "file")
        if saved:
            (folder / saved).parent.mkdir(parents=True, exist_ok=True)
            (folder / saved).write_text(block.body, encoding="utf-8")
        if block.lang != "console" or _say(block, "skip"):
            continue
        status = int(_say(block, "exit") or 0)
        for command, expected in runs(block):
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-c", command],
                cwd=folder,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=600,
            )
            ran += 1
            where = f"{block.name}: $ {command}"
            got = done.stdout.splitlines()
            assert done.returncode == status, f"{where}\nexit {done.returncode}\n{done.stdout}"
            assert matches(expected, got), f"{where}\nprinted:\n" + "\n".join(got)
    assert ran, f"{page.name} has console examples, and they ran"


def test_every_skipped_example_says_why() -> None:
    for page in PAGES:
        for block in blocks(page):
            reason = _say(block, "skip")
            assert reason != "skip", f"{block.name}: say why the example cannot run"


def test_every_python_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    found = [block for page in PAGES for block in blocks(page) if block.lang == "python"]
    assert found
    monkeypatch.chdir(_scratch(tmp_path))
    for block in found:
        if _say(block, "skip"):
            continue
        exec(compile(block.body, block.name, "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("Reduce inpatient falls")  # python.md, the first example
    assert "4 5 unknown key 'secondry' (did you mean 'secondary'?)" in printed
    assert (tmp_path / "falls.pdf").read_bytes().startswith(b"%PDF")


def test_every_whole_diagram_in_a_yaml_example_validates() -> None:
    checked = 0
    for page in PAGES:
        for block in blocks(page):
            if block.lang != "yaml" or _say(block, "skip"):
                continue
            data = yaml.safe_load(block.body)
            if not (isinstance(data, dict) and "aim" in data and "primary" in data):
                continue  # a part of a file: checked where the page runs it
            if _say(block, "invalid"):
                with pytest.raises(dd.DiagramError):
                    dd.loads(block.body, block.name, base=ROOT / "diagrams")
            else:
                dd.loads(block.body, block.name, base=ROOT / "diagrams")
            checked += 1
    assert checked >= 5


_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")


def _anchors(page: Path) -> set[str]:
    """The anchors of a page's headings, as GitHub and MkDocs make them."""
    found = set()
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") and not line.startswith("#!"):
            title = line.lstrip("#").strip().lower()
            found.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return found


def test_every_relative_link_and_anchor_leads_somewhere() -> None:
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"^```.*?^```$", "", text, flags=re.S | re.M)
        for found in _LINK.finditer(text):
            target = found.group(1) or found.group(2)
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            goal = (page.parent / path).resolve() if path else page
            assert goal.exists(), f"{page.name}: {target} leads nowhere"
            if anchor:
                assert anchor in _anchors(goal), f"{page.name}: no heading for #{anchor}"


def test_the_guide_has_a_page_for_each_task() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = {path.name for path in (ROOT / "docs").glob("*.md")}
    listed = set(re.findall(r"^\s+- [^:]+: (\S+\.md)$", nav, re.M))
    assert listed == pages, "mkdocs.yml lists every page of docs/ and no other"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in sorted(pages - {"index.md"}):
        assert f"(docs/{name}" in readme, f"the README links to docs/{name}"
