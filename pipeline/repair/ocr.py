"""OCR fallback: PDF pages with no text layer, or one that fails the quality check.

Each such page is rendered (pypdfium2, 300 dpi) and read by Tesseract (``vie``) as
TSV. Words become ``Line`` objects with positions in PDF points, so layout can use x
positions. Tesseract joins words on one baseline across the two header columns
("VĂN PHÒNG CHÍNH PHỦ      CỘNG HÒA XÃ HỘI ..."), whatever the page segmentation
mode, so a line is cut wherever the gap between two words is far wider than a space.

Switches: ``VANBAN_OCR=0`` in the environment (or ``pipeline.repair.ocr.OCR_ENABLED
= False``, which the CLI can set) turns OCR off; failing pages are then only reported
("ocr.disabled"). A missing ``tesseract`` binary or ``vie`` language gives
"ocr.unavailable" and the page is left as it was.
"""

from __future__ import annotations

import copy
import csv
import io
import itertools
import os
import re
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.model import Document, Line, Page
from pipeline.registry import Context, component
from pipeline.repair.normalize import normalize_text
from pipeline.repair.quality import page_fails_quality, page_has_text, page_quality


def _env_enabled() -> bool:
    return os.environ.get("VANBAN_OCR", "1").strip().lower() not in {"0", "false", "no", "off"}


OCR_ENABLED: bool = _env_enabled()
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

# The number in "Số: 04/CT-UBND" is often handwritten or stamped into the blank. When
# the page-1 reading of it is not a clean number, the top 30% is read again at 600 dpi
# as one block (psm 6) and a clean number from there replaces it. On the 19 scans with
# gold numbers: 2 -> 4 exact (089 "0+" -> "04", 097 "#39 _" -> "239"), one garble
# became a wrong number (093 "⁄‡6" -> "46", gold 16); about 1 s more per document.
HEADER_REOCR = True
HEADER_DPI = 600
HEADER_PSM = 6
HEADER_FRACTION = 0.3
# "Số:" as OCR spells it ("Sô:", "Số;", "S6:"), then the number up to the slash.
_NUMBER_FIELD = re.compile(r"\bS[ốồổôoóò06][:;.]?\s*(?P<number>.{0,12}?)\s*/", re.IGNORECASE)
_NUMBER_JUNK = " _.,-‐–—⁄|'\"“”‘’`~"


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
    """Render page ``index`` (0-based) to a PNG; return the page size in points."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_path)
    try:
        page = pdf[index]
        width, height = page.get_size()
        page.render(scale=dpi / 72, grayscale=True).to_pil().save(image_path)
        page.close()
    finally:
        pdf.close()
    return width, height


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


def words_to_lines(words: list[Word]) -> list[Line]:
    """Group words by tesseract line, cut at column gaps, in reading order (top, left)."""
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        grouped.setdefault(word.key, []).append(word)
    lines: list[Line] = []
    for line_words in grouped.values():
        line_words.sort(key=lambda w: w.left)
        for piece in _split_at_column_gaps(line_words):
            lines.append(
                Line(
                    text=normalize_text(" ".join(word.text for word in piece)),
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


def ocr_page(pdf_path: str, page: Page, *, dpi: int = DPI, psm: int = PAGE_SEGMENTATION_MODE) -> None:
    """Replace ``page``'s text with Tesseract's reading of its image."""
    with tempfile.TemporaryDirectory(prefix="vanban-ocr-") as tmp:
        image = Path(tmp) / "page.png"
        width, height = render_page(pdf_path, page.number - 1, dpi, image)
        words = parse_tsv(run_tesseract(image, psm, TIMEOUT_SECONDS), scale=72 / dpi)
    page.lines = words_to_lines(words)
    page.tables = []  # tables read from the failed layer are as unreliable as its lines
    page.width = page.width or width
    page.height = page.height or height
    page.origin = "ocr"
    page.encoding = None
    page.ocr_confidence = mean_confidence(words)
    page.quality = page_quality(page)


def render_header(pdf_path: str, dpi: int, fraction: float, image_path: Path) -> None:
    """Render the top ``fraction`` of page 1 (coordinates stay those of the page)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_path)
    try:
        page = pdf[0]
        height = page.get_height()
        crop = (0, height * (1 - fraction), 0, 0)  # left, bottom, right, top trimmed, in points
        page.render(scale=dpi / 72, grayscale=True, crop=crop).to_pil().save(image_path)
        page.close()
    finally:
        pdf.close()


def clean_number(raw: str) -> str | None:
    """The digits of a "Số:" field when that is all it holds, else None ("2“", "#Z7")."""
    number = raw.strip(_NUMBER_JUNK)
    return number if re.fullmatch(r"\d{1,6}", number) else None


def _number_field(lines: list[Line]) -> tuple[Line, re.Match[str]] | None:
    for line in lines:
        match = _NUMBER_FIELD.search(line.text)
        if match:
            return line, match
    return None


def reread_header_number(pdf_path: str, page: Page) -> bool:
    """Re-read the number of page 1's "Số:" line at higher resolution; True if replaced."""
    found = _number_field(page.lines)
    if found is None or clean_number(found[1]["number"]) is not None:
        return False
    with tempfile.TemporaryDirectory(prefix="vanban-ocr-") as tmp:
        image = Path(tmp) / "header.png"
        render_header(pdf_path, HEADER_DPI, HEADER_FRACTION, image)
        words = parse_tsv(run_tesseract(image, HEADER_PSM, TIMEOUT_SECONDS), scale=72 / HEADER_DPI)
    again = _number_field(words_to_lines(words))
    number = clean_number(again[1]["number"]) if again else None
    if number is None:
        return False
    line, match = found
    line.text = line.text[: match.start("number")] + number + line.text[match.end("number") :]
    return True


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


def _try_header_number(doc: Document, page: Page) -> None:
    try:
        reread_header_number(doc.path, page)
    except (subprocess.TimeoutExpired, OcrUnavailable, OSError) as exc:
        doc.warn("ocr.failed", f"page 1 header: {exc}")


def pages_to_ocr(doc: Document) -> list[Page]:
    return [page for page in doc.pages if page_fails_quality(page) and _worth_reading(doc.path, page)]


@component("repair.ocr")
def ocr_failing_pages(ctx: Context) -> None:
    doc = ctx.doc
    if doc.format != "pdf":
        return
    failing = pages_to_ocr(doc)
    if not failing:
        return
    numbers = ", ".join(str(page.number) for page in failing)
    if not OCR_ENABLED:
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
            ocr_page(doc.path, trial)
        except subprocess.TimeoutExpired:
            doc.warn("ocr.timeout", f"page {page.number}: OCR took over {TIMEOUT_SECONDS:.0f} s")
        except (OcrUnavailable, OSError) as exc:
            doc.warn("ocr.failed", f"page {page.number}: {exc}")
        else:
            doc.pages[index] = better = _better_of(page, trial)
            if HEADER_REOCR and better is trial and page.number == 1:
                _try_header_number(doc, trial)
