"""Mark errors of the OCR repair chain, measured on PDFs whose text layer is the truth.

    python -m bench.ocr_marks FOLDER [--jobs N] [--limit N]

Scans have no text to check OCR against, but born-digital PDFs do: each page of a PDF
whose text layer passes the quality score is rendered and read by Tesseract exactly as a
scanned page would be (repair.ocr), and every OCR'd word is matched to the text layer's
word of the same bare letters (difflib over the two word sequences). A matched word is a
mark error when its marks differ ("phó" for "phố"; tone placement aside, as the evaluator
folds it). Words whose letters OCR got wrong are not matched, so this measures what the
mark repairs can change, nothing else.

Rates are printed after each stage: Tesseract alone, the OCR step's lexicon repair of
doubtful words, then each pass of repair.consistency in turn, with the words each stage
repaired and spoiled (as multisets of (truth, reading) pairs against the stage before).
Some "spoiled" words are typos of the text layer itself ("ket" for "kết").
"""

from __future__ import annotations

import argparse
import copy
import difflib
import functools
import pickle
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pipeline.evaluate.fold import fold
from pipeline.model import Document
from pipeline.read import read_document
from pipeline.registry import Context
from pipeline.repair import consistency, ocr, tesseract
from pipeline.repair.ocr_words import bare
from pipeline.repair.quality import page_fails_quality, page_has_text
from pipeline.run import process_context

Errors = Counter[tuple[str, str]]


def _read_as_scan(path: Path) -> tuple[Document, list[list[tesseract.Word]]] | None:
    """The PDF's text-layer document and Tesseract's words per page; None if any page
    fails the quality score (its layer is no truth)."""
    doc = read_document(path)
    process_context(Context(doc=doc), ["repair.legacy", "repair.normalize", "repair.quality"])
    if not doc.pages or any(page_fails_quality(page) or not page_has_text(page) for page in doc.pages):
        return None
    pages = []
    with tempfile.TemporaryDirectory(prefix="vanban-marks-") as tmp:
        image = Path(tmp) / "page.png"
        for page in doc.pages:
            ocr.render_page(doc.path, page.number - 1, ocr.DPI, image)
            tsv = tesseract.run_tesseract(image, ocr.PAGE_SEGMENTATION_MODE, tesseract.TIMEOUT_SECONDS)
            pages.append(tesseract.parse_tsv(tsv, scale=72 / ocr.DPI))
    return doc, pages


def _as_ocr(truth: Document, pages: list[list[tesseract.Word]], repair: bool) -> Document:
    """A copy of ``truth`` with Tesseract's lines; ``repair``: with the OCR step's lexicon repair."""
    doc = copy.deepcopy(truth)
    for page, words in zip(doc.pages, pages, strict=True):
        page.lines = ocr.words_to_lines(words, repair=repair)
        page.tables = []
        page.origin = "ocr"
    return doc


def _words(doc: Document) -> list[str]:
    return [token.text for token in consistency.document_tokens(doc) if token.text.isalpha()]


def mark_errors(truth: Document, read: Document) -> tuple[int, Errors]:
    """(matched words, Counter of (truth, reading) pairs whose marks differ)."""
    expected, found = _words(truth), _words(read)
    keys = [bare(word).lower() for word in expected]
    matcher = difflib.SequenceMatcher(None, keys, [bare(w).lower() for w in found], autojunk=False)
    matched, errors = 0, Counter[tuple[str, str]]()
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            want, got = fold(expected[block.a + offset]), fold(found[block.b + offset])
            matched += 1
            if want != got:
                errors[(want, got)] += 1
    return matched, errors


# Stages after the OCR step's own repair: the consistency passes, in pipeline order.
PASS_NAMES = [repair.name for repair in consistency.PASSES]
STAGES = ["tesseract", "ocr lexicon repair", *PASS_NAMES]


def _read_cached(path: Path, cache: Path | None) -> tuple[Document, list[list[tesseract.Word]]] | None:
    """_read_as_scan, kept in ``cache`` (a folder) when one is given: Tesseract's readings do
    not change with the repairs measured, so a second run compares repairs in seconds."""
    if cache is None:
        return _read_as_scan(path)
    kept = cache / f"{path.name}.pickle"
    if kept.exists():
        with kept.open("rb") as file:
            return pickle.load(file)  # a cache this bench wrote itself
    read = _read_as_scan(path)
    kept.write_bytes(pickle.dumps(read))
    return read


def measure(path: Path, cache: Path | None = None) -> list[tuple[int, Errors]] | None:
    """Matched words and errors after each of STAGES for one PDF; None if it has no truth."""
    read = _read_cached(path, cache)
    if read is None:
        return None
    truth, pages = read
    results = [mark_errors(truth, _as_ocr(truth, pages, repair=False))]
    doc = _as_ocr(truth, pages, repair=True)
    results.append(mark_errors(truth, doc))
    for repair in consistency.PASSES:
        consistency.apply_repairs(doc, repair.respellings(doc))
        results.append(mark_errors(truth, doc))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--per-file", action="store_true", help="errors after each stage, per file")
    parser.add_argument("--detail", action="store_true", help="each stage's commonest repairs and spoils")
    parser.add_argument("--cache", type=Path, help="a folder keeping Tesseract's readings between runs")
    args = parser.parse_args()
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    pdfs = sorted(args.folder.glob("*.pdf"))[: args.limit or None]
    names = STAGES
    words = [0] * len(names)
    errors = [Counter[tuple[str, str]]() for _ in names]
    used = 0
    with ProcessPoolExecutor(args.jobs) as pool:
        results = pool.map(functools.partial(measure, cache=args.cache), pdfs)
        for pdf, result in zip(pdfs, results, strict=True):
            if result is None:
                continue
            used += 1
            if args.per_file:
                counts = " ".join(str(sum(found.values())) for _, found in result)
                print(f"{pdf.name}: {result[0][0]} words, errors by stage {counts}")
            for at, (matched, found) in enumerate(result):
                words[at] += matched
                errors[at] += found
    print(f"{used} text-layer PDFs of {len(pdfs)}; words matched to their text layer: {words[0]}\n")
    print("| stage | mark errors | rate | repaired | spoiled |")
    print("|---|---:|---:|---:|---:|")
    for at, name in enumerate(names):
        total = sum(errors[at].values())
        before = errors[at - 1] if at else Counter[tuple[str, str]]()
        repaired = sum((before - errors[at]).values()) if at else 0
        spoiled = sum((errors[at] - before).values()) if at else 0
        rate = 100 * total / max(1, words[at])
        print(f"| {name} | {total} | {rate:.2f} % | {repaired} | {spoiled} |")
    if args.detail:
        for at, name in enumerate(names[1:], start=1):
            print(f"\n{name}: repaired", _commonest(errors[at - 1] - errors[at]))
            print(f"{name}: spoiled", _commonest(errors[at] - errors[at - 1]))
    print("\nCommonest remaining (truth, reading):", _commonest(errors[-1]))


def _commonest(errors: Errors, count: int = 10) -> str:
    return ", ".join(f"{t}/{r} {n}" for (t, r), n in errors.most_common(count))


if __name__ == "__main__":
    main()
