"""Text quality: the share of tokens that are valid Vietnamese syllables.

A page read from a broken PDF glyph map ("Sở ài chính"), an OCR layer with the
diacritics stripped ("uY BAN NgAN nAN") or legacy-font mojibake ("Céng hoµ x· héi")
is full of tokens no Vietnamese syllable can spell. The validator checks the
orthography: onset + rhyme from ``pipeline/data/syllables.json``, spelling rules
(k/gh/ngh before front vowels), at most one tone mark sitting on a vowel, and stop
codas with the sắc or nặng tone only. Lowercase syllables must also occur in
underthesea's word list, because a glyph map that lost capitals leaves well-formed
fragments ("ội", "ghị"); capitalised ones (names) need only be well formed.

Tokens that say nothing about the text's health are neutral and not counted: numbers,
punctuation, single letters and abbreviations (UBND, KH-UBND, TTr).
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache
from pathlib import Path

from pipeline.model import Page
from pipeline.nlp.text import ascii_key
from pipeline.registry import Context, component
from pipeline.repair.lexicon import word_list


@dataclass(frozen=True)
class QualitySettings:
    """repair.quality's thresholds, which repair.ocr also reads to pick the pages it OCRs."""

    # Pages scoring under this share of valid syllables are repaired by OCR (PDF) or
    # flagged. Measured on the corpus (readers + repair.legacy + repair.normalize):
    #   clean text layers, DOCX, DOC: 154 pages, min 0.980, 5th percentile 0.987;
    #   a text layer whose glyph map lost its capitals: 0.928;  an OCR layer without
    #   diacritics: 0.27-0.39;  unconverted TCVN3/VNI: 0.13-0.44 (0.97-1.0 converted);
    #   Tesseract output of the scans: 0.957-1.0.
    threshold: float = 0.95
    # Below this many counted tokens a page's score is noise (a stamp, a page number).
    min_counted_tokens: int = 8
    # A page is "mostly numbers and codes" when at least this share of its tokens hold a
    # digit (technical annexes of permits: 0.43-0.93; prose pages 0.03-0.06, broken OCR
    # layers 0.12-0.35).
    min_number_share: float = 0.25


DEFAULTS = QualitySettings()
QUALITY_THRESHOLD = DEFAULTS.threshold  # the default, for callers that report it

_DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "syllables.json"

_TONES = {
    "\u0300": "grave",
    "\u0301": "acute",
    "\u0303": "tilde",
    "\u0309": "hook",
    "\u0323": "dot",
}
# Marks that make ă â ê ô ơ ư out of a plain letter: part of the letter, not the tone.
_LETTER_MARKS = {"\u0302", "\u0306", "\u031b"}

# Anything but letters and digits separates the pieces of a token: "KH-UBND", "1185/SNV".
_SEPARATORS = re.compile(r"[\W_]+")
_URL_OR_EMAIL = re.compile(r"://|^www\.|@|\.(vn|com|org|net)\b", re.IGNORECASE)
_ROMAN = re.compile(r"x{0,3}(ix|iv|v?i{0,3})", re.IGNORECASE)
# Look-alikes of Đ from Latin-1 fonts (Icelandic eth) spell the same letter.
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ"})
_LETTER_DIGIT_LETTER = re.compile(r"[^\W\d_]\d+[^\W\d_]")


class Verdict(Enum):
    VALID = "valid"
    INVALID = "invalid"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class _Orthography:
    letters: frozenset[str]
    vowels: frozenset[str]
    onsets: tuple[str, ...]  # longest first
    rhymes: frozenset[str]
    front_only_onsets: frozenset[str]
    no_front_onsets: frozenset[str]
    front_vowels: frozenset[str]
    onset_required_prefixes: tuple[str, ...]
    onsetless_only_prefixes: tuple[str, ...]
    stop_codas: tuple[str, ...]
    stop_tones: frozenset[str]
    no_tone_on_last: frozenset[str]


@cache
def _orthography() -> _Orthography:
    raw = json.loads(_DATA_FILE.read_text("utf-8"))
    return _Orthography(
        letters=frozenset(raw["letters"]),
        vowels=frozenset(raw["vowels"]),
        onsets=tuple(sorted(raw["onsets"], key=len, reverse=True)),
        rhymes=frozenset(raw["rhymes"]) | frozenset(raw["name_rhymes"]),
        front_only_onsets=frozenset(raw["front_only_onsets"]),
        no_front_onsets=frozenset(raw["no_front_onsets"]),
        front_vowels=frozenset(raw["front_vowels"]),
        onset_required_prefixes=tuple(raw["onset_required_prefixes"]),
        onsetless_only_prefixes=tuple(raw["onsetless_only_prefixes"]),
        stop_codas=tuple(raw["stop_codas"]),
        stop_tones=frozenset(raw["stop_tones"]),
        no_tone_on_last=frozenset(raw["no_tone_on_last"]),
    )


