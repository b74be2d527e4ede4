"""Urgency and secrecy stamps on a scanned first page ("HỎA TỐC", "KHẨN", "MẬT").

Such a stamp is pressed by hand after printing: a framed word, often turned by 20-45
degrees, over the margin beside the summary or "Kính gửi". Tesseract's page reading
skips it (a slanted word in a frame is no text line to it), so the urgency of a scan was
never read. Here the first page's ink that no confident word explains is gathered into
blobs of a stamp's size; each blob is turned level along its long side (its frame or its
letters) and read as one line; a reading that is a word of the closed lists
(``data/header_words.json``) becomes a line of the page where the stamp is, with the text
as read kept in a warning. Anything else read there is left: a received stamp, a
signature, a logo or a hand-written note read as a stamp word would be a wrong value.
"""

from __future__ import annotations

import math
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Levenshtein

from pipeline.nlp.header_lines import stamp_words
from pipeline.nlp.text import ascii_key
from pipeline.repair.tesseract import IMAGE_SUFFIX, LANGUAGE, TIMEOUT_SECONDS, Word, parse_tsv, run_tesseract

# Stamps are pressed over the header, the summary and the addressees: the top of the page.
STAMP_ZONE = 0.45
# A stamp's size on the page, in millimetres: a framed word of 10-60 mm by 5-25 mm, or its
# turned bounding box.
MIN_STAMP_MM, MAX_STAMP_MM = 10.0, 70.0
MIN_STAMP_HEIGHT_MM = 5.0
# Words Tesseract read with at least this confidence and two letters are print, not stamp.
PRINT_CONFIDENCE = 60.0
# Blobs are looked for at this resolution.
BLOB_DPI = 75
# Letters of one stamp lie closer than this (millimetres): they are joined into one blob.
JOIN_MM = 2.5
# At most this many blobs are read (the largest first): a page of print has few ink blobs
# that no word explains, and each costs one to three small Tesseract readings.
MAX_BLOBS = 4
# The stamp word is read as one line (psm 7) on the blob turned level, and this many
# degrees either side (the frame's angle and the letters' baseline differ a little).
TRY_DEGREES = (0.0, -3.0, 3.0)
# A reading with fewer letters than this says nothing of what the blob is.
MIN_LETTERS_READ = 3
SINGLE_LINE = 7
# A stamp word of at least this many letters may be read with one letter wrong ("HGA TỐC");
# a shorter one ("MẬT", "KHẨN") must be read whole: one letter off, it is another word.
LOOSE_LETTERS = 6
# The longest stamp word has this many words ("THƯỢNG KHẨN", "TUYỆT MẬT").
MAX_STAMP_WORDS = 2


Pixels = tuple[int, int, int, int]  # left, top, right, bottom


@dataclass(frozen=True)
class Stamp:
    """A stamp word read on the page: its entry (as the list spells it, in capitals), the
    text as read, and its box in page points from the top left."""

    word: str
    read: str
    box: tuple[float, float, float, float]


def stamp_word(read: str) -> str | None:
    """The closed-list word a stamp's reading is, in capitals ("HGA TỐC" -> "HỎA TỐC"), or
    None."""
    letters = _letters(read)
    if not letters:
        return None
    best: tuple[int, str] | None = None
    for word in stamp_words():
        target = _letters(word)
        if len(target) >= LOOSE_LETTERS:
            distance = Levenshtein.distance(letters, target)
            if distance <= 1 and (best is None or distance < best[0]):
                best = (distance, word)
        elif letters == target and _marks_agree(read, word):
            best = (0, word)
    return best[1].upper() if best else None


