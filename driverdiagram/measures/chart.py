"""Run charts with matplotlib: a measure's points, its median, target, signals and PDSA cycles.

matplotlib is imported only when a chart is drawn. The drawing is laid out in
inches for an A4 page's width (7.5 in) with no text under 8 pt, and the same
measure always gives the same SVG bytes: the SVG hash salt and the metadata
dates are fixed, and text stays text (searchable, and each part of the chart
is a group with a stable id: ``points``, ``median``, ``median-extended``,
``target``, ``shift-points``, ``trend-points``, ``astronomical``, ``pdsa``).

The work and the picture are bounded whatever the data: the first
:data:`MAX_NOTES` notes are numbered on the chart and listed in the caption (each
at most :data:`NOTE_LINES` lines; "... and 2,950 more notes" says what was left
out), PDSA cycles take at most :data:`MAX_CYCLE_ROWS` rows, so a chart is never
taller than about 14 inches, and an SVG is checked (:mod:`driverdiagram.svg`)
before it is returned.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..draw import svg
from ..limits import current
from ..model import Cycle, Diagram, Measure, Point
from ..text import visible
from . import FORMATS, icons
from .control import (
    MDC_RUN,
    PRECEDENCE,
    SHEWHART_SHIFT,
    SHEWHART_TREND,
    ControlAnalysis,
    PhaseLimits,
    Signal,
)
from .kinds import KINDS
from .runs import SHIFT_LENGTH, TREND_LENGTH, Analysis, RunPhase
from .words import (
    analysis_of,
    baseline_words,
    better,
    control_of,
    count,
    expected_runs,
    icon_words,
    number,
    phase_label,
    phase_lines,
    signal_summary,
    suggestion,
    verdict_of,
    with_unit,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH = 7.5  # inches: the text width of an A4 page with 10 mm margins is 7.5 in
DPI = 200
MID_MONTH = 15  # the day a monthly point is drawn on
CAPTION_WIDTH = 100  # characters of 8 pt text across the chart
TITLE_WIDTH = 62  # characters of the bold 11.5 pt title
#: The most notes numbered on a chart and listed in its caption, the most lines each
#: takes there, and the most rows of PDSA cycles above the chart.
MAX_NOTES = 20
NOTE_LINES = 2
MAX_CYCLE_ROWS = 6

INK = "#222222"
POINT = "#1f4e79"
CENTRE = "#555555"
TARGET = "#1b7837"
SHIFT = "#d95f02"
TREND = "#7570b3"
ASTRONOMICAL = "#b2182b"
CYCLE = "#8c8c8c"

#: How shift, trend and astronomical points are marked, on the chart and in its legend
#: (by shape as well as colour).
SHIFT_MARK: dict[str, Any] = {
    "linestyle": "none",
    "marker": "s",
    "markerfacecolor": "none",
    "markeredgecolor": SHIFT,
    "markeredgewidth": 1.6,
}
TREND_MARK: dict[str, Any] = {"linestyle": "none", "markersize": 6.5, "color": TREND}
ASTRONOMICAL_MARK: dict[str, Any] = {
    "linestyle": "none",
    "marker": "o",
    "markerfacecolor": "none",
    "markeredgecolor": ASTRONOMICAL,
    "markeredgewidth": 1.4,
}

_RC = {
    "svg.hashsalt": "driverdiagram",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "text.parse_math": False,  # a '$' in a note is a dollar, not mathematics
    "axes.edgecolor": "#888888",
    "axes.linewidth": 0.8,
    "xtick.color": INK,
    "ytick.color": INK,
    "pdf.compression": 6,
}


def chart(diagram: Diagram, measure: Measure, format: str = "svg") -> bytes:
    """The run chart of ``measure`` as ``svg``, ``png`` or ``pdf`` bytes."""
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    import matplotlib

    with matplotlib.rc_context(_RC), warnings.catch_warnings():  # type: ignore[arg-type]
        # a character the bundled font lacks is drawn as a box; the warning helps nobody
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure = _draw(diagram, measure)
        buffer = io.BytesIO()
        metadata: dict[str, Any] = {
            "svg": {"Date": None, "Creator": None},
            "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
            "png": {"Software": None},
        }[format]
        metadata["Title"] = measure.name
        if format == "pdf":
            _printable(figure)
        figure.savefig(buffer, format=format, dpi=DPI, metadata=metadata)
    data = buffer.getvalue()
    if format == "svg":
        svg.check(data, diagram.path)
    return data


def _printable(figure: Figure) -> None:
    """Text every backend can write: matplotlib's PDF writer fails on U+FEFF (the old
    zero-width no-break space), so it becomes U+2060, the word joiner that replaced it."""
    from matplotlib.text import Text

    for text in figure.findobj(Text):
        words = text.get_text()
        if "\ufeff" in words:
            text.set_text(words.replace("\ufeff", "\u2060"))


def _draw(diagram: Diagram, measure: Measure) -> Figure:
    from matplotlib.figure import Figure

    analysis = analysis_of(measure)
    control = control_of(measure)
    cycles = diagram.cycles_watching(measure.id)
    caption = _control_caption(measure, control) if control else _caption(measure, analysis)
    caption_lines = caption.count("\n") + 1
    xmin, xmax = _x_range(measure, cycles)
    placed = _place_cycles(diagram, cycles, xmin, xmax) if cycles else []
    if len(placed) < len(cycles):
        left_out = len(cycles) - len(placed)
        caption += (
            f"\n{left_out:,} more PDSA cycle{'s' if left_out > 1 else ''} not drawn"
            f" (at most {MAX_CYCLE_ROWS} rows of them)."
        )
        caption_lines += 1
    strip = 0.2 + 0.19 * (max(item.row for item in placed) + 1) if placed else 0.0
    shown_icons = _icons_of(control)
    title_width = TITLE_WIDTH - 12 * len(shown_icons)  # room for the icons at the right
    title = textwrap.wrap(measure.name, title_width) or [""]
    if len(title) > 3:
        title = [*title[:2], textwrap.shorten(" ".join(title[2:]), title_width, placeholder=" ...")]
    handles = _handles(measure, analysis, control)
    rows = -(-len(handles) // LEGEND_COLUMNS)
    # heights in inches, top to bottom
    top, plot, axis = 0.62 + 0.2 * (len(title) - 1), 2.9, 0.5
    legend = 0.3 + 0.2 * (rows - 1)
    bottom = 0.16 * caption_lines + 0.15
    height = top + strip + plot + axis + legend + bottom
    figure = Figure(figsize=(WIDTH, height))
    left, right = 0.75, 1.05  # the right margin holds the median and target labels
    width = (WIDTH - left - right) / WIDTH

    def box(y_inches: float, h_inches: float) -> tuple[float, float, float, float]:
        return (left / WIDTH, 1 - (y_inches + h_inches) / height, width, h_inches / height)

    figure.text(
        left / WIDTH,
        1 - 0.1 / height,
        "\n".join(title),
        fontsize=11.5,
        fontweight="bold",
        va="top",
        color=INK,
        linespacing=1.25,
        gid="title",
    )
    figure.text(
        left / WIDTH,
        1 - (top - 0.17) / height,
        _subtitle(measure, analysis),
        fontsize=9,
        va="center",
        color="#444444",
        gid="subtitle",
    )
    axes = figure.add_axes(box(top + strip, plot))
    if measure.points and control is not None:
        _plot_control(axes, measure, control, (xmin, xmax))
    elif measure.points:
        _plot(axes, measure, analysis, (xmin, xmax))
    else:
        axes.text(0.5, 0.5, "No data yet", ha="center", va="center", transform=axes.transAxes)
    if cycles:
        band = figure.add_axes(box(top, strip - 0.08), sharex=axes)
        _cycles(band, axes, placed)
    _legend(figure, handles, 1 - (top + strip + plot + axis) / height)
    for place, (name, side) in enumerate(shown_icons):
        # at the top right, the assurance icon rightmost
        after = len(shown_icons) - 1 - place  # icons to its right
        at = WIDTH - 0.12 - ICON * (after + 1) - 0.18 * after
        icons.draw(figure, name, side, (at, height - 0.06 - ICON, ICON))
        figure.text(
            (at + ICON / 2) / WIDTH,
            (height - 0.1 - ICON) / height,
            "Variation" if name in icons.VARIATIONS else "Assurance",
            ha="center",
            va="top",
            fontsize=8,
            color=INK,
        )
    figure.text(
        left / WIDTH,
        (bottom - 0.1) / height,
        caption,
        fontsize=8,
        va="top",
        color="#444444",
        linespacing=1.35,
        gid="caption",
    )
    return figure


def _x(day: dt.date) -> float:
    """A date as matplotlib's x coordinate (days since its epoch)."""
    import matplotlib.dates as mdates

    return float(mdates.date2num(day))


