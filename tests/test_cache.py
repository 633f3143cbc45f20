"""The drawing cache's record: pruned of drawings that are gone, kept to the newest
CACHE_MOST, written compactly, read back the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from driverdiagram import cache
from driverdiagram.cache import Cache


def _entry(tmp_path: Path, name: str) -> tuple[str, dict[str, object]]:
    drawing = tmp_path / name
    drawing.write_text("<svg/>", encoding="utf-8")
    return cache.key_path(drawing), {"output": "x", "data": {}}


def test_a_drawing_deleted_leaves_the_record_when_it_is_next_written(tmp_path: Path) -> None:
    record = Cache(tmp_path / "cache.json")
    kept, gone = _entry(tmp_path, "kept.svg"), _entry(tmp_path, "gone.svg")
    record.record(dict([kept, gone]), {kept[0]: "k1", gone[0]: "k2"})
    Path(gone[0]).unlink()
    record.save()
    written = json.loads((tmp_path / "cache.json").read_text(encoding="utf-8"))
    assert list(written["drawings"]) == [kept[0]]
    assert Cache(tmp_path / "cache.json").entries == {
        kept[0]: {"key": "k1", "output": "x", "data": {}}
    }
    assert b", " not in (tmp_path / "cache.json").read_bytes()  # compact


def test_the_record_keeps_the_newest_drawings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "CACHE_MOST", 3)
    record = Cache(tmp_path / "cache.json")
    entries = [_entry(tmp_path, f"{number}.svg") for number in range(5)]
    for path, entry in entries:
        record.record({path: entry}, {path: "k"})
    record.record(dict([entries[0]]), {entries[0][0]: "again"})  # drawn again: newest
    record.save()
    assert list(Cache(tmp_path / "cache.json").entries) == [
        entries[3][0],
        entries[4][0],
        entries[0][0],
    ]
