"""A coach's own practice: ``reflect`` walks through the practice domains of a diagram
(its primary drivers) with the article's two questions, then asks which one or two to
work on, and writes the answers into the file in place."""

from __future__ import annotations

import datetime as dt
import sys

import click

import driverdiagram as dd

from .group import main, say


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    found = {}
    for value in values:
        domain, equals, text = value.partition("=")
        if not equals or not domain.strip():
            raise click.BadParameter(f"write DOMAIN=..., not {value!r}", param_hint=option)
        found[domain.strip()] = text.strip()
    return found


@main.command()
@click.argument("file", metavar="FILE")
@click.option(
    "--non-interactive",
    is_flag=True,
    help="Ask nothing: take the answers from --rate, --note and --focus.",
)
@click.option(
    "--rate",
    "rates",
    multiple=True,
    metavar="DOMAIN=RATING",
    help="A domain (its number from 1, id or words) and strong, room-to-grow or not-yet.",
)
@click.option("--note", "notes", multiple=True, metavar="DOMAIN=TEXT", help="A note on a domain.")
@click.option(
    "--focus",
    "focus",
    multiple=True,
    metavar="DOMAIN",
    help="A domain to work on now (repeat for a second); the others leave the focus.",
)
@click.option("--date", metavar="DATE", help="The day of the reflection (default: today).")
@click.option("--dry-run", is_flag=True, help="Show what would change, as a diff; write nothing.")
def reflect(
    file: str,
    non_interactive: bool,
    rates: tuple[str, ...],
    notes: tuple[str, ...],
    focus: tuple[str, ...],
    date: str | None,
    dry_run: bool,
) -> None:
    """Reflect on your practice as a coach, domain by domain, and write it into FILE.

    For each practice domain (the diagram's primary drivers) it asks the article's
    questions, "How am I tracking in this domain? Does my practice feel strong or is
    there room for improvement?", then "Which one or two will you work on?". The
    answers become dated reflections under each domain and 'focus: true' on the
    domains chosen, added in place: every other line of the file stays as it was."""
    ratings = _pairs(rates, "--rate")
    written = _pairs(notes, "--note")
    chosen: list[str] | None = list(focus) if focus else None
    if not non_interactive and sys.stdin.isatty():
        ratings, written, chosen = _ask(file, date)
    elif not ratings and chosen is None:
        raise click.UsageError(
            "give the answers with --rate DOMAIN=RATING (and --note, --focus), or run"
            " reflect at a terminal to be asked"
        )
    edits = dd.reflect(
        file, ratings, notes=written, focus=chosen, date=date or dt.date.today(), dry_run=dry_run
    )
    for line in edits.notes():
        say(line)
    if dry_run:
        say(edits.diff(), nl=False)
        say("(a dry run: nothing was written)" if edits.changed else "(nothing would change)")
    elif not edits.changed:
        say("nothing to write: the file is as it was")


def _ask(file: str, date: str | None) -> tuple[dict[str, str], dict[str, str], list[str] | None]:
    diagram = dd.load(file, data="optional")
    domains = diagram.at_level(dd.Level.PRIMARY)
    day = date or dt.date.today().isoformat()
    say(f"Reflecting on your practice in {file}, {day}.")
    say(
        "For each domain: How am I tracking in this domain? Does my practice feel strong,"
        " or is there room for improvement?"
    )
    ratings: dict[str, str] = {}
    notes: dict[str, str] = {}
    for number, node in enumerate(domains, start=1):
        latest = node.latest
        before = f" (last time, {latest.date}: {latest.rating.words})" if latest else ""
        focus = " [in focus]" if node.focus else ""
        say("")
        say(f"{number} of {len(domains)}. {' '.join(node.text.split())}{focus}{before}")
        while True:
            answer = click.prompt(
                "   [s]trong, [r]oom to grow, [n]ot yet, or Enter to pass over",
                default="",
                show_default=False,
            )
            # the first letter is enough
            rating = dd.Rating.named(answer, short=True) if answer.strip() else None
            if not answer.strip() or rating is not None:
                break
            say("   Type s, r or n (or press Enter to pass over this domain).")
        if rating is None:
            continue
        ratings[str(number)] = rating.value
        note = click.prompt(
            "   A note on what you noticed (Enter for none)", default="", show_default=False
        )
        if note.strip():
            notes[str(number)] = note.strip()
    now = [str(n) for n, node in enumerate(domains, start=1) if node.focus]
    say("")
    say("Which one or two domains will you work on now? Their numbers, such as '4 5'.")
    while True:
        shown = f"now {' '.join(now)}; " if now else ""
        answer = click.prompt(
            f"   Domains ({shown}Enter to keep as it is)", default="", show_default=False
        )
        picked = answer.replace(",", " ").split()
        if not picked:
            return ratings, notes, None
        if all(p.isdigit() and 1 <= int(p) <= len(domains) for p in picked):
            if len(set(picked)) > 2:
                say("   The advice is to pick just one or two; choose at most two.")
                continue
            return ratings, notes, list(dict.fromkeys(picked))
        say(f"   Type numbers from 1 to {len(domains)}, such as '4 5'.")
