"""OCR fallback: PDF pages with no text layer, or one that fails the quality check.

Each such page is rendered (pypdfium2, 300 dpi, red channel: see ``render_page``) and
read by Tesseract (``vie``) as TSV; words Tesseract doubts get their tone marks checked
against the lexicon (``ocr_words``) and page 1's handwritten number and day are read
again from their own crops (``ocr_fields``). Words become ``Line`` objects with
positions in PDF points, so layout can use x positions. Tesseract joins words on one
baseline across the two header columns ("VĂN PHÒNG CHÍNH PHỦ      CỘNG HÒA XÃ HỘI
..."), whatever the page segmentation mode, so a line is cut wherever the gap between
two words is far wider than a space.

Switch: ``Options(ocr=False)`` (``VANBAN_OCR=0`` in the environment, ``--no-ocr`` on the
command line) turns OCR off; failing pages are then only reported ("ocr.disabled"). A
missing ``tesseract`` binary or ``vie`` language gives "ocr.unavailable" and the page is
left as it was.
"""

from __future__ import annotations

import copy
import csv
import io
import itertools
import os
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from pipeline.model import Document, Line, Page
from pipeline.nlp.numbering import legible_digits
from pipeline.registry import Context, component
from pipeline.repair.normalize import normalize_text
from pipeline.repair.ocr_fields import FieldResult, reread_fields
from pipeline.repair.ocr_tables import join_continued_tables, read_tables
from pipeline.repair.ocr_words import correct_tokens
from pipeline.repair.quality import page_fails_quality, page_has_text, page_quality

if TYPE_CHECKING:
    from PIL import Image
    from pypdfium2 import PdfBitmap


DPI = 300
LANGUAGE = "vie"
# psm 3 (automatic layout) reads page 1 of 004, 088, 094, 096 word for word like psm 4
# and 1, at the same speed or faster; psm 6 (one uniform block) glues the received
# stamp and margin notes onto body lines and lost diacritics in two headers.
# The column-gap cut below separates the header blocks in every mode.
PAGE_SEGMENTATION_MODE = 3
TIMEOUT_SECONDS = 120.0
# A gap wider than this many word heights separates two columns, not two words.
COLUMN_GAP_HEIGHTS = 2.5
# Tone-mark repair (ocr_words) only touches words Tesseract itself doubts. On the 22
# scans, words under 96.5 got 283 repairs judged right ("phố thông" -> "phổ thông",
# "sửa đối" -> "sửa đổi") and 19 wrong ones (mostly "cấp tỉnh" -> "cấp tính"); from
# 96.5 to 97 (the model's ceiling) the wrong ones grow to one in three.
REPAIR_BELOW_CONFIDENCE = 96.5
# Below this the grave may change too (ocr_words.LOOSE_TONES). On Tesseract's readings of
# the 22 text-layer PDFs' own pages (their text layer as the truth, 63k words; see
# bench/ocr_marks.py), it repairs 54 more words and spoils 3; from 90 up the spoiled ones
# grow ("tỉnh" -> "tình").
LOOSE_BELOW_CONFIDENCE = 90.0

# The number and the day of page 1 are often handwritten into the printed blanks; they
# are read again from a 600 dpi crop of each field (ocr_fields). On the 22 scans this
# wrote 7 values (5 numbers, 2 days), all right, none wrong, and blanked 3 unconfirmed
# page readings (2 wrong, 1 right); the former re-read of the whole header block turned
# 093's "16" into "46".
HEADER_REOCR = True


@dataclass
class Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float
    confidence: float  # 0..100 as tesseract gives it
    key: tuple[int, int, int]  # (block, paragraph, line)

    @property
    def height(self) -> float:
        return self.bottom - self.top


class OcrUnavailable(RuntimeError):
    pass


@cache
def tesseract_problem() -> str | None:
    """Why OCR cannot run here, or None when tesseract with Vietnamese is installed."""
    binary = shutil.which("tesseract")
    if binary is None:
        return "tesseract is not installed"
    try:
        listed = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"tesseract does not run: {exc}"
    if LANGUAGE not in listed.stdout.split():
        return f"tesseract has no {LANGUAGE!r} language data (tesseract-ocr-{LANGUAGE})"
    return None


