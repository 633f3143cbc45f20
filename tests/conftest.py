"""Shared test set-up: the golden-file option and the Graphviz marker."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.paths import CASES as CASES  # importable from here too
from tests.paths import ROOT as ROOT


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen",
        action="store_true",
        help="rewrite the golden files (tests/cases/*/*.dot, *.err) from the current code;"
        " review the diff before committing",
    )


@pytest.fixture
def regen(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``graphviz`` need the real ``dot``. Without it they are skipped on a
    developer's machine, but fail in CI, where Graphviz must be installed."""
    if shutil.which("dot"):
        return
    if os.environ.get("CI"):
        return  # let them run and fail loudly: CI must install Graphviz
    skip = pytest.mark.skip(reason="Graphviz 'dot' is not installed (make test installs it)")
    for item in items:
        if "graphviz" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test draws with a cache of its own, never the user's (~/.cache/driverdiagram)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
