"""Where the tests find the repository's files: its root, the case files under
tests/cases, and the worked examples under diagrams/."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
SPEC = CASES / "valid" / "spec-example.yaml"
MEASURED = CASES / "valid" / "measures.yaml"
EARLY = ROOT / "diagrams" / "early-years-participation.yaml"
FALLS = ROOT / "diagrams" / "falls-prevention.yaml"
COACH = ROOT / "diagrams" / "qi-coach-practice.yaml"
