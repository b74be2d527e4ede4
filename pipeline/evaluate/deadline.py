"""A small normaliser for deadline texts, so "Quý IV/2026" and "quý IV năm 2026" compare equal.

Only texts that are nothing but one time expression are normalised (an optional relation word
such as "trước", "chậm nhất là", "trong" in front, an optional "(thứ Sáu)" behind): a deadline
like "Ban hành kế hoạch trong tháng 01 hằng năm và tổ chức thực hiện" has no normal value and is
compared as folded text only. The relation word is ignored: the value is what both sides must
agree on.
"""

from __future__ import annotations

import re

from pipeline.evaluate.fold import fold

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_RELATION = (
    r"(?:(?:hoàn thành|thực hiện|ban hành)\s+)?"
    r"(?:trước|sau|trong|từ|đến|vào|chậm nhất(?:\s+là)?|muộn nhất(?:\s+là)?|dự kiến|hạn)?"
)
_PREFIX = re.compile(rf"^{_RELATION}\s*(?:ngày\s*)?")
_WEEKDAY_TAIL = re.compile(r"\s*\([^)]*\)$")

_DATE_SLASH = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_DATE_WORDS = re.compile(r"(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})")
_MONTH = re.compile(r"(?:tháng\s*)?(\d{1,2})[/.\-](\d{4})|tháng\s*(\d{1,2})\s*năm\s*(\d{4})")
_QUARTER = re.compile(r"quý\s*([iv]+|\d)\s*(?:/|năm)?\s*(\d{4})")
_HALF = re.compile(r"(6 tháng đầu năm|6 tháng cuối năm)\s*(\d{4})")
_YEAR = re.compile(r"(?:năm\s*)?(\d{4})")
_RANGE = re.compile(r"(?:giai đoạn|năm|từ năm)?\s*(\d{4})\s*(?:-|đến(?: năm)?)\s*(\d{4})")

_RECURRENCES = {
    "thường xuyên": "continuous",
    "liên tục": "continuous",
    "hằng năm": "yearly",
    "hàng năm": "yearly",
    "định kỳ hằng năm": "yearly",
    "định kỳ hàng năm": "yearly",
    "hằng quý": "quarterly",
    "hàng quý": "quarterly",
    "định kỳ hằng quý": "quarterly",
    "hằng tháng": "monthly",
    "hàng tháng": "monthly",
    "định kỳ hằng tháng": "monthly",
}


def normalise_deadline(text: str | None) -> str | None:
    """A normal value ("2026-09-30", "2026-09", "2026-Q4", "2026-H1", "2026", "2026/2030",
    "yearly" ...) when the whole text is one time expression, else None."""
    key = fold(text).replace(",", "").strip()
    if not key:
        return None
    key = _WEEKDAY_TAIL.sub("", key)
    if key in _RECURRENCES:
        return _RECURRENCES[key]
    body = _PREFIX.sub("", key, count=1).strip()
    return _match_value(body) or _match_value(key)


def _match_value(body: str) -> str | None:
    if found := _DATE_SLASH.fullmatch(body) or _DATE_WORDS.fullmatch(body):
        day, month, year = (int(part) for part in found.groups())
        return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None
    return _match_period(body)


def _match_period(body: str) -> str | None:
    if found := _QUARTER.fullmatch(body):
        numeral, year = found.groups()
        quarter = _ROMAN.get(numeral) or (int(numeral) if numeral.isdigit() else 0)
        return f"{year}-Q{quarter}" if 1 <= quarter <= 4 else None
    if found := _HALF.fullmatch(body):
        half = "H1" if "đầu" in found.group(1) else "H2"
        return f"{found.group(2)}-{half}"
    if found := _MONTH.fullmatch(body):
        month_text, year = (found.group(1), found.group(2)) if found.group(1) else found.group(3, 4)
        month = int(month_text)
        return f"{year}-{month:02d}" if 1 <= month <= 12 else None
    if found := _RANGE.fullmatch(body):
        return f"{found.group(1)}/{found.group(2)}"
    if found := _YEAR.fullmatch(body):
        return found.group(1)
    return None


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
