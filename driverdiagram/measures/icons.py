"""The Making Data Count icons, drawn with matplotlib's own shapes (nothing is taken from
NHS England's icon files): a **variation** icon (common cause, or special cause
improvement / concern / neutral, high or low) and an **assurance** icon (consistently
pass, consistently fail, hit or miss).

Each icon says what it means without colour: a letter (H or L for a special cause's
side, P, F or ? for assurance) and the shape of the little series inside the ring
(flat for common cause, ending high or low for a special cause), so a chart printed in
greyscale keeps its meaning; the colours follow the Making Data Count convention (grey
common cause, blue improvement, orange concern, purple neutral).

:func:`draw` puts an icon on a matplotlib figure; :func:`svg` gives one on its own, as
the same bytes every time, for pages that show it beside a measure.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

GREY = "#6b6b6b"
IMPROVEMENT = "#1f6fb4"
CONCERN = "#d95f02"
NEUTRAL = "#7b3294"

#: What each icon is called in words, as the Making Data Count guidance names them.
WORDS = {
    "common-cause": "common cause variation",
    "special-cause-improvement": "special cause improvement",
    "special-cause-concern": "special cause concern",
    "special-cause-neutral": "special cause (neither better nor worse)",
    "consistently-pass": "will consistently pass the target",
    "consistently-fail": "will consistently fail the target",
    "hit-or-miss": "hit or miss: may or may not meet the target",
}

_VARIATION_COLOURS = {
    "common-cause": GREY,
    "special-cause-improvement": IMPROVEMENT,
    "special-cause-concern": CONCERN,
    "special-cause-neutral": NEUTRAL,
}
_ASSURANCE = {
    "consistently-pass": (IMPROVEMENT, "P"),
    "consistently-fail": (CONCERN, "F"),
    "hit-or-miss": (GREY, "?"),
}
#: The variation icons' names (the others are assurance icons).
VARIATIONS = frozenset(_VARIATION_COLOURS)
#: The little series inside a variation icon: flat for common cause; the last points
#: high (or low) for a special cause.
_FLAT = (0.0, 0.12, -0.1, 0.08, -0.12, 0.06, 0.0)
_HIGH = (-0.12, 0.0, -0.08, 0.04, 0.3, 0.42, 0.5)


def names() -> tuple[str, ...]:
    """Every icon's name: the variation icons, then the assurance icons."""
    return (*_VARIATION_COLOURS, *_ASSURANCE)


def colour(name: str) -> str:
    """The colour of an icon (and of the points of its kind on a chart)."""
    if name in _VARIATION_COLOURS:
        return _VARIATION_COLOURS[name]
    return _ASSURANCE[name][0]


def draw(figure: Figure, name: str, side: str | None, box: tuple[float, float, float]) -> Axes:
    """Draw the icon ``name`` (a variation with ``side`` 'high' or 'low', or an
    assurance) in a square axes at ``box`` = (left, bottom, size), in figure inches."""
    from matplotlib.patches import Circle

    left, bottom, size = box
    width, height = figure.get_size_inches()
    axes = figure.add_axes((left / width, bottom / height, size / width, size / height))
    axes.set_xlim(-1, 1)
    axes.set_ylim(-1, 1)
    axes.set_aspect("equal")
    axes.axis("off")
    axes.set_gid(f"icon-{name}")
    ink = colour(name)
    axes.add_patch(Circle((0, 0), 0.9, facecolor="white", edgecolor=ink, linewidth=2.2))
    if name in _VARIATION_COLOURS:
        _variation(axes, name, side, ink)
    else:
        letter = _ASSURANCE[name][1]
        axes.plot([-0.55, 0.55], [-0.42, -0.42], color=ink, linewidth=1.2, linestyle=(0, (2, 1.5)))
        axes.text(
            0, 0.1, letter, ha="center", va="center", fontsize=13, fontweight="bold", color=ink
        )
    return axes


def _variation(axes: Axes, name: str, side: str | None, ink: str) -> None:
    xs = [-0.6 + 0.2 * i for i in range(7)]
    if name == "common-cause":
        ys = [y - 0.05 for y in _FLAT]
        axes.plot(xs, ys, color=ink, linewidth=1.0, marker="o", markersize=2.4)
        return
    sense = -1 if side == "low" else 1
    ys = [sense * y - (0.12 if sense > 0 else -0.12) for y in _HIGH]
    axes.plot(xs[:4], ys[:4], color=GREY, linewidth=1.0, marker="o", markersize=2.4)
    axes.plot(xs[3:], ys[3:], color=ink, linewidth=1.2, marker="o", markersize=2.8)
    if side in ("high", "low"):
        axes.text(
            0,
            -0.48 if sense > 0 else 0.44,
            "H" if sense > 0 else "L",
            ha="center",
            va="center",
            fontsize=8,
            fontweight="bold",
            color=ink,
        )


def svg(name: str, side: str | None = None, size: float = 0.5) -> bytes:
    """The icon on its own, ``size`` inches square, as SVG with a title for screen readers
    (the same bytes every time)."""
    import matplotlib
    from matplotlib.figure import Figure

    if name not in names():
        raise ValueError(f"no icon {name!r}; the icons are {', '.join(names())}")
    title = WORDS[name] + (f" ({side})" if side else "")
    with matplotlib.rc_context(
        {"svg.hashsalt": "driverdiagram", "svg.fonttype": "none", "font.family": "DejaVu Sans"}
    ):
        figure = Figure(figsize=(size, size))
        draw(figure, name, side, (0, 0, size))
        buffer = io.BytesIO()
        figure.savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None, "Title": title},
        )
    return buffer.getvalue()
