"""Time driverdiagram against the floor of what any Python tool on Graphviz must pay.

    python benchmarks/run.py            # the whole table (a few minutes)
    python benchmarks/run.py --quick    # fewer repeats and sizes

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
from pathlib import Path

from driverdiagram.draw.own import OWN_FROM

CLI = [sys.executable, "-m", "driverdiagram"]


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


def timed(command: list[str], repeat: int, stdin: bytes | None = None) -> tuple[float, int | None]:
    """Median wall time in seconds, and peak memory in MB (None without GNU time)."""
    gnu_time = os.path.exists("/usr/bin/time")
    times, memory = [], []
    for _ in range(repeat):
        wrapped = ["/usr/bin/time", "-f", "%M", *command] if gnu_time else command
        started = time.perf_counter()
        run = subprocess.run(wrapped, input=stdin, capture_output=True)
        times.append(time.perf_counter() - started)
        if gnu_time:
            with contextlib.suppress(ValueError, IndexError):  # a run that failed early
                memory.append(int(run.stderr.decode().strip().splitlines()[-1]) // 1024)
    return statistics.median(times), (max(memory) if memory else None)


def row(*cells: object) -> None:
    print(" | ".join(str(cell) for cell in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args()
    repeat = 3 if options.quick else 7
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
    row("boxes", "validate s", "render s (layout)", "render peak MB", "render --layout dot s")
    row("---", "---", "---", "---", "---")
    for boxes in sizes:
        path = work / f"size{boxes}.yaml"
        path.write_text(diagram_text(boxes, cross=True))
        runs = 1 if boxes >= 5000 else repeat
        validate, _ = timed([*CLI, "validate", str(path)], runs)
        target = str(work / f"s{boxes}.svg")
        render, peak = timed([*CLI, "render", "--force", str(path), "-o", target], runs)
        layout = "own" if boxes >= OWN_FROM else "dot"
        if boxes < 20_000:  # dot takes 2 to 5 minutes over 20,000 boxes with cross links
            command = [*CLI, "render", "--force", "--layout", "dot", str(path), "-o", target]
            with_dot = f"{timed(command, runs)[0]:.2f}"
        else:
            with_dot = "not run (2-5 min)"
        row(boxes, f"{validate:.2f}", f"{render:.2f} ({layout})", peak or "", with_dot)

    print("\n## 200 diagrams in one batch\n")
    batch = work / "batch"
    batch.mkdir()
    for index in range(200):
        (batch / f"d{index:03}.yaml").write_text(diagram_text(20 + index % 30))
    files = sorted(str(path) for path in batch.glob("*.yaml"))
    shutil.rmtree(work / "cache", ignore_errors=True)  # a cold cache for the batch
    out = str(work / "out") + "/"
    one, _ = timed([*CLI, "render", "-j", "1", *files, "-o", str(work / "one") + "/"], 1)
    # the cache makes every later render of the same files a no-op: time them cold
    first, _ = timed([*CLI, "render", *files, "-o", out], 1)
    second, _ = timed([*CLI, "render", *files, "-o", out], 1)
    row("run", "seconds")
    row("---", "---")
    row("first, one process (-j 1)", f"{one:.2f}")
    row(f"first, all {os.cpu_count()} CPUs", f"{first:.2f}")
    row("second, nothing changed", f"{second:.2f}")

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
