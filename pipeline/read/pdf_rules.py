"""Ruled tables of a text-layer PDF page, found by pdfplumber's table finder on pdfium's data.

pdfplumber finds ruled tables well, but it needs the page parsed by pdfminer first: ~160 ms
of pure Python per ruled page, five to six times the cost of everything else done to it.
Its table finder itself (``pdfplumber.table.TableFinder``: edges snapped and joined,
intersections, cells, tables) and its cell text (``Table.extract``) only read the page's
``edges``, ``chars`` and ``bbox``. This module hands it those, built from pypdfium2's path
objects and characters the way pdfminer and pdfplumber build them, so the same finder
gives the same tables from data pdfium has already parsed in C:

* paths are split into subpaths at each move, Bézier segments reduced to their end points,
  and each subpath turned into a line, a rectangle or a curve by pdfminer's own rules
  (``PDFLayoutAnalyzer.paint_path``), then into edges by pdfplumber's ``line_to_edge``,
  ``rect_to_edges`` and ``curve_to_edges``;
* a character's box is pdfminer's: from its origin to its advance across, and from the
  font's descent up by the font size (pdfium's loose box, whose height follows the glyph,
  would cluster lines differently);
* a space pdfium generated where the text had one (a word break drawn as a gap) stays a
  word break: pdfminer keeps the space glyph the PDF drew there.

Coordinates are pdfium's floats (single precision): cell edges agree with pdfminer's to
~1e-4 pt (404.350005 is 404.34999 here), so an edge lying on a rounding boundary may round
the other way; the reader only compares edges with each other (spans) and no position goes
into a record. Pages pdfplumber would lay out
differently (rotated, or a MediaBox not at the origin) return None: the caller asks
pdfplumber for them.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# Only the geometry and text helpers: this module is imported for pages with ruling lines
# alone, and pdfminer's parsing is never run.
from pdfplumber.table import Table, TableFinder, TableSettings
from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

# What a character pdfium reports as a line-end hyphen (code 2) really is: the reader's
# rule (a real hyphen, or TCVN3's "ư"), handed in by the reader so that the two modules do
# not import each other.
LineEndHyphen = Callable[[Any, int], int]

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]

_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# Form XObjects nest; deeper than this is no table.
_MAX_FORM_DEPTH = 8
# pdfium's code for a hyphen (or soft hyphen) that ends a line.
_LINE_END_HYPHEN = 2
_SPACE = 32
_SEGMENT_OPERATOR = {
    pdfium_c.FPDF_SEGMENT_MOVETO: "m",
    pdfium_c.FPDF_SEGMENT_LINETO: "l",
    pdfium_c.FPDF_SEGMENT_BEZIERTO: "c",
}


# Calls made per character or path segment, without pypdfium2's argument conversion.
_char_unicode = ctypes.cast(
    pdfium_c.FPDFText_GetUnicode, ctypes.CFUNCTYPE(ctypes.c_uint, ctypes.c_void_p, ctypes.c_int)
)
_char_loose_box = ctypes.cast(
    pdfium_c.FPDFText_GetLooseCharBox,
    ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(pdfium_c.FS_RECTF)),
)
_text_object_address = ctypes.cast(
    pdfium_c.FPDFText_GetTextObject, ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
)
_char_origin = ctypes.cast(
    pdfium_c.FPDFText_GetCharOrigin,
    ctypes.CFUNCTYPE(
        ctypes.c_int,
        ctypes.c_void_p,
        ctypes.c_int,
        ctypes.POINTER(ctypes.c_double),
        ctypes.POINTER(ctypes.c_double),
    ),
)
_path_segment_count = ctypes.cast(
    pdfium_c.FPDFPath_CountSegments, ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
)
_path_segment = ctypes.cast(
    pdfium_c.FPDFPath_GetPathSegment, ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
)
_segment_type = ctypes.cast(pdfium_c.FPDFPathSegment_GetType, ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p))
_segment_closes = ctypes.cast(
    pdfium_c.FPDFPathSegment_GetClose, ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
)
_segment_point = ctypes.cast(
    pdfium_c.FPDFPathSegment_GetPoint,
    ctypes.CFUNCTYPE(
        ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_float), ctypes.POINTER(ctypes.c_float)
    ),
)


class _RuledPage:
    """What pdfplumber's ``TableFinder`` and ``Table.extract`` read of a page."""

    def __init__(self, width: float, height: float) -> None:
        self.bbox = (0.0, 0.0, width, height)
        self.height = height
        self.edges: list[dict[str, Any]] = []
        self.chars: list[dict[str, Any]] = []


