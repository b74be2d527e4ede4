"""Page images for OCR: page 1 in grey without its stamp, seal and signature ink, later pages
(and any page's signature column) as black print alone: a red seal and a blue signature fade,
print stays, under the seal too."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from pipeline.repair.ocr import render_page

DPI = 300
SEAL_RED = (220, 30, 30)
PEN_BLUE = (30, 40, 160)
# Black print under red seal ink: dark in every channel (ink absorbs, colours multiply).
PRINT_UNDER_SEAL = (35, 4, 4)


PAPER = (236, 236, 236)


def _two_page_pdf(path: Path) -> None:
    """Page 2 on grey paper, in vertical bands over its middle: a red seal, a blue
    signature, print under the seal, print."""
    first = Image.new("RGB", (300, 400), (255, 255, 255))
    second = Image.new("RGB", (300, 400), PAPER)
    second.paste(SEAL_RED, (0, 100, 75, 200))
    second.paste(PEN_BLUE, (75, 100, 150, 200))
    second.paste(PRINT_UNDER_SEAL, (150, 100, 225, 200))
    second.paste((0, 0, 0), (225, 100, 300, 200))
    first.save(path, save_all=True, append_images=[second], resolution=DPI)


def _rendered(pdf_path: Path, index: int, tmp_path: Path, **options: bool) -> np.ndarray:
    image_path = tmp_path / "page.png"
    width, height = render_page(str(pdf_path), index, DPI, image_path, **options)
    assert (round(width), round(height)) == (72, 96)
    with Image.open(image_path) as rendered:
        assert rendered.mode == "L"
        return np.asarray(rendered)


def test_later_pages_keep_black_print_alone(tmp_path: Path) -> None:
    pdf_path = tmp_path / "scan.pdf"
    _two_page_pdf(pdf_path)
    pixels = _rendered(pdf_path, 1, tmp_path)[105:195]  # the bands (the page is rendered 1:1)
    paper = PAPER[0]
    assert np.abs(pixels[:, 5:65].astype(int) - paper).max() <= 2  # the seal turns to paper
    assert np.abs(pixels[:, 80:140].astype(int) - paper).max() <= 2  # and the blue signature
    assert pixels[:, 160:215].max() < 60  # print under the seal stays dark
    assert pixels[:, 235:].max() < 20  # print stays dark


def test_first_page_stays_grey(tmp_path: Path) -> None:
    pdf_path = tmp_path / "scan.pdf"
    _two_page_pdf(pdf_path)
    assert _rendered(pdf_path, 0, tmp_path).min() > 250


def test_a_signature_column_is_black_print_on_any_page(tmp_path: Path) -> None:
    """Page 1 keeps the blue ink of its header (a number or a day written in by hand) and loses
    a seal below it; its signature column, read again, loses every coloured ink as later
    pages do."""
    pdf_path = tmp_path / "scan.pdf"
    first = Image.new("RGB", (300, 400), PAPER)
    first.paste(PEN_BLUE, (0, 20, 150, 100))  # in the header band (the top 30 %)
    first.paste(SEAL_RED, (0, 200, 150, 300))
    first.paste((0, 0, 0), (150, 200, 300, 300))
    first.save(pdf_path, resolution=DPI)
    grey = _rendered(pdf_path, 0, tmp_path)
    assert grey[25:95, 5:140].max() < 150  # the handwriting stays for the page reading
    assert grey[205:295, 5:140].min() > 230  # the seal goes
    assert grey[205:295, 160:].max() < 20  # print stays
    pixels = _rendered(pdf_path, 0, tmp_path, print_only=True)
    assert pixels[25:95, 5:140].min() > 230 and pixels[205:295, 5:140].min() > 230
    assert pixels[205:295, 160:].max() < 20
