"""Real renders (draw/render.py) through Graphviz ``dot``: what is drawn, where, and
how files are written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import driverdiagram as dd
from driverdiagram import Level, Status
from driverdiagram.text import visible
from tests import paths
from tests.svgcheck import read

CASES = paths.CASES / "valid"
pytestmark = pytest.mark.graphviz


def _words(text: str) -> str:
    return " ".join(text.split())


def assert_faithful(diagram: dd.Diagram, svg: bytes) -> None:
    """Every box drawn with its text, one edge per link, one column per level."""
    drawing = read(svg)
    for node in diagram.nodes:
        box = drawing.boxes[node.id]
        # wrapping turns line breaks into spaces; the words are all there, in order
        drawn = _words(box.text)
        expected = _words(visible(node.text))
        assert expected.replace(" ", "") in drawn.replace(" ", ""), (node.id, drawn)
    assert sorted(drawing.links) == sorted((link.parent, link.child) for link in diagram.links)
    columns: dict[Level, set[float]] = {}
    for node in diagram.nodes:
        columns.setdefault(node.level, set()).add(round(drawing.boxes[node.id].centre_x, 1))
    assert all(len(xs) == 1 for xs in columns.values()), columns
    lefts = [min(xs) for level, xs in sorted(columns.items())]
    assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts), "columns left to right"
    for level in diagram.levels:
        heading = drawing.boxes["heading:" + level.key]
        assert round(heading.centre_x, 1) in columns[level]
        assert all(drawing.boxes[n.id].top > heading.bottom for n in diagram.at_level(level))
    widths = {
        level: {
            round(drawing.boxes[n.id].right - drawing.boxes[n.id].left)
            for n in diagram.at_level(level)
        }
        for level in diagram.levels
    }
    assert all(len(w) == 1 for w in widths.values()), widths


@pytest.mark.parametrize("case", sorted(CASES.glob("*.yaml")), ids=lambda p: p.stem)
def test_valid_cases_render_faithfully(case: Path) -> None:
    diagram = dd.load(case)
    assert_faithful(diagram, dd.render(diagram, "svg"))


def test_siblings_are_drawn_in_document_order() -> None:
    diagram = dd.loads(
        "aim: A\nprimary:\n"
        + "".join(f"  - text: P{i}\n    changes: [C{i}a, C{i}b]\n" for i in range(1, 6))
    )
    drawing = read(dd.render(diagram, "svg"))
    for level in (Level.PRIMARY, Level.CHANGE):
        ys = [drawing.boxes[node.id].centre_y for node in diagram.at_level(level)]
        assert ys == sorted(ys), level


def test_a_shared_box_sits_with_the_parent_it_is_written_under() -> None:
    """'assess' is written under 'identify' and reffed by 'environment': it is drawn in
    identify's group, in the order written, and the ref only draws a line."""
    diagram = dd.load(CASES / "spec-example.yaml")
    drawing = read(dd.render(diagram, "svg"))
    written = [link.child for link in diagram.children("identify") if not link.ref]
    ys = [drawing.boxes[child].centre_y for child in written]
    assert written[0] == "assess" and ys == sorted(ys)
    assert drawing.boxes["assess"].centre_y < drawing.boxes["p2.s1"].centre_y


def test_weak_links_are_dotted_and_strong_ones_solid() -> None:
    diagram = dd.load(CASES / "spec-example.yaml")
    drawing = read(dd.render(diagram, "svg"))
    for link in diagram.links:
        dashed = drawing.link_styles[(link.parent, link.child)]
        assert bool(dashed) == (link.strength.value == "weak"), link


def test_statuses_have_a_cue_besides_colour_and_a_key() -> None:
    diagram = dd.load(CASES / "everything.yaml")
    svg = dd.render(diagram, "svg").decode()
    drawing = read(svg.encode())
    for node in diagram.at_level(Level.CHANGE):
        text = drawing.boxes[node.id].text
        if node.status == Status.IDEA:
            assert not any(word in text for word in ("TESTING", "ADOPTED", "ABANDONED"))
        else:
            assert node.status.value.upper() in text
    assert "Key" in svg and "tested, set aside" in svg and "a weaker link" in svg


