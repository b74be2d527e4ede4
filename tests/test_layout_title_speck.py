"""A title line that opens with its type name and goes on with the summary ("GIẤY PHÉP KHAI
THÁC, SỬ DỤNG NƯỚC MẶT"), read on a scan with a speck glued before its first word."""

from __future__ import annotations

from pipeline.extract.header import extract_header
from pipeline.layout.zones import cut_zones, title_prefix_type
from pipeline.model import Document, Line, Page
from pipeline.repair.issuer_lines import issuer_lines
from pipeline.repair.ocr_noise import mark_document

# The top of a licence read on a seeded received copy (points): (text, x0, top, x1, bottom).
LICENCE = [
    ("BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG", 53, 56, 250, 70),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 300, 56, 556, 70),
    ("Độc lập - Tự do - Hạnh phúc", 340, 74, 498, 88),
    ("Só 585 /GP-BTNMT", 100, 87, 223, 101),
    ("Hà Nội, ngày 29 tháng 12 năm 2023", 324, 105, 527, 119),
    ("'GIẤY PHÉP KHAI THÁC, SỬ DỤNG NƯỚC MẶT", 121, 145, 496, 160),
    ("BỘ TRƯỞNG BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG", 149, 193, 473, 207),
    ("Căn cứ Luật tài nguyên nước ngày 21 tháng 6 năm 2012;", 121, 217, 441, 231),
]


def test_the_type_words_are_found_behind_a_speck() -> None:
    found = title_prefix_type(Line(text="'GIẤY PHÉP KHAI THÁC, SỬ DỤNG NƯỚC MẶT"))
    assert found is not None
    assert found[0] == "Giấy phép"
    assert "'GIẤY PHÉP KHAI THÁC"[found[1] :].strip() == "KHAI THÁC"


def test_the_summary_after_a_specked_type_title() -> None:
    lines = [Line(text=t, x0=x0, top=top, x1=x1, bottom=bottom) for t, x0, top, x1, bottom in LICENCE]
    doc = Document(
        path="l.pdf", format="pdf", pages=[Page(number=1, lines=lines, width=612, height=792, origin="ocr")]
    )
    mark_document(doc)
    zones = cut_zones(doc)
    header = extract_header(doc, zones, issuer_lines(doc, zones["header_left"]))  # as the flow does
    assert header.doc_type is not None and header.doc_type.name == "Giấy phép"
    assert header.summary == "KHAI THÁC, SỬ DỤNG NƯỚC MẶT"
