"""Mark slips of OCR'd words repaired by the document's own spelling of the same phrase.

A document repeats its phrases: the "phòng, chống ma tuý" of a title is in its body five
more times, a year's "Nhâm Dần" a dozen times. Tesseract's mark slips ("chông",
"chỗng", "Nhâm Dằn") are scattered among right readings of the same words, so the
document outvotes them: for each word of an OCR'd page, the other occurrences of its
letters in the same three-word context (letters without marks) vote for their spelling,
and a clear majority replaces the reading.

Only marks change (the stroke of đ among them: "Chủ đự án"), never letters, as the
contexts match on bare letters; and a word that already forms a lexicon word with a
neighbour as read is kept ("Hội đồng thi" is not outvoted by a page that misreads "đồng"
as "đông" more often than not). Text-layer pages vote but are never changed.

Two more passes use the document's word pairs (one neighbour, left or right):

- lexicon with support: the one re-marked spelling that makes a lexicon word with a
  neighbour (ocr_words.suggestion) replaces a reading Tesseract was sure of, when the
  document pairs that spelling with the same neighbours more often than the reading, by
  more than support_margin ("tô chức" among many "tổ chức"; "cấp tỉnh" is not turned
  into the lexicon's "cấp tính", which the document never writes); failing that, the one
  spelling with other letter marks that makes a lexicon word ("thành phó" -> "thành phố"),
  when the document writes it beside the same neighbours at least as often as the reading
  ("nước mùa mưa" stays: the document pairs "nước mùa" more often than the word "nước mưa");
  never a symbol's code ("TB/TU ngày" is no "từ ngày");
- pair majority: a clearer majority (pair_votes, pair_ratio) over one neighbour instead
  of two, which the pairs with the other neighbour must back as well; a reading that
  forms a lexicon word is still kept, unless the majority's spelling forms one too
  ("chuyên hoá" and "chuyển hoá" are both words: the document's pairs decide).

A last pass uses how common a spelling is in Vietnamese at large (lexicon.frequency):

- common spelling: a reading the document writes nowhere else, that forms no lexicon word
  with its neighbours and that Vietnamese rarely uses (under rare), gives way to the one
  other spelling of its letters that the document writes common_votes times or more and
  that is common_ratio times as common ("vôn NSTW" among four "vốn"; "đên", "nguôn").

Neither majority trades a common word for a spelling Vietnamese next to never writes: a
page that misreads one phrase the same way twice ("ma tuý đên năm") does not outvote the
right reading (bench/ocr_marks.py in session 17: 886 -> 884 errors, none added; the letter
marks of the lexicon with support, 884 -> 857: 73 more words repaired, 6 more spoiled).

A first pass reads a word with a letter Vietnamese never writes ("cñ", "quÿ") as the known
syllable the look-alike table makes of it ("cũ", "quỹ"; data/ocr_lookalikes.json).

Measured by bench/ocr_marks.py (the corpus's 21 text-layer PDFs read as scans, their text
layer as the truth, 103k words): mark errors 1.87 % as Tesseract reads, 1.21 % after the
OCR step's lexicon repair, 0.88 % after the window majority, 0.81 / 0.75 / 0.73 % after
the lexicon with support, pair majority and common spelling passes (which repair 188
words and spoil 35; some of the spoiled are typos of the text layer: "ket", "vá"). On the
grown corpus (25 PDFs, 118k words) in session 14: 1.93 % as read, 0.75 % after; a tie in
the window vote left alone and a neighbour across a line break never paired elsewhere not
counted against the pairs took the pair majority from 921 to 916 errors (109 repaired, 25
spoiled, against 103 and 24) and the end from 892 to 887.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pipeline.model import Document, Page
from pipeline.nlp.lookalikes import foreign_marks
from pipeline.registry import Context, component, current_settings
from pipeline.repair.lexicon import frequency
from pipeline.repair.ocr_words import (
    LOOSE_TONES,
    Syllable,
    bare,
    canonical,
    in_a_word,
    spell,
    suggestion,
    with_case_of,
)
from pipeline.repair.quality import is_known_syllable, is_syllable

# Words, numbers and punctuation; the last two are context only ("số 27/2017", "trình. Để").
_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")


@dataclass(frozen=True)
class ConsistencySettings:
    """repair.consistency's votes and ratios (``--set repair.consistency.KEY=VALUE``)."""

    # A spelling replaces the reading when at least this many other occurrences have it and
    # it outnumbers the reading's own spelling (the reading itself included) this many times.
    min_votes: int = 2
    min_ratio: int = 2
    # Words per window of context around the word voted on.
    window: int = 3
    # Pair majority: this many other pairs with one neighbour, this many times the reading's.
    pair_votes: int = 3
    pair_ratio: int = 3
    # Lexicon with support: the suggestion's pairs must outnumber the reading's by more than this.
    support_margin: int = 1
    # Common spelling: a rare reading's frequency per word, the other spelling's votes and ratio.
    rare: float = 1e-5
    common_votes: int = 2
    common_ratio: int = 100


