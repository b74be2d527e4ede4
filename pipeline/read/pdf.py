"""PDF reader: pypdfium2 for text with positions and ruled lines, pdfplumber's table finder for ruled tables.

Lines are rebuilt from pdfium's character boxes rather than taken from its text output,
because pdfium joins the two header blocks of page 1 ("ỦY BAN NHÂN DÂN" and "CỘNG HÒA XÃ HỘI
...") into one line. A wide horizontal gap splits a row into separate lines when it is a
column gutter, judged from the rows around it (see ``_is_gutter``).

E-signing tools stamp the number and date into signature widgets drawn over the blanks of
"Số:      /KH-UBND". Those appearances are flattened into the page before reading, so the
stamped values land in the line where a reader sees them; their text, the annotation and
field strings and the signature dictionaries also go to ``Document.stamps``, one string
each with a kind prefix: "appearance pN: <line of a flattened annotation>",
"contents pN:" / "field pN:" / "rich pN:" (annotation /Contents, field /V, /RC),
"signature.reason:", "signature.time: <ISO 8601>", "signature.name:",
"signature.location:", "signature.contact:".
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.errors import PipelineError
from pipeline.model import Cell, Document, Line, Page, Table
from pipeline.read.continued import columns, continue_table, repeated_header_rows
from pipeline.repair.legacy import TCVN3, font_encoding

# A gap this many box heights wide may be a column gutter; narrower gaps are word spaces.
_GUTTER_MIN_GAP = 1.0
# Wider than this, a gap is a gutter unless a neighbour row has text across its middle.
_GUTTER_WIDE_GAP = 2.5
# Wider than this, a gap is always a gutter: no justified line or blank is that wide.
_GUTTER_ALWAYS_GAP = 6.0
# Rows whose centres are this many box heights apart are neighbours for the gutter test.
_NEIGHBOUR_ROWS = 2.5
# A gap between characters wider than this share of the box height reads as a space.
_SPACE_GAP = 0.2
# Ruled tables need this many horizontal and as many vertical rules before the table finder runs.
_MIN_RULES_FOR_TABLES = 3
_FONT_FLAG_ITALIC = 1 << 6
_FONT_FLAG_FORCE_BOLD = 1 << 18


@dataclass
class _Font:
    name: str | None
    bold: bool
    italic: bool


@dataclass
class _Piece:
    """Characters that follow each other on one row without a wide gap."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float | None
    # Position in pdfium's character order: adjacent pieces out of order are separate words.
    order: int = 0
    fonts: Counter[int] = field(default_factory=Counter)

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def center(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class _Row:
    pieces: list[_Piece]

    @property
    def center(self) -> float:
        return self.pieces[0].center

    @property
    def height(self) -> float:
        return max(piece.height for piece in self.pieces)


def read_pdf(path: Path, flatten_annotations: bool = True, tables: bool = True) -> Document:
    """Read a PDF into pages of positioned lines; ruled tables via pdfplumber's table finder.

    ``tables=False`` skips the tables, which cost ~20-40 ms per ruled page (pdfplumber's own
    parsing cost ~100-250 ms) against ~10-20 ms per page for everything else.
    """
    document = Document(path=str(path), format="pdf")
    pdf = _open(path)
    try:
        document.metadata.update(_info_metadata(pdf))
        document.stamps.extend(_signature_stamps(pdf))
        if document.stamps:
            document.stamps.extend(_raw_signature_fields(path))
        table_pages: list[int] = []
        for index in range(len(pdf)):
            page, ruled = _read_page(pdf, index, document, flatten_annotations)
            document.pages.append(page)
            if ruled:
                table_pages.append(index)
        if table_pages and tables:
            _add_tables(path, document, table_pages)
        if tables:
            _add_aligned_tables(pdf, document)
            join_page_tables(document.pages)
    except pdfium.PdfiumError as error:
        raise PipelineError("pdf.corrupt", f"cannot read {path.name}: {error}") from error
    finally:
        pdf.close()
    return document


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise PipelineError("pdf.encrypted", f"{path.name} needs a password") from error
        raise PipelineError("pdf.corrupt", f"cannot open {path.name}: {error}") from error


def _info_metadata(pdf: pdfium.PdfDocument) -> dict[str, str]:
    try:
        info = pdf.get_metadata_dict(skip_empty=True)
    except pdfium.PdfiumError:
        return {}
    return {f"pdf_{key.lower()}": str(value) for key, value in info.items()}


# --- pages ------------------------------------------------------------------------------


def _read_page(pdf: pdfium.PdfDocument, index: int, document: Document, flatten: bool) -> tuple[Page, bool]:
    """The page's lines, and whether it has ruled lines worth a table pass."""
    page = pdf[index]
    textpage = page.get_textpage()
    stamp_keys: set[tuple[str, float, float]] = set()
    try:
        width, height = page.get_size()
        if page.get_rotation() in (90, 270):
            # Character boxes are in the unrotated page space: report that space's size.
            width, height = height, width
        has_own_text = textpage.count_chars() > 0
        if flatten and pdfium_c.FPDFPage_GetAnnotCount(page) > 0:
            textpage.close()
            page, stamp_objects = _flatten_annotations(pdf, index, page, document)
            textpage = page.get_textpage()
            if stamp_objects:
                stamp_pieces, stamp_fonts = _pieces(textpage, height, only_objects=stamp_objects)
                stamp_keys = {_piece_key(piece) for piece in stamp_pieces}
                for line in _lines_from_pieces(stamp_pieces, stamp_fonts):
                    document.stamps.append(f"appearance p{index + 1}: {line.text}")
        if not has_own_text:
            # A scan whose only text is a signing stamp must still go to OCR: the stamp
            # text is kept in Document.stamps, not as the page's lines.
            return Page(number=index + 1, width=width, height=height, origin="none"), False
        pieces, fonts = _pieces(textpage, height)
        ruled = _has_ruled_lines(page)
    finally:
        textpage.close()
        page.close()
    lines = _lines_from_pieces(pieces, fonts, stamp_keys)
    page_model = Page(
        number=index + 1, lines=lines, width=width, height=height, origin="layer" if lines else "none"
    )
    return page_model, ruled and bool(lines)


def _pieces(
    textpage: pdfium.PdfTextPage, page_height: float, only_objects: set[int] | None = None
) -> tuple[list[_Piece], list[_Font]]:
    """Group pdfium's characters into pieces: same row, left to right, no wide gap.

    Also returns the page's fonts, indexed by the keys counted in ``_Piece.fonts``.
    ``only_objects`` keeps just the characters of those text objects (annotation stamps).
    This loop runs once per character, so it keeps to local names and plain calls.
    """
    raw = textpage.raw
    box = pdfium_c.FS_RECTF()
    fonts = _FontCache()
    font_key, object_address = fonts.key, _text_object_address
    get_unicode, loose_box = _char_unicode, _char_loose_box
    # Characters of one text object follow each other: its font is looked up once per run.
    last_object, last_key = -1, 0
    pieces: list[_Piece] = []
    current: _Piece | None = None
    chars: list[str] = []
    pending_space = False
    # Bounds of the current piece, kept in locals and written back when the piece ends.
    right = center = piece_height = 0.0
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        code = get_unicode(raw, i)
        if code in _SPACES:
            pending_space = True
            continue
        if code == _LINE_END_HYPHEN:
            code = _line_end_hyphen(raw, i, fonts)
        # pdfium's own CR/LF between lines, controls, broken surrogates. (The only characters
        # pdfium generates are spaces and CR/LF, all left out here: no need to ask.)
        if code < 32 or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            continue
        address = object_address(raw, i) or 0
        if only_objects is not None and address not in only_objects:
            continue
        loose_box(raw, i, box)
        x0, x1 = box.left, box.right
        top, bottom = page_height - box.top, page_height - box.bottom
        height = bottom - top if bottom - top > 1.0 else 1.0
        gap = x0 - right
        # A combining tone mark (decomposed Vietnamese) sits over the letter before it.
        combining = 0x300 <= code <= 0x36F
        if current is not None and (
            combining
            or (
                abs((top + bottom) / 2 - center) < 0.45 * (height if height < piece_height else piece_height)
                and -0.5 * height < gap < _GUTTER_MIN_GAP * height
            )
        ):
            if (pending_space or gap > _SPACE_GAP * height) and not combining:
                chars.append(" ")
            chars.append(chr(code))
            right = x1 if x1 > right else right
            current.top = top if top < current.top else current.top
            current.bottom = bottom if bottom > current.bottom else current.bottom
        else:
            if current is not None:
                current.text, current.x1 = "".join(chars), right
                pieces.append(current)
            size = pdfium_c.FPDFText_GetFontSize(raw, i)
            current = _Piece("", x0, top, x1, bottom, round(size, 1) if size > 1 else None, len(pieces))
            chars, right, center, piece_height = [chr(code)], x1, (top + bottom) / 2, height
        if address != last_object:
            last_object, last_key = address, font_key(raw, i)
        current.fonts[last_key] += 1
        pending_space = False
    if current is not None:
        current.text, current.x1 = "".join(chars), right
        pieces.append(current)
    return pieces, fonts.fonts


# pdfium reports a hyphen or soft hyphen (0xAD) that ends a line as this code.
_LINE_END_HYPHEN = 2
# TCVN3's "ư" is byte 0xAD; its glyph is about half an em wide, a hyphen a third.
_U_HORN_MIN_WIDTH = 0.42


def _line_end_hyphen(raw_textpage: Any, char_index: int, fonts: _FontCache) -> int:
    """0xAD when a line-end "hyphen" is TCVN3's "ư" ("Đầu t" + "ư" at the end of a line),
    else the code itself (a real hyphen, dropped as before)."""
    font = fonts.fonts[fonts.key(raw_textpage, char_index)]
    encoding = font_encoding(font.name)
    if encoding is None or encoding.encoding != TCVN3:
        return _LINE_END_HYPHEN
    box = pdfium_c.FS_RECTF()
    _char_loose_box(raw_textpage, char_index, box)
    size = pdfium_c.FPDFText_GetFontSize(raw_textpage, char_index)
    return 0xAD if size > 0 and box.right - box.left >= _U_HORN_MIN_WIDTH * size else _LINE_END_HYPHEN


# Real spaces only mark a word break; their boxes are unreliable (zero height at the baseline).
_SPACES = frozenset((32, 9, 0xA0))


class _FontCache:
    """Font facts per pdfium text object; one lookup per object, not per character."""

    def __init__(self) -> None:
        self.fonts: list[_Font] = []
        self._by_object: dict[int, int] = {}
        self._by_font: dict[int, int] = {}

    def key(self, raw_textpage: Any, char_index: int) -> int:
        address = _text_object_address(raw_textpage, char_index) or 0
        found = self._by_object.get(address)
        if found is None:
            found = self._font_of(address)
            self._by_object[address] = found
        return found

    def _font_of(self, object_address: int) -> int:
        address = (_font_address(object_address) or 0) if object_address else 0
        if address not in self._by_font:
            font = ctypes.cast(address, pdfium_c.FPDFTextObj_GetFont.restype) if address else None
            self.fonts.append(_describe_font(font) if font else _Font(None, False, False))
            self._by_font[address] = len(self.fonts) - 1
        return self._by_font[address]


def _address_function(function: Any, *argtypes: Any) -> Any:
    """The same pdfium function returning a plain address (int): usable as a dict key
    without a ctypes.cast per character, which matters on pages of 3,000 characters."""
    return ctypes.cast(function, ctypes.CFUNCTYPE(ctypes.c_void_p, *argtypes))


_text_object_address = _address_function(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_int)
_font_address = _address_function(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p)
# Per-character calls without pypdfium2's argument conversion (a third of the time otherwise).
_char_unicode = ctypes.cast(
    pdfium_c.FPDFText_GetUnicode, ctypes.CFUNCTYPE(ctypes.c_uint, ctypes.c_void_p, ctypes.c_int)
)
_char_loose_box = ctypes.cast(
    pdfium_c.FPDFText_GetLooseCharBox,
    ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(pdfium_c.FS_RECTF)),
)
_page_object_address = _address_function(pdfium_c.FPDFPage_GetObject, ctypes.c_void_p, ctypes.c_int)
_form_object_address = _address_function(pdfium_c.FPDFFormObj_GetObject, ctypes.c_void_p, ctypes.c_ulong)
_object_type = ctypes.cast(pdfium_c.FPDFPageObj_GetType, ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p))
_form_object_count = ctypes.cast(
    pdfium_c.FPDFFormObj_CountObjects, ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
)


