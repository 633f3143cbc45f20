"""``driverdiagram slides`` and dd.deck: the deck read back with python-pptx. Every
box with its words and status word, every link a connector glued to its boxes (right
side of the parent, left side of the child), weak links dashed, the headings and the
key, nothing off the slide, a chart slide per measure with its verdict, the PDSA
table, a slide per primary driver with --split, the same bytes every time."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.measures.words import verdict_of
from driverdiagram.model import Level, Status, Strength
from driverdiagram.summary import CYCLE_HEADINGS, charted
from tests.paths import COACH, EARLY, FALLS, MEASURED, ROOT
from tests.slides.deck import dashed, glued, named, read, text, words

pytestmark = pytest.mark.graphviz

EXAMPLES = sorted((ROOT / "diagrams").glob("*.yaml"))


@pytest.fixture(scope="module")
def decks() -> dict[str, tuple[dd.Diagram, bytes]]:
    """Each example's deck, made once for the module."""
    found = {}
    for path in EXAMPLES:
        diagram = dd.load(path)
        found[path.stem] = (diagram, dd.deck(diagram).data)
    return found


@pytest.mark.parametrize("example", [path.stem for path in EXAMPLES])
def test_every_box_and_link_of_an_example_is_on_its_slide(
    decks: dict[str, tuple[dd.Diagram, bytes]], example: str
) -> None:
    diagram, data = decks[example]
    slide = read(data).slides[1]
    boxes = named(slide, "box ")
    assert list(boxes) == [node.id for node in diagram.nodes]
    theme = dd.theme("default")
    for node in diagram.nodes:
        shown = text(boxes[node.id])
        assert shown.startswith(words(node)), node.id
        if node.status is not None and node.status != Status.IDEA:
            tag = theme.statuses[node.status].tag
            assert tag in shown.split(), node.id
            fill = boxes[node.id].fill.fore_color.rgb
            assert f"#{fill}" == theme.statuses[node.status].fill, node.id
    links = named(slide, "link ")
    assert len(links) == len(diagram.links)
    for link in diagram.links:
        connector = links[f"{link.parent} -> {link.child}"]
        begin, end = glued(connector)
        assert begin == (boxes[link.parent].shape_id, 3), "the parent's right side"
        assert end == (boxes[link.child].shape_id, 1), "the child's left side"
        # where python-pptx put the ends: on those sides
        parent, child = boxes[link.parent], boxes[link.child]
        assert connector.begin_x == parent.left + parent.width
        assert connector.end_x == child.left
        assert dashed(connector) == ("dash" if link.strength == Strength.WEAK else None)
    headings = named(slide, "heading ")
    assert list(headings) == [level.key for level in diagram.levels]
    for level in diagram.levels:
        assert text(headings[level.key]) == diagram.label(level)


@pytest.mark.parametrize("example", [path.stem for path in EXAMPLES])
def test_nothing_is_off_any_slide(decks: dict[str, tuple[dd.Diagram, bytes]], example: str) -> None:
    prs = read(decks[example][1])
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 13.333 x 7.5 in
    for number, slide in enumerate(prs.slides, start=1):
        assert slide.shapes.title is None or slide.shapes.title.text_frame.text
        for shape in slide.shapes:
            where = (number, shape.name)
            assert shape.left >= 0 and shape.top >= 0, where
            assert shape.left + shape.width <= prs.slide_width, where
            assert shape.top + shape.height <= prs.slide_height, where


def test_the_text_is_at_the_themes_sizes_scaled_with_the_drawing(
    decks: dict[str, tuple[dd.Diagram, bytes]],
) -> None:
    diagram, data = decks["falls-prevention"]
    theme = dd.theme("default")
    boxes = named(read(data).slides[1], "box ")
    factors = set()
    for node in diagram.nodes:
        run = boxes[node.id].text_frame.paragraphs[0].runs[0]
        assert run.font.name == "Arial"
        factors.add(round(run.font.size.pt / theme.levels[node.level].font_size, 1))
        assert run.font.size.pt >= 8, node.id
    assert len(factors) == 1, "one scale for every level: the theme's sizes kept in proportion"


