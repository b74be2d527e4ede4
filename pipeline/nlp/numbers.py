"""Vietnamese numbers: digit strings, percentages, money amounts and number words.

Digit strings follow the Vietnamese convention: "." groups thousands and "," is the decimal mark
("121.732" = 121732, "41,7" = 41.7). A dot followed by something other than groups of exactly three
digits cannot be a thousands separator, so "1.5" is read as the decimal 1.5 (English habit, common in
tables typed by hand). "1.500" stays 1500: the Vietnamese reading wins when both are possible. When
both marks appear, the last one is the decimal mark ("1.234,5" and "1,234.5" are both 1234.5); repeated
commas ("1,234,567") can only be English thousands groups.

Number words ("hai mươi mốt", "một trăm linh năm") are parsed by a small strict grammar written here.
Why not a library: PyPI has ``vietnam-number`` (GPL-3.0, which this Apache-2.0 project cannot take as
a dependency) and ``vn-numberwords`` (MIT, one release, no validation: it turns "xin chào" into 0 and
"mười lăm phần trăm" into 500), which is unsafe on running text where most words are not numbers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

Number = int | float

_DATA = Path(__file__).resolve().parents[1] / "data" / "number_words.json"

# Digits with optional "." / "," / " " groups; the sign is left to the caller.
NUMBER_PATTERN = r"\d+(?:[.,]\d+)*"
_NUMBER = re.compile(rf"^\s*({NUMBER_PATTERN})\s*$")
_THOUSANDS_GROUPS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")


@cache
def number_words() -> dict[str, Any]:
    """The word tables of pipeline/data/number_words.json."""
    data: dict[str, Any] = json.loads(_DATA.read_text(encoding="utf-8"))
    return data


def _as_number(value: float, integral: bool) -> Number:
    return int(value) if integral else value


def parse_number(text: str) -> Number | None:
    """A digit string with Vietnamese separators; None if it is not one number."""
    match = _NUMBER.match(text)
    if not match:
        return None
    digits = match.group(1)
    dot, comma = digits.rfind("."), digits.rfind(",")
    if dot < 0 and comma < 0:
        return int(digits)
    if dot >= 0 and comma >= 0:
        decimal = "." if dot > comma else ","
        grouping = "," if decimal == "." else "."
        whole, _, fraction = digits.rpartition(decimal)
        return float(f"{whole.replace(grouping, '')}.{fraction}")
    if dot >= 0:
        if _THOUSANDS_GROUPS.match(digits):
            return int(digits.replace(".", ""))
        if digits.count(".") == 1:
            return float(digits)  # "1.5": cannot be a thousands group, so a decimal
        return None
    if digits.count(",") > 1:
        # Only English thousands groups repeat the comma.
        return int(digits.replace(",", "")) if re.match(r"^\d{1,3}(?:,\d{3})+$", digits) else None
    whole, _, fraction = digits.partition(",")
    return float(f"{whole}.{fraction}")


_PERCENT = re.compile(rf"^\s*({NUMBER_PATTERN})\s*(?:%|phần\s+trăm)\s*$", re.IGNORECASE)


def parse_percent(text: str) -> Number | None:
    """ "41,7%" -> 41.7, "100 %" -> 100, "95 phần trăm" -> 95."""
    match = _PERCENT.match(text)
    return parse_number(match.group(1)) if match else None


@dataclass(frozen=True)
class Money:
    """An amount as printed ("121.732", "tỷ đồng") and its value in đồng."""

    value: Number
    unit: str
    dong: Number


def _money_pattern() -> re.Pattern[str]:
    units = sorted(number_words()["money_units"], key=len, reverse=True)
    alternatives = "|".join(re.escape(unit).replace(r"\ ", r"\s+") for unit in units)
    return re.compile(rf"^\s*({NUMBER_PATTERN})\s*({alternatives})\.?\s*$", re.IGNORECASE)


@cache
def _money() -> re.Pattern[str]:
    return _money_pattern()


def parse_money(text: str) -> Money | None:
    """ "121.732 tỷ đồng" -> Money(121732, "tỷ đồng", 121732 * 10**9)."""
    match = _money().match(text)
    if not match:
        return None
    value = parse_number(match.group(1))
    if value is None:
        return None
    unit = " ".join(match.group(2).lower().split())
    factor: int = number_words()["money_units"][unit]
    dong = value * factor
    return Money(value=value, unit=unit, dong=int(dong) if float(dong).is_integer() else dong)


# ---- number words -----------------------------------------------------------------------------


class _Words:
    """Cursor over lower-case syllables; each grammar rule advances it or leaves it unchanged."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self, ahead: int = 0) -> str | None:
        j = self.i + ahead
        return self.tokens[j] if j < len(self.tokens) else None

    def take_from(self, table: dict[str, int] | list[str]) -> str | None:
        token = self.peek()
        if token is not None and token in table:
            self.i += 1
            return token
        return None


