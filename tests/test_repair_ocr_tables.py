"""Ruled tables on scanned pages: the grid found in the image, and a real scanned annex end to end."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from pipeline.extract.plan_deadlines import make_deadline_parser
from pipeline.extract.plan_tables import table_tasks
from pipeline.model import Cell, Document, Page, Table
from pipeline.record.models import Task
from pipeline.repair import ocr_tables, tesseract

needs_tesseract = pytest.mark.skipif(
    tesseract.tesseract_problem() is not None, reason="tesseract with vie missing"
)

DPI = 300


def ruled_page(xs: list[int], ys: list[int], *, skip_vertical: tuple[int, int] | None = None) -> np.ndarray:
    """A white page with a ruled grid; ``skip_vertical`` (row, rule) leaves one segment out."""
    image = Image.new("L", (2400, 1800), 255)
    draw = ImageDraw.Draw(image)
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
    for j, x in enumerate(xs):
        for i in range(len(ys) - 1):
            if skip_vertical == (i, j):
                continue
            draw.line([(x, ys[i]), (x, ys[i + 1])], fill=0, width=3)
    draw.text((xs[0] + 20, ys[0] + 20), "STT", fill=0)  # a little text must not disturb the grid
    return np.asarray(image)


XS = [200, 500, 1400, 2100]  # 3 columns
YS = [300, 500, 800, 1100, 1500]  # 4 rows


def test_grid_of_four_rows_and_three_columns() -> None:
    grid = ocr_tables.find_grid(ruled_page(XS, YS), DPI)
    assert grid is not None
    assert grid.shape == (4, 3)
    assert all(abs(a - b) <= 3 for a, b in zip(grid.xs, XS, strict=True))
    assert all(abs(a - b) <= 3 for a, b in zip(grid.ys, YS, strict=True))
    cells = grid.cells()
    assert len(cells) == 12
    assert all(rowspan == colspan == 1 for _, _, rowspan, colspan in cells)


def test_missing_vertical_segment_is_a_colspan() -> None:
    grid = ocr_tables.find_grid(ruled_page(XS, YS, skip_vertical=(1, 2)), DPI)
    assert grid is not None and grid.shape == (4, 3)
    cells = grid.cells()
    assert (1, 1, 1, 2) in cells  # row 1: columns 1 and 2 merged
    assert len(cells) == 11


def test_missing_horizontal_segment_is_a_rowspan() -> None:
    image = ruled_page(XS, YS).copy()
    image[YS[2] - 4 : YS[2] + 5, XS[0] + 5 : XS[1] - 5] = 255  # rule under row 1, column 0 erased
    grid = ocr_tables.find_grid(image, DPI)
    assert grid is not None and grid.shape == (4, 3)
    assert (1, 0, 2, 1) in grid.cells()


def test_text_page_and_small_grid_give_no_table() -> None:
    image = Image.new("L", (2400, 1800), 255)
    draw = ImageDraw.Draw(image)
    for k in range(30):
        draw.text((200, 100 + 50 * k), "Điều 1. Phê duyệt Kế hoạch hành động quốc gia " * 3, fill=0)
    draw.line([(200, 1700), (800, 1700)], fill=0, width=3)  # a signature underline
    assert ocr_tables.find_grid(np.asarray(image), DPI) is None
    assert ocr_tables.find_grid(ruled_page(XS[:3], YS[:3]), DPI) is None  # 2 x 2


def test_two_tables_stacked_on_a_page_stay_apart() -> None:
    image = Image.new("L", (2400, 3000), 255)
    image.paste(Image.fromarray(ruled_page(XS, YS)).crop((0, 0, 2400, 1600)), (0, 0))
    image.paste(Image.fromarray(ruled_page(XS, YS)).crop((0, 200, 2400, 1600)), (0, 1500))
    image.paste(255, (0, 0, 40, 3000))  # a dark scan border at the left edge is no rule
    ImageDraw.Draw(image).rectangle((0, 0, 15, 3000), fill=0)
    grids = ocr_tables.find_grids(np.asarray(image), DPI)
    assert [grid.shape for grid in grids] == [(4, 3), (4, 3)]
    assert grids[0].ys[-1] < grids[1].ys[0]


def test_continued_table_is_joined_to_the_page_before() -> None:
    header = [Cell("STT"), Cell("Nhiệm vụ"), Cell("Cơ quan chủ trì"), Cell("Thời gian hoàn thành")]
    first = Table(rows=[header, [Cell("1."), Cell("Xây dựng đề án"), Cell("Bộ Tư pháp"), Cell("2026")]])
    second = Table(rows=[[Cell("2."), Cell("Tổ chức tập huấn"), Cell("Bộ Nội vụ"), Cell("2027")]])
    pages = [Page(number=1, tables=[first], origin="ocr"), Page(number=2, tables=[second], origin="ocr")]
    ocr_tables.join_continued_tables(pages)
    assert len(pages[0].tables[0].rows) == 3 and not pages[1].tables


def test_rule_bits_and_misread_numbers_are_cleaned() -> None:
    assert ocr_tables._clean("| Hoàn thiện khuôn khổ _") == "Hoàn thiện khuôn khổ"
    assert ocr_tables._clean_number("I,") == "I."
    row = [Cell("1"), Cell("Hoàn thiện khuôn khổ pháp lý", colspan=5)]
    ocr_tables._roman_group_number(row, 6)
    assert row[0].text == "I."


@pytest.mark.slow
@needs_tesseract
def test_annex_task_table_of_a_scanned_decision_is_read(corpus_docs: Path) -> None:
    """End-to-end OCR of a real scanned decision with its plan and a ruled annex of tasks: the
    annex's grid is found from page 5 on, the prose pages before it have no table."""
    from tests.test_repair_ocr import repaired

    doc = repaired(corpus_docs / "006.pdf")
    tables = [(page.number, table) for page in doc.pages for table in page.tables]
    assert tables
    number, table = max(tables, key=lambda item: len(item[1].rows))
    assert number >= 5  # the Phụ lục starts on page 5
    assert len(table.rows) >= 40
    header = " ".join(cell.text for cell in table.rows[0])
    assert "STT" in header and "chủ trì" in header
    assert not any(page.tables for page in doc.pages[:4])  # Quyết định and Kế hoạch: prose only


