"""An OCR'd issuer line put back to the closed vocabularies it is made of.

An issuer block names a collective body and its place ("ỦY BAN NHÂN DÂN" / "TỈNH QUẢNG
NGÃI"). Scans lose marks ("UY BAN NHAN DAN"), change case ("Ủy BAN"), and leave stamp specks
between the words ("ỦY BAN NHÂN DÂN ˆ TỈNH ..."). Specks (what repair.ocr_noise calls a stray
mark) are dropped; the body at the head is snapped to the collective bodies of
data/positions.json, the unit word to the place prefixes of data/header_words.json and the
place after it to the one administrative unit it folds to.
Whatever does not snap stays as read.
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz.distance import Levenshtein

from pipeline.data import load_data
from pipeline.nlp.bodies import (
    admin_unit_spellings,
    admin_unit_spellings_by_letters,
    body_by_letters,
    by_letters,
    known_body,
    known_spelling,
    letters_key,
    place_key,
    province_names,
    sole_spelling,
)
from pipeline.nlp.text import ascii_key, is_upper_text
from pipeline.nlp.vocabulary import collective_bodies
from pipeline.repair.ocr_noise import is_stray_mark
from pipeline.repair.quality import is_known_syllable


@cache
def unit_words() -> dict[str, str]:
    """Bare key of a unit word ("tinh", "thanh pho") -> its spelling."""
    words: list[str] = load_data("header_words")["place_prefixes"]
    return {ascii_key(word): word for word in words if word.replace(" ", "").isalpha()}


def _unit_from_its_end(token: str) -> str | None:
    """The one-word unit a token is the end of ("NH" of "TỈNH"): a stamp or the seal covered
    the start of the issuer's place line. The place after it must still be a known unit."""
    key = ascii_key(token)
    if len(key) < 2 or is_known_syllable(token.lower()):
        return None
    ends = [word for k, word in unit_words().items() if " " not in k and k.endswith(key) and k != key]
    return ends[0] if len(ends) == 1 else None


def _snapped_place(words: list[str]) -> list[str]:
    """``["TINH", "QUANG", "NGAI"]`` -> ``["TỈNH", "QUẢNG", "NGÃI"]`` when the unit word and
    the place each fold to one spelling; else as read. The unit may follow a body's name or
    its abbreviation ("UBND TỈNH LÂM ĐÔNG", "SỞ TƯ PHÁP TỈNH ..."): the words before it stay
    as read."""
    for start in range(len(words)):
        for size in (2, 1):
            unit = unit_words().get(ascii_key(" ".join(words[start : start + size])))
            if unit is None and size == 1 and start == 0 and words:
                unit = _unit_from_its_end(words[0])
            if unit is None and size == 1:
                unit = _province_unit_misread(words[start], words[start + 1 :])
            if unit is None or len(words) <= start + size:
                continue
            place = words[start + size :]
            spelled = next(
                (found for read in _place_readings(place) if (found := _place_spelling(unit, read))), None
            )
            if spelled is None:
                return words
            return [*words[:start], *unit.upper().split(), *spelled.upper().split()]
    return words


def _place_spelling(unit: str, place: str) -> str | None:
    """The one administrative unit ``place`` (after ``unit``) folds to, or None."""
    spelled = sole_spelling(admin_unit_spellings().get(ascii_key(place), set()))
    if spelled is None:  # an apostrophe read as a degree sign or a space ("ĐẮK R°LẤP")
        spelled = sole_spelling(admin_unit_spellings_by_letters().get(place_key(place), set()))
    if spelled is None and ascii_key(unit) in PROVINCE_UNITS:
        spelled = _nearest_province(place)
    return spelled


