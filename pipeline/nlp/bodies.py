"""Responsible bodies: a gazetteer matched over a diacritics-free key of each token.

``find_bodies`` finds the names of agencies ("Sở Nội vụ", "UBND các xã, phường, đặc khu",
"Ủy ban nhân dân xã Đạ Huoai") in running text; ``split_bodies`` cuts a lead or
cooperating cell into one string per body without breaking names that contain commas
("các sở, ban, ngành", "Sở Văn hóa, Thể thao và Du lịch").

The names live in ``pipeline/data/bodies.json``; province, district and commune names
come from the ``vietnamadminunits`` tables (legacy 63-province and 2025 34-province).
Everything is built once on first use and cached for the process.

The matcher is a table of token-key tuples. It used to be spaCy's PhraseMatcher on the
NORM attribute, but the tokens, their keys and the ~250 phrases are all ours: spaCy only
looked token tuples up, and importing it cost ~45 MB per worker. The matches are the
same (every occurrence, overlapping ones included); character offsets are now exact
after leading or repeated white space too, which spaCy's Doc (one space between tokens)
shifted.
"""

from __future__ import annotations

import importlib.util
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from pipeline.data import load_data
from pipeline.nlp.text import ascii_key
from pipeline.repair.ocr_words import with_marks_of

# Words and single punctuation marks; offsets are kept so spans map back to the text.
_TOKEN = re.compile(r"\w+|[^\w\s]")
_MAX_ADMIN_NAME_TOKENS = 7
_MIN_BARE_PLACE_TOKENS = 2
_LABEL_NAME = "BODY"
_LABEL_ADMIN_HEAD = "ADMIN_HEAD"

Span = tuple[int, int, str]


class _Token(NamedTuple):
    text: str
    norm: str  # the folded key the phrases are matched on
    idx: int  # character offset in the text


@dataclass
class _Gazetteer:
    phrases: dict[tuple[str, ...], tuple[str, ...]]  # token keys -> labels
    prefixes: frozenset[tuple[str, ...]]  # every proper prefix of a phrase, to stop early
    admin_names: frozenset[str]
    unit_types: tuple[tuple[str, ...], ...]
    head_words: tuple[tuple[str, ...], ...]
    list_words: tuple[tuple[str, ...], ...]
    drop_prefixes: tuple[str, ...]
    drop_suffixes: tuple[str, ...]
    drop_tails: tuple[str, ...]
    qualifiers: frozenset[str]
    qualifier_suffixes: tuple[tuple[str, ...], ...]


def load_body_words() -> dict[str, Any]:
    text = load_data("bodies")
    data: dict[str, Any] = text
    return data


def _admin_unit_names() -> set[str]:
    """Folded short names of provinces, districts and communes (legacy and 2025 tables)."""
    return set(admin_unit_spellings())


@lru_cache(maxsize=1)
def admin_unit_spellings() -> dict[str, set[str]]:
    """Folded short name ("krong no") -> its printed spellings ("Krông Nô"), every level."""
    spellings: dict[str, set[str]] = {}
    columns = {
        "admin_units": ("provinceShort", "wardShort"),
        "admin_units_legacy": ("provinceShort", "districtShort", "wardShort"),
    }
    for table, fields in columns.items():
        for field in fields:
            for (name,) in _admin_query(f"SELECT DISTINCT {field} AS name FROM [{table}]"):
                if name:
                    spellings.setdefault(ascii_key(name), set()).add(name)
    return spellings


@lru_cache(maxsize=1)
def province_names() -> frozenset[str]:
    """Folded names of provinces and centrally run cities ("ho chi minh", "quang ngai"): a run
    of capitalised syllables that is one of these names a place, not a person, even when it
    opens with a family name. Wards and communes are left out: many bear a person's name."""
    names = set()
    for table in ("admin_units", "admin_units_legacy"):
        for (name,) in _admin_query(f"SELECT DISTINCT provinceShort AS name FROM [{table}]"):
            if name:
                names.add(ascii_key(name))
    return frozenset(names)