def _runs_by_hand(ink: np.ndarray, length: int) -> np.ndarray:
    """Each row's maximal runs of ink, kept when at least ``length`` long."""
    found = np.zeros(ink.shape, dtype=bool)
    for y, row in enumerate(ink.tolist()):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            end = x
            while end < len(row) and row[end]:
                end += 1
            if end - x >= length:
                found[y, x:end] = True
            x = end
    return found


def test_rule_runs_are_the_runs_of_at_least_the_length_up_to_the_borders() -> None:
    rng = np.random.default_rng(7)
    ink = rng.random((70, 300)) < 0.9  # long and short runs, some touching either border
    ink[3, :] = True  # a run the width of the image
    ink[4, :299] = True  # one pixel short of it, from the left border
    ink[4, 299] = False
    for length in (1, 2, 7, 8, 75, 76, 299, 300, 301):
        assert np.array_equal(ocr_tables._runs_at_least(ink, length), _runs_by_hand(ink, length)), length
    transposed = ink.T  # vertical rules are found on a transposed view
    assert np.array_equal(ocr_tables._runs_at_least(transposed, 8), _runs_by_hand(transposed, 8))


# --- task rows a scan prints without rules between them (excerpts of a scanned plan's annex) ----------

HEADER = [
    Cell("STT"),
    Cell("Nhiệm vụ"),
    Cell("Cơ quan chủ trì"),
    Cell("Cơ quan phối hợp"),
    Cell("Thời gian hoàn thành"),
]


def _cell(lines: list[tuple[float, str]]) -> Cell:
    """A cell as the scan reader gives it: its lines and where each line's top is on the page."""
    return Cell("\n".join(text for _, text in lines), line_tops=[top for top, _ in lines])


def _tasks(*tables: Table) -> list[Task]:
    pages = [Page(number=n, tables=[table], origin="ocr") for n, table in enumerate(tables, start=1)]
    ocr_tables.join_continued_tables(pages)
    doc = Document(path="scan.pdf", format="pdf", pages=pages)
    return table_tasks(doc, make_deadline_parser(2026))


