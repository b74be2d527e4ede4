"""What counts as OCR noise on a scan's line, and what is a word that only looks like one."""

from __future__ import annotations

import pytest

from pipeline.model import Document, Line, Noise, Page
from pipeline.repair.ocr_noise import (
    is_cell_speck,
    is_debris,
    is_speck,
    is_stray_mark,
    line_marks,
    mark_document,
    without_lead_specks,
    wordless_entry,
)


@pytest.mark.parametrize("token", ["2iãi8", "lmà|š", "P", "9945900990490"])
def test_specks_and_stamp_serials_are_debris(token: str) -> None:
    assert is_debris(token)


def test_punctuation_no_line_holds_inside_is_a_speck() -> None:
    assert is_speck("-_") and not is_speck("-")


@pytest.mark.parametrize(
    ("token", "stray"), [("ˆ", True), ("ˈ", True), ("®", True), ("-", True), ("Đ", False), ("7", False)]
)
def test_a_token_with_no_letter_or_digit_proper_is_a_stray_mark(token: str, stray: bool) -> None:
    # A modifier letter ("ˆ") is a seal's stroke between an issuer's words, not a letter.
    assert is_stray_mark(token) is stray


@pytest.mark.parametrize("token", ["V,", "X", "II", "UBND", "2025-2030.", "Đồng"])
def test_numerals_codes_and_words_are_not(token: str) -> None:
    # "lần thứ V," ends a summary line on a scan: the numeral is part of the trích yếu.
    assert not is_debris(token)


@pytest.mark.parametrize(
    ("text", "blank", "letterless", "lead"),
    [
        ("P", True, True, 0),  # a seal's speck read as a line
        ("+", True, True, 0),
        ("))", True, True, 0),
        ("1 2", False, True, 0),  # two digits: no letters in a row, yet not blank
        ("cap lễ QUYẾT ĐỊNH", False, False, 2),  # a seal's words before the title
        ("mm. Ủy BAN NHÂN DÂN TỈNH QUẢNG NGÃI", False, False, 1),
        ("Căn cứ Luật Tổ chức", False, False, 0),
        ("và QUYẾT ĐỊNH", False, False, 1),
    ],
)
def test_line_marks(text: str, blank: bool, letterless: bool, lead: int) -> None:
    marks = line_marks(text)
    assert (marks.blank, marks.letterless, marks.lead_specks) == (blank, letterless, lead)


def test_every_page_gets_line_marks_and_only_ocr_pages_token_marks() -> None:
    typed = Page(number=1, lines=[Line(text="cap lễ QUYẾT ĐỊNH"), Line(text="kụ")], origin="layer")
    scanned = Page(number=2, lines=[Line(text="cap lễ QUYẾT ĐỊNH"), Line(text="kụ")], origin="ocr")
    doc = Document(path="d.pdf", format="pdf", pages=[typed, scanned])
    mark_document(doc)
    assert [without_lead_specks(line) for line in typed.lines] == ["QUYẾT ĐỊNH", "kụ"]
    assert typed.lines[1].noise == {}
    assert scanned.lines[1].noise == {"kụ": Noise(debris=False, speck=False, wordless=True)}


def test_an_entry_is_wordless_when_each_of_its_words_was_marked() -> None:
    page = Page(number=1, lines=[Line(text="-kụ;"), Line(text="' `"), Line(text="- Như trên;")], origin="ocr")
    mark_document(Document(path="d.pdf", format="pdf", pages=[page]))
    assert wordless_entry(page, "kụ ' `")  # the bullet and the ";" of the entry cleaned off
    assert not wordless_entry(page, "Như trên")


@pytest.mark.parametrize(
    ("text", "confidence", "speck"),
    [
        ("'", 40.0, True),  # a doubtful word with hardly a letter
        ("Sở", 40.0, False),
        ("Sở", 3.0, True),  # below any trust
        ("'", 75.0, False),  # Tesseract is sure of it
        ("'", -1.0, False),  # no confidence: a line, not a word
    ],
)
def test_a_doubtful_word_over_a_table_cell(text: str, confidence: float, speck: bool) -> None:
    assert is_cell_speck(text, confidence) is speck
