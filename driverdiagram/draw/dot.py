"""Diagram -> Graphviz DOT text (pure: no subprocess, no randomness, no clock).

The layout is fixed here rather than left to chance in Graphviz:

- one rank per column, with a heading box at the top of each column;
- the order of the boxes in each column (:func:`driverdiagram.draw.layout.column_order`)
  is pinned with invisible edges, so Graphviz draws the same picture from the same file;
- every label is an HTML-like label built from escaped text, so whatever the
  user writes (quotes, ``<>&``, backslashes, any script) is shown literally.

Every string reaches DOT through :mod:`driverdiagram.draw.dotlang`. A theme's fonts,
colours and numbers are checked before anything is drawn
(:func:`driverdiagram.style.theme_problems`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ..model import Diagram, Level, Node, Status, Strength
from ..practice import in_focus, set_aside
from ..style import DEFAULT, Theme, theme_problems
from .dotlang import attributes, escape, escape_lines, html_table, plain, quote
from .layout import (
    MARGIN_X,
    MARGIN_Y,
    NODESEP,
    PAD,
    RANKSEP,
    TITLE_WIDTH,
    Badge,
    aim_centre,
    badge_lines,
    badges,
    column_order,
    fit_change_column,
    home,
    light,
    tallest_column,
    text_lines,
)
from .wrap import line_budget, wrap

ARROWS = ("none", "to-aim", "from-aim")
#: A coach's practice: the word on a domain in focus, and the border and lines of the
#: boxes set aside for now (muted, their text still at 4.5:1 or more).
FOCUS_TAG = "IN FOCUS"
ASIDE_LINE = "#B4B4B4"
#: What a box may link to: a page or a part of a page of the site, by a relative
#: address of the site's own making (no scheme, no way up, nothing to escape).
SAFE_HREF = re.compile(r"(?=.)(?:[a-z0-9][a-z0-9-]*\.html)?(?:#[a-z][a-z0-9-]*)?\Z")
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
    "updated": ("UPDATED", "#1F5FA8", "bold"),
}
MARK_HELP = {
    "added": "new since the earlier version",
    "reworded": "same box, new words",
    "moved": "now under another driver",
    "removed": "gone (drawn as a ghost)",
    "status": "a change idea whose status changed",
    "strength": "a link now stronger or weaker",
    "updated": "its notes, measures or PDSA cycles changed",
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
    links: dict[str, str] | None = None,
    shared: dict[str, int] | None = None,
    fill: bool = False,
) -> str:
    """The DOT source that draws ``diagram`` with Graphviz's ``dot``; the options are
    :func:`dot_parts`'s."""
    return dot_parts(
        diagram,
        arrows=arrows,
        theme=theme,
        marks=marks,
        link_marks=link_marks,
        folded=folded,
        page=page,
        links=links,
        shared=shared,
        fill=fill,
    ).source()


@dataclass
class Parts:
    """A drawing's DOT statements, in order, kept apart so that a layout of our own
    (:mod:`driverdiagram.draw.own`) can pin every box and line where it computed them.

    ``statements`` are (kind, text, name, child): a ``line`` every layout writes as it
    is; a ``pin`` only Graphviz ``dot`` needs (the ranks and the invisible edges that
    hold the order); a ``node`` (``name`` with its attributes) and an ``edge`` (from
    ``name`` to ``child``). ``columns`` are the node names of each column, top to
    bottom: its heading first, then its boxes (then the key or the footer).
    """

    statements: list[tuple[str, str, str, str]]
    columns: list[list[str]]

    def line(self, text: str) -> None:
        self.statements.append(("line", text, "", ""))

    def pinning(self, text: str) -> None:
        self.statements.append(("pin", text, "", ""))

    def node(self, name: str, attrs: str) -> None:
        self.statements.append(("node", attrs, name, ""))

    def edge(self, parent: str, child: str, attrs: str) -> None:
        self.statements.append(("edge", attrs, parent, child))

    def source(
        self,
        nodes: dict[str, str] | None = None,
        edges: list[str] | None = None,
        *,
        pins: bool = True,
    ) -> str:
        """The DOT text: as Graphviz ``dot`` lays it out, or (``pins`` False) without
        the ranks and invisible edges, each node's attributes followed by its entry in
        ``nodes`` and the n-th edge's by ``edges[n]`` (``pos`` for ``neato -n2``)."""
        nodes = nodes or {}
        out: list[str] = []
        write = out.append
        count = 0
        for kind, text, name, child in self.statements:
            if kind == "line" or (kind == "pin" and pins):
                write(text)
            elif kind == "node":
                extra = nodes.get(name, "")
                write(f"  {quote(name)} [{text}{', ' + extra if extra else ''}]")
            elif kind == "edge":
                extra = edges[count] if edges is not None else ""
                count += 1
                write(f"  {quote(name)} -> {quote(child)} [{text}{', ' + extra if extra else ''}]")
        return "\n".join(out) + "\n"


