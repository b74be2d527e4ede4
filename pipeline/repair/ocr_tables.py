"""Ruled tables on OCR'd pages: the grid is found in the page image, the words in its cells.

Tesseract gives words and lines but no tables, so a scanned task table would reach the
plan extractor as loose lines. Here the page image is binarised; long horizontal and
vertical dark runs (a run-length "opening" in numpy) are the rules; clustered, they give
the grid lines. A rule segment missing between two grid lines inside a row joins two
cells into a colspan, a missing horizontal segment joins them into a rowspan. The words
of the page reading (one tesseract call, already made) go to the cell holding their
centre, so reading the table costs no extra OCR.

A table split over several scanned pages is joined back (``join_continued_tables``): a
page whose table has no header row of its own, or prints the same header again (the same
columns named), and the same number of columns as the table before it continues that
table, so numbered rows and their sub-rows stay together.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np
from PIL import Image

from pipeline.model import Cell, Page, Table
from pipeline.nlp.bodies import load_body_words, starts_with_body
from pipeline.nlp.lookalikes import roman_one
from pipeline.nlp.task_columns import find_header
from pipeline.read.continued import ASSIGNMENT_COLUMNS, columns, continue_table, placed
from pipeline.repair.ocr_noise import is_cell_speck
from pipeline.repair.tesseract import (
    IMAGE_SUFFIX,
    LANGUAGE,
    TIMEOUT_SECONDS,
    parse_tsv,
    repaired_text,
    run_tesseract,
)

# Pixels darker than this (0..255) are ink.
INK_THRESHOLD = 160
# A rule is a dark run at least this long, in inches (0.25 in = 75 px at 300 dpi); text
# strokes are far shorter, the narrowest column (STT) far wider.
MIN_RULE_INCHES = 0.25
# A grid line: rule pixels along at least this many inches in total.
MIN_LINE_INCHES = 0.5
# A segment of a rule between two grid lines is there when this share of it is inked.
SEGMENT_PRESENT = 0.5
# A horizontal segment must be inked at both ends: in its first and last of this many parts.
END_PARTS = 5
# A column rule is drawn along at least this share of the longest one.
VERTICAL_SHARE = 0.4
# Rules this close to the image border are the edge of the scanned sheet.
PAGE_EDGE_INCHES = 0.1
MIN_ROWS = 3
# Cells are cropped this many pixels inside their rules.
CELL_PAD = 6
# A crop with fewer ink pixels is empty (specks), and is not read.
MIN_CELL_INK = 40
# White kept around a crop's ink.
CROP_MARGIN = 12
# White pixels between two crops in the mosaic (a text line is ~50 px at 300 dpi).
MOSAIC_GAP = 80
# Each crop is one block of text lines.
CELL_PSM = 6
MIN_COLUMNS = 3
# Pixels at most this much darker than the page's median grey are paper (a scan's grey sheet).
PAPER_MARGIN = 25
# Paper whose median grey is below this is a grey sheet (a desk scanner's); white paper is 250+.
GREY_PAPER = 240


class OcrWord(Protocol):
    """What is needed of ``pipeline.repair.tesseract.Word`` (coordinates in PDF points)."""

    left: float
    top: float
    right: float
    bottom: float
    key: tuple[int, int, int]


W = TypeVar("W", bound=OcrWord)


def _runs_at_least(ink: np.ndarray, length: int, axis: int = 1) -> np.ndarray:
    """Pixels of ``ink`` (2-D bool) inside a run of at least ``length`` along ``axis``.

    A morphological opening by a 1 × ``length`` line (OpenCV, ~5x faster than the running
    sums it replaced, same pixels): erosion keeps the pixels that start ``length`` inked
    pixels, dilation then covers each such window. The image is padded with blank pixels
    so that a run is never continued past the border. Along axis 0 (upright rules) the
    line stands upright, rather than the image being transposed into a copy.
    """
    import cv2  # also loaded for the handwritten header fields of any scan

    if ink.shape[axis] < length:
        return np.zeros(ink.shape, dtype=bool)
    pixels = np.ascontiguousarray(ink, dtype=np.uint8)
    if axis == 1:
        line = np.ones((1, length), dtype=np.uint8)
        borders, first, last = (0, 0, length, length), (0, 0), (length - 1, 0)
    else:
        line = np.ones((length, 1), dtype=np.uint8)
        borders, first, last = (length, length, 0, 0), (0, 0), (0, length - 1)
    padded = cv2.copyMakeBorder(pixels, *borders, cv2.BORDER_CONSTANT, value=0)
    # anchors (x, y): erosion looks at [x, x + length), dilation at (x - length, x]
    starts = cv2.erode(padded, line, anchor=first, borderType=cv2.BORDER_CONSTANT, borderValue=0)
    covered = cv2.dilate(starts, line, anchor=last, borderType=cv2.BORDER_CONSTANT, borderValue=0)
    inner = covered[:, length:-length] if axis == 1 else covered[length:-length]
    result: np.ndarray = inner.view(bool)  # OpenCV keeps the 0/1 values
    return result


def _thicken(ink: np.ndarray, radius: int, axis: int) -> np.ndarray:
    """``ink`` dilated by ``radius`` pixels along ``axis``: a slightly skewed rule stays one run.
    (An OpenCV dilation by a line of 2 × ``radius`` + 1 pixels: the same pixels as or-ing
    the shifted copies, without 2 × ``radius`` passes over the page.)"""
    import cv2

    size = 2 * radius + 1
    line = np.ones((size, 1) if axis == 0 else (1, size), dtype=np.uint8)
    pixels = np.ascontiguousarray(ink, dtype=np.uint8)
    thick: np.ndarray = cv2.dilate(pixels, line, borderType=cv2.BORDER_CONSTANT, borderValue=0).view(bool)
    return thick


def _lines(rules: np.ndarray, min_length: int, band: int) -> list[tuple[int, np.ndarray]]:
    """Rule lines along axis 1 of ``rules``: (position on axis 0, coverage along axis 1)."""
    counts = rules.sum(axis=1)
    strong = np.flatnonzero(counts >= min_length)
    groups: list[list[int]] = []
    for index in strong.tolist():
        if groups and index - groups[-1][-1] <= 3:
            groups[-1].append(index)
        else:
            groups.append([index])
    found: list[tuple[int, np.ndarray]] = []
    for group in groups:
        low, high = max(group[0] - band, 0), group[-1] + band + 1
        weights = counts[group[0] : group[-1] + 1]
        centre = round(float(np.average(np.arange(group[0], group[-1] + 1), weights=weights)))
        coverage: np.ndarray = np.any(rules[low:high], axis=0)
        found.append((centre, coverage))
    return found


def _present(coverage: np.ndarray, start: int, end: int, margin: int) -> bool:
    inner = coverage[start + margin : end - margin] if end - start > 2 * margin + 2 else coverage[start:end]
    return inner.size > 0 and float(inner.mean()) >= SEGMENT_PRESENT


def _reaches_both_ends(coverage: np.ndarray, start: int, end: int, margin: int) -> bool:
    """A rule segment between two column rules runs up to both: the joined tops of a bold "TT"
    centred in a narrow number column cover most of it, but neither end."""
    inner = coverage[start + margin : end - margin]
    if inner.size < 2 * END_PARTS:
        return True
    part = inner.size // END_PARTS
    return bool(inner[:part].mean() >= SEGMENT_PRESENT and inner[-part:].mean() >= SEGMENT_PRESENT)


class Grid:
    """Grid lines of one ruled table, and which rule segments between them are drawn."""

    def __init__(self, xs: list[int], ys: list[int], vertical: np.ndarray, horizontal: np.ndarray) -> None:
        # Rule pixels of the page (set by find_grid), whitened before the cells are read.
        self.rules: np.ndarray | None = None
        self.xs = xs  # column boundaries, pixels
        self.ys = ys  # row boundaries, pixels
        # vertical[i, j]: rule between row i's cells j-1 and j (j = 0..columns)
        self.vertical = vertical
        # horizontal[i, j]: rule above row i in column j (i = 0..rows)
        self.horizontal = horizontal

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.ys) - 1, len(self.xs) - 1

    def cells(self) -> list[tuple[int, int, int, int]]:
        """Merged cells as (row, column, rowspan, colspan), in reading order."""
        rows, columns = self.shape
        parent = list(range(rows * columns))

        def find(a: int) -> int:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        for i in range(rows):
            for j in range(columns):
                if j + 1 < columns and not self.vertical[i, j + 1]:
                    parent[find(i * columns + j + 1)] = find(i * columns + j)
                if i + 1 < rows and not self.horizontal[i + 1, j]:
                    parent[find((i + 1) * columns + j)] = find(i * columns + j)
        boxes: dict[int, list[int]] = {}
        for i in range(rows):
            for j in range(columns):
                box = boxes.setdefault(find(i * columns + j), [i, j, i, j])
                box[0], box[1] = min(box[0], i), min(box[1], j)
                box[2], box[3] = max(box[2], i), max(box[3], j)
        cells = [
            (top, left, bottom - top + 1, right - left + 1) for top, left, bottom, right in boxes.values()
        ]
        return sorted(cells)


def find_grids(image: np.ndarray, dpi: int) -> list[Grid]:
    """The ruled grids (≥3×3) of a greyscale page image, top to bottom."""
    ink = image < INK_THRESHOLD
    min_rule = max(int(MIN_RULE_INCHES * dpi), 8)
    min_line = max(int(MIN_LINE_INCHES * dpi), 2 * min_rule)
    band = max(dpi // 50, 3)
    # Upright rules first (transposed: one row per x): a page without enough of them (most
    # pages) needs no search for horizontal ones.
    vertical_rules = _runs_at_least(_thicken(ink, 2, axis=1), min_rule, axis=0).T
    edge = int(PAGE_EDGE_INCHES * dpi)  # the dark border of a scanned sheet is no rule
    height, width = image.shape
    verticals = [(x, c) for x, c in _lines(vertical_rules, min_line, band) if edge <= x < width - edge]
    # Column rules run the height of the table; shorter upright strokes are seals, stamps, letters.
    longest = max((int(coverage.sum()) for _, coverage in verticals), default=0)
    verticals = [(x, coverage) for x, coverage in verticals if coverage.sum() >= VERTICAL_SHARE * longest]
    if len(verticals) < MIN_COLUMNS + 1:
        return []
    horizontal_rules = _runs_at_least(_thicken(ink, 2, axis=0), min_rule)
    # The table spans the rows where most verticals are drawn (a seal may prolong one).
    spans = [np.flatnonzero(coverage) for _, coverage in verticals]
    top = int(np.median([s[0] for s in spans]))
    bottom = int(np.median([s[-1] for s in spans]))
    horizontals = [
        (y, coverage)
        for y, coverage in _lines(horizontal_rules, min_rule, band)
        if top - band <= y <= bottom + band and edge <= y < height - edge
    ]
    if len(horizontals) < MIN_ROWS + 1:
        return []
    xs = [x for x, _ in verticals]
    ys = [y for y, _ in horizontals]
    margin = band * 2
    vertical = np.array(
        [
            [_present(coverage, ys[i], ys[i + 1], margin) for _, coverage in verticals]
            for i in range(len(ys) - 1)
        ],
        dtype=bool,
    ).reshape(len(ys) - 1, len(xs))
    horizontal = np.array(
        [
            [
                _present(coverage, xs[j], xs[j + 1], margin)
                and _reaches_both_ends(coverage, xs[j], xs[j + 1], margin)
                for j in range(len(xs) - 1)
            ]
            for _, coverage in horizontals
        ],
        dtype=bool,
    ).reshape(len(ys), len(xs) - 1)
    rules = ink & (horizontal_rules | vertical_rules.T)
    grids: list[Grid] = []
    for first, last in _ruled_row_runs(vertical):
        grid = _trimmed(
            Grid(xs, ys[first : last + 2], vertical[first : last + 1], horizontal[first : last + 2])
        )
        if grid is not None:
            grid.rules = rules
            grids.append(grid)
    return grids


def _ruled_row_runs(vertical: np.ndarray) -> list[tuple[int, int]]:
    """Runs of grid rows with at least two vertical rules drawn (a table row has its frame): a
    row without (the heading between two tables stacked on one page) separates two tables."""
    runs: list[tuple[int, int]] = []
    for i, drawn in enumerate((np.sum(vertical, axis=1) >= 2).tolist()):
        if not drawn:
            continue
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def find_grid(image: np.ndarray, dpi: int) -> Grid | None:
    """The largest ruled grid of a greyscale page image, or None without a clear ≥3×3 one."""
    grids = find_grids(image, dpi)
    return max(grids, key=lambda grid: grid.shape[0] * grid.shape[1]) if grids else None


def _trimmed(grid: Grid) -> Grid | None:
    """Drop grid lines that bound nothing (stray rules outside the frame), then check the size."""
    xs, ys, vertical, horizontal = grid.xs, grid.ys, grid.vertical, grid.horizontal
    changed = True
    while changed and len(xs) > 1 and len(ys) > 1:
        changed = False
        # an outer column boundary must be drawn in most rows; an outer row boundary in most columns
        if horizontal[0].mean() < 0.5:
            ys, vertical, horizontal = ys[1:], vertical[1:], horizontal[1:]
            changed = True
        elif horizontal[-1].mean() < 0.5:
            ys, vertical, horizontal = ys[:-1], vertical[:-1], horizontal[:-1]
            changed = True
        elif vertical[:, 0].mean() < 0.5:
            xs, vertical, horizontal = xs[1:], vertical[:, 1:], horizontal[:, 1:]
            changed = True
        elif vertical[:, -1].mean() < 0.5:
            xs, vertical, horizontal = xs[:-1], vertical[:, :-1], horizontal[:, :-1]
            changed = True
    # An inner line drawn nowhere is no grid line (e.g. an underline inside a cell).
    keep_x = [j for j in range(len(xs)) if j in (0, len(xs) - 1) or vertical[:, j].any()]
    keep_y = [i for i in range(len(ys)) if i in (0, len(ys) - 1) or horizontal[i].any()]
    if len(keep_x) < len(xs) or len(keep_y) < len(ys):
        xs = [xs[j] for j in keep_x]
        ys = [ys[i] for i in keep_y]
        vertical = vertical[np.ix_(keep_y[:-1], keep_x)] if len(keep_y) > 1 else vertical[:0]
        horizontal = horizontal[np.ix_(keep_y, keep_x[:-1])] if len(keep_x) > 1 else horizontal[:, :0]
    if len(ys) - 1 < MIN_ROWS or len(xs) - 1 < MIN_COLUMNS:
        return None
    return Grid(xs, ys, vertical, horizontal)


def _cell_lines(words: list[W], text_of: Callable[[list[W]], str]) -> list[tuple[float, str]]:
    """The words of one cell as lines, (top, text): tesseract's line key, top to bottom."""
    lines: dict[tuple[int, int, int], list[W]] = {}
    for word in words:
        lines.setdefault(word.key, []).append(word)
    ordered = sorted(lines.values(), key=lambda ws: (min(w.top for w in ws), min(w.left for w in ws)))
    found = [(min(w.top for w in ws), _clean(text_of(sorted(ws, key=lambda w: w.left)))) for ws in ordered]
    return [(top, text) for top, text in found if text]


