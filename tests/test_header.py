"""Header extraction: one test per problem met (pdfplumber style).

Most cases run on text excerpts of real documents under tests/fixtures/header/ (the first lines
and the signature block, as the pipeline reads them), through ``pipeline.extract``; the ones that
depend on a reader's layout (a DOCX header table, a .doc closing table, a PDF's right-hand
block) and the OCR runs on real scans stay end-to-end checks on the corpus."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from pipeline import extract
from pipeline.api import Options
from pipeline.read import read_document
from pipeline.record.models import Header, Record
from pipeline.registry import Context
from pipeline.run import process_context

CORPUS_DOCS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "docs"
EXCERPTS = Path(__file__).parent / "fixtures" / "header"


@cache
def header_of(name: str) -> Header:
    """End-to-end: a corpus document through the whole pipeline."""
    ctx = process_context(Context(doc=read_document(CORPUS_DOCS / name)))
    assert ctx.header is not None
    return ctx.header


@cache
def excerpt_record(name: str) -> Record:
    return extract(EXCERPTS / name, Options(ocr=False))


def header_of_excerpt(name: str) -> Header:
    """The header of a text excerpt under tests/fixtures/header/."""
    ctx = process_context(Context(doc=read_document(EXCERPTS / name)))
    assert ctx.header is not None
    return ctx.header


@pytest.fixture(autouse=True)
def _needs_corpus(corpus_docs: Path) -> None:
    assert corpus_docs == CORPUS_DOCS or (corpus_docs / "001.pdf").exists()


def test_docx_header_table_gives_issuer_blank_number_and_month_date() -> None:
    header = header_of("056.docx")
    assert header.doc_type is not None and header.doc_type.name == "Kế hoạch"
    assert header.doc_type.code == "KH"
    assert header.number is None  # "Số:      /KH-UBND": a draft, the number is never invented
    assert header.symbol == "KH-UBND"
    assert header.issued_date == "2026-01"  # day left blank
    assert header.issuer == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert header.summary == "Tuyên truyền Cải cách hành chính năm 2026"


def test_pdf_left_and_right_header_blocks_are_not_read_across() -> None:
    """The issuer's block and the motto's block of a decision's header, then the number and the
    place-and-date line: each field from its own block (the PDF reading of two blocks is
    test_read_pdf's two-blocks fixture)."""
    header = header_of_excerpt("decision_approving_a_charter.txt")
    assert header.issuer == "ỦY BAN NHÂN DÂN TỈNH BÌNH THUẬN"
    assert (header.number, header.symbol, header.issued_date) == ("779", "QĐ-UBND", "2022-03-23")
    assert header.place == "Bình Thuận"


def test_signature_stops_before_the_attached_regulation() -> None:
    """A decision followed by the charter it approves, with a header of its own."""
    signer = header_of_excerpt("decision_approving_a_charter.txt").signer
    assert signer is not None
    assert (signer.name, signer.position) == ("Nguyễn Minh", "PHÓ CHỦ TỊCH")
    assert signer.authority == ["KT. CHỦ TỊCH"]


def test_letter_parent_body_and_vv_summary() -> None:
    """A department's letter: the parent body above the issuer, a 'V/v' summary, one addressee."""
    header = header_of_excerpt("department_letter_with_vv_summary.txt")
    assert header.doc_type is not None and header.doc_type.name == "Công văn"
    assert (header.issuer_parent, header.issuer) == ("UBND TỈNH BÌNH THUẬN", "SỞ TƯ PHÁP")
    assert header.summary == (
        "trình hồ sơ phê chuẩn kết quả Đại hội Đoàn Luật sư tỉnh Bình Thuận nhiệm kỳ 2024 - 2029"
    )
    assert header.addressees == ["Ủy ban nhân dân tỉnh"]


def test_cong_dien_addressees_follow_the_issuer_dien_label() -> None:
    """End-to-end on a real PDF: the addressees sit in a right-hand block the reader keeps."""
    addressees = header_of("070.pdf").addressees
    assert addressees[0] == (
        "Các đồng chí thành viên Ban Chỉ đạo quốc gia về dữ liệu (Theo Quyết định số 2319/QĐ-TTg"
        " ngày 20 tháng 10 năm 2025 và Quyết định số 2764/QĐ TTg ngày 19 tháng 12 năm 2025 của"
        " Thủ tướng Chính phủ)"
    )
    assert addressees[1:] == ["Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"]


def test_wrapped_signer_title() -> None:
    """A signer's title printed over two lines ("VỤ TRƯỞNG" / "VỤ CẢI CÁCH HÀNH CHÍNH")."""
    signer = header_of_excerpt("letter_signer_title_wrapped.txt").signer
    assert signer is not None
    assert (signer.name, signer.position, signer.authority) == (
        "Phạm Minh Hùng",
        "VỤ TRƯỞNG VỤ CẢI CÁCH HÀNH CHÍNH",
        ["TL. BỘ TRƯỞNG"],
    )


def test_footnotes_under_the_signature_are_not_recipients() -> None:
    """A submission whose footnotes ("2 Ngày 06/3/2026, ...") follow the signature block."""
    recipients = header_of_excerpt("plan_grounds_continued_and_notes_under_signature.txt").recipients
    assert recipients == ["Như trên", "Văn phòng UBND tỉnh", "Lãnh đạo SNV", "Lưu: VT, CCHC&VTLT(Tín)"]


def test_vv_summary_is_not_a_roman_heading() -> None:
    """A 'V/v' summary starts with a 'V' that is no Roman numeral heading."""
    header = header_of_excerpt("letter_vv_summary_and_roman_headings.txt")
    assert header.summary == (
        "V/v chuẩn bị giải thể đối với một số hội quần chúng cấp tỉnh có vi phạm quy định về tổ"
        " chức, hoạt động và quản lý hội"
    )


def test_a_summary_opening_with_a_verb_is_the_summary_not_the_body() -> None:
    """A plan's summary that opens like a sentence of the body ("Triển khai thực hiện ..."),
    wrapped over two lines, under a draft mark ("DỰ THẢO") above the title."""
    header = header_of_excerpt("plan_summary_opening_with_a_verb.txt")
    assert header.doc_type is not None and header.doc_type.name == "Kế hoạch"
    assert header.summary == (
        "Triển khai thực hiện Chương trình mục tiêu quốc gia phòng, chống ma túy đến năm 2030"
    )


def test_legal_bases_are_read_from_the_preamble_only() -> None:
    """A plan that cites more documents in its body: only the preamble's are its grounds."""
    bases = header_of_excerpt("plan_grounds_in_preamble_and_body.txt").legal_bases
    assert [b.number_symbol for b in bases] == ["50/NQ-CP", "163/2024/QH15", "05-NQ/TU"]
    assert [b.date for b in bases] == ["2025-03-13", "2024-11-27", "2026-01-08"]
    assert [b.issuer for b in bases] == ["Chính phủ", "Quốc hội", "Tỉnh ủy Lâm Đồng"]


def test_can_cu_list_continued_after_a_semicolon() -> None:
    """One 'Căn cứ' sentence listing three documents separated by semicolons."""
    bases = header_of_excerpt("plan_grounds_continued_and_notes_under_signature.txt").legal_bases
    assert [b.number_symbol for b in bases] == ["76/NQ-CP", "23/CT-TTg", "282/QĐ-TTg"]


def test_evidence_points_into_the_page_text() -> None:
    """A field's evidence is a true span of the record's page text."""
    record = excerpt_record("decision_approving_a_charter.txt")
    assert record.document is not None and record.text is not None
    span = record.document.evidence["symbol"]
    page_text = record.text.pages[span.page - 1]
    assert page_text[span.start : span.end] == span.text
    assert span.text == "779 /QĐ-UBND"


def test_references_cover_the_whole_text_with_true_spans() -> None:
    """End-to-end on a real plan: references come from the whole text, not only the preamble."""
    from pipeline.run import process_file

    record = process_file(CORPUS_DOCS / "055.docx")
    assert record.text is not None
    symbols = [ref.number_symbol for ref in record.references]
    assert symbols[:3] == ["76/NQ-CP", "23/CT-TTg", "282/QĐ-TTg"]
    assert "118/2025/NĐ-CP" in symbols  # cited in a target, not in the preamble
    assert len(symbols) == len(set(symbols))
    for ref in record.references:
        assert ref.evidence is not None
        page_text = record.text.pages[ref.evidence.page - 1]
        assert page_text[ref.evidence.start : ref.evidence.end] == ref.evidence.text
        assert not (ref.issuer or "").endswith(")")


def test_old_style_title_names_its_issuer() -> None:
    """Older documents print "QUYẾT ĐỊNH của ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ" as the title."""
    header = header_of_excerpt("old_style_title_naming_its_issuer.txt")
    assert header.doc_type is not None and header.doc_type.name == "Quyết định"
    assert (header.number, header.symbol, header.place) == ("256", "2004/QĐ-UB", "TP.Cần Thơ")


def test_a_regulation_titled_ban_quy_dinh_and_its_wrapped_summary() -> None:
    """A regulation issued with a decision, titled "BẢN QUY ĐỊNH": the type is Quy định, and its
    bold summary wraps over two lines and ends at the italic "(Ban hành kèm theo ...)"."""
    header = header_of_excerpt("regulation_titled_ban_quy_dinh.md")
    assert header.doc_type is not None and header.doc_type.name == "Quy định"
    assert header.summary == (
        "Chính sách khuyến khích và ưu đãi đầu tư đối với một số lĩnh vực, ngành, nghề trên địa bàn "
        "tỉnh An Giang"
    )


def test_headless_dossier_takes_its_title_line_and_has_no_issuer() -> None:
    """A dossier without a Decree 30 header: a table of contents, then "KẾ HOẠCH TỔNG THỂ ..."."""
    header = header_of_excerpt("headless_dossier_with_contents.txt")
    assert header.doc_type is not None and header.doc_type.name == "Kế hoạch"
    assert header.summary == "TỔNG THỂ PHÁT TRIỂN CNTT TỈNH LÂM ĐỒNG GIAI ĐOẠN 1998 - 2000"
    assert header.issuer is None


def test_title_in_mixed_case_under_the_authority_and_bulleted_grounds() -> None:
    """End-to-end on a real .doc (its signature block sits between long annexed tables)."""
    header = header_of("140.doc")
    assert header.signer is not None
    assert (header.signer.position, header.signer.name) == ("Thứ trưởng", "Trần Văn Tá")
    symbols = [basis.number_symbol for basis in header.legal_bases]
    # "- Căn cứ Nghị định số 15/CP ...; - Căn cứ Nghị định số 178/CP ..."
    assert symbols[:3] == ["15/CP", "178/CP", "73/1999/NĐ-CP"]


def test_ordinance_cited_by_name_before_its_number() -> None:
    """'Căn cứ Pháp lệnh Công trái ... số 12/1999/PL-UBTVQH10': the type named first."""
    bases = header_of_excerpt("decree_ordinance_cited_by_name.txt").legal_bases
    assert [(b.doc_type, b.number_symbol, b.date) for b in bases] == [
        ("Luật", None, "2001-12-25"),
        ("Pháp lệnh", "12/1999/PL-UBTVQH10", "1999-04-27"),
    ]


def test_document_named_inside_a_grounds_title_is_not_a_ground() -> None:
    """ "Nghị định 94/1998/NĐ-CP ... quy định chi tiết thi hành Luật ... số 04/1998/QH10": the
    law named inside the decree's title is no ground of its own."""
    symbols = [
        basis.number_symbol
        for basis in header_of_excerpt("circular_law_named_inside_a_ground.txt").legal_bases
    ]
    assert symbols == [
        "86/2002/NĐ-CP",
        "178/CP",
        "63/NQ-UBTVQH10",
        "94/1998/NĐ-CP",
        "147/2002/QĐ-TTg",
        "5110/VPCP-KTTH",
        "5521/VPCP-KTTH",
    ]


def test_recipients_without_bullets_and_a_spaced_symbol() -> None:
    """End-to-end on a real .doc (its header and recipients sit in Word tables)."""
    header = header_of("149.doc")
    assert header.symbol == "QĐ.BQL-VP"  # printed "/QĐ. BQL–VP"
    assert header.recipients[:2] == ["Như điều 2", "Sở TC, KBNN ( b/c)"]


@pytest.mark.slow
def test_scan_title_slip_is_outvoted_by_the_body() -> None:
    """End-to-end OCR of a real scan: Tesseract reads the title's "chống" as "chông"; the body
    spells it right five times."""
    assert header_of("075.pdf").summary == (
        "Triển khai thực hiện Chương trình mục tiêu quốc gia phòng, chống ma tuý đến năm 2030"
    )


@pytest.mark.slow
def test_scan_title_behind_a_seal_speck_and_its_summary() -> None:
    """End-to-end OCR of a real scan: "cap lễ QUYẾT ĐỊNH" (seal specks before the title), then
    "P", "+" lines. Only the summary's start is pinned: its long tail holds Tesseract's misreads
    ("tài trợ: khủng bố", "bàng loạt"), which change with Tesseract's version."""
    header = header_of("006.pdf")
    assert header.doc_type is not None and header.doc_type.name == "Quyết định"
    assert header.summary is not None and header.summary.startswith("Về việc ban hành Kế hoạch hành động")


@pytest.mark.slow
def test_scan_summary_stops_at_a_stamp_read_as_specks() -> None:
    """End-to-end OCR of a real scan: "lmà|š Ị số: _" and "ĐE" (the incoming-mail stamp) under
    the summary."""
    assert (
        header_of("094.pdf").summary
        == "Về việc tăng cường công tác thi hành án hành chính trên địa bàn tỉnh Quảng Ngãi"
    )


@pytest.mark.slow
def test_scan_title_garbled_past_its_marks() -> None:
    """End-to-end OCR of a real scan: Tesseract reads THÔNG TƯ as "À mônG TƯ"; a received
    stamp's serial "9945900990490) 0" stands beside the summary's last line."""
    header = header_of("008.pdf")
    assert header.doc_type is not None and header.doc_type.name == "Thông tư"
    assert header.summary == (
        "Bãi bỏ một phần khoản 2 Điều 1 của Thông tư số 18/2025/TT- BCT ngày 13 tháng 3 năm 2025"
        " của Bộ trưởng Bộ Công Thương sửa đổi, bổ sung, bãi bỏ một số quy định tại các Thông tư"
        " quy định về kinh doanh xăng dầu"
    )


@pytest.mark.slow
def test_scan_summary_after_stamp_words_on_its_line() -> None:
    """End-to-end OCR of a real scan: the "CÔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ / ĐẾN" stamp left of
    the summary's first line."""
    assert header_of("007.pdf").summary == (
        "Phê chuẩn kết quả bầu chức vụ Chủ tịch Ủy ban nhân dân thành phố Đà Nẵng nhiệm kỳ 2026 - 2031"
    )


def test_garbled_titles_on_ocr_pages_only_and_never_ambiguous() -> None:
    from pipeline.layout.zones import garbled_title_type
    from pipeline.model import Line

    assert garbled_title_type(Line(text="À mônG TƯ")) == "Thông tư"
    assert garbled_title_type(Line(text="QUYÊT ĐINI")) == "Quyết định"
    assert garbled_title_type(Line(text="THÔNG ĐAO")) is None  # as near THÔNG BÁO as THÔNG CÁO
    assert garbled_title_type(Line(text="Căn cứ Luật Tổ chức chính quyền")) is None
    assert garbled_title_type(Line(text="THÔNG TƯ:")) is None  # a label, not a title
    # the end of a line of grounds the layout cut off ("... số 42/2013/QH13, Nghị định số"):
    # a citation's type name, not a title
    assert garbled_title_type(Line(text="Nghị định số")) is None


def test_stamp_words_before_the_first_capital_of_a_summary() -> None:
    from pipeline.extract.header import _after_stamp_words
    from pipeline.model import Line
    from pipeline.repair.ocr_noise import mark_line

    for text, summary in [
        ("MP 2iãi8 hơn Phê chuẩn kết quả", "Phê chuẩn kết quả"),
        ("V/v triển khai Kế hoạch", "V/v triển khai Kế hoạch"),
        ("cơ chế đặc thù đối với Dự án", "cơ chế đặc thù đối với Dự án"),
    ]:
        line = Line(text=text)
        mark_line(line)  # as repair.ocr_noise marks an OCR'd line
        assert _after_stamp_words(line, text) == summary


def test_ocr_noise_is_marked_per_token_and_the_text_kept() -> None:
    from pipeline.model import Line, Noise
    from pipeline.repair.ocr_noise import mark_line, mostly_debris

    line = Line(text="9945900990490) 0 NQ-HĐND -_ ngày 2026 18/2025/TT-BCT lmà|š")
    mark_line(line)
    assert line.noise == {
        "9945900990490)": Noise(debris=True, speck=False, wordless=True),  # a received stamp's serial
        "0": Noise(debris=False, speck=False, wordless=True),
        "NQ-HĐND": Noise(debris=False, speck=False, wordless=True),  # a code, but no word of a list
        "-_": Noise(debris=False, speck=True, wordless=True),  # punctuation no line holds inside
        "2026": Noise(debris=False, speck=False, wordless=True),
        "18/2025/TT-BCT": Noise(debris=False, speck=False, wordless=True),
        "lmà|š": Noise(debris=True, speck=False, wordless=True),
    }
    assert "ngày" not in line.noise  # a syllable is a word
    assert line.text == "9945900990490) 0 NQ-HĐND -_ ngày 2026 18/2025/TT-BCT lmà|š"
    seal = Line(text="lmà|š Ị số: _")
    mark_line(seal)
    assert mostly_debris(seal) and not mostly_debris(line)


def test_unreadable_month_taken_from_a_signing_on_the_same_day() -> None:
    from pipeline.extract.header import _date_by_signing
    from pipeline.model import Document
    from pipeline.nlp.numbering import parse_place_date

    parsed = parse_place_date("Hà Nội, ngày 29 tháng ! năm 2026")  # the handwritten 4 unread
    assert parsed is not None and parsed.illegible and parsed.iso is None
    doc = Document(path="x.pdf", format="pdf", stamps=["signature.time: 2026-04-29T16:35:55+07:00"])
    assert _date_by_signing(doc, parsed) == "2026-04-29"
    doc.stamps = ["signature.time: 2026-04-30T08:00:00+07:00"]  # signed the next day: no evidence
    assert _date_by_signing(doc, parsed) is None
    doc.stamps = ["signature.time: 2025-04-29T08:00:00+07:00"]  # another year
    assert _date_by_signing(doc, parsed) is None


def test_title_printed_on_one_line_with_its_summary() -> None:
    """Licences print "GIẤY PHÉP KHAI THÁC, SỬ DỤNG NƯỚC MẶT" as one line, then the enacting
    authority ("BỘ TRƯỞNG BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG") before the "Căn cứ" lines."""
    header = header_of_excerpt("licence_title_and_summary_on_one_line.txt")
    assert header.doc_type is not None and header.doc_type.name == "Giấy phép"
    assert header.summary == "KHAI THÁC, SỬ DỤNG NƯỚC MẶT"


def test_summary_in_capitals_ends_before_the_enacting_authority() -> None:
    """A decision whose summary is in capitals, followed by "THỦ TƯỚNG CHÍNH PHỦ" in capitals."""
    header = header_of_excerpt("decision_summary_in_capitals.txt")
    assert header.summary == "BAN HÀNH QUY TRÌNH VẬN HÀNH LIÊN HỒ CHỨA TRÊN LƯU VỰC SÔNG TRÀ KHÚC"


def test_doc_whose_borderless_header_and_closing_tables_antiword_flattens() -> None:
    """End-to-end on a real .doc: antiword prints "ỦY BAN NHÂN DÂN<tab>CỘNG HÒA ..." and
    "Nơi nhận:<tab>TM. ỦY BAN ...": the document is read through LibreOffice, which keeps the
    cells apart (the reader's part is test_read_doc's tab-laid fixture)."""
    header = header_of("314.doc")
    assert header.issuer == "ỦY BAN NHÂN DÂN TỈNH BÌNH DƯƠNG"
    assert header.signer is not None
    assert header.signer.name == "Nguyễn Văn Hiệp" and header.signer.position == "PHÓ CHỦ TỊCH"
    assert "Bộ Khoa học và Công nghệ" in header.recipients
    assert not any("CHỦ TỊCH" in entry or "Đã ký" in entry for entry in header.recipients)


def test_a_summary_line_wrapping_on_a_body_formula_in_lower_case() -> None:
    """ "... chủ trì" / "thực hiện nhiệm vụ ...": a summary's second line opening with a body
    formula in lower case goes on with the summary; only a capital opens the body ("Thực hiện
    ...")."""
    header = header_of_excerpt("regulation_summary_wrapping_on_a_body_formula.md")
    assert header.summary == (
        "Việc tuyển chọn, xét chọn tổ chức, cá nhân chủ trì"
        " thực hiện nhiệm vụ khoa học và công nghệ cấp thành phố"
    )


def test_an_issued_regulations_grounds_belong_to_its_decision() -> None:
    """End-to-end on a real .doc: a regulation filed without the decision that issues it cites
    laws in its articles; none of them is a ground of the regulation's own."""
    assert header_of("313.doc").legal_bases == []


def test_place_kept_when_a_received_stamp_covers_the_date() -> None:
    """A received stamp pressed over the dateline of a scan (page 1 as OCR read it): the date is
    lost, the place before ", ngày" is a known unit and stands by itself, with a warning."""
    record = excerpt_record("circular_dateline_under_received_stamp.txt")
    assert record.document.place == "Hà Nội"
    assert record.document.issued_date is None
    assert any(w.code == "header.date_unreadable" for w in record.warnings)


def test_place_before_an_unreadable_date_must_be_a_known_unit() -> None:
    from pipeline.extract.header import _known_place
    from pipeline.nlp.header_lines import place_before_date

    match = place_before_date().match("Hà Nội, ngảy¿ th@›Ôj")
    assert match is not None and _known_place(match["place"]) == "Hà Nội"
    assert _known_place("*Lai Châu") == "Lai Châu"
    assert _known_place("Trên cơ sở đó") is None  # a sentence, not a place
    assert place_before_date().match("Căn cứ Luật số 64/2025/QH15, ngày") is None  # digits: no place


def test_a_date_earlier_than_a_ground_is_left_out() -> None:
    """A report grounded on a notice of 13/11/2025 whose date a scan read "năm 2023" (the 5 of
    2025 taken for a 3; the text is the real report's, with that one misreading): no document
    is issued before what it cites, so the date is left out, with a warning."""
    record = excerpt_record("report_date_misread_before_its_ground.txt")
    assert [basis.date for basis in record.document.legal_bases] == ["2025-11-13"]
    assert record.document.issued_date is None
    assert "issued_date" not in record.document.evidence
    assert any(w.code == "header.date_before_grounds" for w in record.warnings)


def test_a_date_on_or_after_its_grounds_stays() -> None:
    from pipeline.extract.header import _drop_date_before_grounds
    from pipeline.model import Document
    from pipeline.record.models import LegalBasis

    ground = "2025-11-13"
    for issued in ("2025-11-28", "2025-11-13", "2025-11", "2025"):
        header = Header(issued_date=issued, legal_bases=[LegalBasis(text="Thông báo số 493", date=ground)])
        _drop_date_before_grounds(Document(path="x.txt", format="txt"), header)
        assert header.issued_date == issued


# Summaries as Tesseract read them on black-and-white simulated scans, a received stamp or
# a black seal across their lines.
@pytest.mark.parametrize(
    ("summary", "garbled"),
    [
        (
            "Phê duyệt Kế hoạch Bảo đảm thoát nước, chống úng ngập khu vực nội thành Thành pHanba›netrn",
            ["pHanba›netrn"],
        ),
        ("văn số 2 69/UBND¿NCKSTTHC", ["69/UBND¿NCKSTTHC"]),
        ("Công tác cải cách hành chính năm 2025 và ĐÈN °° phượng hung, nhiệm ¡vụ năm 2026", ["°°", "¡vụ"]),
        ("Hội nghị đánh giá công tác cải cách hành chính nã keQz>-va iến khai", ["keQz>-va", "iến"]),
        ("Kế hoạch tổ chức Hội nghị keQz năm 2026", ["keQz"]),  # small, capital, small again
        # A seal's ring over "triển khai": "riên" spells a syllable no Vietnamese text writes.
        ("mà riên kha Chương trình mục tiêu quốc gia nến hòng;chống a túy đến năm 2030", ["riên"]),
    ],
)
def test_a_scanned_summary_with_a_stamps_debris_is_garbled(summary: str, garbled: list[str]) -> None:
    from pipeline.extract.header import garbled_words

    assert garbled_words(summary) == garbled


@pytest.mark.parametrize(
    "summary",
    [
        "Phát động Phong trào tHi đua “Đẩy mạnh cải cách hành chính nhà nước”",  # a case slip
        "Tình hình thực hiện các chỉ số PAR Index, SIPAS, PAPI, PCI, Bộ chỉ số phục vụ người dân",
        "Tổ chức “Festival Thăng Long - Hà Nội lần thứ II, năm 2026”",
        "V/v : Ban hành Quy chế chi tiêu nội bộ, quản lý và sử dụng tài sản công của BQL",
        "Về việc ban hành Kế hoạch phòng, chống dịch Covid-19 giai đoạn 2021-2025",
        "theo Công văn số 2769/UBND-NCKSTTHC ngày 24/7/2024 của UBND tỉnh",
        "Tổ chức Đại hội Hội công chứng viên các tỉnh/thành phố nhiệm kỳ 2025-2030",
        "Về việc triển khai ứng dụng VNeID và dịch vụ công trực tuyến (online)",  # Latin letters
    ],
)
def test_a_summary_as_printed_is_not_garbled(summary: str) -> None:
    from pipeline.extract.header import garbled_words

    assert garbled_words(summary) == []


@pytest.mark.parametrize(
    ("read", "mended"),
    [
        (  # black-and-white scans read the comma between two bodies' names as a stop
            "Về việc cho phép hợp nhất Đoàn Luật sư tỉnh Lâm Đồng (cũ). Đoàn Luật sư tỉnh Bình Thuận (cũ)",
            "Về việc cho phép hợp nhất Đoàn Luật sư tỉnh Lâm Đồng (cũ), Đoàn Luật sư tỉnh Bình Thuận (cũ)",
        ),
        (
            "hợp nhất Đoàn Luật sư tỉnh Lâm Đồng, Bình Thuận. Đắk Nông (cũ) thành Đoàn Luật sư",
            "hợp nhất Đoàn Luật sư tỉnh Lâm Đồng, Bình Thuận, Đắk Nông (cũ) thành Đoàn Luật sư",
        ),
        # an abbreviation's stop, after a capital, is print's
        ("sử dụng tài sản công của BQL các KCN. BR – VT", "sử dụng tài sản công của BQL các KCN. BR – VT"),
        ("Về việc đặt tên đường tại TP. Hồ Chí Minh", "Về việc đặt tên đường tại TP. Hồ Chí Minh"),
        ("Kế hoạch năm 2025. Kết quả", "Kế hoạch năm 2025. Kết quả"),  # after a figure: left as read
        # before a word in small letters too, but not after an abbreviation's own stop
        ("thực hiện thủ tục hành chính. dịch vụ công", "thực hiện thủ tục hành chính, dịch vụ công"),
        ("các hội, đoàn thể, v.v. các tổ chức", "các hội, đoàn thể, v.v. các tổ chức"),
    ],
)
def test_a_stop_inside_a_scanned_summary_is_a_comma(read: str, mended: str) -> None:
    from pipeline.extract.header import _stops_mended

    assert _stops_mended(read) == mended


@pytest.mark.parametrize("read", ["À", "AC. 8A,"])
def test_a_scanned_summary_of_next_to_no_words_is_left_blank(read: str) -> None:
    """A received or sealed copy's summary lost under the stamp, read as its debris."""
    from pipeline.extract.header import MIN_SUMMARY_SYLLABLES, _syllables

    assert len(_syllables(read)) < MIN_SUMMARY_SYLLABLES
    assert len(_syllables("Về việc treo cờ Tổ quốc")) >= MIN_SUMMARY_SYLLABLES


def test_marks_read_apart_on_a_summary_line_are_no_part_of_it() -> None:
    """A received stamp's strokes over a notice's one-line summary, read by Tesseract as
    small lines of their own level with it ("À _ *ÀA", "`", "Ả", "LÁ": 4-9 pt high on a 14 pt
    line, inside its width), as a simulated received copy of a real notice reads."""
    from tests.helpers import scanned_header

    rows = [
        ("ỦY BAN NHÂN DÂN", 102, 48, 236, 64),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 300, 48, 554, 64),
        ("THÀNH PHỐ HÀ NỘI", 97, 67, 236, 82),
        ("Độc lập - Tự do - Hạnh phúc", 320, 69, 496, 83),
        ("Số:453 /TB-UBND", 107, 86, 229, 100),
        ("Hà Nội, ngày 29 tháng 4 năm 2026", 320, 108, 530, 122),
        ("THÔNG BÁO", 295, 154.6, 386.2, 169.4),
        ("À _ *ÀA", 281.8, 176.2, 306.7, 185.3),
        ("`", 352.6, 181.2, 355.2, 183.4),
        ("Ả", 372.7, 178.1, 377.0, 183.6),
        ("LÁ", 398.9, 178.6, 403.2, 184.1),
        ("Về việc treo cờ Tổ quốc", 270.7, 180.2, 410.4, 194.2),
        ("Nhân dịp Đại hội đại biểu toàn quốc Mặt trận Tổ quốc Việt Nam lần thứ XI.", 123, 221, 556, 238.6),
        ("nhiệm kỳ 2026 -2031. Ủy ban nhân dân thành phố Hà Nội đề nghị các cơ quan,", 87, 237, 555, 254),
    ]
    header = scanned_header(rows).header
    assert header is not None
    assert header.summary == "Về việc treo cờ Tổ quốc"
    # the next line of a summary is no fragment of the one above, however short
    wrapped = [*rows[:7], ("Về việc treo cờ Tổ quốc nhân dịp Đại hội", 200, 180.2, 470, 194.2)]
    wrapped += [("Mặt trận Tổ quốc", 290, 193, 380, 203), *rows[12:]]
    header = scanned_header(wrapped).header
    assert header is not None and header.summary is not None
    assert header.summary.endswith("Mặt trận Tổ quốc")
