"""Diagram -> a meeting paper: DOCX, self-contained HTML, Markdown or PDF.

Every paper has the same parts, in this order: title, team and date, the aim,
the diagram (sized for the page, with a text alternative), a table of every
driver with its change ideas and their status, the counts by status, the
run chart of each measure that has data and a table of the PDSA cycles (when
the diagram has them), the outline of the whole diagram, and the notes.

A paper is inert whoever wrote the diagram: text is escaped for each format, every
SVG is checked (:mod:`driverdiagram.svg`) before it goes in, the HTML paper's
Content-Security-Policy forbids scripts and every fetch, the PDF printer (Chromium)
has no network, and a Word template lends its styles and nothing else.
"""

from __future__ import annotations

import contextlib
import functools
import html
import io
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..draw import svg as svg_check
from ..errors import Location, RenderError
from ..limits import megabytes
from ..model import Diagram, Level, Measure, Status
from ..outlines import outline
from ..style import DEFAULT, Theme
from ..text import excerpt

FORMATS = ("docx", "html", "md", "pdf")
#: Height left for the diagram on the first printed page (landscape, 12 mm margins,
#: after the title and the aim), in millimetres.
_PRINT_HEIGHT = {"a4": 145, "a3": 235, "letter": 150, "tabloid": 235}
#: Resolution of the diagram in a Word document: sharp when printed.
DOCX_DPI = 200


@dataclass(frozen=True)
class Row:
    driver: str
    change: str
    status: str


def rows(diagram: Diagram) -> list[Row]:
    """Every (driver, change idea) link, drivers in file order."""
    found = []
    for node in diagram.nodes:
        if node.level in (Level.AIM, Level.CHANGE):
            continue
        for link in diagram.children(node.id):
            child = diagram.node(link.child)
            if child.level == Level.CHANGE:
                status = child.status.value if child.status is not None else ""
                found.append(Row(" ".join(node.text.split()), " ".join(child.text.split()), status))
    return found


def counts(diagram: Diagram) -> list[tuple[str, int]]:
    """How many change ideas have each status (each idea counted once)."""
    tally = Counter(node.status for node in diagram.at_level(Level.CHANGE))
    return [(status.value, tally.get(status, 0)) for status in Status]


def box_notes(diagram: Diagram) -> list[tuple[str, str]]:
    """(box text, its notes) for every box that has notes, in file order."""
    return [(" ".join(n.text.split()), n.notes) for n in diagram.nodes if n.notes]


def printed_text(diagram: Diagram, *, theme: Theme = DEFAULT, page: str = "a4") -> float:
    """The smallest text size, in points, of the diagram as the paper prints it."""
    from ..draw import pages
    from ..draw.render import render

    width, height = pages.svg_size(render(diagram, "svg", theme=theme))
    room_width = pages.size(page)[0] - 2 * 12 / 25.4 * 72
    room_height = _PRINT_HEIGHT[page] / 25.4 * 72
    scale = min(room_width / width, room_height / height, 1.0)
    sizes = [theme.small_size] + [theme.levels[level].font_size for level in diagram.levels]
    return min(sizes) * scale


def printable(diagram: Diagram) -> Diagram:
    """The diagram with control characters in its text made visible, as the drawing
    shows them: Word documents cannot hold them at all."""
    from dataclasses import replace

    from ..text import visible

    nodes = tuple(replace(n, text=visible(n.text), notes=visible(n.notes)) for n in diagram.nodes)
    return replace(
        diagram,
        nodes=nodes,
        title=visible(diagram.title),
        team=visible(diagram.team),
        updated=visible(diagram.updated),
        notes=visible(diagram.notes),
    )


def charted(diagram: Diagram) -> list[Measure]:
    """The measures that have data, in file order: each gets a run chart."""
    return [measure for measure in diagram.measures if measure.points]


