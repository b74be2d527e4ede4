"""Scanned header fields a seal or a stamp broke: a dateline whose year lost a digit or gained
one ("năm 226", "năm 20235"), a number whose symbol went to the other column."""

from __future__ import annotations

import pytest

from pipeline.nlp.numbering import parse_place_date
from tests.helpers import scanned_header

# The header of a black-and-white simulated scan: the seal's ring took the year's "0".
ROWS = [
    ("ỦY BAN NHÂN DÂN", 90, 55, 230, 67),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 256, 55, 532, 67),
    ("THÀNH PHỐ HÀ NỘI", 95, 70, 225, 82),
    ("Độc lập - Tự do - Hạnh phúc", 284, 75, 503, 87),
    ("Số: 151/KH-UBND", 110, 95, 220, 107),
    ("Hà Nội, ngày 29 tháng 4 năm 226", 290, 95, 520, 107),
    ("KẾ HOẠCH", 260, 120, 340, 132),
    ("Về việc treo cờ Tổ quốc", 200, 140, 400, 152),
    ("Chào mừng bầu cử đại biểu Hội đồng nhân dân nhiệm kỳ 2026 -2031.", 85, 170, 530, 182),
]


@pytest.mark.parametrize("year", ["226", "20235", "2/26"])
def test_a_year_not_of_four_digits_gives_no_date_but_keeps_the_place(year: str) -> None:
    parsed = parse_place_date(f"Hà Nội, ngày 29 tháng 4 năm {year}")
    assert parsed is not None and parsed.place == "Hà Nội"
    assert parsed.iso is None and parsed.year is None and parsed.year_read == year


def test_a_lost_digit_is_put_back_when_one_year_fits_and_the_document_prints_it() -> None:
    ctx = scanned_header(ROWS)
    assert ctx.header is not None and ctx.header.issued_date == "2026-04-29"
    assert ctx.header.place == "Hà Nội"
    assert "ocr.year_mended" in [code for code, _ in ctx.doc.warnings]


def test_a_lost_digit_the_document_does_not_print_elsewhere_gives_no_date() -> None:
    rows = [*ROWS[:-1], ("Chào mừng bầu cử đại biểu Hội đồng nhân dân các cấp.", 85, 170, 530, 182)]
    ctx = scanned_header(rows)
    assert ctx.header is not None and ctx.header.issued_date is None and ctx.header.place == "Hà Nội"
    assert "header.date_unreadable" in [code for code, _ in ctx.doc.warnings]


def test_a_year_with_a_digit_too_many_gives_no_date() -> None:
    # "20235": 2023 or 2025 (both printed in such a document); no telling which.
    rows = [*ROWS[:5], ("Hà Nội, ngày 28 tháng 11 năm 20235", 290, 95, 520, 107), *ROWS[6:]]
    ctx = scanned_header(rows)
    assert ctx.header is not None and ctx.header.issued_date is None


def test_the_years_word_read_with_an_acute_still_makes_a_dateline() -> None:
    parsed = parse_place_date("Lâm Đồng, ngày tháng 01 nắm 2026")
    assert parsed is not None and parsed.iso == "2026-01" and parsed.place == "Lâm Đồng"


def test_a_digit_read_as_a_slash_is_put_back_the_same_way() -> None:
    # A received stamp's frame over the year: "năm 2/26".
    rows = [*ROWS[:5], ("Hà Nội, ngày 29 tháng 4 năm 2/26", 290, 95, 520, 107), *ROWS[6:]]
    ctx = scanned_header(rows)
    assert ctx.header is not None and ctx.header.issued_date == "2026-04-29"


Row = tuple[str, float, float, float, float]


def _header(province: str, *number_rows: Row) -> list[Row]:
    """A scanned header with ``number_rows`` where its number and dateline stand."""
    return [
        ("ỦY BAN NHÂN DÂN", 90, 55, 230, 67),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 256, 55, 532, 67),
        (province, 95, 70, 225, 82),
        ("Độc lập - Tự do - Hạnh phúc", 284, 75, 503, 87),
        *number_rows,
        ("KẾ HOẠCH", 260, 140, 340, 152),
        ("Tuyên truyền Cải cách hành chính năm 2026", 150, 160, 450, 172),
    ]


def test_a_symbol_pushed_to_the_other_column_is_read_after_its_number() -> None:
    # A big handwritten number: Tesseract read "Số: 2280" and, level with it in the right
    # column, "/QĐ-UBND".
    rows = _header(
        "THÀNH PHỐ HÀ NỘI",
        ("Số: 2280", 110, 95, 190, 107),
        ("/QĐ-UBND", 236, 96, 300, 108),
        ("Hà Nội, ngày 29 tháng 4 năm 2026", 310, 110, 520, 122),
    )
    ctx = scanned_header(rows)
    assert ctx.header is not None
    assert (ctx.header.number, ctx.header.symbol) == ("2280", "QĐ-UBND")


def test_a_symbol_line_that_goes_on_is_not_taken_for_the_whole_symbol() -> None:
    rows = _header(
        "TỈNH LÂM ĐỒNG",
        ("Số:", 110, 95, 130, 107),
        ("/KH-", 236, 96, 270, 108),
        ("UBND", 110, 112, 150, 124),
        ("Lâm Đồng, ngày tháng 3 năm 2026", 310, 110, 520, 122),
    )
    ctx = scanned_header(rows)
    assert ctx.header is not None and ctx.header.symbol is None
