"""The normal form every stage sees: NFC, no invisible characters, Eth read as Đ."""

from __future__ import annotations

from pipeline.repair.normalize import normalize_text


def test_eth_printed_for_d_with_stroke_becomes_the_vietnamese_letter() -> None:
    # Tesseract and some legacy fonts give Icelandic Eth for Đ; symbols and names need Đ.
    assert normalize_text("Số: 12/QÐ-UBND  Như ðiều 3") == "Số: 12/QĐ-UBND Như điều 3"


def test_decomposed_marks_and_invisible_characters() -> None:
    assert normalize_text("Ke\u0302\u0301 hoa\u0323ch\u200b số") == "Kế hoạch số"
