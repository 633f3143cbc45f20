"""The Mermaid export (exports/mermaid.py), and the Mermaid CLI drawing it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import driverdiagram as dd
from tests.paths import ROOT


def test_mermaid_has_every_box_link_column_and_status() -> None:
    diagram = dd.load(ROOT / "diagrams" / "early-years-participation.yaml")
    text = dd.export(diagram, "mermaid")
    assert text.startswith("flowchart LR\n")
    assert len(re.findall(r'^    n\d+\["', text, re.M)) == len(diagram.nodes)
    assert len(re.findall(r"^  n\d+ (---|-\.-) n\d+$", text, re.M)) == len(diagram.links)
    assert text.count("-.-") == sum(link.strength.value == "weak" for link in diagram.links)
    assert text.count("subgraph ") == len(diagram.levels)
    for status in ("testing", "adopted", "abandoned"):
        assert f"classDef {status} " in text


MMDC = shutil.which("mmdc") or os.environ.get("MMDC")


@pytest.mark.skipif(not MMDC or not shutil.which("chromium"), reason="needs mmdc and chromium")
def test_the_mermaid_cli_draws_every_box(tmp_path: Path) -> None:
    """Run with MMDC=/path/to/node_modules/.bin/mmdc where the Mermaid CLI is installed
    (npm install @mermaid-js/mermaid-cli, with PUPPETEER_SKIP_DOWNLOAD=1)."""
    diagram = dd.load(ROOT / "diagrams" / "early-years-participation.yaml")
    source = tmp_path / "d.mmd"
    source.write_text(dd.export(diagram, "mermaid"))
    config = tmp_path / "puppeteer.json"
    config.write_text(
        json.dumps(
            {
                "executablePath": shutil.which("chromium"),
                "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            }
        )
    )
    out = tmp_path / "d.svg"
    run = subprocess.run(
        [str(MMDC), "-p", str(config), "-i", str(source), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    svg = out.read_text()
    assert "Syntax error" not in svg
    for node in diagram.nodes:
        assert node.text.split()[0] in svg
