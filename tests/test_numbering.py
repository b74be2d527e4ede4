"""Number/symbol, place/date and citation grammar (domain.md §2 hazards, one case each)."""

from __future__ import annotations

import pytest

from pipeline.nlp.numbering import find_citations, parse_number_line, parse_place_date, type_from_symbol


@pytest.mark.parametrize(
    ("line", "number", "symbol"),
    [
        ("Số: 153/KH-UBND", "153", "KH-UBND"),
        ("Số:      /KH-UBND", None, "KH-UBND"),  # draft: blank number, never invented
        ("Số: .../CT-UBND", None, "CT-UBND"),
        ("Số 57-NQ/TW", "57", "NQ/TW"),  # party style
        ("Số: 30/2020/NĐ-CP", "30", "2020/NĐ-CP"),  # legal normative
        ("Số: 1925 /STC- HTDN", "1925", "STC-HTDN"),  # spaces around separators
        ("Số: 2827 /QĐ-BGDĐT", "2827", "QĐ-BGDĐT"),
        ("Số: 07/QĐ-UBND", "07", "QĐ-UBND"),  # zero padding kept
        ("Số: 144/2002/QĐ/BTC", "144", "2002/QĐ/BTC"),
        ("Số: 24/HDLN-BCA-BQP-BYT", "24", "HDLN-BCA-BQP-BYT"),  # joint
        ("Số: 12/STC-GCS&TCDN", "12", "STC-GCS&TCDN"),
        ("Số: 991/QĐ.UB", "991", "QĐ.UB"),
        ("Số: 2“ /CT-UBND", None, "CT-UBND"),  # handwritten number unreadable: symbol kept
        ("Số:⁄11 /CT-UBND", "11", "CT-UBND"),
        # The handwritten number swallowed the slash: a symbol of known codes is kept, the
        # number never read from the scrawl.
        ("Số: †0% QĐ- -TTg", None, "QĐ-TTg"),
        ("Số: 12 QĐ-UBND", None, "QĐ-UBND"),
    ],
)
def test_number_line(line: str, number: str | None, symbol: str) -> None:
    parsed = parse_number_line(line)
    assert parsed is not None
    assert (parsed.number, parsed.symbol) == (number, symbol)


@pytest.mark.parametrize(
    "line",
    [
        "Sở Nội vụ",
        "Số liệu năm 2025 tăng 12/15",
        "Kính gửi: Sở Tư pháp",
        "Số: 12 AB-CDE",  # no slash, and codes of no list: nothing is kept
    ],
)
def test_not_a_number_line(line: str) -> None:
    assert parse_number_line(line) is None


@pytest.mark.parametrize(
    ("symbol", "doc_type"),
    [
        ("KH-UBND", "Kế hoạch"),
        ("QD-TTg", "Quyết định"),  # ASCII look-alike
        ("2020/ND-CP", "Nghị định"),
        ("NQ/TW", "Nghị quyết"),
        ("TTr-SNV", "Tờ trình"),
        ("UBND-VX", None),  # a letter: no type code
        ("VPCP-KTTH", None),
    ],
)
def test_type_from_symbol(symbol: str, doc_type: str | None) -> None:
    assert type_from_symbol(symbol) == doc_type


@pytest.mark.parametrize(
    ("line", "place", "iso"),
    [
        ("Hà Nội, ngày 28 tháng 4 năm 2026", "Hà Nội", "2026-04-28"),
        ("Lâm Đồng, ngày     tháng 3 năm 2026", "Lâm Đồng", "2026-03"),  # day blank
        ("Hà Nội, ngày tháng năm 2026", "Hà Nội", "2026"),  # only the year printed
        ("TP.Cần Thơ, ngày 01 tháng 7 năm 2004", "TP.Cần Thơ", "2004-07-01"),
        ("Quảng Ngãi, ngày ... tháng ... năm 2025", "Quảng Ngãi", "2025"),
        ("Hà Nội, ngày 31 tháng 2 năm 2026", "Hà Nội", None),  # no such day: not a coarser date
        ("Số: 256 /2004/QĐ-UB TP.Cần Thơ, ngày 01 tháng 7 năm 2004", "TP.Cần Thơ", "2004-07-01"),
        ("Hà Nội, ngày82tháng 4 năm 2026", "Hà Nội", None),  # handwriting read as 82: illegible
        ("Hà Nội, ngày |6 tháng 12 năm 2025", "Hà Nội", None),  # "|" may be a 1, 2 or 7
        ("Quảng Ngãi, ngày 2# tháng năm 2021", "Quảng Ngãi", None),  # ink in the day field
        ("Quảng Ngãi, ngày Ø3 tháng 4 năm 2018", "Quảng Ngãi", "2018-04-03"),  # OCR's Ø for 0
        # the handwritten day the second reading could not confirm (repair.ocr_fields): the
        # month alone would be a granularity the document did not choose
        ("Quảng Ngãi, ngày ? tháng 12 năm 2021", "Quảng Ngãi", None),
        # a scan read the comma as a full stop, or lost it: the place is a unit's name
        ("Hà Nội. ngày 20 tháng 10 năm 2025", "Hà Nội", "2025-10-20"),
        ("Bình Thuận ngày 23 tháng 3 năm 2022", "Bình Thuận", "2022-03-23"),
        ("TP. Hồ Chí Minh ngày 5 tháng 3 năm 2020", "TP. Hồ Chí Minh", "2020-03-05"),
        # a slash against a handwritten digit: a 1's slanted stroke, or not
        ("Lâm Đồng. ngày /2 tháng 12 năm 2025", "Lâm Đồng", None),
        ("Lâm Đồng, ngày 12 tháng 1/ năm 2025", "Lâm Đồng", None),
    ],
)
def test_place_date(line: str, place: str, iso: str | None) -> None:
    parsed = parse_place_date(line)
    assert parsed is not None
    assert (parsed.place, parsed.iso) == (place, iso)


