"""The diagram format as a JSON Schema, for editors with a YAML language server.

Built from the same tables the loader uses, so the two cannot drift apart; the
package ships the result as ``schema.json`` (a test checks it is current) and
``driverdiagram schema`` prints it.
"""

from __future__ import annotations

import json
from typing import Any

from ..measures.kinds import CHARTS
from ..model import (
    DEFAULT_LABELS,
    Act,
    Direction,
    Level,
    MeasureType,
    Rating,
    Rules,
    Status,
    Strength,
)
from .diagram import NODE_KEYS

#: Letters (any script), digits, '-' and '_', starting with a letter. JSON Schema
#: patterns have no Unicode classes without the 'u' flag, so any character
#: outside ASCII is let through here and checked by the loader.
ID_PATTERN = r"^(?:[A-Za-z]|[^\x00-\x7F])(?:[A-Za-z0-9_-]|[^\x00-\x7F])*$"

_STATUS_HELP = {
    Status.IDEA: "Not yet tested (the default).",
    Status.TESTING: "Being tested in PDSA cycles.",
    Status.ADOPTED: "Tested and adopted into everyday practice.",
    Status.ABANDONED: "Tested and set aside.",
}
_CHILDREN_HELP = {
    "secondary": "The secondary drivers under this primary driver.",
    "tertiary": "The tertiary drivers under this secondary driver.",
    "changes": "The change ideas that act on this driver; they are drawn in the rightmost column.",
}


def _choice(description: str, values: list[str], help: list[str] | None = None) -> dict[str, Any]:
    """One of ``values``, offered as they are written (lower case) and accepted in any
    case, as the loader accepts 'Testing' (JSON Schema patterns have no flag for case)."""
    offered: dict[str, Any] = {"enum": values}
    if help is not None:
        offered["markdownEnumDescriptions"] = help
    any_case = "|".join(
        "".join(f"[{char.upper()}{char}]" if char.isalpha() else char for char in value)
        for value in values
    )
    return {
        "description": description,
        "type": "string",
        "anyOf": [offered, {"pattern": f"^(?:{any_case})$"}],
    }


def _text(description: str) -> dict[str, Any]:
    # Any scalar: YAML writes 1e3 or true without quotes and the loader keeps them as typed.
    return {"description": description, "type": ["string", "number", "boolean"], "minLength": 1}


