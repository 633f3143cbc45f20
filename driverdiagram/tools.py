"""Where the programs and fonts driverdiagram uses are on this computer (layer 0).

One list of places for each, shared by what uses it (PDF papers look for a browser
here) and by ``driverdiagram doctor``, which says what is missing and how to install
it. Nothing here starts a program: it looks on PATH and in each system's standard
install folders, and for font files by name.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

#: An environment variable naming the browser to print PDF papers with, when it is not
#: found by itself (any Chromium-family browser: Chromium, Chrome, Edge, Brave ...).
BROWSER_VARIABLE = "DRIVERDIAGRAM_BROWSER"

_BROWSER_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
    "microsoft-edge-stable",
    "msedge",
)
_BROWSER_APPS = (  # macOS
    "Google Chrome.app/Contents/MacOS/Google Chrome",
    "Chromium.app/Contents/MacOS/Chromium",
    "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
)
_BROWSER_WINDOWS = (  # below Program Files, Program Files (x86) or the user's AppData\Local
    "Google/Chrome/Application/chrome.exe",
    "Microsoft/Edge/Application/msedge.exe",
    "Chromium/Application/chrome.exe",
)
_OFFICE_NAMES = ("soffice", "libreoffice")
_OFFICE_APPS = ("LibreOffice.app/Contents/MacOS/soffice",)
_OFFICE_WINDOWS = ("LibreOffice/program/soffice.exe",)

#: The font the layout is measured for, and the fonts with the same metrics.
FONT_FILES = ("LiberationSans-Regular.ttf", "Arial.ttf", "arial.ttf")
#: The most folders looked into for a font (a huge font folder stays quick to search).
MAX_FONT_FOLDERS = 2_000


def _mac_apps(names: tuple[str, ...]) -> Iterator[Path]:
    for root in (Path("/Applications"), Path.home() / "Applications"):
        for name in names:
            yield root / name


def _windows_programs(names: tuple[str, ...]) -> Iterator[Path]:
    for variable in ("ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA"):
        root = os.environ.get(variable)
        if root:
            for name in names:
                yield Path(root) / name


def _find(names: tuple[str, ...], apps: tuple[str, ...], windows: tuple[str, ...]) -> str | None:
    for name in names:
        if found := shutil.which(name):
            return found
    places = (
        _mac_apps(apps)
        if sys.platform == "darwin"
        else _windows_programs(windows)
        if sys.platform == "win32"
        else iter(())
    )
    for place in places:
        if place.is_file() and os.access(place, os.X_OK):
            return str(place)
    return None


def browser() -> str | None:
    """A Chromium-family browser (Chromium, Chrome, Edge), or None: the one named by
    ``DRIVERDIAGRAM_BROWSER`` if set, else the first on PATH, else in the standard
    install folders of macOS and Windows."""
    named = os.environ.get(BROWSER_VARIABLE, "").strip()
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    return _find(_BROWSER_NAMES, _BROWSER_APPS, _BROWSER_WINDOWS)


def office() -> str | None:
    """LibreOffice's ``soffice``, or None."""
    return _find(_OFFICE_NAMES, _OFFICE_APPS, _OFFICE_WINDOWS)


def font_folders() -> list[Path]:
    """The folders fonts are installed in, on this kind of system."""
    home = Path.home()
    if sys.platform == "win32":
        windows = os.environ.get("WINDIR", r"C:\Windows")
        local = os.environ.get("LOCALAPPDATA", "")
        folders = [Path(windows) / "Fonts"]
        return folders + ([Path(local) / "Microsoft/Windows/Fonts"] if local else [])
    if sys.platform == "darwin":
        return [Path("/Library/Fonts"), Path("/System/Library/Fonts"), home / "Library/Fonts"]
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local/share/fonts",
        home / ".fonts",
    ]


def font() -> str | None:
    """The file of Liberation Sans (or Arial, which has the same metrics), or None."""
    seen = 0
    for top in font_folders():
        if not top.is_dir():
            continue
        for folder, _, files in os.walk(top):
            seen += 1
            for name in FONT_FILES:
                if name in files:
                    return str(Path(folder) / name)
            if seen >= MAX_FONT_FOLDERS:
                return None
    return None
