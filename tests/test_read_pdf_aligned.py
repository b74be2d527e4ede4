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

FIXTURE = Path(__file__).parent / "fixtures" / "task_table_unruled.pdf"


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
