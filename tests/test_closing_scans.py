"""The closing block of a scan: a seal that hid the signer's title still leaves who signed
(under "KT.", signing for a head, Decree 30 puts the head's deputy, so the "KT." line gives the
title), and specks beside the recipients' list are no recipients."""

from __future__ import annotations

import pytest

from pipeline.extract.closing import extract_recipients, extract_signer
from pipeline.model import Document, Line, Page
from pipeline.nlp.vocabulary import deputy_title, signing_for
from pipeline.repair.ocr_noise import mark_document


@pytest.mark.parametrize(
    ("head", "deputy"),
    [
        ("CHỦ TỊCH", "Phó Chủ tịch"),
        ("BỘ TRƯỞNG BỘ TÀI CHÍNH", "Thứ trưởng"),  # a minister's deputy, from the data file
        ("BỘ TRƯỞNG, CHỦ NHIỆM", "Phó Chủ nhiệm"),  # two roles: the last one is signed for
        ("THỦ TƯỚNG", "Phó Thủ tướng"),
        ("ỦY BAN NHÂN DÂN", None),  # a body, no title
    ],
)
def test_the_deputy_of_a_head(head: str, deputy: str | None) -> None:
    assert deputy_title(head) == deputy


@pytest.mark.parametrize(
    ("line", "head"),
    [
        ("KT. CHỦ TỊCH", "CHỦ TỊCH"),
        ("KT, CHỦ TỊCH", "CHỦ TỊCH"),  # OCR reads the full stop as a comma
        ("KT/CHỦ TỊCH", "CHỦ TỊCH"),  # ... or as a slash
        ("K/T GIÁM ĐỐC", "GIÁM ĐỐC"),  # the slashed form, ended by a space
        ("kt. bộ trưởng", "bộ trưởng"),
        ("KT CHỦ TỊCH", None),  # no stop: "KT" may open a word
        ("TM. ỦY BAN NHÂN DÂN", None),  # on behalf of a collective, no deputy
        ("KTT. CHỦ TỊCH", None),
    ],
)
def test_a_signing_for_line_names_its_head(line: str, head: str | None) -> None:
    # One rule, read by the closing block (the deputy's title) and by the signature repair
    # (the head's title is never the signer's).
    assert signing_for(line) == head


def signature(origin: str) -> tuple[Document, list[tuple[int, int]]]:
    # The signature column of a scanned licence as read: the seal took the title line.
    lines = [
        Line(text="TM. ỦY BAN NHÂN DÂN", x0=354, top=292, x1=492, bottom=304),
        Line(text="KT. CHỦ TỊCH", x0=380, top=307, x1=463, bottom=319),
        Line(text="Phạm Trường Thọ", x0=362, top=421, x1=474, bottom=433),
    ]
    page = Page(number=1, lines=lines, width=595, height=842, origin=origin)  # type: ignore[arg-type]
    doc = Document(path="d.pdf", format="pdf", pages=[page])
    return doc, [(0, 0), (0, 1), (0, 2)]


def test_a_title_lost_under_the_seal_is_the_deputys() -> None:
    doc, refs = signature("ocr")
    signer, _ = extract_signer(doc, refs)
    assert signer is not None
    assert (signer.position, signer.name) == ("PHÓ CHỦ TỊCH", "Phạm Trường Thọ")
    assert [code for code, _ in doc.warnings] == ["signer.position_inferred"]


def test_a_text_layer_without_a_title_is_left_as_printed() -> None:
    doc, refs = signature("text")
    signer, _ = extract_signer(doc, refs)
    assert signer is not None and signer.position is None


def test_specks_beside_a_scanned_list_are_no_recipients() -> None:
    texts = ["Nơi nhận:", "- Như trên;", "kụ", "' `", "— ~ Lưu: VT, NN (2b)."]
    lines = [Line(text=t, x0=90, top=600 + 12 * i, x1=200, bottom=610 + 12 * i) for i, t in enumerate(texts)]
    page = Page(number=1, lines=lines, width=595, height=842, origin="ocr")
    doc = Document(path="d.pdf", format="pdf", pages=[page])
    mark_document(doc)  # as repair.ocr_noise marks the words no list holds
    recipients, _ = extract_recipients(doc, [(0, i) for i in range(len(texts))])
    assert recipients == ["Như trên", "Lưu: VT, NN (2b)"]


