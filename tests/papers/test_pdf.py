"""The PDF paper (papers/pdf.py), read back with pypdf."""

from __future__ import annotations

from pathlib import Path

import pytest

import driverdiagram as dd
from tests.papers.paper import CHROMIUM, make
from tests.paths import EARLY

pytestmark = pytest.mark.graphviz


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium")
def test_pdf_pages_and_text(tmp_path: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(str(make(tmp_path, "pdf")))
    assert len(reader.pages) >= 3
    first = reader.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (842, 595)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for change in dd.load(EARLY).at_level(dd.Level.CHANGE):
        assert " ".join(change.text.split()[:3]) in text
