"""Quantified goals ("chỉ tiêu"): value, unit, comparator and year of one target sentence.

"Phấn đấu ... đạt tối thiểu 95%" -> 95, "%", ">="; "nằm trong nhóm 15 tỉnh, thành phố dẫn đầu" ->
15, "tỉnh, thành phố", "top"; "ít nhất 01 sáng kiến/mô hình/giải pháp" -> 1, "sáng kiến/mô hình/giải
pháp", ">=". The first quantity of the sentence is the target (gold convention: "30 đồng chí, chiếm 20%"
is 30 đồng chí); numbers inside times, cited documents ("Nghị định số 118/2025/NĐ-CP") and articles
("khoản 3 Điều 14") are skipped. Word tables: the "comparators", "unit_*" and "per_period" entries of
pipeline/data/number_words.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal, cast

from pipeline.nlp.numbers import NUMBER_PATTERN, Number, number_words, parse_number, parse_number_words
from pipeline.nlp.timex import find_times, fold

Comparator = Literal["=", ">=", "<=", ">", "<", "top"]


@dataclass(frozen=True)
class TargetValue:
    """What a target sentence asks for. ``span`` covers the number and its unit in the sentence."""

    value: Number
    unit: str | None
    comparator: Comparator
    year: int | None
    span: tuple[int, int]


def _alternation(phrases: list[str]) -> str:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


@dataclass(frozen=True)
class _Tables:
    number: re.Pattern[str]
    comparator: re.Pattern[str]
    comparator_of: dict[str, Comparator]
    suffix: re.Pattern[str]
    suffix_of: dict[str, Comparator]
    stop_words: frozenset[str]
    max_syllables: int
    per_period: re.Pattern[str]


@cache
def _tables() -> _Tables:
    words = number_words()
    comparators = {k: v for k, v in words["comparators"].items() if not k.startswith("_")}
    suffixes = words["comparator_suffixes"]
    per = words["per_period"]
    return _Tables(
        number=re.compile(rf"(?<![\w/.,\-])({NUMBER_PATTERN})(?![\d/]|[.,]\d)"),
        comparator=re.compile(
            rf"(?<!\w)({_alternation([p for ps in comparators.values() for p in ps])})\s*[:]?\s*$"
        ),
        comparator_of={p: cast(Comparator, c) for c, ps in comparators.items() for p in ps},
        suffix=re.compile(rf"\s*({_alternation([p for ps in suffixes.values() for p in ps])})(?!\w)"),
        suffix_of={p: cast(Comparator, c) for c, ps in suffixes.items() for p in ps},
        stop_words=frozenset(words["unit_stop_words"]),
        max_syllables=int(words["unit_max_syllables"]),
        per_period=re.compile(
            rf"(?<!\w)(?:{_alternation(per['words'])})\s+({_alternation(per['periods'])})(?!\w)[^;.]*$"
        ),
    )


# Numbers that name things rather than count them: articles, clauses, document numbers.
_NOT_A_QUANTITY_BEFORE = re.compile(
    r"(?<!\w)(?:điều|khoản|điểm|chương|mục|số|phụ lục|thứ|lần thứ|tuần thứ|khóa|khoá)\s*$"
)
_CLOCK_AFTER = re.compile(r"\s*(?:giờ|phút|h\d)")
_PERCENT_AFTER = re.compile(r"\s*(%|phần\s+trăm)")
_GLUED_UNIT = re.compile(r"[^\W\d_]+[²³]?")
_WORD = re.compile(r"\s*(k?m[23²³](?!\w)|[^\W\d_]+)")  # 'm2', 'km2', 'm3': areas and volumes
# '10 năm 2021-2030', '05 năm của cả nước': the span in a strategy's or plan's name, no count.
_PROGRAMME_SPAN_AFTER = re.compile(r"\s*năm\s+(?:(?:19|20)\d{2}\s*[-–]|của\b|giai đoạn)")
_RANGE_AFTER = re.compile(r"\s*[-–]\s*\d+(?:[.,]\d+)?\s*%")
_SLASH_PART = re.compile(r"\s*/\s*(\d+\s+)?")


def _time_spans(sentence: str) -> list[tuple[int, int]]:
    # "01 lần/tháng" is a time grammar recurrence but also the count a target asks for.
    return [(s, e) for s, e, t in find_times(sentence) if not (t.recurrence and "/" in t.recurrence)]


def _is_quantity(folded: str, match: re.Match[str], times: list[tuple[int, int]]) -> bool:
    start, end = match.span(1)
    if any(s <= start < e for s, e in times):
        return False
    if _NOT_A_QUANTITY_BEFORE.search(folded[max(0, start - 12) : start]):
        return False
    if _CLOCK_AFTER.match(folded, end) or _PROGRAMME_SPAN_AFTER.match(folded, end):
        return False
    # A year with no unit after it is a time the time grammar did not claim ("PAPI 2026").
    digits = match.group(1)
    return not (len(digits) == 4 and digits[:2] in ("19", "20") and not _PERCENT_AFTER.match(folded, end))


def _words_after(folded: str, pos: int, limit: int) -> tuple[list[tuple[int, int]], int]:
    """Spans of up to ``limit`` unit words from ``pos``; stops at a stop word or punctuation."""
    spans: list[tuple[int, int]] = []
    stop_words = _tables().stop_words
    while len(spans) < limit:
        m = _WORD.match(folded, pos)
        if not m or m.group(1) in stop_words:
            break
        spans.append(m.span(1))
        pos = m.end()
    return spans, pos


_COMMA = re.compile(r"\s*,")
_CLOSES = re.compile(r"\s*(?:[,;.:()]|$)")


def _closes_unit(folded: str, pos: int) -> bool:
    """Punctuation, the end, or a stop word after a comma-continued unit word."""
    if _CLOSES.match(folded, pos):
        return True
    word = _WORD.match(folded, pos)
    return word is not None and word.group(1) in _tables().stop_words


def _unit_segments(folded: str, pos: int) -> tuple[int, int] | None:
    """The unit's words after the number: "tỉnh, thành phố", "kỹ sư tin học", "lần/tháng"."""
    spans, pos = _words_after(folded, pos, _tables().max_syllables)
    if not spans:
        return None
    end = spans[-1][1]
    # Short comma-separated nouns continue the unit: "xã, phường, đặc khu"; "người, chiếm" does not.
    while (comma := _COMMA.match(folded, end)) is not None:
        more, after = _words_after(folded, comma.end(), 2)
        if not more or not _closes_unit(folded, after):
            break
        end = more[-1][1]
    return spans[0][0], end


