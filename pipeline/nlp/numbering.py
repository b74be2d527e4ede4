"""Number-and-symbol lines, place-and-date lines and document citations (Decree 30, domain.md §2).

Blank numbers stay ``None``: the tool never invents a number the page does not print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from pipeline.data import load_data
from pipeline.nlp.bodies import admin_unit_spellings
from pipeline.nlp.header_lines import date_line, number_label, numbered_date, worded_date
from pipeline.nlp.lookalikes import as_digits
from pipeline.nlp.text import ascii_key, squash

# Letters allowed in a symbol, with the ASCII look-alikes of real archives.
SYMBOL_CHARS = r"A-Za-zĐđƠơƯưÂâÊêÔôĂăÁáÀàẢảÃãẠạ0-9&.\-/–"
NUMBER_VALUE = re.compile(
    rf"^(?P<number>\d{{1,6}}[a-zA-Z]?)?\s*(?P<sep>[/-])\s*(?P<symbol>[{SYMBOL_CHARS}]+)"
)
PARTY_VALUE = re.compile(r"^(?P<number>\d{1,6})-(?P<symbol>[A-ZĐa-z]{1,6}/[A-ZĐ][A-ZĐa-z0-9\-/]*)")
BLANKS = re.compile(r"^[\s.…_]+")

FIELD_BLANKS = " .…_/:-,"
# A slash against a digit inside a hand-filled field ("ngày /2 tháng"): a stroke of the hand.
SLASH_BY_A_DIGIT = re.compile(r"/\s?\d|\d\s?/")

# A cited document: "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ" (its date
# numbered or worded: header_lines.numbered_date / worded_date).
# A cited number always has letters ("128/KH-UBND"), never only digits ("2024-2029").
CITED_NUMBER = (
    r"(?:số\s*[:.]?\s*)?(?P<ns>(?=[\w/.-]*(?:\s\d+/[\w/.-]*)?[A-Za-zĐđ])"
    # A symbol may wrap at a line end after "-" or "/" ("258/ĐĐN- ĐLS").
    # OCR may split a year with a space ("201/201 3/NĐ-CP"): digits go on across it before a "/".
    # A number glued to a letter ("số L1/CT-TTg") lost a digit to OCR: it is not read.
    r"(?<![A-Za-zĐđ])\d{1,6}[a-z]?\s*[/-]\s*[A-Za-zĐđ0-9]"
    r"(?:[A-Za-zĐđ0-9&._–]|[-/]\s?(?=[A-Za-zĐđ0-9])|(?<=\d)\s(?=\d+/))*[A-Za-zĐđ0-9])"
)


@lru_cache(maxsize=1)
def _types() -> list[dict[str, str | None]]:
    data = load_data("doc_types")
    types: list[dict[str, str | None]] = data["types"]
    return types


@lru_cache(maxsize=1)
def code_to_type() -> dict[str, str]:
    """Type code ('KH', 'QĐ', with ASCII look-alikes 'QD', 'ND') -> type name."""
    mapping: dict[str, str] = {}
    for entry in _types():
        code, name = entry["code"], entry["name"]
        if code and name:
            mapping.setdefault(code.upper(), name)
            mapping.setdefault(ascii_key(code).upper(), name)
    return mapping


@lru_cache(maxsize=1)
def printed_type_codes() -> dict[str, str]:
    """A type code with D for its Đ -> the code as the list prints it ("QD" -> "QĐ", "CD" ->
    "CĐ"): a scan that lost the stroke. Look-alikes that are bodies' codes are left out."""
    codes = {str(entry["code"]) for entry in _types() if entry["code"]}
    return {
        code.replace("Đ", "D"): code
        for code in codes
        if "Đ" in code and code.replace("Đ", "D") not in issuer_codes() | codes
    }


@lru_cache(maxsize=1)
def type_names() -> list[str]:
    """Type names, longest first so 'Thông tư liên tịch' wins over 'Thông tư'."""
    return sorted((str(e["name"]) for e in _types()), key=len, reverse=True)


@lru_cache(maxsize=1)
def title_types() -> dict[str, str]:
    """Squashed capital title ('kếhoạch') -> type name ('Kế hoạch'), in the data's order: the
    types printed as a title line (all with a code; a letter, Công văn, has neither)."""
    return {squash(str(e["name"])): str(e["name"]) for e in _types() if e["code"]}


