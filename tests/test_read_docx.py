"""DOCX reader: document order, header table lines, styles, merged cells, text boxes, guards."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from pipeline.errors import PipelineError
from pipeline.model import Line
from pipeline.read import docx as docx_reader
from pipeline.read.docx import read_docx


def _line(lines: list[Line], text: str) -> Line:
    found = [line for line in lines if line.text.strip().startswith(text)]
    assert found, f"no line starts with {text!r}"
    return found[0]


def test_055_header_table_cells_become_table_lines(corpus_docs: Path) -> None:
    document = read_docx(corpus_docs / "055.docx")
    assert document.format == "docx" and len(document.pages) == 1
    page = document.pages[0]
    issuer = _line(page.lines, "ỦY BAN NHÂN DÂN")
    motto = _line(page.lines, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    number = _line(page.lines, "Số:")
    date = _line(page.lines, "Lâm Đồng, ngày")
    assert (issuer.block, issuer.table_index, issuer.row, issuer.column) == ("table", 0, 0, 0)
    assert (motto.table_index, motto.row, motto.column) == (0, 0, 1)
    assert (number.row, number.column) == (1, 0) and number.text.replace(" ", "") == "Số:/KH-UBND"
    assert (date.row, date.column) == (1, 1)
    assert issuer.bold is True and issuer.centered is True and date.italic is True and number.bold is False
    header = page.tables[0]
    assert header.borderless is True
    assert header.rows[0][0].text == "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG"
    # The header table comes before the title paragraph, in document order.
    title = _line(page.lines, "KẾ HOẠCH")
    assert page.lines.index(date) < page.lines.index(title) and title.block == "body" and title.bold


def test_055_task_table_keeps_rows_and_grid_columns(corpus_docs: Path) -> None:
    page = read_docx(corpus_docs / "055.docx").pages[0]
    tasks = next(table for table in page.tables if table.rows and table.rows[0][0].text == "STT")
    assert [cell.text for cell in tasks.rows[0]][:4] == [
        "STT",
        "Nhiệm vụ",
        "Sản phẩm",
        "Thời gian hoàn thành",
    ]
    assert len(tasks.rows) > 10


def _merged_table_document(path: Path) -> None:
    made = docx.Document()
    made.add_paragraph("Trước bảng")
    table = made.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"r{r}c{c}"
    table.cell(0, 0).merge(table.cell(0, 1)).text = "gộp ngang"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "gộp dọc"
    made.add_paragraph("Sau bảng")
    made.save(str(path))


def test_merged_cells_are_counted_once_with_spans(tmp_path: Path) -> None:
    path = tmp_path / "merged.docx"
    _merged_table_document(path)
    page = read_docx(path).pages[0]
    rows = page.tables[0].rows
    assert [(cell.text, cell.colspan, cell.rowspan) for cell in rows[0]] == [
        ("gộp ngang", 2, 1),
        ("r0c2", 1, 1),
    ]
    assert [(cell.text, cell.rowspan) for cell in rows[1]] == [("r1c0", 1), ("r1c1", 1), ("gộp dọc", 2)]
    assert [cell.text for cell in rows[2]] == ["r2c0", "r2c1"]
    texts = [line.text for line in page.lines]
    assert texts.count("gộp dọc") == 1
    assert texts[0] == "Trước bảng" and texts[-1] == "Sau bảng"
    assert _line(page.lines, "gộp dọc").column == 2


def test_bold_inherited_from_paragraph_style(tmp_path: Path) -> None:
    made = docx.Document()
    made.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU", style="Heading 1")
    made.add_paragraph("Nội dung thường")
    made.styles["Heading 1"].font.bold = True
    path = tmp_path / "styles.docx"
    made.save(str(path))
    heading, body = read_docx(path).pages[0].lines[:2]
    assert heading.bold is True and body.bold is False


def test_text_box_content_is_read_once(tmp_path: Path) -> None:
    made = docx.Document()
    paragraph = made.add_paragraph("Trang có hộp văn bản")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    run = parse_xml(
        f'<w:r xmlns:w="{w}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        ' xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>'
        '<mc:Choice Requires="wps"><w:pict><v:textbox>'
        "<w:txbxContent><w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></w:pict></mc:Choice>"
        "<mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    paragraph._p.append(run)
    path = tmp_path / "textbox.docx"
    made.save(str(path))
    lines = read_docx(path).pages[0].lines
    assert [(line.text, line.block) for line in lines] == [
        ("Trang có hộp văn bản", "body"),
        ("DỰ THẢO", "textbox"),
    ]


def test_corrupt_zip_raises_docx_corrupt(corpus_docs: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.docx"
    path.write_bytes((corpus_docs / "056.docx").read_bytes()[:5000])
    with pytest.raises(PipelineError) as caught:
        read_docx(path)
    assert caught.value.code == "docx.corrupt"


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_reader, "_MAX_UNCOMPRESSED", 1024 * 1024)
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/zeros.bin", b"\0" * (2 * 1024 * 1024))
    with pytest.raises(PipelineError) as caught:
        read_docx(path)
    assert caught.value.code == "docx.too_large"


def _legacy_run(xml_inside: str, font: str = ".VnTime") -> object:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    return parse_xml(
        f'<w:r xmlns:w="{w}"><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>{xml_inside}</w:r>'
    )


def test_soft_hyphen_and_symbols_of_legacy_fonts_are_kept(tmp_path: Path) -> None:
    made = docx.Document()
    paragraph = made.add_paragraph()
    # TCVN3 "Trương": Word stores its "ư" (0xAD) as a soft hyphen.
    paragraph._p.append(_legacy_run("<w:t>Tr</w:t><w:softHyphen/><w:t>¬ng</w:t>"))
    paragraph._p.append(
        _legacy_run('<w:sym w:font=".VnTime" w:char="F0B8"/><w:sym w:font="Wingdings" w:char="F0D8"/>')
    )
    path = tmp_path / "legacy.docx"
    made.save(str(path))
    line = read_docx(path).pages[0].lines[0]
    assert line.text == "Tr\xad¬ng¸" and line.font == ".VnTime"


def test_header_laid_out_with_tabs_becomes_a_two_column_table(tmp_path: Path) -> None:
    made = docx.Document()
    made.add_paragraph("Đoạn trong bảng khác")
    # The issuer is bold, the motto beside it in the same paragraph is not.
    issuer = made.add_paragraph()
    issuer.add_run("BỘ TÀI CHÍNH").bold = True
    issuer.add_run("\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    for text in (
        "-0-                       Độc lập - Tự do - Hạnh phúc",
        "Số:      /2002/QĐ-BTC           ---------------",
        "                                             Hà Nội, ngày 22 tháng 11 năm 2002",
        "QUYẾT ĐỊNH",
    ):
        made.add_paragraph(text)
    del made.paragraphs[0]._p.getparent()[0]  # the header must open the body
    path = tmp_path / "tabs.docx"
    made.save(str(path))
    page = read_docx(path).pages[0]
    cells = [(line.text, line.row, line.column) for line in page.lines if line.block == "table"]
    assert cells == [
        ("BỘ TÀI CHÍNH", 0, 0),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0, 1),
        ("-0-", 1, 0),
        ("Độc lập - Tự do - Hạnh phúc", 1, 1),
        ("Số:      /2002/QĐ-BTC", 2, 0),
        ("---------------", 2, 1),
        ("Hà Nội, ngày 22 tháng 11 năm 2002", 3, 1),
    ]
    assert [line.bold for line in page.lines[:2]] == [True, False]
    assert page.tables[0].rows[0][0].bold is True
    assert page.tables[0].borderless and page.lines[-1].text == "QUYẾT ĐỊNH"
    assert page.lines[-1].block == "body"


def test_plain_paragraphs_are_not_split(tmp_path: Path) -> None:
    made = docx.Document()
    made.add_paragraph("Căn cứ Luật Tổ chức Chính phủ;\tđiều này không phải là tiêu đề")
    made.add_paragraph("Nội dung")
    path = tmp_path / "plain.docx"
    made.save(str(path))
    page = read_docx(path).pages[0]
    # A lone first line with a tab is no header: nothing below it continues two columns.
    assert page.tables == [] and all(line.block == "body" for line in page.lines)
