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
command line) turns OCR off; failing pages are then only reported ("ocr.disabled"). Every
Tesseract reading of a run is in ``Options.languages`` (default ``vie``; ``--ocr-languages``).
A missing ``tesseract`` binary or language gives "ocr.unavailable" and the page is left as
it was (languages chosen and not installed are refused at start: ``run.check_options``).
"""

from __future__ import annotations

import collections
import concurrent.futures
import copy
import itertools
import math
import statistics
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import progress
from pipeline.model import Document, Line, Page, Table
from pipeline.nlp.numbering import legible_digits
from pipeline.registry import Context, component
from pipeline.repair import page_cache
from pipeline.repair.ocr_fields import FieldResult, reread_fields
from pipeline.repair.ocr_stamps import Stamp, read_stamps
from pipeline.repair.ocr_tables import join_continued_tables, read_tables
from pipeline.repair.quality import QualitySettings, page_fails_quality, page_has_text, page_quality
from pipeline.repair.render import grown, page_image
from pipeline.repair.tesseract import (
    IMAGE_SUFFIX,
    LANGUAGE,
    PDFIUM_LOCK,
    TIMEOUT_SECONDS,
    OcrUnavailable,
    Word,
    parse_tsv,
    repaired_text,
    run_tesseract,
    tesseract_problem,
)

if TYPE_CHECKING:
    from PIL import Image
    from pypdfium2 import PdfPage


DPI = 300
# psm 3 (automatic layout) reads the header pages of the corpus scans word for word like
# psm 4 and 1, at the same speed or faster; psm 6 (one uniform block) glues the received
# stamp and margin notes onto body lines and lost diacritics in two headers.
# The column-gap cut below separates the header blocks in every mode.
PAGE_SEGMENTATION_MODE = 3
# A gap wider than this many word heights separates two columns, not two words.
COLUMN_GAP_HEIGHTS = 2.5
# The number and the day of page 1 are often handwritten into the printed blanks; they
# are read again from a 600 dpi crop of each field (ocr_fields). On the 22 scans this
# wrote 7 values (5 numbers, 2 days), all right, none wrong, and blanked 3 unconfirmed
# page readings (2 wrong, 1 right); the former re-read of the whole header block turned
# a handwritten "16" into "46".
HEADER_REOCR = True
# Urgency and secrecy stamps pressed by hand on page 1 are read from its image (ocr_stamps).
READ_STAMPS = True

# Rendering is capped by pixels, not only by dpi: an A0 drawing, a map or a mis-set
# MediaBox (a scan stretched over 200 × 200 in) would ask pdfium for a bitmap of billions
# of pixels. 36 Mpx holds an A2 page at 300 dpi (34.8 Mpx; A4 is 8.7 Mpx), i.e. 36 MB in
# grey and 144 MB in colour while it lasts; Tesseract takes a few hundred MB on it.
MAX_PIXELS = 36_000_000
# Over the cap, a page is cut into tiles rather than read too small; past this many tiles
# (a 16-tile A0 at ~210 dpi) the scale goes down instead, with the same warning.
MAX_TILES = 16
# Tiles are rendered this many points beyond their box, so a word cut by the box's edge
# is whole in one of them; a word is kept by the tile whose box holds its centre.
TILE_MARGIN = 36.0
# A scan on an oversized page is read at this many times its own resolution (a 200 dpi
# scan read at 300 dpi, as on ordinary pages), not at 300 dpi of its page box.
UPSAMPLE_NATIVE = 1.5
# Pages of one document read at once at most, however many slots the batch has free.
MAX_PAGES_AT_ONCE = 8
# While pages are being read, how often the batch's free slots are looked at again.
SPARE_CHECK_SECONDS = 0.25


@dataclass(frozen=True)
class RenderPlan:
    """How one page is rendered for OCR: the scale (pixels per point) and the tiles.

    ``tiles`` are (left, bottom, right, top) boxes in points, each rendered on its own;
    one tile covering the page for every page within ``MAX_PIXELS`` at ``dpi``.
    ``note`` says what was changed for an oversized page (empty otherwise).
    """

    width: float
    height: float
    scale: float
    tiles: tuple[tuple[float, float, float, float], ...]
    note: str = ""

    @property
    def dpi(self) -> float:
        return self.scale * 72

    @property
    def tiled(self) -> bool:
        return len(self.tiles) > 1


def _native_scale(page: PdfPage) -> float | None:
    """Pixels per point at which the page's images are drawn at their own resolution (the
    largest over its images), or None when it draws no image (vector text or drawing)."""
    import pypdfium2.raw as pdfium_c

    best: float | None = None
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        left, bottom, right, top = image.get_bounds()
        pixels_x, pixels_y = image.get_px_size()
        if right - left <= 0 or top - bottom <= 0:
            continue
        scale = max(pixels_x / (right - left), pixels_y / (top - bottom))
        best = scale if best is None else max(best, scale)
    return best


def plan_render(page: PdfPage, dpi: int) -> RenderPlan:
    """The rendering of ``page`` for OCR: ``dpi`` when the page fits ``MAX_PIXELS`` (every
    ordinary page up to A2); otherwise the largest scale that fits, unless that would
    drop detail the page holds, in which case it is cut into tiles (at most ``MAX_TILES``)."""
    width, height = page.get_size()
    area = max(width * height, 1.0)
    scale = dpi / 72
    whole = (0.0, 0.0, width, height)
    if area * scale * scale <= MAX_PIXELS:
        return RenderPlan(width, height, scale, (whole,))
    fitting = math.sqrt(MAX_PIXELS / area)
    native = _native_scale(page)
    # A scan stretched over an oversized box: its own pixels (plus the same enlargement
    # as a 200 dpi scan read at 300 dpi) are all there is to read.
    needed = min(scale, native * UPSAMPLE_NATIVE) if native is not None else scale
    size = f"{width / 72:.0f} × {height / 72:.0f} in"
    if needed <= fitting:
        cap = f"{MAX_PIXELS / 1e6:.0f} Mpx"
        note = f"the page ({size}) is rendered at {needed * 72:.0f} dpi to stay within {cap}"
        return RenderPlan(width, height, needed, (whole,), note)
    tiles_needed = math.ceil(area * needed * needed / MAX_PIXELS)
    if tiles_needed > MAX_TILES:
        needed = math.sqrt(MAX_TILES * MAX_PIXELS / area)
        tiles_needed = MAX_TILES
    columns = max(1, round(math.sqrt(tiles_needed * width / height)))
    rows = max(1, math.ceil(tiles_needed / columns))
    while (width / columns) * (height / rows) * needed * needed > MAX_PIXELS:
        rows += 1
    tiles = tuple(
        (width * c / columns, height * r / rows, width * (c + 1) / columns, height * (r + 1) / rows)
        for r in reversed(range(rows))  # top row first
        for c in range(columns)
    )
    note = (
        f"the page ({size}) is read in {len(tiles)} tiles at {needed * 72:.0f} dpi "
        f"to stay within {MAX_PIXELS / 1e6:.0f} Mpx each"
    )
    return RenderPlan(width, height, needed, tiles, note)


def render_page(
    pdf_path: str,
    index: int,
    dpi: int,
    image_path: Path,
    *,
    scale: float | None = None,
    box: tuple[float, float, float, float] | None = None,
    print_only: bool = False,
    without_rings: bool = False,
    scanned_path: Path | None = None,
) -> tuple[float, float]:
    """Render page ``index`` (0-based) to a PNG; return the page size in points.

    ``scale`` (pixels per point) overrides ``dpi``; ``box`` (left, bottom, right, top in
    points, grown by ``TILE_MARGIN`` within the page) renders only that part of the page.

    The image is ``render.page_image``'s: black print alone on pages after the first (or
    with ``print_only``), page 1 without its stamp, seal and signature ink; that page as
    scanned, when it differs, is saved to ``scanned_path`` too; ``without_rings``: see
    ``render.page_image``.
    """
    factor = dpi / 72 if scale is None else scale
    as_scanned: list[Image.Image] = []
    image, size = page_image(
        pdf_path,
        index,
        factor,
        box=box,
        margin=TILE_MARGIN,
        print_only=print_only,
        without_rings=without_rings,
        as_scanned=as_scanned,
    )
    image.save(image_path)
    if scanned_path is not None and as_scanned:
        as_scanned[0].save(scanned_path)
    return size


def _grown(
    box: tuple[float, float, float, float], width: float, height: float
) -> tuple[float, float, float, float]:
    """``box`` grown by ``TILE_MARGIN`` points on each side, within the page."""
    return grown(box, TILE_MARGIN, width, height)


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
                    text=repaired_text(piece, repair),
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


def page_render_plan(pdf_path: str, index: int, dpi: int = DPI) -> RenderPlan:
    """``plan_render`` for page ``index`` (0-based) of the PDF at ``pdf_path``."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(pdf_path)
        try:
            page = pdf[index]
            plan = plan_render(page, dpi)
            page.close()
        finally:
            pdf.close()
    return plan


