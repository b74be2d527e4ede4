"""Second reading of the hand-filled header fields of a scan: the number, the day and month.

The number in "Số: 04/CT-UBND" and the day (often the month too) in "ngày 15 tháng 3"
are written by hand into the printed blanks, and the page reading garbles them ("2“",
"ngày82tháng", "ngày #3"). The number's blank and the date line from "ngày" to "năm" are
cut out of a 600 dpi rendering of page 1 and read by PaddleOCR's recogniser
(``pipeline.repair.handwriting``), which reads handwriting far better than Tesseract
(on the 22 corpus scans, 18 numbers and 18 days written, none wrong; Tesseract at two
heights wrote 6 and 3).

Precision first: a number is written only when the reading is digits alone and either
confident or equal to the page reading; a day or month only when the date line reads
"ngày <digits> tháng <digits>" with a possible value. Otherwise the page reading stays, but
one with a 4 is blanked: the handwritten 1 of these forms (long lead-in stroke) reads as 4
("445" for 115, "44" for 11), and a wrong value is worse than none; so is one whose digits
the crop's reading contradicts ("320" against "(h29": a stamp's stroke through a printed 329).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

from pipeline.nlp.header_lines import (
    ILLEGIBLE_FIELD,
    date_reading,
    day_word,
    labelled_number,
    month_word,
    number_label_word,
    year_word,
)
from pipeline.repair.handwriting import Reading, read_line
from pipeline.repair.tesseract import PDFIUM_LOCK

if TYPE_CHECKING:
    from PIL import Image

    from pipeline.repair.tesseract import Word

DPI = 600
# Only the top of page 1 holds the number and the date line.
TOP_FRACTION = 0.4
# A reading of the number below this confidence must equal the page reading, and be above
# the second (a crossed 7 of "37" is dropped as "3." at 0.70, as the page read "3").
MIN_NUMBER_SCORE = 0.9
MIN_CONFIRMED_SCORE = 0.8
# A page reading digit not trusted without the crop's confirmation (the handwritten 1).
UNTRUSTED_DIGITS = "4"
# What an unconfirmed, untrusted number becomes: a blank the header parser reads as null.
ILLEGIBLE = "…"
# An unconfirmed day or month becomes ILLEGIBLE_FIELD instead: ink the header parser reads as
# written in and not legible, so the date is left out (a blank there would give the month or
# the year alone, a granularity the document did not choose).

# Digits alone; a "/" or "." of the symbol may be cut into the crop ("3722/").
_NUMBER_READING = re.compile(r"^\s*(\d{1,6})\s*[/.,]?\s*$")
_SPLIT_DIGITS = re.compile(r"\d \d")
# What a blank day or month holds as printed: nothing written in.
_BLANK = " .…_"
# Handwriting the page reading put into the symbol's word, between two slashes ("/74/UBND-"
# for a handwritten 4532 before "/UBND-KSTTHC"): digits there that are no year of a symbol
# ("/2017/NĐ-CP") belong to the field, and the symbol opens at the second slash.
_INKED_SLASHES = re.compile(r"/(?!(?:19|20)\d\d/)\d{1,4}/(?=[A-ZĐ])")


@dataclass(frozen=True)
class Field:
    """A hand-filled field: the words that hold it and its box in PDF points."""

    kind: str  # "number", "date", or "blank" (a date's day or month alone)
    first: int  # index of the first word holding the field
    last: int  # index after the last one
    box: tuple[float, float, float, float]  # left, top, right, bottom
    label: str  # text kept before the field in the first word ("Số:" when glued)
    tail: str  # text kept after the field in the last word ("/CT-UBND", "năm 2026")
    read: str  # what the page reading put in the field
    label_left: float | None = None  # where the number's label ("Số:") begins
    blanks: tuple[tuple[float, float], ...] = ()  # a date's day and month blanks, left and right


def _split_x(word: Word, at: int) -> float:
    """x of the character boundary ``at`` in ``word``, assuming even character widths."""
    width = word.right - word.left
    return word.left + width * at / max(1, len(word.text))


def _same_line(a: Word, b: Word) -> bool:
    return abs(a.top - b.top) < max(a.height, b.height)


def find_number(words: list[Word], page_height: float) -> Field | None:
    """The blank between "Số:" and the slash of the symbol on the top of page 1.

    The page reading often glues the label, the number and the symbol into one word
    ("Số:0+", "Số:4214/BCA-C04"); the field's edges inside a word are then estimated.
    """
    for index, word in enumerate(words):
        label = number_label_word().match(word.text)
        if word.top > page_height * TOP_FRACTION or label is None:
            continue
        glued = label.end() < len(word.text)
        start = index if glued else index + 1
        for end in range(index, min(index + 5, len(words))):
            other = words[end]
            slash = other.text.find("/", label.end() if end == index else 0)
            if not _same_line(word, other) or slash < 0:
                continue
            if not re.match(r"/\d{0,4}/?[A-ZĐ]", other.text[slash:]):
                return None  # not a symbol ("/2026/TT-BCT", "/CT-UBND")
            right = _split_x(other, slash)
            inked = _INKED_SLASHES.match(other.text, slash)
            if inked:  # the field ends at the symbol's own slash, kept inside the crop
                slash = inked.end() - 1
                right = _split_x(other, inked.end())
            left = _split_x(word, label.end()) if glued else word.right
            parts = [w.text for w in words[start : end + 1]]
            parts[0] = parts[0][label.end() :] if glued else parts[0]
            parts[-1] = parts[-1][: slash - (label.end() if end == index and glued else 0)]
            box = (left, min(word.top, other.top), right, max(word.bottom, other.bottom))
            kept = word.text[: label.end()] if glued else ""
            read = " ".join(parts).strip()
            return Field("number", start, end + 1, box, kept, other.text[slash:], read, word.left)
        return None
    return None


def find_date(words: list[Word], page_height: float) -> Field | None:
    """The place-and-date line from "ngày" to its "năm": the day and month blanks."""
    for index, word in enumerate(words):
        if word.top > page_height * TOP_FRACTION or not day_word().match(word.text):
            continue
        for end in range(index, min(index + 8, len(words))):
            other = words[end]
            year = year_word().search(other.text, 4 if end == index else 0)
            if not _same_line(word, other) or year is None:
                continue
            read = " ".join([w.text for w in words[index:end]] + [other.text[: year.start()]]).strip()
            line = words[index : end + 1]  # the handwriting's own boxes overshoot the printed words'
            box = (word.left, min(w.top for w in line), other.right, max(w.bottom for w in line))
            blanks = _date_blanks(line, year.start())
            return Field("date", index, end + 1, box, "", other.text[year.start() :], read, blanks=blanks)
        return None
    return None


def _date_blanks(line: list[Word], year_at: int) -> tuple[tuple[float, float], ...]:
    """The x ranges of the day's blank (from "ngày" to "tháng") and the month's (to "năm")
    of a date line's words, whose last word holds the year's word at ``year_at``; edges
    inside a word the reading glued are estimated. None found: ()."""
    day = day_word().match(line[0].text)
    for at, word in enumerate(line):
        month = month_word().search(word.text, day.end() if at == 0 and day else 0)
        if month is None:
            continue
        day_end = _split_x(line[0], day.end()) if day else line[0].right
        return (
            (day_end, _split_x(word, month.start())),
            (_split_x(word, month.end()), _split_x(line[-1], year_at)),
        )
    return ()


def number_value(reading: Reading | None, page_read: str) -> str | None:
    """The number to write: digits alone, confident or equal to the page reading's digits."""
    match = _NUMBER_READING.match(reading.text) if reading else None
    if reading is None or match is None or int(match[1]) == 0:
        return None
    digits = match[1]
    page_digits = "".join(ch for ch in page_read if ch.isdigit())
    if reading.score >= MIN_NUMBER_SCORE:
        return digits
    return digits if digits == page_digits and reading.score >= MIN_CONFIRMED_SCORE else None


