"""Other formats (cli/convert.py): ``export`` a diagram and ``import`` one."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from driverdiagram.model import Level
from tests.paths import ROOT


def test_export_and_import_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    source = ROOT / "diagrams" / "falls-prevention.yaml"
    exported = tmp_path / "falls.json"
    result = runner.invoke(main, ["export", str(source), "--to", "json", "-o", str(exported)])
    assert result.exit_code == 0
    back = tmp_path / "falls.yaml"
    result = runner.invoke(main, ["import", str(exported), "-o", str(back)])
    assert result.exit_code == 0
    assert dd.to_dot(dd.load(back)) == dd.to_dot(dd.load(source))
    again = runner.invoke(main, ["import", str(exported), "-o", str(back)])
    assert again.exit_code == 1 and "already exists" in again.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "driverdiagram", "nodes": [')
    result = runner.invoke(main, ["import", str(broken)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{broken}:1:")


def test_a_markdown_list_imports(tmp_path: Path) -> None:
    source = tmp_path / "falls.md"
    source.write_text(
        "# Falls on Ward 7\n\nHalve falls by June 2027\n"
        "- Risk is known\n  - Risk assessed on admission\n    - Admission checklist\n"
        "- Rooms are safe\n  - Floors are clear\n    - Hourly rounding\n"
        "  - Risk assessed on admission\n"
    )
    result = CliRunner().invoke(main, ["import", str(source)])
    assert result.exit_code == 0
    diagram = dd.loads(result.stdout, "x.yaml")
    assert diagram.title == "Falls on Ward 7"
    assert [n.level for n in diagram.nodes] == [
        Level.AIM,
        Level.PRIMARY,
        Level.SECONDARY,
        Level.CHANGE,
        Level.PRIMARY,
        Level.SECONDARY,
        Level.CHANGE,
    ]
    shared = next(n for n in diagram.nodes if n.text == "Risk assessed on admission")
    assert len(diagram.parents(shared.id)) == 2