def _describe_font(font: Any) -> _Font:
    length = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(max(length, 1))
    pdfium_c.FPDFFont_GetBaseFontName(font, buffer, length)
    name = buffer.value.decode("latin-1", errors="replace")
    # Drop the subset tag ("ABCDEF+TimesNewRoman").
    if len(name) > 7 and name[6] == "+":
        name = name[7:]
    flags = pdfium_c.FPDFFont_GetFlags(font)
    weight = pdfium_c.FPDFFont_GetWeight(font)
    lowered = name.lower()
    bold = "bold" in lowered or "black" in lowered or weight >= 600 or bool(flags & _FONT_FLAG_FORCE_BOLD)
    italic = "italic" in lowered or "oblique" in lowered or bool(flags & _FONT_FLAG_ITALIC)
    return _Font(name or None, bold, italic)


# --- rows, gutters, lines ----------------------------------------------------------------


def _piece_key(piece: _Piece) -> tuple[str, float, float]:
    return piece.text, round(piece.x0, 1), round(piece.top, 1)


def _lines_from_pieces(
    pieces: list[_Piece], fonts: list[_Font], stamp_keys: set[tuple[str, float, float]] | None = None
) -> list[Line]:
    rows = _rows(pieces)
    if stamp_keys:
        rows = _seat_stamps(rows, stamp_keys)
    lines: list[Line] = []
    for index, row in enumerate(rows):
        neighbours = _neighbours(rows, index)
        for group in _split_row(row, neighbours):
            lines.append(_line(group, fonts))
    return lines


