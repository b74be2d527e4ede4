"""Evidence spans: where in the normalised page text a value was read."""

from __future__ import annotations

from pipeline.model import Document
from pipeline.record.models import Evidence


def line_offset(doc: Document, page_index: int, line_index: int) -> int:
    """Character offset of a line's start inside its page text (lines joined by "\\n")."""
    lines = doc.pages[page_index].lines
    return sum(len(line.text) + 1 for line in lines[:line_index])


def evidence_at(
    doc: Document, page_index: int, line_index: int, start: int = 0, end: int | None = None
) -> Evidence:
    """Evidence for ``[start:end]`` of one line (the whole line by default)."""
    text = doc.pages[page_index].lines[line_index].text
    end = len(text) if end is None else end
    base = line_offset(doc, page_index, line_index)
    return Evidence(page=page_index + 1, start=base + start, end=base + end, text=text[start:end])
