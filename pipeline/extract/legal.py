"""Legal bases: the documents cited in the 'Căn cứ' lines, or, when a document has none,
in its opening paragraph ('Thực hiện ...', 'Triển khai ...')."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from pipeline.layout.zones import ROMAN_HEADING, RULE_REMNANTS
from pipeline.model import Document
from pipeline.nlp.bodies import find_bodies, gazetteer_spelling
from pipeline.nlp.header_lines import day_and_month
from pipeline.nlp.numbering import Citation, find_citations, type_name_pattern
from pipeline.nlp.ocr_grounds import mended_ground
from pipeline.nlp.symbols import repaired_symbol
from pipeline.nlp.text import WORD_EDGES, ascii_key
from pipeline.record.models import LegalBasis
from pipeline.repair.quality import is_known_syllable

Ref = tuple[int, int]

# "(Ban hành kèm theo Quyết định số ...)": the subtitle of a regulation annexed to a
# decision names the decision it belongs to, not a ground.
ANNEXED_TO = re.compile(r"^\(\s*(?:ban\s+hành\s+)?kèm\s+theo\b", re.IGNORECASE)
# How far into the body the opening paragraph may reach, in lines.
OPENING_LINES = 25
PARAGRAPH_OPENERS = ("can cu", "thuc hien", "trien khai", "xet ", "theo de nghi")
# "1. ...", "Điều 1.", "Chương I": the content has begun.
FIRST_ITEM = re.compile(r"^\s*(?:\d{1,2}\s*[.)]\s|Điều\s+\d|Chương\s+[IVX\d]|Phần\s+[IVX\d])", re.IGNORECASE)


def paragraphs(doc: Document, refs: list[Ref]) -> list[str]:
    """Join wrapped lines: a paragraph ends at ';', '.', ':' or where the next one begins."""
    result: list[str] = []
    current = ""
    for page, index in refs:
        text = doc.pages[page].lines[index].text.strip().lstrip(RULE_REMNANTS)
        if not text:
            continue
        # Only a capital opens a paragraph: "thực hiện ..." in lower case is a wrapped line.
        starts = text[0].isupper() and ascii_key(text).startswith(PARAGRAPH_OPENERS)
        if current and (starts or current.endswith((";", ".", ":"))):
            result.append(current)
            current = text
        else:
            current = f"{current} {text}".strip()
    if current:
        result.append(current)
    return result


def grounds(paras: list[str]) -> list[str]:
    """The 'Căn cứ' paragraphs, with the items that continue their list after a ';'
    ("Căn cứ A; B;" then "C;"), not the "Thực hiện ..." or "Xét đề nghị ..." that follow."""
    found: list[str] = []
    for index, paragraph in enumerate(paras):
        # "- Căn cứ ..." in older documents; "` Căn cứ ...", a speck a scan read before it
        key = LEADING_MARKS.sub("", ascii_key(paragraph))
        continues = bool(found) and paras[index - 1] is found[-1] and found[-1].endswith(";")
        if key.startswith("can cu") or (continues and not key.startswith(PARAGRAPH_OPENERS)):
            found.append(paragraph)
    return found


def preamble(paras: list[str]) -> list[str]:
    """The paragraphs before the first heading, numbered item or article: grounds live there."""
    result: list[str] = []
    for paragraph in paras:
        if ROMAN_HEADING.match(paragraph) or FIRST_ITEM.match(paragraph):
            break
        result.append(paragraph)
    return result


# What separates two grounds in one paragraph; without one, the second document is named
# inside the first one's title ("Nghị định ... quy định chi tiết thi hành Luật ... số 04/1998/QH10").
AMENDING = "sửa đổi, bổ sung"  # a formula inside titles, not a list separator
GROUND_SEPARATOR = re.compile(r"[;,]|\svà\s|căn cứ", re.IGNORECASE)
# "Luật ... số 23/2004/QH11 được sửa đổi, bổ sung bởi Luật số 48/2014/QH13": the amending
# document is a ground of its own, not a name inside the first one's title.
AMENDED_BY = re.compile(r"\bbởi\b", re.IGNORECASE)
# Bullets and specks before a paragraph's first word ("- Căn cứ", "` Căn cứ").
LEADING_MARKS = re.compile(r"^[^\w]+")


def grounds_cited(paragraph: str) -> list[Citation]:
    """The documents a 'Căn cứ' paragraph rests on (not those named inside their titles)."""
    cited = find_citations(paragraph)
    kept = cited[:1]
    for previous, citation in itertools.pairwise(cited):
        between = paragraph[previous.end : citation.start].replace(AMENDING, "")
        if GROUND_SEPARATOR.search(between) or AMENDED_BY.search(between):
            kept.append(citation)
    return kept


def extract_legal_bases(doc: Document, body: list[Ref]) -> list[LegalBasis]:
    basis = grounds(preamble(paragraphs(doc, body[:200])))
    cite: Callable[[str], list[Citation]] = grounds_cited
    if not basis:
        # No căn cứ lines: every document the opening paragraph cites ("Thực hiện ...", "Tiếp
        # tục thực hiện ...", "Sở X nhận được Công văn số ..."), unless it is already a heading.
        # A regulation annexed to a decision has no grounds of its own: the decision has them.
        opening = opening_paragraph(paragraphs(doc, body[:OPENING_LINES]))
        basis = [p for p in opening if not ROMAN_HEADING.match(p) and not ANNEXED_TO.match(p)]
        cite = find_citations
    bases: list[LegalBasis] = []
    seen: set[str] = set()
    read_by_ocr = any(page.origin == "ocr" for page in doc.pages)
    elsewhere = _with_days(find_citations(doc.text), doc.text) if read_by_ocr else []
    for paragraph in basis:
        if read_by_ocr:
            paragraph, mended = mended_ground(paragraph)
            if mended:
                doc.warn("ocr.ground_repaired", f"legal ground read with {', '.join(mended)}")
        for citation in cite(paragraph):
            described = citation.described()
            symbol = citation.number_symbol
            if read_by_ocr and symbol and (fixed := repaired_symbol(symbol)):
                doc.warn("ocr.symbol_repaired", f"cited symbol read as {symbol!r}, repaired to {fixed!r}")
                described["number_symbol"] = symbol = fixed
            if read_by_ocr and symbol and _cut_code(symbol):
                doc.warn("ocr.ground_rejected", f"a ground cited as {citation.text!r} has a symbol cut short")
                continue
            if read_by_ocr and symbol and not CITED_SYMBOL.match(symbol):
                doc.warn("ocr.ground_rejected", f"a ground cited as {citation.text!r} has a malformed symbol")
                continue
            if read_by_ocr and symbol and (agreed := _agreed_number(citation, symbol, paragraph, elsewhere)):
                doc.warn(
                    "ocr.ground_agreed",
                    f"cited symbol read as {symbol!r} once; the document cites {agreed!r} more often",
                )
                described["number_symbol"] = symbol = agreed
            if symbol:
                if symbol in seen:
                    continue  # cited again (further on, or in the same opening paragraph)
                seen.add(symbol)
            described["issuer"] = issuer = trimmed_issuer(described["issuer"])
            if read_by_ocr and issuer and (spelled := _spelled(issuer, doc.text)):
                doc.warn("ocr.snapped", f"cited issuer read as {issuer!r}, spelled {spelled!r}")
                described["issuer"] = spelled
            bases.append(LegalBasis(**described))
    return bases


def _spelled(issuer: str, text: str) -> str | None:
    """A scanned cited issuer with the marks OCR lost put back: as the one issuer of the
    gazetteer with its letters spells it, or else as the document itself spells it most."""
    return gazetteer_spelling(issuer) or as_the_document_spells(issuer, text)


def as_the_document_spells(phrase: str, text: str) -> str | None:
    """The spelling ``text`` gives ``phrase`` most often, its marks aside, when that is not the
    phrase as read: Tesseract loses a cited body's marks in one line ("Chinh phu", "Chủ tịch
    UBND tính") and reads them in others. Taken only when the document prints it at least
    twice, more often than as read, with the same words in capitals; None otherwise."""
    words = phrase.split()
    keys = [ascii_key(word) for word in words]
    capitals = [word[:1].isupper() for word in words]
    tokens, bare = _words_of(text)
    counts: Counter[str] = Counter()
    for start in range(len(tokens) - len(words) + 1):
        window = tokens[start : start + len(words)]
        if bare[start : start + len(words)] == keys and [word[:1].isupper() for word in window] == capitals:
            counts[" ".join(window)] += 1
    if not counts:
        return None
    best, votes = counts.most_common(1)[0]
    return best if best != phrase and votes >= 2 and votes > counts[phrase] else None


@lru_cache(maxsize=1)
def _words_of(text: str) -> tuple[list[str], list[str]]:
    """The words of a document's text, and their bare letters (one document at a time)."""
    tokens = [token.strip(WORD_EDGES) for token in text.split()]
    return tokens, [ascii_key(token) for token in tokens]