def _rows(pieces: list[_Piece]) -> list[_Row]:
    rows: list[_Row] = []
    for piece in sorted(pieces, key=lambda p: p.center):
        if rows and abs(piece.center - rows[-1].center) < 0.45 * min(piece.height, rows[-1].height):
            rows[-1].pieces.append(piece)
        else:
            rows.append(_Row([piece]))
    for row in rows:
        row.pieces = _drop_overprints(sorted(row.pieces, key=lambda p: p.x0))
    return rows


def _seat_stamps(rows: list[_Row], stamp_keys: set[tuple[str, float, float]]) -> list[_Row]:
    """Move a row made only of stamped values into the row whose blank it fills.

    E-signing tools often print the number a little above the "Số:      /BNV" blank; a
    stamp that overlaps a neighbouring row vertically and fits in one of its gaps joins it.
    """
    kept: list[_Row] = []
    for index, row in enumerate(rows):
        if all(_piece_key(piece) in stamp_keys for piece in row.pieces):
            neighbours = [
                r
                for r in (kept[-1] if kept else None, rows[index + 1] if index + 1 < len(rows) else None)
                if r
            ]
            host = next((other for other in neighbours if _fits_in_gaps(row, other)), None)
            if host is not None:
                host.pieces = sorted(host.pieces + row.pieces, key=lambda p: p.x0)
                continue
        kept.append(row)
    return kept


