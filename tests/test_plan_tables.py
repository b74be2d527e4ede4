"""Task tables read the way a person reads them: merged cells, group rows, wrapped bodies.

The tables are real files built here (a DOCX through python-docx, an HTML page), read by the
project's readers, then by the task-table reader.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from pipeline.extract.plan_deadlines import make_deadline_parser
from pipeline.extract.plan_tables import table_tasks
from pipeline.model import Cell, Document, Line, Page, Table
from pipeline.nlp.task_columns import find_header
from pipeline.read import read_document
from pipeline.record.models import Task
from pipeline.registry import Context
from pipeline.repair.legacy import TCVN3, legacy_spellings
from pipeline.run import process_context, process_file

HEADER = ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]


def _tasks(path: Path) -> list[Task]:
    return table_tasks(read_document(path), make_deadline_parser(2026))


def _plan_docx(path: Path) -> None:
    """A plan's task table with the merges provincial plans use.

    - a group heading merged across every column ('1. Nhóm nhiệm vụ ...');
    - a cooperating cell merged down over three tasks, a deadline over two;
    - a numbered group row with its own lead and a deadline that announces the rows below;
    - a bold group heading with an empty number cell;
    - a cooperating body whose long name wraps inside its cell.
    """
    rows = [
        HEADER,
        ["1. Nhóm nhiệm vụ về cải cách thể chế", "", "", "", ""],
        ["1.1", "Rà soát văn bản quy phạm pháp luật", "Sở Tư pháp", "Văn\nphòng UB MTTQ tỉnh", "Quý II/2026"],
        ["1.2", "Hệ thống hóa văn bản", "Sở Nội vụ", "", ""],
        ["1.3", "Công bố danh mục văn bản hết hiệu lực", "Sở Tư pháp", "", "Quý IV/2026"],
        ["2", "Nhóm nhiệm vụ về chuyển đổi số", "Sở Khoa học và Công nghệ", "", "Theo thời hạn sau đây:"],
        ["2.1", "Xây dựng cơ sở dữ liệu cán bộ", "", "Sở, ban, ngành", "Tháng 6/2026"],
        ["2.2", "Số hóa hồ sơ lưu trữ", "Văn phòng UBND", "Các Sở, ban, ngành\nthành phố Hà Nội", "2026"],
        ["Nhiệm vụ khác", "", "", "", ""],
        ["3", "Tổng kết thực hiện kế hoạch", "Sở Nội vụ", "Sở Tư pháp\nvà Sở Tài chính", "Tháng 12/2026"],
    ]
    made = docx.Document()
    made.add_paragraph("KẾ HOẠCH")
    table = made.add_table(rows=len(rows), cols=len(HEADER))
    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            if text:
                cell = table.cell(r, c)
                lines = text.split("\n")
                cell.text = lines[0]
                for more in lines[1:]:
                    cell.add_paragraph(more)
    table.cell(1, 0).merge(table.cell(1, 4)).text = rows[1][0]
    table.cell(2, 3).merge(table.cell(4, 3))  # cooperating shared by 1.1-1.3
    table.cell(2, 4).merge(table.cell(3, 4))  # deadline shared by 1.1-1.2
    heading = table.cell(8, 0).merge(table.cell(8, 1))
    heading.text = ""
    heading.paragraphs[0].add_run("Nhiệm vụ khác").bold = True
    made.save(str(path))


def test_docx_merged_cells_fill_every_row_they_cover(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    _plan_docx(path)
    tasks = _tasks(path)
    assert [t.text for t in tasks] == [
        "Rà soát văn bản quy phạm pháp luật",
        "Hệ thống hóa văn bản",
        "Công bố danh mục văn bản hết hiệu lực",
        "Xây dựng cơ sở dữ liệu cán bộ",
        "Số hóa hồ sơ lưu trữ",
        "Tổng kết thực hiện kế hoạch",
    ]
    # the cooperating cell merged down over three rows is each row's; the deadline over two
    assert [t.cooperating for t in tasks[:3]] == [["Văn phòng UB MTTQ tỉnh"]] * 3
    assert [t.deadline.text if t.deadline else None for t in tasks[:3]] == [
        "Quý II/2026",
        "Quý II/2026",
        "Quý IV/2026",
    ]


def test_docx_group_rows_are_section_paths_never_tasks(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    _plan_docx(path)
    tasks = _tasks(path)
    assert not any("Nhóm nhiệm vụ" in t.text or t.text == "Nhiệm vụ khác" for t in tasks)
    assert [t.section_path for t in tasks] == [
        ["1. Nhóm nhiệm vụ về cải cách thể chế", "1.1"],
        ["1. Nhóm nhiệm vụ về cải cách thể chế", "1.2"],
        ["1. Nhóm nhiệm vụ về cải cách thể chế", "1.3"],
        ["2. Nhóm nhiệm vụ về chuyển đổi số", "2.1"],
        ["2. Nhóm nhiệm vụ về chuyển đổi số", "2.2"],
        ["Nhiệm vụ khác", "3"],
    ]
    # the group's deadline cell only announces the rows' own; its lead is the rows' when they print none
    assert [t.deadline.text if t.deadline else None for t in tasks[3:5]] == ["Tháng 6/2026", "2026"]
    assert [t.lead for t in tasks[3:5]] == [["Sở Khoa học và Công nghệ"], ["Văn phòng UBND"]]
    # nothing of a heading is glued onto the task above it
    assert tasks[2].lead == ["Sở Tư pháp"] and tasks[4].text == "Số hóa hồ sơ lưu trữ"


def test_docx_wrapped_bodies_and_lists_inside_one_name(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    _plan_docx(path)
    tasks = _tasks(path)
    assert tasks[3].cooperating == ["Sở, ban, ngành"]
    assert tasks[4].cooperating == ["Các Sở, ban, ngành thành phố Hà Nội"]
    assert tasks[5].cooperating == ["Sở Tư pháp", "Sở Tài chính"]


HTML_PLAN = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Kế hoạch</title></head><body>
<p>KẾ HOẠCH triển khai nhiệm vụ năm 2026</p>
<table border="1">
<tr><th>TT</th><th>Nội dung nhiệm vụ</th><th>Đơn vị chủ trì</th><th>Đơn vị phối hợp</th><th>Thời hạn</th></tr>
<tr><td colspan="5"><b>A. NHIỆM VỤ TRỌNG TÂM</b></td></tr>
<tr><td>1</td><td>Rà soát thủ tục hành chính</td><td>Văn phòng UBND tỉnh</td>
    <td rowspan="3">Các sở, ban, ngành; UBND các xã, phường</td><td rowspan="2">Quý III/2026</td></tr>
<tr><td>2</td><td>Công khai thủ tục hành chính</td><td>Sở Nội vụ</td></tr>
<tr><td>3</td><td>Đánh giá chất lượng phục vụ</td><td>Sở Tư pháp</td><td>Hằng năm</td></tr>
<tr><td>B</td><td colspan="4">NHIỆM VỤ THƯỜNG XUYÊN</td></tr>
<tr><td rowspan="2">4</td><td rowspan="2">Tuyên truyền cải cách hành chính</td>
    <td>Sở Văn hóa, Thể thao và Du lịch</td><td></td><td>Thường xuyên</td></tr>
<tr><td>Báo và Phát thanh, Truyền hình Lâm Đồng</td><td>Sở Nội vụ</td><td>Hằng quý</td></tr>
</table>
</body></html>
"""


