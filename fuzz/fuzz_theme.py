#!/usr/bin/env python3
"""Coverage-guided fuzz target for theme files (``--theme FILE``; atheris / libFuzzer).

A theme file may come from someone else, so every value must be data: the bytes are
written to a theme file and read as ``driverdiagram render --theme`` reads it. The
only acceptable exception is driverdiagram.DiagramError with located problems (see
common.check_error). A theme that loads must keep the drawing's rules
(style.theme_problems finds nothing) and must draw: to_dot on a small diagram with
every status and a key, whose HTML-like labels are checked as they are written,
raises nothing. Anything else is a finding.

    python fuzz/seed.py
    python fuzz/fuzz_theme.py fuzz/corpus-theme -dict=fuzz/theme.dict -max_total_time=600
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BadProblem, check_error, make_base_dir

with atheris.instrument_imports():
    import yaml  # noqa: F401  (instrumented: the pure-Python parser is used on errors)

    import driverdiagram  # noqa: F401
    from driverdiagram import DiagramError
    from driverdiagram.draw.dot import to_dot
    from driverdiagram.graph import check
    from driverdiagram.readers.diagram import parse
    from driverdiagram.readers.theme import theme
    from driverdiagram.style import theme_problems

BASE_DIR = make_base_dir()
THEME_PATH = os.path.join(BASE_DIR, "fuzz-theme.yaml")
#: Every status (so every tag, legend and status colour is drawn), a weak link
#: (the key), a title and a team (the credits), measures' badges aside.
DIAGRAM = check(
    parse(
        """\
title: Fewer falls on Ward 7
team: Ward 7 falls group
aim: Reduce falls by 30% by December 2026
primary:
  - text: Safe wards
    secondary:
      - text: Risk known early
        strength: weak
        changes:
          - {text: Hourly rounding, status: testing}
          - {text: Bed alarms, status: adopted}
          - {text: Sitters at night, status: abandoned}
          - Non-slip socks
""",
        "fuzz.yaml",
        base_dir=BASE_DIR,
    )
)


def TestOneInput(data: bytes) -> None:
    with open(THEME_PATH, "wb") as file:
        file.write(data)
    try:
        text: str | None = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    try:
        found = theme(THEME_PATH)
    except DiagramError as error:
        check_error(error, {THEME_PATH: text})
        return
    problems = theme_problems(found)
    if problems:
        raise BadProblem(f"a theme file gave a theme that breaks the rules: {problems}")
    to_dot(DIAGRAM, theme=found)  # a ValueError here is a finding


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
