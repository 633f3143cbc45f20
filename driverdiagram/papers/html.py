"""The HTML paper: one file that needs nothing else, with a Content-Security-Policy
that forbids scripts and every fetch, and print styles for one landscape page."""

from __future__ import annotations

import html
import re

from ..draw import svg as svg_check
from ..draw.render import render
from ..measures.chart import chart
from ..model import Diagram, Measure
from ..outlines import outline
from ..style import DEFAULT, Theme
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

#: Height left for the diagram on the first printed page (landscape, 12 mm margins,
#: after the title and the aim), in millimetres.
PRINT_HEIGHT = {"a4": 145, "a3": 235, "letter": 150, "tabloid": 235}
#: What each line calling out a balancing measure takes from it, in millimetres.
CONCERN_HEIGHT = 7


def print_height(diagram: Diagram, page: str) -> float:
    """The height of the diagram on the first printed page, in millimetres: less the
    lines that call out balancing measures above it."""
    return PRINT_HEIGHT[page] - CONCERN_HEIGHT * len(concerns(diagram))


#: The HTML paper's Content-Security-Policy: no script runs and nothing is fetched
#: (no image, font, frame, style sheet or form target from anywhere, this computer's
#: files included); its own inline styles and inline SVG are all it needs.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:;"
    " base-uri 'none'; form-action 'none'"
)


