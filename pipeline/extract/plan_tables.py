"""Task tables: one task per numbered row, columns mapped by header keywords.

Group rows (I, II, A in the number cell) give the section path; a row with an empty
number cell either continues the row above (text split by a page break) or, when its
task cell is empty and its own lead/deadline cells are filled, is a sub-row of the same
task (vertically merged STT/Nhiệm vụ) and becomes a task of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.model import Document, Table
from pipeline.nlp.bodies import split_bodies
from pipeline.nlp.task_columns import expand_row, find_header
from pipeline.nlp.text import ascii_key
from pipeline.record.evidence import evidence_at
from pipeline.record.models import Evidence, Task, TimeValue

_ROW_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\s*[.)]?$")
_GROUP = re.compile(r"^(?:[IVXL]{1,6}|[A-ZĐ])\s*[.)]?$")
_COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")

DeadlineParser = Callable[[str], TimeValue | None]


@dataclass
class TableTask:
    number: str
    cells: dict[str, str]
    group: list[str]
    evidence: Evidence | None = None
    sub_row: bool = False
    extra: list[str] = field(default_factory=list)


def grid_rows(table: Table) -> list[list[str | None]]:
    """Rows on the column grid; ``None`` where a cell merged down from a row above covers it.

    Readers leave vertically merged cells out of the rows below their first row and give
    the first cell a rowspan, so the free columns of each row are found by bookkeeping.
    """
    covered: dict[int, int] = {}  # grid column -> rows still covered below
    rows: list[list[str | None]] = []
    for row in table.rows:
        grid: list[str | None] = []
        column = 0
        pending = list(row)
        while pending or any(c >= column for c in covered):
            if covered.get(column, 0) > 0:
                covered[column] -= 1
                grid.append(None)
                column += 1
                continue
            if not pending:
                break
            cell = pending.pop(0)
            span = max(cell.colspan, 1)
            for offset in range(span):
                grid.append(cell.text.strip() if offset == 0 else "")
                if cell.rowspan > 1:
                    covered[column + offset] = cell.rowspan - 1
            column += span
        covered = {c: n for c, n in covered.items() if n > 0}
        rows.append(grid)
    return rows


def _is_header_repeat(texts: list[str], header: list[str]) -> bool:
    keys = [ascii_key(t) for t in texts if t]
    header_keys = {ascii_key(t) for t in header if t}
    return bool(keys) and sum(k in header_keys for k in keys) >= max(2, len(keys) - 1)


def _is_column_numbers(texts: list[str]) -> bool:
    filled = [t for t in texts if t]
    return len(filled) >= 3 and all(_COLUMN_NUMBERS.match(t) for t in filled)


def read_table_rows(table: Table, header_index: int, mapping: dict[int, str]) -> list[TableTask]:
    header = expand_row(table.rows[header_index])
    number_col = next((i for i, name in mapping.items() if name == "number"), 0)
    tasks: list[TableTask] = []
    group: list[str] = []
    for grid in grid_rows(table)[header_index + 1 :]:
        texts = [text or "" for text in grid]
        if not any(texts) or _is_header_repeat(texts, header) or _is_column_numbers(texts):
            continue
        cells = {name: texts[i] for i, name in mapping.items() if i < len(texts) and texts[i]}
        number = texts[number_col] if number_col < len(texts) else ""
        merged_down = number_col < len(grid) and grid[number_col] is None
        if _GROUP.match(number):
            title = cells.get("text") or cells.get("heading", "")
            group = [f"{number.rstrip('.)')}. {title}".strip()]
            continue
        if _ROW_NUMBER.match(number) or (number and not tasks):
            tasks.append(TableTask(number=number.rstrip(".)"), cells=cells, group=list(group)))
            continue
        if tasks:
            covered = {name for i, name in mapping.items() if i < len(grid) and grid[i] is None}
            _merge_unnumbered(tasks, cells, merged_down, covered)
    return tasks


def _merge_unnumbered(
    tasks: list[TableTask], cells: dict[str, str], merged_down: bool, covered: set[str] | None = None
) -> None:
    previous = tasks[-1]
    own = {k: v for k, v in cells.items() if k not in ("number", "text")}
    has_detail = "heading" in previous.cells or "heading" in cells
    if has_detail and "text" in cells and (merged_down or own.keys() & {"lead", "deadline", "output"}):
        # A detail column: each sub-row is a task of its own under the merged heading; cells
        # merged down over it (a shared 'phối hợp' or 'thời hạn') are its own too.
        inherited = {
            name: previous.cells[name] for name in (covered or set()) | {"heading"} if name in previous.cells
        }
        tasks.append(
            TableTask(
                number=previous.number,
                cells={**inherited, **cells, "number": previous.number},
                group=previous.group,
                sub_row=True,
            )
        )
        return
    if (merged_down or "text" not in cells) and own.keys() & {"lead", "deadline", "output"}:
        # Sub-row of a vertically merged task: same task words, its own assignment.
        inherited = {"text": previous.cells.get("text", "")}
        tasks.append(
            TableTask(number=previous.number, cells={**inherited, **own}, group=previous.group, sub_row=True)
        )
        return
    for name, value in cells.items():
        joined = f"{previous.cells.get(name, '')}\n{value}".strip()
        previous.cells[name] = joined


def _flat(text: str) -> str:
    return " ".join(text.split())


def _table_line_evidence(doc: Document, page_index: int, table_index: int, needle: str) -> Evidence | None:
    """Evidence on the table line (copied out of the cell by the reader) holding ``needle``."""
    head = _flat(needle)[:40]
    for line_index, line in enumerate(doc.pages[page_index].lines):
        if (
            line.block == "table"
            and line.table_index == table_index
            and head
            and _flat(line.text)[:40] == head
        ):
            return evidence_at(doc, page_index, line_index)
    return _any_line_evidence(doc, page_index, head)


_MIN_NEEDLE = 12  # characters of a cell's text worth looking for elsewhere on the page


def _any_line_evidence(doc: Document, page_index: int, head: str) -> Evidence | None:
    """Readers that do not copy cells out as table lines (legacy .doc, OCR): the first line
    of the page that holds the cell's opening words, at their offset."""
    needle = head[:30].strip()
    if len(needle) < _MIN_NEEDLE:
        return None
    for line_index, line in enumerate(doc.pages[page_index].lines):
        start = line.text.find(needle)
        if start >= 0:
            return evidence_at(doc, page_index, line_index, start, len(line.text))
    return None