def _cell_text(words: list[W], text_of: Callable[[list[W]], str]) -> str:
    """The words of one cell as lines: tesseract's line key, top to bottom."""
    return _clean_number("\n".join(text for _, text in _cell_lines(words, text_of)))


_RULE_CHARACTERS = "|¦_¬[]{}"
# "1", "11.", "l1,": I, II, III as Tesseract reads them in a group row's number cell.
_ROMAN_LOOKALIKE = re.compile(r"^([I" + re.escape(roman_one()) + r"]{1,3})\s*[.,)]?$")
# "I," / "1," in a number cell: the point read as a comma.
_NUMBER_WITH_COMMA = re.compile(r"^([IVXL]{1,6}|\d{1,3}(?:\.\d{1,3})*)\s*,$")


def _clean(text: str) -> str:
    """A line of a cell without the bits of rule Tesseract reads as characters."""
    words = [word.strip(_RULE_CHARACTERS) for word in text.split()]
    return " ".join(word for word in words if word)


# A month's or quarter's slash read as a fraction slash ("II/⁄2026", "6⁄2027"), and an "8" before
# one read as "§" ("§/2027"): the slips of a scanned deadline cell.
_FRACTION_SLASH = re.compile(r"/?\u2044")
_SECTION_EIGHT = re.compile(r"(?<![\w§])§(?=/\d{4}\b)")


