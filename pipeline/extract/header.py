"""Header fields of Decree 30: identity, date and place, issuer, summary, addressees.

Each function reads the zones cut by ``pipeline.layout.zones`` and returns values with
evidence. The component assembles them (with signer, recipients and legal bases from
their own modules) into ``ctx.header``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from pipeline.extract import restated
from pipeline.extract.closing import authority_among_recipients, extract_recipients, extract_signer
from pipeline.extract.legal import extract_legal_bases
from pipeline.layout.zones import (
    BULLETS,
    SEPARATOR,
    garbled_title_type,
    header_words,
    title_prefix_type,
    title_type,
)
from pipeline.model import Document, Line
from pipeline.nlp.bodies import (
    admin_unit_spellings,
    admin_unit_spellings_by_letters,
    place_key,
    sole_spelling,
)
from pipeline.nlp.body_codes import stroked_symbol
from pipeline.nlp.header_lines import (
    addressee_label,
    is_stamp_line,
    place_before_date,
    secrecy_word,
    snapped_summary_prefix,
    summary_prefix,
    urgency_word,
)
from pipeline.nlp.numbering import (
    FIRST_YEAR,
    YEAR_DIGITS,
    NumberSymbol,
    PlaceDate,
    is_date,
    parse_place_date,
    possible_issue_date,
    type_code,
    type_from_symbol,
)
from pipeline.nlp.symbols import find_number_line, repaired_codes
from pipeline.nlp.text import WORD_EDGES, ascii_key, is_upper_text
from pipeline.nlp.vocabulary import is_body_of_a_unit
from pipeline.record.evidence import evidence_at
from pipeline.record.models import DocType, Evidence, Header
from pipeline.registry import Context, component
from pipeline.repair.lexicon import frequency
from pipeline.repair.ocr_noise import debris, mostly_debris, speck
from pipeline.repair.quality import is_known_syllable

Ref = tuple[int, int]


@dataclass
class Found:
    """The header being filled in, and which fields were read (even as null)."""

    header: Header = field(default_factory=Header)
    seen: set[str] = field(default_factory=set)

    def put(self, name: str, value: object, evidence: Evidence | None) -> None:
        setattr(self.header, name, value)
        self.seen.add(name)
        if evidence is not None:
            self.header.evidence[name] = evidence


# The symbol's line lies this many of the number line's heights from it at most.
SYMBOL_LINE_REACH = 1.5


def _symbol_cut_off(
    doc: Document, refs: list[Ref], beside: list[Ref]
) -> tuple[int, NumberSymbol, str, str | None] | None:
    """A scanned number line of ``refs`` without its symbol read with the line of ``beside``
    that holds the symbol from its slash, when one such line lies level with it or just under
    it on the same page: ``find_number_line``'s answer, its position in ``refs``."""
    for position, ref in enumerate(refs):
        number = line_at(doc, ref)
        if doc.pages[ref[0]].origin != "ocr" or number.top is None or number.bottom is None:
            continue
        reach = SYMBOL_LINE_REACH * (number.bottom - number.top)
        found = [
            line.text.strip()
            for other in beside
            if other[0] == ref[0]
            and (line := line_at(doc, other)).text.lstrip().startswith(("/", "⁄"))
            and not line.text.rstrip().endswith(("-", "–"))  # "/KH-": the symbol goes on further
            and line.top is not None
            and abs(line.top - number.top) <= reach
        ]
        at = find_number_line([number.text, found[0]], [True, True]) if len(found) == 1 else None
        if at is not None and at[0] == 0:
            return position, *at[1:]
    return None


def line_at(doc: Document, ref: Ref) -> Line:
    return doc.pages[ref[0]].lines[ref[1]]


def texts(doc: Document, refs: list[Ref]) -> list[str]:
    return [line_at(doc, ref).text for ref in refs]


