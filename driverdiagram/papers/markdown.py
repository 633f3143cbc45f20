"""The Markdown paper: text that renders anywhere, with the pictures beside it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from ..model import Diagram, Measure
from ..outlines import outline
from ..summary import (
    CYCLE_HEADINGS,
    alt_text,
    box_notes,
    chart_title,
    charted,
    concerns,
    control_lines,
    counts,
    cycle_rows,
    rows,
    sections,
    title,
    verdict_line,
)
from ..text import fence
from ..text import markdown as _md


def to_markdown(diagram: Diagram, picture: str) -> str:
    """The paper as Markdown, with ``picture`` (the diagram's SVG, beside it) as its
    image. Every text is escaped (:func:`driverdiagram.text.markdown`) and the outline
    is in a fence longer than any run of backticks in it, so nothing in a diagram is
    read as markup: no link, image, HTML or mention."""
    lines = [f"# {_md(title(diagram))}", ""]
    credits = diagram.credits
    if credits:
        lines += [_md(" · ".join(credits)), ""]
    for section in sections(diagram):
        lines += [f"## {section.heading}", ""]
        lines += _PARTS[section.key](diagram, picture)
        lines += [""]
    return "\n".join(lines)


def _aim(diagram: Diagram, picture: str) -> list[str]:
    return [_md(diagram.aim.text)]


def _concerns(diagram: Diagram, picture: str) -> list[str]:
    return [f"- **{_md(line)}**" for line in concerns(diagram)]


def _diagram(diagram: Diagram, picture: str) -> list[str]:
    # quoted: a space or ')' in a file's name would end the link
    return [f"![{_md(alt_text(diagram))}]({quote(picture)})"]


def _changes(diagram: Diagram, picture: str) -> list[str]:
    return ["| Driver | Change idea | Status |", "|---|---|---|"] + [
        f"| {_md(r.driver)} | {_md(r.change)} | {r.status} |" for r in rows(diagram)
    ]


def _counts(diagram: Diagram, picture: str) -> list[str]:
    return ["| Status | Change ideas |", "|---|---|"] + [
        f"| {status} | {number} |" for status, number in counts(diagram)
    ]


def _measures(diagram: Diagram, picture: str) -> list[str]:
    lines: list[str] = []
    for measure in charted(diagram):
        chart_name = chart_path(Path(picture), measure).name
        lines += [f"### {_md(measure.name)}", "", _md(verdict_line(diagram, measure)), ""]
        listed = [f"- {_md(line)}" for line in control_lines(measure)]
        lines += [*listed, ""] if listed else []
        title = f"{_md(chart_title(measure))}: {_md(measure.name)}"
        lines += [f"![{title}]({quote(chart_name)})", ""]
    return lines[:-1]


def _cycles(diagram: Diagram, picture: str) -> list[str]:
    return ["| " + " | ".join(CYCLE_HEADINGS) + " |", "|---|---|---|---|---|"] + [
        f"| {_md(r.change)} | {r.dates} | {_md(r.prediction)} | {_md(r.learned)} | {r.act} |"
        for r in cycle_rows(diagram)
    ]


def _outline(diagram: Diagram, picture: str) -> list[str]:
    text = outline(diagram).rstrip("\n")
    return [f"{fence(text)}text", text, fence(text)]


def _notes(diagram: Diagram, picture: str) -> list[str]:
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
    "measures": _measures,
    "cycles": _cycles,
    "outline": _outline,
    "notes": _notes,
}


def chart_path(paper: Path, measure: Measure) -> Path:
    return paper.with_name(f"{paper.stem}.{measure.id}.svg")