def _clean_number(text: str) -> str:
    text = _SECTION_EIGHT.sub("8", _FRACTION_SLASH.sub("/", text))
    return _NUMBER_WITH_COMMA.sub(r"\1.", text.strip())


@dataclass
class _Slot:
    """Where one cell's crop sits in the mosaic image."""

    top: int
    bottom: int
    words: list[Any] = field(default_factory=list)
    # Row of the page image the crop's first pixel row came from.
    origin: int = 0


def _whiten_paper(page: np.ndarray) -> None:
    """A grey sheet's paper turned white in place; a white sheet is left as it is (its glyphs'
    light edges are part of the print: cut away, a thin "II" reads "I")."""
    if int(np.median(page)) < GREY_PAPER:
        page[page >= _paper_level(page)] = 255


def _paper_level(image: np.ndarray) -> int:
    """Grey level from which a pixel of ``image`` is paper: a little below its median (the page
    is mostly paper), never into the ink."""
    return max(int(np.median(image)) - PAPER_MARGIN, INK_THRESHOLD + 1)


def _inked(crop: np.ndarray) -> np.ndarray | None:
    """``crop`` cut down to its ink (and a margin), or None when it holds only specks."""
    found = _inked_at(crop)
    return None if found is None else found[0]


def _inked_at(crop: np.ndarray) -> tuple[np.ndarray, int] | None:
    """``_inked`` and the row of ``crop`` where the cut begins."""
    ink = crop < INK_THRESHOLD
    if ink.sum() < MIN_CELL_INK:
        return None
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    top, bottom = max(int(rows[0]) - CROP_MARGIN, 0), int(rows[-1]) + CROP_MARGIN + 1
    left, right = max(int(columns[0]) - CROP_MARGIN, 0), int(columns[-1]) + CROP_MARGIN + 1
    return crop[top:bottom, left:right], top