@pytest.mark.parametrize(
    ("read", "name"),
    [
        ("rần Hữu Tuấn", "Trần Hữu Tuấn"),  # the seal took the T
        ("ạm Minh Hùng", "Phạm Minh Hùng"),
        ("và Hữu Tuấn", None),  # no family name ends so
        ("rần hữu tuấn", None),  # given names in lower case: no name line
    ],
)
def test_a_family_name_whose_first_letter_the_seal_took(read: str, name: str | None) -> None:
    from pipeline.nlp.names import surname_from_its_end

    assert surname_from_its_end(read) == name


def _scanned_column(*texts: str) -> tuple[Document, list[tuple[int, int]]]:
    lines = [Line(text=t, x0=360, top=300 + 20 * i, x1=480, bottom=312 + 20 * i) for i, t in enumerate(texts)]
    page = Page(number=1, lines=lines, width=595, height=842, origin="ocr")
    return Document(path="d.pdf", format="pdf", pages=[page]), [(0, i) for i in range(len(texts))]


@pytest.mark.parametrize(
    "debris",
    # read under a seal and a signature; the last, a title's capitals run into a name's end
    ["ANG TỒN", "À À", "Phạm Xiạnh Cường", "Trần Íhanh Tài", "VŨ THẾ Vui"],
)
def test_debris_of_the_seal_is_no_name(debris: str) -> None:
    doc, refs = _scanned_column("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", debris)
    signer, evidence = extract_signer(doc, refs)
    assert signer is not None and signer.position == "PHÓ CHỦ TỊCH"
    assert signer.name is None and "signer.name" not in evidence
    assert "ocr.name_rejected" in [code for code, _ in doc.warnings]


@pytest.mark.parametrize("name", ["Nguyễn Thị Y", "NGUYỄN NGỌC PHÚC"])
def test_a_name_in_one_casing_is_taken(name: str) -> None:
    doc, refs = _scanned_column("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", name)
    signer, _ = extract_signer(doc, refs)
    assert signer is not None and signer.name == name


