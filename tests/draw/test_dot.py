"""Diagram -> DOT (draw/dot.py): measures, cycles and improvement on the boxes."""

from __future__ import annotations

import driverdiagram as dd
from tests.paths import MEASURED


def test_diagram_shows_measures_cycles_and_improvement() -> None:
    dot = dd.to_dot(dd.load(MEASURED))
    assert "Measures: Falls per 1,000<BR/>bed days <FONT><B>(improving)</B></FONT>;" in dot
    assert "Measure: Assessed within<BR/>24 hours (no data yet)</FONT>" in dot
    assert "Restraint use (no data yet)" in dot and "falls-rate" not in dot
    assert "2 PDSA cycles" in dot and "1 PDSA cycle<" in dot
    assert 'class="dd-box dd-aim dd-measured dd-improving"' in dot
    plain = dd.to_dot(dd.loads("aim: A\nprimary: [B]\n"))
    assert "Measure" not in plain and "PDSA" not in plain