def _split_tone(word: str) -> tuple[str, str | None, int] | None:
    """(toneless NFC word, tone name, index of the toned letter), or None if malformed."""
    base: list[str] = []
    tone: str | None = None
    tone_at = -1
    for char in unicodedata.normalize("NFD", word):
        if char in _TONES:
            if tone is not None or not base:
                return None  # two tones, or a tone on nothing
            tone, tone_at = _TONES[char], len(base) - 1
        elif char in _LETTER_MARKS:
            if not base:
                return None
            base[-1] = unicodedata.normalize("NFC", base[-1] + char)
        elif unicodedata.combining(char):
            return None  # a mark Vietnamese does not use
        else:
            base.append(char)
    return "".join(base), tone, tone_at


def _rhyme_fits(onset: str, rhyme: str, orth: _Orthography) -> bool:
    if rhyme not in orth.rhymes:
        return False
    if onset == "qu":
        # qu already holds the medial u: quốc, quy, quyết, but not quoa.
        return rhyme[0] not in "uo"
    starts_front = rhyme[0] in orth.front_vowels
    if onset in orth.front_only_onsets and not starts_front:
        return False
    if onset in orth.no_front_onsets and starts_front:
        return False
    if onset and rhyme.startswith(orth.onsetless_only_prefixes):
        return False
    return not (not onset and rhyme.startswith(orth.onset_required_prefixes))


def _rhyme_readings(onset: str, rest: str, orth: _Orthography) -> list[tuple[str, int]]:
    """(rhyme, offset of the rhyme in the word) readings of what follows ``onset``.

    "gi" may lend its i to the rhyme: gì = gi + i, gìn = gi + in, giết = gi + iêt.
    """
    readings = [(rest, len(onset))] if rest else []
    if onset == "gi" and "i" + rest in orth.rhymes:
        readings.append(("i" + rest, 1))
    return readings


def _tone_fits(rhyme: str, tone: str | None, tone_in_rhyme: int, orth: _Orthography) -> bool:
    if tone is None:
        return True
    if tone_in_rhyme < 0 or rhyme[tone_in_rhyme] not in orth.vowels:
        return False  # tone mark on a consonant
    if rhyme.endswith(orth.stop_codas) and tone not in orth.stop_tones:
        return False
    return not (rhyme in orth.no_tone_on_last and tone_in_rhyme == len(rhyme) - 1)


@lru_cache(maxsize=8192)
def is_syllable(word: str) -> bool:
    """True if ``word`` (any case, NFC or NFD) spells one Vietnamese syllable."""
    orth = _orthography()
    split = _split_tone(word.lower())
    if split is None:
        return False
    toneless, tone, tone_at = split
    if not toneless or not set(toneless) <= orth.letters:
        return False
    for onset in orth.onsets:
        if not toneless.startswith(onset):
            continue
        for rhyme, offset in _rhyme_readings(onset, toneless[len(onset) :], orth):
            fits = _rhyme_fits(onset, rhyme, orth)
            if fits and _tone_fits(rhyme, tone, tone_at - offset, orth):
                return True
    return False


def _has_lower_then_upper(piece: str) -> bool:
    """ "ceNG", "HoA", "cHUNG": case flips inside a word come from broken text."""
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(piece))


@cache
def _attested_syllables() -> frozenset[str]:
    """Syllables of underthesea's word list (a dependency already), empty if it is missing.

    Orthography alone accepts every well-formed syllable, and a PDF whose glyph map
    lost its capitals leaves well-formed fragments ("Sở ội vụ", "ghị định"); real words
    are a much smaller set.
    """
    return frozenset(syllable for entry in word_list() for syllable in entry.split())


def is_known_syllable(word: str) -> bool:
    """A valid syllable that is also a real word part (or a capitalised name)."""
    if not is_syllable(word):
        return False
    attested = _attested_syllables()
    # Names are open-ended: a capitalised syllable needs only to be well formed.
    return not attested or word[0].isupper() or word.lower() in attested


def _looks_like_abbreviation(piece: str) -> bool:
    """UBND, HĐND, TTr, QyĐ: Latin capitals (and Đ) carrying the word."""
    if not all(("A" <= c <= "Z") or ("a" <= c <= "z") or c in "Đđ" for c in piece):
        return False
    uppers = sum(1 for c in piece if c.isupper())
    return piece[0].isupper() and uppers >= max(2, len(piece) / 2)


def _camel_parts(piece: str) -> list[str]:
    """Split "thuộcThành" / "HồChí" (words glued by a lost space) at the case change."""
    parts = [piece[0]]
    for previous, char in itertools.pairwise(piece):
        if previous.islower() and char.isupper():
            parts.append(char)
        else:
            parts[-1] += char
    return parts


@lru_cache(maxsize=8192)
def classify_piece(piece: str) -> Verdict:
    """Judge one piece of a token (letters and digits only)."""
    if not any(c.isalpha() for c in piece):
        return Verdict.NEUTRAL
    if any(c.isdigit() for c in piece):
        # "D6ng", "H4nh": OCR digits inside a word; "B2", "5G", "km2" are fine.
        return Verdict.INVALID if _LETTER_DIGIT_LETTER.search(piece) else Verdict.NEUTRAL
    if len(piece) == 1 and piece.isascii():
        return Verdict.NEUTRAL  # list markers, initials
    if not _has_lower_then_upper(piece):
        if is_known_syllable(piece):
            return Verdict.VALID
    elif all(is_known_syllable(part) for part in _camel_parts(piece)):
        return Verdict.VALID
    if _looks_like_abbreviation(piece) or _ROMAN.fullmatch(piece):
        return Verdict.NEUTRAL
    return Verdict.INVALID


