"""The Markdown export (exports/markdown.py), its text shown literally."""

from __future__ import annotations

import driverdiagram as dd
from driverdiagram.model import Level
from tests.paths import ROOT


def test_markdown_lists_every_change_idea_under_each_driver() -> None:
    diagram = dd.load(ROOT / "diagrams" / "early-years-participation.yaml")
    text = dd.export(diagram, "markdown")
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    expected = [link for link in diagram.links if diagram.node(link.child).level == Level.CHANGE]
    assert len(rows) - 1 == len(expected)
    for change in diagram.at_level(Level.CHANGE):
        assert any(change.text.split()[0] in row for row in rows)


def test_markdown_and_mermaid_show_text_literally() -> None:
    diagram = dd.loads('aim: "A | <b> & \\"q\\" # *x*"\nprimary: [B]\n')
    markdown = dd.export(diagram, "markdown")
    assert 'A \\| \\<b\\> \\& "q" \\# \\*x\\*' in markdown
    mermaid = dd.export(diagram, "mermaid")
    assert 'n0["A #124; #60;b#62; #38; #34;q#34; #35; #42;x#42;"]' in mermaid