def build() -> dict[str, Any]:
    """The JSON Schema (draft-07, the draft YAML language servers know best)."""
    definitions: dict[str, Any] = {
        "text": _text("Text shown in the box, exactly as written."),
        "id": {
            "description": "A short name other entries can 'ref'. Letters, digits, '-' and '_',"
            " starting with a letter; unique in the file.",
            "type": "string",
            "pattern": ID_PATTERN,
        },
        "notes": _text("Notes kept with the box; shown as a tooltip in SVG, not drawn."),
        "strength": _choice(
            "How strongly this entry drives its parent: strong (solid line, the default)"
            " or weak (dotted line).",
            [member.value for member in Strength],
        ),
        "status": _choice(
            "Where the change idea is in its testing.",
            [member.value for member in Status],
            [_STATUS_HELP[member] for member in Status],
        ),
        "owner": _text("Who leads the testing of the change idea (a name or a team)."),
        "focus": {
            "description": "A coach's practice: true for the one or two domains worked on now"
            " (drawn prominent; the others muted).",
            "enum": [True, False, "true", "false", "yes", "no"],
        },
        "reflections": {
            "description": "A coach's practice: dated answers to 'How am I tracking in this"
            " domain? Does my practice feel strong or is there room for improvement?'",
            "type": ["array", "null"],
            "items": {
                "type": "object",
                "properties": {
                    "date": {**_DATE, "description": "The day of the reflection."},
                    "rating": _choice(
                        "How the practice in this domain feels.",
                        [rating.value for rating in Rating],
                    ),
                    "note": _text("What the coach noticed, in a sentence."),
                },
                "required": ["date", "rating"],
                "additionalProperties": False,
            },
        },
        "due": {
            **_DATE,
            "description": "When a decision on the change idea is due, e.g. 2026-12-01.",
        },
    }
    for level in (Level.PRIMARY, Level.SECONDARY, Level.TERTIARY, Level.CHANGE):
        properties: dict[str, Any] = {}
        for key in NODE_KEYS[level]:
            if key not in _CHILDREN_HELP:
                properties[key] = {"$ref": f"#/definitions/{key}"}
            else:
                child = {"secondary": "secondary", "tertiary": "tertiary", "changes": "change"}[key]
                properties[key] = {
                    "description": _CHILDREN_HELP[key],
                    "type": ["array", "null"],
                    "items": {"$ref": f"#/definitions/{child}-entry"},
                }
        name = {Level.CHANGE: "change"}.get(level, level.key)
        definitions[name] = {
            "description": f"A {level.noun}.",
            "type": "object",
            "properties": properties,
            "required": ["text"],
            "additionalProperties": False,
        }
        entries = [{"$ref": "#/definitions/text"}, {"$ref": f"#/definitions/{name}"}]
        if level != Level.PRIMARY:
            entries.append({"$ref": "#/definitions/ref"})
        definitions[f"{name}-entry"] = {
            "description": f"A {level.noun}: its text, a mapping with 'text', or 'ref: ID'"
            " to link to one written elsewhere."
            if level != Level.PRIMARY
            else "A primary driver: its text, or a mapping with 'text'.",
            "anyOf": entries,
        }
    definitions.update(_measurement())
    definitions["ref"] = {
        "description": "A link to a box of the same level written elsewhere in the file.",
        "type": "object",
        "properties": {
            "ref": {"$ref": "#/definitions/id"},
            "strength": {"$ref": "#/definitions/strength"},
        },
        "required": ["ref"],
        "additionalProperties": False,
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "driverdiagram: a driver diagram, format version 1",
        "description": "One aim, the primary and secondary drivers that move it, and the change"
        " ideas to test. See docs/format.md.",
        "type": "object",
        "properties": {
            "title": _text("A heading drawn above the diagram."),
            "team": _text("Who owns the diagram; drawn in the footer."),
            "updated": _text("When the diagram was last revised, e.g. 2026-11-20."),
            "notes": _text("Notes kept with the diagram; not drawn."),
            "labels": {
                "description": "Your own column headings.",
                "type": "object",
                "properties": {
                    key: _text(
                        f"The heading of the column of {DEFAULT_LABELS[key].lower()}"
                        f" (default: {DEFAULT_LABELS[key]})."
                    )
                    for key in DEFAULT_LABELS
                },
                "additionalProperties": False,
            },
            "aim": {
                "description": "The one measurable goal: what, how much, by when.",
                "anyOf": [
                    {"$ref": "#/definitions/text"},
                    {
                        "type": "object",
                        "properties": {
                            "text": {"$ref": "#/definitions/text"},
                            "id": {"$ref": "#/definitions/id"},
                            "notes": {"$ref": "#/definitions/notes"},
                            "measures": {"$ref": "#/definitions/measures"},
                        },
                        "required": ["text"],
                        "additionalProperties": False,
                    },
                ],
            },
            "primary": {
                "description": "The primary drivers: the conditions that must hold for the aim.",
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/definitions/primary-entry"},
            },
        },
        "required": ["aim", "primary"],
        "additionalProperties": False,
        "definitions": definitions,
    }


_NUMBER = {"type": ["number", "string"], "pattern": r"^\s*[+-]?[0-9][0-9,]*(\.[0-9]+)?\s*$"}
_PERIOD = r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"
_DATE = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


