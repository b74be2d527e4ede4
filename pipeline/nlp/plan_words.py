"""The plan vocabulary of data/plan_words.json: section, task, target and column keywords."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pipeline.data import load_data
from pipeline.nlp.text import ascii_key


def keyword_in(text: str, words: list[str]) -> bool:
    """Whether one of ``words`` stands in ``text`` (diacritic-free keys)."""
    key = ascii_key(text)
    return any(ascii_key(word) in key for word in words)


@lru_cache(maxsize=1)
def plan_words() -> dict[str, Any]:
    text = load_data("plan_words")
    data: dict[str, Any] = text
    return data