def test_html_rowspan_and_colspan(tmp_path: Path) -> None:
    path = tmp_path / "plan.html"
    path.write_text(HTML_PLAN, encoding="utf-8")
    tasks = _tasks(path)
    assert [(t.text, t.section_path) for t in tasks] == [
        ("Rà soát thủ tục hành chính", ["A. NHIỆM VỤ TRỌNG TÂM", "1"]),
        ("Công khai thủ tục hành chính", ["A. NHIỆM VỤ TRỌNG TÂM", "2"]),
        ("Đánh giá chất lượng phục vụ", ["A. NHIỆM VỤ TRỌNG TÂM", "3"]),
        ("Tuyên truyền cải cách hành chính", ["B. NHIỆM VỤ THƯỜNG XUYÊN", "4"]),
        ("Tuyên truyền cải cách hành chính", ["B. NHIỆM VỤ THƯỜNG XUYÊN", "4"]),
    ]
    shared = ["Các sở, ban, ngành", "UBND các xã, phường"]
    assert [t.cooperating for t in tasks[:3]] == [shared, shared, shared]
    assert [t.deadline.text if t.deadline else None for t in tasks] == [
        "Quý III/2026",
        "Quý III/2026",
        "Hằng năm",
        "Thường xuyên",
        "Hằng quý",
    ]
    assert [t.lead for t in tasks[3:]] == [
        ["Sở Văn hóa, Thể thao và Du lịch"],
        ["Báo và Phát thanh, Truyền hình Lâm Đồng"],
    ]
    assert [t.cooperating for t in tasks[3:]] == [[], ["Sở Nội vụ"]]


