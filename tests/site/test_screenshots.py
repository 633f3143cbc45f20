"""The guide's screenshots of the portal (docs/portal.md) are made by a script that still works
(``make site-screenshots``): two PNG files of pages drawn in full."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import ROOT
from tests.site import screenshots
from tests.site.browser import CHROMIUM

pytestmark = [
    pytest.mark.graphviz,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium"),
]


def test_the_screenshots_script_makes_the_guides_pictures(tmp_path: Path) -> None:
    assert screenshots.main([str(tmp_path)]) == 0
    page = (ROOT / "docs" / "portal.md").read_text()
    for name, _page, _size in screenshots.SHOTS:
        png = (tmp_path / name).read_bytes()
        assert png.startswith(b"\x89PNG") and len(png) > 60_000, name
        assert f"]({name})" in page, "the portal's page shows it"
        assert (ROOT / "docs" / name).is_file(), "and it is committed"
    assert (ROOT / "diagrams" / screenshots.CHANGE.split("/")[0]).with_suffix(".yaml").is_file()
