"""Diacritic repair of OCR words against the multi-syllable words of a Vietnamese lexicon.

Tesseract ``vie`` drops or swaps tone and letter marks ("phố thông", "Phôi hợp kiêm
soát", "sửa đối, bỗ sung") while the letters themselves are right. A token is replaced
only when (a) it forms no lexicon word with its neighbours as read, (b) swapping its
marks makes it form one with a neighbour, and (c) exactly one such spelling exists
(both neighbours agreeing). Letters are never changed, only marks, so a name or a number
cannot be turned into something else. The lexicon is underthesea's Viet74K word list,
already installed (see ``pipeline.repair.quality``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import cache

from pipeline.repair.lexicon import word_list
from pipeline.repair.quality import is_syllable

# A syllable as compared: its letters with their letter marks (ô, ư, đ ...) and its tone,
# apart, so that "hoá" and "hóa" (tone placement) are one syllable.
Syllable = tuple[str, str]
Word = tuple[Syllable, ...]
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# The marks Tesseract confuses: none, acute, hook and tilde sit on top of the vowel (often
# over a circumflex: "phổ" read "phố", "vốn" read "vôn"). Grave and dot below are read
# reliably; letting them change turned "gia phòng" into "gia phong" on a clean line.
CONFUSABLE_TONES = frozenset({"", "\u0301", "\u0309", "\u0303"})
# Words Tesseract doubts more (see ocr.LOOSE_BELOW_CONFIDENCE) also lose or gain a grave
# ("đặc thù" read "đặc thủ", "quyền" read "quyên"); the dot below stays reliable.
LOOSE_TONES = CONFUSABLE_TONES | {"\u0300"}
_TOKEN = re.compile(r"^(?P<lead>[^\w]*)(?P<core>[^\W\d_]+)(?P<trail>[^\w]*)$")
# Lexicon words of this many syllables are tried around a token.
MAX_WORD_SYLLABLES = 3


def canonical(syllable: str) -> Syllable:
    """("hoa", "\u0301") for "hóa" and "hoá": letters with letter marks, and the tone mark."""
    tone = ""
    kept: list[str] = []
    for char in unicodedata.normalize("NFD", syllable.lower()):
        if char in _TONE_MARKS:
            tone = char
        else:
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def bare(syllable: str) -> str:
    """The letters alone: "phổ" -> "pho", "đến" -> "den"."""
    decomposed = unicodedata.normalize("NFD", syllable.lower().replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def spell(syllable: Syllable) -> str:
    """Back from the canonical pair to NFC text, tone on the letter modern spelling uses."""
    letters, tone = syllable
    if not tone:
        return letters
    vowels = [i for i, char in enumerate(letters) if bare(char) in "aeiouy"]
    if not vowels:
        return letters
    at = _tone_position(letters, vowels)
    return unicodedata.normalize("NFC", letters[: at + 1] + tone + letters[at + 1 :])


def _tone_position(letters: str, vowels: list[int]) -> int:
    """Index of the vowel carrying the tone, as Decree 30 texts print it ("hóa", "thủy", "quốc")."""
    if len(vowels) > 1 and vowels[0] == 1 and letters[:2] in {"qu", "gi"}:
        vowels = vowels[1:]  # the u of qu, the i of gi belong to the onset
    marked = [index for index in vowels if letters[index] in "ăâêôơư"]
    if marked:
        return marked[-1]  # ơ in ươ, ê in iê
    if len(vowels) == 1 or vowels[-1] != len(letters) - 1:
        return vowels[-1]  # a coda follows: "hoàn", "huỳnh"
    # Open syllables: the middle of three ("ngoài"), else the first ("hóa", "thủy", "mùa").
    return vowels[1] if len(vowels) == 3 else vowels[0]


@cache
def _lexicon() -> tuple[frozenset[Word], dict[tuple[str, ...], tuple[Word, ...]]]:
    """(words as syllable tuples, words by their bare key), 2..MAX_WORD_SYLLABLES syllables.

    Each distinct syllable and bare key is stored once and shared by every word holding it
    (~16 MB per worker instead of ~58 MB with a copy per word)."""
    syllables: dict[Syllable, Syllable] = {}
    keys: dict[str, str] = {}
    words: set[Word] = set()
    for entry in word_list():
        parts = entry.split()
        if 2 <= len(parts) <= MAX_WORD_SYLLABLES and all(part.isalpha() for part in parts):
            read = [canonical(part) for part in parts]
            words.add(tuple(syllables.setdefault(syllable, syllable) for syllable in read))
    by_key: dict[tuple[str, ...], list[Word]] = defaultdict(list)
    for word in words:
        by_key[tuple(keys.setdefault(letters, bare(letters)) for letters, _ in word)].append(word)
    return frozenset(words), {key: tuple(found) for key, found in by_key.items()}


def _windows(index: int, count: int) -> list[tuple[int, int]]:
    """(start, end) of every run of 2..MAX_WORD_SYLLABLES tokens that holds ``index``."""
    spans = []
    for size in range(2, MAX_WORD_SYLLABLES + 1):
        for start in range(index - size + 1, index + 1):
            if start >= 0 and start + size <= count:
                spans.append((start, start + size))
    return spans


def in_a_word(syllables: list[Syllable], index: int, avoiding: int | None = None) -> bool:
    """Whether token ``index`` is part of a lexicon word as read (one without ``avoiding``)."""
    words, _ = _lexicon()
    return any(
        tuple(syllables[start:end]) in words
        for start, end in _windows(index, len(syllables))
        if avoiding is None or not start <= avoiding < end
    )


def suggestion(
    syllables: list[Syllable], index: int, tones: frozenset[str] = CONFUSABLE_TONES, letters: bool = False
) -> Syllable | None:
    """The one re-marked spelling of token ``index`` that makes a lexicon word, else None.
    Only its tone changes, and only between ``tones``; with ``letters``, its letter marks too
    ("thành phó" -> "thành phố").

    The other syllables of that word must not already belong to a word of their own:
    "địa bàn tỉnh" is not "địa bàn tính" because "bàn" is taken by "địa bàn".
    """
    if in_a_word(syllables, index):
        return None
    _, by_key = _lexicon()
    found: set[Syllable] = set()
    for start, end in _windows(index, len(syllables)):
        others = [i for i in range(start, end) if i != index]
        if any(in_a_word(syllables, i, avoiding=index) for i in others):
            continue
        for word in by_key.get(tuple(bare(letters) for letters, _ in syllables[start:end]), ()):
            if all(word[i - start] == syllables[i] for i in others):
                found.add(word[index - start])
    if len(found) != 1:
        return None
    current, found_one = syllables[index], found.pop()
    same_letters = letters or found_one[0] == current[0]
    return found_one if same_letters and {current[1], found_one[1]} <= tones else None


def _without_stray_letter(syllables: list[Syllable], index: int) -> Syllable | None:
    """A non-syllable with one stray letter ("Quảng Nzgãi", "Nøgãi"): the one deletion
    that makes a lexicon word with a neighbour, else None."""
    letters, tone = syllables[index]
    if len(letters) < 3 or is_syllable(spell((letters, tone))):
        return None
    found: set[Syllable] = set()
    for cut in range(len(letters)):
        trial = list(syllables)
        trial[index] = (letters[:cut] + letters[cut + 1 :], tone)
        if is_syllable(spell(trial[index])) and in_a_word(trial, index):
            found.add(trial[index])
    return found.pop() if len(found) == 1 else None


def with_case_of(original: str, replacement: str) -> str:
    if original.isupper():
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def with_marks_of(spelled: str, read: str) -> str:
    """``read`` with the marks of ``spelled`` (the same letters), its own case kept, and as
    read where the two are one spelling but for the tone's placement ("Tỉnh uỷ" / "Tỉnh ủy"):
    a closed list's spelling put on a scan's reading without changing what the page prints."""
    if len(spelled) != len(read) or canonical(spelled) == canonical(read):
        return read
    return "".join(
        mark.upper() if letter.isupper() else mark.lower() for mark, letter in zip(spelled, read, strict=True)
    )


def _runs(tokens: list[str]) -> list[list[int]]:
    """Indexes of the word tokens, in runs that punctuation or a non-word breaks ("đối, bỗ")."""
    runs: list[list[int]] = [[]]
    for index, token in enumerate(tokens):
        match = _TOKEN.match(token)
        if match is None:
            runs.append([])
            continue
        if match["lead"]:
            runs.append([])
        runs[-1].append(index)
        if match["trail"]:
            runs.append([])
    return [run for run in runs if run]


def correct_tokens(
    tokens: list[str], changeable: list[bool] | None = None, loose: list[bool] | None = None
) -> list[str]:
    """``tokens`` with mark-only slips repaired; punctuation stays and ends a word run.

    ``changeable`` marks the tokens that may change (default: all); the others are context.
    ``loose`` marks those whose grave may change too (LOOSE_TONES; default: none).
    """
    fixed = list(tokens)
    for run in _runs(tokens):
        matches = [_TOKEN.match(tokens[index]) for index in run]
        syllables = [canonical(m["core"]) if m else ("", "") for m in matches]
        for position, match in enumerate(matches):
            if changeable is not None and not changeable[run[position]]:
                continue
            if match is None:
                continue
            tones = LOOSE_TONES if loose is not None and loose[run[position]] else CONFUSABLE_TONES
            better = suggestion(syllables, position, tones)
            if better is None and not match["core"].isupper():  # "PCI", "BCA": abbreviations
                better = _without_stray_letter(syllables, position)
            if better is None or better == syllables[position]:
                continue
            core = with_case_of(match["core"], spell(better))
            fixed[run[position]] = match["lead"] + core + match["trail"]
            syllables[position] = better  # later tokens see the repaired word
    return fixed


def correct_line(text: str) -> str:
    """One line of OCR text with its mark-only slips repaired."""
    return " ".join(correct_tokens(text.split(" ")))
