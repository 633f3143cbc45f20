"""The portal's names for things: file names and anchors made from ids, never from text.

Every address the site writes (a diagram's folder, a change idea's page, a chart, an
anchor) is made here from an id or a file name: lower-case ASCII letters, digits and
'-', unique in its folder (so two ids differing only in case or punctuation never meet
on a file system that ignores case), and the same for the same input, run after run.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_NOT_NAME = re.compile(r"[^a-z0-9]+")


def slug(text: str, fallback: str) -> str:
    """``text`` as a name of ASCII letters, digits and '-' (``Ward 7.yaml`` ->
    ``ward-7-yaml``, ``é`` -> ``e``), at most 60 characters, starting with a letter;
    ``fallback`` when nothing of it is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = _NOT_NAME.sub("-", ascii_text.lower()).strip("-")[:60].strip("-")
    if not name:
        return fallback
    return name if name[0].isalpha() else f"{fallback}-{name}"


def unique(keys: Iterable[str], fallback: str) -> dict[str, str]:
    """Each distinct key (in the order given) -> its :func:`slug`, a number added to a
    slug already taken (``huddle``, ``huddle-2``)."""
    distinct = list(dict.fromkeys(keys))
    return dict(zip(distinct, numbered(distinct, fallback), strict=True))


def numbered(texts: Iterable[str], fallback: str) -> list[str]:
    """A :func:`slug` for each text, in order, a number added to one already taken: two
    files called ``plan.yaml`` in two folders make ``plan`` and ``plan-2``."""
    taken: set[str] = set()
    names = []
    for text in texts:
        base = slug(text, fallback)
        name, number = base, 2
        while name in taken:
            name, number = f"{base}-{number}", number + 1
        taken.add(name)
        names.append(name)
    return names
