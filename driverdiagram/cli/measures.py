"""Measures and PDSA cycles: ``analyse`` them, ``chart`` them, list the ``pdsa`` cycles."""

from __future__ import annotations

import click

import driverdiagram as dd

from .group import main, say, write_bytes


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


@main.command()
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
def pdsa(file: str, change_id: str | None, output_format: str) -> None:
    """List the PDSA cycles of FILE in date order, per change idea: dates,
    objective, prediction, plan, do, study and act."""
    text = dd.pdsa(dd.load(file), change_id, output_format)
    if output_format == "json":
        click.echo(text, nl=False)  # JSON escapes what a terminal would obey
    else:
        say(text, nl=False)
