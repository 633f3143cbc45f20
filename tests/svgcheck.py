"""Read back what Graphviz drew: boxes, their text and the links, from an SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

NS = {"svg": "http://www.w3.org/2000/svg"}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass
class Box:
    id: str
    text: str  # the lines of text drawn in the box, joined by spaces
    left: float
    right: float
    top: float
    bottom: float

    @property
    def centre_x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def centre_y(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Drawing:
    root: ET.Element
    boxes: dict[str, Box]  # by diagram id (headings are "heading:KEY")
    links: list[tuple[str, str]]  # (parent id, child id) for every drawn link
    link_styles: dict[tuple[str, str], str]  # stroke-dasharray or "" per link


def read(svg: bytes) -> Drawing:
    root = ET.fromstring(svg)
    boxes: dict[str, Box] = {}
    links: list[tuple[str, str]] = []
    styles: dict[tuple[str, str], str] = {}
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        kind = (group.get("class") or "").split()[:1]
        title = group.find("svg:title", NS)
        if kind == ["node"] and title is not None and title.text not in ("key", "credits"):
            shapes = [e for e in group.iter() if e.tag.rpartition("}")[2] in ("path", "polygon")]
            assert shapes, title.text
            shape = shapes[0]
            numbers = [
                float(n) for n in _NUMBER.findall(shape.get("d") or shape.get("points") or "")
            ]
            xs, ys = numbers[0::2], numbers[1::2]
            words = [t.text or "" for t in group.iter("{http://www.w3.org/2000/svg}text")]
            boxes[title.text or ""] = Box(
                title.text or "", " ".join(words), min(xs), max(xs), min(ys), max(ys)
            )
        elif kind == ["edge"] and title is not None:
            parent, _, child = (title.text or "").partition("->")
            parent, child = _without_port(parent), _without_port(child)
            links.append((parent, child))
            path = group.find("svg:path", NS)
            styles[(parent, child)] = path.get("stroke-dasharray", "") if path is not None else ""
    return Drawing(root, boxes, links, styles)


def _without_port(name: str) -> str:
    """``aim:e`` -> ``aim``: edge titles name the side of the box a line leaves."""
    base, colon, port = name.rpartition(":")
    return base if colon and port in ("n", "ne", "e", "se", "s", "sw", "w", "nw", "c") else name
