"""Drawings fitted to paper: A4, A3, Letter or Tabloid, landscape unless asked otherwise."""

from __future__ import annotations

import io
import re

from ..errors import Location, RenderError
from ..model import Level
from ..style import Theme

#: Portrait width and height in points.
PAGES = {
    "a4": (595.28, 841.89),
    "a3": (841.89, 1190.55),
    "letter": (612.0, 792.0),
    "tabloid": (792.0, 1224.0),
}
#: The paper sizes a drawing or a paper can be fitted to.
NAMES = tuple(PAGES)
MARGIN = 10 / 25.4 * 72  # 10 mm on every side, within what office printers can reach
#: Text smaller than this, once fitted to the page, is hard to read on paper.
READABLE = 8.0
#: The next paper size up, for a drawing that prints too small.
BIGGER = {"a4": "a3", "letter": "tabloid"}
#: A small drawing is enlarged to fill the page, but not beyond this.
MAX_ENLARGE = 1.5


def text_sizes(levels: list[Level], theme: Theme) -> list[float]:
    """Every size of text a drawing of these columns has, in points (before fitting):
    the small print, the column headings and each column's boxes."""
    return [theme.small_size, theme.heading_size] + [
        theme.levels[level].font_size for level in levels
    ]


def size(page: str, portrait: bool = False) -> tuple[float, float]:
    """The page's width and height in points."""
    width, height = PAGES[page]
    return (width, height) if portrait else (height, width)


def printable(page: str, portrait: bool = False) -> tuple[float, float]:
    """The width and height inside the margins, in points."""
    width, height = size(page, portrait)
    return width - 2 * MARGIN, height - 2 * MARGIN


def scale_to_fit(
    width: float, height: float, page: str, portrait: bool = False, enlarge: float = MAX_ENLARGE
) -> float:
    """How much a drawing of this size (points) is scaled to fill the printable area:
    shrunk as needed, enlarged by at most ``enlarge`` (half again)."""
    page_width, page_height = size(page, portrait)
    return min((page_width - 2 * MARGIN) / width, (page_height - 2 * MARGIN) / height, enlarge)


def svg_size(svg: bytes) -> tuple[float, float]:
    """The width and height, in points, that Graphviz gave an SVG."""
    head = svg[:2000].decode("utf-8", "replace")
    found = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', head)
    if found is None:
        raise ValueError("no size in the SVG")
    return float(found.group(1)), float(found.group(2))


def png_size(png: bytes) -> tuple[int, int]:
    """The width and height, in pixels, of a PNG (from its header)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def pdf_size(pdf: bytes) -> tuple[float, float] | None:
    """The width and height, in points, of the first page of a PDF Graphviz wrote (its
    MediaBox), or None when it cannot be found."""
    found = re.search(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", pdf)
    if found is None:
        return None
    left, bottom, right, top = (float(value) for value in found.groups())
    return right - left, top - bottom


def fit_svg(svg: bytes, page: str, portrait: bool = False) -> bytes:
    """The SVG sized as the page, with the drawing centred inside the margins."""
    width, height = svg_size(svg)
    page_width, page_height = size(page, portrait)
    scale = scale_to_fit(width, height, page, portrait)
    # a viewBox larger than the drawing keeps the margins and centres it
    view_width, view_height = page_width / scale, page_height / scale
    left, top = (view_width - width) / 2, (view_height - height) / 2
    text = svg.decode("utf-8")
    start = text.index("<svg")
    end = text.index(">", start)
    tag = re.sub(
        r'width="[\d.]+pt" height="[\d.]+pt"',
        f'width="{page_width:.2f}pt" height="{page_height:.2f}pt"',
        text[start:end],
        count=1,
    )
    tag = re.sub(
        r'viewBox="[^"]*"',
        f'viewBox="{-left:.2f} {-top:.2f} {view_width:.2f} {view_height:.2f}"',
        tag,
        count=1,
    )
    return (text[:start] + tag + text[end:]).encode("utf-8")


def fit_pdf(
    pdfs: list[bytes], page: str | None, portrait: bool = False, enlarge: float = MAX_ENLARGE
) -> bytes:
    """One PDF with a page for each drawing given: each on the chosen paper, scaled
    to fit and centred (vector, nothing rasterised); without a paper, at its own size."""
    from pypdf import PageObject, PdfReader, PdfWriter, Transformation

    writer = PdfWriter()
    for data in pdfs:
        try:
            source = PdfReader(io.BytesIO(data)).pages[0]
        except Exception as error:  # pypdf raises many kinds for a damaged file
            raise RenderError.at(
                Location("<pdf>"), f"cannot read Graphviz's PDF ({error})"
            ) from error
        if page is None:
            writer.add_page(source)
            continue
        width, height = float(source.mediabox.width), float(source.mediabox.height)
        page_width, page_height = size(page, portrait)
        scale = scale_to_fit(width, height, page, portrait, enlarge)
        sheet = PageObject.create_blank_page(width=page_width, height=page_height)
        x = (page_width - width * scale) / 2 - float(source.mediabox.left) * scale
        y = (page_height - height * scale) / 2 - float(source.mediabox.bottom) * scale
        sheet.merge_transformed_page(source, Transformation().scale(scale).translate(x, y))
        writer.add_page(sheet)
    writer.add_metadata({"/Producer": "driverdiagram"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