# Three tasks as dash items of one cell, each with its lead printed level with it; the
# cooperating bodies and the deadline printed once, level with the first, are all three's.
def items() -> Cell:
    return _cell(
        [
            (400, "- Thực hiện các bước để trở thành thành viên"),
            (414, "của Nhóm Đơn vị Tình báo Tài chính."),
            (440, "- Tăng cường ký bản ghi nhớ trao đổi thông"),
            (454, "tin (MOU) về PCRT/TTKB với các Đơn vị."),
            (480, "- Tăng cường ký kết Hiệp định tương trợ tư"),
            (494, "pháp, dẫn độ với các quốc gia khác."),
        ]
    )


def leads() -> Cell:
    return _cell(
        [
            (400, "Ngân hàng Nhà"),
            (414, "nước Việt Nam"),
            (441, "Ngân hàng Nhà"),
            (455, "nước Việt Nam"),
            (481, "Bộ Công an;"),
            (495, "Viện kiểm sát nhân"),
            (509, "dân tối cao"),
        ]
    )


def shared() -> Cell:
    return _cell([(400, "Thanh tra Chính phủ;"), (414, "Bộ Xây dựng")])


def test_items_with_their_own_leads_are_tasks_of_their_own() -> None:
    table = Table(rows=[HEADER, [Cell("2"), items(), leads(), shared(), _cell([(400, "Liên tục")])]])
    tasks = _tasks(table)
    assert [task.text[:30] for task in tasks] == [
        "Thực hiện các bước để trở thàn",
        "Tăng cường ký bản ghi nhớ trao",
        "Tăng cường ký kết Hiệp định tư",
    ]
    assert [task.lead for task in tasks] == [
        ["Ngân hàng Nhà nước Việt Nam"],
        ["Ngân hàng Nhà nước Việt Nam"],
        ["Bộ Công an", "Viện kiểm sát nhân dân tối cao"],
    ]
    assert all(task.cooperating == ["Thanh tra Chính phủ", "Bộ Xây dựng"] for task in tasks)
    assert all(task.deadline is not None and task.deadline.text == "Liên tục" for task in tasks)


def test_items_completing_the_cells_opening_words_keep_them() -> None:
    opening = _cell(
        [
            (400, "Thiết lập cơ chế phối hợp giữa:"),
            (414, "- Bộ Công an và Viện kiểm sát nhân dân tối"),
            (428, "cao."),
            (456, "- Bộ Công an và Bộ Tài chính trong việc phối"),
            (470, "hợp điều tra."),
        ]
    )
    own_leads = _cell(
        [(414, "Bộ Công an;"), (428, "Bộ Tư pháp"), (456, "Bộ Công an;"), (470, "Bộ Tài chính")]
    )
    cooperating = _cell([(414, "Ngân hàng Nhà nước Việt Nam"), (456, "Bộ Ngoại giao")])
    table = Table(rows=[HEADER, [Cell("7"), opening, own_leads, cooperating, _cell([(400, "Liên tục")])]])
    tasks = _tasks(table)
    assert [task.text for task in tasks] == [
        "Thiết lập cơ chế phối hợp giữa: Bộ Công an và Viện kiểm sát nhân dân tối cao.",
        "Thiết lập cơ chế phối hợp giữa: Bộ Công an và Bộ Tài chính trong việc phối hợp điều tra.",
    ]
    assert [task.lead for task in tasks] == [["Bộ Công an", "Bộ Tư pháp"], ["Bộ Công an", "Bộ Tài chính"]]
    assert [task.cooperating for task in tasks] == [["Ngân hàng Nhà nước Việt Nam"], ["Bộ Ngoại giao"]]