def render_page(pdf_path: str, index: int, dpi: int, image_path: Path) -> tuple[float, float]:
    """Render page ``index`` (0-based) to a PNG; return the page size in points.

    Pages after the first are the red channel of a colour rendering: red seals and
    stamps, which lie over the signer's title and name, turn nearly white there, while
    black print and blue handwriting stay dark. On the 22 scans this raised signer.name
    F1 from 48 to 74 and signer.position from 28 to 59 (092, 094, 098 got back "CHỦ
    TỊCH" / "KT. CHỦ TỊCH" and the name). Page 1 stays grey: its header fields (issuer,
    symbol, number, date) read as well or better there, and any change of rendering
    shifts a few characters of Tesseract's output ("TTr" read "TTIr" on 097).
    """
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_path)
    try:
        page = pdf[index]
        width, height = page.get_size()
        if index == 0:  # the header page keeps the grey rendering its scores were measured on
            page.render(scale=dpi / 72, grayscale=True).to_pil().save(image_path)
        else:
            _red_channel(page.render(scale=dpi / 72)).save(image_path)
        page.close()
    finally:
        pdf.close()
    return width, height


def _red_channel(bitmap: PdfBitmap) -> Image.Image:
    """The red channel of a pdfium BGR(x/A) bitmap as a greyscale image.

    Taken straight from the bitmap's buffer: going through a PIL RGB copy first cost
    ~50 MB more at 300 dpi, for the same pixels.
    """
    from PIL import Image as PILImage

    if bitmap.mode not in {"BGR", "BGRA", "BGRX", "RGB", "RGBA", "RGBX"}:
        return bitmap.to_pil().convert("L")
    pixels = bitmap.to_numpy()
    red = np.ascontiguousarray(pixels[:, :, bitmap.mode.index("R")])
    return PILImage.fromarray(red)


