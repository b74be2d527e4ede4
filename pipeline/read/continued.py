"""A task table that runs on over a page break, read back as one table.

Shared by the PDF reader (tables of a text layer, cut by the page) and the rebuilding of
scanned tables (repair.ocr_tables). A person reads the rows below a page break as the rows of
the table above it: a header row printed again at the top of the page is not a row; the first
row, when it prints no number of its own, goes on with the row cut by the break (each of its
cells goes on in the same column above); and where the number cell above was merged down to
the break (a task whose items run on to the next page), a first row that opens a task text of
its own is one more sub-row of that task, under the cells merged above it.
"""

from __future__ import annotations

import re

from pipeline.model import Cell, Table
from pipeline.nlp.task_columns import expand_row, find_header
from pipeline.nlp.text import ascii_key

# Two letters or digits: a cell's text, not a scan's specks (",", ">").
_WORD = re.compile(r"[^\W_]{2}")
# Columns of a task row that a merged cell over a page break keeps giving to the rows below it.
ASSIGNMENT_COLUMNS = ("lead", "cooperating", "lead_and_cooperating", "deadline", "output")


def placed(table: Table) -> list[list[tuple[int, Cell]]]:
    """Each row's cells with the grid column they start in (cells merged down from a row above
    take their columns in the rows below)."""
    covering: dict[int, int] = {}  # grid column -> rows still covered, this row included
    found_rows: list[list[tuple[int, Cell]]] = []
    for row in table.rows:
        column, found = 0, []
        for cell in row:
            while covering.get(column, 0) > 0:
                column += 1
            found.append((column, cell))
            if cell.rowspan > 1:
                for offset in range(max(cell.colspan, 1)):
                    covering[column + offset] = cell.rowspan
            column += max(cell.colspan, 1)
        covering = {c: left - 1 for c, left in covering.items() if left - 1 > 0}
        found_rows.append(found)
    return found_rows


def columns(table: Table) -> int:
    """Grid columns of the table's first row."""
    return max((sum(max(cell.colspan, 1) for cell in row) for row in table.rows[:1]), default=0)


def repeated_header_rows(previous: Table, table: Table) -> int | None:
    """How many of ``table``'s first rows print ``previous``'s header again (0 when it prints
    none); None when ``table`` has a header of its own (a new table, not a continued one)."""
    found = find_header(previous)
    if found is None:
        return None
    header_index, _ = found
    own = find_header(table)
    if own is None:
        return 0
    count = own[0] + 1
    if count > len(table.rows) or count > header_index + 1:
        return None
    header = previous.rows[header_index + 1 - count : header_index + 1]
    for theirs, ours in zip(header, table.rows[:count], strict=True):
        if [ascii_key(text) for text in expand_row(theirs)] != [ascii_key(text) for text in expand_row(ours)]:
            return None
    return count


def continue_table(previous: Table, table: Table) -> None:
    """Append the rows of ``table`` (the same table after a page break, its repeated header rows
    already dropped) to ``previous``, the first row read as the break asks (module docstring)."""
    rows = list(table.rows)
    if rows and previous.rows:
        first = _continue_first_row(previous, Table(rows=rows))
        rows = rows[1:] if first is None else [first, *rows[1:]]
    previous.rows.extend(rows)
    previous.bottom = None


def _continue_first_row(previous: Table, table: Table) -> list[Cell] | None:
    """The first row as it stays in the joined table (None when it was joined to the row above)."""
    found = find_header(previous)
    row = table.rows[0]
    if found is None:
        return row
    _, mapping = found
    numbers = [column for column, name in mapping.items() if name == "number"]
    cells = placed(table)[0]
    own = dict(cells)
    if not numbers or (numbers[0] in own and own[numbers[0]].text.strip()):
        return row
    last = len(previous.rows) - 1
    above: dict[int, Cell] = {}
    for position, previous_cells in enumerate(placed(previous)):
        for column, cell in previous_cells:
            if position + cell.rowspan > last:
                above[column] = cell
    number_above = above.get(numbers[0])
    texts = [column for column, name in mapping.items() if name == "text"]
    text = own[texts[0]].text.strip() if texts and texts[0] in own else ""
    # the number cell merged over the break: above it, or over several rows below it
    number_here = own.get(numbers[0])
    merged = (number_above is not None and number_above.rowspan > 1) or (
        number_here is not None and number_here.rowspan > 1
    )
    if merged and text and not text[:1].islower():
        return _under_merged_cells(cells, above, mapping)
    # a task's words opening after the task above has ended its sentence: a task of its own,
    # under the same number, not the rest of the task above
    text_above = above[texts[0]].text.rstrip() if texts and texts[0] in above else ""
    if text[:1].isupper() and text_above[-1:] in (".", ";", "!", "?"):
        return _under_merged_cells(cells, above, mapping, always=True)
    # the row cut by the break: each cell goes on in the cell above it (and over the rows below
    # it that it was merged over)
    if any(
        (cell.text.strip() or cell.rowspan > 1)
        and (above.get(column) is None or above[column].colspan != cell.colspan)
        for column, cell in cells
    ):
        return row
    for column, cell in cells:
        over = above.get(column)
        if over is None:
            continue
        if _WORD.search(cell.text):  # not the specks a scan leaves in an empty cell
            over.text = f"{over.text.rstrip()}\n{cell.text.strip()}".strip()
        over.rowspan += cell.rowspan - 1
    return None


def _under_merged_cells(
    cells: list[tuple[int, Cell]], above: dict[int, Cell], mapping: dict[int, str], always: bool = False
) -> list[Cell]:
    """A sub-row of the task whose number cell is merged down over the break: its empty number,
    heading and assignment cells are the cells above them, merged down over it. ``always``: a
    task of its own under the number of the task above (its number and heading cells only)."""
    kept: list[Cell] = []
    for column, cell in cells:
        over = above.get(column)
        name = mapping.get(column)
        merged = over is not None and (always or over.rowspan > 1 or cell.rowspan > 1)
        if (
            ((name in ASSIGNMENT_COLUMNS and not always) or (name in ("number", "heading") and merged))
            and not cell.text.strip()
            and over is not None
            and over.colspan == cell.colspan
            and over.text.strip()
        ):
            over.rowspan += cell.rowspan  # and over the rows below that it was merged over
            continue
        kept.append(cell)
    return kept
