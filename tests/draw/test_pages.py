"""Drawings fitted to paper (draw/pages.py), --page, --portrait and --split: real
PDFs read back with pypdf."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.draw.pages import MARGIN, size, svg_size
from tests.paths import COACH, EARLY, FALLS

pytestmark = pytest.mark.graphviz


def pages_of(path: Path) -> list[tuple[int, int]]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]


@pytest.mark.parametrize(
    "page, portrait, expected",
    [
        ("a4", False, (842, 595)),
        ("a3", False, (1191, 842)),
        ("a4", True, (595, 842)),
        ("letter", False, (792, 612)),
        ("tabloid", False, (1224, 792)),
    ],
)
def test_pdf_pages_have_the_paper_size(tmp_path: Path, page: str, portrait: bool, expected) -> None:
    out = tmp_path / "d.pdf"
    args = ["render", str(FALLS), "--page", page, "-o", str(out)]
    result = CliRunner().invoke(main, args + (["--portrait"] if portrait else []))
    assert result.exit_code == 0, result.output
    assert pages_of(out) == [expected]
    text = PdfReader(str(out)).pages[0].extract_text()
    assert "Falls prevention on Ward 7" in text and "Hourly rounding" in text, "vector text kept"


def test_svg_and_png_fit_the_page(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "render",
            str(FALLS),
            "--page",
            "a4",
            "-f",
            "svg",
            "-f",
            "png",
            "--dpi",
            "100",
            "-o",
            f"{tmp_path}/",
        ],
    )
    assert result.exit_code == 0, result.output
    width, height = svg_size((tmp_path / "falls-prevention.svg").read_bytes())
    assert (round(width), round(height)) == (842, 595)
    png = (tmp_path / "falls-prevention.png").read_bytes()
    pixels = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    printable = [(side - 2 * MARGIN) / 72 * 100 for side in size("a4")]
    assert pixels[0] <= printable[0] + 2 and pixels[1] <= printable[1] + 2
    assert pixels[0] >= printable[0] - 10 or pixels[1] >= printable[1] - 10, "fills the page"


def test_a_diagram_too_big_to_read_says_so(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main, ["render", str(COACH), "--page", "a4", "-o", str(tmp_path / "c.pdf")]
    )
    assert result.exit_code == 0
    assert "prints its smallest text at" in result.stderr and "--page a3" in result.stderr
    quiet = runner.invoke(
        main, ["render", str(FALLS), "--page", "a4", "-o", str(tmp_path / "f.pdf")]
    )
    assert quiet.stderr == ""


def test_split_gives_a_page_per_primary_driver_with_the_aim(tmp_path: Path) -> None:
    out = tmp_path / "split.pdf"
    result = CliRunner().invoke(
        main, ["render", str(EARLY), "--split", "--page", "a4", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    diagram = dd.load(EARLY)
    primaries = diagram.at_level(dd.Level.PRIMARY)
    assert pages_of(out) == [(842, 595)] * len(primaries)
    reader = PdfReader(str(out))
    for page, primary in zip(reader.pages, primaries, strict=True):
        text = " ".join(page.extract_text().split())
        assert "By December 2027" in text
        assert " ".join(primary.text.split()[:3]) in text
    assert " ".join(primaries[1].text.split()[:4]) not in " ".join(
        reader.pages[0].extract_text().split()
    )


def test_page_usage_mistakes(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["render", str(FALLS), "--split", "-f", "svg"]).exit_code == 2
    assert runner.invoke(main, ["render", str(FALLS), "--portrait"]).exit_code == 2
