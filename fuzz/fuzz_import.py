#!/usr/bin/env python3
"""Coverage-guided fuzz target for the importers: JSON exports, CSV (FreeSPC and
spreadsheets) and outlines (atheris / libFuzzer).

The first byte picks the importer (JSON, CSV, outline); the rest is the file, read
as ``driverdiagram import`` reads it: decode -> the importer -> YAML. The only
acceptable exception is driverdiagram.DiagramError, each of its problems located in
the file imported (see common.check_error: a line and column of 1 or more, on a line
the file has). A diagram that imports must be written as YAML that reads back.

    python fuzz/seed.py
    python fuzz/fuzz_import.py fuzz/corpus-import -dict=fuzz/import.dict -max_total_time=600

Reproduce one input:  python fuzz/fuzz_import.py crash-<sha1>
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BadProblem, check_diagram, check_error

with atheris.instrument_imports():
    import driverdiagram  # noqa: F401
    from driverdiagram import DiagramError, loads
    from driverdiagram.exports.yaml import to_yaml
    from driverdiagram.readers.diagram import decode
    from driverdiagram.readers.imports import from_csv, from_json, from_outline

#: The importer picked by the first byte (modulo 3), and the name the file is read by.
READERS = ((from_json, "fuzz.json"), (from_csv, "fuzz.csv"), (from_outline, "fuzz.md"))


def TestOneInput(data: bytes) -> None:
    if not data:
        return
    reader, name = READERS[data[0] % len(READERS)]
    text: str | None = None
    try:
        text = decode(data[1:], name)
        diagram = reader(text, name)
    except DiagramError as error:
        check_error(error, {name: text})
        return
    check_diagram(diagram)
    try:
        loads(to_yaml(diagram), "again.yaml")  # what `import -o` writes must read back
    except DiagramError as error:
        raise BadProblem(f"the YAML an import writes does not read back: {error}") from error


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