def _mosaic(
    image: np.ndarray, grid: Grid, cells: list[tuple[int, int, int, int]]
) -> tuple[np.ndarray, list[_Slot]]:
    """The cells' crops (rules whitened) stacked one under another, each in its own slot.

    Read as one uniform block (psm 6), every crop is a separate run of lines, so one
    tesseract call reads the whole table and each word's slot tells its cell.
    """
    page = image.copy()
    if grid.rules is not None:
        page[grid.rules] = 255
    # The scanned sheet's grey paper turned white: a grey crop pasted on the white mosaic is a
    # box Tesseract binarises into a dark frame, and a lone row number beside it is misread.
    _whiten_paper(page)
    crops: list[tuple[np.ndarray, int] | None] = []
    for top, left, rowspan, colspan in cells:
        y0, y1 = grid.ys[top] + CELL_PAD, grid.ys[top + rowspan] - CELL_PAD
        x0, x1 = grid.xs[left] + CELL_PAD, grid.xs[left + colspan] - CELL_PAD
        found = _inked_at(page[y0:y1, x0:x1]) if y1 > y0 and x1 > x0 else None
        crops.append(None if found is None else (found[0], y0 + found[1]))
    width = max((c[0].shape[1] for c in crops if c is not None), default=1) + 2 * MOSAIC_GAP
    height = sum(c[0].shape[0] + MOSAIC_GAP for c in crops if c is not None) + MOSAIC_GAP
    mosaic = np.full((height, width), 255, dtype=np.uint8)
    slots: list[_Slot] = []
    y = MOSAIC_GAP
    for found in crops:
        if found is None:
            slots.append(_Slot(top=-1, bottom=-1))
            continue
        crop, origin = found
        mosaic[y : y + crop.shape[0], MOSAIC_GAP : MOSAIC_GAP + crop.shape[1]] = crop
        slots.append(_Slot(top=y, bottom=y + crop.shape[0], origin=origin))
        y += crop.shape[0] + MOSAIC_GAP
    return mosaic, slots