def read_box(
    pdf_path: str,
    index: int,
    box: tuple[float, float, float, float],
    scale: float,
    psm: int,
    image: Path,
    size: tuple[float, float],
    *,
    print_only: bool = False,
    without_rings: bool = False,
    languages: str = LANGUAGE,
) -> list[Word]:
    """Tesseract's words (read in ``languages``) of the part ``box`` (left, bottom, right, top
    in points) of page ``index`` of ``size`` (width, height), rendered at ``scale`` pixels per
    point into ``image`` (black print alone with ``print_only``, and without a black seal's rings
    with ``without_rings``); in page points from the top left."""
    width, height = size
    grown_left, grown_bottom, grown_right, grown_top = _grown(box, width, height)
    # A box of an oversized page (a sheet 200 inches wide) is rendered within MAX_PIXELS too.
    area = max((grown_right - grown_left) * (grown_top - grown_bottom), 1.0)
    scale = min(scale, math.sqrt(MAX_PIXELS / area))
    render_page(
        pdf_path, index, DPI, image, scale=scale, box=box, print_only=print_only, without_rings=without_rings
    )
    words = parse_tsv(run_tesseract(image, psm, TIMEOUT_SECONDS, languages), scale=1 / scale)
    for word in words:
        # The pixels start at the grown box's top left (page y grows downward here).
        word.left += grown_left
        word.right += grown_left
        word.top += height - grown_top
        word.bottom += height - grown_top
    return words