def test_no_key_when_every_idea_is_untested_and_links_strong() -> None:
    svg = dd.render(dd.load(CASES / "minimal.yaml"), "svg").decode()
    assert "Key" not in svg


def test_svg_starts_with_title_and_description() -> None:
    diagram = dd.load(CASES / "spec-example.yaml")
    drawing = read(dd.render(diagram, "svg"))
    first, second = list(drawing.root)[:2]
    assert first.tag.endswith("title") and first.text == "Falls prevention on Ward 7"
    assert second.tag.endswith("desc") and second.text == dd.outline(diagram)
    untitled = read(dd.render(dd.load(CASES / "minimal.yaml"), "svg"))
    assert next(iter(untitled.root)).text == dd.load(CASES / "minimal.yaml").aim.text


def test_text_is_drawn_literally() -> None:
    diagram = dd.load(CASES / "literal-text.yaml")
    drawing = read(dd.render(diagram, "svg"))
    drawn = " ".join(box.text for box in drawing.boxes.values())
    for literal in [
        "Back\\slash",
        "\\N",
        "\\l",
        "<b>bold</b>",
        "&amp;",
        "yes",
        "1e3",
        "2026-01-01",
    ]:
        assert literal in drawn, literal
    title = drawing.root.find("{http://www.w3.org/2000/svg}title")
    assert title is not None and title.text == "Quotes \"double\" and 'single', <tags> & ampersands"
    assert "R&D <team>" in dd.render(diagram, "svg").decode().replace("&amp;", "&").replace(
        "&lt;", "<"
    ).replace("&gt;", ">")


@pytest.mark.parametrize("text", ["]", "]]", "]]>", "a ]", "[", "[]"])
def test_brackets_alone_in_a_box_are_drawn(text: str) -> None:
    # Graphviz's HTML-like labels once refused a cell whose whole text was ']'
    # ("non-space string used after </TABLE>"): found by the property test
    quoted = "'" + text + "'"
    diagram = dd.loads(f"aim: {quoted}\nprimary:\n  - text: {quoted}\n    changes: [{quoted}]\n")
    drawing = read(dd.render(diagram, "svg"))
    for node in diagram.nodes:
        assert _words(drawing.boxes[node.id].text) == text


def test_footer_shows_team_and_date_below_every_box() -> None:
    svg = dd.render(dd.load(CASES / "spec-example.yaml"), "svg")
    drawing = read(svg)
    footer = [
        float(text.get("y", "0"))
        for text in drawing.root.iter("{http://www.w3.org/2000/svg}text")
        if "Updated 2026-11-20" in (text.text or "")
    ]
    assert footer, "the date is drawn"
    assert "Ward 7 improvement team" in svg.decode()
    assert footer[0] > max(box.bottom for box in drawing.boxes.values())


def test_long_titles_and_headings_are_wrapped() -> None:
    title = "A long title " * 15
    diagram = dd.loads(
        f"title: {title}\nlabels:\n  primary: {'Primary drivers of the programme ' * 3}\n"
        "aim: A\nprimary: [B]\n"
    )
    drawing = read(dd.render(diagram, "svg"))
    texts = [t.text or "" for t in drawing.root.iter("{http://www.w3.org/2000/svg}text")]
    assert " ".join(t for t in texts if "long title" in t).split() == title.split()
    assert sum("long title" in t for t in texts) >= 2
    heading, box = drawing.boxes["heading:primary"], drawing.boxes["p1"]
    assert round(heading.right - heading.left) == round(box.right - box.left)


@pytest.mark.parametrize("arrows, direction", [("none", 0), ("from-aim", 1), ("to-aim", 1)])
def test_arrowheads(arrows: str, direction: int) -> None:
    diagram = dd.load(CASES / "minimal.yaml")
    svg = dd.render(diagram, "svg", arrows=arrows).decode()
    edge = svg[svg.index('class="edge') :]
    assert edge.count("<polygon") == direction


