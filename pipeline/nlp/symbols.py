"""Document symbols as OCR misreads them, put back where the symbol grammar allows one reading.

A cited or printed symbol is digits, a year and codes ("163/2024/QH15", "286/STC-HCSN",
"154/2020/NĐ-CP"). Tesseract confuses shapes across the digit/letter line: the term of the
National Assembly "QH15" reads "QHI5", a year "2O15", a code "STC" reads "5TC", and it drops
the hyphen between a type code and its body ("NĐCP"). Each part of the symbol is repaired
only into what its place in the grammar allows (digits in a year or a term, a code of the
closed lists in a code), and a repair that does not give a well-formed symbol is not made.
"""

from __future__ import annotations

import re

from pipeline.nlp.header_lines import number_label_alone
from pipeline.nlp.lookalikes import as_digits, as_letters, code_marks
from pipeline.nlp.numbering import (
    NumberSymbol,
    are_known_codes,
    code_to_type,
    issuer_codes,
    known_codes,
    parse_number_line,
    printed_type_codes,
)

# Letters read for digits, and digits read for letters (data/ocr_lookalikes.json).
AS_DIGIT = as_digits(printed=True, codes=True)
AS_LETTER = as_letters()
YEAR = re.compile(r"^(?:19|20)\d\d$")
TERM = re.compile(
    r"^(?P<code>QH|UBTVQH)(?P<term>[0-9" + re.escape("".join(map(chr, as_digits(printed=True)))) + "]{1,3})$"
)
WELL_FORMED = re.compile(r"^\d{1,6}[a-z]?(?:/(?:19|20)\d\d)?/[A-ZĐ][A-Za-zĐđ0-9]*(?:[-&.][A-ZĐa-zđ0-9]+)*$")


def _year(part: str) -> str | None:
    """A year with letters read for some of its digits ("2O15"), else None."""
    repaired = part.translate(AS_DIGIT)
    digits = sum(char.isdigit() for char in part)
    return repaired if len(part) == 4 and digits >= 2 and YEAR.match(repaired) else None


def _term(part: str) -> str:
    match = TERM.match(part)
    if match is None:
        return part
    term = match["term"]
    if len(term) == 3 and not term[0].isdigit():
        term = term[1:]  # "QHI13": a stroke read as a letter before the term's two digits
    return f"{match['code']}{term.translate(AS_DIGIT)}"


def _code(part: str) -> str:
    """A code whose first letter OCR read as a digit ("5TC"), a type code glued to its body
    ("NĐCP") or read without the stroke of its Đ ("QD"), when the repair gives codes of the
    lists."""
    if (printed := printed_type_codes().get(part)) is not None:
        return printed
    if part in known_codes():
        return part
    if part[:1] in AS_LETTER and (letter := AS_LETTER[part[0]] + part[1:]) in known_codes():
        return letter
    for size in range(1, len(part)):
        head, tail = part[:size], part[size:]
        if head in code_to_type() and tail in issuer_codes():
            return f"{head}-{tail}"
    for at in range(len(part) - 1):  # a letter read twice ("QĐĐ")
        if part[at] != part[at + 1] or _printed_twice(part[at]):
            continue
        if (single := part[:at] + part[at + 1 :]) in known_codes():
            return single
    return part


def _printed_twice(letter: str) -> bool:
    """A letter that codes print twice ("TTg", "KSTTHC", "BTTP" of a body the lists lack): a
    double of it is no OCR slip."""
    return any(letter * 2 in code for code in known_codes())


def _repair_part(part: str) -> str:
    if (year := _year(part)) is not None:
        return year
    if TERM.match(part):
        return _term(part)
    return "-".join(_code(code) for code in part.split("-"))


def repaired_symbol(number_symbol: str) -> str | None:
    """The OCR'd ``number_symbol`` with its parts put back ("163/2024/QHI5" -> "163/2024/QH15"),
    or None when nothing changed or the result is not well formed."""
    number, slash, rest = number_symbol.partition("/")
    if not slash or not number.isdigit():
        return None
    repaired = "/".join([number, *(_repair_part(part) for part in rest.split("/"))])
    if repaired == number_symbol or not WELL_FORMED.match(repaired):
        return None
    return repaired


