"""Plain text / Markdown reader with encoding detection and size guards."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from pipeline.errors import PipelineError
from pipeline.model import Document, Line, Page
from pipeline.read.markdown import looks_like_markdown, page_from_markdown

# More than this is not an official document but a dump; the rest is dropped with a warning.
MAX_CHARS = 5_000_000
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


def read_text(path: Path) -> Document:
    document = Document(path=str(path), format="txt")
    # Read a little more than the cap: 4 bytes per character at most in UTF-8/32.
    with open(path, "rb") as handle:
        data = handle.read(MAX_CHARS * 4 + 4)
        truncated_bytes = bool(handle.read(1))
    if not data:
        raise PipelineError("read.empty", f"{path.name} is empty")
    text, encoding = decode_bytes(data)
    document.metadata["encoding"] = encoding
    if truncated_bytes or len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        document.warn("text.truncated", f"only the first {MAX_CHARS} characters were read")
    if looks_like_markdown(text):
        # Web pages saved as Markdown: paragraphs, emphasis and tables rebuilt (read.markdown).
        document.metadata["markup"] = "markdown"
        document.pages.append(page_from_markdown(clean_text(text).replace("\r\n", "\n").replace("\r", "\n")))
    else:
        document.pages.append(page_from_text(text, document))
    return document


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


def page_from_text(text: str, document: Document) -> Page:
    page = Page(number=1)
    long_lines = 0
    # One page: form feeds in plain text are rarely real page breaks, so they end a line.
    normalised = clean_text(text).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    for raw_line in normalised.split("\n"):
        if len(raw_line) > MAX_LINE_CHARS:
            long_lines += 1
        for start in range(0, max(len(raw_line), 1), MAX_LINE_CHARS):
            page.lines.append(Line(text=raw_line[start : start + MAX_LINE_CHARS]))
    if long_lines:
        document.warn("text.long_lines", f"{long_lines} line(s) over {MAX_LINE_CHARS} characters were split")
    page.origin = "layer" if any(line.text.strip() for line in page.lines) else "none"
    return page
