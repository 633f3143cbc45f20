"""The key lists only the statuses a diagram uses; a PNG says its resolution (pHYs), so
it goes into Word or PowerPoint at its printed size (issue 17 item 4)."""

from __future__ import annotations

import io

import pytest

import driverdiagram as dd

TESTING_ONLY = """\
aim: Fewer falls
primary:
  - text: Risk found early
    secondary:
      - text: Assessed on admission
        changes:
          - {text: Falls risk screen, status: testing}
          - Bedside board symbol
"""


def test_the_key_shows_only_the_statuses_used() -> None:
    source = dd.to_dot(dd.loads(TESTING_ONLY))
    key = next(line for line in source.splitlines() if '"key"' in line)
    assert "TESTING" in key and "an idea, not yet tested" in key
    assert "ADOPTED" not in key and "ABANDONED" not in key


def _dpi(png: bytes) -> tuple[float, float]:
    from PIL import Image

    picture = Image.open(io.BytesIO(png))
    picture.load()
    return picture.info["dpi"]


@pytest.mark.graphviz
@pytest.mark.parametrize("dpi", [96, 300])
def test_a_png_carries_its_dpi(dpi: int) -> None:
    png = dd.render(dd.loads(TESTING_ONLY), "png", dpi=dpi)
    assert png.count(b"pHYs") == 1
    assert _dpi(png) == pytest.approx((dpi, dpi), abs=0.05)  # PNG stores whole pixels per metre


@pytest.mark.graphviz
def test_a_png_fitted_to_a_page_prints_at_the_page_width() -> None:
    from PIL import Image

    png = dd.render(dd.loads(TESTING_ONLY), "png", page="a4")
    width, _ = Image.open(io.BytesIO(png)).size
    horizontal, _ = _dpi(png)
    assert width / horizontal <= 11.7  # inches: no wider than a landscape A4 sheet
