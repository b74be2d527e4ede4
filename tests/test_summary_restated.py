"""A scanned trích yếu whose words a stamp spoiled, read again where the document restates it.

The readings are Tesseract's of simulated bilevel scans of two real decisions (a received
stamp pressed over the title): the title's lines as read, and the body's lines that restate
it, Article 1 among them."""

from __future__ import annotations

from pipeline.extract.header import WORD_EDGES, _is_garbled
from pipeline.extract.restated import mended
from tests.helpers import scanned_header


def _damaged(token: str) -> bool:
    return _is_garbled(token.strip(WORD_EDGES))


DRAINAGE_BODY = [
    "Theo đề nghị cua SƠ Xây dựng tại Tờ trình số 191/TTr-SXD ngày",
    "10/4/2026 về Kế hoạch Bảo đảm thoát nước. chống úng ngập khu vực nội thành",
    "Thành phố mùa mưa năm 20926.",
    "QUYẾT ĐỊNH:",
    "Điều 1. Phê duyệt Kế hoạch bảo đảm thoát nước, chống úng ngập khu vực",
    "nội thành Thành phố mùa mưa năm 2026, kẻm theo Quyết định này.",
]
DRAINAGE_TITLE = "Phê duyệt Kế hoạch Bảo đảm thoát nước, chống úng ngập khu vực nội thành Thành pHanba›netrn"


def test_a_titles_damaged_end_is_read_in_article_one() -> None:
    # The proposal's restatement reads the year "20926": no year, so only Article 1's counts.
    assert mended(DRAINAGE_TITLE, _damaged, DRAINAGE_BODY) == (
        "Phê duyệt Kế hoạch Bảo đảm thoát nước, chống úng ngập khu vực nội thành Thành phố mùa mưa năm 2026"
    )


def test_two_restatements_that_disagree_give_nothing() -> None:
    other = [*DRAINAGE_BODY, "chống úng ngập khu vực nội thành Thành phố mùa khô năm 2026, kèm theo"]
    other[2] = "Thành phố mùa mưa năm 2026."
    assert mended(DRAINAGE_TITLE, _damaged, other) is None


def test_no_restatement_or_too_short_an_anchor_gives_nothing() -> None:
    assert mended(DRAINAGE_TITLE, _damaged, DRAINAGE_BODY[:1]) is None
    # three words before the damage are too few to say the body restates the title
    assert mended("Về việc pHanba›netrn", _damaged, ["Về việc phê duyệt kế hoạch,"]) is None
    # a title without damage is left as it is
    assert mended("Phê duyệt Kế hoạch năm 2026", _damaged, DRAINAGE_BODY) is None


def test_damage_inside_a_title_between_two_agreeing_stretches() -> None:
    title = (
        "Về việc thành lập hội đồng cấp tỉnh xét duyệt địa bàn cấp xã không„um. Hữu "
        "và đề nghị xét duyệt địa lbờn cấp tỉnh. không ma túy"
    )
    body = [
        "QUYẾT ĐỊNH:",
        "Điều 1. Thành lập Hội đồng cấp tỉnh xét duyệt địa bàn",
        "cấp xã không ma túy và đề nghị xét duyệt địa bàn cấp tỉnh",
        "không ma túy (sau đây gọi tắt là Hội đồng xét duyệt), gồm: 13",
    ]
    assert mended(title, _damaged, body) == (
        "Về việc thành lập hội đồng cấp tỉnh xét duyệt địa bàn cấp xã không ma túy "
        "và đề nghị xét duyệt địa bàn cấp tỉnh không ma túy"
    )


def test_the_header_warns_of_the_second_reading() -> None:
    rows = [
        ("ỦY BAN NHÂN DÂN", 122, 50, 260, 64),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 282, 51, 560, 65),
        ("THÀNH PHỐ HÀ NỘI", 118, 66, 262, 80),
        ("Độc lập - Tự do - Hạnh phúc", 327, 69, 500, 83),
        ("Số: 2280/QĐ-UBND", 111, 93, 260, 107),
        ("Hà Nội, ngày 29 tháng 4 năm 2026", 297, 95, 530, 109),
        ("QUYẾT ĐỊNH", 268, 129, 360, 144),
        ("Phê duyệt Kế hoạch Bảo đảm thoát nước, chống úng ngập", 145, 146, 480, 161),
        ("khu vực nội thành Thành pHanba›netrn earnr2(0)20", 167, 163, 460, 178),
        ("Căn cứ Luật Tổ chức chính quyền địa phương", 122, 237, 400, 251),
        *((text, 87, 400 + 18 * at, 560, 414 + 18 * at) for at, text in enumerate(DRAINAGE_BODY)),
    ]
    ctx = scanned_header(rows)
    assert ctx.header is not None and ctx.header.summary is not None
    assert ctx.header.summary.endswith("nội thành Thành phố mùa mưa năm 2026")
    assert any(code == "ocr.summary_restated" for code, *_ in ctx.doc.warnings)


def test_a_letter_read_as_a_mark_and_set_apart() -> None:
    # A received stamp's edge over the capital of "Lâm": "! âm Đồng".
    title = (
        "Về việc cho phép hợp nhất Đoàn Luật sư tỉnh Lâm Đồng (cũ), Đoàn Luật sư tỉnh Bình Thuận (cũ), "
        "Đoàn Luật sư tỉnh Đắk Nông (cũ) thành Đoàn Luật sư tỉnh ! âm Đồng"
    )
    body = [
        "Điều 1. Cho phép hợp nhất Đoàn Luật sư tỉnh Lâm Đồng (cũ), Đoàn Luật sư",
        "tỉnh Bình Thuận (cũ), Đoàn Luật sư tỉnh Đắk Nông (cũ) thành Đoàn Luật sư tỉnh",
        "Lâm Đồng.",
    ]
    assert mended(title, _damaged, body) == title.replace("! âm Đồng", "Lâm Đồng")


def test_a_year_that_lost_a_digit_is_damage_the_restatement_mends() -> None:
    from pipeline.extract.header import garbled_words

    title = DRAINAGE_TITLE.replace("pHanba›netrn", "phố mùa mưa năm 226")
    assert garbled_words(title) == ["226"]
    assert garbled_words("tầm nhìn đến năm 2050") == []
    damaged = set(garbled_words(title))
    assert mended(title, damaged.__contains__, DRAINAGE_BODY) == title.replace("năm 226", "năm 2026")
