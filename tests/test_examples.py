"""Every worked example and every template is loaded, checked and drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram import Level, Status, Strength
from driverdiagram.cli import main
from tests.draw.test_render import assert_faithful
from tests.paths import EARLY, ROOT

EXAMPLES = sorted((ROOT / "diagrams").glob("*.yaml"))
TEMPLATES = sorted((ROOT / "templates").glob("*.yaml"))


def test_there_are_examples_and_templates() -> None:
    assert {p.stem for p in EXAMPLES} >= {"qi-coach-practice", "early-years-participation"}
    assert {p.stem for p in TEMPLATES} >= {"blank", "ihi-classic", "coach-practice"}


@pytest.mark.graphviz
@pytest.mark.parametrize("path", EXAMPLES + TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_loads_checks_and_draws(path: Path) -> None:
    diagram = dd.load(path)
    assert_faithful(diagram, dd.render(diagram, "svg"))


def test_the_coach_practice_uses_the_six_domains() -> None:
    domains = [
        "mindset",
        "technical knowledge",
        "buy-in",
        "relationships",
        "capacity",
        "self-care",
    ]
    for name in ("diagrams/qi-coach-practice.yaml", "templates/coach-practice.yaml"):
        primaries = [n.text.lower() for n in dd.load(ROOT / name).at_level(Level.PRIMARY)]
        assert len(primaries) == 6
        for domain, text in zip(domains, primaries, strict=True):
            assert domain in text, (name, domain, text)


def test_the_early_years_example_shows_every_feature() -> None:
    diagram = dd.load(ROOT / "diagrams/early-years-participation.yaml")
    shared_secondary = [
        n for n in diagram.at_level(Level.SECONDARY) if len(diagram.parents(n.id)) > 1
    ]
    shared_change = [n for n in diagram.at_level(Level.CHANGE) if len(diagram.parents(n.id)) > 2]
    assert shared_secondary and shared_change
    assert any(link.strength == Strength.WEAK for link in diagram.links)
    assert {n.status for n in diagram.at_level(Level.CHANGE)} == set(Status)
    assert diagram.at_level(Level.TERTIARY)
    text = " ".join(n.text.lower() for n in diagram.nodes)
    assert "kinder" in text and "maternal and child health" in text.replace(
        "mch", "maternal and child health"
    )


def test_examples_use_every_measurement_feature() -> None:
    loaded = dd.load(EARLY)
    assert len([m for m in loaded.measures if len(m.points) >= 24]) >= 4
    from driverdiagram.measures.words import verdict_of

    assert "signal of improvement" in {verdict_of(m) for m in loaded.measures}
    assert {m.type.value for m in loaded.measures} == {"outcome", "process", "balancing"}
    assert any(p.astronomical for m in loaded.measures for p in m.points)
    assert len(loaded.cycles) >= 10 and {c.act for c in loaded.cycles} >= set(dd.Act)
    template = dd.loads(
        CliRunner().invoke(main, ["new", "-", "--template", "measures"]).stdout, "t.yaml"
    )
    assert template.measures and template.cycles
