"""The portal's files (site/): every page and link there, the same bytes every time,
hostile text shown as text, and an output folder handled safely."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.site import MANIFEST
from tests.paths import EARLY, FALLS, ROOT
from tests.site.hostile import HOSTILE, write_hostile

pytestmark = pytest.mark.graphviz


class Links(HTMLParser):
    """Every address a page refers to (href, src), and every id on it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.addresses: list[str] = []
        self.ids: set[str] = set()
        self.repeated: list[str] = []  # ids a page has more than once
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("href", "src", "xlink:href") and value is not None:
                self.addresses.append(value)
            if name == "id" and value:
                if value in self.ids:
                    self.repeated.append(value)
                self.ids.add(value)


#: The one script a page may have: the forms', allowed by its hash.
FORMS_JS = (ROOT / "driverdiagram" / "site" / "templates" / "forms.js").read_text()


def scripts_but_the_forms(path: Path) -> list[str]:
    """The scripts of a page other than the forms' (and whether the page's policy
    allows the forms' by hash when the page has it)."""
    text = path.read_text(encoding="utf-8")
    found = re.findall(r"<script[^>]*>(.*?)</script>", text, re.S)
    if FORMS_JS in found:
        digest = base64.b64encode(hashlib.sha256(FORMS_JS.encode()).digest()).decode()
        assert f"script-src &#39;sha256-{digest}&#39;" in text.replace("&#x27;", "&#39;")
    return [script for script in found if script != FORMS_JS] + [
        "<script" for _ in range(text.count("<script") - len(found))
    ]


