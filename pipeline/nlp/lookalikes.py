"""OCR look-alikes across the digit/letter line, from the one table data/ocr_lookalikes.json.

Tesseract reads a printed "1" as "I", "l" or "|", a "0" as "O", a "5" in a code as "S". Each
caller asks for the confusions its context allows: hand-filled fields leave out "|" (a
handwritten 2 or 7 reads as one too often), a symbol's year or term also takes "S" and "B".
"""

from __future__ import annotations

from functools import cache

from pipeline.data import load_data


def _groups(*names: str) -> dict[str, list[str]]:
    table: dict[str, dict[str, list[str]]] = load_data("ocr_lookalikes")
    merged: dict[str, list[str]] = {}
    for name in names:
        for target, readings in table[name].items():
            if not target.startswith("_"):
                merged.setdefault(target, []).extend(readings)
    return merged


@cache
def as_digits(*, printed: bool = False, codes: bool = False) -> dict[int, str]:
    """A ``str.translate`` table from look-alike letters to digits: those of every context,
    with ``printed`` those of printed digits ("|", "]"), with ``codes`` those inside a
    symbol's year or term ("S", "B")."""
    names = ["digits", *(["printed_digits"] if printed else []), *(["code_digits"] if codes else [])]
    groups = _groups(*names)
    return str.maketrans({reading: digit for digit, readings in groups.items() for reading in readings})


@cache
def as_letters() -> dict[str, str]:
    """A digit OCR read for a code's letter, and that letter ("5" -> "S", "0" -> "O")."""
    return {digit: readings[0] for digit, readings in _groups("digits", "code_digits").items()}


@cache
def code_marks() -> dict[str, str]:
    """A mark OCR read for a code's capital letter, and that letter ("§" -> "S")."""
    return {mark: letter for letter, marks in _groups("code_letters").items() for mark in marks}


@cache
def roman_one() -> str:
    """The readings of a Roman numeral's "I" ("L", "l", "1", "|")."""
    return "".join(_groups("roman_one")["I"])


@cache
def name_initials() -> dict[str, tuple[str, ...]]:
    """A mark OCR read for the capital that opens a family name, and the capitals it may
    stand for ("I" -> "T", "L")."""
    found: dict[str, list[str]] = {}
    for letter, marks in _groups("name_initials").items():
        for mark in marks:
            found.setdefault(mark, []).append(letter)
    return {mark: tuple(letters) for mark, letters in found.items()}


@cache
def foreign_marks() -> dict[int, str]:
    """A ``str.translate`` table from letters Vietnamese never writes to the Vietnamese letter
    OCR took them for ("ñ" -> "ũ", "ÿ" -> "ỹ", "ö" -> "ô")."""
    groups = _groups("foreign_marks")
    return str.maketrans({reading: letter for letter, readings in groups.items() for reading in readings})
