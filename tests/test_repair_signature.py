"""The signature column of a scan read again when the page reading lost it under the seal."""

from __future__ import annotations

from pathlib import Path

import pytest

import pipeline
from pipeline.model import Document, Line, Page
from pipeline.repair import ocr, signature
from pipeline.repair.render import has_seal_rings
from pipeline.repair.signature import missing_parts, reread_signature, signature_column
from tests.helpers import lines_of

FIXTURES = Path(__file__).parent / "fixtures"
needs_tesseract = pytest.mark.skipif(ocr.tesseract_problem() is not None, reason="tesseract with vie missing")


def at(text: str, x0: float, top: float) -> Line:
    return Line(text=text, x0=x0, top=top, x1=x0 + 8 * len(text), bottom=top + 12)


@needs_tesseract
def test_a_name_under_the_seal_is_read_from_the_column_alone() -> None:
    # The bottom half of a scanned decision: the page reading returns the recipients' list
    # and nothing of the signature column (a black seal over the title, the signature over
    # the name).
    record = pipeline.extract(FIXTURES / "scan_signature_under_seal.pdf")
    assert record.document.signer is not None
    assert record.document.signer.name == "Lê Minh Hưng"
    assert record.document.signer.position == "THỦ TƯỚNG"  # "*HỦ TƯỚNG" on the name's axis
    reread = [w for w in record.warnings if w.code == "ocr.signature_reread"]
    assert len(reread) == 1 and "(the page had [];" in reread[0].message


def test_the_column_lies_right_of_the_recipients_and_below_the_body() -> None:
    page = Page(
        number=1,
        width=600,
        height=850,
        lines=[
            at("Điều 3. Các ông bà có tên chịu trách nhiệm thi hành Quyết định này./.", 90, 590),
            at("Nơi nhận:", 96, 650),
            at("- Như Điều 3;", 96, 662),
            at("- Lưu: VT, QHĐP (2).", 97, 740),
        ],
    )
    column = signature_column(page)
    assert column is not None
    assert column.left == pytest.approx(97 + 8 * len("- Lưu: VT, QHĐP (2).") + 4)  # right of the list
    assert column.top == pytest.approx(650 - 40)
    assert column.bottom == pytest.approx(740 + 12 + 60)


def test_a_list_whose_label_ocr_garbled_still_places_the_column() -> None:
    """A colour scan whose seal's edge garbled "Nơi nhận:" into "TT n," (the lines of a real
    reading, in page order): the list ending with the filing entry places the column."""
    rows = [
        ("Điều 4. Các thành viên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.", 120, 346, 537, 367),
        ("TT n,", 90, 385, 141, 407),
        ("TM. HỘI ĐÒNG", 381, 376, 483, 392),
        ("- Như Điêu l;", 90, 397, 151, 409),
        ("- UBND tỉnh;", 91, 411, 150, 420),
        ("C2 Xa XỈ TỊCH", 350, 394, 468, 420),
        ("- Lãnh đạo Sở Nội vụ;", 91, 449, 189, 459),
        ("- Lưu: VT, CCHC&VTUT(Hãng).", 92, 460, 242, 471),
        ("- CT, PCT HĐTP;", 91, 423, 173, 433),
        ("- Các thành viên HĐTĐ;", 91, 436, 199, 445),
        ("- GIÁM ĐÓC SỞ NỘI VỤ", 350, 484, 509, 509),
        ("Đô Văn Chung", 390, 508, 480, 520),
    ]
    lines = lines_of(rows)
    page = Page(number=3, width=595, height=842, lines=lines, origin="ocr")
    column = signature_column(page)
    assert column is not None
    assert column.left == pytest.approx(242 + 4)  # right of the list (the filing entry is its widest)
    assert column.top == pytest.approx(367 + 1)  # below the last body line
    assert next(line.text for line in lines if column.holds(line)) == "TM. HỘI ĐÒNG"
    # no filing entry, no list to tell: no column
    page = Page(number=3, width=595, height=842, lines=[line for line in lines if "Lưu" not in line.text])
    assert signature_column(page) is None


