"""Every page of every example's paper, as a reader gets it: the PDF printed by
Chromium and the Word paper printed by LibreOffice, each page read back (pypdf) and
drawn as a picture (poppler's pdftoppm). A page is never blank, never holds only a
heading, and says "Page N of M"; the title and the team are printed once; the
diagram's text prints at 8 pt or more, the paper choosing a split view itself."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.papers.figures import first_page_room, plan
from driverdiagram.summary import SECTIONS
from driverdiagram.views import parts
from tests.papers.paper import CHROMIUM
from tests.paths import COACH, EARLY, FALLS, ROOT, SPEC
from tests.slides.test_libreoffice import SOFFICE, convert

pytestmark = pytest.mark.graphviz
EXAMPLES = sorted((ROOT / "diagrams").glob("*.yaml"))
PDFTOPPM = shutil.which("pdftoppm")
HEADINGS = {section.heading for section in SECTIONS} | {"Measures"}


def paper(source: Path, out: Path, *options: str) -> tuple[Path, str]:
    result = CliRunner().invoke(main, ["report", str(source), "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    return out, result.output


def pages_of(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]


def check_pages(pdf: Path, diagram: dd.Diagram) -> None:
    texts = pages_of(pdf)
    total = len(texts)
    assert total >= 2
    for number, text in enumerate(texts, start=1):
        words = " ".join(text.split())
        assert f"Page {number} of {total}" in words, f"page {number} of {pdf.name} is unnumbered"
        body = words.replace(f"Page {number} of {total}", "").strip()
        assert body, f"page {number} of {pdf.name} is blank"
        assert body not in HEADINGS, f"page {number} of {pdf.name} holds only '{body}'"
    everything = " ".join(" ".join(texts).split())
    assert everything.count(" ".join(diagram.title.split())) == 1, "the title printed once"
    if diagram.team:
        assert everything.count(" ".join(diagram.team.split())) == 1, "the team printed once"
    if PDFTOPPM is None:
        return
    from PIL import Image

    folder = pdf.parent / f"{pdf.stem}-pages"
    folder.mkdir()
    subprocess.run([PDFTOPPM, "-r", "30", "-png", str(pdf), str(folder / "p")], check=True)
    pictures = sorted(folder.glob("p-*.png"))
    assert len(pictures) == total
    for picture in pictures:
        grey = Image.open(picture).convert("L")
        inked = sum(grey.histogram()[:200])
        assert inked > 0.005 * grey.width * grey.height, f"{picture.name} is nearly blank"


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium")
@pytest.mark.parametrize("source", EXAMPLES, ids=lambda path: path.stem)
def test_every_page_of_each_example_pdf(tmp_path: Path, source: Path) -> None:
    pdf, said = paper(source, tmp_path / "paper.pdf")
    diagram = dd.load(source)
    check_pages(pdf, diagram)
    assert "below 8 pt; try" not in said  # every picture prints its text at 8 pt or more
    texts = pages_of(pdf)
    for part in parts(diagram) if "on a page of its own" in said else []:
        # each primary driver's page has its heading
        assert any(part.heading[:40] in " ".join(text.split()) for text in texts)


@pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice Writer (soffice)")
@pytest.mark.parametrize("source", [EARLY, FALLS], ids=lambda path: path.stem)
def test_every_page_of_the_word_paper_as_libreoffice_prints_it(
    tmp_path: Path, source: Path
) -> None:
    document, _ = paper(source, tmp_path / "paper.docx")
    check_pages(convert(document, "pdf", tmp_path), dd.load(source))


def test_a_diagram_too_big_for_page_one_is_split_by_the_paper_itself(tmp_path: Path) -> None:
    _, said = paper(COACH, tmp_path / "paper.html")
    assert "the whole diagram would print its smallest text at 5." in said
    assert "each primary driver on a page of its own" in said
    page = (tmp_path / "paper.html").read_text()
    diagram = dd.load(COACH)
    for part in parts(diagram):
        assert f"<h2>{part.heading}</h2>" in page
    assert "Primary driver 2 of 6: Developing technical knowledge and skills" in page
    # a box two primary drivers share says so on each one's page
    assert page.count("dd&#45;shared") >= 2 and ">shared: also serves 1 other<" in page
    # chosen: no view of its own
    _, said = paper(COACH, tmp_path / "depth.html", "--depth", "1")
    assert "on a page of its own" not in said
    assert '<section class="part">' not in (tmp_path / "depth.html").read_text()


def test_page_one_fills_its_room(tmp_path: Path) -> None:
    for source in EXAMPLES:
        diagram = dd.load(source)
        for kind in ("html", "docx"):
            first = plan(diagram, kind).figures[0]
            width, height = first_page_room(diagram, "a4", kind)
            assert first.printed[0] <= width + 0.01 and first.printed[1] <= height + 0.01
            # as wide as the page, or as tall as its room: never a small picture
            assert max(first.printed[0] / width, first.printed[1] / height) > 0.99, source.name


def test_split_focus_and_depth_choose_what_the_paper_shows(tmp_path: Path) -> None:
    paper(FALLS, tmp_path / "split.md", "--split")
    text = (tmp_path / "split.md").read_text()
    count = len(dd.load(FALLS).at_level(dd.Level.PRIMARY))
    assert text.count("### Primary driver ") == count
    assert (tmp_path / f"split.part-{count}.svg").exists()
    paper(SPEC, tmp_path / "focus.md", "--focus", "identify")
    focused = (tmp_path / "focus.md").read_text()
    whole = dd.load(SPEC)
    other = [n for n in whole.at_level(dd.Level.PRIMARY) if n.id != "identify"]
    assert other and all(" ".join(n.text.split()) not in focused for n in other)
    result = CliRunner().invoke(
        main, ["report", str(SPEC), "-o", str(tmp_path / "x.md"), "--focus", "nowhere"]
    )
    assert result.exit_code != 0 and "no box with id 'nowhere'" in result.output
    assert "Traceback" not in result.output


def test_the_change_idea_table_is_grouped_by_primary_and_secondary_driver(
    tmp_path: Path,
) -> None:
    page = paper(FALLS, tmp_path / "paper.html")[0].read_text()
    table = page[page.index('<table class="ideas">') : page.index("</table>")]
    head = re.findall(r'<th scope="col">([^<]*)</th>', table)
    # in the diagram's own words (its labels call the change ideas so)
    assert head == ["Primary driver", "Secondary driver", "Change ideas to test", "Status"]
    diagram = dd.load(FALLS)
    # each primary driver's cell once, spanning its rows
    for primary in diagram.at_level(dd.Level.PRIMARY):
        words = html.escape(" ".join(primary.text.split()))
        assert table.count(f">{words}</th>") == 1
    assert 'rowspan="' in table
    # the outline is in the body's font, as nested lists, not a monospace block
    assert "<pre>" not in page and '<ul class="outline">' in page


def test_render_split_heads_each_page_and_marks_shared_boxes(tmp_path: Path) -> None:
    out = tmp_path / "split.pdf"
    result = CliRunner().invoke(
        main, ["render", str(COACH), "--split", "--page", "a4", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    texts = [" ".join(text.split()) for text in pages_of(out)]
    assert len(texts) == 6
    assert texts[1].startswith("Primary driver 2 of 6: Developing technical knowledge and skills")
    assert all(f"Primary driver {n} of 6: " in text for n, text in enumerate(texts, start=1))
    assert sum("shared: also serves 1 other" in text for text in texts) >= 2
    from pypdf import PdfReader

    page = PdfReader(str(out)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # A4 landscape


def test_a_part_names_the_boxes_other_primary_drivers_share() -> None:
    diagram = dd.load(SPEC)
    found = parts(diagram)
    assert [part.primary.id for part in found] == ["identify", "environment"]
    assert [part.heading.split(":")[0] for part in found] == [
        "Primary driver 1 of 2",
        "Primary driver 2 of 2",
    ]
    # 'assess' serves both primary drivers: each part marks it, and only it
    assert all(part.shared == {"assess": 1} for part in found)
    for part in found:
        assert {node.id for node in part.view.nodes} >= {"aim", part.primary.id, "assess"}
