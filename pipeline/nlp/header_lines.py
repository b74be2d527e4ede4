"""The grammar of the Decree 30 layout's fixed lines, compiled once for every stage.

The number line ("Số: 153/KH-UBND"), the place-and-date line ("Lâm Đồng, ngày 15 tháng 3
năm 2026"), the motto and the recipients label ("Nơi nhận:") are found by the readers of a
tab-laid header or closing, the OCR steps, layout, the number and date parsers, the closing
and the citation finder. Their words are listed once, in ``data/header_words.json``
(``number_label``, ``date_line``, ``motto``, ``recipients_label``), with the misreadings OCR
makes of them. Every stage meets them in Unicode: legacy 8-bit text is converted first
(repair.legacy), before any of them is looked for. This module is the only place that turns
them into patterns: no other module spells these words in a regex
(``tests/test_header_lines.py`` checks it).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from rapidfuzz.distance.Levenshtein import distance as edits

from pipeline.data import load_data
from pipeline.nlp.text import ascii_key

# The day and month blanks of a date line hold at most this many characters as printed
# or as a scan's handwriting reads ("ngày82tháng", "ngày |6 tháng 12").
DATE_FIELD_CHARS = 8
# A place before the date ("Lâm Đồng, ngày ...") is this long at most.
PLACE_CHARS = (2, 40)
# What repair.ocr_fields writes for a handwritten day or month it could not read: ink, not a blank.
ILLEGIBLE_FIELD = "?"
# Lower-case letters, the Vietnamese ones included (the label glued to one is a word going on).
_LOWER_CASE = "a-zà-ỹđ"
# Specks OCR glues before a label at the start of its line (a stamp's or a seal's remnant).
LABEL_SPECKS = "([{'\"`*.,:;|_~ "


def _alternation(words: list[str]) -> str:
    """Longest first, so that a spelling never stops short inside a longer one."""
    return "|".join(re.escape(word) for word in sorted(dict.fromkeys(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _label() -> dict[str, Any]:
    data: dict[str, Any] = load_data("header_words")["number_label"]
    return data


@lru_cache(maxsize=1)
def _date_words() -> dict[str, list[str]]:
    """'day', 'month', 'year' -> the spellings accepted, OCR's included."""
    data: dict[str, Any] = load_data("header_words")["date_line"]
    ocr: dict[str, list[str]] = data["ocr"]
    return {part: [*data[part], *ocr.get(part, [])] for part in ("day", "month", "year")}


def number_label_spellings(*, whole_word: bool = False) -> list[str]:
    """'Số' as printed and as OCR reads it ('Sô', 'So', 'S6' ...); ``whole_word`` adds the
    readings trusted only as a whole OCR word ('Sổ:')."""
    label = _label()
    return [*label["printed"], *label["ocr"], *(label["ocr_word"] if whole_word else [])]


def _label_spellings(*, whole_word: bool = False) -> str:
    """The label's spellings capitalised and in capitals ("Số", "SỐ")."""
    spellings = number_label_spellings(whole_word=whole_word)
    capitalised = [word[0].upper() + word[1:] for word in spellings]
    return _alternation(capitalised + [word.upper() for word in spellings])


@lru_cache(maxsize=1)
def number_label() -> re.Pattern[str]:
    """The label at the start of a line with what follows it up to the value: "Số:",
    "Số ", OCR's "S6:" and "Sô'" ("Số:      /KH-UBND" leaves the blank to the parser)."""
    label = _label()
    marks = re.escape(label["marks"])
    punctuation = re.escape(label["punctuation"])
    return re.compile(rf"^\s*(?:{_label_spellings()})[\s{marks}]*\s*[{punctuation}]?\s*", re.IGNORECASE)


