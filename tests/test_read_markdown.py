"""Markdown reader: flattened web tables, pipe tables, wrapped paragraphs, bold/italic lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.read.markdown import looks_like_markdown, page_from_markdown
from pipeline.read.text import read_text
from pipeline.run import process_file

# The shape legal portals are crawled into: the header table flattened into lone "|" lines,
# paragraphs hard-wrapped, headings in bold, a task table flattened the same way.
PLAN = """|
**UỶ BAN NHÂN
DÂN**
TỈNH LAI CHÂU
--------
|
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số:
7360/KH-UBND
|
*Lai Châu, ngày
19 tháng 11 năm 2025*
|

**KẾ HOẠCH**

TRIỂN KHAI THI HÀNH LUẬT SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU
CỦA LUẬT TIÊU CHUẨN VÀ QUY CHUẨN KỸ THUẬT

Thực hiện Quyết định số
2138/QĐ-TTg ngày 27 tháng 9 năm 2025 của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh ban
hành Kế hoạch với các nội dung sau:

**I. MỤC
ĐÍCH, YÊU CẦU**

**1. Mục tiêu**

**1. **Trong giai đoạn 2026
- 2030 phấn đấu có ít nhất 10% cán bộ được đào tạo.

**II. NHIỆM VỤ**
|
**TT**
|
**Nội dung**
|
**Cơ quan chủ trì**
|
**Thời gian hoàn thành**
|
|
**I**
|
**KIỆN TOÀN BỘ MÁY**
|
|
1
|
Tổ chức lại Ban Chỉ huy cấp tỉnh, cấp
xã
|
Bộ CHQS tỉnh
|
Trước ngày
30/11/2025
|
|
2
|
Rà soát danh mục công trình
|
Sở Xây dựng
|
|
|
|
3
|
Duy trì hoạt động thường xuyên
|
Sở Tài chính
|
2025
|
"""


def test_flattened_header_table_becomes_a_table_with_cell_lines() -> None:
    page = page_from_markdown(PLAN)
    header = page.tables[0]
    assert [[cell.text for cell in row] for row in header.rows] == [
        ["UỶ BAN NHÂN DÂN\nTỈNH LAI CHÂU", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
        ["Số: 7360/KH-UBND", "Lai Châu, ngày 19 tháng 11 năm 2025"],
    ]
    first = page.lines[0]
    assert (first.text, first.bold, first.block, first.row, first.column) == (
        "UỶ BAN NHÂN DÂN",
        True,
        "table",
        0,
        0,
    )
    date_line = next(line for line in page.lines if line.text.startswith("Lai Châu"))
    assert date_line.italic and date_line.column == 1


def test_wrapped_paragraphs_are_joined_and_bold_headings_kept() -> None:
    texts = [(line.text, line.bold) for line in page_from_markdown(PLAN).lines if line.block == "body"]
    assert ("KẾ HOẠCH", True) in texts
    assert (
        "TRIỂN KHAI THI HÀNH LUẬT SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA LUẬT TIÊU CHUẨN VÀ QUY CHUẨN KỸ THUẬT",
        None,  # no emphasis: weight unknown
    ) in texts
    assert ("I. MỤC ĐÍCH, YÊU CẦU", True) in texts
    # "2026\n- 2030" is a wrapped range, not a new bullet.
    assert ("1. Trong giai đoạn 2026 - 2030 phấn đấu có ít nhất 10% cán bộ được đào tạo.", None) in texts
    opening = next(text for text, _ in texts if text.startswith("Thực hiện"))
    assert opening.endswith("với các nội dung sau:") and "2138/QĐ-TTg" in opening


def test_flattened_task_table_keeps_group_rows_and_empty_cells() -> None:
    table = page_from_markdown(PLAN).tables[1]
    rows = [[cell.text for cell in row] for row in table.rows]
    assert rows[0] == ["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành"]
    assert rows[1] == ["I", "KIỆN TOÀN BỘ MÁY"]  # a group row: two cells, the row ends
    assert rows[2] == [
        "1",
        "Tổ chức lại Ban Chỉ huy cấp tỉnh, cấp xã",
        "Bộ CHQS tỉnh",
        "Trước ngày 30/11/2025",
    ]
    assert rows[3] == ["2", "Rà soát danh mục công trình", "Sở Xây dựng", ""]  # an empty last cell
    assert rows[4] == ["3", "Duy trì hoạt động thường xuyên", "Sở Tài chính", "2025"]


def test_pipe_tables_become_tables() -> None:
    text = "Intro **bold** text\n\n| TT | Nhiệm vụ | Chủ trì |\n|---|---|---|\n| 1 | Rà soát | Sở Nội vụ |\n"
    page = page_from_markdown(text)
    assert [[cell.text for cell in row] for row in page.tables[0].rows] == [
        ["TT", "Nhiệm vụ", "Chủ trì"],
        ["1", "Rà soát", "Sở Nội vụ"],
    ]


def test_plain_text_is_not_taken_for_markdown() -> None:
    plain = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/KH-UBND\nHà Nội, ngày 1 tháng 2 năm 2025\n"
    assert not looks_like_markdown(plain)
    assert looks_like_markdown(PLAN)


def test_markdown_plan_gives_header_sections_and_table_tasks(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(PLAN, encoding="utf-8")
    assert read_text(path).metadata["markup"] == "markdown"
    record = process_file(path, include_text=False)
    document, plan = record.document, record.plan
    assert document is not None and plan is not None
    assert (document.number, document.symbol, document.issued_date) == ("7360", "KH-UBND", "2025-11-19")
    assert document.issuer == "UỶ BAN NHÂN DÂN TỈNH LAI CHÂU" and document.place == "Lai Châu"
    assert [section.title for section in plan.sections] == ["MỤC ĐÍCH, YÊU CẦU", "NHIỆM VỤ"]
    tasks = {task.text: task for task in plan.tasks if task.source == "table"}
    task = tasks["Tổ chức lại Ban Chỉ huy cấp tỉnh, cấp xã"]
    assert task.lead == ["Bộ CHQS tỉnh"] and task.deadline is not None and task.deadline.value == "2025-11-30"
    assert record.kind is not None and record.kind.name == "official"


PIPE_PLAN = """**ỦY BAN NHÂN DÂN TỈNH BẮC NINH**

