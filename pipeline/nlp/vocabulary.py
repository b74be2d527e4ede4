"""Closed vocabularies with fuzzy snapping: OCR misreadings of closed-class words put back.

A scan's signer title comes out of Tesseract as "PHÓ CHỦ TỊC", "GIÁM ĐÓC" or "THƯ TRƯƠNG"; the
words of such a line come from a short closed list (Decree 30's titles), so the reading is
snapped to the nearest entry when it is near enough and nearer to it than to any other entry.
Matching is on diacritic-free keys, with the marks deciding between entries that fold alike;
the case of the reading is kept (a title printed in capitals stays in capitals).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from pipeline.data import load_data
from pipeline.nlp.text import ascii_key, is_upper_text

# Edits allowed per word of a diacritic-free key: words of up to SHORT_WORD letters must be
# exact ("tổ" and "vụ" make different titles), longer ones may differ by one OCR slip
# ("tịc" for "tịch"), at most MAX_EDITS in the phrase.
SHORT_WORD = 2
MAX_EDITS = 2
# Between two entries as near on the bare key, the marks as read must favour one by at least
# this many edits: a reading halfway between two entries is left as read.
MARGIN = 1
# A title never takes more words than this.
MAX_WORDS = 6


@dataclass(frozen=True)
class Snap:
    """A reading put back to a vocabulary entry: ``text`` is the whole line repaired."""

    text: str
    entry: str
    read: str  # the words as read, before the repair


def word_edits(reading: list[str], entry: list[str]) -> int | None:
    """Edits between two phrases of bare words, word by word; None past what OCR explains."""
    if len(reading) != len(entry):
        return None
    specks = edits = 0
    for read, word in zip(reading, entry, strict=True):
        if not any(ch.isalpha() for ch in read):
            specks += 1  # a speck where a word was ("UỶ .® NHÂN DÂN"): one unknown word
            continue
        slips = Levenshtein.distance(read, word)
        if slips > (0 if len(word) <= SHORT_WORD else 1):
            return None
        edits += slips
    if specks and edits:
        return None  # a word lost and another misread: nothing left to tell the entry by ("^^ DÂN")
    return specks + edits if specks + edits <= MAX_EDITS else None


class Vocabulary:
    """A closed list of phrases ("Phó Chủ tịch", "Giám đốc") to snap readings to."""

    def __init__(self, entries: list[str]) -> None:
        self.entries = list(dict.fromkeys(entries))
        self._words = {entry: ascii_key(entry).split() for entry in self.entries}

    def nearest(self, phrase: str) -> tuple[str, int] | None:
        """(entry, edits) of the one entry ``phrase`` may stand for, else None."""
        words = ascii_key(phrase).split()
        if not words:
            return None
        scored = sorted(
            (edits, _marks_distance(phrase, entry), entry)
            for entry, entry_words in self._words.items()
            if (edits := word_edits(words, entry_words)) is not None
        )
        if not scored:
            return None
        best = scored[0]
        if len(scored) > 1 and scored[1][0] == best[0] and scored[1][1] - best[1] < MARGIN:
            return None  # as near to two entries, marks included: not ours to choose
        return best[2], best[0]

    def completed(self, phrase: str, *, min_words: int = 3) -> str | None:
        """The one entry that ``phrase`` (``min_words`` words or more, read right) opens and
        that has one word more: the last word was lost ("ỦY BAN NHÂN" of "Ủy ban nhân dân")."""
        words = ascii_key(phrase).split()
        if len(words) < min_words:
            return None
        found = [
            e for e, ws in self._words.items() if len(ws) == len(words) + 1 and ws[: len(words)] == words
        ]
        return found[0] if len(found) == 1 else None

    def opens(self, text: str) -> str | None:
        """The longest entry whose words, as printed (bare keys), open ``text``."""
        words = ascii_key(text).split()
        found = [e for e, ws in self._words.items() if words[: len(ws)] == ws]
        return max(found, key=len, default=None)

    def snap_prefix(self, text: str) -> Snap | None:
        """The longest run of leading words of ``text`` that stands for an entry, repaired in
        the case of the reading; the rest of the line is kept as read."""
        words = text.split()
        for size in range(min(MAX_WORDS, len(words)), 0, -1):
            head = " ".join(words[:size])
            found = self.nearest(head)
            if found is None:
                continue
            entry = found[0]
            shown = entry.upper() if is_upper_text(head, min_letters=2) else entry
            shown += head[len(head.rstrip(",;:")) :]  # "BỘ TRƯỞNG, CHỦ NHIỆM" keeps its comma
            rest = " ".join(words[size:])
            return Snap(text=f"{shown} {rest}".strip(), entry=entry, read=head)
        return None


def _marks_distance(reading: str, entry: str) -> int:
    """Edits between the marked, case-folded texts: which of two entries that fold alike
    ("thứ trưởng" / "thủ trưởng") the marks as read are nearer to."""
    return Levenshtein.distance(reading.lower(), entry.lower())


def _positions_data() -> dict[str, list[str]]:
    data: dict[str, list[str]] = load_data("positions")
    return data


@lru_cache(maxsize=1)
def titles() -> Vocabulary:
    """Signer titles of Decree 30 ("Phó Chủ tịch", "Giám đốc", "Thứ trưởng" ...)."""
    return Vocabulary(_positions_data()["titles"])


@lru_cache(maxsize=1)
def collective_bodies() -> Vocabulary:
    """Bodies that sign as a collective, behind "TM." ("Ủy ban nhân dân", "Chính phủ" ...)."""
    return Vocabulary(_positions_data()["collective_bodies"])


@lru_cache(maxsize=1)
def _bodies_of_a_unit() -> frozenset[str]:
    bodies: list[str] = load_data("positions")["bodies_of_a_unit"]["bodies"]
    return frozenset(ascii_key(body) for body in bodies)


def is_body_of_a_unit(text: str) -> bool:
    """``text`` is a collective body every administrative unit has, without its unit ("ỦY BAN
    NHÂN DÂN"): no whole issuer."""
    return ascii_key(text).strip(" .,:;") in _bodies_of_a_unit()


def deputy_title(head: str) -> str | None:
    """The title of whoever signs "KT." for ``head`` (the line after "KT.": "CHỦ TỊCH", "BỘ
    TRƯỞNG BỘ TÀI CHÍNH", "BỘ TRƯỞNG, CHỦ NHIỆM"), from the last title it names: "Phó" and
    that title, or the deputy data/positions.json names ("Bộ trưởng" -> "Thứ trưởng"); None
    when that is no title of the list."""
    last = head.split(",")[-1].strip()
    snap = titles().snap_prefix(last)
    if snap is None:
        return None
    deputies: dict[str, str] = load_data("positions")["deputies"]
    deputy = deputies.get(snap.entry, f"Phó {snap.entry[0].lower()}{snap.entry[1:]}")
    return next((entry for entry in titles().entries if entry.lower() == deputy.lower()), None)


def head_of_deputy(position: str) -> str | None:
    """The head a deputy's title signs "KT." for ("PHÓ CHỦ TỊCH" -> "Chủ tịch", "THỨ TRƯỞNG" ->
    "Bộ trưởng"): the title of the list whose ``deputy_title`` it is; None for any other."""
    key = ascii_key(position)
    return next(
        (head for head in titles().entries if (deputy := deputy_title(head)) and ascii_key(deputy) == key),
        None,
    )


@lru_cache(maxsize=1)
def _signing_for() -> re.Pattern[str]:
    """The prefix of a line whose signer signs for a head, from data/positions.json: "KT."
    as printed and as OCR reads its stop ("KT,", "KT/"), "K/T" with a stop or a space."""
    forms = []
    prefixes: list[str] = load_data("positions")["signing_for"]["prefixes"]
    for prefix in prefixes:
        letters = re.escape(prefix.rstrip("."))
        forms.append(rf"{letters}\s*[.,/]\s*" if prefix.endswith(".") else rf"{letters}(?:\s*[.,]\s*|\s+)")
    return re.compile(r"^\s*(?:" + "|".join(forms) + ")", re.IGNORECASE)


def signing_for(line: str) -> str | None:
    """The head a "KT." line names ("KT. CHỦ TỊCH" -> "CHỦ TỊCH"): whoever signs under it is
    that head's deputy; None for any other line."""
    head = _signing_for().match(line)
    return line[head.end() :] if head else None


def authority_prefixes() -> list[str]:
    return _positions_data()["authority_prefixes"]


# As OCR reads a prefix: up to three letters, one more after a slash ("K/T"), then a stop, a
# comma (a misread stop) or, for a slashed prefix, a space ("TL.CHỦ", "KT, ", "T/M ").
_OCR_AUTHORITY_HEAD = re.compile(
    r"^\s*(?P<first>[A-Za-z]{1,3})(?:/(?P<slash>[A-Za-z]))?(?P<end>\s*[.,]\s*|\s+)"
)


@lru_cache(maxsize=1)
def printed_authority() -> re.Pattern[str]:
    """A prefix of data/positions.json as printed ("TM.", "KT:", "K/T "), then the title's
    first character (matched: ``end() - 1`` is where the title starts)."""
    prefixes = "|".join(re.escape(prefix.rstrip(".")) for prefix in authority_prefixes())
    return re.compile(r"^\s*(?:" + prefixes + r")\s*[.:/]\s*\S")


@lru_cache(maxsize=1)
def _authority_letters() -> frozenset[str]:
    return frozenset(ascii_key(prefix).replace(".", "").replace("/", "") for prefix in authority_prefixes())


@lru_cache(maxsize=1)
def stopless_prefixes() -> frozenset[str]:
    """The prefixes printed with a stop, without it ("KT", "TM", "TL"), as a reading that ran
    a line's words together leaves them ("KTCHỦTỊCH")."""
    return frozenset(prefix.rstrip(".") for prefix in authority_prefixes() if prefix.endswith("."))


def authority_head(text: str, *, ocr: bool = False) -> int | None:
    """Where the authority prefix of a signature line ends ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ
    TỊCH", "K/T BỘ TRƯỞNG": the prefixes of data/positions.json), or None for another line.

    As printed (``ocr=False``): a prefix in its own case, a stop, colon or slash, then a title.
    As OCR reads it (``ocr=True``): any case, the stop also read as a comma, a slashed prefix
    also closed by a space; the title may be missing."""
    if not ocr:
        printed = printed_authority().match(text)
        return printed.end() - 1 if printed else None
    head = _OCR_AUTHORITY_HEAD.match(text)
    if head is None or not (head["slash"] or head["end"].strip()):
        return None
    if ascii_key(head["first"] + (head["slash"] or "")) not in _authority_letters():
        return None
    return head.end()


# A line the seal ran together and garbled stands for an authority line by its letters alone
# when it has this many and is at most one edit from exactly one such line.
AUTHORITY_LETTERS_MIN = 8
AUTHORITY_LETTER_EDITS = 1


@lru_cache(maxsize=1)
def _authority_lines_by_letters() -> dict[str, str]:
    """Every authority line a signature block prints, by its bare letters: "TM." before a
    collective body ("tmuybannhandan" -> "TM. ỦY BAN NHÂN DÂN"), "KT.", "TL." and "TUQ."
    before a head's title ("ktgiamdoc" -> "KT. GIÁM ĐỐC")."""
    lines = {}
    for prefix in stopless_prefixes() - {"Q"}:  # one letter: any title would be one edit away
        entries = collective_bodies().entries if prefix == "TM" else titles().entries
        for entry in entries:
            line = f"{prefix}. {entry.upper()}"
            lines[_letters(line)] = line
    return lines


def _letters(text: str) -> str:
    return "".join(char for char in ascii_key(text) if char.isalpha())


def authority_from_letters(text: str) -> str | None:
    """The authority line a scanned line in capitals stands for by its letters alone, spaces,
    stops and specks aside ("KTGÁMĐÓC" -> "KT. GIÁM ĐỐC", "__-T!M.HỘI ĐÔNG" -> "TM. HỘI
    ĐỒNG", "KLGIÁMĐÓC" -> "KT. GIÁM ĐỐC"); None when it is not in capitals, too short, or as
    near to two lines."""
    letters = _letters(text)
    if len(letters) < AUTHORITY_LETTERS_MIN or not is_upper_text(text):
        return None
    scored = sorted(
        (Levenshtein.distance(letters, key, score_cutoff=AUTHORITY_LETTER_EDITS + 1), line)
        for key, line in _authority_lines_by_letters().items()
        if key[0] == letters[0]  # the prefix's first letter as read: no prefix made up
    )
    if not scored or scored[0][0] > AUTHORITY_LETTER_EDITS:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


def is_enacting_authority(text: str) -> bool:
    """A line naming who enacts, between a decision's summary and its "Căn cứ" lines: a title
    and its body ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ...", "BỘ TRƯỞNG BỘ ...", "THỦ TƯỚNG CHÍNH PHỦ")
    or a collective body with its place ("ỦY BAN NHÂN DÂN THÀNH PHỐ ...")."""
    if not is_upper_text(text) or ENDS_WITH_YEAR.search(text):
        return False  # "... UBND XÃ QUẢNG PHÚ NĂM 2019" ends a summary, not an authority
    words = len(text.split())
    head = titles().opens(text) or collective_bodies().opens(text)
    if head is not None and ascii_key(head).startswith("pho "):
        return False  # a deputy signs for the head, but the head enacts
    return head is not None and words > len(head.split())


ENDS_WITH_YEAR = re.compile(r"\b(?:19|20)\d\d\W*$")
