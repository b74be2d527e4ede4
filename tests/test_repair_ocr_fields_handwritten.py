"""Hand-filled header fields the second reading lost, one test per problem.

Each fixture is the real band of a scan's page 1 that holds the field (the rest of the page
white, its geometry kept); the words are those Tesseract's page reading gave for that band of
the whole scan, so the test runs the re-reading exactly as ``repair.ocr`` does, recogniser
included.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.nlp.header_lines import labelled_number, number_label_word
from pipeline.repair import ocr_fields
from pipeline.repair.handwriting import Reading
from pipeline.repair.tesseract import Word

FIXTURES = Path(__file__).parent / "fixtures" / "handwritten"


def line(*words: tuple[str, float, float, float, float]) -> list[Word]:
    return [Word(text, left, top, right, bottom, 90.0, (1, 1, 1)) for text, left, top, right, bottom in words]


def reread_words(name: str, words: list[Word]) -> tuple[list[Word], list[ocr_fields.FieldResult]]:
    path = FIXTURES / f"{name}.pdf"
    pdf = pdfium.PdfDocument(path)
    try:
        height = float(pdf[0].get_height())
    finally:
        pdf.close()
    return ocr_fields.reread_fields(str(path), words, height)


def reread(name: str, words: list[Word]) -> list[ocr_fields.FieldResult]:
    return reread_words(name, words)[1]


def result(results: list[ocr_fields.FieldResult], kind: str) -> ocr_fields.FieldResult:
    return next(r for r in results if r.kind == kind)


def test_a_number_under_the_labels_box_is_read_with_the_label() -> None:
    # "Số:" boxed over the first handwritten digit; the field's own box starts inside the "4".
    words = line(("Số:", 96, 101, 132, 113), ("##", 119, 98, 130, 117), ("/GP-UBND", 135, 104, 196, 113))
    field = ocr_fields.find_number(words, 842)
    assert field is not None and field.box[2] - field.box[0] < 5
    assert result(reread("number_under_the_label_box", words), "number").value == "48"


def test_a_number_read_into_the_symbols_word_ends_at_the_symbols_slash() -> None:
    # Handwritten 4532 read as "/74" glued before the printed "/UBND-".
    words = line(("Số:", 57, 72, 74, 82), ("/74/UBND-", 77, 68, 161, 85), ("KSTTHC", 166, 70, 220, 80))
    field = ocr_fields.find_number(words, 842)
    assert field is not None
    assert (field.read, field.tail) == ("/74", "/UBND-")
    assert result(reread("number_read_into_the_symbol", words), "number").value == "4532"


def test_a_year_between_two_slashes_is_the_symbols() -> None:
    words = line(("Số:", 57, 72, 74, 82), ("36", 80, 70, 92, 82), ("/2017/NĐ-CP", 95, 72, 160, 82))
    field = ocr_fields.find_number(words, 842)
    assert field is not None and (field.read, field.tail) == ("36", "/2017/NĐ-CP")


def test_a_number_glued_to_its_label_is_found() -> None:
    # "Sô:2531": the colon and the handwriting read as one word with the label.
    words = line(("SóZ#!⁄ƒ", 103, 76, 148, 94), ("/GP-BTNMT", 157, 81, 227, 91))
    field = ocr_fields.find_number(words, 842)
    assert field is not None and field.label == "Só"
    assert result(reread("number_glued_to_the_label", words), "number").value == "2531"


@pytest.mark.parametrize(("word", "label"), [("SóZ#!⁄ƒ", "Só"), ("Số4214/BCA", "Số"), ("Số:", "Số:")])
def test_the_label_glued_to_what_no_word_goes_on_with(word: str, label: str) -> None:
    match = number_label_word().match(word)
    assert match is not None and match.group() == label


@pytest.mark.parametrize("word", ["Sóc", "SỐNG", "Sổkế", "số"])
def test_a_word_going_on_after_the_label_is_no_label(word: str) -> None:
    assert number_label_word().match(word) is None


def test_a_day_the_line_reading_cut_short_is_read_from_its_blank() -> None:
    # "21" with a hooked 1: the line's reading gives "2" (a lost digit), the blank alone "21".
    words = line(
        ("Quảng", 315, 122, 351, 134),
        ("Ngãi,", 353, 122, 381, 134),
        ("ngày2-{", 388, 115, 431, 136),
        ("tháng", 434, 122, 462, 134),
        ("12", 468, 122, 480, 131),
        ("năm", 483, 122, 505, 132),
        ("2021", 509, 122, 534, 132),
    )
    field = ocr_fields.find_date(words, 842)
    assert field is not None and len(field.blanks) == 2
    (day_left, day_right), (month_left, month_right) = field.blanks
    assert 388 < day_left < day_right <= 434 < month_left < month_right <= 483
    rewritten, _ = reread_words("day_with_a_hooked_one", words)
    assert " ".join(word.text for word in rewritten) == "Quảng Ngãi, ngày 21 tháng 12 năm 2021"


def test_a_blank_read_as_letters_stays_illegible() -> None:
    # A handwritten 11 the recogniser reads "M", in the line and alone.
    value, text = ocr_fields.date_value(
        Reading(", ngy 28 tháng MM năm 2", 0.84), "ngày/2Ê tháng 4|_", lambda at: Reading("M", 0.99, (0.99,))
    )
    assert (value, text) == (None, "ngày 28 tháng ?")


def test_a_blank_read_unsure_or_short_stays_illegible() -> None:
    unsure = Reading("21", 0.8, (0.7, 0.9))
    short = Reading("2", 0.99, (0.99,))
    for blank in (unsure, short):
        value, text = ocr_fields.date_value(
            Reading(",ngy2 thing  12 nam 2", 0.75), "ngày2-{ tháng 12", lambda at, b=blank: b
        )
        assert (value, text) == (None, "ngày ? tháng 12")


@pytest.mark.parametrize(("reading", "number"), [("Sô:48", "48"), ("Só: 2054/", "2054"), ("S6:48", "48")])
def test_a_labelled_reading_gives_its_number(reading: str, number: str) -> None:
    match = labelled_number().match(reading)
    assert match is not None and match[1] == number


@pytest.mark.parametrize("reading", ["Só:481/GP", "48", "Sô:4a8", "Sở:48"])
def test_a_labelled_reading_of_more_than_the_number_gives_none(reading: str) -> None:
    assert labelled_number().match(reading) is None


def test_a_day_the_line_read_one_digit_short_is_read_from_its_blank() -> None:
    blank = Reading("21", 0.96, (0.93, 0.99))
    assert ocr_fields.date_value(
        Reading(",ngy2 thing  12 nam 2", 0.75), "ngày2-{ tháng 12", lambda at: blank
    ) == ("21/12", "ngày 21 tháng 12")


def test_a_blank_whose_edge_cut_off_a_digit_the_line_saw_stays_illegible() -> None:
    # A hooked 15 close to "ngày": the line reads "45" (no possible day), the blank alone "5".
    blank = Reading("5", 0.99, (0.99,))
    assert ocr_fields.date_value(Reading("ngày45 tháng 4 năm", 0.97), "ngày Z tháng 4", lambda at: blank) == (
        None,
        "ngày Z tháng 4",
    )
