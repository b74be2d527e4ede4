"""Second reading of the hand-filled header fields of a scan: the number and the date's day.

The number in "Số: 04/CT-UBND" and the day in "ngày 15 tháng 3" are usually written by
hand into the printed blanks, and the page reading garbles them ("2“", "ngày82tháng",
"ngày #3"). Each field is cut out of a 600 dpi rendering of page 1 between the printed
words around it, cleaned (ink threshold, trimmed, scaled to a fixed height) and read as
one line of digits by ``eng`` at two heights (``vie`` read worse: "31722", "2394").

Precision first: a value is written only when both readings agree, it is possible, and
it has no 4 unless the page reading had the same digits. The handwritten 1 of these
forms (long lead-in stroke) reads as 4 in every model and height tried ("16" -> "46"
on 075, 076 and 093, "11" -> "44" on 091 and 092), so an agreement on a 4 is no
evidence. For the same reason a page reading with a 4 that the crops do not confirm is
blanked (005 "445" for 115, 091 "44" for 11; it also blanks 075's right "4214"), with a
warning; any other unconfirmed reading is left as the page reading gave it.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

    from pipeline.repair.ocr import Word

DPI = 600
# Only the top of page 1 holds the number and the date line.
TOP_FRACTION = 0.4
# Digit heights (pixels) the cleaned field is scaled to, per reading; LSTM models read
# best at a modest x-height, and two heights disagree where a glyph is ambiguous.
READINGS: tuple[tuple[str, int], ...] = (("eng", 32), ("eng", 48))
# A digit the readings agree on wrongly (the handwritten 1): see the module docstring.
UNTRUSTED_DIGITS = "4"
# What an unconfirmed, untrusted field becomes: a blank the header parser reads as null.
ILLEGIBLE = "…"
INK_THRESHOLD = 160
DIGITS_ONLY = "tessedit_char_whitelist=0123456789"
TIMEOUT_SECONDS = 20.0

# The header's label is capitalised; "số 163/2024/QH15" in the opening lines is a citation.
_NUMBER_LABEL = re.compile(r"^S[ốồổôoóò06ỐỒỔÔOÓÒ](?:[:;.]|$)")
_DAY_LABEL = re.compile(r"^ngày", re.IGNORECASE)
_MONTH_LABEL = re.compile(r"th[áa]ng", re.IGNORECASE)


@dataclass(frozen=True)
class Field:
    """A hand-filled field: the words that hold it and its box in PDF points."""

    kind: str  # "number" or "day"
    first: int  # index of the first word holding the field
    last: int  # index after the last one
    box: tuple[float, float, float, float]  # left, top, right, bottom
    label: str  # text kept before the field in the first word ("" or "ngày")
    tail: str  # text kept after the field in the last word ("/CT-UBND", "tháng")
    read: str  # what the page reading put in the field


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
        label = _NUMBER_LABEL.match(word.text)
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
            left = _split_x(word, label.end()) if glued else word.right
            parts = [w.text for w in words[start : end + 1]]
            parts[0] = parts[0][label.end() :] if glued else parts[0]
            parts[-1] = parts[-1][: slash - (label.end() if end == index and glued else 0)]
            box = (left, min(word.top, other.top), _split_x(other, slash), max(word.bottom, other.bottom))
            kept = word.text[: label.end()] if glued else ""
            return Field("number", start, end + 1, box, kept, other.text[slash:], " ".join(parts).strip())
        return None
    return None


def find_day(words: list[Word], page_height: float) -> Field | None:
    """The blank between "ngày" and "tháng" of the place-and-date line."""
    for index, word in enumerate(words):
        if word.top > page_height * TOP_FRACTION or not _DAY_LABEL.match(word.text):
            continue
        for end in range(index, min(index + 4, len(words))):
            other = words[end]
            month = _MONTH_LABEL.search(other.text, 4 if end == index else 0)
            if not _same_line(word, other) or month is None:
                continue
            left = _split_x(word, 4) if len(word.text) > 4 else word.right
            right = _split_x(other, month.start())
            between = [w.text for w in words[index + 1 : end]]
            read = (word.text[4:] if end != index else word.text[4 : month.start()]) + "".join(between)
            if end != index:
                read += other.text[: month.start()]
            box = (left, min(word.top, other.top), right, max(word.bottom, other.bottom))
            return Field("day", index, end + 1, box, "ngày", other.text[month.start() :], read.strip())
        return None
    return None


def _clean(image: Image.Image, height: int) -> Image.Image | None:
    """Ink only, trimmed to its box, scaled to ``height`` pixels, with a white margin."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    ink = image.convert("L").point(lambda v: 0 if v < INK_THRESHOLD else 255)
    box = ImageOps.invert(ink).getbbox()
    if box is None:
        return None
    ink = ink.crop(box)
    width = max(1, round(ink.width * height / ink.height))
    return ImageOps.expand(ink.resize((width, height), PILImage.Resampling.LANCZOS), height // 2, 255)


def read_digits(image: Image.Image, language: str) -> str:
    """One line of digits as Tesseract reads it ("" when it sees none)."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory(prefix="vanban-field-") as tmp:
        path = Path(tmp) / "field.png"
        image.save(path)
        done = subprocess.run(
            ["tesseract", str(path), "-", "-l", language, "--psm", "7", "-c", DIGITS_ONLY],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            env=env,
            check=False,
        )
    return "".join(done.stdout.split()) if done.returncode == 0 else ""


def readings(crop: Image.Image) -> list[str]:
    """The digits each reading of READINGS sees in ``crop``."""
    found = []
    for language, height in READINGS:
        cleaned = _clean(crop, height)
        found.append(read_digits(cleaned, language) if cleaned is not None else "")
    return found


def agreed(found: list[str]) -> str | None:
    """The digits every reading agrees on, else None."""
    return found[0] if found[0] and len(set(found)) == 1 else None


def plausible(kind: str, value: str) -> bool:
    if kind == "day":
        return len(value) <= 2 and 1 <= int(value) <= 31
    return len(value) <= 6 and int(value) > 0


def accepted(kind: str, found: list[str], page_read: str) -> str | None:
    """The value to write, or None: agreement, plausibility and no untrusted digit."""
    value = agreed(found)
    if value is None or not plausible(kind, value):
        return None
    page_digits = "".join(ch for ch in page_read if ch.isdigit())
    if any(ch in UNTRUSTED_DIGITS for ch in value) and page_digits != value:
        return None
    return value


def render_top(pdf_path: str, page_height: float) -> Image.Image:
    """The top TOP_FRACTION of page 1 at DPI (pixel = point * DPI / 72 from the top left)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_path)
    try:
        page = pdf[0]
        crop = (0, page_height * (1 - TOP_FRACTION), 0, 0)
        image = page.render(scale=DPI / 72, grayscale=True, crop=crop).to_pil()
        page.close()
    finally:
        pdf.close()
    return image


