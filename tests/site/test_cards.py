"""The programme page's cards (issue 15): each outcome measure's latest value, a
sparkline we draw ourselves (numbers only, checked as every drawing is) and its
verdict in words, and under Making Data Count rules the variation and assurance icons,
each with its words as its text alternative."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

import driverdiagram as dd
from driverdiagram.draw import svg as svg_check
from driverdiagram.site import pages
from tests.paths import FALLS
from tests.site.hostile import HOSTILE, write_hostile
from tests.site.test_build import parsed

pytestmark = pytest.mark.graphviz


@pytest.fixture(scope="module")
def falls_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cards") / "site"
    dd.build_site([str(FALLS)], out)
    return out


def sparklines(html: str) -> list[str]:
    return re.findall(r'<svg xmlns="http://www.w3.org/2000/svg" class="spark".*?</svg>', html)


def test_a_card_shows_the_latest_value_a_sparkline_the_verdict_and_the_icons(
    falls_site: Path,
) -> None:
    falls = dd.load(FALLS)
    outcome = next(m for m in falls.measures if m.type == dd.MeasureType.OUTCOME)
    index = (falls_site / "index.html").read_text()
    card = index[
        index.index('<ul class="outcomes">') : index.index("</ul>", index.index("outcomes"))
    ]
    assert '<span class="value">4.8 per 1,000 bed days (2026-10)</span>' in card
    (spark,) = sparklines(card)
    svg_check.check(spark.encode())
    points = re.search(r'<polyline points="([^"]+)"', spark)[1].split()  # type: ignore[index]
    assert len(points) == len(outcome.points) == 30
    assert 'aria-label="Sparkline of 30 values, 2024-05 to 2026-10, lowest 3.64' in spark
    assert "<strong>signal of improvement</strong>" in card
    images = re.findall(r'<img class="icon" src="([^"]+)" alt="([^"]+)"', card)
    assert images == [
        ("icons/special-cause-improvement-low.svg", "Variation: special cause improvement (low)"),
        ("icons/hit-or-miss.svg", "Assurance: hit or miss: may or may not meet the target"),
    ]
    for src, _ in images:
        data = (falls_site / src).read_bytes()
        svg_check.check(data, src)
        assert b"<script" not in data
    # the diagram page says the icons in words beside its chart, too
    page = (falls_site / FALLS.stem / "index.html").read_text()
    assert 'src="../icons/hit-or-miss.svg"' in page
    assert "Variation: special cause improvement (low). Assurance: hit or miss" in page


def test_only_making_data_count_charts_have_icons(falls_site: Path) -> None:
    falls = dd.load(FALLS)
    for measure in falls.measures:
        found = pages.icons_of(measure)
        assert bool(found) == (measure.rules.value == "mdc"), measure.id


def test_a_sparkline_breaks_at_a_missing_value_and_marks_the_latest(tmp_path: Path) -> None:
    outcome = next(m for m in dd.load(FALLS).measures if m.type == dd.MeasureType.OUTCOME)
    gap = replace(outcome.points[10], value=None, numerator=None, denominator=None)
    broken = replace(outcome, points=(*outcome.points[:10], gap, *outcome.points[11:]))
    spark = pages.sparkline(broken)
    svg_check.check(spark.encode())
    lines = re.findall(r'<polyline points="([^"]+)"', spark)
    assert [len(line.split()) for line in lines] == [10, 19]
    assert spark.count("<circle") == 1
    assert re.search(r'<circle cx="117.0"', spark), "the latest point, at the right end"
    flat = replace(outcome, points=tuple(replace(p, value=5.0) for p in outcome.points[:3]))
    level = re.search(r'<polyline points="([^"]+)"', pages.sparkline(flat))[1]  # type: ignore[index]
    assert {point.split(",")[1] for point in level.split()} == {"14.0"}, "a level line"
    one = replace(outcome, points=outcome.points[:1])
    assert "<polyline" not in pages.sparkline(one) and "<circle" in pages.sparkline(one)


def test_a_hostile_unit_in_a_sparkline_label_is_escaped(tmp_path: Path) -> None:
    out = tmp_path / "site"
    dd.build_site([str(write_hostile(tmp_path / "in"))], out)
    index = (out / "index.html").read_text()
    (spark,) = sparklines(index)
    svg_check.check(spark.encode())
    assert "<script" not in spark and "&lt;script&gt;" in spark
    assert HOSTILE in "".join(parsed(out / "index.html").text)