def _point_x(point: Point) -> float:
    """Where a point is drawn: a month at its middle (the 15th, where its tick is), so a
    PDSA cycle that started on 13 April is drawn before April's point, not after it;
    a dated period on its day."""
    day = point.date
    return _x(day.replace(day=MID_MONTH) if len(point.period) == 7 else day)


def _x_range(measure: Measure, cycles: list[Cycle]) -> tuple[float, float]:
    """The x axis: the data's periods and the cycles' dates, with a little room."""
    days = [_point_x(point) for point in measure.points]
    days += [_x(day) for c in cycles for day in (c.start, c.end) if day is not None]
    first, last = min(days), max(days)
    span = max(last - first, 1)
    return first - span * 0.02 - 3, last + span * 0.02 + 3


def _dates(measure: Measure) -> list[float]:
    return [_point_x(point) for point in measure.points]


def _plot(axes: Axes, measure: Measure, analysis: Analysis, xlim: tuple[float, float]) -> None:
    dates = _dates(measure)
    values = [float("nan") if value is None else value for value in measure.values]
    axes.plot(
        dates,
        values,
        color=POINT,
        linewidth=1.2,
        marker="o",
        markersize=4.2,
        zorder=3,
        gid="points",
    )
    present = [value for value in measure.values if value is not None]
    labels = []
    phases = analysis.phases or (RunPhase(0, len(dates) - 1, analysis.centre),)
    for at, phase in enumerate(phases):
        if phase.centre is None:
            continue
        suffix = f"-{at + 1}" if at else ""  # the first phase's line keeps its name
        end = phase.last + 1
        frozen = min(analysis.baseline_end + 1, end) if at == 0 else end
        axes.plot(
            dates[phase.first : frozen],
            [phase.centre] * (frozen - phase.first),
            color=CENTRE,
            linewidth=1.4,
            zorder=2,
            gid=f"median{suffix}",
        )
        if frozen < end:
            axes.plot(
                [dates[frozen - 1], dates[end - 1]],
                [phase.centre] * 2,
                color=CENTRE,
                linewidth=1.4,
                linestyle=(0, (5, 3)),
                zorder=2,
                gid="median-extended",
            )
    if analysis.centre is not None:
        labels.append((analysis.centre, _labelled("Median", analysis.centre, measure.unit), CENTRE))
    if measure.target is not None:
        axes.axhline(
            measure.target, color=TARGET, linewidth=1.3, linestyle=(0, (1.5, 2)), gid="target"
        )
        labels.append((measure.target, _labelled("Target", measure.target, measure.unit), TARGET))
    if analysis.shift_points:
        axes.plot(
            [dates[i] for i in analysis.shift_points],
            [values[i] for i in analysis.shift_points],
            **SHIFT_MARK,
            markersize=9.5,
            zorder=4,
            gid="shift-points",
        )
    for sense, marker in ((1, "^"), (-1, "v")):
        indices = sorted(
            {i for trend in analysis.trends if trend.sense == sense for i in trend.points}
        )
        if indices:
            axes.plot(
                [dates[i] for i in indices],
                [values[i] for i in indices],
                **TREND_MARK,
                marker=marker,
                zorder=5,
                gid="trend-points" if sense > 0 else "trend-points-down",
            )
    _notes(axes, measure, dates, list(measure.values))
    # the y axis: from the data, the median and the target
    span = present + [v for v in (analysis.centre, measure.target) if v is not None]
    _fit(axes, span, len(phases) > 1, xlim)
    _phase_marks(axes, measure, [(phase.first, phase.last) for phase in phases], dates)
    _margin_labels(axes, labels)
    _axes_style(axes, measure, dates)