def verdict_line(diagram: Diagram, measure: Measure) -> str:
    """One sentence under a chart: where the measure sits and what it shows."""
    from ..measures.words import analysis_of, number, verdict_of

    node = diagram.node(measure.node)
    where = "the aim" if node.level == Level.AIM else " ".join(node.text.split())
    unit = measure.unit if measure.unit.startswith("%") or not measure.unit else f" {measure.unit}"
    analysis = analysis_of(measure)
    parts = [f"{measure.type.value.capitalize()} measure for {where}."]
    if measure.definition:
        parts.append(f"{' '.join(measure.definition.split()).rstrip('.')}.")
    latest = next((p for p in reversed(measure.points) if p.value is not None), None)
    if latest is not None:
        parts.append(
            f"Latest: {number(latest.value)}{unit} ({latest.period}); median"
            f" {number(analysis.centre)}{unit}"
            + (f"; target {number(measure.target)}{unit}." if measure.target is not None else ".")
        )
    parts.append(f"Verdict: {verdict_of(measure, analysis)}.")
    return " ".join(parts)


@dataclass(frozen=True)
class CycleRow:
    change: str
    dates: str
    prediction: str
    learned: str
    act: str


def cycle_rows(diagram: Diagram) -> list[CycleRow]:
    """Every PDSA cycle: change ideas in file order, their cycles in date order."""
    found = []
    for node in diagram.at_level(Level.CHANGE):
        for cycle in diagram.cycles_of(node.id):
            dates = f"{cycle.start} to {cycle.end}" if cycle.end else f"{cycle.start} (ongoing)"
            found.append(
                CycleRow(
                    f"{' '.join(node.text.split())} (cycle {cycle.number})",
                    dates,
                    " ".join(cycle.prediction.split()),
                    " ".join((cycle.study or cycle.do).split()),
                    cycle.act.value if cycle.act else "",
                )
            )
    return found


CYCLE_HEADINGS = ("Change idea", "Dates", "Prediction", "What we learned", "Act")


def _chart_svg(diagram: Diagram, measure: Measure) -> str:
    """A run chart as SVG for inlining in HTML: no prologue, sized by CSS, its
    part ids prefixed with the measure's id so several charts can share a page."""
    from ..measures.chart import chart

    svg = chart(diagram, measure, "svg").decode("utf-8")
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.DOTALL)
    svg = re.sub(r'<svg([^>]*?) width="[\d.]+pt" height="[\d.]+pt"', r"<svg\1", svg, count=1)
    svg = re.sub(
        r' id="(title|subtitle|caption|points|median|median-extended|target|shift-points|'
        r'trend-points|trend-points-down|astronomical|pdsa|note-\d+|pdsa-[\w.-]+)"',
        lambda match: f' id="{measure.id}-{match.group(1)}"',
        svg,
    )
    svg_check.check(svg.encode("utf-8"), diagram.path)  # what goes into the paper
    return svg


def title(diagram: Diagram) -> str:
    return diagram.title or "Driver diagram"


def alt_text(diagram: Diagram) -> str:
    """A short description for the picture; the outline in the paper is the full one."""
    primaries = len(diagram.at_level(Level.PRIMARY))
    ideas = len(diagram.at_level(Level.CHANGE))
    return (
        f"Driver diagram: the aim '{' '.join(diagram.aim.text.split())}', {primaries}"
        f" primary driver{'s' if primaries != 1 else ''} and {ideas} change"
        f" idea{'s' if ideas != 1 else ''}. The outline below gives every box."
    )


def write(
    diagram: Diagram,
    path: Path,
    *,
    theme: Theme = DEFAULT,
    page: str = "a4",
    template: Path | None = None,
    named: bool = True,
) -> None:
    """Write the paper; the format is the file's extension. ``named`` says the user
    chose ``path`` (it may then be a device such as /dev/stdout); the side files of a
    Markdown paper are always written as regular files."""
    from ..files import refuse_input, write_atomic

    refuse_input(diagram.path, path)
    diagram = printable(diagram)
    kind = path.suffix.lower().lstrip(".")
    if kind == "docx":
        write_atomic(path, to_docx(diagram, theme=theme, page=page, template=template), named=named)
    elif kind == "html":
        write_atomic(path, to_html(diagram, theme=theme, page=page).encode("utf-8"), named=named)
    elif kind == "md":
        from ..draw.render import render
        from ..measures.chart import chart

        # the side files are named here, not by the user: only ever regular files
        picture = path.with_suffix(".svg")
        render(diagram, "svg", path=picture, theme=theme, named=False)
        for measure in charted(diagram):
            write_atomic(_chart_path(path, measure), chart(diagram, measure, "svg"))
        write_atomic(path, to_markdown(diagram, picture.name).encode("utf-8"), named=named)
    elif kind == "pdf":
        write_atomic(path, to_pdf(diagram, theme=theme, page=page), named=named)
    else:
        raise ValueError(f"a report is .docx, .html, .md or .pdf, not .{kind}")


