"""Target sentences: value, unit, comparator, year (gold conventions of ANNOTATION.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.evaluate import batch_ids
from pipeline.nlp.targets import parse_target

# sentence -> (value, unit, comparator, year), default year 2026
EXAMPLES: dict[str, tuple[float, str | None, str, int | None]] = {
    "Phấn đấu đến năm 2030 tỷ lệ hài lòng đạt 100%": (100, "%", "=", 2030),
    "Mức độ hài lòng đạt tối thiểu 95%.": (95, "%", ">=", 2026),
    "Tỷ lệ hồ sơ trực tuyến toàn trình đạt từ 90% trở lên": (90, "%", ">=", 2026),
    "Tỷ lệ giải ngân năm 2026 đạt trên 90%.": (90, "%", ">", 2026),
    "Từ trên 70% văn bản được ký số.": (70, "%", ">", 2026),
    "Tỷ lệ hộ nghèo giảm xuống dưới 5%": (5, "%", "<", 2026),
    "Tỷ lệ hồ sơ trễ hạn không quá 2%": (2, "%", "<=", 2026),
    "Chi phí tối đa 1,5%": (1.5, "%", "<=", 2026),
    "Tăng trưởng kinh tế đạt 41,7%": (41.7, "%", "=", 2026),
    "Tổ chức ít nhất 50 lớp": (50, "lớp", ">=", 2026),
    # the unit keeps its noun phrase, as gold does ("kỹ sư tin học", "địa bàn cấp xã")
    "Tổ chức ít nhất 50 lớp bồi dưỡng cho cán bộ": (50, "lớp bồi dưỡng", ">=", 2026),
    "Chỉ số PAR Index xếp hạng trong nhóm 40 tỉnh, thành phố dẫn đầu": (40, "tỉnh, thành phố", "top", 2026),
    "Chỉ số PAPI năm 2026 nằm trong nhóm 30 tỉnh, thành phố dẫn đầu cả nước.": (
        30,
        "tỉnh, thành phố",
        "top",
        2026,
    ),
    "Hằng năm mỗi cơ quan, đơn vị phải có ít nhất 01 sáng kiến/mô hình/ giải pháp về cải cách hành chính": (
        1,
        "sáng kiến/mô hình/giải pháp",
        ">=",
        2026,
    ),
    "Định kỳ phát sóng mỗi tháng 02 chuyên mục vào thời gian từ 20 giờ 15 phút": (
        2,
        "chuyên mục/tháng",
        "=",
        2026,
    ),
    "hằng quý có ít nhất 01 tin, bài về thực hiện CCHC": (1, "tin, bài/quý", ">=", 2026),
    "duy trì công tác giao ban ít nhất 01 lần/tháng đối với các địa bàn": (1, "lần/tháng", ">=", 2026),
    "đảm bảo thoát nước nhanh với trận mưa có cường độ 310mm/2 ngày tại khu vực": (
        310,
        "mm/2 ngày",
        "=",
        2026,
    ),
    "năm 1998 là 30 đồng chí, chiếm 20% tổng số cán bộ": (30, "đồng chí", "=", 1998),
    "Năm 1999 – 2000: 100 % tin học hoá khâu hành chính": (100, "%", "=", 2000),
    "phấn đấu đến năm 2030 đạt ít nhất 50% số xã": (50, "%", ">=", 2030),
    "riêng năm 2025 phấn đấu xây dựng được ít nhất 20% xã": (20, "%", ">=", 2025),
    "Yêu cầu khoảng 80% đơn vị vào cuối năm 1998": (80, "%", "=", 1998),
    "Kế hoạch giai đoạn 2026 - 2030: 100% thủ tục hành chính được công khai": (100, "%", "=", 2030),
    "Đào tạo ít nhất là 2 chuyên viên cho mỗi đơn vị": (2, "chuyên viên", ">=", 2026),
    "Tỉnh uỷ cần có ít nhất hai kỹ sư tin học": (2, "kỹ sư tin học", ">=", 2026),
    "100% thủ tục hành chính được tiếp nhận (trừ khoản 3 Điều 14 Nghị định số 118/2025/NĐ-CP).": (
        100,
        "%",
        "=",
        2026,
    ),
    "Đối với 29 xã, phường, đặc khu có Quyết định công nhận không ma túy năm 2025": (
        29,
        "xã, phường, đặc khu",
        "=",
        2026,
    ),
}


@pytest.mark.parametrize("sentence", list(EXAMPLES))
def test_parse_target_examples(sentence: str) -> None:
    target = parse_target(sentence, 2026)
    assert target is not None
    assert (target.value, target.unit, target.comparator, target.year) == EXAMPLES[sentence]


def test_span_covers_number_and_unit() -> None:
    sentence = "Tổ chức ít nhất 50 lớp bồi dưỡng cho cán bộ"
    target = parse_target(sentence, 2026)
    assert target is not None
    assert sentence[target.span[0] : target.span[1]] == "50 lớp bồi dưỡng"


@pytest.mark.parametrize(
    "sentence",
    ["Nâng cao chất lượng phục vụ người dân", "Thực hiện theo Nghị định số 118/2025/NĐ-CP", "Trong năm 2026"],
)
def test_no_quantity(sentence: str) -> None:
    assert parse_target(sentence, 2026) is None


def test_year_defaults() -> None:
    target = parse_target("100% văn bản được ký số", None)
    assert target is not None and target.year is None
    target = parse_target("100% văn bản được ký số", 2030)
    assert target is not None and target.year == 2030


def _gold_targets(corpus: Path, batch: str) -> list[dict[str, object]]:
    targets: list[dict[str, object]] = []
    for doc_id in batch_ids(corpus / "manifest.jsonl", batch):
        record = json.loads((corpus / "gold" / f"{doc_id}.json").read_text(encoding="utf-8"))
        targets += (record.get("plan") or {}).get("targets") or []
    return targets


# Share of gold targets whose value, unit, comparator and year the parser gets right, per
# corpus batch: the first collection's as pinned, the 2026-12 batch's as first measured
# (18 of 30: ranking targets and web articles' phrasings were new to it).
TARGET_FLOORS = {"base": 0.95, "2026-12": 0.60}


@pytest.mark.parametrize("batch", sorted(TARGET_FLOORS))
def test_gold_targets_match(corpus: Path, batch: str) -> None:
    """Value, unit, comparator and year agree with gold on the batch's share of its targets."""
    targets = _gold_targets(corpus, batch)
    assert targets
    matched = 0
    for gold in targets:
        year = gold["year"]
        target = parse_target(str(gold["text"]), year if isinstance(year, int) else None)
        if target and (target.value, target.unit, target.comparator, target.year) == (
            gold["value"],
            gold["unit"],
            gold["comparator"],
            gold["year"],
        ):
            matched += 1
    assert matched / len(targets) >= TARGET_FLOORS[batch]


