"""OCR noise: what a seal, a stamp or a speck on a scan leaves in the text, marked per token.

Tesseract reads the ink of seals, received stamps and dust as words: "2iãi8", "lmà|š", a lone
"P", "-_" or a long serial. This module is the one place that says what such a token is, and
``repair.ocr_noise`` marks the tokens of every OCR'd line once (``Line.noise``: each noise
token with its kind), so that the stages after it (layout, extract) ask the mark instead of
judging the token themselves. The text is left as read: a mark says what to skip, and the
evidence spans still point into the text the record shows.

Two kinds: *debris*, a token no word of an official document spells (odd characters, letters
glued to digits, a lone stray letter, a stamp's serial); and a *speck*, punctuation no line
holds inside ("PCMT -_ đến"; a dash alone is a real one).
"""

from __future__ import annotations

from pipeline.model import Line, Noise
from pipeline.registry import Context, component
from pipeline.repair.quality import is_known_syllable

# Characters no word of an official document contains: stamp and seal specks read by OCR.
DEBRIS_CHARS = frozenset("[]{}|£#$%^&*@~`<>\\=¬")
# A received stamp's serial ("9945900990490"); a document's numbers are years and document
# numbers, far shorter.
STAMP_SERIAL_DIGITS = 8


def is_debris(token: str) -> bool:
    """An OCR speck: odd characters, letters glued to digits ("2iãi8"), or a lone stray letter."""
    core = token.strip(".,;:()“”\"'!?")
    if not core:
        return True
    if is_known_syllable(core) or (core.isupper() and core.isascii() and len(core) > 1):
        return False
    if core.isdigit():
        return len(core) >= STAMP_SERIAL_DIGITS
    glued = any(ch.isdigit() for ch in core) and any(ch.isalpha() for ch in core) and "/" not in core
    return bool(DEBRIS_CHARS & set(core)) or glued or len(core) == 1


def is_speck(token: str) -> bool:
    """Punctuation no line holds inside ("PCMT -_ đến"); a dash alone is a real one."""
    return not any(char.isalnum() for char in token) and bool(set(token) & (DEBRIS_CHARS | {"_"}))


def mark_line(line: Line) -> None:
    """Mark the noise tokens of one OCR'd line (tokens are its white-space separated words)."""
    marks: dict[str, Noise] = {}
    for token in line.text.split():
        if token not in marks:
            mark = Noise(debris=is_debris(token), speck=is_speck(token))
            if mark.debris or mark.speck:
                marks[token] = mark
    line.noise = marks


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


@component("repair.ocr_noise", requires=("text.repaired",), assigns=("text.noise",))
def mark_noise(ctx: Context) -> None:
    for page in ctx.doc.pages:
        if page.origin == "ocr":
            for line in page.lines:
                mark_line(line)