def test_the_key_shows_only_the_statuses_used() -> None:
    diagram = dd.loads(
        "aim: A\nprimary:\n  - text: P\n    changes:\n      - {text: C, status: testing}\n"
        "      - D\n"
    )
    slide = read(dd.deck(diagram).data).slides[1]
    assert sorted(named(slide, "key status ")) == ["idea", "testing"]
    assert "weak link" not in named(slide, "key ")
    plain = dd.loads("aim: A\nprimary:\n  - text: P\n    changes: [C]\n")
    assert named(read(dd.deck(plain).data).slides[1], "key ") == {}
    weak = dd.loads("aim: A\nprimary:\n  - text: P\n    changes: [{text: C, strength: weak}]\n")
    slide = read(dd.deck(weak).data).slides[1]
    assert list(named(slide, "key status ")) == []
    assert dashed(named(slide, "key ")["weak link"]) == "dash"


def test_a_title_slide_a_chart_slide_per_measure_and_the_pdsa_table(
    decks: dict[str, tuple[dd.Diagram, bytes]],
) -> None:
    diagram, data = decks["early-years-participation"]
    slides = list(read(data).slides)
    first = {shape.name: text(shape) for shape in slides[0].shapes}
    assert first["title"] == diagram.title
    assert first["aim"] == f"Aim: {words(diagram.aim)}"
    assert first["credits"] == "  ·  ".join(diagram.credits).replace("  ", " ")
    measures = charted(diagram)
    assert measures
    for slide, measure in zip(slides[2:], measures, strict=False):
        pictures = named(slide, "chart ")
        assert list(pictures) == [measure.id]
        assert pictures[measure.id].image.content_type == "image/png"
        verdict = text(named(slide, "verdict ")[measure.id])
        assert f"Verdict: {verdict_of(measure)}." in verdict
        assert " ".join(measure.name.split()) in slide.shapes.title.text_frame.text
    tables = [shape.table for slide in slides for shape in slide.shapes if shape.has_table]
    assert tables and len(slides) == 2 + len(measures) + len(tables)
    rows = []
    for table in tables:
        assert [cell.text for cell in table.rows[0].cells] == list(CYCLE_HEADINGS)
        rows += [[cell.text_frame.text for cell in row.cells] for row in list(table.rows)[1:]]
    assert len(rows) == len(diagram.cycles)
    huddle = " ".join(rows[0][0].split())
    first_cycle = diagram.cycles[0]
    assert huddle.startswith(words(diagram.node(first_cycle.change)))
    assert " ".join(rows[0][2].split()) == " ".join(first_cycle.prediction.split())


def test_split_makes_a_slide_per_primary_driver() -> None:
    diagram = dd.load(EARLY)
    slides = list(read(dd.deck(diagram, split=True).data).slides)
    primaries = diagram.at_level(Level.PRIMARY)
    for number, (slide, primary) in enumerate(zip(slides[1:], primaries, strict=False), 1):
        title = " ".join(slide.shapes.title.text_frame.text.split())
        assert title.startswith(f"Primary driver {number} of {len(primaries)}: ")
        view = dd.focus(diagram, primary.id)
        assert list(named(slide, "box ")) == [node.id for node in view.nodes]
        assert len(named(slide, "link ")) == len(view.links)
    assert len(slides) == 1 + len(primaries) + len(charted(diagram)) + 2  # the table: 2 slides