def read_table(image: np.ndarray, grid: Grid, work_dir: Path, languages: str = LANGUAGE) -> Table:
    """The table of ``grid``: its cells' crops read by one tesseract call (psm 6) in ``languages``."""
    rows, columns = grid.shape
    cells = grid.cells()
    mosaic, slots = _mosaic(image, grid, cells)
    if any(slot.top >= 0 for slot in slots):
        path = work_dir / f"cells.{IMAGE_SUFFIX}"
        Image.fromarray(mosaic).save(path)
        filled = [slot for slot in slots if slot.top >= 0]
        tops = [slot.top for slot in filled]
        for word in parse_tsv(run_tesseract(path, CELL_PSM, TIMEOUT_SECONDS, languages), scale=1.0):
            if is_cell_speck(word.text, word.confidence):
                continue
            centre = (word.top + word.bottom) / 2
            index = bisect.bisect_right(tops, centre) - 1
            if index >= 0 and centre <= filled[index].bottom + MOSAIC_GAP / 2:
                filled[index].words.append(word)
    table_rows: list[list[Cell]] = [[] for _ in range(rows)]
    for slot, (top, _, rowspan, colspan) in zip(slots, cells, strict=True):
        lines = _cell_lines(slot.words, repaired_text)
        table_rows[top].append(
            Cell(
                text=_clean_number("\n".join(text for _, text in lines)),
                colspan=colspan,
                rowspan=rowspan,
                # in image pixels here; read_tables turns them into page points
                line_tops=[line_top - slot.top + slot.origin for line_top, _ in lines],
            )
        )
    _reread_number_column(image, grid, cells, table_rows, work_dir, languages)
    for row in table_rows:
        _roman_group_number(row, columns)
    return Table(rows=table_rows)


# The first column is a number column ("STT", "1", "II") when it is at most this share of the table.
NUMBER_COLUMN_SHARE = 0.15
# White pixels between two number cells' crops laid side by side in one line.
STRIP_GAP = 60
# One line of text.
LINE_PSM = 7
# What a number cell holds: a row number ("3", "2.1", "II", "B") or the header "STT" / "TT".
_NUMBER_CELL = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*|[IVXL]{1,6}|[A-ZĐ])[.)]?$|^S?TT$")


