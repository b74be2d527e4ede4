"""Task tables of a text-layer PDF page printed without ruling lines: cells from text alignment.

A person reads such a table from its header row ("STT | Nhiệm vụ | Chủ trì | Phối hợp | Thời
gian"), the columns below it from where the words stand, and the rows from the numbering of
the first column and the white space between them. Here:

* the header is a band of lines, one of them a number-column keyword ("STT", "TT"), whose
  words map to a task table's columns (``nlp.task_columns.map_columns``); each header cell is
  a run of header words overlapping across, stacked lines of one cell ("Thời gian" / "hoàn" /
  "thành") together;
* the boundary between two columns is where the fewest words of the rows below stand between
  the two header cells (a gutter, kept clear by every line of a column);
* the rows below are cut where no word of any column crosses (every column between two of its
  lines, or empty); each row holds one number of the number column, and among the cuts between
  two numbers the widest white space ends the row above (cells set at their tops or centred);
* a row never ends right above a cell line opening in lower case (its sentence goes on); above
  the first number, the rest of a row cut by the page break ends where the columns going on
  open lines in capitals; under one number, sub-rows start where two or more assignment
  columns open a block of lines level with each other (a task cell merged over sub-rows);
* a cell whose lines run over a gutter (justified or centred across it, a word over it) is one
  cell merged across those columns;
* the table ends at a line running across the gutters (a paragraph after it) or at the page's
  foot; a line spanning the columns with a heading's numbering ('I', 'II', 'A') is a group row.

Words come from the page's characters as pdfplumber's table reader sees them (``pdf_rules``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from pipeline.model import Cell, Line, Table
from pipeline.nlp.task_columns import map_columns
from pipeline.nlp.text import ascii_key

# The number column's header word ("STT"), alone or opening its line.
_NUMBER_HEADER = re.compile(r"^(?:stt|tt|so tt)$")
# Lines of one header row lie within this many points of the number header (multi-line cells).
HEADER_REACH = 60.0
# A word break: a gap wider than this share of the font size between two characters.
WORD_GAP = 0.25
# Two words of a line this share of the font size apart or closer are one phrase (a word
# space, wide in justified text): the gap at a column boundary is wider.
WORD_SPACE = 0.6
# A gap at a column boundary no wider than this many times a justified line's widest other
# gap is one of its word spaces (a cell merged across the columns), not a gutter.
JUSTIFIED_GAP = 1.5
# Points between two header cells worth looking for the gutter in (else between their centres).
MIN_GUTTER = 4
# The letters of a line fill its font box less this share at its top and at its bottom.
INK_INSET = 0.15
# Two lines of a column this many ordinary line pitches apart or less are one paragraph.
PARAGRAPH_PITCH = 1.2
# A row number in the number column: "1", "1.2", "I", "a)".
_ROW_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*|[IVXL]{1,6}|[A-ZĐ]|[a-zđ]\))\.?$")


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2


def words_of(chars: list[dict[str, Any]]) -> list[Word]:
    """The page's words: characters on one text line, cut at spaces and at wide gaps."""
    words: list[Word] = []
    current: list[dict[str, Any]] = []

    def flush() -> None:
        if current:
            text = "".join(c["text"] for c in current)
            words.append(
                Word(
                    text=text,
                    x0=min(c["x0"] for c in current),
                    x1=max(c["x1"] for c in current),
                    top=min(c["top"] for c in current),
                    bottom=max(c["bottom"] for c in current),
                )
            )
            current.clear()

    for char in chars:
        if char["text"].isspace():
            flush()
            continue
        if current:
            last = current[-1]
            size = max(last["bottom"] - last["top"], 1.0)
            same_line = abs(char["top"] - last["top"]) < 0.5 * size
            if not same_line or char["x0"] - last["x1"] > WORD_GAP * size or char["x0"] < last["x0"]:
                flush()
        current.append(char)
    flush()
    return words


