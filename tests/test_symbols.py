"""Cited symbols as Tesseract misreads them, put back only where the symbol grammar allows."""

from __future__ import annotations

import pytest

from pipeline.extract.legal import extract_legal_bases
from pipeline.model import Document, Line, Page
from pipeline.nlp.symbols import mended_number_line, repaired_codes, repaired_symbol


@pytest.mark.parametrize(
    ("reading", "symbol"),
    [
        ("163/2024/QHI5", "163/2024/QH15"),  # the Assembly's term: digits only
        ("286/5TC-HCSN", "286/STC-HCSN"),  # a body's code whose S read as 5
        ("154/2020/NĐCP", "154/2020/NĐ-CP"),  # a type code glued to its body
        ("201/2O13/NĐ-CP", "201/2013/NĐ-CP"),  # a year with a letter O
        ("2764/QĐĐ-TTg", "2764/QĐ-TTg"),  # a letter read twice
        ("48/2014/QHI13", "48/2014/QH13"),  # a stroke read as a letter before the term's digits
        ("93/2019/ND-CP", "93/2019/NĐ-CP"),  # a type code whose Đ lost its stroke
    ],
)
def test_a_misread_symbol_is_put_back(reading: str, symbol: str) -> None:
    assert repaired_symbol(reading) == symbol


@pytest.mark.parametrize(
    "reading",
    [
        "153/KH-UBND",  # well formed already
        "93/2025/NĐ-C",  # a lost letter cannot be guessed
        "57-NQ/TW",  # no number before the first slash
        "12/XYZQ-ABC",  # codes of no list are left as read
        "12/2020/QH113",  # three digits, none a look-alike: no term to tell
    ],
)
def test_what_cannot_be_made_well_formed_is_left_alone(reading: str) -> None:
    assert repaired_symbol(reading) is None


def scanned(*texts: str) -> Document:
    page = Page(number=1, lines=[Line(text=text) for text in texts], origin="ocr")  # type: ignore[arg-type]
    return Document(path="scan.pdf", format="pdf", pages=[page])


def test_a_ground_cited_twice_once_misread_is_one_ground() -> None:
    doc = scanned(
        "Căn cứ Nghị định số 154/2020/NĐ-CP ngày 31/12/2020 của Chính phủ;",
        "Căn cứ Nghị định số 154/2020/NĐCP ngày 31/12/2020 của Chính phủ sửa đổi;",
    )
    bases = extract_legal_bases(doc, [(0, 0), (0, 1)])
    assert [b.number_symbol for b in bases] == ["154/2020/NĐ-CP"]
    assert [code for code, _ in doc.warnings] == ["ocr.symbol_repaired"]


def test_a_ground_whose_symbol_a_stamp_cut_to_one_letter_is_left_out() -> None:
    # "42/2013/QH13" read "42/2013/Qñ mày" under a received stamp: "42/2013/Q" would be wrong
    doc = scanned(
        "Căn cứ Luật tiếp Công dân số 42/2013/Qñ mày;",
        "Căn cứ Nghị định số 64/2014/NĐ-CP ngày 26/6/2014 của Chính phủ;",
    )
    bases = extract_legal_bases(doc, [(0, 0), (0, 1)])
    assert [b.number_symbol for b in bases] == ["64/2014/NĐ-CP"]
    assert "ocr.ground_rejected" in [code for code, _ in doc.warnings]


def test_a_ground_whose_symbol_is_malformed_is_left_out() -> None:
    # a party symbol garbled on a black-and-white scan ("80-NQ/TW" read "80-NQJVTW"), a year read
    # with a digit twice: neither grammar of a cited symbol reads them
    doc = scanned(
        "Căn cứ Nghị quyết số 80-NQJVTW ngày 07/01/2026 của Bộ Chính trị;",
        "Căn cứ Quyết định số 23/2 2023/QĐ-TTg;",
        "Căn cứ Nghị quyết số 02-NQ/TW ngày 17/3/2026 của Bộ Chính trị;",
    )
    bases = extract_legal_bases(doc, [(0, 0), (0, 1), (0, 2)])
    assert [b.number_symbol for b in bases] == ["02-NQ/TW"]
    assert [code for code, _ in doc.warnings].count("ocr.ground_rejected") == 2


