"""OCR noise: what a seal, a stamp or a speck on a scan leaves in the text, marked per token.

Tesseract reads the ink of seals, received stamps and dust as words: "2iãi8", "lmà|š", a lone
"P", "-_" or a long serial. This module is the one place that says what such a token is, and
``repair.ocr_noise`` marks the tokens of every OCR'd line once (``Line.noise``: each noise
token with its kind), so that the stages after it (layout, extract) ask the mark instead of
judging the token themselves. The text is left as read: a mark says what to skip, and the
evidence spans still point into the text the record shows.

Token marks, on OCR'd pages: *debris*, a token no word of an official document spells (odd
characters, letters glued to digits, a lone stray letter, a stamp's serial); a *speck*,
punctuation no line holds inside ("PCMT -_ đến"; a dash alone is a real one); *wordless*, no
syllable of two letters and no code in capitals ("kụ", "' `": a seal's strokes beside a list).

Line marks (``Line.marks``), on every page, for what the layout skips whatever the origin: a
*blank* line (at most one letter or digit: a speck "P", "+" on a scan, a rule on a typed
page), a *letterless* one (no two letters in a row: "))"), and the *lead specks* a seal left
before a line in capitals ("cap lễ QUYẾT ĐỊNH", "mm. Ủy BAN NHÂN DÂN").

Words Tesseract doubts inside a table cell are judged here too (``is_cell_speck``), while the
cell is read: their confidence exists only then.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipeline.model import Document, Line, LineNoise, Noise, Page
from pipeline.nlp.text import is_upper_text
from pipeline.registry import Context, component, current_settings
from pipeline.repair.quality import is_known_syllable

# Characters no word of an official document contains: stamp and seal specks read by OCR.
DEBRIS_CHARS = frozenset("[]{}|£#$%^&*@~`<>\\=¬")
# Roman numerals of one letter that close a line as often as they stand in one ("lần thứ V,").
ROMAN_LETTERS = frozenset({"V", "X"})


@dataclass(frozen=True)
class NoiseSettings:
    """repair.ocr_noise's measures (``--set repair.ocr_noise.KEY=VALUE``)."""

    # A received stamp's serial ("9945900990490") has at least this many digits; a
    # document's numbers are years and document numbers, far shorter.
    stamp_serial_digits: int = 8


def _settings() -> NoiseSettings:
    return current_settings(NoiseSettings)


def is_debris(token: str) -> bool:
    """An OCR speck: odd characters, letters glued to digits ("2iãi8"), or a lone stray letter."""
    core = token.strip(".,;:()“”\"'!?")
    if not core:
        return True
    if is_known_syllable(core) or (core.isupper() and core.isascii() and len(core) > 1):
        return False
    if core in ROMAN_LETTERS:
        return False  # "lần thứ V", "khóa X": a numeral, not a stray letter
    if core.isdigit():
        return len(core) >= _settings().stamp_serial_digits
    glued = any(ch.isdigit() for ch in core) and any(ch.isalpha() for ch in core) and "/" not in core
    return bool(DEBRIS_CHARS & set(core)) or glued or len(core) == 1


def is_jumbled_case(token: str) -> bool:
    """Letters whose case no word or code of a document mixes so ("EmMaIE", "JAbal", "LonẠ"):
    a small letter before a capital, or capitals before small letters, in one run of letters.
    A name ("Châu"), a word in capitals and a code with the small g of "Thủ tướng" ("TTg",
    "PTTgCP") are not."""
    for run in re.findall(r"[^\W\d_]+", token):
        run = re.sub(r"(?<=[A-ZĐ]{2})g(?=[A-ZĐ]|$)", "G", run)
        if not (run.isupper() or run.islower() or (run[0].isupper() and run[1:].islower())):
            return True
    return False


def is_speck(token: str) -> bool:
    """Punctuation no line holds inside ("PCMT -_ đến"); a dash alone is a real one."""
    return not any(char.isalnum() for char in token) and bool(set(token) & (DEBRIS_CHARS | {"_"}))


# Letters and digits proper: a modifier letter ("ˆ", "ˈ") is a mark left alone by OCR.
WORD_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lo", "Nd"})


def is_stray_mark(token: str) -> bool:
    """A token with no letter or digit proper: a stamp speck or a stray mark between the words
    of a line in capitals ("ỦY BAN NHÂN DÂN ˆ TỈNH ...")."""
    return not any(unicodedata.category(char) in WORD_CATEGORIES for char in token)


# Bullets as printed, and as OCR reads them ("—", "~"), before a list's entry.
BULLETS = "-–—~+•* "
# What a word of a list is stripped of before it is judged.
WORD_EDGES = ".,;:()'`\""


def is_wordless(token: str) -> bool:
    """No word: no Vietnamese syllable of two letters and no code in capitals ("kụ", "' `")."""
    word = token.strip(WORD_EDGES)
    return not (len(word) >= 2 and (is_known_syllable(word.lower()) or (word.isupper() and word.isalnum())))


