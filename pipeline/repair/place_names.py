"""Place names of a scan's running text put back to the gazetteer's spelling.

Tesseract slips a mark of a place name as of any word ("tỉnh Lâm Đông", "Ủy ban nhân dân
tĩnh"), and a slipped name is often still a syllable the lexicon knows, so neither the
lexicon nor the document's other readings of it always catch it. But a place name follows
its unit word ("tỉnh", "thành phố", "huyện", "xã", "phường" ...) and is one of a closed list,
the administrative units (vietnamadminunits, legacy and 2025 tables). On OCR'd pages, a run
of capitalised syllables after a unit word that is no unit's spelling, but whose letters
are those of exactly one unit, takes that unit's marks; the unit word takes its own when
the place is found ("tĩnh Lâm Đồng" -> "tỉnh Lâm Đồng"). Letters never change; a spelling
that differs only in tone placement ("Hoà"/"Hòa") is the same name and stays as printed.
Each change is reported (``ocr.place_respelled``).
"""

from __future__ import annotations

from functools import cache

from pipeline.model import Document, Line
from pipeline.nlp.bodies import admin_unit_spellings, province_names, soft_key, sole_spelling
from pipeline.nlp.issuers import unit_words
from pipeline.nlp.text import ascii_key
from pipeline.registry import Context, component
from pipeline.repair.ocr_words import with_marks_of

# A place name has one to four syllables ("Bà Rịa - Vũng Tàu" aside).
MAX_PLACE_WORDS = 4
EDGES = ".,;:()\"'“”"


@cache
def _unit_words() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Bare words of a unit word ("thanh", "pho") -> its spelling, words apart."""
    return {tuple(key.split()): tuple(word.split()) for key, word in unit_words().items()}


def respelled_places(text: str) -> str:
    """``text`` with every place after a unit word in the gazetteer's marks."""
    tokens = text.split(" ")
    at = 0
    while at < len(tokens):
        unit = _unit_at(tokens, at)
        if unit is None:
            at += 1
            continue
        size, spelled_unit = unit
        found = _place_after(tokens, at + size)
        if found is not None and not _unit_as_spelled(tokens[at : at + size], spelled_unit):
            # A unit word read with another mark is one only before a province's name read
            # right ("tĩnh Lâm Đồng"): "cơ quan Chủ" is no "quận Chũ", "CƠ QUAN CHỈ ĐẠO" names no
            # commune, "Luật sư Phương Đại Nghĩa" no ward.
            as_read = tuple(token.strip(EDGES) for token in tokens[at + size : at + size + found[0]])
            if found[1] != as_read or ascii_key(" ".join(as_read)) not in province_names():
                found = None
        if found is not None:
            length, spelled = found
            for k, word in enumerate(spelled_unit):
                tokens[at + k] = _with_marks_of(word, tokens[at + k])
            for k, word in enumerate(spelled):
                tokens[at + size + k] = _with_marks_of(word, tokens[at + size + k])
            at += size + length
        else:
            at += size
    return " ".join(tokens)


def _unit_at(tokens: list[str], at: int) -> tuple[int, tuple[str, ...]] | None:
    for size in (2, 1):
        words = tuple(ascii_key(token.strip(EDGES)) for token in tokens[at : at + size])
        if len(words) == size and words in _unit_words() and not tokens[at + size - 1].endswith(tuple(EDGES)):
            return size, _unit_words()[words]
    return None


def _unit_as_spelled(read: list[str], spelled: tuple[str, ...]) -> bool:
    pairs = zip(read, spelled, strict=True)
    return all(soft_key(token.strip(EDGES)) == soft_key(word) for token, word in pairs)


def _place_after(tokens: list[str], start: int) -> tuple[int, tuple[str, ...]] | None:
    """The place (its length in tokens, its words as the gazetteer spells them) that opens
    ``tokens[start:]``, longest first; a spelling as read is kept as read; None when the run
    folds to no unit, or to two."""
    run: list[str] = []
    for token in tokens[start : start + MAX_PLACE_WORDS]:
        word = token.rstrip(EDGES)  # "(Làm báo cáo": a bracket opens no place
        if not (word.isalpha() and word[:1].isupper() and len(word) > 1):  # "tỉnh Ì": a speck
            break
        run.append(word)
        if token != word:
            break  # punctuation ends the name
    for size in range(len(run), 0, -1):
        read = " ".join(run[:size])
        spellings = admin_unit_spellings().get(ascii_key(read), set())
        if not spellings:
            continue
        if any(soft_key(read) == soft_key(name) for name in spellings):
            return size, tuple(run[:size])  # a unit as printed: its unit word may still need marks
        spelled = sole_spelling(spellings)
        return (size, tuple(spelled.split())) if spelled is not None else None
    return None


def _with_marks_of(spelled: str, token: str) -> str:
    """``token`` with the marks of ``spelled`` (the same letters), its case and punctuation kept."""
    word = token.strip(EDGES)
    start = token.index(word)
    return token[:start] + with_marks_of(spelled, word) + token[start + len(word) :]


def respell_line(doc: Document, page_number: int, line: Line) -> None:
    respelled = respelled_places(line.text)
    if respelled != line.text:
        doc.warn("ocr.place_respelled", f"page {page_number}: {line.text!r} read, places as {respelled!r}")
        line.text = respelled


@component("repair.place_names", requires=("pages.read",), assigns=("pages.place_names",))
def respell_place_names(ctx: Context) -> None:
    for page in ctx.doc.pages:
        if page.origin == "ocr":
            for line in page.lines:
                respell_line(ctx.doc, page.number, line)
