"""Run charts (measures/chart.py): text drawn literally."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import driverdiagram as dd
from tests.samples import measured


def test_chart_text_is_literal(tmp_path: Path) -> None:
    text = measured(
        aim_measures="    - id: m\n      name: 'Cost $5 & <more> \"x\" \\\\N'\n"
        "      values: {2026-01: 1, 2026-02: {value: 2, note: '$x$ & <y>'}}"
    )
    svg = dd.chart(dd.loads(text), "m").decode()
    root = ET.fromstring(svg)
    words = " ".join(t.text or "" for t in root.iter() if t.text)
    assert 'Cost $5 & <more> "x" \\\\N' in words and "$x$ & <y>" in words
