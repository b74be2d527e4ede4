"""What counts as OCR noise on a scan's line, and what is a word that only looks like one."""

from __future__ import annotations

import pytest

from pipeline.repair.ocr_noise import is_debris, is_speck


@pytest.mark.parametrize("token", ["2iãi8", "lmà|š", "P", "9945900990490"])
def test_specks_and_stamp_serials_are_debris(token: str) -> None:
    assert is_debris(token)


def test_punctuation_no_line_holds_inside_is_a_speck() -> None:
    assert is_speck("-_") and not is_speck("-")


@pytest.mark.parametrize("token", ["V,", "X", "II", "UBND", "2025-2030.", "Đồng"])
def test_numerals_codes_and_words_are_not(token: str) -> None:
    # "lần thứ V," ends a summary line on a scan: the numeral is part of the trích yếu.
    assert not is_debris(token)