def test_one_list_running_past_an_items_top_is_not_cut_there() -> None:
    # the bodies of one list, line after line, beside two items: one task (the items are
    # parts of it), not the list cut where the second item begins
    leads = _cell([(400, "Ngân hàng Nhà"), (414, "nước Việt Nam;"), (428, "Bộ Công an")])
    cooperating = _cell(
        [(400, "Bộ Tư pháp;"), (414, "Bộ Quốc phòng;"), (428, "Bộ Tài chính;"), (442, "Bộ Xây dựng")]
    )
    items = _cell(
        [
            (400, "- Nghiên cứu, đề xuất sửa đổi Luật Phòng, chống rửa"),
            (414, "tiền và các văn bản hướng dẫn."),
            (428, "- Nghiên cứu, đề xuất sửa đổi Luật Phòng, chống khủng bố."),
        ]
    )
    table = Table(rows=[HEADER, [Cell("2"), items, leads, cooperating, _cell([(400, "12/2027")])]])
    tasks = _tasks(table)
    assert len(tasks) == 1
    assert tasks[0].lead == ["Ngân hàng Nhà nước Việt Nam", "Bộ Công an"]
    assert len(tasks[0].cooperating) == 4


def test_the_end_of_a_name_level_with_an_item_does_not_cut_the_list() -> None:
    # the last body's name wraps, after a gap, to the height of the second item
    leads = _cell([(400, "Thanh tra Chính phủ;"), (414, "Bộ Văn hóa, Thể thao và"), (442, "Du lịch")])
    items = _cell(
        [
            (400, "- Rà soát khuôn khổ pháp luật về thanh tra,"),
            (414, "kiểm tra, giám sát."),
            (442, "- Đề xuất sửa đổi các quy định còn thiếu."),
        ]
    )
    table = Table(rows=[HEADER, [Cell("4"), items, leads, shared(), _cell([(400, "12/2027")])]])
    tasks = _tasks(table)
    assert len(tasks) == 1
    assert tasks[0].lead == ["Thanh tra Chính phủ", "Bộ Văn hóa, Thể thao và Du lịch"]


def test_items_sharing_one_lead_stay_one_task() -> None:
    one_lead = _cell([(400, "Bộ Công an")])
    table = Table(rows=[HEADER, [Cell("2"), items(), one_lead, shared(), _cell([(400, "Liên tục")])]])
    tasks = _tasks(table)
    assert len(tasks) == 1 and tasks[0].lead == ["Bộ Công an"]


def test_row_cut_by_the_page_break_keeps_the_cells_merged_above_it() -> None:
    first = Table(rows=[HEADER, [Cell("2"), items(), leads(), shared(), _cell([(400, "Liên tục")])]])
    # next page: one more item of row 2, its own lead; the shared cells are blank under the break
    cut = [
        Cell(""),
        _cell([(80, "- Tăng cường ký kết thỏa thuận quốc tế về thanh tra.")]),
        _cell([(80, "Bộ Tư pháp")]),
        Cell(""),
        Cell(""),
    ]
    second = Table(
        rows=[cut, [Cell("3"), Cell("Phát triển Bộ Công cụ"), Cell("Bộ Tài chính"), Cell(""), Cell("2027")]]
    )
    tasks = _tasks(first, second)
    assert len(tasks) == 5
    assert tasks[3].text.startswith("Tăng cường ký kết thỏa thuận") and tasks[3].lead == ["Bộ Tư pháp"]
    assert tasks[3].cooperating == ["Thanh tra Chính phủ", "Bộ Xây dựng"]
    assert tasks[3].deadline is not None and tasks[3].deadline.text == "Liên tục"
    assert tasks[4].lead == ["Bộ Tài chính"] and tasks[4].cooperating == []


def test_rows_under_a_number_cell_merged_over_the_break_are_tasks_of_that_number() -> None:
    first = Table(
        rows=[
            HEADER,
            [Cell("4"), Cell("Rà soát văn bản quy phạm"), Cell("Bộ Tài chính"), Cell(""), Cell("6/2027")],
        ]
    )
    # the number cell goes on, empty, over two rows of the next page: two more tasks of row 4
    second = Table(
        rows=[
            [
                Cell("", rowspan=2),
                Cell("Rà soát sửa đổi quy định về tổ chức phi lợi nhuận"),
                Cell("Bộ Nội vụ"),
                Cell(""),
                Cell("6/2027"),
            ],
            [
                Cell("Rà soát khuôn khổ pháp luật về thanh tra"),
                Cell("Thanh tra Chính phủ"),
                Cell(""),
                Cell("12/2027"),
            ],
            [Cell("5"), Cell("Nghiên cứu xây dựng Nghị định"), Cell("Bộ Công an"), Cell(""), Cell("2028")],
        ]
    )
    tasks = _tasks(first, second)
    assert [(task.section_path[-1], task.lead) for task in tasks] == [
        ("4", ["Bộ Tài chính"]),
        ("4", ["Bộ Nội vụ"]),
        ("4", ["Thanh tra Chính phủ"]),
        ("5", ["Bộ Công an"]),
    ]
    assert tasks[1].text.startswith("Rà soát sửa đổi quy định")


