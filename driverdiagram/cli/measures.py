"""Measures and PDSA cycles: ``analyse`` them, ``chart`` them, list the ``pdsa`` cycles,
and edit the file in place: ``pdsa add``, ``data add``, ``status``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

import driverdiagram as dd

from .group import DefaultGroup, main, say, write_bytes

F = TypeVar("F", bound=Callable[..., Any])


@main.command()
@click.argument("file", metavar="FILE")
@click.option("--measure", "measure_id", metavar="ID", help="Only this measure.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs.",
)
def analyse(file: str, measure_id: str | None, output_format: str) -> None:
    """Apply each measure's rules to its data and say what they show.

    A run chart (the default): the median, the longest run, crossings and runs
    against their limits, any shift or trend. A control chart ('chart: xmr', p,
    u or c): each phase's centre and limits, the points that break the rules
    (shewhart, mdc or anhoej) and, under mdc, the variation and assurance icons
    in words. Then a verdict: signal of improvement, signal in the wrong
    direction, no signal yet, or too few points to judge. A measure's 'rules',
    'baseline', 'exclude' and 'phases' decide how.
    """
    diagram = dd.load(file)
    if output_format == "json":
        click.echo(dd.json_text(dd.measure_records(diagram, measure_id)))
    else:
        say(dd.describe(diagram, measure_id))


@main.command()
@click.argument("file", metavar="FILE")
@click.option("--measure", "measure_id", metavar="ID", help="Only this measure.")
@click.option(
    "-f",
    "--format",
    "chart_format",
    type=click.Choice(dd.CHART_FORMATS),
    default=None,
    help="The file format of the charts (default: from -o's extension, else svg).",
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    help="A file (for one measure), a folder ending in '/', or - for standard output."
    " Default: FILE's folder, named DIAGRAM.MEASURE.FORMAT.",
)
def chart(file: str, measure_id: str | None, chart_format: str | None, output: str | None) -> None:
    """Draw the run or control chart of each measure of FILE (with matplotlib).

    A run chart shows the points, the median (frozen over the baseline, then
    dashed), the target, shift and trend points; a control chart the centre
    line and limits of each phase (2-sigma lines and the variation and
    assurance icons under mdc), flagged points by kind and shape, excluded
    points hollow. Both show astronomical points, notes and the PDSA cycles
    that watch the measure. A measure without data is passed over with a note.
    """
    for kind, what in dd.chart_files(dd.load(file), measure_id, chart_format, output):
        if isinstance(what, bytes):
            write_bytes(what)
        else:
            say(what, err=kind == "note")


@main.group(cls=DefaultGroup, default="list")
def pdsa() -> None:
    """PDSA cycles: list them ('driverdiagram pdsa FILE' is 'pdsa list FILE') or add
    one to the file in place ('pdsa add')."""


@pdsa.command("list")
@click.argument("file", metavar="FILE")
@click.option("--change", "change_id", metavar="ID", help="Only this change idea.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text to read, markdown to paste into a meeting paper, json for programs.",
)
def pdsa_list(file: str, change_id: str | None, output_format: str) -> None:
    """List the PDSA cycles of FILE in date order, per change idea: dates,
    objective, prediction, plan, do, study and act."""
    text = dd.pdsa(dd.load(file), change_id, output_format)
    if output_format == "json":
        click.echo(text, nl=False)  # JSON escapes what a terminal would obey
    else:
        say(text, nl=False)


#: What ``pdsa add`` asks for, at a terminal, when it is not given: option -> question.
_QUESTIONS = {
    "name": "Short name (optional)",
    "end": "Last day, as 2026-09-14 (optional)",
    "objective": "Objective: what question does the cycle answer?",
    "prediction": "Prediction: what do you expect to happen?",
    "plan": "Plan: who, what, where, when?",
    "do": "Do: what happened?",
    "study": "Study: how did it compare with the prediction?",
    "act": "Act: adopt, adapt or abandon (optional)",
}


def at_terminal() -> bool:
    """Whether a person is there to answer questions (standard input is a terminal)."""
    return sys.stdin.isatty()


def _text_option(name: str, what: str) -> Callable[[F], F]:
    return click.option(f"--{name}", metavar="TEXT", help=what)


def _merge_options(what: str) -> Callable[[F], F]:
    def wrap(function: F) -> F:
        function = click.option(
            "--dry-run",
            is_flag=True,
            help="Show what would change, as a diff, and write nothing.",
        )(function)
        return click.option(
            "--from",
            "sources",
            multiple=True,
            metavar="PATH...",
            help=f"Merge report files from the portal's forms ({what}): files, or a"
            " folder of them; the paths after it are taken too.",
        )(function)

    return wrap


def merge(file: str, sources: tuple[str, ...], kind: str, dry_run: bool) -> None:
    """Merge report files and say what was (or would be) done."""
    _said(dd.merge_reports(file, sources, kind=kind, dry_run=dry_run), dry_run)


def _said(merged: dd.Merged, dry_run: bool) -> None:
    for note in merged.notes:
        say(note)
    if dry_run:
        say(merged.diff, nl=False)
        say("(a dry run: nothing was written)" if merged.changed else "(nothing would change)")
    elif not merged.changed:
        say("nothing to add: the file is as it was")


@pdsa.command("add")
@click.argument("file", metavar="FILE")
@click.argument("more", nargs=-1, metavar="[PATH...]")
@click.option("--change", "change_id", metavar="ID", help="The change idea tested.")
@click.option("--start", metavar="DATE", help="The cycle's first day, as 2026-09-01.")
@click.option("--end", metavar="DATE", help="Its last day, as 2026-09-14.")
@_text_option("name", "A short name, shown on the run charts.")
@_text_option("objective", "The question the cycle answers.")
@_text_option("prediction", "What the team expects to happen.")
@_text_option("plan", "Who, what, where and when.")
@_text_option("do", "What happened.")
@_text_option("study", "What the data showed against the prediction.")
@_text_option("owner", "Who runs the cycle (a name or a team).")
@click.option("--due", metavar="DATE", help="When its study is due back, as 2026-09-30.")
@click.option(
    "--act",
    type=click.Choice(["adopt", "adapt", "abandon"], case_sensitive=False),
    help="What the team decided.",
)
@click.option(
    "--measure",
    "measure_ids",
    multiple=True,
    metavar="ID",
    help="A measure the cycle watches (repeat for more): its chart marks the cycle.",
)
@_merge_options("*.pdsa.yaml")
def pdsa_add(
    file: str,
    more: tuple[str, ...],
    change_id: str | None,
    start: str | None,
    measure_ids: tuple[str, ...],
    sources: tuple[str, ...],
    dry_run: bool,
    **texts: str | None,
) -> None:
    """Add a PDSA cycle of change idea ID to FILE, in place: every comment, blank
    line and quote elsewhere in the file stays as it was, and the new lines follow
    the file's own indentation. The result is checked before it is written, and
    the command refuses when the file changed on disk meanwhile, or a cycle of
    that change idea starting that day is there already. At a terminal, what is
    not given is asked for (press Enter to leave it out).

    With --from, merge the cycles partners reported with the portal's form
    (ID-DATE.pdsa.yaml files, or a folder of them): all in one write; a cycle
    already in the file (same change idea and start) is not added again, but what
    it leaves empty and the report says is filled in, with a note."""
    if sources:
        given = [name for name, value in (("--change", change_id), ("--start", start)) if value]
        given += [f"--{key}" for key, value in texts.items() if value]
        if given or measure_ids:
            raise click.UsageError(
                f"--from merges report files; leave out {', '.join(given) or '--measure'}"
            )
        merge(file, (*sources, *more), "pdsa-report", dry_run)
        return
    if more:
        raise click.UsageError(f"unexpected {more[0]!r}: report files follow --from")
    if dry_run:
        raise click.UsageError("--dry-run goes with --from")
    if change_id is None:
        raise click.UsageError("give the change idea: --change ID (or --from report files)")
    if start is None:
        if not at_terminal():
            raise click.UsageError("give the cycle's first day: --start 2026-09-01")
        start = click.prompt("First day, as 2026-09-01", type=str)
        for key, question in _QUESTIONS.items():
            if texts.get(key) is None:
                texts[key] = click.prompt(question, default="", show_default=False).strip()
    found = {key: value or "" for key, value in texts.items()}
    say(
        dd.add_cycle(
            file,
            change_id,
            start,
            end=found.pop("end") or None,
            act=found.pop("act") or None,
            due=found.pop("due") or None,
            measures=measure_ids,
            **found,
        )
    )


@pdsa.command("template")
@click.argument("file", metavar="FILE")
@click.option("-o", "--output", required=True, metavar="LOG.xlsx", help="The workbook to write.")
@click.option("--force", is_flag=True, help="Replace the workbook if it is there already.")
def pdsa_template(file: str, output: str, force: bool) -> None:
    """Write a PDSA log workbook for partners who live in Excel: a PDSA sheet (a row
    per cycle; the change idea a drop-down of FILE's change ideas, Start, End and
    Study due checked dates, Act a drop-down), an Instructions sheet in plain words, and a
    sheet per measure with its months. Read it back with 'pdsa import'."""
    dd.pdsa_template(dd.load(file, data="optional"), output, force=force)
    say(output)


@pdsa.command("import")
@click.argument("file", metavar="FILE")
@click.argument("log", metavar="LOG")
@click.option("--dry-run", is_flag=True, help="Show what would change, as a diff; write nothing.")
@click.option(
    "--dates",
    type=click.Choice(["dmy", "mdy"]),
    help="How to read a day written 01/09/2026: dmy (1 September) or mdy (9 January).",
)
def pdsa_import(file: str, log: str, dry_run: bool, dates: str | None) -> None:
    """Merge a PDSA log into FILE, in place: the workbook 'pdsa template' wrote, as
    partners filled it in (its PDSA sheet and measures' sheets), or a CSV file with
    its headings, such as the responses Microsoft Forms or Google Forms export. A
    cycle already in the file (same change idea and start) is not added again, but
    what its row says that the file leaves empty is filled in; every problem is
    named with its cell (log.xlsx:PDSA!C7, responses.csv:12:3)."""
    merged = dd.import_log(file, log, dates=dates, dry_run=dry_run)
    _said(merged, dry_run)


@main.group()
def data() -> None:
    """A measure's data: add a period to the file in place ('data add')."""


class Number(click.ParamType):
    """A number, or (for a value) a numerator and denominator written N/D."""

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            number = float(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a number", param, ctx)
        if number != number or number in (float("inf"), float("-inf")):
            self.fail(f"{value!r} is not a number", param, ctx)
        return number


@data.command("add")
@click.argument("file", metavar="FILE")
@click.argument("period_value", nargs=-1, metavar="[PERIOD VALUE]")
@click.option("--measure", "measure_id", metavar="ID", help="The measure.")
@click.option("--period", metavar="PERIOD", help="The month (2026-11) or day (2026-11-15).")
@click.option("--value", type=Number(), help="Its value.")
@click.option("--numerator", type=Number(), help="Its numerator (with --denominator).")
@click.option("--denominator", type=Number(), help="Its denominator (with --numerator).")
@click.option("--note", default="", metavar="TEXT", help="A note on the period.")
@_merge_options("*.data.yaml")
def data_add(
    file: str,
    period_value: tuple[str, ...],
    measure_id: str | None,
    period: str | None,
    value: float | None,
    numerator: float | None,
    denominator: float | None,
    note: str,
    sources: tuple[str, ...],
    dry_run: bool,
) -> None:
    """Add a period to measure ID of FILE, in place: PERIOD VALUE (or
    NUMERATOR/DENOMINATOR), or --period and --value (or --numerator and
    --denominator). The row goes to the measure's data file when it has one (in
    its own column order, line ending and encoding), else into its 'values', in
    time order; every other byte stays as it was. Refused when the period is in
    the data already, or the file changed on disk meanwhile.

    With --from, merge the months partners reported with the portal's form
    (ID-PERIOD.data.yaml files, or a folder of them) in one write: a period
    already there with the same value is skipped, with another value refused."""
    if sources:
        if (
            measure_id
            or period
            or note
            or any(number is not None for number in (value, numerator, denominator))
        ):
            raise click.UsageError("--from merges report files; leave out the other options")
        merge(file, (*sources, *period_value), "data-report", dry_run)
        return
    if dry_run:
        raise click.UsageError("--dry-run goes with --from")
    if measure_id is None:
        raise click.UsageError("give the measure: --measure ID (or --from report files)")
    if len(period_value) > 2 or (period_value and period is not None):
        raise click.UsageError("give PERIOD VALUE, or --period and --value, not both")
    if period_value:
        period = period_value[0]
        if len(period_value) == 2:
            given = period_value[1]
            top, slash, bottom = given.partition("/")
            number = Number()
            if slash:
                numerator = number.convert(top, None, None)
                denominator = number.convert(bottom, None, None)
            else:
                value = number.convert(given, None, None)
    if period is None:
        raise click.UsageError("give the period: PERIOD VALUE, or --period 2026-11 --value 7")
    say(
        dd.add_point(
            file, measure_id, period, value, numerator=numerator, denominator=denominator, note=note
        )
    )


@main.command()
@click.argument("file", metavar="FILE")
@click.argument("change_id", metavar="ID")
@click.argument(
    "status", type=click.Choice(["idea", "testing", "adopted", "abandoned"], case_sensitive=False)
)
def status(file: str, change_id: str, status: str) -> None:
    """Set the status of change idea ID in FILE, in place (idea, testing, adopted or
    abandoned): its value replaced where it is written, else added after its text;
    every other byte stays as it was."""
    say(dd.set_status(file, change_id, status))
