"""Broken glyphs of a text layer (letters no Vietnamese word holds) put back from the document."""

from __future__ import annotations

from pipeline.model import Document, Line, Page
from pipeline.repair.glyphs import respell_broken_glyphs


def document(*lines: str, origin: str = "text") -> Document:
    page = Page(number=1, lines=[Line(text=text) for text in lines])
    page.origin = origin
    return Document(path="notice.pdf", format="pdf", pages=[page])


# Lines of a commune's notice whose capitals font maps "Ú" to "Ö" (the body font is right).
NOTICE = (
    "UỶ BAN NHÂN DÂN",
    "XÃ QUẢNG PHÖ",
    "PHÓ CHỦ TỊCH UBND XÃ QUẢNG PHÖ NĂM 2019",
    "điều của Luật Tiếp Công dân, UBND xã Quảng Phú thông báo lịch tiếp công dân",
)


def test_a_broken_capital_is_respelled_as_the_body_writes_the_word() -> None:
    doc = document(*NOTICE)
    assert respell_broken_glyphs(doc) == 2
    lines = [line.text for line in doc.pages[0].lines]
    assert lines[1] == "XÃ QUẢNG PHÚ"
    assert lines[2] == "PHÓ CHỦ TỊCH UBND XÃ QUẢNG PHÚ NĂM 2019"
    assert [code for code, _ in doc.warnings] == ["text.respelled", "text.respelled"]
    assert "'PHÖ'" in doc.warnings[0][1]


def test_without_the_word_elsewhere_the_reading_stays() -> None:
    doc = document("XÃ QUẢNG PHÖ", "Căn cứ Luật Tổ chức chính quyền địa phương")
    assert respell_broken_glyphs(doc) == 0
    assert doc.pages[0].lines[0].text == "XÃ QUẢNG PHÖ"


def test_two_spellings_in_the_document_leave_the_reading_as_it_is() -> None:
    doc = document("XÃ QUẢNG PHÖ", "xã Quảng Phú và xã Quảng Phố")
    assert respell_broken_glyphs(doc) == 0


def test_ocr_pages_are_not_touched() -> None:
    doc = document(*NOTICE, origin="ocr")
    assert respell_broken_glyphs(doc) == 0