def _fits_in_gaps(stamp: _Row, host: _Row) -> bool:
    host_top = min(piece.top for piece in host.pieces)
    host_bottom = max(piece.bottom for piece in host.pieces)
    for piece in stamp.pieces:
        overlap = min(piece.bottom, host_bottom) - max(piece.top, host_top)
        if overlap < 0.3 * piece.height:
            return False
        # A raised stamp may brush the label before its blank ("Số:"), not cover words.
        allowed = 0.25 * (piece.x1 - piece.x0)
        if any(min(piece.x1, other.x1) - max(piece.x0, other.x0) > allowed for other in host.pieces):
            return False
    return True


def _drop_overprints(pieces: list[_Piece]) -> list[_Piece]:
    """Drop a piece printed again over itself (fake bold, stamped copies)."""
    kept: list[_Piece] = []
    for piece in pieces:
        if kept and piece.text == kept[-1].text and piece.x0 < kept[-1].x1 - 0.5 * (piece.x1 - piece.x0):
            continue
        kept.append(piece)
    return kept


def _neighbours(rows: list[_Row], index: int) -> list[_Row]:
    row = rows[index]
    reach = _NEIGHBOUR_ROWS * row.height
    found: list[_Row] = []
    for step in (-1, 1):
        other = index + step
        while 0 <= other < len(rows) and abs(rows[other].center - row.center) <= reach:
            found.append(rows[other])
            other += step
    return found


def _split_row(row: _Row, neighbours: list[_Row]) -> list[list[_Piece]]:
    groups: list[list[_Piece]] = [[row.pieces[0]]]
    for left, right in pairwise(row.pieces):
        if _is_gutter(left, right, row.height, neighbours):
            groups.append([right])
        else:
            groups[-1].append(right)
    return groups