def test_the_same_diagram_gives_the_same_bytes() -> None:
    diagram = dd.load(MEASURED)
    data = dd.deck(diagram).data
    assert dd.deck(diagram).data == data
    with zipfile.ZipFile(io.BytesIO(data)) as deck:
        names = deck.namelist()
        assert names == sorted(names) and names[0] == "[Content_Types].xml"
        assert {info.date_time for info in deck.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = deck.read("docProps/core.xml").decode()
    assert "<dcterms:created" in core and "2000-01-01" in core
    code = (
        "import hashlib, driverdiagram as dd\n"
        f"print(hashlib.sha256(dd.deck(dd.load({str(MEASURED)!r})).data).hexdigest())"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(seen) == 1


HOSTILE = (
    'aim: "Less harm \\e[31m<b>bold</b> &amp; \\0 \\v \\a ]]> \\uFFFE done"\n'
    'title: "<script>alert(1)</script> \\x1b[2J"\n'
    'team: "Team \\x07 \\b"\n'
    "primary:\n"
    '  - text: "P & <Q> \\"quoted\\" \\\\ back\\tslash"\n'
    "    measures:\n"
    '      - name: "Rate \\e]8;;http://x\\e\\\\"\n'
    "        values: {2026-01: 1, 2026-02: 2}\n"
    "    changes:\n"
    "      - id: c\n"
    '        text: "Idea \\x1f\\x7f\\x85 end"\n'
    "        pdsa:\n"
    "          - start: 2026-01-01\n"
    '            prediction: "\\e[5m blink \\x00"\n'
)


def test_hostile_text_is_plain_text_in_the_deck() -> None:
    diagram = dd.loads(HOSTILE)
    # and text no YAML file can hold: an unpaired surrogate
    nodes = (replace(diagram.nodes[0], text=diagram.nodes[0].text + " \ud800"), *diagram.nodes[1:])
    diagram = replace(diagram, nodes=nodes)
    data = dd.deck(diagram).data
    prs = read(data)
    with zipfile.ZipFile(io.BytesIO(data)) as deck:
        xml = "".join(
            deck.read(name).decode("utf-8") for name in deck.namelist() if name.endswith(".xml")
        )
    assert "<b>" not in xml and "<script>" not in xml, "escaped, never markup"
    for bad in ("\x00", "\x1b", "\x07", "\x0b", "\x1f", "\x7f", "\x85", "\ufffe"):
        assert bad not in xml
    boxes = named(prs.slides[1], "box ")
    aim = text(boxes["aim"])
    assert "<b>bold</b> &amp;" in aim and "␛[31m" in aim and "\ufffd" in aim
    assert text(boxes[diagram.nodes[1].id]).startswith('P & <Q> "quoted" \\ back slash')
    assert "Idea ␟␡\ufffd end" in text(boxes["c"])
    assert prs.slides[0].shapes[0].text_frame.text.startswith("<script>alert(1)</script> ␛[2J")


def test_the_command_writes_the_deck_and_says_where(tmp_path: Path) -> None:
    out = tmp_path / "decks" / "falls.pptx"
    result = CliRunner().invoke(main, ["slides", str(FALLS), "-o", str(out)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{out}\n", "")
    assert len(read(out.read_bytes()).slides) >= 3
    small = CliRunner().invoke(main, ["slides", str(COACH), "-o", str(tmp_path / "c.pptx")])
    assert small.exit_code == 0
    assert small.stderr.startswith("note: slide 2 (My practice as a QI coach, 2026-27) shows its")
    assert "below 8 pt; try --split" in small.stderr


def test_the_command_refuses_what_it_must(tmp_path: Path) -> None:
    runner = CliRunner()
    wrong = runner.invoke(main, ["slides", str(FALLS), "-o", str(tmp_path / "x.ppt")])
    assert wrong.exit_code == 2 and "a deck of slides ends in .pptx" in wrong.stderr
    kept = tmp_path / "kept.pptx"
    kept.write_bytes(b"mine")
    link = tmp_path / "link.pptx"
    link.symlink_to(kept)
    refused = runner.invoke(main, ["slides", str(FALLS), "-o", str(link)])
    assert refused.exit_code == 1 and "symbolic link" in refused.stderr
    assert kept.read_bytes() == b"mine" and link.is_symlink()
    copy = tmp_path / "d.yaml"
    copy.write_text("aim: A\nprimary: [P]\n")
    same = tmp_path / "d.pptx"
    os.link(copy, same)  # the diagram file under another name
    over = runner.invoke(main, ["slides", str(copy), "-o", str(same)])
    assert over.exit_code == 1 and "refusing to overwrite the diagram file" in over.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("aim: A\nprimary: [P]\nsecondry: 1\n")
    invalid = runner.invoke(main, ["slides", str(bad), "-o", str(tmp_path / "b.pptx")])
    assert invalid.exit_code == 1 and invalid.stderr.startswith(f"{bad}:3:1: error: unknown key")
    assert not (tmp_path / "b.pptx").exists()
    assert invalid.exception is None or isinstance(invalid.exception, SystemExit)


def test_a_theme_colours_the_boxes() -> None:
    diagram = dd.load(FALLS)
    slide = read(dd.deck(diagram, theme="high-contrast").data).slides[1]
    assert str(named(slide, "box ")["aim"].fill.fore_color.rgb) == "000000"
    connector = next(iter(named(slide, "link ").values()))
    assert connector.line.width.pt == pytest.approx(2.2)
