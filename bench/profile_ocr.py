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

    python3 -m bench.profile_ocr --components ../shared/corpus/docs/005.pdf ...

runs the whole pipeline instead (reading, then every component of ``run.PIPELINE`` with OCR
on) and times each component: what a scan costs besides its pages' OCR (the signature
column read again, the mark repairs across the document, the header).
"""

from __future__ import annotations

import argparse
import resource
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.options import Options
from pipeline.read import read_document
from pipeline.registry import Context, get_component
from pipeline.repair import ocr, ocr_fields, ocr_tables, render
from pipeline.run import PIPELINE, _load_components

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
        (render, "black_print", "render: black print (coloured ink removed)"),
        (ocr, "read_stamps", "page 1: urgency and secrecy stamps"),
        (ocr, "read_tables", "tables: grid finder, cell mosaic and its Tesseract"),
        (ocr_tables, "find_grids", "tables: grid finder alone"),
        (ocr, "_reread_fields", "page 1: handwritten fields read again"),
        (ocr_fields, "render_top", "page 1 fields: the 600 dpi rendering"),
        (ocr_fields, "read_line", "page 1 fields: the handwriting model"),
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


def profile_components(paths: list[Path]) -> tuple[Timings, int, float]:
    """CPU seconds per component of the whole pipeline (OCR on), pages, and CPU in all."""
    _load_components()
    timings: Timings = defaultdict(float)
    pages = 0
    started = cpu_with_children()
    for path in paths:
        document = _timed(timings, "read", read_document)(path)
        pages += len(document.pages)
        context = Context(doc=document, options=Options(include_text=False))
        for name in PIPELINE:
            _timed(timings, name, get_component(name))(context)
    return timings, pages, cpu_with_children() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pdfs", type=Path, nargs="+")
    parser.add_argument("--components", action="store_true", help="time the whole pipeline by component")
    args = parser.parse_args()
    timings, pages, total = (profile_components if args.components else profile)(args.pdfs)
    if not pages:
        print("no pages", file=sys.stderr)
        return
    what = "pages" if args.components else "pages OCR'd"
    print(f"{len(args.pdfs)} PDFs, {pages} {what}\n")
    print("| step | CPU s/page | share |")
    print("|---|---:|---:|")
    for name, seconds in sorted(timings.items(), key=lambda item: -item[1]):
        print(f"| {name} | {seconds / pages:.3f} | {100 * seconds / total:.0f} % |")
    whole = "the whole pipeline" if args.components else "all of ocr_page"
    print(f"| **{whole}** | **{total / pages:.3f}** | 100 % |")


if __name__ == "__main__":
    main()
