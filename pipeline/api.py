"""The Python API: one call from a file or its bytes to a validated record, and the catalog.

from pipeline.api import extract_record, open_catalog

record = extract_record("samples/056.docx")           # a pipeline.record.models.Record
record = extract_record(data, name="letter.pdf")       # bytes, e.g. from a web upload
record.document.summary, record.plan.tasks[0].lead
record.model_dump_json()                               # the JSON other systems read

with open_catalog("sqlite:///archive.sqlite") as catalog:   # needs the catalog extra
    catalog.load([record])
    catalog.tasks(lead="Sở Nội vụ", quarter="2026-Q3")
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.record.models import Record
from pipeline.run import process_file

if TYPE_CHECKING:
    from pipeline.catalog.catalog import Catalog


def extract_record(
    source: str | os.PathLike[str] | bytes,
    *,
    name: str | None = None,
    include_text: bool = True,
    ocr: bool = True,
) -> Record:
    """Read one document (a path, or its bytes) and return its validated record; never raises for bad input.

    ``name`` is the path the record gives for bytes (default ``"<bytes>"``); the format is always
    sniffed from the bytes. ``ocr=False`` never OCRs pages (faster; scans then yield little).
    """
    previous = os.environ.get("VANBAN_OCR")
    if not ocr:
        os.environ["VANBAN_OCR"] = "0"
    try:
        if isinstance(source, bytes):
            suffix = Path(name).suffix if name else ""
            with tempfile.TemporaryDirectory(prefix="vanban-") as folder:
                path = Path(folder) / f"input{suffix}"
                path.write_bytes(source)
                record = process_file(path, include_text=include_text)
            record.source.path = name or "<bytes>"
            return record
        return process_file(Path(source), include_text=include_text)
    finally:
        if not ocr:
            if previous is None:
                os.environ.pop("VANBAN_OCR", None)
            else:
                os.environ["VANBAN_OCR"] = previous


def open_catalog(url: str | os.PathLike[str]) -> Catalog:
    """A catalog on a database URL or an SQLite file path (the ``catalog`` extra)."""
    from pipeline.catalog.catalog import Catalog

    return Catalog(Path(url) if not isinstance(url, str) else url)


def record_to_doc(record: Record, nlp: Any = None) -> Any:
    """A record as a spaCy ``Doc`` (the ``spacy`` extra); see ``pipeline.export.spacy``."""
    from pipeline.export.spacy import record_to_doc as convert

    return convert(record, nlp)


__all__ = ["extract_record", "open_catalog", "record_to_doc"]
