"""Vietnamese time expressions: examples from domain.md §3 and the gold deadlines, plus properties."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.nlp.timex import find_times, parse_time

DOC_YEAR = 2026

# text -> (kind, value, start, end, relation, recurrence)
EXAMPLES: dict[str, tuple[str, str | None, str | None, str | None, str | None, str | None]] = {
    # dates
    "Trước ngày 30/9/2023": ("date", "2023-09-30", "2023-09-30", "2023-09-30", "before", None),
    "ngày 30 tháng 9 năm 2023": ("date", "2023-09-30", "2023-09-30", "2023-09-30", None, None),
    "30-9-2023": ("date", "2023-09-30", "2023-09-30", "2023-09-30", None, None),
    "30.9.2023": ("date", "2023-09-30", "2023-09-30", "2023-09-30", None, None),
    "trước ngày 20/11": ("date", "2026-11-20", "2026-11-20", "2026-11-20", "before", None),
    "hoàn thành trước ngày 30/9/2023": ("date", "2023-09-30", "2023-09-30", "2023-09-30", "by", None),
    "chậm nhất là ngày 15/01/2026": ("date", "2026-01-15", "2026-01-15", "2026-01-15", "by", None),
    "trước thời điểm 30/4/2026": ("date", "2026-04-30", "2026-04-30", "2026-04-30", "before", None),
    "ngày 20/09/2026 (Chủ nhật)": ("date", "2026-09-20", "2026-09-20", "2026-09-20", None, None),
    "nhân ngày Chuyển đổi số Quốc gia 10/10": ("date", "2026-10-10", "2026-10-10", "2026-10-10", None, None),
    "Ban hành kế hoạch chậm nhất là ngày 31/12/2025 và tổ chức mở lớp": (
        "date",
        "2025-12-31",
        "2025-12-31",
        "2025-12-31",
        "by",
        None,
    ),
    "ngày 29/2/2024": ("date", "2024-02-29", "2024-02-29", "2024-02-29", None, None),
    # months
    "Tháng 12/2025": ("month", "2025-12", "2025-12-01", "2025-12-31", None, None),
    "tháng 12 năm 2025": ("month", "2025-12", "2025-12-01", "2025-12-31", None, None),
    "12/2027": ("month", "2027-12", "2027-12-01", "2027-12-31", None, None),
    "6/2027": ("month", "2027-06", "2027-06-01", "2027-06-30", None, None),
    "trong tháng 4/2026": ("month", "2026-04", "2026-04-01", "2026-04-30", "during", None),
    "Ban hành kế hoạch trong tháng 01/2026 và tổ chức thực hiện": (
        "month",
        "2026-01",
        "2026-01-01",
        "2026-01-31",
        "during",
        None,
    ),
    # quarters (EDTF level 2: 33..36)
    "Quý III/2023": ("quarter", "2023-35", "2023-07-01", "2023-09-30", None, None),
    "Quí IV-2025": ("quarter", "2025-36", "2025-10-01", "2025-12-31", None, None),
    "Quý III năm 2026": ("quarter", "2026-35", "2026-07-01", "2026-09-30", None, None),
    "quý I năm 2026": ("quarter", "2026-33", "2026-01-01", "2026-03-31", None, None),
    "Quý 4/2025": ("quarter", "2025-36", "2025-10-01", "2025-12-31", None, None),
    "Trong quý I năm 2026": ("quarter", "2026-33", "2026-01-01", "2026-03-31", "during", None),
    "từ quý II/2026": ("quarter", "2026-34", "2026-04-01", "2026-06-30", "from", None),
    "hoàn thành trong quý III": ("quarter", "2026-35", "2026-07-01", "2026-09-30", "during", None),
    # halves (EDTF semesters 40, 41)
    "6 tháng đầu năm": ("half", "2026-40", "2026-01-01", "2026-06-30", None, None),
    "6 tháng cuối năm 2025": ("half", "2025-41", "2025-07-01", "2025-12-31", None, None),
    "nửa đầu năm": ("half", "2026-40", "2026-01-01", "2026-06-30", None, None),
    # years
    "Năm 2025": ("year", "2025", "2025-01-01", "2025-12-31", None, None),
    "1998": ("year", "1998", "1998-01-01", "1998-12-31", None, None),
    "Trong năm 2026": ("year", "2026", "2026-01-01", "2026-12-31", "during", None),
    "đến năm 2030": ("year", "2030", "2030-01-01", "2030-12-31", "by", None),
    "Bắt đầu thực hiện từ năm 2026": ("year", "2026", "2026-01-01", "2026-12-31", "from", None),
    # ranges
    "2021-2025": ("range", "2021/2025", "2021-01-01", "2025-12-31", None, None),
    "2026 - 2030": ("range", "2026/2030", "2026-01-01", "2030-12-31", None, None),
    "giai đoạn 2026-2030": ("range", "2026/2030", "2026-01-01", "2030-12-31", None, None),
    "Năm 1999 – 2000": ("range", "1999/2000", "1999-01-01", "2000-12-31", None, None),
    "từ năm 2021 đến năm 2025": ("range", "2021/2025", "2021-01-01", "2025-12-31", None, None),
    "Quý IV/2025 - Quý II/2026": ("range", "2025-36/2026-34", "2025-10-01", "2026-06-30", None, None),
    "Từ tháng 3 đến tháng 9/2026": ("range", "2026-03/2026-09", "2026-03-01", "2026-09-30", None, None),
    "từ ngày 11/9/2026 đến ngày 20/9/2026": (
        "range",
        "2026-09-11/2026-09-20",
        "2026-09-11",
        "2026-09-20",
        None,
        None,
    ),
    "từ ngày 11/9 đến hết năm 2026": ("range", "2026-09-11/2026", "2026-09-11", "2026-12-31", None, None),
    "Từ 20 giờ 15 phút - 20 giờ 45 phút ngày 28 tháng 8": (
        "range",
        "2026-08-28T20:15/2026-08-28T20:45",
        "2026-08-28T20:15",
        "2026-08-28T20:45",
        None,
        None,
    ),
    # recurrences
    "Thường xuyên": ("recurrence", None, None, None, None, "continuous"),
    "Liên tục": ("recurrence", None, None, None, None, "continuous"),
    "Hằng năm": ("recurrence", None, None, None, None, "yearly"),
    "Hàng năm": ("recurrence", None, None, None, None, "yearly"),
    "hằng tháng": ("recurrence", None, None, None, None, "monthly"),
    "hằng quý": ("recurrence", None, None, None, None, "quarterly"),
    "từng quý": ("recurrence", None, None, None, None, "quarterly"),
    "định kỳ": ("recurrence", None, None, None, None, "periodic"),
    "Định kỳ hằng tháng": ("recurrence", None, None, None, None, "monthly"),
    "02 lần/năm": ("recurrence", None, None, None, None, "2/year"),
    "Tháng 12 hằng năm": ("recurrence", "--12", None, None, None, "yearly"),
    "trong tháng 01 hằng năm": ("recurrence", "--01", None, None, "during", "yearly"),
    "Định kỳ ngày 20 hàng tháng": ("recurrence", "---20", None, None, None, "monthly"),
    "Trước ngày 05 của tháng liền kề": ("recurrence", "---05", None, None, "before", "monthly"),
    "Trước ngày 31/01 năm liền kề": ("recurrence", "--01-31", None, None, "before", "yearly"),
    "Ban hành kế hoạch chậm nhất là ngày 31/12 năm trước liền kề và tổ chức mở lớp": (
        "recurrence",
        "--12-31",
        None,
        None,
        "by",
        "yearly",
    ),
    "trước ngày 01 tháng 6 và ngày 01 tháng 12 hàng năm": (
        "recurrence",
        "--12-01",
        None,
        None,
        "before",
        "yearly",
    ),
    "Báo cáo định kỳ theo thời gian quy định; thực hiện hằng năm": (
        "recurrence",
        None,
        None,
        None,
        None,
        "yearly",
    ),
    # recurrence + a time: the time gives the kind
    "Thường xuyên trong năm": ("year", "2026", "2026-01-01", "2026-12-31", "during", "continuous"),
    "Liên tục từ năm 2028": ("year", "2028", "2028-01-01", "2028-12-31", "from", "continuous"),
    "Liên tục và hoàn thành tổng thể trong tháng 6/2027": (
        "month",
        "2027-06",
        "2027-06-01",
        "2027-06-30",
        "during",
        "continuous",
    ),
    # several milestones: the last one
    "Ban hành kế hoạch trong tháng 01/2026, tổ chức kiểm tra chậm nhất trong tháng 6/2026 và báo cáo "
    "kết quả chậm nhất trong tháng 8/2026": ("month", "2026-08", "2026-08-01", "2026-08-31", "by", None),
    # no time
    "Theo kế hoạch riêng": ("unknown", None, None, None, None, None),
    "Khi có phát sinh": ("unknown", None, None, None, None, None),
    "Theo hướng dẫn của Trung ương": ("unknown", None, None, None, None, None),
    "Theo các mốc thời gian tại Quyết định số 1737/QĐ-UBND ngày 17/10/2025 của Chủ tịch UBND tỉnh": (
        "unknown",
        None,
        None,
        None,
        None,
        None,
    ),
    "Sau 03 tháng kể từ khi có văn bản của Trung ương": ("unknown", None, None, None, "after", None),
    # invalid dates are no dates
    "31/2/2023": ("unknown", None, None, None, None, None),
    "ngày 29/2/2023": ("unknown", None, None, None, None, None),
    "13/2025": ("unknown", None, None, None, None, None),
    "Quý V/2023": ("unknown", None, None, None, None, None),
}


@pytest.mark.parametrize("text", list(EXAMPLES))
def test_parse_time_examples(text: str) -> None:
    value = parse_time(text, DOC_YEAR)
    assert value is not None
    got = (value.kind, value.value, value.start, value.end, value.relation, value.recurrence)
    assert got == EXAMPLES[text]
    assert value.text == " ".join(text.split())


def test_empty_cell_is_none() -> None:
    assert parse_time("", 2026) is None
    assert parse_time("   \n ", 2026) is None


def test_no_doc_year_leaves_yearless_values_open() -> None:
    value = parse_time("trước ngày 20/11")
    assert value is not None
    assert (value.kind, value.value, value.relation) == ("date", None, "before")


def test_every_gold_deadline_parses(corpus: Path) -> None:
    """Each non-empty gold deadline cell gives a TimeValue keeping its text."""
    for gold in sorted((corpus / "gold").glob("*.json")):
        record = json.loads(gold.read_text(encoding="utf-8"))
        for task in (record.get("plan") or {}).get("tasks") or []:
            cell = task.get("deadline")
            if cell:
                value = parse_time(cell, 2026)
                assert value is not None and value.text == " ".join(cell.split())


# ---- find_times ----------------------------------------------------------------------------------


def test_find_times_in_a_sentence() -> None:
    text = "Sở Nội vụ chủ trì, phối hợp với Sở Tài chính hoàn thành trước ngày 30/9/2023."
    [(start, end, value)] = find_times(text, 2023)
    assert text[start:end] == "ngày 30/9/2023" == value.text
    assert (value.value, value.relation) == ("2023-09-30", "by")


def test_find_times_skips_cited_document_dates_and_bare_fractions() -> None:
    text = (
        "Căn cứ Quyết định số 1737/QĐ-UBND ngày 17/10/2025 của Chủ tịch UBND tỉnh; "
        "đạt 3/5 chỉ tiêu; triển khai trong Quý III/2026 và báo cáo hằng quý."
    )
    found = [(text[s:e], v.kind, v.value) for s, e, v in find_times(text, 2026)]
    assert found == [("Quý III/2026", "quarter", "2026-35"), ("hằng quý", "recurrence", None)]


def test_find_times_several() -> None:
    text = "Phấn đấu đến năm 2030 đạt 100%; riêng 6 tháng đầu năm 2026 đạt 50%, tổ chức 02 lần/năm."
    found = [(text[s:e], v.value, v.relation, v.recurrence) for s, e, v in find_times(text)]
    assert found == [
        ("năm 2030", "2030", "by", None),
        ("6 tháng đầu năm 2026", "2026-40", None, None),
        ("02 lần/năm", None, None, "2/year"),
    ]


def test_find_times_range_with_period_word() -> None:
    text = "Kế hoạch cải cách hành chính giai đoạn 2026 - 2030 của tỉnh"
    [(start, end, value)] = find_times(text)
    assert text[start:end] == "2026 - 2030"
    assert (value.kind, value.start, value.end) == ("range", "2026-01-01", "2030-12-31")


def test_find_times_ignores_bare_year_and_numbers() -> None:
    assert find_times("Chỉ số PAPI 2026 đạt 45,5 điểm, 121.732 tỷ đồng") == []


# ---- properties ----------------------------------------------------------------------------------

DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))


@given(DATES, st.sampled_from(["/", "-", "."]), st.booleans())
def test_any_date_before(d: date, sep: str, pad: bool) -> None:
    day, month = (f"{d.day:02d}", f"{d.month:02d}") if pad else (str(d.day), str(d.month))
    value = parse_time(f"trước ngày {day}{sep}{month}{sep}{d.year}")
    assert value is not None
    assert (value.kind, value.value, value.relation) == ("date", d.isoformat(), "before")
    assert value.start == value.end == d.isoformat()


@given(DATES)
def test_any_date_in_words(d: date) -> None:
    value = parse_time(f"chậm nhất là ngày {d.day} tháng {d.month} năm {d.year}")
    assert value is not None
    assert (value.value, value.relation) == (d.isoformat(), "by")


@given(DATES)
def test_any_date_without_year_takes_doc_year(d: date) -> None:
    value = parse_time(f"trước ngày {d.day}/{d.month}", doc_year=d.year)
    assert value is not None
    assert value.value == d.isoformat()


@given(st.integers(1, 31), st.integers(1, 12), st.integers(1900, 2199))
def test_impossible_dates_are_rejected(day: int, month: int, year: int) -> None:
    try:
        date(year, month, day)
    except ValueError:
        value = parse_time(f"ngày {day}/{month}/{year}")
        assert value is not None and value.kind == "unknown"


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@given(
    st.integers(1, 4),
    st.integers(1900, 2199),
    st.sampled_from(["Quý", "quý", "QUÝ", "Quí"]),
    st.sampled_from(["roman", "arabic"]),
    st.sampled_from(["/", "-", " năm ", " - "]),
)
def test_any_quarter(q: int, year: int, word: str, numeral: str, sep: str) -> None:
    label = ROMAN[q] if numeral == "roman" else str(q)
    value = parse_time(f"{word} {label}{sep}{year}")
    assert value is not None
    assert (value.kind, value.value) == ("quarter", f"{year}-{32 + q}")
    assert value.start == date(year, 3 * q - 2, 1).isoformat()
    assert value.end is not None and date.fromisoformat(value.end).month == 3 * q


@given(st.integers(1, 12), st.integers(1900, 2199), st.sampled_from(["/", "-", " năm "]))
def test_any_month(month: int, year: int, sep: str) -> None:
    value = parse_time(f"Tháng {month}{sep}{year}")
    assert value is not None
    assert (value.kind, value.value) == ("month", f"{year}-{month:02d}")


@given(st.integers(1900, 2150), st.integers(1, 30), st.sampled_from(["-", " - ", " – ", " đến "]))
def test_any_year_range(first: int, length: int, sep: str) -> None:
    value = parse_time(f"giai đoạn {first}{sep}{first + length}")
    assert value is not None
    assert (value.kind, value.value) == ("range", f"{first}/{first + length}")
    assert (value.start, value.end) == (f"{first}-01-01", f"{first + length}-12-31")


@given(DATES, st.text(alphabet="abc xyzàáạ,;", max_size=20), st.text(alphabet="abc xyzàáạ,;", max_size=20))
def test_find_times_spans_point_into_the_text(d: date, left: str, right: str) -> None:
    text = f"{left} trước ngày {d.day}/{d.month}/{d.year} {right}"
    found = find_times(text)
    assert [(v.value, v.relation) for _, _, v in found] == [(d.isoformat(), "before")]
    start, end, value = found[0]
    assert text[start:end] == value.text
