"""The diagram format as a JSON Schema, for editors with a YAML language server.

Built from the same tables the loader uses, so the two cannot drift apart; the
package ships the result as ``schema.json`` (a test checks it is current) and
``driverdiagram schema`` prints it.
"""

from __future__ import annotations

import json
from typing import Any

from .loader import NODE_KEYS
from .model import DEFAULT_LABELS, Level, Status, Strength

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
        "strength": {
            "description": "How strongly this entry drives its parent: strong (solid line,"
            " the default) or weak (dotted line).",
            "enum": [member.value for member in Strength],
        },
        "status": {
            "description": "Where the change idea is in its testing.",
            "enum": [member.value for member in Status],
            "markdownEnumDescriptions": [_STATUS_HELP[member] for member in Status],
        },
    }
    for level in (Level.PRIMARY, Level.SECONDARY, Level.TERTIARY, Level.CHANGE):
        properties: dict[str, Any] = {}
        for key in NODE_KEYS[level]:
            if key in ("measures", "pdsa"):
                continue  # reserved for SPEC section 6; the loader refuses them for now
            if key in ("text", "id", "notes", "strength", "status"):
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


def dumps() -> str:
    """The schema as the JSON text shipped in the package."""
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"
