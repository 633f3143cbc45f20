"""The portal's names for things: file names and anchors made from ids, never from text.

Every address the site writes (a diagram's folder, a change idea's page, a chart, an
anchor) is made here from an id or a file name: lower-case ASCII letters, digits and
'-', unique in its folder (so two ids differing only in case or punctuation never meet
on a file system that ignores case), and the same for the same input, run after run.

A box written without an id has one made from its place (``P1.S2.C3``), which changes
when a box is added above it; its address is made from its text instead (see
:func:`box_names`), so a link a partner keeps still leads to the same change idea
after the diagram grows.
"""

from __future__ import annotations

import hashlib
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


def text_name(text: str) -> str:
    """A name for a box from its text (:func:`slug`); text with no ASCII letter or digit
    in it (Greek, Chinese ...) is named by a short hash of its words instead."""
    words = " ".join(text.split())
    name = slug(words, "box")
    if _NOT_NAME.sub("", unicodedata.normalize("NFKD", words).lower()):
        return name
    return "box-" + hashlib.sha256(words.encode("utf-8")).hexdigest()[:10]


def box_names(boxes: Iterable[tuple[str, str, bool]]) -> dict[str, str]:
    """Each box's name from (id, text, whether the id was made up): the boxes with an id
    of their own by the id, then those without one by their text, each in document
    order, a number added to a name already taken. A made-up id (its place) is never
    used, so adding, moving or removing an unrelated box changes no other box's name."""
    listed = list(boxes)
    order = [box for box in listed if not box[2]] + [box for box in listed if box[2]]
    bases = [text_name(text) if made else slug(box_id, "box") for box_id, text, made in order]
    taken: set[str] = set()
    names: dict[str, str] = {}
    for (box_id, _, _), base in zip(order, bases, strict=True):
        name, number = base, 2
        while name in taken:
            name, number = f"{base}-{number}", number + 1
        taken.add(name)
        names[box_id] = name
    return names
