"""Ruled tables on scanned pages: the grid found in the image, and the annex table of 006."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from pipeline.model import Cell, Page, Table
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
def test_annex_task_table_of_006_is_read(corpus_docs: Path) -> None:
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
