"""Legal grounds as Tesseract misreads them on scans (lines copied from scanned decisions and
permits), mended only where the citation grammar allows one reading."""

from __future__ import annotations

import pytest

from pipeline.extract.legal import as_the_document_spells, grounds_cited
from pipeline.nlp.bodies import gazetteer_spelling
from pipeline.nlp.numbering import find_citations
from pipeline.nlp.ocr_grounds import mended_ground

Cited = list[tuple[str | None, str | None, str | None]]


def cited(text: str) -> Cited:
    return [(c.doc_type, c.number_symbol, c.date) for c in find_citations(mended_ground(text)[0])]


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        # a type name one letter off, where a ground opens
        ("Căn cứ Tuật Tổ chức chính quyền địa phương ngày 19/6/2015;", [("Luật", None, "2015-06-19")]),
        ("Căn cứ Nghị đình số 12/2020/NĐ-CP ngày 05/3/2020;", [("Nghị định", "12/2020/NĐ-CP", "2020-03-05")]),
        # a printed digit read as a look-alike inside a worded date
        (
            "Căn cứ Luật Tổ chức chính quyên địa phương ngày l6 tháng 6 năm 2025;",
            [("Luật", None, "2025-06-16")],
        ),
        ("Căn cứ Luật Phòng, chống rửa tiền ngày 15 tháng 1] năm 2022,", [("Luật", None, "2022-11-15")]),
        # a symbol's slash read as "⁄" or "%", or lost after the year
        (
            "bởi Luật số 48/2014QH13, Luật số 97⁄2015/QH13 và Luật số 112/2025%QH15;",
            [("Luật", "48/2014/QH13", None), ("Luật", "97/2015/QH13", None), ("Luật", "112/2025/QH15", None)],
        ),
        # a number cut with a space, a look-alike in its first part; a mark inside a code
        ("Căn cứ Công văn sô 2l 05/UBND-NC ngày 06/5/2022;", [("Công văn", "2105/UBND-NC", "2022-05-06")]),
        ("Căn cứ Nghị định số 1 93/2025/NĐ- C?P;", [("Nghị định", "193/2025/NĐ-CP", None)]),
        # a printed 1 read "I" inside a cited number (black-and-white and colour scans alike)
        (
            "Thực hiện Quyết định số I187/QĐ-BNV ngày 15/10/2025 của Bộ trưởng Bộ Nội vụ",
            [("Quyết định", "1187/QĐ-BNV", "2025-10-15")],
        ),
        ("kèm theo Quyết định số 1I78/QĐ-BTP ngày 28/6/2023", [("Quyết định", "1178/QĐ-BTP", "2023-06-28")]),
        # a month of two look-alikes, nothing but two digits between "tháng" and "năm"
        ("và Luật Tổ chức chính quyên địa phương ngày 22 tháng lÌ năm 2019;", [("Luật", None, "2019-11-22")]),
        # the term cut from its code by a space, the year glued to the code
        ("Căn cứ Luật Ban hành văn bản số 64/2025QH 15;", [("Luật", "64/2025/QH15", None)]),
    ],
)
def test_a_misread_ground_is_mended(
    read: str, expected: list[tuple[str | None, str | None, str | None]]
) -> None:
    assert cited(read) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Căn cứ Luận văn số 5",  # one edit from "Luật" but no citation follows: not a type name
        "Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024;",  # nothing misread
        "ngày 2 tháng năm 2020",  # no digit in the field: nothing to read as a digit
        "ngày l tháng 6 năm 2020",  # one look-alike stood for 1 or for 11: left as read
        "Căn cứ Quyết định số I 87/QĐ-BNV;",  # "I" alone stood for 1 or for 11: left as read
        "Căn cứ Nghị quyết số I/NQ-HĐND;",  # no digit: nothing says it is a number
    ],
)
def test_what_needs_no_mending_stays(text: str) -> None:
    assert mended_ground(text) == (text, [])


