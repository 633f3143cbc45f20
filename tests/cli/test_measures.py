"""Measures and PDSA cycles (cli/measures.py): ``analyse``, ``chart`` and ``pdsa``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

import driverdiagram as dd
from driverdiagram.cli import main
from tests.paths import EARLY, MEASURED


def test_analyse_text_and_json() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["analyse", str(MEASURED)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:6] == [
        "falls-rate: Falls per 1,000 bed days",
        "  outcome; on the aim; lower is better; target 4",
        "  12 points (2026-01 to 2026-12), 0 missing, 10 useful; median of the first 6 values"
        " (2026-01 to 2026-06) 8",
        "  IHI rules: longest run 7 (more than 5 is a shift); crossings 3 (fewer than 2 is a"
        " signal); runs 4 (expected 3 to 9)",
        "  shift below the median: 2026-06 to 2026-12 (7 points)",
        "  verdict: signal of improvement",
    ]
    assert "restraint-use: Restraint use\n  balancing; on the aim\n  verdict: no data yet" in (
        result.stdout
    )
    as_json = json.loads(runner.invoke(main, ["analyse", str(MEASURED), "--format", "json"]).stdout)
    falls = as_json[0]
    assert falls["shift_points"] == [5, 6, 7, 8, 9, 10, 11]
    assert (falls["n_useful"], falls["centre"], falls["longest_run"]) == (10, 8, 7)
    assert (falls["signal"], falls["verdict"], falls["runs_limits"]) == (
        True,
        "signal of improvement",
        [3, 9],
    )
    assert [record["id"] for record in as_json] == ["falls-rate", "restraint-use", "assessed"]
    one = runner.invoke(main, ["analyse", str(MEASURED), "--measure", "assessed"])
    assert one.stdout.startswith("assessed: Assessed within 24 hours\n")


def test_analyse_usage_errors() -> None:
    runner = CliRunner()
    wrong = runner.invoke(main, ["analyse", str(MEASURED), "--measure", "fals-rate"])
    assert wrong.exit_code == 2 and "no measure 'fals-rate' (did you mean 'falls-rate'?)" in (
        wrong.stderr
    )
    none = runner.invoke(main, ["analyse", "-"], input="aim: A\nprimary: [B]\n")
    assert none.exit_code == 1
    assert none.stderr.startswith("<stdin>: error: has no measures;")


def test_pdsa_text_markdown_and_json() -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["pdsa", str(MEASURED), "--change", "huddle"])
    assert text.exit_code == 0
    assert text.stdout == (
        "huddle: Review high-risk patients at the safety huddle [adopted, 2 PDSA cycles]\n"
        "  Cycle 1: 2026-06-01 to 2026-06-14; act: adapt\n"
        "    Prediction: 8 of 10 reviewed\n"
        "    Measures: falls-rate\n"
        "  Cycle 2: 2026-07-01; act: adopt\n"
        "    Prediction: every high-risk patient reviewed\n"
    )
    markdown = runner.invoke(main, ["pdsa", str(MEASURED), "--format", "markdown"]).stdout
    assert "| 1 | 2026-06-01 to 2026-06-14 | 8 of 10 reviewed |   | adapt |" in markdown
    assert markdown.count("### ") == 3
    records = json.loads(runner.invoke(main, ["pdsa", str(MEASURED), "--format", "json"]).stdout)
    assert [r["id"] for r in records] == ["huddle", "signs", "p1.c3"]
    assert records[0]["cycles"][0]["days"] == 14
    wrong = runner.invoke(main, ["pdsa", str(MEASURED), "--change", "hudle"])
    assert wrong.exit_code == 2 and "(did you mean 'huddle'?)" in wrong.stderr


@pytest.mark.graphviz
def test_chart_files_are_deterministic_and_name_their_parts(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["chart", str(EARLY), "-o", str(tmp_path) + "/"])
    assert result.exit_code == 0, result.output
    loaded = dd.load(EARLY)
    charted = [m for m in loaded.measures if m.points]
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"early-years-participation.{m.id}.svg" for m in charted)
    svg = (tmp_path / "early-years-participation.kinder-enrolment.svg").read_bytes()
    root = ET.fromstring(svg)
    ids = {element.get("id") for element in root.iter()}
    assert {"points", "median", "median-extended", "target", "shift-points", "pdsa"} <= ids
    text = svg.decode()
    assert "Median 68" in text and "Target 85" in text and "kinder-at-mch #1" in text
    # the same bytes from a new process, whatever its hash seed
    again = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, driverdiagram as dd;"
            f"sys.stdout.buffer.write(dd.chart(dd.load({str(EARLY)!r}), 'kinder-enrolment'))",
        ],
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "123"},
    ).stdout
    assert again == svg


def test_chart_formats_and_outputs(tmp_path: Path) -> None:
    runner = CliRunner()
    png = runner.invoke(
        main, ["chart", str(MEASURED), "--measure", "falls-rate", "-f", "png", "-o", "-"]
    )
    assert png.stdout_bytes.startswith(b"\x89PNG")
    pdf = tmp_path / "falls.pdf"
    result = runner.invoke(
        main, ["chart", str(MEASURED), "--measure", "falls-rate", "-f", "pdf", "-o", str(pdf)]
    )
    assert result.exit_code == 0 and pdf.read_bytes().startswith(b"%PDF")
    many = runner.invoke(main, ["chart", str(EARLY), "-o", str(tmp_path / "one.svg")])
    assert many.exit_code == 2 and "add --measure ID" in many.stderr
    empty = runner.invoke(main, ["chart", str(MEASURED), "--measure", "assessed"])
    assert empty.exit_code == 1 and "assessed has no data yet" in empty.stderr


def test_chart_takes_its_format_from_the_output_name(tmp_path: Path) -> None:
    runner = CliRunner()
    png = tmp_path / "falls.png"
    assert (
        runner.invoke(
            main, ["chart", str(MEASURED), "--measure", "falls-rate", "-o", str(png)]
        ).exit_code
        == 0
    )
    assert png.read_bytes().startswith(b"\x89PNG")
    clash = runner.invoke(
        main, ["chart", str(MEASURED), "--measure", "falls-rate", "-f", "pdf", "-o", str(png)]
    )
    assert clash.exit_code == 2 and "ends in .png but the format is pdf" in clash.stderr
    folder = tmp_path / "charts"
    folder.mkdir()
    into = runner.invoke(main, ["chart", str(MEASURED), "-o", str(folder)])
    assert into.exit_code == 0 and (folder / "measures.falls-rate.svg").exists()
