"""The portal's pages: what each one shows, gathered from the diagrams, and the Jinja2
templates (kept beside this module, autoescaping on) that turn it into HTML.

Everything from a diagram reaches a page through a template's ``{{ }}``: escaped for
HTML, its control characters made visible (:func:`~driverdiagram.text.visible`). The
one piece of markup not written by a template is the diagram's SVG, which Graphviz
drew from escaped text and :func:`driverdiagram.draw.svg.check` has passed, with the
links the site names and no others.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..draw import svg as svg_check
from ..draw.render import draw
from ..errors import OptionError
from ..files import decode, read_bytes
from ..measures import icons
from ..measures.words import control_of, verdict_of, with_unit
from ..model import Cycle, Diagram, Level, Measure, MeasureType, Node, Status
from ..readers.reports import ACTS
from ..style import DEFAULT, Theme
from ..summary import counts, title
from ..text import excerpt, visible, yaml_quoted
from .names import box_names, unique

if TYPE_CHECKING:
    import jinja2

#: Where the templates and the stylesheet are kept.
TEMPLATES = Path(__file__).parent / "templates"
#: The site's one stylesheet, at the top of the output folder.
STYLESHEET = "style.css"
#: The site's icon (a browser's tab shows it; without one a web server is asked for
#: /favicon.ico, which no site folder has).
ICON = "icon.svg"
#: Every page's Content-Security-Policy: nothing is fetched from anywhere but the site
#: itself (its stylesheet and its charts), no form is sent; the one script that may
#: run is the forms' (:data:`FORMS_SCRIPT`), allowed by its hash (:func:`csp`).
CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"
#: The forms' script, kept beside the templates and put inline in the pages with a form.
FORMS_SCRIPT = "forms.js"


# -- names: every address of a diagram's pages ------------------------------------------


@dataclass(frozen=True)
class Names:
    """The addresses of one diagram's pages, inside its folder of the site."""

    folder: str  # the diagram's folder in the site
    boxes: dict[str, str]  # box id -> anchor on the diagram page (box-...)
    changes: dict[str, str]  # change idea id -> its page (change-....html)
    measures: dict[str, str]  # measure id -> anchor (measure-...) and chart name

    def href(self, node: Node) -> str:
        """Where a box links to from the diagram page: a change idea to its page,
        any other box to its entry in the outline (which lists its measures)."""
        if node.id in self.changes:
            return self.changes[node.id]
        return "#" + self.boxes[node.id]

    def chart(self, measure: Measure) -> str:
        """A measure's chart, from the diagram's folder."""
        return f"charts/{self.measures[measure.id].removeprefix('measure-')}.svg"


def names_of(diagram: Diagram, folder: str) -> Names:
    boxes = box_names((node.id, node.text, node.generated_id) for node in diagram.nodes)
    changes = {node.id: f"change-{boxes[node.id]}.html" for node in diagram.at_level(Level.CHANGE)}
    measures = unique((measure.id for measure in diagram.measures), "measure")
    return Names(
        folder,
        {key: f"box-{name}" for key, name in boxes.items()},
        changes,
        {key: f"measure-{name}" for key, name in measures.items()},
    )


