"""The CSV export, in the columns of the NHS FreeSPC driver diagram tool
(github.com/FreeSPC-nhs/driver-diagram-tool), every cell one no spreadsheet runs
as a formula. ``driverdiagram import`` reads it back (see readers/csv.py)."""

from __future__ import annotations

import csv
import io

from ..model import DEFAULT_LABELS, Diagram, Level, Node, Strength
from ..style import DEFAULT
from ..text import csv_cell, json_text

#: FreeSPC's columns, in the order its tool writes them, so the file opens there.
FREESPC_COLUMNS = (
    "id",
    "level",
    "parent_id",
    "text",
    "color",
    "auto_size",
    "extra_parents",
    "box_height",
    "vertical_gap",
    "font_size",
    "font_family",
    "font_bold",
    "title_aim",
    "title_primary",
    "title_secondary",
    "title_change",
    "palette_json",
    "measures_json",
)
#: driverdiagram's own columns after FreeSPC's, for what FreeSPC cannot hold: a
#: change idea's status, a link's strength, a box's notes and, on the aim's row, the
#: title, team, date, notes and any column heading FreeSPC has no column for.
CSV_COLUMNS = (
    *FREESPC_COLUMNS,
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

#: What FreeSPC draws with when nothing is said: its box height, gap between boxes
#: and font size in pixels, the page's font, not bold.
_APPEARANCE = ["32", "8", "13", "", "0"]


def to_csv(diagram: Diagram) -> str:
    """One row per box, in file order, in FreeSPC's columns and then driverdiagram's.

    ``extra_parents`` lists the other parents of a shared box, ``;``-separated,
    ``ID:weak`` for a weak link; ``color`` is the box's fill in the default theme,
    and ``palette_json`` says what each colour means (FreeSPC's legend). The column
    headings are on every row, as FreeSPC writes them; ``measures_json`` has each
    measure's name and type (and its id, when it has one of its own). Every cell
    goes through :func:`csv_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    titles = [diagram.label(level) for level in (Level.AIM, Level.PRIMARY, Level.SECONDARY)]
    titles.append(diagram.label(Level.CHANGE))
    palette = json_text(_palette(diagram), indent=None)
    for node in diagram.nodes:
        links = diagram.parents(node.id)
        home = next((link for link in links if not link.ref), None)
        extra = [
            link.parent + (":weak" if link.strength == Strength.WEAK else "")
            for link in links
            if link is not home
        ]
        measures = [
            {"type": measure.type.value, "text": measure.name}
            | ({} if measure.generated_id else {"id": measure.id})
            for measure in diagram.measures_of(node.id)
        ]
        row = [
            node.id,
            CSV_LEVELS[node.level],
            home.parent if home else "",
            node.text,
            _colour(node),
            "1",  # FreeSPC sizes each box to its text, as a drawing here does
            ";".join(extra),
            *_APPEARANCE,
            *titles,
            palette,
            json_text(measures, indent=None),
            node.status.value if node.status is not None else "",
            home.strength.value if home else "",
            node.notes,
        ]
        if node.level == Level.AIM:
            changed = {key: text for key, text in diagram.labels if DEFAULT_LABELS[key] != text}
            labels = json_text(changed, indent=None) if changed else ""
            row += [diagram.title, diagram.team, diagram.updated, diagram.notes, labels]
        else:
            row += ["", "", "", "", ""]
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()


def _colour(node: Node) -> str:
    """The box's fill in the default theme: its status's for a change idea."""
    if node.status is not None:
        return DEFAULT.statuses[node.status].fill
    return DEFAULT.levels[node.level].fill


def _palette(diagram: Diagram) -> list[dict[str, str]]:
    """FreeSPC's colour legend: each colour the boxes have, once, named by what it
    means (a column's heading, or a change idea's status)."""
    names: dict[str, str] = {}
    for node in diagram.nodes:
        name = node.status.value.capitalize() if node.status else diagram.label(node.level)
        names.setdefault(_colour(node), name)
    return [{"label": name, "value": colour} for colour, name in names.items()]
