"""Closed-class words misread by OCR, put back to the vocabulary they come from.

The readings below are Tesseract's, copied from scanned documents of other provinces
(signature blocks under seals, licences of environment departments): each test is one class
of slip, not one document.
"""

from __future__ import annotations

import pytest

from pipeline.extract.closing import extract_recipients, extract_signer, looks_like_name
from pipeline.extract.header import _snapped_place
from pipeline.extract.legal import extract_legal_bases, trimmed_issuer
from pipeline.model import Document, Line, Page
from pipeline.nlp.glued import unglue
from pipeline.nlp.issuers import snap_issuer_line
from pipeline.nlp.names import respell_from_text, snap_surname
from pipeline.nlp.numbering import find_citations, parse_number_line
from pipeline.nlp.vocabulary import authority_from_letters, is_enacting_authority, titles
from pipeline.repair.merged_lines import split_merged_motto


def ocr_page(*texts: str, origin: str = "ocr") -> Document:
    page = Page(number=1, lines=[Line(text=text) for text in texts], origin=origin)  # type: ignore[arg-type]
    return Document(path="scan.pdf", format="pdf", pages=[page])


def refs(doc: Document) -> list[tuple[int, int]]:
    return [(0, index) for index in range(len(doc.pages[0].lines))]


@pytest.mark.parametrize(
    ("reading", "title"),
    [
        ("PHÓ CHỦ TỊC", "PHÓ CHỦ TỊCH"),  # a letter lost at the end
        ("GIÁM ĐÓC", "GIÁM ĐỐC"),  # a mark swapped
        ("PHÓ GIÁM ĐÓC", "PHÓ GIÁM ĐỐC"),
        ("THƯ TRƯƠNG", "THỨ TRƯỞNG"),  # both marks lost
        ("THỨ TRƯỜNG", "THỨ TRƯỞNG"),
        ("PHO CHANH VAN PHONG", "PHÓ CHÁNH VĂN PHÒNG"),  # every mark lost
        ("NHƯ TỊCH", "CHỦ TỊCH"),  # a seal over the first letter
    ],
)
def test_an_ocr_slip_in_a_title_snaps_to_the_title(reading: str, title: str) -> None:
    snap = titles().snap_prefix(reading)
    assert snap is not None and snap.text == title


@pytest.mark.parametrize("reading", ["TYOI RRỆN:", "NGUYỄN VĂN AN", "BAN TỔ CHỨC", "Án"])
def test_what_is_no_title_is_left_as_read(reading: str) -> None:
    assert titles().snap_prefix(reading) is None


def test_two_titles_one_short_word_apart_are_never_confused() -> None:
    # "Tổ" and "Vụ" make different titles: short words must be read exactly.
    snap = titles().snap_prefix("PHÓ TỔ TRƯỞNG THƯỜNG TRỰC")
    assert snap is not None and snap.text == "PHÓ TỔ TRƯỞNG THƯỜNG TRỰC"


def test_the_unit_after_a_title_is_kept_as_read() -> None:
    snap = titles().snap_prefix("GIÁM ĐÓC SỞ TÀI CHÍNH")
    assert snap is not None and snap.text == "GIÁM ĐỐC SỞ TÀI CHÍNH"


def test_a_title_joined_to_the_next_by_a_comma_keeps_the_comma() -> None:
    # A minister who also chairs a committee signs "KT. BỘ TRƯỞNG, CHỦ NHIỆM".
    snap = titles().snap_prefix("BỘ TRƯỞNG, CHỦ NHIỆM")
    assert snap is not None and snap.text == "BỘ TRƯỞNG, CHỦ NHIỆM"


def test_scanned_signature_block_with_a_garbled_tm_and_debris_under_the_seal() -> None:
    doc = ocr_page("EM=ỦY BAN NHÂN DÂN", "Án", "NHƯ TỊCH", "S9 ?n ý", "cŸ-Í#&", "Trần Ngọc Căng")
    signer, _ = extract_signer(doc, refs(doc))
    assert signer is not None
    assert signer.authority == ["TM. ỦY BAN NHÂN DÂN"]
    assert signer.position == "CHỦ TỊCH"
    assert signer.name == "Trần Ngọc Căng"
    assert {code for code, _ in doc.warnings} == {"ocr.snapped"}  # every repair says so