def test_a_type_name_with_its_kind_before_the_number() -> None:
    # "Giấy phép khai thác, sử dụng nước mặt số 35/GP-UBND": the number is the licence's.
    text = (
        "Căn cứ Giấy phép khai thác, sử dụng nước mặt số 35/GP-UBND ngày 29/7/2019 của Chủ tịch UBND "
        "tỉnh; Giấy phép khai thác, sử dụng nước mặt (điều chỉnh lần 1) số 62/GP-UBND ngày 07/10/2024"
    )
    assert [(c.doc_type, c.number_symbol, c.date) for c in find_citations(text)] == [
        ("Giấy phép", "35/GP-UBND", "2019-07-29"),
        ("Giấy phép", "62/GP-UBND", "2024-10-07"),
    ]


def test_a_cited_number_glued_to_a_letter_is_not_read() -> None:
    # "số L1/CT-TTg": OCR read the first digit of "11" as a letter; "1/CT-TTg" would be wrong.
    assert find_citations("Thực hiện Chỉ thị số L1/CT-TTg ngày 16 tháng 4 năm 2021") == []


def test_a_document_that_amended_a_ground_is_a_ground_of_its_own() -> None:
    # "được sửa đổi, bổ sung bởi ...": the amending documents are cited as grounds; a law whose
    # title amends others ("Luật sửa đổi, bổ sung ... của Luật ...") names them in its title.
    text = (
        "Căn cứ Luật Giao thông đường thủy nội địa số 23/2004/QH11 được sửa đổi, bổ sung bởi "
        "Luật số 48/2014/QH13, Luật số 97/2015/QH13;"
    )
    assert [c.number_symbol for c in grounds_cited(text)] == ["23/2004/QH11", "48/2014/QH13", "97/2015/QH13"]
    titled = "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Đất đai số 45/2013/QH13 ngày 29/11/2013;"
    assert len(grounds_cited(titled)) == 1


Described = list[tuple[str | None, str | None, str | None, str | None]]


def described(text: str) -> Described:
    return [(c.doc_type, c.number_symbol, c.date, c.issuer) for c in find_citations(mended_ground(text)[0])]


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        # a speck beside a symbol's hyphen read as a second one (lines as Tesseract read seeded scans)
        (
            "Căn cứ Quyết định số 1187/QĐ- -BNV ngày 15/10/2025 của Bộ trưởng Bộ Nội vụ phê duyệt",
            [("Quyết định", "1187/QĐ-BNV", "2025-10-15", "Bộ trưởng Bộ Nội vụ")],
        ),
        (
            "Căn cứ Chỉ thị số 23/CT- -TTg ngày 02/9/2021 của Thủ tướng Chính phủ về đẩy mạnh",
            [("Chỉ thị", "23/CT-TTg", "2021-09-02", "Thủ tướng Chính phủ")],
        ),
        # the body's code one letter off the body the ground names after "của" ("cua" as read)
        (
            "Căn cứ Thông tư số 04/2020/TT- BNỮ ngày 13 tháng ]0 năm 2020 cua Bộ trưởng Bộ Nội vụ quy định",
            [("Thông tư", "04/2020/TT-BNV", "2020-10-13", "Bộ trưởng Bộ Nội vụ")],
        ),
        (
            "Căn cứ Quyết định số 23/2023/QĐ-TT. S ngày 18 tháng 9 năm 2023 của Thủ tướng Chính phủ về",
            [("Quyết định", "23/2023/QĐ-TTg", "2023-09-18", "Thủ tướng Chính phủ")],
        ),
        # the type code one letter off the type name before "số"; a date field cut by a space
        (
            "Căn cứ Quyết định số 171 6/QJ- UBND ngày 16/1 0/2025 của Chủ tịch UBND tỉnh về việc",
            [("Quyết định", "1716/QĐ-UBND", "2025-10-16", "Chủ tịch UBND tỉnh")],
        ),
        (
            "Căn cứ Nghị quyết số 214/NO-CP ngày 23 tháng 7 năm 2025 của Chính phủ",
            [("Nghị quyết", "214/NQ-CP", "2025-07-23", "Chính phủ")],
        ),
        # a comma read inside the type code; a slash read as an apostrophe, a speck before the date
        # and a printed 1 of the day read as "["
        (
            "Căn cứ Thông báo số 292/T, B-VPCP ngày 09 tháng 6 năm 2025 của Văn phòng Chính phủ về kết luận",
            [("Thông báo", "292/TB-VPCP", "2025-06-09", "Văn phòng Chính phủ")],
        ),
        (
            "Quyết định sỐ 282'QĐ- TTg ¡ ngày [2/02/2026 của Thủ tướng Chính phủ; ",
            [("Quyết định", "282/QĐ-TTg", "2026-02-12", "Thủ tướng Chính phủ")],
        ),
    ],
)
def test_a_cited_code_agrees_with_what_the_ground_names(read: str, expected: Described) -> None:
    assert described(read) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a code of the lists is kept even where the ground names another body: it may be right
        "Căn cứ Quyết định số 12/QĐ-BTC ngày 01/02/2025 của Bộ trưởng Bộ Tư pháp;",
        # a code no body of the ground settles stays as read
        "Căn cứ Kế hoạch số 5/KH-BQLDA ngày 01/02/2025 của Ban Quản lý dự án tỉnh;",
        "Căn cứ Công văn số 2769/UBND-NCKSTTTHC ngày 01/02/2025 của UBND tỉnh;",
        # the National Assembly's term is part of its code
        "Căn cứ Nghị quyết số 202/2025/QH15 ngày 12 tháng 6 năm 2025 của Quốc hội;",
        "Căn cứ Luật số 64/2025/QH15 ngày 19 tháng 2 năm 2025 của Quốc hội;",
        # a stroke OCR cannot add: a misprinted code (a real scan prints "76/NQ-HĐNĐ") stays as printed
        "Căn cứ Nghị quyết số 76/NQ-HĐNĐ ngày 27/12/2024 của HĐND tỉnh;",
        # a party symbol has its own grammar
        "Căn cứ Nghị quyết số 02-NQ/TW ngày 17/3/2026 của Bộ Chính trị;",
    ],
)
def test_codes_the_ground_cannot_settle_stay(text: str) -> None:
    assert mended_ground(text) == (text, [])


