"""Header and closing blocks set side by side with tabs, split into two-column tables.

Older word-processor documents set the two header blocks ("ỦY BAN NHÂN DÂN <tab> CỘNG HÒA XÃ
HỘI ...") and the closing ("Nơi nhận: <tab> TM. ỦY BAN NHÂN DÂN") with tabs or runs of spaces
instead of a table. Such lines are split into a borderless two-column table, as a Word table
would read, so that the zones see the blocks apart.

This runs once the text is Unicode (after repair.legacy) and before repair.normalize folds the
tabs and spaces it measures; only documents whose reader keeps them (``Document.tab_layout``).
The weight of each part comes from the line's runs (a bold issuer beside a plain motto).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.model import Cell, Line, Page, Table
from pipeline.nlp.header_lines import date_words, motto_words, recipients_label_alone
from pipeline.registry import Context, component

# Older documents set the two header blocks side by side with tabs or runs of spaces
# instead of a table: "ỦY BAN NHÂN DÂN <tab> CỘNG HÒA XÃ HỘI ...".
_COLUMN_GAP = re.compile(r"\s*\t\s*|\s{3,}")


@dataclass(frozen=True)
class TabSettings:
    """layout.tab_tables' measures, in characters of the tab-expanded text."""

    tab_width: int = 8
    header_max_rows: int = 8
    # A line of one part starting this far right (share of the first row's gutter) is right-hand.
    right_indent: float = 0.6
    header_part_max: int = 70
    # Lines above the recipients label that may be the signer block's (authority, title).
    signer_line_max: int = 50
    closing_gutter: int = 30
    closing_max_rows: int = 40
    closing_above: int = 4


DEFAULTS = TabSettings()


def split_tab_header(page: Page, settings: TabSettings = DEFAULTS) -> None:
    """Turn a tab-laid header into a borderless two-column table, as a Word table would read.

    Only at the very top of the page, and only when the first line splits into two blocks;
    one-part lines continue the column their indent points to, up to the date line.
    """
    rows = _tab_header_rows(page.lines, settings)
    if rows:
        _rows_to_table(page, rows)


def split_tab_closing(page: Page, settings: TabSettings = DEFAULTS) -> None:
    """The same for the closing: "Nơi nhận:" on the left, the signer block on the right.

    Rows run from the right-hand authority lines just above "Nơi nhận" through the list
    (items, indented continuations, lines split by a gap); kept only if some row has a
    right-hand part.
    """
    rows = _tab_closing_rows(page.lines, settings)
    if any(column == 1 for _, parts in rows for column, _ in parts):
        _rows_to_table(page, rows)


def _rows_to_table(page: Page, rows: list[tuple[Line, list[tuple[int, str]]]]) -> None:
    start = page.lines.index(rows[0][0])
    # Tables are numbered in document order: this one goes after those above it.
    index = 1 + max(
        (line.table_index for line in page.lines[:start] if line.table_index is not None), default=-1
    )
    for line in page.lines:
        if line.table_index is not None and line.table_index >= index:
            line.table_index += 1
    table = Table(rows=[], borderless=True)
    page.tables.insert(index, table)
    replaced: list[Line] = []
    for row_index, (line, parts) in enumerate(rows):
        cells = [Cell(text=""), Cell(text="")]
        searched = 0
        mask = _bold_mask(line)
        for column, text in parts:
            bold, searched = _part_bold(line, text, mask, searched)
            cells[column] = Cell(text=text, bold=bold)
            replaced.append(
                replace(
                    line,
                    text=text,
                    bold=bold,
                    block="table",
                    table_index=index,
                    row=row_index,
                    column=column,
                    runs=[],  # a part's offsets are no longer the line's
                )
            )
        table.rows.append(cells)
    end = page.lines.index(rows[-1][0]) + 1
    page.lines[start:end] = replaced


def _part_bold(line: Line, part: str, mask: str | None, searched: int) -> tuple[bool | None, int]:
    """Whether most of ``part`` is bold in ``line``, and where in the line the part ended."""
    found = re.compile(r"\s+".join(map(re.escape, part.split()))).search(line.text, searched)
    if mask is None or found is None or len(mask) != len(line.text):
        return line.bold, searched
    span = zip(line.text[found.start() : found.end()], mask[found.start() :], strict=False)
    weights = [flag for char, flag in span if not char.isspace()]
    return (weights.count("1") * 2 > len(weights) if weights else line.bold), found.end()


def _tab_header_rows(lines: list[Line], settings: TabSettings) -> list[tuple[Line, list[tuple[int, str]]]]:
    """The header's lines with their (column, text) parts; empty when it is no tab header."""
    rows: list[tuple[Line, list[tuple[int, str]]]] = []
    gutter: int | None = None
    for line in lines:
        if line.block != "body":
            break
        text = _geometry(line, settings.tab_width)
        if not text.strip():
            continue
        gap = _column_gap(text, gutter)
        indent = len(text) - len(text.lstrip())
        if gap is not None and gap.start() - indent <= settings.header_part_max:
            gutter = gap.end() if gutter is None else gutter
            rows.append((line, _two_parts(line, text, gap, settings.tab_width)))
        elif gutter is not None and not line.centered and len(text) - indent <= settings.header_part_max:
            column = 1 if indent >= settings.right_indent * gutter else 0
            rows.append((line, [(column, _expand_tabs(line.text, settings.tab_width).strip())]))
        else:
            break
        if len(rows) >= settings.header_max_rows or date_words().search(line.text):
            break
    # A header has the motto ("Cộng hòa xã hội ...", "Đảng Cộng sản ...") in its right block,
    # and the two blocks run two lines at least.
    motto = motto_words()
    found = any(column == 1 and motto.search(text) for _, parts in rows[:2] for column, text in parts)
    return rows if len(rows) >= 2 and found else []


