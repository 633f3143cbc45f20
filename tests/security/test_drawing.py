"""A drawing from someone else's theme file: every value is data, never markup.

Each test is a hole found by trying the tool as an attacker would (issue 11): a font
that closed Graphviz's font-family attribute and wrote <script> and <foreignObject>
into the SVG, a status word that became an HTML-like label's link or picture,
numbers that were not numbers, and an SVG used without a look at what it holds.
Drawings go through the real Graphviz, charts through the real matplotlib.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram import Status
from driverdiagram.cli import main
from driverdiagram.draw.dot import to_dot
from driverdiagram.draw.graphviz import run_dot
from driverdiagram.draw.svg import check
from driverdiagram.readers.theme import theme
from driverdiagram.style import DEFAULT, RANGES, THEMES

ROOT = Path(__file__).resolve().parent.parent.parent
FALLS = ROOT / "diagrams" / "falls-prevention.yaml"
SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK = "http://www.w3.org/1999/xlink"
XLINK_HREF = f"{{{XLINK}}}href"

#: The font of the issue: it closed font-family="..." and the <text>, then drew.
HOSTILE_FONT = (
    'Helvetica">X</text><script>alert(document.domain)</script><foreignObject width="9"'
    ' height="9"><iframe xmlns="http://www.w3.org/1999/xhtml" src="file:///etc/passwd"/>'
    '</foreignObject><text font-family="x'
)
LINK_TAG = '<TD HREF="javascript:alert(1)">x</TD>'
PICTURE_TAG = '<IMG SRC="/etc/x.png"/>'


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def theme_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "theirs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def texts(svg: bytes) -> list[str]:
    """Every piece of text drawn in an SVG, as a viewer shows it."""
    root = ET.fromstring(svg)
    return ["".join(element.itertext()) for element in root.iter(f"{SVG_NS}text")]


# -- a theme's font ---------------------------------------------------------------------


def test_a_font_with_markup_is_a_located_error(runner: CliRunner, tmp_path: Path) -> None:
    path = theme_file(tmp_path, f"font: '{HOSTILE_FONT}'\n")
    with pytest.raises(dd.DiagramError) as caught:
        theme(str(path))
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (1, 7)
    assert problem.message.startswith("'Helvetica\">X</text><script>alert(docu...' is not")
    assert "font family names (letters, digits, spaces and hyphens)" in problem.message
    out = tmp_path / "plan.svg"
    result = runner.invoke(main, ["render", str(FALLS), "--theme", str(path), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"{path}:1:7: error: ")
    assert "Traceback" not in result.output and not out.exists()


@pytest.mark.parametrize(
    "font",
    [
        "Helvetica,Arial,Liberation Sans,sans-serif",
        "Noto Sans CJK JP, sans-serif",
        "DejaVu Sans Mono",
        "微软雅黑, sans-serif",
    ],
)
def test_plain_font_lists_are_taken(tmp_path: Path, font: str) -> None:
    assert theme(str(theme_file(tmp_path, f"font: '{font}'\n"))).font == font


@pytest.mark.parametrize(
    "font",
    ['Arial"', "Arial;", "Arial<", "a,,b", "sans-", "Arial\\", "url(x)", "A" * 201, "x&amp;"],
)
def test_fonts_with_anything_but_names_are_refused(tmp_path: Path, font: str) -> None:
    path = theme_file(tmp_path, "font: " + "'" + font.replace("'", "''") + "'\n")
    with pytest.raises(dd.DiagramError, match="is not a list of fonts"):
        theme(str(path))


def test_a_theme_built_in_python_cannot_draw_markup() -> None:
    """The Python API has no theme file to locate an error in: to_dot refuses."""
    diagram = dd.load(FALLS)
    with pytest.raises(ValueError, match=r"font .* is not a list of families"):
        to_dot(diagram, theme=replace(DEFAULT, font=HOSTILE_FONT))
    with pytest.raises(ValueError, match=r"link colour .* is not a colour"):
        to_dot(diagram, theme=replace(DEFAULT, link_colour='#000" URL="x'))
    with pytest.raises(ValueError, match="link_width nan is out of range"):
        to_dot(diagram, theme=replace(DEFAULT, link_width=float("nan")))


# -- a theme's status words and key -------------------------------------------------------


def hostile_statuses(tmp_path: Path) -> Path:
    return theme_file(
        tmp_path,
        "statuses:\n"
        f"  testing: {{tag: '{LINK_TAG}', legend: '{PICTURE_TAG}'}}\n"
        f"  adopted: {{tag: '{PICTURE_TAG}', legend: '<B>bold</B> & \"quotes\"'}}\n",
    )


@pytest.mark.graphviz
def test_tags_and_legends_are_drawn_as_text(tmp_path: Path) -> None:
    path = hostile_statuses(tmp_path)
    diagram = dd.load(FALLS)
    assert {Status.TESTING, Status.ADOPTED} <= {node.status for node in diagram.nodes}
    source = dd.to_dot(diagram, theme=str(path))
    assert "<TD HREF" not in source and "<IMG" not in source
    assert "&lt;TD HREF=&quot;javascript:alert(1)&quot;&gt;x&lt;/TD&gt;" in source
    svg = dd.render(diagram, "svg", theme=str(path))
    root = ET.fromstring(svg)
    assert not list(root.iter(f"{SVG_NS}image"))
    links = [a.get(XLINK_HREF) or a.get("href") for a in root.iter(f"{SVG_NS}a")]
    assert links == [None] * len(links), "no link of any kind, only tooltips"
    drawn = texts(svg)
    for word in (LINK_TAG, PICTURE_TAG, '<B>bold</B> & "quotes"'):
        assert any(word in text for text in drawn), word
    # PNG and PDF carry no picture read from a file either: Graphviz draws them
    # from the same DOT, which holds no IMG; both are drawn, not refused
    assert dd.render(diagram, "png", theme=str(path)).startswith(b"\x89PNG")
    assert dd.render(diagram, "pdf", theme=str(path)).startswith(b"%PDF")


@pytest.mark.graphviz
def test_the_old_tag_hole_drew_a_link(tmp_path: Path) -> None:
    """What the unescaped tag did, with Graphviz as it is: a real link in the SVG.
    (The label is written here as the old to_dot wrote it.)"""
    source = 'digraph { a [label=<<TABLE><TR><TD HREF="javascript:alert(1)">x</TD></TR></TABLE>>] }'
    svg = run_dot(source, "svg")
    assert b'xlink:href="javascript:alert(1)"' in svg
    with pytest.raises(dd.DiagramError, match="a link to 'javascript:alert\\(1\\)' on <a>"):
        check(svg, "plan.yaml")


def test_a_label_never_holds_a_tag_driverdiagram_does_not_draw() -> None:
    """The second line behind escaping: each label is checked as it is written."""
    from driverdiagram.draw.dotlang import checked_label

    fine = '<<TABLE BORDER="0"><TR><TD WIDTH="9" ALIGN="LEFT">a &amp; b<BR/></TD></TR></TABLE>>'
    assert checked_label(fine) == fine
    for label in (f"<{LINK_TAG}>", f"<{PICTURE_TAG}>", "<<B>x</B> > y>", '<<TD SRC="x">a</TD>>'):
        with pytest.raises(ValueError, match="which is never drawn"):
            checked_label(label)


@pytest.mark.parametrize(("key", "most"), [("tag", 40), ("legend", 200)])
def test_tags_and_legends_have_a_length(tmp_path: Path, key: str, most: int) -> None:
    path = theme_file(tmp_path, f"statuses:\n  testing: {{{key}: '{'x' * (most + 1)}'}}\n")
    with pytest.raises(dd.DiagramError) as caught:
        theme(str(path))
    assert caught.value.problems[0].line == 2 and f"at most {most} characters" in str(caught.value)
    assert theme(str(theme_file(tmp_path, f"statuses:\n  testing: {{{key}: {'x' * most}}}\n")))


# -- a theme's numbers ----------------------------------------------------------------------

NUMBER_KEYS = {
    "font-size": ("levels:\n  primary: {font-size: VALUE}\n", 2, 24),
    "width": ("levels:\n  primary: {width: VALUE}\n", 2, 20),
    "link-width": ("link-width: VALUE\n", 1, 13),
    "title-size": ("title-size: VALUE\n", 1, 13),
    "heading-size": ("heading-size: VALUE\n", 1, 15),
    "small-size": ("small-size: VALUE\n", 1, 13),
}


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e-320", "1e308", "-3", "0", "1_000"])
@pytest.mark.parametrize("key", list(NUMBER_KEYS))
def test_numbers_must_be_finite_and_in_range(
    runner: CliRunner, tmp_path: Path, key: str, value: str
) -> None:
    template, line, column = NUMBER_KEYS[key]
    path = theme_file(tmp_path, template.replace("VALUE", value))
    field = key.replace("-", "_")
    low, high, _ = RANGES[field]
    with pytest.raises(dd.DiagramError) as caught:
        theme(str(path))
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (line, column)
    assert problem.message == (
        f"{key} should be a number from {low:g} to {high:g} (points), not '{value}'"
    )
    result = runner.invoke(main, ["render", str(FALLS), "--theme", str(path), "-o", "-"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr == f"{path}:{line}:{column}: error: {problem.message}\n"


@pytest.mark.parametrize("key", list(NUMBER_KEYS))
def test_numbers_at_the_ends_of_their_range_are_taken(tmp_path: Path, key: str) -> None:
    template, _, _ = NUMBER_KEYS[key]
    low, high, _ = RANGES[key.replace("-", "_")]
    for value in (low, high):
        assert theme(str(theme_file(tmp_path, template.replace("VALUE", f"{value:g}"))))


@pytest.mark.graphviz
def test_a_theme_at_the_extremes_draws(tmp_path: Path) -> None:
    """The largest and smallest values draw without a traceback or a runaway layout."""
    path = theme_file(
        tmp_path,
        "link-width: 10\ntitle-size: 72\nheading-size: 4\nsmall-size: 72\n"
        "levels:\n  primary: {width: 1000, font-size: 4}\n  changes: {width: 40, font-size: 72}\n",
    )
    diagram = dd.load(ROOT / "tests" / "cases" / "valid" / "spec-example.yaml")
    assert dd.render(diagram, "svg", theme=str(path)).startswith(b"<?xml")


def test_the_theme_reference_gives_every_range() -> None:
    """themes.py's docstring (the reference a theme's author reads) agrees with RANGES."""
    import driverdiagram.readers.theme as themes

    doc = " ".join((themes.__doc__ or "").split())
    for key in NUMBER_KEYS:
        low, high, _ = RANGES[key.replace("-", "_")]
        assert f"``{key}``" in doc
        assert f"from {low:g} to {high:g}" in doc
    assert "numbers, in points" in doc


@pytest.mark.parametrize("name", list(THEMES))
def test_every_built_in_theme_keeps_the_rules(name: str) -> None:
    from driverdiagram.style import theme_problems

    assert theme_problems(THEMES[name]) == []


# -- the SVG is checked before it is used or written ----------------------------------------


@pytest.mark.graphviz
def test_the_old_font_hole_is_caught_by_the_svg_check() -> None:
    """What the font did, with Graphviz as it is: a working <script> and
    <foreignObject><iframe> in the SVG. The check refuses that SVG, located."""
    diagram = dd.load(FALLS)
    source = to_dot(diagram).replace(DEFAULT.font, HOSTILE_FONT.replace('"', '\\"'))
    svg = run_dot(source, "svg")
    assert b"<script>alert(document.domain)</script>" in svg and b"<iframe" in svg
    with pytest.raises(dd.RenderError) as caught:
        check(svg, str(FALLS))
    assert str(caught.value) == (
        f"{FALLS}: error: the drawing contains <script>, which driverdiagram never writes,"
        " so it was not used; look for markup in the theme file (--theme), or report a bug"
        " if the theme is a built-in one"
    )


@pytest.mark.graphviz
def test_render_refuses_a_drawing_with_a_script_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Graphviz whose SVG is not the usual (a patched build, a wrapper on PATH): the
    real dot's output with a script added. render refuses it and leaves the file."""
    real = shutil.which("dot")
    assert real is not None
    wrapper = tmp_path / "bin" / "dot"
    wrapper.parent.mkdir()
    wrapper.write_text(
        f'#!/bin/sh\n"{real}" "$@" | sed "s|</svg>|<script>alert(1)</script></svg>|"\n'
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    out = tmp_path / "plan.svg"
    out.write_text("the drawing from before")
    diagram = dd.load(FALLS)
    with pytest.raises(dd.RenderError, match="the drawing contains <script>") as caught:
        dd.render(diagram, "svg", path=out)
    assert caught.value.problems[0].path == str(FALLS)
    assert out.read_text() == "the drawing from before"
    result = CliRunner().invoke(main, ["render", str(FALLS), "-o", str(out)])
    assert result.exit_code == 1 and "the drawing contains <script>" in result.stderr
    assert out.read_text() == "the drawing from before"


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
HOSTILE_SVG = {
    "script": (f"{SVG}<script>alert(1)</script></svg>", "<script>"),
    "foreignObject": (f"{SVG}<foreignObject><div/></foreignObject></svg>", "<foreignObject>"),
    "iframe": (f"{SVG}<iframe src='file:///etc/passwd'/></svg>", "<iframe>"),
    "xhtml script": (
        f'{SVG}<h:script xmlns:h="http://www.w3.org/1999/xhtml">x()</h:script></svg>',
        "<script (of http://www.w3.org/1999/xhtml)>",
    ),
    "image": (f"{SVG}<image xlink:href='/etc/x.png'/></svg>", "<image>"),
    "event": (f"{SVG}<g onclick='x()'/></svg>", "an event attribute (onclick) on <g>"),
    "event on root": (SVG.replace(">", " onload='x()'>") + "</svg>", "(onload) on <svg>"),
    "javascript link": (
        f"{SVG}<a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
        "a link to 'javascript:alert(1)' on <a>",
    ),
    "external link": (f"{SVG}<a href='https://example.com/'/></svg>", "a link to 'https://"),
    "use of another file": (
        f"{SVG}<use xlink:href='other.svg#x'/></svg>",
        "a link to 'other.svg#x' on <use>",
    ),
    "use of data": (f"{SVG}<use href='data:image/svg+xml,x'/></svg>", "a link to 'data:"),
    "link under another prefix": (
        f'{SVG}<use xmlns:z="http://www.w3.org/1999/xlink" z:href="javascript:x"/></svg>',
        "a link to 'javascript:x'",
    ),
    "style url": (f"{SVG}<g style='fill:url(https://x/y)'/></svg>", "style='fill:url("),
    "style escape": (f"{SVG}<g style='fill:u\\72l(https://x)'/></svg>", "style="),
    "style expression": (f"{SVG}<g style='width:expression(alert(1))'/></svg>", "style="),
    "style sheet import": (f"{SVG}<style>@import 'https://x/y.css';</style></svg>", "@import"),
    "style sheet url": (f"{SVG}<style>*{{fill:url(https://x)}}</style></svg>", "style sheet"),
    "paint from elsewhere": (f"{SVG}<g fill='url(https://x/p.svg#a)'/></svg>", "fill='url("),
    "font with CSS": (f"{SVG}<text font-family='x;background:url(y)'/></svg>", "font-family="),
    "unknown attribute": (f"{SVG}<g target='_blank'/></svg>", "the attribute target on <g>"),
    "entities": (
        '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>' + SVG + "<text>&a;</text></svg>",
        "a DOCTYPE with declarations of its own",
    ),
    "external DTD": (
        '<!DOCTYPE svg SYSTEM "file:///etc/passwd">' + SVG + "</svg>",
        "a DOCTYPE for 'file:///etc/passwd'",
    ),
    "style sheet instruction": (
        '<?xml-stylesheet href="https://x/y.css"?>' + SVG + "</svg>",
        "a processing instruction ('xml-stylesheet')",
    ),
    "CDATA": (f"{SVG}<desc><![CDATA[><img src=x onerror=alert(1)>]]></desc></svg>", "CDATA"),
    "not svg at the top": ('<html xmlns="http://www.w3.org/2000/svg"/>', "<html>"),
    "no namespace": ("<svg><g/></svg>", "<svg>"),
    "metadata with a script": (
        f'{SVG}<metadata><h:script xmlns:h="http://www.w3.org/1999/xhtml"/></metadata></svg>',
        "in the metadata",
    ),
    "element inside style": (f"{SVG}<style><g/></style></svg>", "<g> inside <style>"),
}


@pytest.mark.parametrize("case", list(HOSTILE_SVG))
def test_the_svg_check_refuses_what_could_run_or_fetch(case: str) -> None:
    svg, said = HOSTILE_SVG[case]
    with pytest.raises(dd.RenderError) as caught:
        check(svg.encode(), "plan.yaml")
    [problem] = caught.value.problems
    assert problem.path == "plan.yaml"
    assert problem.message.startswith("the drawing contains") and said in problem.message, (
        problem.message
    )


def test_the_svg_check_refuses_broken_xml_and_unknown_entities() -> None:
    for svg in (
        f"{SVG}<g>",
        f"{SVG}<text>&nbsp;</text></svg>",
        b"\xff\xfe<svg/>".decode("latin-1"),
    ):
        with pytest.raises(dd.RenderError, match="not well-formed SVG"):
            check(svg.encode("latin-1"), "plan.yaml")


def test_an_entity_bomb_is_refused_before_it_grows() -> None:
    entities = '<!ENTITY a0 "xxxxxxxxxx">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    bomb = f"<!DOCTYPE svg [{entities}]>{SVG}<text>&a9;</text></svg>".encode()
    started = time.perf_counter()
    with pytest.raises(dd.RenderError, match="DOCTYPE with declarations"):
        check(bomb, "plan.yaml")
    assert time.perf_counter() - started < 0.5


def test_what_the_check_lets_through_is_inert() -> None:
    """Internal references, colours and text that merely looks like markup."""
    svg = (
        f'{SVG}<defs><clipPath id="c"><rect x="0" y="0" width="9" height="9"/></clipPath>'
        '<path id="m" d="M 0 0 L 1 1" style="stroke: #222222; fill: rgb(1, 2, 3)"/></defs>'
        '<g clip-path="url(#c)"><use xlink:href="#m" x="1" y="2"/></g>'
        '<a xlink:title="&lt;script&gt; javascript:alert(1) url(x)"><text font-family="Arial,'
        'sans-serif">&lt;script&gt;alert(1)&lt;/script&gt;</text></a></svg>'
    )
    check(svg.encode(), "plan.yaml")


def examples() -> list[Path]:
    return sorted((ROOT / "diagrams").glob("*.yaml")) + sorted(
        (ROOT / "tests" / "cases" / "valid").glob("*.yaml")
    )


@pytest.mark.graphviz
@pytest.mark.parametrize("path", examples(), ids=lambda path: path.stem)
def test_every_drawing_and_chart_we_make_passes_the_check(path: Path) -> None:
    """No false alarm: the allowlist holds all that Graphviz, matplotlib and our own
    accessibility step write, for every example, theme and page."""
    diagram = dd.load(path)
    for name in THEMES:
        check(dd.render(diagram, "svg", theme=name), str(path))
    check(dd.render(diagram, "svg", page="a3", portrait=True), str(path))
    for measure in diagram.measures:
        if measure.points:
            check(dd.chart(diagram, measure.id, "svg"), str(path))


@pytest.mark.graphviz
def test_hostile_text_everywhere_is_drawn_as_text_and_passes_the_check() -> None:
    """The diagram's own text was always escaped; the check agrees it is inert."""
    hostile = '<script>alert(1)</script> ]]> <![CDATA[ x ]]> " \' & <a href="javascript:x">'
    quoted = "'" + hostile.replace("'", "''") + "'"
    diagram = dd.loads(
        f"title: {quoted}\naim: {quoted}\nprimary:\n  - text: {quoted}\n    notes: {quoted}\n"
        f"    changes:\n      - text: {quoted}\n        status: testing\n"
    )
    svg = dd.render(diagram, "svg")
    assert b"<script" not in svg and b"<a href" not in svg
    root = ET.fromstring(svg)
    assert root.findtext(f"{SVG_NS}title") == hostile
    tooltips = [a.get("{http://www.w3.org/1999/xlink}title") for a in root.iter(f"{SVG_NS}a")]
    assert tooltips == [hostile]
    assert "<script>alert(1)</script>" in " ".join(texts(svg))


@pytest.mark.graphviz
def test_the_check_is_fast_on_a_large_drawing() -> None:
    """One pass over the bytes: a 5,000-box drawing (about 5.5 MB of SVG) is checked in
    about a tenth of a second here; a generous bound keeps slow machines green."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from run import diagram_text
    finally:
        sys.path.pop(0)
    diagram = dd.loads(diagram_text(5000))
    svg = run_dot(to_dot(diagram), "svg")
    assert len(svg) > 5_000_000
    started = time.perf_counter()
    check(svg, "big.yaml")
    assert time.perf_counter() - started < 2.0
    assert re.search(rb"<svg width=", svg)


# -- run charts: bounded work and a bounded picture ------------------------------------------


def measured_folder(tmp_path: Path, rows: list[str], pdsa: str = "") -> Path:
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "falls.csv").write_text(
        "period,value,note\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    path = tmp_path / "plan.yaml"
    path.write_text(
        "aim: Fewer falls\nprimary:\n  - text: Safe wards\n    measures:\n"
        "      - {name: Falls, id: falls, data: data/falls.csv}\n"
        "    changes:\n      - text: Hourly rounding\n" + pdsa,
        encoding="utf-8",
    )
    return path


def png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def caption(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    group = next(g for g in root.iter(f"{SVG_NS}g") if g.get("id") == "caption")
    return ["".join(text.itertext()) for text in group.iter(f"{SVG_NS}text")]


def test_240_kb_of_notes_chart_quickly_in_a_bounded_picture(tmp_path: Path) -> None:
    """2,970 daily points, each with a note (240 KB): once 56 s, 726 MB and a PNG
    96,062 px tall; now about 1 s in a separate process, well under 300 MB."""
    import datetime as dt

    first = dt.date(2015, 1, 1)
    rows = [
        f'{first + dt.timedelta(days=i)},{i % 37},"Note {i}: {"word " * 14}"' for i in range(2970)
    ]
    path = measured_folder(tmp_path, rows)
    assert (tmp_path / "data" / "falls.csv").stat().st_size > 240_000
    # The child's own peak: Linux's VmHWM belongs to the process's memory since exec,
    # where ru_maxrss carries over the peak of the parent it was forked from (pytest,
    # hundreds of MB into a full run), which made this test fail in a whole suite only.
    script = (
        "import resource, sys, time\nimport driverdiagram as dd\n"
        f"diagram = dd.load({str(path)!r})\nstarted = time.perf_counter()\n"
        "png = dd.chart(diagram, 'falls', 'png')\n"
        "try:\n"
        "    status = open('/proc/self/status').read()\n"
        "    peak = int(status.split('VmHWM:')[1].split()[0])\n"
        "except (OSError, IndexError):\n"
        "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(time.perf_counter() - started, peak)\n"
        "sys.stdout.flush()\n"
    )
    import subprocess

    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    seconds, peak_kb = (float(word) for word in result.stdout.split())
    assert seconds < 15, seconds
    assert peak_kb < 400 * 1024, peak_kb
    diagram = dd.load(path)
    width, height = png_size(dd.chart(diagram, "falls", "png"))
    assert width == 1500 and height < 2900, height
    svg = dd.chart(diagram, "falls", "svg")
    lines = caption(svg)
    assert lines[-1] == "... and 2,950 more notes."
    assert sum(line.startswith(f"{n}. ") for n in range(1, 21) for line in lines) == 20
    ids = set(re.findall(rb'id="(note-\d+)"', svg))
    assert ids == {f"note-{n}".encode() for n in range(1, 21)}, "only the listed notes numbered"


def test_a_long_note_takes_two_lines_of_the_caption(tmp_path: Path) -> None:
    rows = [f"2026-{m:02d},{m},{'x' * 5000 if m == 3 else ''}" for m in range(1, 13)]
    rows[5] = "2026-06,6," + " ".join(["many words"] * 300)
    # notes longer than the text limit are refused when read; a raised limit lets them in
    with dd.limits(text=6000):
        svg = dd.chart(dd.load(measured_folder(tmp_path, rows)), "falls", "svg")
    lines = caption(svg)
    first = next(i for i, line in enumerate(lines) if line.startswith("1. 2026-03: x"))
    assert lines[first + 1].endswith(" ...") and lines[first + 2].startswith("2. 2026-06: many")
    assert lines[first + 3].endswith(" ...") and len(lines) == first + 4
    assert max(len(line) for line in lines) <= 100


def test_many_pdsa_cycles_take_at_most_six_rows(tmp_path: Path) -> None:
    rows = [f"2026-{m:02d},{m}," for m in range(1, 13)]
    pdsa = "        pdsa:\n" + "".join(
        f"          - {{start: 2026-{1 + i % 12:02d}-{1 + i % 27:02d}, measures: [falls]}}\n"
        for i in range(30)
    )
    diagram = dd.load(measured_folder(tmp_path, rows, pdsa))
    assert len(diagram.cycles_watching("falls")) == 30
    svg = dd.chart(diagram, "falls", "svg")
    assert caption(svg)[-1] == "24 more PDSA cycles not drawn (at most 6 rows of them)."
    assert len(set(re.findall(rb'id="pdsa-[^"]+"', svg))) == 6
    assert png_size(dd.chart(diagram, "falls", "png"))[1] < 1500


def test_a_chart_draws_hostile_text_as_text(tmp_path: Path) -> None:
    hostile = '<script>alert(1)</script> <a href="javascript:x"> &amp; ]]>'
    quoted = hostile.replace('"', '""')
    rows = [f'2026-{m:02d},{m},"{quoted}"' for m in range(1, 4)]
    path = measured_folder(tmp_path, rows)
    path.write_text(path.read_text().replace("name: Falls", f"name: '{hostile}'"))
    svg = dd.chart(dd.load(path), "falls", "svg")
    assert b"<script" not in svg and b"<a " not in svg
    root = ET.fromstring(svg)
    assert root.findtext(f"{SVG_NS}title") == hostile
    assert any(hostile in line for line in caption(svg))


# -- the portal's links (issue 15): each box a link, to pages the site names only -------


def test_the_svg_check_takes_only_the_links_it_is_given() -> None:
    linked = f'{SVG}<a xlink:href="change-huddle.html"><text>x</text></a></svg>'.encode()
    with pytest.raises(dd.RenderError, match=re.escape("a link to 'change-huddle.html' on <a>")):
        check(linked, "plan.yaml")
    check(linked, "plan.yaml", links=frozenset({"change-huddle.html"}))
    for other in ("change-other.html", "javascript:alert(1)", "https://x/change-huddle.html"):
        svg = f'{SVG}<a xlink:href="{other}"><text>x</text></a></svg>'.encode()
        with pytest.raises(dd.RenderError, match="a link to"):
            check(svg, "plan.yaml", links=frozenset({"change-huddle.html"}))
    on_use = f'{SVG}<use xlink:href="change-huddle.html"/></svg>'.encode()
    with pytest.raises(dd.RenderError, match="on <use>"):  # a picture from there: never
        check(on_use, "plan.yaml", links=frozenset({"change-huddle.html"}))


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", "https://x.org/", "../up.html", "/etc/passwd", "a b.html", "", "#A"],
)
def test_a_box_links_only_to_a_page_of_the_site(href: str) -> None:
    diagram = dd.loads("aim: A\nprimary:\n  - B\n")
    with pytest.raises(ValueError, match="links only to a page of the site"):
        to_dot(diagram, links={"aim": href})


@pytest.mark.graphviz
def test_linked_boxes_are_named_by_their_words_and_pass_the_check() -> None:
    from driverdiagram.draw.render import draw

    hostile = '<script>alert(1)</script> " & <a href="javascript:x">'
    quoted = "'" + hostile.replace("'", "''") + "'"
    diagram = dd.loads(
        f"aim: {quoted}\nprimary:\n  - text: {quoted}\n    notes: N\n"
        f"    changes:\n      - id: huddle\n        text: {quoted}\n"
    )
    links = {"aim": "#box-aim", "p1": "#box-p1", "huddle": "change-huddle.html"}
    svg = draw(diagram, "svg", links=links).data  # checked inside, with these links
    root = ET.fromstring(svg)
    anchors = {a.get(XLINK_HREF): a.get(f"{{{XLINK}}}title") for a in root.iter(f"{SVG_NS}a")}
    assert anchors == {
        "#box-aim": " ".join(hostile.split()),
        "#box-p1": " ".join(hostile.split()) + "\n\nN",
        "change-huddle.html": " ".join(hostile.split()),
    }
    assert b"<script" not in svg
    # without links, the same diagram draws no link to another file
    plain = dd.render(diagram, "svg")
    assert b"change-huddle.html" not in plain
