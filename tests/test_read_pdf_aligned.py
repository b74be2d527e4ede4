"""A task table printed without ruling lines, read from where its words stand.

The fixture is the first two pages of the annex task table of a plan (corpus 055, a DOCX) with
the table's borders taken away, printed to PDF by LibreOffice: no rule on the page; cells set
at their vertical centre (the number "1" in the middle of its row); a long cell text
justified; group rows "I Cải cách thể chế", "II Cải cách thủ tục hành chính" (the second on
two lines around its numeral); the header printed again on the second page.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.extract.plan_deadlines import make_deadline_parser
from pipeline.extract.plan_tables import table_tasks
from pipeline.read.pdf import read_pdf
from pipeline.read.pdf_aligned import Word, _boundaries, _Column
from pipeline.record.models import Task

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = FIXTURES / "task_table_unruled.pdf"


def test_unruled_task_table_is_read_row_by_row() -> None:
    doc = read_pdf(FIXTURE)
    assert [len(page.tables) for page in doc.pages] == [1, 0]  # one table, over the page break
    tasks = table_tasks(doc, make_deadline_parser(2026))
    assert [task.section_path for task in tasks] == [
        ["I. Cải cách thể chế", "1"],
        ["I. Cải cách thể chế", "2"],
        ["I. Cải cách thể chế", "3"],
        ["I. Cải cách thể chế", "4"],
        ["II. Cải cách thủ tục hành\nchính", "1"],
    ]
    assert [task.text[:40] for task in tasks] == [
        "Thực hiện việc đăng tải, cập nhật văn bả",
        "Định kỳ thực hiện việc công bố danh mục ",
        "Thường xuyên kiểm tra, rà soát, hệ thống",
        "Tham mưu UBND tỉnh triển khai ứng dụng A",
        "Kiểm soát, thẩm định chặt chẽ các nội du",
    ]
    assert [task.lead for task in tasks[:4]] == [
        ["Sở Tư pháp"],
        ["Sở Tư pháp", "UBND các xã, phường, đặc khu"],
        ["Sở Tư pháp", "các cơ quan, đơn vị, địa phương"],
        ["Sở Tư pháp"],
    ]
    assert [task.cooperating for task in tasks[:4]] == [
        [],
        [],
        ["Các cơ quan, đơn vị, địa phương"],
        ["Sở Khoa học và Công nghệ"],
    ]
    assert [task.deadline.text if task.deadline else None for task in tasks[1:4]] == [
        "Trước ngày 31/01 năm liền kề",
        "Hằng năm",
        "Năm 2026",
    ]


def test_column_boundary_is_the_gutter_every_line_keeps_clear() -> None:
    # two columns whose header words are centred over them; justified words of the left
    # column run close to the right one, one long word of the right column starts early
    header = [_Column(100, 150, []), _Column(300, 340, [])]
    body = [
        Word("Thực", 60, 90, 10, 20),
        Word("hiện", 150, 230, 10, 20),
        Word("Sở", 250, 262, 10, 20),
        Word("Tư", 265, 280, 10, 20),
        Word("nhiệm", 60, 236, 30, 40),
        Word("Ủy", 244, 330, 30, 40),
    ]
    (edge,) = _boundaries(header, body)
    assert 236 < edge < 244


# Task tables printed without borders from a word processor (LibreOffice's print of a DOCX
# plan with the table's borders taken away), one excerpt per class of problem.


def _tasks(name: str) -> list[Task]:
    return table_tasks(read_pdf(FIXTURES / name), make_deadline_parser(2026))


def test_header_cells_whose_stacked_lines_stagger_stay_apart() -> None:
    # "Trách / nhiệm / thực hiện" and "Thời gian / (Năm / 2026)" are set at their vertical
    # centre, so "nhiệm" stands a few points above "TT" and "Nội dung": the header is still
    # four cells, and the table (over two pages) ends at the numbered heading and the
    # paragraph after it, which run across the columns by word spaces
    tasks = _tasks("task_table_unruled_staggered_header.pdf")
    assert [task.section_path for task in tasks] == [[str(n)] for n in range(1, 11)]
    assert tasks[0].lead == ["Lãnh đạo UBND phường Xuân Hương - Đà Lạt"]
    assert tasks[-1].lead == ["Lãnh đạo UBND xã Hòa Ninh"]
    assert tasks[-1].deadline is not None
    assert tasks[-1].deadline.text == "Từ 20 giờ 15 phút - 20 giờ 45 phút ngày 25 tháng 12"


def test_sub_rows_under_one_number_and_the_rest_of_a_row_cut_by_the_page_break() -> None:
    # Under number 2, a task cell merged over two sub-rows, each with its own product, lead
    # and deadline (the first sub-row's cells centred, the second's opening level with each
    # other); above it, the last lines of the row before, cut by the page break ("và tổ
    # chức thực hiện", no white space before the next row's deadline "Ban hành ...")
    tasks = _tasks("task_table_unruled_sub_rows.pdf")
    assert [task.section_path for task in tasks[:3]] == [["2"], ["2"], ["3"]]
    assert tasks[0].text == tasks[1].text
    assert tasks[0].text.startswith("Tham mưu ban hành Kế hoạch kiểm tra")
    assert [task.lead for task in tasks[:2]] == [["Sở Nội vụ"], ["Các cơ quan, đơn vị, địa phương"]]
    assert [task.cooperating for task in tasks[:2]] == [["Các cơ quan, đơn vị, địa phương"], []]
    deadlines = [task.deadline.text if task.deadline else "" for task in tasks[:3]]
    assert deadlines[0] == "Ban hành kế hoạch trong tháng 01 hằng năm và tổ chức thực hiện"
    assert deadlines[1].startswith("Ban hành kế hoạch trong tháng 01 hằng năm; tổ chức kiểm tra")
    assert deadlines[2].startswith("Ban hành kế hoạch")  # the row above's rest is not its own


def test_cell_merged_across_the_lead_and_cooperating_columns_is_one_cell() -> None:
    # "Theo phân công tại Phương án số 7178/PA-UBND ngày 14/11/2025 của UBND tỉnh", justified
    # over the lead and cooperating columns: one lead, no cooperating body
    tasks = _tasks("task_table_unruled_merged_across.pdf")
    merged = next(task for task in tasks if task.text.startswith("Tiếp tục tổ chức thực hiện Phương án"))
    assert merged.lead == ["Theo phân công tại Phương án số 7178/PA-UBND ngày 14/11/2025 của UBND tỉnh"]
    assert merged.cooperating == []
    # the row above it opens with its own task, not with the end of the row cut by the break
    assert tasks[0].text.startswith("Rà soát, đảm bảo cơ cấu số lượng lãnh đạo")


def test_row_opening_right_under_the_rest_of_a_row_cut_by_the_page_break() -> None:
    # On the second page, the last lines of task 6 ("... quyết thủ tục hành chính.") and task
    # 7 ("7 Có giải pháp giảm tỷ lệ trễ hẹn ...") follow each other at the line pitch
    tasks = _tasks("task_table_unruled_rows_touching.pdf")
    assert [task.section_path for task in tasks] == [["6"], ["7"]]
    assert tasks[1].text.startswith("Có giải pháp giảm tỷ lệ trễ hẹn")
    assert "Tuyệt đối không để xảy ra" in tasks[0].text


def test_short_name_centred_over_a_gutter_goes_whole_to_its_column() -> None:
    # "Sở Nội vụ", centred in the cooperating column, runs a word past the gutter found from
    # the header ("Sở Nội | vụ"); the group row "VII Công tác chỉ đạo, điều hành CCHC" opens
    # right under the last lines of task 12 ("khả năng triển khai đồng bộ, hiệu quả.")
    tasks = _tasks("task_table_unruled_name_over_gutter.pdf")
    last = tasks[-1]
    assert last.text.startswith("Xây dựng và tổ chức thực hiện Kế hoạch cải cách hành chính")
    assert last.cooperating == ["Sở Nội vụ"]
    assert last.section_path == ["VII. Công tác chỉ đạo, điều\nhành CCHC", "1"]


def test_number_and_task_centred_over_sub_rows_whose_cells_are_centred_too() -> None:
    # Two pages of the same plan's table: row 3's number and task cell are set in the middle of
    # its two sub-rows, across their boundary, and each sub-row's product, lead and follow-up
    # cells are centred in it (no two open level); the deadline column fills both sub-rows,
    # "... và tổ chức thực hiện." / "Ban hành kế hoạch ...": the sub-rows part there.
    tasks = _tasks("task_table_unruled_centred_over_sub_rows.pdf")
    third = [task for task in tasks if task.section_path == ["3"]]
    assert len(third) == 2 and third[0].text == third[1].text
    assert third[0].text.startswith("Tham mưu ban hành Kế hoạch tuyên truyền")
    assert [(task.lead, task.cooperating) for task in third] == [
        (["Sở Nội vụ"], ["Các cơ quan, đơn vị, địa phương"]),
        (["Các cơ quan, đơn vị, địa phương"], []),
    ]
    deadlines = [task.deadline.text if task.deadline else "" for task in third]
    assert deadlines == ["Ban hành kế hoạch trong tháng 01 hằng năm và tổ chức thực hiện"] * 2
    fifth = [task for task in tasks if task.section_path == ["5"]]
    assert [task.lead for task in fifth] == [["Các cơ quan, đơn vị, địa phương"], ["Sở Nội vụ"]]
