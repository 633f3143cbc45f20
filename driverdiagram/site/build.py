"""Build the portal: find the diagrams, read them all, then write every page.

The output folder is the site's own: it must be new, empty (hidden files such as a
``.git`` aside) or one this module built before, which it knows by the list of files
it keeps there (:data:`MANIFEST`). Pages it wrote before and no longer writes are
removed, and nothing else ever is. No write goes through a symbolic link, no folder
inside the site is reached through one, and each file is written atomically.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DiagramError, Location, Problem, RenderError
from ..files import make_folder, read_bytes, refuse_input, refuse_link, remove_file, write_atomic
from ..measures.chart import chart
from ..model import Diagram
from ..readers import diagram as reader
from ..style import DEFAULT, Theme
from ..summary import alt_text
from . import history, pages
from .names import numbered

if TYPE_CHECKING:
    import jinja2

#: The list of the files the site is made of, kept at its top: what a rebuild may
#: replace or remove, and how an output folder is known to be a site.
MANIFEST = ".driverdiagram-site"
#: The names the site's files have (what a list of them may hold): its stylesheet,
#: pages and charts, in at most two folders, each name ours (see :mod:`.names`).
_OURS = re.compile(r"(?:[a-z0-9][a-z0-9-]*/){0,2}[a-z0-9][a-z0-9-]*\.(?:html|svg|css)\Z")
#: What a diagram file is called, in a folder searched for them.
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Built:
    """What :func:`build` did: the files written (paths inside the output folder, in
    the order written), the files removed because no diagram makes them any more,
    the problems of the diagrams left out (each invalid file), and the warnings of
    those read (text cut short by a comment, a CSV read as Windows-1252)."""

    written: tuple[str, ...]
    removed: tuple[str, ...]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def find(paths: list[str] | tuple[str, ...], out: Path) -> tuple[list[str], list[Problem]]:
    """The diagram files: each file named, and in each folder named every YAML file
    that is meant as a diagram (the ``--diagrams-only`` rule), in name order, passing
    over hidden folders, symbolic links to folders, the output folder, and links to
    files outside the folder (each reported)."""
    found: list[str] = []
    problems: list[Problem] = []
    skip = os.path.realpath(out)
    for path in paths:
        if os.path.isdir(path):
            top = os.path.realpath(path)
            for folder, subfolders, files in os.walk(path):
                subfolders[:] = sorted(
                    name
                    for name in subfolders
                    if not name.startswith(".")
                    and os.path.realpath(os.path.join(folder, name)) != skip
                )
                for name in sorted(files):
                    if name.lower().endswith(SUFFIXES) and not name.startswith("."):
                        file = os.path.join(folder, name)
                        real = os.path.realpath(file)
                        if os.path.commonpath([top, real]) != top:
                            # a link that leads out of the folder: a folder someone sent
                            # must not publish a diagram from elsewhere on this computer
                            problems.append(
                                Problem(
                                    Location(file),
                                    "is a link to a file outside the folder, passed over;"
                                    " name the file itself to put it in the site",
                                )
                            )
                        elif _looks_like_diagram(file):
                            found.append(file)
        elif os.path.lexists(path):
            found.append(path)
        else:
            problems.append(Problem(Location(path), "no such file or folder"))
    seen: set[str] = set()
    unique_files = []
    for file in found:
        real = os.path.realpath(file)
        if real not in seen:
            seen.add(real)
            unique_files.append(file)
    return unique_files, problems


def _looks_like_diagram(path: str) -> bool:
    try:
        return reader.looks_like_diagram(read_bytes(path))
    except DiagramError:
        return True  # read it as a diagram, so the user is told why it cannot be read


def build(
    paths: list[str] | tuple[str, ...],
    out: str | os.PathLike[str],
    *,
    title: str | None = None,
    theme: Theme = DEFAULT,
    since: str | None = None,
) -> Built:
    """Build the site of the diagrams in ``paths`` (files, or folders searched for
    them) into the folder ``out``; see :class:`Built`. Every diagram is read before
    anything is written; one that is invalid is left out and its problems returned.
    ``since`` (a revision or a date) is where the programme page's "what changed"
    starts; see :func:`.history.since`."""
    target = Path(out)
    refuse_link(target)
    old = _manifest(target)
    files, problems = find(paths, target)
    diagrams: list[Diagram] = []
    warnings: list[Problem] = []
    for file in files:
        try:
            diagram = reader.load(file)
        except DiagramError as error:
            problems.extend(error.problems)
            continue
        diagrams.append(diagram)
        warnings.extend((*diagram.warnings, *diagram.unread))
    folders = numbered((Path(diagram.path).stem for diagram in diagrams), "diagram")
    named = [(d, pages.names_of(d, folder)) for d, folder in zip(diagrams, folders, strict=True)]
    histories = [history.history_of(diagram) for diagram in diagrams]
    changed = history.since(diagrams, histories, since)
    cards = [
        pages.card_of(d, names, past)
        for (d, names), (past, _) in zip(named, histories, strict=True)
    ]
    site = _Writer(target, [diagram.path for diagram in diagrams])
    make_folder(target)
    try:
        _write_site(site, diagrams, named, histories, cards, changed, title, theme)
    except BaseException:
        # a build stopped part way (Graphviz's time limit, an interrupt) still lists
        # every file it wrote with the last build's, so the next build takes the folder
        # as its own and tidies it, instead of refusing a folder of pages it made
        site.keep_list(old)
        raise
    removed = site.finish(old)
    return Built(tuple(site.written), tuple(removed), tuple(problems), tuple(warnings))


def _write_site(
    site: _Writer,
    diagrams: list[Diagram],
    named: list[tuple[Diagram, Any]],
    histories: list[Any],
    cards: list[Any],
    changed: Any,
    title: str | None,
    theme: Theme,
) -> None:
    """Every file of the site: the stylesheet, the icons, the programme page and each
    diagram's pages."""
    env = pages.environment()
    heading = title or "Driver diagrams"
    site.write(pages.STYLESHEET, pages.stylesheet())
    # the Making Data Count icons any measure shows, each file once
    icons = {icon.src: icon for d in diagrams for m in d.measures for icon in pages.icons_of(m)}
    for src in sorted(icons):
        site.write(src, pages.icon_svg(icons[src]))
    columns, shared = pages.shared_ideas(named)
    site.write(
        "index.html",
        pages.render(
            env,
            "index.html",
            title=heading,
            root="",
            cards=cards,
            columns=columns,
            shared=shared,
            since=changed,
            changed=[(cards[team.index], team) for team in changed.teams],
        ),
    )
    for (diagram, names), (past, _) in zip(named, histories, strict=True):
        _diagram_pages(site, env, diagram, names, heading, theme, past)


