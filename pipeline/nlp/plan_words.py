"""The plan vocabulary of data/plan_words.json: section, task, target and column keywords."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def plan_words() -> dict[str, Any]:
    text = resources.files("pipeline").joinpath("data/plan_words.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
