"""Text outputs are inert (issue 11): what a diagram from someone else says reaches
Markdown, Mermaid, CSV and the terminal as text, never as markup, a formula, a
directive or a control sequence; and lint points out text that is not what it seems.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import driverdiagram as dd
from driverdiagram.coaching import CODES, Settings, lint
from driverdiagram.diff import as_markdown, compare
from driverdiagram.measures.pdsa import pdsa_markdown, pdsa_text
from driverdiagram.measures.words import describe
from driverdiagram.readers.imports import read as read_import
from driverdiagram.text import csv_cell, csv_text, visible

#: Text that means something to Markdown, a pull-request bot, Mermaid, a spreadsheet
#: or a terminal.
HOSTILE = [
    "[click me](https://evil.example/phish)",
    "![tracker](https://evil.example/pixel.png)",
    "@everyone please approve",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "`code` and ``` a fence",
    "`leading backtick",
    "%%{init: {'themeCSS': 'background: url(https://evil.example/)'}}%%",
    'a "quote" & #35; entity &amp; <br>',
    "style x: #f00; classDef y: #0f0;",
    '=HYPERLINK("https://evil.example", "open")',
    "+1 more",
    "-2 fewer",
    "@SUM(A1:A2)",
    "'=already quoted",
    "# heading",
    "1. numbered",
    "- bullet",
    "| a | b |",
    "*bold* _em_ ~~strike~~ $x$ :smile:",
    "back\\slash",
]
#: Control characters a terminal or a renderer acts on: OSC title, CSI clear, bell,
#: NUL, CR, a C1 CSI.
CONTROLS = "title\x1b]0;pwned\x07 clear\x1b[2J bell\x07 nul\x00 cr\rhere c1\x9b31m"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def yaml_text(text: str) -> str:
    """A YAML double-quoted scalar for any text (JSON's escapes are YAML's too)."""
    return json.dumps(text)


def diagram_of(texts: list[str], aim: str = "Halve falls by June 2027") -> dd.Diagram:
    lines = [f"title: {yaml_text(texts[0])}", f"aim: {yaml_text(aim)}", "primary:"]
    for number, text in enumerate(texts):
        lines += [
            f"  - text: {yaml_text(text)}",
            "    changes:",
            f"      - text: {yaml_text(text + f' idea {number}')}",
            "        status: testing",
        ]
    return dd.loads("\n".join(lines) + "\n", "hostile.yaml")


# -- Markdown ----------------------------------------------------------------------

#: What CommonMark or GitHub may read as markup inside a line.
MARKUP = set("\\`*_[]<>|$~#@&:")


def unescaped_markup(text: str) -> list[str]:
    """The markup characters in ``text`` not escaped by a backslash."""
    found = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            index += 2  # an escape and what it escapes
            continue
        if char in MARKUP:
            found.append(char)
        index += 1
    return found


@pytest.mark.parametrize("text", [*HOSTILE, CONTROLS])
def test_the_markdown_export_escapes_every_box(text: str) -> None:
    markdown = dd.export(diagram_of([text]), "markdown")
    assert not RAW_CONTROL.search(markdown)
    outline = markdown.split("## Outline\n", 1)[1].split("\n## ", 1)[0]
    items = [line.split("- ", 1)[1] for line in outline.splitlines() if "- " in line]
    assert items
    for item in items:
        body = re.sub(r" \((\*\w+\*(, )?)+\)$", "", item)  # our own status marks
        assert unescaped_markup(body) == [], item
    rows = [line for line in markdown.splitlines() if line.startswith("| ") and "---" not in line]
    for row in rows[1:]:
        cells = re.split(r"(?<!\\)\|", row)[1:-1]
        assert len(cells) == 3, row  # no '|' from the text opened another column
        for cell in cells:
            assert unescaped_markup(cell) == [], row


def code_span(text: str) -> tuple[str, str]:
    """The content of the code span ``text`` starts with (as CommonMark reads it), and
    what follows it."""
    ticks = re.match("`+", text)
    assert ticks, text
    fence = ticks.group(0)
    closing = re.compile(f"(?<!`){fence}(?!`)")
    end = closing.search(text, len(fence))
    assert end, text
    content = text[len(fence) : end.start()]
    if content.startswith(" ") and content.endswith(" ") and content.strip():
        content = content[1:-1]
    return content, text[end.end() :]


@pytest.mark.parametrize("text", [*HOSTILE, CONTROLS])
def test_diff_markdown_prints_box_text_as_text(text: str) -> None:
    old = dd.loads("aim: Halve falls by June 2027\nprimary:\n  - Risk is known\n", "old.yaml")
    new = dd.loads(
        "aim: Halve falls by June 2027\nprimary:\n  - Risk is known\n"
        f"  - text: {yaml_text(text)}\n    changes: [{yaml_text('idea ' + text)}]\n",
        "new.yaml",
    )
    changes = compare(old, new)
    assert changes
    markdown = as_markdown(changes, "old.yaml", "new.yaml")
    assert not RAW_CONTROL.search(markdown)
    items = [line for line in markdown.splitlines() if line.startswith("- ")]
    assert len(items) == len(changes)
    for item in items:
        assert unescaped_markup(item[2:]) == [], item


@pytest.mark.parametrize(
    "name", ["plan.yaml", "a`b.yaml", "`start.yaml", "end`", "``x``.yaml", " spaced .yaml"]
)
def test_diff_markdown_file_names_are_whole_code_spans(name: str) -> None:
    markdown = as_markdown([], name, "HEAD~1:" + name)
    heading = markdown.splitlines()[0]
    assert heading.startswith("### Changes from ")
    old, rest = code_span(heading.removeprefix("### Changes from "))
    assert old == name
    assert rest.startswith(" to ")
    new, rest = code_span(rest.removeprefix(" to "))
    assert (new, rest) == ("HEAD~1:" + name, "")


# -- Mermaid -----------------------------------------------------------------------

_ENTITY = re.compile(r"#(\d+);")
#: What a quoted label may hold once its entity codes and line breaks are taken out.
_UNSAFE_IN_LABEL = set('"#&<>%`*_~:;[]{}|\\@$')


def labels(mermaid: str) -> list[str]:
    """The quoted labels of the boxes and the columns, as written."""
    found = re.findall(r'^    n\d+\["(.*)"\]$', mermaid, re.M)
    found += re.findall(r'^  subgraph col_\w+\["(.*)"\]$', mermaid, re.M)
    return found


def decoded(label: str) -> str:
    return _ENTITY.sub(lambda match: chr(int(match.group(1))), label.replace("<br>", "\n"))


@pytest.mark.parametrize("text", [*HOSTILE, CONTROLS])
def test_mermaid_labels_hold_no_syntax(text: str) -> None:
    diagram = diagram_of([text])
    heading = dd.loads(
        f"labels: {{primary: {yaml_text(text)}, changes: {yaml_text(text)}}}\n"
        "aim: Halve falls by June 2027\nprimary:\n  - Risk is known\n"
    )
    for mermaid in (dd.export(diagram, "mermaid"), dd.export(heading, "mermaid")):
        assert "%" not in mermaid  # no %%{init}%% directive, no %% comment
        assert not RAW_CONTROL.search(mermaid)
        found = labels(mermaid)
        assert len(found) == len(re.findall(r"\[\"", mermaid))  # every label is one line
        for label in found:
            plain = _ENTITY.sub("", label.replace("<br>", ""))
            assert not set(plain) & _UNSAFE_IN_LABEL, label
            assert not label.startswith("`")
    shown = {decoded(label) for label in labels(dd.export(diagram, "mermaid"))}
    assert visible(text) in shown


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_mermaid_labels_decode_to_the_visible_text(text: str) -> None:
    from driverdiagram.exports.mermaid import _mermaid

    label = _mermaid(text)
    assert '"' not in label and "%" not in label and "`" not in label
    assert decoded(label) == visible(text)


# -- CSV ---------------------------------------------------------------------------


#: How a cell starts when a spreadsheet reads it as a formula (spaces before it aside).
FORMULA = re.compile(r"\s*[=+\-@\t\r]")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", " =", "\t@", "'=", "''+"])
def test_a_csv_cell_never_starts_a_formula(start: str) -> None:
    text = start + 'HYPERLINK("https://evil.example")'
    cell = csv_cell(text)
    assert not FORMULA.match(cell)
    assert "\t" not in cell and "\r" not in cell
    assert csv_text(cell) == visible(text)


def test_the_csv_export_defuses_formulas_and_keeps_rows_whole() -> None:
    texts = [text for text in HOSTILE if text[0] in "=+-@"] + ["two\rrows?", "tab\tinside"]
    exported = dd.export(diagram_of(texts, aim="=1+1 by 2027"), "csv")
    assert "\r" not in exported  # a bare CR would end the row in Excel
    rows = list(csv.reader(io.StringIO(exported, newline="")))
    assert len(rows) == 1 + 1 + 2 * len(texts)  # header, aim, a driver and an idea each
    for row in rows[1:]:
        for cell in row:
            assert not FORMULA.match(cell), row


#: Text as a box may hold it: no control characters (shown as pictures, so they do not
#: come back the same), no surrogates or unassigned code points, nothing around it.
BOX_TEXT = st.tuples(
    st.sampled_from(["", "=", "+", "-", "@", "'", "'=", "''-", "'@", "==", "-+"]),
    st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Co", "Zl", "Zp")), max_size=30),
).map(lambda parts: (parts[0] + parts[1]).strip())


@settings(max_examples=150, deadline=None)
@given(st.lists(BOX_TEXT.filter(bool), min_size=1, max_size=6), BOX_TEXT.filter(bool))
def test_csv_export_then_import_gives_the_same_texts(texts: list[str], aim: str) -> None:
    diagram = diagram_of(texts, aim=aim)
    exported = dd.export(diagram, "csv")
    for row in list(csv.reader(io.StringIO(exported, newline="")))[1:]:
        assert not any(FORMULA.match(cell) for cell in row)
    again = read_import(exported, "d.csv")
    assert [node.text for node in again.nodes] == [node.text for node in diagram.nodes]
    assert again.title == diagram.title
    assert dd.to_dot(again) == dd.to_dot(diagram)


def test_a_spreadsheet_keeps_an_apostrophe_that_defuses_nothing() -> None:
    diagram = read_import("Aim,Primary,Change\n'Tis the aim by 2027,'=1,'quoted'\n", "s.csv")
    assert [node.text for node in diagram.nodes] == ["'Tis the aim by 2027", "=1", "'quoted'"]


# -- the terminal -------------------------------------------------------------------

HOSTILE_FILE = f"""\
title: {yaml_text("T" + CONTROLS)}
aim: {yaml_text("Halve falls by 2027 " + CONTROLS)}
primary:
  - text: {yaml_text("Risk " + CONTROLS)}
    notes: {yaml_text("notes " + CONTROLS)}
    measures:
      - id: falls
        name: {yaml_text("Falls " + CONTROLS)}
        unit: {yaml_text("per " + CONTROLS)}
        values:
          2026-01: {{value: 1, note: {yaml_text("astronomical " + CONTROLS)}}}
          2026-02: 2
    changes:
      - id: huddle
        text: {yaml_text("Huddle " + CONTROLS)}
        pdsa:
          - start: 2026-01-01
            objective: {yaml_text("objective " + CONTROLS)}
            prediction: {yaml_text("prediction " + CONTROLS)}
            study: {yaml_text("study " + CONTROLS)}
            measures: [falls]
