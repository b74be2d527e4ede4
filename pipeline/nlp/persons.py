"""Personal names with underthesea's bundled CRF tagger (offline; no model download).

Used where the printed-name shape rule finds nothing: OCR noise, a name sharing its line
with other words. underthesea loads lazily, so documents that never need it do not pay.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _ner() -> Any:
    from underthesea import ner

    return ner


def person_names(text: str) -> list[str]:
    """Names tagged PER in ``text``, in order (consecutive B-PER/I-PER tokens joined)."""
    names: list[str] = []
    current: list[str] = []
    for token, _pos, _chunk, tag in _ner()(text):
        if tag == "B-PER" or (tag == "I-PER" and not current):
            if current:
                names.append(" ".join(current))
            current = [token]
        elif tag == "I-PER":
            current.append(token)
        elif current:
            names.append(" ".join(current))
            current = []
    if current:
        names.append(" ".join(current))
    return names