def cut_field(image: Image.Image, field: Field) -> Image.Image | None:
    """The field's box, a little taller than the printed line: handwriting overshoots it."""
    left, top, right, bottom = field.box
    if right - left < 2:
        return None
    pad = (bottom - top) * 0.4
    scale = DPI / 72
    return image.crop(
        (round(left * scale), round((top - pad) * scale), round(right * scale), round((bottom + pad) * scale))
    )


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
    kind: str
    read: str  # the page reading
    value: str | None  # the confirmed value, None when not confirmed
    readings: list[str]
    dropped: bool = False  # the page reading was blanked (see ``untrusted_reading``)


def reread_fields(
    pdf_path: str, words: list[Word], page_height: float
) -> tuple[list[Word], list[FieldResult]]:
    """Page-1 words with the confirmed field values written in."""
    fields = [f for f in (find_number(words, page_height), find_day(words, page_height)) if f is not None]
    if not fields:
        return words, []
    image = render_top(pdf_path, page_height)
    results: list[FieldResult] = []
    # Right to left, so that earlier word indexes stay valid while rewriting.
    for field in sorted(fields, key=lambda f: f.first, reverse=True):
        crop = cut_field(image, field)
        found = readings(crop) if crop is not None else []
        value = accepted(field.kind, found, field.read) if found else None
        dropped = value is None and untrusted_reading(field.read)
        results.append(FieldResult(field.kind, field.read, value, found, dropped))
        if value is not None and value != field.read:  # a confirmed page reading stays as it was
            words = rewrite(words, field, value)
        elif dropped:
            words = rewrite(words, field, ILLEGIBLE)
    return words, results


def untrusted_reading(page_read: str) -> bool:
    """A page reading with an untrusted digit that no crop reading confirmed ("445" for
    115 on 005, "44" for 11 on 091): dropped, since a wrong value is worse than none."""
    return any(ch in UNTRUSTED_DIGITS for ch in page_read)