def _reread_number_column(
    image: np.ndarray,
    grid: Grid,
    cells: list[tuple[int, int, int, int]],
    table_rows: list[list[Cell]],
    work_dir: Path,
    languages: str = LANGUAGE,
) -> None:
    """A narrow first column's cells read again side by side as one line of text.

    A lone row number stacked between other cells in the mosaic is often lost or misread
    ("5" as nothing, "2" as "Si", "23" as "SẮC"), and a number cell lost makes its row go on
    with the row above. Set side by side, the numbers are one line (psm 7) Tesseract reads
    well; a cell takes that reading where its own is no number and this one is (the mosaic's
    own number is kept: set side by side, a bold "II" may join into "H").
    """
    if len(grid.xs) < 2 or grid.xs[1] - grid.xs[0] > NUMBER_COLUMN_SHARE * (grid.xs[-1] - grid.xs[0]):
        return
    page = image.copy()
    if grid.rules is not None:
        page[grid.rules] = 255
    _whiten_paper(page)
    crops: list[tuple[int, np.ndarray]] = []  # (index in table_rows[top] order, crop)
    for top, left, rowspan, colspan in cells:
        if left != 0 or colspan != 1:
            continue
        y0, y1 = grid.ys[top] + CELL_PAD, grid.ys[top + rowspan] - CELL_PAD
        x0, x1 = grid.xs[0] + CELL_PAD, grid.xs[1] - CELL_PAD
        crop = _inked(page[y0:y1, x0:x1]) if y1 > y0 and x1 > x0 else None
        if crop is not None:
            crops.append((top, crop))
    if not crops:
        return
    height = max(crop.shape[0] for _, crop in crops) + 2 * STRIP_GAP
    width = sum(crop.shape[1] + STRIP_GAP for _, crop in crops) + STRIP_GAP
    strip = np.full((height, width), 255, dtype=np.uint8)
    spans: list[tuple[int, int, int]] = []  # (row, left, right)
    x = STRIP_GAP
    for top, crop in crops:
        y = (height - crop.shape[0]) // 2
        strip[y : y + crop.shape[0], x : x + crop.shape[1]] = crop
        spans.append((top, x, x + crop.shape[1]))
        x += crop.shape[1] + STRIP_GAP
    path = work_dir / f"numbers.{IMAGE_SUFFIX}"
    Image.fromarray(strip).save(path)
    words = parse_tsv(run_tesseract(path, LINE_PSM, TIMEOUT_SECONDS, languages), scale=1.0)
    for top, left, right in spans:
        text = "".join(
            word.text
            for word in sorted(words, key=lambda w: w.left)
            if left - STRIP_GAP / 2 <= (word.left + word.right) / 2 <= right + STRIP_GAP / 2
        )
        cell = table_rows[top][0] if table_rows[top] else None
        if cell is None or _NUMBER_CELL.match(cell.text.strip()) or not _NUMBER_CELL.match(text):
            continue
        cell.text = _clean_number(text)


def _roman_group_number(row: list[Cell], columns: int) -> None:
    """A group row (number cell, then one cell over all other columns) numbered "I", "II":
    Tesseract reads the serif capitals as "1", "11", "l"; give the roman numeral back."""
    if len(row) != 2 or row[1].colspan != columns - 1 or row[0].colspan != 1:
        return
    found = _ROMAN_LOOKALIKE.match(row[0].text.strip())
    if found:
        row[0].text = "I" * len(found.group(1)) + "."


def read_tables(image_path: Path, dpi: int, languages: str = LANGUAGE) -> list[Table]:
    """The ruled tables of an OCR'd page image; [] when there is no clear ≥3×3 grid."""
    with Image.open(image_path) as opened:
        image = np.asarray(opened.convert("L"))
    tables: list[Table] = []
    for grid in find_grids(image, dpi):
        table = read_table(image, grid, image_path.parent, languages)
        table.top, table.bottom = round(grid.ys[0] * 72 / dpi, 2), round(grid.ys[-1] * 72 / dpi, 2)
        for row in table.rows:
            for cell in row:
                cell.line_tops = [round(top * 72 / dpi, 2) for top in cell.line_tops or []]
        tables.append(table)
    return tables


# A line of at least this many words above a table is a paragraph: the table starts there.
PARAGRAPH_WORDS = 3


def _opens_page(page: Page, table: Table) -> bool:
    """``table`` is the first thing on ``page`` (a page number or running head at most above it):
    a table with its header printed again below a paragraph of its own is a new table, however
    alike its columns."""
    if table.top is None:
        return False
    return not any(
        line.top is not None
        and line.bottom is not None
        and line.bottom <= table.top
        and len(re.findall(r"[^\W\d_]{2,}", line.text)) >= PARAGRAPH_WORDS
        for line in page.lines
    )


def _repeated_header(previous: Table, table: Table) -> int | None:
    """How many of ``table``'s first rows are the header of ``previous`` printed again (0 when it
    prints no header); None when its header is another table's.

    A table printed with its header repeated on every page goes on over the break. The scan
    reads each copy of the header a little differently ("thục hiệ" for "thực hiện"), so the
    copies are compared by the columns they name, not letter by letter.
    """
    own = find_header(table)
    if own is None:
        return 0
    theirs = find_header(previous)
    if theirs is None or _named_columns(own[1]) != _named_columns(theirs[1]):
        return None
    return own[0] + 1


def _named_columns(mapping: dict[int, str]) -> dict[int, str]:
    """A header's columns but the number column: a copy whose "STT" the scan lost (or read
    "SII") is found as one only from three numbers below it, which a page may not hold."""
    return {column: name for column, name in mapping.items() if name != "number"}


def join_continued_tables(pages: Sequence[Page]) -> None:
    """Append a scanned page's header-less table to the table of the page before it.

    Only OCR'd pages take part; the continued table keeps the page's rows, the page
    itself keeps its lines but no longer its own copy of the table.
    """
    previous: Table | None = None
    for page in pages:
        if page.origin != "ocr" or not page.tables:
            previous = None
            continue
        table = page.tables[0]
        repeated = (
            _repeated_header(previous, table)
            if previous is not None and len(page.tables) == 1 and columns(table) == columns(previous)
            else None
        )
        if previous is not None and repeated is not None and (repeated == 0 or _opens_page(page, table)):
            split_item_rows(previous)  # its last row's items first: the break may cut them
            table.rows = table.rows[repeated:]
            continue_table(previous, table)
            previous.continued_pages += 1
            page.tables = []
            continue
        previous = page.tables[-1]
    for page in pages:
        if page.origin == "ocr":
            for table in page.tables:
                split_item_rows(table)
                mend_row_numbers(table)