@lru_cache(maxsize=1)
def cited_only_types() -> list[str]:
    """Kinds of documents cited as grounds that are not Decree 30 types ('Đơn đề nghị')."""
    data = load_data("doc_types")
    names: list[str] = data["cited_only"]
    return sorted(names, key=len, reverse=True)


@lru_cache(maxsize=1)
def cited_by_name() -> frozenset[str]:
    """Types cited by their name before any number.

    'Pháp lệnh phát hành công trái xây dựng Tổ quốc số 12/1999/PL-UBTVQH10'."""
    data = load_data("doc_types")
    return frozenset(data["cited_by_name"])


def type_code(name: str) -> str | None:
    for entry in _types():
        if entry["name"] == name:
            return entry["code"]
    return None


@dataclass
class NumberSymbol:
    number: str | None
    symbol: str | None
    start: int  # span of the value inside the line
    end: int


def _clean_symbol(symbol: str) -> str:
    symbol = symbol.replace("–", "-").strip(".,;:-/")
    return symbol


# A symbol opens with a year ("2020/NĐ-CP") or a code ("UBND-KSTTHC"), never with a short run
# of digits: "Số: /74/UBND-KSTTHC" is a hand-filled number OCR cut in two, whose digits
# cannot be trusted; the symbol keeps its code only.
STRAY_NUMBER = re.compile(r"^\d{1,3}/(?=[A-ZĐ])")


def parse_number_line(text: str) -> NumberSymbol | None:
    """Parse 'Số: 153/KH-UBND', 'Số:   /KH-UBND', 'Số 57-NQ/TW', 'Số: 30/2020/NĐ-CP'."""
    # "Số:", "Số", OCR's "S6:", "Sô'"; the value may be blank ("Số:      /KH-UBND").
    label = number_label().match(text)
    if not label:
        return None
    rest = text[label.end() :]
    blank = BLANKS.match(rest)
    offset = label.end() + (blank.end() if blank else 0)
    # Hazard: spaces around separators ("1925 /STC- HTDN", "2827 /QĐ-BGDĐT").
    value = re.sub(r"\s*([/\-–])\s*", r"\1", text[offset:])
    value = re.sub(r"\.\s+(?=[A-ZĐ])", ".", value)  # "QĐ. BQL–VP"
    party = PARTY_VALUE.match(value)
    if party:
        return NumberSymbol(party["number"], _clean_symbol(party["symbol"]), offset, len(text))
    match = NUMBER_VALUE.match(value)
    if match and match["sep"] == "/":
        symbol = _clean_symbol(match["symbol"])
        if match["number"] is None:
            symbol = STRAY_NUMBER.sub("", symbol)
        return NumberSymbol(match["number"], symbol or None, offset, len(text.rstrip()))
    return _parse_illegible_number(text, offset)


@lru_cache(maxsize=1)
def issuer_codes() -> frozenset[str]:
    """The bodies' codes of symbols ("UBND", "TTg", "BTC"), from data/symbol_codes.json."""
    codes: list[str] = load_data("symbol_codes")["issuer_codes"]
    return frozenset(codes)


@lru_cache(maxsize=1)
def known_codes() -> frozenset[str]:
    """Every code of the closed lists: the types' ("QĐ", "KH") and the bodies' ("UBND", "TTg")."""
    return issuer_codes() | frozenset(code_to_type())


def are_known_codes(codes: list[str], *, typed: bool = False) -> bool:
    """Whether ``codes`` (a symbol's parts between hyphens) are all codes of the closed lists;
    with ``typed``, a type code first and bodies' codes after it ("QĐ", "TTg")."""
    if not typed:
        return all(code in known_codes() for code in codes)
    return (
        len(codes) >= 2 and codes[0] in code_to_type() and all(code in issuer_codes() for code in codes[1:])
    )


def known_codes_symbol(token: str) -> str | None:
    """``token`` as a symbol of codes only ("QĐ-TTg", "QĐ- -TTg" as OCR spaced it) when it is a
    type code followed by bodies' codes of the closed lists, else None."""
    parts = [part for part in re.sub(r"\s+", "", token).strip(".,;:").split("-") if part]
    return "-".join(parts) if are_known_codes(parts, typed=True) else None


