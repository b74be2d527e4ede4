"""Helpers shared by several test files."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from pipeline.extract.plan import extract_plan
from pipeline.read import read_document
from pipeline.record.models import Plan
from pipeline.registry import Context
from pipeline.run import process_context

TONES = "\u0300\u0301\u0303\u0309\u0323"


@cache
def plan_of(path: Path) -> Plan | None:
    """The plan of one document, through read, normalize, the noise marks and layout (cached
    per session)."""
    ctx = process_context(
        Context(doc=read_document(path)), ["repair.normalize", "repair.ocr_noise", "layout.zones"]
    )
    return extract_plan(ctx)


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