# -- what the pages show ----------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A box in the outline: its heading, its anchor (None where it is listed again
    under another parent, with a link to where it was first listed)."""

    node: Node
    heading: str
    anchor: str | None
    href: str
    measures: list[Measure]
    children: list[Entry] = field(default_factory=list)


@dataclass(frozen=True)
class Icon:
    """A Making Data Count icon beside a measure: its file in the site's icons/
    folder and what it says, in words (its text alternative)."""

    name: str
    side: str | None
    src: str  # from the top of the site
    words: str


@dataclass(frozen=True)
class Chart:
    """A measure on a page: its chart (None without data) and its verdict in words."""

    measure: Measure
    anchor: str
    owner: str
    verdict: str
    latest: str
    src: str | None
    spark: Any = ""  # the sparkline: a small inline SVG (safe markup), '' without data
    icons: tuple[Icon, ...] = ()  # the Making Data Count icons (rules: mdc)


@dataclass(frozen=True)
class Idea:
    """A change idea with its PDSA cycles."""

    node: Node
    status: str  # in words
    key: str  # idea, testing, adopted or abandoned
    href: str
    cycles: list[Cycle]


@dataclass(frozen=True)
class Card:
    """A diagram on the programme page."""

    href: str
    title: str
    team: str
    updated: str
    committed: str  # the date of the newest commit of its file ('' outside git)
    aim: str
    counts: list[tuple[str, int]]
    outcomes: list[Chart]


def heading(node: Node) -> str:
    """'Change idea (testing)', 'Primary driver': what a box is, in words."""
    noun = node.level.noun.capitalize()
    if node.status is not None and node.status != Status.IDEA:
        noun += f" ({node.status.value})"
    return noun


def status_of(node: Node) -> str:
    status = node.status or Status.IDEA
    return {
        Status.IDEA: "idea: not yet tested",
        Status.TESTING: "testing",
        Status.ADOPTED: "adopted",
        Status.ABANDONED: "abandoned",
    }[status]


def outline_of(diagram: Diagram, names: Names) -> Entry:
    """The diagram as a tree of entries, left to right (a box under several parents in
    full under the first, named again under the others)."""
    seen: set[str] = set()

    def entry(node_id: str) -> Entry:
        node = diagram.node(node_id)
        again = node_id in seen
        seen.add(node_id)
        kids = [] if again else [entry(link.child) for link in diagram.children(node_id)]
        anchor = None if again else names.boxes[node_id]
        href = names.changes.get(node_id) or "#" + names.boxes[node_id]
        return Entry(node, heading(node), anchor, href, diagram.measures_of(node_id), kids)

    return entry(diagram.aim.id)


def chart_of(diagram: Diagram, measure: Measure, names: Names) -> Chart:
    node = diagram.node(measure.node)
    owner = "the aim" if node.level == Level.AIM else " ".join(node.text.split())
    latest = next((p for p in reversed(measure.points) if p.value is not None), None)
    shown = f"{with_unit(latest.value, measure.unit)} ({latest.period})" if latest else ""
    return Chart(
        measure,
        names.measures[measure.id],
        owner,
        verdict_of(measure),
        shown,
        names.chart(measure) if measure.points else None,
        markup(sparkline(measure)) if measure.points else "",
        icons_of(measure),
    )


#: The folder of the site that holds the Making Data Count icons.
ICONS = "icons"


def icons_of(measure: Measure) -> tuple[Icon, ...]:
    """A Making Data Count chart's variation and assurance icons (none for other rules,
    or before there are limits to judge by)."""
    control = control_of(measure)
    if control is None or control.rules != "mdc" or control.variation is None:
        return ()
    side = control.variation_side
    found = [
        Icon(
            control.variation,
            side,
            f"{ICONS}/{control.variation}{'-' + side if side else ''}.svg",
            f"Variation: {icons.WORDS[control.variation]}{f' ({side})' if side else ''}",
        )
    ]
    if control.assurance:
        found.append(
            Icon(
                control.assurance,
                None,
                f"{ICONS}/{control.assurance}.svg",
                f"Assurance: {icons.WORDS[control.assurance]}",
            )
        )
    return tuple(found)


def icon_svg(icon: Icon) -> bytes:
    """The icon's file, checked as every drawing is."""
    data = icons.svg(icon.name, icon.side)
    svg_check.check(data, icon.src)
    return data


#: A sparkline's size in CSS pixels, and the room kept at its edges for the last point.
SPARK_WIDTH, SPARK_HEIGHT, SPARK_EDGE = 120, 28, 3


def sparkline(measure: Measure) -> str:
    """The measure's values as a tiny SVG line (ours: numbers only, no text, no
    script), the latest point marked, the target dashed when it is in range. A missing
    value breaks the line. Checked as every drawing is."""
    values = measure.values
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    if measure.target is not None and low <= measure.target <= high:
        target: float | None = measure.target
    else:
        target = None
    span = (high - low) or 1.0
    step = (SPARK_WIDTH - 2 * SPARK_EDGE) / max(len(values) - 1, 1)
    inner = SPARK_HEIGHT - 2 * SPARK_EDGE

    def x(index: int) -> str:
        return f"{SPARK_EDGE + index * step:.1f}"

    def y(value: float) -> str:
        return (
            f"{SPARK_EDGE + inner * (high - value) / span if high != low else SPARK_HEIGHT / 2:.1f}"
        )

    runs: list[list[str]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append(f"{x(index)},{y(value)}")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="spark" width="{SPARK_WIDTH}"'
        f' height="{SPARK_HEIGHT}" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" role="img"'
        f' aria-label="{html.escape(spark_words(measure), quote=True)}">'
    ]
    if target is not None:
        parts.append(
            f'<line class="spark-target" x1="0" x2="{SPARK_WIDTH}" y1="{y(target)}"'
            f' y2="{y(target)}" stroke="#767676" stroke-width="1" stroke-dasharray="3 2"/>'
        )
    for run in runs:
        if len(run) > 1:
            parts.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="#1f4e79"'
                ' stroke-width="1.5" stroke-linejoin="round"/>'
            )
    last = max(i for i, value in enumerate(values) if value is not None)
    latest = values[last]
    assert latest is not None
    parts.append(f'<circle cx="{x(last)}" cy="{y(latest)}" r="2.5" fill="#1f4e79"/>')
    parts.append("</svg>")
    text = "".join(parts)
    svg_check.check(text.encode("utf-8"), measure.id)
    return text