# What is left of a symbol when the hand-written number swallowed the slash ("Số: †0% QĐ- -TTg").
SLASHLESS_SYMBOL = re.compile(r"(?<![^\s:])(?P<symbol>[A-ZĐ]{1,5}\s*-[\s\-]*[A-ZĐ][A-Za-zĐđ0-9\s\-]*?)\s*$")


def _parse_illegible_number(text: str, offset: int) -> NumberSymbol | None:
    """A scan's hand-filled number ("Số: 2“ /CT-UBND", "Số:⁄11 /CT-UBND"): keep the printed
    symbol, and the number only where its digits are legible."""
    slash = text.find("/", offset)
    if slash < 0:
        # No slash: the symbol is kept only when it is made of known codes; the number is
        # never read from what swallowed the slash.
        match = SLASHLESS_SYMBOL.search(text, offset)
        symbol = known_codes_symbol(match["symbol"]) if match else None
        return NumberSymbol(None, symbol, offset, len(text.rstrip())) if symbol else None
    if slash - offset > 12:
        return None
    symbol_match = re.match(rf"\s*([{SYMBOL_CHARS}]+)", re.sub(r"\s*([\-–])\s*", r"\1", text[slash + 1 :]))
    if not symbol_match:
        return None
    symbol = _clean_symbol(symbol_match.group(1))
    if not re.search(r"[A-Za-zĐđ]", symbol):
        return None
    number = legible_digits(text[offset:slash].replace("⁄", ""), max_digits=6)
    return NumberSymbol(number, symbol, offset, len(text.rstrip()))


def type_from_symbol(symbol: str | None) -> str | None:
    """'KH-UBND' -> Kế hoạch; '2020/NĐ-CP' -> Nghị định; 'NQ/TW' -> Nghị quyết; 'UBND-VX' -> None."""
    if not symbol:
        return None
    parts = symbol.split("/")
    head = parts[1] if re.fullmatch(r"\d{4}", parts[0]) and len(parts) > 1 else parts[0]
    code = re.split(r"[-.]", head)[0]
    return code_to_type().get(code.upper()) or code_to_type().get(ascii_key(code).upper())


@dataclass
class PlaceDate:
    place: str | None
    iso: str | None
    start: int
    end: int
    # A day or month was written in but cannot be read (a scan's handwriting): the date is
    # then left out rather than given at a granularity the document did not choose.
    illegible: bool = False
    # The year, and the day when legible on its own (for a cross-check when the month is not).
    year: str | None = None
    day: str | None = None
    # The date as read cannot be a document's: before the first state documents, or after the
    # day it is read (a scan's "2026" read "2226", "2035"); it is then left out.
    impossible: bool = False
    # The year as read when it is not four digits ("226", "20235", "2/26"): no date is given.
    year_read: str | None = None


# No document of the state this tool reads is older (the Democratic Republic's first decrees).
FIRST_YEAR = 1945
YEAR_DIGITS = 4


def possible_issue_date(iso: str) -> bool:
    """Whether ``iso`` (a year, a month or a day) can be the date of a document read today."""
    year = int(iso[:4])
    return year >= FIRST_YEAR and iso <= date.today().isoformat()[: len(iso)]


def _iso(year: str, month: str | None, day: str | None) -> str | None:
    try:
        if month and day:
            return date(int(year), int(month), int(day)).isoformat()
        if month:
            return f"{int(year):04d}-{int(month):02d}" if 1 <= int(month) <= 12 else f"{int(year):04d}"
    except ValueError:
        return f"{int(year):04d}-{int(month):02d}" if month and 1 <= int(month) <= 12 else f"{int(year):04d}"
    return f"{int(year):04d}"


def legible_digits(raw: str | None, max_digits: int = 2) -> str | None:
    """The digits of a hand-filled field if they can be read for sure, else None.

    "07" -> "07", "I1" -> "11", "  " / "..." -> None (blank), "#3" / "lé" / "|6" -> None.
    """
    if SLASH_BY_A_DIGIT.search(raw or ""):
        return None  # "/2": a handwritten 1 is a slanted stroke; which digit it was is no sure reading
    token = (raw or "").strip(FIELD_BLANKS)
    if not token or not any(ch.isdigit() for ch in token):
        return None
    token = token.translate(as_digits())  # OCR confusions of hand-filled digits
    if not token.isdigit() or len(token) > max_digits or int(token) == 0:
        return None
    return token


