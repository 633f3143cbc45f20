"""The JSON Schema (readers/schema.py) and the validator agree."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from driverdiagram.cli import main
from driverdiagram.readers import yamltree as yamlnodes
from driverdiagram.readers.schema import dumps
from tests.paths import ROOT

SHIPPED = ROOT / "driverdiagram" / "schema.json"
VALID = sorted((ROOT / "tests" / "cases" / "valid").glob("*.yaml"))
GOOD = (
    VALID + sorted((ROOT / "diagrams").glob("*.yaml")) + sorted((ROOT / "templates").glob("*.yaml"))
)
#: Invalid cases a schema can express (the others need the whole file: ids, refs,
#: duplicate links, YAML syntax, encodings).
EXPRESSIBLE = [
    "bad-status",
    "bad-strength",
    "child-not-allowed",
    "empty-primary",
    "empty-text",
    "malformed-id",
    "missing-aim",
    "missing-primary",
    "not-a-mapping",
    "primary-not-a-list",
    "ref-extra-keys",
    "ref-in-primary",
    "text-with-colon",
    "unknown-key",
    "wrong-type",
]


def plain(node: yamlnodes.YamlNode | None) -> Any:
    """The YAML as the data an editor's language server validates."""
    if isinstance(node, yamlnodes.Mapping):
        return {key.value: plain(value) for key, value in node.items}
    if isinstance(node, yamlnodes.Sequence):
        return [plain(item) for item in node.items]
    return None if node is None else node.value


def data(path: Path) -> Any:
    return plain(yamlnodes.parse(path.read_text(encoding="utf-8"), path.name)[0])


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SHIPPED.read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_the_shipped_schema_is_current_and_printed() -> None:
    assert SHIPPED.read_text() == dumps(), "regenerate with: make schema"
    assert CliRunner().invoke(main, ["schema"]).stdout == dumps()


@pytest.mark.parametrize("path", GOOD, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_valid_file_passes(path: Path, validator: jsonschema.Draft7Validator) -> None:
    errors = [error.message for error in validator.iter_errors(data(path))]
    assert errors == []


@pytest.mark.parametrize("name", EXPRESSIBLE)
def test_invalid_cases_the_schema_can_express_fail(
    name: str, validator: jsonschema.Draft7Validator
) -> None:
    assert list(validator.iter_errors(data(ROOT / "tests" / "cases" / "invalid" / f"{name}.yaml")))


def test_unknown_keys_and_bad_values_fail(validator: jsonschema.Draft7Validator) -> None:
    good = {"aim": "A", "primary": [{"text": "B", "changes": [{"text": "C", "status": "testing"}]}]}
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "titel": "x"})
    bad = {"aim": "A", "primary": [{"text": "B", "changes": [{"text": "C", "status": "done"}]}]}
    assert not validator.is_valid(bad)
    assert not validator.is_valid({"aim": "A", "primary": [{"text": "B", "strength": "medium"}]})