def dot_parts(
    diagram: Diagram,
    *,
    arrows: str = "none",
    theme: Theme = DEFAULT,
    marks: dict[str, str] | None = None,
    link_marks: dict[tuple[str, str], str] | None = None,
    folded: dict[str, int] | None = None,
    page: tuple[float, float] = (785.0, 539.0),
    links: dict[str, str] | None = None,
    shared: dict[str, int] | None = None,
    fill: bool = False,
) -> Parts:
    """The DOT source that draws ``diagram``.

    ``arrows`` is ``none`` (plain connectors), ``to-aim`` (arrowheads pointing
    towards the aim) or ``from-aim`` (pointing away from it). ``marks`` and
    ``link_marks`` (box id, or (parent, child) -> added, reworded, moved or
    removed) draw a diagram of changes. ``folded`` (box id -> number) notes under a
    box how many boxes a ``--depth`` view folded away beneath it. ``page`` is the
    printable width and height (points) the drawing is shaped for: by default A4
    landscape with 10 mm margins. ``links`` (box id -> a relative address the portal
    names, such as ``change-huddle.html`` or ``#box-assess``) makes those boxes links.
    ``shared`` (box id -> number) notes under a box of one primary driver's part of a
    split view how many other primary drivers it serves too; ``fill`` tries narrower
    columns too, for a part that should fill its page.
    """
    links = links or {}
    for href in links.values():
        if not SAFE_HREF.match(href):
            raise ValueError(f"a box links only to a page of the site, not to {href!r}")
    marks = marks or {}
    folded = folded or {}
    shared = shared or {}
    link_marks = link_marks or {}
    if arrows not in ARROWS:
        raise ValueError(f"arrows must be one of {', '.join(ARROWS)}, not {arrows!r}")
    problems = theme_problems(theme)
    if problems:  # a Theme built in Python: a theme file has located errors instead
        raise ValueError(f"theme {theme.name!r} cannot be drawn: {'; '.join(problems)}")
    columns = diagram.levels
    order = column_order(diagram)
    notes = badges(diagram)
    theme = fit_change_column(diagram, theme, page, notes, fill=fill)
    parts = Parts([], [])
    write = parts.line
    write("// Drawn by driverdiagram from YAML: edit the YAML, not this file.")
    write("digraph driver_diagram {")
    write(
        "  graph ["
        + attributes(
            rankdir="LR",
            newrank="true",
            nodesep=f"{NODESEP / 72:g}",
            ranksep=f"{RANKSEP / 72:g}",
            pad=f"{PAD / 72:g}",
            bgcolor=theme.background,
            fontname=theme.font,
            **_title(diagram, theme),
        )
        + "]"
    )
    write(
        "  node ["
        + attributes(
            shape="box",
            style="rounded,filled",
            fontname=theme.font,
            margin=f"{MARGIN_X / 72:g},{MARGIN_Y / 72:g}",
            height="0",  # as tall as the text needs, not Graphviz's half-inch minimum
            penwidth="1.2",
        )
        + "]"
    )
    write(
        "  edge ["
        + attributes(
            color=theme.link_colour,
            penwidth=f"{theme.link_width:g}",
            arrowsize="0.7",
            dir=_DIR[arrows],
        )
        + "]"
    )
    aside = set_aside(diagram)
    focused = {node.id for node in in_focus(diagram)}
    key = _key_label(
        diagram, theme, sorted(set(marks.values()) | set(link_marks.values())), bool(focused)
    )
    if key:
        write("  // the key, under the aim")
        parts.node("key", attributes(id="dd-key", **_PLAIN, label=key))
    credits_level = tallest_column(diagram, theme, key, notes)
    credits = _credits_label(diagram, theme, theme.levels[credits_level].width)
    if credits:
        write("  // the team and date, at the foot of the tallest column")
        parts.node("credits", attributes(id="dd-credits", **_PLAIN, label=credits))
    write("  // column headings, chained so they line up along the top")
    for level in columns:
        style = theme.levels[level]
        heading = wrap(diagram.label(level), int(style.width * 900 / theme.heading_size))
        label = html_table(
            [f"<B>{escape_lines(heading)}</B>"],
            width=style.width,
            align="CENTER",
        )
        parts.node(
            "heading:" + level.key,
            attributes(
                id=f"dd-heading-{level.key}",
                **{"class": "dd-heading"},
                label=f"<{label}>",
                fillcolor=style.heading_fill,
                color=style.heading_fill,
                fontcolor=style.heading_text,
                fontsize=f"{theme.heading_size:g}",
                margin=f"{MARGIN_X / 72:g},0.05",
            ),
        )
    parts.pinning(
        "  "
        + " -> ".join(quote("heading:" + level.key) for level in columns)
        + " [style=invis, weight=100]"
        if len(columns) > 1
        else "  // one column"
    )

    for level in columns:
        nodes = order[level]
        write("  // the aim" if level == Level.AIM else f"  // {level.noun}s")
        for node in nodes:
            parts.node(
                node.id,
                _node(
                    node,
                    theme,
                    marks.get(node.id),
                    folded.get(node.id, 0),
                    notes.get(node.id),
                    links.get(node.id),
                    shared.get(node.id, 0),
                    "focus" if node.id in focused else "aside" if node.id in aside else "",
                ),
            )
        names = ["heading:" + level.key] + [node.id for node in nodes]
        if level == Level.AIM and key:
            names.append("key")
        if level == credits_level and credits:
            names.append("credits")
        parts.columns.append(names)
        ids = [quote(name) for name in names]
        parts.pinning("  { rank=same; " + "; ".join(ids) + " }")
        if len(ids) > 1:
            # Invisible edges within a rank ("flat" edges) pin the order of the
            # boxes: in a left-to-right layout the tail is drawn above the head.
            # One statement per pair: Graphviz's parser overflows on a chain of
            # thousands of edges written as one statement.
            for upper, lower in itertools.pairwise(ids):
                parts.pinning(f"  {upper} -> {lower} [style=invis]")

    write("  // links from each box to the boxes it drives")
    primaries = order[Level.PRIMARY]
    centre = aim_centre(primaries)
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
            # Much heavier than the invisible edges that pin the order, so boxes line
            # up with the boxes they are written under; a ref only draws its line,
            # pulling nothing, so adding one moves no box
            "weight": "10" if home(diagram, link.child) == link else "0",
        }
        if link.strength == Strength.WEAK:
            attrs["style"] = "dotted"
            attrs["penwidth"] = "2"
        if link.child in aside:
            attrs["class"] += " dd-aside"
            attrs["color"] = ASIDE_LINE
        if link.parent == diagram.aim.id and link.child == centre:
            attrs["weight"] = "40"
        mark = link_marks.get((link.parent, link.child))
        if mark is not None:
            attrs["class"] += f" dd-mark-{mark}"
            attrs["color"] = MARKS[mark][1]
            attrs["penwidth"] = "1.3" if mark == "removed" else "2.8"
            if mark == "removed":
                attrs["style"] = "dashed"
        parts.edge(link.parent, link.child, attributes(**attrs))
    write("}")
    return parts


