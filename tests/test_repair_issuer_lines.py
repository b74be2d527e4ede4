"""repair.issuer_lines mends the issuer block's lines before the header is read, and
extract.header only reads them."""

from __future__ import annotations

from typing import Literal

from pipeline.model import Document, Line, Page
from pipeline.registry import Context
from pipeline.run import PIPELINE, process_context
from tests.helpers import scanned_header

# A plan's header block as a scan reads it: a speck between the issuer's lines, the second
# issuer line run together and ending in its underline.
ROWS = [
    ("ỦY BAN NHÂN DÂN", 113, 53, 221),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 256, 55, 532),
    ("))", 114, 84, 117),
    ("TỈNHLÂMĐỒNG ___", 103, 88, 230),
    ("Độc lập - Tự do - Hạnh phúc", 284, 89, 504),
    ("Số: 12/KH-UBND", 98, 102, 200),
    ("Lâm Đồng, ngày 5 tháng 3 năm 2026", 284, 103, 521),
    ("KẾ HOẠCH", 271, 138, 359),
    ("Cải cách hành chính nhà nước giai đoạn 2026 - 2030", 92, 155, 538),
]
HEADER = PIPELINE.index("extract.header")


def _document(origin: Literal["layer", "ocr"], issuer_line: str = "TỈNHLÂMĐỒNG ___") -> Document:
    rows = [(issuer_line if i == 3 else t, x0, top, x1) for i, (t, x0, top, x1) in enumerate(ROWS)]
    if origin == "layer":
        del rows[2]  # a text layer has no speck (one would end the block there)
    lines = [Line(text=t, x0=x0, top=top, x1=x1, bottom=top + 14) for t, x0, top, x1 in rows]
    page = Page(number=1, lines=lines, width=595, height=842, origin=origin)
    return Document(path="d.pdf", format="pdf", pages=[page])


def _texts(doc: Document) -> list[str]:
    return [line.text for line in doc.pages[0].lines]


def test_scanned_issuer_lines_are_mended_before_the_header_is_read() -> None:
    doc = _document("ocr")
    ctx = process_context(Context(doc=doc), PIPELINE[PIPELINE.index("repair.ocr_noise") : HEADER])
    assert ctx.issuer_lines == [(0, 0), (0, 3)]  # the speck "))" is none of them
    assert _texts(doc)[3] == "TỈNH LÂM ĐỒNG"
    assert doc.warnings == [
        ("ocr.unglued", "issuer line read as 'TỈNHLÂMĐỒNG ___', words put apart: 'TỈNH LÂM ĐỒNG ___'"),
        ("ocr.snapped", "issuer line read as 'TỈNH LÂM ĐỒNG ___', repaired to 'TỈNH LÂM ĐỒNG'"),
    ]
    mended = _texts(doc)
    process_context(ctx, PIPELINE[HEADER:])
    assert _texts(doc) == mended  # the extractors only read
    assert ctx.header is not None
    assert (ctx.header.issuer, ctx.header.issuer_parent) == ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", None)


def test_a_text_layer_issuer_line_loses_its_underline_without_a_warning() -> None:
    doc = _document("layer", "TỈNH LÂM ĐỒNG ___")
    ctx = process_context(Context(doc=doc), PIPELINE[PIPELINE.index("repair.ocr_noise") : HEADER])
    assert ctx.issuer_lines == [(0, 0), (0, 2)]
    assert _texts(doc)[2] == "TỈNH LÂM ĐỒNG"
    assert doc.warnings == []


def test_a_text_layer_issuer_line_is_not_mended_as_a_reading() -> None:
    """Words run together in a text layer are the document's own: not put apart, and a line
    of no known syllable is no issuer line."""
    doc = _document("layer")
    ctx = process_context(Context(doc=doc), PIPELINE[PIPELINE.index("repair.ocr_noise") : HEADER])
    assert ctx.issuer_lines == [(0, 0)]
    assert _texts(doc)[2] == "TỈNHLÂMĐỒNG ___"
    assert doc.warnings == []


def test_evidence_points_into_the_mended_text() -> None:
    """The number's and the date's evidence are taken after the issuer lines above them were
    mended (shorter here), so their offsets point into the page text the record carries."""
    doc = _document("ocr")
    ctx = process_context(Context(doc=doc), PIPELINE[PIPELINE.index("repair.ocr_noise") :])
    assert ctx.header is not None
    text = doc.pages[0].text
    spans = {name: ctx.header.evidence[name] for name in ("number", "issued_date")}
    assert {name: (span.start, span.end) for name, span in spans.items()} == {
        "number": (100, 110),
        "issued_date": (111, 144),
    }
    assert [text[span.start : span.end] for span in spans.values()] == [
        "12/KH-UBND",
        "Lâm Đồng, ngày 5 tháng 3 năm 2026",
    ]


