"""Where the CPU of an OCR'd page goes, step by step (issue: OCR ≤ 1.5 s per OCR'd page per core).

    python3 -m bench.profile_ocr ../shared/corpus/docs/005.pdf ../shared/corpus/docs/092.pdf

OCRs every page of the given PDFs as the pipeline does (``ocr.ocr_page``; page 1 with its
handwritten fields read again) in this process, and times each step in CPU seconds of this
process and of the helper programs it ran (Tesseract, unless tesserocr reads in this process:
``VANBAN_TESSEROCR=0`` runs the program): rendering and saving the page image,
Tesseract on the page, the table finder on the image, Tesseract on the table cells, the
field re-reading of page 1, and the words made into lines (tone-mark repair included).
Prints a Markdown table of CPU seconds per page; the table steps and Tesseract on the cells
are nested (the grid finder and the cells' Tesseract are inside "tables"), so shares add up
to more than 100 %.
"""

from __future__ import annotations

import argparse
import resource
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.read import read_document
from pipeline.repair import ocr, ocr_tables

Timings = defaultdict[str, float]


def cpu_with_children() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(timings: Timings, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        started = cpu_with_children()
        try:
            return function(*args, **kwargs)
        finally:
            timings[name] += cpu_with_children() - started

    return run


def profile(paths: list[Path]) -> tuple[Timings, int, float]:
    """CPU seconds per step, pages OCR'd, and CPU seconds in all."""
    timings: Timings = defaultdict(float)
    patched = [
        (ocr, "render_page", "render and save the page image"),
        (ocr, "read_tables", "tables: grid finder, cell mosaic and its Tesseract"),
        (ocr_tables, "find_grids", "tables: grid finder alone"),
        (ocr, "_reread_fields", "page 1: handwritten fields read again"),
        (ocr, "words_to_lines", "words to lines (tone-mark repair included)"),
    ]
    originals = [(module, name, getattr(module, name)) for module, name, _ in patched]
    tesseract = ocr.run_tesseract

    def run_tesseract(image_path: Path, psm: int, timeout: float, languages: str = ocr.LANGUAGE) -> str:
        name = f"Tesseract psm {psm}" + (" (page)" if psm == ocr.PAGE_SEGMENTATION_MODE else " (table cells)")
        return str(_timed(timings, name, tesseract)(image_path, psm, timeout, languages))

    for module, name, label in patched:
        setattr(module, name, _timed(timings, label, getattr(module, name)))
    # Both modules took run_tesseract from repair.tesseract by name: patch both names.
    ocr.run_tesseract = ocr_tables.run_tesseract = run_tesseract
    pages = 0
    started = cpu_with_children()
    try:
        for path in paths:
            document = read_document(path)
            for page in document.pages:
                ocr.ocr_page(str(path), page, reread_header=page.number == 1)
                pages += 1
    finally:
        for module, name, original in originals:
            setattr(module, name, original)
        ocr.run_tesseract = ocr_tables.run_tesseract = tesseract
    return timings, pages, cpu_with_children() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pdfs", type=Path, nargs="+")
    args = parser.parse_args()
    timings, pages, total = profile(args.pdfs)
    if not pages:
        print("no pages", file=sys.stderr)
        return
    print(f"{len(args.pdfs)} PDFs, {pages} pages OCR'd\n")
    print("| step | CPU s/page | share |")
    print("|---|---:|---:|")
    for name, seconds in sorted(timings.items(), key=lambda item: -item[1]):
        print(f"| {name} | {seconds / pages:.3f} | {100 * seconds / total:.0f} % |")
    print(f"| **all of ocr_page** | **{total / pages:.3f}** | 100 % |")


if __name__ == "__main__":
    main()
