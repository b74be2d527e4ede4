"""Plain text / Markdown reader with encoding detection and size guards."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.model import Document, Line, Page
from pipeline.read.decode import MAX_LINE_CHARS, clean_text, decode_bytes
from pipeline.read.markdown import looks_like_markdown, page_from_markdown

# More than this is not an official document but a dump; the rest is dropped with a warning.
MAX_CHARS = 5_000_000


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
