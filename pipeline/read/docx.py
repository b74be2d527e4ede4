"""DOCX reader: paragraphs, tables and text boxes in document order, one page.

The body XML is walked directly (lxml, iteratively) rather than through python-docx's
paragraph API: that keeps document order between paragraphs and tables, reaches text boxes
(w:txbxContent) and content controls, and lets merged table cells be counted once.
python-docx is still used to open the package and to reach the styles part.

Legacy 8-bit text (TCVN3, VNI) stays as read: each Line keeps its main font and its runs
(``Line.runs``: font and weight per stretch), which tell repair.legacy how to convert it, run
by run where a line mixes legacy fonts (".VnTimeH" capitals beside ".VnTime", TCVN3 beside
VNI). Word's soft hyphen is kept (it is TCVN3's "ư"). Old documents lay the header and the
closing out with tabs instead of a table: layout.tab_tables splits those lines once the text
is Unicode.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx

from pipeline.errors import PipelineError
from pipeline.model import Cell, Document, Line, Page, Run, Table
from pipeline.repair.legacy import font_encoding

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MAX_UNCOMPRESSED = 200 * 1024 * 1024
_MAX_RATIO = 200  # zip bomb guard: uncompressed / compressed of the whole package
_MAX_DEPTH = 64  # nesting of tables in tables and text boxes in tables


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_P, _TBL, _TR, _TC, _R = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r")
_T, _TAB, _BR, _CR = _w("t"), _w("tab"), _w("br"), _w("cr")
_TXBX = _w("txbxContent")
_FALLBACK = f"{{{MC}}}Fallback"
# Not part of the visible text: deleted revisions, field codes, fallback copies of drawings.
_SKIPPED = {_w("del"), _w("instrText"), _w("delText"), f"{{{MC}}}Fallback", _w("rPr"), _w("pPr")}
_BODY_CONTAINERS = {_w("sdt"), _w("sdtContent"), _w("customXml"), _w("ins"), _w("smartTag")}


@dataclass
class _RunStyle:
    bold: bool | None = None
    italic: bool | None = None
    font: str | None = None
    size: float | None = None

    def under(self, base: _RunStyle) -> _RunStyle:
        """These properties where set, else the inherited ones."""
        return _RunStyle(
            bold=self.bold if self.bold is not None else base.bold,
            italic=self.italic if self.italic is not None else base.italic,
            font=self.font or base.font,
            size=self.size or base.size,
        )


@dataclass
class _Paragraph:
    """Text of one w:p split at line breaks, with per-character style counts."""

    lines: list[str]
    bold_chars: int
    italic_chars: int
    total_chars: int
    fonts: Counter[str]
    sizes: Counter[float]
    centered: bool | None
    # Per line: its runs (font and weight per stretch of the text).
    runs: list[list[Run]]


def read_docx(path: Path) -> Document:
    _check_package(path)
    try:
        package = docx.Document(str(path))
    except Exception as error:  # python-docx raises KeyError, ValueError, XMLSyntaxError...
        raise PipelineError(
            "docx.corrupt", f"cannot open {path.name}: {type(error).__name__}: {error}"
        ) from error
    document = Document(path=str(path), format="docx")
    styles = _Styles(package.styles.element)
    page = Page(number=1)
    _read_body(package.element.body, styles, page)
    page.origin = "layer" if page.lines else "none"
    document.pages.append(page)
    document.tab_layout = True
    core = package.core_properties
    for key in ("title", "author", "subject"):
        value = getattr(core, key, None)
        if value:
            document.metadata[f"docx_{key}"] = str(value)
    return document


def _check_package(path: Path) -> None:
    """Refuse corrupt zips and zip bombs before anything is decompressed."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise PipelineError("docx.corrupt", f"{path.name} is not a readable zip: {error}") from error
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > _MAX_UNCOMPRESSED or (total / packed > _MAX_RATIO and total > 10 * 1024 * 1024):
        raise PipelineError("docx.too_large", f"{path.name} unpacks to {total} bytes")
    if not any(info.filename == "word/document.xml" for info in infos):
        raise PipelineError("docx.corrupt", f"{path.name} has no word/document.xml")


# --- body walk ---------------------------------------------------------------------------


