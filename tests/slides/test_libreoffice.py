"""The deck drawn by LibreOffice Impress (headless, with a profile of its own): it
opens, every slide becomes a PDF page holding the boxes' words, and the diagram's
slide drawn as a picture is not blank but shows the theme's colours. Skipped only
where LibreOffice is not installed (CI installs libreoffice-impress)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

import driverdiagram as dd
from tests.paths import FALLS
from tests.slides.deck import read

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.graphviz,
    pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice (soffice)"),
]


def convert(deck: Path, to: str, tmp_path: Path) -> Path:
    """Convert ``deck`` with LibreOffice to ``to`` (pdf, png) beside it."""
    assert SOFFICE is not None
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(deck.parent),
            str(deck),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    made = deck.with_suffix(f".{to}")
    assert result.returncode == 0 and made.exists(), result.stdout + result.stderr
    return made


def test_libreoffice_opens_the_deck_and_prints_every_slide(tmp_path: Path) -> None:
    from pypdf import PdfReader

    diagram = dd.load(FALLS)
    deck = tmp_path / "falls.pptx"
    made = dd.deck(diagram, deck)
    pdf = PdfReader(convert(deck, "pdf", tmp_path))
    assert len(pdf.pages) == made.slides
    page = " ".join(pdf.pages[1].extract_text().split())
    for node in diagram.nodes[:3] + diagram.nodes[-3:]:
        assert " ".join(node.text.split()[:3]) in page, node.id
    assert "TESTING" in page and "Primary drivers" in page
    assert "Verdict:" in " ".join(pdf.pages[2].extract_text().split())


def test_libreoffice_draws_the_diagram_slide(tmp_path: Path) -> None:
    from PIL import Image

    diagram = dd.load(FALLS)
    prs = read(dd.deck(diagram).data)
    slides = prs.slides._sldIdLst
    for index, slide in reversed(list(enumerate(list(slides)))):
        if index != 1:  # keep only the diagram: LibreOffice draws a deck's first slide
            prs.part.drop_rel(slide.rId)
            slides.remove(slide)
    deck = tmp_path / "diagram.pptx"
    prs.save(deck)
    picture = Image.open(io.BytesIO(convert(deck, "png", tmp_path).read_bytes())).convert("RGB")
    width, height = picture.size
    assert width > 600 and height * 16 == pytest.approx(width * 9, rel=0.02), "16:9"
    colours = picture.getcolors(maxcolors=1 << 20)
    assert colours is not None
    counts = {colour: count for count, colour in colours}
    white = counts.get((255, 255, 255), 0)
    assert white < width * height * 0.9, "not blank"
    theme = dd.theme("default")

    def share(hex_colour: str) -> float:
        rgb = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        near = sum(
            count
            for colour, count in counts.items()
            if all(abs(a - b) <= 6 for a, b in zip(colour, rgb, strict=True))
        )
        return near / (width * height)

    assert share(theme.levels[dd.Level.AIM].fill) > 0.01, "the aim's box is drawn"
    assert share(theme.levels[dd.Level.SECONDARY].fill) > 0.01, "the drivers' boxes are drawn"
    assert share(theme.statuses[dd.Status.TESTING].fill) > 0.003, "status by fill"