Số: 15/KH-UBND

*Bắc Ninh, ngày 3 tháng 2 năm 2026*

**KẾ HOẠCH**

**Cải cách hành chính năm 2026**

**I. NHIỆM VỤ**

| STT | Nhiệm vụ | Chủ trì/phối hợp | Thời gian hoàn thành |
|---|---|---|---|
| 1 | Rà soát thủ tục hành chính nội bộ | Sở Nội vụ; Sở Tư pháp; Văn phòng UBND tỉnh | Quý II/2026 |
| 2 | Số hóa hồ sơ một cửa | Sở Khoa học và Công nghệ | Tháng 6/2026 |
"""


def test_pipe_task_table_with_a_lead_and_cooperating_column(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(PIPE_PLAN, encoding="utf-8")
    plan = process_file(path, include_text=False).plan
    assert plan is not None
    tasks = {task.text: task for task in plan.tasks if task.source == "table"}
    first = tasks["Rà soát thủ tục hành chính nội bộ"]
    assert first.lead == ["Sở Nội vụ"]
    assert first.cooperating == ["Sở Tư pháp", "Văn phòng UBND tỉnh"]
    assert first.deadline is not None and first.deadline.text == "Quý II/2026"
    second = tasks["Số hóa hồ sơ một cửa"]
    assert second.lead == ["Sở Khoa học và Công nghệ"] and second.cooperating == []


DECISION = """|
**ỦY BAN NHÂN DÂN**
**TỈNH QUẢNG NGÃI**
|
**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
|
|
Số: 1627/QĐ-UBND
|
*Quảng Ngãi, ngày 21 tháng 11 năm 2025*
|

**QUYẾT ĐỊNH**

VỀ VIỆC BAN HÀNH KẾ HOẠCH KIỂM KÊ TÀI SẢN CÔNG

**CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI**

*Căn cứ Luật Quản lý, sử dụng tài sản công ngày 21 tháng 6 năm 2017;*

**QUYẾT ĐỊNH:**

**Điều 1.** Ban hành kèm theo Quyết định này Kế hoạch kiểm kê tài sản công trên địa bàn tỉnh.

**Điều 2.** Quyết định này có hiệu lực thi hành kể từ ngày ký.

|
**Nơi nhận:**
- Như Điều 2;
- Lưu: VT.
|
**KT. CHỦ TỊCH**
**PHÓ CHỦ TỊCH**
**Nguyễn Ngọc Sâm**
|

**KẾ HOẠCH**

**KIỂM KÊ TÀI SẢN CÔNG TẠI CƠ QUAN, TỔ CHỨC, ĐƠN VỊ**

