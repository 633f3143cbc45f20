"""Diagram -> other formats: JSON (everything, stable order), Markdown, Mermaid, CSV.

Every export is inert wherever it is opened: Markdown escapes all markup, Mermaid
labels are entity codes for anything its parser or renderer acts on, CSV cells
cannot start a spreadsheet formula, and none of them carries a raw control
character (JSON escapes them).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..model import DEFAULT_LABELS, Cycle, Diagram, Level, Measure, Node, Status, Strength
from ..style import DEFAULT
from ..text import json_text, visible
from ..text import markdown as _md

FORMATS = ("markdown", "mermaid", "csv", "json")
JSON_FORMAT = "driverdiagram"


def export(diagram: Diagram, to: str) -> str:
    """The diagram as ``markdown``, ``mermaid``, ``csv`` or ``json`` text."""
    if to == "json":
        return to_json(diagram)
    if to == "markdown":
        return to_markdown(diagram)
    if to == "mermaid":
        return to_mermaid(diagram)
    if to == "csv":
        return to_csv(diagram)
    raise ValueError(f"export to one of {', '.join(FORMATS)}, not {to!r}")


def to_json(diagram: Diagram) -> str:
    """Every box and link with every attribute, keys in a fixed order.

    ``links`` are in the order they are written; ``ref`` marks a link written as
    ``ref: ID`` rather than where the box itself is written. ``driverdiagram
    import`` reads this back into the same diagram.
    """
    data: dict[str, Any] = {
        "format": JSON_FORMAT,
        "version": 1,
        "title": diagram.title,
        "team": diagram.team,
        "updated": diagram.updated,
        "notes": diagram.notes,
        "labels": dict(diagram.labels),
        "nodes": [
            {
                "id": node.id,
                "level": node.level.key,
                "text": node.text,
                "notes": node.notes,
                "status": node.status.value if node.status is not None else None,
                "generated_id": node.generated_id,
                "line": node.location.line,
            }
            for node in diagram.nodes
        ],
        "links": [
            {
                "parent": link.parent,
                "child": link.child,
                "strength": link.strength.value,
                "ref": link.ref,
                "line": link.location.line,
            }
            for link in diagram.links
        ],
    }
    if diagram.measures:
        data["measures"] = [measure_record(measure) for measure in diagram.measures]
    if diagram.cycles:
        data["cycles"] = [cycle_record(cycle) for cycle in diagram.cycles]
    # json escapes C0 controls itself; json_text escapes C1 ones and U+2028/U+2029 too
    return json_text(data) + "\n"


def measure_record(measure: Measure) -> dict[str, Any]:
    """A measure with every attribute, its points in time order."""
    return {
        "id": measure.id,
        "box": measure.node,
        "name": measure.name,
        "type": measure.type.value,
        "definition": measure.definition,
        "direction": measure.direction.value if measure.direction else None,
        "unit": measure.unit,
        "target": measure.target,
        "baseline": measure.baseline,
        "rules": measure.rules.value,
        "data": measure.data,
        "generated_id": measure.generated_id,
        "points": [
            {"period": point.period, "value": point.value, "note": point.note}
            for point in measure.points
        ],
    }


def cycle_record(cycle: Cycle) -> dict[str, Any]:
    """A PDSA cycle with every attribute."""
    return {
        "change": cycle.change,
        "number": cycle.number,
        "name": cycle.name,
        "start": cycle.start.isoformat(),
        "end": cycle.end.isoformat() if cycle.end else None,
        "objective": cycle.objective,
        "prediction": cycle.prediction,
        "plan": cycle.plan,
        "do": cycle.do,
        "study": cycle.study,
        "act": cycle.act.value if cycle.act else None,
        "measures": list(cycle.measures),
    }


# -- Markdown --------------------------------------------------------------------


def to_markdown(diagram: Diagram) -> str:
    """An outline and a table of change ideas by driver, to paste into a paper."""
    lines: list[str] = [f"# {_md(diagram.title or 'Driver diagram')}", ""]
    credits = diagram.credits
    if credits:
        lines += [_md(" · ".join(credits)), ""]
    lines += [f"**{_md(diagram.label(Level.AIM))}:** {_md(diagram.aim.text)}", "", "## Outline", ""]
    seen: set[str] = set()

    def walk(node_id: str, depth: int) -> None:
        for link in diagram.children(node_id):
            node = diagram.node(link.child)
            marks = []
            if node.status not in (None, Status.IDEA):
                marks.append(f"*{node.status.value}*")
            if link.strength == Strength.WEAK:
                marks.append("*weak link*")
            again = link.child in seen and diagram.children(link.child)
            suffix = (" (" + ", ".join(marks) + ")" if marks else "") + (
                " (see above)" if again else ""
            )
            lines.append(f"{'  ' * depth}- {_md(node.text)}{suffix}")
            if link.child not in seen:
                seen.add(link.child)
                walk(link.child, depth + 1)

    walk(diagram.aim.id, 0)
    from ..summary import rows

    lines += ["", f"## {_md(diagram.label(Level.CHANGE))} by driver", ""]
    lines += ["| Driver | Change idea | Status |", "|---|---|---|"]
    lines += [f"| {_md(r.driver)} | {_md(r.change)} | {r.status} |" for r in rows(diagram)]
    return "\n".join(lines) + "\n"


# -- Mermaid ---------------------------------------------------------------------


def to_mermaid(diagram: Diagram) -> str:
    """A ``flowchart LR`` that GitHub, GitLab and Notion draw: a subgraph per column,
    weak links dotted, change ideas styled by status (colour and a dashed or thick
    border, as in the drawings)."""
    names = {node.id: f"n{index}" for index, node in enumerate(diagram.nodes)}
    lines = ["flowchart LR"]
    for level in diagram.levels:
        lines.append(f'  subgraph col_{level.key}["{_mermaid(diagram.label(level))}"]')
        lines.append("    direction TB")
        for node in diagram.at_level(level):
            lines.append(f'    {names[node.id]}["{_mermaid(_label(node))}"]')
        lines.append("  end")
    for link in diagram.links:
        arrow = "-.-" if link.strength == Strength.WEAK else "---"
        lines.append(f"  {names[link.parent]} {arrow} {names[link.child]}")
    theme = DEFAULT
    for level in diagram.levels:
        style = theme.levels[level]
        lines.append(
            f"  classDef {level.key} fill:{style.fill},stroke:{style.border},color:{style.text}"
        )
    dashes = {
        "dashed": ",stroke-dasharray:6 3",
        "dotted": ",stroke-dasharray:2 2",
        "bold": ",stroke-width:3px",
    }
    for status in Status:
        cue = theme.statuses[status]
        lines.append(
            f"  classDef {status.value} fill:{cue.fill},stroke:{cue.border}"
            f"{dashes.get(cue.border_style, '')}"
        )
    for node in diagram.nodes:
        kind = node.status.value if node.status is not None else node.level.key
        lines.append(f"  class {names[node.id]} {kind}")
    return "\n".join(lines) + "\n"


def _label(node: Node) -> str:
    cue = DEFAULT.statuses[node.status].tag if node.status is not None else ""
    return f"{node.text}\n{cue}" if cue else node.text


#: What a Mermaid label keeps as it is: letters and digits of any script, spaces and
#: punctuation that means nothing inside a quoted label. Everything else becomes an
#: entity code ``#NN;``: ``"`` would end the label; ``#``, ``&``, ``<``, ``>`` start
#: entities and HTML; ``%`` starts a ``%%{init: ...}%%`` directive, which Mermaid
#: looks for anywhere in the text; a backtick just inside the quotes starts a
#: Markdown string, and `` * _ ~ `` are Markdown where labels are Markdown (GitHub);
#: ``:`` and ``;`` make Mermaid's ``style ...:...#...;`` pre-pass eat an entity's ``;``;
#: ``°`` and ``¶`` (not letters, so encoded too) are parts of the placeholders Mermaid
#: puts in for entities while it parses, which a label must not spell out.
_MERMAID_PLAIN = frozenset(" .,'!?()-+/=")


def _mermaid(text: str) -> str:
    """Text for a quoted Mermaid label (a node or a subgraph title), shown literally:
    control characters made visible, line breaks as ``<br>``, anything that is not a
    letter, a digit or harmless punctuation as an entity code."""
    out = []
    for char in visible(text):
        if char == "\n":
            out.append("<br>")
        elif char in _MERMAID_PLAIN or char.isalnum():
            out.append(char)
        else:
            out.append(f"#{ord(char)};")
    return "".join(out)


# -- CSV (the column layout of the NHS FreeSPC driver diagram tool) --------------

#: FreeSPC's columns first, so the file opens there; ours after, for what it
#: cannot hold (status, strength, notes, and on the aim's row the title, team,
#: date, notes and headings), so the diagram comes back whole.
CSV_COLUMNS = (
    "id",
    "level",
    "parent_id",
    "text",
    "color",
    "extra_parents",
    "status",
    "strength",
    "notes",
    "title",
    "team",
    "updated",
    "diagram_notes",
    "labels",
)
CSV_LEVELS = {
    Level.AIM: "aim",
    Level.PRIMARY: "primary",
    Level.SECONDARY: "secondary",
    Level.TERTIARY: "tertiary",
    Level.CHANGE: "change",
}


#: A cell starting with one of these is a formula to Excel, LibreOffice or Google
#: Sheets (OWASP's CSV injection list), even after spaces: ``=HYPERLINK(...)`` would
#: be a live link.
_FORMULA = re.compile("[\\s']*[=+\\-@\t\r]")
#: A cell defused by :func:`csv_cell`: its quote, then what made it a formula.
_DEFUSED = re.compile("'[\\s']*[=+\\-@\t\r]")


def csv_cell(text: str) -> str:
    """A CSV cell that no spreadsheet runs: control characters made visible (so no
    bare CR ever splits a row), and text that would start a formula behind a ``'``,
    which spreadsheets show as text. Text that already starts with quotes and then a
    formula start gets one more, so :func:`csv_text` undoes exactly this."""
    shown = visible(text)
    return "'" + shown if _FORMULA.match(shown) else shown


def csv_text(cell: str) -> str:
    """The text of a cell :func:`csv_cell` wrote (its defusing quote taken off)."""
    return cell[1:] if _DEFUSED.match(cell) else cell


def to_csv(diagram: Diagram) -> str:
    """One row per box, in file order: ``id,level,parent_id,text,color,extra_parents``
    (FreeSPC's layout), then driverdiagram's own columns. ``extra_parents`` lists the
    other parents of a shared box, ``;``-separated, ``ID:weak`` for a weak link.
    Every cell goes through :func:`csv_cell`."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for node in diagram.nodes:
        links = diagram.parents(node.id)
        home = next((link for link in links if not link.ref), None)
        extra = [
            link.parent + (":weak" if link.strength == Strength.WEAK else "")
            for link in links
            if link is not home
        ]
        style = DEFAULT.levels[node.level]
        colour = DEFAULT.statuses[node.status].fill if node.status is not None else style.fill
        row = [
            node.id,
            CSV_LEVELS[node.level],
            home.parent if home else "",
            node.text,
            colour,
            ";".join(extra),
            node.status.value if node.status is not None else "",
            home.strength.value if home else "",
            node.notes,
        ]
        if node.level == Level.AIM:
            changed = {key: text for key, text in diagram.labels if DEFAULT_LABELS[key] != text}
            labels = json.dumps(changed, ensure_ascii=False) if changed else ""
            row += [diagram.title, diagram.team, diagram.updated, diagram.notes, labels]
        else:
            row += ["", "", "", "", ""]
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()
