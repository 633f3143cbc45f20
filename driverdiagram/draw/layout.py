"""Layout decisions made before Graphviz runs: the order of each column, the widths
that suit a page, and estimates of how tall each box is drawn.

The order of the boxes in each column is computed here (document order, siblings
together, a box with several parents between them) and pinned in the DOT, so Graphviz
draws the same picture from the same file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..model import Diagram, Level, Link, Node
from ..style import LevelStyle, Theme
from .wrap import em_width, line_budget, measure_lines, text_width, wrap

#: How wide a title may run, in points (about a four-column drawing).
TITLE_WIDTH = 700
#: The driver column widths tried (as parts of the theme's) and the change-idea ones.
DRIVER_FACTORS = (1.0, 0.9, 0.8)
CHANGE_WIDTHS = (220, 260, 300, 340, 380)
#: Narrower columns as well, tried for a drawing that should fill its page (one primary
#: driver's part of a split view): a short, wide part grows taller and larger as its
#: text wraps in narrower boxes.
FILL_DRIVER_FACTORS = (1.0, 0.9, 0.8, 0.7, 0.6)
FILL_CHANGE_WIDTHS = (150, 180, 220, 260, 300, 340, 380)
LINE = 1.07  # line height, in font sizes (measured on Graphviz output)
#: Graphviz's gaps and margins that to_dot writes, in points.
NODESEP, RANKSEP, MARGIN_X, MARGIN_Y = 0.06 * 72, 0.4 * 72, 0.08 * 72, 0.04 * 72
PAD = 0.25 * 72


def fit_change_column(
    diagram: Diagram,
    theme: Theme,
    page: tuple[float, float] = (785.0, 539.0),
    notes: dict[str, Badge] | None = None,
    *,
    fill: bool = False,
) -> Theme:
    """The theme with column widths that suit this diagram on this page (with ``fill``
    narrower ones are tried too, see :data:`FILL_CHANGE_WIDTHS`).

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
    fixed_width = 2 * PAD + RANKSEP * (len(diagram.levels) - 1)
    fixed_width += 2 * MARGIN_X * len(diagram.levels)
    fixed_height = 2 * PAD + theme.heading_size * LINE + 2 * MARGIN_Y + 2.5 + NODESEP
    if diagram.title:
        title_lines = wrap(diagram.title, int(TITLE_WIDTH * 900 / theme.title_size))
        fixed_height += theme.title_size * LINE * len(title_lines) + 8
    # narrower drivers are only worth trying where wrapping stays cheap
    factors = (
        (FILL_DRIVER_FACTORS if fill else DRIVER_FACTORS)
        if len(diagram.nodes) <= 1000
        else DRIVER_FACTORS[:1]
    )
    widths = FILL_CHANGE_WIDTHS if fill else CHANGE_WIDTHS
    best: tuple[float, float, int] | None = None
    for factor in factors:
        styles = {
            level: replace(theme.levels[level], width=round(theme.levels[level].width * factor))
            for level in drivers
        }
        driver_width = sum(styles[level].width for level in drivers)
        driver_height = max(
            sum(
                box_height(node, styles[level], theme, notes.get(node.id))
                for node in diagram.at_level(level)
            )
            for level in drivers
        )
        for width in widths:
            candidate = replace(theme.levels[Level.CHANGE], width=width)
            change_height = sum(
                box_height(node, candidate, theme, notes.get(node.id)) for node in changes
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


def box_height(node: Node, style: LevelStyle, theme: Theme, badge: Badge | None = None) -> float:
    """About how tall a box is drawn, with the gap below it, in points."""
    budget = line_budget(style)
    count, last = measure_lines(node.text, budget)
    count += _tag_alone(node, theme, budget, last, bool(last))
    extra = len(badge_lines(badge, style, theme)) * theme.small_size * LINE if badge else 0
    return count * style.font_size * LINE + extra + 2 * MARGIN_Y + 2.5 + NODESEP


@dataclass(frozen=True)
class Badge:
    """The measurement story of a box: its measures, each by its short name with its
    verdict in words, and, for a change idea, how many PDSA cycles it has had."""

    measures: tuple[tuple[str, str], ...] = ()  # (short name, verdict in words)
    cycles: int = 0

    @property
    def text(self) -> str:
        parts = []
        if self.measures:
            named = "; ".join(f"{name} ({verdict})" for name, verdict in self.measures)
            parts.append(f"Measure{'s' if len(self.measures) > 1 else ''}: {named}")
        if self.cycles:
            parts.append(f"{self.cycles} PDSA cycle{'s' if self.cycles > 1 else ''}")
        return " · ".join(parts)

    @property
    def improving(self) -> bool:
        from ..measures.words import badge_tone  # the measures' words: for badges only

        return any(badge_tone(verdict) == "improvement" for _, verdict in self.measures)

    @property
    def concern(self) -> bool:
        """A measure shows a signal the wrong way: special cause concern, wrong direction."""
        from ..measures.words import badge_tone

        return any(badge_tone(verdict) == "concern" for _, verdict in self.measures)


def badges(diagram: Diagram) -> dict[str, Badge]:
    """The badge of each box that has measures or PDSA cycles."""
    if not diagram.measures and not diagram.cycles:
        return {}
    # the measures' rules and words, loaded only for a diagram that has measures or cycles
    from ..measures.words import badge_name, badge_verdict

    found: dict[str, Badge] = {}
    for node in diagram.nodes:
        measures = tuple((badge_name(m), badge_verdict(m)) for m in diagram.measures_of(node.id))
        cycles = len(diagram.cycles_of(node.id))
        if measures or cycles:
            found[node.id] = Badge(measures, cycles)
    return found


def light(colour: str) -> bool:
    """Whether a fill colour (#RRGGBB) is light enough for dark green text on it."""
    if not (colour.startswith("#") and len(colour) == 7):
        return True
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue > 150


def badge_lines(badge: Badge, style: LevelStyle, theme: Theme) -> list[str]:
    return wrap(badge.text, int(line_budget(style) * style.font_size / theme.small_size))


def text_lines(node: Node, style: LevelStyle, theme: Theme) -> tuple[list[str], bool]:
    """A box's wrapped text, and whether its status word needs a line of its own.

    The word goes on the last line when it fits there (bold runs about a tenth
    wider than regular text).
    """
    budget = line_budget(style)
    lines = wrap(node.text, budget)
    return lines, _tag_alone(node, theme, budget, text_width(lines[-1]), bool(lines[-1]))


def _tag_alone(node: Node, theme: Theme, budget: int, last_width: int, last_text: bool) -> bool:
    """Whether a box's status word needs a line of its own: it goes on the last line
    when it fits there (bold runs about a tenth wider than regular text)."""
    tag = theme.statuses[node.status].tag if node.status is not None else ""
    if not tag:
        return False
    room = budget - last_width - 2 * em_width(" ")
    return not (last_text and text_width(tag) * 11 // 10 <= room)


def written_first(diagram: Diagram, node_id: str) -> list[Link]:
    """A box's links: to the boxes written under it, then its refs, each in file order.

    Where a ``ref`` stands among its siblings changes nothing in the drawing, so
    the same diagram draws the same whether it came from YAML, JSON or CSV.
    """
    links = diagram.children(node_id)
    return [link for link in links if not link.ref] + [link for link in links if link.ref]


def column_order(diagram: Diagram) -> dict[Level, list[Node]]:
    """The boxes of each column, top to bottom.

    A box sits with its home parent: the one it is written under (its first link that
    is not a ``ref``; the first link when all are). Columns go in their home parents'
    order, siblings in the order written. A ``ref`` from another parent only draws a
    line: it never moves the box or its siblings, so adding one leaves the rest of the
    picture where it was. For a tree this is simply document order, so nothing crosses.
    """
    first_seen: dict[str, int] = {}
    stack = [diagram.aim.id]
    while stack:  # depth-first from the aim along home links, in the order written
        node_id = stack.pop()
        if node_id in first_seen:
            continue
        first_seen[node_id] = len(first_seen)
        stack.extend(
            link.child
            for link in reversed(written_first(diagram, node_id))
            if home(diagram, link.child) == link
        )
    # the order of that walk keeps each box's subtree together, so a column sorted by
    # it goes in its home parents' order, even where a parent is two columns back (a
    # change idea straight under a primary driver sits with that driver's other ideas)
    order: dict[Level, list[Node]] = {Level.AIM: [diagram.aim]}
    for level in diagram.levels[1:]:
        order[level] = sorted(diagram.at_level(level), key=lambda node: first_seen[node.id])
    return order


def home(diagram: Diagram, node_id: str) -> Link:
    """The link a box is drawn with: the one to the parent it is written under (its
    first link that is not a ``ref``, or its first link when all are)."""
    parents = diagram.parents(node_id)
    return next((link for link in parents if not link.ref), parents[0])


def aim_centre(primaries: list[Node]) -> str | None:
    """The primary driver the aim lines up with: the middle one, when there is one."""
    if len(primaries) % 2 == 1:
        return primaries[len(primaries) // 2].id
    return None


def tallest_column(
    diagram: Diagram, theme: Theme, key: str, notes: dict[str, Badge] | None = None
) -> Level:
    """The column whose foot is lowest, by estimate (the rightmost of equals): the
    footer goes under it, so it sits below the whole diagram."""
    notes = notes or {}
    heights: dict[Level, float] = {}
    for level in diagram.levels:
        style = theme.levels[level]
        heights[level] = sum(
            box_height(node, style, theme, notes.get(node.id)) for node in diagram.at_level(level)
        )
    if key:
        rows = key.count("<TR>")
        heights[Level.AIM] += rows * (theme.small_size * LINE + 12)
    return max(reversed(diagram.levels), key=lambda level: heights[level])