def _read_tiles(
    pdf_path: str, index: int, plan: RenderPlan, psm: int, folder: Path, languages: str
) -> list[Word]:
    """The words of every tile, in page points; each word kept by the tile holding its centre.

    Tesseract's line keys are made distinct per tile (the block number), so lines of two
    tiles never merge.
    """
    words: list[Word] = []
    image = folder / f"tile.{IMAGE_SUFFIX}"
    for number, box in enumerate(plan.tiles):
        left, bottom, right, top = box
        size = (plan.width, plan.height)
        for word in read_box(pdf_path, index, box, plan.scale, psm, image, size, languages=languages):
            centre_x = (word.left + word.right) / 2
            centre_y = plan.height - (word.top + word.bottom) / 2
            if left <= centre_x < right and bottom <= centre_y < top:
                word.key = (word.key[0] + 10_000 * (number + 1), word.key[1], word.key[2])
                words.append(word)
    return words


def ocr_page(
    pdf_path: str,
    page: Page,
    *,
    dpi: int = DPI,
    psm: int = PAGE_SEGMENTATION_MODE,
    reread_header: bool = False,
    notes: list[str] | None = None,
    warnings: list[tuple[str, str]] | None = None,
    languages: str = LANGUAGE,
) -> list[FieldResult]:
    """Replace ``page``'s text with Tesseract's reading of its image; with ``reread_header``
    the hand-filled number and day are read again (what came of it is returned). An
    oversized page is rendered within ``MAX_PIXELS`` (``plan_render``); what was changed
    for it is appended to ``notes``. With ``reread_header`` (page 1) urgency and secrecy
    stamps are read too (``ocr_stamps``), each reported in ``warnings``. Tesseract reads in
    ``languages`` (``Options.languages``)."""
    plan = page_render_plan(pdf_path, page.number - 1, dpi)
    if plan.note and notes is not None:
        notes.append(plan.note)
    with tempfile.TemporaryDirectory(prefix="vanban-ocr-") as tmp:
        if plan.tiled:
            words = _read_tiles(pdf_path, page.number - 1, plan, psm, Path(tmp), languages)
            tables: list[Table] = []  # a grid cut by tile edges is not rebuilt
            stamps: list[Stamp] = []
        else:
            image = Path(tmp) / f"page.{IMAGE_SUFFIX}"
            scanned = Path(tmp) / f"scanned.{IMAGE_SUFFIX}"
            render_page(pdf_path, page.number - 1, dpi, image, scale=plan.scale, scanned_path=scanned)
            words = parse_tsv(run_tesseract(image, psm, TIMEOUT_SECONDS, languages), scale=1 / plan.scale)
            # ruled grids found in the image, their cells read
            tables = read_tables(image, max(round(plan.dpi), 1), languages)
            stamps = (
                read_stamps(scanned if scanned.exists() else image, plan.scale * 72, words, languages)
                if reread_header and READ_STAMPS
                else []
            )
    width, height = plan.width, plan.height
    fields: list[FieldResult] = []
    if reread_header and not plan.note:  # the field crops assume an ordinary page at 600 dpi
        words, fields = _reread_fields(pdf_path, words, height)
    page.lines = words_to_lines(words)
    for stamp in stamps:
        _put_stamp(page, stamp)
        if warnings is not None:
            warnings.append(
                ("ocr.stamp_read", f"page {page.number}: a stamp read as {stamp.read!r}: {stamp.word}")
            )
    page.tables = tables  # ruled in the image; the failed layer's tables are as unreliable as its lines
    page.width = page.width or width
    page.height = page.height or height
    page.origin = "ocr"
    page.encoding = None
    page.ocr_confidence = mean_confidence(words)
    page.quality = page_quality(page)
    return fields