def _letter_docx(
    path: Path, doc_type_line: str, symbol: str = "15/UBND-NC", title: tuple[str, ...] = ()
) -> None:
    """A provincial letter that assigns work in a sentence and row by row in a table."""
    made = docx.Document()
    for text in [
        "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
        f"Số: {symbol}",
        doc_type_line,
        *title,
        "Lâm Đồng, ngày 10 tháng 3 năm 2026",
        "Kính gửi: Các sở, ban, ngành thuộc tỉnh",
        "Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2026, Ủy ban nhân dân tỉnh có ý kiến như sau:",
        "1. Giao Sở Nội vụ chủ trì, phối hợp với Văn phòng UBND tỉnh, báo cáo kết quả trước ngày 30/6/2026.",
        "2. Các nhiệm vụ cụ thể giao các cơ quan theo bảng sau:",
    ]:
        made.add_paragraph(text)
    rows = [
        ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"],
        ["1", "Rà soát thủ tục hành chính nội bộ", "Sở Tư pháp", "Quý II/2026"],
        ["2", "Số hóa hồ sơ giải quyết thủ tục hành chính", "Sở Khoa học và Công nghệ", "Tháng 9/2026"],
    ]
    table = made.add_table(rows=len(rows), cols=len(rows[0]))
    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            table.cell(r, c).text = text
    for text in ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"]:
        made.add_paragraph(text)
    made.save(str(path))


def test_a_letter_that_assigns_work_gets_tasks_read_like_a_plans(tmp_path: Path) -> None:
    path = tmp_path / "letter.docx"
    _letter_docx(path, "V/v triển khai nhiệm vụ cải cách hành chính năm 2026")
    record = process_file(path, include_text=False)
    assert record.document.doc_type is not None and record.document.doc_type.name == "Công văn"
    assert record.plan is None  # a letter is no plan: its work is kept beside it
    got = [(t.source, t.lead, t.deadline.text if t.deadline else None) for t in record.assignments]
    assert got == [
        ("table", ["Sở Tư pháp"], "Quý II/2026"),
        ("table", ["Sở Khoa học và Công nghệ"], "Tháng 9/2026"),
        ("prose", ["Sở Nội vụ"], "trước ngày 30/6/2026"),
    ]
    assert record.assignments[2].cooperating == ["Văn phòng UBND tỉnh"]
    assert record.tasks == record.assignments


@pytest.mark.parametrize(
    ("symbol", "title", "name"),
    [
        ("05/CT-UBND", ("CHỈ THỊ", "Về tăng cường cải cách hành chính năm 2026"), "Chỉ thị"),
        (
            "45/TB-UBND",
            ("THÔNG BÁO", "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp về cải cách hành chính"),
            "Thông báo",
        ),
    ],
)
def test_a_directive_and_a_meeting_conclusion_assign_work_like_a_letter(
    tmp_path: Path, symbol: str, title: tuple[str, ...], name: str
) -> None:
    path = tmp_path / "assigning.docx"
    _letter_docx(path, title[0], symbol, title[1:])
    record = process_file(path, include_text=False)
    assert record.document.doc_type is not None and record.document.doc_type.name == name
    got = [(t.source, t.lead, t.deadline.text if t.deadline else None) for t in record.assignments]
    assert got == [
        ("table", ["Sở Tư pháp"], "Quý II/2026"),
        ("table", ["Sở Khoa học và Công nghệ"], "Tháng 9/2026"),
        ("prose", ["Sở Nội vụ"], "trước ngày 30/6/2026"),
    ]


