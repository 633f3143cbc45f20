"""The live preview (``driverdiagram serve``), for real: the command in a process of its
own on a free port, its pages fetched with urllib and opened in headless Chromium, a
diagram edited on disk and the rebuild and the page's reload seen; and what it refuses
(uploads, other methods, '..', hidden files, links out of the site, other host names)."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import driverdiagram as dd
from driverdiagram.site.serve import VERSION, allow, with_reload
from tests.paths import ROOT
from tests.site.browser import CHROMIUM, Browser
from tests.site.test_build import scripts_but_the_forms

pytestmark = pytest.mark.graphviz

#: How long a rebuild may take to be seen (the target is a second; the machine is shared).
SEEN_WITHIN = 15.0


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    programme: Path
    temporary: Path  # TMPDIR of the process: its site is built in there

    def get(self, path: str, **headers: str) -> tuple[int, bytes, dict[str, str]]:
        request = urllib.request.Request(self.url + path.lstrip("/"), headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, answer.read(), dict(answer.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)

    def raw(self, method: str, path: str, body: bytes | None = None, host: str = "") -> int:
        """The status of a request sent as it is (no client tidies the path)."""
        where = self.url.removeprefix("http://").rstrip("/")
        connection = http.client.HTTPConnection(where, timeout=10)
        try:
            connection.putrequest(method, path, skip_host=bool(host))
            if host:
                connection.putheader("Host", host)
            if body is not None:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            return connection.getresponse().status
        finally:
            connection.close()

    def version(self) -> int:
        return int(self.get(VERSION)[1])


def start(
    programme: Path, temporary: Path, *extra: str, env: dict[str, str] | None = None
) -> Served:
    temporary.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "driverdiagram", "serve", str(programme), "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(temporary), **(env or {})},
        cwd=programme.parent,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()  # printed once the site is built
    if not url.startswith("http://127.0.0.1:"):
        process.kill()
        raise AssertionError(f"no address: {url!r} {process.communicate()}")
    return Served(process, url, programme, temporary)


def stop(served: Served) -> str:
    """Stop the preview as the system would (SIGTERM) and return what it said."""
    served.process.send_signal(signal.SIGTERM)
    _, err = served.process.communicate(timeout=30)
    assert served.process.returncode == 0, err
    return err


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    programme = tmp_path / "programme"
    programme.mkdir()
    for name in ("falls-prevention.yaml", "falls-ward-9.yaml"):
        shutil.copy(ROOT / "diagrams" / name, programme / name)
    shutil.copytree(ROOT / "diagrams" / "data", programme / "data")
    preview = start(programme, tmp_path / "tmp")
    try:
        yield preview
    finally:
        if preview.process.poll() is None:
            preview.process.kill()
            preview.process.wait(timeout=30)


def wait_for_version(served: Served, newer_than: int) -> float:
    start_time = time.monotonic()
    while time.monotonic() - start_time < SEEN_WITHIN:
        if served.version() > newer_than:
            return time.monotonic() - start_time
        time.sleep(0.05)
    raise AssertionError("the preview did not rebuild")


def edit_aim(programme: Path, old: str, new: str) -> None:
    path = programme / "falls-prevention.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_the_preview_serves_the_site_rebuilds_on_a_save_and_stops_tidily(served: Served) -> None:
    status, page, headers = served.get("/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"<script>" in page and b"script-src &#x27;sha256-" in page
    assert headers["Cache-Control"] == "no-store"
    status, chart, headers = served.get("/falls-prevention/charts/falls-rate.svg")
    assert status == 200 and headers["Content-Type"] == "image/svg+xml"
    assert b"<script" not in chart  # only pages get the reload
    assert served.get("/falls-prevention")[0] == 200  # to falls-prevention/, then its index
    before = served.version()
    edit_aim(served.programme, "Reduce inpatient falls", "Cut inpatient falls")
    took = wait_for_version(served, before)
    status, page, _ = served.get("/falls-prevention/index.html")
    assert b"Cut inpatient falls" in page
    # a diagram saved half-written is left out, its problems shown on every page
    bad = served.programme / "falls-ward-9.yaml"
    good = bad.read_text("utf-8")
    bad.write_text(good.replace("secondary:", "secondry:", 1), "utf-8")
    wait_for_version(served, before + 1)
    status, page, _ = served.get("/falls-ward-9/index.html")
    assert status == 404 and b"unknown key &#x27;secondry&#x27;" in page
    assert b'role="alert"' in served.get("/")[1]
    said = stop(served)
    assert "falls-ward-9.yaml:" in said and "rebuilt: " in said and said.endswith("stopped\n")
    assert list(served.temporary.iterdir()) == []  # its site went with it, and its record
    records = Path(os.environ["XDG_CACHE_HOME"]) / "driverdiagram" / "sites"
    assert not records.exists() or list(records.iterdir()) == []
    print(f"rebuilt and seen in {took:.2f} s")


def test_the_preview_refuses_uploads_other_methods_and_paths_out_of_the_site(
    served: Served,
) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        assert served.raw(method, "/index.html", body=b"name=x") == 405
    request = urllib.request.Request(served.url + "index.html", data=b"x=1", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 405 and refused.value.headers["Allow"] == "GET, HEAD"
    assert served.raw("PROPFIND", "/") == 501
    for path in (
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/falls-prevention/../../programme/falls-prevention.yaml",
        "/..%2f..%2fetc%2fpasswd",
        "/%c0%ae%c0%ae/etc/passwd",
        "/.driverdiagram-site",
        "/falls-prevention/..",
        "//etc/passwd",
        "/\\..\\..\\etc\\passwd",
    ):
        assert served.raw("GET", path) in (404, 400), path
    assert served.raw("HEAD", "/index.html") == 200
    # a name that is not this computer's (a page elsewhere pointing its name at 127.0.0.1)
    assert served.raw("GET", "/", host="attacker.example") == 403
    port = served.url.rsplit(":", 1)[1].rstrip("/")
    assert served.raw("GET", "/", host=f"localhost:{port}") == 200


def test_a_link_in_the_site_that_leads_out_is_not_followed(tmp_path: Path) -> None:
    programme = tmp_path / "programme"
    programme.mkdir()
    (programme / "plan.yaml").write_text("aim: Our aim\nprimary: [A driver]\n", "utf-8")
    out = tmp_path / "site"
    dd.build_site([str(programme)], out)
    secret = tmp_path / "secret.html"
    secret.write_text("private", "utf-8")
    (out / "leak.html").symlink_to(secret)
    (out / "plan" / "up").symlink_to(tmp_path)
    preview = start(programme, tmp_path / "tmp", "-o", str(out))
    try:
        assert preview.get("/leak.html")[0] == 404
        assert preview.get("/plan/up/secret.html")[0] == 404
        assert preview.get("/plan/index.html")[0] == 200
    finally:
        stop(preview)
    # the site it built holds no script but the forms': the reload was only ever in
    # what it sent
    built = {p for p in out.rglob("*.html") if not p.is_symlink()}
    assert built and all(scripts_but_the_forms(p) == [] for p in built)
    assert all(b"var v=" not in p.read_bytes() for p in built)
    assert secret.read_text("utf-8") == "private"


def test_the_reload_is_allowed_by_the_pages_policy_and_nothing_else_is() -> None:
    policy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'none'"
    assert allow(policy, "'sha256-x'") == (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'none';"
        " script-src 'sha256-x'; connect-src 'self'"
    )
    # a page with a script of its own keeps it, beside the reload's
    assert allow("script-src 'sha256-a'", "'sha256-b'").startswith(
        "script-src 'sha256-a' 'sha256-b'"
    )
    page = (  # as the templates write it: the policy's quotes escaped
        b'<html><head><meta http-equiv="Content-Security-Policy" content="default-src'
        b' &#39;none&#39;"></head><body>\n<p>x</p>\n</body></html>'
    )
    sent = with_reload(page, 7, ["a.yaml:1:1: error: <b>bad</b>"])
    assert b'content="default-src &#x27;none&#x27;; script-src &#x27;sha256-' in sent
    assert sent.count(b"<script>") == 1 and b"var v=7;" in sent
    assert b"&lt;b&gt;bad&lt;/b&gt;" in sent and b"<b>bad" not in sent


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium")
def test_the_open_page_reloads_in_chromium_when_a_diagram_is_saved(
    served: Served, tmp_path: Path
) -> None:
    browser = Browser(tmp_path / "profile", loopback=True)
    try:
        browser.open(served.url + "falls-prevention/index.html")
        assert "Reduce inpatient falls" in browser.evaluate("document.body.innerText")
        mark = len(browser.events)
        edit_aim(served.programme, "Reduce inpatient falls", "Cut inpatient falls")
        began = time.monotonic()
        browser.wait_for("Page.loadEventFired", mark)  # the page loaded itself again
        took = time.monotonic() - began
        assert "Cut inpatient falls" in browser.evaluate("document.body.innerText")
        assert browser.console_errors() == []
        # Chromium draws a date field's calendar icon from a data: address of its own
        outside = [
            u for u in browser.requests() if not u.startswith((served.url, "data:image/svg+xml"))
        ]
        assert outside == []
        print(f"reloaded {took:.2f} s after the save")
    finally:
        browser.close()
        stop(served)


def test_without_watchfiles_the_preview_looks_at_the_files_itself(tmp_path: Path) -> None:
    programme = tmp_path / "programme"
    programme.mkdir()
    plan = programme / "plan.yaml"
    plan.write_text("aim: Our aim\nprimary: [A driver]\n", "utf-8")
    blocked = tmp_path / "blocked" / "watchfiles"
    blocked.mkdir(parents=True)
    (blocked / "__init__.py").write_text("raise ImportError('not installed here')\n")
    path = os.pathsep.join([str(blocked.parent), os.environ.get("PYTHONPATH", "")])
    preview = start(programme, tmp_path / "tmp", env={"PYTHONPATH": path})
    try:
        before = preview.version()
        plan.write_text("aim: Our new aim\nprimary: [A driver]\n", "utf-8")
        wait_for_version(preview, before)
        assert b"Our new aim" in preview.get("/plan/index.html")[1]
    finally:
        stop(preview)