def _settings() -> ConsistencySettings:
    return current_settings(ConsistencySettings)


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
    window = _settings().window
    for start in range(max(0, index - window + 1), min(index, len(tokens) - window) + 1):
        keys = tuple(token.key for token in tokens[start : start + window])
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


def _lexicon_context(tokens: list[Token], index: int) -> tuple[list[Syllable], int]:
    """The syllables a lexicon word holding token ``index`` can span, and its place among them."""
    lo, hi = max(0, index - 2), min(len(tokens), index + 3)
    return [token.syllable for token in tokens[lo:hi]], index - lo


def _in_a_lexicon_word(tokens: list[Token], index: int) -> bool:
    return in_a_word(*_lexicon_context(tokens, index))


def majority_spelling(
    tokens: list[Token], contexts: dict[tuple[tuple[str, ...], int], list[int]], index: int
) -> Syllable | None:
    """The spelling the document outvotes token ``index``'s reading with, else None."""
    token = tokens[index]
    votes = _votes(tokens, contexts, index)
    if not votes:
        return None
    (best, count), *runner_up = votes.most_common(2)
    settings = _settings()
    own = votes[token.syllable] + 1
    if best == token.syllable or count < settings.min_votes or count < settings.min_ratio * own:
        return None
    if runner_up and runner_up[0][1] == count:
        return None  # two spellings tie ("hồ" and "hỗ" twice each): no majority, the reading stays
    if not is_syllable(spell(best)) or _in_a_lexicon_word(tokens, index):
        return None
    if _rarer(best, token.syllable):
        return None  # the page misread one word the same way twice: "tuý đên năm" over "đến"
    return best


def _rarer(spelling: Syllable, reading: Syllable) -> bool:
    """Whether ``spelling`` is one Vietnamese rarely writes and ``reading`` common_ratio times
    as common: a vote never trades a common word for a rare one ("đến" for "đên", "gồm" for
    "gôm"; "trùng" may still give way to the rarer "trũng", forty times less common)."""
    settings = _settings()
    rarity = frequency(spell(spelling))
    floor = settings.common_ratio * max(rarity, settings.rare / settings.common_ratio)
    return rarity < settings.rare and frequency(spell(reading)) >= floor


Counts = TypeVar("Counts")
# Spellings of a word next to a neighbour: (side, own bare letters, neighbour's) -> counts.
PairCounts = dict[tuple[int, str, str], Counter[Syllable]]


def _neighbours(tokens: list[Token], index: int) -> Iterator[tuple[int, Token]]:
    """(side, token) of the words right before (-1) and after (+1) token ``index``."""
    for side in (-1, 1):
        at = index + side
        if 0 <= at < len(tokens) and tokens[at].text.isalpha():
            yield side, tokens[at]


def _pair_counts(tokens: list[Token]) -> PairCounts:
    counts: PairCounts = defaultdict(Counter)
    for index, token in enumerate(tokens):
        if token.text.isalpha():
            for side, neighbour in _neighbours(tokens, index):
                counts[(side, token.key, neighbour.key)][token.syllable] += 1
    return counts


def _pair_votes(tokens: list[Token], pairs: PairCounts, index: int) -> Counter[Syllable]:
    """Spellings of token ``index``'s letters beside its neighbours, itself not counted."""
    token = tokens[index]
    votes: Counter[Syllable] = Counter()
    for side, neighbour in _neighbours(tokens, index):
        votes.update(pairs[(side, token.key, neighbour.key)])
        votes[token.syllable] -= 1
    return votes


def pair_majority(tokens: list[Token], pairs: PairCounts, index: int) -> Syllable | None:
    """The spelling the document's pairs outvote token ``index``'s reading with, else None."""
    token = tokens[index]
    votes = _pair_votes(tokens, pairs, index)
    others = [(count, spelling) for spelling, count in votes.items() if spelling != token.syllable]
    if not others:
        return None
    count, best = max(others)
    settings = _settings()
    if (
        count < settings.pair_votes
        or count < settings.pair_ratio * (votes[token.syllable] + 1)
        or not is_syllable(spell(best))
        or _rarer(best, token.syllable)
    ):
        return None
    if not _each_side_backs(tokens, pairs, index, best):
        return None
    if _in_a_lexicon_word(tokens, index):
        syllables, at = _lexicon_context(tokens, index)
        syllables[at] = best
        if not in_a_word(syllables, at):
            return None
    return best


def _each_side_backs(tokens: list[Token], pairs: PairCounts, index: int, spelling: Syllable) -> bool:
    """Whether the pairs with each neighbour hold ``spelling`` more often than the reading
    (itself not counted). One neighbour's majority is no evidence when the other neighbour
    disagrees, ties or has never been seen beside these letters: on bench/ocr_marks.py's
    103k words, asking both sides halves what the pass spoils (144 -> 66 words)."""
    token = tokens[index]
    for side, neighbour in _neighbours(tokens, index):
        counts = pairs[(side, token.key, neighbour.key)]
        if neighbour.slot != token.slot and counts.total() == 1:
            continue  # a word on the line before or after, never seen beside these letters elsewhere
        if counts[spelling] <= counts[token.syllable] - 1:
            return False
    return True