def page_tables(pdf: pdfium.PdfDocument, index: int, line_end_hyphen: LineEndHyphen) -> list[Table] | None:
    """pdfplumber ``Table`` objects of page ``index`` (0-based) with the default settings,
    as ``pdfplumber.Page.find_tables()`` gives them; None for a page to leave to pdfplumber.
    ``line_end_hyphen(raw_textpage, char_index)`` tells what a line-end hyphen is."""
    page = pdf[index]
    try:
        left, bottom, right, top = page.get_mediabox()
        if page.get_rotation() % 360 != 0 or left != 0 or bottom != 0:
            return None
        ruled = _RuledPage(right - left, top - bottom)
        for obj_index in range(pdfium_c.FPDFPage_CountObjects(page)):
            _walk(pdfium_c.FPDFPage_GetObject(page, obj_index), _IDENTITY, ruled, 0)
        textpage = page.get_textpage()
        try:
            chars = _chars(textpage, ruled.height, line_end_hyphen)
        finally:
            textpage.close()
    finally:
        page.close()
    if chars is None:
        return None
    # The finder reads only bbox, edges and chars of the page it is given.
    tables = list(TableFinder(ruled, TableSettings.resolve(None)).tables)  # type: ignore[arg-type]
    # ``Table.extract`` tests every character of the page against every row: keep those
    # whose centre lies in a table (the rows' own test), in their order.
    boxes = [table.bbox for table in tables]
    ruled.chars = [char for char in chars if any(_centre_in(char, box) for box in boxes)]
    return tables


def page_chars(
    pdf: pdfium.PdfDocument, index: int, line_end_hyphen: LineEndHyphen
) -> tuple[list[dict[str, Any]], float] | None:
    """The characters of page ``index`` as pdfplumber's char dicts, and the page's width;
    None for a page laid out another way (rotated, offset MediaBox, turned characters)."""
    page = pdf[index]
    try:
        left, bottom, right, top = page.get_mediabox()
        if page.get_rotation() % 360 != 0 or left != 0 or bottom != 0:
            return None
        textpage = page.get_textpage()
        try:
            chars = _chars(textpage, top - bottom, line_end_hyphen)
        finally:
            textpage.close()
    finally:
        page.close()
    return None if chars is None else (chars, right - left)


def _centre_in(char: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    """pdfplumber's ``char_in_bbox`` test."""
    x0, top, x1, bottom = box
    h_mid, v_mid = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return x0 <= h_mid < x1 and top <= v_mid < bottom


# --- edges ---------------------------------------------------------------------------------


def _walk(obj: Any, parent: Matrix, page: _RuledPage, depth: int) -> None:
    kind = pdfium_c.FPDFPageObj_GetType(obj)
    if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
        _add_path(obj, _times(_matrix(obj), parent), page)
    elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _MAX_FORM_DEPTH:
        matrix = _times(_matrix(obj), parent)
        for k in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
            _walk(pdfium_c.FPDFFormObj_GetObject(obj, k), matrix, page, depth + 1)


def _matrix(obj: Any) -> Matrix:
    found = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, found):
        return _IDENTITY
    return (found.a, found.b, found.c, found.d, found.e, found.f)