def test_a_row_cut_by_the_break_goes_on_in_the_cells_above_without_the_specks() -> None:
    first = Table(
        rows=[
            HEADER,
            [
                Cell("1"),
                Cell("Tiếp nhận và xử lý kịp thời, hiệu quả các yêu cầu tương trợ tư pháp,"),
                Cell("Bộ Công an"),
                Cell(""),
                Cell("12/2027"),
            ],
        ]
    )
    # the rest of the task's words; a seal's specks in the deadline cell
    second = Table(
        rows=[
            [Cell(""), Cell("dẫn độ do nước ngoài gửi đến."), Cell("Bộ Tư pháp"), Cell(""), Cell(",\n>")],
            [Cell("2"), Cell("Tăng số lượng yêu cầu gửi đi"), Cell("Bộ Công an"), Cell(""), Cell("Liên tục")],
        ]
    )
    tasks = _tasks(first, second)
    assert len(tasks) == 2
    assert tasks[0].text.endswith("tương trợ tư pháp, dẫn độ do nước ngoài gửi đến.")
    assert tasks[0].lead == ["Bộ Công an", "Bộ Tư pháp"]
    assert tasks[0].deadline is not None and tasks[0].deadline.text == "12/2027"


def test_a_task_opening_after_the_task_above_has_ended_is_its_own_task() -> None:
    first = Table(
        rows=[
            HEADER,
            [
                Cell("5"),
                Cell("Thực hiện thanh tra đối với tổ chức phi lợi nhuận."),
                Cell("Thanh tra Chính phủ"),
                Cell(""),
                Cell("Liên tục"),
            ],
        ]
    )
    second = Table(
        rows=[
            [
                Cell(""),
                Cell("Đào tạo, tuyên truyền cho các tổ chức phi lợi nhuận."),
                Cell("Bộ Nội vụ"),
                Cell("Bộ Công an"),
                Cell(""),
            ],
            [
                Cell("6"),
                Cell("Tăng cường năng lực cho cơ quan đầu mối"),
                Cell("Bộ Quốc phòng"),
                Cell(""),
                Cell("2027"),
            ],
        ]
    )
    tasks = _tasks(first, second)
    assert [(task.text[:20], task.lead, task.cooperating) for task in tasks] == [
        ("Thực hiện thanh tra ", ["Thanh tra Chính phủ"], []),
        ("Đào tạo, tuyên truyề", ["Bộ Nội vụ"], ["Bộ Công an"]),
        ("Tăng cường năng lực ", ["Bộ Quốc phòng"], []),
    ]
    assert tasks[1].deadline is None  # its own cell, left blank


def test_a_scans_slips_in_a_bodys_name_are_read_as_the_gazetteer_spells_it() -> None:
    table = Table(
        rows=[
            HEADER,
            [
                Cell("1"),
                Cell("Thực hiện tuyên truyền, phổ biến pháp luật"),
                Cell("Bộ Công an;\nBô Ouốc phòng"),
                Cell("Viện kiêm sát nhân dân tối cao"),
                Cell("Liên tục"),
            ],
        ]
    )
    (task,) = _tasks(table)
    assert task.lead == ["Bộ Công an", "Bộ Quốc phòng"]
    assert task.cooperating == ["Viện kiểm sát nhân dân tối cao"]


