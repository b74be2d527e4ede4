"""One document through the whole flow: read -> repair -> layout -> nlp -> extract -> record.

``PIPELINE`` is the one place that says which components run and in which order.
``process_file`` never raises for a bad document: it returns a record with status
"failed" and an error code instead, so a batch always goes on.
"""

from __future__ import annotations

import hashlib
import importlib
import time
from pathlib import Path

from pipeline import __version__, progress
from pipeline.errors import PipelineError
from pipeline.read import read_document
from pipeline.record.build import build_record, failed_record
from pipeline.record.models import Record
from pipeline.registry import Context, get_component

# Modules whose import registers the components below.
COMPONENT_MODULES = [
    "pipeline.repair.legacy",
    "pipeline.repair.normalize",
    "pipeline.repair.quality",
    "pipeline.repair.ocr",
    "pipeline.repair.formulas",
    "pipeline.repair.consistency",
    "pipeline.layout.zones",
    "pipeline.extract.header",
    "pipeline.extract.plan",
    "pipeline.extract.references",
]

# The flow of one document. Legacy 8-bit text is converted before NFC (the converter
# needs the code points as read); OCR replaces only pages that fail the quality score.
PIPELINE = [
    "repair.legacy",
    "repair.normalize",
    "repair.quality",
    "repair.ocr",
    "repair.formulas",
    "repair.consistency",
    "layout.zones",
    "extract.header",
    "extract.plan",
    "extract.references",
]


def _load_components() -> None:
    for module in COMPONENT_MODULES:
        importlib.import_module(module)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def process_context(ctx: Context, components: list[str] | None = None) -> Context:
    """Run the registered components over an already-read document."""
    _load_components()
    for name in components or PIPELINE:
        get_component(name)(ctx)
    return ctx


def process_file(path: Path | str, *, include_text: bool = True) -> Record:
    """Turn one file into a validated record; bad input becomes a failed record."""
    path = Path(path)
    started = time.perf_counter()
    try:
        digest = sha256_of(path)
        size = path.stat().st_size
    except OSError as exc:
        return failed_record(path, "", 0, "unknown", "read.unreadable", str(exc), started)
    try:
        doc = read_document(path)
        progress.report("pages", len(doc.pages), len(doc.pages))  # a long document gets more time
        ctx = process_context(Context(doc=doc))
    except PipelineError as exc:
        return failed_record(path, digest, size, "unknown", exc.code, exc.message, started)
    except (MemoryError, RecursionError) as exc:
        return failed_record(path, digest, size, "unknown", "internal.resources", repr(exc), started)
    except Exception as exc:  # a bug in one component must not lose the batch
        return failed_record(path, digest, size, "unknown", "internal.error", repr(exc), started)
    return build_record(ctx, digest, size, started, include_text=include_text)


__all__ = ["PIPELINE", "__version__", "process_context", "process_file", "sha256_of"]
