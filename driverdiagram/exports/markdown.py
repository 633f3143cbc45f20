"""The Markdown export: an outline and a table of change ideas by driver, every piece
of text escaped so nothing in it is read as markup."""

from __future__ import annotations

from ..model import Diagram, Level, Status, Strength
from ..summary import rows
from ..text import markdown as _md


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

    lines += ["", f"## {_md(diagram.label(Level.CHANGE))} by driver", ""]
    lines += ["| Driver | Change idea | Status |", "|---|---|---|"]
    lines += [f"| {_md(r.driver)} | {_md(r.change)} | {r.status} |" for r in rows(diagram)]
    return "\n".join(lines) + "\n"