def sole_spelling(spellings: set[str]) -> str | None:
    """The spelling of a unit whose printed spellings differ at most in tone placement ("Hòa" /
    "Hoà"), else None: a reading that folds to two different units is not ours to choose."""
    return sorted(spellings)[0] if len({soft_key(name) for name in spellings}) == 1 else None


def place_key(text: str) -> str:
    """Folded letters and digits only: "Đắk R'Lấp", "Đắk R°Lấp" and "Đắk R Lấp" (OCR reads the
    apostrophe of these names as a degree sign or a space) share "dakrlap"."""
    return re.sub(r"[^a-z0-9]", "", ascii_key(text))


@lru_cache(maxsize=1)
def admin_unit_spellings_by_letters() -> dict[str, set[str]]:
    """``place_key`` of a unit's short name -> its printed spellings."""
    found: dict[str, set[str]] = {}
    for spellings in admin_unit_spellings().values():
        for name in spellings:
            found.setdefault(place_key(name), set()).add(name)
    return found


def _admin_query(sql: str) -> list[tuple[Any, ...]]:
    """Rows of vietnamadminunits' SQLite tables, read without importing the package.

    Its ``__init__`` loads the address parser and converter (geopy, shapely, requests,
    their JSON tables): ~30 MB per worker, of which the gazetteer needs nothing. The
    tables are the package's own ``data/dataset.db``, which its ``database.query`` reads;
    that is the fallback should the file move.
    """
    spec = importlib.util.find_spec("vietnamadminunits")  # locates it, runs nothing
    if spec is not None and spec.origin is not None:
        database = Path(spec.origin).parent / "data" / "dataset.db"
        if database.is_file():
            connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
            try:
                return connection.execute(sql).fetchall()
            finally:
                connection.close()
    from vietnamadminunits.database import query

    return [tuple(row.values()) for row in query(sql)]


@lru_cache(maxsize=1)
def _issuer_spellings() -> dict[str, set[str]]:
    """Bare letters -> spellings of the issuers a citation names: the gazetteer's bodies and
    a unit's heads ("Chủ tịch UBND tỉnh"). A title before a body is left out: "Thủ trưởng"
    (an agency's head) and "Thứ trưởng" (a deputy minister) have the same letters."""
    words = load_body_words()
    bodies = [*words["central"], *words["provincial"]]
    heads = [f"{head} {unit}" for head in words["admin_heads"] for unit in words["unit_types"]]
    spellings: dict[str, set[str]] = {}
    for phrase in [*bodies, *heads]:
        spellings.setdefault(ascii_key(phrase), set()).add(phrase)
    return spellings


def gazetteer_spelling(issuer: str) -> str | None:
    """``issuer`` spelled as the one issuer of the gazetteer with its letters, marks aside,
    each letter in its case as read ("Chinh phu" -> "Chính phủ", "UBND Thành phó" -> "UBND
    Thành phố"); None when no issuer or more than one has them, or it is spelled so already."""
    known = sole_spelling(_issuer_spellings().get(ascii_key(issuer), set()))
    if known is None or len(known.split()) != len(issuer.split()):
        return None
    spelled = " ".join(
        with_marks_of(word, read) for word, read in zip(known.split(), issuer.split(), strict=True)
    )
    return spelled if spelled != issuer else None


def _token_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _make_doc(text: str) -> list[_Token]:
    """The tokens of ``text``, each with its folded key and offset."""
    return [_Token(text[s:e], ascii_key(text[s:e]), s) for s, e in _token_spans(text)]


def _key_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(ascii_key(phrase[s:e]) for s, e in _token_spans(phrase))


# Old and new tone placement ("hoà"/"hòa", "uỷ"/"ủy") compare equal; other marks still count,
# so that "Số" (number) is not "Sở" (department).
_TONE_PLACEMENT = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
}
_TONE_PLACEMENT.update({"uỹ": "ũy", "uỵ": "ụy", "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe"})


def soft_key(text: str, *, keep_case: bool = False) -> str:
    """Lowercase (unless ``keep_case``) with tone placement unified, diacritics kept."""
    key = unicodedata.normalize("NFC", text)
    key = key if keep_case else key.lower()
    for old, new in _TONE_PLACEMENT.items():
        key = key.replace(old, new)
    return key