def _clean_for_scoring(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_LOOKALIKES)
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def token_verdicts(text: str) -> list[Verdict]:
    """One verdict per piece of every white-space token of ``text``."""
    verdicts: list[Verdict] = []
    for token in _clean_for_scoring(text).split():
        if _URL_OR_EMAIL.search(token):
            continue  # addresses are not prose
        for piece in _SEPARATORS.split(token):
            if piece:
                verdicts.append(classify_piece(piece))
    return verdicts


def syllable_counts(text: str) -> tuple[int, int]:
    """(valid, counted) tokens of ``text``; neutral tokens are not counted."""
    verdicts = token_verdicts(text)
    valid = verdicts.count(Verdict.VALID)
    return valid, valid + verdicts.count(Verdict.INVALID)


def syllable_quality(text: str) -> float:
    """Share of counted tokens that are valid Vietnamese syllables, 0..1 (1.0 if none)."""
    valid, counted = syllable_counts(text)
    return valid / counted if counted else 1.0


def page_text_for_quality(page: Page) -> str:
    """The page's lines, plus table cells when the reader did not copy them into lines."""
    parts = [line.text for line in page.lines]
    if not any(line.block == "table" for line in page.lines):
        parts.extend(cell.text for table in page.tables for row in table.rows for cell in row)
    return "\n".join(parts)


def page_quality(page: Page, settings: QualitySettings = DEFAULTS) -> float | None:
    """The page's syllable quality, or None when it has too few words to judge.

    A page that is mostly numbers and codes (a technical annex: "Qmax", "Wtb", "mg", "Max")
    is judged on its Vietnamese words alone, so that its text layer is not sent to OCR for
    the codes no Vietnamese syllable spells.
    """
    text = page_text_for_quality(page)
    valid, counted = syllable_counts(text)
    if counted < settings.min_counted_tokens:
        return None
    score = valid / counted
    if score < settings.threshold:
        return _score_without_codes(text, score, settings)
    return score


_CODE_LETTERS = re.compile(r"[A-Za-zĐđ]+")


@cache
def _syllable_skeletons() -> frozenset[str]:
    """Attested syllables without their marks ('thac' for 'thác'): what a text layer that lost
    its diacritics still spells, unlike codes and units ('Qmax', 'mg', 'Wtb')."""
    return frozenset(ascii_key(syllable) for syllable in _attested_syllables())


def is_code_piece(piece: str) -> bool:
    """Plain letters that no Vietnamese syllable spells, even with marks added."""
    skeletons = _syllable_skeletons()
    return (
        bool(skeletons) and _CODE_LETTERS.fullmatch(piece) is not None and ascii_key(piece) not in skeletons
    )


def _score_without_codes(text: str, score: float, settings: QualitySettings) -> float:
    """The score of a page of numbers and codes on its Vietnamese words alone, when that
    passes; ``score`` otherwise. Broken layers keep failing: their invalid words are
    Vietnamese that lost marks or letters ('nguyen', 'thac', 'D6ng'), not codes."""
    tokens = [t for t in _clean_for_scoring(text).split() if not _URL_OR_EMAIL.search(t)]
    tokens = [t for t in tokens if any(c.isalnum() for c in t)]
    numbers = sum(any(c.isdigit() for c in token) for token in tokens)
    if not tokens or numbers < settings.min_number_share * len(tokens):
        return score
    valid = invalid = 0
    for token in tokens:
        for piece in _SEPARATORS.split(token):
            verdict = classify_piece(piece) if piece else Verdict.NEUTRAL
            valid += verdict is Verdict.VALID
            invalid += verdict is Verdict.INVALID and not is_code_piece(piece)
    counted = valid + invalid
    if counted < settings.min_counted_tokens or valid / counted < settings.threshold:
        return score
    return valid / counted


def page_has_text(page: Page) -> bool:
    """False for an image-only page (no text layer, or a few stray characters)."""
    letters = sum(1 for c in page_text_for_quality(page) if c.isalpha())
    return letters >= 20


def page_fails_quality(page: Page, settings: QualitySettings = DEFAULTS) -> bool:
    """True for a page whose text cannot be trusted: none, or under the threshold."""
    if not page_has_text(page):
        return True
    return page.quality is not None and page.quality < settings.threshold


@component("repair.quality", requires=("text.nfc",), assigns=("pages.quality",), settings=QualitySettings)
def score_pages(ctx: Context) -> None:
    settings = ctx.settings(QualitySettings)
    for page in ctx.doc.pages:
        page.quality = page_quality(page, settings)
        if page.quality is not None and page.quality < settings.threshold:
            ctx.doc.warn(
                "page.low_quality",
                f"page {page.number}: {page.quality:.0%} valid Vietnamese syllables "
                f"(threshold {settings.threshold:.0%})",
            )
