"""Time building the portal: the example programme and a generated one of 200 diagrams,
cold and after one file changes, on one process and on all cores.

    python benchmarks/portal.py                 # the whole table (about 15 minutes here)
    python benchmarks/portal.py --quick         # 40 generated diagrams, fewer repeats

Each number is the median wall time of several runs of ``driverdiagram site`` in a
fresh process, as a coach runs it: "cold" is a new output folder with no record of an
earlier build; "one change" edits a value in one diagram (a different one each run)
and builds the same folder again. The generated programme is in a git repository of
its own (one commit), so each build reads the history as it would for a real one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "driverdiagram", "site"]


def team(number: int) -> str:
    """A team's diagram: 4 primary drivers, 3 secondaries each, 2 change ideas under each
    secondary (24 change ideas, so 25 pages), an outcome measure of 24 months with a run
    chart, a process measure, and a PDSA cycle on two of its ideas."""
    lines = [
        f"title: Team {number}",
        f"team: Ward {number}",
        "aim:",
        f"  text: Reduce falls on ward {number} by 30% by June 2027",
        "  measures:",
        "    - id: falls",
        "      name: Falls per 1,000 bed days",
        "      type: outcome",
        "      direction: down",
        "      values: {"
        + ", ".join(
            f"{2025 + (m // 12)}-{m % 12 + 1:02d}: {6 + (m * 7 + number) % 5}" for m in range(24)
        )
        + "}",
        "primary:",
    ]
    for p in range(4):
        lines += [f"  - text: Primary driver {p + 1} of team {number}", "    secondary:"]
        for s in range(3):
            lines += [f"      - text: Secondary driver {p + 1}.{s + 1}", "        changes:"]
            for c in range(2):
                idea = f"i{p}{s}{c}"
                lines += [f"          - id: {idea}", f"            text: Change idea {idea}"]
                if p == 0 and s == 0:
                    lines += [
                        "            measures:",
                        f"              - id: done-{idea}",
                        "                name: Share of shifts that tried it",
                        "                values: {2026-01: 20, 2026-02: 40, 2026-03: 55}",
                        "            pdsa:",
                        "              - start: 2026-01-10",
                        "                end: 2026-02-07",
                        "                objective: Try it on one shift",
                        "                prediction: Most shifts can do it",
                        f"                measures: [done-{idea}]",
                        "                act: adapt",
                    ]
    return "\n".join(lines) + "\n"


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-C",
            str(folder),
            "-c",
            "user.name=Bench",
            "-c",
            "user.email=b@example.org",
            *args,
        ],
        check=True,
        capture_output=True,
    )


def generated(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    for number in range(1, count + 1):
        (folder / f"team-{number:03d}.yaml").write_text(team(number), "utf-8")
    git(folder, "init", "-q")
    git(folder, "add", ".")
    git(folder, "commit", "-qm", "The programme")
    return folder


def build(source: Path, out: Path, cache: Path, jobs: int | None) -> float:
    command = [*CLI, str(source), "-o", str(out), *(["-j", str(jobs)] if jobs else [])]
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    began = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, env=env)
    took = time.perf_counter() - began
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{run.stderr}")
    return took


def cold(source: Path, work: Path, jobs: int | None, repeat: int) -> float:
    times = []
    for run in range(repeat):
        place = work / f"cold-{jobs}-{run}"
        times.append(build(source, place / "site", place / "cache", jobs))
        shutil.rmtree(place)
    return statistics.median(times)


def one_change(source: Path, files: list[Path], work: Path, jobs: int | None, repeat: int) -> float:
    """Build once, then change one diagram's file at a time and build again."""
    place = work / f"change-{jobs}"
    build(source, place / "site", place / "cache", jobs)
    times = []
    for run in range(repeat):
        file = files[run % len(files)]
        text = file.read_text("utf-8")
        file.write_text(text.replace("Reduce", "Cut", 1) if "Reduce" in text else text + "\n")
        times.append(build(source, place / "site", place / "cache", jobs))
    shutil.rmtree(place)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="40 generated diagrams, 2 repeats")
    parser.add_argument("--diagrams", type=int, default=None, help="generated diagrams (200)")
    parser.add_argument("--repeat", type=int, default=None, help="runs of each (5; cold: 3)")
    args = parser.parse_args()
    count = args.diagrams or (40 if args.quick else 200)
    repeat = args.repeat or (2 if args.quick else 5)
    cores = os.cpu_count() or 1
    rows: list[tuple[str, str, float]] = []
    with tempfile.TemporaryDirectory(prefix="dd-site-bench-") as name:
        work = Path(name)
        examples = work / "examples"
        shutil.copytree(ROOT / "diagrams", examples, ignore=shutil.ignore_patterns("charts"))
        files = sorted(examples.glob("*.yaml"))
        for jobs in (1, cores):
            rows.append(
                (
                    f"examples ({len(files)} diagrams), cold",
                    f"-j {jobs}",
                    cold(examples, work, jobs, max(repeat, 3)),
                )
            )
        rows.append(
            (
                f"examples ({len(files)} diagrams), one change",
                f"-j {cores}",
                one_change(examples, files, work, cores, repeat),
            )
        )
        programme = generated(work / "programme", count)
        files = sorted(programme.glob("*.yaml"))
        for jobs in (1, cores):
            rows.append(
                (
                    f"{count} generated diagrams, cold",
                    f"-j {jobs}",
                    cold(programme, work, jobs, max(2, repeat // 2)),
                )
            )
        rows.append(
            (
                f"{count} generated diagrams, one change",
                f"-j {cores}",
                one_change(programme, files, work, cores, repeat),
            )
        )
        out = work / "count"
        build(programme, out / "site", out / "cache", cores)
        pages = sum(1 for _ in (out / "site").rglob("*.html"))
        others = sum(1 for p in (out / "site").rglob("*") if p.is_file()) - pages
    print(f"driverdiagram site, median wall time ({cores} cores, {sys.platform})")
    print(f"the generated site: {pages} pages and {others} other files\n")
    width = max(len(what) for what, _, _ in rows)
    for what, jobs, seconds in rows:
        print(f"{what.ljust(width)}  {jobs.ljust(5)}  {seconds:7.2f} s")


if __name__ == "__main__":
    main()