# A misread row number is at most this long ("b" for "6", "SẮC" for "23").
_MISREAD_NUMBER = 3
_WHOLE_NUMBER = re.compile(r"^(\d{1,3})[.)]?$")
# A group row numbered "I", "A": its rows' numbers start again below it.
_GROUP_NUMBER = re.compile(r"^(?:[IVXL]{1,6}|[A-ZĐ])[.)]?$")
_SUB_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})+\.?$")


def mend_row_numbers(table: Table) -> None:
    """Row numbers the scan misread, mended from the numbers around them.

    A table numbers its rows 1, 2, 3, ...: a run of cells between two well-read numbers p and
    q, as many cells as the numbers between them, one of them at least no number or out of
    order ("4, 3, 5, 7": the "5" read "3", the "6" read "5"), holds those numbers. Only where
    both ends pin the run down (a last row misread is left as read); lettered rows between two
    numbers ("1, a, b, 2") are no run. A group row ("II", "B") starts the numbering again;
    sub-numbers ("2.1") are not row numbers, and an empty number cell is one only in a row
    with a task and a lead or deadline of its own (its number lost: "4, , 6").
    """
    found = find_header(table)
    if found is None or found[1].get(0) != "number":
        return
    mapping = found[1]
    runs: list[list[Cell]] = [[]]
    for row in placed(table)[found[0] + 1 :]:
        first = row[0][1] if row and row[0][0] == 0 and row[0][1].colspan == 1 else None
        text = first.text.strip() if first is not None else ""
        if (
            first is None
            or "\n" in text
            or _SUB_NUMBER.match(text)
            or (not text and not _whole_row(row, mapping))
        ):
            continue
        if _GROUP_NUMBER.match(text) and not _WHOLE_NUMBER.match(text):
            runs.append([])
        else:
            runs[-1].append(first)
    for run in runs:
        _mend_run(run)


def _whole_row(row: list[tuple[int, Cell]], mapping: dict[int, str]) -> bool:
    """A row with a task of its own (its task opening in capitals, its own lead or deadline)
    whose number cell is empty: the number lost, if the numbers around it leave room for one."""
    cells = {mapping.get(column): cell.text.strip() for column, cell in row[1:]}
    task = cells.get("text") or ""
    return task[:1].isupper() and any(
        cells.get(name) for name in ("lead", "lead_and_cooperating", "deadline")
    )


def _mend_run(cells: list[Cell]) -> None:
    values = [_whole_number(cell.text) for cell in cells]
    start = 0
    while start < len(cells):
        end = _pinned_end(values, start)
        if end is None or not _misread_between(cells, values, start, end):
            start += 1
            continue
        for k in range(start + 1, end):
            values[k] = (values[start] or 0) + k - start
            cells[k].text = str(values[k])
        start = end


def _pinned_end(values: list[int | None], start: int) -> int | None:
    """The first well-read number at least two cells after ``start`` that is as many numbers
    higher as cells further on."""
    low = values[start]
    if low is None:
        return None
    for k in range(start + 2, len(values)):
        value = values[k]
        if value is not None and value - low == k - start:
            return k
    return None


def _misread_between(cells: list[Cell], values: list[int | None], start: int, end: int) -> bool:
    """The cells between ``start`` and ``end`` are short and one at least cannot stand: no
    number, or one not between the two ends."""
    low, high = values[start], values[end]
    if low is None or high is None:
        return False
    between = range(start + 1, end)
    if any(len(cells[k].text.strip()) > _MISREAD_NUMBER for k in between):
        return False
    return any((value := values[k]) is None or not low < value < high for k in between)


def _whole_number(text: str) -> int | None:
    found = _WHOLE_NUMBER.match(text.strip())
    return int(found.group(1)) if found else None


# --- rows a scan prints without a rule between them -------------------------------------------

# A line of a task cell that opens an item of its own: "- Thực hiện ...", "+ ...", "• ...".
_ITEM = re.compile(r"^[-–+•]\s*(?=\S)")


