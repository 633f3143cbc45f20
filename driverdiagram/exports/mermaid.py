"""The Mermaid export: a ``flowchart LR`` that GitHub, GitLab and Notion draw, its
labels entity codes for anything Mermaid's parser or renderer acts on."""

from __future__ import annotations

from ..model import Diagram, Node, Status, Strength
from ..style import DEFAULT
from ..text import visible


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
