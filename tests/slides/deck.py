"""Reading a deck back with python-pptx: its slides, the shapes by the names the deck
gives them (``box ID``, ``link PARENT -> CHILD``, ``heading KEY``, ``key ...``), and
where each connector is glued."""

from __future__ import annotations

import io
from typing import Any

from pptx import Presentation
from pptx.oxml.ns import qn

import driverdiagram as dd


def read(data: bytes) -> Any:
    return Presentation(io.BytesIO(data))


def named(slide: Any, prefix: str) -> dict[str, Any]:
    """The slide's shapes whose names start with ``prefix``, by the rest of the name."""
    return {
        shape.name[len(prefix) :]: shape for shape in slide.shapes if shape.name.startswith(prefix)
    }


def text(shape: Any) -> str:
    """A shape's text with its line breaks and paragraphs as single spaces."""
    return " ".join(shape.text_frame.text.split())


def glued(connector: Any) -> tuple[tuple[int, int], tuple[int, int]]:
    """(shape id, connection site) of a connector's begin and end, from its XML
    (a:stCxn and a:endCxn); an end that is not glued fails the test."""
    ends = connector._element.find(qn("p:nvCxnSpPr")).find(qn("p:cNvCxnSpPr"))
    begin, end = ends.find(qn("a:stCxn")), ends.find(qn("a:endCxn"))
    assert begin is not None and end is not None, connector.name
    return (int(begin.get("id")), int(begin.get("idx"))), (int(end.get("id")), int(end.get("idx")))


def dashed(connector: Any) -> str | None:
    """The preset dash of a line ('dash', 'sysDot' ...), None for a solid line."""
    line = connector._element.spPr.find(qn("a:ln"))
    dash = line.find(qn("a:prstDash")) if line is not None else None
    return None if dash is None else dash.get("val")


def words(node: dd.Node) -> str:
    return " ".join(node.text.split())
