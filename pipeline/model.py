"""The small in-memory model every reader produces and every later stage consumes.

A document is a list of pages; a page holds lines (text with optional position and
style) and tables (rows of cells). Positions are in PDF points from the top-left
corner of the page; formats without geometry leave them ``None``.

This model is internal: the JSON contract with other systems lives in ``pipeline.record``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TextOrigin = Literal["layer", "ocr", "converted", "none"]


@dataclass
class Run:
    """A stretch of a line set in one font and weight, as the file's runs set it.

    Readers that know each run's font (DOCX, RTF, the LibreOffice route of DOC) hand the runs
    over as they are: legacy 8-bit text stays unconverted, and ``repair.legacy`` converts it,
    run by run where a line mixes legacy fonts, moving the offsets with the text.
    """

    start: int
    end: int
    font: str | None = None
    bold: bool | None = None


@dataclass(frozen=True)
class Noise:
    """What a token of an OCR'd line is, when it is noise (see repair.ocr_noise): debris no
    word spells, a speck of punctuation no line holds inside, or no word at all (no syllable
    and no code in capitals: what a seal's strokes leave beside a list)."""

    debris: bool
    speck: bool
    wordless: bool = False


@dataclass(frozen=True)
class LineNoise:
    """What a whole line is, as repair.ocr_noise judged it: ``blank``, at most one letter or
    digit ("P", "+", a rule); ``letterless``, no two letters in a row ("))", "1 2");
    ``lead_specks``, how many short lower-case words a seal left before a line in capitals
    ("cap lễ QUYẾT ĐỊNH")."""

    blank: bool = False
    letterless: bool = False
    lead_specks: int = 0


@dataclass
class Line:
    """One line (PDF) or paragraph (DOCX, DOC, RTF, HTML, TXT) of text."""

    text: str
    x0: float | None = None
    top: float | None = None
    x1: float | None = None
    bottom: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    size: float | None = None
    font: str | None = None
    # Where this line came from inside the page: "body", or "table" for text copied
    # out of a table cell so that line-based extractors still see it.
    block: str = "body"
    # Index into Page.tables when block == "table".
    table_index: int | None = None
    # Centred paragraph (DOCX/RTF alignment), when the format says so.
    centered: bool | None = None
    # Grid position for lines copied out of a table cell (0-based).
    row: int | None = None
    column: int | None = None
    # The runs of ``text`` (offsets into it), for formats that have them; empty otherwise.
    # They describe the text as read and legacy-converted: ``repair.normalize`` clears them.
    runs: list[Run] = field(default_factory=list)
    # The text as read, when repair.legacy converted it (a tab layout is measured on it: the
    # typist laid the columns out in the 8-bit text); cleared by ``repair.normalize`` too.
    read_text: str | None = None
    # On OCR'd pages, the tokens that are noise (specks, seal and stamp debris) with their kind,
    # as repair.ocr_noise marked them; the text keeps them.
    noise: dict[str, Noise] = field(default_factory=dict)
    # What the whole line is (specks, a seal's words before it), on every page.
    marks: LineNoise = field(default_factory=LineNoise)
    # A line taken from words Tesseract was unsure of (a name under a seal): it stands only
    # when another reading of it agrees (repair.signer_name).
    unsure: bool = False


@dataclass
class Cell:
    text: str
    # How many grid columns/rows this cell spans (merged cells); 1 when unknown.
    colspan: int = 1
    rowspan: int = 1
    bold: bool | None = None
    # Top of each line of ``text`` (page points), where the reader knows it (OCR'd tables):
    # lets a cell's lines be set level with the lines of the cell beside it.
    line_tops: list[float] | None = None


@dataclass
class Table:
    rows: list[list[Cell]]
    # Position of the table on its page, when the format has geometry.
    top: float | None = None
    bottom: float | None = None
    # Tables that carry the header (DOCX borderless header table) vs content tables.
    borderless: bool | None = None
    # Pages after its own that the table runs on to (its rows continued over page breaks).
    continued_pages: int = 0


@dataclass
class Page:
    number: int  # 1-based
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    width: float | None = None
    height: float | None = None
    origin: TextOrigin = "layer"
    # Share of valid Vietnamese syllables, 0..1; set by repair.
    quality: float | None = None
    ocr_confidence: float | None = None
    # Legacy encoding converted on this page ("tcvn3", "vni", "viscii"), if any.
    encoding: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class Document:
    """What a reader returns. ``format`` is decided from the bytes (see read.sniff)."""

    path: str
    format: str
    pages: list[Page] = field(default_factory=list)
    # Text stamped outside the page content (PDF annotations, form fields, signature
    # dictionaries): e-signing tools put the number and date there.
    stamps: list[str] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (code, message)
    metadata: dict[str, str] = field(default_factory=dict)
    # The paragraphs keep the typist's tabs and space runs (word processor formats): a header
    # or closing set side by side with them is split into a table by layout.tab_tables.
    tab_layout: bool = False

    def warn(self, code: str, message: str) -> None:
        self.warnings.append((code, message))

    @property
    def text(self) -> str:
        return "\n\f".join(page.text for page in self.pages)