def to_html(
    diagram: Diagram, *, theme: Theme = DEFAULT, page: str = "a4", svg_data: bytes | None = None
) -> str:
    """One file that needs nothing else: the SVG inline (``svg_data``, drawn here when
    not given), styles inline, no scripts, nothing fetched (its Content-Security-Policy,
    :data:`CSP`, says so to the browser too); prints on ``page`` landscape."""
    if svg_data is None:
        svg_data = render(diagram, "svg", theme=theme)
    svg = svg_data.decode("utf-8")
    svg = svg[svg.index("<svg") :]  # drop the XML prologue and doctype inside HTML
    # size it by CSS (the viewBox keeps its shape), so it fits the screen and the page
    svg = re.sub(r'<svg width="[\d.]+pt" height="[\d.]+pt"', "<svg", svg, count=1)
    svg_check.check(svg.encode("utf-8"), diagram.path)  # exactly what goes into the paper
    e = html.escape
    credits = " · ".join(e(part) for part in diagram.credits)
    body = "".join(
        _PARTS[section.key](diagram, section.heading, svg) for section in sections(diagram)
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="driverdiagram">
<title>{e(title(diagram))}</title>
<style>
@page {{ size: {page} landscape; margin: 12mm; }}
body {{ font-family: Helvetica, Arial, "Liberation Sans", sans-serif; color: #1a1a1a;
       margin: 2rem auto; max-width: 70rem; line-height: 1.4; }}
h1 {{ margin-bottom: 0.2rem; }}
.credits {{ color: #4a4a4a; margin-top: 0; }}
.aim {{ font-size: 1.2rem; border-left: 6px solid #1F4E79; padding: 0.4rem 0.8rem; }}
figure {{ margin: 1rem 0; }}
figure svg {{ display: block; width: 100%; height: auto; }}
table {{ border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }}
th, td {{ border: 1px solid #999; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }}
th {{ background: #eee; }}
pre {{ white-space: pre-wrap; font-size: 0.9rem; }}
section.chart figure svg {{ max-width: 48rem; }}
td.dates {{ white-space: nowrap; }}
ul.concerns {{ border-left: 6px solid #B2182B; padding: 0.3rem 0.8rem 0.3rem 1.6rem;
               font-weight: bold; }}
@media print {{
  body {{ margin: 0; max-width: none; }}
  /* title, aim and the whole diagram on the first page; the tables after it */
  h1 {{ font-size: 16pt; margin: 0 0 1mm; }}
  h2 {{ font-size: 12pt; margin: 3mm 0 1mm; }}
  h2.aim-heading {{ display: none; }}
  .aim {{ font-size: 11pt; }}
  .credits, .aim {{ margin: 0; }}
  ul.concerns {{ font-size: 10pt; margin: 1mm 0 0; }}
  .screen {{ display: none; }}
  figure.diagram {{ margin: 2mm 0 0; break-after: page; break-inside: avoid; }}
  figure.diagram svg {{ width: auto; height: {print_height(diagram, page):g}mm; max-width: 100%;
                        margin: 0 auto; }}
  figcaption {{ display: none; }}
  section.chart {{ break-inside: avoid; break-before: page; }}
  section.chart h3 {{ margin: 0 0 1mm; }}
  section.chart p {{ margin: 0 0 1mm; }}
  section.chart figure {{ margin: 0; }}
  section.chart ul.control {{ font-size: 9pt; margin: 0 0 1mm; }}
  /* a control chart's lines of phases and signals come out of the chart's height */
  section.chart figure svg {{ width: auto; max-width: 100%;
    height: calc({PRINT_HEIGHT[page] + 10}mm - var(--lines, 0) * 5mm); }}
}}
</style>
</head>
<body>
<h1>{e(title(diagram))}</h1>
<p class="credits">{credits}</p>
{body}</body>
</html>
"""


def _aim(diagram: Diagram, heading: str, svg: str) -> str:
    # the heading is for screen readers and the screen; print goes straight to the aim
    return f'<h2 class="aim-heading">{heading}</h2>\n<p class="aim">{_e(diagram.aim.text)}</p>\n'


def _diagram(diagram: Diagram, heading: str, svg: str) -> str:
    alt = _e(alt_text(diagram))
    return (
        f'<h2 class="screen">{heading}</h2>\n<figure class="diagram" aria-label="{alt}">\n'
        f"{svg}\n<figcaption>{alt}</figcaption>\n</figure>\n"
    )


def _changes(diagram: Diagram, heading: str, svg: str) -> str:
    table = "".join(
        f"<tr><td>{_e(r.driver)}</td><td>{_e(r.change)}</td><td>{_e(r.status)}</td></tr>"
        for r in rows(diagram)
    )
    return (
        f"<h2>{heading}</h2>\n<table><thead><tr><th>Driver</th><th>Change idea</th>"
        f"<th>Status</th></tr></thead>\n<tbody>{table}</tbody></table>\n"
    )


def _counts(diagram: Diagram, heading: str, svg: str) -> str:
    tally = "".join(f"<tr><td>{_e(s)}</td><td>{n}</td></tr>" for s, n in counts(diagram))
    return (
        f"<h2>{heading}</h2>\n<table><thead><tr><th>Status</th><th>Change ideas</th></tr>"
        f"</thead><tbody>{tally}</tbody></table>\n"
    )


def _concerns(diagram: Diagram, heading: str, svg: str) -> str:
    found = "".join(f"<li>{_e(line)}</li>" for line in concerns(diagram))
    return f'<h2 class="screen">{heading}</h2>\n<ul class="concerns">{found}</ul>\n'


def _measures(diagram: Diagram, heading: str, svg: str) -> str:
    charts = []
    for measure in charted(diagram):
        lines = control_lines(measure)
        listed = "".join(f"<li>{_e(line)}</li>" for line in lines)
        # the print styles take a control chart's lines (--lines: those listed and two
        # more for its longer verdict line) off the chart's height
        charts.append(
            (
                f'<section class="chart" style="--lines: {min(len(lines), 8) + 2}">'
                if lines
                else '<section class="chart">'
            )
            + f"<h3>{_e(measure.name)}</h3><p>{_e(verdict_line(diagram, measure))}</p>"
            + (f'<ul class="control">{listed}</ul>' if lines else "")
            + f'<figure aria-label="{_e(chart_title(measure))}: {_e(measure.name)}">'
            f"{_chart_svg(diagram, measure)}</figure></section>"
        )
    return f"<h2>{heading}</h2>{''.join(charts)}\n"


def _cycles(diagram: Diagram, heading: str, svg: str) -> str:
    head = "".join(f"<th>{_e(name)}</th>" for name in CYCLE_HEADINGS)
    body = "".join(
        "<tr>"
        + f'<td>{_e(r.change)}</td><td class="dates">{_e(r.dates)}</td>'
        + "".join(f"<td>{_e(cell)}</td>" for cell in (r.prediction, r.learned, r.act))
        + "</tr>"
        for r in cycle_rows(diagram)
    )
    return f"<h2>{heading}</h2><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n"


def _outline(diagram: Diagram, heading: str, svg: str) -> str:
    return f"<h2>{heading}</h2>\n<pre>{_e(outline(diagram))}</pre>\n"


def _notes(diagram: Diagram, heading: str, svg: str) -> str:
    paragraphs = "".join(
        f"<p>{_e(part).replace(chr(10), '<br>')}</p>"
        for part in re.split(r"\n\s*\n", diagram.notes)
        if part.strip()
    )
    on_boxes = "".join(
        f"<li><strong>{_e(text)}</strong>: {_e(notes)}</li>" for text, notes in box_notes(diagram)
    )
    return f"<h2>{heading}</h2>{paragraphs}" + (f"<ul>{on_boxes}</ul>" if on_boxes else "") + "\n"


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
_e = html.escape


def _chart_svg(diagram: Diagram, measure: Measure) -> str:
    """A chart as SVG for inlining in HTML: no prologue, sized by CSS, its ids (and
    the references to them) prefixed with the measure's id so several charts can
    share a page."""

    svg = chart(diagram, measure, "svg").decode("utf-8")
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.DOTALL)
    svg = re.sub(r'<svg([^>]*?) width="[\d.]+pt" height="[\d.]+pt"', r"<svg\1", svg, count=1)
    # every id, and every reference to one, prefixed: matplotlib's own (xtick_1,
    # text_9, a marker's m0aa9...) and ours (median, upper-1, icon-variation) alike
    prefix = measure.id
    svg = re.sub(r' id="([^"]+)"', lambda match: f' id="{prefix}-{match[1]}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda match: f"url(#{prefix}-{match[1]})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda match: f'href="#{prefix}-{match[1]}"', svg)
    svg_check.check(svg.encode("utf-8"), diagram.path)  # what goes into the paper
    return svg
