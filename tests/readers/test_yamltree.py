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


def test_the_comment_after_a_plain_value_is_kept_by_both_parsers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import yaml

    from driverdiagram.readers import yamltree as yamlnodes

    text = (
        "aim: Hälve fälls #1 by 2027\nprimary:\n  - ‘ä’ #x\n  - text: a\n"
        "    changes:  # c\n  - 'quoted' #q\n  - text: multi\n      line  # two\n  - #3\n"
    )

    def comments(node: yamlnodes.YamlNode | None) -> list[tuple[int, int, str, int]]:
        if isinstance(node, yamlnodes.Scalar):
            found = node.comment
            if found is None:
                return []
            return [(found.location.line, found.location.column, found.text, found.gap)]
        if isinstance(node, yamlnodes.Sequence):
            return [c for item in node.items for c in comments(item)]
        if isinstance(node, yamlnodes.Mapping):
            return [c for key, value in node.items for c in comments(key) + comments(value)]
        return []

    expected = [
        (1, 18, "#1 by 2027", 1),
        (3, 9, "#x", 1),
        (5, 15, "# c", 2),
        (8, 13, "# two", 2),
        (9, 5, "#3", 1),
    ]
    if hasattr(yaml, "CSafeLoader"):
        assert comments(yamlnodes.parse(text, "x.yaml")[0]) == expected
        monkeypatch.delattr(yaml, "CSafeLoader")
    assert comments(yamlnodes.parse(text, "x.yaml")[0]) == expected
