"""The package as a whole: what it ships and what its top-level names are."""

from __future__ import annotations

import configparser
import importlib
import pkgutil
from pathlib import Path

import driverdiagram as dd

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_shipped() -> None:
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg")
    shipped = set(setup["options"]["packages"].split())
    found = {
        "driverdiagram." + str(init.parent.relative_to(ROOT / "driverdiagram")).replace("/", ".")
        for init in (ROOT / "driverdiagram").rglob("__init__.py")
        if init.parent != ROOT / "driverdiagram"
    }
    assert found <= shipped, f"add to setup.cfg's packages: {sorted(found - shipped)}"


def test_the_api_functions_are_not_shadowed_by_modules_of_the_same_name() -> None:
    # importing a submodule for the first time sets its name on the package
    for module in pkgutil.walk_packages(dd.__path__, "driverdiagram."):
        if not module.name.startswith(("driverdiagram.cli", "driverdiagram.__main__")):
            importlib.import_module(module.name)
    for name in ("load", "loads", "outline", "export", "render", "analyse", "chart"):
        assert callable(getattr(dd, name)), name
        assert not hasattr(getattr(dd, name), "__path__") and getattr(dd, name).__module__ == (
            "driverdiagram"
        ), name
