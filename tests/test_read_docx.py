"""DOCX reader: document order, header table lines, styles, merged cells, text boxes, guards."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml

from pipeline.errors import PipelineError
from pipeline.model import Line
from pipeline.read import docx as docx_reader
from pipeline.read.docx import read_docx
from pipeline.registry import Context
from pipeline.run import process_context


def _line(lines: list[Line], text: str) -> Line:
    found = [line for line in lines if line.text.strip().startswith(text)]
    assert found, f"no line starts with {text!r}"
    return found[0]


MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def _header_table_document(path: Path) -> None:
    """The Decree 30 header as Word lays it out: a borderless 2 × 2 table (issuer | motto,
    number | place and date), its paragraphs centred, then the title."""
    made = docx.Document()
    table = made.add_table(rows=2, cols=2)
    cells = {
        (0, 0): [("ỦY BAN NHÂN DÂN", True, False), ("TỈNH LÂM ĐỒNG", True, False)],
        (0, 1): [
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False),
            ("Độc lập - Tự do - Hạnh phúc", True, False),
        ],
        (1, 0): [("Số:      /KH-UBND", False, False)],
        (1, 1): [("Lâm Đồng, ngày      tháng 01 năm 2026", False, True)],
    }
    for (row, column), paragraphs in cells.items():
        cell = table.cell(row, column)
        for at, (text, bold, italic) in enumerate(paragraphs):
            paragraph = cell.paragraphs[0] if at == 0 else cell.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.bold, run.italic = bold, italic
    title = made.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("KẾ HOẠCH").bold = True
    made.save(str(path))


def test_header_table_cells_become_table_lines(tmp_path: Path) -> None:
    path = tmp_path / "header.docx"
    _header_table_document(path)
    document = read_docx(path)
    assert document.format == "docx" and len(document.pages) == 1
    page = document.pages[0]
    assert [(line.text, line.block, line.table_index, line.row, line.column) for line in page.lines] == [
        ("ỦY BAN NHÂN DÂN", "table", 0, 0, 0),
        ("TỈNH LÂM ĐỒNG", "table", 0, 0, 0),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "table", 0, 0, 1),
        ("Độc lập - Tự do - Hạnh phúc", "table", 0, 0, 1),
        ("Số:      /KH-UBND", "table", 0, 1, 0),
        ("Lâm Đồng, ngày      tháng 01 năm 2026", "table", 0, 1, 1),
        ("KẾ HOẠCH", "body", None, None, None),  # after the table, in document order
    ]
    issuer, number, date, title = (
        _line(page.lines, text) for text in ("ỦY BAN", "Số:", "Lâm Đồng", "KẾ HOẠCH")
    )
    assert (issuer.bold, issuer.centered, number.bold, date.italic, title.bold) == (
        True,
        True,
        False,
        True,
        True,
    )
    header = page.tables[0]
    assert header.borderless is True
    assert [[cell.text for cell in row] for row in header.rows] == [
        ["ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
        ["Số:      /KH-UBND", "Lâm Đồng, ngày      tháng 01 năm 2026"],
    ]


TASK_HEADER = [
    "STT",
    "Nhiệm vụ",
    "Sản phẩm",
    "Thời gian hoàn thành",
    "Chủ trì thực hiện",
    "Phối hợp thực hiện",
    "Theo dõi, kiểm tra, đôn đốc",
]


def _task_table_document(path: Path) -> None:
    # The head of a plan's annexed task table (seven columns, a group row, a row whose
    # cooperation cell is empty), as Word saves it.
    made = docx.Document()
    made.add_paragraph("PHỤ LỤC")
    rows = [
        TASK_HEADER,
        ["I", "Cải cách thể chế", "", "", "", "", ""],
        [
            "1",
            "Thực hiện việc đăng tải, cập nhật văn bản quy phạm pháp luật",
            "Văn bản được cập nhật",
            "Thường xuyên",
            "Sở Tư pháp",
            "",
            "Sở Tư pháp",
        ],
    ]
    table = made.add_table(rows=len(rows), cols=len(TASK_HEADER))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    made.save(str(path))


def test_a_task_table_keeps_its_rows_grid_columns_and_empty_cells(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    _task_table_document(path)
    page = read_docx(path).pages[0]
    tasks = next(table for table in page.tables if table.rows and table.rows[0][0].text == "STT")
    assert [cell.text for cell in tasks.rows[0]] == TASK_HEADER
    assert len(tasks.rows) == 3
    assert [cell.text for cell in tasks.rows[2]][4:] == ["Sở Tư pháp", "", "Sở Tư pháp"]  # empty cells kept


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


def test_corrupt_zip_raises_docx_corrupt(tmp_path: Path) -> None:
    whole = tmp_path / "whole.docx"
    _task_table_document(whole)
    path = tmp_path / "cut.docx"
    path.write_bytes(whole.read_bytes()[:5000])
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
    document = read_docx(path)
    assert document.tab_layout and not document.pages[0].tables  # the reader splits nothing
    process_context(Context(doc=document), ["repair.legacy", "layout.tab_tables"])
    page = document.pages[0]
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
    document = read_docx(path)
    process_context(Context(doc=document), ["repair.legacy", "layout.tab_tables"])
    page = document.pages[0]
    # A lone first line with a tab is no header: nothing below it continues two columns.
    assert page.tables == [] and all(line.block == "body" for line in page.lines)