@pytest.mark.parametrize(
    ("read", "name"),
    [
        ("Công Thành", None),  # "Lê Công Thành" under a seal: Công is a middle name far more often
        ("Văn Mười", None),
        ("Nguyễn Minh", "Nguyễn Minh"),  # a two-syllable name with a family name of its own
        ("Hoàng Phú", "Hoàng Phú"),  # Hoàng opens names as often as it sits inside them
    ],
)
def test_a_scanned_name_that_is_the_end_of_a_longer_one_is_refused(read: str, name: str | None) -> None:
    doc = ocr_page("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", read)
    signer, _ = extract_signer(doc, refs(doc))
    assert signer is not None and signer.name == name
    assert ("ocr.name_rejected" in {code for code, _ in doc.warnings}) is (name is None)


def test_a_text_layer_signature_is_kept_as_printed() -> None:
    doc = ocr_page("KT. GIÁM ĐÓC", "PHÓ GIÁM ĐÓC", "Nguyên Văn Ba", origin="layer")
    signer, _ = extract_signer(doc, refs(doc))
    assert signer is not None
    assert signer.position == "PHÓ GIÁM ĐÓC" and signer.name == "Nguyên Văn Ba"
    assert doc.warnings == []


def test_an_ocr_name_takes_its_family_name_from_the_closed_list() -> None:
    assert snap_surname("Nguyên Thái Lai") == "Nguyễn Thái Lai"
    assert snap_surname("Trân Phước Hiên") == "Trần Phước Hiên"
    assert snap_surname("La Văn Cầu") == "La Văn Cầu"  # La and Lã are both family names
    assert snap_surname("Nguyễn Văn A") == "Nguyễn Văn A"


def test_a_family_names_capital_misread_under_a_seal_is_put_back() -> None:
    # "T" read as "I" or "l" by a stroke of the seal: the rest of the syllable, marks
    # included, makes one family name
    assert snap_surname("Irịnh Ngọc Duệ") == "Trịnh Ngọc Duệ"
    assert snap_surname("lrần Hữu Tuấn") == "Trần Hữu Tuấn"
    # "I" may stand for "T" or "L": "Tê" is no family name, "Lê" is
    assert snap_surname("Iê Văn An") == "Lê Văn An"
    # no family name once the capital is changed: left as read (a seal's debris)
    assert snap_surname("Iran Văn An") == "Iran Văn An"
    assert snap_surname("Ily Minh") == "Ily Minh"


def test_a_family_name_one_letter_off_that_no_word_could_spell_is_put_back() -> None:
    # Scanned signature lines as Tesseract read them (a seal's ring over the first letter)
    assert snap_surname("Mguyễn Ngọc Phúc") == "Nguyễn Ngọc Phúc"
    assert snap_surname("Írịnh Ngọc Duệ") == "Trịnh Ngọc Duệ"  # not Trình: the marks as read
    # a letter and a mark off ("Trần"): as read, a seal's debris as likely
    assert snap_surname("Frân Hữu Tuân") == "Frân Hữu Tuân"
    # a syllable Vietnamese could write may be a family name the list lacks: as read
    assert snap_surname("Thào A Sùng") == "Thào A Sùng"
    # two letters read for one ("m" as "rñ") is no one-letter slip: as read, not "Phan"
    assert snap_surname("Phạrñ Thị Thanh") == "Phạrñ Thị Thanh"
    # two letters are one letter off too many family names (Đỗ, Hà, Lã, Mã ...)
    assert snap_surname("Đa Văn Chung") == "Đa Văn Chung"