def read_number(doc: Document, refs: list[Ref], found: Found, beside: list[Ref] | None = None) -> int | None:
    """Number and symbol from the 'Số:' line; returns its position in ``refs``. A scan's line of
    ``beside`` (the other header column) that opens with the symbol's slash, level with the
    number's line, is read after it ("Số: 2280" / "/QĐ-UBND")."""
    at = find_number_line(texts(doc, refs), [doc.pages[page].origin == "ocr" for page, _ in refs])
    if at is None:
        at = _symbol_cut_off(doc, refs, beside or [])
    if at is None:
        return None
    position, parsed, text, mended = at
    ref = refs[position]
    if mended is not None:
        doc.warn("ocr.symbol_repaired", f"number line read as {text!r}, {mended}")
    span = evidence_at(doc, ref[0], ref[1], min(parsed.start, len(text)), min(parsed.end, len(text)))
    symbol = parsed.symbol
    if symbol and doc.pages[ref[0]].origin == "ocr" and (fixed := repaired_codes(symbol)):
        doc.warn("ocr.symbol_repaired", f"symbol read as {symbol!r}, repaired to {fixed!r}")
        symbol = fixed
    found.put("number", parsed.number, span if parsed.number else None)
    found.put("symbol", symbol, span)
    return position


SIGNING_TIME = re.compile(r"^signature\.time: (\d{4})-(\d{2})-(\d{2})")


def _signed_days(doc: Document) -> list[tuple[int, int, int]]:
    """(year, month, day) of every signing time the PDF's signature dictionaries hold."""
    return [(int(m[1]), int(m[2]), int(m[3])) for stamp in doc.stamps if (m := SIGNING_TIME.match(stamp))]


def _date_by_signing(doc: Document, parsed: PlaceDate) -> str | None:
    """The date when the page reads the day but not the month, and the document was e-signed
    on that day of the printed year (a scan reading "ngày 29 tháng H năm 2026", signed 29.04.2026).
    Signing never precedes the issue date and follows it within days, so the same day of the
    month is the same month; a signing on another day says nothing."""
    if parsed.day is None or parsed.year is None:
        return None
    months = {
        month for year, month, day in _signed_days(doc) if year == int(parsed.year) and day == int(parsed.day)
    }
    return f"{parsed.year}-{months.pop():02d}-{int(parsed.day):02d}" if len(months) == 1 else None


def read_place_date(doc: Document, refs: list[Ref], found: Found) -> None:
    # The date may wrap over two lines in PDFs: try each line, then each pair.
    candidates = [(ref, line_at(doc, ref).text) for ref in refs]
    candidates += [
        (refs[i], line_at(doc, refs[i]).text + " " + line_at(doc, refs[i + 1]).text)
        for i in range(len(refs) - 1)
    ]
    for ref, text in candidates:
        parsed = parse_place_date(text)
        if parsed is None:
            continue
        if parsed.year_read is not None:
            parsed = _with_the_year_mended(doc, text, parsed, scanned=doc.pages[ref[0]].origin == "ocr")
        line_text = line_at(doc, ref).text
        span = evidence_at(
            doc, ref[0], ref[1], min(parsed.start, len(line_text)), min(parsed.end, len(line_text))
        )
        iso = parsed.iso or _date_by_signing(doc, parsed)
        found.put("issued_date", iso, span)
        if parsed.impossible:
            doc.warn("header.date_impossible", f"no document bears the date read in {text.strip()!r}")
        elif parsed.illegible and iso is None:
            doc.warn("header.date_unreadable", f"day or month written in but not legible: {text.strip()!r}")
        elif parsed.illegible:
            doc.warn(
                "header.date_from_signature",
                f"month not legible in {text.strip()!r}; taken from the e-signature of the same day",
            )
        place = parsed.place
        if place and doc.pages[ref[0]].origin == "ocr":
            place = _snapped_place(doc, place)
        found.put("place", place, span if place else None)
        return


