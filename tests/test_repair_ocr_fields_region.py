"""The page-1 field re-reading renders only the fields' pixels of the 600 dpi top, not the whole
top: the same place of the page, pixel for pixel, as the whole top's crop."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

from pipeline.repair import ocr_fields
from pipeline.repair.ocr_fields import Field

SCAN_HEADER = Path(__file__).parent / "fixtures" / "scan_letter_header.pdf"


def page_height() -> float:
    pdf = pdfium.PdfDocument(SCAN_HEADER)
    try:
        return float(pdf[0].get_height())
    finally:
        pdf.close()


def test_a_region_is_the_same_place_as_in_the_whole_top() -> None:
    height = page_height()
    whole, origin = ocr_fields.render_top(str(SCAN_HEADER), height)
    assert origin == (0, 0)
    array = np.asarray(whole, dtype=np.int16)
    # A box over the header's print (the darkest band of the top), well inside the page.
    rows = np.argsort(array.mean(axis=1))[:1]
    top = int(rows[0]) - 60
    box = (400, max(0, top), 2400, max(0, top) + 160)
    part, at = ocr_fields.render_top(str(SCAN_HEADER), height, box)
    assert at == box[:2]
    assert part.size == (box[2] - box[0], box[3] - box[1])
    expected = array[box[1] : box[3], box[0] : box[2]]
    got = np.asarray(part, dtype=np.int16)
    assert expected.std() > 20  # print is there, so a shifted region would not match
    # pdfium resamples the scan for the bitmap it draws into: a level or so may differ.
    assert np.abs(expected - got).mean() < 1.0
    shifted = array[box[1] + 3 : box[3] + 3, box[0] : box[2]]
    assert np.abs(shifted - got).mean() > 5 * np.abs(expected - got).mean()


def test_a_field_is_cut_alike_from_the_region_and_from_the_whole_top() -> None:
    height = page_height()
    field = Field("number", 0, 1, (60.0, 80.0, 140.0, 95.0), "", "", "")
    pixels = ocr_fields.field_pixels(field)
    assert pixels is not None
    whole, _ = ocr_fields.render_top(str(SCAN_HEADER), height)
    part, at = ocr_fields.render_top(str(SCAN_HEADER), height, pixels)
    from_whole = ocr_fields.cut_field(whole, field)
    from_part = ocr_fields.cut_field(part, field, at)
    assert from_whole is not None and from_part is not None
    assert from_whole.size == from_part.size
    difference = np.abs(np.asarray(from_whole, dtype=np.int16) - np.asarray(from_part, dtype=np.int16))
    assert difference.mean() < 1.0


def test_a_region_beyond_the_top_is_cut_to_it() -> None:
    height = page_height()
    whole, _ = ocr_fields.render_top(str(SCAN_HEADER), height)
    width, rows = whole.size
    part, at = ocr_fields.render_top(str(SCAN_HEADER), height, (-40, -40, 300, 200))
    assert at == (0, 0) and part.size == (300, 200)
    part, at = ocr_fields.render_top(
        str(SCAN_HEADER), height, (width - 100, rows - 50, width + 100, rows + 80)
    )
    assert at == (width - 100, rows - 50) and part.size == (100, 50)
    # Wholly outside: the whole top, as before.
    part, at = ocr_fields.render_top(str(SCAN_HEADER), height, (width + 10, 0, width + 90, 40))
    assert at == (0, 0) and part.size == whole.size
