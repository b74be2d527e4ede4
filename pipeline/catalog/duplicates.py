"""Files that are the same document: a draft and its signed copy, a DOCX and its PDF, a scan and its text.

Each text is cut into shingles of ``SHINGLE`` consecutive words (folded: case, tone placement,
punctuation dropped); MinHash signatures (datasketch) and locality-sensitive hashing find the
candidate pairs; each candidate is then confirmed on the exact Jaccard similarity of the shingle
sets. Two files whose headers name different documents are never grouped, however alike their text:
a yearly plan and the five-year plan it implements, or two licences made from one template,
share most of their words. Headers differ when both numbers and symbols are printed and differ,
when the issued dates contradict each other (a draft's "2026-03" agrees with "2026-03-15"; "2025-12"
does not), or when the summaries name different years or read differently.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz

from pipeline.evaluate.fold import fold

SHINGLE = 3
NUM_PERM = 128
# datasketch's hashing scheme; signatures stored in the catalog are read back with the same one.
SCHEME = "affine32"
# The base hash of a shingle: CRC-32 (zlib, in C) is stable across processes, as stored signatures
# must be, and several times faster than datasketch's default SHA-1; the scheme's random affine
# permutations make the minimums.
HASH = zlib.crc32
# Above this MinHash estimate a pair is the same text without counting shingles (with 128
# permutations the estimate's standard error is at most 0.045).
SURE = 0.9
# Jaccard similarity of word 3-shingles above which two texts are the same document. Measured on
# the corpus pairs (README, "Duplicates"): same documents score 0.55 and up, different ones below 0.3.
THRESHOLD = 0.5
# Texts with fewer shingles than this (a failed read, a one-line page) are never grouped.
MIN_SHINGLES = 30

# Summaries of one document read by OCR and from a text layer stay above this (rapidfuzz ratio).
SUMMARY_AGREEMENT = 75

_WORD = re.compile(r"\w+")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def shingles(text: str, *, folded: bool = False) -> set[str]:
    """Word shingles of a text (``folded``: the text is already ``fold``ed, as the catalog stores it)."""
    words = _WORD.findall(text if folded else fold(text))
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def signature(shingle_set: Iterable[str]) -> bytes:
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=HASH)
    minhash.update_batch([s.encode("utf-8") for s in shingle_set])
    return minhash.hashvalues.astype(np.uint64).tobytes()


def _minhash(blob: bytes) -> MinHash:
    return MinHash(
        num_perm=NUM_PERM, hashvalues=np.frombuffer(blob, dtype=np.uint64), scheme=SCHEME, hashfunc=HASH
    )


@dataclass
class Item:
    """One document as duplicate detection sees it."""

    key: int
    signature: bytes | None
    number_symbol: str | None = None
    issued_date: str | None = None
    summary: str | None = None  # folded


def _conflict(a: Item, b: Item) -> bool:
    """The two headers name different documents."""
    if a.number_symbol and b.number_symbol and a.number_symbol != b.number_symbol:
        return True
    if (
        a.issued_date
        and b.issued_date
        and not (a.issued_date.startswith(b.issued_date) or b.issued_date.startswith(a.issued_date))
    ):
        return True
    if a.summary and b.summary:
        if set(_YEAR.findall(a.summary)) != set(_YEAR.findall(b.summary)):
            return True
        return fuzz.ratio(a.summary, b.summary) < SUMMARY_AGREEMENT
    return False


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def find_groups(
    items: Sequence[Item],
    shingles_of: Callable[[int], set[str]] | None = None,
    threshold: float = THRESHOLD,
) -> list[tuple[list[int], float]]:
    """Groups of item keys (two or more) that are the same document, each with its lowest similarity.

    ``shingles_of(key)`` gives an item's shingles to confirm a candidate pair exactly; without it
    the MinHash estimate decides.
    """
    cache: dict[int, set[str]] = {}

    def exact(key: int) -> set[str]:
        assert shingles_of is not None
        if key not in cache:
            cache[key] = shingles_of(key)
        return cache[key]

    usable = [item for item in items if item.signature is not None]
    lsh = MinHashLSH(threshold=max(0.05, threshold - 0.15), num_perm=NUM_PERM)
    by_key: dict[int, Item] = {}
    minhashes: dict[int, MinHash] = {}
    for item in usable:
        assert item.signature is not None
        minhashes[item.key] = _minhash(item.signature)
        lsh.insert(item.key, minhashes[item.key])
        by_key[item.key] = item
    parent = {item.key: item.key for item in usable}

    def root(key: int) -> int:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    lowest: dict[int, float] = {}
    edges: list[tuple[int, int, float]] = []
    for item in usable:
        for other_key in lsh.query(minhashes[item.key]):
            if other_key <= item.key:
                continue
            other = by_key[other_key]
            if _conflict(item, other):
                continue
            similarity = minhashes[item.key].jaccard(minhashes[other_key])
            if shingles_of is not None and similarity < SURE:
                similarity = jaccard(exact(item.key), exact(other_key))
            if similarity >= threshold:
                edges.append((item.key, other_key, similarity))
    members = {item.key: [item.key] for item in usable}
    for a, b, similarity in sorted(edges, key=lambda e: -e[2]):
        ra, rb = root(a), root(b)
        if ra == rb:
            lowest[ra] = min(lowest.get(ra, 1.0), similarity)
            continue
        # A group never joins two files that name different documents.
        if any(_conflict(by_key[x], by_key[y]) for x in members[ra] for y in members[rb]):
            continue
        parent[rb] = ra
        members[ra].extend(members.pop(rb))
        lowest[ra] = min(lowest.pop(rb, 1.0), lowest.get(ra, 1.0), similarity)
    groups: dict[int, list[int]] = {}
    for key in parent:
        groups.setdefault(root(key), []).append(key)
    return [(sorted(keys), lowest.get(r, 1.0)) for r, keys in groups.items() if len(keys) > 1]