def _place_readings(words: list[str]) -> list[str]:
    """The place as read, then as a scan may have garbled it: a speck between its words
    ("QUẢNG, NGÃI"), a word read twice ("LÂM LÂM ĐỒNG", "LÂM LÂM. ĐỒNG"), a short word of
    debris after it ("LÂM ĐỒNG BẺ", a stamp's stroke at the line's end: an issuer's line ends
    with its place)."""
    readings = [" ".join(words)]
    bare = [word.strip(".,:;") for word in words]  # "LÂM LÂM. ĐỒNG": a speck after the double
    if bare != words:
        readings.append(" ".join(bare))  # "QUẢNG: PHÚ": a speck between a name's words
    doubled = [word for at, word in enumerate(bare) if at == 0 or word != bare[at - 1]]
    if len(doubled) < len(words):
        readings.append(" ".join(doubled))
    if len(words) >= 3 and len(words[-1]) <= 2:
        readings.append(" ".join(words[:-1]))
    return readings


def _province_unit_misread(token: str, place: list[str]) -> str | None:
    """ "TỈNH" read a letter or two off ("LINH BÌNH THUẬN", "HNH BÌNH THUẬN") where a
    province's name follows it exactly, and every other one-word unit ("XÃ", "HUYỆN": a
    commune may share a province's name) is further from what was read."""
    key = ascii_key(token)
    if len(key) < MIN_UNIT_LETTERS or not place or ascii_key(" ".join(place)) not in province_names():
        return None
    distance = {word: Levenshtein.distance(k, key) for k, word in unit_words().items() if " " not in k}
    best = min(distance.values())
    near = [word for word, edits in distance.items() if edits == best]
    if best == 0 or best > UNIT_SLIPS or len(near) != 1 or ascii_key(near[0]) not in PROVINCE_UNITS:
        return None
    return near[0]


# A unit word read with up to this many slips, from a word of at least this many letters.
UNIT_SLIPS = 2
MIN_UNIT_LETTERS = 3


# Unit words of a province or a centrally run city: their names are a closed list of a few
# dozen, where one letter of OCR noise ("QUANG NGAÀI") still points to one name.
PROVINCE_UNITS = frozenset({"tinh", "thanh pho"})


def _nearest_province(place: str) -> str | None:
    """The province whose name is one edit from ``place`` (letters only, at least six of them),
    when exactly one is."""
    key = place_key(place)
    if len(key) < 6:
        return None
    near = [name for name in province_names() if Levenshtein.distance(name.replace(" ", ""), key) <= 1]
    if len(near) != 1:
        return None
    return sole_spelling(admin_unit_spellings().get(near[0], set()))


# Quote marks OCR puts at a word's edge in an issuer line (a speck of the received stamp
# read as "“"), and punctuation glued to a word's end before the next.
EDGE_MARKS = "“”\"'‘’`´"
# A speck glued before an issuer line's first word ("-UBKD TỈNH ...").
LEADING_SPECKS = "-–_.,:;|~*"
INNER_PUNCTUATION = re.compile(r"(?<=\w)[,.;:](?=\s)")
# A colon or a semicolon inside a line: the name of no body holds one.
NAME_STOPS = re.compile(r"(?<=\w)[;:](?=\s)")


def snap_issuer_line(text: str) -> str:
    """``text`` (an issuer line read by OCR, in capitals) with specks dropped and its body and
    place put back to their spellings."""
    tokens = (token.strip(EDGE_MARKS) for token in text.replace("|", " ").split())
    cleaned = " ".join(token for token in tokens if token and not is_stray_mark(token))
    cleaned = NAME_STOPS.sub("", cleaned)  # "XÃ QUẢNG: PHÚ": no body's name holds a colon
    if not is_upper_text(cleaned):
        return text
    completed = _body_with_its_last_word(cleaned.split()) or _glued_body(cleaned.split())
    if completed is not None:
        return completed
    known = (
        body_by_letters(cleaned) or _known_body_before_debris(cleaned.split()) or _near_known_body(cleaned)
    )
    if known is not None:
        return known.upper()
    cleaned = _mended_abbreviation(cleaned)
    # A comma read inside a collective body's name ("ỦY, BAN NHÂN DÂN"); a body's own name
    # may hold one ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"), so only the collective bodies lose it.
    bare = INNER_PUNCTUATION.sub("", cleaned)
    snap = collective_bodies().snap_prefix(bare)
    if snap is not None and len(snap.entry.split()) > 1:
        head, rest = snap.entry.upper(), bare.split()[len(snap.read.split()) :]
        return " ".join([head, *_snapped_place(rest)]).strip()
    return " ".join(_snapped_place(cleaned.split()))