def stamp_word_in(read: str) -> str | None:
    """The stamp word a reading holds as a run of its words, the longest run first: the
    frame's strokes read as marks or letters around it ("›Hị HỗA TỐC |")."""
    words = read.split()
    for size in range(min(MAX_STAMP_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            if (word := stamp_word(" ".join(words[start : start + size]))) is not None:
                return word
    return None


def _letters(text: str) -> str:
    return "".join(char for char in ascii_key(text).upper() if char.isalpha())


def _marks_agree(read: str, word: str) -> bool:
    """A short word read with its marks as listed, or with none at all (a stamp's worn
    marks): "MẶT" or "MẤT" read alone is not "MẬT"."""
    marked = "".join(char for char in unicodedata.normalize("NFC", read).upper() if char.isalpha())
    return marked == word.upper().replace(" ", "") or marked == _letters(read)


def read_stamps(image_path: Path, dpi: float, words: list[Word], languages: str = LANGUAGE) -> list[Stamp]:
    """The stamp words of a first page rendered at ``dpi`` into ``image_path``, whose page
    reading gave ``words`` (in points from the top left); Tesseract reads in ``languages``."""
    from PIL import Image

    with Image.open(image_path) as opened:
        grey = np.asarray(opened.convert("L"))
    per_mm = dpi / 25.4
    stamps: list[Stamp] = []
    with tempfile.TemporaryDirectory(prefix="vanban-stamp-") as tmp:
        crop_path = Path(tmp) / f"stamp.{IMAGE_SUFFIX}"
        for box in _unexplained_blobs(grey, dpi, words)[:MAX_BLOBS]:
            read = _read_blob(grey, box, per_mm, crop_path, languages)
            if read is not None and (word := stamp_word_in(read)) is not None:
                left, top, right, bottom = (value * 72 / dpi for value in box)
                if not _printed_in_a_line(word, (left, top, right, bottom), words):
                    stamps.append(Stamp(word, read, (left, top, right, bottom)))
    return stamps


# A line of print holds at least this many words with letters; a stamp's word stands alone.
PRINT_LINE_WORDS = 3


def _printed_in_a_line(word: str, box: tuple[float, float, float, float], words: list[Word]) -> bool:
    """The page reading read the stamp word's letters inside a line of print where the blob is
    ("NƯỚC MẶT" ending a title, read with little confidence on a black-and-white scan): the
    blob is that printed word, not a stamp pressed over the page."""
    left, top, right, bottom = box
    letters = _letters(word)
    for found in words:
        inside = found.left < right and found.right > left and found.top < bottom and found.bottom > top
        if inside and _letters(found.text) == letters:
            line = [other for other in words if other.key == found.key and _letters(other.text)]
            if len(line) >= PRINT_LINE_WORDS:
                return True
    return False


def _unexplained_blobs(grey: np.ndarray, dpi: float, words: list[Word]) -> list[Pixels]:
    """Boxes (pixels: left, top, right, bottom) of the ink blobs of a stamp's size in the top
    of the page that no confident word covers, the most ink first."""
    import cv2

    zone = grey[: int(grey.shape[0] * STAMP_ZONE)]
    _, ink = cv2.threshold(zone, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    scale = dpi / 72
    for word in words:
        if word.confidence >= PRINT_CONFIDENCE and sum(char.isalpha() for char in word.text) >= 2:
            ink[
                int(word.top * scale) : math.ceil(word.bottom * scale),
                int(word.left * scale) : math.ceil(word.right * scale),
            ] = 0
    # Blobs are found on a coarse grid (a cell holds ink if any of its pixels does): the
    # page's pixels are many, a stamp's size needs no more than a quarter millimetre.
    cell = max(1, round(dpi / BLOB_DPI))
    rows, columns = ink.shape[0] // cell, ink.shape[1] // cell
    coarse = ink[: rows * cell, : columns * cell].reshape(rows, cell, columns, cell).max(axis=(1, 3))
    per_mm = dpi / 25.4 / cell
    join = max(1, round(JOIN_MM * per_mm))
    joined = cv2.dilate(coarse, np.ones((join, join), dtype=np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    blobs: list[tuple[int, Pixels]] = []
    for label in range(1, count):
        left, top, width, height, _ = (int(value) for value in stats[label])
        longest, shortest = max(width, height) / per_mm, min(width, height) / per_mm
        if not (MIN_STAMP_MM <= longest <= MAX_STAMP_MM and shortest >= MIN_STAMP_HEIGHT_MM):
            continue
        box = (left * cell, top * cell, (left + width) * cell, (top + height) * cell)
        blobs.append((int(coarse[top : top + height, left : left + width].sum()), box))
    return [box for _, box in sorted(blobs, reverse=True)]


def _read_blob(grey: np.ndarray, box: Pixels, per_mm: float, crop_path: Path, languages: str) -> str | None:
    """The blob turned level along its long side and read as one line; the first reading
    that is a stamp word, else the last reading."""
    from PIL import Image

    left, top, right, bottom = box
    margin = round(per_mm)
    crop = grey[max(0, top - margin) : bottom + margin, max(0, left - margin) : right + margin]
    angle = _long_side_degrees(crop)
    read = None
    for extra in TRY_DEGREES:
        level = Image.fromarray(crop).rotate(angle + extra, expand=True, fillcolor=255)
        level.save(crop_path)
        words = parse_tsv(run_tesseract(crop_path, SINGLE_LINE, TIMEOUT_SECONDS, languages), scale=1.0)
        read = " ".join(word.text for word in words)
        if stamp_word_in(read) is not None or _other_words(read):
            return read  # a stamp word, or other words: no other angle is tried
    return read


def _other_words(read: str) -> bool:
    """Letters read that are no stamp word, nor a third of its letters away from one: the
    blob is something else (a received stamp, a note), not worth other angles. A reading
    with hardly a letter is the frame's strokes read at a wrong angle."""
    letters = _letters(read)
    if len(letters) < MIN_LETTERS_READ:
        return False
    near = (
        Levenshtein.distance(part, target) <= max(1, len(target) // 3)
        for part in map(_letters, read.split())
        for target in map(_letters, stamp_words())
    )
    return not any(near)


def _long_side_degrees(crop: np.ndarray) -> float:
    """The turn (degrees, counter-clockwise as PIL turns) that lays the long side of the
    ink's smallest enclosing rectangle level."""
    import cv2

    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    points = cv2.findNonZero(ink)
    if points is None:
        return 0.0
    corners = cv2.boxPoints(cv2.minAreaRect(points))
    edges = [corners[1] - corners[0], corners[2] - corners[1]]
    dx, dy = max(edges, key=lambda edge: float(np.hypot(*edge)))
    degrees = math.degrees(math.atan2(float(dy), float(dx)))  # y grows downward
    if degrees > 90:
        degrees -= 180
    elif degrees < -90:
        degrees += 180
    return degrees
