"""The Python API: one call from a file or its bytes to a validated record, and the catalog.

import pipeline

record = pipeline.extract("samples/056.docx")          # a pipeline.record.models.Record
record = pipeline.extract(data, name="letter.pdf")     # bytes or a binary file object
extractor = pipeline.Extractor(pipeline.Options(ocr=False, include_text=False))
strict = pipeline.Options(settings={"repair.quality": {"threshold": 0.97}})  # a component's setting
records = [extractor.extract(path) for path in paths]  # resources loaded once

from pipeline.api import open_catalog
record.document.summary, record.plan.tasks[0].lead
record.model_dump_json()                               # the JSON other systems read

with open_catalog("sqlite:///archive.sqlite") as catalog:   # needs the catalog extra
    catalog.load([record])
    catalog.tasks(lead="Sở Nội vụ", quarter="2026-Q3")
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from pipeline.options import Options
from pipeline.record.build import failed_record
from pipeline.record.models import Record
from pipeline.run import check_options, process_file

if TYPE_CHECKING:
    from pipeline.catalog.catalog import Catalog


Source = str | os.PathLike[str] | bytes | BinaryIO


class Extractor:
    """Reusable: the components and their resources (lexicons, gazetteer, models) are loaded
    once, on the first document, and kept for the next ones."""

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options.from_env()
        check_options(self.options)  # a misspelt setting raises here, before any document

    def extract(self, source: Source, *, name: str | None = None) -> Record:
        """A path, bytes or a binary file object to its validated record; never raises for bad
        input (a record with status "failed" and an error code instead). ``name`` is the path
        the record gives for bytes and file objects; the format is always sniffed from the bytes."""
        limit = self.options.max_bytes
        if isinstance(source, str | os.PathLike):
            path = Path(source)
            size = path.stat().st_size if limit is not None and path.is_file() else 0
            if limit is not None and size > limit:
                return _too_large(str(path), size, limit)
            return process_file(path, options=self.options)
        shown = name or getattr(source, "name", None) or "<bytes>"
        data = source if isinstance(source, bytes) else source.read(-1 if limit is None else limit + 1)
        if limit is not None and len(data) > limit:
            return _too_large(str(shown), len(data), limit)
        with tempfile.TemporaryDirectory(prefix="vanban-") as folder:
            path = Path(folder) / f"input{Path(str(shown)).suffix}"
            path.write_bytes(data)
            record = process_file(path, options=self.options)
        record.source.path = str(shown)
        return record


def _too_large(shown: str, size: int, limit: int) -> Record:
    """The failed record of an input over ``Options.max_bytes`` (not read, not hashed; of a file
    object only the bytes up to the limit and one more are read, and counted)."""
    message = f"over the limit of {limit} bytes per input (Options.max_bytes)"
    return failed_record(shown, "", size, "unknown", "read.too_large", message, time.perf_counter())


def extract(source: Source, options: Options | None = None, *, name: str | None = None) -> Record:
    """One document to its record, in one call (``Extractor(options).extract(source)``)."""
    return Extractor(options).extract(source, name=name)


def extract_record(
    source: str | os.PathLike[str] | bytes,
    *,
    name: str | None = None,
    include_text: bool = True,
    ocr: bool = True,
) -> Record:
    """``extract`` with the options as keywords (the first form of this API)."""
    return extract(source, Options(ocr=ocr, include_text=include_text), name=name)


def open_catalog(url: str | os.PathLike[str]) -> Catalog:
    """A catalog on a database URL or an SQLite file path (the ``catalog`` extra)."""
    from pipeline.catalog.catalog import Catalog

    return Catalog(Path(url) if not isinstance(url, str) else url)


__all__ = ["Extractor", "Options", "extract", "extract_record", "open_catalog"]