def test_upright_rule_runs_and_thickening_are_the_pixels_done_by_hand() -> None:
    rng = np.random.default_rng(11)
    ink = rng.random((300, 70)) < 0.9
    ink[:, 3] = True  # a run the height of the image
    for length in (1, 8, 75, 300, 301):
        upright = ocr_tables._runs_at_least(ink, length, axis=0)
        assert np.array_equal(upright.T, _runs_by_hand(ink.T, length)), length
    sparse = rng.random((40, 50)) < 0.05
    for axis in (0, 1):
        by_hand = sparse.copy()
        for shift in (1, 2):  # every pixel within two of an inked one along the axis
            if axis == 0:
                by_hand[shift:] |= sparse[:-shift]
                by_hand[:-shift] |= sparse[shift:]
            else:
                by_hand[:, shift:] |= sparse[:, :-shift]
                by_hand[:, :-shift] |= sparse[:, shift:]
        assert np.array_equal(ocr_tables._thicken(sparse, 2, axis), by_hand), axis


def test_the_grey_paper_of_a_scan_is_white_in_the_cells_mosaic() -> None:
    page = np.full((1800, 2400), 215, dtype=np.uint8)
    ruled = ruled_page(XS, YS)
    page[ruled < 128] = 0
    page[560:600, 250:290] = 40  # a row number's ink in cell (1, 0)
    grid = ocr_tables.find_grid(page, DPI)
    assert grid is not None
    mosaic, slots = ocr_tables._mosaic(page, grid, grid.cells())
    filled = mosaic[slots[3].top : slots[3].bottom]  # cell (1, 0)
    assert filled.min() <= 40
    assert set(np.unique(filled).tolist()) <= {40, 255}  # ink and white: no grey box to frame it


@needs_tesseract
def test_row_numbers_and_header_of_a_scanned_table_on_grey_paper(tmp_path: Path) -> None:
    """An excerpt of a scanned annex table (a desk scanner's grey paper): the lone row numbers
    are read, so the first column is the number column."""
    from pipeline.nlp.task_columns import find_header

    image = tmp_path / "page.png"
    image.write_bytes((Path(__file__).parent / "fixtures" / "scan_table_grey_paper.png").read_bytes())
    tables = ocr_tables.read_tables(image, DPI)
    assert len(tables) == 1
    rows = [[cell.text for cell in row] for row in tables[0].rows]
    assert rows[0][1:] == ["Đơn vị được kiểm tra", "Thời gian kiểm tra"]
    assert [row[0] for row in rows[2:]] == ["1", "2"]
    assert rows[3][1:] == ["Sở Xây dựng", "Tháng 7/2026"]
    found = find_header(tables[0])
    assert found is not None and found[1] == {0: "number", 1: "text", 2: "deadline"}


def test_a_bold_headers_letter_tops_in_a_narrow_column_cut_no_row() -> None:
    """The joined tops of "TT" centred in a narrow number column cover most of it, as a rule
    segment would; they reach neither column rule, so the header row stays one row (it was cut
    in two, and the header lost its number cell)."""
    xs = [200, 340, 1400, 2100]
    image = Image.fromarray(ruled_page(xs, YS))
    ImageDraw.Draw(image).rectangle([(225, 380), (315, 386)], fill=0)
    grid = ocr_tables.find_grid(np.asarray(image), DPI)
    assert grid is not None
    assert grid.shape == (4, 3)
    assert all(abs(a - b) <= 3 for a, b in zip(grid.ys, YS, strict=True))


@needs_tesseract
def test_lone_row_numbers_lost_in_the_mosaic_are_read_side_by_side(tmp_path: Path) -> None:
    """A scanned annex table (bilevel excerpt): the bold group number "I", alone in its cell
    between long cells, is lost in the cells' mosaic; read again in one line with the other
    number cells it is found (as "I" or a letter), so the group row is no task going on from
    the row above."""
    image = tmp_path / "page.png"
    image.write_bytes((Path(__file__).parent / "fixtures" / "scan_table_lone_numbers.png").read_bytes())
    tables = ocr_tables.read_tables(image, DPI)
    assert len(tables) == 1
    numbers = [row[0].text for row in tables[0].rows]
    assert numbers[1]  # the group row has a number of its own (read "I" or a letter)
    assert numbers[2:6] == ["1", "2", "3", "4"]
    assert numbers[7:] == [str(n) for n in range(1, 14)]


def _scanned_page(number: int, table: Table, top: float, lines: list[str]) -> Page:
    from pipeline.model import Line

    table.top = top
    found = [Line(text=text, top=10.0 + 14 * k, bottom=22.0 + 14 * k) for k, text in enumerate(lines)]
    return Page(number=number, tables=[table], origin="ocr", lines=found)