def _with_the_year_mended(doc: Document, text: str, parsed: PlaceDate, *, scanned: bool) -> PlaceDate:
    """A scanned dateline whose year lost a digit or read one as a slash ("năm 226", "năm
    2/26"), read with the one year that fits, is no later than this year, and that the
    document prints elsewhere ("2026" in its number or its text): two readings agree. A year
    with a digit too many, or one that more than one year or none of the document's fits,
    leaves the date out."""
    read = parsed.year_read or ""
    fits = [year for year in range(FIRST_YEAR, date.today().year + 1) if _one_digit_lost(str(year), read)]
    year = fits[0] if scanned and len(fits) == 1 else None
    if year is not None and re.search(rf"(?<!\d){year}(?!\d)", doc.text.replace(text, " ")):
        mended = parse_place_date(text[: parsed.end - len(read)] + str(year) + text[parsed.end :])
        if mended is not None and mended.iso is not None:
            doc.warn(
                "ocr.year_mended",
                f"dateline {text.strip()!r} read with the year {year}: the one year a digit "
                f"longer than {read!r} that the document prints elsewhere",
            )
            return mended
    doc.warn("header.date_unreadable", f"the year of the dateline is not four digits: {text.strip()!r}")
    return parsed


def _one_digit_lost(year: str, read: str) -> bool:
    """Whether ``read`` is ``year`` with one digit lost ("226") or read as a slash ("2/26")."""
    if len(read) == YEAR_DIGITS - 1 and read.isdigit():
        return any(year[:at] + year[at + 1 :] == read for at in range(len(year)))
    slashes = [at for at, char in enumerate(read) if not char.isdigit()]
    return (
        len(read) == YEAR_DIGITS
        and len(slashes) == 1
        and year[: slashes[0]] + year[slashes[0] + 1 :] == (read[: slashes[0]] + read[slashes[0] + 1 :])
    )


def _snapped_place(doc: Document, place: str) -> str:
    """An OCR'd place name put back to the one administrative unit it folds to ("Krông Nó" ->
    "Krông Nô"); specks before it dropped ("*Lai Châu"). Unknown places stay as read."""
    repaired = _known_place(place) or place
    if repaired != place:
        doc.warn("ocr.snapped", f"place read as {place!r}, repaired to {repaired!r}")
    return repaired


def _known_place(place: str) -> str | None:
    """The administrative unit's spelling ``place`` folds to, specks before it dropped; None
    for a place the admin-unit list does not hold."""
    cleaned = place.strip().lstrip("*•·.,:;'`\"°_-– ")
    spellings = admin_unit_spellings().get(ascii_key(cleaned)) or admin_unit_spellings_by_letters().get(
        place_key(cleaned), set()
    )
    if not spellings:
        return None
    return cleaned if cleaned in spellings else sole_spelling(spellings) or cleaned


def read_place_alone(doc: Document, refs: list[Ref], found: Found) -> None:
    """The place of a dateline whose date nothing reads: a received stamp pressed over it, a
    smudge ("Hà Nội, ngày¿ th@›Ôj tếu ..."). The place before ", ngày" is kept only when it is
    a known administrative unit; the date stays null with a warning."""
    for ref in refs:
        text = line_at(doc, ref).text
        match = place_before_date().match(text)
        place = _known_place(match["place"]) if match else None
        if match is None or place is None:
            continue
        found.put("place", place, evidence_at(doc, ref[0], ref[1], match.start("place"), match.end("place")))
        doc.warn("header.date_unreadable", f"the date after the place is not legible: {text.strip()!r}")
        return


def is_body_continuation(line: str) -> bool:
    """'TỈNH LÂM ĐỒNG' under 'ỦY BAN NHÂN DÂN' continues one body name."""
    key = ascii_key(line)
    return any(key.startswith(ascii_key(word) + " ") for word in header_words()["place_prefixes"])


def starts_new_body(line: str) -> bool:
    key = ascii_key(line)
    return any(
        key == ascii_key(w) or key.startswith(ascii_key(w) + " ") for w in header_words()["body_head_words"]
    )


def split_issuer(lines: list[Line]) -> tuple[str | None, str | None, int]:
    """(parent, issuer, index where the issuer starts) from the issuer block lines."""
    if not lines:
        return None, None, 0
    split = 0
    bold = [line.bold for line in lines]
    if len(lines) >= 2 and bold[0] is False and any(bold[1:]):
        split = next(i for i, b in enumerate(bold) if b)
    elif len(lines) >= 2 and not is_body_continuation(lines[1].text) and starts_new_body(lines[1].text):
        split = 1
    parent = " ".join(line.text.strip() for line in lines[:split]) or None
    issuer = " ".join(line.text.strip() for line in lines[split:]) or None
    return parent, issuer, split


