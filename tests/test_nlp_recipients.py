"""Scanned "Nơi nhận" entries put back to the words such lists are made of.

The readings are Tesseract's, of real recipients' lists on scanned closing pages (small
italic print beside the seal); each case is one problem.
"""

from __future__ import annotations

import pytest

from pipeline.extract.closing import extract_recipients
from pipeline.model import Document, Line, Page
from pipeline.nlp.recipients import respelled_entry


@pytest.mark.parametrize(
    ("read", "listed"),
    [
        # a phrase of the list read with other marks
        ("Thường trực HĐND Thành phó", "Thường trực HĐND Thành phố"),
        ("UBND các tỉnh, thành phó trực thuộc trung ương", "UBND các tỉnh, thành phố trực thuộc trung ương"),
        ("Chủ tịch UBND tính", "Chủ tịch UBND tỉnh"),
        ("Các Hội địa phượng (đề thực hiện)", "Các Hội địa phương (để thực hiện)"),
        ("VPCP: BTCN, các PCN, TGĐ Công TTĐT, các Vụ", "VPCP: BTCN, các PCN, TGĐ Cổng TTĐT, các Vụ"),
        ("THÀNH PHÓ", "THÀNH PHỐ"),  # its case kept
        # lists' phrases whose slip is a word elsewhere ("thuộc tính", "sự có")
        ("Các sở, ban, ngành thuộc tính", "Các sở, ban, ngành thuộc tỉnh"),
        ("Ủy ban MTTQ Việt Nam tính", "Ủy ban MTTQ Việt Nam tỉnh"),
        ("UB MTTQ VN TP và các đoàn thẻ TP", "UB MTTQ VN TP và các đoàn thể TP"),
        ("Các Phó Giám độc", "Các Phó Giám đốc"),
        ("Ủy ban Quốc gia ứng phó sự có thiên tai & TKCN", "Ủy ban Quốc gia ứng phó sự cố thiên tai & TKCN"),
        ("Cục Bồ trợ tư pháp - Bộ Tư pháp (để biêt)", "Cục Bổ trợ tư pháp - Bộ Tư pháp (để biết)"),
        # a note in brackets opens with "để"
        ("Bộ trưởng (đê báo cáo)", "Bộ trưởng (để báo cáo)"),
        ("Các Vụ: CCVC, TCBC, CCHC (đẻ T/H)", "Các Vụ: CCVC, TCBC, CCHC (để T/H)"),
        # an entry opens with "Sở"
        ("Số Nội vụ các tỉnh, thành phố trực thuộc TW", "Sở Nội vụ các tỉnh, thành phố trực thuộc TW"),
        # "Như Điều" and its number
        ("Như Điêu 3", "Như Điều 3"),
        ("Như Điệu 7", "Như Điều 7"),
        ("Như Điều l", "Như Điều 1"),
        ("Như Điều |", "Như Điều 1"),  # a bar for the 1: the token is the number
        ("Như Điều ];", "Như Điều 1;"),
        # a name after a person's title opens with a family name
        ("Đ/c Nguyên Ngọc Phúc - PCT.UBND tỉnh", "Đ/c Nguyễn Ngọc Phúc - PCT.UBND tỉnh"),
        ("Bộ trưởng Trân Hồng Hà (đê b/cáo)", "Bộ trưởng Trần Hồng Hà (để b/cáo)"),
    ],
)
def test_a_scanned_entry_takes_the_marks_of_a_lists_words(read: str, listed: str) -> None:
    assert respelled_entry(read) == listed


@pytest.mark.parametrize(
    "entry",
    [
        "Tổ Công tác liên ngành",  # "Tổ" folds to the family name "Tô", but no title comes before
        "Số liệu thống kê",  # "Số" before a word in small letters
        "Lưu: VT, NC.chau",  # a clerk's initials: no word of the list
        "Ban Quản lý các khu công nghiệp tỉnh",
        "Thứ trưởng Nguyễn Văn Hỏi (để b/c)",  # a given name's mark: nothing to tell it by
        "Thường trực Tỉnh uỷ",  # the tone placed the older way is the same spelling: as printed
    ],
)
def test_entries_with_no_word_of_the_list_to_mend_stay_as_read(entry: str) -> None:
    assert respelled_entry(entry) == entry


def test_only_scanned_entries_are_respelled_and_the_reading_is_reported() -> None:
    lines = [
        Line(text="Nơi nhận:", x0=90, top=600, x1=140, bottom=611),
        Line(text="- Chủ tịch, các PCT UBND Thành phó;", x0=90, top=612, x1=260, bottom=623),
        Line(text="- Lưu: VT.", x0=90, top=624, x1=140, bottom=635),
    ]
    for origin, expected in (
        ("ocr", "Chủ tịch, các PCT UBND Thành phố"),
        ("layer", "Chủ tịch, các PCT UBND Thành phó"),
    ):
        page = Page(
            number=1, width=595, height=842, lines=[Line(**vars(line)) for line in lines], origin=origin
        )
        doc = Document(path="closing.pdf", format="pdf", pages=[page])
        recipients, _ = extract_recipients(doc, [(0, 0), (0, 1), (0, 2)])
        assert recipients[0] == expected
        assert any(code == "ocr.snapped" and "Thành phó" in message for code, message in doc.warnings) == (
            origin == "ocr"
        )
