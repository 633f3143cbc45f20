#!/usr/bin/env python3
"""Coverage-guided fuzz target for the CSV data-file reader (atheris / libFuzzer).

A fixed diagram has a measure whose ``data:`` names data/fuzz.csv; the fuzzed
bytes are that file. The first byte picks the measure's unit (plain, percent,
'per 1,000 ...') so the ratio arithmetic is reached too; the rest is the CSV.
As for fuzz_loader.py, only a DiagramError with located problems is accepted.

    python fuzz/seed.py
    python fuzz/fuzz_csv.py fuzz/corpus-csv -max_total_time=300
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import check_diagram, check_error, make_base_dir

with atheris.instrument_imports():
    import yaml  # noqa: F401

    import driverdiagram  # noqa: F401
    from driverdiagram import DiagramError
    from driverdiagram.files import decode_csv
    from driverdiagram.graph import check
    from driverdiagram.readers.diagram import decode, parse

NAME = "fuzz.yaml"
BASE_DIR = make_base_dir()
CSV_PATH = os.path.normpath(os.path.join(BASE_DIR, "data", "fuzz.csv"))

UNITS = ("", "%", "per 1,000 occupied bed days", "per thousand", "days")
DIAGRAM = """\
aim: Reduce falls by 30% by December 2026
primary:
  - text: Safe wards
    id: wards
    measures:
      - name: Data from the fuzzed file
        id: fuzzed
        direction: down
        unit: "{unit}"
        baseline: 4
        data: data/fuzz.csv
    changes:
      - text: Hourly rounding
        pdsa:
          - start: 2026-01-05
            act: adapt
            measures: [fuzzed]
"""
DIAGRAMS = [DIAGRAM.format(unit=unit) for unit in UNITS]


def TestOneInput(data: bytes) -> None:
    if not data:
        return
    diagram = DIAGRAMS[data[0] % len(DIAGRAMS)]
    payload = data[1:]
    with open(CSV_PATH, "wb") as file:
        file.write(payload)
    try:
        csv_text: str | None = decode_csv(payload, CSV_PATH)[0]  # Excel's Windows-1252 too
    except DiagramError:
        csv_text = None
    try:
        loaded = check(parse(decode(diagram.encode(), NAME), NAME, base_dir=BASE_DIR))
    except DiagramError as error:
        check_error(error, {NAME: diagram, CSV_PATH: csv_text})
        return
    check_diagram(loaded)


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