@cache
def _head_abbreviations() -> tuple[str, ...]:
    """The abbreviations that open a body before its unit ("UBND", "HĐND": data/bodies.json)."""
    heads: list[str] = load_data("bodies")["admin_heads"]
    return tuple(head for head in heads if head.isupper() and " " not in head)


def _mended_abbreviation(line: str) -> str:
    """ "-UBKD TỈNH BÌNH THUẬN" -> "UBND TỈNH BÌNH THUẬN": the word before a unit word one
    letter from exactly one body abbreviation of the same length, specks before it dropped."""
    head, _, rest = line.partition(" ")
    if not rest or not opens_with_unit(rest):
        return line
    head = head.lstrip(LEADING_SPECKS)
    near = [
        known
        for known in _head_abbreviations()
        if len(known) == len(head) and Levenshtein.distance(known, head, score_cutoff=1) <= 1
    ]
    return f"{near[0]} {rest}" if len(near) == 1 else line


def opens_with_unit(text: str) -> bool:
    """Whether ``text`` opens with the word of an administrative unit ("TỈNH LÂM ĐỒNG")."""
    words = ascii_key(text).split()
    return bool(words) and (words[0] in unit_words() or " ".join(words[:2]) in unit_words())


def _body_with_its_last_word(words: list[str]) -> str | None:
    """A collective body whose last word the scan lost inside the line, put back when a unit
    word follows on the line ("ỦY BAN NHÂN TỈNH LÂM ĐỒNG"): the words read open one body only.
    A line that ends early ("ỦY BAN NHÂN") is left: its last word may be the next line's
    (a narrow issuer column wraps the name), which the header joins."""
    for size in range(min(len(words), 4), 2, -1):
        body = collective_bodies().completed(" ".join(words[:size]))
        rest = words[size:]
        if body is not None and rest and opens_with_unit(" ".join(rest)):
            return " ".join([body.upper(), *_snapped_place(rest)])
    return None


def _glued_body(words: list[str]) -> str | None:
    """A collective body whose words OCR glued together, alone or before a unit word ("ỦY
    BANNHÂNĐÂN TỈNH LÂM ĐỒNG"): the words up to the unit hold exactly the body's letters."""
    for size in range(1, len(words) + 1):
        rest = words[size:]
        if rest and not opens_with_unit(" ".join(rest)):
            continue
        body = sole_spelling(_collective_by_letters().get(letters_key("".join(words[:size])), set()))
        if body is not None and len(body.split()) > 1:
            return " ".join([body.upper(), *_snapped_place(rest)])
    return None


@cache
def _collective_by_letters() -> dict[str, set[str]]:
    return by_letters(collective_bodies().entries)


def _known_body_before_debris(words: list[str]) -> str | None:
    """A known body with a short word of debris after it ("BỘ NỘI VỤ SE"): a received stamp's
    or a seal's stroke read at the line's end: two letters, or three that are no syllable."""
    last = words[-1] if words else ""
    if len(words) < 3 or len(last) > 3 or (len(last) == 3 and is_known_syllable(last.lower())):
        return None
    return known_body(" ".join(words[:-1]))


def _near_known_body(line: str) -> str | None:
    """The one central or provincial body a line is a slip or two of ("BỘ TÀI NGUYÊN VÌ MÔI
    TRƯỜNG"): same first word, at most two letters off (``known_spelling``)."""
    spelled = known_spelling(line)
    return spelled if spelled != line else None


def body_at_the_end(text: str) -> str | None:
    """The collective body that ends an OCR'd line whose start is something else ("si dd ký
    hiệu 1ý ỦY BAN NHÂN DÂN": a received stamp's words read on one line with the issuer's
    first line), in its spelling; None when the line does not end with one."""
    words = text.split()
    for size in range(min(len(words) - 1, 6), 1, -1):
        tail = " ".join(words[-size:])
        near = collective_bodies().nearest(tail) if is_upper_text(tail) else None
        if near is not None:
            return near[0].upper()
    return None
