"""A document with no dateline at all is dated by its e-signing (a scanned "Công điện")."""

from __future__ import annotations

from tests.helpers import scanned_header

# A printed-then-scanned "Công điện": the signing tool's box over the header, no dateline.
ROWS = [
    ("Số: 2003/CĐ-VPCP", 412, 4, 520, 12),
    ("Thời gian ký: 07/10/2025 20:43:19 +07:00", 412, 14, 580, 22),
    ("VĂN PHÒNG CHÍNH PHỦ", 90, 55, 230, 67),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 256, 55, 532, 67),
    ("Độc lập - Tự do - Hạnh phúc", 284, 75, 503, 87),
    ("CÔNG ĐIỆN", 260, 120, 340, 132),
    ("Về việc tổ chức Hội nghị triển khai Chương trình mục tiêu quốc gia", 110, 140, 500, 152),
    ("VĂN PHÒNG CHÍNH PHỦ điện:", 90, 170, 300, 182),
]


def test_a_document_without_a_dateline_takes_the_day_it_was_e_signed() -> None:
    ctx = scanned_header(ROWS)
    assert ctx.header is not None and ctx.header.issued_date == "2025-10-07"
    assert "header.date_from_signature" in [code for code, _ in ctx.doc.warnings]


def test_two_signing_days_give_no_date() -> None:
    rows = [*ROWS, ("Thời gian ký: 09/10/2025 08:00:00 +07:00", 412, 700, 580, 708)]
    ctx = scanned_header(rows)
    assert ctx.header is not None and ctx.header.issued_date is None


def test_a_dateline_read_is_never_replaced_by_the_signing_day() -> None:
    rows = [*ROWS[:5], ("Hà Nội, ngày 06 tháng 10 năm 2025", 284, 100, 521, 112), *ROWS[5:]]
    ctx = scanned_header(rows)
    assert ctx.header is not None and ctx.header.issued_date == "2025-10-06"