def _marked(text: str, theme: Theme, on_light: bool) -> str:
    """A badge's verdicts made to stand out without colour alone: good news (improving,
    special cause improvement) in bold, bad news (wrong direction, special cause
    concern) in bold and underlined, each in its theme colour where the box is light.
    ``text`` is the badge's escaped lines, so a verdict may run over a line break."""
    from ..measures.words import CONCERN_WORDS, IMPROVING_WORDS  # for badges only

    for phrases, colour, underline in (
        (IMPROVING_WORDS, theme.improving, False),
        (CONCERN_WORDS, theme.concern, True),
    ):
        for phrase in phrases:
            gap = "(?: |<BR/>)"
            pattern = r"\(" + gap.join(map(re.escape, phrase.split())) + r"(?:\)|(?=,))"
            font = f'<FONT COLOR="{escape(colour)}">' if on_light else "<FONT>"
            inner, outer = ("<B><U>", "</U></B>") if underline else ("<B>", "</B>")
            text = re.sub(pattern, rf"{font}{inner}\g<0>{outer}</FONT>", text)
    return text


def _node(
    node: Node,
    theme: Theme,
    mark: str | None = None,
    folded: int = 0,
    badge: Badge | None = None,
    href: str | None = None,
    shared: int = 0,
    practice: str = "",
) -> str:
    """One box. ``practice`` is 'focus' for a coach's practice domain in focus, 'aside'
    for a box that serves only domains not in focus (drawn muted), else ''."""
    style = theme.levels[node.level]
    fill, border, border_style = style.fill, style.border, "rounded,filled"
    lines, tag_alone = text_lines(node, style, theme)
    label = escape_lines(lines)
    classes = f"dd-box dd-{node.level.key}"
    if node.status is not None:
        cue = theme.statuses[node.status]
        fill, border = cue.fill, cue.border
        border_style = f"rounded,filled,{cue.border_style}"
        classes += f" dd-status-{node.status.value}"
        if cue.tag:
            colour = theme.muted_text if practice == "aside" else cue.border
            tag = f'<FONT COLOR="{escape(colour)}"><B>{escape(cue.tag)}</B></FONT>'
            label += ("<BR/>" if tag_alone else "&#160;&#160;") + tag
    if practice == "focus":
        label += f'<BR/><FONT COLOR="{escape(border)}"><B>{FOCUS_TAG}</B></FONT>'
        classes += " dd-focus"
    latest = node.latest
    if latest is not None:
        budget = int(line_budget(style) * style.font_size / theme.small_size)
        words = wrap(f"latest reflection: {latest.rating.words} ({latest.date})", budget)
        label += f'<BR/><FONT POINT-SIZE="{theme.small_size:g}">{escape_lines(words)}</FONT>'
        classes += f" dd-rating-{latest.rating.value}"
    if badge is not None:
        size = f"{theme.small_size:g}"
        text = escape_lines(badge_lines(badge, style, theme))
        text = _marked(text, theme, light(fill))
        label += f'<BR/><FONT POINT-SIZE="{size}">{text}</FONT>'
        classes += " dd-measured" if badge.measures else ""
        classes += " dd-improving" if badge.improving else ""
        classes += " dd-concern" if badge.concern else ""
        classes += " dd-tested" if badge.cycles else ""
    if folded:
        noun = "box" if folded == 1 else "boxes"
        label += f"<BR/><I>+ {folded} more {noun}</I>"
        classes += " dd-folded"
    if shared:
        noun = "primary driver" if shared == 1 else "primary drivers"
        budget = int(line_budget(style) * style.font_size / theme.small_size)
        words = wrap(f"shared: also serves {shared} other {noun}", budget)
        label += f'<BR/><FONT POINT-SIZE="{theme.small_size:g}"><I>{escape_lines(words)}</I></FONT>'
        classes += " dd-shared"
    if mark is not None:
        word, colour, _ = MARKS[mark]
        classes += f" dd-mark-{mark}"
        label += f'<BR/><FONT COLOR="{colour}"><B>{word}</B></FONT>'
        border = colour
        border_style = "rounded,filled,dashed" if mark == "removed" else "rounded,filled"
        if mark == "removed":
            fill = "#F2F2F2"
    text_colour = style.text
    if practice == "aside":
        fill, border, text_colour = theme.background, ASIDE_LINE, theme.muted_text
        classes += " dd-aside"
    attrs = {
        "id": f"dd-{node.id}",
        "class": classes,
        "label": f"<{html_table([label], width=style.width)}>",
        "fillcolor": fill,
        "color": border,
        "style": border_style,
        "fontcolor": text_colour,
        "fontsize": f"{style.font_size:g}",
    }
    if node.level == Level.AIM:
        attrs["penwidth"] = "2"
        attrs["margin"] = "0.12,0.1"
    if node.status == Status.ADOPTED:
        attrs["penwidth"] = "2.4"
    if practice == "focus":
        attrs["penwidth"] = "3.2"
    if node.notes:
        attrs["tooltip"] = plain(node.notes)
    if href is not None:
        attrs["URL"] = href
        # the link's name for a screen reader and its tooltip: the box's own words
        # (Graphviz would otherwise name it by the box's id)
        text = " ".join(node.text.split())
        attrs["tooltip"] = plain(f"{text}\n\n{node.notes}" if node.notes else text)
    if mark is not None:
        attrs["penwidth"] = "1.5" if mark == "removed" else "3"
        if mark == "removed":
            attrs["fontcolor"] = "#6E6E6E"
    return attributes(**attrs)


