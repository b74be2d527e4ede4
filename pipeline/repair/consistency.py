"""Mark slips of OCR'd words repaired by the document's own spelling of the same phrase.

A document repeats its phrases: the "phòng, chống ma tuý" of 075's title is in its body
five more times, "Nhâm Dần" a dozen times in 093. Tesseract's mark slips ("chông",
"chỗng", "Nhâm Dằn") are scattered among right readings of the same words, so the
document outvotes them: for each word of an OCR'd page, the other occurrences of its
letters in the same three-word context (letters without marks) vote for their spelling,
and a clear majority replaces the reading.

Only marks change (the stroke of đ among them: "Chủ đự án"), never letters, as the
contexts match on bare letters; and a word that already forms a lexicon word with a
neighbour as read is kept ("Hội đồng thi" is not outvoted by a page that misreads "đồng"
as "đông" more often than not). Text-layer pages vote but are never changed.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.model import Document, Page
from pipeline.registry import Context, component
from pipeline.repair.ocr_words import Syllable, bare, canonical, in_a_word, spell, with_case_of
from pipeline.repair.quality import is_syllable

# Words, numbers and punctuation; the last two are context only ("số 27/2017", "trình. Để").
_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")
# A spelling replaces the reading when at least this many other occurrences have it and
# it outnumbers the reading's own spelling (the reading itself included) this many times.
MIN_VOTES = 2
MIN_RATIO = 2
# Words per window of context around the word voted on.
WINDOW = 3


@dataclass
class Token:
    """One word of the document: where its text lives and how it is read."""

    slot: tuple[int, int]  # (page index, line index) of the text holding it
    start: int
    end: int
    text: str
    key: str  # bare letters
    syllable: Syllable  # letters with letter marks, and tone
    changeable: bool


def _texts(doc: Document) -> Iterator[tuple[tuple[int, int], str, Page]]:
    for page_index, page in enumerate(doc.pages):
        for line_index, line in enumerate(page.lines):
            yield (page_index, line_index), line.text, page


def document_tokens(doc: Document) -> list[Token]:
    """Every word of every page, in reading order."""
    tokens: list[Token] = []
    for slot, text, page in _texts(doc):
        for match in _TOKEN.finditer(text):
            word = match.group()
            tokens.append(
                Token(
                    slot=slot,
                    start=match.start(),
                    end=match.end(),
                    text=word,
                    key=bare(word),
                    syllable=canonical(word),
                    changeable=page.origin == "ocr" and word.isalpha(),
                )
            )
    return tokens


def _informative(keys: tuple[str, ...], offset: int) -> bool:
    """Whether a window says something beyond its word: a window of punctuation around
    a word ("- Đài", "(để") matches anything."""
    return any(key.isalnum() for at, key in enumerate(keys) if at != offset)


def _windows(tokens: list[Token], index: int) -> Iterator[tuple[tuple[str, ...], int]]:
    """(bare letters of a window, position of token ``index`` in it) for each window."""
    for start in range(max(0, index - WINDOW + 1), min(index, len(tokens) - WINDOW) + 1):
        keys = tuple(token.key for token in tokens[start : start + WINDOW])
        if _informative(keys, index - start):
            yield keys, index - start


def _contexts(tokens: list[Token]) -> dict[tuple[tuple[str, ...], int], list[int]]:
    """Token indexes by the windows they stand in."""
    found: dict[tuple[tuple[str, ...], int], list[int]] = defaultdict(list)
    for index in range(len(tokens)):
        for window in _windows(tokens, index):
            found[window].append(index)
    return found


def _votes(
    tokens: list[Token], contexts: dict[tuple[tuple[str, ...], int], list[int]], index: int
) -> Counter[Syllable]:
    """Spellings of the other occurrences standing in a window with token ``index``."""
    others: set[int] = set()
    for window in _windows(tokens, index):
        others.update(contexts[window])
    others.discard(index)
    return Counter(tokens[other].syllable for other in others)


def _in_a_lexicon_word(tokens: list[Token], index: int) -> bool:
    lo, hi = max(0, index - 2), min(len(tokens), index + 3)
    return in_a_word([token.syllable for token in tokens[lo:hi]], index - lo)


def majority_spelling(
    tokens: list[Token], contexts: dict[tuple[tuple[str, ...], int], list[int]], index: int
) -> Syllable | None:
    """The spelling the document outvotes token ``index``'s reading with, else None."""
    token = tokens[index]
    votes = _votes(tokens, contexts, index)
    if not votes:
        return None
    best, count = votes.most_common(1)[0]
    if best == token.syllable or count < MIN_VOTES or count < MIN_RATIO * (votes[token.syllable] + 1):
        return None
    if not is_syllable(spell(best)) or _in_a_lexicon_word(tokens, index):
        return None
    return best


def repairs(doc: Document) -> list[tuple[Token, str]]:
    """(token, new text) for every OCR'd word the document's majority respells."""
    tokens = document_tokens(doc)
    contexts = _contexts(tokens)
    found = []
    for index, token in enumerate(tokens):
        if not token.changeable:
            continue
        spelling = majority_spelling(tokens, contexts, index)
        if spelling is not None:
            found.append((token, with_case_of(token.text, spell(spelling))))
    return found


@component("repair.consistency")
def repair_by_consistency(ctx: Context) -> None:
    if not any(page.origin == "ocr" for page in ctx.doc.pages):
        return
    # Right to left within a line, so earlier spans stay valid.
    for token, text in sorted(repairs(ctx.doc), key=lambda item: (item[0].slot, -item[0].start)):
        line = ctx.doc.pages[token.slot[0]].lines[token.slot[1]]
        line.text = line.text[: token.start] + text + line.text[token.end :]