def table_tasks(doc: Document, parse_deadline: DeadlineParser) -> list[Task]:
    """Tasks of every task table in the document, in page order."""
    result: list[Task] = []
    for page_index, page in enumerate(doc.pages):
        for table_index, table in enumerate(page.tables):
            found = find_header(table)
            if found is None:
                continue
            header_index, mapping = found
            for row in read_table_rows(table, header_index, mapping):
                task = _to_task(row, parse_deadline)
                if task is None:
                    continue
                task.evidence = _table_line_evidence(doc, page_index, table_index, task.text)
                result.append(task)
    return result


def _to_task(row: TableTask, parse_deadline: DeadlineParser) -> Task | None:
    text = _flat(row.cells.get("text", ""))
    if not text:
        return None
    deadline_text = _flat(row.cells.get("deadline", "")).rstrip(".;")
    output = _flat(row.cells.get("output", "")) or None
    lead = split_bodies(row.cells.get("lead", ""))
    cooperating = split_bodies(row.cells.get("cooperating", ""))
    # A "Chủ trì/phối hợp" column: its first body leads, the others cooperate.
    both = split_bodies(row.cells.get("lead_and_cooperating", ""))
    if both and not lead:
        lead, cooperating = both[:1], [*both[1:], *cooperating]
    return Task(
        text=text,
        lead=lead,
        cooperating=cooperating,
        deadline=parse_deadline(deadline_text) if deadline_text else None,
        output=output,
        source="table",
        section_path=[*row.group, row.number],
    )