def test_a_seals_rim_read_inside_the_column_is_no_body_line() -> None:
    """A black-and-white scan reads the seal's rim above the title as ">" and "S" (page
    points as Tesseract placed them): they lie inside the column, so it still starts under
    the body's last line and holds the title beside "Nơi nhận"."""
    body = Line(
        text="trưởng các cơ quan có liên quan căn cứ Quyết định thi hành./.",
        x0=102,
        top=652,
        x1=520,
        bottom=669,
    )
    rim = [
        Line(text=">", x0=390, top=667, x1=397, bottom=676),
        Line(text="S", x0=382, top=671, x1=390, bottom=680),
    ]
    listed = [at("Nơi nhận:", 101, 679), at("- Như Điều 3;", 102, 690), at("- Lưu: VT, KGVXNV.", 102, 742)]
    page = Page(number=1, width=595, height=842, lines=[body, *rim, *listed])
    column = signature_column(page)
    assert column is not None and column.top == pytest.approx(670)


def test_a_narrow_list_leaves_the_column_at_its_least_left() -> None:
    page = Page(number=1, width=600, height=850, lines=[at("Nơi nhận:", 96, 650), at("- Lưu: VT.", 96, 700)])
    column = signature_column(page)
    assert column is not None and column.left == pytest.approx(600 * 0.40)


def test_no_column_without_the_recipients_label() -> None:
    page = Page(number=1, width=600, height=850, lines=[at("Điều 1. Phê chuẩn kết quả bầu cử.", 90, 300)])
    assert signature_column(page) is None


def test_title_fragments_left_by_a_seal_give_no_title() -> None:
    # "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" under a seal read as "CHỦ TỊCH" / "TỊCH": taking the
    # whole line would make the deputy the chairman; the two lines are the deputy's block.
    after = [at("CHỦ TỊCH", 380, 500), at("TỊCH", 420, 515), at("Phạm Trường Thọ", 380, 600)]
    added = missing_parts([at("Phạm Trường Thọ", 380, 600)], after)
    assert [line.text for line in added] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    # one fragment alone gives no title
    after = [at("TỊCH", 420, 515), at("Phạm Trường Thọ", 380, 600)]
    assert missing_parts([at("Phạm Trường Thọ", 380, 600)], after) == []


def test_a_whole_title_and_a_three_syllable_name_fill_what_was_missing() -> None:
    after = [at("KT. BỘ TRƯỞNG", 380, 500), at("THỨ TRƯỞNG", 390, 515), at("Nguyễn Sinh Nhật Tân", 380, 600)]
    added = missing_parts([], after)
    assert [line.text for line in added] == ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Nguyễn Sinh Nhật Tân"]


def test_a_tm_line_and_a_name_still_lack_the_title_the_seal_hid() -> None:
    """A colour scan's page reading kept "TM. ỦY BAN NHÂN DÂN" and the name; the "KT." line
    and the deputy's title between them were read as marks (lines of a real reading). A "TM."
    line is no title: the column is read again, and both lines come from that reading."""
    from pipeline.repair.signature import signature_score

    before = [
        at("TM. ỦY BAN NHÂN DÂN", 361, 576),
        at("BHÓ thú viền", 386, 592),
        at("Trương Việt Dũng", 380, 690),
    ]
    assert signature_score(before) == 1
    after = [at("TM. ỦY BAN NHÂN DÂN", 361, 576), at("KT. CHỦ TỊCH", 390, 588), at("PHÓ CHỦ TỊCH", 386, 600),
             at("Ñ lụ", 400, 640), at("Trương Việt Dũng", 380, 690)]  # fmt: skip
    assert [line.text for line in missing_parts(before, after)] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    # a "KT." line the page had is not added twice
    before = [
        at("TM. ỦY BAN NHÂN DÂN", 361, 576),
        at("KT. CHỦ TỊCH", 390, 588),
        at("Trương Việt Dũng", 380, 690),
    ]
    assert [line.text for line in missing_parts(before, after)] == ["PHÓ CHỦ TỊCH"]


