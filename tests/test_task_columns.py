"""Task-table header rows (nlp.task_columns): which column holds what."""

from __future__ import annotations

from pipeline.model import Cell, Table
from pipeline.nlp.task_columns import find_header


def _table(rows: list[list[str]]) -> Table:
    return Table(rows=[[Cell(text=text) for text in row] for row in rows])


# A plan's annex table as a legacy-font document prints it to PDF: the number column's header
# "Số TT" read back as "So á TT" (the tone mark set apart), the others readable.
_HEADER = ["So á TT", "Giai đoạn", "Nội dung (Tên các dự án và các hoạt động)", "Kết quả dự kiến"]


def test_garbled_number_header_over_a_column_of_row_numbers_is_the_number_column() -> None:
    table = _table(
        [
            _HEADER,
            ["", "", "A. QUẢN LÝ NGHIỆP VỤ", ""],
            [
                "1",
                "Giai đoạn II 1998-2000",
                "Tiếp tục dự án Tin học hoá tại VP UBND Tỉnh.",
                "- Hình thành ...",
            ],
            ["2", "1998-2000", "Xây dựng cơ sở hạ tầng CNTT tại VP Tỉnh ủy.", "- Tin học hóa ..."],
            ["3.1", "1998-2000", "Xây dựng cơ sở hạ tầng CNTT ở một số Sở.", "- Hình thành ..."],
        ]
    )
    assert find_header(table) == (0, {0: "number", 1: "deadline", 2: "text", 3: "output"})


def test_first_column_of_words_is_no_number_column() -> None:
    table = _table(
        [
            _HEADER,
            ["Văn phòng", "1998-2000", "Tiếp tục dự án Tin học hoá tại VP UBND Tỉnh.", "- Hình thành ..."],
            ["Sở Tài chính", "1998-2000", "Xây dựng cơ sở hạ tầng CNTT tại VP Tỉnh ủy.", "- Tin học hóa ..."],
            ["3.1", "1998-2000", "Xây dựng cơ sở hạ tầng CNTT ở một số Sở.", "- Hình thành ..."],
        ]
    )
    assert find_header(table) is None


def test_rows_naming_totals_at_the_foot_leave_the_number_column_as_it_is() -> None:
    # The same annex joined over its page break: its foot names the funding and the total.
    table = _table(
        [
            _HEADER,
            ["1", "1998-2000", "Tiếp tục dự án Tin học hoá tại VP UBND Tỉnh.", "- Hình thành ..."],
            ["2", "1998-2000", "Xây dựng cơ sở hạ tầng CNTT tại VP Tỉnh ủy.", "- Tin học hóa ..."],
            ["3.1", "1998-2000", "Xây dựng cơ sở hạ tầng CNTT ở một số Sở.", "- Hình thành ..."],
            ["Nguồn kinh phí", "", "", "Ngân sách Trung ương"],
            ["TỔNG CỘNG", "", "", ""],
        ]
    )
    assert find_header(table) == (0, {0: "number", 1: "deadline", 2: "text", 3: "output"})
    table.rows.insert(2, [Cell(text="Văn phòng"), *table.rows[1][1:]])  # words amid the numbers
    assert find_header(table) is None


def test_sub_rows_under_a_merged_number_cell_leave_the_number_column_as_it_is() -> None:
    # A scanned plan's header "STT" read "SIL"; rows 3 and 5 each hold two sub-rows under their
    # number and task cells merged down: the sub-rows' first cells are products, not numbers.
    header = ["SIL", "Nhiệm vụ", "Sản phẩm", "Thời gian hoàn thành", "Chủ trì thực hiện"]
    table = Table(
        rows=[
            [Cell(text=text) for text in header],
            [
                Cell("3", rowspan=2),
                Cell("Tham mưu ban hành Kế hoạch", rowspan=2),
                Cell("Kế hoạch"),
                Cell("Quý I"),
                Cell("Sở Nội vụ"),
            ],
            [Cell("Kế hoạch của cơ quan"), Cell("Quý I"), Cell("Các cơ quan")],
            [
                Cell("4"),
                Cell("Chủ động đề xuất sáng kiến"),
                Cell("Sáng kiến"),
                Cell("Tháng 9"),
                Cell("Các cơ quan"),
            ],
            [
                Cell("5", rowspan=2),
                Cell("Tham mưu công bố chỉ số", rowspan=2),
                Cell("Kết quả"),
                Cell("Hằng tháng"),
                Cell("Sở Nội vụ"),
            ],
            [Cell("Kết quả công bố"), Cell("Trước ngày 05"), Cell("Sở Nội vụ")],
        ]
    )
    found = find_header(table)
    assert found is not None and found[1][0] == "number"
