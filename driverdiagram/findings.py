"""Problems in the forms people and programs read: one line each, GitHub Actions
annotations, or one JSON array.

Every line shows control characters as pictures (:func:`driverdiagram.text.visible`),
so a file name or a message quoting a diagram cannot drive the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import Problem
from .text import json_text, visible

#: The forms problems can be reported in (``--format``).
FORMATS = ("text", "json", "github")


def line(problem: Problem) -> str:
    """``FILE:LINE:COLUMN: error: MESSAGE [CODE]``."""
    return visible(problem.with_code)


def annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command that puts the problem on the file's line."""
    kind = {"error": "error", "note": "notice"}.get(problem.severity, "warning")
    place = f"file={_github(problem.path)}"
    if problem.line:
        place += f",line={problem.line},col={problem.column}"
    return visible(f"::{kind} {place},title={code(problem)}::{_github(problem.message, True)}")


def code(problem: Problem) -> str:
    """The problem's rule code; DD000 for a problem that no lint rule found."""
    return problem.code or "DD000"


def record(problem: Problem) -> dict[str, object]:
    """The problem as JSON-ready data."""
    return {
        "path": problem.path,
        "line": problem.line,
        "column": problem.column,
        "code": code(problem),
        "severity": problem.severity,
        "message": problem.message,
    }


def as_json(problems: Iterable[Problem]) -> str:
    """Every problem, as one JSON array."""
    return json_text([record(problem) for problem in problems])


def _github(text: str, message: bool = False) -> str:
    """Escape text for a workflow command, as GitHub's toolkit does."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if not message:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text