def test_svg_and_dot_are_byte_identical_across_runs_and_hash_seeds() -> None:
    script = (
        "import sys, driverdiagram as dd; d = dd.load(sys.argv[1]);"
        "sys.stdout.buffer.write(dd.render(d, 'svg') + dd.to_dot(d).encode())"
    )
    case = str(paths.ROOT / "diagrams" / "early-years-participation.yaml")
    outputs = set()
    for seed in ("0", "1", "12345", "random"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run([sys.executable, "-c", script, case], env=env, capture_output=True)
        assert run.returncode == 0, run.stderr
        outputs.add(run.stdout)
    assert len(outputs) == 1


def test_pdf_and_png_are_real_files(tmp_path: Path) -> None:
    diagram = dd.load(CASES / "spec-example.yaml")
    pdf = dd.render(diagram, "pdf", path=tmp_path / "d.pdf")
    assert pdf.startswith(b"%PDF") and (tmp_path / "d.pdf").read_bytes() == pdf
    small = dd.render(diagram, "png", dpi=50)
    large = dd.render(diagram, "png", dpi=200)
    assert small.startswith(b"\x89PNG") and large.startswith(b"\x89PNG")
    width = lambda png: int.from_bytes(png[16:20], "big")  # noqa: E731
    assert 3.5 < width(large) / width(small) < 4.5


def test_written_files_get_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "d.svg"
    dd.render(dd.load(CASES / "minimal.yaml"), "svg", path=target)
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["d.svg"], "no temporary file left behind"


def _fake_dot(folder: Path, script: str) -> str:
    """A stand-in for a broken Graphviz: the one thing a real install cannot show us."""
    fake = folder / "dot"
    fake.write_text("#!/bin/sh\n" + script)
    fake.chmod(0o755)
    return str(folder)


def test_a_failed_render_leaves_the_previous_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "d.svg"
    target.write_bytes(b"the good drawing")
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", _fake_dot(tmp_path / "bin", "echo 'Error: broken' >&2; exit 1\n"))
    with pytest.raises(dd.RenderError, match="Graphviz could not draw the diagram: Error: broken"):
        dd.render(dd.load(CASES / "minimal.yaml"), "svg", path=target)
    assert target.read_bytes() == b"the good drawing"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "d.svg"]


def test_missing_graphviz_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(dd.GraphvizNotFound) as caught:
        dd.render(dd.load(CASES / "minimal.yaml"), "svg")
    message = str(caught.value)
    for platform in ("apt-get install graphviz", "brew install graphviz", "winget", "conda"):
        assert platform in message


def test_render_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    source = tmp_path / "d.yaml"
    source.write_text("aim: A\nprimary: [B]\n")
    with pytest.raises(dd.RenderError, match="refusing to overwrite"):
        dd.render(dd.load(source), "svg", path=source)
    assert source.read_text() == "aim: A\nprimary: [B]\n"


def test_jupyter_shows_the_svg() -> None:
    diagram = dd.load(CASES / "minimal.yaml")
    assert diagram._repr_svg_().lstrip().startswith("<?xml")
    assert "<svg" in diagram._repr_svg_()


def test_a_very_large_diagram_renders() -> None:
    """Thousands of boxes in one column once overflowed Graphviz's parser."""
    lines = ["aim: A large aim", "primary:", "  - text: One driver", "    changes:"]
    lines += [f"      - Change idea number {index}" for index in range(3000)]
    diagram = dd.loads("\n".join(lines) + "\n")
    drawing = read(dd.render(diagram, "svg"))
    assert len(drawing.boxes) == len(diagram.nodes) + len(diagram.levels)
    assert len(drawing.links) == len(diagram.links)


def test_the_options_handed_on_are_those_of_plan() -> None:
    """draw() and render() take plan()'s options through draw.render.Options: the same
    names with the same types (as written), so a type checker sees a wrong one."""
    import inspect

    from driverdiagram.draw import render

    keywords = {
        name: parameter.annotation
        for name, parameter in inspect.signature(render.plan).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    }
    handed_on = {
        name: getattr(hint, "__forward_arg__", hint)  # a ForwardRef: the text written
        for name, hint in render.Options.__annotations__.items()
    }
    assert keywords == handed_on
    assert render.Options.__total__ is False
