"""Page images for OCR: one way to render a page or a part of it, for every reader.

The page reading, its tiles and the signature column read again take their pixels from
``page_image``: the same ink (grey, or black print alone) in each, so a box in page points
holds the same text whichever reader cuts it.

Pages after the first are read as black print alone (``black_print``): red seals and
stamps, which lie over the signer's title and name, and blue signatures turn to paper,
while print stays dark, under the seal too. (The red channel alone, used before, left a
seal's thin strokes grey and the blue signature dark: on simulated colour scans with a seal
and a signature the signature column gave the whole name 8 times in 32 with it, 18 with
black print, once in grey.) Page 1 stays grey unless ``print_only``: handwritten numbers
and dates in blue ink are read there, and any change of rendering shifts a few characters
of Tesseract's output ("TTr" read "TTIr"). Of a colour page 1 only some ink is taken out
(``without_page1_ink``): in its top (``HEADER_BAND``) red and purple ink, a received stamp
pressed over the header, the summary or the grounds, with the pen ink written inside the
stamp, while the document's own handwritten number and day in blue pen stay; below it any
coloured ink, a one-page letter's seal and signature. A page with no coloured ink is
rendered exactly as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from pipeline.repair.seal_rings import FIND_SCALE, REACH_POINTS, Ring, painted_out, seal_rings
from pipeline.repair.tesseract import PDFIUM_LOCK

if TYPE_CHECKING:
    from PIL import Image
    from pypdfium2 import PdfBitmap, PdfPage

Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF points

# A pixel whose channels differ by more than this is coloured ink, not print: black and grey
# print differ by a few levels, yellowed paper by about 40, seal red and pen blue by 100+.
INK_SATURATION = 64
# Coloured ink is taken away this many pixels around its saturated core too: JPEG keeps
# colour at half resolution, so a thin stroke's edges are grey, not red or blue.
INK_EDGE_PIXELS = 1
# A pixel darker than this share of the paper's level is print, even beside coloured ink.
PRINT_DARKNESS = 0.55
# In page 1's header band stamp ink is where red exceeds green by this much, averaged over a
# square this many points wide (9 pixels at 300 dpi): seal red by ~170, a received stamp's
# purple by 20-80 however faded; print by less than 10 once its colour fringes average out;
# blue pen ink (handwritten numbers, signatures) by less than 0. Pen ink is blue where blue
# exceeds red by as much.
STAMP_TINT = 15
STAMP_TINT_WINDOW_POINTS = 2.2
# A received stamp's strokes joined over this many points are one region at least this wide
# and high (a stamp is some 45 x 25 mm; a tinted word or a speck is far smaller).
STAMP_JOIN_POINTS = 4.0
MIN_STAMP_POINTS = (60.0, 25.0)
# A stamp's ink is dark too where it was pressed hard (its strongest channel down to a third
# of the paper's level): in the header band only what is darker than this is print under it.
PRINT_UNDER_STAMP = 0.33
# Page 1 is looked at this coarsely for coloured ink first, and taken to hold some from this
# many pixels: a seal gives thousands, a received stamp's thin box and letters 85-300 (more
# coarsely, their colour blends into the paper: at 36 dpi 2-34, under the 40 a speck gives),
# a speck of colour a few. Blue pen ink in the header passes too, and is kept (HEADER_BAND).
STAMP_PROBE_DPI = 72
STAMP_PROBE_PIXELS = 60
# The top of page 1 that holds the handwritten number and day: blue ink stays there, but
# inside a received stamp.
HEADER_BAND = 0.3
# A stamp's ink is taken away this far around its saturated core (in points): a pressed
# stamp's strokes fade out over a few pixels of grey that the core's colour does not reach.
STAMP_EDGE_POINTS = 0.75


def black_print(bitmap: PdfBitmap) -> Image.Image:
    """The print of a colour bitmap alone, as a greyscale image: coloured ink turns to paper.

    Print is dark in every channel; a red seal or a blue signature is bright in one and
    dark in another, so it is told apart by its saturation. Its pixels, and the grey edges
    around them, take the paper's level (white would leave a seal's disc standing out,
    and Tesseract then reads the page's layout around it); print stays, under the seal too,
    where it is dark in every channel. A grey scan comes out as it is.
    """
    from PIL import Image as PILImage

    found = coloured_ink(bitmap)
    if found is None:
        return bitmap.to_pil()
    coloured, lightest = found
    if not coloured.any():
        return PILImage.fromarray(np.ascontiguousarray(lightest))
    paper = int(np.median(lightest))
    ink = grown_mask(coloured, INK_EDGE_PIXELS) & (lightest > paper * PRINT_DARKNESS)
    return PILImage.fromarray(np.ascontiguousarray(np.where(ink, np.uint8(paper), lightest)))


def coloured_ink(bitmap: PdfBitmap) -> tuple[np.ndarray, np.ndarray] | None:
    """Where a colour bitmap's ink is coloured, bright in one channel and dark in another
    (print is dark in every one), and its lightest channel; None for a grey bitmap."""
    if bitmap.mode not in {"BGR", "BGRA", "BGRX", "RGB", "RGBA", "RGBX"}:
        return None
    pixels = bitmap.to_numpy()
    blue, green, red = pixels[:, :, 0], pixels[:, :, 1], pixels[:, :, 2]  # the channel order is moot here
    # Element-wise over the three planes: a reduction over a last axis of three is ~10x slower.
    lightest = np.maximum(np.maximum(blue, green), red)
    coloured = (lightest - np.minimum(np.minimum(blue, green), red)) > INK_SATURATION
    return coloured, lightest


def _red_channel(bitmap: PdfBitmap) -> int:
    return 0 if bitmap.mode.startswith("RGB") else 2  # pdfium's default order is BGR(x)


def page1_ink(bitmap: PdfBitmap, header_rows: int, scale: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Where a colour bitmap of page 1 holds ink to take away, and its lightest channel (None
    for a grey bitmap): in the first ``header_rows`` rows only red or purple ink (a received
    stamp) and the blue pen ink inside a stamp's box (blue pen ink elsewhere there is the
    document's handwritten number or day), below them any coloured ink (a seal, a
    signature), as on the other pages."""
    found = coloured_ink(bitmap)
    header = max(0, header_rows)
    if found is not None and header:
        reddish, bluish = tints(bitmap, header, scale)
        found[0][:header] = reddish | (bluish & within_stamps(reddish, scale))
    return found


