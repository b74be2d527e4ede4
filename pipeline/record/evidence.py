"""Evidence spans: where in the normalised page text a value was read, and where on the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from pipeline.model import Document
from pipeline.record.models import Box, Evidence


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


def line_boxes(doc: Document, page: int, start: int, end: int) -> list[Box]:
    """The boxes of the lines of page ``page`` (1-based) that the span ``[start, end)`` of its
    text touches, in line order; lines without a position (formats without layout) give none."""
    if not 1 <= page <= len(doc.pages):
        return []
    boxes: list[Box] = []
    seen: set[tuple[float, float, float, float]] = set()
    offset = 0
    for line in doc.pages[page - 1].lines:
        line_end = offset + len(line.text)
        touches = (offset < end and line_end > start) if end > start else offset <= start <= line_end
        if touches and None not in (line.x0, line.top, line.x1, line.bottom):
            key = (float(line.x0), float(line.top), float(line.x1), float(line.bottom))  # type: ignore[arg-type]
            if key not in seen:
                seen.add(key)
                boxes.append(Box(x0=key[0], top=key[1], x1=key[2], bottom=key[3]))
        if offset >= end and end > start:
            break
        offset = line_end + 1
    return boxes


def _evidences(value: Any) -> Iterator[Evidence]:
    if isinstance(value, Evidence):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _evidences(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _evidences(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _evidences(item)


def attach_boxes(model: BaseModel, doc: Document) -> None:
    """Give every evidence span under ``model`` the boxes of the page lines it covers."""
    for evidence in _evidences(model):
        evidence.boxes = line_boxes(doc, evidence.page, evidence.start, evidence.end)
