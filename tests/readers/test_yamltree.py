"""The YAML tree with locations (readers/yamltree.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import CASES, ROOT


@pytest.mark.parametrize(
    "path",
    sorted((CASES / "valid").glob("*.yaml")) + sorted((ROOT / "diagrams").glob("*.yaml")),
    ids=lambda p: p.stem,
)
def test_libyaml_and_pure_python_give_the_same_tree(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    from driverdiagram.readers import yamltree as yamlnodes

    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    text = path.read_text(encoding="utf-8")
    fast = yamlnodes.parse(text, "x.yaml")
    monkeypatch.delattr(yaml, "CSafeLoader")
    assert yamlnodes.parse(text, "x.yaml") == fast
