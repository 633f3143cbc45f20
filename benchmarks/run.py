"""Time driverdiagram against the floor of what any Python tool on Graphviz must pay.

    python benchmarks/run.py                   # the whole table (several minutes)
    python benchmarks/run.py --quick           # fewer repeats and sizes
    python benchmarks/run.py --dot-at-20000    # and Graphviz dot's own layout of 20,000
                                               # boxes (2 to 5 minutes more)

Every number is the median of several runs of a fresh process, measured in the same
run as the floor it is compared with, because this machine is shared and noisy.
Peak memory comes from GNU time (``/usr/bin/time -f %M``) where it is installed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from driverdiagram.draw.own import OWN_FROM

sys.path.insert(0, str(Path(__file__).resolve().parent))
from indexing import diagram_text as cycles_text  # benchmarks/ is not a package

#: The command a user runs: the installed script beside this Python (python -m costs
#: runpy's few milliseconds more), or python -m where there is none.
_SCRIPT = Path(sys.executable).parent / "driverdiagram"
CLI = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "driverdiagram"]


def diagram_text(boxes: int, cross: bool = False) -> str:
    """A diagram of about ``boxes`` boxes: 5 secondaries per primary, 4 ideas each.

    With ``cross``, the links a real programme has besides its tree: from the second
    primary driver on, its first secondary driver also serves the primary before it
    (a ``ref``), and also tests a change idea of the primary before (a ``ref`` running
    up the change column); every third primary driver has a change idea of its own,
    straight under it (a line that skips the secondary column), and every fourth
    secondary driver's first change idea is only weakly linked (a dotted line)."""
    lines = ["title: Benchmark", "aim: Raise enrolment from 80% to 95% by June 2027", "primary:"]
    count, primary = 1, 0
    while count < boxes:
        primary += 1
        text = f"Primary driver {primary} is a condition of the system"
        lines += [f"  - id: p{primary}", f"    text: {text}"] if cross else [f"  - text: {text}"]
        lines.append("    secondary:")
        count += 1
        for secondary in range(5):
            if count >= boxes:
                break
            text = f"Secondary driver {primary}.{secondary} in a few words"
            if cross:
                lines += [f"      - id: s{primary}-{secondary}", f"        text: {text}"]
            else:
                lines.append(f"      - text: {text}")
            lines.append("        changes:")
            count += 1
            if cross and primary > 1 and secondary == 0:
                lines.append(f"          - ref: c{primary - 1}-1-2")
            for idea in range(4):
                if count >= boxes:
                    break
                text = f"Change idea {primary}.{secondary}.{idea} to test next month"
                if not cross:
                    lines.append(f"          - {text}")
                else:
                    lines += [
                        f"          - id: c{primary}-{secondary}-{idea}",
                        f"            text: {text}",
                    ]
                    if idea == 0 and (primary * 5 + secondary) % 4 == 0:
                        lines.append("            strength: weak")
                count += 1
        if cross and primary > 1:
            lines.append(f"      - ref: s{primary - 1}-0")
        if cross and primary % 3 == 0 and count < boxes:
            lines += [
                "    changes:",
                f"      - Change idea {primary} straight from its primary driver",
            ]
            count += 1
    return "\n".join(lines) + "\n"


