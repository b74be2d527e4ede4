"""References resolved to the catalog documents they name (number and symbol, date, issuer).

A citation names one document when exactly one catalog document (or one group of files that
are the same document) has its number and symbol, an issued date that agrees with the cited
date, and an issuer that contains the cited issuer once its abbreviations are spelled out
("UBND tỉnh" -> "Ủy ban nhân dân tỉnh") and the title of the person who signs for it is dropped
("Bộ trưởng Bộ Nội vụ" -> "Bộ Nội vụ"). Numbers and symbols repeat every year and in every
province, so a citation that several documents could answer stays unresolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from pipeline.data import load_data
from pipeline.evaluate.fold import fold


@cache
def _words() -> dict[str, Any]:
    data: dict[str, Any] = load_data("catalog_words")
    return data


@cache
def _abbreviations() -> dict[str, str]:
    return {fold(short): fold(long) for short, long in _words()["issuer_abbreviations"].items()}


@cache
def _titles() -> tuple[str, ...]:
    # Longest first, so that "Phó Chủ tịch" goes before "Chủ tịch" could.
    return tuple(sorted((fold(title) + " " for title in _words()["issuer_titles"]), key=len, reverse=True))


_WORD = re.compile(r"\w+")


def issuer_words(issuer: str, *, cited: bool = False) -> list[str]:
    """The words of an issuer with abbreviations spelled out; a cited one loses its leading title."""
    folded = fold(issuer)
    if cited:
        for title in _titles():
            if folded.startswith(title):
                folded = folded[len(title) :]
                break
    expanded = [_abbreviations().get(word, word) for word in _WORD.findall(folded)]
    return _WORD.findall(" ".join(expanded))


@dataclass
class Candidate:
    id: int
    issued_date: str | None
    issuer: str | None
    place: str | None
    duplicate_group: int | None
    status: str
    has_number: bool


def dates_agree(cited: str | None, issued: str | None) -> bool:
    """A cited date agrees with an issued date unless they contradict ('2026-01' ~ '2026-01-15')."""
    if not cited or not issued:
        return True
    return cited.startswith(issued) or issued.startswith(cited)


def issuers_agree(cited: str | None, issuer: str | None, place: str | None) -> bool:
    if not cited or not issuer:
        return True
    have = set(issuer_words(issuer)) | set(issuer_words(place or ""))
    return set(issuer_words(cited, cited=True)) <= have


def choose(candidates: list[Candidate], cited_date: str | None, cited_issuer: str | None) -> Candidate | None:
    fitting = [
        c
        for c in candidates
        if dates_agree(cited_date, c.issued_date) and issuers_agree(cited_issuer, c.issuer, c.place)
    ]
    groups = {c.duplicate_group if c.duplicate_group is not None else -c.id for c in fitting}
    if len(groups) != 1:
        return None
    # Within one group of copies, the signed, fully read copy stands for the document.
    return min(fitting, key=lambda c: (c.status != "ok", not c.has_number, c.id))
