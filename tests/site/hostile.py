"""A diagram whose every field of text is hostile: markup, script, quotes, a template
expression and a control character, for the portal's tests."""

from __future__ import annotations

from pathlib import Path

#: What a hostile partner might type: each piece would do something if interpreted.
HOSTILE = (
    '<script>window.pwned=1;alert(1)</script><img src=x onerror="window.pwned=2">'
    '</textarea>"\' & {{ 7*7 }} {% raw %} <a href="javascript:alert(3)">x</a>'
)
#: How it reads once shown (the one control character in it, ESC, shown as a picture).
SHOWN = HOSTILE


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def hostile_yaml() -> str:
    h = quoted(HOSTILE)
    return f"""title: {h}
team: {h}
updated: {h}
notes: {h}
labels:
  aim: {h}
  primary: {h}
  changes: {h}
aim:
  text: {h}
  notes: {h}
  measures:
    - id: outcome
      name: {h}
      type: outcome
      definition: {h}
      unit: {h}
      values: {{2026-01: 3, 2026-02: 4, 2026-03: 5}}
primary:
  - id: driver
    text: {h}
    notes: {h}
    changes:
      - id: idea
        text: {h}
        notes: {h}
        pdsa:
          - start: 2026-02-01
            end: 2026-02-14
            name: {h}
            objective: {h}
            prediction: {h}
            plan: {h}
            do: {h}
            study: {h}
            act: adapt
            measures: [outcome]
      - {h}
"""


def write_hostile(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hostile.yaml"
    path.write_text(hostile_yaml(), encoding="utf-8")
    return path
