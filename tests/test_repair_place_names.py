"""Place names of a scan's running text put back to the gazetteer's spelling.

The readings are Tesseract's, of lines of scanned pages (summaries, a header's issuer, body
text); each case is one problem.
"""

from __future__ import annotations

import pytest

from pipeline.model import Document, Line, Page
from pipeline.registry import Context
from pipeline.repair.place_names import respell_place_names, respelled_places


@pytest.mark.parametrize(
    ("read", "spelled"),
    [
        # a province's mark slipped after its unit word
        (
            "dịch vụ công của tỉnh Lâm Đông trong năm 2025",
            "dịch vụ công của tỉnh Lâm Đồng trong năm 2025",
        ),
        # the unit word's mark slipped before a place as printed
        ("Phó Chủ tịch Ủy ban nhân dân tĩnh tại Hội nghị", "Phó Chủ tịch Ủy ban nhân dân tĩnh tại Hội nghị"),
        ("Phó Chủ tịch Ủy ban nhân dân tĩnh Lâm Đồng tại", "Phó Chủ tịch Ủy ban nhân dân tỉnh Lâm Đồng tại"),
        ("UBND TỈNH LÂM ĐÔNG", "UBND TỈNH LÂM ĐỒNG"),  # capitals stay capitals
        ("UBND TĨNH LÂM ĐỒNG", "UBND TỈNH LÂM ĐỒNG"),
        ("phối hợp với UBND huyện Đức Phố định kỳ", "phối hợp với UBND huyện Đức Phổ định kỳ"),
        ("(11) xã Đã Huoai 2; (12) xã Tà Đùng;", "(11) xã Đạ Huoai 2; (12) xã Tà Đùng;"),
        ("Đoàn Luật sư tỉnh Lâm Đông (cũ),", "Đoàn Luật sư tỉnh Lâm Đồng (cũ),"),  # punctuation kept
    ],
)
def test_a_place_after_its_unit_word_takes_the_gazetteers_marks(read: str, spelled: str) -> None:
    assert respelled_places(read) == spelled


@pytest.mark.parametrize(
    "text",
    [
        "tỉnh Khánh Hoà và tỉnh Ninh Thuận",  # the older tone placement: the same name, as printed
        "Cộng hòa xã hội chủ nghĩa Việt Nam",  # "xã" before no place
        "các phường, xã, thị trấn",
        "UBND thành phố Hồ Chí Minh,",
        "tỉnh Quảng Ngãi) khai thác",
        "Bộ Công an - cơ quan Chủ Chương trình",  # "quan" is no "quận" before a place misread
        "hài cốt liệt sĩ ở cấp xã (Làm báo cáo",  # a bracket opens no place
        "tĩnh Lâm Đông",  # both slipped: nothing read right to anchor either
        "II. CƠ QUAN CHỈ ĐẠO VÀ TỔ CHỨC THỰC HIỆN",  # "Chỉ Đạo" is a commune, but no province
        "Luật sư Phương Đại Nghĩa, Luật sư Nguyễn Thị Hạnh",
        "Công an tỉnh Ì Thành viên",  # a speck after the unit word
    ],
)
def test_text_with_no_place_to_mend_stays_as_printed(text: str) -> None:
    assert respelled_places(text) == text


def test_only_scanned_pages_are_respelled_and_the_reading_is_reported() -> None:
    pages = [
        Page(number=n, lines=[Line(text="Kế hoạch của tỉnh Lâm Đông năm 2026")], origin=origin)
        for n, origin in ((1, "ocr"), (2, "layer"))
    ]
    ctx = Context(doc=Document(path="d.pdf", format="pdf", pages=pages))
    respell_place_names(ctx)
    assert [page.lines[0].text for page in pages] == [
        "Kế hoạch của tỉnh Lâm Đồng năm 2026",
        "Kế hoạch của tỉnh Lâm Đông năm 2026",
    ]
    assert [code for code, _ in ctx.doc.warnings] == ["ocr.place_respelled"]
