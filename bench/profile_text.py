"""Where the CPU of a text-layer PDF page goes, stage by stage (issue: text PDFs at a third of
pdfplumber's cost).

    python3 -m bench.profile_text ../shared/corpus/docs [--manifest FILE]

Runs every text-layer PDF of the corpus (format ``pdf-text`` in the manifest) through the
pipeline in this process, with OCR off so that a page whose layer fails is not read again,
and times each step: the PDF reader's text (pypdfium2 characters to lines), its ruled tables
(pdfplumber's table finder on pypdfium2's paths and characters, ``read/pdf_rules.py``, on
pages with ruling lines only), then each component of ``run.PIPELINE``. Prints
a Markdown table of CPU milliseconds per page and shares of the total, and the same files'
pdfplumber ``extract_text`` for scale.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pdfplumber

from pipeline.options import Options
from pipeline.read import pdf as pdf_reader
from pipeline.read import read_document
from pipeline.registry import Context, get_component
from pipeline.run import PIPELINE, _load_components

Timings = defaultdict[str, float]


@contextmanager
def timed(timings: Timings, name: str) -> Iterator[None]:
    started = time.process_time()
    try:
        yield
    finally:
        timings[name] += time.process_time() - started


def text_pdfs(docs: Path, manifest: Path) -> list[Path]:
    entries = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [docs / entry["file"] for entry in entries if entry.get("format") == "pdf-text"]


def profile(paths: list[Path]) -> tuple[Timings, int]:
    """CPU seconds per step over ``paths``, and the number of pages."""
    _load_components()
    timings: Timings = defaultdict(float)
    original: Callable[..., Any] = pdf_reader._add_tables

    def tables_timed(*args: Any, **kwargs: Any) -> None:
        with timed(timings, "read: ruled tables"):
            original(*args, **kwargs)

    pdf_reader._add_tables = tables_timed
    pages = 0
    try:
        for path in paths:
            started = time.process_time()
            document = read_document(path)
            timings["read: text (pypdfium2)"] += time.process_time() - started
            pages += len(document.pages)
            ctx = Context(doc=document, options=Options(ocr=False, include_text=False))
            for name in PIPELINE:
                with timed(timings, name):
                    get_component(name)(ctx)
    finally:
        pdf_reader._add_tables = original
    # The reader's total included its tables: keep the text part alone.
    timings["read: text (pypdfium2)"] -= timings["read: ruled tables"]
    return timings, pages


def plumber_seconds(paths: list[Path]) -> float:
    started = time.process_time()
    for path in paths:
        with pdfplumber.open(path) as document:
            for page in document.pages:
                page.extract_text()
                page.close()
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("docs", type=Path)
    parser.add_argument("--manifest", type=Path, help="corpus manifest [DOCS/../manifest.jsonl]")
    args = parser.parse_args()
    paths = text_pdfs(args.docs, args.manifest or args.docs.parent / "manifest.jsonl")
    timings, pages = profile(paths)
    total = sum(timings.values())
    print(f"{len(paths)} text-layer PDFs, {pages} pages, OCR off\n")
    print("| step | CPU ms/page | share |")
    print("|---|---:|---:|")
    for name, seconds in sorted(timings.items(), key=lambda item: -item[1]):
        print(f"| {name} | {1000 * seconds / pages:.1f} | {100 * seconds / total:.0f} % |")
    print(f"| **pipeline** | **{1000 * total / pages:.1f}** | 100 % |")
    plumber = plumber_seconds(paths)
    print(f"| pdfplumber `extract_text` alone, same files | {1000 * plumber / pages:.1f} | |")


if __name__ == "__main__":
    main()
