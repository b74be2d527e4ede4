"""Ranking indicators a target names ("PAR Index, PCI, PAPI, SIPAS"): data/indicators.json."""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.data import load_data


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    text = load_data("indicators")
    patterns: list[tuple[str, re.Pattern[str]]] = []
    for names in text["indicators"]:
        spellings = "|".join(
            re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True)
        )
        patterns.append((names[0], re.compile(rf"(?<!\w)(?:{spellings})(?!\w)")))
    return patterns


def indicators_in(text: str) -> list[str]:
    """The indicators named in ``text``, in the order printed, each once, by its usual name."""
    found: list[tuple[int, str]] = []
    for name, pattern in _patterns():
        match = pattern.search(text)
        if match is not None:
            found.append((match.start(), name))
    return [name for _, name in sorted(found)]
