"""A handwritten day or month read with one digit too few gives a wrong date, worse than none:
where the page reading holds a digit and more ink, a one-digit reading is not trusted."""

from __future__ import annotations

import pytest

from pipeline.repair import ocr_fields
from pipeline.repair.handwriting import Reading


@pytest.mark.parametrize(
    ("recogniser", "page", "text"),
    [
        # "21" with a hooked 1: the recogniser sees "2", the page reading "2-{".
        (",ngy2 thing  12 nam 2", "ngày2-{ tháng 12", "ngày ? tháng 12"),
        # "11": the recogniser sees "1", the page reading "44".
        ("ngày 1o thng 1 nam 2", "ngày 4o tháng 44", "ngày ? tháng ?"),
    ],
)
def test_a_digit_dropped_by_the_recogniser_leaves_the_field_illegible(
    recogniser: str, page: str, text: str
) -> None:
    assert ocr_fields.date_value(Reading(recogniser, 0.9), page) == (None, text)


def test_one_digit_read_by_both_stays() -> None:
    assert ocr_fields.date_value(Reading(", ngày 10 tháng 3 năm ", 0.9), "ngày 10 tháng 3") == (
        "10/3",
        "ngày 10 tháng 3",
    )


def test_a_page_reading_of_marks_only_does_not_block_the_recogniser() -> None:
    # The month's "4" read as brackets by the page reading: no digit there, the recogniser's 4 holds.
    assert ocr_fields.date_value(Reading(", ngày2 4 tháng 4 năm2", 0.8), "ngày,94 tháng ({")[0] == "24/4"