def labelled_value(image: Image.Image, origin: tuple[int, int], field: Field) -> str | None:
    """The number read again with its printed label, from the label's left to the field's
    right, where the field's own crop gave none. The page reading's box of "Số:" can take in
    the first handwritten digits, and its field's box then starts inside them ("Số:" over
    "Số:4", "##" for 48); the recogniser reads the label and the number together ("Sô:48").
    Every digit must be sure: the label's letters are no evidence for them."""
    labelled = with_label(field)
    crop = cut_field(image, labelled, origin) if labelled is not None else None
    reading = read_line(crop) if crop is not None else None
    match = labelled_number().match(reading.text) if reading else None
    if reading is None or match is None or int(match[1]) == 0:
        return None
    return match[1] if reading.digits_score() >= MIN_NUMBER_SCORE else None


def with_label(field: Field) -> Field | None:
    """The number's field widened leftwards to take in its label."""
    return replace(field, box=(field.label_left, *field.box[1:])) if field.label_left is not None else None


def date_parts(text: str) -> tuple[str, str] | None:
    """(day, month) as written between "ngày", "tháng" and "năm" ("" for a blank part);
    None when the words themselves are not found."""
    match = date_reading().search(text)
    if match is None:
        return None
    # Wide handwriting splits a day in two ("ngày2 4 tháng").
    day = match["day"].replace(" ", "") if _SPLIT_DIGITS.fullmatch(match["day"]) else match["day"]
    return day, match["month"]