def parsed(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("portal") / "site"
    built = dd.build_site([str(ROOT / "diagrams")], out, title="Example programme")
    assert built.problems == () and built.removed == ()
    return out


def test_the_examples_make_a_page_for_every_diagram_and_change_idea(example_site: Path) -> None:
    index = (example_site / "index.html").read_text()
    assert "<h1>Example programme</h1>" in index
    for path in sorted((ROOT / "diagrams").glob("*.yaml")):
        diagram = dd.load(path)
        folder = example_site / path.stem
        assert f'href="{path.stem}/index.html"' in index
        page = (folder / "index.html").read_text()
        svg = page[page.index("<svg") : page.index("</svg>")]
        # every box of the drawing is a link, and every change idea has its page
        boxes = re.findall(r'<g id="a_dd&#45;[^"]*"><a xlink:href="([^"]+)"', svg)
        assert len(boxes) == len(diagram.nodes)
        changes = [href for href in boxes if not href.startswith("#")]
        assert len(changes) == len(diagram.at_level(dd.Level.CHANGE)) == len(set(changes))
        for href in changes:
            assert (folder / href).is_file()
        ids = parsed(folder / "index.html").ids
        for href in boxes:
            assert href in changes or href[1:] in ids, href
        for measure in diagram.measures:
            if measure.points:
                assert (folder / "charts").is_dir()
        # the text alternative: the outline lists every box
        assert page.count('<span class="kind">') >= len(diagram.nodes)


def test_every_link_is_relative_and_leads_to_a_file_or_an_anchor_of_the_site(
    example_site: Path,
) -> None:
    pages = sorted(example_site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        links = parsed(page)
        assert links.repeated == [], page  # every id once: an anchor leads to one place
        assert scripts_but_the_forms(page) == [] and "iframe" not in links.tags
        for address in links.addresses:
            if address.startswith("mailto:?"):  # the forms' e-mail, with no address
                continue
            parts = urlsplit(address)
            assert not parts.scheme and not parts.netloc and not address.startswith("/"), address
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), (page, address)
            assert example_site.resolve() in target.parents, (page, address)
            if parts.fragment:
                assert parts.fragment in parsed(target).ids, (page, address)


def test_a_change_idea_page_has_its_cycles_in_full_and_the_charts_they_watch(
    example_site: Path,
) -> None:
    diagram = dd.load(EARLY)
    path = example_site / EARLY.stem / "change-kinder-at-mch.html"
    page = path.read_text()
    shown = "".join(parsed(path).text)
    cycles = diagram.cycles_of("kinder-at-mch")
    assert page.count('<article class="cycle"') == len(cycles) > 1
    for cycle in cycles:
        for text in (cycle.objective, cycle.prediction, cycle.plan, cycle.do, cycle.study):
            assert text in shown
    watched = {m for cycle in cycles for m in cycle.measures}
    for measure in watched:
        src = f"charts/{measure}.svg"
        assert f'<img src="{src}"' in page
        assert (example_site / EARLY.stem / src).read_bytes().startswith(b"<?xml")
    assert "Drivers and the way to the aim" in page


def test_the_programme_page_has_counts_outcomes_and_verdicts(example_site: Path) -> None:
    index = (example_site / "index.html").read_text()
    falls = dd.load(FALLS)
    outcome = next(m for m in falls.measures if m.type == dd.MeasureType.OUTCOME)
    assert outcome.name in "".join(parsed(example_site / "index.html").text)
    assert "signal of improvement" in index
    assert '<span class="count">' in index


def test_the_same_diagrams_give_the_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"site-{seed}"
        run = subprocess.run(
            [sys.executable, "-m", "driverdiagram", "site", str(FALLS), str(EARLY), "-o", str(out)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=tmp_path,
        )
        assert run.returncode == 0, run.stderr
        files = sorted(p for p in out.rglob("*") if p.is_file())
        trees.append({p.relative_to(out): p.read_bytes() for p in files})
    assert trees[0] == trees[1]


def test_hostile_text_in_every_field_is_shown_as_text(tmp_path: Path) -> None:
    source = write_hostile(tmp_path / "in")
    out = tmp_path / "site"
    built = dd.build_site([str(source)], out)
    assert built.problems == ()
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 4  # the programme, the diagram and its two change ideas
    for page in pages:
        text = page.read_text()
        links = parsed(page)
        # no script but the forms' (allowed by its hash), no textarea but theirs
        assert scripts_but_the_forms(page) == [] and "<img src=x" not in text
        assert text.count("<textarea") == text.count('<textarea id="report-cycle-')
        assert {"iframe", "object", "embed"}.isdisjoint(links.tags)
        for address in links.addresses:
            if address.startswith("mailto:?"):
                continue
            assert not urlsplit(address).scheme, (page, address)
        # the whole text, as a browser reads it: each field shown exactly as typed
        assert HOSTILE in "".join(links.text), page
        assert " 49 " not in "".join(links.text)  # {{ 7*7 }} is text, not an expression
    change = parsed(out / "hostile" / "change-idea.html")
    assert [a for a in change.addresses if "charts/" in a] == ["charts/outcome.svg"] * 3
    # the diagram page shows every field: the title, team, date, notes, labels, boxes,
    # the measure and the cycle, each in full somewhere on it
    assert "".join(parsed(out / "hostile" / "index.html").text).count(HOSTILE) >= 12


def test_a_folder_is_searched_for_diagrams_only(tmp_path: Path) -> None:
    programme = tmp_path / "programme"
    (programme / "teams").mkdir(parents=True)
    (programme / ".hidden").mkdir()
    (programme / "teams" / "a.yaml").write_text("aim: Aim A\nprimary:\n  - Driver\n")
    (programme / ".hidden" / "b.yaml").write_text("aim: Aim B\nprimary:\n  - Driver\n")
    (programme / "ci.yml").write_text("on: push\njobs: {}\n")
    built = dd.build_site([str(programme)], tmp_path / "site")
    assert built.problems == ()
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == [
        MANIFEST,
        "a",
        "icon.svg",
        "index.html",
        "style.css",
    ]


def test_an_invalid_diagram_is_left_out_and_reported(tmp_path: Path) -> None:
    programme = tmp_path / "programme"
    programme.mkdir()
    (programme / "good.yaml").write_text("aim: Good\nprimary:\n  - Driver\n")
    (programme / "bad.yaml").write_text("aim: Bad\nprimary:\n  - secondry: x\n")
    result = CliRunner().invoke(main, ["site", str(programme), "-o", str(tmp_path / "site")])
    assert result.exit_code == 1
    assert f"{programme / 'bad.yaml'}:3:" in result.stderr
    assert result.stdout == f"{tmp_path / 'site'}/index.html\n"
    assert (tmp_path / "site" / "good" / "index.html").is_file()
    assert not (tmp_path / "site" / "bad").exists()


def test_the_command_says_what_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["site", str(FALLS), "-o", f"{out}/", "--title", "Ward 7"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out}/index.html\n"
    pages = len(list(out.rglob("*.html")))
    assert result.stderr.startswith(f"{pages} pages and ")
    assert "<h1>Ward 7</h1>" in (out / "index.html").read_text()


# -- the output folder ------------------------------------------------------------------


def test_a_folder_with_files_of_its_own_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "index.html").write_text("my own page")
    with pytest.raises(dd.RenderError, match="is not empty and holds no site"):
        dd.build_site([str(FALLS)], out)
    assert (out / "index.html").read_text() == "my own page"
    (tmp_path / "hidden-only").mkdir()
    (tmp_path / "hidden-only" / ".git").mkdir()  # a Pages branch's checkout is fine
    dd.build_site([str(FALLS)], tmp_path / "hidden-only")


def test_a_rebuild_removes_the_pages_no_diagram_makes_and_nothing_else(tmp_path: Path) -> None:
    programme = tmp_path / "programme"
    programme.mkdir()
    (programme / "a.yaml").write_text("aim: A\nprimary:\n  - text: D\n    changes: [C]\n")
    (programme / "b.yaml").write_text("aim: B\nprimary:\n  - D\n")
    out = tmp_path / "site"
    dd.build_site([str(programme)], out)
    (out / "a" / "notes.txt").write_text("someone's own file")
    (programme / "a.yaml").unlink()
    built = dd.build_site([str(programme)], out)
    assert sorted(built.removed) == ["a/change-c.html", "a/index.html"]
    assert (out / "a" / "notes.txt").read_text() == "someone's own file"
    assert (out / MANIFEST).read_text() == "b/index.html\nicon.svg\nindex.html\nstyle.css\n"


def test_a_list_of_files_that_leads_out_of_the_site_is_not_followed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    dd.build_site([str(FALLS)], out)
    victim = tmp_path / "victim.html"
    victim.write_text("keep me")
    with open(out / MANIFEST, "a") as listed:
        listed.write("../victim.html\n/etc/passwd.html\n")
    dd.build_site([str(FALLS)], out)
    assert victim.read_text() == "keep me"


def test_no_write_goes_through_a_link(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "linked").symlink_to(elsewhere)
    with pytest.raises(dd.RenderError, match="symbolic link"):
        dd.build_site([str(FALLS)], tmp_path / "linked")
    out = tmp_path / "site"
    dd.build_site([str(FALLS)], out)
    # a link planted in the site: to a folder, and in place of a page
    for page in (out / FALLS.stem).iterdir():
        if page.is_dir():
            for inner in page.iterdir():
                inner.unlink()
            page.rmdir()
        else:
            page.unlink()
    (out / FALLS.stem).rmdir()
    (out / FALLS.stem).symlink_to(elsewhere)
    with pytest.raises(dd.RenderError, match="symbolic link"):
        dd.build_site([str(FALLS)], out)
    assert list(elsewhere.iterdir()) == []
    (out / FALLS.stem).unlink()
    (out / "index.html").unlink()
    (out / "index.html").symlink_to(elsewhere / "page.html")
    with pytest.raises(dd.RenderError, match="symbolic link"):
        dd.build_site([str(FALLS)], out)
    assert not (elsewhere / "page.html").exists()


def test_two_files_of_the_same_name_get_folders_of_their_own(tmp_path: Path) -> None:
    for team in ("north", "south"):
        (tmp_path / team).mkdir()
        (tmp_path / team / "plan.yaml").write_text(f"aim: {team}\nprimary:\n  - D\n")
    out = tmp_path / "site"
    dd.build_site([str(tmp_path / "north"), str(tmp_path / "south")], out)
    assert "north" in (out / "plan" / "index.html").read_text()
    assert "south" in (out / "plan-2" / "index.html").read_text()


def test_change_ideas_several_teams_share_make_a_matrix(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "title: Team A\naim: A\nprimary:\n  - text: D\n    changes:\n"
        "      - {id: huddle, text: Daily huddle, status: testing}\n      - Only here\n"
    )
    (tmp_path / "b.yaml").write_text(
        "title: Team B\naim: B\nprimary:\n  - text: D\n    changes:\n"
        "      - {text: 'daily   HUDDLE', status: adopted}\n      - Elsewhere\n"
    )
    out = tmp_path / "site"
    dd.build_site([str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")], out)
    index = (out / "index.html").read_text()
    matrix = index[index.index('<table class="matrix">') :]
    assert matrix.count("<tr>") == 2  # the heading and the one shared idea
    assert '<th scope="row">Daily huddle</th>' in matrix
    assert '<a href="a/change-huddle.html">testing</a>' in matrix
    assert '<a href="b/change-daily-huddle.html">adopted</a>' in matrix
    assert "Only here" not in matrix


def test_a_change_idea_without_an_id_keeps_its_page_when_other_boxes_are_added(
    tmp_path: Path,
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "aim: A\nprimary:\n  - text: Safer discharge\n    changes:\n"
        "      - Teach-back at discharge\n      - Teach-back at discharge\n"
        "      - Ελέγχος φαρμάκων\n"
    )
    out = tmp_path / "site"
    dd.build_site([str(plan)], out)
    before = sorted(p.name for p in (out / "plan").glob("change-*.html"))
    assert before == [
        f"change-box-{hashlib.sha256('Ελέγχος φαρμάκων'.encode()).hexdigest()[:10]}.html",
        "change-teach-back-at-discharge-2.html",
        "change-teach-back-at-discharge.html",
    ]
    page = (out / "plan" / "change-teach-back-at-discharge.html").read_bytes()
    # a driver and a change idea added above them, in front of every box
    plan.write_text(
        "aim: A\nprimary:\n  - text: New driver\n    changes: [A new idea]\n"
        "  - text: Safer discharge\n    changes:\n      - Something first\n"
        "      - Teach-back at discharge\n      - Teach-back at discharge\n"
        "      - Ελέγχος φαρμάκων\n"
    )
    built = dd.build_site([str(plan)], out)
    after = sorted(p.name for p in (out / "plan").glob("change-*.html"))
    assert set(before) < set(after) and built.removed == ()
    # the same page at the same address: nothing on it names the box's place
    assert (out / "plan" / "change-teach-back-at-discharge.html").read_bytes() == page


# -- a build aside, and again ------------------------------------------------------------


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) by its path there."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def programme_of(folder: Path, version: int) -> Path:
    """Two teams' diagrams, with a chart each; ``version`` changes every page."""
    folder.mkdir(exist_ok=True)
    for team in ("north", "south"):
        (folder / f"{team}.yaml").write_text(
            f"title: {team} v{version}\naim:\n  text: Aim of {team}\n  measures:\n"
            f"    - id: rate\n      name: Rate v{version}\n      type: outcome\n"
            "      values: {2026-01: 3, 2026-02: 4, 2026-03: 5, 2026-04: 4, 2026-05: 6}\n"
            f"primary:\n  - text: Driver {version}\n    changes: [Idea {version}, Shared idea]\n"
        )
    return folder


def test_a_build_that_fails_part_way_leaves_the_site_as_it_was(tmp_path: Path) -> None:
    programme = programme_of(tmp_path / "programme", 1)
    out = tmp_path / "site"
    dd.build_site([str(programme)], out, jobs=2)
    before = tree(out)
    programme_of(programme, 2)  # every page changes, and new pages appear
    with dd.limits(dot_timeout=0.0001), pytest.raises(dd.RenderError, match="Graphviz took"):
        dd.build_site([str(programme)], out, jobs=2)
    assert tree(out) == before  # not one new page beside the old ones, no stage left
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [MANIFEST]
    built = dd.build_site([str(programme)], out, jobs=2)
    cold = tmp_path / "cold"
    dd.build_site([str(programme)], cold, jobs=1)
    assert tree(out) == tree(cold)
    assert sorted(built.removed) == ["north/change-idea-1.html", "south/change-idea-1.html"]


def test_a_rebuild_draws_only_what_changed_and_gives_a_cold_builds_bytes(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "repo"
    programme = programme_of(repo, 1)

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=Coach", "-c", "user.email=c@example.org", "add", ".")
    git("-c", "user.name=Coach", "-c", "user.email=c@example.org", "commit", "-qm", "first")
    out = tmp_path / "site"
    first = dd.build_site([str(programme)], out, title="Programme")
    assert first.kept == () and len(first.written) > 8
    again = dd.build_site([str(programme)], out, title="Programme")
    assert again.written == () and sorted(again.kept) == sorted(first.written)
    # one team's file changes: only its pages are drawn, and the programme page
    north = programme / "north.yaml"
    north.write_text(north.read_text().replace("5, 2026-04", "9, 2026-04"))
    changed = dd.build_site([str(programme)], out, title="Programme")
    assert changed.drawn == (str(north),) and again.drawn == ()
    # the chart and the card's sparkline show the new value; the pages are as they were
    assert set(changed.written) == {"index.html", "north/charts/rate.svg"}
    cold = tmp_path / "cold"
    dd.build_site([str(programme)], cold, title="Programme", jobs=2)
    assert tree(out) == tree(cold)
    # committed: the history on its page and the programme page's card change with it
    git("-c", "user.name=Coach", "-c", "user.email=c@example.org", "commit", "-qam", "March")
    committed = dd.build_site([str(programme)], out, title="Programme")
    assert committed.drawn == (str(north),)
    assert "north/index.html" in committed.written and "south/index.html" not in committed.written
    assert "March" in (out / "north" / "index.html").read_text()
    cold = tmp_path / "cold-2"
    dd.build_site([str(programme)], cold, title="Programme")
    assert tree(out) == tree(cold)
    # a page edited or removed by hand is drawn again; --force draws everything
    (out / "south" / "index.html").write_text("edited")
    (out / "south" / "charts" / "rate.svg").unlink()
    mended = dd.build_site([str(programme)], out, title="Programme")
    assert {"south/index.html", "south/charts/rate.svg"} <= set(mended.written)
    assert tree(out) == tree(cold)
    assert mended.drawn == (str(programme / "south.yaml"),)
    forced = dd.build_site([str(programme)], out, title="Programme", force=True)
    assert len(forced.drawn) == 2 and forced.written == ()
    assert len(forced.kept) == len(first.written)
    # another title is on every page: all drawn again
    retitled = dd.build_site([str(programme)], out, title="Programme 2")
    pages = {name for name in first.written if name.endswith(".html")}
    assert pages <= set(retitled.written) and "style.css" in retitled.kept


def test_the_same_bytes_whatever_the_number_of_jobs(tmp_path: Path) -> None:
    one, many, threaded = tmp_path / "one", tmp_path / "many", tmp_path / "threaded"
    dd.build_site([str(ROOT / "diagrams")], one, jobs=1)
    dd.build_site([str(ROOT / "diagrams")], many, jobs=3)
    assert tree(one) == tree(many)
    # with another thread running (the live preview's server) it draws in this process
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        dd.build_site([str(ROOT / "diagrams")], threaded, jobs=3)
    finally:
        stop.set()
        other.join()
    assert tree(threaded) == tree(one)
