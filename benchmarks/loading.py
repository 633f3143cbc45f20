"""Reading and checking a diagram grows linearly with its boxes: ``dd.loads`` of about
10,000 and 40,000 boxes (benchmarks/run.py's diagrams) in this process, median of a
few runs, with the garbage collector paused as driverdiagram pauses it and, for
comparison, left running.

    python benchmarks/loading.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import diagram_text

import driverdiagram as dd
from driverdiagram.readers import diagram as reader


def median(text: str, repeat: int, paused: bool) -> float:
    times = []
    with dd.limits(boxes=50_000):
        for _ in range(repeat):
            started = time.perf_counter()
            if paused:
                dd.loads(text)
            else:  # the same work with the collector running throughout
                reader.check(reader.parse(text))
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    for boxes in (10_000, 40_000):
        text = diagram_text(boxes)
        paused, running = median(text, repeat, True), median(text, repeat, False)
        print(f"{boxes:>6} boxes: {paused:.2f} s (collector running: {running:.2f} s)")


if __name__ == "__main__":
    main()