def date_value(
    reading: Reading | None, page_read: str, read_blank: Callable[[int], Reading | None] | None = None
) -> tuple[str | None, str]:
    """(confirmed day and month or None, the "ngày D tháng M" text to write).

    Each part is the recogniser's where it is a possible value, else the page reading's:
    blank where both readings see it blank (a draft's "ngày   tháng 3"), illegible where
    the recogniser saw something there, the page reading holds an untrusted digit, or it is
    not a date line at all. A part the line's reading leaves illegible is read once more from
    its blank alone (``read_blank``: 0 the day, 1 the month), where the printed words around it
    do not pull the recogniser's reading of a hooked 1 ("21" read "2" in the line, "21" alone)."""
    read = (date_parts(reading.text) if reading else None) or ("", "")
    page = date_parts(page_read)
    parts: list[str] = []
    sure: list[bool] = []
    for at, highest in ((0, 31), (1, 12)):
        value = read[at]
        page_part = page[at] if page else ""
        if value.isdigit() and 1 <= int(value) <= highest and lost_a_digit(value, page_part):
            parts.append(ILLEGIBLE_FIELD)
        elif value.isdigit() and 1 <= int(value) <= highest:
            parts.append(value)
        elif page is None or untrusted_reading(page_part) or (value and not page_part):
            parts.append(ILLEGIBLE_FIELD)
        else:
            parts.append(page_part)
        sure.append(parts[-1] == value)
        if read_blank is not None and not _possible(parts[-1], highest) and parts[-1].strip(_BLANK):
            alone = blank_value(read_blank(at), highest, page_part, read[at])
            parts[-1], sure[-1] = (alone, True) if alone else (parts[-1], False)
    text = f"ngày {parts[0]} tháng {parts[1]}"
    confirmed = ILLEGIBLE_FIELD not in parts and all(sure)
    return (f"{parts[0]}/{parts[1]}" if confirmed else None), text


def _possible(part: str, highest: int) -> bool:
    return part.isdigit() and 1 <= int(part) <= highest


def blank_value(reading: Reading | None, highest: int, page_read: str, line_read: str) -> str | None:
    """A day or month read from its blank alone: digits only, sure, a possible value, and no
    digit lost against what the page reading or the line's reading saw there. The blank's
    edge is estimated inside a word the page reading glued, and can cut off a digit written
    close to the printed word: "5" alone where the line read "45" for a hooked 15."""
    match = _NUMBER_READING.match(reading.text) if reading else None
    if reading is None or match is None or reading.digits_score() < MIN_NUMBER_SCORE:
        return None
    value = match[1]
    if not 1 <= int(value) <= highest or lost_a_digit(value, page_read) or lost_a_digit(value, line_read):
        return None
    return value


