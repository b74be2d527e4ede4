"""Readers: one per format, all returning ``pipeline.model.Document``.

The format is decided from the file's bytes (``sniff``), never from its name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.model import Document
from pipeline.read.sniff import sniff

Reader = Callable[[Path], Document]


# Format -> (module, function). Imported on first use, so a reader whose tools are
# missing only fails the documents of its own format.
READERS: dict[str, tuple[str, str]] = {
    "pdf": ("pipeline.read.pdf", "read_pdf"),
    "docx": ("pipeline.read.docx", "read_docx"),
    "doc": ("pipeline.read.doc", "read_doc"),
    "rtf": ("pipeline.read.rtf", "read_rtf"),
    "html": ("pipeline.read.html", "read_html"),
    "txt": ("pipeline.read.text", "read_text"),
}


def reader_for(fmt: str) -> Reader:
    if fmt not in READERS:
        raise PipelineError("read.unsupported", f"unsupported format {fmt!r}")
    module, function = READERS[fmt]
    reader: Reader = getattr(importlib.import_module(module), function)
    return reader


def read_document(path: Path) -> Document:
    """Read ``path`` with the reader its bytes call for; raise PipelineError if none fits."""
    return reader_for(sniff(path))(path)
