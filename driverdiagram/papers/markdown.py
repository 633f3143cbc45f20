"""The Markdown paper: text that renders anywhere, with the pictures beside it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

from ..model import Diagram, Measure
from ..outlines import outline
from ..summary import (
    PAPER_CYCLE_HEADINGS,
    box_notes,
    chart_title,
    charted,
    concerns,
    control_lines,
    counts,
    cycle_rows,
    has_middle_drivers,
    idea_headings,
    idea_rows,
    practice_table,
    sections,
    title,
    verdict_line,
)
from ..text import markdown as _md
from .figures import Figure


def to_markdown(diagram: Diagram, pictures: list[tuple[Figure, str]]) -> str:
    """The paper as Markdown, with ``pictures`` (each figure of the diagram and the name
    of its SVG, beside the paper) as its images. Every text, the outline's included,
    is escaped (:func:`driverdiagram.text.markdown`), so nothing in a diagram is read
    as markup: no link, image, HTML or mention."""
    lines = [f"# {_md(title(diagram))}", ""]
    credits = diagram.credits
    if credits:
        lines += [_md(" · ".join(credits)), ""]
    for section in sections(diagram):
        lines += [f"## {section.heading}", ""]
        lines += _PARTS[section.key](diagram, pictures)
        lines += [""]
    return "\n".join(lines)


def _aim(diagram: Diagram, pictures: list[tuple[Figure, str]]) -> list[str]:
    return [_md(diagram.aim.text)]


def _concerns(diagram: Diagram, pictures: list[tuple[Figure, str]]) -> list[str]:
    return [f"- **{_md(line)}**" for line in concerns(diagram)]


def _diagram(diagram: Diagram, pictures: list[tuple[Figure, str]]) -> list[str]:
    # quoted: a space or ')' in a file's name would end the link
    lines: list[str] = []
    for figure, name in pictures:
        if figure.heading:
            lines += ["", f"### {_md(figure.heading)}", ""]
        lines.append(f"![{_md(figure.alt)}]({quote(name)})")
    return lines


def _changes(diagram: Diagram, pictures: list[tuple[Figure, str]]) -> list[str]:
    headings = idea_headings(diagram)
    middle = has_middle_drivers(diagram)
    lines = ["| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
    for r in idea_rows(diagram):
        # a cell the row above has is left blank: the table reads as groups
        cells = [_md(r.primary) if r.primary_span else ""]
        if middle:
            cells.append(_md(r.driver) if r.driver_span else "")
        cells += [_md(r.change), *(_md(cell) for cell in r.tail)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _counts(diagram: Diagram, pictures: list[tuple[Figure, str]]) -> list[str]:
    return ["| Status | Change ideas |", "|---|---|"] + [
        f"| {status} | {number} |" for status, number in counts(diagram)
    ]


def _practice(diagram: Diagram, pictures: list[tuple[Figure, str]]) -> list[str]:
    headings, rows = practice_table(diagram)
    lines = ["| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
    return lines + ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows]


def _measures(diagram: Diagram, pictures: list[tuple[Figure, str]]) -> list[str]:
    lines: list[str] = []
    for measure in charted(diagram):
        chart_name = chart_path(Path(pictures[0][1]), measure).name
        lines += [f"### {_md(measure.name)}", "", _md(verdict_line(diagram, measure)), ""]
        listed = [f"- {_md(line)}" for line in control_lines(measure)]
        lines += [*listed, ""] if listed else []
        title = f"{_md(chart_title(measure))}: {_md(measure.name)}"
        lines += [f"![{title}]({quote(chart_name)})", ""]
    return lines[:-1]


def _cycles(diagram: Diagram, pictures: list[tuple[Figure, str]]) -> list[str]:
    return [
        "| " + " | ".join(PAPER_CYCLE_HEADINGS) + " |",
        "|" + "---|" * len(PAPER_CYCLE_HEADINGS),
    ] + ["| " + " | ".join(_md(cell) for cell in r.cells) + " |" for r in cycle_rows(diagram)]


def _outline(diagram: Diagram, pictures: list[tuple[Figure, str]]) -> list[str]:
    # nested list items, in the body's font: each box a line, indented by its depth
    lines = []
    for line in outline(replace(diagram, title="")).splitlines():  # the title is above
        depth = (len(line) - len(line.lstrip(" "))) // 2
        lines.append(f"{'  ' * depth}- {_md(line.strip())}")
    return lines


def _notes(diagram: Diagram, pictures: list[tuple[Figure, str]]) -> list[str]:
    lines: list[str] = []
    if diagram.notes:
        lines += ["\n".join(_md(line) for line in diagram.notes.splitlines()), ""]
    lines += [f"- **{_md(text)}**: {_md(notes)}" for text, notes in box_notes(diagram)]
    return lines if box_notes(diagram) else lines[:-1]


_PARTS = {
    "aim": _aim,
    "concerns": _concerns,
    "diagram": _diagram,
    "changes": _changes,
    "counts": _counts,
    "practice": _practice,
    "measures": _measures,
    "cycles": _cycles,
    "outline": _outline,
    "notes": _notes,
}


def chart_path(paper: Path, measure: Measure) -> Path:
    return paper.with_name(f"{paper.stem}.{measure.id}.svg")
