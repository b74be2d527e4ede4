"""A scan's issuer and its symbol's body code are two readings of one value: where they
disagree, a repair of the issuer that agrees with the code is taken (nlp.body_codes)."""

from __future__ import annotations

import pytest

from pipeline.model import Document, Line, Page
from pipeline.nlp.body_codes import body_code, code_of_body, initials, named_by_code, stroked_symbol
from pipeline.repair.issuer_lines import issuer_lines


def _issuer(block: list[str], origin: str = "ocr") -> list[str]:
    """The issuer lines ``issuer_lines`` keeps of a left header block read as ``block``."""
    page = Page(number=1, lines=[Line(text=text) for text in block], origin=origin)  # type: ignore[arg-type]
    doc = Document(path="scan.pdf", format="pdf", pages=[page])
    refs = issuer_lines(doc, [(0, at) for at in range(len(block))])
    return [doc.pages[0].lines[at].text for _, at in refs]


@pytest.mark.parametrize(
    ("block", "issuer"),
    [
        # received copies: the stamp's letters read as a line under the body's name
        (["BỘ NỘI VỤ", ": TỔNG", "Sô: 1187 /QĐ-BNV"], ["BỘ NỘI VỤ"]),
        # a word read twice
        (
            ["UBNI TỈNH BÌNH THUẬN", "SỞ TƯ TƯ PHÁP", "Số: 788 /STP-HCBT"],
            ["UBND TỈNH BÌNH THUẬN", "SỞ TƯ PHÁP"],
        ),
        # a sealed copy: the seal's rim through the collective body's name
        (["UY BA Y NHÂN DÂN", "LINH BÌNH THUẬN", "Số: 779 /QĐ-UBND"], ["ỦY BAN NHÂN DÂN", "TỈNH BÌNH THUẬN"]),
        # a received stamp's specks in small letters before the name
        (
            ['"»-v..UY BA NHÂN DÂN', "TỈNH BÌNH THUẬN", "Số: 779/QĐ-UBND"],
            ["ỦY BAN NHÂN DÂN", "TỈNH BÌNH THUẬN"],
        ),
    ],
)
def test_a_scanned_issuer_is_made_to_agree_with_its_symbol(block: list[str], issuer: list[str]) -> None:
    assert _issuer(block) == issuer


def test_a_code_of_a_names_first_words_cuts_nothing_after_them() -> None:
    """ "HĐTĐ" abbreviates "HỘI ĐỒNG THẨM ĐỊNH," only: the name goes on after its comma."""
    block = ["UBND TỈNH LÂM ĐỒNG", "HỘI ĐỒNG THẨM ĐỊNH,", "ĐÁNH GIÁ CHỈ SỐ CẢI CÁCH", "HÀNH CHÍNH TỈNH"]
    block.append("Số: 10797/QĐ-HĐTĐ")
    assert _issuer(block) == block[:4]


def test_a_text_layer_is_read_as_printed() -> None:
    assert _issuer(["SỞ TƯ TƯ PHÁP", "Số: 788 /STP-HCBT"], origin="layer") == ["SỞ TƯ TƯ PHÁP"]


@pytest.mark.parametrize(
    ("symbol", "code"),
    [
        ("QĐ-UBND", "UBND"),
        ("STP-HCBT", "STP"),
        ("HD-HHCCVVN", "HHCCVVN"),
        ("QĐ-TTg", None),  # no code of initials
        ("QĐ-BCĐ138", None),
    ],
)
def test_the_body_code_of_a_symbol(symbol: str, code: str | None) -> None:
    assert body_code(symbol) == code


def test_initials_leave_out_the_word_and() -> None:
    assert initials("BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG") == "BTNMT"


def test_a_glued_name_is_the_one_body_its_code_names() -> None:
    assert named_by_code("SỞNỘIVỤU", "SNV") == "Sở Nội vụ"
    assert named_by_code("SỞNỘIVỤU", "STP") is None  # another code names another body


def test_a_line_run_together_past_ungluing_is_the_body_its_code_names() -> None:
    # a received copy: the issuer's line read "SỞNỘIVỤU -", no syllable of it known
    block = ["UBND TỈNH LÂM ĐỒNG", "SỞNỘIVỤU -", "Số: 176 /TTr-SNV"]
    assert _issuer(block) == ["UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ"]


@pytest.mark.parametrize(
    ("issuer", "code"),
    [
        ("Bộ trưởng Bộ Nội vụ quy định chi tiết", "BNV"),
        ("Bộ trưởng Bộ Tài nguyên và Môi trường", "BTNMT"),
        ("Thủ tướng Chính phủ về thành lập", "TTg"),
        ("Chính phủ về", "CP"),
        ("Chủ tịch UBND tỉnh", "UBND"),
        ("Ủy ban nhân dân tỉnh Lâm Đồng", "UBND"),
        ("Giám đốc Sở Tư pháp về", "STP"),
        ("Ban Chỉ đạo 138", None),  # initials that are no code of the list
    ],
)
def test_the_code_of_the_body_a_citation_names(issuer: str, code: str | None) -> None:
    assert code_of_body(issuer) == code


@pytest.mark.parametrize(
    ("symbol", "issuer", "stroked"),
    [
        # a black-and-white scan's number line lost the stroke of a Đ the issuer's name has
        ("QĐ-HDTĐ", "HỘI ĐỒNG THẨM ĐỊNH, ĐÁNH GIÁ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH TỈNH", "QĐ-HĐTĐ"),
        ("2024/QĐ-HDND", "HỘI ĐỒNG NHÂN DÂN TỈNH", "2024/QĐ-HĐND"),
        ("QĐ-HĐTĐ", "HỘI ĐỒNG THẨM ĐỊNH", None),  # nothing lost
        ("QĐ-UBND", "ỦY BAN NHÂN DÂN TỈNH", None),  # no Đ to put back
        ("QĐ-HDTD", "HỘI DUYỆT TIÊU DÙNG", None),  # the name has no Đ there either
        ("QĐ-TTg", "THỦ TƯỚNG CHÍNH PHỦ", None),  # a code that is no initials
    ],
)
def test_a_symbols_lost_stroke_comes_back_from_the_issuer(
    symbol: str, issuer: str, stroked: str | None
) -> None:
    assert stroked_symbol(symbol, issuer) == stroked
