"""The plan vocabulary of data/plan_words.json: section, task, target and column keywords."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pipeline.data import load_data


@lru_cache(maxsize=1)
def plan_words() -> dict[str, Any]:
    text = load_data("plan_words")
    data: dict[str, Any] = text
    return data
