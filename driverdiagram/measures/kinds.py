"""The chart kinds and rule sets: one registry entry per kind, each with the formula of
its centre line and sigma (docs/measures.md, "Control charts").

A kind's ``lines`` function gets one phase of raw values (for P and U charts the
proportion or rate numerator / denominator, before a unit's ``%`` or ``per N``
multiplies it) and says where the centre is and what one sigma is at each point.
:mod:`driverdiagram.measures.control` does the rest (limits at 1, 2 and 3 sigma,
clamping, baseline, exclusions, phases, the rules), so a new kind (g, t, P', U') is a
function here and one entry in :data:`KINDS`.

Formulas as in qicharts2's ``R/helper.functions.R`` (``qic.i``, ``qic.p``, ``qic.u``,
``qic.c``; Anhøj, github.com/anhoej/qicharts2) and Montgomery, *Introduction to
Statistical Quality Control* (eq. 6.33 for the individuals chart, 7.17 and 7.19 for the
c and u charts); the Making Data Count constant 2.66 as in NHSRplotthedots'
``R/ptd_spc_standard.R`` (github.com/nhs-r-community/NHSRplotthedots).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: d2 for moving ranges of two points: sigma = mean moving range / 1.128 (Montgomery 6.33).
D2 = 1.128
#: A moving range above this many times the mean is left out and the mean taken again
#: (Nelson 1982; qicharts2's qic.screenedmr option, on by default, and NHSRplotthedots'
#: screen_outliers, on by default).
SCREEN = 3.267
#: Making Data Count: limits at mean +- 2.66 x mean moving range (NHSRplotthedots, the
#: MDC spreadsheet), so one sigma is 2.66 / 3 of the mean moving range.
MDC_LIMIT = 2.66

_PER = re.compile(r"per\s+(\d[\d,.\s\u00a0\u202f']*\d|\d)\b")


def multiplier(unit: str) -> float:
    """What numerator / denominator is multiplied by for a unit: 100 for a percentage
    ('%', 'percent', 'per cent', 'percentage'), N for 'per N ...' ('per 1,000 bed
    days', 'per 1 000', 'per thousand'), else 1."""
    words = unit.strip().lower()
    if words.startswith("%") or re.match(r"(percent|per\s+cent|percentage)\b", words):
        return 100.0
    match = _PER.search(words)
    if match:
        digits = re.sub(r"[,.\s\u00a0\u202f']", "", match.group(1))
        if re.fullmatch(r"[0-9]{1,15}", digits) and int(digits) > 0:
            return float(digits)
        return 1.0
    named = re.search(r"per\s+(hundred|thousand|ten thousand|hundred thousand|million)\b", words)
    if named:
        return {
            "hundred": 100.0,
            "thousand": 1e3,
            "ten thousand": 1e4,
            "hundred thousand": 1e5,
            "million": 1e6,
        }[named.group(1)]
    return 1.0


@dataclass(frozen=True)
class Phase:
    """One phase of raw values: ``values`` (None when missing), ``sizes`` (the
    denominators of a P or U chart, else None) and ``basis``, true for the points the
    centre and limits are computed from (in the baseline, not excluded, not missing)."""

    values: Sequence[float | None]
    sizes: Sequence[float | None]
    basis: Sequence[bool]
    screen: bool = True
    rules: str = "shewhart"


@dataclass(frozen=True)
class Lines:
    """Where a kind puts the centre and one sigma (None where it cannot be known),
    and the number of moving ranges screened out (XmR)."""

    centre: float
    sigma: list[float | None]
    screened: int = 0


@dataclass(frozen=True)
class Kind:
    """A chart kind: its name in the format, its title, whether each period needs a
    numerator and denominator (``ratio``), the bounds its limits are clamped to, and
    the formula of its lines."""

    name: str
    title: str
    ratio: bool
    floor: float | None
    ceiling: float | None
    lines: Callable[[Phase], Lines]
    needs: int = 1  # the fewest basis points its limits can be computed from


def _mean(numbers: Sequence[float]) -> float:
    return math.fsum(numbers) / len(numbers)


def xmr_lines(phase: Phase) -> Lines:
    """Individuals: centre = mean; sigma = mean moving range / 1.128 (qicharts2
    ``qic.i``), or 2.66 / 3 x mean moving range under ``mdc`` (NHSRplotthedots). The
    moving ranges are taken between consecutive basis points (an excluded point is
    passed over, a missing one breaks the range, as in qicharts2) and, unless
    ``screen`` is off, those of 3.267 x their mean or more are left out and the mean
    taken again (qicharts2 and NHSRplotthedots keep ranges strictly below the cut)."""
    used = [
        value
        for value, basis in zip(phase.values, phase.basis, strict=True)
        if basis or value is None
    ]
    centre = _mean([value for value in used if value is not None])
    ranges = [
        abs(later - earlier)
        for earlier, later in itertools.pairwise(used)
        if earlier is not None and later is not None
    ]
    screened = 0
    if not ranges:
        return Lines(centre, [None] * len(phase.values))
    average = _mean(ranges)
    if phase.screen:
        kept = [value for value in ranges if value < SCREEN * average]
        screened = len(ranges) - len(kept)
        average = _mean(kept) if kept else average
    sigma = average * MDC_LIMIT / 3 if phase.rules == "mdc" else average / D2
    return Lines(centre, [sigma] * len(phase.values), screened)


def _pooled(phase: Phase) -> float:
    """Sum of numerators / sum of denominators over the basis (qicharts2 ``qic.p``,
    ``qic.u``): the value times the size gives back each numerator."""
    pairs = [
        (value * size, size)
        for value, size, basis in zip(phase.values, phase.sizes, phase.basis, strict=True)
        if basis and value is not None and size is not None
    ]
    return math.fsum(count for count, _ in pairs) / math.fsum(size for _, size in pairs)


def p_lines(phase: Phase) -> Lines:
    """Proportions: centre p = sum of numerators / sum of denominators; sigma at each
    point sqrt(p (1 - p) / n_i) (qicharts2 ``qic.p``); limits clamped to [0, 1]."""
    centre = _pooled(phase)
    return Lines(
        centre,
        [  # max(0, ...): a proportion is in [0, 1] (the reader refuses others)
            None if not size else math.sqrt(max(centre * (1 - centre), 0.0) / size)
            for size in phase.sizes
        ],
    )


def u_lines(phase: Phase) -> Lines:
    """Rates: centre u = sum of counts / sum of exposure; sigma at each point
    sqrt(u / n_i) (qicharts2 ``qic.u``, Montgomery 7.19); the lower limit clamped at 0."""
    centre = _pooled(phase)
    return Lines(centre, [None if not size else math.sqrt(centre / size) for size in phase.sizes])


def c_lines(phase: Phase) -> Lines:
    """Counts: centre c = mean count; sigma sqrt(c) (qicharts2 ``qic.c``, Montgomery
    7.17); the lower limit clamped at 0."""
    used = [
        value
        for value, basis in zip(phase.values, phase.basis, strict=True)
        if basis and value is not None
    ]
    centre = _mean(used)
    return Lines(centre, [math.sqrt(centre)] * len(phase.values))


#: The control chart kinds, by their name in the format (``chart:``). A run chart
#: (``chart: run``, the default) is :mod:`driverdiagram.measures.runs`.
KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("xmr", "XmR chart (individuals and moving ranges)", False, None, None, xmr_lines, 2),
        Kind("p", "P chart (proportions)", True, 0.0, 1.0, p_lines),
        Kind("u", "U chart (rates)", True, 0.0, None, u_lines),
        Kind("c", "C chart (counts)", False, 0.0, None, c_lines),
    )
}

#: Every value of ``chart:``, the default first.
CHARTS = ("run", *KINDS)
#: The rule sets of each family of chart, the default first.
RUN_RULES = ("ihi", "anhoej")
CONTROL_RULES = ("shewhart", "mdc", "anhoej")
