"""Deadlines of plan tasks: a cell or label value parsed whole, or the deadline inside a sentence.

Both use the shared time grammar (``pipeline.nlp.timex``) when it is installed; the value keeps
the words as printed ('chậm nhất là ngày 15/4/2026', 'Quý IV/2026', 'Hằng năm').
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from pipeline.extract.plan_settings import plan_settings
from pipeline.nlp.plan_words import plan_words
from pipeline.nlp.text import ascii_key
from pipeline.record.models import TimeValue

# A phase's name before the years it runs ("Giai đoạn II 1998-2000", "Giai đọan 1: 2021-2025"),
# in either spelling of "đoạn".
PHASE_LABEL = re.compile(r"^giai\s+đ[oọ][aạ]n\s+(?:[IVX]+|\d)\s*[:.,\-–]?\s*(?=\(?\d{4})", re.IGNORECASE)


def _time_tools() -> tuple[Callable[..., Any] | None, Callable[..., Any] | None]:
    try:
        timex = importlib.import_module("pipeline.nlp.timex")
    except ImportError:
        return None, None
    return getattr(timex, "parse_time", None), getattr(timex, "find_times", None)


def make_deadline_parser(year: int | None) -> Callable[[str], TimeValue | None]:
    parse_time, _ = _time_tools()

    def parse(text: str) -> TimeValue | None:
        text = text.strip().rstrip(".;").strip()
        phase = PHASE_LABEL.match(text)
        if phase and re.search(r"\d{4}", text[phase.end() :]):
            text = text[phase.end() :]  # "Giai đoạn II 1998-2000": the phase's name, then its time
        if not text:
            return None
        value = None
        if parse_time is not None:
            try:
                value = parse_time(text, year)
            except Exception:  # the shared time grammar must not lose the plan
                value = None
        if isinstance(value, TimeValue):
            return value.model_copy(update={"text": text})
        return TimeValue(text=text, kind="unknown", value=None, recurrence=None)

    return parse


def make_deadline_finder(year: int | None) -> Callable[[str], TimeValue | None]:
    """The deadline printed inside a sentence ('... chậm nhất là ngày 15/4/2026')."""
    _, find_times = _time_tools()
    parse = make_deadline_parser(year)
    cues = _cues()

    def find(text: str) -> TimeValue | None:
        if find_times is not None:
            found = _first_deadline(find_times, text, year)
            if found is not None:
                return found
        key = ascii_key(text)
        for cue in cues:
            # the cue, then a date word or a number right away ('trước ngày 30/9', 'trong quý I')
            match = re.search(rf"\b{re.escape(cue)}\s+(?:la\s+)?(?:ngay|thang|quy|nam|\d)", key)
            if match:
                end = _clause_end(text, match.start())
                return parse(text[match.start() : end])
        return None

    return find


def _first_deadline(find_times: Callable[..., Any], text: str, year: int | None) -> TimeValue | None:
    try:
        found = list(find_times(text, year))
    except Exception:  # the shared time grammar must not lose the plan
        return None
    for start, end, value in found:
        if _is_horizon(text, start):
            continue
        if isinstance(value, TimeValue) and value.value and _is_deadline(value):
            start = _cue_start(text, start)
            return value.model_copy(update={"text": text[start:end]})
    return None


def _is_horizon(text: str, start: int) -> bool:
    """'... định hướng đến năm 2045': the year names the programme's horizon, not a deadline."""
    before = ascii_key(text[max(0, start - 30) : start]).rstrip(" ,")
    return any(re.search(rf"\b{re.escape(word)}$", before) for word in _horizon_words())


@lru_cache(maxsize=1)
def _horizon_words() -> tuple[str, ...]:
    return tuple(ascii_key(word) for word in plan_words()["horizon_words"])


def _is_deadline(value: TimeValue) -> bool:
    """'trước ngày ...', 'chậm nhất ...', or 'trong quý I/2026' (a period short enough to be one)."""
    if value.relation in ("before", "by"):
        return True
    return value.relation == "during" and value.kind in ("date", "month", "quarter")


def _cue_start(text: str, start: int) -> int:
    """Widen a time span to its cue: 'ngày 15/4/2026' -> 'chậm nhất là ngày 15/4/2026'."""
    before = text[:start].rstrip()
    key = ascii_key(before)
    if len(key) != len(before):  # folding changed the length: offsets would not map back
        return start
    for cue in _cues():
        if key.endswith(cue) and (len(key) == len(cue) or key[-len(cue) - 1] == " "):
            return len(before) - len(cue)
    return start


def _cues() -> list[str]:
    return sorted((ascii_key(c) for c in plan_words()["deadline_cues"]), key=len, reverse=True)


def _clause_end(text: str, start: int) -> int:
    match = re.search(r"[;()]|\.(?:\s|$)|,\s", text[start:])
    end = start + match.start() if match else len(text)
    return min(end, start + plan_settings().deadline_cue_span)
