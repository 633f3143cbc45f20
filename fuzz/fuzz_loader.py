#!/usr/bin/env python3
"""Coverage-guided fuzz target for the diagram loader (atheris / libFuzzer).

Runs the bytes through the loader as the CLI does: decode -> parse -> check.
The only acceptable exception is driverdiagram.DiagramError, and each of its
problems must be located (see common.check_error). Anything else is a finding.

    python fuzz/seed.py
    python fuzz/fuzz_loader.py fuzz/corpus -dict=fuzz/yaml.dict -max_total_time=600

Reproduce one input:  python fuzz/fuzz_loader.py crash-<sha1>
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import check_diagram, check_error, make_base_dir

with atheris.instrument_imports():
    import yaml  # noqa: F401  (instrumented: the pure-Python parser is used on errors)

    import driverdiagram  # noqa: F401
    from driverdiagram import DiagramError
    from driverdiagram.graph import check
    from driverdiagram.readers.diagram import decode, parse

NAME = "fuzz.yaml"
BASE_DIR = make_base_dir()


def TestOneInput(data: bytes) -> None:
    text: str | None = None
    try:
        text = decode(data, NAME)
        diagram = check(parse(text, NAME, base_dir=BASE_DIR))
    except DiagramError as error:
        check_error(error, {NAME: text if text is not None else None})
        return
    check_diagram(diagram)


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
