"""Time the work that must stay bounded on big or hostile inputs (issue 11): ``diff`` of
two versions in which every box is reworded, and ``import`` of big spreadsheets.

    python benchmarks/bounded.py                     # this checkout
    python benchmarks/bounded.py --before REV        # and REV side by side (git archive)
    python benchmarks/bounded.py --before DIR        # or the package in another folder
    python benchmarks/bounded.py --quick --timeout 120

Every number is the median wall time of fresh processes (``python -m driverdiagram
...``), both versions measured in the same run because the machine is shared and
noisy; a run past ``--timeout`` seconds is stopped and shown as "> N". For diff, the
number of boxes matched as reworded shows that the speed is not bought by giving up.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import diagram_text  # noqa: E402  (the same diagrams as the main benchmark)

#: How each box is reworded: a word or two changed, so each still matches its old self.
REWORDING = [
    ("is a condition of the system", "is a condition the system is in"),
    ("in a few words", "in fewer words"),
    ("to test next month", "to try out next month"),
]


def reworded(text: str) -> str:
    for before, after in REWORDING:
        text = text.replace(before, after)
    return text


def spreadsheet(rows: int) -> str:
    """A spreadsheet of one row per change idea: 5 primary, 400 secondary drivers."""
    lines = ["Aim,Primary driver,Secondary driver,Change idea,Status"]
    for row in range(rows):
        lines.append(
            f"Raise enrolment to 95% by 2027,Primary {row % 5},Secondary {row % 400},"
            f"Change idea {row},{'testing' if row % 3 else ''}"
        )
    return "\n".join(lines) + "\n"


def timed(command: list[str], source: Path, repeat: int, timeout: float) -> float | None:
    """Median seconds of ``command`` run with ``source`` first on the path; None when a
    run took longer than ``timeout``."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        try:  # run in the source folder: python -m looks in the current folder first
            subprocess.run(command, cwd=source, env=env, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def reworded_count(source: Path, old: Path, new: Path, timeout: float) -> str:
    """How many boxes ``diff`` calls reworded (and added), from its JSON."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    command = [sys.executable, "-m", "driverdiagram", "diff", "--format", "json", str(old)]
    try:
        run = subprocess.run(
            [*command, str(new)],
            cwd=source,
            env=env,
            capture_output=True,
            timeout=timeout,
            text=True,
        )
    except subprocess.TimeoutExpired:
        return "?"
    kinds = [change["kind"] for change in json.loads(run.stdout)["changes"]]
    return f"{kinds.count('reworded')} reworded, {kinds.count('added')} added"


def shown(seconds: float | None, timeout: float) -> str:
    return f"> {timeout:.0f}" if seconds is None else f"{seconds:.2f}"


def row(*cells: object) -> None:
    print(" | ".join(str(cell) for cell in cells))


def checkout(revision: str, work: Path) -> Path:
    """The package as it was at ``revision``, unpacked under ``work``."""
    target = work / f"at-{revision.replace('/', '_')}"
    target.mkdir()
    archive = subprocess.run(
        ["git", "archive", "--end-of-options", revision, "driverdiagram"],
        cwd=HERE.parent,
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and sizes")
    parser.add_argument(
        "--before",
        metavar="REV",
        help="also time the code at this git revision (or in this folder, which holds"
        " a driverdiagram package)",
    )
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a run stops")
    options = parser.parse_args()
    repeat = 3 if options.quick else 5
    work = Path(tempfile.mkdtemp(prefix="dd-bounded-"))
    versions = {"now": HERE.parent}
    if options.before:
        before = Path(options.before)
        source = before if before.is_dir() else checkout(options.before, work)
        versions = {options.before: source, **versions}
    names = list(versions)

    print(f"## diff of two versions with every box reworded (median of {repeat} runs)\n")
    row("boxes", *(f"{name} s" for name in names), *(f"{name} matched" for name in names))
    row("---", *(["---"] * 2 * len(names)))
    for boxes in [1000] if options.quick else [1000, 5000]:
        old, new = work / f"old{boxes}.yaml", work / f"new{boxes}.yaml"
        old.write_text(diagram_text(boxes))
        new.write_text(reworded(diagram_text(boxes)))
        command = [sys.executable, "-m", "driverdiagram", "diff", str(old), str(new)]
        seconds = {}
        for name, source in versions.items():
            runs = 1 if name != "now" else repeat  # the old code takes minutes
            seconds[name] = timed(command, source, runs, options.timeout)
        counts = [
            reworded_count(source, old, new, options.timeout) if seconds[name] is not None else "?"
            for name, source in versions.items()
        ]
        row(boxes, *(shown(seconds[name], options.timeout) for name in names), *counts)

    print(f"\n## import of a spreadsheet, one row per change idea (median of {repeat} runs)\n")
    row("rows", *(f"{name} s" for name in names))
    row("---", *(["---"] * len(names)))
    for rows in [5000, 19000, 100000] if not options.quick else [5000, 100000]:
        sheet = work / f"sheet{rows}.csv"
        sheet.write_text(spreadsheet(rows))
        out = work / f"sheet{rows}.yaml"
        command = [
            sys.executable,
            "-m",
            "driverdiagram",
            "import",
            str(sheet),
            "-o",
            str(out),
            "--force",
        ]
        cells = []
        for name, source in versions.items():
            runs = 1 if name != "now" and rows >= 100000 else repeat
            cells.append(shown(timed(command, source, runs, options.timeout), options.timeout))
        row(rows, *cells)
    print("\n(19,000 rows make 19,406 boxes, just under the default limit of 20,000; 100,000")
    print("rows would make many more, so the import ends in a located error at the row that")
    print("goes over the limit, and the time is how soon.)")


if __name__ == "__main__":
    main()
