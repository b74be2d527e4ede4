"""Tone-mark repair of OCR words against the lexicon, and the digit fields' safeguards."""

from __future__ import annotations

import pytest

from pipeline.repair import ocr_fields, ocr_words


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("Phôi hợp kiêm soát các hoạt động", "Phối hợp kiểm soát các hoạt động"),
        ("Sửa đối, bỗ sung một số điều", "Sửa đổi, bổ sung một số điều"),
        ("Quy hoạch tông thể phát triển", "Quy hoạch tổng thể phát triển"),
        ("THỨ TRƯƠNG", "THỨ TRƯỞNG"),
        ("trên địa bàn tỉnh Quảng Nzgãi", "trên địa bàn tỉnh Quảng Ngãi"),  # one stray letter
    ],
)
def test_mark_slips_are_repaired_from_word_context(read: str, fixed: str) -> None:
    assert ocr_words.correct_line(read) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "trên địa bàn tỉnh Quảng Ngãi",  # "bàn tính" is a word, but "địa bàn" holds "bàn"
        "mục tiêu quốc gia phòng, chống",  # grave is read reliably: no "gia phong"
        "THƯ TRƯỞNG",  # thủ trưởng or thứ trưởng: two spellings, left alone
        "chuyên hóa đạt",  # a word as read
        "Nguyễn Văn Long",
        "nâng cao Chỉ số PCI, DDCI",  # abbreviations lose no letter
    ],
)
def test_correct_or_ambiguous_text_is_left_alone(text: str) -> None:
    assert ocr_words.correct_line(text) == text


def test_only_changeable_tokens_change() -> None:
    tokens = ["trung", "học", "phố", "thông"]
    assert ocr_words.correct_tokens(tokens, [True] * 4)[2] == "phổ"
    assert ocr_words.correct_tokens(tokens, [True, True, False, True]) == tokens


@pytest.mark.parametrize(
    ("word", "spelled"), [("hoá", "hóa"), ("thuỷ", "thủy"), ("quốc", "quốc"), ("người", "người")]
)
def test_tone_is_placed_as_decree_30_texts_print_it(word: str, spelled: str) -> None:
    assert ocr_words.spell(ocr_words.canonical(word)) == spelled


def test_field_values_need_agreement_and_no_untrusted_four() -> None:
    assert ocr_fields.accepted("number", ["239", "239"], "#39 _") == "239"
    assert ocr_fields.accepted("number", ["29", "729"], "#2") is None
    assert ocr_fields.accepted("number", ["46", "46"], "⁄‡6") is None  # 093: a "16"
    assert ocr_fields.accepted("number", ["3722", "3722"], "3722") == "3722"
    assert ocr_fields.accepted("day", ["42", "42"], "J2") is None  # a 4 again
    assert ocr_fields.accepted("day", ["35", "35"], "") is None  # no such day
    assert ocr_fields.accepted("day", ["", ""], "") is None


def test_untrusted_page_readings() -> None:
    assert ocr_fields.untrusted_reading("445")
    assert not ocr_fields.untrusted_reading("⁄11")
    assert not ocr_fields.untrusted_reading("2“")