def _times(first: Matrix, then: Matrix) -> Matrix:
    """The matrix applying ``first`` and then ``then``."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _add_path(obj: Any, matrix: Matrix, page: _RuledPage) -> None:
    """The path's subpaths as pdfminer paints them: operators and end points in page space."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    subpath: list[tuple[str, Point | None]] = []
    bezier = 0
    address = ctypes.cast(obj, ctypes.c_void_p).value
    for k in range(_path_segment_count(address)):
        segment = _path_segment(address, k)
        operator = _SEGMENT_OPERATOR.get(_segment_type(segment), "?")
        closes = bool(_segment_closes(segment))
        if operator == "c":
            # pdfium lists a curve's two control points as segments of their own; pdfminer
            # keeps only the end point.
            bezier += 1
            if bezier % 3 and not closes:
                continue
        else:
            bezier = 0
        _segment_point(segment, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if operator == "m" and subpath:
            _paint(subpath, page)
            subpath = []
        subpath.append((operator, point))
        if closes:
            subpath.append(("h", None))
    if subpath:
        _paint(subpath, page)


def _paint(path: list[tuple[str, Point | None]], page: _RuledPage) -> None:
    """One subpath as pdfminer's ``paint_path`` classifies it, as pdfplumber's edges."""
    shape = "".join(operator for operator, _ in path)
    if not shape.startswith("m"):
        return
    start = path[0][1]
    points: list[Point] = [point if point is not None else start for _, point in path]  # type: ignore[misc]
    # A closing "h" after a line back to the start adds nothing.
    if len(shape) > 3 and shape.endswith("lh") and points[-2] == points[0]:
        shape = shape[:-2] + "h"
        points.pop()
    height = page.height
    if shape in ("mlh", "ml"):
        (x0, y0), (x1, y1) = points[0], points[1]
        top, bottom = height - max(y0, y1), height - min(y0, y1)
        line = {
            "object_type": "line",
            "x0": min(x0, x1),
            "x1": max(x0, x1),
            "y0": min(y0, y1),
            "y1": max(y0, y1),
            "top": top,
            "bottom": bottom,
            "doctop": top,
            "width": abs(x1 - x0),
            "height": abs(y1 - y0),
            "pts": [(x0, height - y0), (x1, height - y1)],
        }
        page.edges.append(line_to_edge(line))
        return
    if shape in ("mlllh", "mllll") and _is_rectangle(points):
        (x0, y0), (x2, y2) = points[0], points[2]
        low_x, high_x, low_y, high_y = min(x0, x2), max(x0, x2), min(y0, y2), max(y0, y2)
        rect = {
            "object_type": "rect",
            "x0": low_x,
            "x1": high_x,
            "y0": low_y,
            "y1": high_y,
            "top": height - high_y,
            "bottom": height - low_y,
            "doctop": height - high_y,
            "width": high_x - low_x,
            "height": high_y - low_y,
        }
        page.edges.extend(rect_to_edges(rect))
        return
    flipped = [(px, height - py) for px, py in points]
    top = min(py for _, py in flipped)
    page.edges.extend(curve_to_edges({"object_type": "curve", "pts": flipped, "top": top, "doctop": top}))


def _is_rectangle(points: list[Point]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = points
    if points[0] != last:
        return False
    upright_first = x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0
    across_first = y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
    return upright_first or across_first


# --- characters ----------------------------------------------------------------------------


def _chars(
    textpage: pdfium.PdfTextPage, height: float, line_end_hyphen: LineEndHyphen
) -> list[dict[str, Any]] | None:
    """The page's characters as pdfplumber's char dicts (the keys its text extraction reads);
    None when some character is rotated or skewed (pdfminer's box is then another shape).
    This loop runs once per character: size, descent and shape are looked up once per text
    object, and pdfium is called without pypdfium2's argument conversion."""
    raw = textpage.raw
    box = pdfium_c.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    by_object: dict[int, tuple[float, float] | None] = {}
    get_unicode, object_address, origin, loose_box = (
        _char_unicode,
        _text_object_address,
        _char_origin,
        _char_loose_box,
    )
    chars: list[dict[str, Any]] = []
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        code = get_unicode(raw, i)
        if code == _LINE_END_HYPHEN:
            code = line_end_hyphen(raw, i)
            code = ord("-") if code == _LINE_END_HYPHEN else code
        if code < 32 or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            continue  # pdfium's own CR/LF between lines, controls, broken surrogates
        origin(raw, i, x, y)
        # pdfium generates only spaces and CR/LF: a generated space is a word break it
        # inferred from a gap, put on the line of the character before.
        if code == _SPACE and pdfium_c.FPDFText_IsGenerated(raw, i):
            if chars:
                before = chars[-1]
                chars.append(_char(" ", x.value, x.value, before["top"], before["bottom"]))
            continue
        address = object_address(raw, i) or 0
        if address in by_object:
            facts = by_object[address]
        else:
            facts = by_object[address] = _object_facts(raw, i)
        if facts is None:
            return None
        size, descent = facts
        loose_box(raw, i, box)  # its right edge is origin + advance
        bottom = height - (y.value + descent)
        chars.append(_char(chr(code), x.value, box.right, bottom - size, bottom))
    return chars


def _object_facts(raw_textpage: Any, char_index: int) -> tuple[float, float] | None:
    """Font size and descent (in points) of the character's text object; None when its
    matrix is not an upright scale (pdfminer's box is then turned or skewed)."""
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(raw_textpage, char_index, matrix)
    if matrix.b != 0 or matrix.c != 0 or matrix.a <= 0 or matrix.d <= 0:
        return None
    size = pdfium_c.FPDFText_GetFontSize(raw_textpage, char_index)
    font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(raw_textpage, char_index))
    descent = ctypes.c_float()
    if not font or not pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(size), descent):
        return size, 0.0
    return size, descent.value


def _char(text: str, x0: float, x1: float, top: float, bottom: float) -> dict[str, Any]:
    return {
        "text": text,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "upright": True,
        "width": x1 - x0,
        "height": bottom - top,
    }
