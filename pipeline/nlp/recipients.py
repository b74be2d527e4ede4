"""A scanned "Nơi nhận" entry put back to the words such lists are made of.

The entries are set small, often in italics, and a scan's OCR slips their marks ("Thành
phó", "UBND tính", "Như Điêu 3", "(đê b/c)", "Trân Hồng Hà"). They are no running text:
the document does not repeat them for its own spelling to outvote the slip, and the
lexicon's words ("thành phố") are no help where the slip is itself a word ("phó"). But a
list of recipients is formulaic, so the phrases it is made of (``data/recipients_words.json``)
give the spelling back where the letters as read are the same and only marks differ:

- a phrase of the list read with other marks ("Thành phó" -> "Thành phố");
- a note in brackets opens with "để" ("(đề biết)" -> "(để biết)");
- an entry opens with "Sở", never "Số" ("Số Nội vụ các tỉnh" -> "Sở Nội vụ các tỉnh");
- "Như Điều" is followed by a number ("Như Điều l" -> "Như Điều 1");
- a person's name opens with a family name ("Trân Hồng Hà" -> "Trần Hồng Hà").

Letters never change (the article's number aside), so an entry can only gain its marks.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.data import load_data
from pipeline.nlp.names import surnames, well_formed_name
from pipeline.nlp.text import ascii_key
from pipeline.repair.ocr_words import with_marks_of

# A token: what comes before its letters, its letters, what comes after.
TOKEN = re.compile(r"^(?P<lead>[^\w]*)(?P<core>\w*?)(?P<trail>[^\w]*)$")
# A number OCR read as a letter or a bar ("Như Điều l").
ONE_LOOKALIKES = frozenset({"l", "I", "|", "]"})
# A person's name in an entry has this many syllables at least ("Thứ trưởng Nguyễn Văn Hồi").
MIN_NAME_SYLLABLES = 3


@cache
def _words() -> dict[str, object]:
    return load_data("recipients_words")


@cache
def _phrases() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Bare letters of each phrase -> its words as spelled; phrases whose letters two
    spellings share are left out (no telling)."""
    found: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for phrase in _words()["phrases"]:  # type: ignore[attr-defined]
        words = tuple(phrase.replace(",", " ").split())
        found.setdefault(tuple(ascii_key(word) for word in words), set()).add(words)
    return {key: spellings.pop() for key, spellings in found.items() if len(spellings) == 1}


def respelled_entry(entry: str) -> str:
    """``entry`` (one recipient, as a scan read it) with the marks its words take in a list."""
    tokens = entry.split()
    # Each token as what comes before its letters, its letters and what comes after; one
    # TOKEN does not split ("b/c)") is all lead.
    parts = [(m["lead"], m["core"], m["trail"]) if (m := TOKEN.match(t)) else (t, "", "") for t in tokens]
    leads, cores, trails = (list(column) for column in zip(*parts, strict=True)) if parts else ([], [], [])
    _phrase_marks(cores, trails)
    _note_opening(cores, leads)
    _entry_opening(cores)
    _article_number(leads, cores, trails, tokens)
    _family_names(cores, tokens)
    return " ".join(lead + core + trail for lead, core, trail in zip(leads, cores, trails, strict=True))


def _phrase_marks(cores: list[str], trails: list[str]) -> None:
    """Runs of words that are a phrase of the list but for their marks take its marks; a run
    never spans punctuation ("phố, thị xã")."""
    for key, spelled in _phrases().items():
        size = len(key)
        for start in range(len(cores) - size + 1):
            window = cores[start : start + size]
            if any(trails[start + k] for k in range(size - 1)) or not all(window):
                continue
            if tuple(ascii_key(word) for word in window) == key:
                for k, word in enumerate(spelled):
                    cores[start + k] = with_marks_of(word, window[k])


def _note_opening(cores: list[str], leads: list[str]) -> None:
    opening = str(_words()["note_opening"])
    for at, (core, lead) in enumerate(zip(cores, leads, strict=True)):
        if lead.endswith("(") and core and ascii_key(core) == ascii_key(opening):
            cores[at] = with_marks_of(opening, core)


def _entry_opening(cores: list[str]) -> None:
    opening = str(_words()["entry_opening"])
    if len(cores) > 1 and cores[0] and ascii_key(cores[0]) == ascii_key(opening) and cores[1][:1].isupper():
        cores[0] = with_marks_of(opening, cores[0])


def _article_number(leads: list[str], cores: list[str], trails: list[str], tokens: list[str]) -> None:
    """ "Như Điều l" -> "Như Điều 1": the look-alike is the whole token but for the punctuation
    after it ("|;" keeps its ";")."""
    article = ascii_key(str(_words()["article"]))
    for at in range(1, len(tokens)):
        if ascii_key(cores[at - 1]) == article and tokens[at].rstrip(";.,") in ONE_LOOKALIKES:
            leads[at], cores[at], trails[at] = "", "1", tokens[at][1:]


def _family_names(cores: list[str], tokens: list[str]) -> None:
    """A name after a person's title ("Bộ trưởng Trân Hồng Hà") whose first syllable is no
    family name but folds to exactly one ("Trần")."""
    for start, core in enumerate(cores):
        if not _after_a_title(tokens[:start]) or not (core.isalpha() and core[:1].isupper()):
            continue
        family = surnames().get(ascii_key(core), [])
        run = [core]
        for following in cores[start + 1 : start + 5]:
            if not (following.isalpha() and following[:1].isupper() and following[1:].islower()):
                break
            run.append(following)
        if core in family or len(family) != 1 or len(run) < MIN_NAME_SYLLABLES:
            continue
        if well_formed_name(" ".join([family[0], *run[1:]])):
            cores[start] = with_marks_of(family[0], core)


def _after_a_title(before: list[str]) -> bool:
    """The words ``before`` end with a person's title ("Đ/c", "Thứ trưởng", "PCT")."""
    said = ascii_key(" ".join(before)).rstrip(" :,")
    return any(
        said == title or said.endswith(" " + title)
        for title in (ascii_key(t) for t in _words()["person_titles"])  # type: ignore[attr-defined]
    )