def _read_body(body: Any, styles: _Styles, page: Page) -> None:
    for element in _block_children(body):
        if element.tag == _P:
            _emit_paragraph(element, styles, page, block="body")
        elif element.tag == _TBL:
            _emit_table(element, styles, page, depth=0)


def _block_children(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables under ``parent``, looking through content controls."""
    stack = [iter(parent)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag in (_P, _TBL):
            yield child
        elif child.tag in _BODY_CONTAINERS and len(stack) < _MAX_DEPTH:
            stack.append(iter(child))


def _emit_paragraph(element: Any, styles: _Styles, page: Page, block: str, **cell: int) -> None:
    paragraph = _paragraph(element, styles)
    for text, runs in zip(paragraph.lines, paragraph.runs, strict=True):
        page.lines.append(_line(text, runs, paragraph, block, **cell))
    for box in _text_boxes(element):
        for inner in _block_children(box):
            if inner.tag == _P:
                _emit_paragraph(inner, styles, page, block="textbox")


def _line(text: str, runs: list[Run], paragraph: _Paragraph, block: str, **cell: int) -> Line:
    total = paragraph.total_chars or 1
    return Line(
        text=text,
        bold=paragraph.bold_chars * 2 > total,
        italic=paragraph.italic_chars * 2 > total,
        size=paragraph.sizes.most_common(1)[0][0] if paragraph.sizes else None,
        font=paragraph.fonts.most_common(1)[0][0] if paragraph.fonts else None,
        centered=paragraph.centered,
        block=block,
        table_index=cell.get("table_index"),
        row=cell.get("row"),
        column=cell.get("column"),
        runs=runs,
    )


def _text_boxes(paragraph: Any) -> list[Any]:
    """Text boxes anchored in this paragraph (the mc:Fallback copy of each is skipped).

    Only the outermost: a box inside a box belongs to a paragraph of the outer box and is
    read there. Taking every descendant box here read a box nested N deep 2^N times (a
    20 KB file 30 deep never finished). One walk, entering neither boxes nor fallbacks.
    """
    boxes = []
    stack = [iter(paragraph)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag == _TXBX:
            boxes.append(child)
        elif child.tag != _FALLBACK:
            stack.append(iter(child))
    return boxes


def _paragraph(element: Any, styles: _Styles) -> _Paragraph:
    style_id = _attr(element.find(f"{_w('pPr')}/{_w('pStyle')}"), "val")
    base = styles.paragraph_style(style_id)
    # Per line: its runs as (pieces, font), so mixed legacy fonts can be converted run by run;
    # the pieces are joined once (joining per run copied the text again each time: quadratic).
    lines: list[list[tuple[list[str], str | None]]] = [[]]
    bold_runs: list[list[bool]] = [[]]
    counts = {"bold": 0, "italic": 0, "total": 0}
    fonts: Counter[str] = Counter()
    sizes: Counter[float] = Counter()
    for run in _runs(element):
        style = _run_style(run, styles).under(base)
        for piece in _run_text(run):
            if piece == "\n":
                lines.append([])
                bold_runs.append([])
                continue
            if lines[-1] and lines[-1][-1][1] == style.font and bold_runs[-1][-1] == bool(style.bold):
                # Runs split by nothing that matters here are joined: words convert whole.
                lines[-1][-1][0].append(piece)
            else:
                lines[-1].append(([piece], style.font))
                bold_runs[-1].append(bool(style.bold))
            visible = len(piece.strip())
            counts["total"] += visible
            counts["bold"] += visible if style.bold else 0
            counts["italic"] += visible if style.italic else 0
            if style.font and visible:
                fonts[style.font] += visible
            if style.size and visible:
                sizes[style.size] += visible
    texts = [
        _line_text([("".join(pieces), font) for pieces, font in runs], bold)
        for runs, bold in zip(lines, bold_runs, strict=True)
    ]
    # A paragraph always gives at least one line so blank lines keep their place.
    texts = [text for text in texts if text[0].strip()] or [("", [])]
    return _Paragraph(
        lines=[text for text, _ in texts],
        runs=[runs for _, runs in texts],
        bold_chars=counts["bold"],
        italic_chars=counts["italic"],
        total_chars=counts["total"],
        fonts=fonts,
        sizes=sizes,
        centered=_centered(element, styles, style_id),
    )


def _line_text(runs: list[tuple[str, str | None]], bold: list[bool]) -> tuple[str, list[Run]]:
    """The line's text and its runs (where each starts and ends, its font, whether bold)."""
    spans: list[Run] = []
    start = 0
    for (text, font), is_bold in zip(runs, bold, strict=True):
        spans.append(Run(start, start + len(text), font, is_bold))
        start += len(text)
    return "".join(text for text, _ in runs), spans


def _runs(paragraph: Any) -> Iterator[Any]:
    """w:r elements of the paragraph in order, not entering text boxes or skipped parts."""
    stack = [iter(paragraph)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag == _R:
            yield child
        elif child.tag not in _SKIPPED and child.tag != _TXBX and child.tag != _P and len(stack) < _MAX_DEPTH:
            stack.append(iter(child))


def _run_text(run: Any) -> Iterator[str]:
    for child in run:
        if child.tag == _T:
            yield child.text or ""
        elif child.tag == _TAB:
            yield "\t"
        elif child.tag in (_BR, _CR):
            yield "\n"
        elif child.tag == _w("noBreakHyphen"):
            yield "-"
        elif child.tag == _w("softHyphen"):
            # Word keeps TCVN3's "ư" (byte 0xAD) as a soft hyphen; normalize drops it elsewhere.
            yield "\xad"
        elif child.tag == _w("sym"):
            yield _symbol(child)


def _symbol(element: Any) -> str:
    """A w:sym character: kept for legacy fonts (their letters), dropped for Wingdings & co."""
    code = _attr(element, "char") or ""
    if font_encoding(_attr(element, "font")) is None:
        return ""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    # Symbol fonts' characters sit in the private range F000-F0FF.
    return chr(value - 0xF000 if 0xF000 <= value <= 0xF0FF else value)


def _run_style(run: Any, styles: _Styles) -> _RunStyle:
    properties = run.find(_w("rPr"))
    own = _run_properties(properties)
    style_id = _attr(properties.find(_w("rStyle")) if properties is not None else None, "val")
    return own.under(styles.character_style(style_id)) if style_id else own


def _run_properties(properties: Any) -> _RunStyle:
    if properties is None:
        return _RunStyle()
    fonts = properties.find(_w("rFonts"))
    size = _attr(properties.find(_w("sz")), "val")
    return _RunStyle(
        bold=_toggle(properties.find(_w("b"))),
        italic=_toggle(properties.find(_w("i"))),
        font=(_attr(fonts, "ascii") or _attr(fonts, "hAnsi") or _attr(fonts, "cs"))
        if fonts is not None
        else None,
        size=float(size) / 2 if size and size.isdigit() else None,
    )


def _toggle(element: Any) -> bool | None:
    if element is None:
        return None
    return _attr(element, "val") not in ("0", "false", "off", "none")


def _attr(element: Any, name: str) -> str | None:
    if element is None:
        return None
    value = element.get(_w(name))
    return str(value) if value is not None else None


def _centered(element: Any, styles: _Styles, style_id: str | None) -> bool | None:
    justification = _attr(element.find(f"{_w('pPr')}/{_w('jc')}"), "val")
    if justification is None:
        justification = styles.paragraph_alignment(style_id)
    return None if justification is None else justification == "center"


# --- tables ------------------------------------------------------------------------------


def _emit_table(element: Any, styles: _Styles, page: Page, depth: int) -> None:
    table_index = len(page.tables)
    table = Table(rows=[], borderless=_borderless(element, styles))
    page.tables.append(table)
    # Cells still open downwards (vMerge) by grid column: (row list index, Cell).
    open_merges: dict[int, Cell] = {}
    for row_index, row in enumerate(element.iterchildren(_TR)):
        cells: list[Cell] = []
        column = 0
        for cell_element in row.iterchildren(_TC):
            properties = cell_element.find(_w("tcPr"))
            span_text = _attr(properties.find(_w("gridSpan")) if properties is not None else None, "val")
            span = int(span_text) if span_text and span_text.isdigit() else 1
            merge = properties.find(_w("vMerge")) if properties is not None else None
            if merge is not None and _attr(merge, "val") in (None, "continue") and column in open_merges:
                open_merges[column].rowspan += 1
                column += span
                continue
            cell = Cell(text="", colspan=span)
            if merge is not None:
                open_merges[column] = cell
            else:
                open_merges.pop(column, None)
            before = len(page.lines)
            _emit_cell(
                cell_element, styles, page, depth, table_index=table_index, row=row_index, column=column
            )
            cell_lines = [line for line in page.lines[before:] if line.text.strip()]
            cell.text = "\n".join(line.text for line in cell_lines)
            cell.bold = all(line.bold for line in cell_lines) if cell_lines else None
            cells.append(cell)
            column += span
        table.rows.append(cells)


def _emit_cell(cell_element: Any, styles: _Styles, page: Page, depth: int, **position: int) -> None:
    for inner in _block_children(cell_element):
        if inner.tag == _P:
            _emit_paragraph(inner, styles, page, block="table", **position)
        elif inner.tag == _TBL and depth < _MAX_DEPTH:
            # A nested table: its text stays inside this cell's lines and text.
            _emit_nested_table_text(inner, styles, page, depth + 1, **position)


def _emit_nested_table_text(element: Any, styles: _Styles, page: Page, depth: int, **position: int) -> None:
    for row in element.iterchildren(_TR):
        for cell_element in row.iterchildren(_TC):
            _emit_cell(cell_element, styles, page, depth, **position)


def _borderless(element: Any, styles: _Styles) -> bool:
    properties = element.find(_w("tblPr"))
    borders = properties.find(_w("tblBorders")) if properties is not None else None
    if borders is None:
        style_id = _attr(properties.find(_w("tblStyle")) if properties is not None else None, "val")
        borders = styles.table_borders(style_id)
    if borders is None:
        return True  # Word's default table style draws no borders
    return all(_attr(side, "val") in ("nil", "none") for side in borders)


# --- styles ------------------------------------------------------------------------------


class _Styles:
    """Run properties, alignment and borders of styles, following w:basedOn chains."""

    def __init__(self, root: Any) -> None:
        self._by_id: dict[str, Any] = {}
        for style in root.iterchildren(_w("style")):
            style_id = style.get(_w("styleId"))
            if style_id:
                self._by_id[style_id] = style
        defaults = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
        self._defaults = _run_properties(defaults)
        self._default_paragraph = next(
            (
                style.get(_w("styleId"))
                for style in root.iterchildren(_w("style"))
                if style.get(_w("type")) == "paragraph" and style.get(_w("default")) in ("1", "true", "on")
            ),
            None,
        )
        self._run_cache: dict[str | None, _RunStyle] = {}

    def _chain(self, style_id: str | None) -> list[Any]:
        chain: list[Any] = []
        seen: set[str] = set()
        while style_id and style_id in self._by_id and style_id not in seen and len(chain) < 32:
            seen.add(style_id)
            style = self._by_id[style_id]
            chain.append(style)
            style_id = _attr(style.find(_w("basedOn")), "val")
        return chain

    def _resolved(self, style_id: str | None) -> _RunStyle:
        if style_id not in self._run_cache:
            resolved = _RunStyle()
            for style in self._chain(style_id):
                resolved = resolved.under(_run_properties(style.find(_w("rPr"))))
            self._run_cache[style_id] = resolved
        return self._run_cache[style_id]

    def paragraph_style(self, style_id: str | None) -> _RunStyle:
        return self._resolved(style_id or self._default_paragraph).under(self._defaults)

    def character_style(self, style_id: str | None) -> _RunStyle:
        return self._resolved(style_id)

    def paragraph_alignment(self, style_id: str | None) -> str | None:
        for style in self._chain(style_id or self._default_paragraph):
            value = _attr(style.find(f"{_w('pPr')}/{_w('jc')}"), "val")
            if value:
                return value
        return None

    def table_borders(self, style_id: str | None) -> Any:
        for style in self._chain(style_id):
            borders = style.find(f"{_w('tblPr')}/{_w('tblBorders')}")
            if borders is not None:
                return borders
        return None
