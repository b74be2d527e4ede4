"""OCR look-alikes across the digit/letter line come from one table (data/ocr_lookalikes.json),
and each context takes the confusions it allows; a symbol "of known codes" is one check."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline.extract.plan_text import _OCR_I
from pipeline.nlp.lookalikes import as_digits, as_letters, roman_one
from pipeline.nlp.numbering import are_known_codes, known_codes_symbol, legible_digits
from pipeline.nlp.symbols import repaired_codes, repaired_symbol


def test_a_hand_filled_field_reads_letters_for_digits_but_not_a_bar() -> None:
    assert legible_digits("I1") == "11"
    assert legible_digits("O7") == "07"
    # A handwritten 2 or 7 reads as "|" too often: the field stays unread.
    assert legible_digits("|6") is None
    assert "|" not in "".join(map(chr, as_digits()))


def test_printed_digits_also_take_a_bar_and_a_bracket() -> None:
    assert "1|]".translate(as_digits(printed=True)) == "111"
    assert "S8".translate(as_digits(printed=True)) == "S8"  # S and B only inside a symbol


def test_a_symbols_year_and_term_take_the_code_confusions() -> None:
    assert "2O1S".translate(as_digits(printed=True, codes=True)) == "2015"
    assert repaired_symbol("163/2024/QHI5") == "163/2024/QH15"
    assert as_letters() == {"1": "I", "0": "O", "5": "S", "8": "B"}


def test_a_roman_one_as_ocr_reads_it() -> None:
    assert sorted(roman_one()) == sorted("Ll1|")
    assert "1L".translate(_OCR_I) == "II"


@pytest.mark.parametrize(
    ("codes", "typed", "known"),
    [
        (["QĐ", "TTg"], True, True),
        (["QĐ", "TTg"], False, True),
        (["TTg", "QĐ"], True, False),  # a type code must come first
        (["TTg", "QĐ"], False, True),
        (["QĐ"], True, False),  # a type code alone is no symbol of a body
        (["QĐ", "XYZ"], False, False),
    ],
)
def test_one_check_of_known_codes(codes: list[str], typed: bool, known: bool) -> None:
    assert are_known_codes(codes, typed=typed) is known


def test_both_symbol_readers_use_the_one_check() -> None:
    assert known_codes_symbol("QĐ- -TTg") == "QĐ-TTg"
    assert known_codes_symbol("QĐ-XYZ") is None
    assert repaired_codes("QĐĐ-UBND") == "QĐ-UBND"
    assert repaired_codes("QĐĐ-XYZ") == "QĐ-XYZ"  # the first code settles it; a body's own code stays
    assert repaired_codes("XYZ-QĐĐ") is None  # a first code of no list: nothing is settled


def _digit_tables(source: str) -> list[str]:
    """Dict literals of ``source`` that map letters to digits or digits to letters (two pairs or
    more): a look-alike table spelled again."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            pairs = [
                (key.value, value.value)
                for key, value in zip(node.keys, node.values, strict=True)
                if isinstance(key, ast.Constant) and isinstance(value, ast.Constant)
                if isinstance(key.value, str) and isinstance(value.value, str)
                if len(key.value) == 1 and len(value.value) == 1
            ]
            crossing = [(k, v) for k, v in pairs if k.isdigit() != v.isdigit() and (k + v).isalnum()]
            if len(crossing) >= 2:
                found.append(ast.unparse(node))
    return found


def test_no_other_module_spells_a_look_alike_table_again() -> None:
    package = Path(__file__).resolve().parents[1] / "pipeline"
    offenders = {
        str(path.relative_to(package)): tables
        for path in sorted(package.rglob("*.py"))
        if (tables := _digit_tables(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
    assert _digit_tables('AS_DIGIT = str.maketrans({"I": "1", "O": "0"})') != []
    assert _digit_tables('AS_LETTER = {"5": "S", "0": "O"}') != []