def _tens_and_units(words: _Words, allow_zero_tens: bool, had_hundreds: bool = False) -> int | None:
    """The part of a group below one hundred, or None if nothing there."""
    table = number_words()
    if allow_zero_tens and words.take_from(table["zero_tens"]):
        if had_hundreds:  # "một trăm linh năm" = 105: a single digit follows
            unit = words.take_from(table["unit_after_zero_tens"])
            return table["unit_after_zero_tens"][unit] if unit else None
        # After a scale num2words also writes "một nghìn lẻ hai mươi" = 1020 (no hundreds).
        return _tens_and_units(words, allow_zero_tens=False)
    if words.take_from(table["ten"]):
        unit = words.take_from(table["unit_after_ten"])
        return 10 + (table["unit_after_ten"][unit] if unit else 0)
    digit = words.peek()
    if digit in table["digits"] and table["digits"][digit] >= 2 and words.peek(1) in table["tens_marker"]:
        words.i += 2
        unit = words.take_from(table["unit_after_tens"])
        return table["digits"][digit] * 10 + (table["unit_after_tens"][unit] if unit else 0)
    if digit in table["digits"] and words.peek(1) not in table["hundred"]:
        words.i += 1
        return int(table["digits"][digit])
    return None


def _group(words: _Words, after_scale: bool) -> int | None:
    """One group below a thousand: "[D trăm] [linh D | mười U | D mươi U | D]"."""
    table = number_words()
    start = words.i
    hundreds = None
    digit = words.peek()
    if digit in table["digits"] and words.peek(1) in table["hundred"]:
        hundreds = table["digits"][digit]
        words.i += 2
    had_hundreds = hundreds is not None
    rest = _tens_and_units(words, allow_zero_tens=had_hundreds or after_scale, had_hundreds=had_hundreds)
    if hundreds is None and rest is None:
        words.i = start
        return None
    return (hundreds or 0) * 100 + (rest or 0)


def parse_number_words(text: str) -> int | None:
    """ "hai mươi mốt" -> 21, "một trăm linh năm" -> 105, "ba triệu hai trăm nghìn" -> 3200000.

    Strict: every word must belong to the number, so "mười năm" (ten years) is None, not 15.
    Colloquial short forms ("trăm hai" for 120) are not read.
    """
    tokens = re.split(r"[\s\-]+", text.strip().lower())
    if not tokens or tokens == [""]:
        return None
    scales: dict[str, int] = number_words()["scales"]
    words = _Words(tokens)
    total, largest, after_scale = 0, 0, False
    while words.peek() is not None:
        group = _group(words, after_scale)
        scale_word = words.take_from(scales)
        if group is None and scale_word is None:
            return None
        if scale_word is None:
            total += group or 0
            break
        scale = scales[scale_word]
        if group is None and total == 0:
            group = 1  # "nghìn" alone
        if scale > largest and total:
            total = (total + (group or 0)) * scale  # "một nghìn tỷ": the scale multiplies all before
        else:
            total += (group or 0) * scale
        largest = max(largest, scale)
        after_scale = True
    if words.peek() is not None:
        return None
    return total
