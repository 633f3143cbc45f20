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
    charted,
    counts,
    cycle_rows,
    rows,
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
    lines += ["## Aim", "", _md(diagram.aim.text), "", "## Driver diagram", ""]
    # quoted: a space or ')' in a file's name would end the link
    lines += [f"![{_md(alt_text(diagram))}]({quote(picture)})", ""]
    lines += ["## Change ideas by driver", "", "| Driver | Change idea | Status |", "|---|---|---|"]
    lines += [f"| {_md(r.driver)} | {_md(r.change)} | {r.status} |" for r in rows(diagram)]
    lines += ["", "## Change ideas by status", "", "| Status | Change ideas |", "|---|---|"]
    lines += [f"| {status} | {number} |" for status, number in counts(diagram)]
    lines += [""]
    if charted(diagram):
        lines += ["## Measures", ""]
        for measure in charted(diagram):
            chart_name = chart_path(Path(picture), measure).name
            lines += [f"### {_md(measure.name)}", "", _md(verdict_line(diagram, measure)), ""]
            lines += [f"![Run chart: {_md(measure.name)}]({quote(chart_name)})", ""]
    if diagram.cycles:
        lines += ["## PDSA cycles", "", "| " + " | ".join(CYCLE_HEADINGS) + " |"]
        lines += ["|---|---|---|---|---|"]
        lines += [
            f"| {_md(r.change)} | {r.dates} | {_md(r.prediction)} | {_md(r.learned)} | {r.act} |"
            for r in cycle_rows(diagram)
        ]
        lines += [""]
    text = outline(diagram).rstrip("\n")
    lines += ["## Outline", "", f"{fence(text)}text", text, fence(text), ""]
    if diagram.notes or box_notes(diagram):
        lines += ["## Notes", ""]
        if diagram.notes:
            lines += ["\n".join(_md(line) for line in diagram.notes.splitlines()), ""]
        lines += [f"- **{_md(text)}**: {_md(notes)}" for text, notes in box_notes(diagram)]
        lines += [""]
    return "\n".join(lines)


def chart_path(paper: Path, measure: Measure) -> Path:
    return paper.with_name(f"{paper.stem}.{measure.id}.svg")