def _title(diagram: Diagram, theme: Theme) -> dict[str, str]:
    """The graph attributes that put the title above the diagram, if there is one."""
    if not diagram.title:
        return {}
    size = f"{theme.title_size:g}"
    # about as wide as a four-column drawing; bold runs a tenth wider than regular
    lines = escape_lines(wrap(diagram.title, int(TITLE_WIDTH * 900 / theme.title_size)))
    label = (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="0"><TR><TD ALIGN="LEFT" BALIGN="LEFT">'
        f'<FONT POINT-SIZE="{size}"><B>{lines}</B></FONT></TD></TR></TABLE>>'
    )
    return {"labelloc": "t", "labeljust": "l", "label": label}


_PLAIN = {"shape": "plain", "style": "solid"}


def _key_label(
    diagram: Diagram,
    theme: Theme,
    marks: list[str] | tuple[str, ...] = (),
    focus: bool = False,
) -> str:
    """The key, when a status or a weak link needs explaining.

    It stands under the aim, in a column that is otherwise nearly empty, and is
    laid out as a narrow list so it never widens that column.
    """
    size = f"{theme.small_size:g}"
    rows: list[str] = []
    statuses = {node.status for node in diagram.nodes if node.status is not None}
    weak = any(link.strength == Strength.WEAK for link in diagram.links)
    if not (statuses - {Status.IDEA} or weak or marks or focus):
        return ""
    rows.append(f'<TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="{size}"><B>Key</B></FONT></TD>')
    if statuses - {Status.IDEA}:
        for status in (status for status in Status if status in statuses):  # only those used
            cue = theme.statuses[status]
            rows.append(
                f'<TD BGCOLOR="{escape(cue.fill)}" COLOR="{escape(cue.border)}" BORDER="1"'
                f' STYLE="rounded"><FONT POINT-SIZE="{size}" COLOR="{escape(cue.border)}">'
                f"<B>{escape(cue.tag) if cue.tag else '&#160;'}</B></FONT></TD>"
                f'<TD ALIGN="LEFT"><FONT POINT-SIZE="{size}">{escape(cue.legend)}</FONT></TD>'
            )
    if focus:
        primary = theme.levels[Level.PRIMARY]
        rows.append(
            f'<TD BGCOLOR="{escape(primary.fill)}" COLOR="{escape(primary.border)}" BORDER="2"'
            f' STYLE="rounded"><FONT POINT-SIZE="{size}" COLOR="{escape(primary.border)}">'
            f"<B>{FOCUS_TAG}</B></FONT></TD>"
            f'<TD ALIGN="LEFT"><FONT POINT-SIZE="{size}">a domain I am working on now</FONT></TD>'
        )
        rows.append(
            f'<TD BGCOLOR="{escape(theme.background)}" COLOR="{ASIDE_LINE}" BORDER="1"'
            f' STYLE="rounded"><FONT POINT-SIZE="{size}" COLOR="{escape(theme.muted_text)}">'
            f"muted</FONT></TD>"
            f'<TD ALIGN="LEFT"><FONT POINT-SIZE="{size}">set aside for now</FONT></TD>'
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
        f' COLOR="{escape(theme.muted_text)}">{escape_lines(lines)}</FONT></TD></TR></TABLE>>'
    )


# -- text --------------------------------------------------------------------
# How wide text is and where it wraps.


# -- quoting: the one place text and values become DOT ---------------------------
