"""The HTML paper: one file that needs nothing else, with a Content-Security-Policy
that forbids scripts and every fetch, and print styles for one landscape page."""

from __future__ import annotations

import html
import re
from dataclasses import replace

from ..draw import svg as svg_check
from ..measures.chart import chart
from ..model import Diagram, Measure
from ..outlines import outline
from ..style import DEFAULT, Theme
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
from .figures import FIRST_PAGE_HEIGHT as PRINT_HEIGHT
from .figures import Figure, plan

_MM = 25.4 / 72  # millimetres in a point


#: The HTML paper's Content-Security-Policy: no script runs and nothing is fetched
#: (no image, font, frame, style sheet or form target from anywhere, this computer's
#: files included); its own inline styles and inline SVG are all it needs.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:;"
    " base-uri 'none'; form-action 'none'"
)


def to_html(
    diagram: Diagram,
    *,
    theme: Theme = DEFAULT,
    page: str = "a4",
    figures: list[Figure] | None = None,
) -> str:
    """One file that needs nothing else: the diagram's pictures inline (``figures``,
    planned here when not given: see :func:`driverdiagram.papers.figures.plan`),
    styles inline, no scripts, nothing fetched (its Content-Security-Policy,
    :data:`CSP`, says so to the browser too); prints on ``page`` landscape, numbered."""
    if figures is None:
        figures = plan(diagram, "html", theme=theme, page=page).figures
    pictures = [_inline(diagram, figure) for figure in figures]
    e = html.escape
    credits = " · ".join(e(part) for part in diagram.credits)
    body = "".join(
        _PARTS[section.key](diagram, section.heading, pictures) for section in sections(diagram)
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
@page {{ size: {page} landscape; margin: 12mm;
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages);
                   font: 8pt Helvetica, Arial, "Liberation Sans", sans-serif; color: #4a4a4a; }} }}
body {{ font-family: Helvetica, Arial, "Liberation Sans", sans-serif; color: #1a1a1a;
       margin: 2rem auto; max-width: 70rem; line-height: 1.4; }}
h1 {{ margin-bottom: 0.2rem; }}
h2, h3 {{ break-after: avoid; }}
.credits {{ color: #4a4a4a; margin-top: 0; }}
.aim {{ font-size: 1.2rem; border-left: 6px solid #1F4E79; padding: 0.4rem 0.8rem; }}
figure {{ margin: 1rem 0; }}
figure svg {{ display: block; width: 100%; height: auto; }}
table {{ border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }}
th, td {{ border: 1px solid #999; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }}
th {{ background: #eee; }}
tr {{ break-inside: avoid; }}
ul.outline, ul.outline ul {{ list-style: none; padding-left: 1.2rem; margin: 0; }}
ul.outline {{ padding-left: 0; }}
section.chart figure svg {{ max-width: 48rem; }}
td.dates {{ white-space: nowrap; }}
ul.concerns {{ border-left: 6px solid #B2182B; padding: 0.3rem 0.8rem 0.3rem 1.6rem;
               font-weight: bold; }}
@media print {{
  body {{ margin: 0; max-width: none; font-size: 10pt; }}
  /* title, aim and the whole diagram on the first page; the tables after it */
  h1 {{ font-size: 16pt; margin: 0 0 1mm; }}
  h2 {{ font-size: 12pt; margin: 3mm 0 1mm; }}
  h2.aim-heading {{ display: none; }}
  .aim {{ font-size: 11pt; }}
  .credits, .aim {{ margin: 0; }}
  ul.concerns {{ font-size: 10pt; margin: 1mm 0 0; }}
  .screen {{ display: none; }}
  figure.diagram {{ margin: 2mm 0 0; break-after: page; break-inside: avoid; }}
  figure.diagram svg {{ width: var(--print-width); height: auto; max-width: 100%;
                        margin: 0 auto; }}
  section.part {{ break-before: page; break-inside: avoid; }}
  section.part h2 {{ margin: 0 0 2mm; }}
  section.part figure.diagram {{ margin: 0; break-after: auto; }}
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


def _aim(diagram: Diagram, heading: str, pictures: list[str]) -> str:
    # the heading is for screen readers and the screen; print goes straight to the aim
    return f'<h2 class="aim-heading">{heading}</h2>\n<p class="aim">{_e(diagram.aim.text)}</p>\n'


def _diagram(diagram: Diagram, heading: str, pictures: list[str]) -> str:
    return f'<h2 class="screen">{heading}</h2>\n' + "".join(pictures)


def _inline(diagram: Diagram, figure: Figure) -> str:
    """A picture of the diagram inline: checked, sized by CSS (the print size, in
    millimetres, as ``--print-width``), a primary driver's part under its heading with
    its ids prefixed so that several drawings can share the page."""
    svg = figure.data.decode("utf-8")
    svg = svg[svg.index("<svg") :]  # drop the XML prologue and doctype inside HTML
    width = f"{figure.printed[0] * _MM:.1f}mm"
    svg = re.sub(
        r'<svg width="[\d.]+pt" height="[\d.]+pt"',
        f'<svg style="--print-width: {width}"',
        svg,
        count=1,
    )
    if figure.number:
        svg = prefixed(svg, f"part-{figure.number}")
    svg_check.check(svg.encode("utf-8"), diagram.path)  # exactly what goes into the paper
    alt = _e(figure.alt)
    picture = (
        f'<figure class="diagram" aria-label="{alt}">\n{svg}\n<figcaption>{alt}</figcaption>\n'
        "</figure>\n"
    )
    if not figure.heading:
        return picture
    return f'<section class="part">\n<h2>{_e(figure.heading)}</h2>\n{picture}</section>\n'


def _changes(diagram: Diagram, heading: str, pictures: list[str]) -> str:
    middle = has_middle_drivers(diagram)
    body = []
    for row in idea_rows(diagram):
        cells = ""
        if row.primary_span:
            cells += f'<th scope="rowgroup" rowspan="{row.primary_span}">{_e(row.primary)}</th>'
        if middle and row.driver_span:
            cells += f'<td rowspan="{row.driver_span}">{_e(row.driver)}</td>'
        cells += f"<td>{_e(row.change)}</td>" + "".join(f"<td>{_e(cell)}</td>" for cell in row.tail)
        body.append(f"<tr>{cells}</tr>")
    head = "".join(f'<th scope="col">{_e(name)}</th>' for name in idea_headings(diagram))
    return (
        f'<h2>{heading}</h2>\n<table class="ideas"><thead><tr>{head}</tr></thead>\n'
        f"<tbody>{''.join(body)}</tbody></table>\n"
    )


def _counts(diagram: Diagram, heading: str, pictures: list[str]) -> str:
    tally = "".join(f"<tr><td>{_e(s)}</td><td>{n}</td></tr>" for s, n in counts(diagram))
    return (
        f"<h2>{heading}</h2>\n<table><thead><tr><th>Status</th><th>Change ideas</th></tr>"
        f"</thead><tbody>{tally}</tbody></table>\n"
    )


def _practice(diagram: Diagram, heading: str, pictures: list[str]) -> str:
    headings, rows = practice_table(diagram)
    head = "".join(f'<th scope="col">{_e(name)}</th>' for name in headings)
    body = "".join(
        f'<tr><th scope="row">{_e(row[0])}</th>'
        + "".join(f"<td>{_e(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f'<h2>{heading}</h2>\n<table class="practice"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>\n"
    )


def _concerns(diagram: Diagram, heading: str, pictures: list[str]) -> str:
    found = "".join(f"<li>{_e(line)}</li>" for line in concerns(diagram))
    return f'<h2 class="screen">{heading}</h2>\n<ul class="concerns">{found}</ul>\n'


def _measures(diagram: Diagram, heading: str, pictures: list[str]) -> str:
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


def _cycles(diagram: Diagram, heading: str, pictures: list[str]) -> str:
    head = "".join(f'<th scope="col">{_e(name)}</th>' for name in PAPER_CYCLE_HEADINGS)
    body = "".join(
        "<tr>"
        + f'<td>{_e(r.change)}</td><td class="dates">{_e(r.dates)}</td>'
        + "".join(f"<td>{_e(cell)}</td>" for cell in r.cells[2:])
        + "</tr>"
        for r in cycle_rows(diagram)
    )
    return f"<h2>{heading}</h2><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n"


def _outline(diagram: Diagram, heading: str, pictures: list[str]) -> str:
    """The outline as nested lists in the body's font (a screen reader says how deep
    each box is)."""
    out = ['<ul class="outline">']
    depth = 0
    for line in outline(replace(diagram, title="")).splitlines():  # the title is above
        level = (len(line) - len(line.lstrip(" "))) // 2
        while depth < level:
            out.append("<ul>")
            depth += 1
        while depth > level:
            out.append("</li></ul>")
            depth -= 1
        if out[-1] not in ("<ul>", '<ul class="outline">'):
            out.append("</li>")
        out.append(f"<li>{_e(line.strip())}")
    while depth > 0:
        out.append("</li></ul>")
        depth -= 1
    out.append("</li></ul>")
    return f"<h2>{heading}</h2>\n" + "".join(out) + "\n"


def _notes(diagram: Diagram, heading: str, pictures: list[str]) -> str:
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
    "practice": _practice,
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
    svg = prefixed(svg, measure.id)
    svg_check.check(svg.encode("utf-8"), diagram.path)  # what goes into the paper
    return svg


def prefixed(svg: str, prefix: str) -> str:
    """The SVG with every id, and every reference to one, starting ``prefix-``: several
    drawings can then share one page."""
    svg = re.sub(r' id="([^"]+)"', lambda match: f' id="{prefix}-{match[1]}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda match: f"url(#{prefix}-{match[1]})", svg)
    return re.sub(r'href="#([^"]+)"', lambda match: f'href="#{prefix}-{match[1]}"', svg)