def split_item_rows(table: Table) -> None:
    """Items of one task cell that each have their own bodies printed level with them become rows.

    A scanned task row may list several tasks as dash items in one cell, each with its lead
    (and sometimes its cooperating bodies) printed beside it in the next cells, and no rule
    between them. A person reads one task per item: its own text (after the cell's opening
    words, when the items complete them: "... phối hợp giữa: - A và B; - A và C") and the
    cells' lines level with it. A cell beside the items whose lines all sit level with one
    item (a shared deadline, a shared 'phối hợp') stays one cell over all of the items.
    Needs the cells' line tops (``Cell.line_tops``) and a header naming the columns.
    """
    found = find_header(table)
    if found is None:
        return
    header_index, mapping = found
    text_columns = [column for column, name in mapping.items() if name == "text"]
    if not text_columns:
        return
    text_column = text_columns[0]
    item_columns = {column for column, name in mapping.items() if name in ASSIGNMENT_COLUMNS}
    placed_rows = placed(table)
    # bottom up, so that the rows still to be split keep their indexes
    for index in range(len(table.rows) - 1, header_index, -1):
        split = _split_row(placed_rows[index], text_column, item_columns)
        if split is not None:
            _insert_item_rows(table, placed_rows, index, split)


def _split_row(
    row: list[tuple[int, Cell]], text_column: int, item_columns: set[int]
) -> dict[int, list[str]] | None:
    """Column -> the texts of each item's row, for the columns read item by item; None when the
    row is one task."""
    cells = dict(row)
    text = cells.get(text_column)
    if text is None or text.rowspan != 1 or not text.line_tops:
        return None
    lines = text.text.split("\n")
    if len(lines) != len(text.line_tops):
        return None
    starts = [i for i, line in enumerate(lines) if _ITEM.match(line)]
    if len(starts) < 2:
        return None
    tops = [text.line_tops[i] for i in starts]
    steps = [b - a for a, b in zip(text.line_tops, text.line_tops[1:], strict=False) if b > a]
    # a line of a cell beside may sit up to half a line pitch above the item it belongs to
    slack = min(steps, default=10.0) / 2
    opening = " ".join(lines[: starts[0]]).strip()
    items = [
        " ".join(_ITEM.sub("", line, count=1) if k == 0 else line for k, line in enumerate(lines[a:b]))
        for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)
    ]
    split: dict[int, list[str]] = {text_column: [f"{opening} {item}".strip() for item in items]}
    for column in sorted(item_columns):
        cell = cells.get(column)
        if cell is None or cell.rowspan != 1 or not cell.text.strip():
            continue
        cell_lines = cell.text.split("\n")
        if not cell.line_tops or len(cell.line_tops) != len(cell_lines):
            continue
        bands: list[list[str]] = [[] for _ in items]
        band_tops: list[list[float]] = [[] for _ in items]
        for top, line in zip(cell.line_tops, cell_lines, strict=True):
            band = max((k for k, item_top in enumerate(tops) if item_top <= top + slack), default=0)
            bands[band].append(line)
            band_tops[band].append(top)
        if sum(1 for band in bands if band) >= 2 and _own_blocks(
            cell.line_tops, band_tops, bands, tops, 2 * slack
        ):
            split[column] = ["\n".join(band) for band in bands]
    return split if len(split) >= 2 else None


def _own_blocks(
    line_tops: list[float],
    band_tops: list[list[float]],
    bands: list[list[str]],
    tops: list[float],
    pitch: float,
) -> bool:
    """The lines beside each item are a block of their own: it opens level with its item, after
    white space (a blank line or more), with a body's name (not the end of a name or list going
    on from above). One list running on past an item's top is not cut there."""
    for k in range(1, len(bands)):
        if not bands[k]:
            continue
        first = band_tops[k][0]
        before = [top for top in line_tops if top < first]
        if abs(first - tops[k]) > pitch or not _opens_body(" ".join(bands[k])):
            return False
        if before and first - max(before) < 1.4 * pitch:
            return False
    return True


def _opens_body(text: str) -> bool:
    """The text opens with a body's name ('Bộ Công an', 'Đề nghị Viện kiểm sát ...'), not with
    the end of one wrapped from the line above ('Du lịch', 'nước Việt Nam')."""
    for prefix in load_body_words()["drop_prefixes"]:
        if text.startswith(prefix + " "):
            text = text[len(prefix) + 1 :]
            break
    return starts_with_body(text)


def _insert_item_rows(
    table: Table, placed: list[list[tuple[int, Cell]]], index: int, split: dict[int, list[str]]
) -> None:
    """Row ``index`` becomes one row per item: the split columns' cells one per row, every other
    cell of the row, and every cell merged down over it from above, spanning all of them."""
    more = len(next(iter(split.values()))) - 1
    for above in range(index):
        for _, cell in placed[above]:
            if above + cell.rowspan > index:
                cell.rowspan += more
    first: list[Cell] = []
    rest: list[list[Cell]] = [[] for _ in range(more)]
    for column, cell in placed[index]:
        if column in split:
            texts = split[column]
            first.append(Cell(text=texts[0], colspan=cell.colspan, bold=cell.bold))
            for k, text in enumerate(texts[1:]):
                rest[k].append(Cell(text=text, colspan=cell.colspan, bold=cell.bold))
        else:
            cell.rowspan += more
            first.append(cell)
    table.rows[index : index + 1] = [first, *rest]
    placed[index : index + 1] = [[] for _ in range(more + 1)]  # not read again