def _put_stamp(page: Page, stamp: Stamp) -> None:
    """The stamp's word as a line of its own where the stamp is, in reading order."""
    left, top, right, bottom = stamp.box
    at = next((i for i, line in enumerate(page.lines) if (line.top or 0.0) > top), len(page.lines))
    page.lines.insert(at, Line(text=stamp.word, x0=left, top=top, x1=right, bottom=bottom))


def image_boxes(pdf_path: str, index: int) -> list[tuple[float, float, float, float]]:
    """The boxes (left, top, right, bottom in points from the top left) of the images page
    ``index`` (0-based) draws."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(pdf_path)
        try:
            page = pdf[index]
            height = page.get_height()
            boxes = []
            for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
                left, bottom, right, top = image.get_bounds()
                boxes.append((left, height - top, right, height - bottom))
            page.close()
        finally:
            pdf.close()
    return boxes


def page_has_images(pdf_path: str, index: int) -> bool:
    """Whether page ``index`` (0-based) draws any image: a blank page has nothing to read."""
    return bool(image_boxes(pdf_path, index))


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


def _unreadable_warnings(results: list[FieldResult]) -> list[tuple[str, str]]:
    """A number neither re-read nor legible in the page reading is left null: say so (an
    illegible date is reported by the header parser, which sees the whole date line)."""
    return [
        ("header.number_unreadable", f"page 1: the handwritten number could not be read ({result.read!r})")
        for result in results
        if result.kind == "number"
        and result.value is None
        and (result.dropped or legible_digits(result.read, max_digits=6) is None)
    ]


_Read = tuple[Page, list[tuple[str, str]], bool]  # the page, its warnings, whether OCR ran


@dataclass
class _Outcome:
    """What became of one page chosen for OCR: the page as it now stands and the warnings
    its reading gave (in the record in page order), or why it was not read (``missing``)."""

    page: Page
    warnings: list[tuple[str, str]]
    missing: str | None = None


def _ocr_pages(doc: Document, failing: list[Page], languages: str = LANGUAGE) -> None:
    """OCR ``failing`` pages: one at a time, or several at once while the batch has CPU
    slots no other document uses (``progress.spare_slots``: the end of a batch, a single
    large file), each page in a thread of its own whose Tesseract is a helper program of
    this worker (its memory and time count as the document's). The record is the same
    either way: every page is read alone, and pages and warnings are put back in page order.

    Each page read is kept in the page cache at once, and a page found there is not read
    again; when the document's time budget is spent (or in a salvage run) the rest are
    left unread, and so is a page whose OCR ran out of memory: all are named, with why, in
    an ``ocr.stopped`` warning."""
    chosen = {id(page) for page in failing}
    cache = page_cache.folder(doc.path)
    todo = collections.deque(index for index, page in enumerate(doc.pages) if id(page) in chosen)
    outcomes: dict[int, _Outcome] = {}
    running: dict[concurrent.futures.Future[_Read], int] = {}

    def settle(index: int, read: Callable[[], _Read]) -> None:
        try:
            page, warnings, was_read = read()
        except MemoryError:  # the worker's address-space guard: this page only is lost
            outcomes[index] = _Outcome(doc.pages[index], [], "its OCR ran out of memory")
            return
        outcomes[index] = _Outcome(page, warnings)
        if was_read:
            page_cache.store(cache, page, warnings)

    started = 0
    why: str | None = None
    with concurrent.futures.ThreadPoolExecutor(
        max_workers=MAX_PAGES_AT_ONCE, thread_name_prefix="vanban-ocr"
    ) as pool:
        while todo or running:
            spare = progress.spare_slots()
            while todo and len(running) < min(MAX_PAGES_AT_ONCE, 1 + spare):
                index = todo.popleft()
                page = doc.pages[index]
                cached = page_cache.load(cache, page.number)
                if cached is not None:
                    outcomes[index] = _Outcome(*cached)
                    continue
                why = why or progress.should_stop()
                if why is not None:
                    outcomes[index] = _Outcome(page, [], why)
                    continue
                started += 1
                progress.report("ocr", started, len(failing))
                if not running and not spare:
                    # Nothing lent: the page is read here, as pages always were one at a
                    # time (a thread would add its own stack and heap to the address space).
                    settle(index, partial(_ocr_one, doc.path, page, languages))
                    spare = progress.spare_slots()
                    continue
                running[pool.submit(_ocr_one, doc.path, page, languages)] = index
            if not running:
                continue
            # Not only until a page is done: slots the batch frees meanwhile are taken too.
            done, _ = concurrent.futures.wait(
                running, timeout=SPARE_CHECK_SECONDS, return_when=concurrent.futures.FIRST_COMPLETED
            )
            for future in done:
                settle(running.pop(future), future.result)
    missing: dict[str, list[int]] = {}  # why -> page numbers
    for index in sorted(outcomes):
        outcome = outcomes[index]
        if outcome.missing is not None:
            missing.setdefault(outcome.missing, []).append(outcome.page.number)
            continue
        doc.pages[index] = outcome.page
        doc.warnings.extend(outcome.warnings)
    for reason, numbers in missing.items():
        doc.warn(
            "ocr.stopped",
            f"{'page' if len(numbers) == 1 else 'pages'} {_page_ranges(numbers)} of {len(doc.pages)} "
            f"not read: {reason}; "
            "run again with --resume to read only them",
        )
    if not missing:
        page_cache.remove(cache)


def _ocr_one(pdf_path: str, page: Page, languages: str = LANGUAGE) -> _Read:
    """OCR one page: the better of its layer and its OCR, the warnings its reading gave, and
    whether it was read (False: OCR failed, the page is as it was). Touches no shared state,
    so that pages can be read in parallel threads."""
    trial = copy.deepcopy(page)
    notes: list[str] = []
    read: list[tuple[str, str]] = []
    try:
        reread = HEADER_REOCR and page.number == 1
        fields = ocr_page(
            pdf_path, trial, reread_header=reread, notes=notes, warnings=read, languages=languages
        )
    except subprocess.TimeoutExpired:
        return page, [("ocr.timeout", f"page {page.number}: OCR took over {TIMEOUT_SECONDS:.0f} s")], False
    except (OcrUnavailable, OSError) as exc:
        return page, [("ocr.failed", f"page {page.number}: {exc}")], False
    warnings = [("ocr.oversized_page", f"page {page.number}: {note}") for note in notes]
    better = _better_of(page, trial)
    if better is trial:
        warnings += read + _unreadable_warnings(fields)
    return better, warnings, True


def _page_ranges(numbers: list[int]) -> str:
    """``[1, 2, 3, 7]`` as ``"1-3, 7"``."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def pages_to_ocr(doc: Document, quality: QualitySettings | None = None) -> list[Page]:
    return [
        page
        for page in doc.pages
        if page_fails_quality(page, quality or QualitySettings()) and _worth_reading(doc.path, page)
    ]


@component("repair.ocr", requires=("pages.quality",), assigns=("pages.read",))
def ocr_failing_pages(ctx: Context) -> None:
    doc = ctx.doc
    if doc.format != "pdf":
        return
    failing = pages_to_ocr(doc, ctx.settings(QualitySettings))
    if not failing:
        return
    numbers = ", ".join(str(page.number) for page in failing)
    if not ctx.options.ocr:
        doc.warn("ocr.disabled", f"pages without usable text left as they are: {numbers}")
        return
    languages = ctx.options.languages
    problem = None if progress.salvaging() else tesseract_problem(languages)  # a salvage OCRs nothing
    if problem is not None:
        doc.warn("ocr.unavailable", f"{problem}; pages without usable text: {numbers}")
        return
    _ocr_pages(doc, failing, languages)
    join_continued_tables(doc.pages)