COMPARATORS = {
    "tối thiểu": ">=",
    "ít nhất": ">=",
    "trên": ">",
    "dưới": "<",
    "không quá": "<=",
    "tối đa": "<=",
    "đạt": "=",
}


@given(st.sampled_from(sorted(COMPARATORS)), st.integers(1, 100), st.integers(2000, 2100))
def test_percent_comparator_and_year(word: str, value: int, year: int) -> None:
    target = parse_target(f"Phấn đấu đến năm {year} tỷ lệ đạt {word} {value}%", None)
    assert target is not None
    assert (target.value, target.unit, target.comparator, target.year) == (
        value,
        "%",
        COMPARATORS[word],
        year,
    )


def test_a_number_glued_to_a_capital_is_no_quantity() -> None:
    target = parse_target("Đầu tư mới trạm 5G: 35 trạm (Trong đó: MobiFone: 09 trạm)", 2030)
    assert target is not None and (target.value, target.unit) == (35, "trạm")


def test_a_percentage_range_asks_for_at_least_its_lower_bound() -> None:
    target = parse_target("Tỷ lệ vốn ngân sách nhà nước dự kiến: 85%-90% tổng vốn đầu tư.", 2030)
    assert target is not None and (target.value, target.unit, target.comparator) == (85, "%", ">=")