def within_stamps(tint: np.ndarray, scale: float) -> np.ndarray:
    """The boxes of the received stamps a tint mask holds: the clerk's blue pen ink inside
    one (the number and date of arrival, the office it goes to) is the stamp's, not the
    document's handwritten number or day, and goes with it. A stamp is a tinted region
    at least ``MIN_STAMP_POINTS`` wide and high once its strokes are joined."""
    import cv2

    join = max(1, round(STAMP_JOIN_POINTS * scale))
    joined = cv2.dilate(tint.view(np.uint8), np.ones((2 * join + 1, 2 * join + 1), dtype=np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = np.zeros(tint.shape, dtype=bool)
    width, height = (round(points * scale) for points in MIN_STAMP_POINTS)
    for left, top, w, h, _ in stats[1:count]:
        if w >= width and h >= height:
            boxes[top : top + h, left : left + w] = True
    return boxes


def tints(bitmap: PdfBitmap, rows: int, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Where the first ``rows`` rows of a colour bitmap are red or purple (a stamp's ink:
    red above green) and where blue (pen ink: blue above red), each averaged over a few
    points. The tint, not the saturation: a faded or JPEG'd stamp keeps its red 20-60 above
    its green where its saturation falls to print's. The average, not each pixel: a
    scanner's colour fringes put red on one side of a black stroke and blue on the other
    (pixels 15-70 apart either way), which cancel out over a window, while a stamp's
    strokes keep their colour throughout."""
    import cv2

    pixels = bitmap.to_numpy()
    at = _red_channel(bitmap)
    red = pixels[:rows, :, at].astype(np.float32)
    green = pixels[:rows, :, 1].astype(np.float32)
    blue = pixels[:rows, :, 2 - at].astype(np.float32)
    size = max(3, 2 * round(STAMP_TINT_WINDOW_POINTS * scale / 2) + 1)
    reddish: np.ndarray = cv2.blur(red - green, (size, size)) > STAMP_TINT
    bluish: np.ndarray = cv2.blur(blue - red, (size, size)) > STAMP_TINT
    return reddish, bluish


def has_coloured_ink(page: PdfPage) -> bool:
    """Whether a page holds coloured ink, looked at coarsely."""
    found = coloured_ink(page.render(scale=STAMP_PROBE_DPI / 72))
    return found is not None and int(found[0].sum()) >= STAMP_PROBE_PIXELS


def without_page1_ink(grey: Image.Image, colour: PdfBitmap, scale: float, header_rows: int) -> Image.Image:
    """``grey`` with ``page1_ink`` of ``colour`` (the same pixels in colour, at ``scale``
    pixels per point) turned to paper, its grey edges too. Print under it stays: it is dark
    in every channel, where the coloured ink is bright in one (as in ``black_print``)."""
    from PIL import Image as PILImage

    found = page1_ink(colour, header_rows, scale)
    if found is None or not found[0].any():
        return grey
    mask, lightest = found
    levels = np.asarray(grey)
    edge = max(INK_EDGE_PIXELS, round(STAMP_EDGE_POINTS * scale))
    darkness = np.full((lightest.shape[0], 1), PRINT_DARKNESS, dtype=np.float32)
    darkness[: max(0, header_rows)] = PRINT_UNDER_STAMP
    ink = grown_mask(mask, edge) & (lightest > _median_level(lightest) * darkness)
    return PILImage.fromarray(np.ascontiguousarray(np.where(ink, np.uint8(_median_level(levels)), levels)))


def _median_level(levels: np.ndarray) -> int:
    """The median of 8-bit levels from their histogram (a sort of the page's pixels costs ~10x)."""
    counts = np.cumsum(np.bincount(levels.ravel(), minlength=256))
    return int(np.searchsorted(counts, counts[-1] / 2))


def grown_mask(mask: np.ndarray, pixels: int) -> np.ndarray:
    """``mask`` grown by ``pixels`` in every direction (OpenCV's dilation by a square, as
    repair.ocr_tables thickens rules)."""
    import cv2

    size = 2 * pixels + 1
    square = np.ones((size, size), dtype=np.uint8)
    grown: np.ndarray = cv2.dilate(
        mask.view(np.uint8), square, borderType=cv2.BORDER_CONSTANT, borderValue=0
    ).view(bool)
    return grown


def grown(box: Box, margin: float, width: float, height: float) -> Box:
    """``box`` grown by ``margin`` points on each side, within the page."""
    left, bottom, right, top = box
    return (
        max(0.0, left - margin),
        max(0.0, bottom - margin),
        min(width, right + margin),
        min(height, top + margin),
    )


def page_image(
    pdf_path: str,
    index: int,
    scale: float,
    *,
    box: Box | None = None,
    margin: float = 0.0,
    print_only: bool = False,
    without_rings: bool = False,
    as_scanned: list[Image.Image] | None = None,
) -> tuple[Image.Image, tuple[float, float]]:
    """Page ``index`` (0-based), or its part ``box`` grown by ``margin`` points within the
    page, at ``scale`` pixels per point, as a greyscale image whose top left is the box's;
    and the page's size in points. When page 1's coloured ink was taken out, its grey
    rendering with the ink is appended to ``as_scanned`` (for the stamp reader).
    ``without_rings`` (with ``print_only`` and a ``box``) takes out the rings of a seal that
    print left black (``repair.seal_rings``)."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(pdf_path)
        try:
            page = pdf[index]
            width, height = page.get_size()
            crop = (0.0, 0.0, 0.0, 0.0)
            if box is not None:
                left, bottom, right, top = grown(box, margin, width, height)
                crop = (left, bottom, width - right, height - top)
            if index == 0 and not print_only:  # the header page keeps its grey rendering
                image = page.render(scale=scale, grayscale=True, crop=crop).to_pil()
                if has_coloured_ink(page):
                    header_rows = round((HEADER_BAND * height - crop[3]) * scale)
                    read = without_page1_ink(image, page.render(scale=scale, crop=crop), scale, header_rows)
                    if read is not image and as_scanned is not None:
                        as_scanned.append(image)
                    image = read
            else:
                image = black_print(page.render(scale=scale, crop=crop))
                if without_rings and box is not None:
                    rings = _seal_rings_around(page, scale, grown(box, margin, width, height))
                    image = painted_out(image, rings, scale) if rings else image
            page.close()
        finally:
            pdf.close()
    return image, (width, height)


def has_seal_rings(pdf_path: str, index: int, box: Box) -> bool:
    """Whether the black print of ``box`` of page ``index`` lies within or beside the rings of
    a seal (a bilevel or grey scan: a colour scan's red seal is no print)."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(pdf_path)
        try:
            page = pdf[index]
            found = bool(_seal_rings_around(page, FIND_SCALE, box))
            page.close()
        finally:
            pdf.close()
    return found


# The rings are looked for in at most this many pixels (a signature column and a seal's
# width around it: some 6 million at 300 dpi).
MAX_PROBE_PIXELS = 16_000_000


def _seal_rings_around(page: PdfPage, scale: float, area: Box) -> list[Ring]:
    """The rings of a seal that print left black within or beside ``area`` of ``page`` (a
    bilevel or grey scan), in the pixels of its rendering at ``scale``. They are looked for
    in a rendering of the area grown by a seal's width, since a name line's crop holds only
    an arc of one."""
    width, height = page.get_size()
    reach = grown(area, REACH_POINTS, width, height)
    if (reach[2] - reach[0]) * (reach[3] - reach[1]) * FIND_SCALE**2 > MAX_PROBE_PIXELS:
        return []  # a column of an oversized sheet: no seal's size there
    if has_coloured_ink(page):
        return []  # a colour scan's seal is red, and black print has none of it
    probe = black_print(
        page.render(scale=FIND_SCALE, crop=(reach[0], reach[1], width - reach[2], height - reach[3]))
    )
    ratio = scale / FIND_SCALE
    shift_x, shift_y = (reach[0] - area[0]) * scale, (area[3] - reach[3]) * scale
    return [
        (x * ratio + shift_x, y * ratio + shift_y, r * ratio)
        for x, y, r in seal_rings(np.asarray(probe.convert("L")), FIND_SCALE)
    ]
