"""Markdown text (web pages saved as Markdown) as paragraphs, bold/italic lines and tables.

Legal-document portals are often crawled into Markdown: the page's HTML tables come out either
as pipe tables ("| a | b |" rows) or, from converters such as trafilatura, flattened: each
cell's text between lines holding a lone "|", two such lines in a row ending one table row and
starting the next. Paragraphs are hard-wrapped at about 80 characters, with or without blank
lines between them; headings are "#" lines or lines in "**bold**".

This reader gives the same model the DOCX reader gives: one line per paragraph (wrapped lines
joined, emphasis markers removed and turned into the bold/italic flags), and each table as a
``Table`` whose cell paragraphs are also lines with ``block="table"``, so the header, signature
and task-table code serve Markdown unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.model import Cell, Line, Page, Table
from pipeline.nlp.header_lines import motto_start
from pipeline.nlp.vocabulary import authority_head

_BAR = "|"
_RULE = re.compile(r"^\s*([-_=*~]\s*){3,}$")  # "-------" under the header names, "***" breaks
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})(\s+|$)")
_EMPHASIS = re.compile(r"\\([\\*_`#|\[\]()\-+.!>])|(\*\*|\*)")
# A line that starts a new paragraph: a list bullet or a numbered/lettered item.
_ITEM = re.compile(r"^\s*([-+•–]\s|\d+(\.\d+)*[.)]\s|[a-zđ][.)]\s|[IVXLC]+\.\s)")
# "Trong giai đoạn 2026\n- 2030": a wrapped range, not a bullet.
_RANGE_CONTINUATION = re.compile(r"^\s*-\s*\d")
_SENTENCE_END = re.compile(r"[.:;!?…]\s*$")
# Row labels of task tables: "1", "2.3", "I", "a", "II." ...
_ROW_LABEL = re.compile(r"^(\d+(\.\d+)*|[IVXLC]+|[a-zđ])\.?$")
# More lines than this between two bars is running text after a table, not one cell.
_MAX_CELL_LINES = 25
# An annex title right after a bar starts the annex: the table before it (the signature) ended.
# The motto's first words ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA") in a row of the portal's table.
_MOTTO_WORDS = 6
_ANNEX = re.compile(r"^(PHỤ LỤC|Phụ lục)\b")


def looks_like_markdown(text: str) -> bool:
    """Markdown markup a plain-text document would not have: bars, bold markers, headings."""
    lines = text.split("\n", 20_000)
    bars = sum(1 for line in lines if line.strip() == _BAR or _PIPE_ROW.match(line))
    bold = sum(line.count("**") for line in lines)
    headings = sum(1 for line in lines if _HEADING.match(line) and line.strip("# ").strip())
    return bars >= 3 or bold >= 4 or headings >= 1


@dataclass
class _Styled:
    text: str
    bold: bool
    italic: bool


@dataclass
class _State:
    bold: bool = False
    italic: bool = False


def _strip_emphasis(raw: str, state: _State) -> tuple[str, int, int]:
    """Text without markers, and how many of its characters were bold / italic."""
    out: list[str] = []
    bold_chars = italic_chars = 0
    position = 0
    for match in _EMPHASIS.finditer(raw):
        piece = raw[position : match.start()]
        out.append(piece)
        visible = len(piece.strip())
        bold_chars += visible if state.bold else 0
        italic_chars += visible if state.italic else 0
        if match.group(1) is not None:
            out.append(match.group(1))
        elif match.group(2) == "**":
            state.bold = not state.bold
        else:
            state.italic = not state.italic
        position = match.end()
    piece = raw[position:]
    out.append(piece)
    visible = len(piece.strip())
    bold_chars += visible if state.bold else 0
    italic_chars += visible if state.italic else 0
    return "".join(out), bold_chars, italic_chars


def _plain(raw: str) -> str:
    return _strip_emphasis(raw, _State())[0].strip()


def _paragraphs(raw_lines: list[str], *, in_cell: bool) -> list[_Styled]:
    """Join hard-wrapped lines into paragraphs.

    A line starts a new paragraph after a blank line, at a list item, at an emphasis boundary
    (a bold heading line, the "**UBND**" line above the unit's name) and, in running text,
    after a sentence end followed by a capital.
    """
    groups: list[list[str]] = []
    state = _State()
    for raw in raw_lines:
        if not raw.strip() or _RULE.match(raw) or (_HEADING.match(raw) and not raw.strip("# ").strip()):
            if groups and groups[-1]:
                groups.append([])
            state = _State()
            continue
        heading = _HEADING.match(raw)
        text = raw[heading.end() :] if heading else raw
        if heading:
            text = f"**{text.strip()}**"
        open_span = state.bold or state.italic
        previous = groups[-1][-1] if groups and groups[-1] else None
        _strip_emphasis(text, state)
        if previous is None or open_span:
            if previous is None and groups and not groups[-1]:
                groups[-1].append(text)
            elif previous is None:
                groups.append([text])
            else:
                groups[-1].append(text)
            continue
        plain, plain_previous = _plain(text), _plain(previous)
        new = bool(heading) or (
            bool(_ITEM.match(plain))
            and not (_RANGE_CONTINUATION.match(plain) and plain_previous[-1:].isdigit())
        )
        # An emphasis boundary between the lines: "**UỶ BAN NHÂN DÂN**" / "TỈNH BẮC NINH".
        boundary = previous.rstrip().endswith("*") or text.lstrip().startswith("*")
        if in_cell:
            new = new or (boundary and not plain_previous.endswith(":"))
            # A signature block: "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / "Nguyễn Văn Đệ", one line each.
            new = new or (_is_upper(plain_previous) and plain[:1].isupper() and not _is_upper(plain))
            new = new or (authority_head(plain_previous) is not None and _is_upper(plain))
        else:
            first = plain[:1]
            sentence = bool(_SENTENCE_END.search(plain_previous)) and (first.isupper() or first in "*(")
            # An upper-case title, then the opening sentence: "... PHÒNG THỦ DÂN SỰ" / "Thực hiện ...".
            sentence = sentence or (_is_upper(plain_previous) and first.isupper() and not _is_upper(plain))
            new = (
                new
                or sentence
                or (boundary and bool(_SENTENCE_END.search(plain_previous) or _is_heading(previous)))
            )
        if new:
            groups.append([text])
        else:
            groups[-1].append(text)
    paragraphs: list[_Styled] = []
    for group in groups:
        if not group:
            continue
        text, bold_chars, italic_chars = _strip_emphasis(" ".join(line.strip() for line in group), _State())
        text = re.sub(r"\s+", " ", text).strip()
        if not text:
            continue
        visible = len(text.replace(" ", "")) or 1
        paragraphs.append(_Styled(text, bold_chars * 2 > visible, italic_chars * 2 > visible))
    return paragraphs


def _is_upper(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return len(letters) >= 3 and all(char.isupper() for char in letters)


def _is_heading(raw: str) -> bool:
    stripped = raw.strip()
    return stripped.startswith("**") and stripped.endswith("**")


@dataclass
class _Block:
    """A run of source lines: running text, or the cells of a table."""

    lines: list[str] = field(default_factory=list)
    rows: list[list[list[str]]] | None = None
    html: str | None = None  # an HTML table kept as markup inside the Markdown


def _flat_table_rows(lines: list[str]) -> list[list[list[str]]]:
    """Cells between lone "|" lines; an empty cell between two bars ends a row.

    An empty token is a row boundary unless the row is still short and what follows is not a
    row label (then it is an empty cell), or another empty token follows (an empty last cell).
    """
    tokens: list[list[str]] = []
    current: list[str] | None = None
    for line in lines:
        if line.strip() == _BAR:
            if current is not None:
                tokens.append(current)
            current = []
        elif current is not None:
            current.append(line)
    rows: list[list[list[str]]] = []
    row: list[list[str]] = []
    width = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        empty = _blank(token)
        if not empty:
            row.append(token)
            index += 1
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        following_empty = following is not None and _blank(following)
        following_label = following is not None and bool(_ROW_LABEL.match(_plain(" ".join(following))))
        if row and width and len(row) < width and (following_empty or not following_label):
            row.append(token)  # an empty cell inside the row
            index += 1
            continue
        if row:
            rows.append(row)
            width = width or len(row)
        row = []
        index += 1
    if row:
        rows.append(row)
    return rows


# A cell of dots alone ("….........."): the rows a copied table leaves out, no text of a row.
_ELISION = re.compile(r"^[.…\s]{3,}$")


def _blank(token: list[str]) -> bool:
    """A token holding no text of a cell: empty, or an elision mark of dots."""
    text = " ".join(_plain(line) for line in token).strip()
    return not text or bool(_ELISION.match(text))


def _opens_annex(lines: list[str], bar: int, probe: int) -> bool:
    """The first words after ``bar`` are an annex title, and ``probe`` is where they are."""
    first = next((i for i in range(bar + 1, probe + 1) if _plain(lines[i])), None)
    return first == probe and bool(_ANNEX.match(_plain(lines[probe])))


def _pipe_table_rows(lines: list[str]) -> list[list[list[str]]]:
    rows: list[list[list[str]]] = []
    for line in lines:
        if _PIPE_SEPARATOR.match(line):
            continue
        inner = line.strip()
        inner = inner[1:] if inner.startswith("|") else inner
        inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
        cells = re.split(r"(?<!\\)\|", inner)
        rows.append([[cell.replace("\\|", "|").replace("<br>", "\n")] for cell in cells])
    return rows


def _blocks(lines: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    index = 0
    text = _Block()
    while index < len(lines):
        line = lines[index]
        if line.strip() == _BAR:
            # A flattened table: up to the last lone bar before a blank line, or before a run
            # of lines too long for a cell (the document's text after a page-layout table).
            end = probe = index
            while probe < len(lines) and lines[probe].strip():
                if lines[probe].strip() == _BAR:
                    end = probe
                elif probe - end > _MAX_CELL_LINES or _opens_annex(lines, end, probe):
                    probe = end + 1
                    break
                probe += 1
            if text.lines:
                blocks.append(text)
                text = _Block()
            blocks.append(_Block(lines=lines[index : end + 1], rows=_flat_table_rows(lines[index : end + 1])))
            text.lines.extend(lines[end + 1 : probe])
            index = probe
            continue
        if line.lstrip().lower().startswith("<table"):
            closing = next((i for i in range(index, len(lines)) if "</table>" in lines[i].lower()), None)
            if closing is not None:
                if text.lines:
                    blocks.append(text)
                    text = _Block()
                blocks.append(_Block(html="\n".join(lines[index : closing + 1])))
                index = closing + 1
                continue
        if _PIPE_ROW.match(line) and line.strip() != _BAR:
            end = index
            while end < len(lines) and (_PIPE_ROW.match(lines[end]) or _PIPE_SEPARATOR.match(lines[end])):
                end += 1
            if end - index >= 2:
                if text.lines:
                    blocks.append(text)
                    text = _Block()
                blocks.append(_Block(lines=lines[index:end], rows=_pipe_table_rows(lines[index:end])))
                index = end
                continue
        text.lines.append(line)
        index += 1
    if text.lines:
        blocks.append(text)
    return blocks


def _split_at_motto(blocks: list[_Block]) -> list[_Block]:
    """A portal's page-layout table holds its own rows ("Số hiệu:", "Loại văn bản:") above the
    document's header: the table starts at the row with the national motto."""
    result: list[_Block] = []
    motto = motto_start(_MOTTO_WORDS)
    for block in blocks:
        rows = block.rows
        at = next(
            (i for i, row in enumerate(rows or []) if any(motto.search(_plain(" ".join(c))) for c in row)),
            None,
        )
        if rows is None or not at:
            result.append(block)
            continue
        # The portal's own rows are no part of the document: left out, like menus in HTML.
        result.append(_Block(rows=rows[at:]))
    return result


def _html_table(markup: str, page: Page) -> None:
    """An HTML table inside Markdown, read by the HTML reader's own walk (cells, spans, lines)."""
    import lxml.html

    from pipeline.read import html

    fragment = lxml.html.fragment_fromstring(markup, create_parent="div")
    html._walk(fragment, page)


def page_from_markdown(text: str) -> Page:
    """One page: paragraphs as lines, tables as ``Table`` plus their cell lines."""
    page = Page(number=1)
    for block in _split_at_motto(_blocks(text.split("\n"))):
        if block.html is not None:
            _html_table(block.html, page)
            continue
        if block.rows is None:
            for paragraph in _paragraphs(block.lines, in_cell=False):
                # Emphasis is optional markup: a line without it is of unknown weight, not plain
                # (converters drop the bold of many a title).
                page.lines.append(
                    Line(text=paragraph.text, bold=paragraph.bold or None, italic=paragraph.italic)
                )
            continue
        if not any(block.rows):
            continue
        table_index = len(page.tables)
        table = Table(rows=[])
        for row_index, raw_row in enumerate(block.rows):
            cells: list[Cell] = []
            for column, raw_cell in enumerate(raw_row):
                paragraphs = _paragraphs(raw_cell, in_cell=True)
                for paragraph in paragraphs:
                    page.lines.append(
                        Line(
                            text=paragraph.text,
                            bold=paragraph.bold,
                            italic=paragraph.italic,
                            block="table",
                            table_index=table_index,
                            row=row_index,
                            column=column,
                        )
                    )
                cells.append(
                    Cell(
                        text="\n".join(paragraph.text for paragraph in paragraphs),
                        bold=all(paragraph.bold for paragraph in paragraphs) if paragraphs else None,
                    )
                )
            table.rows.append(cells)
        # Two columns and a few rows: the layout table of a header or a signature block.
        width = max((len(row) for row in table.rows), default=0)
        table.borderless = width <= 2 and len(table.rows) <= 3
        page.tables.append(table)
    page.origin = "layer" if any(line.text.strip() for line in page.lines) else "none"
    return page