def test_the_opening_paragraph_behind_what_is_left_of_the_address_block() -> None:
    # a scan's "Kính gửi" entries fell into the body: the opening paragraph is the next one,
    # which opens as a paragraph and cites a document (lines as read on a black-and-white scan)
    doc = scanned(
        "Các bộ, cơ quan ngang bộkgay: c 2 > > Ủy ban nhân dân tỉnh, thàaluphó trực thuộc rung ương.",
        "Thực hiện Quyết định số 1187/QĐ- BNV ngày 15/10/2025 của Bộ trưởng Bộ",
        "Nội vụ phê duyệt Đề án “Xác định Chỉ số cải cách hành chính”, Bộ Nội vụ hướng dẫn như sau:",
        "1. Về công tác tự đánh giá, chấm điểm",
        "Thực hiện Quyết định số 22/QĐ-BNV ngày 15/10/2025 của Bộ trưởng Bộ Nội vụ.",
    )
    bases = extract_legal_bases(doc, [(0, at) for at in range(5)])
    assert [b.number_symbol for b in bases] == ["1187/QĐ-BNV"]


def test_an_opening_paragraph_that_cites_is_the_only_one_read() -> None:
    doc = scanned(
        "Ngày 09/4/2025, Bộ Tư pháp đã có Công văn số 1866/BTP-PLHSHC gửi các tỉnh.",
        "Thực hiện Quyết định số 1187/QĐ-BNV ngày 15/10/2025 của Bộ trưởng Bộ Nội vụ.",
    )
    bases = extract_legal_bases(doc, [(0, 0), (0, 1)])
    assert [b.number_symbol for b in bases] == ["1866/BTP-PLHSHC"]


@pytest.mark.parametrize(
    ("reading", "symbol"),
    [
        ("QĐĐ-UBND", "QĐ-UBND"),  # a document's own symbol, its number blank or handwritten
        ("CĐĐ-VPCP", "CĐ-VPCP"),
        # a received copy's number line, the stroke of Đ lost under the stamp's ink
        ("QD-UBND", "QĐ-UBND"),
        ("CD-VPCP", "CĐ-VPCP"),
        # a Sở's code whose S read as 5, before a department's code the lists lack, which stays
        ("5TP-HCBT", "STP-HCBT"),
        ("QĐ-UBND", None),  # nothing to repair
        ("XYZ-UBND", None),  # a code of no list stays as read
        # a letter codes print twice ("TTg", "KSTTHC") is no slip, in a body's code the
        # lists lack either: "BTTP" (a ministry's department) is not "BTP"
        ("BTP-BTTP", None),
    ],
)
def test_a_printed_symbol_takes_its_codes_back(reading: str, symbol: str | None) -> None:
    assert repaired_codes(reading) == symbol


@pytest.mark.parametrize(
    ("reading", "number", "symbol"),
    [
        ("Sô: 120 /BN V-CCHC", "120", "BNV-CCHC"),  # a code split by a space
        ("Số: 1925 /§TC- HTDN", "1925", "STC-HTDN"),  # "§" read for a code's S
        # the slash lost between the number and a type code: the symbol is sure, the number
        # is not (the slash may have been read as its last digit)
        ("Số: 10797QĐ-HĐTĐ", None, "QĐ-HĐTĐ"),
    ],
)
def test_an_ocr_number_line_is_mended_where_the_closed_lists_settle_it(
    reading: str, number: str | None, symbol: str
) -> None:
    mended = mended_number_line(reading)
    assert mended is not None
    assert (mended[0].number, mended[0].symbol) == (number, symbol)


@pytest.mark.parametrize(
    "reading",
    ["Số: 12 /AB C-UBND", "Số: 3917/BTP-BTTP", "Số: 12/KH-UBND", "Số: 10797XY-HĐTĐ"],
)
def test_a_number_line_nothing_settles_is_not_mended(reading: str) -> None:
    assert mended_number_line(reading) is None


def test_grounds_after_a_speck_before_the_first_can_cu_are_read() -> None:
    # A scan read a speck before the first "Căn cứ" ("` Căn cứ Luật ..."); its law was lost.
    doc = scanned(
        "` Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 64/2025QH 15 được",
        "sửa đổi, bổ sung bởi Luật số 87/2025/QH15;",
        "Căn cứ Nghị định số 40/2025/NĐ-CP của Chính phủ;",
    )
    bases = extract_legal_bases(doc, [(0, 0), (0, 1), (0, 2)])
    assert [b.number_symbol for b in bases] == ["64/2025/QH15", "87/2025/QH15", "40/2025/NĐ-CP"]