def test_an_authority_line_read_twice_is_kept_once() -> None:
    # the page reading ("KT.GIÁM ĐÓC") and the signature column's second reading ("KT. GIÁM
    # ĐỐC") of one line: a space and a mark apart
    doc = ocr_page("KT.GIÁM ĐÓC", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Mai Văn Hiệu")
    signer, _ = extract_signer(doc, refs(doc))
    assert signer is not None and signer.authority == ["KT.GIÁM ĐỐC"]
    assert signer.position == "PHÓ GIÁM ĐỐC"


def test_a_family_names_capital_read_as_a_digit_under_a_seal_is_put_back() -> None:
    # A received copy: the seal's stroke made the "T" of "Trịnh" a "1".
    doc = ocr_page("TL. CHỦ TỊCH :", "KT. CHANH VAN PHONG", "PHO CHÁNH VAN PHONG", "1rịnh Ngọc Duệ")
    signer, _ = extract_signer(doc, refs(doc))
    assert signer is not None and signer.name == "Trịnh Ngọc Duệ"
    assert any("1rịnh Ngọc Duệ" in message for code, message in doc.warnings if code == "ocr.snapped")
    # a digit that makes no family name is debris, not a name
    doc = ocr_page("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "2 Ngọc Duệ")
    signer, _ = extract_signer(doc, refs(doc))
    assert signer is not None and signer.name is None


def test_an_ocr_name_takes_the_spelling_the_document_prints_elsewhere() -> None:
    text = "Giao ông Trần Phước Hiền, Phó Chủ tịch ...\nTrân Phước Hiên"
    assert respell_from_text("Trân Phước Hiên", text) == "Trần Phước Hiền"
    # Two readings as frequent, each with a family name: no telling.
    assert respell_from_text("Trần Phước Hiên", "Trần Phước Hiền; Trần Phước Hiên") == "Trần Phước Hiên"


def test_a_place_from_the_e_signing_stamp_is_no_name() -> None:
    assert not looks_like_name("Đắk Nông")
    assert looks_like_name("Vũ Hoàng Phú")
    assert not looks_like_name("Mã UƠN")  # a family name and a speck in capitals


def test_recipients_end_with_the_filing_entry() -> None:
    doc = ocr_page(
        "Nơi nhận:",
        "- Như Điều 3;",
        "- VPCP: BTCN, các PCN, các Vụ: CN,",
        "NC;",
        "- Lưu: Văn thư, NN (2b),Tuynh",
        "Chương I",  # the annexed regulation begins on the same page
        "s‡”",
    )
    recipients, _ = extract_recipients(doc, refs(doc))
    assert recipients == ["Như Điều 3", "VPCP: BTCN, các PCN, các Vụ: CN, NC", "Lưu: Văn thư, NN (2b),Tuynh"]


@pytest.mark.parametrize(
    ("issuer", "cut"),
    [
        ("Chính phủ q⁄y định việc hành nghề khoan nước dưới đất", "Chính phủ"),
        ("Bộ Tài nguyên và Môi trường q1) định việc đánh giá", "Bộ Tài nguyên và Môi trường"),
        ("Chính phủ vê", "Chính phủ"),
        ("Chính phủ và Nghị định số 89/2010/NĐ-CP ngày 16 tháng 8 năm 2010", "Chính phủ"),
        ("Ban Thường vụ Tỉnh ủy và Kế hoạch số 24/KH-UBND ngày 14/8/2025", "Ban Thường vụ Tỉnh ủy"),
        ("Bộ Tài nguyên và Môi trường", "Bộ Tài nguyên và Môi trường"),
        ("liên Bộ: Thông tin và Truyền thông – Công an", "liên Bộ: Thông tin và Truyền thông – Công an"),
    ],
)
def test_a_cited_issuer_ends_where_its_body_name_ends(issuer: str, cut: str) -> None:
    assert trimmed_issuer(issuer) == cut


def test_a_number_ocr_cut_in_two_leaves_the_symbol_well_formed() -> None:
    parsed = parse_number_line("Số: /74/UBND- KSTTHC")
    assert parsed is not None and parsed.number is None and parsed.symbol == "UBND-KSTTHC"
    parsed = parse_number_line("Số:   /2020/NĐ-CP")  # a year is part of the symbol
    assert parsed is not None and parsed.symbol == "2020/NĐ-CP"


def test_the_enacting_authority_line_is_told_from_a_wrapped_summary() -> None:
    assert is_enacting_authority("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")
    assert is_enacting_authority("BỘ TRƯỞNG BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG")
    assert is_enacting_authority("THỦ TƯỚNG CHÍNH PHỦ")
    assert not is_enacting_authority("KHAI THÁC, SỬ DỤNG NƯỚC MẶT")
    assert not is_enacting_authority("CHỦ TỊCH")  # a title alone names nobody


def test_a_summary_line_naming_a_deputy_or_ending_in_a_year_is_no_enacting_authority() -> None:
    # A notice's summary wraps after "CỦA CHỦ TỊCH": its second line names the deputy, the body
    # and the year; deputies sign for the head, the head enacts.
    assert not is_enacting_authority("PHÓ CHỦ TỊCH UBND XÃ QUẢNG PHÚ NĂM 2019")
    assert not is_enacting_authority("PHÓ CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")
    assert not is_enacting_authority("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI NĂM 2024")


def test_a_document_cited_as_van_ban_takes_its_type_from_its_symbol() -> None:
    cited = find_citations(
        "Văn bản số 6582/VPCP-KSTT, ngày 21/9/2011 của Văn phòng Chính phủ; văn bản số 92/TTr-UBND"
    )
    assert [(c.doc_type, c.number_symbol) for c in cited] == [
        ("Công văn", "6582/VPCP-KSTT"),  # a letter's symbol names no type
        ("Tờ trình", "92/TTr-UBND"),
    ]


def test_a_year_ocr_split_with_a_space_stays_in_the_symbol() -> None:
    cited = find_citations("Căn cứ Nghị định số 201/201 3/NĐ-CP ngày 27/11/2013 của Chính phủ")
    assert [(c.number_symbol, c.date) for c in cited] == [("201/2013/NĐ-CP", "2013-11-27")]
    assert [c.number_symbol for c in find_citations("Luật số 15/2020/QH14 2 lần")] == ["15/2020/QH14"]


def test_grounds_stop_at_the_consideration_paragraph() -> None:
    doc = ocr_page(
        "__ Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;",  # the rule glued by OCR
        "Căn cứ Luật Tài nguyên nước ngày 27/11/2023;",
        "Xét Đơn đề nghị của Công ty ... và đề nghị của Giám đốc Sở tại Tờ trình số",
        "4838/TTr-STNMT ngày 10/10/2024.",
    )
    bases = extract_legal_bases(doc, refs(doc))
    assert [(b.doc_type, b.date) for b in bases] == [("Luật", "2015-06-19"), ("Luật", "2023-11-27")]


def test_a_cited_symbol_read_once_takes_the_number_the_document_cites_more_often() -> None:
    # A black-and-white scan of a report: its opening paragraph cites the letter as
    # "21269/...", the body three times as "2769/..." (lines as Tesseract read them)
    lines = [
        "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh có Công văn số",
        "21269/UBND-NCKSTTHC về việc tổ chức đại hội nhiệm kỳ của hội và giao Sở",
        "Nội vụ tổng hợp. Theo Công văn số 2769/UBND-NCKSTTHC ngày 24/2/2924-của UBND tính",
        "Thực hiện Công văn sô 2769/UBND-NCKSTTHC, Sở Nội vụ báo cáo và đề xuất Chủ tịch Ủy ban",
    ]
    doc = ocr_page(*lines)
    bases = extract_legal_bases(doc, refs(doc)[:2])
    assert [b.number_symbol for b in bases] == ["2769/UBND-NCKSTTHC"]
    assert any(
        "21269/UBND-NCKSTTHC" in message for code, message in doc.warnings if code == "ocr.ground_agreed"
    )
    # cited once each: no majority, the reading stands
    doc = ocr_page(*lines[:3])
    assert [b.number_symbol for b in extract_legal_bases(doc, refs(doc)[:2])] == ["21269/UBND-NCKSTTHC"]


def test_a_cited_symbol_near_another_of_another_day_is_another_document() -> None:
    # "137/201 3" (2018 as printed) and "123/2013" cited twice: the days and months of the
    # grounds differ (the years read short), so the numbers are not one document's
    doc = ocr_page(
        "Căn cứ Nghị định số 123/2013/NĐ-CP ngày l4 tháng 10 năm 2013 của Chính phủ;",
        "Căn cứ Nghị định số 137/201 3/NĐ-CP ngày 08 tháng 10 năm 201 sửa đổi, bổ sung một số",
        "điều của Nghị định số 123/2013/NĐ-CP ngày 14 tháng 10 năm 2013 của Chính phủ;",
    )
    bases = extract_legal_bases(doc, refs(doc))
    assert [b.number_symbol for b in bases] == ["123/2013/NĐ-CP", "137/2013/NĐ-CP"]


def test_a_regulation_annexed_to_a_decision_has_no_grounds_of_its_own() -> None:
    doc = ocr_page(
        "(Ban hành kèm theo Quyết định số 09/2010/QĐ-UBND ngày 21 tháng 01 năm 2010",
        "của Ủy ban nhân dân thành phố Cần Thơ)",
        "Quy chế này quy định ... theo Nghị định số 31/CP.",
    )
    assert extract_legal_bases(doc, refs(doc)) == []


@pytest.mark.parametrize(
    ("reading", "words"),
    [
        ("UBNDTỈNHPHÚTHỌ", "UBND TỈNH PHÚ THỌ"),
        ("ỦY BANNHÂN DÂN", "ỦY BAN NHÂN DÂN"),
        ("BỘTÀINGUYÊNVÀMÔITRƯỜNG", "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG"),
        ("NGHIÊNG", "NGHIÊNG"),  # a syllable stays whole
        ("STTTT-CNTT", "STTTT-CNTT"),  # a code is no glued word
    ],
)
def test_words_ocr_glued_together_are_put_apart(reading: str, words: str) -> None:
    assert unglue(reading) == words


def test_an_issuer_glued_to_the_motto_in_the_old_tone_placement_is_cut_off() -> None:
    # "CỘNG HOÀ" (tone on the a) as often as "CỘNG HÒA"; the issuer was lost with the motto.
    page = Page(number=1, lines=[Line(text="BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")])
    split_merged_motto(page)
    assert [line.text for line in page.lines] == [
        "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    ]


def test_the_e_signing_box_inside_the_signature_area_is_not_the_signer() -> None:
    # An e-signed commune notice: the signing tool's box wraps in its own column between the
    # recipients and the title; the place names in it come last, below the printed name.
    box, title = 270.0, 400.0
    lines = [
        ("Người ký: Ủy ban", box),
        ("nhân dân xã", box),
        ("CHỦ TỊCH", title + 5),
        ("Quảng Phú", box),
        ("Email:", box),
        ("Cơ quan: Huyện", box),
        ("K-rông Nô, Tỉnh", box),
        ("Vũ Hoàng Phú", title - 4),
        ("Đắk Nông", box),
        ("Thời gian ký:", box),
        ("10.01.2019", box),
    ]
    page = Page(number=1, lines=[Line(text=text, x0=x0) for text, x0 in lines], width=595.0)
    doc = Document(path="signed.pdf", format="pdf", pages=[page])
    signer, _ = extract_signer(doc, refs(doc))
    assert signer is not None and (signer.position, signer.name) == ("CHỦ TỊCH", "Vũ Hoàng Phú")


@pytest.mark.parametrize(
    ("reading", "place"),
    [
        ("Krông Nó", "Krông Nô"),  # a mark slip
        ("Đắk R°Lấp", "Đắk R'Lấp"),  # the apostrophe read as a degree sign
        ("Đắk R Lấp", "Đắk R'Lấp"),  # or as a space
        ("*Lai Châu", "Lai Châu"),  # a speck before it
    ],
)
def test_an_ocr_place_is_snapped_to_the_one_unit_it_folds_to(reading: str, place: str) -> None:
    doc = ocr_page("")
    assert _snapped_place(doc, reading) == place
    assert [code for code, _ in doc.warnings] == ["ocr.snapped"]


def test_an_unknown_place_stays_as_read() -> None:
    doc = ocr_page("")
    assert _snapped_place(doc, "Xyz Abc") == "Xyz Abc"
    assert doc.warnings == []


@pytest.mark.parametrize(
    ("reading", "issuer"),
    [
        ("ỦY BAN NHÂN DÂN ˆ TỈNH QUẢNG NGÃI", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"),  # a stamp speck between
        ("UY BAN NHAN DAN", "ỦY BAN NHÂN DÂN"),  # every mark lost
        ("TINH QUANG NGAI", "TỈNH QUẢNG NGÃI"),
        ("Ủy BAN NHÂN DÂN", "ỦY BAN NHÂN DÂN"),  # case
        ("HUYỆN KRÔNG NÓ", "HUYỆN KRÔNG NÔ"),
        ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"),  # nothing to do
        ("TRUNG TÂM QUAN TRẮC", "TRUNG TÂM QUAN TRẮC"),  # no vocabulary: as read
        # a province one letter off: the closed list of provinces has one name that near
        ("ỦY BAN NHÂN DÂN TINH QUANG NGAÀI", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"),
        ("HUYỆN QUANG NGAAI", "HUYỆN QUANG NGAAI"),  # districts and communes are too many for that
        ("TỈNH HÀ NAMM", "TỈNH HÀ NAM"),
        # a received stamp covered the unit word's start: its end and a known place give it back
        ("NH BÌNH THUẬN", "TỈNH BÌNH THUẬN"),
        ("XYZ BÌNH THUẬN", "XYZ BÌNH THUẬN"),
        # the place after a body's abbreviation or name, one mark off: the words before stay
        ("UBND TỈNH LÂM ĐÔNG", "UBND TỈNH LÂM ĐỒNG"),
        ("UBND TỈNH LÂM ĐÒNG", "UBND TỈNH LÂM ĐỒNG"),
        ("SỞ TƯ PHÁP TỈNH QUANG NGAI", "SỞ TƯ PHÁP TỈNH QUẢNG NGÃI"),
        # an apostrophe of a highland name read as a degree sign or a space
        ("UBND HUYỆN ĐẮK R°LẤP", "UBND HUYỆN ĐẮK R'LẤP"),
        ("HUYỆN CƯ M GAR", "HUYỆN CƯ M'GAR"),
        # a received stamp's specks read as a quote mark or a bar glued to the words
        ("“UBND|TỈNH BÌNH THUẬN", "UBND TỈNH BÌNH THUẬN"),
        ("“SỞ TƯ PHÁP", "SỞ TƯ PHÁP"),
        # a comma read inside a collective body's name; a body's own comma stays
        ("ỦY, BAN NHÂN DÂN", "ỦY BAN NHÂN DÂN"),
        ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"),
        # a word cut in the wrong place: the letters of one known body
        ("BỘ CÔ NGAN", "BỘ CÔNG AN"),
        ("SỚTƯPHÁP", "SỞ TƯ PHÁP"),
        ("BỘ CÔNG", "BỘ CÔNG"),  # too short to tell
        # a body's abbreviation one letter off before its unit, a speck glued before it
        ("-UBKD TỈNH BÌNH THUẬN", "UBND TỈNH BÌNH THUẬN"),
        ("HĐNĐ TỈNH LÂM ĐỒNG", "HĐND TỈNH LÂM ĐỒNG"),
        ("UBKD BÌNH THUẬN", "UBKD BÌNH THUẬN"),  # no unit word: nothing to go by
        # a collective body's words run together, alone or before its place
        ("ỦY BANNHÂNĐÂN TỈNH LÂM ĐỒNG", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"),
        ("ỦY BANNHÂNĐÂN _", "ỦY BAN NHÂN DÂN"),
        # a known body with a stroke of debris read after it
        ("BỘ NỘI VỤ SE", "BỘ NỘI VỤ"),
        ("BỘ TƯ PHÁP TỈNH", "BỘ TƯ PHÁP TỈNH"),
        # a known body a letter or two off (same first word)
        ("BỘ TÀI NGUYÊN VÌ MÔI TRƯỜNG", "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG"),
        # the province's unit word one letter off before its exact name; not before another
        ("ỦY BAN NHÂN DÂN LINH BÌNH THUẬN", "ỦY BAN NHÂN DÂN TỈNH BÌNH THUẬN"),
        ("LINH BÌNH AN", "LINH BÌNH AN"),
        # or two letters off, no other unit word as near (a commune may share a province's name)
        ("ỦY BAN NHÂN DÂN HNH BÌNH THUẬN", "ỦY BAN NHÂN DÂN TỈNH BÌNH THUẬN"),
        ("ỦY BAN NHÂN DÂN XA BÌNH THUẬN", "ỦY BAN NHÂN DÂN XÃ BÌNH THUẬN"),
        ("ỦY BAN NHÂN DÂN HUYN LÂM ĐỒNG", "ỦY BAN NHÂN DÂN HUYN LÂM ĐỒNG"),  # nearest is no province's unit
        # a speck between the place's words: a comma, a colon no name holds
        ("ỦY BAN NHÂN DÂN TỈNH QUẢNG, NGÃI", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"),
        ("ỦY BAN NHÂN DÂN XÃ QUẢNG: PHÚ", "ỦY BAN NHÂN DÂN XÃ QUẢNG PHÚ"),
        # the place read with a word twice, or with a short stroke of debris at the line's end
        ("TỈNH LÂM LÂM ĐỒNG", "TỈNH LÂM ĐỒNG"),
        ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG BẺ", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"),
        ("HUYỆN KRÔNG NÔ", "HUYỆN KRÔNG NÔ"),  # a place's own short last word stays
    ],
)
def test_an_ocr_issuer_line_is_put_back_to_its_body_and_place(reading: str, issuer: str) -> None:
    assert snap_issuer_line(reading) == issuer


def test_an_urgency_stamp_level_with_the_addressees_is_read() -> None:
    from pipeline.extract.header import Found, read_marks

    doc = ocr_page(
        "HỎA TỐC        Kính gửi: Ủy ban nhân dân các huyện",
        "Thực hiện khẩn trương các nội dung",
        origin="text",
    )
    found = Found()
    read_marks(doc, refs(doc), found)
    assert found.header.urgency == "Hỏa tốc"
    assert found.header.confidentiality is None


def test_urgent_words_in_running_text_are_no_stamp() -> None:
    from pipeline.extract.header import Found, read_marks

    doc = ocr_page("Đề nghị các đơn vị thực hiện   khẩn   và báo cáo", "giữ bí mật", origin="text")
    found = Found()
    read_marks(doc, refs(doc), found)
    assert found.header.urgency is None and found.header.confidentiality is None


def test_a_body_read_on_one_line_with_a_stamps_words_is_kept_alone() -> None:
    from pipeline.nlp.issuers import body_at_the_end

    assert body_at_the_end("si dd ký hiệu 1ý ỦY BAN NHÂN DÂN") == "ỦY BAN NHÂN DÂN"
    assert body_at_the_end("Số và ký hiệu HS") is None


def test_a_word_lost_and_another_misread_snap_to_nothing() -> None:
    """A speck stands for one word only when the other words are read right: "UỶ .® NHÂN DÂN"
    is still the people's committee, "^^ DÂN" (one word lost, "BAN" misread) is nothing."""
    from pipeline.nlp.vocabulary import collective_bodies, word_edits

    assert word_edits(["uy", ".®", "nhan", "dan"], ["uy", "ban", "nhan", "dan"]) == 1
    assert word_edits(["^^", "dan"], ["truong", "ban"]) is None
    assert collective_bodies().nearest("^^ DÂN") is None


@pytest.mark.parametrize(
    ("read", "issuer"),
    [
        ("ỦY BAN NHÂN TỈNH LÂM ĐỒNG", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"),  # "DÂN" lost inside the line
        ("HỘI ĐỒNG NHÂN HUYỆN ĐỨC TRỌNG", "HỘI ĐỒNG NHÂN DÂN HUYỆN ĐỨC TRỌNG"),
        ("ỦY BAN NHÂN", "ỦY BAN NHÂN"),  # the line ends: its last word may be the next line's
        ("ỦY BAN NHÂN CÁC", "ỦY BAN NHÂN CÁC"),  # no unit follows: nothing to go by
    ],
)
def test_a_body_whose_last_word_the_scan_lost(read: str, issuer: str) -> None:
    assert snap_issuer_line(read) == issuer


def test_a_short_line_of_debris_under_a_whole_body_is_left_out() -> None:
    from pipeline.repair.issuer_lines import mend_issuer_block

    lines = [
        Line(text="BỘ NỘI VỤ", x0=120, top=60, x1=190, bottom=72),
        Line(text="SE", x0=139, top=75, x1=171, bottom=85),
        Line(text="Số: 1187 /QĐ-BNV", x0=100, top=91, x1=215, bottom=103),
    ]
    page = Page(number=1, lines=lines, width=595, height=842, origin="ocr")
    doc = Document(path="d.pdf", format="pdf", pages=[page])
    kept = mend_issuer_block(doc, [(0, 0), (0, 1), (0, 2)], 2)
    assert [doc.pages[0].lines[i].text for _, i in kept] == ["BỘ NỘI VỤ"]
    assert any(code == "ocr.debris_skipped" for code, _ in doc.warnings)


def test_a_body_cut_at_its_line_end_before_the_place_line() -> None:
    from pipeline.repair.issuer_lines import rejoin_bodies

    lines = [
        Line(text="ỦY BAN NHÂN", x0=60, top=40, x1=200, bottom=52),
        Line(text="TỈNH LÂM ĐỒNG", x0=70, top=55, x1=190, bottom=67),
    ]
    page = Page(number=1, lines=lines, width=595, height=842, origin="ocr")
    doc = Document(path="d.pdf", format="pdf", pages=[page])
    rejoined = rejoin_bodies(doc, [((0, 0), lines[0]), ((0, 1), lines[1])])
    assert [line.text for _, line in rejoined] == ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"]


def test_debris_of_a_received_stamp_inside_the_issuer_block_does_not_end_it() -> None:
    from pipeline.extract.header import Found, read_issuer
    from pipeline.repair.issuer_lines import mend_issuer_block

    # the stamp's words over the header, read between the body's name and its place
    doc = ocr_page("ỦY BAN NHÂN", "TANN., ý", "TÍNH LẦM ĐÔNG", "Số: 12/KH-UBND")
    found = Found()
    read_issuer(doc, mend_issuer_block(doc, refs(doc), 3), found)
    assert found.header.issuer == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    # a line that is no place after it: the block ended there, and the body's name without its
    # unit names no issuer (left null, with a warning)
    doc = ocr_page("ỦY BAN NHÂN DÂN", "TANN., ý", "V/v tổ chức hội nghị", "Số: 12/UBND")
    found = Found()
    lines = mend_issuer_block(doc, refs(doc), 3)
    assert lines == refs(doc)[:1]
    read_issuer(doc, lines, found)
    assert found.header.issuer is None
    assert any(code == "header.issuer_incomplete" for code, _ in doc.warnings)


# Authority lines a black seal ran together and cut a letter from, as the signature column's
# second reading gave them on black-and-white simulated scans.
@pytest.mark.parametrize(
    ("reading", "line"),
    [
        ("KTGÁMĐÓC", "KT. GIÁM ĐỐC"),  # "I" lost under the seal, the spaces too
        ("KLGIÁMĐÓC", "KT. GIÁM ĐỐC"),  # the stop's "T" read "L"
        ("__-T!M.HỘI ĐÔNG", "TM. HỘI ĐỒNG"),  # a stroke inside the prefix
        ("KT.BỘ TRƯỞNG", "KT. BỘ TRƯỞNG"),  # one edit from "KT. TỔ TRƯỞNG" too, none from this
        ("TL. BỌ TRƯỞNG", "TL. BỘ TRƯỞNG"),
    ],
)
def test_an_authority_line_is_read_from_its_letters(reading: str, line: str) -> None:
    assert authority_from_letters(reading) == line


@pytest.mark.parametrize(
    "reading",
    [
        "PHÓ CHỦ TỊCH",  # a title: "Q. PHÓ CHỦ TỊCH" is one letter away, but no prefix was read
        "THỨ TRƯỞNG",
        "M-£ÉBAN NHÂN DÂN",  # three letters lost: "TM. ỦY BAN NHÂN DÂN" is not told
        "KT. S8Ọ TRƯỞNG",  # as near to "KT. BỘ TRƯỞNG" as to "KT. TỔ TRƯỞNG"
        "Đại Thắng",
        "TM UBND",
    ],
)
def test_no_authority_line_from_letters_that_do_not_tell_one(reading: str) -> None:
    assert authority_from_letters(reading) is None
