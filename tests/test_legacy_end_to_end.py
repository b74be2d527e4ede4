"""Legacy TCVN3/VNI documents read and converted as the later stages see them (read + repair)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.model import Document, Line
from pipeline.read import read_document
from pipeline.registry import Context
from pipeline.run import process_context


def _converted(path: Path) -> Document:
    document = read_document(path)
    process_context(Context(doc=document), ["repair.legacy", "repair.normalize"])
    return document


@pytest.fixture(scope="module")
def doc_138(corpus_docs: Path) -> Document:
    return _converted(corpus_docs / "138.doc")


def _cells(lines: list[Line], table_index: int) -> dict[tuple[int | None, int | None], str]:
    return {(line.row, line.column): line.text for line in lines if line.table_index == table_index}


def test_138_tab_laid_header_becomes_a_two_column_table(doc_138: Document) -> None:
    page = doc_138.pages[0]
    header = _cells(page.lines, 0)
    assert header[(0, 0)] == "ỦY BAN NHÂN DÂN"
    assert header[(0, 1)] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    # A paragraph mixing .VnTimeH (capitals) and .VnTime keeps each run's case.
    assert header[(1, 0)] == "THÀNH PHỐ CẦN THƠ"
    assert header[(1, 1)] == "Độc lập - Tự do - Hạnh phúc"
    assert header[(3, 0)].replace(" ", "") == "Số:256/2004/QĐ-UB"
    assert header[(3, 1)].startswith("TP.Cần Thơ, ngày 01")
    assert page.tables[0].borderless and len(page.tables[0].rows[0]) == 2


def test_138_closing_splits_recipients_from_signer(doc_138: Document) -> None:
    lines = doc_138.pages[0].lines
    label = next(line for line in lines if line.text.startswith("Nơi nhận"))
    closing = _cells(lines, label.table_index or 0)
    assert closing[(label.row, 1)] == "CHỦ TỊCH"
    assert closing[(0, 1)].upper() == "TM . UBND THÀNH PHỐ CẦN THƠ"
    right = [line.text for line in lines if line.table_index == label.table_index and line.column == 1]
    assert "Võ Thanh Tòng" in right
    # Soft hyphens from LibreOffice's DOCX are TCVN3's "ư".
    left = [line.text for line in lines if line.table_index == label.table_index and line.column == 0]
    assert "- Bộ Tư pháp" in left and "- Lưu TTLT" in left
    # The second document's header is not swallowed by the closing table.
    assert not any("CỘNG HÒA" in text.upper() for text in left)


def test_138_mixed_font_lines_are_converted_once(doc_138: Document) -> None:
    page = doc_138.pages[0]
    assert page.encoding == "tcvn3" and page.origin == "converted"
    text = page.text
    assert "Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26/11/2003;" in text
    assert "Chương trình" in text and "Ch¬" not in text and "\xad" not in text


def test_144_rtf_closing_is_split_and_converted(corpus_docs: Path) -> None:
    page = _converted(corpus_docs / "144.rtf").pages[0]
    right = [line.text for line in page.lines if line.block == "table" and line.column == 1]
    assert "Nguyễn Tấn Dũng đã ký" in right
    left = [line.text for line in page.lines if line.block == "table" and line.column == 0]
    assert "- Toà án nhân dân tối cao," in left


def test_145_pdf_line_end_u_horn_is_kept(corpus_docs: Path) -> None:
    document = _converted(corpus_docs / "145.pdf")
    lines = [line.text for page in document.pages for line in page.lines]
    assert any(text.endswith("Bộ Kế hoạch và Đầu tư") for text in lines)
    assert not any(text.endswith(" Đầu t") or text.endswith(" đầu t") for text in lines)