def read_issuer(doc: Document, refs: list[Ref], found: Found) -> None:
    """Parent body and issuer from the issuer lines ``refs`` (as ``repair.issuer_lines`` left them)."""
    lines = [(ref, line_at(doc, ref)) for ref in refs]
    parent, issuer, split = split_issuer([line for _, line in lines])
    if issuer and is_body_of_a_unit(issuer) and doc.pages[lines[split][0][0]].origin == "ocr":
        doc.warn("header.issuer_incomplete", f"issuer read as {issuer!r}: its unit's line was not read")
        issuer = None
    if issuer:
        first = lines[split][0]
        found.put("issuer", issuer, evidence_at(doc, first[0], first[1]))
    found.put("issuer_parent", parent, evidence_at(doc, lines[0][0][0], lines[0][0][1]) if parent else None)


# Pieces of one line set apart by a tab or a wide gap: a stamp printed level with other text
# ("HỎA TỐC      Kính gửi: ...").
LINE_PIECES = re.compile(r"\t+|\s{3,}")


MARK_BODY_LINES = 3


def read_marks(doc: Document, refs: list[Ref], found: Found) -> None:
    """Urgency and secrecy stamps: a word of the closed lists standing alone as a line, or as a
    piece of one in capitals (running text says "khẩn trương", "bí mật" in lower case)."""
    for ref in refs:
        text = line_at(doc, ref).text
        split = LINE_PIECES.split(text)
        pieces = [text, *(piece for piece in split if is_upper_text(piece, 3))] if len(split) > 1 else [text]
        for piece in pieces:
            if "urgency" not in found.seen and (word := urgency_word(piece)):
                found.put("urgency", word, evidence_at(doc, ref[0], ref[1]))
            if "confidentiality" not in found.seen and (word := secrecy_word(piece)):
                found.put("confidentiality", word, evidence_at(doc, ref[0], ref[1]))


def read_summary(doc: Document, zones: dict[str, list[Ref]], number_at: int | None, found: Found) -> None:
    refs = zones.get("summary") or []
    if not refs:
        # A letter: "V/v ..." under the number in the left block.
        left = zones.get("header_left", [])
        start = next((i for i, r in enumerate(left) if summary_prefix().match(line_at(doc, r).text)), None)
        if start is None:
            return
        refs = [r for r in left[start:] if not SEPARATOR.match(line_at(doc, r).text)]
    refs = [ref for ref in refs if not is_stamp_line(line_at(doc, ref).text)]
    refs = [ref for ref in refs if not _fragment_of_another(doc, ref, refs)]
    refs = _before_debris_lines(doc, refs, _title_centre(doc, zones) if zones.get("summary") else None)
    parts = [_without_debris(doc, ref) for ref in refs]
    if refs and doc.pages[refs[0][0]].origin == "ocr":
        parts[0] = _after_stamp_words(line_at(doc, refs[0]), parts[0])
        if (snapped := snapped_summary_prefix(parts[0])) is not None:
            doc.warn("ocr.snapped", f"summary opening read as {parts[0]!r}, repaired to {snapped!r}")
            parts[0] = snapped
    title = zones.get("title", [])
    if title and refs[0] == title[0] and (inline := title_prefix_type(line_at(doc, title[0]))):
        parts[0] = parts[0][inline[1] :].strip()  # the type words open the summary line
    summary = " ".join(part for part in parts if part)
    summary = summary_prefix().sub("", summary, count=1) if not zones.get("summary") else summary
    summary = re.sub(r"(?<=[a-zà-ỹđ0-9)”\"])\.$", "", summary.strip())  # a closing full stop, not "BR – VT."
    summary = LEADER_TAIL.sub("", summary)
    if refs and doc.pages[refs[0][0]].origin == "ocr":
        summary = _without_trailing_marks(summary)
        garbled = garbled_words(summary)
        if garbled and (again := _restated(doc, summary, refs, garbled)) is not None:
            doc.warn("ocr.summary_restated", f"summary read as {summary!r}: {garbled} read again, {again!r}")
            summary, garbled = again, []
        if garbled:
            doc.warn("ocr.summary_garbled", f"summary read as {summary!r} left blank: {garbled} are no words")
            return
        if len(_syllables(summary)) < MIN_SUMMARY_SYLLABLES:
            doc.warn("ocr.summary_garbled", f"summary read as {summary!r} left blank: next to no words")
            return
        if (mended := _stops_mended(summary)) != summary:
            doc.warn("ocr.snapped", f"summary read as {summary!r}: a stop inside it is a comma, {mended!r}")
            summary = mended
    if summary:
        found.put("summary", summary, evidence_at(doc, refs[0][0], refs[0][1]))


