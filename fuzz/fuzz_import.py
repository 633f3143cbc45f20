#!/usr/bin/env python3
"""Coverage-guided fuzz target for the importers: JSON exports, CSV (FreeSPC and
spreadsheets) and outlines (atheris / libFuzzer).

The first byte picks the reader (JSON, CSV, outline); the rest is the file, read
as ``driverdiagram import`` reads it: decode -> the reader's located Draft ->
graph.check -> YAML. The only acceptable exception is driverdiagram.DiagramError,
each of its problems located in the file imported (see common.check_error: a line
and column of 1 or more, on a line the file has). A diagram that imports must be
written as YAML that reads back as the same diagram (tests/shapes.py).

    python fuzz/seed.py
    python fuzz/fuzz_import.py fuzz/corpus-import -dict=fuzz/import.dict -max_total_time=600

Reproduce one input:  python fuzz/fuzz_import.py crash-<sha1>
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, BadProblem, check_diagram, check_error

sys.path.insert(0, str(ROOT))  # for tests/shapes.py

with atheris.instrument_imports():
    from driverdiagram import DiagramError, loads
    from driverdiagram.exports.yaml import to_yaml
    from driverdiagram.files import decode, decode_csv
    from driverdiagram.graph import check
    from driverdiagram.readers.csv import parse as parse_csv
    from driverdiagram.readers.json import parse as parse_json
    from driverdiagram.readers.outline import parse as parse_outline
    from tests.shapes import shape

#: The reader picked by the first byte (modulo 3), and the name the file is read by.
READERS = ((parse_json, "fuzz.json"), (parse_csv, "fuzz.csv"), (parse_outline, "fuzz.md"))


def TestOneInput(data: bytes) -> None:
    if not data:
        return
    reader, name = READERS[data[0] % len(READERS)]
    text: str | None = None
    try:
        # a CSV file as Excel saves it in Windows-1252 too
        text = decode_csv(data[1:], name)[0] if reader is parse_csv else decode(data[1:], name)
        diagram = check(reader(text, name))
    except DiagramError as error:
        check_error(error, {name: text})
        return
    check_diagram(diagram)
    try:
        again = loads(to_yaml(diagram), "again.yaml")  # what `import -o` writes
    except DiagramError as error:
        raise BadProblem(f"the YAML an import writes does not read back: {error}") from error
    if shape(again) != shape(diagram):
        raise BadProblem("the YAML an import writes reads back as another diagram")


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