def test_a_whole_name_below_debris_is_still_the_name() -> None:
    doc, refs = _scanned_column("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "À À", "Nguyễn Ngọc Phúc")
    signer, _ = extract_signer(doc, refs)
    assert signer is not None and signer.name == "Nguyễn Ngọc Phúc"


def test_marks_glued_before_a_scanned_name_are_dropped() -> None:
    doc, refs = _scanned_column("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "“2Vũ Đại Thắng")
    signer, _ = extract_signer(doc, refs)
    assert signer is not None and signer.name == "Vũ Đại Thắng"


@pytest.mark.parametrize(
    ("name", "well_formed"),
    [
        ("Nguyễn Ngọc Phúc", True),
        ("Trần Hữu Tuân", True),  # a wrong mark that still spells a name: not detectable here
        ("VƯƠNG QUỐC TUẦN", True),  # printed in capitals
        ("Ngọc Phúc", False),  # the family name lost under the seal
        ("QUY TRÌNH", False),  # no family name
        ("Eế Công Thành", False),  # no syllable
        ("Ở P2", False),
    ],
)
def test_a_well_formed_vietnamese_name(name: str, well_formed: bool) -> None:
    from pipeline.nlp.names import well_formed_name

    assert well_formed_name(name) is well_formed


@pytest.mark.parametrize(
    ("name", "attested"),
    [
        ("Trần Ngọc Căng", True),
        ("Nguyễn Sinh Nhật Tân", True),
        ("Phạm Trường Thọ", True),
        ("VƯƠNG QUỘC TUẦN", False),  # "quộc" is well formed, and no word's: "Quốc" read with a slip
        ("Phạm Thị Minh Hiêu", False),  # "Hiếu" with its mark slipped
    ],
)
def test_a_scanned_names_given_names_are_syllables_words_have(name: str, attested: bool) -> None:
    from pipeline.nlp.names import attested_given_names, well_formed_name

    assert well_formed_name(name)  # the syllables are all well formed ...
    assert attested_given_names(name) is attested  # ... but a slip may make one no word has


def test_a_signer_name_with_a_syllable_no_word_has_is_left_blank_on_a_scan() -> None:
    from pipeline.extract.closing import extract_signer
    from pipeline.model import Document, Line, Page

    lines = [Line(text=text) for text in ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "VƯƠNG QUỘC TUẦN")]
    doc = Document(path="scan.pdf", format="pdf", pages=[Page(number=1, lines=lines, origin="ocr")])
    signer, _ = extract_signer(doc, [(0, 0), (0, 1), (0, 2)])
    assert signer is not None and signer.name is None and signer.position == "PHÓ CHỦ TỊCH"
    assert any(code == "ocr.name_rejected" for code, _ in doc.warnings)


def test_a_scanned_recipients_entry_loses_the_specks_and_the_colon_read_after_it() -> None:
    from pipeline.extract.closing import extract_recipients
    from pipeline.model import Document, Line, Page

    texts = [
        "Nơi nhận:",
        "- Thường trực Tỉnh ủy:",  # its closing ";" read as ":"
        "- Chủ tịch, PCT UBND tỉnh (Đ/c Minh);",
        "- Lưu: VT, TH (2b) _2-~",  # a stroke of the signature after the copy count
    ]
    for origin, expected in (
        ("ocr", ["Thường trực Tỉnh ủy", "Chủ tịch, PCT UBND tỉnh (Đ/c Minh)", "Lưu: VT, TH (2b)"]),
        ("layer", ["Thường trực Tỉnh ủy:", "Chủ tịch, PCT UBND tỉnh (Đ/c Minh)", "Lưu: VT, TH (2b) _2-~"]),
    ):
        page = Page(number=1, lines=[Line(text=text) for text in texts], origin=origin)  # type: ignore[arg-type]
        doc = Document(path="scan.pdf", format="pdf", pages=[page])
        recipients, _ = extract_recipients(doc, [(0, i) for i in range(len(texts))])
        assert recipients == expected


def test_a_wordless_part_after_a_scanned_entrys_semicolon_is_a_stroke() -> None:
    """Readings of simulated sealed copies: the seal's or the signature's stroke read after an
    entry's closing semicolon ("N2", "h"); a part with a word stays, and so do the filing
    entry's codes."""
    from pipeline.extract.closing import extract_recipients

    texts = [
        "Nơi nhận:",
        "- Như trên; h",
        "- Bộ Nội vụ; N2",
        "- Thường trực Thành ủy; : (để b/c)",
        "- Lưu: VT; 02",
    ]
    recipients, _ = extract_recipients(_scanned(texts), [(0, i) for i in range(len(texts))])
    assert recipients[:3] == ["Như trên", "Bộ Nội vụ", "Thường trực Thành ủy; : (để b/c)"]
    assert recipients[3].endswith("02")


def _scanned(texts: list[str]) -> Document:
    """A one-page scan whose lines read ``texts``."""
    page = Page(number=1, lines=[Line(text=text) for text in texts], origin="ocr")  # type: ignore[arg-type]
    return Document(path="scan.pdf", format="pdf", pages=[page])


def test_scanned_recipients_not_opening_with_a_capital_are_debris() -> None:
    """Readings of simulated received copies: a word of the seal's ring ("sở"), a place name cut
    from an entry the seal covers ("tỉnh"), strokes read as words after a colon; a lone mark
    read from a speck before an entry goes, and the entry stays."""
    from pipeline.extract.closing import extract_recipients

    texts = [
        "Nơi nhận:",
        "sở",
        "- Như trên;",
        "ˆ Ủy ban MTTQVN tỉnh;",
        ": Su Sa HE co D TẺ",
        "tỉnh",
        "- ý ban MTTQ Việt Nam tính;",  # a real scan's "Uỷ" misread: an entry all the same
        "¬ Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam;",
        "- 'ŒT, các PCT;",  # a real scan's speck before "CT, các PCT"
        "- Lưu: VT, NC.",
    ]
    doc = _scanned(texts)
    recipients, evidence = extract_recipients(doc, [(0, i) for i in range(len(texts))])
    assert recipients == [
        "Như trên",
        "Ủy ban MTTQVN tỉnh",
        "ý ban MTTQ Việt Nam tỉnh",
        "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
        "ŒT, các PCT",
        "Lưu: VT, NC",
    ]
    assert sorted(evidence) == [f"recipients[{at}]" for at in range(6)]
    # the list's phrase ("Việt Nam tỉnh") respelled, with the reading kept; the debris reported
    assert [code for code, _ in doc.warnings] == ["ocr.snapped", "ocr.recipients_dropped"]


def test_a_title_read_as_the_head_a_kt_line_names_is_its_deputys() -> None:
    """A simulated seal over "PHÓ CHỦ NHIỆM" under "KT. BỘ TRƯỞNG, CHỦ NHIỆM": the page read
    "CHỦ NHIỆM", the head itself; whoever signs for a head is its deputy."""
    doc, refs = _scanned_column("KT. BỘ TRƯỞNG, CHỦ NHIỆM", "CHỦ NHIỆM", "Phạm Mạnh Cường")
    signer, _ = extract_signer(doc, refs)
    assert signer is not None and signer.position == "PHÓ CHỦ NHIỆM"
    assert "signer.position_inferred" in [code for code, _ in doc.warnings]


def test_the_kt_line_under_a_seal_is_implied_by_the_deputys_title() -> None:
    """A "TM. ỦY BAN NHÂN DÂN" read, "KT. CHỦ TỊCH" lost under the seal, "PHÓ CHỦ TỊCH" read:
    a deputy signs for the head (every deputy of the corpus's gold has its "KT." line)."""
    doc, refs = _scanned_column("TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", "Trần Phước Hiền")
    signer, _ = extract_signer(doc, refs)
    assert signer is not None and signer.authority == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
    assert "signer.authority_inferred" in [code for code, _ in doc.warnings]
    doc, refs = _scanned_column("TL. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Trần Phước Hiền")
    signer, _ = extract_signer(doc, refs)
    assert signer is not None and signer.authority == ["TL. BỘ TRƯỞNG", "KT. BỘ TRƯỞNG"]


@pytest.mark.parametrize(
    "lines",
    [
        ("PHÓ CHỦ TỊCH", "Trần Phước Hiền"),  # no line read above: the whole block may be lost
        ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Phước Hiền"),  # read
        ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Phước Hiền"),  # the head signs himself
    ],
)
def test_no_kt_line_is_implied_where_one_was_read_or_none_can_be(lines: tuple[str, ...]) -> None:
    doc, refs = _scanned_column(*lines)
    signer, _ = extract_signer(doc, refs)
    assert signer is not None and signer.authority == [line for line in lines if "." in line]
    assert "signer.authority_inferred" not in [code for code, _ in doc.warnings]


def test_print_is_taken_as_printed_without_a_kt_line() -> None:
    doc, refs = _scanned_column("TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", "Trần Phước Hiền")
    doc.pages[0].origin = "layer"
    signer, _ = extract_signer(doc, refs)
    assert signer is not None and signer.authority == ["TM. ỦY BAN NHÂN DÂN"]


@pytest.mark.parametrize(
    ("lines", "position"),
    [
        # The seal's debris run into the title: no title; the "KT." line gives the deputy's.
        (
            ("TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ ‹ _ FÀNH, VĂN PHÒNG", "Võ Tuấn Anh"),
            "PHÓ CHÁNH VĂN PHÒNG",
        ),
        # A title that goes on in words and codes is whole.
        (
            ("TL. BỘ TRƯỞNG", "VỤ TRƯỞNG VỤ CẢI CÁCH HÀNH CHÍNH", "Phạm Minh Hùng"),
            "VỤ TRƯỞNG VỤ CẢI CÁCH HÀNH CHÍNH",
        ),
        (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH UBND", "Trần Phước Hiền"), "PHÓ CHỦ TỊCH UBND"),
    ],
)
def test_a_scanned_title_runs_on_only_in_words(lines: tuple[str, ...], position: str) -> None:
    doc, refs = _scanned_column(*lines)
    signer, _ = extract_signer(doc, refs)
    assert signer is not None and signer.position == position


@pytest.mark.parametrize(
    ("origin", "texts", "expected"),
    [
        # a black-and-white scan read the commas that end two lines of one entry as full stops
        (
            "ocr",
            [
                "Nơi nhận:",
                "- VPUB: CVP. các PCVP.",
                "phòng: KGVX, TH, KT. ĐT, TNMT,",
                "NC, HC-QT.",
                "- Lưu: VT, KGVX.",
            ],
            ["VPUB: CVP. các PCVP. phòng: KGVX, TH, KT. ĐT, TNMT, NC, HC-QT", "Lưu: VT, KGVX"],
        ),
        # after a ";" a scanned line in small letters is an entry whose capital was lost
        (
            "ocr",
            ["Nơi nhận:", "- Như trên;", "ý ban MTTQ Việt Nam tính;"],
            ["Như trên", "ý ban MTTQ Việt Nam tỉnh"],
        ),
        # printed: an entry's units on the lines under it, the first in small letters
        (
            "layer",
            ["Nơi nhận:", "- VPCP: BTCN, các PCN;", "các Vụ, Cục: KSTT, KTTH, PL;", "- Lưu: VT, TH (2)."],
            ["VPCP: BTCN, các PCN; các Vụ, Cục: KSTT, KTTH, PL", "Lưu: VT, TH (2)"],
        ),
    ],
)
def test_a_line_in_small_letters_goes_on_with_the_entry_before_it(
    origin: str, texts: list[str], expected: list[str]
) -> None:
    page = Page(number=1, lines=[Line(text=text) for text in texts], origin=origin)  # type: ignore[arg-type]
    doc = Document(path="scan.pdf", format="pdf", pages=[page])
    recipients, _ = extract_recipients(doc, [(0, i) for i in range(len(texts))])
    assert recipients == expected


def test_a_filing_entry_whose_first_letter_the_stamp_changed_still_closes_the_list() -> None:
    # A black-and-white scan: "- Lưu: VT, ĐTDG" read "- Ekưu: VT, ĐTp‹", the TM. line's body
    # under it; the list ends at the filing entry all the same.
    texts = ["Nơi nhận:", "- Như trên;", "- Ekưu: VT, ĐTp‹", "ỦY BAN NHÂN DÂN"]
    page = Page(number=1, lines=[Line(text=text) for text in texts], origin="ocr")
    doc = Document(path="scan.pdf", format="pdf", pages=[page])
    recipients, _ = extract_recipients(doc, [(0, i) for i in range(len(texts))])
    assert recipients[0] == "Như trên" and recipients[1].startswith("Lưu: VT, ĐTp") and len(recipients) == 2
    assert any(code == "ocr.snapped" and "Ekưu" in message for code, message in doc.warnings)


def test_the_debris_a_seal_leaves_after_a_scanned_entry_is_cut() -> None:
    """Entries as read on seeded scans, the seal's or the signature's ink read on after the
    entry's last word; a real scan's entries whose last words are print stay whole."""
    texts = [
        "Nơi nhận:",
        "- Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính PHỦ; | ` 7n thà ¿ để 'ẺNHráicLa LÀN",
        "- Đài truyền thanh xã ⁄{0 Ni 42x EmMaIE;",
        "- Ngân hàng Nhà nước - CN Quảng Ngãi;",  # a dash and a code: print
        "- Các PTTgCP (để b/c);",  # the small g of Thủ tướng in a code
        "- Lưu: VT, TH(2). H",  # the filing entry keeps its initials
    ]
    doc = _scanned(texts)
    recipients, _ = extract_recipients(doc, [(0, i) for i in range(len(texts))])
    assert recipients == [
        "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính PHỦ",
        "Đài truyền thanh xã",
        "Ngân hàng Nhà nước - CN Quảng Ngãi",
        "Các PTTgCP (để b/c)",
        "Lưu: VT, TH(2). H",
    ]
    assert [code for code, _ in doc.warnings].count("ocr.snapped") == 2


@pytest.mark.parametrize(
    ("token", "jumbled"),
    [
        ("EmMaIE", True),
        ("JAbal", True),
        ("LonẠ", True),
        ("đJư", True),
        ("Ngãi", False),
        ("TTg", False),
        ("PTTgCP", False),
        ("NGUYỄN", False),
        ("Châu", False),
        ("NC.Châu", False),
    ],
)
def test_letters_no_word_or_code_mixes_so(token: str, jumbled: bool) -> None:
    from pipeline.repair.ocr_noise import is_jumbled_case

    assert is_jumbled_case(token) is jumbled


@pytest.mark.parametrize(
    ("read", "entry"),
    [
        # the văn thư's code opening the filing entry, its T read as a look-alike (seeded scans)
        ("- Lưu: VI, NC.Châu.", "Lưu: VT, NC.Châu"),
        ("- Lưu: VÌ, NC.", "Lưu: VT, NC"),
        ("- Lưu: VE Cục BTTP.", "Lưu: VT, Cục BTTP"),
        # a speck read after it, for its comma
        ("- Lưu: VT: CCHC&VTLT(Hằng).", "Lưu: VT, CCHC&VTLT(Hằng)"),
        ("- Lưu: VTF. HCBT.", "Lưu: VT. HCBT"),
        # a Văn phòng's code and a longer code are codes of their own
        ("- Lưu: VP, TH.", "Lưu: VP, TH"),
        ("- Lưu: VTUB, NC.", "Lưu: VTUB, NC"),
    ],
)
def test_the_filing_entry_opens_with_the_clerks_code(read: str, entry: str) -> None:
    texts = ["Nơi nhận:", "- Như trên;", read]
    recipients, _ = extract_recipients(_scanned(texts), [(0, i) for i in range(len(texts))])
    assert recipients == ["Như trên", entry]