def _restated(doc: Document, summary: str, refs: list[Ref], garbled: list[str]) -> str | None:
    """The summary with its ``garbled`` words read where the document restates it."""
    own = set(refs)
    texts = [
        line.text
        for page_index, page in enumerate(doc.pages)
        for line_index, line in enumerate(page.lines)
        if (page_index, line_index) not in own
    ]
    return restated.mended(summary, set(garbled).__contains__, texts)


# A trích yếu is one phrase: a full stop inside it, after a word in small letters or a
# bracket and before a word ("Lâm Đồng (cũ). Đoàn Luật sư", "hành chính. dịch vụ"), is a
# comma a scan's low resolution read as a stop. After a capital it may be an abbreviation's
# ("KCN. BR"), after a word with a stop of its own too ("v.v. các").
MID_STOP = re.compile(r"(?<=\S)\.(?= \S)")


def _stops_mended(summary: str) -> str:
    def mend(stop: re.Match[str]) -> str:
        word = summary[: stop.start()].rsplit(" ", 1)[-1]
        before, after = word[-1], summary[stop.end() + 1]
        abbreviated = "." in word or len(word.strip("()")) < 2
        mended = (before.islower() or before == ")") and after.isalpha() and not abbreviated
        return "," if mended else stop.group()

    return MID_STOP.sub(mend, summary)


# A trích yếu names its subject in words: every summary of the corpus's gold holds four
# syllables or more; a scan's reading with fewer than this is the debris of a stamp or a
# seal over the lost summary ("À", "AC. 8A,").
MIN_SUMMARY_SYLLABLES = 2


def _syllables(summary: str) -> list[str]:
    words = (word.strip(WORD_EDGES).lower() for word in summary.split())
    return [word for word in words if len(word) >= 2 and is_known_syllable(word)]


# Marks a trích yếu prints between or inside its words; any other (°, ›, ¿, ¡, >) is a stamp's or
# a seal's stroke read into the line.
SUMMARY_MARKS = frozenset(",.;:()“”\"'‘’-–—/&%+")


def garbled_words(summary: str) -> list[str]:
    """The words of a scanned summary that are OCR's, not print's. A summary holding one is
    left blank: a trích yếu with a stamp's debris in it is a wrong value, not a slightly
    wrong one. A year that lost or gained a digit ("mùa mưa năm 226") is one too."""
    tokens = summary.split()
    return [
        token
        for before, token in zip(["", *tokens], tokens, strict=False)
        if _is_garbled(token.strip(WORD_EDGES)) or restated.year_slip(before, token)
    ]


def _is_garbled(word: str) -> bool:
    """A mark no trích yếu prints ("nhiệm ¡vụ", "69/UBND¿NCKSTTHC"); a word opening in small
    letters with a capital after one ("pHanba", "keQz"), unless it is a syllable in a slipped
    case ("tHi"; a brand name opens with its capital, "VNeID"); or a part in small letters
    with Vietnamese letters that no syllable spells ("triển" cut to "iến") or that Vietnamese
    text next to never writes (wordfreq has no frequency for "riên", read for "triển"; none
    of the 5,908 such syllables of the corpus's and seeds' gold summaries lacks one). Foreign
    words in small Latin letters are print's ("online")."""
    if any(not (char.isalnum() or char in SUMMARY_MARKS) for char in word):
        return True
    if word[:1].islower() and any(a.islower() and b.isupper() for a, b in pairwise(word)):
        return not is_known_syllable(word.lower())
    if word.isascii():
        return False
    parts = re.split(r"[-/;,.]", word)
    return any(
        len(part) > 1
        and part.isalpha()
        and part.islower()
        and not (is_known_syllable(part) and frequency(part))
        for part in parts
    )


