"""Assemble and validate the record of one document."""

from __future__ import annotations

import time
from pathlib import Path

from pipeline import __version__
from pipeline.record.evidence import attach_boxes
from pipeline.record.models import (
    Header,
    Message,
    PageInfo,
    Plan,
    Record,
    Reference,
    Source,
    Status,
    Text,
)
from pipeline.registry import Context

# Header fields whose absence makes a record "partial" rather than "ok".
ESSENTIAL_FIELDS = ("doc_type", "issuer", "summary")
# Warnings that some pages were not read (the document was stopped): such a record is
# "partial" whatever its header, and ``--resume`` reads the missing pages.
INCOMPLETE_CODES = frozenset({"ocr.stopped"})


def _status(header: Header | None, errors: list[Message]) -> Status:
    if errors:
        return "failed"
    if header is None or any(getattr(header, name) in (None, "") for name in ESSENTIAL_FIELDS):
        return "partial"
    return "ok"


def build_record(ctx: Context, digest: str, size: int, started: float, *, include_text: bool) -> Record:
    doc = ctx.doc
    header: Header | None = ctx.header
    plan: Plan | None = ctx.plan
    references: list[Reference] = ctx.references
    warnings = [Message(code=code, message=message) for code, message in doc.warnings]
    if not any(page.text.strip() for page in doc.pages):
        warnings.append(Message(code="text.empty", message="no text could be read from the document"))
    record = Record(
        pipeline_version=__version__,
        source=Source(
            path=doc.path,
            sha256=digest,
            bytes=size,
            format=doc.format,
            pages=[
                PageInfo(
                    number=page.number,
                    origin=page.origin,
                    quality=None if page.quality is None else round(page.quality, 3),
                    ocr_confidence=page.ocr_confidence,
                    encoding=page.encoding,
                    width=None if page.width is None else round(page.width, 2),
                    height=None if page.height is None else round(page.height, 2),
                )
                for page in doc.pages
            ],
        ),
        status="partial" if any(w.code in INCOMPLETE_CODES for w in warnings) else _status(header, []),
        warnings=warnings,
        seconds=round(time.perf_counter() - started, 3),
        kind=ctx.kind,
        document=header,
        article=ctx.article,
        plan=plan,
        assignments=ctx.assignments,
        references=references,
        text=Text(pages=[page.text for page in doc.pages]) if include_text else None,
    )
    attach_boxes(record, doc)
    # Validate the whole tree once more (assignment-time checks are off in pydantic).
    return Record.model_validate(record.model_dump())


def failed_record(
    path: Path | str, digest: str, size: int, fmt: str, code: str, message: str, started: float
) -> Record:
    return Record(
        pipeline_version=__version__,
        source=Source(path=str(path), sha256=digest, bytes=size, format=fmt),
        status="failed",
        errors=[Message(code=code, message=message)],
        seconds=round(time.perf_counter() - started, 3),
    )