*(Ban hành kèm theo Quyết định số 1627/QĐ-UBND ngày 21/11/2025 của Chủ tịch UBND tỉnh)*

**I. MỤC ĐÍCH, YÊU CẦU**

Kiểm kê đầy đủ tài sản công.

**II. NHIỆM VỤ CỤ THỂ**

**1. Tập huấn, hướng dẫn thực hiện tổng kiểm kê**

*Đơn vị chủ trì:* Sở Tài chính.

*Thời gian thực hiện:* Tháng 12/2025.
"""


def test_decision_issuing_a_plan_gives_the_plan_and_names_the_decision(tmp_path: Path) -> None:
    path = tmp_path / "decision.md"
    path.write_text(DECISION, encoding="utf-8")
    record = process_file(path, include_text=False)
    assert record.document is not None and record.document.doc_type is not None
    assert record.document.doc_type.name == "Quyết định"
    plan = record.plan
    assert plan is not None and plan.issued_by == "Quyết định số 1627/QĐ-UBND"
    assert [section.title for section in plan.sections] == ["MỤC ĐÍCH, YÊU CẦU", "NHIỆM VỤ CỤ THỂ"]
    task = next(task for task in plan.tasks if task.text.startswith("Tập huấn"))
    assert task.lead == ["Sở Tài chính"] and task.deadline is not None and task.deadline.value == "2025-12"


def test_html_tables_inside_markdown_become_tables() -> None:
    text = (
        "**II. NHIỆM VỤ**\n\n"
        "<table>\n<tr><th>STT</th><th>Nhiệm vụ</th><th>Chủ trì</th></tr>\n"
        '<tr><td>1</td><td colspan="1">Rà soát quy trình nội bộ</td><td>Sở Nội vụ</td></tr>\n</table>\n\n'
        "Sau bảng.\n"
    )
    page = page_from_markdown(text)
    assert [[cell.text for cell in row] for row in page.tables[0].rows] == [
        ["STT", "Nhiệm vụ", "Chủ trì"],
        ["1", "Rà soát quy trình nội bộ", "Sở Nội vụ"],
    ]
    cell_line = next(line for line in page.lines if line.text == "Sở Nội vụ")
    assert (cell_line.block, cell_line.row, cell_line.column) == ("table", 1, 2)
    assert page.lines[-1].text == "Sau bảng."


@pytest.mark.parametrize("prefix", ["TM.", "KT.", "TL.", "TUQ."])
def test_a_signer_cell_without_emphasis_keeps_the_authority_line_apart(prefix: str) -> None:
    # A converter that drops the bold leaves "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH" in one cell:
    # a line opening with an authority prefix (the vocabulary's) is one line of the block.
    text = (
        f"Đoạn đầu.\n\n|\nNơi nhận:\n- Như trên;\n|\n{prefix} ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn An\n|\n"
    )
    lines = [line.text for line in page_from_markdown(text).lines]
    assert lines == [
        "Đoạn đầu.",
        "Nơi nhận:",
        "- Như trên;",
        f"{prefix} ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Văn An",
    ]


# A civil-defence plan's task table crawled into Markdown (an excerpt): the rows the portal left
# out are a cell of dots standing where the empty cell that ends a row would be.
ELIDED = """**KẾ HOẠCH**

|
TT
|
Nội dung
|
Cơ quan chủ trì
|
Thời gian
|
|
7
|
Ban hành Quy chế Phối hợp tìm kiếm, cứu nạn trên
biển
|
Sở Xây dựng
|
Sau khi có Quy chế
của TW
|
….................................
|
2
|
Thành lập bộ máy quản lý Quỹ Phòng thủ dân sự cấp tỉnh
|
Sở Tài chính
|
2025
|
|
3
|
Tiếp nhận và duy trì Hệ thống Tổng đài 112
|
Bộ CHQS tỉnh
|
2025
|
"""


def test_a_cell_of_dots_for_rows_left_out_ends_the_row() -> None:
    rows = [[cell.text for cell in row] for row in page_from_markdown(ELIDED).tables[0].rows]
    assert rows[1] == [
        "7",
        "Ban hành Quy chế Phối hợp tìm kiếm, cứu nạn trên biển",
        "Sở Xây dựng",
        "Sau khi có Quy chế của TW",
    ]
    assert rows[2] == ["2", "Thành lập bộ máy quản lý Quỹ Phòng thủ dân sự cấp tỉnh", "Sở Tài chính", "2025"]
    assert rows[3][0] == "3" and len(rows) == 4
