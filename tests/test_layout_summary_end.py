"""A scan does not read the rule under a summary; a one-line summary has no line spacing of
its own to compare with, so the blank line before the body is what ends it."""

from __future__ import annotations

import pytest

from pipeline.layout.zones import cut_zones
from pipeline.model import Document, Page
from pipeline.repair.ocr_noise import mark_document
from tests.helpers import lines_of

# The top of a scanned notice as Tesseract reads it (points): (text, x0, top, x1, bottom).
NOTICE = [
    ("ỦY BAN NHÂN DÂN", 102, 48, 236, 64),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 300, 48, 554, 64),
    ("THÀNH PHỐ HÀ NỘI", 97, 67, 236, 82),
    ("Độc lập - Tự do - Hạnh phúc", 320, 69, 496, 83),
    ("Số:453 /TB-UBND", 104, 88, 229, 102),
    ("Hà Nội, ngày 29 tháng 4 năm 2026", 318, 108, 528, 121),
    ("THÔNG BÁO", 293, 154, 384, 169),
    ("Về việc treo cờ Tổ quốc", 269, 177, 408, 194),
    ("Nhân dịp Đại hội đại biểu toàn quốc Mặt trận Tổ quốc Việt Nam lần thứ XI,", 122, 222, 555, 238),
    ("nhiệm kỳ 2026 -2031. Ủy ban nhân dân thành phố Hà Nội đề nghị các cơ quan,", 86, 237, 555, 254),
]


def ocr_doc(rows: list[tuple[str, int, int, int, int]]) -> Document:
    """OCR'd lines with their noise marked, as repair.ocr_noise leaves them."""
    lines = lines_of(rows)
    doc = Document(
        path="n.pdf", format="pdf", pages=[Page(number=1, lines=lines, width=612, height=792, origin="ocr")]
    )
    mark_document(doc)
    return doc


def summary(rows: list[tuple[str, int, int, int, int]]) -> list[str]:
    doc = ocr_doc(rows)
    return [doc.pages[0].lines[i].text for _, i in cut_zones(doc)["summary"]]


def test_a_blank_line_ends_a_one_line_summary() -> None:
    assert summary(NOTICE) == ["Về việc treo cờ Tổ quốc"]


def test_a_summary_wrapped_on_two_lines_stays_whole() -> None:
    wrapped = [
        *NOTICE[:7],
        ("Về việc treo cờ Tổ quốc nhân dịp Đại hội đại biểu toàn quốc", 200, 177, 470, 194),
        ("Mặt trận Tổ quốc Việt Nam lần thứ XI", 240, 196, 430, 212),
        *NOTICE[8:],
    ]
    assert summary(wrapped) == [
        "Về việc treo cờ Tổ quốc nhân dịp Đại hội đại biểu toàn quốc",
        "Mặt trận Tổ quốc Việt Nam lần thứ XI",
    ]


def test_the_titles_underline_read_as_marks_does_not_open_the_summary() -> None:
    """A scan reads the rule under the title as "À _ +*A" (no two letters in a row): the
    summary opens at the first line with a word."""
    rows = [*NOTICE[:7], ("À _ +*A", 279, 172, 304, 180), *NOTICE[7:]]
    rows[8] = ("Về việc treo cờ Tổ quốc", 269, 182, 408, 196)
    assert summary(rows) == ["Về việc treo cờ Tổ quốc"]


# The top of a scanned decision with a received stamp pressed beside the enacting authority:
# its remnants read on the authority's line.
DECISION_UNDER_A_STAMP = [
    ("THỦ TƯỚNG CHÍNH PHỦ", 96, 36, 215, 48),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 276, 32, 477, 44),
    ("Độc lập - Tự do - Hạnh phúc", 310, 45, 444, 57),
    ("Số: 911/QĐ-TTg", 120, 79, 193, 91),
    ("Hà Nội, ngày 25 tháng 7 năm 2018", 355, 73, 510, 85),
    ("QUYẾT ĐỊNH", 269, 110, 342, 122),
    ("BAN HÀNH QUY TRÌNH VẬN HÀNH LIÊN HỒ CHỨA TRÊN LƯU VỰC SÔNG TRÀ KHÚC", 104, 125, 508, 137),
    ("hệ ng Kì, THỦ TƯỚNG CHÍNH PHỦ", 165, 146, 378, 158),
    ("Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;", 81, 168, 347, 180),
    ("Căn cứ Luật Tài nguyên nước ngày 21 tháng 6 năm 2012;", 81, 186, 337, 198),
]


def test_the_enacting_authority_behind_a_stamps_debris_ends_the_summary() -> None:
    assert summary(DECISION_UNDER_A_STAMP) == [
        "BAN HÀNH QUY TRÌNH VẬN HÀNH LIÊN HỒ CHỨA TRÊN LƯU VỰC SÔNG TRÀ KHÚC"
    ]