# Marks OCR reads at a scanned summary's end from a stamp's or a rule's remnant ("MẶT”°°"); a
# closing quote is one of them only when no quote opens in the summary.
TRAILING_MARKS = "°^~`|_*¬"
CLOSING_QUOTES = "”’\"'"


def _without_trailing_marks(summary: str) -> str:
    opened = any(quote in summary for quote in '“‘"')
    marks = TRAILING_MARKS if opened else TRAILING_MARKS + CLOSING_QUOTES
    return summary.rstrip().rstrip(marks).rstrip()


# Leader dots or a rule's remnant after the last word ("NGUỒN NƯỚC..."), never a trích yếu's.
LEADER_TAIL = re.compile(r"(?<=\w)\s*[._…]{2,}$")

# A trích yếu opens with a capital ("Phê chuẩn ..."): words before it that hold a speck came
# from a stamp beside the line ("MP 2iãi8 hơn Phê chuẩn"). Looked for this far in.
STAMP_WORDS_BEFORE = 4


def _after_stamp_words(line: Line, text: str) -> str:
    """The first summary line from its first capitalised word, when specks come before it."""
    tokens = text.split()
    for at, token in enumerate(tokens[: STAMP_WORDS_BEFORE + 1]):
        if token[:1].isupper() and is_known_syllable(token):
            return " ".join(tokens[at:]) if any(debris(line, t) for t in tokens[:at]) else text
    return text


def _without_debris(doc: Document, ref: Ref) -> str:
    """A summary line without OCR specks: at its ends, a stray ")" or "-_" inside
    ("NQ-HĐND ) ngày"); OCR'd pages only."""
    line = line_at(doc, ref)
    text = line.text.strip()
    if doc.pages[ref[0]].origin != "ocr":
        return text
    tokens = text.split()
    while tokens and debris(line, tokens[0]):
        tokens.pop(0)
    while tokens and debris(line, tokens[-1]):
        tokens.pop()
    if "(" not in text:
        tokens = [token for token in tokens if token != ")"]
    return " ".join(token for token in tokens if not speck(line, token))


def _before_debris_lines(doc: Document, refs: list[Ref], centre: float | None) -> list[Ref]:
    """The summary lines up to the first OCR line that is mostly specks (a seal or an
    "ĐẾN" stamp under the summary, read as "lmà|š Ị số: _"). A line of specks beside a
    summary centred on ``centre`` (the title's middle), which it does not reach, is left out
    when a centred line follows it: a received stamp's handwriting in the margin ("21/1 #n#£")
    between the summary's lines."""
    kept: list[Ref] = []
    for at, ref in enumerate(refs):
        line = line_at(doc, ref)
        if doc.pages[ref[0]].origin != "ocr" or not mostly_debris(line):
            kept.append(ref)
        elif (
            centre is not None
            and _beside(line, centre)
            and _centred_line_follows(doc, refs[at + 1 :], centre)
        ):
            continue
        elif kept:
            break
        else:
            kept.append(ref)
    return kept


# A piece of ink read as a line of its own on a summary line's band, inside its width and
# under this share of its height: a stamp's or a seal's stroke, or marks read apart from
# their letters ("Ả", "LÁ" over "Về việc treo cờ Tổ quốc").
FRAGMENT_HEIGHT = 0.7


def _fragment_of_another(doc: Document, ref: Ref, refs: list[Ref]) -> bool:
    if doc.pages[ref[0]].origin != "ocr":
        return False
    line = line_at(doc, ref)
    return any(
        other != ref and other[0] == ref[0] and _inside_band(line, line_at(doc, other)) for other in refs
    )


