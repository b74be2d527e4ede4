"""Vietnamese numbers: separators, percentages, money, number words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.nlp.numbers import Money, parse_money, parse_number, parse_number_words, parse_percent

NUMBERS: dict[str, int | float | None] = {
    "121.732": 121732,
    "1.234.567": 1234567,
    "41,7": 41.7,
    "0,5": 0.5,
    "100": 100,
    "01": 1,
    "1.500": 1500,  # Vietnamese thousands group wins over the English decimal
    "1.5": 1.5,  # not a thousands group: a decimal typed the English way
    "1.234,5": 1234.5,
    "1,234.5": 1234.5,
    "1,234,567": 1234567,
    "1.2.3": None,
    "1,2,3": None,
    "abc": None,
    "": None,
}


@pytest.mark.parametrize("text", list(NUMBERS))
def test_parse_number(text: str) -> None:
    assert parse_number(text) == NUMBERS[text]


def test_parse_number_types() -> None:
    assert isinstance(parse_number("121.732"), int)
    assert isinstance(parse_number("41,7"), float)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("41,7%", 41.7), ("100 %", 100), ("95 phần trăm", 95), ("100", None), ("%", None)],
)
def test_parse_percent(text: str, expected: float | None) -> None:
    assert parse_percent(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("121.732 tỷ đồng", Money(121732, "tỷ đồng", 121_732_000_000_000)),
        ("5 triệu đồng", Money(5, "triệu đồng", 5_000_000)),
        ("1,5 tỷ đồng", Money(1.5, "tỷ đồng", 1_500_000_000)),
        ("200 nghìn đồng", Money(200, "nghìn đồng", 200_000)),
        ("200 ngàn đồng", Money(200, "ngàn đồng", 200_000)),
        ("50.000 đồng", Money(50000, "đồng", 50000)),
        ("3 nghìn tỷ đồng", Money(3, "nghìn tỷ đồng", 3_000_000_000_000)),
        ("2,5 tỉ đồng", Money(2.5, "tỉ đồng", 2_500_000_000)),
        ("121.732 người", None),
    ],
)
def test_parse_money(text: str, expected: Money | None) -> None:
    assert parse_money(text) == expected


WORDS = {
    "không": 0,
    "năm": 5,
    "mười": 10,
    "mười một": 11,
    "mười lăm": 15,
    "mười bốn": 14,
    "mười tư": 14,
    "hai mươi": 20,
    "hai mươi mốt": 21,
    "hai mươi một": 21,
    "hai mươi tư": 24,
    "hai mươi bốn": 24,
    "hai mươi lăm": 25,
    "hai mươi nhăm": 25,
    "năm mươi lăm": 55,
    "một trăm": 100,
    "một trăm linh năm": 105,
    "một trăm lẻ năm": 105,
    "một trăm linh tư": 104,
    "một trăm mười": 110,
    "bảy trăm bẩy mươi bảy": 777,
    "một nghìn": 1000,
    "hai ngàn lẻ năm": 2005,
    "một nghìn không trăm linh năm": 1005,
    "một nghìn lẻ hai mươi": 1020,
    "mười nghìn": 10000,
    "ba triệu hai trăm nghìn": 3_200_000,
    "một tỷ": 1_000_000_000,
    "hai tỉ lẻ một": 2_000_000_001,
    "một nghìn tỷ": 1_000_000_000_000,
    "Mười Lăm": 15,
    # not numbers
    "mười năm": None,  # "ten years", not 15
    "mươi": None,
    "mốt": None,
    "một trăm linh mười": None,
    "xin chào": None,
    "mười lăm phần trăm": None,
    "": None,
}


@pytest.mark.parametrize("text", list(WORDS))
def test_parse_number_words(text: str) -> None:
    assert parse_number_words(text) == WORDS[text]


# ---- properties ----------------------------------------------------------------------------------

UNITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _below_hundred(n: int) -> str:
    """Reference spelling (textbook forms: mốt, tư, lăm after mươi; lăm after mười)."""
    tens, unit = divmod(n, 10)
    if tens == 0:
        return UNITS[unit]
    head = "mười" if tens == 1 else f"{UNITS[tens]} mươi"
    if unit == 0:
        return head
    if unit == 5:
        return f"{head} lăm"
    if unit == 1 and tens > 1:
        return f"{head} mốt"
    if unit == 4 and tens > 1:
        return f"{head} tư"
    return f"{head} {UNITS[unit]}"


def _group(n: int, inner: bool) -> str:
    """A group below a thousand; ``inner`` groups spell zero hundreds ("không trăm linh năm")."""
    hundreds, rest = divmod(n, 100)
    if hundreds == 0 and not inner:
        return _below_hundred(rest)
    head = f"{UNITS[hundreds]} trăm"
    if rest == 0:
        return head
    return f"{head} linh {UNITS[rest]}" if rest < 10 else f"{head} {_below_hundred(rest)}"


def spell(n: int) -> str:
    if n == 0:
        return "không"
    parts: list[str] = []
    for scale, word in ((10**9, "tỷ"), (10**6, "triệu"), (10**3, "nghìn"), (1, "")):
        group, n = divmod(n, scale)
        if group:
            parts.append(f"{_group(group, inner=bool(parts))} {word}".strip())
    return " ".join(parts)


@given(st.integers(0, 999_999_999_999))
def test_number_words_round_trip(n: int) -> None:
    assert parse_number_words(spell(n)) == n


def test_num2words_round_trip() -> None:
    """Cross-check against an independent speller (dev dependency num2words, if installed)."""
    num2words = pytest.importorskip("num2words").num2words
    for n in [*range(0, 2100), 10_005, 100_015, 1_000_001, 1_234_567, 2_000_000_001, 999_999_999_999]:
        assert parse_number_words(num2words(n, lang="vi")) == n


@given(st.integers(0, 10**12))
def test_thousands_groups_round_trip(n: int) -> None:
    assert parse_number(f"{n:,}".replace(",", ".")) == n


@given(st.integers(0, 10**6), st.integers(1, 99))
def test_decimal_comma_round_trip(whole: int, hundredths: int) -> None:
    text = f"{whole},{hundredths:02d}"
    assert parse_number(text) == pytest.approx(whole + hundredths / 100)