def supported_suggestion(tokens: list[Token], pairs: PairCounts, index: int) -> Syllable | None:
    """The lexicon's respelling of token ``index`` when the document's pairs back it."""
    syllables, at = _lexicon_context(tokens, index)
    votes = _pair_votes(tokens, pairs, index)
    reading = tokens[index].syllable
    found = suggestion(syllables, at, LOOSE_TONES)
    if found is not None and found != reading:
        return found if votes[found] > votes[reading] + _settings().support_margin else None
    if _in_a_code(tokens, index):
        return None
    found = suggestion(syllables, at, LOOSE_TONES, letters=True)
    if found is None or found == reading:
        return None
    return found if votes[found] >= max(1, votes[reading]) else None


def _in_a_code(tokens: list[Token], index: int) -> bool:
    """A symbol's code in capitals ("212-TB/TU ngày"): an abbreviation, not a word."""
    return tokens[index].text.isupper() and index > 0 and tokens[index - 1].text in "/-"


def _spellings(tokens: list[Token]) -> dict[str, Counter[Syllable]]:
    """How the document spells each word's bare letters, and how often."""
    found: dict[str, Counter[Syllable]] = defaultdict(Counter)
    for token in tokens:
        if token.text.isalpha():
            found[token.key][token.syllable] += 1
    return found


def common_spelling(
    tokens: list[Token], spellings: dict[str, Counter[Syllable]], index: int
) -> Syllable | None:
    """The document's common spelling for a rare reading written only at ``index``, else None."""
    token = tokens[index]
    written = spellings[token.key]
    if written[token.syllable] > 1 or _in_a_lexicon_word(tokens, index):
        return None
    rarity = frequency(spell(token.syllable))
    settings = _settings()
    if rarity >= settings.rare:
        return None
    ratio = settings.common_ratio
    common = [
        spelling
        for spelling, count in written.items()
        if spelling != token.syllable
        and count >= settings.common_votes
        and frequency(spell(spelling)) >= ratio * max(rarity, settings.rare / ratio)
    ]
    return common[0] if len(common) == 1 else None


@dataclass(frozen=True)
class Pass(Generic[Counts]):
    """One repair pass: what it counts over the document, and how it chooses a spelling."""

    name: str
    count: Callable[[list[Token]], Counts]
    choose: Callable[[list[Token], Counts, int], Syllable | None]

    def respellings(self, doc: Document) -> list[tuple[Token, str]]:
        """(token, new text) for every OCR'd word this pass respells."""
        tokens = document_tokens(doc)
        counts = self.count(tokens)
        found = []
        for index, token in enumerate(tokens):
            if token.changeable and (spelling := self.choose(tokens, counts, index)) is not None:
                found.append((token, with_case_of(token.text, spell(spelling))))
        return found


def apply_repairs(doc: Document, found: list[tuple[Token, str]]) -> None:
    """Write the respellings into the document's lines."""
    # Right to left within a line, so earlier spans stay valid.
    for token, text in sorted(found, key=lambda item: (item[0].slot, -item[0].start)):
        line = doc.pages[token.slot[0]].lines[token.slot[1]]
        line.text = line.text[: token.start] + text + line.text[token.end :]


def _nothing(tokens: list[Token]) -> None:
    return None


def foreign_letters(tokens: list[Token], _: None, index: int) -> Syllable | None:
    """A word with a letter Vietnamese never writes ("cñ", "quÿ"), read as the syllable the
    look-alike table makes of it ("cũ", "quỹ") when that is a syllable Vietnamese writes, else
    None ("Pöng" stays: "Pông" is none)."""
    text = tokens[index].text
    mended = text.translate(foreign_marks())
    if len(text) < 2 or mended == text or not is_known_syllable(mended.lower()):
        return None  # a letter alone is a speck as often as a word ("ï" beside a seal)
    return canonical(mended)


# The passes in order; each reads the text the one before left (bench/ocr_marks.py measures
# them one by one).
PASSES: tuple[Pass[Any], ...] = (
    Pass("foreign letters", _nothing, foreign_letters),
    Pass("window majority", _contexts, majority_spelling),
    Pass("lexicon with support", _pair_counts, supported_suggestion),
    Pass("pair majority", _pair_counts, pair_majority),
    Pass("common spelling", _spellings, common_spelling),
)


@component(
    "repair.consistency", requires=("pages.read",), assigns=("text.repaired",), settings=ConsistencySettings
)
def repair_by_consistency(ctx: Context) -> None:
    if not any(page.origin == "ocr" for page in ctx.doc.pages):
        return
    for repair in PASSES:
        apply_repairs(ctx.doc, repair.respellings(ctx.doc))
