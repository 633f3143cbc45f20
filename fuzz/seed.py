#!/usr/bin/env python3
"""Build the fuzz corpora from the repository's own files.

    corpus/      every *.yaml under tests/cases, diagrams and templates (fuzz_loader.py)
    corpus-csv/  every *.csv under the same trees, each prefixed with a unit byte (fuzz_csv.py)
    corpus-settings/  a few settings files and the repository's pyproject.toml (fuzz_settings.py)
    corpus-theme/     a few theme files, hostile values among them (fuzz_theme.py)
    corpus-import/    the JSON, CSV, outline and Markdown exports of the examples, the
                      spreadsheets under tests/cases/import and a few hostile files, each
                      after the byte that picks its importer (fuzz_import.py)

Paths are relative to this file (fuzz/ at the repository root); DRIVERDIAGRAM_ROOT
overrides the repository root. Files are named by content hash, so running it
again adds nothing twice. yaml.dict (libFuzzer -dict format) sits beside it.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = Path(os.environ.get("DRIVERDIAGRAM_ROOT", HERE.parent)).resolve()
TREES = ("tests/cases", "diagrams", "templates")
UNIT_BYTES = range(5)  # fuzz_csv.py: first byte % 5 picks the measure's unit
SETTINGS = (
    b'select = ["DD101", "DD102"]\nignore = "DD108"\n',
    b"[tool.driverdiagram]\nprimary-drivers = [2, 5]\nmax-length = 120\n",
    b'[tool.driverdiagram]\n"stale-after-days" = 90\ncycle-days = 60\n',
    b"tool.driverdiagram.select = ['DD110']\n",
)

THEMES = (
    b"base: print\nfont: 'Arial,Helvetica,sans-serif'\nlink-colour: '#333333'\n",
    b"levels:\n  primary: {fill: '#DDEEFF', border: '#114488', heading-fill: '#114488',"
    b" width: 200, font-size: 12.5}\n  changes: {text: black, heading-text: white}\n",
    b"statuses:\n  testing: {fill: '#FFE9A8', border-style: dashed, tag: TRIAL,"
    b" legend: on trial}\n  abandoned: {tag: '', border: none}\n",
    b"base: high-contrast\nlink-width: 2.5\ntitle-size: 24\nheading-size: 13\n"
    b"small-size: 10\nmuted-text: '#222222'\nimproving: '#006600'\nbackground: transparent\n",
    b"font: 'Helvetica\">X</text><script>alert(1)</script>'\n",
    b"statuses:\n  testing: {tag: '<TD HREF=\"javascript:alert(1)\">x</TD>',"
    b" legend: '<IMG SRC=\"/etc/x.png\"/>'}\n",
    b"levels:\n  aim: {width: nan, font-size: 1e-320}\nlink-width: inf\ntitle-size: 1e308\n",
)


#: fuzz_import.py: first byte % 3 picks the importer
JSON, CSV, OUTLINE = b"\x00", b"\x01", b"\x02"
IMPORTS = (
    JSON + b'{"format": "driverdiagram", "labels": ["x"], "nodes": 5}',
    JSON + b'{"format": "driverdiagram", "nodes": [[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]}',
    JSON + b'{"format": "driverdiagram", "measures": [{"baseline": 1e400, "target": NaN}]}',
    CSV + b"id,level,parent_id,text,extra_parents\n1,aim,,A,\n2,change,1,'=B,1\n",
    CSV + b"Aim,Primary,Secondary,Change idea,Status\nA by 2027,P,,C,testing\n,,S,D,\n",
    OUTLINE + b"Aim by 2027\n  - P\n    - S\n      - T\n        - C\n          - too deep\n",
)


def _imports(folder: Path) -> int:
    """Seeds for fuzz_import.py: what `export` writes for each example, and more."""
    sys.path.insert(0, str(ROOT))
    try:
        import driverdiagram as dd
    except ImportError:
        print("seed.py: driverdiagram cannot be imported; no export seeds", file=sys.stderr)
        return sum(_save(folder, data) for data in IMPORTS)
    count = sum(_save(folder, data) for data in IMPORTS)
    for path in sorted((ROOT / "diagrams").glob("*.yaml")):
        diagram = dd.load(path)
        for prefix, text in (
            (JSON, dd.export(diagram, "json")),
            (CSV, dd.export(diagram, "csv")),
            (OUTLINE, dd.outline(diagram, ids=True)),
            (OUTLINE, dd.export(diagram, "markdown")),
        ):
            count += _save(folder, prefix + text.encode("utf-8"))
    for path in sorted((ROOT / "tests" / "cases" / "import").glob("*.csv")):
        count += _save(folder, CSV + path.read_bytes())
    return count


def _save(folder: Path, data: bytes) -> bool:
    target = folder / hashlib.sha1(data).hexdigest()
    if target.exists():
        return False
    target.write_bytes(data)
    return True


def main() -> int:
    corpus, corpus_csv = HERE / "corpus", HERE / "corpus-csv"
    corpus.mkdir(exist_ok=True)
    corpus_csv.mkdir(exist_ok=True)
    yamls = csvs = 0
    for tree in TREES:
        folder = ROOT / tree
        if not folder.is_dir():
            print(f"seed.py: no {folder}; is DRIVERDIAGRAM_ROOT right?", file=sys.stderr)
            continue
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            if path.suffix in (".yaml", ".yml"):
                yamls += _save(corpus, path.read_bytes())
            elif path.suffix == ".csv":
                data = path.read_bytes()
                for unit in UNIT_BYTES:
                    csvs += _save(corpus_csv, bytes([unit]) + data)
    corpus_settings = HERE / "corpus-settings"
    corpus_settings.mkdir(exist_ok=True)
    settings = sum(_save(corpus_settings, data) for data in SETTINGS)
    if (ROOT / "pyproject.toml").is_file():
        settings += _save(corpus_settings, (ROOT / "pyproject.toml").read_bytes())
    corpus_theme = HERE / "corpus-theme"
    corpus_theme.mkdir(exist_ok=True)
    themes = sum(_save(corpus_theme, data) for data in THEMES)
    corpus_import = HERE / "corpus-import"
    corpus_import.mkdir(exist_ok=True)
    imports = _imports(corpus_import)
    print(
        f"seed.py: {yamls} new YAML seeds in {corpus}, {csvs} new CSV seeds in {corpus_csv},"
        f" {settings} new settings seeds in {corpus_settings},"
        f" {themes} new theme seeds in {corpus_theme},"
        f" {imports} new import seeds in {corpus_import}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