def _diagram_pages(
    site: _Writer,
    env: jinja2.Environment,
    diagram: Diagram,
    names: pages.Names,
    programme: str,
    theme: Theme,
    past: history.History,
) -> None:
    folder = names.folder
    charts = {m.id: pages.chart_of(diagram, m, names) for m in diagram.measures}
    for measure in diagram.measures:
        if measure.points:
            site.write(f"{folder}/{names.chart(measure)}", chart(diagram, measure, "svg"))
    common = {
        "programme": programme,
        "root": "../",
        "diagram": diagram,
        "diagram_title": pages.card_title(diagram),
        "charts": charts,
        "names": names,
    }
    outline = pages.outline_of(diagram, names)
    ideas = pages.ideas_of(diagram, names)
    site.write(
        f"{folder}/index.html",
        pages.render(
            env,
            "diagram.html",
            **common,
            title=pages.card_title(diagram),
            svg=pages.markup(pages.linked_svg(diagram, names, theme)),
            alt=alt_text(diagram),
            outline=outline,
            ideas=[idea for idea in ideas if idea.cycles],
            history=past,
            most=history.MOST,
        ),
    )
    for idea in ideas:
        watched = list(dict.fromkeys(m for cycle in idea.cycles for m in cycle.measures))
        site.write(
            f"{folder}/{idea.href}",
            pages.render(
                env,
                "change.html",
                **common,
                title=" ".join(idea.node.text.split()),
                idea=idea,
                paths=pages.paths_to_aim(diagram, idea.node.id),
                watched=[charts[m] for m in watched if m in charts],
            ),
        )


class _Writer:
    """Writes the files of the site inside its folder, and keeps their list."""

    def __init__(self, top: Path, inputs: list[str]) -> None:
        self.top = top
        self.inputs = inputs
        self.written: list[str] = []

    def write(self, name: str, data: bytes) -> None:
        path = self.top / name
        make_folder(path.parent, inside=self.top)  # never into a folder reached by a link
        for source in self.inputs:
            refuse_input(source, path)
        write_atomic(path, data)
        self.written.append(name)

    def keep_list(self, old: list[str]) -> None:
        """List what this build wrote and what the last one did, removing nothing."""
        self._list(set(self.written) | set(old))

    def finish(self, old: list[str]) -> list[str]:
        """Remove what the last build wrote and this one did not, then keep the list."""
        kept = set(self.written)
        removed = []
        for name in old:
            if name not in kept and remove_file(self.top / name, self.top):
                removed.append(name)
        self._list(kept)
        return removed

    def _list(self, names: set[str]) -> None:
        """Keep the list of the site's files (:data:`MANIFEST`), in name order."""
        write_atomic(self.top / MANIFEST, "".join(f"{n}\n" for n in sorted(names)).encode())


def _manifest(top: Path) -> list[str]:
    """The files the site in ``top`` was built with; [] for a new or empty folder. A
    folder with other things in it (hidden ones aside) and no list is refused."""
    if not top.exists():
        return []
    if not top.is_dir():
        raise RenderError.at(Location(str(top)), "is a file; the site is written to a folder")
    listed = top / MANIFEST
    if not os.path.lexists(listed):
        if any(not entry.startswith(".") for entry in os.listdir(top)):
            raise RenderError.at(
                Location(str(top)),
                "is not empty and holds no site built by driverdiagram; choose a new or"
                " empty folder, so no file of yours is overwritten",
            )
        return []
    text = read_bytes(listed).decode("utf-8", "replace")
    # only the kind of name this module writes: inside the site, never up or absolute
    return [line for line in text.splitlines() if _OURS.match(line)]
