"""Targets: every quantified goal sentence of the plan's target sections.

A bullet with several sentences gives one target per quantified sentence. The year is the
sentence's own, else the nearest heading's ("Mục tiêu tổng quát đến năm 2030"), else the
plan's (end of "giai đoạn 2026 - 2030" or "năm 2026" in its title).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from pipeline.extract.plan_settings import plan_settings
from pipeline.extract.plan_text import Para, keyword_in, para_evidence, split_sentences
from pipeline.model import Document
from pipeline.nlp.bodies import soft_key
from pipeline.nlp.indicators import indicators_in
from pipeline.nlp.numbers import number_words
from pipeline.nlp.plan_words import plan_words
from pipeline.nlp.text import ascii_key
from pipeline.record.models import Evidence, Target

# Numbers that are references, dates or periods rather than quantities.
_NOT_QUANTITY = re.compile(
    r"(?:số\s*)?\d+(?:/\d+)*/[A-ZĐa-zđ][\w&.\-/]*"  # document numbers 118/2025/NĐ-CP
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?"  # dates
    r"|(?:năm|giai đoạn|đến|từ|quý\s+[IV]+[/-]?)\s*\d{4}(?:\s*[-–]\s*\d{4})?"  # years, periods
    r"|\b(?:19|20)\d{2}\b"
    r"|\b\d{1,2}\s+năm(?=\s+(?:(?:19|20)\d{2}\s*[-–]|của|giai đoạn))"  # 'Chiến lược 10 năm 2021-2030'
    r"|(?:Điều|khoản|điểm|Chương|Mục|lần thứ)\s+\d+",
    re.IGNORECASE,
)
_QUANTITY = re.compile(
    r"(?P<cmp>tối thiểu|ít nhất|trên|dưới|tối đa|không quá|không dưới|hơn|nhóm|top)?\s*"
    r"(?P<num>\d+(?:[.,]\d+)*)\s*(?P<unit>%|(?:k?m[23])(?![^\W\d_])|[^\s\d,.;:()]+(?:/[^\s,.;:()]+)*)?",
    re.IGNORECASE,
)
_COMPARATORS = {
    "toi thieu": ">=",
    "it nhat": ">=",
    "khong duoi": ">=",
    "tren": ">",
    "hon": ">",
    "duoi": "<",
    "toi da": "<=",
    "khong qua": "<=",
    "nhom": "top",
    "top": "top",
}
_YEAR = re.compile(r"(?:năm|đến|giai đoạn\s+\d{4}\s*[-–]\s*)\s*((?:19|20)\d{2})", re.IGNORECASE)
_PERIOD_END = re.compile(r"\d{4}\s*[-–]\s*((?:19|20)\d{2})")


TargetParser = Callable[[str, int | None], Any]


def in_target_section(para: Para) -> bool:
    """The nearest heading that says either decides: 'a) Mục tiêu' yes, 'b) Nhiệm vụ' no."""
    words = plan_words()["target_sections"]
    headings = [*para.path, para.title] if para.is_heading_like else list(para.path)
    for heading in reversed(headings):
        is_target = keyword_in(heading, words) or _opens_figure_section(heading)
        is_task = keyword_in(heading, plan_words()["task_sections"])
        if heading is para.title and len(heading) >= plan_settings().target_heading_chars:
            # A numbered goal sentence is no task heading: '3. 100% các xã ... đáp ứng yêu cầu
            # nhiệm vụ.'; its own 'mục tiêu' still makes it a goal.
            is_task = False
        if is_target:
            return True
        if is_task:
            return False
    return False


def _opens_figure_section(heading: str) -> bool:
    """'3. Kế hoạch sử dụng đất', '2. Kế hoạch phát triển giai đoạn 2026 - 2030': planned figures."""
    key = re.sub(r"^(?:[ivxl]+|\d+(?:\.\d+)*|[a-z])\s*[.)]\s*", "", ascii_key(heading).strip(" *"))
    return any(key.startswith(ascii_key(word)) for word in plan_words()["figure_sections"])


def find_quantity(sentence: str) -> tuple[float, str | None, str] | None:
    """(value, unit, comparator) of the first quantity that is not a date or a reference."""
    cleaned = _NOT_QUANTITY.sub(" ", sentence)
    for match in _QUANTITY.finditer(cleaned):
        number = match.group("num")
        value = float(number.replace(".", "").replace(",", "."))
        unit = match.group("unit")
        comparator = _COMPARATORS.get(ascii_key(match.group("cmp") or ""), "=")
        return value, unit, comparator
    return None


def year_of(text: str) -> int | None:
    ends = [int(m.group(1)) for m in _PERIOD_END.finditer(text)]
    if ends:
        return ends[-1]
    years = [int(m.group(1)) for m in _YEAR.finditer(text)]
    return years[-1] if years else None


def plan_year(summary: str | None, doc_year: int | None) -> int | None:
    """The plan's own year: end of its period, else the year in its title, else the document's."""
    return (year_of(summary) if summary else None) or doc_year


def _target_from(sentence: str, default_year: int | None, parse_target: TargetParser | None) -> Target | None:
    parsed = _call_parser(parse_target, sentence, default_year)
    if parsed is not None and parsed.get("value") is not None:
        return Target(
            text=sentence,
            value=parsed.get("value"),
            unit=_trim_unit(parsed.get("unit")),
            comparator=parsed.get("comparator"),
            year=parsed.get("year") or default_year,
        )
    quantity = find_quantity(sentence)
    if quantity is None:
        return None
    value, unit, comparator = quantity
    year = year_of(sentence) or default_year
    return Target(text=sentence, value=value, unit=unit, comparator=comparator, year=year)


def _trim_unit(unit: str | None) -> str | None:
    """'chuyên mục, cụ thể' -> 'chuyên mục': a list opener is not part of the unit."""
    if not unit or "," not in unit:
        return unit
    head, _, tail = unit.rpartition(",")
    closers = {soft_key(word) for word in plan_words()["count_closers"]}
    return head.strip() if soft_key(tail.strip()) in closers else unit


def _call_parser(parse_target: TargetParser | None, sentence: str, year: int | None) -> dict[str, Any] | None:
    if parse_target is None:
        return None
    try:
        result = parse_target(sentence, year)
    except Exception:  # the shared parser must not lose the plan
        return None
    if result is None:
        return None
    if isinstance(result, dict):
        return result
    fields = ("value", "unit", "comparator", "year")
    return {name: getattr(result, name, None) for name in fields}


# A number right after a capitalised word names a place ("Xã Đam Rông 2"), it counts nothing.
_NAME_NUMBER = re.compile(r"(\b[A-ZĐÀ-Ỹ][^\s,;.]{0,20}\s)\d+\b(?!\s*%)")


def _has_quantity(text: str, parse_target: TargetParser | None) -> bool:
    text = _NAME_NUMBER.sub(r"\1", text)
    parsed = _call_parser(parse_target, text, None)
    if parse_target is not None:
        return parsed is not None and parsed.get("value") is not None
    return find_quantity(text) is not None


def target_segments(sentence: str, parse_target: TargetParser | None) -> list[str]:
    """One piece per quantity: a sentence with several goals gives several targets.

    Clauses split at ';' first, then at ',' / 'và' where a new quantity begins; pieces
    without a quantity stay with the quantity that follows or precedes them.
    """
    clauses = [c.strip() for c in sentence.split(";") if c.strip()]
    flags = [_has_quantity(c, parse_target) for c in clauses]
    if not any(flags):
        return []
    if sum(flags) < 2:
        # one goal: the sentence from its quantified clause on ("Hằng năm, giảm ...; phấn đấu 50% ...")
        clauses = ["; ".join(clauses[flags.index(True) :])]
    segments: list[str] = []
    for clause in clauses:
        if _has_quantity(clause, parse_target):
            segments.extend(_split_coordinated(clause, parse_target))
    return segments


def _split_coordinated(clause: str, parse_target: TargetParser | None) -> list[str]:
    pieces = re.split(r"(,\s+|\s+và\s+)", clause)
    segments: list[str] = []
    current = ""
    for piece in pieces:
        is_separator = bool(re.fullmatch(r",\s+|\s+và\s+", piece))
        if (
            not is_separator
            and current
            and _has_quantity(current, parse_target)
            and _quantity_opens(piece, parse_target)
            and not _starts_with_share(piece)
        ):
            segments.append(current.strip(" ,"))
            current = piece
            continue
        current += piece
    segments.append(current.strip(" ,"))
    return [segment for segment in segments if _has_quantity(segment, parse_target)]


def _starts_with_share(piece: str) -> bool:
    """'chiếm 20% tổng số cán bộ' after '30 đồng chí': the share of that count, no goal of its own."""
    key = soft_key(piece.strip())
    return any(re.match(rf"{re.escape(soft_key(word))}\b", key) for word in plan_words()["share_words"])


def _quantity_opens(piece: str, parse_target: TargetParser | None) -> bool:
    """A piece that states a goal of its own: its quantity comes early, not in a trailing list."""
    return _has_quantity(piece, parse_target) and bool(re.search(r"\d", piece[:80]))


def extract_targets(
    doc: Document, paras: list[Para], default_year: int | None, parse_target: TargetParser | None
) -> list[Target]:
    targets: list[Target] = []
    for para in paras:
        if para.kind in ("roman", "part", "upper", "chapter"):
            continue
        in_section = in_target_section(para)
        if in_section and _is_target_heading(para):
            continue  # the heading "a) Mục tiêu" itself
        if not in_section and not _may_hold_stray_target(para):
            continue
        year = year_of(" ".join(para.path)) or default_year
        for sentence in split_sentences(para.title):
            if not in_section and not has_stray_cue(_unquoted(sentence)):
                continue
            if keyword_in(sentence, plan_words()["budget_share_words"]):
                continue  # '60% tổng kinh phí dự án' splits a budget, it is no goal
            for segment in target_segments(sentence, parse_target):
                if not in_section:
                    if not has_stray_cue(segment):
                        continue
                    segment = _goal_clause(segment)
                target = _target_from(segment, year, parse_target)
                if target is None or (not in_section and _restates(target, targets)):
                    continue
                target.section_path = para.path
                target.evidence = para_evidence(doc, para)
                if target.comparator == "top":
                    # The indicators a rank target ranks are often named once for two horizons.
                    target.indicators = indicators_in(sentence)
                targets.append(target)
    return targets


def _is_target_heading(para: Para) -> bool:
    words = plan_words()["target_sections"]
    return (
        para.is_heading_like
        and keyword_in(para.title, words)
        and len(para.title) < plan_settings().target_heading_chars
    )


def _may_hold_stray_target(para: Para) -> bool:
    """Quantified goals outside 'Mục tiêu' ('ít nhất 01 lần/tháng'), but not in award criteria
    nor in an account of the present state."""
    if not para.path:
        return False  # the opening paragraph restates the goals
    excluded = [*plan_words()["criteria_sections"], *plan_words()["status_sections"]]
    return has_stray_cue(para.title) and not any(keyword_in(heading, excluded) for heading in para.path)


def _alternation(phrases: list[str]) -> str:
    ordered = sorted({soft_key(p) for p in phrases}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


@lru_cache(maxsize=1)
def _stray_patterns() -> tuple[re.Pattern[str], ...]:
    """Goals stated inside task sections: 'bảo đảm 100% ...', '... gồm 11 chuyên mục',
    'mỗi tháng 02 chuyên mục' (words in plan_words.json and number_words.json)."""
    words = plan_words()
    numbers = number_words()
    comparators = [p for key, ps in numbers["comparators"].items() if not key.startswith("_") for p in ps]
    per = numbers["per_period"]
    number = r"\d+(?:[.,]\d+)?"
    closers = _alternation(words["count_closers"])
    unit_end = rf"\s+[^\W\d_]+(?:\s+[^\W\d_]+)?(?:\s+(?:{closers}))?\s*(?:[,.;:]|$)"
    return (
        re.compile(rf"(?<!\w)(?:{_alternation(words['outside_target_cues'])})(?!\w)"),
        re.compile(
            rf"(?<!\w)(?:{_alternation(words['goal_openers'])})\s+"
            rf"(?:(?:{_alternation(comparators)})\s+)?{number}\s*%"
        ),
        re.compile(rf",\s*(?:{_alternation(words['count_openers'])})\s+{number}{unit_end}"),
        re.compile(
            rf"(?<!\w)(?:{_alternation(per['words'])})\s+(?:{_alternation(per['periods'])})\s+{number}\s+[^\W\d_]"
        ),
    )


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def _unquoted(text: str) -> str:
    """The text without its quoted titles: 'Đề án “Đầu tư xây dựng ít nhất 01 triệu căn hộ ...”'
    names a programme, it sets no goal of the plan."""
    return _QUOTED.sub(" ", text)


def has_stray_cue(text: str) -> bool:
    """A quantity outside the target sections that states a goal, not a fact or a rule."""
    key = soft_key(text)
    return any(pattern.search(key) for pattern in _stray_patterns())


def _goal_clause(segment: str) -> str:
    """'Phối hợp ... sinh viên (đảm bảo mỗi năm ... ít nhất 1 buổi)' -> 'đảm bảo mỗi năm ...'."""
    key = soft_key(segment)
    scopes = _alternation(plan_words()["scope_prefixes"])
    colon = segment.find(":")
    if (
        re.match(rf"(?:{scopes})\s", key)
        and 0 < colon <= plan_settings().scope_length
        and has_stray_cue(segment[colon + 1 :])
    ):
        return segment[colon + 1 :].strip()  # 'Đối với chương trình X: Định kỳ phát sóng mỗi tháng 02 ...'
    openers = _alternation(plan_words()["clause_openers"])
    after_comma = _alternation(plan_words()["comma_clause_openers"])
    for match in re.finditer(rf"\(\s*((?:{openers})\s)|,\s*((?:{after_comma})\s)", key):
        start = match.start(1) if match.group(1) else match.start(2)
        if start >= plan_settings().clause_prefix and has_stray_cue(segment[start:]):
            clause = segment[start:].rstrip(" .;")
            return clause[:-1] if clause.endswith(")") and "(" not in clause else clause
    return segment


def _restates(target: Target, known: list[Target]) -> bool:
    """The same goal printed again: same number, and similar words around it."""
    from rapidfuzz import fuzz

    key = _around_value(target)
    for other in known:
        if other.value != target.value:
            continue  # a restated goal keeps its number
        score = fuzz.token_set_ratio(key, _around_value(other))
        same_goal = other.unit == target.unit
        if score >= plan_settings().same_target or (same_goal and score >= plan_settings().same_goal):
            return True
    return False


def _around_value(target: Target) -> str:
    """The target's number and the words after it ('40% xã, phường, đặc khu không ma túy')."""
    value = target.value
    if value is None or float(value) != int(value):
        return ascii_key(target.text)
    match = re.search(rf"(?<![\d.,])0*{int(value)}(?![\d])", target.text)
    if match is None:
        return ascii_key(target.text)
    return ascii_key(target.text[match.start() : match.end() + plan_settings().target_context])


def output_targets(
    outputs: list[tuple[str, list[str], Evidence | None]],
    known: list[Target],
    default_year: int | None,
    parse_target: TargetParser | None,
) -> list[Target]:
    """Quantified goals printed only in a task table's 'Sản phẩm' column."""
    from rapidfuzz import fuzz

    found: list[Target] = []
    seen = [ascii_key(t.text) for t in known]
    pieces = [
        (segment, path, evidence)
        for text, path, evidence in outputs
        for sentence in split_sentences(text)
        for segment in target_segments(sentence, parse_target)
    ]
    for text, path, evidence in pieces:
        if not keyword_in(text, plan_words()["target_cues"]):
            continue
        key = ascii_key(text)
        clauses = [ascii_key(clause) for clause in text.split(";")]
        if any(
            fuzz.token_set_ratio(c, other) >= plan_settings().same_target for c in clauses for other in seen
        ):
            continue
        target = _target_from(text, default_year, parse_target)
        if target is not None:
            target.section_path = path
            target.evidence = evidence  # the table row the product cell belongs to
            found.append(target)
            seen.append(key)
    return found
