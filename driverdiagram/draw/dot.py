"""Diagram -> Graphviz DOT text (pure: no subprocess, no randomness, no clock).

The layout is fixed here rather than left to chance in Graphviz:

- one rank per column, with a heading box at the top of each column;
- the order of the boxes in each column is computed here (document order,
  siblings together, a box with several parents between them) and pinned with
  invisible edges, so Graphviz draws the same picture from the same file;
- every label is an HTML-like label built from escaped text, so whatever the
  user writes (quotes, ``<>&``, backslashes, any script) is shown literally.

Every string reaches DOT through the quoting functions at the end of this module:
text (box text, titles, a theme's status words and key) through :func:`_escape`,
DOT values through :func:`_id`, and each finished HTML-like label is checked to hold
only the few tags drawn here, so neither a box nor a theme can add a link or a
picture (``<TD HREF>``, ``<IMG SRC>``) to any output, PNG and PDF included. A theme's
fonts, colours and numbers are checked before anything is drawn
(:func:`driverdiagram.style.theme_problems`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from ..model import Diagram, Level, Link, Node, Status, Strength
from ..style import DEFAULT, LevelStyle, Theme, em_width, line_budget, theme_problems
from ..text import visible

ARROWS = ("none", "to-aim", "from-aim")
#: Graphviz replaces \N, \G, \E, \T, \H and \L in any label with names of its
#: own, and no escaping stops it. An invisible word joiner after every backslash
#: keeps the text literal; the SVG step removes it again.
WORD_JOINER = "\u2060"
_DIR = {"none": "none", "to-aim": "back", "from-aim": "forward"}


#: How a drawing of changes (``driverdiagram diff -o``) marks boxes and links:
#: a word in the box (the cue that is not colour), a border or line colour, a style.
MARKS = {
    "added": ("NEW", "#1B7F3B", "bold"),
    "reworded": ("REWORDED", "#B35C00", "bold"),
    "moved": ("MOVED", "#6B3FA0", "bold"),
    "removed": ("REMOVED", "#8C8C8C", "dashed"),
    "status": ("NEW STATUS", "#1F5FA8", "bold"),
    "strength": ("NEW STRENGTH", "#1F5FA8", "bold"),
}
MARK_HELP = {
    "added": "new since the earlier version",
    "reworded": "same box, new words",
    "moved": "now under another driver",
    "removed": "gone (drawn as a ghost)",
    "status": "a change idea whose status changed",
    "strength": "a link now stronger or weaker",
}


def to_dot(
    diagram: Diagram,
    *,
    arrows: str = "none",
    theme: Theme = DEFAULT,
    marks: dict[str, str] | None = None,
    link_marks: dict[tuple[str, str], str] | None = None,
    folded: dict[str, int] | None = None,
    page: tuple[float, float] = (785.0, 539.0),
) -> str:
    """The DOT source that draws ``diagram``.

    ``arrows`` is ``none`` (plain connectors), ``to-aim`` (arrowheads pointing
    towards the aim) or ``from-aim`` (pointing away from it). ``marks`` and
    ``link_marks`` (box id, or (parent, child) -> added, reworded, moved or
    removed) draw a diagram of changes. ``folded`` (box id -> number) notes under a
    box how many boxes a ``--depth`` view folded away beneath it. ``page`` is the
    printable width and height (points) the drawing is shaped for: by default A4
    landscape with 10 mm margins.
    """
    marks = marks or {}
    folded = folded or {}
    link_marks = link_marks or {}
    if arrows not in ARROWS:
        raise ValueError(f"arrows must be one of {', '.join(ARROWS)}, not {arrows!r}")
    problems = theme_problems(theme)
    if problems:  # a Theme built in Python: a theme file has located errors instead
        raise ValueError(f"theme {theme.name!r} cannot be drawn: {'; '.join(problems)}")
    columns = diagram.levels
    order = column_order(diagram)
    notes = badges(diagram)
    theme = fit_change_column(diagram, theme, page, notes)
    out: list[str] = []
    write = out.append
    write("// Drawn by driverdiagram from YAML: edit the YAML, not this file.")
    write("digraph driver_diagram {")
    write(
        "  graph ["
        + _attrs(
            rankdir="LR",
            newrank="true",
            nodesep=f"{_NODESEP / 72:g}",
            ranksep=f"{_RANKSEP / 72:g}",
            pad=f"{_PAD / 72:g}",
            bgcolor=theme.background,
            fontname=theme.font,
            **_title(diagram, theme),
        )
        + "]"
    )
    write(
        "  node ["
        + _attrs(
            shape="box",
            style="rounded,filled",
            fontname=theme.font,
            margin=f"{_MARGIN_X / 72:g},{_MARGIN_Y / 72:g}",
            height="0",  # as tall as the text needs, not Graphviz's half-inch minimum
            penwidth="1.2",
        )
        + "]"
    )
    write(
        "  edge ["
        + _attrs(
            color=theme.link_colour,
            penwidth=f"{theme.link_width:g}",
            arrowsize="0.7",
            dir=_DIR[arrows],
        )
        + "]"
    )
    key = _key_label(diagram, theme, sorted(set(marks.values()) | set(link_marks.values())))
    if key:
        write("  // the key, under the aim")
        write("  " + _id("key") + " [" + _attrs(id="dd-key", **_PLAIN, label=key) + "]")
    credits_level = _tallest_column(diagram, theme, key, notes)
    credits = _credits_label(diagram, theme, theme.levels[credits_level].width)
    if credits:
        write("  // the team and date, at the foot of the tallest column")
        write("  " + _id("credits") + " [" + _attrs(id="dd-credits", **_PLAIN, label=credits) + "]")
    write("  // column headings, chained so they line up along the top")
    for level in columns:
        style = theme.levels[level]
        heading = wrap(diagram.label(level), int(style.width * 900 / theme.heading_size))
        label = _table(
            [f"<B>{_escape_lines(heading)}</B>"],
            width=style.width,
            align="CENTER",
        )
        write(
            f"  {_id('heading:' + level.key)} ["
            + _attrs(
                id=f"dd-heading-{level.key}",
                **{"class": "dd-heading"},
                label=f"<{label}>",
                fillcolor=style.heading_fill,
                color=style.heading_fill,
                fontcolor=style.heading_text,
                fontsize=f"{theme.heading_size:g}",
                margin=f"{_MARGIN_X / 72:g},0.05",
            )
            + "]"
        )
    write(
        "  "
        + " -> ".join(_id("heading:" + level.key) for level in columns)
        + " [style=invis, weight=100]"
        if len(columns) > 1
        else "  // one column"
    )

    for level in columns:
        nodes = order[level]
        write("  // the aim" if level == Level.AIM else f"  // {level.noun}s")
        for node in nodes:
            write(
                "  "
                + _node(node, theme, marks.get(node.id), folded.get(node.id, 0), notes.get(node.id))
            )
        ids = [_id("heading:" + level.key)] + [_id(node.id) for node in nodes]
        if level == Level.AIM and key:
            ids.append(_id("key"))
        if level == credits_level and credits:
            ids.append(_id("credits"))
        write("  { rank=same; " + "; ".join(ids) + " }")
        if len(ids) > 1:
            # Invisible edges within a rank ("flat" edges) pin the order of the
            # boxes: in a left-to-right layout the tail is drawn above the head.
            # One statement per pair: Graphviz's parser overflows on a chain of
            # thousands of edges written as one statement.
            for upper, lower in itertools.pairwise(ids):
                write(f"  {upper} -> {lower} [style=invis]")

    write("  // links from each box to the boxes it drives")
    primaries = order[Level.PRIMARY]
    centre = _aim_centre(primaries)
    # links in drawing order (column, then top to bottom), not file order
    rank = {
        node.id: index for index, node in enumerate(n for level in columns for n in order[level])
    }
    drawn = sorted(diagram.links, key=lambda link: (rank[link.parent], rank[link.child]))
    for index, link in enumerate(drawn, start=1):
        attrs = {
            "id": f"dd-link-{index}",
            "class": f"dd-link dd-{link.strength.value}",
            "tailport": "e",
            "headport": "w",
            # Much heavier than the invisible edges that pin the order, so
            # boxes line up with the boxes they are linked to.
            "weight": "10",
        }
        if link.strength == Strength.WEAK:
            attrs["style"] = "dotted"
            attrs["penwidth"] = "2"
        if link.parent == diagram.aim.id and link.child == centre:
            attrs["weight"] = "40"
        mark = link_marks.get((link.parent, link.child))
        if mark is not None:
            attrs["class"] += f" dd-mark-{mark}"
            attrs["color"] = MARKS[mark][1]
            attrs["penwidth"] = "1.3" if mark == "removed" else "2.8"
            if mark == "removed":
                attrs["style"] = "dashed"
        write(f"  {_id(link.parent)} -> {_id(link.child)} [{_attrs(**attrs)}]")
    write("}")
    return "\n".join(out) + "\n"


TITLE_WIDTH = 700
DRIVER_FACTORS = (1.0, 0.9, 0.8)
CHANGE_WIDTHS = (220, 260, 300, 340, 380)
_LINE = 1.07  # line height, in font sizes (measured on Graphviz output)
_NODESEP, _RANKSEP, _MARGIN_X, _MARGIN_Y = 0.06 * 72, 0.4 * 72, 0.08 * 72, 0.04 * 72
_PAD = 0.25 * 72


def fit_change_column(
    diagram: Diagram,
    theme: Theme,
    page: tuple[float, float] = (785.0, 539.0),
    notes: dict[str, Badge] | None = None,
) -> Theme:
    """The theme with column widths that suit this diagram on this page.

    Change ideas are the longest texts and the tallest column: a wider column
    means fewer lines and a shorter drawing, a narrower one a narrower drawing.
    Driver columns may also narrow a little when the drawing is too wide for
    the page. Each candidate is tried on an estimate of the drawing's size
    (using the same wrapping as the drawing itself), and the one that prints
    largest on the page wins; ties go to full-width drivers and the narrowest
    change-idea column.
    """
    changes = diagram.at_level(Level.CHANGE)
    if not changes:
        return theme
    notes = badges(diagram) if notes is None else notes
    drivers = diagram.levels[:-1]
    # the title, the headings and the padding around the drawing
    fixed_width = 2 * _PAD + _RANKSEP * (len(diagram.levels) - 1)
    fixed_width += 2 * _MARGIN_X * len(diagram.levels)
    fixed_height = 2 * _PAD + theme.heading_size * _LINE + 2 * _MARGIN_Y + 2.5 + _NODESEP
    if diagram.title:
        title_lines = wrap(diagram.title, int(TITLE_WIDTH * 900 / theme.title_size))
        fixed_height += theme.title_size * _LINE * len(title_lines) + 8
    # narrower drivers are only worth trying where wrapping stays cheap
    factors = DRIVER_FACTORS if len(diagram.nodes) <= 1000 else DRIVER_FACTORS[:1]
    best: tuple[float, float, int] | None = None
    for factor in factors:
        styles = {
            level: replace(theme.levels[level], width=round(theme.levels[level].width * factor))
            for level in drivers
        }
        driver_width = sum(styles[level].width for level in drivers)
        driver_height = max(
            sum(
                _box_height(node, styles[level], theme, notes.get(node.id))
                for node in diagram.at_level(level)
            )
            for level in drivers
        )
        for width in CHANGE_WIDTHS:
            candidate = replace(theme.levels[Level.CHANGE], width=width)
            change_height = sum(
                _box_height(node, candidate, theme, notes.get(node.id)) for node in changes
            )
            height = fixed_height + max(change_height, driver_height)
            scale = min(page[0] / (fixed_width + driver_width + width), page[1] / height)
            if best is None or scale > best[0] * 1.02:  # narrower only for a real gain
                best = (scale, factor, width)
    assert best is not None
    _, factor, width = best
    levels = dict(theme.levels)
    for level in drivers:
        levels[level] = replace(levels[level], width=round(levels[level].width * factor))
    levels[Level.CHANGE] = replace(levels[Level.CHANGE], width=width)
    return replace(theme, levels=levels)


def _box_height(node: Node, style: LevelStyle, theme: Theme, badge: Badge | None = None) -> float:
    """About how tall a box is drawn, with the gap below it, in points."""
    budget = line_budget(style)
    count, last = _measure_lines(node.text, budget)
    count += _tag_alone(node, theme, budget, last, bool(last))
    extra = len(_badge_lines(badge, style, theme)) * theme.small_size * _LINE if badge else 0
    return count * style.font_size * _LINE + extra + 2 * _MARGIN_Y + 2.5 + _NODESEP


@dataclass(frozen=True)
class Badge:
    """The measurement story of a box: its measures (those showing a signal of
    improvement marked) and, for a change idea, how many PDSA cycles it has had."""

    measures: tuple[tuple[str, bool], ...] = ()  # (measure id, improving)
    cycles: int = 0

    @property
    def text(self) -> str:
        parts = []
        if self.measures:
            named = ", ".join(
                f"{measure_id} (improving)" if better else measure_id
                for measure_id, better in self.measures
            )
            parts.append(f"Measure{'s' if len(self.measures) > 1 else ''}: {named}")
        if self.cycles:
            parts.append(f"{self.cycles} PDSA cycle{'s' if self.cycles > 1 else ''}")
        return " · ".join(parts)

    @property
    def improving(self) -> bool:
        return any(better for _, better in self.measures)


def badges(diagram: Diagram) -> dict[str, Badge]:
    """The badge of each box that has measures or PDSA cycles."""
    if not diagram.measures and not diagram.cycles:
        return {}
    from ..measures.words import improving

    found: dict[str, Badge] = {}
    for node in diagram.nodes:
        measures = tuple((m.id, improving(m)) for m in diagram.measures_of(node.id))
        cycles = len(diagram.cycles_of(node.id))
        if measures or cycles:
            found[node.id] = Badge(measures, cycles)
    return found


def _light(colour: str) -> bool:
    """Whether a fill colour (#RRGGBB) is light enough for dark green text on it."""
    if not (colour.startswith("#") and len(colour) == 7):
        return True
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue > 150


def _badge_lines(badge: Badge, style: LevelStyle, theme: Theme) -> list[str]:
    return wrap(badge.text, int(line_budget(style) * style.font_size / theme.small_size))


@lru_cache(maxsize=65536)
def _word_widths(text: str) -> tuple[tuple[int, ...], ...]:
    """The width of each word of each paragraph, measured once per text."""
    return tuple(
        tuple(_width(word) for word in paragraph.split()) for paragraph in visible(text).split("\n")
    )


def _measure_lines(text: str, width: int) -> tuple[int, int]:
    """How many lines :func:`wrap` makes of ``text`` and how wide its last line is,
    counted on word widths alone (layout estimates ask this at several widths)."""
    space = em_width(" ")
    count, used = 0, 0
    for words in _word_widths(text):
        if words and max(words) > width:
            lines = _wrap(text, width)  # a word to split: rare, so measured in full
            return len(lines), _width(lines[-1])
        used = -1  # nothing on the line yet
        for size in words:
            if used < 0:
                used = size
            elif used + space + size <= width:
                used += space + size
            else:
                count += 1
                used = size
        count += 1
        used = max(used, 0)
    return count, used


def _text_lines(node: Node, style: LevelStyle, theme: Theme) -> tuple[list[str], bool]:
    """A box's wrapped text, and whether its status word needs a line of its own.

    The word goes on the last line when it fits there (bold runs about a tenth
    wider than regular text).
    """
    budget = line_budget(style)
    lines = wrap(node.text, budget)
    return lines, _tag_alone(node, theme, budget, _width(lines[-1]), bool(lines[-1]))


def _tag_alone(node: Node, theme: Theme, budget: int, last_width: int, last_text: bool) -> bool:
    """Whether a box's status word needs a line of its own: it goes on the last line
    when it fits there (bold runs about a tenth wider than regular text)."""
    tag = theme.statuses[node.status].tag if node.status is not None else ""
    if not tag:
        return False
    room = budget - last_width - 2 * em_width(" ")
    return not (last_text and _width(tag) * 11 // 10 <= room)


def written_first(diagram: Diagram, node_id: str) -> list[Link]:
    """A box's links: to the boxes written under it, then its refs, each in file order.

    Where a ``ref`` stands among its siblings changes nothing in the drawing, so
    the same diagram draws the same whether it came from YAML, JSON or CSV.
    """
    links = diagram.children(node_id)
    return [link for link in links if not link.ref] + [link for link in links if link.ref]


def column_order(diagram: Diagram) -> dict[Level, list[Node]]:
    """The boxes of each column, top to bottom.

    Siblings keep the order they are written in and stay together; a box with
    several parents goes to the mean position of its parents (a barycentre
    sweep from left to right), ties broken by first appearance in the file.
    For a tree this is simply document order, so nothing crosses.
    """
    first_seen: dict[str, int] = {}
    stack = [diagram.aim.id]
    while stack:  # depth-first from the aim, children in the order written
        node_id = stack.pop()
        if node_id in first_seen:
            continue
        first_seen[node_id] = len(first_seen)
        stack.extend(link.child for link in reversed(written_first(diagram, node_id)))
    position: dict[str, float] = {diagram.aim.id: 0.5}
    order: dict[Level, list[Node]] = {Level.AIM: [diagram.aim]}
    for level in diagram.levels[1:]:
        nodes = diagram.at_level(level)

        def key(node: Node) -> tuple[float, int]:
            parents = diagram.parents(node.id)
            centre = sum(position[link.parent] for link in parents) / len(parents)
            return centre, first_seen[node.id]

        nodes.sort(key=key)
        for index, node in enumerate(nodes):
            position[node.id] = (index + 0.5) / len(nodes)
        order[level] = nodes
    return order


def _aim_centre(primaries: list[Node]) -> str | None:
    """The primary driver the aim lines up with: the middle one, when there is one."""
    if len(primaries) % 2 == 1:
        return primaries[len(primaries) // 2].id
    return None


def _node(
    node: Node,
    theme: Theme,
    mark: str | None = None,
    folded: int = 0,
    badge: Badge | None = None,
) -> str:
    style = theme.levels[node.level]
    fill, border, border_style = style.fill, style.border, "rounded,filled"
    lines, tag_alone = _text_lines(node, style, theme)
    label = _escape_lines(lines)
    classes = f"dd-box dd-{node.level.key}"
    if node.status is not None:
        cue = theme.statuses[node.status]
        fill, border = cue.fill, cue.border
        border_style = f"rounded,filled,{cue.border_style}"
        classes += f" dd-status-{node.status.value}"
        if cue.tag:
            tag = f'<FONT COLOR="{_escape(cue.border)}"><B>{_escape(cue.tag)}</B></FONT>'
            label += ("<BR/>" if tag_alone else "&#160;&#160;") + tag
    if badge is not None:
        size = f"{theme.small_size:g}"
        text = _escape_lines(_badge_lines(badge, style, theme))
        colour = f' COLOR="{_escape(theme.improving)}"' if _light(fill) else ""
        text = text.replace("(improving)", f"<FONT{colour}><B>(improving)</B></FONT>")
        label += f'<BR/><FONT POINT-SIZE="{size}">{text}</FONT>'
        classes += " dd-measured" if badge.measures else ""
        classes += " dd-improving" if badge.improving else ""
        classes += " dd-tested" if badge.cycles else ""
    if folded:
        noun = "box" if folded == 1 else "boxes"
        label += f"<BR/><I>+ {folded} more {noun}</I>"
        classes += " dd-folded"
    if mark is not None:
        word, colour, _ = MARKS[mark]
        classes += f" dd-mark-{mark}"
        label += f'<BR/><FONT COLOR="{colour}"><B>{word}</B></FONT>'
        border = colour
        border_style = "rounded,filled,dashed" if mark == "removed" else "rounded,filled"
        if mark == "removed":
            fill = "#F2F2F2"
    attrs = {
        "id": f"dd-{node.id}",
        "class": classes,
        "label": f"<{_table([label], width=style.width)}>",
        "fillcolor": fill,
        "color": border,
        "style": border_style,
        "fontcolor": style.text,
        "fontsize": f"{style.font_size:g}",
    }
    if node.level == Level.AIM:
        attrs["penwidth"] = "2"
        attrs["margin"] = "0.12,0.1"
    if node.status == Status.ADOPTED:
        attrs["penwidth"] = "2.4"
    if node.notes:
        attrs["tooltip"] = visible(node.notes).replace("\\", "\\" + WORD_JOINER)
    if mark is not None:
        attrs["penwidth"] = "1.5" if mark == "removed" else "3"
        if mark == "removed":
            attrs["fontcolor"] = "#6E6E6E"
    return f"{_id(node.id)} [{_attrs(**attrs)}]"


def _title(diagram: Diagram, theme: Theme) -> dict[str, str]:
    """The graph attributes that put the title above the diagram, if there is one."""
    if not diagram.title:
        return {}
    size = f"{theme.title_size:g}"
    # about as wide as a four-column drawing; bold runs a tenth wider than regular
    lines = _escape_lines(wrap(diagram.title, int(TITLE_WIDTH * 900 / theme.title_size)))
    label = (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="0"><TR><TD ALIGN="LEFT" BALIGN="LEFT">'
        f'<FONT POINT-SIZE="{size}"><B>{lines}</B></FONT></TD></TR></TABLE>>'
    )
    return {"labelloc": "t", "labeljust": "l", "label": label}


_PLAIN = {"shape": "plain", "style": "solid"}


def _key_label(diagram: Diagram, theme: Theme, marks: list[str] | tuple[str, ...] = ()) -> str:
    """The key, when a status or a weak link needs explaining.

    It stands under the aim, in a column that is otherwise nearly empty, and is
    laid out as a narrow list so it never widens that column.
    """
    size = f"{theme.small_size:g}"
    rows: list[str] = []
    statuses = {node.status for node in diagram.nodes if node.status is not None}
    weak = any(link.strength == Strength.WEAK for link in diagram.links)
    if not (statuses - {Status.IDEA} or weak or marks):
        return ""
    rows.append(f'<TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="{size}"><B>Key</B></FONT></TD>')
    if statuses - {Status.IDEA}:
        for status in Status:
            cue = theme.statuses[status]
            rows.append(
                f'<TD BGCOLOR="{_escape(cue.fill)}" COLOR="{_escape(cue.border)}" BORDER="1"'
                f' STYLE="rounded"><FONT POINT-SIZE="{size}" COLOR="{_escape(cue.border)}">'
                f"<B>{_escape(cue.tag) if cue.tag else '&#160;'}</B></FONT></TD>"
                f'<TD ALIGN="LEFT"><FONT POINT-SIZE="{size}">{_escape(cue.legend)}</FONT></TD>'
            )
    if weak:
        rows.append(
            f'<TD><FONT POINT-SIZE="{size}">· · · · · ·</FONT></TD>'
            f'<TD ALIGN="LEFT"><FONT POINT-SIZE="{size}">a weaker link</FONT></TD>'
        )
    for mark in MARKS:
        if mark in marks:
            word, colour, _ = MARKS[mark]
            rows.append(
                f'<TD BORDER="2" COLOR="{colour}" STYLE="rounded"><FONT POINT-SIZE="{size}"'
                f' COLOR="{colour}"><B>{word}</B></FONT></TD>'
                f'<TD ALIGN="LEFT"><FONT POINT-SIZE="{size}">{MARK_HELP[mark]}</FONT></TD>'
            )
    body = "".join(f"<TR>{row}</TR>" for row in rows)
    width = theme.levels[Level.AIM].width
    return (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4" CELLPADDING="2"'
        f' WIDTH="{width}">{body}</TABLE>>'
    )


def _credits_label(diagram: Diagram, theme: Theme, width: int) -> str:
    """The team and the date, as a footer line under the bottom of the drawing."""
    parts = diagram.credits
    if not parts:
        return ""
    budget = int(width * 1000 / theme.small_size)
    lines = wrap("  ·  ".join(parts), budget)
    if len(lines) > 1:  # one line if it fits, else each part starts a line of its own
        lines = [line for part in parts for line in wrap(part, budget)]
    return (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="2"><TR><TD WIDTH="{width}"'
        f' ALIGN="RIGHT" BALIGN="RIGHT"><FONT POINT-SIZE="{theme.small_size:g}"'
        f' COLOR="{_escape(theme.muted_text)}">{_escape_lines(lines)}</FONT></TD></TR></TABLE>>'
    )


def _tallest_column(
    diagram: Diagram, theme: Theme, key: str, notes: dict[str, Badge] | None = None
) -> Level:
    """The column whose foot is lowest, by estimate (the rightmost of equals): the
    footer goes under it, so it sits below the whole diagram."""
    notes = notes or {}
    heights: dict[Level, float] = {}
    for level in diagram.levels:
        style = theme.levels[level]
        heights[level] = sum(
            _box_height(node, style, theme, notes.get(node.id)) for node in diagram.at_level(level)
        )
    if key:
        rows = key.count("<TR>")
        heights[Level.AIM] += rows * (theme.small_size * _LINE + 12)
    return max(reversed(diagram.levels), key=lambda level: heights[level])


# -- text --------------------------------------------------------------------
# How wide text is and where it wraps.


@lru_cache(maxsize=65536)
def _width(text: str) -> int:
    return sum(em_width(char) for char in text)


def wrap(text: str, width: int) -> list[str]:
    """Break text into lines at most ``width`` thousandths of an em wide (see
    :func:`_wrap`; the result is cached, as layout estimates wrap each box
    at several widths)."""
    return list(_wrap(text, width))


@lru_cache(maxsize=65536)
def _wrap(text: str, width: int) -> tuple[str, ...]:
    """Break text into lines at most ``width`` thousandths of an em wide, at spaces
    where possible.

    Line breaks the user wrote are kept; a word longer than a line (a web
    address, or text in a script written without spaces) is split. Each
    character is measured once, so even a huge word wraps in linear time.
    """
    space = em_width(" ")
    lines: list[str] = []
    for paragraph in visible(text).split("\n"):
        line, used = "", 0
        for word in paragraph.split():
            size = _width(word)
            if size > width:
                if line:
                    lines.append(line)
                pieces = _split(word, width)
                lines.extend(pieces[:-1])
                line, used = pieces[-1], _width(pieces[-1])
            elif not line:
                line, used = word, size
            elif used + space + size <= width:
                line, used = f"{line} {word}", used + space + size
            else:
                lines.append(line)
                line, used = word, size
        lines.append(line)
    return tuple(lines)


def _split(word: str, width: int) -> list[str]:
    """A word too long for a line, cut into pieces that fit (combining marks stay
    with their letter)."""
    pieces: list[str] = []
    start, used = 0, 0
    for index, char in enumerate(word):
        size = em_width(char)
        if used + size > width and index > start and size > 0:
            pieces.append(word[start:index])
            start, used = index, 0
        used += size
    pieces.append(word[start:])
    return pieces


# -- quoting: the one place text and values become DOT ---------------------------


def _escape(text: str) -> str:
    """Text for an HTML-like label: shown literally, never interpreted."""
    return (
        visible(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        # Graphviz's HTML-like label lexer misreads a cell whose text is only ']'
        # ("non-space string used after </TABLE>"); a character reference is safe
        .replace("]", "&#93;")
        .replace("\\", "\\" + WORD_JOINER)
    )


def _escape_lines(lines: Iterable[str], br: str = "<BR/>") -> str:
    """Lines joined by line breaks; a table cell's BALIGN aligns them."""
    return br.join(_escape(line) for line in lines) or " "


def _table(rows: list[str], width: int, align: str = "LEFT") -> str:
    """A borderless one-column table whose width fixes the width of the box."""
    body = "".join(
        f'<TR><TD WIDTH="{width}" ALIGN="{align}" BALIGN="{align}">{row}</TD></TR>' for row in rows
    )
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="1" CELLSPACING="0">{body}</TABLE>'


def _id(name: str) -> str:
    """A DOT identifier, always quoted."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _attrs(**attrs: str) -> str:
    """DOT attributes in the order given; HTML-like labels (``<...>``) stay unquoted."""
    parts = []
    for name, value in attrs.items():
        if name == "label" and value.startswith("<") and value.endswith(">"):
            parts.append(f"{name}={_checked_label(value)}")
        else:
            parts.append(f"{name}={_id(value)}")
    return ", ".join(parts)


#: The tags of HTML-like labels drawn here, with the attributes they use. Graphviz
#: also knows IMG (a picture read from any file), HREF and friends (links, in SVG and
#: PDF): none of them may ever appear.
_LABEL_TAGS = ("TABLE", "TR", "TD", "FONT", "B", "I", "BR")
_LABEL_ATTRIBUTES = (
    "BORDER",
    "CELLBORDER",
    "CELLPADDING",
    "CELLSPACING",
    "WIDTH",
    "ALIGN",
    "BALIGN",
    "COLSPAN",
    "COLOR",
    "BGCOLOR",
    "STYLE",
    "POINT-SIZE",
)
_LABEL_TAG = re.compile(
    rf"</?(?:{'|'.join(_LABEL_TAGS)})"
    rf'(?:\s+(?:{"|".join(_LABEL_ATTRIBUTES)})="[^"<>&]*")*\s*/?>'
)


def _checked_label(label: str) -> str:
    """An HTML-like label, after making sure it holds only the tags and attributes
    this module writes (the text in it was escaped; this is the second line)."""
    rest = _LABEL_TAG.sub("", label[1:-1])
    if "<" in rest or ">" in rest:
        at = min(i for i in (rest.find("<"), rest.find(">")) if i >= 0)
        raise ValueError(f"a label with {rest[at : at + 60]!r}, which is never drawn")
    return label
