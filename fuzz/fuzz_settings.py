#!/usr/bin/env python3
"""Coverage-guided fuzz target for the lint settings (driverdiagram.toml, pyproject.toml).

Runs the bytes through the settings reader as ``driverdiagram lint`` does: decode ->
TOML -> the [tool.driverdiagram] table -> checked settings. The only acceptable
exception is driverdiagram.DiagramError; each problem names the file, and one with
a line is on a line the file has (see common.check_error). A settings problem may
have no line: TOML keeps no positions, and a key written inside an inline table or
a dotted key cannot be found again. Anything else is a finding.

    python fuzz/seed.py
    python fuzz/fuzz_settings.py fuzz/corpus-settings -max_total_time=600
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BadProblem, check_error

with atheris.instrument_imports():
    import driverdiagram  # noqa: F401
    from driverdiagram import DiagramError
    from driverdiagram.coaching import Settings
    from driverdiagram.readers.diagram import decode
    from driverdiagram.settings import apply, parse, table_of

NAME = "driverdiagram.toml"


def TestOneInput(data: bytes) -> None:
    text: str | None = None
    try:
        text = decode(data, NAME)
        settings = parse(text, NAME)
        apply(table_of(settings, Path(NAME)) or settings, Settings(), NAME, text)
    except DiagramError as error:
        if any(problem.path != NAME or not problem.message for problem in error.problems):
            raise BadProblem(
                f"a problem that does not name the file: {error.problems!r}"
            ) from error
        located = [problem for problem in error.problems if problem.line]
        if located:
            check_error(DiagramError(located), {NAME: text})


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
