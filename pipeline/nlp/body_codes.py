"""A symbol's body code and the issuer's name: two readings of one value.

A document's symbol carries its issuing body's code, made of the initials of the body's
name: "779/QĐ-UBND" for "ỦY BAN NHÂN DÂN ...", "788/STP-HCBT" for "SỞ TƯ PHÁP",
"285/GP-BTNMT" for "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG" ("và" has no letter of its own). On the
corpus's gold 82 of the 90 documents with both agree so; the others are codes that are not
initials ("TTg", "BCĐ138"), which are left alone here. On a scan the two are read apart, by
different lines of the header, so where the issuer as read disagrees and a repair of it
agrees with the symbol, the repair is the issuer.
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz.distance import Levenshtein

from pipeline.data import load_data
from pipeline.nlp.bodies import find_bodies, letters_key, load_body_words
from pipeline.nlp.numbering import code_to_type, issuer_codes
from pipeline.nlp.text import ascii_key
from pipeline.nlp.vocabulary import collective_bodies

# A code of initials: capitals alone, at least this many (two letters match too much by chance).
MIN_CODE = 3
# Words a body's code has no letter for.
UNLETTERED = frozenset({"VA"})
# How far (folded letters, spaces aside) a line as read may lie from the body the code names.
MAX_LETTER_SLIPS = 2


def body_code(symbol: str | None) -> str | None:
    """The issuing body's code of a document's symbol: its first code after the type code
    ("QĐ-UBND" -> "UBND", "STP-HCBT" -> "STP"), folded; None when it is no code of initials
    ("QĐ-TTg", "QĐ-BCĐ138") or shorter than MIN_CODE."""
    if not symbol:
        return None
    codes = [code for code in symbol.split("/")[-1].split("-") if code]
    if codes and codes[0].upper() in code_to_type():
        codes = codes[1:]
    code = codes[0] if codes else ""
    if len(code) < MIN_CODE or not re.fullmatch(r"[A-ZĐ]+", code):
        return None
    return ascii_key(code).upper()


def initials(name: str) -> str:
    """The initials of a body's name, folded: "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG" -> "BTNMT"."""
    return ascii_key(_marked_initials(name)).upper()


def _marked_initials(name: str) -> str:
    """The initials of a body's name with the stroke of Đ kept: "HỘI ĐỒNG THẨM ĐỊNH" -> "HĐTĐ"."""
    words = re.findall(r"[^\W\d_]+", name)
    return "".join(word[0].upper() for word in words if ascii_key(word).upper() not in UNLETTERED)


@cache
def _names() -> tuple[str, ...]:
    """The names a code may stand for: the gazetteer's central and provincial bodies and the
    collective bodies ("Ủy ban nhân dân")."""
    words = load_body_words()
    return (*words["central"], *words["provincial"], *collective_bodies().entries)


def named_by_code(text: str, code: str) -> str | None:
    """The one body of the lists whose initials are ``code`` and whose letters (marks, case
    and spaces aside) are at most MAX_LETTER_SLIPS from ``text``'s: "SỞNỘIVỤU" with "SNV" is
    "Sở Nội vụ", "UY BA NHÂN DÂN" with "UBND" is "Ủy ban nhân dân"; None otherwise."""
    read = letters_key(text)
    near = {
        letters_key(name): name  # "Ủy ban" and "Uỷ ban" are one name
        for name in _names()
        if initials(name) == code
        and Levenshtein.distance(letters_key(name), read, score_cutoff=MAX_LETTER_SLIPS) <= MAX_LETTER_SLIPS
    }
    return next(iter(near.values())) if len(near) == 1 else None


@cache
def _named_codes() -> tuple[tuple[str, str], ...]:
    """(folded words, code) of the bodies whose code is not their initials, longest first."""
    named: dict[str, str] = load_data("symbol_codes")["named_codes"]
    folded = ((ascii_key(words), code) for words, code in named.items())
    return tuple(sorted(folded, key=lambda pair: -len(pair[0])))


# How far into a citation's issuer its body may start: after a head's title ("Bộ trưởng").
BODY_WITHIN = 16


def code_of_body(issuer: str) -> str | None:
    """The code a symbol gives the body named at the head of a citation's ``issuer`` ("Bộ
    trưởng Bộ Nội vụ quy định ..." -> "BNV", "Thủ tướng Chính phủ về ..." -> "TTg", "Chủ
    tịch UBND tỉnh" -> "UBND"), as the closed list writes it; None when no body of the
    gazetteer opens it or its code is none of the list's."""
    spans = [span for span in find_bodies(issuer) if span[0] <= BODY_WITHIN]
    if not spans:
        return None
    name = ascii_key(spans[0][2])
    for words, code in _named_codes():
        if re.search(rf"\b{re.escape(words)}\b", name):
            return code
    folded = {ascii_key(code).upper(): code for code in issuer_codes()}
    return folded.get(initials(spans[0][2]))


def stroked_symbol(symbol: str | None, issuer: str | None) -> str | None:
    """``symbol`` with the strokes its body code lost put back from the issuer's name ("QĐ-HDTĐ"
    of "HỘI ĐỒNG THẨM ĐỊNH, ĐÁNH GIÁ ..." -> "QĐ-HĐTĐ"): the code's letters are the initials of
    the name's first words, and the name has a Đ where the code reads D. OCR loses the stroke
    of a Đ, never adds one, so nothing else is changed. None when nothing is put back."""
    code = body_code(symbol)
    if symbol is None or code is None or not issuer:
        return None
    read = next(part for part in symbol.split("/")[-1].split("-") if ascii_key(part).upper() == code)
    marked = _marked_initials(issuer)[: len(read)]
    if ascii_key(marked).upper() != code or marked.count("Đ") <= read.upper().count("Đ"):
        return None
    head, _, codes = symbol.rpartition("/")
    parts = [marked if part == read else part for part in codes.split("-")]
    return f"{head}/{'-'.join(parts)}" if head else "-".join(parts)