def mark_line(line: Line) -> None:
    """Mark the noise tokens of one OCR'd line (tokens are its white-space separated words;
    the first also without its bullet, as a list's entry reads it)."""
    marks: dict[str, Noise] = {}
    tokens = line.text.split()
    if tokens and (bare := tokens[0].lstrip(BULLETS)) and bare != tokens[0]:
        tokens.append(bare)
    for token in tokens:
        if token not in marks:
            mark = Noise(debris=is_debris(token), speck=is_speck(token), wordless=is_wordless(token))
            if mark.debris or mark.speck or mark.wordless:
                marks[token] = mark
    line.noise = marks


# A line with no word of two letters: a seal or stamp speck ("P", "+") read by OCR.
BLANK_LINE = re.compile(r"^[^\w]*(?:\w[^\w]*)?$")
# No two letters in a row: a speck between a block's lines ("))").
TWO_LETTERS = re.compile(r"[^\W\d_]{2}")
# Up to two short lower-case words before a capitals line: a seal or stamp speck read by
# OCR in front of the title ("cap lễ QUYẾT ĐỊNH", "mm. Ủy BAN NHÂN DÂN").
SPECK_WORD = re.compile(r"^[^\W\d_]{1,4}[.,:;]?$")


def lead_specks(text: str) -> int:
    """How many words before a line in capitals are a seal's specks (0, 1 or 2)."""
    words = text.split()
    for size in (1, 2):
        head, rest = words[:size], " ".join(words[size:])
        if (
            len(words) > size
            and all(SPECK_WORD.match(w) and w.islower() for w in head)
            and is_upper_text(rest)
        ):
            return size
    return 0


def line_marks(text: str) -> LineNoise:
    """The marks of a whole line: blank, letterless, its lead specks."""
    return LineNoise(
        blank=bool(BLANK_LINE.match(text)),
        letterless=not TWO_LETTERS.search(text),
        lead_specks=lead_specks(text.strip()),
    )


def without_lead_specks(line: Line) -> str:
    """The line's text without the specks a seal left before its capitals."""
    text = line.text.strip()
    return " ".join(text.split()[line.marks.lead_specks :]) if line.marks.lead_specks else text


def wordless_entry(page: Page, text: str) -> bool:
    """Every word of ``text`` (an entry of a list on ``page``, its lines joined) was marked
    wordless: no syllable and no code, the seal's or the signature's strokes."""
    # A word is judged on what is left of it without WORD_EDGES: the entry's last word lost its
    # ";" and its first its bullet, and they are judged alike.
    cores = {
        token.strip(WORD_EDGES) for line in page.lines for token, mark in line.noise.items() if mark.wordless
    }
    return all(token.strip(WORD_EDGES) in cores for token in text.split())


# Words Tesseract doubts below this confidence with fewer than two letters or digits are a
# seal's specks over a table cell; below CELL_NOISE_CONFIDENCE a word is one whatever it
# holds. Constants, not settings: table cells are read in repair.ocr's page threads, which a
# run's settings (a context variable of the document) do not reach.
CELL_SPECK_CONFIDENCE = 60.0
CELL_NOISE_CONFIDENCE = 5.0


def is_cell_speck(text: str, confidence: float) -> bool:
    """Specks of a seal or stamp over a table cell: a doubtful word with hardly a letter in it."""
    if confidence < 0 or confidence >= CELL_SPECK_CONFIDENCE:
        return False
    return confidence < CELL_NOISE_CONFIDENCE or sum(c.isalnum() for c in text) < 2


def debris(line: Line, token: str) -> bool:
    """Whether ``token`` of ``line`` was marked as debris (only OCR'd lines carry marks)."""
    mark = line.noise.get(token)
    return mark is not None and mark.debris


def speck(line: Line, token: str) -> bool:
    """Whether ``token`` of ``line`` was marked as a speck."""
    mark = line.noise.get(token)
    return mark is not None and mark.speck


def mostly_debris(line: Line) -> bool:
    """Half of the line's tokens or more are debris (a seal or a stamp read as a line)."""
    tokens = line.text.split()
    return sum(debris(line, token) for token in tokens) * 2 >= len(tokens)


def mark(line: Line, page: Page) -> None:
    """Mark ``line`` of ``page``: its line marks, and its tokens' on an OCR'd page (also the
    layout's, for the two parts of a line it cuts)."""
    line.marks = line_marks(line.text)
    line.noise = {}
    if page.origin == "ocr":
        mark_line(line)


def mark_document(doc: Document) -> None:
    """Mark every line of ``doc`` (what the component does)."""
    for page in doc.pages:
        for line in page.lines:
            mark(line, page)


@component("repair.ocr_noise", requires=("text.repaired",), assigns=("text.noise",), settings=NoiseSettings)
def mark_noise(ctx: Context) -> None:
    mark_document(ctx.doc)