def _is_gutter(left: _Piece, right: _Piece, height: float, neighbours: list[_Row]) -> bool:
    """A wide gap is a gutter between blocks, not a blank to fill in ("Số:      /KH")."""
    start, end = left.x1, right.x0
    if end - start < _GUTTER_MIN_GAP * height:
        return False
    if end - start >= _GUTTER_ALWAYS_GAP * height:
        return True
    # Confirmed when a neighbouring row has white space at the same place between two blocks.
    if any(_shares_gap(other, start, end, 0.5 * height) for other in neighbours):
        return True
    fill_in_blank = left.text.rstrip().endswith(":") or right.text.lstrip().startswith("/")
    if fill_in_blank or end - start < _GUTTER_WIDE_GAP * height or not neighbours:
        return False
    middle = (start + end) / 2
    return not any(piece.x0 <= middle <= piece.x1 for other in neighbours for piece in other.pieces)


def _shares_gap(row: _Row, start: float, end: float, min_width: float) -> bool:
    """True when ``row`` has text on both sides of an empty stretch inside [start, end]."""
    for left, right in pairwise(row.pieces):
        free_start, free_end = max(start, left.x1), min(end, right.x0)
        if free_end - free_start >= min_width:
            return True
    return False


def _line(pieces: list[_Piece], font_table: list[_Font]) -> Line:
    parts = [pieces[0].text]
    for previous, piece in pairwise(pieces):
        joined = piece.order == previous.order + 1 and piece.x0 - previous.x1 <= 0.05 * piece.height
        parts.append(piece.text if joined else " " + piece.text)
    fonts: Counter[int] = Counter()
    for piece in pieces:
        fonts.update(piece.fonts)
    total = sum(fonts.values()) or 1
    described = [(font_table[key], n) for key, n in fonts.items()]
    dominant = max(described, key=lambda item: item[1])[0] if described else None
    sizes = Counter(piece.size for piece in pieces if piece.size)
    return Line(
        text="".join(parts),
        x0=round(min(p.x0 for p in pieces), 2),
        top=round(min(p.top for p in pieces), 2),
        x1=round(max(p.x1 for p in pieces), 2),
        bottom=round(max(p.bottom for p in pieces), 2),
        bold=sum(n for font, n in described if font.bold) * 2 > total,
        italic=sum(n for font, n in described if font.italic) * 2 > total,
        size=sizes.most_common(1)[0][0] if sizes else None,
        font=dominant.name if dominant else None,
    )


# --- annotations, fields, signatures -----------------------------------------------------


def _flatten_annotations(
    pdf: pdfium.PdfDocument, index: int, page: Any, document: Document
) -> tuple[Any, set[int]]:
    """Burn annotation appearances into the page.

    Returns the reloaded page and the addresses of the text objects the appearances
    brought in, so their text can also be listed as stamps.
    """
    document.stamps.extend(_annotation_strings(page, index + 1))
    before = pdfium_c.FPDFPage_CountObjects(page)
    if pdfium_c.FPDFPage_Flatten(page, pdfium_c.FLAT_NORMALDISPLAY) != pdfium_c.FLATTEN_SUCCESS:
        return page, set()
    page.close()
    # The flattened content is only parsed again when the page is reloaded.
    page = pdf[index]
    raw = page.raw
    added: set[int] = set()
    for obj_index in range(before, pdfium_c.FPDFPage_CountObjects(raw)):
        _collect_text_objects(_page_object_address(raw, obj_index), added, 0)
    return page, added


def _collect_text_objects(address: int, found: set[int], depth: int) -> None:
    kind = _object_type(address)
    if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
        found.add(address)
    elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
        for k in range(_form_object_count(address)):
            _collect_text_objects(_form_object_address(address, k), found, depth + 1)


def _annotation_strings(page: Any, number: int) -> list[str]:
    found: list[str] = []
    for annot_index in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, annot_index)
        try:
            for key, label in (("Contents", "contents"), ("V", "field"), ("RC", "rich")):
                value = _annot_string(annot, key).strip()
                if value:
                    found.append(f"{label} p{number}: {value}")
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return found


