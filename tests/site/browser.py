"""Headless Chromium driven through the DevTools protocol over a pipe (no port, no
websocket library): open pages from ``file://``, follow links, press Tab, and keep
every console message, uncaught error, dialog and request the pages made.

Chromium gets the same switches as the PDF printer (papers/pdf.py): no network at
all, a fresh profile, nothing in the background.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from driverdiagram.papers.pdf import CHROMIUM_SWITCHES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: The printer's switches but the one for printing: with --no-pdf-header-footer, this
#: Chromium (156) loses the tab's renderer when driven through the pipe.
SWITCHES = tuple(switch for switch in CHROMIUM_SWITCHES if switch != "--no-pdf-header-footer")
#: How long one page may take to load, and one command to answer.
WAIT = 30.0


#: Run as ``python -c _MOVE_FDS READ WRITE CHROMIUM ARGS...``: READ becomes fd 3 and
#: WRITE fd 4, as --remote-debugging-pipe expects, then Chromium runs in its place.
_MOVE_FDS = """\
import os, sys
read, write = int(sys.argv[1]), int(sys.argv[2])
copies = os.dup(read), os.dup(write)
os.dup2(copies[0], 3)
os.dup2(copies[1], 4)
os.set_inheritable(3, True)  # a copy may have been made as 3 or 4 (not inheritable)
os.set_inheritable(4, True)
for fd in {read, write, *copies} - {3, 4}:
    os.close(fd)
os.execv(sys.argv[3], sys.argv[3:])
"""


class BrowserError(Exception):
    pass


class Browser:
    """One headless Chromium with one tab, attached by a flat session."""

    def __init__(
        self, profile: Path, width: int = 1280, height: int = 900, *, loopback: bool = False
    ) -> None:
        """``loopback``: let the pages reach servers on this computer by address
        (127.0.0.1), for a site served by a local web server; every name still resolves
        to nothing, so nothing beyond this computer is reached."""
        assert CHROMIUM is not None
        switches = list(SWITCHES)
        if loopback:
            switches = [
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
                if switch.startswith("--host-resolver-rules")
                else switch
                for switch in switches
                if not switch.startswith(("--proxy-server", "--proxy-bypass-list"))
            ]
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        # Chromium reads commands on its fd 3 and writes answers on its fd 4: a small
        # Python moves the pipes' ends there and becomes Chromium (no preexec_fn, which
        # fails once matplotlib holds fonts open; and a shell's redirections stop at fd 9)
        read_end, write_end = to_browser_read, from_browser_write
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _MOVE_FDS,
                str(read_end),
                str(write_end),
                CHROMIUM,
                *switches,
                "--no-sandbox",
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("DD_BROWSER_LOG") else subprocess.DEVNULL,
            pass_fds=(read_end, write_end),
            start_new_session=True,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        self.session = ""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call(
            "Target.attachToTarget", {"targetId": target, "flatten": True}, browser=True
        )["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    # -- the protocol ----------------------------------------------------------------

    def call(
        self, method: str, params: dict[str, Any] | None = None, *, browser: bool = False
    ) -> Any:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if self.session and not browser:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + WAIT
        while True:
            answer = self._read(deadline)
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def _read(self, deadline: float) -> dict[str, Any]:
        import select

        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise BrowserError("Chromium closed the pipe")
                self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def wait_for(self, method: str, since: int) -> dict[str, Any]:
        """The first event ``method`` after the first ``since`` events, waiting for it."""
        deadline = time.monotonic() + WAIT
        while True:
            for event in self.events[since:]:
                if event.get("method") == method:
                    return event
            self.events.append(self._read(deadline))

    # -- what a test does --------------------------------------------------------------

    def open(self, url: str) -> None:
        mark = len(self.events)
        self.call("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired", mark)

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector: str, *, same_page: bool = False) -> None:
        """Click the first element ``selector`` finds with the mouse, as a person would
        (scrolled into view first), and wait for the page it leads to (or, for a link
        to a part of the same page, for the move there)."""
        where = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " if (!e) return null; e.scrollIntoView({block: 'center'});"
            # a link over two lines: the middle of its first line, not of the lines' box
            " const r = e.getClientRects()[0] || e.getBoundingClientRect();"
            " return [r.left + r.width / 2, r.top + r.height / 2]; })()"
        )
        if where is None:
            raise BrowserError(f"nothing on {self.url()} matches {selector}")
        mark = len(self.events)
        x, y = where
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            )
        self.wait_for("Page.navigatedWithinDocument" if same_page else "Page.loadEventFired", mark)

    def url(self) -> str:
        return str(self.evaluate("location.href"))

    def press_tab(self) -> None:
        for kind in ("rawKeyDown", "keyUp"):
            self.call(
                "Input.dispatchKeyEvent",
                {"type": kind, "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9},
            )

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])

    def console_errors(self) -> list[str]:
        """Console messages and log entries at error level, uncaught exceptions, and
        dialogs (alert, confirm) a page opened."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(f"console: {params.get('args')}")
            elif method == "Runtime.exceptionThrown":
                found.append(f"exception: {params.get('exceptionDetails')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
            elif method == "Page.javascriptDialogOpening":
                found.append(f"dialog: {params.get('message')}")
        return found

    def requests(self) -> list[str]:
        """Every address a page asked for, in order."""
        return [
            event["params"]["request"]["url"]
            for event in self.events
            if event.get("method") == "Network.requestWillBeSent"
        ]

    def close(self) -> None:
        with contextlib.suppress(BrowserError):
            self.call("Browser.close", browser=True)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait(timeout=10)
        # helpers Chromium started (its crash handler) may outlive it, writing to the
        # profile: end them too, all in the session it was started in
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, 9)
        os.close(self._to_browser)
        os.close(self._from_browser)
