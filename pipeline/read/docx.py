"""DOCX reader: paragraphs, tables and text boxes in document order, one page.

The body XML is walked directly (lxml, iteratively) rather than through python-docx's
paragraph API: that keeps document order between paragraphs and tables, reaches text boxes
(w:txbxContent) and content controls, and lets merged table cells be counted once.
python-docx is still used to open the package and to reach the styles part.
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
from pipeline.model import Cell, Document, Line, Page, Table

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
    for text in paragraph.lines:
        page.lines.append(_line(text, paragraph, block, **cell))
    for box in _text_boxes(element):
        for inner in _block_children(box):
            if inner.tag == _P:
                _emit_paragraph(inner, styles, page, block="textbox")


def _line(text: str, paragraph: _Paragraph, block: str, **cell: int) -> Line:
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
    )


def _text_boxes(paragraph: Any) -> list[Any]:
    """Text boxes anchored in this paragraph (the mc:Fallback copy of each is skipped)."""
    return [box for box in paragraph.iter(_TXBX) if not _inside_fallback(box, paragraph)]


def _inside_fallback(element: Any, stop: Any) -> bool:
    node = element.getparent()
    while node is not None and node is not stop:
        if node.tag == f"{{{MC}}}Fallback":
            return True
        node = node.getparent()
    return False


def _paragraph(element: Any, styles: _Styles) -> _Paragraph:
    style_id = _attr(element.find(f"{_w('pPr')}/{_w('pStyle')}"), "val")
    base = styles.paragraph_style(style_id)
    lines: list[list[str]] = [[]]
    counts = {"bold": 0, "italic": 0, "total": 0}
    fonts: Counter[str] = Counter()
    sizes: Counter[float] = Counter()
    for run in _runs(element):
        style = _run_style(run, styles).under(base)
        for piece in _run_text(run):
            if piece == "\n":
                lines.append([])
                continue
            lines[-1].append(piece)
            visible = len(piece.strip())
            counts["total"] += visible
            counts["bold"] += visible if style.bold else 0
            counts["italic"] += visible if style.italic else 0
            if style.font and visible:
                fonts[style.font] += visible
            if style.size and visible:
                sizes[style.size] += visible
    texts = ["".join(parts) for parts in lines]
    # A paragraph always gives at least one line so blank lines keep their place.
    texts = [text for text in texts if text.strip()] or [""]
    return _Paragraph(
        lines=texts,
        bold_chars=counts["bold"],
        italic_chars=counts["italic"],
        total_chars=counts["total"],
        fonts=fonts,
        sizes=sizes,
        centered=_centered(element, styles, style_id),
    )


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
