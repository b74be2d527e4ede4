"""OCR'd pages kept on disk while a document is read, so that nothing read is lost.

A batch with an output folder sets ``VANBAN_PAGE_CACHE`` (``OUTDIR/.pages``) for its
workers. Each page OCR'd there is written at once, as JSON, to
``<cache>/<pipeline version>/<sha256 of the file>/<page>.json`` with the warnings it gave.
When a document is stopped (time, memory) its record is rebuilt from these pages, and a
later run (``--resume``) reads them instead of OCR'ing them again, so only the missing
pages are read. A document whose OCR finished removes its folder.

Only this module's own files are read back (plain JSON, checked field by field); a file
that does not parse is ignored and the page read again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.model import Cell, Line, Page, Run, Table

ENVIRONMENT = "VANBAN_PAGE_CACHE"
FOLDER_NAME = ".pages"  # inside OUTDIR, which is never walked for inputs


def folder(path: str) -> Path | None:
    """The cache folder of the document at ``path``, or None when no cache is set."""
    root = os.environ.get(ENVIRONMENT, "")
    if not root:
        return None
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return Path(root) / __version__ / digest.hexdigest()


def store(where: Path | None, page: Page, warnings: list[tuple[str, str]]) -> None:
    """Write ``page`` (and the warnings its reading gave) atomically; a failure only loses the cache."""
    if where is None:
        return
    data = {"page": dataclasses.asdict(page), "warnings": [list(pair) for pair in warnings]}
    with contextlib.suppress(OSError):
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False)
            os.replace(tmp, where / f"{page.number}.json")
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def load(where: Path | None, number: int) -> tuple[Page, list[tuple[str, str]]] | None:
    """Page ``number`` as cached, with its warnings; None when absent or unreadable."""
    if where is None:
        return None
    try:
        with open(where / f"{number}.json", encoding="utf-8") as handle:
            data = json.load(handle)
        page = _page(data["page"])
        warnings = [(str(code), str(message)) for code, message in data["warnings"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (page, warnings) if page.number == number else None


def remove(where: Path | None) -> None:
    if where is not None:
        shutil.rmtree(where, ignore_errors=True)


def _fields(cls: type, data: dict[str, Any], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(cls)} - set(skip)
    return {key: value for key, value in data.items() if key in names}


def _page(data: dict[str, Any]) -> Page:
    tables = [
        Table(
            rows=[[Cell(**_fields(Cell, cell)) for cell in row] for row in table["rows"]],
            **_fields(Table, table, skip=("rows",)),
        )
        for table in data["tables"]
    ]
    # A page is stored as OCR read it: the noise marks (``noise``, ``marks``) are
    # repair.ocr_noise's, set after OCR on the page read back.
    lines = [
        Line(
            runs=[Run(**_fields(Run, run)) for run in line.get("runs", [])],
            **_fields(Line, line, skip=("runs", "noise", "marks")),
        )
        for line in data["lines"]
    ]
    return Page(lines=lines, tables=tables, **_fields(Page, data, skip=("lines", "tables")))


def prune(root: Path) -> None:
    """Remove the empty folders under the cache ``root`` (documents whose OCR finished)."""
    if not root.is_dir():
        return
    for where, _, _ in sorted(os.walk(root), key=lambda entry: -len(entry[0])):  # deepest first
        with contextlib.suppress(OSError):
            os.rmdir(where)  # fails, as it should, on a folder that still holds pages
