"""Letters no Vietnamese word holds, put back from the document's own spelling.

Some text layers map a few accented capitals of their font to the wrong code points: a
PDF made from a legacy capitals font writes "XÃ QUẢNG PHÖ" for "XÃ QUẢNG PHÚ", while
its body, set in another font, reads "xã Quảng Phú". Vietnamese has no Ä, Ë, Ï, Ö, Ü,
Å, Ø, Ñ or Ç, so a word holding one of them on a text-layer page is a broken glyph. It
is respelled as the document itself writes the word: a word of the same length whose
other letters agree (marks aside) and whose letter at each broken place is a vowel, seen
after the same preceding word; the respelling must be the only one the document offers.
Each repair is reported in a ``text.respelled`` warning; a word with no such spelling in
the document is left as read.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict

from pipeline.model import Document
from pipeline.nlp.text import ascii_key
from pipeline.registry import Context, component

FOREIGN = frozenset("ÄËÏÖÜÅØÑÇÆäëïöüåøñçæ")
VOWELS = frozenset("aeiouy")
WORD = re.compile(r"\w+")


def _has_foreign(word: str) -> bool:
    return any(char in FOREIGN for char in word)


def _fits(reading: str, spelling: str) -> bool:
    """Whether ``spelling`` may be what ``reading`` stands for: same length, the same letters
    (marks and case aside) except at the broken places, where it has a vowel."""
    if len(reading) != len(spelling) or _has_foreign(spelling):
        return False
    for read, spelt in zip(reading, spelling, strict=True):
        spelt_key = ascii_key(spelt)
        if read in FOREIGN:
            if spelt_key not in VOWELS:
                return False
        elif ascii_key(read) != spelt_key:
            return False
    return True


def _in_case_of(spelling: str, reading: str) -> str:
    return spelling.upper() if reading.isupper() else spelling


def _words_after(doc: Document) -> dict[str, set[str]]:
    """For each word's bare key, the words the document writes right after it (lower case)."""
    after: dict[str, set[str]] = defaultdict(set)
    for page in doc.pages:
        for line in page.lines:
            words = WORD.findall(line.text)
            for previous, word in itertools.pairwise(words):
                if not _has_foreign(word):
                    after[ascii_key(previous)].add(word.lower())
    return after


def respell_broken_glyphs(doc: Document) -> int:
    """Respell the words of text-layer pages that hold a letter foreign to Vietnamese; return
    how many were respelled."""
    after: dict[str, set[str]] | None = None
    repaired = 0
    for page in doc.pages:
        if page.origin == "ocr":
            continue
        for line in page.lines:
            if not any(char in FOREIGN for char in line.text):
                continue
            after = after if after is not None else _words_after(doc)
            text = line.text
            for previous, match in zip([None, *WORD.finditer(text)], WORD.finditer(text), strict=False):
                reading = match.group()
                if not _has_foreign(reading) or previous is None:
                    continue
                spellings = {s for s in after.get(ascii_key(previous.group()), ()) if _fits(reading, s)}
                if len(spellings) != 1:
                    continue
                spelling = _in_case_of(spellings.pop(), reading)
                text = text[: match.start()] + spelling + text[match.end() :]
                doc.warn(
                    "text.respelled",
                    f"page {page.number}: {reading!r} (a letter no Vietnamese word holds) "
                    f"respelled {spelling!r} as the document writes it",
                )
                repaired += 1
            line.text = text
    return repaired


@component("repair.glyphs", requires=("text.nfc",), assigns=("text.glyphs",))
def repair_broken_glyphs(ctx: Context) -> None:
    respell_broken_glyphs(ctx.doc)