def timed(
    command: list[str],
    repeat: int,
    stdin: bytes | None = None,
    before: Callable[[], None] | None = None,
) -> tuple[float, int | None]:
    """Median wall time in seconds, and peak memory in MB (None without GNU time);
    ``before`` runs before each run, untimed (to make each one start cold)."""
    gnu_time = os.path.exists("/usr/bin/time")
    times, memory = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        wrapped = ["/usr/bin/time", "-f", "%M", *command] if gnu_time else command
        started = time.perf_counter()
        run = subprocess.run(wrapped, input=stdin, capture_output=True)
        times.append(time.perf_counter() - started)
        if gnu_time:
            with contextlib.suppress(ValueError, IndexError):  # a run that failed early
                memory.append(int(run.stderr.decode().strip().splitlines()[-1]) // 1024)
    return statistics.median(times), (max(memory) if memory else None)


def sizes_row(path: Path, boxes: int, runs: int, work: Path, with_dot: bool) -> None:
    """validate and render ``path`` (its own layout from OWN_FROM boxes), and render it
    with Graphviz dot's layout unless ``with_dot`` is false."""
    limits = ["--max-boxes", "50000", "--dot-timeout", "900"]  # dot takes minutes at 20,000
    validate, _ = timed([*CLI, *limits, "validate", str(path)], runs)
    target = str(work / f"{path.stem}.svg")
    render = [*CLI, *limits, "render", "--force", str(path), "-o", target]
    seconds, peak = timed(render, runs)
    layout = "own" if boxes >= OWN_FROM else "dot"
    dot_seconds, dot_peak = "not run (2-5 min: --dot-at-20000)", ""
    if with_dot:
        seconds_dot, peak_dot = timed([*render[:-2], "--layout", "dot", *render[-2:]], runs)
        dot_seconds, dot_peak = f"{seconds_dot:.2f}", str(peak_dot or "")
    row(boxes, f"{validate:.2f}", f"{seconds:.2f} ({layout})", peak or "", dot_seconds, dot_peak)


def row(*cells: object) -> None:
    print(" | ".join(str(cell) for cell in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--dot-at-20000", action="store_true")
    options = parser.parse_args()
    repeat = 3 if options.quick else 7
    batch_repeat = 1 if options.quick else 3
    sizes = [10, 100, 1000] if options.quick else [10, 100, 1000, 5000, 20000]
    work = Path(tempfile.mkdtemp(prefix="dd-bench-"))

    typical = work / "typical.yaml"
    typical.write_text(diagram_text(40))
    dot_file = work / "typical.dot"
    subprocess.run(
        [*CLI, "render", str(typical), "-f", "dot", "-o", str(dot_file)],
        check=True,
        capture_output=True,
    )
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # never the user's drawing cache
    print("## Typical 40-box diagram (median of", repeat, "runs)\n")
    row("step", "seconds", "peak MB", "ratio to floor")
    row("---", "---", "---", "---")
    floor_import, _ = timed([sys.executable, "-c", "import networkx"], repeat)
    floor_dot, _ = timed(["dot", "-Tsvg", str(dot_file), "-o", os.devnull], repeat)
    floor = floor_import + floor_dot
    row("floor: python -c 'import networkx' + dot -Tsvg", f"{floor:.3f}", "", "1.00")
    for name, command in [
        ("driverdiagram --help", [*CLI, "--help"]),
        ("driverdiagram validate", [*CLI, "validate", str(typical)]),
        (
            "driverdiagram render -f svg",
            [*CLI, "render", "--force", str(typical), "-o", str(work / "t.svg")],
        ),
    ]:
        seconds, peak = timed(command, repeat)
        row(name, f"{seconds:.3f}", peak or "", f"{seconds / floor:.2f}")

    print("\n## Size (with cross links: validate, render SVG, and with --layout dot)\n")
    row("boxes", "validate s", "render s (layout)", "peak MB", "render --layout dot s", "peak MB")
    row("---", "---", "---", "---", "---", "---")
    for boxes in sizes:
        path = work / f"size{boxes}.yaml"
        path.write_text(diagram_text(boxes, cross=True))
        with_dot = boxes < 20_000 or options.dot_at_20000
        sizes_row(path, boxes, 1 if boxes >= 5000 else repeat, work, with_dot)

    print("\n## 5,000 boxes with PDSA cycles (a measure on every secondary driver, a cycle")
    print("on every change idea: benchmarks/indexing.py's diagram)\n")
    row("boxes", "validate s", "render s (layout)", "peak MB", "render --layout dot s", "peak MB")
    row("---", "---", "---", "---", "---", "---")
    path = work / "cycles5000.yaml"
    path.write_text(cycles_text(5000))
    sizes_row(path, 5000, 1, work, True)

    print(f"\n## 200 diagrams in one batch (median of {batch_repeat} runs)\n")
    batch = work / "batch"
    batch.mkdir()
    for index in range(200):
        (batch / f"d{index:03}.yaml").write_text(diagram_text(20 + index % 30))
    files = sorted(str(path) for path in batch.glob("*.yaml"))
    out = work / "out"

    def cold() -> None:  # no record of drawings and no drawings: every one is made
        shutil.rmtree(work / "cache", ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)

    render = [*CLI, "render", *files, "-o", str(out) + "/"]
    again = [*CLI, "render", "--force", *files, "-o", str(out) + "/"]
    row("run", "seconds")
    row("---", "---")
    one_process = [*CLI, "render", "-j", "1", *files, "-o", str(out) + "/"]
    one, _ = timed(one_process, batch_repeat, None, cold)
    row("cold, one process (-j 1)", f"{one:.2f}")
    first, _ = timed(render, batch_repeat, None, cold)
    row(f"cold, all {os.cpu_count()} CPUs", f"{first:.2f}")
    forced, _ = timed(again, batch_repeat)
    row("warm, --force (files read before, every drawing made again)", f"{forced:.2f}")
    second, _ = timed(render, repeat)
    row("warm, nothing changed (every drawing up to date)", f"{second:.2f}")

    mmdc = shutil.which("mmdc") or os.environ.get("MMDC")
    chromium = shutil.which("chromium")
    print("\n## Mermaid CLI on the exported Mermaid of the typical diagram\n")
    if mmdc and chromium:
        source = work / "typical.mmd"
        subprocess.run(
            [*CLI, "export", str(typical), "--to", "mermaid", "-o", str(source)],
            check=True,
            capture_output=True,
        )
        config = work / "puppeteer.json"
        config.write_text(f'{{"executablePath": "{chromium}", "args": ["--no-sandbox"]}}')
        seconds, peak = timed(
            [mmdc, "-p", str(config), "-i", str(source), "-o", str(work / "m.svg")], 3
        )
        row("mmdc", f"{seconds:.2f} s", f"{peak or '?'} MB", f"{seconds / floor:.1f}x the floor")
    else:
        print("(not measured: needs mmdc and chromium; see tests/exports/test_mermaid.py)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
