"""Diagram -> DOT (draw/dot.py): measures, cycles and improvement on the boxes."""

from __future__ import annotations

import driverdiagram as dd
from tests.paths import MEASURED


def test_diagram_shows_measures_cycles_and_improvement() -> None:
    dot = dd.to_dot(dd.load(MEASURED))
    assert "Measures: falls-rate<BR/><FONT" in dot and "(improving)" in dot
    assert "Measure: assessed</FONT>" in dot
    assert "2 PDSA cycles" in dot and "1 PDSA cycle<" in dot
    assert 'class="dd-box dd-aim dd-measured dd-improving"' in dot
    plain = dd.to_dot(dd.loads("aim: A\nprimary: [B]\n"))
    assert "Measure" not in plain and "PDSA" not in plain