def _annot_string(annot: Any, key: str) -> str:
    length = pdfium_c.FPDFAnnot_GetStringValue(annot, key.encode(), None, 0)
    if length <= 2:
        return ""
    buffer = ctypes.create_string_buffer(length)
    pointer = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    pdfium_c.FPDFAnnot_GetStringValue(annot, key.encode(), pointer, length)
    return buffer.raw[: length - 2].decode("utf-16-le", errors="replace")


def _signature_stamps(pdf: pdfium.PdfDocument) -> list[str]:
    """Reason and signing time of each signature dictionary (pdfium exposes no /Name)."""
    stamps: list[str] = []
    for index in range(pdfium_c.FPDF_GetSignatureCount(pdf)):
        signature = pdfium_c.FPDF_GetSignatureObject(pdf, index)
        reason = _signature_reason(signature)
        if reason:
            stamps.append(f"signature.reason: {reason}")
        moment = _signature_time(signature)
        if moment:
            stamps.append(f"signature.time: {moment}")
    return stamps


def _signature_reason(signature: Any) -> str:
    length = pdfium_c.FPDFSignatureObj_GetReason(signature, None, 0)
    if length <= 2:
        return ""
    buffer = ctypes.create_string_buffer(length)
    pdfium_c.FPDFSignatureObj_GetReason(signature, buffer, length)
    return buffer.raw[: length - 2].decode("utf-16-le", errors="replace").strip()


def _signature_time(signature: Any) -> str:
    """The /M date as ISO 8601 ("D:20260428135022+07'00'" -> "2026-04-28T13:50:22+07:00")."""
    length = pdfium_c.FPDFSignatureObj_GetTime(signature, None, 0)
    if length <= 1:
        return ""
    buffer = ctypes.create_string_buffer(length)
    pdfium_c.FPDFSignatureObj_GetTime(signature, buffer, length)
    raw = buffer.value.decode("ascii", errors="replace").removeprefix("D:")
    digits = raw[:14]
    if len(digits) < 8 or not digits.isdigit():
        return raw
    iso = f"{digits[0:4]}-{digits[4:6]}-{digits[6:8]}"
    if len(digits) == 14:
        iso += f"T{digits[8:10]}:{digits[10:12]}:{digits[12:14]}"
        zone = raw[14:].replace("'", "")
        if zone == "Z":
            iso += "Z"
        elif len(zone) == 5 and zone[0] in "+-":
            iso += f"{zone[:3]}:{zone[3:]}"
    return iso


def _raw_signature_fields(path: Path) -> list[str]:
    """/Name, /Location and /ContactInfo of signature dictionaries, read from the raw bytes.

    pdfium exposes only /Reason and /M. Signature dictionaries cannot live in compressed
    object streams (their /ByteRange must point into the plain file), so a scan for
    "/ByteRange [" finds each one; the dictionary around it is tokenised just enough to
    read its top-level strings (the /Name inside /Prop_Build is the signing app, skipped).
    """
    if path.stat().st_size > _MAX_SIGNATURE_SCAN:
        return []
    data = path.read_bytes()
    fields: list[str] = []
    for anchor in _BYTE_RANGE.finditer(data):
        start = data.rfind(b"obj", 0, anchor.start())
        opening = data.find(b"<<", start, anchor.start()) if start >= 0 else -1
        if opening < 0:
            continue
        for key, value in _top_level_strings(data, opening):
            if key in _SIGNATURE_KEYS and value.strip():
                fields.append(f"signature.{_SIGNATURE_KEYS[key]}: {value.strip()}")
    return fields


