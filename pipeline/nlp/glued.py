"""Words OCR glued together put apart again ("UBNDTỈNHPHÚTHỌ" -> "UBND TỈNH PHÚ THỌ").

A run of capitals with no space that is no syllable is cut into the fewest pieces that are
each a known syllable or a known abbreviation of administrative names; a run that cannot be
cut that way is left as read.
"""

from __future__ import annotations

from functools import lru_cache

from pipeline.repair.quality import is_known_syllable

# Abbreviations that open or join body names in headers (Decree 30, Appendix I).
ABBREVIATIONS = frozenset(
    {"UBND", "HĐND", "MTTQ", "TW", "TP", "UB", "VP", "BCH", "BQL", "TN", "MT", "KT", "CP"}
)
# Runs shorter than this are words or codes, never several words glued.
MIN_GLUED = 6
LONGEST_PIECE = 7


def unglue(text: str) -> str:
    """``text`` with each glued run of capitals cut into its words."""
    return " ".join(_unglue_word(word) for word in text.split())


def _unglue_word(word: str) -> str:
    if len(word) < MIN_GLUED or not word.isupper() or not word.isalpha() or _piece(word):
        return word
    pieces = _best_split(word)
    return " ".join(pieces) if pieces else word


@lru_cache(maxsize=4096)
def _piece(piece: str) -> bool:
    return piece in ABBREVIATIONS or (len(piece) >= 2 and is_known_syllable(piece.lower()))


def _best_split(word: str) -> list[str] | None:
    """The fewest known pieces that make up ``word`` exactly, or None."""
    best: list[list[str] | None] = [None] * (len(word) + 1)
    best[0] = []
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - LONGEST_PIECE), end):
            head = best[start]
            if head is not None and _piece(word[start:end]):
                candidate = [*head, word[start:end]]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[len(word)]