def test_a_table_printing_its_header_again_goes_on_over_the_break() -> None:
    """The header printed on every page, read a little differently by the scan ("thục hiệ"): the
    page's table goes on with the one above; the row cut by the break goes on in its cells. A
    table with the same header below a paragraph of its own is a new table."""
    header = [Cell("TT"), Cell("Nội dung"), Cell("Trách nhiệm\nthực hiện"), Cell("Thời gian")]
    again = [Cell("TT"), Cell("Nội dung"), Cell("Trách\nnhiệm\nthục hiệ"), Cell("Thời gian")]
    first = Table(
        rows=[
            header,
            [Cell("4"), Cell("Giải đáp vướng mắc"), Cell("Lãnh đạo UBND xã Đức Trọng"), Cell("Tháng 6")],
            [Cell("5"), Cell("Giải đáp vướng mắc của"), Cell("Lãnh đạo UBND xã"), Cell("Tháng 7")],
        ]
    )
    second = Table(
        rows=[
            again,
            [Cell(""), Cell("UBND xã Đinh Văn"), Cell("Đinh Văn"), Cell("")],
            [Cell("6"), Cell("Giải đáp vướng mắc"), Cell("Lãnh đạo UBND xã Bảo Lâm"), Cell("Tháng 8")],
        ]
    )
    pages = [_scanned_page(1, first, 40.0, ["1"]), _scanned_page(2, second, 40.0, ["2"])]
    ocr_tables.join_continued_tables(pages)
    assert not pages[1].tables
    rows = [[cell.text for cell in row] for row in pages[0].tables[0].rows]
    assert [row[0] for row in rows] == ["TT", "4", "5", "6"]
    assert rows[2][2] == "Lãnh đạo UBND xã\nĐinh Văn"

    third = Table(rows=[list(again), [Cell("1"), Cell("Giải đáp"), Cell("Sở Y tế"), Cell("Tháng 9")]])
    new = _scanned_page(3, third, 120.0, ["3", "Báo và Phát thanh, Truyền hình tỉnh chủ trì, cụ thể:"])
    before = _scanned_page(2, Table(rows=[list(header), list(first.rows[1])]), 40.0, ["2"])
    ocr_tables.join_continued_tables([before, new])
    assert new.tables == [third] and len(before.tables[0].rows) == 2


def test_row_numbers_misread_between_two_well_read_ones_are_mended() -> None:
    """A scanned national action plan's group numbers as Tesseract read them over three pages:
    "5" read "3" and "6" read "5" (or "b") between a "4" and a "7" hold 5 and 6; the last row's
    "8" read "k" has no number after it to pin it down and stays as read. Under a group row
    "II" the numbering starts again ("1, z, 3": the "2" read "z"; "5, 5, 7": the "6" read "5");
    "1, a, b, 2" (lettered rows) and sub-numbers are left alone."""
    header = [Cell("TT"), Cell("Mục tiêu"), Cell("Nội dung"), Cell("Cơ quan chủ trì"), Cell("Thời gian")]

    def row(number: str, text: str = "Đảm bảo") -> list[Cell]:
        return [Cell(number), Cell(text), Cell("Rà soát quy định"), Cell("Bộ Công an"), Cell("Liên tục")]

    for sixth in ("5", "b"):
        first = Table(rows=[header, row("4", "Hoàn thiện pháp luật")])
        second = Table(rows=[row("", "về tổ chức"), row("3"), row(sixth)])
        third = Table(rows=[row("7"), row("k")])
        pages = [_scanned_page(n, t, 40.0, [str(n)]) for n, t in ((1, first), (2, second), (3, third))]
        ocr_tables.join_continued_tables(pages)
        assert [r[0].text for r in pages[0].tables[0].rows] == ["TT", "4", "5", "6", "7", "k"]

    numbers = ["I", "1", "a", "b", "2", "II", "1", "z", "3", "2.1", "4", "5", "5", "7"]
    table = Table(rows=[header, *(row(number) for number in numbers)])
    ocr_tables.mend_row_numbers(table)
    mended = ["I", "1", "a", "b", "2", "II", "1", "2", "3", "2.1", "4", "5", "6", "7"]
    assert [r[0].text for r in table.rows[1:]] == mended

    # A row's number lost between "2" and "4": its own task, lead and deadline say it is one;
    # an empty number over the rest of a row (no lead, no deadline) is none.
    lost = Table(rows=[header, row("1"), row("2"), row(""), row("4"), row("5")])
    rest = [Cell(""), Cell("và tổ chức thực hiện"), Cell(""), Cell(""), Cell("")]
    lost.rows.insert(2, rest)
    ocr_tables.mend_row_numbers(lost)
    assert [r[0].text for r in lost.rows[1:]] == ["1", "", "2", "3", "4", "5"]