@pytest.mark.parametrize(
    "line",
    [
        "Lâm Đồng, ngày 29 tháng 4 năm 2226",  # a scan's "2026" read "2226"
        "Lâm Đồng, ngày … tháng … năm 2326",
        "Huế, ngày 12 tháng 3 năm 1896",  # before the first state documents
    ],
)
def test_a_dateline_no_document_can_bear_gives_no_date(line: str) -> None:
    parsed = parse_place_date(line)
    assert parsed is not None and parsed.impossible
    assert (parsed.iso, parsed.year, parsed.place) == (None, None, line.split(",")[0])


def test_a_date_after_the_day_of_reading_is_impossible() -> None:
    from datetime import date, timedelta

    tomorrow = date.today() + timedelta(days=1)
    parsed = parse_place_date(f"Hà Nội, ngày {tomorrow.day} tháng {tomorrow.month} năm {tomorrow.year}")
    assert parsed is not None and parsed.impossible and parsed.iso is None
    today = date.today()
    parsed = parse_place_date(f"Hà Nội, ngày {today.day} tháng {today.month} năm {today.year}")
    assert parsed is not None and parsed.iso == today.isoformat() and not parsed.impossible


@pytest.mark.parametrize(
    "line",
    [
        "Quyết định của Chính phủ ngày 13 tháng 3 năm 2025",  # no comma, and no place before "ngày"
        "Căn cứ Nghị định số 12 ngày 13 tháng 3 năm 2025",
    ],
)
def test_words_before_a_date_that_name_no_place_make_no_dateline(line: str) -> None:
    assert parse_place_date(line) is None


def test_a_date_inside_a_sentence_is_not_a_dateline() -> None:
    assert parse_place_date("bãi bỏ Thông tư số 18/2025/TT-BCT ngày 13 tháng 3 năm 2025 của Bộ") is None


def test_citations_in_order_with_dates_and_issuers() -> None:
    text = (
        "Thực hiện Nghị quyết số 02-NQ/TW ngày 17/3/2026 của Bộ Chính trị về Xây dựng Thủ đô, "
        "Chương trình hành động số 08-CTr/TU ngày 17/3/2026 của Thành uỷ Hà Nội thực hiện Nghị quyết, "
        "Kế hoạch số 128/KH-UBND ngày 30/3/2026 của UBND Thành phố về triển khai"
    )
    got = [(c.doc_type, c.number_symbol, c.date, c.issuer) for c in find_citations(text)]
    assert got[0] == ("Nghị quyết", "02-NQ/TW", "2026-03-17", "Bộ Chính trị")
    assert got[1] == ("Chương trình", "08-CTr/TU", "2026-03-17", "Thành uỷ Hà Nội")
    assert got[-1] == ("Kế hoạch", "128/KH-UBND", "2026-03-30", "UBND Thành phố")


def test_law_cited_by_name_has_no_number() -> None:
    (law,) = find_citations("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;")
    assert (law.doc_type, law.number_symbol, law.date, law.issuer) == ("Luật", None, "2015-06-19", None)


def test_a_law_whose_name_opens_with_a_type_name_is_cited_by_that_name() -> None:
    # The Law on Lawyers is "Luật Luật sư"; its second "Luật" is no other document's type.
    text = (
        "Căn cứ Luật Luật sư ngày 29 tháng 6 năm 2006, Luật sửa đổi, bổ sung một số điều của "
        "Luật Luật sư ngày 20 tháng 11 năm 2012;"
    )
    got = [(c.doc_type, c.number_symbol, c.date) for c in find_citations(text)]
    assert got == [("Luật", None, "2006-06-29"), ("Luật", None, "2012-11-20")]
    # The nearer type still takes a number written after two type names.
    (plan,) = find_citations("Thực hiện Nghị quyết, Kế hoạch số 128/KH-UBND ngày 30/3/2026")
    assert (plan.doc_type, plan.number_symbol) == ("Kế hoạch", "128/KH-UBND")
