"""Oversized pages (an A0 drawing, a map, a mis-set MediaBox) are rendered within a pixel
cap, tiled where the cap would make text too small, and still give their text."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.batch import run_batch
from pipeline.model import Page
from pipeline.repair import ocr, tesseract
from tests.scanpdf import write_scan_pdf

needs_tesseract = pytest.mark.skipif(
    tesseract.tesseract_problem() is not None, reason="tesseract vie missing"
)


def test_ordinary_pages_keep_300_dpi(tmp_path: Path) -> None:
    pdf = write_scan_pdf(tmp_path / "a4.pdf", 1)
    plan = ocr.page_render_plan(str(pdf), 0)
    assert plan.dpi == pytest.approx(300) and not plan.tiled and plan.note == ""


def test_a_scan_stretched_over_200_inches_is_rendered_at_its_own_resolution(tmp_path: Path) -> None:
    pdf = write_scan_pdf(tmp_path / "huge.pdf", 1, size=(14400, 14400))
    plan = ocr.page_render_plan(str(pdf), 0)
    assert not plan.tiled
    # 2359 px over 14400 pt, read at 1.5 times that: 3.5k px across, not 60k.
    assert plan.scale == pytest.approx(2359 / 14400 * ocr.UPSAMPLE_NATIVE)
    assert (14400 * plan.scale) ** 2 <= ocr.MAX_PIXELS
    assert "200 × 200 in" in plan.note


def test_detail_past_the_cap_is_cut_into_tiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two scanned pages side by side on one sheet, each at its own ~200 dpi.
    pdf = write_scan_pdf(tmp_path / "sheet.pdf", 1, size=(1200, 849), copies=(2, 1))
    monkeypatch.setattr(ocr, "MAX_PIXELS", 10_000_000)
    plan = ocr.page_render_plan(str(pdf), 0)
    assert plan.tiled and len(plan.tiles) == 2
    assert plan.dpi == pytest.approx(300)
    for left, bottom, right, top in plan.tiles:
        grown = ocr._grown((left, bottom, right, top), plan.width, plan.height)
        assert (grown[2] - grown[0]) * (grown[3] - grown[1]) * plan.scale**2 <= 1.2 * ocr.MAX_PIXELS


@needs_tesseract
def test_tiles_are_read_and_placed_on_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = write_scan_pdf(tmp_path / "sheet.pdf", 1, size=(1200, 849), copies=(2, 1))
    monkeypatch.setattr(ocr, "MAX_PIXELS", 10_000_000)
    page = Page(number=1)
    notes: list[str] = []
    ocr.ocr_page(str(pdf), page, notes=notes)
    assert notes and "2 tiles" in notes[0]
    hits = [line for line in page.lines if "Quốc hội" in line.text]
    assert len(hits) == 2, [line.text for line in page.lines]
    lefts = sorted(line.x0 or 0 for line in hits)
    assert lefts[0] < 600 <= lefts[1]  # one in each half, in page points
    assert all(abs((line.top or 0) - (hits[0].top or 0)) < 5 for line in hits)  # the same row


@needs_tesseract
def test_an_oversized_scan_page_gives_its_text_in_a_batch(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    pdf = write_scan_pdf(tmp_path / "docs" / "huge.pdf", 1, size=(14400, 14400))
    document = pdfium.PdfDocument(str(pdf))
    assert document[0].get_size() == (14400, 14400)
    document.close()
    summary = run_batch([pdf], tmp_path / "out", jobs=1, progress=False)
    assert summary.by_status["failed"] == 0
    record = (tmp_path / "out" / "huge.pdf.json").read_text(encoding="utf-8")
    assert "ocr.oversized_page" in record
    assert "Văn phòng Quốc hội" in record
