"""How the work of a drawing grows with the measures and PDSA cycles per box: a diagram
of about 5,000 boxes whose every change idea has a PDSA cycle (and every secondary
driver a measure) drawn to DOT in this process, median of a few runs, against a
10-times smaller one. Linear work keeps the ratio near 10.

    python benchmarks/indexing.py [--boxes 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import driverdiagram as dd


def diagram_text(boxes: int) -> str:
    """About ``boxes`` boxes: 5 secondary drivers per primary (each with a measure), 4
    change ideas each (each with a PDSA cycle watching its driver's measure)."""
    lines = ["aim: Raise enrolment from 80% to 95% by June 2027", "primary:"]
    count, primary = 1, 0
    while count < boxes:
        primary += 1
        lines += [f"  - text: Primary driver {primary}", "    secondary:"]
        count += 1
        for secondary in range(5):
            if count >= boxes:
                break
            measure = f"m{primary}-{secondary}"
            lines += [
                f"      - text: Secondary driver {primary}.{secondary}",
                "        measures:",
                f"          - {{id: {measure}, name: Count {primary}.{secondary},"
                " values: {2026-01: 3, 2026-02: 4}}",
                "        changes:",
            ]
            count += 1
            for idea in range(4):
                if count >= boxes:
                    break
                lines += [
                    f"          - id: c{primary}-{secondary}-{idea}",
                    f"            text: Change idea {primary}.{secondary}.{idea}",
                    f"            pdsa: [{{start: 2026-01-05, measures: [{measure}]}}]",
                ]
                count += 1
    return "\n".join(lines) + "\n"


def median_seconds(text: str, repeat: int) -> tuple[float, int, int]:
    with dd.limits(boxes=50_000):
        diagram = dd.loads(text)
        times = []
        for _ in range(repeat):
            again = dd.loads(text)  # a fresh diagram: nothing kept from the last run
            started = time.perf_counter()
            dd.to_dot(again)
            times.append(time.perf_counter() - started)
    return statistics.median(times), len(diagram.nodes), len(diagram.cycles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boxes", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    small, boxes_small, cycles_small = median_seconds(
        diagram_text(options.boxes // 10), options.repeat
    )
    big, boxes_big, cycles_big = median_seconds(diagram_text(options.boxes), options.repeat)
    print(f"to_dot, {boxes_small} boxes, {cycles_small} cycles: {small:.3f} s")
    print(f"to_dot, {boxes_big} boxes, {cycles_big} cycles: {big:.3f} s")
    print(f"ratio {big / small:.1f} for {boxes_big / boxes_small:.1f} times the boxes")


if __name__ == "__main__":
    main()