#: The characters of 8.5 pt text that fit in the right margin beside the chart.
LABEL_WIDTH = 14


def _labelled(name: str, value: float, unit: str) -> str:
    """A line's label with the unit: 'Median 68%', 'Target 4' over 'per 1,000 bed days'
    when that is too wide for the margin."""
    text = f"{name} {with_unit(value, unit)}"
    if len(text) <= LABEL_WIDTH:
        return text
    return "\n".join([f"{name} {number(value)}", *textwrap.wrap(visible(unit), LABEL_WIDTH)])


def _edge_label(axes: Axes, y: float, text: str, colour: str, offset: float = 0.0) -> None:
    """A label in the right margin, level with a horizontal line."""
    axes.annotate(
        text,
        xy=(1, y),
        xycoords=("axes fraction", "data"),
        xytext=(6, offset),
        textcoords="offset points",
        va="center",
        fontsize=8.5,
        color=colour,
        annotation_clip=False,
    )


def _notes(axes: Axes, measure: Measure, dates: list[float], values: list[float | None]) -> None:
    """Number the points that have a note (listed in the caption); ring astronomical ones.
    ``values`` are where the points are drawn (a P chart's proportions, say)."""
    marked = 0
    for index, point in enumerate(measure.points):
        if not point.note:
            continue
        marked += 1
        value = values[index]
        y = value if value is not None else axes.get_ylim()[0]
        if point.astronomical and value is not None:
            axes.plot(
                [dates[index]],
                [value],
                **ASTRONOMICAL_MARK,
                markersize=14,
                zorder=4,
                gid="astronomical",
            )
        if marked > MAX_NOTES:
            continue  # ringed if astronomical, but only the notes listed are numbered
        axes.annotate(
            str(marked),
            xy=(dates[index], y),
            xytext=(0, (13 if point.astronomical else 8) if value is not None else 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            fontweight="bold",
            color=ASTRONOMICAL if point.astronomical else INK,
            gid=f"note-{marked}",
        )


@dataclass(frozen=True)
class _Placed:
    """Where a PDSA cycle goes in the band above the chart."""

    cycle: Cycle
    row: int
    start: float  # the bar, in matplotlib date units
    end: float
    label: str
    label_x: float
    align: str  # "left", or "right" for a label that would run off the right edge


def _place_cycles(diagram: Diagram, cycles: list[Cycle], xmin: float, xmax: float) -> list[_Placed]:
    """Bars and labels for the cycles, each on the first row where it overlaps nothing;
    a cycle with no room in :data:`MAX_CYCLE_ROWS` rows is left out."""
    per_char = _per_char(xmin, xmax)
    ends: list[float] = []  # where each row is free again
    placed = []
    for cycle in cycles:
        running = cycle.end is None and cycle.act is None
        start = max(_x(cycle.start), xmin)
        end = xmax if running else max(_x(cycle.end or cycle.start), start)
        label = _short_name(diagram, cycle) + (
            " (running)" if running else f" ({cycle.act.value})" if cycle.act else ""
        )
        room = int((xmax - xmin) / per_char) - 2
        if len(label) > room:
            label = label[: max(room - 3, 1)].rstrip() + "..."
        width = per_char * (len(label) + 1)
        if start + width <= xmax:
            label_x, align, left, right = start, "left", start, max(end, start + width)
        else:
            label_x, align = xmax, "right"
            left, right = min(start, xmax - width), xmax
        for row, free in enumerate(ends):
            if free <= left:
                ends[row] = right
                break
        else:
            if len(ends) == MAX_CYCLE_ROWS:
                continue  # no room left: the caption counts the cycles not drawn
            ends.append(right)
            row = len(ends) - 1
        placed.append(_Placed(cycle, row, start, end, label, label_x, align))
    return placed


def _short_name(diagram: Diagram, cycle: Cycle) -> str:
    """The cycle's name, else its change idea's id and number; a change idea without
    an id is called by its first words."""
    if cycle.name:
        return cycle.name
    node = diagram.node(cycle.change)
    if node.generated_id:
        words = visible(node.text).split()
        return " ".join(words[:3]) + ("..." if len(words) > 3 else "") + f" #{cycle.number}"
    return cycle.label


def _cycles(band: Axes, axes: Axes, placed: list[_Placed]) -> None:
    """PDSA cycles: a bar from start to end with the short name, above the chart,
    and a faint line at each start through the chart. A running cycle's bar runs
    to the edge, lighter."""
    count = max(item.row for item in placed) + 1
    for item in placed:
        y = count - item.row - 0.5
        running = item.cycle.end is None and item.cycle.act is None
        band.plot(
            [item.start, item.end],
            [y, y],
            color=CYCLE,
            alpha=0.5 if running else 1.0,
            linewidth=4,
            solid_capstyle="butt",
            gid=f"pdsa-{item.cycle.change}-{item.cycle.number}",
        )
        band.text(
            item.label_x,
            y + 0.22,
            item.label,
            fontsize=8,
            va="bottom",
            ha=item.align,
            color=INK,
        )
        axes.axvline(item.start, color=CYCLE, linewidth=0.7, linestyle=(0, (2, 2)), zorder=1)
    band.set_ylim(0, count + 0.3)
    band.set_yticks([])
    band.tick_params(axis="x", which="both", bottom=False, labelbottom=False)
    for side in ("top", "right", "left", "bottom"):
        band.spines[side].set_visible(False)
    band.set_gid("pdsa")
    band.text(
        -0.01,
        0.5,
        "PDSA",
        transform=band.transAxes,
        ha="right",
        va="center",
        fontsize=8,
        fontweight="bold",
        color=INK,
    )


def _handles(measure: Measure, analysis: Analysis, control: ControlAnalysis | None) -> list[Any]:
    """The legend's entries: what is marked on the chart, each by shape as well as colour."""
    from matplotlib.lines import Line2D

    if control is not None:
        return _control_handles(measure, control)
    handles = [
        Line2D([], [], color=POINT, marker="o", markersize=4.2, linewidth=1.2, label="Value")
    ]
    if analysis.shift_points:
        handles.append(
            Line2D(
                [],
                [],
                **SHIFT_MARK,
                markersize=8,
                label=f"Shift ({SHIFT_LENGTH}+ on one side)"
                if analysis.rules == "ihi"
                else f"Shift (run over {analysis.longest_run_max})",
            )
        )
    for sense, marker, word in ((1, "^", "up"), (-1, "v", "down")):
        if any(trend.sense == sense for trend in analysis.trends):
            handles.append(
                Line2D(
                    [],
                    [],
                    **TREND_MARK,
                    marker=marker,
                    label=f"Trend {word} ({TREND_LENGTH}+)",
                )
            )
    if any(point.astronomical for point in measure.points):
        handles.append(_astronomical_handle())
    return handles


def _astronomical_handle() -> Any:
    from matplotlib.lines import Line2D

    return Line2D([], [], **ASTRONOMICAL_MARK, markersize=10, label="Astronomical")


#: The most entries on a row of the legend.
LEGEND_COLUMNS = 5


def _legend(figure: Figure, handles: list[Any], y: float) -> None:
    figure.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.75 / WIDTH, y),
        ncols=min(len(handles), LEGEND_COLUMNS),
        frameon=False,
        fontsize=8,
        handlelength=1.8,
        columnspacing=1.4,
    )