def spark_words(measure: Measure) -> str:
    """What a sparkline shows, in words: 'Sparkline of 30 months, 2024-05 to 2026-10,
    lowest 3.2, highest 9.1'."""
    known = [p for p in measure.points if p.value is not None]
    first, last = known[0].period, known[-1].period
    values = [p.value for p in known if p.value is not None]
    span = f"{first} to {last}" if first != last else first
    return (
        f"Sparkline of {len(values)} value{'s' if len(values) != 1 else ''}, {span},"
        f" lowest {with_unit(min(values), measure.unit)},"
        f" highest {with_unit(max(values), measure.unit)}"
    )


def ideas_of(diagram: Diagram, names: Names) -> list[Idea]:
    return [
        Idea(
            node,
            status_of(node),
            (node.status or Status.IDEA).value,
            names.changes[node.id],
            diagram.cycles_of(node.id),
        )
        for node in diagram.at_level(Level.CHANGE)
    ]


def card_of(diagram: Diagram, names: Names, committed: str = "") -> Card:
    """The diagram's card; ``committed``: the date of its file's newest commit."""
    outcomes = [
        chart_of(diagram, measure, names)
        for measure in diagram.measures
        if measure.type == MeasureType.OUTCOME
    ]
    return Card(
        f"{names.folder}/index.html",
        title(diagram) if diagram.title else " ".join(diagram.aim.text.split()),
        diagram.team,
        diagram.updated,
        committed,
        diagram.aim.text,
        [(status, number) for status, number in counts(diagram) if number],
        outcomes,
    )


def paths_to_aim(diagram: Diagram, node_id: str) -> list[list[Node]]:
    """For each driver a change idea serves, the way from that driver to the aim (by
    each box's first parent), nearest first."""
    found = []
    for link in diagram.parents(node_id):
        path = [diagram.node(link.parent)]
        while path[-1].level != Level.AIM:
            above = diagram.parents(path[-1].id)
            if not above:
                break
            path.append(diagram.node(above[0].parent))
        found.append(path)
    return found


# -- the matrix of change ideas several teams share ---------------------------------------


@dataclass(frozen=True)
class Shared:
    """A change idea found in several diagrams: its text, and per diagram (the
    columns) its status and page there, or None."""

    text: str
    cells: list[tuple[str, str] | None]


def shared_ideas(
    diagrams: list[tuple[Diagram, Names]],
) -> tuple[list[tuple[str, str]], list[Shared]]:
    """The change ideas in two or more diagrams (the same written id, or the same text
    whatever its case and spacing), in the order first met; and the columns: the
    diagrams that share any, as (title, page)."""
    groups: list[list[tuple[int, Node]]] = []
    by_key: dict[tuple[str, str], int] = {}
    for index, (diagram, _) in enumerate(diagrams):
        for node in diagram.at_level(Level.CHANGE):
            keys = [("text", " ".join(node.text.casefold().split()))]
            if not node.generated_id:
                keys.append(("id", node.id))
            found = next((by_key[key] for key in keys if key in by_key), None)
            if found is None:
                found = len(groups)
                groups.append([])
            groups[found].append((index, node))
            for key in keys:
                by_key.setdefault(key, found)
    shared = [group for group in groups if len({index for index, _ in group}) > 1]
    columns = sorted({index for group in shared for index, _ in group})
    rows = []
    for group in shared:
        cells: list[tuple[str, str] | None] = []
        for column in columns:
            here = next((node for index, node in group if index == column), None)
            names = diagrams[column][1]
            cells.append(
                None
                if here is None
                else (status_of(here), f"{names.folder}/{names.changes[here.id]}")
            )
        rows.append(Shared(" ".join(group[0][1].text.split()), cells))
    heads = [
        (card_title(diagrams[column][0]), f"{diagrams[column][1].folder}/index.html")
        for column in columns
    ]
    return heads, rows


def card_title(diagram: Diagram) -> str:
    return diagram.title or " ".join(diagram.aim.text.split())


# -- the forms: a partner's report of a cycle or a month -------------------------------


