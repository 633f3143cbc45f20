"""Our own layout against Graphviz dot's, side by side: ``render`` of generated diagrams
(with cross links, as benchmarks/run.py generates them) to SVG, each a fresh process.

    .venv/bin/python benchmarks/layout.py                  # 500 to 20,000 boxes
    .venv/bin/python benchmarks/layout.py --repeat 3 --sizes 1000 2000
    .venv/bin/python benchmarks/layout.py --dot-at-20000   # dot too (2 to 5 minutes)

Each cell is the median of ``--repeat`` runs (dot once at 20,000), ours and dot's run
one after the other at each size, because this machine is shared and noisy. Peak
memory comes from GNU time where it is installed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import driverdiagram as dd
from benchmarks.run import CLI, diagram_text, row, timed


def render(work: Path, path: Path, limit: list[str], layout: str, repeat: int) -> tuple[str, str]:
    """The median seconds and the peak MB of ``render`` with this layout."""
    target = work / f"{layout}-{path.stem}.svg"
    command = [*CLI, *limit, "render", "--force", "--layout", layout, str(path), "-o", str(target)]
    target.unlink(missing_ok=True)
    seconds, peak = timed(command, repeat)
    if not target.exists():
        return "failed", ""
    return f"{seconds:.2f}", str(peak or "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    sizes = [500, 1000, 1500, 2000, 5000, 20000]
    parser.add_argument("--sizes", type=int, nargs="*", default=sizes)
    parser.add_argument("--dot-at-20000", action="store_true", help="time dot at 20,000 too")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dd-layout-"))
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # never the user's drawing cache
    print(f"## render -f svg: our own layout and dot's (median of {options.repeat} runs)\n")
    row("boxes", "links", "own s", "own MB", "dot s", "dot MB", "dot / own")
    row("---", "---", "---", "---", "---", "---", "---")
    for boxes in options.sizes:
        path = work / f"g{boxes}.yaml"
        text = diagram_text(boxes, cross=True)
        path.write_text(text, encoding="utf-8")
        limit = ["--max-boxes", str(max(boxes, 20_000)), "--dot-timeout", "900"]
        with dd.limits(boxes=max(boxes, 20_000)):
            diagram = dd.load(path)

        own, own_peak = render(work, path, limit, "own", options.repeat)
        if boxes < 20_000 or options.dot_at_20000:
            dot, dot_peak = render(work, path, limit, "dot", 1 if boxes >= 5000 else options.repeat)
            ratio = f"{float(dot) / float(own):.1f}x" if "failed" not in (own, dot) else ""
        else:
            dot, dot_peak, ratio = "not run (2-5 min)", "", ""
        row(len(diagram.nodes), len(diagram.links), own, own_peak, dot, dot_peak, ratio)


if __name__ == "__main__":
    main()