def lost_a_digit(value: str, page_read: str) -> bool:
    """The recogniser read one digit where the page reading holds a digit and more ink ("21"
    written with a hooked 1: "2" against "2-{"; "11": "1" against "44"): a digit was dropped,
    and a one-digit day or month read from two would be a wrong date."""
    ink = page_read.strip(_BLANK + "/:,")
    return len(value) == 1 and any(char.isdigit() for char in ink) and len(ink) >= 2


def render_top(
    pdf_path: str, page_height: float, region: tuple[int, int, int, int] | None = None
) -> tuple[Image.Image, tuple[int, int]]:
    """The top TOP_FRACTION of page 1 at DPI (pixel = point * DPI / 72 from the top left), or
    only its pixels ``region`` (left, top, right, bottom), and where the image's top left
    lies in those pixels. A region is the same pixels as the whole top's (pdfium draws the
    page at the same whole-pixel offset, only into a smaller bitmap), for ~1/5 of its cost."""
    import pypdfium2 as pdfium

    scale = DPI / 72
    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(pdf_path)
        try:
            page = pdf[0]
            crop: tuple[float, float, float, float] = (0.0, page_height * (1 - TOP_FRACTION), 0.0, 0.0)
            origin = (0, 0)
            if region is not None:
                # The top's own size in pixels, as pypdfium2 computes it (ceil of points * scale).
                width = math.ceil(page.get_width() * scale)
                height = math.ceil(page.get_height() * scale) - math.ceil(crop[1] * scale)
                left, top = max(0, region[0]), max(0, region[1])
                right, bottom = min(width, region[2]), min(height, region[3])
                if right > left and bottom > top:
                    cut_below = math.ceil(crop[1] * scale) + height - bottom
                    crop = (_points(left), _points(cut_below), _points(width - right), _points(top))
                    origin = (left, top)
            image = page.render(scale=scale, grayscale=True, crop=crop).to_pil()
            page.close()
        finally:
            pdf.close()
    return image, origin


def _points(pixels: int) -> float:
    """A crop of whole ``pixels`` at DPI as pypdfium2 takes it (points, which it multiplies
    by the scale and rounds up): half a pixel short, so that the rounding cannot add one."""
    return (pixels - 0.5) * 72 / DPI if pixels > 0 else 0.0


def field_pixels(field: Field) -> tuple[int, int, int, int] | None:
    """The pixels (left, top, right, bottom) of the top's DPI rendering that ``cut_field``
    cuts out for ``field``: its box, a little taller than the printed line (handwriting
    overshoots it). The date line is padded sideways too (its ends are printed words, the
    number's are not: padding it would bring in "Số:" and the slash)."""
    left, top, right, bottom = field.box
    if right - left < 2:
        return None
    pad = (bottom - top) * (0.5 if field.kind == "date" else 0.4)
    side = pad if field.kind == "date" else 0.0
    scale = DPI / 72
    return (
        round((left - side) * scale),
        round((top - pad) * scale),
        round((right + side) * scale),
        round((bottom + pad) * scale),
    )


def cut_field(image: Image.Image, field: Field, origin: tuple[int, int] = (0, 0)) -> Image.Image | None:
    """The field's pixels (``field_pixels``) of ``image``, whose top left lies at ``origin``
    in the top's pixels (beyond the top, black, as PIL pads a crop)."""
    box = field_pixels(field)
    if box is None:
        return None
    x, y = origin
    return image.crop((box[0] - x, box[1] - y, box[2] - x, box[3] - y))


