"""Page images for OCR: page 1 in grey, later pages as the red channel (seals fade)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from pipeline.repair.ocr import render_page

DPI = 300


def _two_page_pdf(path: Path) -> None:
    """Page 2: a red seal on the left half, black print on the right half."""
    first = Image.new("RGB", (300, 400), (255, 255, 255))
    second = Image.new("RGB", (300, 400), (0, 0, 0))
    second.paste((220, 30, 30), (0, 0, 150, 400))
    first.save(path, save_all=True, append_images=[second], resolution=DPI)


def test_later_pages_are_the_red_channel_of_the_colour_rendering(tmp_path: Path) -> None:
    pdf_path = tmp_path / "scan.pdf"
    _two_page_pdf(pdf_path)
    image_path = tmp_path / "page.png"
    width, height = render_page(str(pdf_path), 1, DPI, image_path)
    assert (round(width), round(height)) == (72, 96)
    with Image.open(image_path) as rendered:
        assert rendered.mode == "L"
        pixels = np.asarray(rendered)
    assert pixels[:, :140].mean() > 200  # the seal all but disappears
    assert pixels[:, 160:].mean() < 20  # print stays dark
    # The same pixels as PIL's route (RGB copy, then its R channel), without the copy.
    document = pdfium.PdfDocument(str(pdf_path))
    expected = np.asarray(document[1].render(scale=DPI / 72).to_pil().getchannel("R"))
    document.close()
    assert np.array_equal(pixels, expected)


def test_first_page_stays_grey(tmp_path: Path) -> None:
    pdf_path = tmp_path / "scan.pdf"
    _two_page_pdf(pdf_path)
    image_path = tmp_path / "page.png"
    render_page(str(pdf_path), 0, DPI, image_path)
    with Image.open(image_path) as rendered:
        assert rendered.mode == "L"
        assert np.asarray(rendered).min() > 250