def _slash_parts(folded: str, end: int) -> int:
    """ "lần/tháng", "buổi/cơ sở giáo dục", "mm/2 ngày", "sáng kiến/mô hình/ giải pháp"."""
    while (m := _SLASH_PART.match(folded, end)) is not None:
        spans, _ = _words_after(folded, m.end(), _tables().max_syllables)
        if not spans:
            break
        end = spans[-1][1]
    return end


def _tidy_unit(unit: str) -> str:
    return re.sub(r"\s*/\s*", "/", " ".join(unit.split()))


def _unit(sentence: str, folded: str, number_end: int) -> tuple[str | None, int]:
    """The unit after a number and where it ends."""
    percent = _PERCENT_AFTER.match(folded, number_end)
    if percent:
        return "%", percent.end()
    glued = _GLUED_UNIT.match(folded, number_end)
    if glued:
        end = _slash_parts(folded, glued.end())
        return _tidy_unit(sentence[number_end:end]), end
    segment = _unit_segments(folded, number_end)
    if segment is None:
        return None, number_end
    end = _slash_parts(folded, segment[1])
    return _tidy_unit(sentence[segment[0] : end]), end


def _per_period(folded: str, number_start: int, unit: str | None) -> str | None:
    """ "mỗi tháng 02 chuyên mục" -> "chuyên mục/tháng": a per-month/quarter count, said before it."""
    if unit is None or unit == "%" or "/" in unit:
        return unit
    clause = re.split(r"[;.]", folded[:number_start])[-1]
    m = _tables().per_period.search(clause)
    return f"{unit}/{' '.join(m.group(1).split())}" if m else unit


