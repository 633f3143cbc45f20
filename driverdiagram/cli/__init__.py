"""The ``driverdiagram`` command: a thin skin over the Python API (``import driverdiagram``).

One module per group of commands, imported when one of its commands is run or its help
shown (:data:`driverdiagram.cli.group.HOMES`); each command is a few lines over an API
function of the same meaning (:data:`COMMANDS`), and errors reach the user in one place
(:mod:`driverdiagram.cli.group`).
"""

from __future__ import annotations

from .group import main

#: Each command (a group's as 'GROUP COMMAND') and the API function it is a skin over
#: (a test checks they exist).
COMMANDS = {
    "validate": "validate",
    "doctor": "doctor",
    "lint": "lint_files",
    "rules": "rules",
    "schema": "schema",
    "render": "render_files",
    "themes": "themes",
    "export": "export",
    "import": "read",
    "diff": "compare",
    "outline": "outline",
    "report": "paper",
    "slides": "deck",
    "analyse": "describe",
    "chart": "chart_files",
    "pdsa list": "pdsa",
    "pdsa add": "add_cycle",
    "pdsa template": "pdsa_template",
    "pdsa import": "import_log",
    "data add": "add_point",
    "status": "set_status",
    "reflect": "reflect",
    "new": "new",
    "templates": "list_templates",
    "site": "build_site",
    "serve": "serve_site",
}

__all__ = ["COMMANDS", "main"]
