"""PDSA cycles in words (measures/pdsa.py)."""

from __future__ import annotations

import driverdiagram as dd
from tests.samples import measured


def test_pdsa_markdown_escapes_table_cells() -> None:
    text = measured(
        change_extra="        pdsa:\n          - start: 2026-09-01\n"
        "            prediction: 'a | b <script> *c*'\n"
    )
    from driverdiagram.measures.pdsa import pdsa_markdown

    out = pdsa_markdown(dd.loads(text))
    assert "a \\| b \\<script\\> \\*c\\*" in out
