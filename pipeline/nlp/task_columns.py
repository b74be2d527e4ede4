"""Task-table header rows: which grid column holds what, from the column keywords of
data/plan_words.json ("STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành").

Shared by the plan extractor and by the rebuilding of scanned tables (repair.ocr_tables
joins a table continued on the next page only when that page repeats no header).
"""

from __future__ import annotations

import re

from pipeline.model import Cell, Table
from pipeline.nlp.plan_words import plan_words
from pipeline.nlp.text import ascii_key

# A row number of a task table's first column: "1", "3.2", "II", "B".
_ROW_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*|[IVXL]{1,6}|[A-ZĐ])\s*[.)]?$")
# Rows below a header whose first cells are all row numbers make a number column (at least).
_NUMBERED_ROWS = 3

# Besides a number and a text column, a header maps at least this many more task fields.
_MIN_MAPPED = 2


def expand_row(row: list[Cell]) -> list[str]:
    """Cell texts on the grid: a merged cell's text goes to its first column only."""
    texts: list[str] = []
    for cell in row:
        texts.append(cell.text.strip())
        texts.extend([""] * (max(cell.colspan, 1) - 1))
    return texts


def map_columns(header: list[str]) -> dict[int, str]:
    """Grid column -> field ('number', 'text', 'lead', 'cooperating', 'lead_and_cooperating',
    'deadline', 'output')."""
    mapping: dict[int, str] = {}
    for index, text in enumerate(header):
        key = ascii_key(text)
        if not key:
            continue
        for name, words in plan_words()["columns"]:
            if any(_keyword_matches(key, ascii_key(word)) for word in words):
                if name not in mapping.values() or name == "follow_up":
                    mapping[index] = name
                break
    return _with_detail_column(header, mapping)


def _with_detail_column(header: list[str], mapping: dict[int, str]) -> dict[int, str]:
    """'Nội dung hành động | Hành động cụ thể': the specific column holds each task's words, the
    general one (merged over its sub-rows) becomes the row's heading."""
    details = [ascii_key(word) for word in plan_words()["detail_columns"]]
    for index, text in enumerate(header):
        key = ascii_key(text)
        if index in mapping or not key or not any(word in key for word in details):
            continue
        for other, name in list(mapping.items()):
            if name == "text":
                mapping[other] = "heading"
        mapping[index] = "text"
        break
    return mapping


def _keyword_matches(key: str, word: str) -> bool:
    if len(word) <= 3:  # "stt", "tt": the whole cell
        return key.strip(" .") == word
    return word in key


def find_header(table: Table) -> tuple[int, dict[int, str]] | None:
    """Index of the header row and its column mapping, if this is a task table."""
    for index, row in enumerate(table.rows[:4]):
        mapping = map_columns(expand_row(row))
        if 0 not in mapping and "number" not in mapping.values() and _numbers_below(table, index):
            # a header cell the print garbled ("So á TT": a legacy font's tone mark set apart)
            # over a column of row numbers: the number column, as a reader sees it
            mapping[0] = "number"
        # "Chủ trì/phối hợp": one column names the lead first, then the cooperating bodies.
        fields = {"lead" if name == "lead_and_cooperating" else name for name in mapping.values()}
        if "number" in fields and "text" in fields and len(fields & {"lead", "deadline"}) >= 1:
            return index, mapping
        if len(fields & {"lead", "cooperating", "deadline", "text"}) >= _MIN_MAPPED + 1:
            return index, mapping
    return None


def _numbers_below(table: Table, header_index: int) -> bool:
    """The first cells of the rows below the header are row numbers (or empty), three or more,
    down to the last number: rows at the foot after it may name totals ("Nguồn kinh phí",
    "TỔNG CỘNG")."""
    width = sum(max(cell.colspan, 1) for cell in table.rows[header_index])
    firsts = [
        row[0].text.strip()
        for row in table.rows[header_index + 1 :]
        # a row under a cell merged down from above starts right of it: its first cell is no number's
        if row and row[0].text.strip() and sum(max(cell.colspan, 1) for cell in row) >= width
    ]
    numbered = [bool(_ROW_NUMBER.match(text)) for text in firsts]
    last = max((k for k, number in enumerate(numbered) if number), default=-1)
    return last + 1 >= _NUMBERED_ROWS and all(numbered[: last + 1])