@dataclass
class _Column:
    x0: float
    x1: float
    words: list[Word]

    @property
    def text(self) -> str:
        lines: dict[int, list[Word]] = {}
        for word in sorted(self.words, key=lambda w: (w.top, w.x0)):
            key = next((k for k in lines if abs(k - word.top) < 4), round(word.top))
            lines.setdefault(key, []).append(word)
        return " ".join(
            " ".join(w.text for w in sorted(ws, key=lambda w: w.x0)) for _, ws in sorted(lines.items())
        )


def aligned_tables(lines: list[Line], chars: list[dict[str, Any]]) -> list[Table]:
    """The unruled task table of a page (at most one), from its lines and characters."""
    header = _header_lines(lines)
    if header is None:
        return []
    top, bottom = header
    words = words_of(chars)
    header_words = [w for w in words if top <= w.centre <= bottom]
    columns = _header_columns(header_words)
    mapping = map_columns([column.text for column in columns])
    fields = set(mapping.values())
    if (
        "number" not in fields
        or "text" not in fields
        or not fields & {"lead", "lead_and_cooperating", "deadline"}
    ):
        return []
    body = [w for w in words if w.top > bottom]
    if not body:
        return []
    end = _table_end(body, _boundaries(columns, body))
    body = [w for w in body if w.bottom <= end]
    if not body:
        return []
    edges = _boundaries(columns, body)
    number_column = next(index for index, name in mapping.items() if name == "number")
    text_column = next(index for index, name in mapping.items() if name == "text")
    sentence_columns = {index for index, name in mapping.items() if name in ("text", "deadline", "output")}
    rows = [
        sub_row
        for row in _rows(body, edges, number_column, text_column, sentence_columns)
        for sub_row in _sub_rows(row, edges, (number_column, text_column), _pitch(body, edges))
    ]
    if len(rows) < 1:
        return []
    table_rows: list[list[Cell]] = [[Cell(text=column.text, bold=True) for column in columns]]
    for row in rows:
        table_rows.append(_cells(row, edges))
    table_bottom = max(w.bottom for w in body)
    return [Table(rows=table_rows, top=round(top, 2), bottom=round(table_bottom, 2), borderless=True)]


def _is_number_header(line: Line) -> bool:
    """'STT' alone, or opening a line the next header cell was read into ('STT Nhiệm vụ')."""
    words = ascii_key(line.text).strip(" .").split(" ")
    return _NUMBER_HEADER.match(words[0]) is not None or _NUMBER_HEADER.match(" ".join(words[:2])) is not None


def has_number_header(lines: list[Line]) -> bool:
    """A line of the page is a number column's header ("STT"): worth looking for a table."""
    return any(_is_number_header(line) for line in lines)


def _header_lines(lines: list[Line]) -> tuple[float, float] | None:
    """Top and bottom of the header row: the band around a number-column keyword line."""
    for line in lines:
        if line.top is None or line.bottom is None or not _is_number_header(line):
            continue
        near = [
            other
            for other in lines
            if other.top is not None
            and other.bottom is not None
            and abs(other.top - line.top) <= HEADER_REACH
            and (other.bold or other.bold is None) == (line.bold or line.bold is None)
        ]
        # the header band: lines of the same weight as "STT", connected to it vertically
        top, bottom = line.top, line.bottom
        changed = True
        while changed:
            changed = False
            for other in near:
                assert other.top is not None and other.bottom is not None
                if (
                    other.top <= bottom + 6
                    and other.bottom >= top - 6
                    and (other.top < top or other.bottom > bottom)
                ):
                    top, bottom = min(top, other.top), max(bottom, other.bottom)
                    changed = True
        # the body begins at the first line below the number header in its column
        below = [
            other.top
            for other in lines
            if other.top is not None
            and other.x0 is not None
            and other.x1 is not None
            and line.x0 is not None
            and line.x1 is not None
            and other.top > line.bottom
            and other.x0 < line.x1
            and other.x1 > line.x0
        ]
        if below:
            first = min(below)
            bottom = max(
                (
                    o.bottom
                    for o in near
                    if o.top is not None and o.bottom is not None and o.top < first and o.top >= top
                ),
                default=line.bottom,
            )
        return top, bottom
    return None