def _subtitle(measure: Measure, analysis: Analysis) -> str:
    parts = [f"{measure.type.value.capitalize()} measure"]
    if measure.direction:
        parts.append(better(measure))
    parts.append(verdict_of(measure, analysis).capitalize())
    return " · ".join(parts)


def _caption(measure: Measure, analysis: Analysis) -> str:
    """What the chart shows in words: the centre, the rules, runs and the notes."""
    sentences = []
    if len(analysis.phases) > 1:
        medians = [
            f"phase {at + 1}{f' ({label})' if (label := phase_label(measure, at)) else ''}"
            f" {with_unit(phase.centre, measure.unit)}"
            for at, phase in enumerate(analysis.phases)
        ]
        sentences.append(
            f"Centre line: the median of each phase, {', '.join(medians)}; the rules read"
            " each phase on its own."
        )
    elif analysis.centre is not None:
        frozen = baseline_words(measure, analysis)
        extended = ", extended (dashed)" if frozen else ""
        centre = with_unit(analysis.centre, measure.unit)
        sentences.append(f"Centre line: median{frozen}{extended}, {centre}.")
    if analysis.rules == "ihi":
        sentences.append(
            f"IHI run chart rules: a shift is {SHIFT_LENGTH} or more points on one side of"
            f" the median, a trend {TREND_LENGTH} or more points going one way, and the"
            " number of runs is checked against the runs test (Swed and Eisenhart, 5%)."
        )
    else:
        sentences.append(
            "Anhøj rules (as qicharts2): a signal is a run longer than"
            f" {count(analysis.longest_run_max, 'point')} or fewer than"
            f" {count(analysis.crossings_min, 'crossing')} of the median."
        )
    if analysis.n_useful:
        expected = expected_runs(analysis)
        judged = (
            "too few runs"
            if analysis.too_few_runs
            else "too many runs"
            if analysis.too_many_runs
            else "within the limits"
        )
        sentences.append(
            f"{count(analysis.n_useful, 'useful point')}, {count(analysis.runs, 'run')}"
            f" (expected {expected}): {judged}; {count(analysis.crossings, 'crossing')}."
        )
    if proposed := suggestion(measure, analysis):
        sentences.append(f"Suggestion: {proposed}.")
    if analysis.too_few_points:
        sentences.append(_too_few(analysis.signal))
    lines = textwrap.wrap(" ".join(sentences), CAPTION_WIDTH)
    return "\n".join(lines + _caption_notes(measure))


