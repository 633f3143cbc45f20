"""The CSV export, in the column layout of the NHS FreeSPC driver diagram tool, every
cell one no spreadsheet runs as a formula."""

from __future__ import annotations

import csv
import io
import json

from ..model import DEFAULT_LABELS, Diagram, Level, Strength
from ..style import DEFAULT
from ..text import csv_cell

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


def to_csv(diagram: Diagram) -> str:
    """One row per box, in file order: ``id,level,parent_id,text,color,extra_parents``
    (FreeSPC's layout), then driverdiagram's own columns. ``extra_parents`` lists the
    other parents of a shared box, ``;``-separated, ``ID:weak`` for a weak link.
    Every cell goes through :func:`csv_cell`."""

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