"""


def test_what_reaches_a_terminal_carries_no_control_character() -> None:
    diagram = dd.loads(HOSTILE_FILE, "hostile.yaml")
    assert RAW_CONTROL.search(diagram.node("huddle").text)  # the diagram keeps them
    before = dd.loads("aim: Halve falls by 2027\nprimary:\n  - Safe\n", "old.yaml")
    outputs = {
        "outline": dd.outline(diagram, ids=True),
        "describe": "\n".join(describe(diagram, diagram.measures[0])),
        "pdsa text": pdsa_text(diagram),
        "pdsa markdown": pdsa_markdown(diagram),
        "diff": "\n".join(change.text for change in compare(before, diagram)),
        "diff back": "\n".join(change.text for change in compare(diagram, before)),
        "lint": "\n".join(problem.message for problem in lint(diagram, Settings())),
    }
    for name in ("markdown", "mermaid", "csv", "json"):
        outputs[name] = dd.export(diagram, name)
    for name, text in outputs.items():
        assert not RAW_CONTROL.search(text), name
        assert "\x9b" not in text, name
    assert "Huddle title␛]0;pwned␇" in outputs["outline"]
    assert "Huddle title␛]0;pwned␇" in outputs["pdsa text"]


def test_the_json_export_escapes_c1_controls() -> None:
    diagram = dd.loads(HOSTILE_FILE, "hostile.yaml")
    exported = dd.export(diagram, "json")
    assert "\x9b" not in exported and "\\u009b" in exported
    assert json.loads(exported)["nodes"][2]["text"] == diagram.node("huddle").text


# -- lint: text that is not what it seems -------------------------------------------


def test_hidden_characters_are_a_lint_rule() -> None:
    assert "DD115" in CODES
    diagram = dd.loads(
        "aim: Halve falls by June 2027 to 4\n"
        "primary:\n"
        '  - text: "Pay the \\u202eyaP the invoice"\n'
        '    notes: "quietly\\u200b"\n'
        "    measures:\n"
        '      - name: "Falls\\u2066"\n'
        "  - Rooms are safe\n",
        "trojan.yaml",
    )
    found = [p for p in lint(diagram, Settings(select=("DD115",))) if p.code == "DD115"]
    assert [(p.line, p.column) for p in found] == [(3, 5), (3, 5), (6, 9)]
    assert "right-to-left override (U+202E)" in found[0].message
    assert "zero-width space (U+200B)" in found[1].message
    assert "notes" in found[1].message
    assert "left-to-right isolate (U+2066)" in found[2].message
    assert all(p.severity == "warning" for p in found)
    assert "what people read is not what the file says" in found[0].message
    clean = dd.loads("aim: Halve falls by June 2027\nprimary:\n  - Zürich, Ελλάδα, 日本\n")
    assert [p for p in lint(clean, Settings()) if p.code == "DD115"] == []


def test_hidden_characters_can_be_silenced_on_their_line() -> None:
    source = (
        "aim: Halve falls by June 2027 to 4\nprimary:\n"
        '  - "\\u05e9\\u05dc\\u05d5\\u05dd \\u200f(Hebrew)"  # driverdiagram: ignore DD115\n'
        "  - Rooms are safe\n"
    )
    diagram = dd.loads(source, "rtl.yaml")
    assert [p.code for p in lint(diagram, Settings(select=("DD115",)), source)] == []
    assert [p.code for p in lint(diagram, Settings(select=("DD115",)))] == ["DD115"]


MMDC = shutil.which("mmdc") or os.environ.get("MMDC")


@pytest.mark.skipif(not MMDC or not shutil.which("chromium"), reason="needs mmdc and chromium")
def test_mermaid_draws_hostile_labels_as_text(tmp_path: Path) -> None:
    """Mermaid itself reads every hostile label as text (run with MMDC=/path/to/mmdc, as
    tests/exports/test_mermaid.py's Mermaid CLI test): before, a %%{init}%% directive or a leading
    backtick made it refuse the chart."""
    texts = [*HOSTILE, CONTROLS]
    diagram = diagram_of(texts)
    heading = yaml_text(HOSTILE[7] + " " + HOSTILE[6])
    titled = dd.loads(f"labels: {{primary: {heading}}}\n" + dd.to_yaml(diagram), "t.yaml")
    source = tmp_path / "d.mmd"
    source.write_text(dd.export(titled, "mermaid"))
    config = tmp_path / "puppeteer.json"
    config.write_text(json.dumps({"executablePath": shutil.which("chromium"), "args": SANDBOX}))
    out = tmp_path / "d.svg"
    run = subprocess.run(
        [str(MMDC), "-p", str(config), "-i", str(source), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    svg = out.read_text()
    assert set(re.findall(r"<(\w+)", svg)) <= DRAWN_ELEMENTS
    assert all("evil" not in style for style in re.findall(r"<style.*?</style>", svg, re.S))
    shown = [
        html.unescape(re.sub(r"<br ?/?>", "\n", label))
        for label in re.findall(r'<span class="nodeLabel"[^>]*><p>(.*?)</p></span>', svg, re.S)
    ]
    for text in texts:
        assert any(label.startswith(visible(text) + " idea") for label in shown), text
    assert any(label == visible(HOSTILE[7] + " " + HOSTILE[6]) for label in shown)


SANDBOX = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: The elements Mermaid draws a flowchart with; a label that became markup would add others.
DRAWN_ELEMENTS = {
    "br",
    "circle",
    "defs",
    "div",
    "feDropShadow",
    "filter",
    "foreignObject",
    "g",
    "marker",
    "p",
    "path",
    "polygon",
    "rect",
    "span",
    "style",
    "svg",
}


def test_markdown_escaping_leaves_no_autolink() -> None:
    from driverdiagram.text import markdown

    assert markdown("see www.evil.example and https://evil.example or a@b.example") == (
        "see www\\.evil.example and https\\://evil.example or a\\@b.example"
    )