def _caption_notes(measure: Measure) -> list[str]:
    """The caption's list of the notes numbered on the chart."""
    lines = []
    notes = [point for point in measure.points if point.note]
    for marked, point in enumerate(notes[:MAX_NOTES], start=1):
        lines.extend(_note_lines(f"{marked}. {point.period}: ", point.note))
    if len(notes) > MAX_NOTES:
        more = len(notes) - MAX_NOTES
        lines.append(f"... and {more:,} more note{'s' if more > 1 else ''}.")
    return lines


def _note_lines(prefix: str, note: str) -> list[str]:
    """A note in the caption: at most :data:`NOTE_LINES` lines, cut short with '...'.
    Only as much of it is wrapped as could be shown (never more than the text
    limit, ``--max-text``), so a huge note costs no more than a short one."""
    shown = min(current().text, (NOTE_LINES + 1) * CAPTION_WIDTH)
    lines = textwrap.wrap(prefix + note[:shown], CAPTION_WIDTH)
    cut = len(note) > shown or len(lines) > NOTE_LINES
    lines = lines[:NOTE_LINES]
    if cut:
        lines[-1] = lines[-1][: CAPTION_WIDTH - 4].rstrip() + " ..."
    return lines


# -- control charts ---------------------------------------------------------------------

#: How a point flagged by a rule is marked, by its kind: a shape as well as a colour
#: (the Making Data Count colours), so a chart printed in greyscale still tells them apart.
KIND_MARKS: dict[str, dict[str, Any]] = {
    "improvement": {"marker": "D", "color": icons.IMPROVEMENT, "markersize": 6.5},
    "concern": {"marker": "s", "color": icons.CONCERN, "markersize": 6.5},
    "neutral": {"marker": "^", "color": icons.NEUTRAL, "markersize": 7.5},
}
KIND_WORDS = {
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral": "Special cause: neither",
}
COMMON = icons.GREY
LIMIT = "#8a8a8a"
LIMIT_STYLE: dict[str, Any] = {"color": LIMIT, "linewidth": 1.1, "linestyle": (0, (5, 2.5))}
SIGMA2_STYLE: dict[str, Any] = {"color": LIMIT, "linewidth": 0.8, "linestyle": (0, (1, 2))}
#: The size of a Making Data Count icon, in inches.
ICON = 0.42