# How many paragraphs the opening one may stand behind (what is left of the address block).
OPENING_REACH = 3


def opening_paragraph(paras: list[str]) -> list[str]:
    """The opening paragraph: the first, unless it cites nothing and one of the next that
    opens as a paragraph does ("Thực hiện Quyết định số ..."): on a scan, what is left of the
    "Kính gửi" block ("Các bộ, cơ quan ngang bộ; Ủy ban nhân dân tỉnh ...") may come first."""
    if not paras or find_citations(paras[0]):
        return paras[:1]
    for paragraph in preamble(paras)[1:OPENING_REACH]:
        if ascii_key(paragraph).startswith(PARAGRAPH_OPENERS) and find_citations(paragraph):
            return [paragraph]
    return paras[:1]


# What a cited number and symbol can be: a state document's ("12/2020/NĐ-CP", "30/2000/TTLT/BTC-BYT",
# "10/2007/QĐ_BKHCN" as printed), a party document's ("02-NQ/TW", "36-HD/BTCTW"), or a number
# alone. A scan's reading that is none of these ("80-NQJVTW", "23/22023/QĐ-TTg") is no ground.
CITED_SYMBOL = re.compile(
    r"^\d{1,6}[a-z]?(?:"
    r"(?:/(?:19|20)\d\d)?/[A-ZĐ][A-Za-zĐđ0-9]*(?:[-/&._][A-ZĐa-zđ0-9&]+)*"
    r"|-[A-ZĐ][A-Za-zĐđ]{0,3}/[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐa-zđ0-9]+)*"
    r")?$"
)


