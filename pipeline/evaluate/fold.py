"""Folding: the comparison keys the evaluator compares instead of raw strings.

The gold keeps letters as printed (corpus/ANNOTATION.md); before comparing, both sides are folded
the same way:

- Unicode NFC (after NFKC for compatibility characters such as ligatures and full-width forms),
  invisible characters dropped;
- case (``str.casefold``); the look-alike Eth "Ð" read as "Đ";
- tone placement: every syllable's tone mark is moved to one canonical vowel, so that
  "hoà"/"hòa", "uỷ"/"ủy", "thuỷ"/"thủy" and "khoẻ"/"khỏe" compare equal (see ``place_tone``);
- dashes ("–", "—", "‒", "−" ...) to "-"; quotes and apostrophes (“ ” „ « » ‘ ’ ' ` ") to '"';
- runs of white space to one space, ends trimmed; white space next to the punctuation . , ; : / - ( )
  removed, since typists and PDF text layers vary it ("KT.GIÁM ĐỐC" = "KT. GIÁM ĐỐC",
  "2026 - 2030" = "2026-2030").

Field-specific keys sit on top of ``fold``: ``fold_summary`` ignores a leading "V/v" / "Về việc",
``fold_code`` removes all spaces (numbers, symbols), ``fold_item`` strips the list bullets and
trailing ";" "." that ANNOTATION.md says entries are given without.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining tone marks (NFD): grave, acute, tilde, hook above, dot below (+ two legacy aliases).
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0340\u0341")
_VOWELS = frozenset("aăâeêioôơuưy")
# Vowels carrying a quality mark (breve, circumflex, horn) take the tone first.
_MARKED_VOWELS = frozenset("ăâêôơư")

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2018\u2019\u201a\u201b'`\u00b4"), '"')
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Eth (Ð ð), which some PDF fonts and legacy converters print for Đ đ ("Như Ðiều 3").
_LOOKALIKES = {ord("\u00d0"): "\u0110", ord("\u00f0"): "\u0111"}
_TRANSLATION = {**_DASHES, **_QUOTES, **_INVISIBLE, **_LOOKALIKES}

_WHITE_SPACE = re.compile(r"\s+")
_SPACE_AROUND_PUNCT = re.compile(r"\s*([.,;:/\-()])\s*")
_WORD = re.compile(r"[^\W\d_]+")
_SUMMARY_PREFIX = re.compile(r"^(?:v/v|về việc)(?:[.:\s]+|$)")
_ITEM_EDGES = re.compile(r"^[\s\-+•·*]+|[\s;.,:]+$")


def place_tone(syllable: str) -> str:
    """Move a lower-case syllable's tone mark to its canonical vowel (the traditional convention).

    The canonical vowel is: the last vowel with a quality mark (ă â ê ô ơ ư: "người", "khuyến");
    otherwise, with a final consonant, the last vowel ("hoàng", "huỳnh"); otherwise the middle of
    three vowels ("hoài", "khuỷu") or the first of two ("hòa", "thủy", "mùa"). The "u" of "qu" and
    the "i" of "gi" before a vowel belong to the consonant. Syllables without a tone, and strings
    that are not one Vietnamese syllable, come back unchanged in form (NFC).
    """
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [char for char in decomposed if char in _TONE_MARKS]
    if len(tones) != 1:
        return unicodedata.normalize("NFC", syllable)
    base = unicodedata.normalize("NFC", "".join(char for char in decomposed if char not in _TONE_MARKS))
    index = _tone_index(base)
    if index is None:
        return unicodedata.normalize("NFC", syllable)
    return unicodedata.normalize("NFC", base[: index + 1] + tones[0] + base[index + 1 :])


def _tone_index(base: str) -> int | None:
    """Index in ``base`` (toneless, NFC, lower case) of the vowel that carries the tone."""
    start = 0
    # "qu" + vowel and "gi" + vowel: the u / i are part of the initial consonant.
    if len(base) > 2 and base[:2] in ("qu", "gi") and base[2] in _VOWELS:
        start = 2
    positions = [i for i in range(start, len(base)) if base[i] in _VOWELS]
    if not positions:
        # "gì", "gìn": the i of "gi" is the only vowel.
        positions = [i for i in range(len(base)) if base[i] in _VOWELS]
        if not positions:
            return None
    first, last = positions[0], positions[-1]
    if positions != list(range(first, last + 1)):
        return None  # vowels split by a consonant: not one syllable, leave it alone
    marked = [i for i in positions if base[i] in _MARKED_VOWELS]
    if marked:
        return marked[-1]
    if last < len(base) - 1:  # a final consonant follows the nucleus
        return last
    if len(positions) >= 3:
        return positions[1]
    return first


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return place_tone(word)


def fold_tones(text: str) -> str:
    """Canonical tone placement for every word of a lower-case text."""
    return _WORD.sub(lambda match: _fold_word(match.group(0)), text)


@lru_cache(maxsize=65536)
def fold(text: str | None) -> str:
    """The comparison key of a printed string (see the module docstring); "" for None."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATION)
    text = unicodedata.normalize("NFC", text.casefold())
    text = fold_tones(text)
    text = _WHITE_SPACE.sub(" ", text).strip()
    return _SPACE_AROUND_PUNCT.sub(r"\1", text)


def fold_summary(text: str | None) -> str:
    """``fold`` without a leading "V/v" or "Về việc" (the gold gives the trích yếu without it)."""
    return _SUMMARY_PREFIX.sub("", fold(text), count=1).strip()


def fold_code(text: str | None) -> str:
    """``fold`` with every space removed: numbers, symbols, number_symbol of legal bases."""
    return fold(text).replace(" ", "")


def fold_item(text: str | None) -> str:
    """``fold`` without list bullets ("-", "+", "•") and trailing ";" "." "," ":" of a list entry."""
    return _ITEM_EDGES.sub("", fold(text))


def optional(key: str) -> str | None:
    """An empty key means "no value": None, so scoring can tell null from a value."""
    return key or None
