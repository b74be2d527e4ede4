"""RTF reader: legacy bytes kept recoverable, fonts per line, unicode escapes, tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.read.rtf import read_rtf
from pipeline.registry import Context
from pipeline.run import process_context


def test_legacy_bytes_keep_their_code_points_and_fonts(tmp_path: Path) -> None:
    # A TCVN3 decision: the number in a header table, the motto in the capitals font, bold and
    # centred; the converter later needs each byte as its cp1252 character and each line's font.
    fonts = r"{\fonttbl{\f0\froman\fcharset0 Times New Roman;}{\f1 .VnTimeH;}{\f2 .VnTime;}}"
    body = (
        r"\trowd\cellx3000\cellx9000"
        r"\pard\intbl\f2 S\'e8: 12/Q\'a7-UB\cell \pard\intbl\f2 H\'b5 N\'e9i\cell\row"
        r"{\pard\qc\b\f1 C\'e9ng h\'dfa x\'b7 h\'e9i ch\'f1 ngh\'dca vi\'d6t nam\par}"
        r"{\pard\f2 C\'a8n c\'f8 Lu\'cbt\par}"
    )
    path = tmp_path / "legacy.rtf"
    path.write_bytes((r"{\rtf1\ansi\ansicpg1252\deff0" + fonts + body + "}").encode("ascii"))
    document = read_rtf(path)
    assert document.format == "rtf"
    lines = document.pages[0].lines
    motto = next(line for line in lines if line.text.startswith("Céng hßa"))
    assert motto.text == "Céng hßa x· héi chñ nghÜa viÖt nam"
    assert motto.font == ".VnTimeH" and motto.bold is True and motto.centered is True
    # Every character maps back to one TCVN3 byte for the legacy converter.
    assert motto.text.encode("cp1252") == b"C\xe9ng h\xdfa x\xb7 h\xe9i ch\xf1 ngh\xdca vi\xd6t nam"
    number = next(line for line in lines if line.text.startswith("Sè"))
    assert (number.text, number.block, number.column, number.font) == ("Sè: 12/Q§-UB", "table", 0, ".VnTime")
    assert any(line.text == "C¨n cø LuËt" and line.font == ".VnTime" for line in lines)
    assert document.metadata["rtf_legacy_fonts"] == ".VnTime, .VnTimeH"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "small.rtf"
    header = r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman\fcharset0 Times New Roman;}{\f1 .VnTime;}}"
    path.write_bytes((header + body + "}").encode("ascii"))
    return path


def test_unicode_escapes_styles_and_paragraphs(tmp_path: Path) -> None:
    body = (
        r"{\pard\qc\b\f0 K\u7870? HO\u7840?CH\par}"
        r"{\pard\ql\i\f0 H\u224?\u8203? N\u7897?i, ng\'e0y 05\par}"
        r"{\pard\f1 S\'e8: 12\line H\'b5 N\'e9i\par}"
    )
    lines = read_rtf(_write(tmp_path, body)).pages[0].lines
    assert [line.text for line in lines] == ["KẾ HOẠCH", "Hà\u200b Nội, ngày 05", "Sè: 12", "Hµ Néi"]
    assert lines[0].bold and lines[0].centered and not lines[0].italic
    assert lines[1].italic and lines[1].centered is False and lines[1].font == "Times New Roman"
    assert lines[2].font == ".VnTime"


def test_rtf_table_rows_and_cells(tmp_path: Path) -> None:
    body = (
        r"\trowd\cellx3000\cellx6000"
        r"\pard\intbl UBND\cell \pard\intbl C\u7896?NG H\u210?A\cell\row"
        r"\trowd\cellx3000\cellx6000"
        r"\pard\intbl S\u7889?: 5\cell \pard\intbl \cell\row"
        r"\pard Sau b\u7843?ng\par"
    )
    page = read_rtf(_write(tmp_path, body)).pages[0]
    table = page.tables[0]
    assert [[cell.text for cell in row] for row in table.rows] == [["UBND", "CỘNG HÒA"], ["Số: 5", ""]]
    number = next(line for line in page.lines if line.text == "Số: 5")
    assert (number.block, number.table_index, number.row, number.column) == ("table", 0, 1, 0)
    assert page.lines[-1].text == "Sau bảng" and page.lines[-1].block == "body"


def test_rtf_merged_cells_span_as_in_docx(tmp_path: Path) -> None:
    # A task table whose deadline cell is merged down over two tasks (\clvmgf / \clvmrg) and
    # whose heading row spans the three columns (\clmgf / \clmrg).
    body = (
        r"\trowd\clmgf\cellx3000\clmrg\cellx6000\clmrg\cellx9000"
        r"\pard\intbl 1. Nh\u243?m nhi\u7879?m v\u7909? A\cell \pard\intbl \cell \pard\intbl \cell\row"
        r"\trowd\cellx3000\cellx6000\clvmgf\cellx9000"
        r"\pard\intbl R\u224? so\u225?t\cell \pard\intbl S\u7903? T\u224?i ch\u237?nh\cell "
        r"\pard\intbl Qu\u253? II/2026\cell\row"
        r"\trowd\cellx3000\cellx6000\clvmrg\cellx9000"
        r"\pard\intbl B\u225?o c\u225?o\cell "
        r"\pard\intbl S\u7903? N\u7897?i v\u7909?\cell \pard\intbl \cell\row"
        r"\pard Sau b\u7843?ng\par"
    )
    table = read_rtf(_write(tmp_path, body)).pages[0].tables[0]
    assert [[(c.text, c.colspan, c.rowspan) for c in row] for row in table.rows] == [
        [("1. Nhóm nhiệm vụ A", 3, 1)],
        [("Rà soát", 1, 1), ("Sở Tài chính", 1, 1), ("Quý II/2026", 1, 2)],
        [("Báo cáo", 1, 1), ("Sở Nội vụ", 1, 1)],
    ]


def test_not_rtf_raises(tmp_path: Path) -> None:
    path = tmp_path / "fake.rtf"
    path.write_bytes(b"hello")
    with pytest.raises(PipelineError) as caught:
        read_rtf(path)
    assert caught.value.code == "rtf.corrupt"


def test_mixed_legacy_fonts_in_one_paragraph_are_converted_run_by_run(tmp_path: Path) -> None:
    path = tmp_path / "mixed.rtf"
    header = r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times New Roman;}{\f1 .VnTime;}{\f2 .VnTimeH;}}"
    # ".VnTimeH" draws its lowercase codes as capitals; ".VnTime" keeps them small.
    body = r"{\pard{\f2 th\'b5nh ph\'e8 c\'c7n th\'ac}{\f1\tab \'a7\'e9c l\'cbp}\par}{\pard\f1 S\'e8 12\par}"
    path.write_bytes((header + body + "}").encode("ascii"))
    document = read_rtf(path)
    page = document.pages[0]
    mixed, plain = page.lines[0], page.lines[1]
    # The reader converts nothing: it keeps each run's font for repair.legacy.
    assert mixed.text == "th\xb5nh ph\xe8 c\xc7n th\xac\t\xa7\xe9c l\xcbp" and page.origin == "layer"
    assert [(run.start, run.end, run.font) for run in mixed.runs] == [
        (0, 17, ".VnTimeH"),
        (17, 18, None),  # the tab
        (18, 25, ".VnTime"),
    ]
    assert plain.text == "S\xe8 12" and plain.font == ".VnTime"
    process_context(Context(doc=document), ["repair.legacy"])
    # Each run by its own font, ".VnTimeH" as capitals; the line then carries no font.
    assert mixed.text == "THÀNH PHỐ CẦN THƠ\tĐộc lập" and mixed.font is None
    assert [(run.start, run.end) for run in mixed.runs] == [(0, 17), (17, 18), (18, 25)]
    assert page.encoding == "tcvn3" and page.origin == "converted"
    assert plain.text == "Số 12"


def _escaped(text: str) -> str:
    return "".join(ch if ord(ch) < 128 else f"\\u{ord(ch)}?" for ch in text)


def test_a_deadline_merged_down_in_an_rtf_task_table_reaches_every_task(tmp_path: Path) -> None:
    import pipeline

    rows = [
        ("TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành", ""),
        ("1", "Rà soát thủ tục hành chính", "Sở Tư pháp", "Quý II/2026", r"\clvmgf"),
        ("2", "Báo cáo kết quả cải cách hành chính", "Sở Nội vụ", "", r"\clvmrg"),
    ]
    table = "".join(
        r"\trowd\cellx1000\cellx5000\cellx7500"
        + merge
        + r"\cellx9500"
        + "".join(r"\pard\intbl " + _escaped(cell) + r"\cell " for cell in cells)
        + r"\row"
        for *cells, merge in rows
    )
    paragraphs = [
        "ỦY BAN NHÂN DÂN",
        "TỈNH QUẢNG NGÃI",
        "Số: 12/KH-UBND",
        "Quảng Ngãi, ngày 5 tháng 3 năm 2026",
        "KẾ HOẠCH",
        "Cải cách hành chính năm 2026",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chất lượng phục vụ người dân.",
        "II. NHIỆM VỤ CỤ THỂ",
    ]
    head = "".join(r"{\pard " + _escaped(text) + r"\par}" for text in paragraphs)
    tail = r"\pard\par{\pard " + _escaped("III. TỔ CHỨC THỰC HIỆN") + r"\par}"
    path = tmp_path / "plan.rtf"
    path.write_bytes(
        (
            r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times New Roman;}}" + head + table + tail + "}"
        ).encode()
    )
    record = pipeline.extract(path)
    assert record.plan is not None
    tasks = [(t.text, t.lead, t.deadline.text if t.deadline else None) for t in record.plan.tasks]
    assert tasks == [
        ("Rà soát thủ tục hành chính", ["Sở Tư pháp"], "Quý II/2026"),
        ("Báo cáo kết quả cải cách hành chính", ["Sở Nội vụ"], "Quý II/2026"),
    ]
