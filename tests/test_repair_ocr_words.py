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


def test_a_grave_changes_only_in_loose_tokens() -> None:
    # "cơ chế đặc thù" read "đặc thủ"; grave and hook are told apart on most words.
    tokens = ["cơ", "chế", "đặc", "thủ", "xây", "dựng"]
    assert ocr_words.correct_tokens(tokens, [True] * 6) == tokens
    assert ocr_words.correct_tokens(tokens, [True] * 6, [False, False, False, True, False, False])[3] == "thù"


@pytest.mark.parametrize(
    ("word", "spelled"), [("hoá", "hóa"), ("thuỷ", "thủy"), ("quốc", "quốc"), ("người", "người")]
)
def test_tone_is_placed_as_decree_30_texts_print_it(word: str, spelled: str) -> None:
    assert ocr_words.spell(ocr_words.canonical(word)) == spelled


def test_number_readings_need_digits_alone_and_confidence() -> None:
    reading = ocr_fields.Reading
    assert ocr_fields.number_value(reading("3722/", 0.97), "3722") == "3722"  # the symbol's slash cut in
    assert ocr_fields.number_value(reading("115", 0.96), "445") == "115"
    assert ocr_fields.number_value(reading("M", 0.71), "⁄11") is None  # a handwritten 11
    assert ocr_fields.number_value(reading("f93", 0.95), "") is None  # a letter: no number
    assert ocr_fields.number_value(reading("04", 0.85), "04") == "04"  # unsure, but the page agrees
    assert ocr_fields.number_value(reading("3.", 0.70), "3ƒ _") is None  # "37", the 7 lost
    assert ocr_fields.number_value(None, "239") is None


def test_date_line_readings_give_day_and_month_or_blanks() -> None:
    reading = ocr_fields.Reading
    # Read whole; the page reading's "{" is replaced.
    assert ocr_fields.date_value(reading(" ngày11 tháng 5 năm", 0.94), "ngày{ tháng 5") == (
        "11/5",
        "ngày 11 tháng 5",
    )
    # The handwritten 4 of the month reads "H": the page reading stays for it.
    assert ocr_fields.date_value(reading("ngày 29 tháng H nǎm", 0.9), "ngày #3 tháng !") == (
        None,
        "ngày 29 tháng !",
    )
    # No day 45; the page reading's "Z" is kept (the header parser finds it illegible).
    assert ocr_fields.date_value(reading("ngày45 tháng 4 năm", 0.9), "ngày Z tháng 4") == (
        None,
        "ngày Z tháng 4",
    )
    # Wide handwriting splits the day.
    assert ocr_fields.date_value(reading(", ngày2 4 tháng 4 năm2", 0.8), "ngày,94 tháng ({") == (
        "24/4",
        "ngày 24 tháng 4",
    )
    # The recogniser's slips in the printed words: "n" of "ngày" lost, "tháng" read "thing", "năm"
    # read "āam" or cut to "m" by the crop's edge; the handwritten day and month still count.
    assert ocr_fields.date_value(reading(",ngày 20 tháng 3 m 2", 0.87), "ngày |2 tháng 3") == (
        "20/3",
        "ngày 20 tháng 3",
    )
    assert ocr_fields.date_value(reading("i, gày 25tháng 7 āam 2", 0.86), "ngày 2# tháng 7") == (
        "25/7",
        "ngày 25 tháng 7",
    )
    assert ocr_fields.date_parts(",ngy2 thing  12 nam 2") == ("2", "12")
    # A month of letters ("MM" for a handwritten 11) is no year label: the month stays illegible.
    assert ocr_fields.date_value(reading(", ngy 28 tháng MM năm 2", 0.84), "ngày. tháng 4|_") == (
        None,
        "ngày 28 tháng ?",
    )
    # A page reading with a 4 the recogniser did not confirm is blanked.
    assert ocr_fields.date_value(None, "ngày 44 tháng 9") == (None, "ngày ? tháng 9")
    # A draft's blank day stays blank (the header gives the month); a garbled line is illegible.
    assert ocr_fields.date_value(None, "ngày  tháng 3") == (None, "ngày  tháng 3")
    assert ocr_fields.date_value(reading("~~", 0.5), "~ ~") == (None, "ngày ? tháng ?")
    # Something the recogniser saw where the page reading has nothing is not a blank.
    assert ocr_fields.date_value(reading("ngày 4Z tháng 3 năm", 0.6), "ngày  tháng 3") == (
        None,
        "ngày ? tháng 3",
    )


def test_untrusted_page_readings() -> None:
    assert ocr_fields.untrusted_reading("445")
    assert not ocr_fields.untrusted_reading("⁄11")
    assert not ocr_fields.untrusted_reading("2“")


def test_a_page_reading_the_crop_reading_contradicts_is_not_written() -> None:
    """A printed 329 with a received stamp's stroke through it: the page read "320", the
    crop "(h29". One of them is wrong, so the number stays blank; readings one of which only
    cut the other short agree."""
    assert ocr_fields.readings_disagree("(h29", "320")
    assert not ocr_fields.readings_disagree("29", "329")  # the crop lost the first digit
    assert not ocr_fields.readings_disagree("3722/", "372")
    assert not ocr_fields.readings_disagree("M", "⁄11")  # no digits read: nothing to go by
    assert not ocr_fields.readings_disagree("7", "3")  # one digit is too little to contradict
