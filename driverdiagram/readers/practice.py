"""A coach's own practice, on a primary driver (a practice domain): ``focus: true`` for
the one or two domains the coach is working on now, and ``reflections:``, the dated
answers to the article's two questions ("How am I tracking in this domain? Does my
practice feel strong or is there room for improvement?"):

.. code-block:: yaml

    - text: Creating buy-in
      focus: true
      reflections:
        - {date: 2026-03-31, rating: room-to-grow, note: Two teams still unsure why}
        - date: 2026-06-30
          rating: strong

Problems are located at the value; reflections come back in date order.
"""

from __future__ import annotations

import datetime as dt

from ..model import Rating, Reflection
from ..text import suggest
from .measures import Walker, read_date
from .yamltree import Mapping, Scalar, YamlNode, describe

#: The keys of a reflection, in the order they are written.
REFLECTION_KEYS = ("date", "rating", "note")
#: The keys a primary driver has for its practice domain.
PRACTICE_KEYS = ("focus", "reflections")
RATINGS = tuple(rating.value for rating in Rating)
_TRUE = ("true", "yes", "on")
_FALSE = ("false", "no", "off")


def read_focus(reader: Walker, node: YamlNode) -> bool:
    """``focus: true`` or ``false`` (yes/no and on/off too, any case)."""
    text = (node.value or "").strip().lower() if isinstance(node, Scalar) else ""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    shown = f"'{node.value}'" if isinstance(node, Scalar) and node.value else describe(node)
    reader.problem(
        node.location,
        f"'focus' should be true (a domain you are working on now) or false, not {shown}",
    )
    return False


def read_reflections(reader: Walker, node: YamlNode) -> tuple[Reflection, ...]:
    """The ``reflections`` list of a primary driver, in date order; one reflection a
    day (a second on the same day is reported where it is written)."""
    found: dict[dt.date, Reflection] = {}
    for item in reader.entries(node, "reflections", "reflection"):
        if not isinstance(item, Mapping):
            reader.problem(
                item.location,
                "each reflection should be a mapping such as"
                f" {{date: 2026-03-31, rating: strong}}, not {describe(item)}",
            )
            continue
        reflection = _reflection(reader, item)
        if reflection is None:
            continue
        if reflection.date in found:
            before = found[reflection.date].location
            reader.problem(
                reflection.location,
                f"a second reflection on {reflection.date} (the first is on line"
                f" {before.line}); keep one a day",
            )
            continue
        found[reflection.date] = reflection
    return tuple(sorted(found.values(), key=lambda reflection: reflection.date))


def _reflection(reader: Walker, item: Mapping) -> Reflection | None:
    date: dt.date | None = None
    rating: Rating | None = None
    note = ""
    for key, value in item.items:
        name = key.value or ""
        if name == "date":
            date = read_date(reader, value, "date")
        elif name == "rating":
            rating = _rating(reader, value)
        elif name == "note":
            note = reader.text(value, "the reflection's 'note'") or ""
        else:
            reader.unknown_key(key, REFLECTION_KEYS, "a reflection")
    for wanted, example in (("date", "date: 2026-03-31"), ("rating", "rating: strong")):
        if wanted not in item.keys:
            reader.problem(
                item.location,
                f"this reflection has no '{wanted}'; add '{example}'"
                + (f" (one of: {', '.join(RATINGS)})" if wanted == "rating" else ""),
            )
    if date is None or rating is None:
        return None
    return Reflection(date, rating, item.location, note)


def _rating(reader: Walker, node: YamlNode) -> Rating | None:
    text = (node.value or "").strip() if isinstance(node, Scalar) else ""
    named = Rating.named(text)  # 'Room to grow' and 'room_to_grow' say what they mean
    if named is not None:
        return named
    written = Rating.normal(text)  # for the did-you-mean
    shown = f"'{text}'" if text else describe(node) if not isinstance(node, Scalar) else "empty"
    hint = suggest(written, list(RATINGS), cutoff=0.5) if text else ""
    reader.problem(
        node.location,
        f"unknown rating {shown}{hint}; use one of: {', '.join(RATINGS)}",
    )
    return None