def _icons_of(control: ControlAnalysis | None) -> list[tuple[str, str | None]]:
    """The icons a chart shows, variation then assurance: only under ``rules: mdc``."""
    if control is None or control.rules != "mdc" or control.variation is None:
        return []
    shown: list[tuple[str, str | None]] = [(control.variation, control.variation_side)]
    if control.assurance:
        shown.append((control.assurance, None))
    return shown


def flagged(control: ControlAnalysis) -> dict[int, Signal]:
    """The signal each flagged point is marked by: its first rule by precedence (under
    ``mdc`` a point has only one). A 'runs' signal (too few crossings) is of the whole
    phase and marks no point."""
    marks: dict[int, Signal] = {}
    for signal in control.signals:
        if signal.rule == "runs":
            continue
        rank = PRECEDENCE.index(signal.rule)
        for index in signal.points:
            if index not in marks or rank < PRECEDENCE.index(marks[index].rule):
                marks[index] = signal
    return marks


def _plot_control(
    axes: Axes, measure: Measure, control: ControlAnalysis, xlim: tuple[float, float]
) -> None:
    """A control chart: the points, each phase's centre line and limits (stepped where
    they vary by point; the 2-sigma lines under ``mdc``), the flagged points by kind,
    excluded points hollow, a line and a label where each phase starts."""
    nan = float("nan")
    dates = _dates(measure)
    points = control.points
    values = [nan if p.value is None else p.value for p in points]
    axes.plot(dates, values, color=COMMON, linewidth=1.1, zorder=3, gid="line")
    marks = flagged(control)

    def dots(indices: list[int], gid: str, hollow: bool, **style: Any) -> None:
        if not indices:
            return
        colour = style.pop("color", COMMON)
        axes.plot(
            [dates[i] for i in indices],
            [values[i] for i in indices],
            linestyle="none",
            markeredgecolor=colour,
            markerfacecolor="white" if hollow else colour,
            markeredgewidth=1.3,
            zorder=5 if gid != "points" else 4,
            gid=gid,
            **style,
        )

    drawn = [p.index for p in points if p.value is not None]
    plain = [i for i in drawn if i not in marks]
    dots([i for i in plain if not points[i].excluded], "points", False, marker="o", markersize=4.2)
    dots(
        [i for i in plain if points[i].excluded], "excluded-points", True, marker="o", markersize=5
    )
    for kind, style in KIND_MARKS.items():
        mine = [i for i in drawn if i in marks and marks[i].kind == kind]
        dots([i for i in mine if not points[i].excluded], f"{kind}-points", False, **style)
        dots([i for i in mine if points[i].excluded], f"{kind}-points-excluded", True, **style)

    for phase in control.phases:
        span = range(phase.first, phase.last + 1)
        xs = [dates[i] for i in span]

        frozen = measure.baseline if phase.number == 0 and measure.baseline else None
        if phase.centre is not None:
            cut = min(frozen or len(xs), len(xs))
            axes.plot(
                xs[:cut],
                [phase.centre] * cut,
                color=CENTRE,
                linewidth=1.4,
                zorder=2,
                gid=f"centre-{phase.number + 1}",
            )
            if cut < len(xs):
                axes.plot(
                    [xs[cut - 1], xs[-1]],
                    [phase.centre] * 2,
                    color=CENTRE,
                    linewidth=1.4,
                    linestyle=(0, (5, 3)),
                    zorder=2,
                    gid=f"centre-extended-{phase.number + 1}",
                )
        for name, gid in (("upper", "upper"), ("lower", "lower")):
            _limit(axes, xs, [getattr(points[i], name) for i in span], gid, phase, LIMIT_STYLE)
        if control.rules == "mdc":
            for name, gid in (("upper2", "upper-2sigma"), ("lower2", "lower-2sigma")):
                _limit(axes, xs, [getattr(points[i], name) for i in span], gid, phase, SIGMA2_STYLE)

    _notes(axes, measure, dates, [p.value for p in points])
    # the y axis: the data, the lines and the target
    span_values = [v for v in values if v == v]
    for p in points:
        span_values += [v for v in (p.centre, p.lower, p.upper) if v is not None]
    if measure.target is not None:
        span_values.append(measure.target)
    _fit(axes, span_values, len(control.phases) > 1, xlim)
    _phase_marks(axes, measure, [(phase.first, phase.last) for phase in control.phases], dates)
    if measure.target is not None:
        axes.axhline(
            measure.target, color=TARGET, linewidth=1.3, linestyle=(0, (1.5, 2)), gid="target"
        )
    _margin_labels(axes, _control_labels(measure, control))
    _axes_style(axes, measure, dates)