def test_marks_read_at_a_scanned_summarys_end_are_dropped() -> None:
    from pipeline.extract.header import _without_trailing_marks

    assert _without_trailing_marks("KHAI THÁC, SỬ DỤNG NƯỚC MẶT”°°") == "KHAI THÁC, SỬ DỤNG NƯỚC MẶT"
    assert _without_trailing_marks("Phát động “Đẩy mạnh cải cách”") == "Phát động “Đẩy mạnh cải cách”"


# A received stamp in the margin beside a plan's centred summary: its red print taken out, its
# handwriting ("1614", "01/4/2026", "P.NC") read level with the summary's lines.
PLAN_BESIDE_A_STAMP = [
    ("KẾ HOẠCH", 286, 132, 362, 147),
    ("21/1 #n#£", 98, 156, 161, 168),
    ("Phối hợp kiểm soát các hoạt động hợp pháp", 195, 150, 453, 167),
    ("Na ˆ", 79, 168, 127, 181),
    ("liên quan đến ma túy năm 2026", 232, 167, 416, 181),
    ("Thực hiện Nghị định số 105/2021/NĐ-CP ngày 04 tháng 12 năm 2021 của", 129, 206, 557, 222),
]
# The same specks with the body's first line after them (it reaches the right edge).
DIRECTIVE_ABOVE_A_STAMP = [
    ("CHỈ THỊ", 302, 115, 356, 131),
    ("Về việc tăng cường công tác thi hành án hành chính", 167, 132, 482, 148),
    ("trên địa bàn tỉnh Quảng Ngãi", 242, 151, 416, 164),
    ("lmà|š Ị số: _", 8, 153, 96, 198),
    ("thời gian qua, công tác triển khai thi hành Luật tố tụng hành", 169, 183, 528, 199),
    ("chính; việc tổ chức thi hành những bản án, quyết định của Tòa án về vụ án", 94, 199, 528, 215),
]


@pytest.mark.parametrize(
    ("rows", "summary_lines", "centre", "kept"),
    [
        pytest.param(
            PLAN_BESIDE_A_STAMP,
            range(1, 5),
            324,
            ["Phối hợp kiểm soát các hoạt động hợp pháp", "liên quan đến ma túy năm 2026"],
            id="handwriting between centred summary lines: left out",
        ),
        pytest.param(
            DIRECTIVE_ABOVE_A_STAMP,
            range(1, 6),
            329,
            ["Về việc tăng cường công tác thi hành án hành chính", "trên địa bàn tỉnh Quảng Ngãi"],
            id="specks before the body: still the summary's end",
        ),
    ],
)
def test_a_stamps_specks_beside_a_centred_summary(
    rows: list[tuple[str, int, int, int, int]], summary_lines: range, centre: float, kept: list[str]
) -> None:
    from pipeline.extract.header import _before_debris_lines

    doc = ocr_doc(rows)
    found = _before_debris_lines(doc, [(0, i) for i in summary_lines], centre=centre)
    assert [doc.pages[0].lines[i].text for _, i in found] == kept


# A scanned invitation with no trích yếu: its body opens under the title, the first line
# indented, the next at the margin, both justified to the right edge (as Tesseract placed them).
INVITATION = [
    ("ỦY BAN NHÂN DÂN", 97, 59, 218, 72),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 263, 53, 533, 66),
    ("TỈNH LÂM ĐỒNG", 105, 75, 213, 88),
    ("Độc lập - Tự do - Hạnh phúc", 313, 70, 484, 83),
    ("Số: 85 /GM-UBND", 100, 108, 218, 121),
    ("Lâm Đồng, ngày 19 tháng 01 năm 2026", 289, 99, 509, 112),
    ("GIẤY MỜI", 270, 136, 339, 150),
    ("Thực hiện Chương trình công tác của Ủy ban nhân dân tỉnh tháng 01/2026,", 108, 173, 532, 187),
    ("Ủy ban nhân dân tỉnh tổ chức Họp đánh giá công tác cải cách hành chính năm", 80, 192, 533, 206),
    ("2025 và triển khai nhiệm vụ năm 2026 của tỉnh Lâm Đồng.", 80, 210, 411, 224),
]


def test_a_justified_paragraphs_first_line_is_no_centred_summary() -> None:
    """Its centre lies near the page's, but the next line shares its right edge, not its
    centre: the body, not a trích yếu."""
    assert summary(INVITATION) == []


def test_a_centred_summarys_lines_share_their_centre() -> None:
    rows = [
        *INVITATION[:7],
        ("Thực hiện Chương trình công tác năm 2026 của", 180, 173, 430, 187),
        ("về cải cách hành chính của Ủy ban nhân dân tỉnh", 178, 192, 432, 206),
        ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", 108, 230, 532, 244),
    ]
    assert summary(rows) == [
        "Thực hiện Chương trình công tác năm 2026 của",
        "về cải cách hành chính của Ủy ban nhân dân tỉnh",
    ]
