"""OCR may read the issuer and the national motto as one line; repair.merged_lines cuts it, and
the cut must keep a long issuer ("THỦ TƯỚNG CHÍNH PHỦ") in the left block, where the line
box's middle would not. The layout then only cuts zones of the lines as repaired."""

from __future__ import annotations

import pytest

from pipeline.layout.zones import cut_zones
from pipeline.model import Document, Line, Page
from pipeline.repair.merged_lines import split_merged_lines
from pipeline.repair.ocr_noise import mark_document

# The top of a scanned Prime Minister's decision as Tesseract reads it (points, A4 page):
# (text, x0, top, x1).
DECISION = [
    ("THỦ TƯỚNG CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 117, 64, 562),
    ("Độc lập - Tự do - Hạnh phúc", 338, 85, 505),
    ("Số: †0% QĐ- -TTg", 148, 113, 250),
    ("Hà Nội, ngày 22 tháng 4 năm 2026", 326, 118, 523),
    ("QUYẾT ĐỊNH", 250, 181, 370),
    ("Về việc ban hành Kế hoạch hành động quốc gia về phòng, chống rửa tiền", 104, 200, 546),
    ("THỦ TƯỚNG CHÍNH PHỦ", 244, 313, 390),
    ("Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;", 131, 347, 520),
]


def header_left() -> list[str]:
    lines = [Line(text=t, x0=x0, top=top, x1=x1, bottom=top + 14) for t, x0, top, x1 in DECISION]
    page = Page(number=1, lines=lines, width=595, height=842, origin="ocr")
    doc = Document(path="d.pdf", format="pdf", pages=[page])
    split_merged_lines(doc)
    zones = cut_zones(doc)
    return [doc.pages[0].lines[i].text for _, i in zones["header_left"]]


def test_a_long_issuer_merged_with_the_motto_stays_left() -> None:
    assert header_left() == ["THỦ TƯỚNG CHÍNH PHỦ", "Số: †0% QĐ- -TTg"]


@pytest.mark.parametrize(
    "date",
    [
        "Lâm Đồng, ngày tháng 3 năm 2026",
        "Lâm Đồng, ngày ? tháng ? năm 2026",  # handwritten fields the second reading could not read
    ],
)
def test_the_number_value_merged_with_the_date_line_is_cut_off(date: str) -> None:
    # OCR joined the symbol after "Số:" and the place-and-date line beside it.
    rows = [
        ("ỦY BAN NHÂN DÂN", 113, 53, 221),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 256, 55, 532),
        ("TỈNH LÂM ĐỒNG", 103, 88, 230),
        ("Độc lập - Tự do - Hạnh phúc", 284, 89, 504),
        ("Số:", 98, 102, 117),
        (f"/KH-UBND {date}", 164, 103, 521),
        ("KẾ HOẠCH", 271, 138, 359),
        ("Cải cách hành chính nhà nước giai đoạn 2026 - 2030", 92, 155, 538),
    ]
    lines = [Line(text=t, x0=x0, top=top, x1=x1, bottom=top + 14) for t, x0, top, x1 in rows]
    doc = Document(path="d.pdf", format="pdf", pages=[Page(number=1, lines=lines, width=595, height=842)])
    split_merged_lines(doc)
    zones = cut_zones(doc)
    texts = {
        side: [doc.pages[0].lines[i].text for _, i in zones[side]] for side in ("header_left", "header_right")
    }
    assert texts["header_left"] == ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "Số:", "/KH-UBND"]
    assert texts["header_right"] == [date]


def test_the_layout_alone_leaves_the_text_as_read() -> None:
    # Without the repair step the merged line stays one line: layout cuts zones, edits nothing.
    lines = [Line(text=t, x0=x0, top=top, x1=x1, bottom=top + 14) for t, x0, top, x1 in DECISION]
    doc = Document(path="d.pdf", format="pdf", pages=[Page(number=1, lines=lines, width=595, height=842)])
    cut_zones(doc)
    assert [line.text for line in doc.pages[0].lines] == [row[0] for row in DECISION]


def test_a_body_name_wrapped_in_a_narrow_column_is_one_issuer() -> None:
    from pipeline.extract.header import extract_header
    from pipeline.repair.issuer_lines import issuer_lines

    # A scanned plan whose issuer column is narrow: "ỦY BAN NHÂN / DÂN" (read "ĐÀN"), a speck.
    rows = [
        ("ỦY BAN NHÂN", 113, 53, 221),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 256, 55, 532),
        ("))", 114, 84, 117),
        ("ĐÀN", 151, 73, 183),
        ("TỈNH LÂM ĐỒNG", 103, 88, 230),
        ("Độc lập - Tự do - Hạnh phúc", 284, 89, 504),
        ("Số: 12/KH-UBND", 98, 102, 200),
        ("Lâm Đồng, ngày 5 tháng 3 năm 2026", 284, 103, 521),
        ("KẾ HOẠCH", 271, 138, 359),
        ("Cải cách hành chính nhà nước giai đoạn 2026 - 2030", 92, 155, 538),
    ]
    lines = [Line(text=t, x0=x0, top=top, x1=x1, bottom=top + 14) for t, x0, top, x1 in rows]
    page = Page(number=1, lines=lines, width=595, height=842, origin="ocr")
    doc = Document(path="d.pdf", format="pdf", pages=[page])
    mark_document(doc)  # repair.ocr_noise marks the speck line "))"
    zones = cut_zones(doc)
    header = extract_header(doc, zones, issuer_lines(doc, zones["header_left"]))  # as the flow does
    assert (header.issuer, header.issuer_parent) == ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", None)