def _limit(
    axes: Axes,
    xs: list[float],
    ys: list[float | None],
    gid: str,
    phase: PhaseLimits,
    style: dict[str, Any],
) -> None:
    """One limit of a phase, stepped half-way between points where it changes (a P or U
    chart's limits vary with each point's denominator); a gap where it is unknown."""
    if all(y is None for y in ys):
        return
    heights = [float("nan") if y is None else y for y in ys]
    axes.plot(
        xs, heights, drawstyle="steps-mid", zorder=2, gid=f"{gid}-{phase.number + 1}", **style
    )


def _phase_marks(
    axes: Axes, measure: Measure, spans: list[tuple[int, int]], dates: list[float]
) -> None:
    """A line between the last point of a phase and the first of the next, and the
    phase's label at the top of the chart (cut to the room its phase has); ``spans`` are
    the phases' first and last points."""
    left, right = axes.get_xlim()
    per_char = _per_char(left, right)
    for at, (first, last) in enumerate(spans):
        if at == 0:
            continue
        x = (dates[first - 1] + dates[first]) / 2
        axes.axvline(x, color=INK, linewidth=0.9, zorder=1, gid=f"phase-{at + 1}")
        end = (dates[last] + dates[last + 1]) / 2 if last + 1 < len(dates) else right
        room = max(int((end - x) / per_char) - 1, 4)
        label = phase_label(measure, at) or f"Phase {at + 1}"
        if len(label) > room:
            label = label[: room - 3].rstrip() + "..."
        axes.text(
            x,
            0.985,
            " " + label,
            transform=axes.get_xaxis_transform(),
            ha="left",
            va="top",
            fontsize=8,
            color=INK,
            gid=f"phase-label-{at + 1}",
        )


def _control_labels(measure: Measure, control: ControlAnalysis) -> list[tuple[float, str, str]]:
    """The right-margin labels: the last phase's upper limit, mean and lower limit (at
    the last point that has them), and the target."""
    labels = []
    latest = next((p for p in reversed(control.points) if p.centre is not None), None)
    if latest is not None and latest.centre is not None:
        labels.append((latest.centre, _labelled("Mean", latest.centre, measure.unit), CENTRE))
        if latest.upper is not None:
            labels.append((latest.upper, f"UCL {number(latest.upper)}", INK))
        if latest.lower is not None:
            labels.append((latest.lower, f"LCL {number(latest.lower)}", INK))
    if measure.target is not None:
        labels.append((measure.target, _labelled("Target", measure.target, measure.unit), TARGET))
    return labels


#: The height of a line of 8.5 pt label text, in points.
LABEL_LINE = 10.5


def _margin_labels(axes: Axes, labels: list[tuple[float, str, str]]) -> None:
    """Labels in the right margin, each level with its line or moved down just enough
    not to sit on the one above it (top to bottom, a label's lines all counted)."""
    from matplotlib.figure import Figure

    low, high = axes.get_ylim()
    figure = axes.get_figure()
    assert isinstance(figure, Figure)
    per = axes.get_position().height * figure.get_figheight() * 72 / ((high - low) or 1)
    above: tuple[float, int] | None = None  # the last label placed: where, how many lines
    for y, text, colour in sorted(labels, key=lambda label: -label[0]):
        lines = text.count("\n") + 1
        at = y * per
        if above is not None:
            at = min(at, above[0] - LABEL_LINE * (above[1] + lines) / 2)
        _edge_label(axes, y, text, colour, at - y * per)
        above = (at, lines)


