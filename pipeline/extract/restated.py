"""A scanned trích yếu's damaged stretch read again where the document restates it.

A stamp or a seal pressed over a title spoils a few of its words ("khu vực nội thành Thành
pHanba›netrn earnr2(0)20"), but a document says what it is about more than once: a decision's
Article 1 approves "Kế hoạch ... khu vực nội thành Thành phố mùa mưa năm 2026", a letter's
first paragraph names the matter again. Where the words before the damage (and those after
it, when the title goes on) stand in the document's text word for word, the words between
them there are the damaged stretch's second reading.

Precision first: the words around the damage must agree letter for letter (marks aside) with
the restatement, every restatement found must give the same words, those words must be
plain words and numbers of about the damaged stretch's length, and a year must be a year.
Anything else leaves the summary blank, as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise

from pipeline.nlp.text import WORD_EDGES
from pipeline.repair.ocr_words import bare
from pipeline.repair.quality import is_known_syllable

# Words before the damage that must stand in the restatement as read: fewer is no evidence
# that the passage restates the title ("của tỉnh" is everywhere).
MIN_ANCHOR = 4
# Words compared before the damage, all of which must stand in the restatement (a long
# title's opening may be restated apart).
MAX_ANCHOR = 8
# The restated words' length against the damaged stretch's, in characters (debris cut from a
# title's end shortens the stretch as read).
LENGTH_RATIO = (0.5, 2.0)
# A title's last words end where the restatement's clause does: at a mark, or before these.
CLAUSE_END = re.compile(r"[,.;:]$")
CLAUSE_AFTER = frozenset({"kèm"})  # "..., kèm theo Quyết định này"
# Restated words at most taken for a title's damaged end.
MAX_TAIL = 12
YEAR = re.compile(r"(19|20)\d\d")


def _key(token: str) -> str:
    return bare(token.strip(WORD_EDGES))


def mended(summary: str, is_damaged: Callable[[str], bool], texts: list[str]) -> str | None:
    """``summary`` with its one damaged stretch read from ``texts`` (the document's other
    lines, in reading order), else None."""
    tokens = summary.split()
    damaged = [at for at, token in enumerate(tokens) if is_damaged(token)]
    if not damaged:
        return None
    start, end = damaged[0], _damage_end(tokens, damaged[-1])
    if start < MIN_ANCHOR:
        return None
    anchor = [_key(token) for token in tokens[max(0, start - MAX_ANCHOR) : start]]
    tail = [_key(token) for token in tokens[end:]]
    body = " ".join(texts).split()
    keys = [_key(token) for token in body]
    readings = {
        reading
        for at in _anchored(keys, anchor)
        if (reading := _reading(body, keys, at, tail, tokens[start:end])) is not None
    }
    if len(readings) != 1:
        return None
    return " ".join([*tokens[:start], readings.pop()])


def _damage_end(tokens: list[str], last: int) -> int:
    """The end of the damaged stretch: past the last damaged word, over the words that are
    no syllable either ("earnr2(0)20" after "pHanba›netrn"), and over the word a lone mark
    stands before (a letter read as a mark and set apart: "! âm Đồng" for "Lâm Đồng")."""
    end = last + 1
    if len(tokens[last]) == 1 and end < len(tokens):
        end += 1
    while end < len(tokens) and not _plain(tokens[end]):
        end += 1
    return end


def _plain(token: str) -> bool:
    """A word or a number as print has it."""
    word = token.strip(WORD_EDGES)
    return bool(word) and (word.isdigit() or is_known_syllable(word) or _code(word))


def _code(word: str) -> bool:
    return word.isupper() or bool(re.fullmatch(r"[\w/-]*\d[\w/-]*", word))


def _anchored(keys: list[str], anchor: list[str]) -> list[int]:
    """Where the words after ``anchor`` begin in ``keys``, wherever it stands there whole."""
    size = len(anchor)
    return [at + size for at in range(len(keys) - size + 1) if keys[at : at + size] == anchor]


def _reading(body: list[str], keys: list[str], at: int, tail: list[str], damaged: list[str]) -> str | None:
    """The restatement's words from ``at`` to the title's end: those standing for ``damaged``,
    then ``tail`` when the title goes on (as the restatement prints it: a speck the scan read
    as a stop is not there), else up to the clause's end. None when the words for the damage
    are no plain words of about its length."""
    if tail:
        span = next(
            (size for size in range(1, len(damaged) + 3) if keys[at + size : at + size + len(tail)] == tail),
            None,
        )
        if span is None:
            return None
        words, rest = body[at : at + span], body[at + span : at + span + len(tail)]
    else:
        words, rest = _to_clause_end(body[at : at + MAX_TAIL]), []
    low, high = LENGTH_RATIO
    size = len(" ".join(damaged))
    if not words or not low * size <= len(" ".join(words).rstrip(WORD_EDGES)) <= high * size:
        return None
    if not all(_plain(word) for word in words) or not _years_are_years(body[at - 1 : at + len(words)]):
        return None
    return " ".join([*words, *rest]).rstrip(WORD_EDGES)


def _to_clause_end(words: list[str]) -> list[str]:
    kept: list[str] = []
    for word in words:
        if kept and word.lower() in CLAUSE_AFTER:
            return kept
        kept.append(word)
        if CLAUSE_END.search(word):
            return kept
    return []  # no end within reach: where the title ends is not known


def _years_are_years(words: list[str]) -> bool:
    return not any(year_slip(before, word) for before, word in pairwise(words))


def year_slip(before: str, word: str) -> bool:
    """A number after "năm" that is no year of four digits ("năm 226", "năm 20926")."""
    number = word.strip(WORD_EDGES)
    return before.lower() == "năm" and number.isdigit() and not YEAR.fullmatch(number)