def run_tesseract(image_path: Path, psm: int, timeout: float) -> str:
    """Tesseract's TSV for one image; one thread, since pages run in parallel processes."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    done = subprocess.run(
        ["tesseract", str(image_path), "-", "-l", LANGUAGE, "--psm", str(psm), "tsv"],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise OcrUnavailable(done.stderr.strip()[-300:] or f"tesseract exit {done.returncode}")
    return done.stdout


def parse_tsv(tsv: str, scale: float) -> list[Word]:
    """Words (level 5 rows) of tesseract's TSV, coordinates multiplied by ``scale``."""
    words: list[Word] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        left, top = float(row["left"]) * scale, float(row["top"]) * scale
        words.append(
            Word(
                text=text,
                left=left,
                top=top,
                right=left + float(row["width"]) * scale,
                bottom=top + float(row["height"]) * scale,
                confidence=float(row["conf"]),
                key=(int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
            )
        )
    return words


def _split_at_column_gaps(words: list[Word]) -> list[list[Word]]:
    """Cut one tesseract line where a gap is far wider than a word space."""
    height = statistics.median(word.height for word in words)
    pieces: list[list[Word]] = [[words[0]]]
    for previous, word in itertools.pairwise(words):
        if word.left - previous.right > COLUMN_GAP_HEIGHTS * height:
            pieces.append([word])
        else:
            pieces[-1].append(word)
    return pieces


def _repaired_text(words: list[Word], repair: bool = True) -> str:
    """The words of one line, tone slips of the doubtful ones repaired against the lexicon."""
    tokens = [normalize_text(word.text) for word in words]
    if not repair:
        return normalize_text(" ".join(tokens))
    doubtful = [0 <= word.confidence < REPAIR_BELOW_CONFIDENCE for word in words]
    loose = [0 <= word.confidence < LOOSE_BELOW_CONFIDENCE for word in words]
    return normalize_text(" ".join(correct_tokens(tokens, doubtful, loose)))


def words_to_lines(words: list[Word], *, repair: bool = True) -> list[Line]:
    """Group words by tesseract line, cut at column gaps, in reading order (top, left);
    ``repair=False`` leaves Tesseract's words as read (bench/ocr_marks.py measures both)."""
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        grouped.setdefault(word.key, []).append(word)
    lines: list[Line] = []
    for line_words in grouped.values():
        line_words.sort(key=lambda w: w.left)
        for piece in _split_at_column_gaps(line_words):
            lines.append(
                Line(
                    text=_repaired_text(piece, repair),
                    x0=round(min(w.left for w in piece), 2),
                    top=round(min(w.top for w in piece), 2),
                    x1=round(max(w.right for w in piece), 2),
                    bottom=round(max(w.bottom for w in piece), 2),
                    size=round(statistics.median(w.height for w in piece), 2),
                )
            )
    return lines


def mean_confidence(words: list[Word]) -> float | None:
    """Mean word confidence 0..1 (tesseract's -1 marks non-words and is skipped)."""
    scores = [word.confidence for word in words if word.confidence >= 0]
    return round(statistics.fmean(scores) / 100, 4) if scores else None


def ocr_page(
    pdf_path: str,
    page: Page,
    *,
    dpi: int = DPI,
    psm: int = PAGE_SEGMENTATION_MODE,
    reread_header: bool = False,
) -> list[FieldResult]:
    """Replace ``page``'s text with Tesseract's reading of its image; with ``reread_header``
    the hand-filled number and day are read again (what came of it is returned)."""
    with tempfile.TemporaryDirectory(prefix="vanban-ocr-") as tmp:
        image = Path(tmp) / "page.png"
        width, height = render_page(pdf_path, page.number - 1, dpi, image)
        words = parse_tsv(run_tesseract(image, psm, TIMEOUT_SECONDS), scale=72 / dpi)
        tables = read_tables(image, dpi)  # ruled grids found in the image, their cells read
    fields: list[FieldResult] = []
    if reread_header:
        words, fields = _reread_fields(pdf_path, words, height)
    page.lines = words_to_lines(words)
    page.tables = tables  # ruled in the image; the failed layer's tables are as unreliable as its lines
    page.width = page.width or width
    page.height = page.height or height
    page.origin = "ocr"
    page.encoding = None
    page.ocr_confidence = mean_confidence(words)
    page.quality = page_quality(page)
    return fields


def page_has_images(pdf_path: str, index: int) -> bool:
    """Whether page ``index`` (0-based) draws any image: a blank page has nothing to read."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument(pdf_path)
    try:
        page = pdf[index]
        found = any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3))
        page.close()
    finally:
        pdf.close()
    return found


def _worth_reading(pdf_path: str, page: Page) -> bool:
    """A page with bad text always; one with no text only if it has an image (a scan)."""
    return page_has_text(page) or page_has_images(pdf_path, page.number - 1)


def _better_of(before: Page, after: Page) -> Page:
    """Keep a text layer that reads better than its OCR (an odd font, a faint scan)."""
    if before.quality is not None and (after.quality is None or after.quality < before.quality):
        return before
    return after


def _reread_fields(pdf_path: str, words: list[Word], height: float) -> tuple[list[Word], list[FieldResult]]:
    """Page-1 words with the hand-filled fields read again; as they were if that fails."""
    try:
        return reread_fields(pdf_path, words, height)
    except (subprocess.SubprocessError, OSError, ValueError):
        return words, []


def _warn_unreadable(doc: Document, results: list[FieldResult]) -> None:
    """A number neither re-read nor legible in the page reading is left null: say so (an
    illegible date is reported by the header parser, which sees the whole date line)."""
    for result in results:
        if result.kind != "number" or result.value is not None:
            continue
        if result.dropped or legible_digits(result.read, max_digits=6) is None:
            doc.warn(
                "header.number_unreadable",
                f"page 1: the handwritten number could not be read ({result.read!r})",
            )


def pages_to_ocr(doc: Document) -> list[Page]:
    return [page for page in doc.pages if page_fails_quality(page) and _worth_reading(doc.path, page)]


@component("repair.ocr", requires=("pages.quality",), assigns=("pages.read",))
def ocr_failing_pages(ctx: Context) -> None:
    doc = ctx.doc
    if doc.format != "pdf":
        return
    failing = pages_to_ocr(doc)
    if not failing:
        return
    numbers = ", ".join(str(page.number) for page in failing)
    if not ctx.options.ocr:
        doc.warn("ocr.disabled", f"pages without usable text left as they are: {numbers}")
        return
    problem = tesseract_problem()
    if problem is not None:
        doc.warn("ocr.unavailable", f"{problem}; pages without usable text: {numbers}")
        return
    chosen = {id(page) for page in failing}
    for index, page in enumerate(doc.pages):
        if id(page) not in chosen:
            continue
        trial = copy.deepcopy(page)
        try:
            fields = ocr_page(doc.path, trial, reread_header=HEADER_REOCR and page.number == 1)
        except subprocess.TimeoutExpired:
            doc.warn("ocr.timeout", f"page {page.number}: OCR took over {TIMEOUT_SECONDS:.0f} s")
        except (OcrUnavailable, OSError) as exc:
            doc.warn("ocr.failed", f"page {page.number}: {exc}")
        else:
            doc.pages[index] = better = _better_of(page, trial)
            if better is trial:
                _warn_unreadable(doc, fields)
    join_continued_tables(doc.pages)
