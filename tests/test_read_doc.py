"""Legacy .doc reader: antiword first (tables as rows), LibreOffice for fonts and fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.model import Document
from pipeline.read import doc as doc_reader
from pipeline.read.doc import read_doc
from pipeline.registry import Context
from pipeline.run import process_context

# Two small .doc files saved by LibreOffice (Word 97 format) from real excerpts: a plan's header
# in a two-column table, and the first lines of a decision typed in the VNI-Times font (8-bit
# text, its header laid out with tabs).
HEADER_TABLE = Path(__file__).parent / "fixtures" / "plan_header_table.doc"
LEGACY_VNI = Path(__file__).parent / "fixtures" / "legacy_vni_header.doc"
# A Unicode directive's header typed as paragraphs with a tab between the agency and the motto
# (no table), saved by LibreOffice as Word 97 from the first lines of a real directive.
TAB_LAID = Path(__file__).parent / "fixtures" / "directive_header_laid_with_tabs.doc"


def test_a_header_table_is_read_by_antiword_as_cells_and_lines() -> None:
    document = read_doc(HEADER_TABLE)
    assert document.format == "doc" and document.metadata["doc_reader"] == "antiword"
    lines = document.pages[0].lines
    number = next(line for line in lines if line.text.startswith("Số:"))
    assert (number.block, number.column, number.row, number.table_index) == ("table", 0, 2, 0)
    assert number.text.replace(" ", "") == "Số:/KH-UBND"
    motto = next(line for line in lines if line.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert (motto.column, motto.row) == (1, 0)
    header = document.pages[0].tables[0]
    assert [cell.text for cell in header.rows[0]] == ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert next(line.text for line in lines if line.block == "body") == "KẾ HOẠCH"


def test_legacy_vni_doc_goes_through_libreoffice_for_fonts() -> None:
    document = read_doc(LEGACY_VNI)
    assert document.metadata["doc_reader"] == "libreoffice"
    first = document.pages[0].lines[0]
    # The text stays as the 8-bit font shows it; the font says how to convert it later.
    assert first.font == "VNI-Times" and first.text.startswith("UÛY BAN NHAÂN DAÂN")
    assert document.pages[0].origin == "layer"
    # The header is laid out with tabs, not a table: once converted, its two blocks still
    # become two columns.
    _convert_and_split(document)
    cells = {(line.row, line.column): line.text for line in document.pages[0].lines if line.table_index == 0}
    assert cells == {
        (0, 0): "ỦY BAN NHÂN DÂN",
        (0, 1): "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        (1, 0): "TỈNH BÌNH PHƯỚC",
        (1, 1): "Độc lập - Tự do - Hạnh phúc",
        (2, 0): "Số: 991/QĐ-UBND",
        (2, 1): "Đồng Xoài, ngày 14 tháng5 năm 2008",
    }
    title = next(line for line in document.pages[0].lines if line.text.startswith("QUYẾT ĐỊNH"))
    assert title.block == "body"


def _convert_and_split(document: Document) -> None:
    """The stages that follow the reader up to the layout of a tab-laid header."""
    process_context(Context(doc=document), ["repair.legacy", "layout.tab_tables"])


def test_legacy_doc_without_libreoffice_keeps_antiword_text() -> None:
    document = read_doc(LEGACY_VNI, fonts_for_legacy=False)
    assert document.metadata["doc_reader"] == "antiword"
    assert any("COÄNG HOAØ" in line.text for line in document.pages[0].lines)


def test_antiword_failure_falls_back_to_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc_reader, "_antiword", lambda path: (None, "simulated failure"))
    document = read_doc(HEADER_TABLE)
    assert document.metadata["doc_reader"] == "libreoffice"
    assert "simulated failure" in document.metadata["doc_reader_reason"]
    assert any(line.text.startswith("Số:") for line in document.pages[0].lines)


def test_no_reader_left_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc_reader, "_antiword", lambda path: (None, "simulated failure"))
    monkeypatch.setattr(doc_reader, "_soffice_available", lambda: False)
    with pytest.raises(PipelineError) as caught:
        read_doc(HEADER_TABLE)
    assert caught.value.code == "doc.unreadable"


def test_ole_file_without_word_stream_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "junk.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 40)
    with pytest.raises(PipelineError) as caught:
        read_doc(path)
    assert caught.value.code == "doc.corrupt"


def test_truncated_doc_raises(tmp_path: Path) -> None:
    path = tmp_path / "cut.doc"
    path.write_bytes(HEADER_TABLE.read_bytes()[:10000])
    with pytest.raises(PipelineError) as caught:
        read_doc(path)
    assert caught.value.code in {"doc.corrupt", "doc.unreadable"}


def test_doc_whose_layout_tables_antiword_flattens_goes_through_libreoffice() -> None:
    """A header laid out with tabs: antiword prints "ỦY BAN NHÂN DÂN  CỘNG HÒA XÃ HỘI ..." with the
    tab turned into spaces, two blocks on a line no layout can take apart again. LibreOffice keeps
    the tab, and the tab layout makes cells of it."""
    document = read_doc(TAB_LAID)
    assert document.metadata["doc_reader"] == "libreoffice"
    assert document.metadata["doc_reader_reason"] == "antiword flattened a layout table"
    _convert_and_split(document)
    cells = {(line.row, line.column): line.text for line in document.pages[0].lines if line.table_index == 0}
    assert cells == {
        (0, 0): "ỦY BAN NHÂN DÂN",
        (0, 1): "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        (1, 0): "TỈNH BÌNH DƯƠNG",
        (1, 1): "Độc lập - Tự do - Hạnh phúc",
        (2, 0): "Số: 09/2009/CT-UBND",
        (2, 1): "Thủ Dầu Một, ngày 15 tháng 4 năm 2009",
    }
    # A table antiword draws itself ("|...|...|") is parsed from its text, as before.
    assert read_doc(HEADER_TABLE).metadata["doc_reader"] == "antiword"
