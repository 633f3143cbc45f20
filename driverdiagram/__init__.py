"""driverdiagram: write, check and draw driver diagrams for quality improvement.

import driverdiagram as dd
diagram = dd.load("falls.yaml")        # or dd.loads(text); raises dd.DiagramError
dot_source = dd.to_dot(diagram)        # str, pure, no Graphviz binary needed
svg = dd.render(diagram, "svg")        # bytes
dd.render(diagram, "pdf", path="falls.pdf")
result = dd.analyse([12, 14, None, 11, 9], rules="ihi")   # run chart rules
chart = dd.analyse_control([31, 29, 35, 30], "xmr", rules="mdc")   # control chart rules

dd.build_site(["diagrams/"], "site/")   # the partnership portal: a static web site
dd.add_cycle("falls.yaml", "huddle", "2026-09-01", act="adapt")   # edits in place,
dd.add_point("falls.yaml", "falls-rate", "2026-11", 7)            # every other byte kept
dd.set_status("falls.yaml", "huddle", "adopted")

The functions live in :mod:`driverdiagram.api` and the lists of kinds (formats,
themes, pages...) in the modules that use them; both are handed on from here when
first asked for, so ``import driverdiagram`` (and ``driverdiagram --help``) loads
nothing it does not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    DiagramError,
    GraphvizNotFound,
    InvalidDiagram,
    Location,
    OptionError,
    Problem,
    RenderError,
)
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
    Rating,
    Reflection,
    Status,
    Strength,
)
from .text import json_text, visible
from .version import __version__

#: The API's functions, each module's loaded when one of its names is first asked for:
#: checking and reading (driverdiagram.api), drawing and writing outputs
#: (driverdiagram.output), themes, in-place edits and partners' reports (their own
#: modules).
_FUNCTIONS = {
    "driverdiagram.api": (
        "analyse",
        "analyse_control",
        "choose_measures",
        "compare",
        "depth",
        "describe",
        "doctor",
        "doctor_report",
        "describe_changes",
        "export",
        "focus",
        "lint",
        "lint_files",
        "list_templates",
        "load",
        "load_version",
        "loads",
        "looks_like_diagram",
        "measure_records",
        "new",
        "outline",
        "pdsa",
        "pdsa_template",
        "problem_lines",
        "read",
        "read_text",
        "refuse_existing",
        "rules",
        "schema",
        "template_text",
        "textconv",
        "to_dot",
        "to_graph",
        "to_yaml",
        "validate",
        "write_text",
    ),
    "driverdiagram.output": (
        "build_site",
        "chart",
        "chart_files",
        "deck",
        "paper",
        "render",
        "render_changes",
        "render_files",
        "serve_site",
    ),
    "driverdiagram.readers.theme": (
        "theme",
        "themes",
    ),
    "driverdiagram.edit": (
        "Edits",
        "add_cycle",
        "add_point",
        "reflect",
        "set_status",
    ),
    "driverdiagram.intake": (
        "Merged",
        "import_log",
        "merge_reports",
    ),
}
#: The results of the measures' rules, from the modules that work them out.
_RESULTS = {
    "Analysis": ("driverdiagram.measures.runs", "Analysis"),
    "ControlAnalysis": ("driverdiagram.measures.control", "ControlAnalysis"),
}
#: The lists of kinds, each from the one module that owns it: name -> (module, name there).
_KINDS = {
    "ARROWS": ("driverdiagram.draw.dot", "ARROWS"),
    "CHANGE_FORMATS": ("driverdiagram.diff", "FORMATS"),
    "CHART_FORMATS": ("driverdiagram.measures", "FORMATS"),
    "DEFAULT_TEMPLATE": ("driverdiagram.starters", "DEFAULT_TEMPLATE"),
    "EXPORTS": ("driverdiagram.exports", "DESCRIPTIONS"),
    "FORMATS": ("driverdiagram.draw.graphviz", "FORMATS"),
    "LAYOUTS": ("driverdiagram.draw.own", "LAYOUTS"),
    "PAGES": ("driverdiagram.draw.pages", "NAMES"),
    "PAPER_FORMATS": ("driverdiagram.papers", "FORMATS"),
    "PROBLEM_FORMATS": ("driverdiagram.findings", "FORMATS"),
}

__all__ = [
    "ARROWS",
    "CHANGE_FORMATS",
    "CHART_FORMATS",
    "DEFAULT_TEMPLATE",
    "EXPORTS",
    "FORMATS",
    "LAYOUTS",
    "PAGES",
    "PAPER_FORMATS",
    "PROBLEM_FORMATS",
    "Act",
    "Analysis",
    "ControlAnalysis",
    "Cycle",
    "Diagram",
    "DiagramError",
    "Edits",
    "GraphvizNotFound",
    "InvalidDiagram",
    "Level",
    "Limits",
    "Link",
    "Location",
    "Measure",
    "MeasureType",
    "Merged",
    "Node",
    "OptionError",
    "Point",
    "Problem",
    "Rating",
    "Reflection",
    "RenderError",
    "Status",
    "Strength",
    "__version__",
    "add_cycle",
    "add_point",
    "analyse",
    "analyse_control",
    "build_site",
    "chart",
    "chart_files",
    "choose_measures",
    "compare",
    "deck",
    "depth",
    "describe",
    "describe_changes",
    "doctor",
    "doctor_report",
    "export",
    "focus",
    "import_log",
    "json_text",
    "limits",
    "lint",
    "lint_files",
    "list_templates",
    "load",
    "load_version",
    "loads",
    "looks_like_diagram",
    "measure_records",
    "merge_reports",
    "new",
    "outline",
    "paper",
    "pdsa",
    "pdsa_template",
    "problem_lines",
    "read",
    "read_text",
    "reflect",
    "refuse_existing",
    "render",
    "render_changes",
    "render_files",
    "rules",
    "schema",
    "serve_site",
    "set_status",
    "template_text",
    "textconv",
    "theme",
    "themes",
    "to_dot",
    "to_graph",
    "to_yaml",
    "validate",
    "visible",
    "write_text",
]


#: Every name handed on when first asked for: name -> (module, name there).
_LAZY = {
    **{name: (module, name) for module, names in _FUNCTIONS.items() for name in names},
    **_RESULTS,
    **_KINDS,
}


def __getattr__(name: str) -> Any:
    """The API's functions, results and lists of kinds, imported when first asked for."""
    if name not in _LAZY:
        raise AttributeError(f"module 'driverdiagram' has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # asked for once
    return value


def _repr_svg_(diagram: Diagram) -> str:
    """How Jupyter shows a Diagram: its drawing (model.py draws nothing itself)."""
    return str(__getattr__("render")(diagram, "svg").decode("utf-8"))


Diagram._repr_svg_ = _repr_svg_  # type: ignore[attr-defined]


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # what the names above are, for type checkers and editors
    from .api import (
        analyse,
        analyse_control,
        choose_measures,
        compare,
        depth,
        describe,
        describe_changes,
        doctor,
        doctor_report,
        export,
        focus,
        lint,
        lint_files,
        list_templates,
        load,
        load_version,
        loads,
        looks_like_diagram,
        measure_records,
        new,
        outline,
        pdsa,
        pdsa_template,
        problem_lines,
        read,
        read_text,
        refuse_existing,
        rules,
        schema,
        template_text,
        textconv,
        to_dot,
        to_graph,
        to_yaml,
        validate,
        write_text,
    )
    from .diff import FORMATS as CHANGE_FORMATS
    from .draw.dot import ARROWS
    from .draw.graphviz import FORMATS
    from .draw.own import LAYOUTS
    from .draw.pages import NAMES as PAGES
    from .edit import Edits, add_cycle, add_point, reflect, set_status
    from .exports import DESCRIPTIONS as EXPORTS
    from .findings import FORMATS as PROBLEM_FORMATS
    from .intake import Merged, import_log, merge_reports
    from .measures import FORMATS as CHART_FORMATS
    from .measures.control import ControlAnalysis
    from .measures.runs import Analysis
    from .output import (
        build_site,
        chart,
        chart_files,
        deck,
        paper,
        render,
        render_changes,
        render_files,
        serve_site,
    )
    from .papers import FORMATS as PAPER_FORMATS
    from .readers.theme import theme, themes
    from .starters import DEFAULT_TEMPLATE