def parse_place_date(text: str) -> PlaceDate | None:
    """'Lâm Đồng, ngày   tháng 3 năm 2026' -> place 'Lâm Đồng', '2026-03' (granularity as printed)."""
    # The day and month fields are captured raw: drafts leave them blank or dotted, scans
    # print them by hand ("ngày82tháng", "ngày |6 tháng 12"); ``legible_digits`` decides.
    match = date_line().search(text)
    if not match:
        return None
    before = text[: match.start()].strip()
    place = match["place"].strip(" .,:;-_") if match["place"] else _place_without_its_comma(before)
    if not match["place"] and before and place is None:
        return None  # a date inside a sentence ("... ngày 13 tháng 3 năm 2025 của ..."), not the dateline
    if place and "/" in place:
        # "Số: 256 /2004/QĐ-UB TP.Cần Thơ, ngày ..." on one line: the place follows the symbol.
        place = re.split(r"\S*/\S*\s+", place)[-1] or None
    if len(match["year"]) != YEAR_DIGITS or not match["year"].isdigit():
        return PlaceDate(place or None, None, match.start(), match.end(), year_read=match["year"])
    month = legible_digits(match["month"])
    day = legible_digits(match["day"]) if month else None
    illegible = (_written_in(match["month"]) and month is None) or (_written_in(match["day"]) and day is None)
    if month and day and not is_date(int(match["year"]), int(month), int(day)):
        illegible = True  # "ngày82tháng 4": digits, but no such day
    iso = None if illegible else _iso(match["year"], month, day)
    impossible = not possible_issue_date(iso or match["year"])  # the iso's year is the printed one
    lone_day = legible_digits(match["day"])
    return PlaceDate(
        place or None,
        None if impossible else iso,
        match.start(),
        match.end(),
        illegible,
        None if impossible else match["year"],
        lone_day,
        impossible,
    )


def _place_without_its_comma(before: str) -> str | None:
    """What stands before "ngày" when a scan lost the dateline's comma or read it as a full stop
    ("Hà Nội. ngày 20 ...", "Bình Thuận ngày 23 ..."): a place only when it is an administrative
    unit's name, the unit word before it aside ("TP. Hồ Chí Minh"); None for a sentence's words."""
    place = before.strip(" .,:;-_")
    words = place.split()
    if not 1 <= len(words) <= MAX_PLACE_WORDS:
        return None
    names = admin_unit_spellings()
    for start in range(min(len(words), 3)):  # a unit word ("Thành phố", "TP.") before the name
        if ascii_key(" ".join(words[start:])) in names and words[start][:1].isupper():
            return place
    return None


# A dateline's place, its unit word included, has at most this many words.
MAX_PLACE_WORDS = 6


def is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _written_in(raw: str | None) -> bool:
    """The field holds something other than blanks (ink, even if unreadable)."""
    return bool((raw or "").strip(FIELD_BLANKS))


@dataclass
class Citation:
    doc_type: str | None
    number_symbol: str | None
    date: str | None
    issuer: str | None
    text: str
    start: int
    end: int

    def described(self) -> dict[str, str | None]:
        """What a record says of a cited document, the citation's words joined on one line."""
        return {
            "doc_type": self.doc_type,
            "number_symbol": self.number_symbol,
            "date": self.date,
            "issuer": self.issuer,
            "text": " ".join(self.text.split()),
        }


ISSUER_STOP = re.compile(
    r"\s+(?:về|quy định|hướng dẫn|ban hành|phê duyệt|sửa đổi|bổ sung|thành lập|thực hiện|triển khai|"
    r"tổ chức|về việc|v/v|trong|đối với|công bố|giao|chi tiết)\b|[;,(]|\.\s|\.$",
    re.IGNORECASE,
)


