"""Personal names read by OCR put back from what the page itself and the language allow.

Two readings of the same name agree where OCR is right: a signer's name printed once in the
signature block may be printed again in the text (or read from another page), and a name
always opens with a family name from a closed list. A syllable is changed only when
exactly one spelling fits; every change is reported by the caller.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from rapidfuzz.distance import Hamming, Levenshtein

from pipeline.data import load_data
from pipeline.nlp.bodies import province_names
from pipeline.nlp.lookalikes import name_initials
from pipeline.nlp.text import ascii_key
from pipeline.repair.quality import is_known_syllable, is_syllable

NAME_SYLLABLE = re.compile(r"[A-ZĐÀ-Ỹ][a-zà-ỹđ]*")


@lru_cache(maxsize=1)
def surnames() -> dict[str, list[str]]:
    """Bare key ("nguyen") -> the family names that fold to it (["Nguyễn"])."""
    data = load_data("surnames")
    table: dict[str, list[str]] = {}
    for name in data["surnames"]:
        if " " not in name:
            table.setdefault(ascii_key(name), []).append(name)
    return table


def snap_surname(name: str) -> str:
    """``name`` with its first syllable put back to the one family name it folds to, when as
    read it is no family name ("Nguyên Thái Lai" -> "Nguyễn Thái Lai")."""
    first, _, rest = name.partition(" ")
    candidates = surnames().get(ascii_key(first), [])
    if rest and not candidates and (initial := _initial_misread(first) or _one_letter_off(first)) is not None:
        return f"{initial} {rest}"
    if not rest or first in candidates or len(candidates) != 1:
        return name
    return f"{_in_case(candidates[0], first)} {rest}"


def _initial_misread(first: str) -> str | None:
    """A family name whose opening capital OCR read as a look-alike ("Irịnh" -> "Trịnh"),
    when the syllable as read is no family name and the rest, marks included, makes one."""
    if len(first) < 2:
        return None
    spellings = [letter + first[1:] for letter in name_initials().get(first[:1], ())]
    found = [
        full for spelled in spellings for full in surnames().get(ascii_key(spelled), []) if full == spelled
    ]
    return found[0] if len(found) == 1 else None


def _one_letter_off(first: str) -> str | None:
    """The family name a syllable no Vietnamese word could have stands for, one letter read
    as another, marks and all else as read ("Mguyễn" -> "Nguyễn", "Írịnh" -> "Trịnh"): when
    exactly one family name is that near. A well-formed syllable is kept as read: it may be
    a family name the list lacks ("Thào" is not "Tào"); so is a reading off by a letter and
    a mark ("Iran" is no "Trần": a seal's debris as likely)."""
    if len(first) < MIN_OFF_LETTERS or not first.isalpha() or is_syllable(first.lower()):
        return None
    near = [name for names in surnames().values() for name in names if _agrees_but_one(name, first)]
    return near[0] if len(near) == 1 else None


def _agrees_but_one(name: str, read: str) -> bool:
    return len(name) == len(read) and Hamming.distance(name.lower(), read.lower()) == 1


# Shorter syllables are one letter off too many family names to tell ("Đa": Đỗ, Hà, Lã, Mã).
MIN_OFF_LETTERS = 3


def surname_from_its_end(name: str) -> str | None:
    """``name`` with a family name whose first letter the seal took put back ("rần Hữu Tuấn"
    -> "Trần Hữu Tuấn"): the first syllable, in lower case as OCR leaves it, is the end of
    exactly one family name, marks included, and the given names follow in capitals."""
    first, _, rest = name.strip().partition(" ")
    given = rest.split()
    if len(first) < 2 or not first.islower() or not 1 <= len(given) <= 3:
        return None
    if not all(word[:1].isupper() and word.isalpha() for word in given):
        return None
    ends = {
        full
        for names in surnames().values()
        for full in names
        if full.lower().endswith(first) and full.lower() != first
    }
    return f"{ends.pop()} {rest}" if len(ends) == 1 else None


# Fewer letters end too many family names, or a middle name as well ("uu" of "Hữu", Lưu).
MIN_END_LETTERS = 3


def surname_of_remains(token: str) -> str | None:
    """The one family name what is left of it under a seal's ring stands for: the token's
    letters (specks and strokes around them dropped) fold to exactly one family name ("—vữ"
    -> "Vũ", "Nguyên" -> "Nguyễn"; five letters or more may be a letter or two off: "Iguyễt"),
    or, marks aside (OCR slips them), three letters or more are the end of exactly one
    family name whose first letters the ring took ("ran" -> "Trần"; "inh" ends Đinh and
    Trịnh, "ữu" of Hữu is too short to tell). Family names names print far more often as a
    middle syllable ("Văn") are never the answer: their remains are as likely a middle
    name's."""
    letters = "".join(char for char in unicodedata.normalize("NFC", token) if char.isalpha()).lower()
    if len(letters) < 2:
        return None
    key = ascii_key(letters)
    folded = surnames().get(key, []) or _slipped_from(key)
    if len(folded) == 1:
        found = {folded[0]}
    elif len(key) >= MIN_END_LETTERS:
        ends = [names for bare, names in surnames().items() if bare.endswith(key) and bare != key]
        found = {full for names in ends for full in names}
    else:
        return None
    found -= _middle_names_too()
    return found.pop() if len(found) == 1 else None


# A longer family name read a letter or two off ("nguyan" of "Nguyẫn", "iguyet" of
# "Iguyễt") stands for the one family name that near, when every other is at least
# ``SLIP_MARGIN`` letters further ("pharn" of "Phạm" is one off Phan and two off Phạm: none).
MIN_SLIP_LETTERS = 5
MAX_SLIPS = 2
SLIP_MARGIN = 2


def _slipped_from(key: str) -> list[str]:
    """The family names of the one family name key at most ``MAX_SLIPS`` letters from ``key``
    (added, dropped or another), when the key is long and every other key is ``SLIP_MARGIN``
    letters further."""
    if len(key) < MIN_SLIP_LETTERS:
        return []
    (nearest, bare), (second, _) = sorted((Levenshtein.distance(key, bare), bare) for bare in surnames())[:2]
    if nearest > MAX_SLIPS or second < nearest + SLIP_MARGIN:
        return []
    return surnames()[bare]


# Specks and strokes around a name's words as OCR reads them.
PUNCTUATION = ".,;:!?'\"`“”‘’„«»()[]{}<>|_-–—~^*+=°©®¬§/\\"


def capitalised_run(text: str) -> list[str]:
    """The words with a capital initial and small letters after it that end ``text``."""
    words = [word.strip(PUNCTUATION) for word in unicodedata.normalize("NFC", text).split()]
    run: list[str] = []
    # Specks with no letter of a case ("ˆ", "1") are no word: they neither end nor join the run.
    for word in reversed([word for word in words if any(char.isupper() or char.islower() for char in word)]):
        if not (word.isalpha() and word[:1].isupper() and word[1:].islower()):
            break
        run.insert(0, word)
    return run


def given_names_at_end(text: str) -> list[str]:
    """The last two or three capitalised syllables of ``text`` (capital initial, small
    letters), when the last two are syllables Vietnamese words have; [] otherwise. Whether
    they are given names alone ("xg Việt Dũng": a seal's ring crossed the family name) or a
    whole name is the caller's to tell."""
    run = capitalised_run(text)
    return run[-3:] if len(run) >= 2 and all(is_known_syllable(word.lower()) for word in run[-2:]) else []


def _in_case(spelling: str, reading: str) -> str:
    return spelling.upper() if reading.isupper() and len(reading) > 1 else spelling


def respell_from_text(name: str, text: str) -> str:
    """``name`` as the document spells it elsewhere: the most frequent run of capitalised
    syllables in ``text`` that folds like ``name`` and differs from it only in marks, taken
    when it outnumbers the reading (``text`` includes the reading itself), or equals it and
    alone opens with a family name."""
    size = len(name.split())
    if size < 2:
        return name
    key = ascii_key(name)
    spellings: Counter[str] = Counter()
    words = text.split()
    for start in range(len(words) - size + 1):
        run = [w.strip(".,;:()\"'“”") for w in words[start : start + size]]
        if not all(NAME_SYLLABLE.fullmatch(w) for w in run):
            continue
        candidate = " ".join(run)
        if ascii_key(candidate) == key:
            spellings[candidate] += 1
    read_count = spellings.pop(name, 0)
    if not spellings:
        return name
    (best, count), *others = spellings.most_common()
    if others and others[0][1] == count:
        return name  # two other spellings as frequent: no telling
    if count > read_count:
        return best
    # As frequent as the reading: the spelling with a family name, where only it has one.
    has_surname = _opens_with_surname(best) and not _opens_with_surname(name)
    return best if count == read_count and has_surname else name


@lru_cache(maxsize=1)
def _middle_names_too() -> frozenset[str]:
    names: list[str] = load_data("surnames")["middle_names_too"]["names"]
    return frozenset(names)


def headless_name(name: str) -> bool:
    """A two-syllable name opening with a family name that names print far more often as a
    middle syllable ("Công Thành" of "Lê Công Thành", "Văn Mười"): on a scan, a longer name
    whose family name the seal hid."""
    words = name.split()
    return len(words) == 2 and words[0].capitalize() in _middle_names_too()


def well_formed_name(name: str) -> bool:
    """A Vietnamese personal name as print has it: two to five syllables, the first a family
    name of the list (marks aside: OCR slips them), every one a well-formed syllable. OCR
    debris under a seal ("ANG TỒN", "Phạm Xiạnh Cường") fails; a name with a wrong mark
    that is still a name ("Trần Hữu Tuân") cannot be told from the right one here."""
    words = name.split()
    return (
        2 <= len(words) <= 5
        and ascii_key(words[0]) in surnames()
        and all(word.isalpha() and is_syllable(word) and _name_syllable_length(word) for word in words)
    )


def attested_given_names(name: str) -> bool:
    """Every syllable after the family name is one Vietnamese words have: a given name is made
    of real syllables, where OCR makes well-formed ones no word has ("VƯƠNG QUỘC TUẦN",
    "Minh Hiêu"). For a scan's reading; print is taken as printed."""
    return all(is_known_syllable(word.lower()) for word in name.split()[1:])


def _name_syllable_length(word: str) -> bool:
    """A name's syllables have two letters or more, but for "Y" ("Nguyễn Thị Y"): a lone
    vowel ("Ì", "Ộ") is a speck of the seal read as a letter."""
    return len(word) > 1 or ascii_key(word) == "y"


def _opens_with_surname(name: str) -> bool:
    first = name.split()[0]
    return first in surnames().get(ascii_key(first), [])


# A garbled reading stands for a name of the document when its bare letters are this close
# to that name's (edits per letter) and to no other name's.
NAME_EDITS_PER_LETTER = 0.15


def names_in_text(text: str) -> set[str]:
    """Runs of three to five capitalised syllables of ``text`` that open with a family name,
    within a line and between punctuation: the persons a document names ("PCN Phạm Mạnh
    Cường,", "đồng chí Lê Minh Hưng")."""
    found: set[str] = set()
    for line in text.splitlines():
        words = line.split()
        for start, word in enumerate(words):
            if word not in surnames().get(ascii_key(word), []):
                continue
            run = [word]
            for following in words[start + 1 : start + 5]:
                bare = following.rstrip(".,;:)\"'”")
                if not (NAME_SYLLABLE.fullmatch(bare) and bare[0].isupper() and not bare.isupper()):
                    break
                run.append(bare)
                if bare != following:
                    break  # punctuation ends the name
            if len(run) >= 3 and ascii_key(" ".join(run)) not in province_names():
                found.add(" ".join(run))  # "Hồ Chí Minh" is a city
    return found


def name_among(reading: str, names: set[str]) -> str | None:
    """The one of ``names`` (a document's, ``names_in_text``) a garbled ``reading`` stands for
    ("PhamfManh Cường" -> "Phạm Mạnh Cường"), compared on bare letters; None when none or two
    are as near."""
    letters = "".join(ch for ch in ascii_key(reading) if ch.isalpha())
    if len(letters) < 6:
        return None
    scored = sorted(
        (Levenshtein.distance(letters, "".join(ch for ch in ascii_key(name) if ch.isalpha())), name)
        for name in names
    )
    if not scored or scored[0][0] > NAME_EDITS_PER_LETTER * len(letters):
        return None
    if (
        len(scored) > 1
        and scored[1][0] == scored[0][0]
        and ascii_key(scored[1][1]) != ascii_key(scored[0][1])
    ):
        return None
    return scored[0][1]
