"""driverdiagram: write, check and draw driver diagrams for quality improvement.

import driverdiagram as dd
diagram = dd.load("falls.yaml")        # or dd.loads(text); raises dd.DiagramError
dot_source = dd.to_dot(diagram)        # str, pure, no Graphviz binary needed
svg = dd.render(diagram, "svg")        # bytes
dd.render(diagram, "pdf", path="falls.pdf")
result = dd.analyse([12, 14, None, 11, 9], rules="ihi")   # run chart rules
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .errors import DiagramError, GraphvizNotFound, InvalidDiagram, Location, Problem, RenderError
from .limits import Limits, limits
from .model import (
    Act,
    Cycle,
    Diagram,
    Level,
    Link,
    Measure,
    MeasureType,
    Node,
    Point,
    Status,
    Strength,
)

__version__ = "0.1.0"

from .measures.runs import Analysis

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Act",
    "Analysis",
    "Cycle",
    "Diagram",
    "DiagramError",
    "GraphvizNotFound",
    "InvalidDiagram",
    "Level",
    "Limits",
    "Link",
    "Location",
    "Measure",
    "MeasureType",
    "Node",
    "Point",
    "Problem",
    "RenderError",
    "Status",
    "Strength",
    "__version__",
    "analyse",
    "chart",
    "export",
    "limits",
    "load",
    "loads",
    "outline",
    "render",
    "to_dot",
    "to_graph",
    "to_yaml",
]


def loads(text: str, name: str = "<string>", base: str | os.PathLike[str] | None = None) -> Diagram:
    """Read and check a diagram from YAML text; ``name`` is used in error messages.

    Nothing is read from disk unless ``base`` names the folder the measures' data
    files are in. Raises :class:`DiagramError` listing every problem in the text.
    """
    from .readers.diagram import loads as _loads

    return _loads(text, name, None if base is None else os.fspath(base))


def load(path: str | os.PathLike[str]) -> Diagram:
    """Read and check a diagram file (``-``: standard input), with its data files.
    Raises :class:`DiagramError`."""
    from .readers.diagram import load as _load

    return _load(path)


def to_dot(diagram: Diagram, *, arrows: str = "none", theme: str = "default") -> str:
    """The Graphviz DOT source of the drawing (pure: runs no program).

    ``arrows``: ``none`` (default), ``to-aim`` or ``from-aim``. ``theme``: a
    built-in theme (default, print, colourblind, high-contrast) or a theme file.
    """
    from .draw.dot import to_dot as _to_dot
    from .readers.theme import theme as _theme

    return _to_dot(diagram, arrows=arrows, theme=_theme(theme))


def render(
    diagram: Diagram,
    format: str = "svg",
    *,
    path: str | os.PathLike[str] | None = None,
    arrows: str = "none",
    dpi: int | None = None,
    theme: str = "default",
    page: str | None = None,
    portrait: bool = False,
) -> bytes:
    """Draw the diagram as ``svg``, ``pdf``, ``png`` or ``dot`` bytes through Graphviz.

    With ``path`` the bytes are also written there, atomically. ``theme`` is a
    built-in theme name or a theme file; ``page`` (a4, a3, letter, tabloid) fits
    the drawing to that paper, landscape unless ``portrait``. Raises
    :class:`DiagramError` (:class:`GraphvizNotFound` when ``dot`` is missing).
    """
    from .draw.render import render as _render
    from .readers.theme import theme as _theme

    return _render(
        diagram,
        format,
        path=path,
        arrows=arrows,
        dpi=dpi,
        theme=_theme(theme),
        page=page,
        portrait=portrait,
    )


def outline(diagram: Diagram, *, ids: bool = False) -> str:
    """The diagram as an indented plain-text outline (its text alternative);
    ``ids`` puts each box's id in front of it."""
    from .outlines import outline as _outline

    return _outline(diagram, ids=ids)


def export(diagram: Diagram, to: str) -> str:
    """The diagram as ``markdown``, ``mermaid`` or ``json`` text."""
    from .exports import export as _export

    return _export(diagram, to)


def to_yaml(diagram: Diagram) -> str:
    """The diagram as tidy YAML that :func:`loads` reads back as the same diagram."""
    from .exports.yaml import to_yaml as _to_yaml

    return _to_yaml(diagram)


def to_graph(diagram: Diagram) -> nx.DiGraph:
    """The diagram as a networkx DiGraph, edges from parent to child."""
    return diagram.graph


def analyse(
    values: list[float | int | None] | tuple[float | int | None, ...],
    rules: str = "ihi",
    centre: float | None = None,
    baseline: int | None = None,
) -> Analysis:
    """Apply the run chart rules to a series (numbers in time order, None when missing).

    ``rules``: ``ihi`` (shift, trend, runs test) or ``anhoej`` (longest run,
    crossings, as qicharts2). ``centre`` overrides the median; ``baseline`` takes
    the median of the first that many points. The result has ``n_useful``,
    ``centre``, ``longest_run``, ``longest_run_max``, ``crossings``,
    ``crossings_min``, ``runs``, ``runs_limits``, ``shift_points``,
    ``trend_points``, ``signal`` and ``too_few_points``.
    """
    from .measures.runs import analyse as _analyse

    return _analyse(values, rules, centre=centre, baseline=baseline)


def chart(diagram: Diagram, measure: str | Measure, format: str = "svg") -> bytes:
    """The run chart of one of the diagram's measures (by id) as svg, png or pdf bytes."""
    from .measures.chart import chart as _chart

    if isinstance(measure, str):
        measure = diagram.measure(measure)
    return _chart(diagram, measure, format)
