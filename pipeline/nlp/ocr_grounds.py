"""A legal ground as OCR misreads it, mended where the citation grammar allows one reading.

A ground is a type name, a number and symbol, a date and an issuer ("Căn cứ Luật Tài nguyên
nước ngày 21/6/2012"). On scans Tesseract misreads each in its own way:
- the type name by one letter ("Tuật" for "Luật", "Thông tr" for "Thông tư"): it is snapped to
  the closed list of type names where it opens a ground and one name lies one edit away;
- a printed digit as a look-alike inside a date ("ngày l6 tháng 6", "tháng 1] năm 2022"): the
  token is read as digits where the date grammar wants one and it already holds a digit or
  is two look-alikes ("tháng lÌ năm 2019");
- the slash of a symbol as "⁄" or "%", or lost between a year and its code ("48/2014QH13");
- a symbol's codes, by a speck ("QĐ- -BNV", "QĐ-TT. S") or a letter ("TT- BNỮ", "QJ- UBND"):
  each is read again against what the ground itself names, the type code against the type
  name before "số" and the body's code against the body after "của" (two readings of one value).
Each mending is reported by the caller; what cannot be made well formed stays as read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from rapidfuzz.distance import Levenshtein

from pipeline.nlp.body_codes import code_of_body
from pipeline.nlp.header_lines import date_fields
from pipeline.nlp.lookalikes import as_digits
from pipeline.nlp.numbering import (
    citation_pattern,
    code_to_type,
    issuer_codes,
    listed_type_name,
    type_code,
    type_name_pattern,
    type_names,
)
from pipeline.nlp.text import ascii_key

# Where a ground's type name stands: after the opener or after a separator inside the list.
OPENER = re.compile(r"(?:^|[;,]\s*|\bvà\s+|\b(?:Căn cứ|Thực hiện)\s+)(?=\S)", re.IGNORECASE)
# Look-alikes of printed digits (data/ocr_lookalikes.json); applied only inside a token that
# already has a digit.
PRINTED_DIGITS = as_digits(printed=True)
# A date field's character: a digit, or a look-alike of a printed one.
FIELD = "[0-9" + re.escape("".join(map(chr, PRINTED_DIGITS))) + "]"
# "ngày l6 tháng 6 năm 2025", "ngày 15 tháng 1] năm 2022": the day and month fields.
WORDED_FIELDS = date_fields(FIELD + "{1,2}")
# "ngày 16/1 0/2025", "ngày 1 6/10/2025", "ngày [2/02/2026": a numbered date with a field OCR
# cut by a space or with a look-alike of a printed digit.
NUMBERED_DATE = re.compile(
    rf"(?P<word>\bngày\s+)(?P<value>{FIELD}\s?{FIELD}?\s?/\s?{FIELD}\s?{FIELD}?\s?/\s?(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
# "97⁄2015/QH13", "112/2025%QH15", "282'QĐ-TTg": a slash misread between the parts of a symbol.
SLASH_LOOKALIKE = re.compile(r"(?<=\d)\s*[⁄%'’]\s*(?=\d{4}\b|[A-ZĐ])")
# "số 2l 05/UBND-NC", "số 1 93/2025/NĐ-CP": a cited number OCR cut with a space, a look-alike
# in its first part (a part with no digit, "số I 87/", is left: it stood for 1 or 11); "số
# I187/", "số 1I78/": a look-alike inside it. Mended only right after "số" (OCR's "sô" too)
# and before the symbol's slash, where nothing but a number stands.
NUMBER_WORD = r"(?P<lead>\bs[oóòỏõọôốồổỗộơớờởỡợ]\s+)"
SPLIT_NUMBER = re.compile(NUMBER_WORD + r"(?P<head>[0-9lI|]{1,3})\s(?P<tail>\d{1,4}/)", re.IGNORECASE)
LOOKALIKE_IN_NUMBER = re.compile(NUMBER_WORD + r"(?P<number>[0-9lI|]*[lI|][0-9lI|]*)(?=/)", re.IGNORECASE)
# "NĐ- C?P": a stray mark inside a code.
MARK_IN_CODE = re.compile(r"(?<=[-/])\s?(?P<code>[A-ZĐ]{1,4}[?¿][A-ZĐ]{1,4})\b")
# "64/2025/QH 15": the National Assembly's term cut from its code by a space.
SPLIT_TERM = re.compile(r"(?<=\d/)(?P<code>QH|UBTVQH) (?P<term>\d{1,2})\b")
# "48/2014QHI13": a cited number's year glued to the code after it.
GLUED_YEAR = re.compile(r"(?<=\d/)(?P<year>(?:19|20)\d\d)(?=[A-ZĐ])")


@cache
def _type_keys() -> dict[str, str]:
    return {ascii_key(name): name for name in type_names()}


def snapped_type(words: list[str]) -> tuple[str, int] | None:
    """The type name the first words stand for, and how many words it takes, when exactly one
    type name of the list is at most one edit away (its bare letters, case aside) and the words
    are not already it."""
    for count in (2, 1):
        if len(words) < count:
            continue
        read = " ".join(words[:count])
        key = ascii_key(read)
        if len(key.replace(" ", "")) < 4 or not read[:1].isupper():
            continue
        near = [
            name
            for k, name in _type_keys().items()
            if k.count(" ") == count - 1 and Levenshtein.distance(k, key) <= 1
        ]
        if len(near) == 1 and near[0] != read and near[0].lower() != read.lower():
            return near[0], count
    return None


def _mend_type_names(text: str, mended: list[str]) -> str:
    out: list[str] = []
    position = 0
    for opener in OPENER.finditer(text):
        if opener.end() < position:
            continue
        words = re.findall(r"[^\s,;:]+", text[opener.end() : opener.end() + 40])[:2]
        snap = snapped_type(words)
        if snap is None:
            continue
        name, count = snap
        span = re.match(r"\S+" + r"\s+\S+" * (count - 1), text[opener.end() :])
        if span is None:
            continue
        if not citation_pattern().match(name + text[opener.end() + span.end() :]):
            continue  # the snapped name must open a citation ("Luận văn ..." stays)
        out.append(text[position : opener.end()])
        out.append(name)
        mended.append(f"{span.group(0)!r} -> {name!r}")
        position = opener.end() + span.end()
    out.append(text[position:])
    return "".join(out)


def _mend_date_fields(text: str, mended: list[str]) -> str:
    def digits(match: re.Match[str]) -> str:
        value = match["value"]
        if value.isdigit() or (len(value) < 2 and not value.isdigit()):
            # A field of one look-alike ("tháng l") stood for 1 or for 11: left as read. Two
            # ("tháng lÌ"), between the date's words, can be nothing but two digits.
            return match.group(0)
        fixed = value.translate(PRINTED_DIGITS)
        mended.append(f"{value!r} -> {fixed!r}")
        return match["word"] + fixed

    def numbered(match: re.Match[str]) -> str:
        value = match["value"]
        fields = [re.sub(r"\s+", "", field) for field in value.split("/")]
        if not all(any(char.isdigit() for char in field) for field in fields):
            return match.group(0)  # a field with no digit: nothing says it is one
        fixed = "/".join(field.translate(PRINTED_DIGITS) for field in fields)
        if fixed == re.sub(r"\s*/\s*", "/", value):
            return match.group(0)  # only spaces around the slashes, which the date grammar reads
        mended.append(f"{value!r} -> {fixed!r}")
        return match["word"] + fixed

    return NUMBERED_DATE.sub(numbered, WORDED_FIELDS.sub(digits, text))


def _mend_symbols(text: str, mended: list[str]) -> str:
    def note(fixed: str) -> Callable[[re.Match[str]], str]:
        def replace(match: re.Match[str]) -> str:
            written = fixed.format(**match.groupdict())
            mended.append(f"{match.group(0)!r} -> {written!r}")
            return written

        return replace

    def joined(match: re.Match[str]) -> str:
        if not any(char.isdigit() for char in match["head"]):
            return match.group(0)
        number = match["head"].translate(PRINTED_DIGITS) + match["tail"]
        mended.append(f"{match.group(0)!r} -> {match['lead'] + number!r}")
        return match["lead"] + number

    def digits(match: re.Match[str]) -> str:
        if not any(char.isdigit() for char in match["number"]):
            return match.group(0)  # "số I/..." holds no digit: nothing says it is a number
        number = match["number"].translate(PRINTED_DIGITS)
        mended.append(f"{match.group(0)!r} -> {match['lead'] + number!r}")
        return match["lead"] + number

    def unmarked(match: re.Match[str]) -> str:
        code = re.sub(r"[?¿]", "", match["code"])
        if code not in issuer_codes():
            return match.group(0)
        mended.append(f"{match.group(0)!r} -> {code!r}")
        return code

    text = SPLIT_NUMBER.sub(joined, text)
    text = LOOKALIKE_IN_NUMBER.sub(digits, text)
    text = MARK_IN_CODE.sub(unmarked, text)
    text = SLASH_LOOKALIKE.sub(note("/"), text)
    text = GLUED_YEAR.sub(note("{year}/"), text)
    return SPLIT_TERM.sub(note("{code}{term}"), text)


# A cited symbol as read between "số" and the date or issuer after it ("1187/QĐ- -BNV ngày",
# "23/2023/QĐ-TT. S ngày"): a number, a year, then codes with whatever a speck made of them.
SYMBOL_AS_READ = re.compile(
    NUMBER_WORD
    + r"(?P<symbol>\d{1,6}\s?/\s?(?:(?:19|20)\d\d\s?/\s?)?[^\s/;,](?:[^/;,]|,(?=\s?[A-ZĐ]-)){1,24}?)"
    r"(?=\s*,?\s+(?:ngày|ngay|của|cua|do)\b)",
    re.IGNORECASE,
)
# The body a ground names after its number and date ("... ngày 15/10/2025 của Bộ trưởng Bộ Nội vụ").
ISSUER_NAMED = re.compile(r"[^;]{0,40}?\b(?:của|cua|do)\s+(?P<issuer>[^;]{3,80})", re.IGNORECASE)
# How many letters a code may be off what the ground names (folded, case aside).
CODE_SLIPS = 1


def _snapped_code(read: str, expected: str | None, known: frozenset[str] | dict[str, str]) -> str | None:
    """``read`` when it is a code of ``known``, else the ``expected`` code when its letters are
    at most CODE_SLIPS from what was read (specks aside), else None."""
    if read in known or re.sub(r"\d+$", "", read) in known:
        return read  # a code of the lists, or one with its term or number ("QH15", "BCĐ138")
    if expected is None:
        return None
    if read.upper().count("Đ") > expected.upper().count("Đ"):
        return read  # OCR loses the stroke of a Đ, never adds one: a misprint ("NQ-HĐNĐ"), kept as printed
    letters = re.sub(r"[^A-Za-zĐđ]", "", ascii_key(read)).upper()
    return expected if Levenshtein.distance(letters, ascii_key(expected).upper()) <= CODE_SLIPS else None


def _agreed_symbol(symbol: str, type_name: str, issuer: str | None) -> str | None:
    """The cited ``symbol`` with its type code read against ``type_name`` and its first body
    code against ``issuer``, or None when a code agrees with neither what it is nor what the
    ground names. Codes after the first body's are kept as read."""
    number, _, rest = re.sub(r"\s+", "", symbol).partition("/")
    year, _, codes_read = rest.rpartition("/")
    codes = [code for code in re.split(r"[-–]+", codes_read.strip(".,")) if code]
    if not codes:
        return None
    typed = type_code(type_name)
    if typed:
        snapped_type = _snapped_code(codes[0], typed, code_to_type())
        if snapped_type is None or len(codes) < 2:
            return None
        codes[0] = snapped_type
    slot = 1 if typed else 0
    body = _snapped_code(codes[slot], code_of_body(issuer) if issuer else None, issuer_codes())
    if body is None:
        return None
    codes[slot] = body
    return f"{number}/{year + '/' if year else ''}{'-'.join(codes)}"


def _mend_codes(text: str, mended: list[str]) -> str:
    out: list[str] = []
    position = 0
    for cited in SYMBOL_AS_READ.finditer(text):
        named = type_name_pattern().search(text[max(0, cited.start() - 40) : cited.start()])
        if named is None:
            continue
        issuer = ISSUER_NAMED.match(text, cited.end())
        type_name = listed_type_name(named.group(0))
        agreed = _agreed_symbol(cited["symbol"], type_name, issuer and issuer["issuer"])
        if agreed is None or agreed == cited["symbol"]:
            continue
        out.append(text[position : cited.start("symbol")])
        out.append(agreed)
        mended.append(f"{cited['symbol']!r} -> {agreed!r}")
        position = cited.end("symbol")
    out.append(text[position:])
    return "".join(out)


def mended_ground(text: str) -> tuple[str, list[str]]:
    """``text`` with its type names, date digits and symbol slashes put back, and the list of
    what was changed (empty when nothing was)."""
    mended: list[str] = []
    text = _mend_type_names(text, mended)
    text = _mend_date_fields(text, mended)
    text = _mend_symbols(text, mended)
    text = _mend_codes(text, mended)
    return text, mended