def _inside_band(piece: Line, line: Line) -> bool:
    """Whether ``piece`` lies within ``line``'s width, its middle on ``line``'s band, and is
    much smaller (the next line of a summary is level with none of the one above)."""
    boxes = (piece.x0, piece.x1, piece.top, piece.bottom, line.x0, line.x1, line.top, line.bottom)
    if any(edge is None for edge in boxes):
        return False
    x0, x1, top, bottom, left, right, line_top, line_bottom = (float(edge or 0.0) for edge in boxes)
    small = bottom - top < FRAGMENT_HEIGHT * (line_bottom - line_top)
    return small and left <= x0 and x1 <= right and line_top < (top + bottom) / 2 < line_bottom


def _beside(line: Line, centre: float) -> bool:
    return not (line.x0 or 0.0) <= centre <= (line.x1 or 0.0)


# A centred summary line ends this far (share of the page's width) short of the body's right
# edge; a justified body line reaches it.
SHORT_OF_MARGIN = 0.05


def _centred_line_follows(doc: Document, refs: list[Ref], centre: float) -> bool:
    """The next line that is not specks crosses ``centre`` and ends short of the page's
    right edge of print: a summary line, not the body's first."""
    for ref in refs:
        line = line_at(doc, ref)
        if mostly_debris(line):
            continue
        page = doc.pages[ref[0]]
        right = max((other.x1 or 0.0) for other in page.lines)
        return not _beside(line, centre) and (line.x1 or 0.0) < right - SHORT_OF_MARGIN * (page.width or 0.0)
    return False


def _title_centre(doc: Document, zones: dict[str, list[Ref]]) -> float | None:
    title = zones.get("title", [])
    line = line_at(doc, title[0]) if title else None
    if line is None or line.x0 is None or line.x1 is None:
        return None
    return (line.x0 + line.x1) / 2


def read_doc_type(doc: Document, zones: dict[str, list[Ref]], found: Found) -> None:
    title = zones.get("title")
    name = None
    if title:
        line = line_at(doc, title[0])
        inline = title_prefix_type(line)
        name = title_type(line) or (inline[0] if inline else None)
        if name is None and doc.pages[title[0][0]].origin == "ocr":
            name = garbled_title_type(line)  # the title the layout found by its garbled letters
    evidence = evidence_at(doc, title[0][0], title[0][1]) if title and name else None
    if name is None:
        symbol = found.header.symbol
        name = type_from_symbol(symbol)
        evidence = found.header.evidence.get("symbol")
        if name is None and (symbol or found.header.summary):
            name = "Công văn"
    if name:
        found.put("doc_type", DocType(name=name, code=type_code(name)), evidence)


def read_addressees(doc: Document, refs: list[Ref], found: Found) -> None:
    """Entries of the addressee zone: a bullet starts an entry, other lines continue it."""
    if not refs:
        return
    entries: list[str] = []
    for position, ref in enumerate(refs):
        text = line_at(doc, ref).text.strip()
        if position == 0:
            label = addressee_label().match(text)
            text = text[label.end() :].strip() if label else text
        if not text:
            continue
        if entries and not text.startswith(BULLETS):
            entries[-1] += " " + text
        else:
            entries.append(text)
    cleaned = [_clean_entry(entry) for entry in entries]
    found.put("addressees", [entry for entry in cleaned if entry], evidence_at(doc, *refs[0]))


def _clean_entry(text: str) -> str:
    return text.strip().lstrip("-–+• ").rstrip(" ;.,").strip()