@pytest.mark.parametrize(
    ("titled", "added"),
    [
        # real scans (the column read again): "KT." and the deputy's first word lost under the seal
        (["BAN NHÂN DÂN", "CHỦ TỊCH", "BH HỦ TỊCH"], ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
        (["CHỦ TỊCH", "PHÓ CHẾ TỊCH"], ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
        # the head's title and a second title of the signer's own: "TM. HỘI ĐỒNG" / "CHỦ TỊCH"
        # / "GIÁM ĐỐC SỞ NỘI VỤ" is no deputy's block
        (["CHỦ TỊCH", "GIÁM ĐÓC SỞ NỌI VỤ"], []),
        (["CHỦ TỊCH", "CHỦ TỊCH"], []),  # one line read twice
    ],
)
def test_two_title_lines_ending_alike_are_a_deputys_block(titled: list[str], added: list[str]) -> None:
    before = [at("TM. ỦY BAN NHÂN DÂN", 361, 576), at("Phạm Trường Thọ", 380, 690)]
    after = [at(text, 380, 590 + 14 * k) for k, text in enumerate(titled)]
    assert [line.text for line in missing_parts(before, after)] == added


def test_a_name_cut_to_two_syllables_by_the_seal_is_not_taken() -> None:
    added = missing_parts([at("TM. ỦY BAN NHÂN DÂN", 380, 500)], [at("Hoàng Giang", 400, 600)])
    assert added == []


def test_what_the_page_reading_had_is_kept() -> None:
    before = [at("KT. BỘ TRƯỞNG", 380, 500)]
    after = [at("KT. BỌ TRƯỜNG", 380, 500), at("Lê Minh Hưng", 390, 600)]
    assert [line.text for line in missing_parts(before, after)] == ["Lê Minh Hưng"]


def test_a_garbled_name_stands_for_the_one_the_document_prints_elsewhere() -> None:
    # The seal cut through the signer's name; the recipients name him in full.
    text = "\n".join(
        [
            "- VPCP: BTCN, PCN Phạm Mạnh Cường,",
            "- Thủ tướng, PTTg Phạm Gia Túc (để b/c);",
            "- UBND TP. Hồ Chí Minh;",
        ]
    )
    added = missing_parts(
        [], [at("KT. BỘ TRƯỞNG, CHỦ NHIỆM", 326, 525), at("PhamfManh Cường", 320, 632)], text
    )
    assert [line.text for line in added] == ["KT. BỘ TRƯỞNG, CHỦ NHIỆM", "Phạm Mạnh Cường"]


def test_a_garbled_name_near_no_name_of_the_document_is_not_taken() -> None:
    text = "- UBND TP. Hồ Chí Minh;\n- Lưu: VT."
    assert missing_parts([], [at("Hồ Chí Minh", 320, 632)], text) == []  # a city is no person
    assert missing_parts([], [at("PhamfManh Cường", 320, 632)], text) == []


# Unsure words of a black-and-white scan's column read again: the seal took the first
# letters of the family name, or left specks before it; a title's letters in capitals.
@pytest.mark.parametrize(
    ("loose", "name"),
    [
        (["PHÓ CHỦ TỊCH", "GRN đè.", "VN VN", "guyễn Ngọc Phúc"], "Nguyễn Ngọc Phúc"),
        (["TM. HỘI ĐỒNG", "“Đô Văn Chung"], "Đỗ Văn Chung"),
        (["ƯNG HỤ TRƯỜNG"], None),  # capitals: a title's letters as much as a name
        (["PHO CHANH VÁN"], None),
        (["Ngọc Phúc"], None),  # two syllables: the family name is lost, not misread
        (["Trịnh Ngọc Duệ", "Hư D (ØøỌC Duệ"], "Trịnh Ngọc Duệ"),  # the last name-like line
    ],
)
def test_a_name_among_the_unsure_words_is_taken_as_unsure(loose: list[str], name: str | None) -> None:
    lines = [at(text, 365, 400 + 15 * index) for index, text in enumerate(loose)]
    added = missing_parts([at("KT. CHỦ TỊCH", 373, 275)], [], "", lines)
    names = [line for line in added if line.text == name]
    assert [line.text for line in added if line.unsure] == ([name] if name else [])
    assert all(line.unsure for line in names)


def test_a_confident_name_is_not_marked_unsure() -> None:
    added = missing_parts([], [at("Nguyễn Ngọc Phúc", 365, 403)], "", [at("guyễn Ngọc Phúc", 365, 403)])
    assert [(line.text, line.unsure) for line in added] == [("Nguyễn Ngọc Phúc", False)]


@needs_tesseract
def test_an_e_signed_letter_whose_name_is_only_in_the_signature_image() -> None:
    # A text layer with the title and no name; the signing tool's image holds the name
    # (tests/fixtures/build/esigned_name_in_image.py made the file).
    record = pipeline.extract(FIXTURES / "esigned_name_in_image.pdf")
    signer = record.document.signer
    assert signer is not None
    assert (signer.authority, signer.position, signer.name) == (
        ["KT. CHỦ TỊCH"],
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn Thành",
    )
    assert [w.code for w in record.warnings] == ["ocr.signature_reread"]


@needs_tesseract
def test_no_image_in_the_column_no_reading() -> None:
    # The same letter without OCR: the title and no name, and nothing read from images.
    record = pipeline.extract(FIXTURES / "esigned_name_in_image.pdf", pipeline.Options(ocr=False))
    assert record.document.signer is not None and record.document.signer.name is None
    assert record.warnings == []


def box(text: str, x0: float, x1: float, top: float) -> Line:
    return Line(text=text, x0=x0, top=top, x1=x1, bottom=top + 12)


# A scanned decision's signature column read again (points): the seal turned the title's first
# letter into "*", the name below is clean. Both are centred on one axis.
NAME = box("Lê Minh Hưng", 420, 510, 745)


def test_a_title_with_a_letter_lost_under_the_seal_is_read_when_it_sits_on_the_axis() -> None:
    loose = [box("*HỦ TƯỚNG", 427, 500, 647), box("đZ si» NÀ", 359, 466, 673)]
    added = missing_parts([NAME], [], "", loose)
    assert [line.text for line in added] == ["THỦ TƯỚNG"]


def test_a_title_off_the_axis_has_lost_a_word_and_is_not_read() -> None:
    # "PHÓ" hidden by the seal leaves "CHỦ TỊCH" right of the axis: it is no whole title.
    loose = [box("CHỦ TỊCH", 452, 516, 647)]
    assert missing_parts([NAME], [], "", loose) == []


def test_the_head_a_deputy_signs_for_is_not_the_signers_title() -> None:
    authority = box("KT. CHỦ TỊCH", 413, 517, 630)
    loose = [box("CHỦ TỊCH", 433, 497, 647)]
    assert missing_parts([authority, NAME], [], "", loose) == []


def test_a_whole_title_behind_marks_of_the_seal_is_read_whole() -> None:
    """The seal's edge read as marks glued before the title ("„PHO GIÁM ĐỐC"): the title
    is still the one title-like line of the reading, and is taken without the marks."""
    after = [at("KT. GIÁM ĐỐC", 380, 500), at("„PHÓ GIÁM ĐỐC", 390, 515), at("Mai Văn Hiệu", 395, 600)]
    added = missing_parts([], after)
    assert [line.text for line in added] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Mai Văn Hiệu"]


def test_a_lone_vowel_under_the_seal_makes_no_name() -> None:
    """Specks read as one-letter syllables ("VI VÀ Ì") are no name, even after a family name."""
    assert missing_parts([], [at("VI VÀ Ì", 395, 600)]) == []


def test_a_title_the_seal_shortened_is_lengthened_by_the_second_reading() -> None:
    """The page reading lost "PHÓ" under the seal; the column read again as black print has
    the whole title, ending as the page's does."""
    from pipeline.repair.signature import lengthened_title

    before = [at("KT. GIÁM ĐỐC", 408, 558), at("GIÁM ĐÓC", 437, 573)]
    after = [at("KT. GIÁM ĐỐC", 408, 558), at("PHÓ GIÁM ĐÓC", 405, 575), at("xi", 356, 630)]
    found = lengthened_title(before, after)
    assert found is not None and (found[0].text, found[1].text) == ("GIÁM ĐÓC", "PHÓ GIÁM ĐÓC")
    # Readings that do not end alike, or a second reading as short, change nothing.
    assert lengthened_title([at("CHỦ TỊCH", 400, 570)], [at("PHÓ GIÁM ĐỐC", 400, 570)]) is None
    assert lengthened_title([at("GIÁM ĐỐC", 400, 570)], [at("GIÁM ĐỐC", 400, 570)]) is None


# A closing block as printed (text, x, y in points): the list, and the signature column.
PRINTED_CLOSING = [
    ("Nơi nhận:", 70, 600),
    ("- Như trên;", 70, 616),
    ("- Lưu: VT.", 70, 632),
    ("KT. GIÁM ĐỐC", 390, 600),
    ("PHÓ GIÁM ĐỐC", 385, 616),
    ("Nguyễn Văn Thành", 375, 700),
]
PAGE_READ_LIST = [at("Nơi nhận:", 70, 600), at("- Như trên;", 70, 616), at("- Lưu: VT.", 70, 632)]


def _read_again(tmp_path: Path, printed: list[tuple[str, int, int]], lines: list[Line]) -> list[str]:
    """The page's lines once its signature column, printed as ``printed``, is read again."""
    from pipeline.model import Document
    from pipeline.repair.signature import reread_signature

    page = Page(number=1, lines=lines, width=595, height=842, origin="ocr")
    doc = Document(path=str(_closing_page(tmp_path, printed)), format="pdf", pages=[page])
    assert reread_signature(doc, page)
    return [line.text for line in page.lines]


@needs_tesseract
def test_a_shortened_title_and_a_missing_name_are_both_mended(tmp_path: Path) -> None:
    """The page reading kept "GIÁM ĐỐC" (the seal took "PHÓ") and no name: the column read
    again gives both, the title replaced in place and the name added after it."""
    lines = [*PAGE_READ_LIST, at("KT. GIÁM ĐỐC", 390, 600), at("GIÁM ĐỐC", 420, 616)]
    texts = _read_again(tmp_path, PRINTED_CLOSING, lines)
    assert texts[:4] == ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "KT. GIÁM ĐỐC"]
    assert texts[4] == "PHÓ GIÁM ĐỐC" and texts[-1] == "Nguyễn Văn Thành"


@needs_tesseract
def test_a_column_the_page_reading_lost_goes_beside_the_list_not_after_an_annex(tmp_path: Path) -> None:
    """The page reading had nothing of the signature column, and the page goes on below the
    closing block with an annex's heading: the lines read again go after the list beside
    them, not after the heading (where the closing block is no longer looked for)."""
    printed = [*PRINTED_CLOSING, ("QUY TRÌNH", 260, 770)]
    texts = _read_again(tmp_path, printed, [*PAGE_READ_LIST, at("QUY TRÌNH", 260, 770)])
    assert texts[-1] == "QUY TRÌNH"
    assert texts[3:-1] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Thành"]


def _closing_page(tmp_path: Path, printed: list[tuple[str, int, int]]) -> Path:
    """A one-page scan at 300 dpi with ``printed`` (text, x, y in points) in a bold serif."""
    from PIL import Image, ImageDraw, ImageFont

    font_path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")
    if not font_path.exists():
        pytest.skip("DejaVu fonts missing")
    scale = 300 / 72
    image = Image.new("RGB", (round(595 * scale), round(842 * scale)), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(font_path), round(12 * scale))
    for text, x, y in printed:
        draw.text((x * scale, y * scale), text, font=font, fill="black")
    pdf = tmp_path / "closing.pdf"
    image.save(pdf, resolution=300)
    return pdf


@pytest.mark.parametrize(
    ("read", "cut"),
    [
        # a black seal beside the title lines of a black-and-white scan: the block reading runs
        # the words together (real readings of such columns)
        ("_TM.ỦYBANNHÂNDÂN", "TM. ỦY BAN NHÂN DÂN"),
        ("KTCHỦTỊCH", "KT. CHỦ TỊCH"),
        ("KTGÁMĐÓC", "KT. GIÁM ĐỐC"),  # a letter lost as well: one edit from one authority line
        ("PHÓ CHỦTỊCH", "PHÓ CHỦ TỊCH"),
        ("KT. CHỦ TỊCH", "KT. CHỦ TỊCH"),  # read right: as read
        ("Văn Thắng", "Văn Thắng"),  # a name is never cut
        ("KTILCHỦIJCH", "KTILCHỦIJCH"),  # no known pieces make it up: as read
    ],
)
def test_title_lines_the_column_reading_ran_together_are_cut_apart(read: str, cut: str) -> None:
    from pipeline.repair.signature import _unglued

    assert _unglued(Line(text=read, x0=380, top=300, x1=500, bottom=314)).text == cut


def test_an_authority_line_among_the_unsure_words_only_when_its_letters_tell_it() -> None:
    # The column read again under a black seal: its only authority line is among the words
    # Tesseract was unsure of ("KLGIÁMĐÓC", made "KT. GIÁM ĐỐC" as the column is read).
    loose = [at("KT. GIÁM ĐỐC", 380, 300), at("NT KT", 390, 360)]
    # ("Thanh Tài", given names alone, is kept for its line's own readings: repair.signer_name)
    assert [line.text for line in missing_parts([], [at("Thanh Tài", 400, 420)], "", loose)] == [
        "KT. GIÁM ĐỐC",
        "Thanh Tài",
    ]
    assert missing_parts([], [], "", [at("KT. ĐC", 380, 300)]) == []  # a prefix and debris


# Page 3 of a report scanned black and white: the seal is as black as the print, and its
# outer ring runs through the signer's family name ("“Ng yên Ngọc Phúc" on the page).
# These are the lines Tesseract's page reading gave below the body.
BLACK_SEAL_PAGE_LINES = [
    Line(
        text="hướng, nhiệm vụ năm 2026 của Ủy ban nhân dân tỉnh Lâm Đông, gửi Bộ Nội vụ",
        x0=84.24,
        top=269.04,
        x1=537.36,
        bottom=291.36,
    ),
    Line(text="đề tổng họp.", x0=84.24, top=288.48, x1=185.04, bottom=315.6),
    Line(text="Nơi nhận:", x0=90.72, top=330.48, x1=141.12, bottom=341.28),
    Line(text="KT.CHU TỊCH", x0=375.6, top=328.08, x1=471.84, bottom=340.56),
    Line(text="“.ˆo", x0=90.72, top=344.64, x1=128.16, bottom=358.56),
    Line(text="Ó CHỦ TỊCH", x0=388.32, top=344.16, x1=476.88, bottom=354.96),
    Line(text="- Thường trực Tỉnh ủy;", x0=91.2, top=356.4, x1=192.0, bottom=366.96),
    Line(text="k", x0=451.92, top=354.96, x1=454.56, bottom=357.12),
    Line(text="- Thường trực HĐND tỉnh;", x0=91.2, top=368.64, x1=209.28, bottom=379.44),
    Line(text="- Chủ tịch, PCT UBND tỉnh (Đ/c Phúc%", x0=91.2, top=380.88, x1=266.88, bottom=391.44),
    Line(text="- Các sở, ban, ngành tỉnh;", x0=91.2, top=394.32, x1=203.04, bottom=404.64),
    Line(text="- UBND các xã, phường, đặc khu;", x0=91.44, top=406.56, x1=240.48, bottom=417.36),
    Line(text="- Chánh. các PCVP UBND tĩnh;", x0=91.44, top=419.04, x1=232.56, bottom=429.12),
    Line(text="- Lưu: VT, NG châu", x0=91.44, top=432.72, x1=174.0, bottom=441.84),
    Line(text="R", x0=396.96, top=426.24, x1=403.44, bottom=438.96),
    Line(text="“Ng yên Ngọc Phúc", x0=359.76, top=442.56, x1=481.44, bottom=461.28),
]


def black_seal_page() -> tuple[Document, Page]:
    page = Page(number=1, width=595.44, height=842.04, lines=list(BLACK_SEAL_PAGE_LINES), origin="ocr")
    path = FIXTURES / "signer_name" / "name_under_a_black_seal_ring.pdf"
    return Document(path=str(path), format="pdf", pages=[page]), page


def test_a_black_seals_rings_are_found_and_a_page_without_one_has_none() -> None:
    path = str(FIXTURES / "signer_name" / "name_under_a_black_seal_ring.pdf")
    column = (270.0, 340.0, 591.0, 550.0)  # left, bottom, right, top in points
    assert has_seal_rings(path, 0, column)
    body = (84.0, 720.0, 540.0, 800.0)  # the report's first paragraphs, far above the seal
    assert not has_seal_rings(path, 0, body)


@needs_tesseract
def test_a_name_under_a_black_seals_ring_is_read_with_the_rings_taken_out() -> None:
    doc, page = black_seal_page()
    assert reread_signature(doc, page)
    names = [line.text for line in page.lines if line.text == "Nguyễn Ngọc Phúc"]
    assert names == ["Nguyễn Ngọc Phúc"]
    message = next(message for code, message in doc.warnings if code == "ocr.signature_reread")
    assert "with the seal's rings taken out: ['Nguyễn Ngọc Phúc']" in message


@needs_tesseract
def test_the_column_read_as_scanned_alone_does_not_give_that_name(monkeypatch: pytest.MonkeyPatch) -> None:
    # The same reading with no rings found: the block reading gives "Ngọc Phúc" and a garbled
    # "——Nưfiyên Ngọc Phúc", no whole name.
    monkeypatch.setattr(signature, "has_seal_rings", lambda *_: False)
    doc, page = black_seal_page()
    reread_signature(doc, page)
    assert not any(line.text == "Nguyễn Ngọc Phúc" for line in page.lines)


def test_given_names_alone_are_kept_from_a_scans_second_reading_for_the_name_to_be_restored() -> None:
    before = [at("KT. GIÁM ĐỐC", 376, 277), at("PHÓ GIÁM ĐỐC", 380, 300)]
    after = [at("KT. GIÁM ĐỐC", 376, 277), at("PHÓ GIÁM ĐỐC", 380, 300), at("Hữu Tuấn", 411, 395)]
    assert [line.text for line in missing_parts(before, after, "", [])] == ["Hữu Tuấn"]
    # not from a text layer's page (no unsure words), nor twice, nor a name of two syllables
    # whose first is a family name ("Lương Khôi" of "Mai Lương Khôi": no name to restore)
    assert missing_parts(before, after, "", None) == []
    assert missing_parts([*before, at("Hữu Tuân", 413, 398)], after, "", []) == []
    assert missing_parts(before, [*before, at("ar Lương Khôi", 411, 395)], "", []) == []
