"""A received stamp on a black-and-white scan is printed in the same black as the page: its
office's name, its "ĐẾN" and its labels are read as lines of the header, and are none of the
issuer's, the number's or the date's."""

from __future__ import annotations

import pytest

from pipeline.nlp.header_lines import is_received_stamp_line
from tests.helpers import scanned_header

# The top of page 1 of a plan scanned in black and white with another office's received stamp
# pressed over its number line, as Tesseract read it (points): (text, x0, top, x1, bottom).
STAMPED_PLAN = [
    ("ỦY BAN NHÂN DÂN", 109, 54, 230, 68),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 265, 58, 535, 74),
    ("THÀNH PHÓ HÀ NỘI", 104, 70, 233, 87),
    ("Độc lập - Tự do - Hạnh phúc", 315, 75, 486, 90),
    ("VĂN PHÒNG UBND TĨNH", 128, 89, 224, 103),
    ("ĐẾN &H-UBND,", 123, 102, 233, 119),
    ("Ngày: c - no ẻ", 165, 124, 233, 136),
    ("Hà Nội, ngày 28 tháng 4 năm 2026", 287, 107, 512, 121),
    ("Chuyến;", 163, 141, 195, 149),
    ("KÉ HOẠCH", 278, 146, 354, 162),
    ("Tổ chức Festival Thăng Long - Hà Nội lần thứ II, năm 2026", 215, 164, 500, 179),
    ("Thực hiện Nghị quyết số 02-NQ/TW ngày 17/3/2026 của Bộ Chính trị về Xây", 117, 213, 542, 233),
]


def test_the_received_stamps_lines_are_no_part_of_the_issuer() -> None:
    ctx = scanned_header(STAMPED_PLAN)
    assert ctx.header is not None
    assert ctx.header.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"
    assert ctx.header.issued_date == "2026-04-28" and ctx.header.place == "Hà Nội"
    left = [ctx.doc.pages[0].lines[i].text for _, i in ctx.zones["header_left"]]
    assert not {"VĂN PHÒNG UBND TĨNH", "ĐẾN &H-UBND,", "Ngày: c - no ẻ", "Chuyến;"} & set(left)


def test_an_office_line_over_the_issuer_is_kept_without_a_stamps_arrival_word_under_it() -> None:
    # The same block with no "ĐẾN" under it: the office line is the issuer's own second body
    rows = [row for row in STAMPED_PLAN if not row[0].startswith(("ĐẾN", "Ngày:", "Chuyến"))]
    ctx = scanned_header(rows)
    left = [ctx.doc.pages[0].lines[i].text for _, i in ctx.zones["header_left"]]
    assert [text.startswith("VĂN PHÒNG UBND") for text in left] == [False, False, True]


@pytest.mark.parametrize(
    ("text", "stamp"),
    [
        ("ĐẾN &H-UBND,", True),
        ("ĐÈN Sò", True),  # its marks misread
        ("CÔNG VĂN ĐẾN", True),
        ("..Chuyên:", True),  # specks before the label
        ("Ngay: + ,Ÿ ¿2", True),  # the handwritten day read as specks
        ("Hà Nội, ngày 28 tháng 4 năm 2026", False),  # the dateline's "ngày" takes no colon
        ("Ngày 14/02/2025 Ủy ban nhân dân tỉnh đã họp", False),
        ("đến hết ngày 14/5/2026", False),  # the body's "đến" is in lower case
        ("Chuyển: Phòng Kinh tế và Hạ tầng huyện", False),  # a typed line, too long for a stamp's blank
    ],
)
def test_a_received_stamps_line(text: str, stamp: bool) -> None:
    assert is_received_stamp_line(text) is stamp