def rewrite(words: list[Word], field: Field, value: str) -> list[Word]:
    """``words`` with the field's words replaced by label, value and tail words."""
    first, last = words[field.first], words[field.last - 1]
    left, top, right, bottom = field.box
    new: list[Word] = []
    if field.label:
        new.append(replace(first, text=field.label, right=left))
    new.append(replace(first, text=value, left=left, right=right, top=top, bottom=bottom))
    if field.tail:
        new.append(replace(last, text=field.tail, left=right))
    return words[: field.first] + new + words[field.last :]


@dataclass
class FieldResult:
    kind: str  # "number" or "date"
    read: str  # the page reading
    value: str | None  # the confirmed value ("115", "29/4"), None when not confirmed
    reading: str  # what the recogniser read
    dropped: bool = False  # the page reading was blanked (see ``untrusted_reading``)


def _reread(image: Image.Image, origin: tuple[int, int], field: Field) -> tuple[FieldResult, str | None]:
    """What came of one field, and the text to write into it (None: leave it)."""
    crop = cut_field(image, field, origin)
    reading = read_line(crop) if crop is not None else None
    seen = reading.text if reading else ""
    if field.kind == "date":
        confirmed, text = date_value(reading, field.read, partial(_read_blank, image, origin, field))
        return FieldResult("date", field.read, confirmed, seen, ILLEGIBLE_FIELD in text), text
    value = number_value(reading, field.read)
    disagree = readings_disagree(seen, field.read)
    if value is None and not disagree:
        value = labelled_value(image, origin, field)
    dropped = value is None and (untrusted_reading(field.read) or disagree)
    result = FieldResult("number", field.read, value, seen, dropped)
    if value is not None and value != field.read:  # a confirmed page reading stays as it was
        return result, value
    return result, ILLEGIBLE if dropped else None


def _read_blank(image: Image.Image, origin: tuple[int, int], field: Field, at: int) -> Reading | None:
    """The recogniser's reading of a date's day (``at`` 0) or month (1) blank alone."""
    if at >= len(field.blanks):
        return None
    left, right = field.blanks[at]
    blank = replace(field, kind="blank", box=(left, field.box[1], right, field.box[3]))
    crop = cut_field(image, blank, origin)
    return read_line(crop) if crop is not None else None


def reread_fields(
    pdf_path: str, words: list[Word], page_height: float
) -> tuple[list[Word], list[FieldResult]]:
    """Page-1 words with the re-read field values written in."""
    fields = [f for f in (find_number(words, page_height), find_date(words, page_height)) if f is not None]
    if not fields:
        return words, []
    # Only the fields' pixels are rendered (one box around them all), not the whole top.
    labelled = [f for f in map(with_label, fields) if f is not None]
    boxes = [box for box in map(field_pixels, fields + labelled) if box is not None]
    region = None
    if boxes:
        region = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
    image, origin = render_top(pdf_path, page_height, region)
    results: list[FieldResult] = []
    # Right to left, so that earlier word indexes stay valid while rewriting.
    for field in sorted(fields, key=lambda f: f.first, reverse=True):
        result, text = _reread(image, origin, field)
        results.append(result)
        if text is not None:
            words = rewrite(words, field, text)
    return words, results


# Digits of the crop's reading that make it a reading of the number at all.
MIN_DISAGREEING_DIGITS = 2


def readings_disagree(crop_read: str, page_read: str) -> bool:
    """The crop's reading holds digits of the number that the page reading does not ("(h29"
    against "320", for a printed 329 with a stamp's stroke through it): one of the two is
    wrong, and the page reading is not written. Digits one reading only cut short agree."""
    crop = "".join(ch for ch in crop_read if ch.isdigit())
    page = "".join(ch for ch in page_read if ch.isdigit())
    return len(crop) >= MIN_DISAGREEING_DIGITS and bool(page) and crop not in page and page not in crop


def untrusted_reading(page_read: str) -> bool:
    """A page reading with an untrusted digit that no crop reading confirmed ("445" for
    115, "44" for 11): dropped, since a wrong value is worse than none."""
    return any(ch in UNTRUSTED_DIGITS for ch in page_read)
