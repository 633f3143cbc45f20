"""Problems found in a diagram file, and the one exception that carries them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

_Error = TypeVar("_Error", bound="DiagramError")


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: 1-based line and column, like an editor shows them.

    A problem with the file as a whole (it cannot be read, Graphviz failed)
    has no line or column. A place in a workbook names its sheet too: the line is the
    row and the column the column's number, shown as a spreadsheet shows them,
    ``log.xlsx:PDSA!C7``.
    """

    path: str
    line: int = 0
    column: int = 0
    sheet: str = ""

    def __str__(self) -> str:
        if self.sheet:
            place = f"!{column_letters(self.column)}{self.line}" if self.line else ""
            return f"{self.path}:{sheet_reference(self.sheet)}{place}"
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


def column_letters(column: int) -> str:
    """A spreadsheet's name for a column: 1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters or "A"


def sheet_reference(sheet: str) -> str:
    """A sheet's name as a formula writes it: quoted when it is not one plain word
    (``'PDSA log'``, a quote in it doubled)."""
    if sheet.replace("_", "a").isalnum() and sheet.isascii() and not sheet[0].isdigit():
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a diagram, located where the user can fix it."""

    location: Location
    message: str
    severity: str = "error"
    code: str = ""

    @property
    def path(self) -> str:
        return self.location.path

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"

    @property
    def with_code(self) -> str:
        """The problem as the command line prints it: its rule code after it, if any."""
        return f"{self}{f' [{self.code}]' if self.code else ''}"


class DiagramError(Exception):
    """A diagram could not be loaded, checked or rendered.

    ``problems`` lists every problem found, each with a file, line and column;
    ``str(error)`` is those problems as GNU-style lines.
    """

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    def __reduce__(self) -> tuple[type[DiagramError], tuple[tuple[Problem, ...]]]:
        # made again from its problems, not its text, when it comes back from a worker
        return type(self), (self.problems,)

    @classmethod
    def at(cls: type[_Error], location: Location, message: str) -> _Error:
        """An error with a single problem."""
        return cls([Problem(location, message)])


class InvalidDiagram(DiagramError):
    """The file is not a valid driver diagram (YAML, format or structure)."""


class RenderError(DiagramError):
    """Graphviz could not draw the diagram, or the result could not be written."""


class GraphvizNotFound(RenderError):
    """The Graphviz ``dot`` program is not installed or not on PATH."""


class OptionError(ValueError):
    """What was asked cannot be done as asked: options that contradict each other, an
    output name that does not fit, a measure or change idea the diagram does not have.
    The command line shows it as a usage error (exit status 2)."""
