"""What the repairs know of Vietnamese words: which exist, and how common a syllable is.

- underthesea's Viet74K word list, read once for every repair that needs real words. Read in
  place rather than copied: it is underthesea's data (a dependency already). Empty when the
  file is missing, so callers fall back to spelling rules alone. A few words of public
  administration it lacks ("cấp tỉnh") come from data/admin_words.json.
- wordfreq's Vietnamese frequencies (Wikipedia, subtitles, news, web; one entry per
  syllable, as Vietnamese writes them apart): how often a syllable is used per word of
  running text. It is the only word-frequency table for Vietnamese on PyPI or in Debian;
  its data is frozen (the project takes no new text since 2024), which suits a table of
  common words.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from functools import cache
from pathlib import Path

from pipeline.data import load_data


@cache
def word_list() -> tuple[str, ...]:
    """The entries (words of one or more syllables), NFC and lower case: Viet74K's and
    the administrative words it lacks (data/admin_words.json)."""
    return _viet74k() + _admin_words()


def _viet74k() -> tuple[str, ...]:
    spec = importlib.util.find_spec("underthesea")
    if spec is None or spec.origin is None:
        return ()
    path = Path(spec.origin).parent / "corpus" / "data" / "Viet74K.txt"
    try:
        return tuple(unicodedata.normalize("NFC", path.read_text("utf-8")).lower().splitlines())
    except OSError:
        return ()


def _admin_words() -> tuple[str, ...]:
    text = load_data("admin_words")
    words: list[str] = text["words"]
    return tuple(unicodedata.normalize("NFC", word).lower() for word in words)


@cache
def frequency(syllable: str) -> float:
    """Share of running words that are ``syllable`` (lower case), 0.0 when unlisted."""
    from wordfreq import word_frequency  # imported on first use: only OCR'd pages need it

    return float(word_frequency(syllable, "vi"))