def _citation_pattern() -> re.Pattern[str]:
    names = "|".join(re.escape(name) for name in type_names() if name != "Công văn")
    cited = "|".join(re.escape(name) for name in cited_only_types())
    return re.compile(
        rf"(?P<type>{names}|{cited})(?![a-zà-ỹ])(?!\s+sư)(?P<mid>[^;]{{0,160}}?)"
        rf"(?:{CITED_NUMBER}|(?={worded_date('2')}|{numbered_date()}))",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def citation_pattern() -> re.Pattern[str]:
    return _citation_pattern()


@lru_cache(maxsize=1)
def type_name_pattern() -> re.Pattern[str]:
    names = "|".join(re.escape(name) for name in type_names())
    return re.compile(rf"(?<![a-zà-ỹ])(?:{names})(?![a-zà-ỹ])", re.IGNORECASE)


@lru_cache(maxsize=1)
def date_after() -> re.Pattern[str]:
    """A citation's date right after its number: "ngày 05/3/2020", ", ngày 5 tháng 3 năm 2020"."""
    return re.compile(rf"^\s*,?\s*(?:{worded_date('2')}|{numbered_date()})", re.IGNORECASE)


# "cua": "của" as a scan reads it without its marks (no ground cites a crab).
ISSUER_AFTER = re.compile(r"^\s*,?\s*(?:của|cua|do)\s+(?P<issuer>.+)", re.IGNORECASE)
NEXT_TYPE = re.compile(r"\b(?:và|,)\s*$")


def _date_from(match: re.Match[str]) -> str | None:
    day, month, year = (
        (match["d2"], match["m2"], match["y2"]) if match["y2"] else (match["d"], match["m"], match["y"])
    )
    return _iso(year, month, day)


def listed_type_name(raw: str) -> str:
    """A type name as the list spells it ("QUYẾT ĐỊNH" -> "Quyết định"), else ``raw`` capitalised."""
    for name in type_names():
        if raw.lower() == name.lower():
            return name
    return raw[:1].upper() + raw[1:].lower()


# "văn bản" (a document) names no type: its symbol does.
GENERIC_TYPE = "Văn bản"


# A type name with the kind of the document before its number ("Giấy phép khai thác, sử dụng
# nước mặt số 35/GP-UBND"): a few words, no clause of their own, and "số" right before the number.
KIND_BEFORE_NUMBER = re.compile(r"^\s[^.;:]{0,60}\s$")


def find_citations(text: str) -> list[Citation]:
    """Every document cited in ``text``, in order: type, number/symbol, date, issuer."""
    citations: list[Citation] = []
    position = 0
    while match := citation_pattern().search(text, position):
        position = match.end()
        mid = match["mid"] or ""
        doc_type = listed_type_name(match["type"])
        # "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015": a law cited by name.
        by_name = doc_type in cited_by_name()
        inner = type_name_pattern().search(mid)
        if inner and not (by_name and not mid[: inner.start()].strip()):
            # "Nghị quyết, Kế hoạch số 128/KH-UBND": the number belongs to the nearer type. A
            # law whose name opens with a type name ("Luật Luật sư") is cited by that name.
            position = match.start("mid") + inner.start()
            continue
        if not by_name and not match["ns"] and len(mid.strip()) > 3:
            continue
        kind_first = (
            KIND_BEFORE_NUMBER.match(mid) and "số" in text[match.end("mid") : match.start("ns")].lower()
        )
        if match["ns"] and len(mid.strip()) > 12 and not by_name and not kind_first:
            continue  # the number belongs to another phrase
        number_symbol = re.sub(r"\s+", "", match["ns"]).replace("–", "-") if match["ns"] else None
        if doc_type == GENERIC_TYPE and number_symbol and "/" in number_symbol:
            # "Văn bản số 92/TTr-UBND" is a Tờ trình; one whose symbol names no type, a Công văn.
            doc_type = type_from_symbol(number_symbol.split("/", 1)[1]) or "Công văn"
        end = match.end()
        tail = text[end:]
        cited_date = None
        date_match = date_after().match(tail)
        if date_match:
            cited_date = _date_from(date_match)
            end += date_match.end()
            tail = text[end:]
        issuer = None
        issuer_match = ISSUER_AFTER.match(tail)
        if issuer_match:
            raw = issuer_match["issuer"]
            stop = ISSUER_STOP.search(raw)
            issuer = raw[: stop.start()].strip() if stop else raw.strip()
            issuer = issuer.rstrip(" .;:" if "(" in issuer else " .;:)") or None
        citations.append(
            Citation(
                doc_type, number_symbol, cited_date, issuer, text[match.start() : end], match.start(), end
            )
        )
    return citations
