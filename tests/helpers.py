"""Helpers shared by several test files."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from pipeline.extract.plan import extract_plan
from pipeline.model import Document, Line, Page
from pipeline.read import read_document
from pipeline.record.models import Plan
from pipeline.registry import Context
from pipeline.run import PIPELINE, process_context

TONES = "\u0300\u0301\u0303\u0309\u0323"


@cache
def plan_of(path: Path) -> Plan | None:
    """The plan of one document, through read, normalize, the noise marks and layout (cached
    per session)."""
    ctx = process_context(
        Context(doc=read_document(path)), ["repair.normalize", "repair.ocr_noise", "layout.zones"]
    )
    return extract_plan(ctx)


Row = tuple[str, float, float, float, float]  # a line as read: text, x0, top, x1, bottom


def lines_of(rows: list[Row]) -> list[Line]:
    """The lines of rows of (text, x0, top, x1, bottom), in points."""
    return [Line(text=t, x0=x0, top=top, x1=x1, bottom=bottom) for t, x0, top, x1, bottom in rows]


def scanned_header(rows: list[Row]) -> Context:
    """A scan's page 1 as Tesseract read it, rows of (text, x0, top, x1, bottom) in points on an
    A4 page, through every stage from the noise marks to the header."""
    lines = lines_of(rows)
    page = Page(number=1, lines=lines, width=595, height=842, origin="ocr")
    ctx = Context(doc=Document(path="scan.pdf", format="pdf", pages=[page]))
    first, last = PIPELINE.index("repair.ocr_noise"), PIPELINE.index("extract.header")
    return process_context(ctx, PIPELINE[first : last + 1])


def cp1258_bytes(text: str) -> bytes:
    """cp1258 stores Vietnamese as base letter + combining tone mark."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out += (base + "".join(c for c in parts if c in TONES)).encode("cp1258")
    return bytes(out)