# Cited issuers as Tesseract read them on scanned grounds (the seeds' bilevel and received
# scans): the marks lost in one line, the letters right.
@pytest.mark.parametrize(
    ("read", "spelled"),
    [
        ("Chinh phu", "Chính phủ"),
        ("Thu tướng Chính phủ", "Thủ tướng Chính phủ"),
        ("Chủ tịch UBND tính", "Chủ tịch UBND tỉnh"),
        ("UBND Thành phó", "UBND Thành phố"),  # the capital as read
        ("Bộ Nội vu", "Bộ Nội vụ"),
        ("Chính phủ", None),  # spelled so already
        ("Thủ trưởng Chính phủ", None),  # no issuer has these letters
        ("Đoàn Luật sư tỉnh Lâm Đồng", None),  # no body of the gazetteer
    ],
)
def test_a_cited_issuer_is_spelled_as_the_gazetteer_spells_it(read: str, spelled: str | None) -> None:
    assert gazetteer_spelling(read) == spelled


def test_a_cited_issuer_is_spelled_as_the_document_prints_it_most() -> None:
    # A body the gazetteer does not hold, its marks lost in one ground and read in two others.
    text = (
        "Căn cứ Đề án số 12/ĐA-ĐLS ngày 03/3/2025 của Đoàn Luật sư tỉnh Lâm Đông; Báo cáo số "
        "5/BC-ĐLS của Đoàn Luật sư tỉnh Lâm Đồng; Tờ trình số 7/TTr-ĐLS của Đoàn Luật sư tỉnh Lâm Đồng."
    )
    assert as_the_document_spells("Đoàn Luật sư tỉnh Lâm Đông", text) == "Đoàn Luật sư tỉnh Lâm Đồng"
    assert as_the_document_spells("Đoàn Luật sư tỉnh Lâm Đồng", text) is None
    once = text.replace("Báo cáo số 5/BC-ĐLS của Đoàn Luật sư tỉnh Lâm Đồng; ", "")
    assert as_the_document_spells("Đoàn Luật sư tỉnh Lâm Đông", once) is None  # one against one
