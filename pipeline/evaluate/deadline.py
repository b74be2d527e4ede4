"""Deadline equivalence for the evaluator: "Quý IV/2026" and "quý IV năm 2026" compare equal.

Values come from the project's time grammar (``pipeline.nlp.timex``), the one place that
reads Vietnamese time expressions. Only a text that is nothing but one time expression gets a
normal value (a relation word such as "trước", "chậm nhất là", "trong" may stand in front, a
weekday "(thứ Sáu)" behind): "Ban hành kế hoạch trong tháng 01 hằng năm và tổ chức thực hiện"
has none and is compared as folded text only. The relation is ignored: the value is what both
sides must agree on.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.data import load_data
from pipeline.evaluate.fold import fold
from pipeline.nlp.timex import find_times

_WEEKDAY_TAIL = re.compile(r"\s*\([^)]*\)\s*$")
_PUNCTUATION = " ,.;:-"


@lru_cache(maxsize=1)
def _leads() -> frozenset[str]:
    """Words that may stand before the time expression: the grammar's relation words."""
    data = load_data("time_words")
    words = {fold(word) for group in data["relations"].values() for word in group}
    return frozenset(words | {"giai đoạn", "thời gian", "hoàn thành"})


def normalise_deadline(text: str | None) -> str | None:
    """A normal value ("2026-09-30", "2026-09", "2026-36" for Q4, "2026/2030", "yearly" ...)
    when the whole text is one time expression, else None."""
    key = _WEEKDAY_TAIL.sub("", (text or "").strip())
    found = find_times(key)
    if len(found) != 1:
        return None
    start, end, value = found[0]
    lead = fold(key[:start]).strip(_PUNCTUATION)
    if fold(key[end:]).strip(_PUNCTUATION) or (lead and lead not in _leads()):
        return None
    if value.value and value.recurrence:
        return f"{value.value}|{value.recurrence}"
    return value.value or value.recurrence


def same_deadline(expected: str | None, got: str | None) -> bool:
    """Deadlines agree: both absent, equal folded texts, or the same normal value."""
    if not expected and not got:
        return True
    if not expected or not got:
        return False
    if fold(expected) == fold(got):
        return True
    value = normalise_deadline(expected)
    return value is not None and value == normalise_deadline(got)