def test_a_scanned_deadline_cells_slash_and_eight_slips() -> None:
    # As Tesseract read two deadline cells of a scanned national plan: "Quý II/2026", "8/2027".
    assert ocr_tables._clean_number("Quý II/\u20442026") == "Quý II/2026"
    assert ocr_tables._clean_number("§/2027") == "8/2027"
    assert ocr_tables._clean_number("Liên tục\n§/2027") == "Liên tục\n8/2027"
    assert ocr_tables._clean_number("khoản 2 § 5") == "khoản 2 § 5"


def test_a_header_printed_again_whose_number_header_the_scan_lost_goes_on_over_the_break() -> None:
    """A scanned plan's header read "SII" on one page and with no "STT" at all on the next, whose
    two row numbers cannot show the number column: the same table all the same, and the row cut
    by the break ends its deadline ("chậm nhất" / "là ngày 31/12 năm trước") on the next page."""
    names = ["Nhiệm vụ", "Sản phẩm", "Thời gian\nhoàn\nthành", "Chủ trì\nthực\nhiện", "Phối hợp\nthực hiện"]
    first = Table(
        rows=[
            [Cell("SII"), *(Cell(name) for name in names)],
            [
                Cell("1"),
                Cell("Rà soát vị trí việc làm"),
                Cell("Hồ sơ"),
                Cell("Hằng năm"),
                Cell("Sở Nội vụ"),
                Cell(""),
            ],
            [
                Cell("2"),
                Cell("Thực hiện quy định"),
                Cell("Quyết định"),
                Cell("Hằng năm"),
                Cell("Sở Nội vụ"),
                Cell(""),
            ],
            [
                Cell("3"),
                Cell("Xây dựng Kế hoạch đào tạo, bồi dưỡng"),
                Cell("Kết quả đào tạo"),
                Cell("Ban hành\nkế hoạch\nchậm nhất"),
                Cell("Sở Nội vụ"),
                Cell("Các cơ\nquan, đơn\nvị liên"),
            ],
        ]
    )
    second = Table(
        rows=[
            [Cell(""), *(Cell(name) for name in names)],
            [
                Cell(""),
                Cell("cán bộ, công chức"),
                Cell("trong năm"),
                Cell("là ngày\n31/12 năm\ntrước"),
                Cell(""),
                Cell("quan"),
            ],
            [
                Cell("4"),
                Cell("Chấp hành kỷ luật"),
                Cell("Cán bộ"),
                Cell("Hằng năm"),
                Cell("Các cơ quan"),
                Cell("Sở Nội vụ"),
            ],
            [
                Cell("5"),
                Cell("Giải ngân vốn"),
                Cell("Vốn"),
                Cell("Hằng năm"),
                Cell("Các cơ quan"),
                Cell("Sở Tài chính"),
            ],
        ]
    )
    pages = [_scanned_page(1, first, 40.0, ["24"]), _scanned_page(2, second, 40.0, ["25"])]
    ocr_tables.join_continued_tables(pages)
    assert not pages[1].tables
    rows = [[cell.text for cell in row] for row in pages[0].tables[0].rows]
    assert [row[0] for row in rows] == ["SII", "1", "2", "3", "4", "5"]
    assert rows[3][3] == "Ban hành\nkế hoạch\nchậm nhất\nlà ngày\n31/12 năm\ntrước"
    assert rows[3][5] == "Các cơ\nquan, đơn\nvị liên\nquan"