# The same block as a colour scan read it with the e-signature's seal over the issuer: the
# body's name cut after "NHÂN", a stroke read as "sẽ", the rest read "ĐÀN.”" (real readings).
SEALED_ISSUER = [
    ("ỦY BAN NHÂN", 113, 53, 221),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT", 256, 55, 532),
    ("sẽ", 114, 70, 117),
    ("ĐÀN.”", 151, 72, 206),
    ("NAM", 376, 75, 411),
    ("TĨNH LAM ĐÔNG", 103, 87, 230),
    ("Độc lập - Tự do - Hạnh phúc", 284, 89, 503),
    ("Số: 12/KH-UBND", 98, 102, 200),
    ("Lâm Đồng, ngày 5 tháng 3 năm 2026", 284, 103, 521),
    ("KẾ HOẠCH", 271, 138, 359),
    ("Cải cách hành chính nhà nước giai đoạn 2026 - 2030", 92, 155, 538),
]


def _header(rows: list[tuple[str, int, int, int]]) -> Context:
    return scanned_header([(text, x0, top, x1, top + 14) for text, x0, top, x1 in rows])


def test_a_line_of_debris_inside_a_body_name_cut_short_does_not_end_the_block() -> None:
    ctx = _header(SEALED_ISSUER)
    assert ctx.header is not None and ctx.header.issuer == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert ("ocr.debris_skipped", "a line read as 'sẽ' inside the issuer block left out") in ctx.doc.warnings


def test_a_body_every_unit_has_without_its_unit_is_no_issuer() -> None:
    # the unit's line lost under a stamp: "ỦY BAN NHÂN DÂN" names no body
    rows = [row for row in SEALED_ISSUER if row[0] not in ("sẽ", "TĨNH LAM ĐÔNG")]
    rows[0] = ("ỦY BAN NHÂN DÂN", 113, 53, 221)
    rows = [row for row in rows if row[0] != "ĐÀN.”"]
    ctx = _header(rows)
    assert ctx.header is not None and ctx.header.issuer is None
    assert any(code == "header.issuer_incomplete" for code, _ in ctx.doc.warnings)


def _rows(*issuer: tuple[str, int, int, int]) -> list[tuple[str, int, int, int]]:
    """A scanned header whose issuer block is ``issuer`` (the lines as read, top to bottom)."""
    return [
        *issuer,
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 256, 55, 532),
        ("Độc lập - Tự do - Hạnh phúc", 284, 75, 503),
        ("Số: 12/KH-UBND", 98, 110, 200),
        ("Lâm Đồng, ngày 5 tháng 3 năm 2026", 284, 111, 521),
        ("KẾ HOẠCH", 271, 138, 359),
        ("Cải cách hành chính nhà nước giai đoạn 2026 - 2030", 92, 155, 538),
    ]


def test_a_short_word_under_the_issuers_place_line_is_debris() -> None:
    # A received copy: a seal's stroke under "TỈNH LÂM ĐỒNG" read as the word "BẺ".
    ctx = _header(
        _rows(("ỦY BAN NHÂN DÂN", 96, 58, 200), ("TỈNH LÂM ĐỒNG", 105, 77, 200), ("BẺ", 110, 94, 125))
    )
    assert ctx.header is not None and ctx.header.issuer == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"


def test_a_line_between_a_cut_body_name_and_its_place_is_debris() -> None:
    # A red seal over "DÂN": the page read "SANG 2" there.
    ctx = _header(
        _rows(("ỦY BAN NHÂN", 110, 55, 190), ("SANG 2", 111, 72, 150), ("TỈNH LÂM ĐỒNG", 99, 90, 200))
    )
    assert ctx.header is not None and ctx.header.issuer == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"


def test_a_line_of_letter_fragments_in_the_issuer_block_is_debris() -> None:
    ctx = _header(
        _rows(
            ("HIỆP HỘI", 156, 55, 215),
            ("CÔNG CHỨNG VIÊN VIỆT NAM", 86, 67, 250),
            ("TL NG VIÊN V", 135, 82, 200),
        )
    )
    assert ctx.header is not None and ctx.header.issuer == "HIỆP HỘI CÔNG CHỨNG VIÊN VIỆT NAM"


def test_a_place_word_read_twice_with_a_speck_is_read_once() -> None:
    ctx = _header(_rows(("ỦY BAN NHÂN DÂN", 86, 53, 200), ("TỈNH LÂM LÂM. ĐỒNG", 95, 72, 210)))
    assert ctx.header is not None and ctx.header.issuer == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