def test_a_submission_assigns_no_work(tmp_path: Path) -> None:
    # A Tờ trình proposes; its table and sentences are not assignments of work.
    path = tmp_path / "submission.docx"
    _letter_docx(path, "TỜ TRÌNH")
    record = process_file(path, include_text=False)
    assert record.document.doc_type is not None and record.document.doc_type.name == "Tờ trình"
    assert record.plan is None and record.assignments == []


def test_a_task_merged_over_an_empty_deadline_stays_a_task(tmp_path: Path) -> None:
    path = tmp_path / "narrow.html"
    path.write_text(
        """<html><head><meta charset="utf-8"></head><body><table border="1">
<tr><th>STT</th><th>Nhiệm vụ</th><th>Thời gian hoàn thành</th></tr>
<tr><td>1</td><td>Sở Xây dựng kiểm tra công tác cải cách hành chính</td><td>Tháng 7/2026</td></tr>
<tr><td>2</td><td colspan="2">Sở Y tế kiểm tra công tác cải cách hành chính</td></tr>
<tr><td colspan="3"><b>3. Nhóm đơn vị cấp xã</b></td></tr>
<tr><td>3.1</td><td>Xã Đắk Song kiểm tra công tác cải cách hành chính</td><td>Tháng 3/2026</td></tr>
</table></body></html>""",
        encoding="utf-8",
    )
    tasks = _tasks(path)
    assert [(t.section_path, t.deadline.text if t.deadline else None) for t in tasks] == [
        (["1"], "Tháng 7/2026"),
        (["2"], None),
        (["3. Nhóm đơn vị cấp xã", "3.1"], "Tháng 3/2026"),
    ]


def _legacy_page(number: int, rows: list[list[str]], top: float, above: list[str]) -> Page:
    """A PDF page printed from a TCVN3 font as the reader gives it: the cells and lines in
    TCVN3 bytes read as cp1252 (its tables not yet joined: no header could be read)."""
    tcvn3 = [[Cell(text=legacy_spellings(text)[TCVN3]) for text in row] for row in rows]
    lines = [
        Line(text=legacy_spellings(text)[TCVN3], top=60.0 + 14 * k, bottom=72.0 + 14 * k)
        for k, text in enumerate(above)
    ]
    lines += [
        Line(text=cell.text, top=top + 20 * r, bottom=top + 20 * r + 12, block="table", table_index=0)
        for r, row in enumerate(tcvn3)
        for cell in row
        if cell.text
    ]
    return Page(number=number, lines=lines, tables=[Table(rows=tcvn3, top=top, bottom=top + 20 * len(rows))])


def test_a_legacy_font_prints_task_table_is_joined_over_the_page_break_once_converted() -> None:
    # A TCVN3 plan printed to PDF: its task table runs on to the next page without a header.
    header = ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Thời gian thực hiện"]
    first = _legacy_page(
        1,
        [
            header,
            ["1", "Tiếp tục dự án Tin học hóa tại Văn phòng", "Văn phòng UBND tỉnh", "Năm 1998"],
            ["2", "Xây dựng cơ sở hạ tầng công nghệ thông tin", "Sở Khoa học và Công nghệ", "Năm 1999"],
        ],
        600.0,
        ["KẾ HOẠCH", "Tin học hóa quản lý hành chính nhà nước giai đoạn 1998 - 2000"],
    )
    second = _legacy_page(
        2,
        [
            ["3", "Tổ chức tập huấn, đào tạo, bồi dưỡng nguồn nhân lực", "Sở Nội vụ", "Năm 1999"],
            ["4", "Nghiên cứu việc thành lập Trung tâm tin học của tỉnh", "Sở Nội vụ", "Năm 2000"],
        ],
        80.0,
        [],
    )
    document = Document(path="plan.pdf", format="pdf", pages=[first, second])
    assert find_header(first.tables[0]) is None  # the reader could not join them
    process_context(Context(doc=document), ["repair.legacy"])
    tasks = table_tasks(document, make_deadline_parser(1998))
    assert [(t.section_path, t.lead) for t in tasks] == [
        (["1"], ["Văn phòng UBND tỉnh"]),
        (["2"], ["Sở Khoa học và Công nghệ"]),
        (["3"], ["Sở Nội vụ"]),
        (["4"], ["Sở Nội vụ"]),
    ]
    assert not second.tables
