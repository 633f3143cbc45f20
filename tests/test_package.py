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


def test_no_module_is_named_like_a_function_of_the_api() -> None:
    # importing a submodule for the first time sets its name on the package, so a
    # module driverdiagram.load would replace the function driverdiagram.load, and
    # 'import driverdiagram.load.x as y' would fail while it is a function
    # (the one exception: driverdiagram.limits is imported by __init__ before the
    # function limits is bound, and code inside the package uses 'from .limits import')
    modules = {module.name for module in pkgutil.iter_modules(dd.__path__)} - {"limits"}
    assert modules.isdisjoint(dd.__all__), sorted(modules & set(dd.__all__))
    for module in pkgutil.walk_packages(dd.__path__, "driverdiagram."):
        if not module.name.startswith(("driverdiagram.cli", "driverdiagram.__main__")):
            importlib.import_module(module.name)
    for name in dd.__all__:
        assert not hasattr(getattr(dd, name), "__path__"), name