@lru_cache(maxsize=1)
def labelled_number() -> re.Pattern[str]:
    """A recogniser's reading of the label with the number written after it, and perhaps the
    symbol's slash ("Sô:48", "Só: 2054/"): the number in group 1."""
    return re.compile(number_label().pattern + r"(\d{1,6})\s*[/.,]?\s*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def number_label_alone() -> re.Pattern[str]:
    """A line that is the label alone ("Số:"): its value is on the next line."""
    return re.compile(number_label().pattern + "$", re.IGNORECASE)


@lru_cache(maxsize=1)
def number_label_word() -> re.Pattern[str]:
    """One OCR word that opens with the label, ended by its punctuation or by the word's end
    ("Số:", "Số:4214/BCA-C04", "S6"). In capitals only: a lower-case "số" in the top lines of
    a scan opens a citation ("số 163/2024/QH15"), never the header's number.

    The capitalised label may also be glued to what no word goes on with, neither a space
    nor a lower-case letter: a handwritten number written close to it, its colon read into
    the ink ("SóZ#!⁄ƒ" for "Sô: 2531"); "Sóc Trăng" goes on in lower case."""
    punctuation = re.escape(_label()["punctuation"])
    capitalised = [word[0].upper() + word[1:] for word in number_label_spellings()]
    return re.compile(
        rf"^(?:(?:{_label_spellings(whole_word=True)})(?:[{punctuation}]|$)"
        rf"|(?:{_alternation(capitalised)})(?=[^\s{_LOWER_CASE}]))"
    )


def _word(part: str) -> str:
    return f"(?:{_alternation(_date_words()[part])})"


def date_fields(value: str) -> re.Pattern[str]:
    """The day and the month fields of a worded date, each its word (group ``word``) and a
    ``value`` (group ``value``) followed by the next field's word: "ngày l6 tháng", "tháng 1] năm"."""
    field_word = f"(?:{_word('day')}|{_word('month')})"
    next_word = f"(?:{_word('month')}|{_word('year')})"
    return re.compile(rf"(?P<word>\b{field_word}\s+)(?P<value>{value})(?=\s+{next_word}\b)")


@lru_cache(maxsize=1)
def place_before_date() -> re.Pattern[str]:
    """A line opened by a place and the day's word, whatever follows ("Hà Nội, ngày¿ th@›Ôj"):
    the place of a dateline whose date is not legible. OCR may take the day word's mark
    ("ngay", "ngảy")."""
    low, high = PLACE_CHARS
    return re.compile(rf"^\s*(?P<place>[^,\n\d]{{{low},{high}}}?)\s*,\s*ng[^\W\d_]y", re.IGNORECASE)


@lru_cache(maxsize=1)
def date_line() -> re.Pattern[str]:
    """The place-and-date line with its fields captured raw (``place``, ``day``, ``month``,
    ``year``): drafts leave the day and month blank or dotted, scans hold handwriting, and a
    scan may lose a digit of the year, read one too many or read one as a slash ("năm 226",
    "năm 20235", "năm 2/26"): the year is whatever run of three to five digits and slashes
    ends the line's date, for the parser to judge."""
    low, high = PLACE_CHARS
    field = rf"[^\n]{{0,{DATE_FIELD_CHARS}}}?"
    return re.compile(
        rf"(?:(?P<place>[^,\n]{{{low},{high}}}?)\s*,\s*)?{_word('day')}(?P<day>{field})"
        rf"{_word('month')}(?P<month>{field}){_word('year')}\s*(?P<year>\d[\d/⁄]{{2,4}})(?![\d/⁄])",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def typed_date_line() -> re.Pattern[str]:
    """A date line whose day and month hold digits or blanks only ("ngày 15 tháng 3 năm
    2026", "ngày   tháng 3 năm 2026", "ngày … tháng … năm 2026"), or the mark of a handwritten
    field a scan's second reading could not read ("ngày ? tháng 12 năm 2021")."""
    blank = rf"[\d.…_ {re.escape(ILLEGIBLE_FIELD)}]*"
    return re.compile(
        rf"{_word('day')}\s*{blank}\s*{_word('month')}\s*{blank}\s*{_word('year')}\s*\d{{4}}", re.IGNORECASE
    )


def worded_date(suffix: str = "") -> str:
    """A fragment for "ngày 05 tháng 3 năm 2020" with the groups ``d``, ``m`` and ``y`` (each
    name followed by ``suffix``, to combine it with another date form in one pattern)."""
    return (
        rf"{_word('day')}\s*(?P<d{suffix}>\d{{1,2}})\s*{_word('month')}\s*(?P<m{suffix}>\d{{1,2}})"
        rf"\s*{_word('year')}\s*(?P<y{suffix}>\d{{4}})"
    )


def numbered_date() -> str:
    """A fragment for "05/3/2020", "ngày 05-3-2020" with the groups ``d``, ``m`` and ``y``."""
    return rf"(?:{_word('day')}\s*)?(?P<d>\d{{1,2}})\s*[/.-]\s*(?P<m>\d{{1,2}})\s*[/.-]\s*(?P<y>\d{{4}})"


@lru_cache(maxsize=1)
def day_and_month() -> re.Pattern[str]:
    """The day and the month of a date, with the groups ``day`` and ``month``, whatever
    follows: "ngày 08 tháng 10 năm 201" (the year read short), "ngày 24/2/2924"."""
    return re.compile(
        rf"{_word('day')}\s*(?P<day>\d{{1,2}})\s*(?:{_word('month')}\s*|/\s*)(?P<month>\d{{1,2}})",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def day_word() -> re.Pattern[str]:
    """An OCR word that opens the date line's day ("ngày", "ngày82tháng")."""
    return re.compile(rf"^{_word('day')}", re.IGNORECASE)


@lru_cache(maxsize=1)
def month_word() -> re.Pattern[str]:
    """The month's word inside an OCR word ("tháng", "ngày82tháng")."""
    return re.compile(_word("month"), re.IGNORECASE)


@lru_cache(maxsize=1)
def year_word() -> re.Pattern[str]:
    """The year's word inside an OCR word ("năm", "nam2026")."""
    return re.compile(_word("year"), re.IGNORECASE)


@lru_cache(maxsize=1)
def date_reading() -> re.Pattern[str]:
    """A handwriting recogniser's reading of the date line's crop, from "ngày" to "năm", whose
    letters it drops or changes now and then ("ngy 27tháng", "này 27", "gày 25tháng", "thing
    12", "nǎm", "āam", the crop's edge cutting "năm" to "m"): each word is known by its first
    letters and its end, with up to three letters of any kind between. The short year word is
    in lower case: a month read as letters ("MM" for a handwritten 11) is no year's word."""
    letters = r"[^\W\d_]"
    day, month, year = (ascii_key(_date_words()[part][0]) for part in ("day", "month", "year"))
    return re.compile(
        rf"(?:{day[0]}{letters}{{0,3}}|{day[1]}{letters}{day[-1]})\s*(?P<day>\S{{0,8}}?|\d \d)\s*"
        rf"{month[:2]}{letters}{{0,3}}{month[-1]}\s*(?P<month>\S{{0,3}}?)\s*"
        rf"(?:{year[0]}{letters}{{0,3}}{year[-1]}|(?-i:[a-zà-ỹāǎ]{{0,2}}{year[-1]})\b|$)",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def date_words() -> re.Pattern[str]:
    """The day's word, later on the line the year's, with or without marks: the test for the
    date line that ends a header set side by side with tabs."""
    words = _date_words()
    return re.compile(
        rf"(?:{_alternation(_with_bare(words['day']))}).*(?:{_alternation(_with_bare(words['year']))})",
        re.IGNORECASE,
    )


def _with_bare(words: list[str]) -> list[str]:
    """The words and their spellings without marks."""
    spelled: list[str] = []
    for word in words:
        spelled += [word, ascii_key(word)]
    return spelled


def _phrase(phrase: str) -> str:
    """A phrase's words with any white space (or none) between them."""
    return r"\s*".join(re.escape(word) for word in phrase.split())


@lru_cache(maxsize=1)
def recipients_label() -> re.Pattern[str]:
    """The label opening the recipients list ("Nơi nhận:", "Nơi gửi"), with its punctuation."""
    labels: list[str] = load_data("header_words")["recipients_label"]
    return re.compile(
        rf"^\s*[{re.escape(LABEL_SPECKS)}]*(?:{'|'.join(_phrase(label) for label in labels)})\s*[:.]?\s*",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def recipients_label_alone() -> re.Pattern[str]:
    """The recipients label with or without marks, alone on its line or before a gap ("Nơi
    nhận hồ sơ: ..." in the body is no label)."""
    labels: list[str] = load_data("header_words")["recipients_label"]
    spelled = sorted(set(_with_bare(labels)), key=len, reverse=True)
    return re.compile(
        rf"^(?:{'|'.join(_phrase(label) for label in spelled)})\s*:?(?:\s*\t|\s{{3,}}|\s*$)", re.IGNORECASE
    )


@lru_cache(maxsize=1)
def _motto_keys() -> tuple[tuple[str, ...], tuple[str, ...]]:
    words = load_data("header_words")
    return tuple(ascii_key(m) for m in words["motto"]), tuple(ascii_key(o) for o in words["motto_openings"])


def is_motto_line(text: str) -> bool:
    """A line of the national motto (or the Party's heading), marks free: a motto of the data
    inside it, or the opening of its second line ("Độc lập - Tự do ...") however the dashes
    between its words were printed or read."""
    key = ascii_key(text)
    mottos, openings = _motto_keys()
    return any(motto in key for motto in mottos) or key.startswith(openings)


@lru_cache(maxsize=1)
def _recipients_keys() -> tuple[str, ...]:
    labels: list[str] = load_data("header_words")["recipients_label"]
    return tuple(ascii_key(label) for label in labels)


def opens_with_recipients_label(text: str) -> bool:
    """A line opening with the recipients label, marks free ("Nơi nhận:", "Noi nhan", "Nơi
    gửi"), specks OCR glued before it included ("(Nơi nhận:"), or with one letter of it
    misread on a scan ("Xơi nhận:", see ``garbled_recipients_label``)."""
    return (
        ascii_key(text.lstrip(LABEL_SPECKS)).startswith(_recipients_keys())
        or garbled_recipients_label(text) is not None
    )


# A scan's label with one letter misread, lost or added ("Xơi nhận:", "ơi nhận:", "Nơi Hhận:",
# "$Wơi nhận:"): two words and the colon, alone on their line or before the list's first
# bullet. The colon and the empty rest keep a phrase of the body ("Tôi nhận được ...") out.
GARBLED_LABEL = re.compile(r"^[\W\d_]*(?P<words>[^\W\d_]+\s+[^\W\d_]+)\s*:\s*(?:[-–+•*].*)?$")
GARBLED_LABEL_EDITS = 1


def garbled_recipients_label(text: str) -> int | None:
    """Where a recipients label that OCR misread by one letter ends on ``text``, else None."""
    found = GARBLED_LABEL.match(text.strip())
    if found is None:
        return None
    key = ascii_key(found["words"])
    if not any(edits(key, label) <= GARBLED_LABEL_EDITS for label in _recipients_keys()):
        return None
    return text.index(":", text.index(found["words"])) + 1


def recipients_label_end(text: str) -> int:
    """Where the recipients label that opens ``text`` ends, its colon included (0 when no
    label is spelled there): the label as printed or with one letter misread."""
    found = recipients_label().match(text)
    if found is not None:
        return found.end()
    garbled = garbled_recipients_label(text)
    return 0 if garbled is None else garbled


@lru_cache(maxsize=1)
def _addressee_keys() -> tuple[str, ...]:
    labels: list[str] = load_data("header_words")["addressees_label"]
    return tuple(ascii_key(label) for label in labels)


def opens_with_addressee_label(text: str) -> bool:
    """A line opening with the addressees' label, marks free ("Kính gửi", "Kinh gui"), or
    with its first letter lost on a scan and its colon kept ("ính gửi:")."""
    key = ascii_key(text)
    if key.startswith(_addressee_keys()):
        return True
    beheaded = _beheaded_addressee_keys()
    return key.startswith(beheaded) and ":" in text[: max(map(len, beheaded)) + 3]


@lru_cache(maxsize=1)
def _beheaded_addressee_keys() -> tuple[str, ...]:
    return tuple(label[1:] for label in _addressee_keys())


@lru_cache(maxsize=1)
def addressee_label() -> re.Pattern[str]:
    """The label before the addressees ("Kính gửi:") with its punctuation; a dispatch (Công
    điện) names its addressees after "<BODY> điện:" instead."""
    words = load_data("header_words")
    labels: list[str] = words["addressees_label"]
    dispatch = re.escape(words["dispatch_addressees_word"])
    # A scan may lose the label's first letter to a stamp or a seal ("ính gửi:"): without it,
    # the colon must follow.
    beheaded = "|".join(_phrase(label[1:]) for label in labels)
    return re.compile(
        rf"^\s*(?:{'|'.join(_phrase(label) for label in labels)})\s*[:.]?\s*"
        rf"|^\s*(?:{beheaded})\s*:\s*|^.{{0,80}}\b{dispatch}\s*:\s*",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def motto_words() -> re.Pattern[str]:
    """The motto's "Cộng hòa" / "Cộng sản", with or without marks: the word "cộng" of a motto
    and the first letter of the word after it, whose tone mark documents place either way
    ("hòa", "hoà")."""
    openings: set[tuple[str, str]] = set()
    for motto in load_data("header_words")["motto"]:
        words = motto.split()
        openings.update((word, words[at + 1][0]) for at, word in enumerate(words[:-1]) if word == "cộng")
    heads = _alternation(_with_bare(sorted({word for word, _ in openings})))
    letters = "".join(sorted({letter for _, letter in openings}))
    return re.compile(rf"(?:{heads})\s+[{letters}]", re.IGNORECASE)


# The marks of Vietnamese letters: grave, acute, circumflex, tilde, breve, hook, horn, dot below.
_VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323")


@lru_cache(maxsize=1)
def _same_letter() -> dict[str, str]:
    """Letter -> a class of every Vietnamese letter with its base ("ộ" -> "[oòóỏõọôồốổỗộơờớởỡợ...]")."""
    codes = (*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x1B1), *range(0x1EA0, 0x1EFA))
    by_base: dict[str, list[str]] = {}
    for letter in map(chr, codes):
        decomposed = unicodedata.normalize("NFD", letter)
        if (
            not decomposed[0].isascii()
            or not decomposed[0].isalpha()
            or set(decomposed[1:]) - _VIETNAMESE_MARKS
        ):
            continue
        by_base.setdefault(decomposed[0].lower(), []).append(letter)
    return {letter: "[" + "".join(same) + "]" for same in by_base.values() for letter in same}


def _any_marks(phrase: str) -> str:
    """``phrase`` with each letter's marks free: OCR drops and changes them ("CÔNG HOÁ XÂ
    HỘI") and documents place the tone either way ("hòa", "hoà")."""
    same = _same_letter()
    return r"\s+".join("".join(same.get(char, re.escape(char)) for char in word) for word in phrase.split())


@lru_cache(maxsize=4)
def motto_start(words: int) -> re.Pattern[str]:
    """The first ``words`` words of the national motto ("CỘNG HÒA XÃ HỘI" for 4), their marks
    free: where the motto starts in a line that OCR or a web page ran together with others."""
    motto: str = load_data("header_words")["motto"][0]
    return re.compile(_any_marks(" ".join(motto.split()[:words])), re.IGNORECASE)


def _summary_prefixes() -> list[str]:
    prefixes: list[str] = load_data("header_words")["summary_prefixes"]
    return prefixes


@lru_cache(maxsize=1)
def summary_prefix() -> re.Pattern[str]:
    """The words before a trích yếu ("V/v:", "Về việc"), with their punctuation."""
    return re.compile(
        rf"^\s*(?:{'|'.join(_phrase(p) for p in _summary_prefixes())})\s*[:.]?\s*", re.IGNORECASE
    )


def snapped_summary_prefix(text: str) -> str | None:
    """``text`` with a summary prefix of words that OCR read with a mark slipped ("Vệ việc",
    "Về viêc") put back as listed ("Về việc"); None when none opens it or it is read right."""
    stripped = text.lstrip()
    for prefix in _summary_prefixes():
        size = len(prefix.split())
        words = stripped.split(maxsplit=size)
        head = " ".join(words[:size])
        if size > 1 and head != prefix and ascii_key(head) == ascii_key(prefix) and head[:1].isupper():
            return " ".join([prefix, *words[size:]])
    return None


@lru_cache(maxsize=1)
def summary_opener() -> re.Pattern[str]:
    """A line that opens like a trích yếu: the first word of a summary prefix ("V/v", "Về")."""
    return re.compile(
        rf"^\s*(?:{_alternation([p.split()[0] for p in _summary_prefixes()])})\b", re.IGNORECASE
    )


def urgency_word(text: str) -> str | None:
    """The urgency word ("KHẨN", "HỎA TỐC") a line or a piece of one is, alone, or None."""
    key = ascii_key(text).strip(" .:")
    return next((word for word in load_data("header_words")["urgency"] if ascii_key(word) == key), None)


def secrecy_word(text: str) -> str | None:
    """The confidentiality word ("MẬT", "TỐI MẬT") a line or a piece of one is, alone, or None."""
    key = ascii_key(text).strip(" .:")
    words: list[str] = load_data("header_words")["confidentiality"]
    return next((word for word in words if ascii_key(word) == key), None)


def stamp_words() -> tuple[str, ...]:
    """The words an urgency or secrecy stamp prints, urgency first ("Hỏa tốc" ... "Mật")."""
    words: dict[str, list[str]] = load_data("header_words")
    return (*words["urgency"], *words["confidentiality"])


# What a received stamp's label line holds after its label: the hand-filled value, as read.
STAMP_LABEL_TAIL = 16


@lru_cache(maxsize=1)
def _received_stamp() -> tuple[tuple[str, ...], re.Pattern[str]]:
    data = load_data("header_words")["received_stamp"]
    labels = _alternation([ascii_key(label) for label in data["labels"]])
    return tuple(ascii_key(word) for word in data["arrival"]), re.compile(rf"^(?:{labels})\s*[:;]")


def opens_with_arrival(text: str) -> bool:
    """The line opens with a received stamp's "ĐẾN" ("CÔNG VĂN ĐẾN"), in capitals: the body's
    "đến" is in lower case, and no header line opens with it."""
    words = text.strip().lstrip(LABEL_SPECKS).split()
    for phrase in _received_stamp()[0]:
        head = " ".join(words[: len(phrase.split())])
        if head.isupper() and ascii_key(head).strip(".,:;") == phrase:
            return True
    return False


def is_received_stamp_line(text: str) -> bool:
    """A line of a received stamp's print: one opening with its "ĐẾN", or one of its labels
    ("Ngày:", "Chuyển:") with little after it (the handwriting). The dateline's "ngày" never
    opens its line nor takes a colon."""
    key = ascii_key(text.strip().lstrip(LABEL_SPECKS))
    label = _received_stamp()[1].match(key)
    return opens_with_arrival(text) or (label is not None and len(key) - label.end() <= STAMP_LABEL_TAIL)


def is_stamp_line(text: str) -> bool:
    """A line that is an urgency or secrecy word alone: a stamp beside the summary or the
    issuer block (a scan's stamp is put in reading order where it was pressed)."""
    return bool(urgency_word(text) or secrecy_word(text))