_LIST_ITEM = re.compile(r"^[-+•*]")


def _tab_closing_rows(lines: list[Line], settings: TabSettings) -> list[tuple[Line, list[tuple[int, str]]]]:
    anchor = next((i for i, line in enumerate(lines) if _is_recipients_label(line)), None)
    if anchor is None:
        return []
    start = _closing_start(lines, anchor, settings)
    rows: list[tuple[Line, list[tuple[int, str]]]] = []
    for index, line in enumerate(lines[start:], start):
        if line.block != "body" or len(rows) >= settings.closing_max_rows:
            break
        text = _geometry(line, settings.tab_width)
        if not text.strip():
            continue
        if motto_words().search(line.text):
            break  # the next document's header
        indent = len(text) - len(text.lstrip())
        gap = _column_gap(text, settings.closing_gutter)
        if gap is not None and gap.end() >= settings.closing_gutter:
            rows.append((line, _two_parts(line, text, gap, settings.tab_width)))
        elif index <= anchor or indent or _LIST_ITEM.match(text.strip()):
            right = indent >= settings.closing_gutter or (index < anchor and line.centered)
            rows.append((line, [(1 if right else 0, _expand_tabs(line.text, settings.tab_width).strip())]))
        else:
            break
    return rows


def _is_recipients_label(line: Line) -> bool:
    return line.block == "body" and recipients_label_alone().match(line.text.lstrip()) is not None


def _closing_start(lines: list[Line], anchor: int, settings: TabSettings) -> int:
    """The first of the right-hand lines (indented far: "TM. ỦY BAN ...") just above the label."""
    start = anchor
    for index in range(anchor - 1, max(anchor - 1 - 2 * settings.closing_above, -1), -1):
        text = _geometry(lines[index], settings.tab_width)
        # RTF sets the signer block with a left indent the text does not show: centred then.
        indent = len(text) - len(text.lstrip())
        right = indent >= settings.closing_gutter or (
            lines[index].centered and len(text) <= settings.signer_line_max
        )
        if lines[index].block != "body" or (text and not right):
            break
        start = index if text else start
    return start


def _geometry(line: Line, tab_width: int) -> str:
    """The line with its tabs expanded, as the typist laid it out: the text as read when it was
    legacy 8-bit text (one byte, one column), so long as it has the same words."""
    if line.read_text is not None and len(line.read_text.split()) == len(line.text.split()):
        return _expand_tabs(line.read_text, tab_width).rstrip()
    return _expand_tabs(line.text, tab_width).rstrip()


def _two_parts(line: Line, geometry: str, gap: re.Match[str], tab_width: int) -> list[tuple[int, str]]:
    """The line's text cut where ``gap`` cuts its ``geometry``: after the same word."""
    text = _expand_tabs(line.text, tab_width).rstrip()
    if geometry != text:
        words = list(re.finditer(r"\S+", text))
        before = len(geometry[: gap.start()].split())
        left, right = words[before - 1].end(), words[before].start()
        return [(0, text[:left].strip()), (1, " ".join(text[right:].split()))]
    return [(0, text[: gap.start()].strip()), (1, " ".join(text[gap.end() :].split()))]


def _expand_tabs(text: str, tab_width: int) -> str:
    """Tabs as spaces to the next stop, never fewer than a column gap's three."""
    out: list[str] = []
    for char in text:
        if char == "\t":
            width = tab_width - len(out) % tab_width
            out.extend(" " * (width if width >= 3 else width + tab_width))
        else:
            out.append(char)
    return "".join(out)


def _column_gap(text: str, gutter: int | None) -> re.Match[str] | None:
    """The gap between the two blocks: the widest on the first line, later the one nearest
    the first line's gutter (a blank number "Số:      /QĐ" has a wide gap of its own)."""
    gaps = [gap for gap in _COLUMN_GAP.finditer(text) if gap.start() > 0 and gap.end() < len(text)]
    gaps = [gap for gap in gaps if text[: gap.start()].strip()]
    if not gaps:
        return None
    if gutter is None:
        return max(gaps, key=lambda gap: gap.end() - gap.start())
    return min(gaps, key=lambda gap: abs(gap.end() - gutter))


def _bold_mask(line: Line) -> str | None:
    """ "1" for each bold character of the line, "0" for the others; None when its runs do not
    say (no runs, a run of unknown weight, or runs that no longer cover the text)."""
    if not line.runs or any(run.bold is None for run in line.runs):
        return None
    mask = "".join(("1" if run.bold else "0") * (run.end - run.start) for run in line.runs)
    return mask if len(mask) == len(line.text) else None


@component(
    "layout.tab_tables", requires=("text.unicode",), assigns=("text.tab_tables",), settings=TabSettings
)
def tab_tables(ctx: Context) -> None:
    if not ctx.doc.tab_layout:
        return
    settings = ctx.settings(TabSettings)
    for page in ctx.doc.pages:
        split_tab_header(page, settings)
        split_tab_closing(page, settings)