def _header_columns(words: list[Word]) -> list[_Column]:
    """Header cells: the words of a line a word space apart are one phrase; phrases overlapping
    across (the stacked lines of one cell) are one cell; left to right."""
    phrases: list[_Column] = []
    for word in sorted(words, key=lambda w: (round(w.top), w.x0)):
        size = word.bottom - word.top
        # the phrase this word goes on: its last word on the same line, just left of this one
        # (cells set at their vertical centre stagger their lines by a few points, so a
        # neighbouring cell's line may come between in top order)
        last = next(
            (
                phrase
                for phrase in reversed(phrases)
                if abs(phrase.words[-1].top - word.top) < 0.5 * size
                and -1 <= word.x0 - phrase.words[-1].x1 < 0.6 * size
            ),
            None,
        )
        if last is not None:
            last.x1 = max(last.x1, word.x1)
            last.words.append(word)
        else:
            phrases.append(_Column(word.x0, word.x1, [word]))
    columns: list[_Column] = []
    for phrase in sorted(phrases, key=lambda c: c.x0):
        if columns and phrase.x0 <= columns[-1].x1 + 1:
            columns[-1].x1 = max(columns[-1].x1, phrase.x1)
            columns[-1].words.extend(phrase.words)
        else:
            columns.append(phrase)
    return columns