#: What each form asks, in the order its report writes it: (key, label, input, hint).
CYCLE_FIELDS = (
    ("start", "First day", "date", "required"),
    ("end", "Last day", "date", "optional"),
    ("name", "Short name", "text", "optional: shown on the run charts"),
    ("objective", "Objective", "textarea", "what question does the cycle answer?"),
    ("prediction", "Prediction", "textarea", "what do you expect to happen?"),
    ("plan", "Plan", "textarea", "who, what, where, when?"),
    ("owner", "Who runs it", "text", "optional: a name, a role or a team"),
    ("due", "Study due", "date", "optional: when the study is due back"),
    ("do", "Do", "textarea", "what happened?"),
    ("study", "Study", "textarea", "how did it compare with the prediction?"),
    ("act", "Act", "act", "adopt, adapt or abandon; leave it empty if not decided yet"),
    ("reporter", "Your name", "text", "optional"),
    ("organisation", "Organisation", "text", "optional"),
)


@dataclass(frozen=True)
class Form:
    """A "Report a cycle" or "Add a month" form: what its script writes the report
    with, and for a page without script the report's lines to send instead."""

    kind: str  # pdsa-report or data-report
    anchor: str  # the form's id on its page
    target: str  # the change idea's or the measure's id
    diagram: str  # the diagram's title, written in the report for the coach
    fields: tuple[tuple[str, str, str, str], ...]
    contact: str  # the address the e-mail goes to ('' : the partner fills it in)
    template: str  # the report's lines with blanks to fill in
    mailto: str  # an e-mail carrying those lines
    filename: str  # what to call the file, in words

    @property
    def keys(self) -> str:
        return " ".join(key for key, *_ in self.fields)


def _template(kind: str, fixed: list[tuple[str, str]], blanks: list[tuple[str, str]]) -> str:
    lines = [f"kind: {yaml_quoted(kind)}", 'version: "1"']
    lines += [f"{key}: {yaml_quoted(value)}" for key, value in fixed]
    lines += [f'{key}: ""{"   # " + hint if hint else ""}' for key, hint in blanks]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Programme:
    """What every page of a site shares: the programme's title (the programme page's
    heading, the first step of each page's breadcrumb) and the coach's e-mail address
    the forms' e-mails go to ('' : the partner fills it in)."""

    title: str
    contact: str = ""


#: An e-mail address as a coach gives one: name@place.org (o'brien@ too), nothing a
#: mailto: link or a page would read as more than the address (no spaces, double
#: quotes, '?', '&', '<'); each part of the domain a name that starts and ends with a
#: letter or digit, the last letters only.
_ADDRESS = re.compile(
    r"[A-Za-z0-9._%+'-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}\Z"
)


def programme(title: str | None, contact: str = "") -> Programme:
    """The site's :class:`Programme`; a contact that is not a plain e-mail address is
    an :class:`OptionError`, so nothing odd reaches a mailto: link."""
    contact = contact.strip()
    if contact and (len(contact) > 254 or not _ADDRESS.match(contact)):
        raise OptionError(
            f"--contact {excerpt(contact)} is not an e-mail address; give the one"
            " partners should send their reports to, as name@example.org"
        )
    return Programme(title or "Driver diagrams", contact)


def _mailto(contact: str, subject: str, body: str) -> str:
    quote = urllib.parse.quote
    return f"mailto:{quote(contact, safe='@')}?subject={quote(subject, safe='')}&body=" + quote(
        body, safe=""
    )


def cycle_form(diagram: Diagram, node: Node, contact: str = "") -> Form | None:
    """The "Report a cycle" form of a change idea (None when it has no id written in
    the file: a report could not name it)."""
    if node.generated_id:
        return None
    heading = card_title(diagram)
    fixed = [("diagram", heading), ("change", node.id)]
    hints = {"start": "the first day, as 2026-09-01", "end": "the last day, as 2026-09-14"}
    hints["due"] = "when the study is due back, as 2026-09-21"
    hints["act"] = "adopt, adapt or abandon"
    template = _template(
        "pdsa-report", fixed, [(key, hints.get(key, "")) for key, *_ in CYCLE_FIELDS]
    )
    subject = f"PDSA cycle of {node.id}"
    return Form(
        "pdsa-report",
        "report-cycle",
        node.id,
        heading,
        CYCLE_FIELDS,
        contact,
        template,
        _mailto(contact, subject, template),
        f"{node.id}-FIRST-DAY.pdsa.yaml",
    )


