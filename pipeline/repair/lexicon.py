"""underthesea's Viet74K word list, read once for every repair that needs real words.

Read in place rather than copied: it is underthesea's data (a dependency already). Empty
when the file is missing, so callers fall back to spelling rules alone.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from functools import cache
from pathlib import Path


@cache
def word_list() -> tuple[str, ...]:
    """The entries (words of one or more syllables), NFC and lower case."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or spec.origin is None:
        return ()
    path = Path(spec.origin).parent / "corpus" / "data" / "Viet74K.txt"
    try:
        return tuple(unicodedata.normalize("NFC", path.read_text("utf-8")).lower().splitlines())
    except OSError:
        return ()