def _soft_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(soft_key(phrase[s:e]) for s, e in _token_spans(phrase))


def _phrase_table(labelled: dict[str, list[str]]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Token keys of each phrase -> the labels it was given."""
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    for label, phrases in labelled.items():
        for phrase in phrases:
            key = tuple(token.norm for token in _make_doc(phrase))
            if key and label not in table.get(key, ()):
                table[key] = (*table.get(key, ()), label)
    return table


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    words = load_body_words()
    names = [*words["central"], *words["provincial"], *words["generic"]]
    heads = [f"{head} {unit}" for head in words["admin_heads"] for unit in words["unit_types"]]
    phrases = _phrase_table({_LABEL_NAME: names, _LABEL_ADMIN_HEAD: heads})
    return _Gazetteer(
        phrases=phrases,
        prefixes=frozenset(key[:size] for key in phrases for size in range(1, len(key))),
        admin_names=frozenset(_admin_unit_names()),
        unit_types=tuple(sorted((_key_tokens(u) for u in words["unit_types"]), key=len, reverse=True)),
        head_words=tuple(sorted((_soft_tokens(h) for h in words["head_words"]), key=len, reverse=True)),
        list_words=tuple(sorted((_soft_tokens(h) for h in words["list_words"]), key=len, reverse=True)),
        drop_prefixes=tuple(words["drop_prefixes"]),
        drop_suffixes=tuple(words["drop_suffixes"]),
        drop_tails=tuple(ascii_key(tail) for tail in words["drop_tails"]),
        qualifiers=frozenset(ascii_key(q) for q in words["qualifiers"]),
        qualifier_suffixes=tuple(
            sorted((_key_tokens(q) for q in words["qualifier_suffixes"]), key=len, reverse=True)
        ),
    )


def _is_name_token(token: _Token) -> bool:
    # "Xuân Hương - Đà Lạt", "Đam Rông 2": capitalised syllables, numbers and joining dashes.
    return bool(token.text[:1].isupper() or token.text.isdigit() or token.text == "-")


def _admin_name_end(gaz: _Gazetteer, doc: list[_Token], start: int) -> int:
    """Token index after the longest known admin-unit name starting at ``start`` (or ``start``)."""
    best = start
    end = start
    while end < len(doc) and end - start < _MAX_ADMIN_NAME_TOKENS and _is_name_token(doc[end]):
        end += 1
        if " ".join(t.norm for t in doc[start:end]) in gaz.admin_names:
            best = end
    return best


def _unit_type_end(gaz: _Gazetteer, doc: list[_Token], start: int) -> int:
    norms = [t.norm for t in doc[start : start + 2]]
    for unit in gaz.unit_types:
        if tuple(norms[: len(unit)]) == unit:
            return start + len(unit)
    return start


def _extend_with_place(gaz: _Gazetteer, doc: list[_Token], end: int) -> int:
    """'Sở Nội vụ' + ' tỉnh Lâm Đồng' / ' Lâm Đồng': the place belongs to the body's name."""
    after_type = _unit_type_end(gaz, doc, end)
    after_name = _admin_name_end(gaz, doc, after_type)
    # Without 'tỉnh'/'xã' a one-syllable place is too weak: 'Hà Nội Chủ trì' is no 'Chư ...'.
    if after_name > after_type and (after_type > end or after_name - after_type >= _MIN_BARE_PLACE_TOKENS):
        return after_name
    if after_type > end and (after_type >= len(doc) or not doc[after_type].text[:1].isupper()):
        # A bare 'tỉnh' / 'Thành phố' closing the name ("Sở Tư pháp tỉnh").
        return after_type
    return end


def _extend_with_qualifier(gaz: _Gazetteer, doc: list[_Token], end: int) -> int:
    """'các cơ quan, đơn vị' + ' có liên quan' / ' trên địa bàn tỉnh'."""
    for suffix in gaz.qualifier_suffixes:
        norms = tuple(t.norm for t in doc[end : end + len(suffix)])
        if norms == suffix:
            return end + len(suffix)
    return end


def _phrase_matches(gaz: _Gazetteer, doc: list[_Token]) -> list[tuple[str, int, int]]:
    """(label, start, end) of every phrase occurrence in ``doc``, overlapping ones too."""
    norms = tuple(token.norm for token in doc)
    found: list[tuple[str, int, int]] = []
    for start in range(len(norms)):
        for end in range(start + 1, len(norms) + 1):
            key = norms[start:end]
            found += [(label, start, end) for label in gaz.phrases.get(key, ())]
            if key not in gaz.prefixes:
                break
    return found


def _match_tokens(text: str) -> tuple[list[_Token], list[tuple[int, int]]]:
    gaz = _gazetteer()
    doc = _make_doc(text)
    found: list[tuple[int, int]] = []
    for label, start, end in _phrase_matches(gaz, doc):
        if label == _LABEL_ADMIN_HEAD:
            end = _admin_name_end(gaz, doc, end)
        found.append((start, _extend_with_qualifier(gaz, doc, _extend_with_place(gaz, doc, end))))
    return doc, _longest_first(found)


def _longest_first(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop spans overlapping a longer one (spaCy's filter_spans, on plain tuples)."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if all(end <= k_start or start >= k_end for k_start, k_end in kept):
            kept.append((start, end))
    return sorted(kept)


def find_bodies(text: str) -> list[Span]:
    """Character spans ``(start, end, name)`` of the bodies named in ``text``."""
    if not text.strip():
        return []
    doc, spans = _match_tokens(text)
    result: list[Span] = []
    for start, end in spans:
        char_start = doc[start].idx
        char_end = doc[end - 1].idx + len(doc[end - 1].text)
        result.append((char_start, char_end, text[char_start:char_end]))
    return result


def starts_with_body(text: str) -> bool:
    """True when ``text`` opens with a body: a gazetteer name or a head word ("Sở", "các", "UBND")."""
    stripped = text.lstrip(" -+•*\t")
    spans = find_bodies(stripped[:200])
    if spans and spans[0][0] == 0:
        return True
    return _starts_with_head_word(stripped)


def _starts_with_head_word(text: str) -> bool:
    keys = _soft_tokens(text[:60])
    return any(keys[: len(head)] == head for head in _gazetteer().head_words) or starts_with_place(text)


def is_place(text: str) -> bool:
    """The whole text is a unit type and a known name ('tỉnh Đăk Lăk'), nothing more."""
    gaz = _gazetteer()
    stripped = text.strip(_STRIP)
    doc = _make_doc(stripped)
    after_type = _unit_type_end(gaz, doc, 0)
    return after_type > 0 and _admin_name_end(gaz, doc, after_type) == len(doc) > after_type


def starts_with_place(text: str) -> bool:
    """'Thành phố Hồ Chí Minh, tỉnh Đăk Lăk': a unit type and a known name stand for its authority."""
    gaz = _gazetteer()
    doc = _make_doc(text[:80])
    after_type = _unit_type_end(gaz, doc, 0)
    return after_type > 0 and _admin_name_end(gaz, doc, after_type) > after_type


# Separators inside a cell: ';' and line breaks always end a body; ',', 'và', 'với'
# only when a new body starts right after them.
_SEPARATOR = re.compile(r";|\n|,|\s+(?:và|với)\s+|\s+/\s+")
_STRIP = " \t-+•*.,;:…"


# A line break before 'và' / 'với' is the word's own separator ("Sở Tư pháp\nvà Sở Tài chính").
_BREAK_BEFORE_JOINER = re.compile(r"[ \t]*\n\s*(?=(?:và|với)\s)")
_BREAK_AFTER_HYPHEN = re.compile(r"(?<=\w-)[ \t]*\n\s*(?=\w)")


@lru_cache(maxsize=1)
def _break_after_open_end() -> re.Pattern[str]:
    """A line break after a word the name goes on from ('trực thuộc' / 'UBND tỉnh')."""
    words = "|".join(re.escape(word) for word in load_body_words()["open_ends"])
    return re.compile(rf"\b({words})[ \t]*\n\s*", re.IGNORECASE)


def split_bodies(cell_text: str) -> list[str]:
    """Split a lead/cooperating cell or phrase into one string per body, as printed.

    The separators a person reads: ';', ',', 'và', line breaks between whole names. A name
    the gazetteer knows is never cut ("Sở Văn hóa, Thể thao và Du lịch", "Sở, ban, ngành"),
    and a line break inside a cell before a lower-case word is a long name wrapping
    ("Văn" / "phòng UB MTTQ tỉnh", "Các Sở, ban, ngành" / "thành phố Hà Nội"), unless a
    known name or a list word ('các') starts there.
    """
    text = _BREAK_BEFORE_JOINER.sub(" ", cell_text.strip())
    text = _BREAK_AFTER_HYPHEN.sub("", text)  # "7178/PA-" / "UBND": one symbol cut by the line
    text = _break_after_open_end().sub(r"\1 ", text)
    if not text:
        return []
    protected = [(s, e) for s, e, _ in find_bodies(text)]
    parts: list[str] = []
    begin = 0
    for match in _SEPARATOR.finditer(text):
        if _inside(match.start(), protected) or _paren_depth(text, match.start()) > 0:
            continue
        if match.group() == "\n" and _wraps(text[match.end() :], match.end(), protected):
            continue
        if ascii_key(text[begin : match.start()].strip(_STRIP)) in _gazetteer().qualifiers:
            continue  # "Lãnh đạo" / "Sở Nội vụ": one name wrapped over two lines
        rest = text[match.end() :]
        if match.group() == "," and continues_collective(text[begin : match.start()], rest):
            continue  # "Các Sở, ngành, đơn vị": one collective body
        always = match.group().strip() == ";" or (match.group() == "\n" and _starts_with_head_word(rest))
        if always or _opens_body(rest, match.end(), protected):
            parts.append(text[begin : match.start()])
            begin = match.end()
    parts.append(text[begin:])
    cleaned = (_clean_body(part) for part in parts)
    return [part for part in cleaned if part]


@lru_cache(maxsize=1)
def _collective_pattern() -> re.Pattern[str]:
    nouns = sorted((ascii_key(n) for n in load_body_words()["collective_nouns"]), key=len, reverse=True)
    return re.compile(rf"(?:{'|'.join(re.escape(n) for n in nouns)})")


def continues_collective(part: str, rest: str) -> bool:
    """'Các Sở, ngành' + ', đơn vị liên quan': after 'các' and bare common nouns only, a comma
    before another such noun (in lower case) goes on with the same collective body; a name or a
    qualifier closes it ('các Sở, ngành Thành phố', 'đơn vị liên quan': two bodies)."""
    noun = _collective_pattern().pattern
    head = ascii_key(" ".join(part.split()).strip(_STRIP))
    qualifiers = "|".join(re.escape(q) for q in sorted(_gazetteer().qualifiers, key=len, reverse=True))
    if not re.fullmatch(rf"(?:(?:{qualifiers}) )?(?:cac )?{noun}(?:, {noun})*", head):
        return False
    after = rest.lstrip()
    return after[:1].islower() and re.match(rf"{noun}\b", ascii_key(after[:30])) is not None


def _wraps(rest: str, offset: int, protected: list[tuple[int, int]]) -> bool:
    """The line after a break goes on with the name above: it opens in lower case with
    neither a known name nor a list word ('các ...')."""
    stripped = rest.lstrip()
    if not stripped[:1].islower():
        return False
    lead = len(rest) - len(stripped)
    if any(start == offset + lead for start, _ in protected):
        return False
    keys = _soft_tokens(stripped[:60])
    return not any(keys[: len(w)] == w for w in _gazetteer().list_words)


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < position < end for start, end in spans)


def _paren_depth(text: str, position: int) -> int:
    prefix = text[:position]
    return prefix.count("(") - prefix.count(")")


def _opens_body(rest: str, offset: int, protected: list[tuple[int, int]]) -> bool:
    lead = len(rest) - len(rest.lstrip())
    if any(start == offset + lead for start, _ in protected):
        return True
    asked = _after_drop_prefix(rest.lstrip())
    if asked:  # "Đề nghị Viện kiểm sát nhân dân tối cao" on a line of its own
        known = [(start, end) for start, end, _ in find_bodies(asked[:200])]
        if _opens_body(asked, 0, known):
            return True
    keys = _soft_tokens(rest[:60])
    return _starts_with_head_word(rest) or any(keys[: len(w)] == w for w in _gazetteer().list_words)


def _after_drop_prefix(text: str) -> str | None:
    """The text after a leading 'Đề nghị' / 'Mời' / 'Giao', or None when it has none (marks
    count: 'Môi trường' is no 'Mời')."""
    key = soft_key(text[:20])
    for prefix in _gazetteer().drop_prefixes:
        if key.startswith(soft_key(prefix) + " "):
            return text[len(prefix) :].lstrip()
    return None


def _clean_body(part: str) -> str:
    gaz = _gazetteer()
    text = " ".join(part.split()).strip(_STRIP)
    key = ascii_key(text)
    if len(key) == len(text):  # offsets of the key are the text's
        for tail in gaz.drop_tails:
            at = key.find(tail)
            if at > 0:
                text, key = text[:at].strip(_STRIP), key[:at]
    for suffix in gaz.drop_suffixes:
        if ascii_key(text).endswith(ascii_key(suffix)):
            text = text[: len(text) - len(suffix)].strip(_STRIP)
    for prefix in gaz.drop_prefixes:
        if ascii_key(text).startswith(ascii_key(prefix) + " "):
            text = text[len(prefix) :].strip(_STRIP)
    return text


@lru_cache(maxsize=1)
def _known_spellings() -> dict[str, str]:
    """Folded key -> name, for the central and provincial bodies of the gazetteer."""
    words = load_body_words()
    return {ascii_key(name): name for name in [*words["central"], *words["provincial"]]}


def letters_key(text: str) -> str:
    """The folded key with its spaces taken out: a name whose words OCR cut or ran together
    ("BỘ CÔ NGAN", "ỦY BANNHÂNĐÂN") keys as the name does."""
    return ascii_key(text).replace(" ", "")


def by_letters(names: list[str]) -> dict[str, set[str]]:
    """``letters_key`` -> the names with it."""
    table: dict[str, set[str]] = {}
    for name in names:
        table.setdefault(letters_key(name), set()).add(name)
    return table


@lru_cache(maxsize=1)
def _known_by_letters() -> dict[str, set[str]]:
    """``letters_key`` -> the central and provincial names with it."""
    return by_letters(list(_known_spellings().values()))


def known_body(text: str) -> str | None:
    """The central or provincial body ``text`` names, marks and case aside; None if none."""
    return _known_spellings().get(ascii_key(text))


def body_by_letters(text: str) -> str | None:
    """The one central or provincial body whose letters, marks and spaces aside, are those
    of ``text``: a scan cut a word in the wrong place ("BỘ CÔ NGAN" is "Bộ Công an")."""
    letters = letters_key(text)
    if len(letters) < MIN_SLIP_NAME:
        return None
    return sole_spelling(_known_by_letters().get(letters, set()))


# A scan's slips in a body's name: at most this many letters of its folded key.
MAX_SLIPS = 2
# Names shorter than this (folded) are too short to tell a slip from another name.
MIN_SLIP_NAME = 8


def known_spelling(body: str) -> str:
    """A body's name garbled by a scan ('Bô Ouốc phòng') as the gazetteer spells it ('Bộ Quốc
    phòng'): the known central or provincial name with the same folded key, or the one whose
    folded key is at most two letters off and opens with the same word; the body as read
    otherwise."""
    from rapidfuzz.distance import Levenshtein

    key = ascii_key(body)
    known = _known_spellings()
    if key in known:
        return known[key]  # the same letters: the marks as the name has them ('kiêm sát' -> 'kiểm sát')
    if len(key) < MIN_SLIP_NAME:
        return body
    head = key.split(" ", 1)[0]
    close = {
        name
        for other, name in known.items()
        if other.split(" ", 1)[0] == head
        and abs(len(other) - len(key)) <= MAX_SLIPS
        and Levenshtein.distance(other, key, score_cutoff=MAX_SLIPS) <= MAX_SLIPS
    }
    return close.pop() if len(close) == 1 else body
