"""Bytes to text for the text-like readers (plain text, Markdown, HTML, DOC): the encoding
found by BOM, strict UTF-8 or charset-normalizer, and stray control characters dropped.

A leaf of ``pipeline.read``: the readers import it, it imports none of them.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# A "line" longer than this (minified data, a file without newlines) is cut into pieces.
MAX_LINE_CHARS = 10_000
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0/C1 controls other than tab, newline, carriage return and form feed; NUL included.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode by BOM, then strict UTF-8, then charset-normalizer; cp1258 is a real candidate."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace"), codec
    if _looks_utf16(data):
        codec = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        return data.decode(codec, errors="replace"), codec
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the read cap is not a reason to give up on UTF-8.
        if error.start >= len(data) - 4 and error.reason == "unexpected end of data":
            return data[: error.start].decode("utf-8"), "utf-8"
    best = from_bytes(data[:200_000], cp_isolation=None).best()
    codec = best.encoding if best is not None else "cp1258"
    return data.decode(codec, errors="replace"), codec


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    zeros_odd, zeros_even = sample[1::2].count(0), sample[0::2].count(0)
    # Latin text in UTF-16: one byte of each pair is NUL, the other almost never.
    half = len(sample) / 2
    return max(zeros_odd, zeros_even) > 0.3 * half and min(zeros_odd, zeros_even) < 0.1 * half


def clean_text(text: str) -> str:
    """Drop NULs and stray control characters; keep everything else raw."""
    return _CONTROL.sub("", text)
