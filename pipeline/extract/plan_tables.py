"""Task tables: one task per numbered row, columns mapped by header keywords.

Tables are read the way a person reads them: a merged cell belongs to every row and column
it covers (a 'phối hợp' or deadline cell merged down over several tasks is each task's);
group rows (I, II, A in the number cell, a numbered heading merged across the task columns,
a number with children below it) give the section path and are never tasks. A row with an
empty number cell either continues the row above (text split by a page break) or, when its
task cell is empty and its own lead/deadline cells are filled, is a sub-row of the same
task (vertically merged STT/Nhiệm vụ) and becomes a task of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.model import Document, Page, Table
from pipeline.nlp.bodies import known_spelling, split_bodies
from pipeline.nlp.task_columns import expand_row, find_header
from pipeline.nlp.text import ascii_key
from pipeline.record.evidence import evidence_at
from pipeline.record.models import Evidence, Task, TimeValue

_ROW_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\s*[.)]?$")
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


@dataclass
class GridCell:
    """One grid slot of a table row.

    ``text`` is what a reader sees in the slot: the text of the cell that covers it when a
    merged cell spans down over it (``covered``) or across it (``spanned``).
    """

    text: str
    covered: bool = False  # merged down from a row above
    spanned: bool = False  # merged across from a column to the left
    width: int = 1  # grid columns of the cell that starts here
    bold: bool | None = None

    @property
    def own(self) -> str:
        """The text printed in this row's own cell ('' under a merge)."""
        return "" if self.covered or self.spanned else self.text


def span_grid(table: Table) -> list[list[GridCell]]:
    """Rows on the column grid with merged cells filled into every slot they cover.

    Readers leave vertically merged cells out of the rows below their first row and give
    the first cell a rowspan (DOCX vMerge, HTML rowspan, ruled PDF and OCR'd cells), so the
    free columns of each row are found by bookkeeping.
    """
    covering: dict[int, tuple[int, GridCell]] = {}  # grid column -> (rows still covered, cell)
    rows: list[list[GridCell]] = []
    for row in table.rows:
        grid: list[GridCell] = []
        pending = list(row)
        while pending or any(c >= len(grid) for c in covering):
            column = len(grid)
            if column in covering:
                left, above = covering[column]
                grid.append(GridCell(text=above.text, covered=True, bold=above.bold))
                if left > 1:
                    covering[column] = (left - 1, above)
                else:
                    del covering[column]
                continue
            if not pending:
                grid.append(GridCell(text=""))  # a short row: the slot is empty
                continue
            cell = pending.pop(0)
            span = max(cell.colspan, 1)
            first = GridCell(text=cell.text.strip(), width=span, bold=cell.bold)
            grid.append(first)
            grid.extend(GridCell(text=first.text, spanned=True, bold=cell.bold) for _ in range(span - 1))
            if cell.rowspan > 1:
                for offset in range(span):
                    covering[column + offset] = (cell.rowspan - 1, first)
        rows.append(grid)
    return rows


def grid_rows(table: Table) -> list[list[str | None]]:
    """Rows on the column grid; ``None`` where a cell merged down from a row above covers it
    and '' where one merged across from the left does."""
    return [
        [None if slot.covered else ("" if slot.spanned else slot.text) for slot in row]
        for row in span_grid(table)
    ]


def _is_header_repeat(texts: list[str], header: list[str]) -> bool:
    keys = [ascii_key(t) for t in texts if t]
    header_keys = {ascii_key(t) for t in header if t}
    return bool(keys) and sum(k in header_keys for k in keys) >= max(2, len(keys) - 1)


def _is_column_numbers(texts: list[str]) -> bool:
    filled = [t for t in texts if t]
    return len(filled) >= 3 and all(_COLUMN_NUMBERS.match(t) for t in filled)


# A heading's own numbering at the start of a merged or lone text cell: "3. Nhóm ...", "II. ...", "a) ...".
_LABEL = re.compile(r"^(?P<label>[IVXL]{1,6}|[A-ZĐ]|\d{1,2}(?:\.\d{1,2})*|[a-zđ])\s*[.)/-]\s+(?=\S)")
_ROMAN_OR_LETTER = re.compile(r"^(?:[IVXL]{1,6}|[A-ZĐ])$")
_SUB_NUMBER = re.compile(r"^[a-zđ]\s*[.)]?$")  # 'a', 'b)' under a numbered group row
_ASSIGNMENT = ("lead", "cooperating", "deadline", "output")