def _fit(axes: Axes, values: list[float], phased: bool, xlim: tuple[float, float]) -> None:
    """The axes' limits: the time axis given, the y axis from ``values`` with a little
    room (more at the top when phases are labelled there)."""
    if values:
        low, high = min(values), max(values)
        pad = (high - low) * 0.12 or abs(high) * 0.1 or 1
        axes.set_ylim(low - pad, high + pad * (2.6 if phased else 1.6))
    axes.set_xlim(*xlim)


def _per_char(xmin: float, xmax: float) -> float:
    """Date units per character of 8 pt text across the plot's width."""
    return 8 * 0.6 / 72 * (xmax - xmin) / (WIDTH - 0.75 - 1.05)


def _axes_style(axes: Axes, measure: Measure, dates: list[float]) -> None:
    """The unit, the time axis (a monthly tick under each month's point) and the grid."""
    import matplotlib.dates as mdates

    if measure.unit:
        axes.set_ylabel(measure.unit, fontsize=9, color=INK)
    monthly = all(len(point.period) == 7 for point in measure.points)
    if monthly:
        step = max(1, -(-len(dates) // 12))
        axes.xaxis.set_major_locator(
            mdates.MonthLocator(bymonthday=MID_MONTH, interval=step)  # under each point
        )
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    else:
        locator = mdates.AutoDateLocator(maxticks=10)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes.tick_params(labelsize=8.5)
    axes.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _control_handles(measure: Measure, control: ControlAnalysis) -> list[Any]:
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color=COMMON, marker="o", markersize=4.2, linewidth=1.1, label="Value")
    ]
    if any(p.excluded for p in control.points):
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=5,
                markerfacecolor="white",
                markeredgecolor=COMMON,
                markeredgewidth=1.3,
                label="Excluded",
            )
        )
    kinds = {signal.kind for signal in flagged(control).values()}
    for kind, style in KIND_MARKS.items():
        if kind in kinds:
            handles.append(Line2D([], [], linestyle="none", **style, label=KIND_WORDS[kind]))
    trial = ", trial" if control.trial else ""
    if any(p.upper is not None for p in control.points):
        handles.append(Line2D([], [], **LIMIT_STYLE, label=f"Limits (3σ{trial})"))
        if control.rules == "mdc":
            handles.append(Line2D([], [], **SIGMA2_STYLE, label="2σ"))
    if any(point.astronomical for point in measure.points):
        handles.append(_astronomical_handle())
    return handles


def _control_caption(measure: Measure, control: ControlAnalysis) -> str:
    """What a control chart shows in words: its kind and rules, each phase's centre and
    limits, the signals, the icons, and the notes."""
    kind = KINDS[control.chart]
    sentences = [f"{kind.title}, limits at 3 sigma. {CONTROL_RULE_WORDS[control.rules]}"]
    sentences += [_sentence(line) for line in phase_lines(measure, control)]
    sentences += [_sentence(line) for line in signal_summary(measure, control)]
    if control.variation and control.rules == "mdc":
        sentences.append(_sentence(icon_words(control)))
    if control.too_few_points:
        sentences.append(_too_few(control.signal))
    lines = textwrap.wrap(" ".join(sentences), CAPTION_WIDTH)
    return "\n".join(lines + _caption_notes(measure))


def _too_few(signal: bool) -> str:
    """The caption's word on a chart of fewer than 10 data points, run or control."""
    return "Fewer than 10 data points: too few to judge" + (
        "; the signals marked are early signals." if signal else "."
    )


def _sentence(line: str) -> str:
    line = line.strip()
    return line[:1].upper() + line[1:] + ("" if line.endswith(".") else ".")


#: Each control chart rule set in a sentence, for the caption.
CONTROL_RULE_WORDS = {
    "shewhart": (
        "Shewhart rules (The Health Care Data Guide): a point outside the limits;"
        f" {SHEWHART_SHIFT} or more in a row on one side of the centre; {SHEWHART_TREND} in a"
        " row going up or down; 2 of 3 beyond 2 sigma on the same side; 15 or more in a row"
        " within 1 sigma (hugging)."
    ),
    "mdc": (
        f"Making Data Count rules: a point outside the limits; {MDC_RUN} in a row rising or"
        f" falling; 2 of 3 beyond 2 sigma on the same side; {MDC_RUN} in a row on one side of"
        " the mean; each point marked by its first rule in that order."
    ),
    "anhoej": (
        "Anhøj rules (as qicharts2) on the centre line: a run longer than expected or too"
        " few crossings of it; and points outside the limits."
    ),
}
