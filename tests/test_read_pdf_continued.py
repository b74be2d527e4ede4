"""A task table of a text-layer PDF cut by page breaks is read as one table.

The fixture is three pages of the annex task table of a plan (corpus 055, a DOCX, printed to
PDF by LibreOffice): the header row is printed again on every page; task 5's second sub-row
(its number and task cells merged down) is cut by the first break, so its deadline
("Trước ngày 05 của" / "tháng liền kề") and cooperating bodies ("Văn phòng UBND" / "tỉnh; Sở Tư
pháp; ...") run on to the next page; task 7 is cut by the second break.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.extract.plan_deadlines import make_deadline_parser
from pipeline.extract.plan_tables import table_tasks
from pipeline.model import Cell, Line, Page, Table
from pipeline.read.pdf import join_page_tables, read_pdf

FIXTURE = Path(__file__).parent / "fixtures" / "task_table_page_breaks.pdf"


def test_rows_cut_by_page_breaks_are_whole_again() -> None:
    doc = read_pdf(FIXTURE)
    assert [len(page.tables) for page in doc.pages] == [1, 0, 0]
    assert doc.pages[0].tables[0].continued_pages == 2
    tasks = table_tasks(doc, make_deadline_parser(2026))
    assert [task.section_path[-1] for task in tasks] == ["5", "5", "6", "7", "8", "09"]
    # each row's evidence on the page its words are printed (the sub-row shares its task's)
    assert [task.evidence.page if task.evidence else None for task in tasks] == [1, 1, 2, 2, 3, 3]
    second = tasks[1]  # cut by the first break
    assert second.deadline is not None and second.deadline.text == "Trước ngày 05 của tháng liền kề"
    assert second.lead == ["Sở Nội vụ"]
    assert second.cooperating == [
        "Văn phòng UBND tỉnh",
        "Sở Tư pháp",
        "Sở Tài chính",
        "Sở Khoa học và Công nghệ",
    ]
    seventh = tasks[3]  # cut by the second break
    assert seventh.text.endswith("phường, đặc khu trên địa bàn tỉnh")
    assert seventh.cooperating == [
        "Văn phòng UBND tỉnh",
        "Sở Tài nguyên và Môi trường",
        "UBND các xã, phường, đặc khu",
    ]
    assert seventh.deadline is not None and seventh.deadline.text == "Trước ngày 05 của tháng liền kề"


HEADER = [Cell("STT"), Cell("Nhiệm vụ"), Cell("Cơ quan chủ trì"), Cell("Thời gian hoàn thành")]


def _page(number: int, table: Table, lines: list[Line]) -> Page:
    return Page(number=number, lines=lines, tables=[table], width=595, height=842)


def test_a_table_closed_by_text_below_it_is_not_continued() -> None:
    first = Table(
        rows=[HEADER, [Cell("1"), Cell("Xây dựng đề án"), Cell("Sở Nội vụ"), Cell("2026")]],
        top=100,
        bottom=400,
    )
    second = Table(
        rows=[[Cell(""), Cell("Tổ chức tập huấn"), Cell("Sở Tư pháp"), Cell("2027")]], top=80, bottom=300
    )
    below = Line("Các sở, ngành triển khai thực hiện kế hoạch này.", x0=60, top=420, x1=500, bottom=432)
    pages = [_page(1, first, [below]), _page(2, second, [])]
    join_page_tables(pages)
    assert len(pages[1].tables) == 1 and len(first.rows) == 2


def test_a_table_with_a_header_of_its_own_is_a_new_table() -> None:
    first = Table(
        rows=[HEADER, [Cell("1"), Cell("Xây dựng đề án"), Cell("Sở Nội vụ"), Cell("2026")]],
        top=100,
        bottom=800,
    )
    other = [Cell("TT"), Cell("Nội dung"), Cell("Đơn vị chủ trì"), Cell("Thời hạn")]
    second = Table(
        rows=[other, [Cell("1"), Cell("Tổ chức tập huấn"), Cell("Sở Tư pháp"), Cell("2027")]],
        top=80,
        bottom=300,
    )
    pages = [_page(1, first, []), _page(2, second, [])]
    join_page_tables(pages)
    assert len(pages[1].tables) == 1 and len(first.rows) == 2