def _measurement() -> dict[str, Any]:
    """Measures and PDSA cycles (docs/measures.md)."""
    measure = {
        "description": "A measure: how the team will know a change is an improvement.",
        "type": "object",
        "properties": {
            "id": {"$ref": "#/definitions/id"},
            "name": _text("What is counted, e.g. 'Falls per 1,000 occupied bed days'."),
            "type": _choice(
                "outcome (the default on the aim), process (the default elsewhere) or balancing.",
                [member.value for member in MeasureType],
            ),
            "short": {
                **_text("A short label for the badge on the diagram, e.g. 'Falls rate'."),
                "maxLength": 30,
            },
            "definition": _text("Exactly how it is counted, and where the data come from."),
            "direction": _choice(
                "Which way is better: up or down.", [member.value for member in Direction]
            ),
            "unit": _text("The unit, e.g. '%' or 'per 1,000 bed days'."),
            "target": {**_NUMBER, "description": "The value the team aims for."},
            "baseline": {
                "description": "How many of the first points fix (freeze) the median.",
                "type": ["integer", "string"],
                "pattern": "^[0-9]+$",
            },
            "rules": _choice(
                "The rules: ihi (the default on run charts) or anhoej; on a control chart"
                " shewhart (the default), mdc (Making Data Count) or anhoej.",
                [member.value for member in Rules],
            ),
            "chart": _choice(
                "run (the default), or a control chart: xmr (individuals), p (proportions),"
                " u (rates), c (counts).",
                list(CHARTS),
            ),
            "exclude": {
                "description": "Periods drawn hollow and left out of the centre line and"
                " limits (control charts).",
                "type": "array",
                "items": {"type": "string", "pattern": _PERIOD},
            },
            "phases": {
                "description": "A new centre line and limits from each period: a changed"
                " process (control charts).",
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "from": {"type": "string", "pattern": _PERIOD},
                        "label": _text("What changed, shown on the chart."),
                    },
                    "required": ["from"],
                    "additionalProperties": False,
                },
            },
            "screen": {
                "description": "XmR: leave out moving ranges of 3.267 x their mean or more"
                " (true, the default); false matches the Making Data Count spreadsheet.",
                "enum": [True, False, "true", "false"],
            },
            "data": {
                "description": "A CSV file or an Excel workbook (.xlsx), relative to this"
                " file, with columns period,value[,note] or"
                " period,numerator,denominator[,note] (or the headings 'columns' names).",
                "type": "string",
                "minLength": 1,
            },
            "sheet": _text("The sheet of a workbook 'data' file to read (default: the first)."),
            "columns": {
                "description": "The data file's own heading of each column, such as"
                " {period: Month, numerator: Missed, denominator: Booked}; columns it does"
                " not name are passed over.",
                "type": "object",
                "properties": {
                    role: _text(f"The heading of the {role} column.")
                    for role in ("period", "value", "numerator", "denominator", "note")
                },
                "additionalProperties": False,
            },
            "dates": {
                "description": "How the data file's dates like 01/09/2025 read: dmy (day"
                " first, as in the UK) or mdy (month first, as in the US).",
                "enum": ["dmy", "mdy"],
            },
            "values": {
                "description": "Inline values: period (2026-03 or 2026-03-15) -> number;"
                " empty for a missing period; or {value, note}, or for a p or u chart"
                " {numerator, denominator, note}.",
                "type": "object",
                "propertyNames": {"pattern": _PERIOD},
                "additionalProperties": {
                    "anyOf": [
                        _NUMBER,
                        {"type": "null"},
                        {
                            "type": "object",
                            "properties": {
                                "value": {"anyOf": [_NUMBER, {"type": "null"}]},
                                "numerator": {"anyOf": [_NUMBER, {"type": "null"}]},
                                "denominator": {"anyOf": [_NUMBER, {"type": "null"}]},
                                "note": {"type": "string"},
                            },
                            "additionalProperties": False,
                        },
                    ]
                },
            },
        },
        "required": ["name"],
        "additionalProperties": False,
        "not": {"required": ["data", "values"]},
    }
    cycle = {
        "description": "A PDSA cycle: plan, do, study, act.",
        "type": "object",
        "properties": {
            "name": _text(
                "A short name for run charts (default: the change idea's id and number)."
            ),
            "start": {**_DATE, "description": "The first day of the test, e.g. 2026-09-01."},
            "end": {**_DATE, "description": "The last day of the test."},
            "objective": _text("The question this cycle answers."),
            "prediction": _text("What the team expects to happen, written before the test."),
            "plan": _text("Who, what, where and when."),
            "do": _text("What happened, and what was observed."),
            "study": _text("What the data show against the prediction."),
            "act": _choice(
                "What the team decided: adopt, adapt or abandon.",
                [member.value for member in Act],
            ),
            "measures": {
                "description": "The ids of the measures this cycle watches.",
                "type": "array",
                "items": {"$ref": "#/definitions/id"},
            },
            "owner": _text("Who runs this cycle (a name or a team)."),
            "due": {**_DATE, "description": "When the cycle's study is due back, e.g. 2026-09-30."},
        },
        "required": ["start"],
        "additionalProperties": False,
    }
    return {
        "measure": measure,
        "measures": {
            "description": "Measures of this box (see docs/measures.md).",
            "type": ["array", "null"],
            "items": {"$ref": "#/definitions/measure"},
        },
        "cycle": cycle,
        "pdsa": {
            "description": "The PDSA cycles that test this change idea, in any order.",
            "type": ["array", "null"],
            "items": {"$ref": "#/definitions/cycle"},
        },
    }


def dumps() -> str:
    """The schema as the JSON text shipped in the package."""
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"
