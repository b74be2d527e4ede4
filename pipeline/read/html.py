"""HTML reader: the main content as lines, tables as Table plus table lines.

Menus, headers, footers, scripts and styles are dropped. The tree is walked with an explicit
stack (no recursion), and below ``_MAX_DEPTH`` an element's text is taken flat, so deeply
nested markup cannot raise RecursionError.
"""

from __future__ import annotations

import codecs
import html as html_lib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from pipeline.errors import PipelineError
from pipeline.model import Cell, Document, Line, Page, Table
from pipeline.read.decode import MAX_LINE_CHARS, clean_text, decode_bytes

MAX_BYTES = 50 * 1024 * 1024
_MAX_DEPTH = 1000  # below this the tree keeps its structure; the walk is iterative anyway
_DROPPED_TAGS = {
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside",
    "iframe", "svg", "canvas", "head", "button", "select", "object", "embed",
}  # fmt: skip
_DROPPED_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu"}
_DROPPED_NAMES = re.compile(r"(^|[\s_-])(menu|navbar|nav|breadcrumbs?|sidebar|footer|cookie)($|[\s_-])", re.I)
_BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "pre",
    "blockquote", "section", "article", "main", "body", "center", "address", "figure", "figcaption",
    "form", "fieldset", "hr", "tr", "caption", "details", "summary",
}  # fmt: skip
_BOLD_TAGS = {"b", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "th"}
_ITALIC_TAGS = {"i", "em", "cite"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_SPACES = re.compile(r"\s+")
# Python codecs a page may name but that are no character set of the web: punycode and idna
# decode host names (and raise UnicodeError, not UnicodeDecodeError, on text), the escape
# codecs turn "\\x.." in the text into characters. A page declaring one is decoded by detection.
_NOT_CHARSETS = {"punycode", "idna", "unicode-escape", "raw-unicode-escape", "utf-7", "rot-13"}
# The flat reading below scans the markup once, left to right: no pattern is retried from
# every "<" over the rest of the input (200 KB of "<" or of unclosed "<script>" took 23 s
# and 203 s with the regular expressions it replaces).
_INVISIBLE_OPEN = re.compile(r"<(script|style|head|template|noscript)\b|<!--", re.I)
_BLOCK_TAG = re.compile(r"</?(p|div|br|li|tr|td|th|h[1-6]|table|section|article|blockquote|pre)\b", re.I)


@dataclass
class _Style:
    bold: bool = False
    italic: bool = False
    centered: bool = False


@dataclass
class _LineBuilder:
    """Accumulates inline text until a block boundary ends the line."""

    parts: list[tuple[str, _Style]] = field(default_factory=list)

    def add(self, text: str | None, style: _Style) -> None:
        if text:
            self.parts.append((text, style))

    def flush(self, into: list[Line], **extra: Any) -> None:
        text = _SPACES.sub(" ", "".join(part for part, _ in self.parts)).strip()
        if text:
            visible = [(len(part.strip()), style) for part, style in self.parts]
            total = sum(n for n, _ in visible) or 1
            for start in range(0, len(text), MAX_LINE_CHARS):
                into.append(
                    Line(
                        text=text[start : start + MAX_LINE_CHARS],
                        bold=sum(n for n, s in visible if s.bold) * 2 > total,
                        italic=sum(n for n, s in visible if s.italic) * 2 > total,
                        centered=any(s.centered for _, s in self.parts),
                        **extra,
                    )
                )
        self.parts = []


def read_html(path: Path) -> Document:
    document = Document(path=str(path), format="html")
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if not data:
        raise PipelineError("read.empty", f"{path.name} is empty")
    if len(data) > MAX_BYTES:
        data = data[:MAX_BYTES]
        document.warn("html.truncated", f"only the first {MAX_BYTES} bytes were read")
    text, encoding = _decode(data)
    document.metadata["encoding"] = encoding
    root = _parse(text, path)
    title = root.findtext(".//title")
    if title and title.strip():
        document.metadata["html_title"] = _SPACES.sub(" ", title).strip()
    page = Page(number=1)
    if _lost_text(root, text):
        # libxml2 stops at its nesting limit and drops the rest: read the markup flat.
        document.warn("html.too_deep", "markup nested too deeply; read without structure")
        page.lines = _flat_lines(text)
    else:
        _drop_boilerplate(root)
        _walk(_main_content(root), page)
    page.origin = "layer" if page.lines else "none"
    document.pages.append(page)
    return document


def _decode(data: bytes) -> tuple[str, str]:
    declared = _META_CHARSET.search(data[:4096])
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        codec = declared.group(1).decode("ascii", errors="ignore").lower()
        try:
            if codecs.lookup(codec).name not in _NOT_CHARSETS:
                return data.decode(codec), codec
        except (LookupError, UnicodeError, ValueError):
            pass  # a wrong declaration is common: fall back to detection
    return decode_bytes(data)


def _without_xml_declaration(text: str) -> str:
    """The text without a leading ``<?xml ...>``: lxml refuses str input that still carries
    an encoding declaration, and libxml2 takes quadratic time over one left open (40 KB of
    spaces after ``<?xml``: 8 s). An unclosed one loses its ``<?xml`` only; several in a
    row all go."""
    position = len(text) - len(text.lstrip())
    if text[position : position + 5].lower() != "<?xml":
        return text
    close = text.find(">", position)  # searched again only once passed: one pass in all
    while text[position : position + 5].lower() == "<?xml":
        if 0 <= close < position:
            close = text.find(">", position)
        position = close + 1 if close >= 0 else position + 5
        while position < len(text) and text[position].isspace():
            position += 1
    return text[position:]


def _parse(text: str, path: Path) -> Any:
    text = _without_xml_declaration(clean_text(text))
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, recover=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise PipelineError("html.corrupt", f"cannot parse {path.name}: {error}") from error
    if root is None:
        raise PipelineError("html.corrupt", f"{path.name} has no markup")
    return root


def _lost_text(root: Any, markup: str) -> bool:
    parsed = len(_SPACES.sub("", root.text_content()))
    raw = len(_SPACES.sub("", _without_tags(_without_invisible(markup))))
    return parsed < 0.5 * raw


class _NextClose:
    """Where the next closing of one kind starts, searched forward only: a search that found
    nothing is not repeated (nothing comes later either), one that found a closing is reused
    until the scan passes it. So all searches together read the markup about once."""

    def __init__(self, markup: str, pattern: re.Pattern[str]) -> None:
        self.markup, self.pattern = markup, pattern
        self.searched_from, self.found = 0, None  # type: int, re.Match[str] | None
        self.exhausted = False

    def after(self, position: int) -> re.Match[str] | None:
        if self.exhausted and position >= self.searched_from:
            return None
        if self.found is not None and self.searched_from <= position <= self.found.start():
            return self.found
        self.searched_from, self.found = position, self.pattern.search(self.markup, position)
        self.exhausted = self.found is None
        return self.found


def _without_invisible(markup: str) -> str:
    """``markup`` without scripts, styles, heads, templates and comments that are closed
    (an unclosed one stays, as text); one left-to-right pass."""
    closes: dict[str, _NextClose] = {}
    parts: list[str] = []
    position = 0
    while True:
        opening = _INVISIBLE_OPEN.search(markup, position)
        if opening is None:
            break
        name = (opening.group(1) or "--").lower()
        if name not in closes:
            pattern = re.compile(r"-->" if name == "--" else rf"</{name}\s*>", re.I)
            closes[name] = _NextClose(markup, pattern)
        closing = closes[name].after(opening.end())
        if closing is None:  # unclosed: kept as text, the scan goes on after the opening
            parts.append(markup[position : opening.end()])
            position = opening.end()
            continue
        parts.append(markup[position : opening.start()])
        position = closing.end()
    parts.append(markup[position:])
    return "".join(parts)


def _without_tags(markup: str, block_break: str = "") -> str:
    """``markup`` without its tags (``<`` to the next ``>``; a ``<`` never closed stays as
    text); a block tag becomes ``block_break``. One left-to-right pass."""
    parts: list[str] = []
    position = 0
    while True:
        start = markup.find("<", position)
        if start < 0:
            break
        end = markup.find(">", start)
        if end < 0:  # no ">" anywhere after: the rest is text
            break
        parts.append(markup[position:start])
        if block_break and _BLOCK_TAG.match(markup, start, end):
            parts.append(block_break)
        position = end + 1
    parts.append(markup[position:])
    return "".join(parts)


def _flat_lines(markup: str) -> list[Line]:
    """Text without a tree: block tags end lines, other tags vanish, entities are decoded."""
    text = html_lib.unescape(_without_tags(_without_invisible(markup), block_break="\n"))
    lines = []
    for raw_line in text.split("\n"):
        line = _SPACES.sub(" ", raw_line).strip()
        for start in range(0, len(line), MAX_LINE_CHARS):
            lines.append(Line(text=line[start : start + MAX_LINE_CHARS]))
    return lines


def _drop_boilerplate(root: Any) -> None:
    doomed = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        names = f"{element.get('id', '')} {element.get('class', '')}"
        if (
            element.tag in _DROPPED_TAGS
            or element.get("role", "").lower() in _DROPPED_ROLES
            or _DROPPED_NAMES.search(names)
        ):
            doomed.append(element)
    for element in doomed:
        # drop_tree keeps the tail text, which belongs to the parent.
        if element.getparent() is not None:
            element.drop_tree()


def _main_content(root: Any) -> Any:
    for tag in ("main", "article"):
        candidates = root.findall(f".//{tag}")
        if candidates:
            return max(candidates, key=lambda element: len(element.text_content()))
    body = root.find("body")
    return body if body is not None else root


def _walk(root: Any, page: Page, style: _Style | None = None, cell: dict[str, Any] | None = None) -> None:
    """Emit the lines under ``root``; inside a table cell (``cell`` given) nested tables are flattened."""
    builder = _LineBuilder()
    extra = cell or {}
    # Entries: ("open", element, inherited style, depth) or ("close", element, parent style, depth).
    stack: list[tuple[str, Any, _Style, int]] = [("open", root, style or _Style(), 0)]
    while stack:
        action, element, inherited, depth = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else ""
        breaks_line = tag in _BLOCK_TAGS or (cell is not None and tag in ("table", "td", "th"))
        if action == "close":
            if breaks_line:
                builder.flush(page.lines, **extra)
            builder.add(element.tail, inherited)
            continue
        own = _style_of(element, tag, inherited)
        if tag == "br":
            builder.flush(page.lines, **extra)
            builder.add(element.tail, inherited)
            continue
        if tag == "table" and cell is None:
            builder.flush(page.lines)
            _read_table(element, page, own)
            builder.add(element.tail, inherited)
            continue
        if breaks_line:
            builder.flush(page.lines, **extra)
        stack.append(("close", element, inherited, depth))
        if depth >= _MAX_DEPTH:
            builder.add(" ".join(element.itertext()), own)
            continue
        builder.add(element.text, own)
        for child in reversed(element):
            stack.append(("open", child, own, depth + 1))
    builder.flush(page.lines, **extra)


def _style_of(element: Any, tag: str, inherited: _Style) -> _Style:
    css = (element.get("style") or "").replace(" ", "").lower()
    align = (element.get("align") or "").lower()
    return _Style(
        bold=inherited.bold or tag in _BOLD_TAGS or "font-weight:bold" in css or "font-weight:700" in css,
        italic=inherited.italic or tag in _ITALIC_TAGS or "font-style:italic" in css,
        centered=(inherited.centered and tag not in ("p", "div") and not align)
        or tag == "center"
        or align == "center"
        or "text-align:center" in css,
    )


def _read_table(element: Any, page: Page, style: _Style) -> None:
    table_index = len(page.tables)
    table = Table(rows=[], borderless=_borderless(element))
    page.tables.append(table)
    rows = [row for row in element.iter("tr") if _owning_table(row) is element]
    for row_index, row in enumerate(rows):
        cells: list[Cell] = []
        column = 0
        for cell_element in row:
            if cell_element.tag not in ("td", "th"):
                continue
            before = len(page.lines)
            position = {"block": "table", "table_index": table_index, "row": row_index, "column": column}
            _walk(cell_element, page, style, cell=position)
            cell_lines = page.lines[before:]
            colspan = _span(cell_element.get("colspan"))
            cells.append(
                Cell(
                    text="\n".join(line.text for line in cell_lines),
                    colspan=colspan,
                    rowspan=_span(cell_element.get("rowspan")),
                    bold=all(line.bold for line in cell_lines) if cell_lines else None,
                )
            )
            column += colspan
        table.rows.append(cells)


def _owning_table(row: Any) -> Any:
    node = row.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def _borderless(table: Any) -> bool:
    border = (table.get("border") or "").strip()
    css = (table.get("style") or "").replace(" ", "").lower()
    return border in ("", "0") and "border:" not in css and "border-collapse" not in css