@dataclass
class _Group:
    level: int
    number: str
    title: str
    cells: dict[str, str]  # a group row's own lead/cooperating/deadline, for rows that print none

    @property
    def label(self) -> str:
        return f"{self.number}. {self.title}".strip(" .") if self.number else self.title


@dataclass
class _Row:
    slots: list[GridCell]
    number: str  # the number cell's own text, '' when empty or merged down
    number_covered: bool


def _row_number(row: _Row) -> str:
    return row.number.rstrip(".) ")


def _is_child_number(number: str, parent: str) -> bool:
    return bool(parent) and (number.startswith(parent + ".") and number != parent + ".")


def _group_level(number: str) -> int:
    if _ROMAN_OR_LETTER.match(number):
        return 1
    return 2 + number.count(".")


def _group_of(
    row: _Row, following: list[_Row], mapping: dict[int, str], number_col: int, has_groups: bool
) -> _Group | None:
    """The group heading this row prints, if it is one.

    A person reads a row as a heading over the rows below it, not as a task, when
    - its number is a Roman numeral or a capital letter ('II', 'B');
    - one merged cell runs across the task columns ('3. Nhóm nhiệm vụ ...' over the whole width);
    - its filled cells all repeat one text (a converter copying a merged heading into each slot);
    - its number has children below it ('3' over '3.1', '3.2', or over 'a'), or its cells
      announce the rows below ('Theo thời hạn cụ thể sau đây:');
    - it has no number, only a text, and the text is bold, in capitals or opens with its own
      numbering ('3. Nhóm ...') in a table that has group rows.
    """
    own = [slot.own for slot in row.slots]
    filled = [text for text in own if text]
    number = _row_number(row)
    text_col = next((i for i, name in mapping.items() if name == "text"), None)
    heading_col = next((i for i, name in mapping.items() if name == "heading"), None)
    title_col = heading_col if heading_col is not None else text_col
    title = own[title_col] if title_col is not None and title_col < len(own) else ""
    cells = {name: own[i] for i, name in mapping.items() if name in _ASSIGNMENT and i < len(own) and own[i]}
    if _ROMAN_OR_LETTER.match(number):
        return _Group(1, number, title or "", cells)
    wide = max(row.slots, key=lambda slot: slot.width)
    task_columns = len({i for i, name in mapping.items() if name != "follow_up"})
    # the number as printed, not a heading merged over the number cell
    label = number if _ROW_NUMBER.match(row.number) or _SUB_NUMBER.match(number) else ""
    # beside its own number, a text merged over two columns of a narrow table may be a task
    # that prints no deadline; over three or more it is a heading
    if wide.width >= max(2, task_columns - 1, 3 if label else 2) and len(filled) <= 2:
        return _labelled_group(wide.text, label)
    if len(filled) >= 2 and len(set(filled)) == 1:
        return _labelled_group(filled[0], label)
    if label and not row.number_covered:
        next_number = next((_row_number(r) for r in following if _row_number(r)), "")
        assigned = [text for name, text in cells.items() if name in ("lead", "cooperating", "deadline")]
        announces = any(text.rstrip().endswith(":") for text in assigned)
        if (
            _is_child_number(next_number, number)
            or (next_number == "a" and not _SUB_NUMBER.match(number))
            or (announces and not _SUB_NUMBER.match(number))
        ):
            return _Group(_group_level(number), number, title, cells)
        return None
    if row.number_covered or len(filled) != 1 or title_col is None:
        return None
    # One text alone, in the number or the task column (a merge over both).
    lone = next(slot for slot in row.slots if slot.own)
    if lone.text not in (own[number_col] if number_col < len(own) else "", title):
        return None
    if _LABEL.match(lone.text) or (has_groups and (bool(lone.bold) or lone.text.isupper())):
        return _labelled_group(lone.text, "")
    return None


def _labelled_group(text: str, number: str) -> _Group:
    """'3. Nhóm nhiệm vụ ...' -> level from '3', title after the label."""
    text = text.strip()
    label = _LABEL.match(text)
    if label and not number:
        number = label.group("label")
        text = text[label.end() :]
    number = number.rstrip(".) ")
    level = _group_level(number) if number else 2
    return _Group(level, number, text.strip(), {})