def repaired_codes(symbol: str) -> str | None:
    """A printed symbol without its number ("QĐĐ-UBND", "2024/5TC-HCSN", "5TP-HCBT") with its
    codes put back, or None when nothing changed or its first code is still none of the lists.
    A code is only ever changed into one of the lists; the codes after the first may be a
    body's own that the lists lack ("HCBT", a department of a Sở) and stay as read."""
    parts = [_repair_part(part) for part in symbol.split("/")]
    repaired = "/".join(parts)
    codes = [part for part in parts if not YEAR.match(part)]
    known = bool(codes) and are_known_codes(codes[0].split("-")[:1])
    return repaired if repaired != symbol and known else None


# On an OCR'd "Số:" line, a code split by a space ("BN V-CCHC") and a type code glued to
# the number with its slash lost ("10797QĐ-HĐTĐ").
SPLIT_CODE = re.compile(r"(?<=/)([A-ZĐ]{1,5}) ([A-ZĐ]{1,4})(?=[-\s]|$)")
GLUED_TYPE = re.compile(r"(?P<number>\d{1,6})(?P<type>[A-ZĐ]{1,4})-(?P<rest>[A-ZĐa-zđ0-9-]+)")


def mended_number_line(text: str) -> tuple[NumberSymbol, str] | None:
    """An OCR'd "Số:" line the grammar did not read whole, read again with a symbol's code
    mended where the closed lists settle it, and what was mended; None when nothing does.
    A type code glued to the digits leaves the number out: the lost slash may have been read
    as a digit ("1079/" as "10797"), so only the symbol is sure."""
    marks = code_marks()
    bare = "".join(marks.get(char, char) for char in text)
    joined = SPLIT_CODE.sub(lambda m: m[1] + m[2] if m[1] + m[2] in known_codes() else m[0], bare)
    if joined != text and (parsed := parse_number_line(joined)) is not None and codes_known(parsed):
        return parsed, f"read {joined!r}"
    glued = GLUED_TYPE.search(joined)
    if glued and glued["type"] in code_to_type():
        parsed = parse_number_line(joined[: glued.start()] + " /" + joined[glued.start("type") :])
        if parsed is not None and codes_known(parsed):
            return NumberSymbol(None, parsed.symbol, parsed.start, len(text)), "its number left out"
    return None


def codes_known(parsed: NumberSymbol) -> bool:
    """The symbol's first code (after a year) is one of the lists: what was mended is."""
    codes = [part for part in (parsed.symbol or "").split("/") if not YEAR.match(part)]
    return bool(codes) and codes[0].split("-")[0] in known_codes()


def find_number_line(
    texts: list[str], scanned: list[bool]
) -> tuple[int, NumberSymbol, str, str | None] | None:
    """The first of a header block's lines ``texts`` that holds the number ("Số: 12/KH-UBND",
    or the label alone with its value on the next line, or the symbol from its slash on the
    next line): its position, what it gives, the text
    it was read from, and, on an OCR'd line (``scanned``) that the grammar did not read whole
    or whose code is none of the lists, what ``mended_number_line`` mended (else None)."""
    for position, text in enumerate(texts):
        parsed = parse_number_line(text)
        following = texts[position + 1].strip() if position + 1 < len(texts) else ""
        if parsed is None and following and number_label_alone().match(text):
            parsed = parse_number_line(text + " " + following)
        if parsed is None and following.startswith(("/", "⁄")):
            # "Số: 2280" / "/QĐ-UBND": a big handwritten number pushed the symbol to a line of its own
            parsed = parse_number_line(text.rstrip() + following)
        note = None
        if scanned[position] and (parsed is None or not codes_known(parsed)):
            mended = mended_number_line(text)
            if mended is not None:
                parsed, note = mended
        if parsed is not None:
            return position, parsed, text, note
    return None
