"""Small text keys shared by the rules: diacritics-free, case-free matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DASHES = str.maketrans({"–": "-", "—": "-", "‒": "-", "−": "-", "Ð": "Đ", "ð": "đ"})
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def ascii_key(text: str) -> str:
    """Lowercase, diacritics removed (đ -> d), dashes unified, spaces folded.

    For keyword matching only ("Thời gian thực hiện" -> "thoi gian thuc hien").
    """
    return _SPACES.sub(" ", without_marks(text.translate(_DASHES))).strip().lower()


def without_marks(text: str) -> str:
    """``text`` with its tone and vowel marks removed and đ written d; case, dashes and white
    space as they are."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def squash(text: str) -> str:
    """Unicode-aware key without spaces: 'KẾ  HOẠCH' and 'KẾHOẠCH' both -> 'kếhoạch'."""
    return _SPACES.sub("", unicodedata.normalize("NFC", text.translate(_DASHES))).lower()


def is_upper_text(text: str, min_letters: int = 3) -> bool:
    """True when the letters of ``text`` are (almost) all capitals."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < min_letters:
        return False
    upper = sum(1 for ch in letters if ch.isupper())
    return upper / len(letters) >= 0.9


# Punctuation and quotes around a word of a title or a phrase, not part of it.
WORD_EDGES = ",.;:()“”\"'‘’"

# Marks and digits before the first letter of an OCR'd line ("“2Vũ Đại Thắng", "„PHO GIÁM ĐỐC").
LEADING_DEBRIS = re.compile(r"^[\W\d_]+")


def without_leading_debris(text: str) -> str:
    """``text`` from its first letter on: what a seal or a signature left before it is no part of it."""
    return LEADING_DEBRIS.sub("", text)
