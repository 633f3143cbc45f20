"""Small diagrams the tests write: the smallest valid one, a sound diagram that a
coaching test changes in one place, and one with measures and PDSA cycles."""

from __future__ import annotations

MINIMAL = (
    "aim: Every family enrolled by March 2027\nprimary:\n  - Families know they are eligible\n"
)

CONDITIONS = [
    "Families know about kindergarten",
    "Enrolment is simple",
    "Fees and transport are no barrier",
    "Services refer children to each other",
    "Staff welcome every culture",
    "Places match the demand in each suburb",
]

GOOD_AIM = "Raise kindergarten enrolment from 82% to 95% by February 2027"


def diagram_with(aim: str = GOOD_AIM, primaries: list[str] | None = None, extra: str = "") -> str:
    """A sound diagram, changed in one place by the test."""
    primaries = primaries or ["Families know about kindergarten", "Enrolment is simple"]
    lines = ["updated: 2026-11-20", f"aim: {aim}", "primary:"]
    ideas = [
        "Flyers at playgroups",
        "Reminder texts",
        "Enrol at the MCH visit",
        "Open days",
        "A one-page form",
        "Help desk at the library",
    ]
    for text, idea in zip(primaries, ideas, strict=False):
        lines += [f"  - text: {text}", "    changes:", f"      - {idea}"]
    return "\n".join(lines) + "\n" + extra


BASE = """\
aim:
  text: Reduce falls from 8 to 4 per 1,000 bed days by June 2027
  measures:
{aim_measures}
primary:
  - id: identify
    text: Patients at risk are identified early
{primary_extra}
    changes:
      - id: huddle
        text: Review high-risk patients at the daily huddle
{change_extra}
"""


def measured(
    aim_measures: str = "    - id: falls-rate\n      name: Falls per 1,000 bed days",
    primary_extra: str = "",
    change_extra: str = "",
) -> str:
    """A diagram with measures (and, where a test adds them, PDSA cycles)."""
    return BASE.format(
        aim_measures=aim_measures, primary_extra=primary_extra, change_extra=change_extra
    )