def _comparator(folded: str, number_start: int, unit_end: int) -> Comparator:
    tables = _tables()
    if _RANGE_AFTER.match(folded, unit_end):
        return ">="  # "85%-90% tổng vốn đầu tư": at least the lower bound
    suffix = tables.suffix.match(folded, unit_end)
    if suffix:
        return tables.suffix_of[" ".join(suffix.group(1).split())]
    m = tables.comparator.search(folded[max(0, number_start - 30) : number_start])
    if not m:
        return "="
    return tables.comparator_of[" ".join(m.group(1).split())]


# ---- year --------------------------------------------------------------------------------------

_YEAR_CUE_BEFORE = re.compile(r"(?<!\w)(?:riêng|vào)\s*$")


def _year(sentence: str, folded: str, default_year: int | None) -> int | None:
    """The target year: a marked year ("đến năm 2030", "riêng năm 2025", "Năm 2000, ...", the end of
    "giai đoạn 2026-2030") wins; otherwise the latest year mentioned unless it is before
    ``default_year`` (a past reference: "địa bàn đã công nhận năm 2025"); otherwise ``default_year``.
    """
    marked: list[int] = []
    mentioned: list[int] = []
    for start, _, time in find_times(sentence):
        if time.end is None or time.kind in ("unknown", "recurrence"):
            continue
        year = int(time.end[:4])
        text = folded[start:]
        is_marked = (
            time.relation in ("by", "during")
            or not folded[:start].strip(" -+•*:")
            or text.startswith(("cuối", "hết"))
            or time.kind == "range"
            or _YEAR_CUE_BEFORE.search(folded[:start])
        )
        (marked if is_marked else mentioned).append(year)
    if marked:
        return marked[0]
    later = [y for y in mentioned if default_year is None or y >= default_year]
    return max(later) if later else default_year


# ---- public API --------------------------------------------------------------------------------


def _number_word_quantity(folded: str) -> tuple[Number, int, int] | None:
    """A number in words right after a comparator ("ít nhất hai kỹ sư"); words alone are too
    ambiguous ("một số", "năm") to read anywhere else."""
    tables = _tables()
    for m in re.finditer(r"(?<!\w)([^\W\d_]+(?:\s+[^\W\d_]+){0,5})", folded):
        if not tables.comparator.search(folded[max(0, m.start() - 30) : m.start()]):
            continue
        words = m.group(1).split()
        for n in range(len(words), 0, -1):
            value = parse_number_words(" ".join(words[:n]))
            if value is not None:
                end = m.start() + len(" ".join(words[:n]))
                return value, m.start(), end
    return None


def parse_target(sentence: str, default_year: int | None = None) -> TargetValue | None:
    """Value, unit, comparator and year of a quantified goal; None if it states no quantity."""
    folded = fold(sentence)
    times = _time_spans(sentence)
    quantity: tuple[Number, int, int] | None = None
    for m in _tables().number.finditer(folded):
        value = parse_number(m.group(1))
        # A number glued to a capital names a thing ("5G", "3G/4G"), it counts nothing.
        if sentence[m.end(1) : m.end(1) + 1].isupper():
            continue
        if value is not None and _is_quantity(folded, m, times):
            quantity = value, m.start(1), m.end(1)
            break
    if quantity is None:
        quantity = _number_word_quantity(folded)
    if quantity is None:
        return None
    value, start, end = quantity
    unit, unit_end = _unit(sentence, folded, end)
    return TargetValue(
        value=value,
        unit=_per_period(folded, start, unit),
        comparator=_comparator(folded, start, unit_end),
        year=_year(sentence, folded, default_year),
        span=(start, unit_end),
    )