_MAX_SIGNATURE_SCAN = 300 * 1024 * 1024
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[")
_SIGNATURE_KEYS = {b"Name": "name", b"Location": "location", b"ContactInfo": "contact"}
_DELIMITERS = b"()<>[]{}/% \t\r\n\f\x00"


def _top_level_strings(data: bytes, position: int) -> list[tuple[bytes, str]]:
    """(key, string) pairs at depth 1 of the dictionary starting at ``position``."""
    found: list[tuple[bytes, str]] = []
    depth, key, end = 0, b"", min(len(data), position + 200_000)
    i = position
    while i < end:
        char = data[i : i + 1]
        if data.startswith(b"<<", i):
            depth, i, key = depth + 1, i + 2, b""
        elif data.startswith(b">>", i):
            depth -= 1
            if depth <= 0:
                break
            i += 2
        elif char == b"/":
            j = i + 1
            while j < end and data[j : j + 1] not in _DELIMITERS:
                j += 1
            name = data[i + 1 : j]
            key = name if depth == 1 and not key else b""
            i = j
        elif char == b"(":
            raw, i = _literal_string(data, i)
            if depth == 1 and key:
                found.append((key, _decode_pdf_string(raw)))
            key = b""
        elif char == b"<":
            close = data.find(b">", i)
            i = close + 1 if close > 0 else end
            key = b""
        else:
            if char not in b" \t\r\n\f\x00":
                key = b""  # a number, array or reference is the value of the pending key
            i += 1
    return found


def _literal_string(data: bytes, start: int) -> tuple[bytes, int]:
    """The bytes of the (...) string at ``start`` with escapes resolved; and the index after it."""
    out = bytearray()
    depth, i = 0, start
    while i < len(data):
        byte = data[i]
        if byte == 0x5C and i + 1 < len(data):  # backslash
            nxt = data[i + 1]
            if 0x30 <= nxt <= 0x37:
                octal = re.match(rb"[0-7]{1,3}", data[i + 1 : i + 4])
                assert octal is not None
                out.append(int(octal.group(), 8) & 0xFF)
                i += 1 + len(octal.group())
                continue
            out += _ESCAPES.get(nxt, bytes([nxt])) if nxt not in (0x0A, 0x0D) else b""
            i += 2
            continue
        if byte == 0x28:
            depth += 1
            if depth == 1:
                i += 1
                continue
        elif byte == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
        out.append(byte)
        i += 1
    return bytes(out), i


_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def _decode_pdf_string(raw: bytes) -> str:
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", errors="replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    return raw.decode("cp1252", errors="replace")  # close enough to PDFDocEncoding


# --- tables ------------------------------------------------------------------------------


def _has_ruled_lines(page: Any) -> bool:
    """Cheap test: horizontal and vertical rules on the page, worth a table search."""
    raw = page.raw
    counts = [0, 0]  # horizontal, vertical
    for obj_index in range(pdfium_c.FPDFPage_CountObjects(raw)):
        _count_rules(_page_object_address(raw, obj_index), counts, 0)
        if min(counts) >= _MIN_RULES_FOR_TABLES:
            return True
    return False


def _count_rules(address: int, counts: list[int], depth: int) -> None:
    kind = _object_type(address)
    if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 4:
        for k in range(_form_object_count(address)):
            _count_rules(_form_object_address(address, k), counts, depth + 1)
        return
    if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
        return
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    obj = ctypes.cast(address, pdfium_c.FPDFPage_GetObject.restype)
    pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
    width, height = right.value - left.value, top.value - bottom.value
    # Filled boxes (Word's shading, highlights) are not rules; thin strokes are.
    if height < 3 and width > 10:
        counts[0] += 1
    elif width < 3 and height > 8:
        counts[1] += 1


def _add_tables(path: Path, document: Document, page_indexes: list[int]) -> None:
    """Ruled tables of the pages at ``page_indexes``: pdfplumber's table finder on pdfium's
    paths and characters (``pdf_rules``); pdfplumber itself only for a page laid out in a
    way that module leaves to it (rotated, offset MediaBox)."""
    from pipeline.read.pdf_rules import page_tables

    left_over: list[int] = []
    try:
        # A document of its own: the reader's copy has its annotations flattened into it,
        # which pdfplumber (reading the file) never saw.
        pdf = pdfium.PdfDocument(path)
        try:
            for index in page_indexes:
                found = page_tables(pdf, index, _HyphenReader())
                if found is None:
                    left_over.append(index)
                    continue
                _append_tables(document.pages[index], found)
        finally:
            pdf.close()
        if left_over:
            _add_plumber_tables(path, document, left_over)
    except Exception as error:  # odd files raise many types; tables are optional
        document.warn("pdf.tables_failed", f"table extraction failed: {type(error).__name__}: {error}")


def _add_aligned_tables(pdf: pdfium.PdfDocument, document: Document) -> None:
    """Task tables printed without ruling lines (``pdf_aligned``), on the text-layer pages
    without a table of their own that print a number-column header ("STT")."""
    from pipeline.read.pdf_aligned import aligned_tables, has_number_header
    from pipeline.read.pdf_rules import page_chars

    for index, page in enumerate(document.pages):
        if page.tables or page.origin != "layer" or not has_number_header(page.lines):
            continue
        try:
            found = page_chars(pdf, index, _HyphenReader())
            if found is not None:
                page.tables.extend(aligned_tables(page.lines, found[0]))
        except Exception as error:  # odd files raise many types; tables are optional
            document.warn("pdf.tables_failed", f"aligned table failed: {type(error).__name__}: {error}")
            return


class _HyphenReader:
    """``_line_end_hyphen`` for one page's characters, with a font cache of its own (pdfium
    reuses the object addresses it is keyed on once a page is closed)."""

    def __init__(self) -> None:
        self.fonts = _FontCache()

    def __call__(self, raw_textpage: Any, char_index: int) -> int:
        return _line_end_hyphen(raw_textpage, char_index, self.fonts)


def _append_tables(page: Page, found: list[Any]) -> None:
    for plumber_table in found:
        table = _table_from_plumber(plumber_table)
        if table is not None:
            page.tables.append(table)


def _add_plumber_tables(path: Path, document: Document, page_indexes: list[int]) -> None:
    import pdfplumber  # slow to import and ~50x slower than pdfium: only for pages pdf_rules leaves

    with pdfplumber.open(path) as plumber:
        for index in page_indexes:
            plumber_page = plumber.pages[index]
            _append_tables(document.pages[index], plumber_page.find_tables())
            # Its characters, edges and layout objects, kept until the file is closed
            # otherwise: on a long PDF ruled on every page (35 pages) they held ~30 MB more.
            plumber_page.close()


def _table_from_plumber(found: Any) -> Table | None:
    texts = found.extract()
    x_edges = sorted({round(v, 1) for cell in found.cells for v in (cell[0], cell[2])})
    y_edges = sorted({round(v, 1) for cell in found.cells for v in (cell[1], cell[3])})
    rows: list[list[Cell]] = []
    for row, row_texts in zip(found.rows, texts, strict=False):
        cells: list[Cell] = []
        for bbox, text in zip(row.cells, row_texts, strict=False):
            if bbox is None:
                continue  # covered by a merged cell already emitted
            x0, top, x1, bottom = (round(v, 1) for v in bbox)
            colspan = sum(1 for x in x_edges if x0 < x < x1) + 1
            rowspan = sum(1 for y in y_edges if top < y < bottom) + 1
            cells.append(Cell(text=text or "", colspan=colspan, rowspan=rowspan))
        rows.append(cells)
    if not any(cells for cells in rows):
        return None
    return Table(rows=rows, top=round(found.bbox[1], 2), bottom=round(found.bbox[3], 2), borderless=False)


# Lines outside a table that do not stop it running on over the page break: the page number,
# a running header or footer.
_MARGIN_LINE_CHARS = 12


def join_page_tables(pages: list[Page]) -> None:
    """A table at the foot of a page that runs on at the top of the next page (the same
    columns, no header of its own or its header printed again) becomes one table on its first
    page: the rows of a task table cut by page breaks stay together (``read.continued``)."""
    carried: Table | None = None  # the table running on at the foot of the page before
    for before, page in pairwise(pages):
        if before.tables:
            last = before.tables[-1]
            carried = last if _runs_to_foot(before, last) else None
        if carried is None or not page.tables or not _starts_at_top(page, page.tables[0]):
            carried = None
            continue
        table = page.tables[0]
        repeated = repeated_header_rows(carried, table)
        rest = Table(rows=table.rows[repeated or 0 :])
        if repeated is None or not rest.rows or columns(carried) != columns(rest):
            carried = None
            continue
        continue_table(carried, rest)
        carried.continued_pages += 1
        page.tables.pop(0)
        if not _runs_to_foot(page, table):
            carried = None


def _runs_to_foot(page: Page, table: Table) -> bool:
    if table.bottom is None:
        return True  # already the first part of a longer table
    return not any(
        len(line.text.strip()) > _MARGIN_LINE_CHARS
        for line in page.lines
        if line.top is not None and line.top >= table.bottom
    )


def _starts_at_top(page: Page, table: Table) -> bool:
    if table.top is None:
        return False
    return not any(
        len(line.text.strip()) > _MARGIN_LINE_CHARS
        for line in page.lines
        if line.bottom is not None and line.bottom <= table.top
    )
