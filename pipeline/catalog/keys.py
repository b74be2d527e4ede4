"""Folded keys and dates the catalog stores beside the values, so filters match as the evaluator does."""

from __future__ import annotations

import calendar
import re
from datetime import date

from pipeline.evaluate.fold import fold, fold_code


def text_key(value: str | None) -> str | None:
    return fold(value) if value else None


def code_key(value: str | None) -> str | None:
    """Number and symbol without spaces or case: '153/KH-UBND' = '153 / kh-ubnd'."""
    return fold_code(value) or None if value else None


def number_symbol(number: str | None, symbol: str | None) -> str | None:
    if number and symbol:
        return f"{number}/{symbol}"
    return None


def first_day(iso: str | None) -> str | None:
    """The first day of an ISO date, month or year ('2026-03' -> '2026-03-01'); None if none."""
    if not iso:
        return None
    iso = iso[:10]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        return iso
    if re.fullmatch(r"\d{4}-\d{2}", iso):
        return f"{iso}-01"
    if re.fullmatch(r"\d{4}", iso):
        return f"{iso}-01-01"
    return None


def last_day(iso: str | None) -> str | None:
    """The last day of an ISO date, month or year ('2026-02' -> '2026-02-28'); None if none."""
    if not iso:
        return None
    iso = iso[:10]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        return iso
    if m := re.fullmatch(r"(\d{4})-(\d{2})", iso):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            return f"{iso}-{calendar.monthrange(year, month)[1]:02d}"
        return None
    if re.fullmatch(r"\d{4}", iso):
        return f"{iso}-12-31"
    return None


_QUARTER = re.compile(r"^(?:(\d{4})\s*-?\s*Q([1-4])|Q([1-4])\s*[/-]\s*(\d{4}))$", re.IGNORECASE)


def quarter_bounds(text: str) -> tuple[str, str]:
    """'2026-Q3', '2026Q3' or 'Q3/2026' -> ('2026-07-01', '2026-09-30')."""
    m = _QUARTER.match(text.strip())
    if not m:
        raise ValueError(f"not a quarter: {text!r} (write 2026-Q3 or Q3/2026)")
    year = int(m.group(1) or m.group(4))
    quarter = int(m.group(2) or m.group(3))
    first_month = 3 * (quarter - 1) + 1
    end = date(year, first_month + 2, calendar.monthrange(year, first_month + 2)[1])
    return f"{year:04d}-{first_month:02d}-01", end.isoformat()


def version_key(version: str) -> tuple[int, ...]:
    """'0.10.2' -> (0, 10, 2): pipeline versions compare by their numbers."""
    return tuple(int(part) for part in re.findall(r"\d+", version))