def read_table_rows(table: Table, header_index: int, mapping: dict[int, str]) -> list[TableTask]:
    header = expand_row(table.rows[header_index])
    number_col = next((i for i, name in mapping.items() if name == "number"), 0)
    rows: list[_Row] = []
    for slots in span_grid(table)[header_index + 1 :]:
        texts = [slot.own for slot in slots]
        if not any(texts) or _is_header_repeat(texts, header) or _is_column_numbers(texts):
            continue
        number_slot = slots[number_col] if number_col < len(slots) else GridCell(text="")
        rows.append(_Row(slots=slots, number=number_slot.own, number_covered=number_slot.covered))
    text_col = next((i for i, name in mapping.items() if name == "text"), None)
    tasks: list[TableTask] = []
    groups: list[_Group] = []
    in_group_row = False  # rows merged under a group row's cells belong to it
    for position, row in enumerate(rows):
        group = _group_of(row, rows[position + 1 :], mapping, number_col, bool(groups))
        if group is not None:
            groups = [g for g in groups if g.level < group.level] + [group]
            in_group_row = True
            continue
        text_slot = row.slots[text_col] if text_col is not None and text_col < len(row.slots) else None
        if in_group_row and not row.number and (text_slot is None or not text_slot.own):
            continue  # the group row's second line: its cells merged down, no number or task of its own
        in_group_row = False
        path = [g.label for g in groups]
        printed = {
            name: row.slots[i].own for i, name in mapping.items() if i < len(row.slots) and row.slots[i].own
        }
        covered = {
            name: row.slots[i].text
            for i, name in mapping.items()
            if i < len(row.slots) and row.slots[i].covered and row.slots[i].text
        }
        number = _row_number(row)
        if number and (_ROW_NUMBER.match(row.number) or _SUB_NUMBER.match(number) or not tasks):
            # Cells merged down over this row (a shared 'phối hợp', a shared deadline) are its own too.
            cells = {**_inherited(groups), **covered, **printed}
            tasks.append(TableTask(number=number, cells=cells, group=path))
            continue
        if tasks:
            _merge_unnumbered(tasks, printed, covered, row.number_covered)
    return tasks


def _inherited(groups: list[_Group]) -> dict[str, str]:
    """Lead, cooperating bodies and deadline a group row prints for the rows below it that print
    none; a deadline that only announces the rows' own ('Theo thời hạn cụ thể sau đây:') is not one."""
    cells: dict[str, str] = {}
    for group in groups:
        for name, value in group.cells.items():
            if not value.rstrip().endswith(":"):
                cells[name] = value
    return cells


def _merge_unnumbered(
    tasks: list[TableTask], own: dict[str, str], covered: dict[str, str], merged_down: bool
) -> None:
    previous = tasks[-1]
    assignment = {k: v for k, v in own.items() if k not in ("number", "text", "heading")}
    if not merged_down and _continues_above(own, assignment):
        _join(previous, own)
        return
    has_detail = "heading" in previous.cells or "heading" in own or "heading" in covered
    if has_detail and "text" in own and (merged_down or assignment.keys() & {"lead", "deadline", "output"}):
        # A detail column: each sub-row is a task of its own under the merged heading; cells
        # merged down over it (a shared 'phối hợp' or 'thời hạn') are its own too.
        inherited = {name: previous.cells[name] for name in ("heading",) if name in previous.cells}
        tasks.append(
            TableTask(
                number=previous.number,
                cells={**inherited, **covered, **own, "number": previous.number},
                group=previous.group,
                sub_row=True,
            )
        )
        return
    if (merged_down or "text" not in own) and assignment.keys() & {"lead", "deadline"}:
        # Sub-row of a vertically merged task: same task words unless it prints its own (the
        # items of a task split into rows under one number), its own assignment.
        if "text" in own and _continues_above(own, {}):
            _join(previous, own)
            return
        inherited = {"text": own.get("text") or previous.cells.get("text", "")}
        tasks.append(
            TableTask(
                number=previous.number,
                cells={**inherited, **covered, **assignment},
                group=previous.group,
                sub_row=True,
            )
        )
        return
    _join(previous, own)


def _continues_above(own: dict[str, str], assignment: dict[str, str]) -> bool:
    """A row that only goes on with the row above (a cell cut by a page break, or split by
    the recognition of a scanned table): its task text opens in lower case, in mid-sentence,
    or it prints no task text and only more bodies."""
    text = own.get("text", "").lstrip(" -+•*")
    if text:
        return text[:1].islower()
    return "heading" not in own and bool(assignment) and assignment.keys() <= {"lead", "cooperating"}