# The day and month after a cited symbol ("ngày 08 tháng 10"), read even where the year was
# cut short and the citation has no date.
DayMonth = tuple[int, int] | None


def _with_days(cited: list[Citation], text: str) -> list[tuple[Citation, DayMonth]]:
    return [(citation, _day_after(citation, text)) for citation in cited]


def _agreed_number(
    ground: Citation, symbol: str, paragraph: str, cited: list[tuple[Citation, DayMonth]]
) -> str | None:
    """On a scan, the symbol the document cites more often in place of ``symbol``, the
    ground's as read (and mended) in ``paragraph``, read once: the same codes after a number
    at most two digits off, cited at least twice and never on another day
    ("21269/UBND-NCKSTTHC" read once among three "2769/UBND-NCKSTTHC"). Two readings of one
    cited document agree; a slip is read once. A day and month that differ ("ngày 08 tháng
    10" and "ngày 14 tháng 10", the years read short) tell two documents apart. None when no
    one symbol is that near."""
    number, slash, codes = symbol.partition("/")
    count = Counter(citation.number_symbol for citation, _ in cited)
    if not slash or not number.isdigit() or count[symbol] > 1:
        return None
    near = {
        other
        for other in count
        if other and other != symbol and count[other] >= MIN_AGREEING
        and (digits := other.partition("/"))[2] == codes and digits[0].isdigit()
        and Levenshtein.distance(digits[0], number) <= MAX_NUMBER_EDITS
    }  # fmt: skip
    date, day = ground.date, _day_after(ground, paragraph)
    agreed = [
        other
        for other in near
        if not any(
            (date and citation.date and citation.date != date) or (day and their_day and their_day != day)
            for citation, their_day in cited
            if citation.number_symbol == other
        )
    ]
    return agreed[0] if len(agreed) == 1 else None


def _day_after(citation: Citation, text: str) -> DayMonth:
    return _day_month(text[citation.start : citation.end + DATE_REACH])


def _day_month(text: str) -> DayMonth:
    found = day_and_month().search(text)
    return (int(found["day"]), int(found["month"])) if found else None


# How far after a cited symbol its date is looked for.
DATE_REACH = 30


# How often the document must cite a symbol to outvote a reading of it, and how many digits
# of the number the reading may have wrong.
MIN_AGREEING = 2
MAX_NUMBER_EDITS = 2


def _cut_code(symbol: str) -> bool:
    """A cited symbol whose last code is a single letter ("42/2013/Q" of "42/2013/QH13", the rest
    lost under a stamp): no code of a symbol is one letter."""
    last = re.split(r"[/-]", symbol)[-1]
    return len(last) == 1 and last.isalpha()


def trimmed_issuer(issuer: str | None) -> str | None:
    """The issuer of a citation cut before a second cited document ("... và Kế hoạch số ..."),
    and after the body the gazetteer knows where the word that follows cannot continue its
    name: no Vietnamese syllable (OCR's "q⁄y định") or a word that ends names ("vê" = "về")."""
    if not issuer:
        return issuer
    for joined in re.finditer(r"\s+và\s+(?=\S)", issuer):
        cited = type_name_pattern().match(issuer, joined.end())
        if cited and re.match(r"\s+(?:số\b|\d)", issuer[cited.end() :]):
            issuer = issuer[: joined.start()]  # "... và Kế hoạch số 24/KH-UBND": the next document
            break
    spans = [span for span in find_bodies(issuer) if span[0] == 0]
    if not spans:
        return issuer
    end = spans[0][1]
    rest = issuer[end:].strip()
    if not rest:
        return issuer
    first = rest.split()[0]
    speck = not (first[:1].isupper() or is_known_syllable(first.lower()))
    return issuer[:end].rstrip(" ,;:") if speck or ascii_key(first) in STOP_KEYS else issuer


# Words that end an issuer's name, bare, so that OCR's lost marks still stop it ("vê" = "về").
STOP_KEYS = {"ve", "quy", "huong", "ban", "phe", "sua", "thanh", "thuc", "trien", "cong", "giao", "chi"}
