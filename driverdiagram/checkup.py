"""``driverdiagram doctor`` (:func:`driverdiagram.doctor`): what driverdiagram uses on
this computer, what each is for, and for each one missing the command that installs it
here.

Graphviz is needed for every drawing; the rest make one output each possible (PDF
papers, checking slides and Word papers, history from git) or the layout exact (the
font it is measured for), so only a missing Graphviz makes the check fail.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from . import files, tools
from .draw import graphviz
from .version import __version__


@dataclass(frozen=True)
class Check:
    """One thing driverdiagram uses: whether it was found (``where``: its path, '' when
    missing), its version where it says one, what it is for, whether drawing needs it,
    and how to install it on this system."""

    name: str
    where: str
    version: str
    needed_for: str
    required: bool
    install: str

    @property
    def found(self) -> bool:
        return bool(self.where)


#: How to install each thing, by system: Debian/Ubuntu, Fedora, macOS (Homebrew),
#: Windows (winget), and the web page for the rest.
_INSTALL = {
    "graphviz": {
        "debian": "sudo apt-get install graphviz",
        "fedora": "sudo dnf install graphviz",
        "macos": "brew install graphviz",
        "windows": "winget install graphviz   (then open a new terminal)",
        "other": "see https://graphviz.org/download/",
    },
    "font": {
        "debian": "sudo apt-get install fonts-liberation2",
        "fedora": "sudo dnf install liberation-sans-fonts",
        "macos": "nothing: Arial, which macOS has, measures the same",
        "windows": "nothing: Arial, which Windows has, measures the same",
        "other": "install Liberation Sans (or Arial)",
    },
    "browser": {
        "debian": "sudo apt-get install chromium",
        "fedora": "sudo dnf install chromium",
        "macos": "brew install --cask chromium   (or install Google Chrome or Microsoft Edge)",
        "windows": "Microsoft Edge is part of Windows; or winget install Google.Chrome",
        "other": "install Chromium, Chrome or Edge",
    },
    "office": {
        "debian": "sudo apt-get install --no-install-recommends libreoffice-impress"
        " libreoffice-writer",
        "fedora": "sudo dnf install libreoffice-impress libreoffice-writer",
        "macos": "brew install --cask libreoffice",
        "windows": "winget install TheDocumentFoundation.LibreOffice",
        "other": "see https://www.libreoffice.org/download/",
    },
    "git": {
        "debian": "sudo apt-get install git",
        "fedora": "sudo dnf install git",
        "macos": "xcode-select --install   (or brew install git)",
        "windows": "winget install Git.Git",
        "other": "see https://git-scm.com/downloads",
    },
}


def system() -> str:
    """This computer's kind of system, as :data:`_INSTALL` names them."""
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    if Path("/etc/debian_version").exists():
        return "debian"
    if Path("/etc/fedora-release").exists() or Path("/etc/redhat-release").exists():
        return "fedora"
    return "other"


def checks() -> list[Check]:
    """Each thing driverdiagram uses, looked for on this computer."""
    here = system()
    dot = graphviz.version()
    git = files.git_version()
    browser = tools.browser() or ""
    office = tools.office() or ""
    font = tools.font() or ""
    return [
        Check(
            "Graphviz",
            dot[0] if dot else "",
            dot[1] if dot else "",
            "draws every diagram (SVG, PDF, PNG), papers and the portal",
            True,
            _INSTALL["graphviz"][here],
        ),
        Check(
            "Liberation Sans (or Arial)",
            font,
            "",
            "the font the layout is measured for: without it boxes may be a little off",
            False,
            _INSTALL["font"][here],
        ),
        Check(
            "a Chromium-family browser (Chromium, Chrome, Edge)",
            browser,
            "",
            f"prints PDF papers (report -o paper.pdf); {tools.BROWSER_VARIABLE} may name one",
            False,
            _INSTALL["browser"][here],
        ),
        Check(
            "LibreOffice",
            office,
            "",
            "opens slides and Word papers to turn them into PDF or check them",
            False,
            _INSTALL["office"][here],
        ),
        Check(
            "git",
            git[0] if git else "",
            git[1] if git else "",
            "versions: diff REV:PATH, the history on the portal, git diff of diagrams",
            False,
            _INSTALL["git"][here],
        ),
    ]


def report(found: list[Check]) -> list[str]:
    """The checks as lines for a terminal: one per thing, with how to install what is
    missing, and a last line that says whether driverdiagram can draw."""
    lines = [f"driverdiagram {__version__}, Python {platform.python_version()} on {_platform()}"]
    for check in found:
        if check.found:
            version = f" {check.version}" if check.version else ""
            lines.append(f"  ok       {check.name}{version}: {check.needed_for}")
            lines.append(f"           at {check.where}")
        else:
            need = "needed" if check.required else "missing"
            lines.append(f"  {need:<8} {check.name}: {check.needed_for}")
            lines.append(f"           install: {check.install}")
    missing = [check for check in found if check.required and not check.found]
    lines.append(
        "driverdiagram cannot draw until the above is installed."
        if missing
        else "Ready to draw."
        + (
            " Everything else is optional; install what you need."
            if not all(check.found for check in found)
            else ""
        )
    )
    return lines


def _platform() -> str:
    name = {"debian": "Debian or Ubuntu", "fedora": "Fedora or Red Hat", "macos": "macOS"}.get(
        system(), platform.system() or sys.platform
    )
    return name
