"""Authority lines a seal garbled on a scan: mended only where something settles them (the
issuer's collective body, the closed list of titles), else left out with a warning."""

from __future__ import annotations

import pytest

from pipeline.extract.closing import extract_signer
from pipeline.model import Document, Line, Page
from tests.helpers import lines_of


def _signer(*texts: str, issuer: str | None = None, origin: str = "ocr") -> tuple[list[str], list[str]]:
    page = Page(number=1, lines=[Line(text=text) for text in texts], origin=origin)  # type: ignore[arg-type]
    doc = Document(path="scan.pdf", format="pdf", pages=[page])
    signer, _ = extract_signer(doc, [(0, index) for index in range(len(texts))], issuer)
    assert signer is not None
    return signer.authority, [code for code, _ in doc.warnings]


def test_a_tm_line_whose_body_the_seal_hid_is_put_back_from_the_issuer() -> None:
    authority, warnings = _signer(
        "TM. _ DÂN", "CHỦ TỊCH", "Nguyễn Văn An", issuer="ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    )
    assert authority == ["TM. ỦY BAN NHÂN DÂN"] and "ocr.snapped" in warnings


def test_a_garbled_tm_line_the_issuer_does_not_settle_is_left_out() -> None:
    # what is left ("DÂN") ends no body the issuer opens with: no guess between bodies
    authority, warnings = _signer("TM. _ DÂN", "CHỦ TỊCH", "Nguyễn Văn An", issuer="SỞ TÀI CHÍNH")
    assert authority == [] and "ocr.authority_rejected" in warnings
    authority, _ = _signer("TM. _ DÂN", "CHỦ TỊCH", "Nguyễn Văn An")
    assert authority == []


@pytest.mark.parametrize(
    ("reading", "printed"),
    [
        ("TL. CHỦ TỊCH .", "TL. CHỦ TỊCH"),  # a speck after the last word
        ("KT. CHỦ TỊCH ,", "KT. CHỦ TỊCH"),
        ("KT. _ CHỦ TỊCH", "KT. CHỦ TỊCH"),  # a speck between the prefix and the title
        ("KT. CHÁNH VĂN", "KT. CHÁNH VĂN PHÒNG"),  # the title's last word lost under the seal
        ("KT. C HỦ TỊCH", "KT. CHỦ TỊCH"),  # letters split by a seal's stroke (a black-and-white scan)
        ("KT. BỌ TRU ỞNG, CHỦ NHIỆM", "KT. BỘ TRƯỞNG, CHỦ NHIỆM"),
        ("KT. BỘ TRƯỞNG BỘ TÀI CHÍNH", "KT. BỘ TRƯỞNG BỘ TÀI CHÍNH"),  # a title opens the head: kept
    ],
)
def test_specks_and_a_lost_last_word_of_an_authority_line_are_mended(reading: str, printed: str) -> None:
    authority, _ = _signer(reading, "PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Văn An")
    # Under a "TL." line with no "KT." line read, the deputy's title implies "KT. CHÁNH VĂN
    # PHÒNG" after it (test_closing_scans): the mended line is the first.
    implied = ["KT. CHÁNH VĂN PHÒNG"] if printed.startswith("TL.") else []
    assert authority == [printed, *implied]


@pytest.mark.parametrize(
    "reading",
    [
        "KT. ^^ XỲ",
        "KT. THỦ",  # "THỦ TƯỚNG" or "THỦ TRƯỞNG": its last word lost, nothing settles which
        "KT. BỌ RUC IỚNG",  # letters lost past what the list of titles can settle
        "KT. ĐỘ TRƯỚNG, CHỦ NHIỆM",  # a short word's letter slipped: another word
    ],
)
def test_an_authority_line_with_no_title_left_is_left_out(reading: str) -> None:
    authority, warnings = _signer(reading, "PHÓ CHỦ TỊCH", "Nguyễn Văn An")
    assert authority == [] and "ocr.authority_rejected" in warnings


def test_a_text_layer_keeps_its_authority_lines_as_printed() -> None:
    authority, _ = _signer("TM. ỦY BAN NHÂN TỈNH AN GIANG", "CHỦ TỊCH", "Nguyễn Văn An", origin="layer")
    assert authority == ["TM. ỦY BAN NHÂN TỈNH AN GIANG"]
    authority, _ = _signer("TM. ỦY BAN NHÂN TỈNH AN GIANG", "CHỦ TỊCH", "Nguyễn Văn An")
    assert authority == ["TM. ỦY BAN NHÂN TỈNH AN GIANG"]  # read whole on a scan: as printed


def test_a_word_of_debris_before_the_deputys_title_is_dropped() -> None:
    page = Page(
        number=1,
        lines=[Line(text=t) for t in ("KT. BỘ TRƯỞNG, CHỦ NHIỆM", "TỔ PHÓ CHỦ NHIỆM", "Nguyễn Văn An")],
        origin="ocr",
    )
    doc = Document(path="scan.pdf", format="pdf", pages=[page])
    signer, _ = extract_signer(doc, [(0, 0), (0, 1), (0, 2)])
    assert signer is not None and signer.position == "PHÓ CHỦ NHIỆM"
    # a title of the list read whole stays, whatever the "KT." line implies
    page.lines[1] = Line(text="PHÓ CHỦ TỊCH")
    signer, _ = extract_signer(doc, [(0, 0), (0, 1), (0, 2)])
    assert signer is not None and signer.position == "PHÓ CHỦ TỊCH"


def test_a_short_word_of_debris_before_a_whole_name_is_dropped() -> None:
    def name(*texts: str) -> str | None:
        page = Page(number=1, lines=[Line(text=t) for t in texts], origin="ocr")
        doc = Document(path="scan.pdf", format="pdf", pages=[page])
        signer, _ = extract_signer(doc, [(0, index) for index in range(len(texts))])
        return signer.name if signer else None

    assert name("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Ni Nguyễn Ngọc Phúc") == "Nguyễn Ngọc Phúc"
    # two words left may be the end of another name: no guess
    assert name("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Ni Văn An") is None


def test_a_tm_lines_collective_body_with_a_mark_slipped_takes_its_marks() -> None:
    authority, warnings = _signer("TM. HỘI ĐÔNG", "CHỦ TỊCH", "Đỗ Văn Chung")
    assert authority == ["TM. HỘI ĐỒNG"] and "ocr.snapped" in warnings
    authority, _ = _signer("TM. UỶ BAN NHÂN DÂN", "CHỦ TỊCH", "Đỗ Văn Chung")
    assert authority == ["TM. UỶ BAN NHÂN DÂN"]  # the tone's placement is print's


def test_an_authority_line_read_twice_is_one_line() -> None:
    """The page's reading and the signature column's second reading of one "TM." line
    (a received copy: the page's line opened with specks the column reading has not)."""
    authority, _ = _signer("TM. HỘI ĐỒNG", "__TM. HỘI ĐỒNG", "CHỦ TỊCH", "Đỗ Văn Chung")
    assert authority == ["TM. HỘI ĐỒNG"]


def test_a_title_behind_the_seals_strokes_and_its_authority_line_read_after_it() -> None:
    """A black seal over a council's closing block, as a bilevel copy reads it (points): the
    page reading gives the title behind strokes ("⁄⁄“.» ': HU TỊCH"), and "TM. HỘI ĐỒNG" comes
    from the column's second reading, set after the lines beside it but printed above."""
    rows = [
        ("Nơi nhận:", 91.0, 379.0, 150.0, 391.0),
        ("== T1 `CHÚT ĐÔNG", 355.2, 379.9, 484.1, 419.3),
        ("- Như Điều 1;", 91.0, 392.0, 170.0, 404.0),
        ("⁄⁄“.» ': HU TỊCH", 343.9, 397.7, 467.8, 412.3),
        ("- UBND tỉnh;", 91.0, 408.0, 160.0, 420.0),
        ("TM. HỘI ĐỒNG", 355.0, 379.7, 483.9, 399.9),
        ("- Lãnh đạo Sở Nội vụ;", 91.0, 445.0, 210.0, 457.0),
    ]
    lines = lines_of(rows)
    doc = Document(path="scan.pdf", format="pdf", pages=[Page(number=1, lines=lines, origin="ocr")])
    signer, _ = extract_signer(doc, [(0, 1), (0, 3), (0, 5)])
    assert signer is not None
    assert signer.position == "CHỦ TỊCH"
    assert signer.authority == ["TM. HỘI ĐỒNG"]
    # an authority line printed below the title is no authority of this signer's
    lines[5] = Line(text="TM. HỘI ĐỒNG", x0=355.0, top=430.0, x1=483.9, bottom=445.0)
    signer, _ = extract_signer(doc, [(0, 1), (0, 3), (0, 5)])
    assert signer is not None and signer.authority == []