def _chart_path(paper: Path, measure: Measure) -> Path:
    return paper.with_name(f"{paper.stem}.{measure.id}.svg")


# -- Markdown --------------------------------------------------------------------


def to_markdown(diagram: Diagram, picture: str) -> str:
    """The paper as Markdown, with ``picture`` (the diagram's SVG, beside it) as its
    image. Every text is escaped (:func:`driverdiagram.text.markdown`) and the outline
    is in a fence longer than any run of backticks in it, so nothing in a diagram is
    read as markup: no link, image, HTML or mention."""
    from urllib.parse import quote

    from ..text import fence
    from ..text import markdown as _md

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
            chart_name = _chart_path(Path(picture), measure).name
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


# -- HTML ----------------------------------------------------------------------------


#: The HTML paper's Content-Security-Policy: no script runs and nothing is fetched
#: (no image, font, frame, style sheet or form target from anywhere, this computer's
#: files included); its own inline styles and inline SVG are all it needs.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:;"
    " base-uri 'none'; form-action 'none'"
)


def to_html(diagram: Diagram, *, theme: Theme = DEFAULT, page: str = "a4") -> str:
    """One file that needs nothing else: the SVG inline, styles inline, no scripts,
    nothing fetched (its Content-Security-Policy, :data:`CSP`, says so to the
    browser too); prints on ``page`` landscape."""
    from ..draw.render import render

    svg = render(diagram, "svg", theme=theme).decode("utf-8")
    svg = svg[svg.index("<svg") :]  # drop the XML prologue and doctype inside HTML
    # size it by CSS (the viewBox keeps its shape), so it fits the screen and the page
    svg = re.sub(r'<svg width="[\d.]+pt" height="[\d.]+pt"', "<svg", svg, count=1)
    svg_check.check(svg.encode("utf-8"), diagram.path)  # exactly what goes into the paper
    e = html.escape
    credits = " · ".join(e(part) for part in diagram.credits)
    table = "".join(
        f"<tr><td>{e(r.driver)}</td><td>{e(r.change)}</td><td>{e(r.status)}</td></tr>"
        for r in rows(diagram)
    )
    tally = "".join(f"<tr><td>{e(s)}</td><td>{n}</td></tr>" for s, n in counts(diagram))
    paragraphs = "".join(
        f"<p>{e(part).replace(chr(10), '<br>')}</p>"
        for part in re.split(r"\n\s*\n", diagram.notes)
        if part.strip()
    )
    on_boxes = "".join(
        f"<li><strong>{e(text)}</strong>: {e(notes)}</li>" for text, notes in box_notes(diagram)
    )
    notes = (
        f"<h2>Notes</h2>{paragraphs}" + (f"<ul>{on_boxes}</ul>" if on_boxes else "")
        if paragraphs or on_boxes
        else ""
    )
    measures = "".join(
        f'<section class="chart"><h3>{e(measure.name)}</h3>'
        f"<p>{e(verdict_line(diagram, measure))}</p>"
        f'<figure aria-label="Run chart: {e(measure.name)}">{_chart_svg(diagram, measure)}'
        "</figure></section>"
        for measure in charted(diagram)
    )
    if measures:
        measures = f"<h2>Measures</h2>{measures}"
    if diagram.cycles:
        head = "".join(f"<th>{e(heading)}</th>" for heading in CYCLE_HEADINGS)
        body = "".join(
            "<tr>"
            + f'<td>{e(r.change)}</td><td class="dates">{e(r.dates)}</td>'
            + "".join(f"<td>{e(cell)}</td>" for cell in (r.prediction, r.learned, r.act))
            + "</tr>"
            for r in cycle_rows(diagram)
        )
        measures += (
            f"<h2>PDSA cycles</h2><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
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
@media print {{
  body {{ margin: 0; max-width: none; }}
  /* title, aim and the whole diagram on the first page; the tables after it */
  h1 {{ font-size: 16pt; margin: 0 0 1mm; }}
  h2 {{ font-size: 12pt; margin: 3mm 0 1mm; }}
  h2.aim-heading {{ display: none; }}
  .aim {{ font-size: 11pt; }}
  .credits, .aim {{ margin: 0; }}
  .screen {{ display: none; }}
  figure.diagram {{ margin: 2mm 0 0; break-after: page; break-inside: avoid; }}
  figure.diagram svg {{ width: auto; height: {_PRINT_HEIGHT[page]}mm; max-width: 100%;
                        margin: 0 auto; }}
  figcaption {{ display: none; }}
  section.chart {{ break-inside: avoid; break-before: page; }}
  section.chart h3 {{ margin: 0 0 1mm; }}
  section.chart p {{ margin: 0 0 1mm; }}
  section.chart figure {{ margin: 0; }}
  section.chart figure svg {{ width: auto; height: {_PRINT_HEIGHT[page] + 10}mm; max-width: 100%; }}
}}
</style>
</head>
<body>
<h1>{e(title(diagram))}</h1>
<p class="credits">{credits}</p>
<h2 class="aim-heading">Aim</h2>
<p class="aim">{e(diagram.aim.text)}</p>
<h2 class="screen">Driver diagram</h2>
<figure class="diagram" aria-label="{e(alt_text(diagram))}">
{svg}
<figcaption>{e(alt_text(diagram))}</figcaption>
</figure>
<h2>Change ideas by driver</h2>
<table><thead><tr><th>Driver</th><th>Change idea</th><th>Status</th></tr></thead>
<tbody>{table}</tbody></table>
<h2>Change ideas by status</h2>
<table><thead><tr><th>Status</th><th>Change ideas</th></tr></thead><tbody>{tally}</tbody></table>
{measures}
<h2>Outline</h2>
<pre>{e(outline(diagram))}</pre>
{notes}
</body>
</html>
"""


# -- DOCX ----------------------------------------------------------------------------


def to_docx(
    diagram: Diagram, *, theme: Theme = DEFAULT, page: str = "a4", template: Path | None = None
) -> bytes:
    """A Word document with real headings and tables, the diagram as a picture at
    print resolution with alt text; ``template`` lends its styles."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    from ..draw import pages
    from ..draw.render import render

    document = docx.Document()
    if template is not None:
        _use_styles(document, template)
    section = document.sections[-1]
    width, height = pages.size(page)  # landscape
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Pt(width), Pt(height)
    margin = Pt(pages.MARGIN * 1.2)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = margin

    document.add_heading(title(diagram), level=0)
    credits = diagram.credits
    if credits:
        document.add_paragraph(" · ".join(credits))
    document.add_heading("Aim", level=1)
    document.add_paragraph(" ".join(diagram.aim.text.split()))
    document.add_heading("Driver diagram", level=1)
    png = render(diagram, "png", theme=theme, dpi=DOCX_DPI)
    usable = Pt(width - 2 * pages.MARGIN * 1.2)
    picture = document.add_picture(io.BytesIO(png), width=usable)
    picture_height = picture.height
    limit = Pt(height - 2 * pages.MARGIN * 1.2 - 60)
    if picture_height > limit:  # too tall for the page: fit the height instead
        picture.height = limit
        picture.width = int(usable * limit / picture_height)
    properties = picture._inline.docPr  # alt text, which python-docx has no API for
    properties.set("descr", alt_text(diagram))
    properties.set("title", title(diagram))

    document.add_heading("Change ideas by driver", level=1)
    table = document.add_table(rows=1, cols=3)
    table.style = _table_style(document)
    for cell, text in zip(table.rows[0].cells, ("Driver", "Change idea", "Status"), strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows(diagram):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = row.driver, row.change, row.status
    document.add_heading("Change ideas by status", level=1)
    tally = document.add_table(rows=1, cols=2)
    tally.style = _table_style(document)
    tally.rows[0].cells[0].text, tally.rows[0].cells[1].text = "Status", "Change ideas"
    for status, number in counts(diagram):
        cells = tally.add_row().cells
        cells[0].text, cells[1].text = status, str(number)
    if charted(diagram):
        from docx.shared import Inches

        from ..measures.chart import WIDTH, chart

        document.add_heading("Measures", level=1)
        for measure in charted(diagram):
            document.add_heading(measure.name, level=2)
            document.add_paragraph(verdict_line(diagram, measure))
            image = document.add_picture(
                io.BytesIO(chart(diagram, measure, "png")), width=Inches(WIDTH)
            )
            image._inline.docPr.set("descr", f"Run chart: {measure.name}")
    if diagram.cycles:
        document.add_heading("PDSA cycles", level=1)
        cycles = document.add_table(rows=1, cols=len(CYCLE_HEADINGS))
        cycles.style = _table_style(document)
        for cell, text in zip(cycles.rows[0].cells, CYCLE_HEADINGS, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for r in cycle_rows(diagram):
            cells = cycles.add_row().cells
            for cell, text in zip(
                cells, (r.change, r.dates, r.prediction, r.learned, r.act), strict=True
            ):
                cell.text = text
    document.add_heading("Outline", level=1)
    for line in outline(diagram).splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        paragraph = document.add_paragraph(line.strip())
        paragraph.paragraph_format.left_indent = Pt(14 * depth)
        paragraph.paragraph_format.space_after = Pt(0)
    if diagram.notes or box_notes(diagram):
        document.add_heading("Notes", level=1)
        for part in re.split(r"\n\s*\n", diagram.notes):
            if part.strip():
                document.add_paragraph(part.strip())
        for text, notes in box_notes(diagram):
            paragraph = document.add_paragraph(style=_list_style(document))
            paragraph.add_run(text).bold = True
            paragraph.add_run(f": {notes}")
    out = io.BytesIO()
    document.core_properties.title = title(diagram)[:255]  # Word's limit for a property
    document.save(out)
    return out.getvalue()


#: A Word template is a zip file; none of its parts needs to be larger than this
#: uncompressed, nor all of them together, nor so much larger than it is compressed
#: (a "zip bomb" of a few kilobytes can hold gigabytes of one repeated byte).
TEMPLATE_PART = 20 * 1024 * 1024
TEMPLATE_TOTAL = 50 * 1024 * 1024
TEMPLATE_RATIO = 100
#: The styles that the paper uses, taken from python-docx's own template when the
#: user's template lacks them (Word writes a style into a file only once it is used).
PAPER_STYLES = ("Title", "Heading 1", "Heading 2", "List Bullet", "Table Grid")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _use_styles(document: object, template: Path) -> None:
    """Give a fresh ``document`` the styles of the Word document ``template``, and
    nothing else of it: not its text, pictures, headers, settings or relationships
    (a remote ``attachedTemplate`` or any other external link stays behind).

    The template is read as a bounded regular file and checked as a zip before
    anything is inflated: sizes and compression ratios first, then only
    ``word/styles.xml`` is read, at most as large as it says it is."""
    import copy

    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml

    from ..files import read_bytes
    from ..limits import current  # the limits in force when the paper is written

    where = Location(str(template))
    data = read_bytes(template, name=str(template))
    if len(data) > current().file_bytes:
        raise RenderError.at(
            where,
            f"the template is larger than {megabytes(current().file_bytes)}; a Word"
            " template with styles is a few tens of kilobytes (raise the limit with"
            " --max-file-mb)",
        )
    styles = _template_part(data, "word/styles.xml", where)
    if b"<!DOCTYPE" in styles or b"<!ENTITY" in styles:
        raise RenderError.at(where, "the template's styles declare a DOCTYPE; Word never does")
    try:
        element = parse_xml(styles)
    except Exception as error:  # lxml's XMLSyntaxError and its kin
        raise RenderError.at(
            where, f"the template's styles (word/styles.xml) cannot be read ({error})"
        ) from error
    if element.tag != f"{_W}styles":
        raise RenderError.at(where, "the template's word/styles.xml holds no styles")
    part = document.part.part_related_by(RELATIONSHIP_TYPE.STYLES)  # type: ignore[attr-defined]
    fresh = document.styles  # type: ignore[attr-defined]
    ours = [name for name in PAPER_STYLES if name in fresh]
    part._element = element  # python-docx has no API to replace a part's XML
    for name in ours:
        if name not in document.styles:  # type: ignore[attr-defined]
            element.append(copy.deepcopy(fresh[name].element))


def _template_part(data: bytes, name: str, where: Location) -> bytes:
    """One part of a Word document, after checking the whole zip is of a sane size."""
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise RenderError.at(
            where, f"is not a Word document (.docx is a zip file; {error})"
        ) from error
    total = 0
    for member in members:
        total += member.file_size
        shown = excerpt(member.filename)
        if member.file_size > TEMPLATE_PART:
            raise RenderError.at(
                where,
                f"its part {shown} would be {megabytes(member.file_size)} uncompressed;"
                f" a template's parts are at most {megabytes(TEMPLATE_PART)}",
            )
        if member.file_size > 1024 * 1024 and member.file_size > TEMPLATE_RATIO * max(
            member.compress_size, 1
        ):
            ratio = member.file_size // max(member.compress_size, 1)
            raise RenderError.at(
                where,
                f"its part {shown} is compressed {ratio:,} times over, as zip bombs are;"
                " it was not opened",
            )
    if total > TEMPLATE_TOTAL:
        raise RenderError.at(
            where,
            f"it would be {megabytes(total)} uncompressed; a template is at most"
            f" {megabytes(TEMPLATE_TOTAL)}",
        )
    try:
        with archive.open(name) as part:
            return part.read(TEMPLATE_PART + 1)  # never more than the size it declared
    except KeyError:
        raise RenderError.at(
            where, f"has no styles ({name}); use a Word document (.docx) as the template"
        ) from None
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError) as error:
        # a damaged or lying part (CRC), encryption, an unknown compression
        raise RenderError.at(where, f"its styles cannot be read ({error})") from error


def _list_style(document: object) -> str | None:
    names = {style.name for style in document.styles}  # type: ignore[attr-defined]
    return "List Bullet" if "List Bullet" in names else None


def _table_style(document: object) -> str | None:
    names = {style.name for style in document.styles}  # type: ignore[attr-defined]
    return "Table Grid" if "Table Grid" in names else None


# -- PDF -------------------------------------------------------------------------------


#: How headless Chromium prints a paper: a fresh profile, nothing in the background,
#: and no network at all: every name resolves to nothing and every request, loopback
#: included, goes to a proxy on a closed port (the paper's Content-Security-Policy
#: forbids fetches as well; this holds even if it did not).
CHROMIUM_SWITCHES = (
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--no-pdf-header-footer",
)


def to_pdf(diagram: Diagram, *, theme: Theme = DEFAULT, page: str = "a4") -> bytes:
    """The HTML paper printed to PDF by headless Chromium (see :func:`print_html`)."""
    return print_html(to_html(diagram, theme=theme, page=page), diagram.path)


def print_html(page: str, name: str = "<paper>") -> bytes:
    """An HTML page printed to PDF by headless Chromium, as a paper is: with no
    network (see :data:`CHROMIUM_SWITCHES`; also in a network namespace of its own
    where the system allows one), in its sandbox unless it runs as root or cannot
    have one, a fresh profile, and the Graphviz time limit (``--dot-timeout``).
    Problems are located at ``name`` (the diagram)."""
    browser = next(
        (
            found
            for program in ("chromium", "chromium-browser", "google-chrome", "chrome")
            if (found := shutil.which(program))
        ),
        None,
    )
    if browser is None:
        raise RenderError.at(
            Location(name),
            "a PDF report is printed by Chromium, which is not installed"
            " (Debian/Ubuntu: sudo apt-get install chromium); write .html and print it instead",
        )
    with tempfile.TemporaryDirectory(prefix="driverdiagram-", dir=_scratch_parent()) as folder:
        source = Path(folder) / "report.html"
        target = Path(folder) / "report.pdf"
        source.write_text(page, encoding="utf-8")
        switches = [
            *CHROMIUM_SWITCHES,
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        root = hasattr(os, "geteuid") and os.geteuid() == 0
        # Chromium refuses to start as root in its sandbox; anyone else keeps it,
        # unless it cannot have one here (a container without user namespaces)
        output = _print(name, [browser, *(["--no-sandbox"] if root else []), *switches], folder)
        if not root and not _printed(target) and b"sandbox" in output.lower():
            output = _print(name, [browser, "--no-sandbox", *switches], folder)
        if not _printed(target):
            raise RenderError.at(
                Location(name), "Chromium did not print the report" + _last_words(output)
            )
        return target.read_bytes()


def _printed(target: Path) -> bool:
    return target.is_file() and target.stat().st_size > 0


def _print(name: str, command: list[str], folder: str) -> bytes:
    """Run Chromium, in a network namespace of its own where one can be had, within
    the time limit; its output (standard error and output), for a failure's message."""
    import signal

    from ..limits import current

    timeout = current().dot_timeout
    try:
        process = subprocess.Popen(
            [*_offline_prefix(), *command],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=_printer_environment(folder),
            start_new_session=True,  # so a timeout stops its helper processes too
        )
    except OSError as error:
        raise RenderError.at(Location(name), f"cannot run Chromium ({error})") from error
    try:
        output, _ = process.communicate(timeout=timeout)
    except BaseException as error:  # the time limit, or Ctrl-C: stop Chromium and its helpers
        if hasattr(os, "killpg"):
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)
        process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.communicate(timeout=5)  # a helper that left the group keeps the pipe
        if not isinstance(error, subprocess.TimeoutExpired):
            raise
        raise RenderError.at(
            Location(name),
            f"Chromium took longer than {timeout:g} seconds to print the report and was"
            " stopped (raise the limit with --dot-timeout)",
        ) from None
    return output


#: Chromium makes sockets under TMPDIR, and a socket's path is at most 107 bytes.
_SHORT_ENOUGH = 60


def _scratch_parent() -> str | None:
    """Where the printer's scratch folder goes: the usual temporary folder, or /tmp
    when that one's path is too long for Chromium's sockets (the scratch folder is
    also Chromium's TMPDIR, so all it leaves goes with the folder)."""
    usual = tempfile.gettempdir()
    if len(os.fsencode(usual)) + len("/driverdiagram-xxxxxxxx") <= _SHORT_ENOUGH:
        return None
    return "/tmp" if os.path.isdir("/tmp") and os.access("/tmp", os.W_OK) else None


def _printer_environment(folder: str) -> dict[str, str]:
    """Chromium's environment: its home, and (when the path is short enough for its
    sockets) its temporary files, in the scratch folder, so that whatever it leaves
    behind, even when it is stopped, goes with that folder."""
    environment = {**os.environ, "HOME": folder}
    if len(os.fsencode(folder)) <= _SHORT_ENOUGH:
        environment["TMPDIR"] = folder
    return environment


@functools.cache
def _offline_prefix() -> tuple[str, ...]:
    """``unshare`` switches that start a program in a network namespace with no
    network (only a loopback that is down), when this system allows it: as root
    directly, as anyone else in a user namespace that keeps their user id (so
    Chromium keeps its sandbox). Nothing where ``unshare`` is missing or refused."""
    program = shutil.which("unshare")
    if program is None:
        return ()
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    prefix = (program, "--net") if root else (program, "--map-current-user", "--net")
    try:
        probe = subprocess.run(
            [*prefix, "true"], stdin=subprocess.DEVNULL, capture_output=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ()
    return prefix if probe.returncode == 0 else ()


def _last_words(output: bytes) -> str:
    """The last thing Chromium said, briefly: what a failure's message quotes."""
    from ..text import excerpt

    lines = [line for line in output.decode("utf-8", "replace").splitlines() if line.strip()]
    return f" (it said {excerpt(lines[-1], 160)})" if lines else ""