def _table_end(body: list[Word], edges: list[float]) -> float:
    """Where the table stops: before the first line of words running across most column
    boundaries (a paragraph after the table; a table's lines keep to their columns, a group
    heading may run over one or two). A line runs across a boundary when a word stands over
    it or two words a word space apart stand either side (a gutter is wider than a word
    space: the paragraph's own gaps may fall on the gutter). A numbered heading running across
    (a group row merged over the columns) ends the table only when the line below it runs
    across too (a paragraph under a heading after the table)."""
    needed = max(2, (len(edges) + 1) // 2)
    lines = _page_lines(body)
    for index, line in enumerate(lines):
        if _crossed(line, edges) < needed:
            continue
        first = min(line, key=lambda w: w.x0).text
        below = lines[index + 1] if index + 1 < len(lines) else None
        if _HEADING_NUMBER.match(first) and below is not None and _crossed(below, edges) < needed:
            continue  # a group heading merged across the columns, the table's rows go on
        return min(w.top for w in line) - 0.1
    return float("inf")


# A group heading's numbering opening a line: "I.", "2.", "A.", "b)".
_HEADING_NUMBER = re.compile(r"^(?:[IVXL]{1,6}|\d{1,2}|[A-ZĐ]|[a-zđ])[.)]$")


def _page_lines(words: list[Word]) -> list[list[Word]]:
    """Words in lines across the page, top to bottom, each left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(word.top - lines[-1][0].top) < 0.5 * (word.bottom - word.top):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _crossed(line: list[Word], edges: list[float]) -> int:
    """How many column boundaries a line of words runs across."""
    size = max(w.bottom - w.top for w in line)
    count = 0
    for edge in edges:
        if any(w.x0 < edge < w.x1 for w in line) or any(
            a.x1 <= edge <= b.x0 and b.x0 - a.x1 < WORD_SPACE * size for a, b in pairwise(line)
        ):
            count += 1
    return count


def _boundaries(columns: list[_Column], body: list[Word]) -> list[float]:
    """x of the boundary between each two neighbouring columns: the clearest gutter between
    their header cells (the fewest words of the rows standing across it, the middle of the
    widest run of such points)."""
    import numpy as np

    width = int(max(max(w.x1 for w in body), columns[-1].x1)) + 2
    change = np.zeros(width + 1, dtype=np.int32)
    for word in body:
        change[int(np.ceil(word.x0))] += 1  # a point x is covered when x0 < x < x1
        change[max(int(np.floor(word.x1)), int(np.ceil(word.x0)))] -= 1
    coverage = np.cumsum(change)
    edges: list[float] = []
    for left, right in pairwise(columns):
        # a header cell's words stand inside its column: between the two header cells when
        # they leave room, else between their centres
        start, end = int(left.x1), int(right.x0)
        if end - start < MIN_GUTTER:
            start, end = int((left.x0 + left.x1) / 2), int((right.x0 + right.x1) / 2)
        if end <= start:
            edges.append((left.x1 + right.x0) / 2)
            continue
        window = coverage[start : end + 1]
        lowest = np.flatnonzero(window == window.min())
        # the widest run of the lowest points
        runs = np.split(lowest, np.flatnonzero(np.diff(lowest) > 1) + 1)
        run = max(runs, key=len)
        edges.append(start + float(run[0] + run[-1]) / 2)
    return edges


def _column_of(word: Word, edges: list[float]) -> int:
    return sum(1 for edge in edges if word.middle > edge)


def _rows(
    body: list[Word], edges: list[float], number_column: int, text_column: int, sentences: set[int]
) -> list[list[Word]]:
    """Words grouped into rows: one number of the number column each, the row above ending
    where the fewest words cross between two numbers (the widest such run of white space, the
    last of equally wide ones: a cell set at its top ends right before the next number)."""
    import numpy as np

    numbers: list[Word] = []
    for word in sorted(body, key=lambda w: w.top):
        if _column_of(word, edges) != number_column or not _ROW_NUMBER.match(word.text):
            continue
        if numbers and word.top < numbers[-1].bottom:
            continue  # the same line
        numbers.append(word)
    if not numbers:
        return []
    step = 4  # positions per point
    top = min(w.top for w in body)
    size = int((max(w.bottom for w in body) - top) * step) + 2
    change = np.zeros(size + 1, dtype=np.int32)
    for lines in _column_lines(body, edges):
        for line_top, line_bottom in lines:
            # the letters, not the font's whole box (the boxes of two lines may touch)
            inset = INK_INSET * (line_bottom - line_top)
            start = int(np.ceil((line_top + inset - top) * step))
            end = int(np.floor((line_bottom - inset - top) * step))
            if end > start:
                change[start + 1] += 1  # covered strictly inside the line's letters
                change[end] -= 1
    coverage = np.cumsum(change) * 1000 + _joins(body, edges, top, step, size)
    cuts: list[float] = []
    for above, below in pairwise(numbers):
        start, end = int((above.bottom - top) * step), int((below.top - top) * step)
        if end <= start:
            cuts.append((above.bottom + below.top) / 2)
            continue
        window = coverage[start : end + 1]
        lowest = np.flatnonzero(window == window.min())
        runs = np.split(lowest, np.flatnonzero(np.diff(lowest) > 1) + 1)
        widest = max(len(run) for run in runs)
        run = [run for run in runs if len(run) >= widest - step][-1]
        cuts.append(top + (start + float(run[0] + run[-1]) / 2) / step)
    # Above the first number, a row that has none: the end of a row cut by the page break,
    # when a clean cut (no line across, no paragraph going on) parts it from the first row.
    start, end = 0, int((numbers[0].top - top) * step)
    cut = None
    if end > start and int(coverage[start : end + 1].min()) == 0:
        clean = np.flatnonzero(coverage[start : end + 1] == 0)
        cut = top + float(clean[-1]) / step
    if (
        (cut is None or not any(word.centre < cut for word in body))
        and end > start
        and _opens_task(body, edges, text_column, numbers[0])
    ):
        # No clean cut, but the task's words open level with the first number (rows printed
        # without padding, the row above ending in full sentences): the row starts at the
        # lowest point above them no column's letters cross (a taller cell beside it, set at
        # its centre, may open a line or two higher).
        opening = int((numbers[0].top - top) * step)
        ink = np.cumsum(change)[: opening + 1]
        clear = np.flatnonzero(ink == 0)
        cut = top + float(clear[-1]) / step if clear.size else numbers[0].top - 0.1
    if cut is None or not any(word.centre < cut for word in body):
        cut = _opening_cut(body, edges, sentences, numbers[0])
    if cut is not None and any(word.centre < cut for word in body):
        cuts.insert(0, cut)
        numbers.insert(0, numbers[0])
    rows: list[list[Word]] = [[] for _ in numbers]
    for word in body:
        rows[sum(1 for cut in cuts if word.centre > cut)].append(word)
    return [row for row in rows if row]


# A task's words end a sentence (or a list item) at the end of a cell's line.
_SENTENCE_END = (".", ";", ":", "!", "?")


def _opening_cut(body: list[Word], edges: list[float], sentences: set[int], number: Word) -> float | None:
    """Above the first number, where the rest of a row cut by the page break ends and the
    next row opens, when no white space parts them: the first height no line's letters cross
    below which each column that goes on opens a line in capitals, after the end of a
    sentence, in two columns or more at once, or in a column of sentences (task, deadline,
    product: a body's name in capitals may go on a list)."""
    pitch = _pitch(body, edges)
    if pitch <= 0:
        return None
    columns = [_page_lines([w for w in body if _column_of(w, edges) == c]) for c in range(len(edges) + 1)]
    above_number = [line for lines in columns for line in lines if line[0].top <= number.top + 0.5 * pitch]
    for line in sorted(above_number, key=lambda ln: ln[0].top):
        top = line[0].top
        if not any(w.centre < top for w in body):
            continue
        crossed = any(
            other[0].top + INK_INSET * pitch < top - 0.5 and other[0].bottom - INK_INSET * pitch > top - 0.5
            for lines in columns
            for other in lines
        )
        if crossed:
            continue
        opening: list[tuple[int, list[Word], list[Word] | None]] = []
        for column, lines in enumerate(columns):
            below = [ln for ln in lines if top - 0.5 * pitch <= ln[0].top < top + 1.5 * pitch]
            if below:
                before = [ln for ln in lines if ln[0].top < top - 0.5 * pitch]
                opening.append((column, below[0], before[-1] if before else None))
        if not opening or not all(
            ln[0].text.lstrip("-+•*")[:1].isupper() or _ROW_NUMBER.match(ln[0].text) for _, ln, _ in opening
        ):
            continue
        if (
            len(opening) >= 2
            or any(before is not None and before[-1].text.endswith(_SENTENCE_END) for _, _, before in opening)
            or opening[0][0] in sentences
        ):
            return top - 0.5
    return None


def _opens_task(body: list[Word], edges: list[float], text_column: int, number: Word) -> bool:
    """The task column's line level with a row number opens the task: no line of that column
    above it, or the line above ends a sentence and this one opens in capitals."""
    lines = _page_lines([w for w in body if _column_of(w, edges) == text_column])
    level = [line for line in lines if abs(line[0].top - number.top) < 0.5 * (number.bottom - number.top)]
    if not level:
        return False
    above = [line for line in lines if line[0].top < level[0][0].top - 0.5 * (number.bottom - number.top)]
    if not above:
        return True
    opening = level[0][0].text.lstrip("-+•*")
    return above[-1][-1].text.endswith(_SENTENCE_END) and opening[:1].isupper()


def _pitch(body: list[Word], edges: list[float]) -> float:
    """The ordinary distance between the tops of two lines of one cell."""
    pitches = sorted(b[0] - a[0] for lines in _column_lines(body, edges) for a, b in pairwise(lines))
    return pitches[len(pitches) // 2] if pitches else 0.0


def _sub_rows(row: list[Word], edges: list[float], own: tuple[int, ...], pitch: float) -> list[list[Word]]:
    """A numbered row cut into the sub-rows printed under its number (a task cell merged over
    rows each with their own bodies and deadline). A sub-row starts where two or more of the
    assignment columns (all but the number and the task) open a block of lines level with each
    other, below a block of their own in the same row; or, in a table whose cells are set at
    their vertical centre, where one assignment column ends a sentence and opens the next line
    in capitals (its two cells fill their sub-rows) while two or more others part two blocks
    of their own around that height. No line of an assignment column runs across it; the
    number and task cells may (merged over the sub-rows, centred across the boundary: they
    stay whole in the first sub-row)."""
    if pitch <= 0:
        return [row]
    lines = _column_lines(row, edges)
    height = 0.5 * pitch
    starts: list[tuple[float, int]] = []  # (top, column) of each block but a column's first
    for column, column_lines in enumerate(lines):
        if column in own:
            continue
        for (top_a, _), (top_b, _) in pairwise(column_lines):
            if top_b - top_a > PARAGRAPH_PITCH * pitch:
                starts.append((top_b, column))
    candidates = [top for top, _ in starts if len({c for t, c in starts if abs(t - top) < height}) >= 2]
    candidates += [
        top
        for top, column in _sentence_starts(row, edges, own, pitch)
        if sum(
            1
            for other, column_lines in enumerate(lines)
            if other not in own
            and other != column
            and any(a < top - 0.5 and b > top + 0.5 for (_, a), (b, _) in pairwise(column_lines))
            and any(
                (b - a) > PARAGRAPH_PITCH * pitch
                for (a, _), (b, _) in pairwise(column_lines)
                if a < top - 0.5 and b > top - 0.5
            )
        )
        >= 2
    ]
    cuts: list[tuple[float, bool]] = []  # (height, whether the own cells run on across it)
    for top in sorted(candidates):
        if cuts and top - 0.5 - cuts[-1][0] < height:
            continue
        crossing = {
            column
            for column, column_lines in enumerate(lines)
            for line_top, line_bottom in column_lines
            if line_top < top - height and line_bottom - INK_INSET * (line_bottom - line_top) > top
        }
        if not crossing - set(own):
            cuts.append((top - 0.5, bool(crossing)))
    if not cuts:
        return [row]
    parts: list[list[Word]] = [[] for _ in range(len(cuts) + 1)]
    for word in row:
        whole = _column_of(word, edges) in own
        parts[sum(1 for cut, across in cuts if word.top > cut and not (across and whole))].append(word)
    return [part for part in parts if part]


def _sentence_starts(
    row: list[Word], edges: list[float], own: tuple[int, ...], pitch: float
) -> list[tuple[float, int]]:
    """(top, column) of each line of an assignment column that opens in capitals right under a
    line ending a sentence, with no white space between them."""
    found: list[tuple[float, int]] = []
    for column in range(len(edges) + 1):
        if column in own:
            continue
        column_lines = _page_lines([w for w in row if _column_of(w, edges) == column])
        for above, below in pairwise(column_lines):
            if (
                below[0].top - above[0].top <= PARAGRAPH_PITCH * pitch
                and above[-1].text.endswith(".")
                and below[0].text[:1].isupper()
            ):
                found.append((below[0].top, column))
    return found


def _column_lines(body: list[Word], edges: list[float]) -> list[list[tuple[float, float]]]:
    """Each column's text lines, (top, bottom), top to bottom."""
    lines_by_column: list[list[tuple[float, float]]] = [[] for _ in range(len(edges) + 1)]
    for word in sorted(body, key=lambda w: w.top):
        column = lines_by_column[_column_of(word, edges)]
        if column and abs(column[-1][0] - word.top) < 0.5 * (word.bottom - word.top):
            last_top, last_bottom = column[-1]
            column[-1] = (last_top, max(last_bottom, word.bottom))
            continue
        column.append((word.top, word.bottom))
    return lines_by_column


def _joins(body: list[Word], edges: list[float], top: float, step: int, size: int) -> Any:
    """Per position down the table: how many columns have two lines of one paragraph above and
    below it (lines one ordinary line pitch apart), where a row should not end; a line opening
    in lower case goes on with the line above it (a sentence going on), and weighs more than
    all the columns together, so a row never ends right above it while another cut is left."""
    import numpy as np

    lines_by_column = _column_lines(body, edges)
    pitches = sorted(b[0] - a[0] for lines in lines_by_column for a, b in pairwise(lines))
    joins = np.zeros(size + 1, dtype=np.int32)
    if not pitches:
        return joins
    pitch = pitches[len(pitches) // 2]
    going_on = len(edges) + 2
    change = np.zeros(size + 2, dtype=np.int32)
    for column in range(len(edges) + 1):
        lines = _page_lines([w for w in body if _column_of(w, edges) == column])
        for line_a, line_b in pairwise(lines):
            top_a, top_b = line_a[0].top, line_b[0].top
            bottom_a, bottom_b = max(w.bottom for w in line_a), max(w.bottom for w in line_b)
            if top_b - top_a <= PARAGRAPH_PITCH * pitch:
                # from the middle of the one line to the middle of the next
                middle_a, middle_b = (top_a + bottom_a) / 2, (top_b + bottom_b) / 2
                start, end = int((middle_a - top) * step), int((middle_b - top) * step)
                weight = going_on if line_b[0].text[:1].islower() else 1
                if end > start:
                    change[max(start, 0)] += weight
                    change[min(end + 1, size + 1)] -= weight
    joins = np.cumsum(change)[: size + 1]
    return joins


def _merged_edges(words: list[Word], edges: list[float]) -> set[int]:
    """The boundaries a cell merged across columns runs over in this row (a shared 'Theo phân
    công tại ...' over the lead and cooperating columns): two lines or more hold words either
    side of the boundary, none of them leaves a gutter there, and a word of one stands over it."""
    lines = _page_lines(words)
    merged: set[int] = set()
    for index, edge in enumerate(edges):
        left = edges[index - 1] if index > 0 else float("-inf")
        right = edges[index + 1] if index + 1 < len(edges) else float("inf")
        readings = []
        for line in lines:
            pair = [w for w in line if left < w.middle < right]
            if any(w.middle < edge for w in pair) and any(w.middle > edge for w in pair):
                readings.append(_runs_over(pair, edge))
        if len(readings) >= 2 and False not in readings and "over" in readings:
            merged.add(index)
    return merged


def _runs_over(words: list[Word], edge: float) -> str | bool | None:
    """Whether a line of one cell's words runs over ``edge``: "over" when a word stands over
    it, True when the gap there is a word space or no wider than the line's other gaps (a
    justified line), False when it is a gutter, None when the line has no other gap to tell."""
    if any(w.x0 < edge < w.x1 for w in words):
        return "over"
    size = max(w.bottom - w.top for w in words)
    gaps = [(b.x0 - a.x1, a.x1 <= edge <= b.x0) for a, b in pairwise(words)]
    across = [gap for gap, at_edge in gaps if at_edge]
    others = [gap for gap, at_edge in gaps if not at_edge]
    if not across:
        return None
    if across[0] < WORD_SPACE * size:
        return True
    if not others:
        return None
    return across[0] <= JUSTIFIED_GAP * max(others)


def _phrase_columns(words: list[Word], edges: list[float]) -> dict[int, int]:
    """Column of each word (by id): its own, but a phrase of words a word space apart that
    runs over a boundary (a short name centred in a column wider below than its header, "Sở
    Nội | vụ") goes whole to the column holding most of its width."""
    columns = {id(word): _column_of(word, edges) for word in words}
    for line in _page_lines(words):
        size = max(w.bottom - w.top for w in line)
        phrases: list[list[Word]] = []
        for word in line:
            if phrases and word.x0 - phrases[-1][-1].x1 < WORD_SPACE * size:
                phrases[-1].append(word)
            else:
                phrases.append([word])
        for phrase in phrases:
            held = {columns[id(w)] for w in phrase}
            if len(held) < 2:
                continue
            width = {c: sum(w.x1 - w.x0 for w in phrase if columns[id(w)] == c) for c in held}
            main = max(width, key=lambda c: width[c])
            for word in phrase:
                columns[id(word)] = main
    return columns


def _cells(words: list[Word], edges: list[float]) -> list[Cell]:
    by_column: list[list[Word]] = [[] for _ in range(len(edges) + 1)]
    merged = _merged_edges(words, edges)
    columns = _phrase_columns(words, edges) if not merged else {id(w): _column_of(w, edges) for w in words}
    for word in words:
        by_column[columns[id(word)]].append(word)
    spans: list[list[Word]] = []  # the words of each cell, a merged cell's columns together
    widths: list[int] = []
    for column, column_words in enumerate(by_column):
        if column > 0 and column - 1 in merged:
            spans[-1].extend(column_words)
            widths[-1] += 1
        else:
            spans.append(list(column_words))
            widths.append(1)
    cells: list[Cell] = []
    for column_words, width in zip(spans, widths, strict=True):
        text = "\n".join(" ".join(w.text for w in line) for line in _page_lines(column_words))
        cells.append(Cell(text=text, colspan=width))
    return cells
