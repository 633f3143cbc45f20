"""Time analysing and charting a programme's measures: 50 measures of 60 monthly points.

    python benchmarks/charts.py            # 5 repeats of each step
    python benchmarks/charts.py --repeat 3 --measures 50 --points 60

The measures are a mix of every chart kind and rule set (run charts under ihi and
anhoej, XmR and U charts under mdc, P charts under shewhart, C charts under anhoej),
half of them with a phase, some with excluded points, notes and PDSA cycles, the P and U
charts' numerators and denominators in CSV files. Each step is timed in fresh
processes (the median of ``--repeat``), as a coach runs it, and in one process (the
median time per measure of the analysis alone and of drawing one chart). This machine
is shared and noisy: compare numbers measured in the same run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = [sys.executable, "-m", "driverdiagram"]
KINDS = [
    ("run", "ihi"),
    ("run", "anhoej"),
    ("xmr", "mdc"),
    ("p", "shewhart"),
    ("u", "mdc"),
    ("c", "anhoej"),
]


def period(index: int) -> str:
    year, month = divmod(index, 12)
    return f"{2021 + year}-{month + 1:02d}"


def programme(folder: Path, measures: int, points: int, seed: int = 7) -> Path:
    """Write a diagram with ``measures`` measures of ``points`` months each into ``folder``."""
    rng = random.Random(seed)
    lines = [
        "title: Chart benchmark",
        "aim:",
        "  text: Reduce harm from falls by 40% by June 2027",
        "primary:",
    ]
    per_driver = 10
    for driver in range(-(-measures // per_driver)):
        lines += [f"  - id: driver-{driver}", f"    text: Primary driver {driver}", "    measures:"]
        for number in range(driver * per_driver, min(measures, (driver + 1) * per_driver)):
            chart, rules = KINDS[number % len(KINDS)]
            lines += [
                f"      - id: m{number}",
                f"        name: Measure {number} ({chart}, {rules})",
                f"        chart: {chart}",
                f"        rules: {rules}",
                f"        direction: {'up' if number % 2 else 'down'}",
                "        target: 60" if chart in ("p", "run") else "        target: 4",
            ]
            if chart == "p":
                lines.append("        unit: '%'")
            if chart == "u":
                lines.append("        unit: per 1,000 bed days")
            if number % 2:
                lines += [
                    "        phases:",
                    f"          - {{from: {period(points // 2)}, label: New process}}",
                ]
            if number % 5 == 0 and chart != "run":
                lines.append(f"        exclude: [{period(3)}]")
            shift = 1.3 if number % 3 == 0 else 1.0
            if chart in ("p", "u"):
                rows = ["period,numerator,denominator,note"]
                for i in range(points):
                    size = rng.randint(300, 900)
                    rate = (0.55 if chart == "p" else 0.007) * (shift if i >= points // 2 else 1)
                    top = sum(rng.random() < rate for _ in range(size))
                    note = "Audit changed" if i == points // 3 else ""
                    rows.append(f"{period(i)},{top},{size},{note}")
                (folder / f"m{number}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
                lines.append(f"        data: m{number}.csv")
            else:
                lines.append("        values:")
                for i in range(points):
                    mean = (6 if chart == "c" else 50) * (shift if i >= points // 2 else 1)
                    value = max(0, round(rng.gauss(mean, mean * 0.15)))
                    lines.append(f"          {period(i)}: {value}")
        lines += [
            "    secondary:",
            f"      - text: Secondary driver {driver}",
            "        changes:",
            f"          - id: idea-{driver}",
            f"            text: Change idea {driver}",
            "            pdsa:",
            f"              - start: {period(points // 2)}-13",
            f"                end: {period(points // 2 + 1)}-20",
            "                act: adopt",
            "                measures: ["
            + ", ".join(
                f"m{n}" for n in range(driver * per_driver, min(measures, driver * per_driver + 3))
            )
            + "]",
        ]
    path = folder / "programme.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fresh(command: list[str], repeat: int, cwd: Path) -> float:
    """The median wall time of ``command`` in fresh processes."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(path: Path, repeat: int) -> tuple[float, float, float]:
    """Median seconds per measure: analysis alone, an SVG chart, a PNG chart."""
    import driverdiagram as dd
    from driverdiagram.measures.words import control_of, verdict_of

    diagram = dd.load(path)
    measures = diagram.measures

    def each(step: object) -> float:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            for measure in measures:
                step(measure)  # type: ignore[operator]
            times.append((time.perf_counter() - start) / len(measures))
        return statistics.median(times)

    dd.chart(diagram, measures[0].id)  # matplotlib's import and font cache, paid once
    analysis = each(lambda m: (control_of(m), verdict_of(m)))
    svg = each(lambda m: dd.chart(diagram, m.id, "svg"))
    png = each(lambda m: dd.chart(diagram, m.id, "png"))
    return analysis, svg, png


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=50)
    parser.add_argument("--points", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        path = programme(folder, args.measures, args.points)
        n = args.measures
        print(f"{n} measures of {args.points} points ({', '.join(f'{c}/{r}' for c, r in KINDS)})")
        validate = fresh([*CLI, "validate", path.name], args.repeat, folder)
        analyse = fresh([*CLI, "analyse", path.name, "--format", "json"], args.repeat, folder)
        svg = fresh([*CLI, "chart", path.name, "-o", "out/", "-f", "svg"], args.repeat, folder)
        png = fresh([*CLI, "chart", path.name, "-o", "png/", "-f", "png"], args.repeat, folder)
        per_analysis, per_svg, per_png = in_process(path, args.repeat)
    print("| step | seconds | per measure |")
    print("|---|---|---|")
    print(f"| `validate` (reads the 50 measures' data) | {validate:.2f} | |")
    print(f"| `analyse --format json` | {analyse:.2f} | {analyse / n * 1000:.0f} ms |")
    print(f"| `chart -f svg`, all {n} | {svg:.2f} | {svg / n * 1000:.0f} ms |")
    print(f"| `chart -f png`, all {n} | {png:.2f} | {png / n * 1000:.0f} ms |")
    print(f"| in one process: the analysis | | {per_analysis * 1000:.2f} ms |")
    print(f"| in one process: one SVG chart | | {per_svg * 1000:.0f} ms |")
    print(f"| in one process: one PNG chart | | {per_png * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