def month_form(diagram: Diagram, measure: Measure, anchor: str, contact: str = "") -> Form:
    """The "Add a month" form of a measure: a month (or a day, when its data are days),
    and its value or, for counts, its numerator and denominator."""
    days = any(len(point.period) == 10 for point in measure.points)
    counts = measure.chart in ("p", "u") or any(
        point.numerator is not None for point in measure.points
    )
    period = ("period", "Day" if days else "Month", "date" if days else "month", "required")
    numbers = (
        (
            ("numerator", "Numerator", "number", "required: how many had it"),
            ("denominator", "Denominator", "number", "required: out of how many"),
        )
        if counts
        else (
            ("value", "Value", "number", f"required{': ' + measure.unit if measure.unit else ''}"),
        )
    )
    fields = (
        period,
        *numbers,
        ("note", "Note", "text", "optional: anything unusual this period"),
        ("reporter", "Your name", "text", "optional"),
        ("organisation", "Organisation", "text", "optional"),
    )
    heading = card_title(diagram)
    hint = "the day, as 2026-11-15" if days else "the month, as 2026-11"
    template = _template(
        "data-report",
        [("diagram", heading), ("measure", measure.id)],
        [(key, hint if key == "period" else "") for key, *_ in fields],
    )
    return Form(
        "data-report",
        f"{anchor}-add",
        measure.id,
        heading,
        fields,
        contact,
        template,
        _mailto(contact, f"Data for {measure.id}", template),
        f"{measure.id}-{'DAY' if days else 'MONTH'}.data.yaml",
    )


def forms_script() -> str:
    """The forms' script, as it goes inline in a page."""
    return decode(read_bytes(TEMPLATES / FORMS_SCRIPT), FORMS_SCRIPT)


def csp(script: str) -> str:
    """The pages' Content-Security-Policy, which runs ``script`` (by its hash) and no
    other."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return f"{CSP}; script-src 'sha256-{digest}'"


# -- the diagram as inline SVG --------------------------------------------------------------


def linked_svg(diagram: Diagram, names: Names, theme: Theme = DEFAULT) -> str:
    """The drawing with every box a link (see :meth:`Names.href`), ready to go inline in
    HTML: no prologue, sized by CSS, a group (not an image) so its links are found by
    screen readers and the keyboard. Checked again exactly as it goes in."""
    links = {node.id: names.href(node) for node in diagram.nodes}
    text = draw(diagram, "svg", theme=theme, links=links).data.decode("utf-8")
    text = text[text.index("<svg") :]
    text = re.sub(r'<svg width="[\d.]+pt" height="[\d.]+pt"', "<svg", text, count=1)
    text = text.replace(
        ' role="img" aria-labelledby="dd-title dd-desc"',
        ' role="group" aria-labelledby="dd-title"',
        1,
    )
    svg_check.check(text.encode("utf-8"), diagram.path, links=frozenset(links.values()))
    return text


# -- the templates --------------------------------------------------------------------------


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the site's templates: autoescaping on, every value
    shown with its control characters made visible, an undefined name an error."""
    import jinja2
    from markupsafe import Markup

    def load(name: str) -> str:
        if not re.fullmatch(r"[a-z]+\.(html|css)", name):
            raise jinja2.TemplateNotFound(name)
        return decode(read_bytes(TEMPLATES / name), name)

    def finalize(value: Any) -> Any:
        if isinstance(value, str) and not isinstance(value, Markup):
            return visible(value)
        return value

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    script = forms_script()
    env.globals["csp"] = csp(script)
    env.globals["forms_script"] = Markup(script)
    env.globals["acts"] = ACTS
    env.globals["stylesheet"] = STYLESHEET
    env.globals["icon"] = ICON
    env.filters["words"] = lambda text: " ".join(visible(str(text)).split())
    env.filters["dates"] = cycle_dates
    return env


def cycle_dates(cycle: Cycle) -> str:
    if cycle.end is None:
        return f"{cycle.start} (ongoing)" if cycle.act is None else f"{cycle.start}"
    return f"{cycle.start} to {cycle.end}"


def markup(text: str) -> Any:
    """Text that is already safe HTML (the checked SVG), for a template to put in as it is."""
    from markupsafe import Markup

    return Markup(text)


def render(env: jinja2.Environment, template: str, **context: Any) -> bytes:
    return env.get_template(template).render(**context).encode("utf-8")


def stylesheet() -> bytes:
    return read_bytes(TEMPLATES / STYLESHEET)


def site_icon() -> bytes:
    """The site's icon, checked as every drawing is."""
    data = read_bytes(TEMPLATES / ICON)
    svg_check.check(data, ICON)
    return data


def walk(entry: Entry) -> Iterator[Entry]:
    """Every entry of an outline, depth first."""
    yield entry
    for child in entry.children:
        yield from walk(child)