_WORD = re.compile(r"[^\W\d_]{2}")


def _join(previous: TableTask, own: dict[str, str]) -> None:
    """Each cell's text goes on in the same column of the row above (specks without a word
    of two letters, left by the recognition of a scan, are dropped)."""
    for name, value in own.items():
        if _WORD.search(value):
            previous.cells[name] = f"{previous.cells.get(name, '')}\n{value}".strip()


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


def _any_line_evidence(doc: Document, page_index: int, head: str, after: int = -1) -> Evidence | None:
    """Readers that do not copy cells out as table lines (legacy .doc, OCR): the first line
    of the page (after line ``after``) that holds the cell's opening words, at their offset."""
    found = _line_holding(doc, page_index, head, after)
    if found is None:
        return None
    line_index, start = found
    return evidence_at(doc, page_index, line_index, start, len(doc.pages[page_index].lines[line_index].text))


def _line_holding(doc: Document, page_index: int, head: str, after: int = -1) -> tuple[int, int] | None:
    needle = head[:30].strip()
    if len(needle) < _MIN_NEEDLE:
        return None
    for line_index, line in enumerate(doc.pages[page_index].lines):
        start = line.text.find(needle) if line_index > after else -1
        if start >= 0:
            return line_index, start
    return None


def table_tasks(doc: Document, parse_deadline: DeadlineParser) -> list[Task]:
    """Tasks of every task table in the document, in page order."""
    _join_converted_tables(doc)
    result: list[Task] = []
    for page_index, page in enumerate(doc.pages):
        for table_index, table in enumerate(page.tables):
            found = find_header(table)
            if found is None:
                continue
            header_index, mapping = found
            cursor = (page_index, -1)  # the page and line of the last row found
            for row in read_table_rows(table, header_index, mapping):
                task = _to_task(row, parse_deadline)
                if task is None:
                    continue
                if page.origin == "ocr":  # a scan's slips in the bodies' names
                    task.lead = [known_spelling(body) for body in task.lead]
                    task.cooperating = [known_spelling(body) for body in task.cooperating]
                task.evidence = _table_line_evidence(doc, page_index, table_index, task.text)
                # a PDF page's line holds the cell's first line only (the text wraps in its
                # column), on this page or, for a table continued over page breaks, one after
                first_line = _ITEM_MARK.sub("", _flat(row.cells.get("text", "").strip().split("\n")[0]))
                last = min(page_index + table.continued_pages, len(doc.pages) - 1)
                for later in range(max(page_index, cursor[0]), last + 1):
                    if task.evidence is not None:
                        break
                    after = cursor[1] if later == cursor[0] else -1
                    if result and result[-1].text == task.text:
                        task.evidence = result[-1].evidence  # a sub-row of the same task words
                        break
                    for needle in (_flat(task.text)[:40], first_line):
                        held = _line_holding(doc, later, needle, after)
                        if held is not None:
                            # rows are read in order: the next row's words are further on
                            cursor = (later, held[0])
                            line = doc.pages[later].lines[held[0]]
                            task.evidence = evidence_at(doc, later, held[0], held[1], len(line.text))
                            break
                result.append(task)
    return result


def _join_converted_tables(doc: Document) -> None:
    """A legacy-font print's tables (TCVN3, VNI) joined over the page breaks once their text
    reads as Unicode: the PDF reader joins tables before the conversion, when no header can
    be read in them, so a task table's pages stayed tables of their own (its rows after the
    first page lost). Runs of converted pages only; scanned pages are joined by the OCR."""
    from pipeline.read.pdf import join_page_tables  # only a converted PDF's pages have tables to join

    run: list[Page] = []
    for page in [*doc.pages, None]:
        if page is not None and page.origin == "converted":
            run.append(page)
            continue
        if len(run) >= 2:
            join_page_tables(run)
        run = []


# The list mark of a task printed as an item of its cell ("- Thực hiện ..."): not its words.
_ITEM_MARK = re.compile(r"^[-–+•]\s+")


def _to_task(row: TableTask, parse_deadline: DeadlineParser) -> Task | None:
    text = _ITEM_MARK.sub("", _flat(row.cells.get("text", "")))
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