def extract_header(doc: Document, zones: dict[str, list[Ref]], issuer_lines: list[Ref]) -> Header:
    """The header read from the zones; ``issuer_lines`` are the issuer's lines found and mended
    by ``repair.issuer_lines``."""
    found = Found()
    left = zones.get("header_left", [])
    right = zones.get("header_right", [])
    number_at = read_number(doc, left, found, beside=right)
    if number_at is None and read_number(doc, right, found) is not None:
        number_at = None
    read_place_date(doc, right or left, found)
    if "issued_date" not in found.seen and left:
        read_place_date(doc, left, found)
    if "issued_date" not in found.seen:
        read_place_alone(doc, right or left, found)
    read_issuer(doc, issuer_lines, found)
    _symbol_stroked_by_issuer(doc, found)
    # Stamps stand in the header, by the title, or between the summary and the first paragraph.
    near_top = [
        *zones.get("summary", []),
        *zones.get("addressees", []),
        *zones.get("body", [])[:MARK_BODY_LINES],
    ]
    read_marks(doc, left + right + zones.get("title", []) + near_top, found)
    read_summary(doc, zones, number_at, found)
    read_doc_type(doc, zones, found)
    read_addressees(doc, zones.get("addressees", []), found)
    header = found.header
    header.signer, signer_evidence = extract_signer(doc, zones.get("signature", []), header.issuer)
    header.recipients, recipient_evidence = extract_recipients(doc, zones.get("recipients", []))
    if header.signer is not None:
        stray = authority_among_recipients(doc, zones.get("recipients", []))
        header.signer.authority = [
            a for a in stray if a not in header.signer.authority
        ] + header.signer.authority
    header.legal_bases = extract_legal_bases(doc, zones.get("body", []))
    header.evidence |= signer_evidence | recipient_evidence
    if header.issued_date is None and "place" not in header.evidence and "issued_date" not in header.evidence:
        _date_of_signing(doc, header)
    _drop_date_before_grounds(doc, header)
    return header


def _symbol_stroked_by_issuer(doc: Document, found: Found) -> None:
    """A scanned symbol's body code with the stroke of a Đ lost ("QĐ-HDTĐ") takes it back from
    the issuer's name, the other reading of the same initials (nlp.body_codes)."""
    symbol = found.header.symbol
    if not doc.pages or doc.pages[0].origin != "ocr":
        return
    if (stroked := stroked_symbol(symbol, found.header.issuer)) is not None:
        doc.warn(
            "ocr.symbol_repaired", f"symbol read as {symbol!r}, the code's Đ from the issuer: {stroked!r}"
        )
        found.header.symbol = stroked


# The signing tool's stamp printed on the page ("Thời gian ký: 07/10/2025 20:43:19 +07:00").
PRINTED_SIGNING_TIME = re.compile(
    r"(?:thời\s*gian|ngày)\s*ký\s*:\s*(\d{1,2})/(\d{1,2})/(\d{4})", re.IGNORECASE
)


def _date_of_signing(doc: Document, header: Header) -> None:
    """The issue date of a document with no dateline at all ("Công điện", some notices): the
    day it was e-signed, from the signature dictionary or the signing tool's stamp printed on
    the page, when they name one day only."""
    signed = _signed_days(doc)
    printed = [
        m for page in doc.pages for line in page.lines for m in PRINTED_SIGNING_TIME.finditer(line.text)
    ]
    signed += [(int(m[3]), int(m[2]), int(m[1])) for m in printed]
    days = {date(*day).isoformat() for day in signed if is_date(*day)}
    days = {day for day in days if possible_issue_date(day)}
    if len(days) == 1:
        header.issued_date = days.pop()
        doc.warn(
            "header.date_from_signature", f"no dateline: the date is the e-signing's, {header.issued_date}"
        )


def _drop_date_before_grounds(doc: Document, header: Header) -> None:
    """A document is issued on or after every document it is grounded on ("Căn cứ ... ngày
    24/12/2025"): a date read earlier than a ground's has a digit misread (a scan's "2023"
    for 2025) and is left out, with a warning. Impossible ground dates prove nothing."""
    issued = header.issued_date
    if not issued:
        return
    grounds = [b.date for b in header.legal_bases if b.date and possible_issue_date(b.date)]
    latest = max(grounds, default="")
    if latest[: len(issued)] > issued:
        header.issued_date = None
        header.evidence.pop("issued_date", None)
        doc.warn(
            "header.date_before_grounds",
            f"the date read, {issued}, is earlier than a ground the document cites ({latest}): left out",
        )


@component("extract.header", requires=("zones", "text.noise", "text.issuer_lines"), assigns=("header",))
def header_component(ctx: Context) -> None:
    ctx.header = extract_header(ctx.doc, ctx.zones, ctx.issuer_lines)
