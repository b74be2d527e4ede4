"""The closing block: signer (authority chain, title, name) and the 'Nơi nhận' list."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache

from pipeline.layout.zones import AUTHORITY, SEPARATOR, open_bullet
from pipeline.model import Document, Line
from pipeline.nlp.bodies import admin_unit_spellings, by_letters, letters_key, sole_spelling
from pipeline.nlp.header_lines import recipients_label_end
from pipeline.nlp.names import (
    attested_given_names,
    headless_name,
    respell_from_text,
    snap_surname,
    surname_from_its_end,
    surnames,
    well_formed_name,
)
from pipeline.nlp.persons import person_names
from pipeline.nlp.recipients import respelled_entry
from pipeline.nlp.text import ascii_key, is_upper_text, without_leading_debris
from pipeline.nlp.vocabulary import (
    authority_head,
    collective_bodies,
    deputy_title,
    head_of_deputy,
    signing_for,
    titles,
)
from pipeline.record.evidence import evidence_at
from pipeline.record.models import Evidence, Signer
from pipeline.repair.ocr_noise import BULLETS, WORD_EDGES, is_debris, is_jumbled_case, wordless_entry
from pipeline.repair.ocr_words import with_marks_of
from pipeline.repair.quality import is_known_syllable

Ref = tuple[int, int]

# Lines inside a signature block that are neither title nor name.
SIGNATURE_NOISE = re.compile(
    r"^\s*(?:\(?\s*đã\s*ký\s*\)?|\(?\s*ký\s*,?\s*(?:ghi rõ|đóng dấu).*|ký\s*bởi.*|người\s*ký.*|"
    r"email.*|cơ\s*quan.*|thời\s*gian\s*ký.*|ngày\s*ký.*|digitally\s*signed.*|date\s*:.*|reason\s*:.*|"
    r"location\s*:.*|signature.*|\d[\d\s:./+-]*)\s*$",
    re.IGNORECASE,
)
NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][a-zà-ỹđ]+$|^[A-ZĐÀ-Ỹ]+$")


def _line(doc: Document, ref: Ref) -> Line:
    return doc.pages[ref[0]].lines[ref[1]]


def looks_like_name(text: str) -> bool:
    """A printed personal name: 2-6 capitalised syllables, no digits or punctuation."""
    words = text.strip().split()
    if not 2 <= len(words) <= 6:
        return False
    if not all(NAME_WORD.match(word) for word in words) or ascii_key(words[0]) in NOT_NAMES:
        return False
    if is_place_name(text):
        return False  # a place from the e-signing stamp ("Đắk Nông") is no person
    if len({word.isupper() for word in words if len(word) > 1}) > 1:
        return False  # a name is printed all in capitals or all in title case, not "Mã UƠN"
    if any(ROMAN.match(word) for word in words):
        return False
    if is_upper_text(text):
        # Some scans print names in capitals; titles are capitals too, so reject known title words.
        return not any(ascii_key(w) in TITLE_WORDS for w in words)
    return all(word[0].isupper() for word in words)


ROMAN = re.compile(r"^[IVXL]+$")
# Capitalised words that open headings, not names.
NOT_NAMES = {"chuong", "dieu", "phan", "muc", "phu", "noi", "kinh", "can", "trung", "so", "ban", "uy"}

TITLE_WORDS = {
    "chu",
    "tich",
    "pho",
    "giam",
    "doc",
    "bo",
    "truong",
    "thu",
    "tuong",
    "chanh",
    "van",
    "phong",
    "uy",
    "ban",
    "nhan",
    "dan",
    "cuc",
    "vu",
    "to",
    "nhiem",
    "tong",
    "thuong",
    "truc",
    "hoi",
    "dong",
    "ky",
    "tm",
    "kt",
    "tl",
    "q",
}


def _clean(text: str) -> str:
    # OCR leaves specks before a title (". CHỦ TỊCH"); "TM." keeps its own full stop.
    return text.strip().strip("_-–— ").lstrip(".,:;'`\"").strip()


def extract_signer(
    doc: Document, refs: list[Ref], issuer: str | None = None
) -> tuple[Signer | None, dict[str, Evidence]]:
    """The signer of the signature zone ``refs``; ``issuer`` (as the header read it) settles
    a "TM." line the seal garbled."""
    authority: list[str] = []
    position: str | None = None
    name: str | None = None
    position_at: Ref | None = None
    evidence: dict[str, Evidence] = {}
    stamp_columns = _signing_stamp_columns(doc, refs)
    for ref in refs:
        text = _clean(_line(doc, ref).text)
        if not text or SEPARATOR.match(text) or SIGNATURE_NOISE.match(text):
            continue
        if _in_columns(_line(doc, ref), stamp_columns):
            continue  # the e-signing tool's box: "Người ký: ...", its wrapped body and place names
        read_by_ocr = doc.pages[ref[0]].origin == "ocr"
        if read_by_ocr and AUTHORITY.match(text) and position is None:
            text = _mended_authority(doc, text, issuer) or ""
            if not text:
                continue
        if read_by_ocr:
            text = _snapped(doc, text, authority=position is None)
            whole = None if looks_like_name(text) else surname_from_its_end(text) or _digit_initial(text)
            if whole is not None and looks_like_name(whole):
                doc.warn("ocr.snapped", f"signer's name read as {text!r}, its family name whole: {whole!r}")
                text = whole
            bare = _without_a_debris_word(without_leading_debris(text))
            if bare != text and looks_like_name(bare) and well_formed_name(bare):
                # A speck of the seal or the signature read glued before the name ("“2Vũ Đại Thắng").
                doc.warn("ocr.snapped", f"signer's name read as {text!r}, without the marks before: {bare!r}")
                text = bare
        if AUTHORITY.match(text) and (position is None or _above(doc, ref, position_at)):
            if _compact(text) not in map(_compact, authority):
                authority.append(text)  # once: the page's reading and the column's second one of a line
            evidence.setdefault("signer.authority", evidence_at(doc, *ref))
        elif (
            position is None
            and not looks_like_name(text)
            and len(text) < 80
            and _is_title(text, authority)
            and (not read_by_ocr or _whole_title(text))  # OCR debris is no title
        ):
            position, position_at = text, ref
            evidence["signer.position"] = evidence_at(doc, *ref)
        elif (
            looks_like_name(text)
            and read_by_ocr
            and not well_formed_name(_repaired_name(doc, text, quiet=True))
        ):
            # Debris of the seal and the signature that happens to look like a name.
            doc.warn("ocr.name_rejected", f"a line of the signature read as {text!r} is no well-formed name")
        elif looks_like_name(text):  # alone too: on scans the seal often hides the title
            # Names sit at the bottom; one printed in capitals never beats one in title case.
            if name is None or not is_upper_text(text) or is_upper_text(name):
                name = text
                evidence["signer.name"] = evidence_at(doc, *ref)
        elif (
            position is not None and name is None and is_upper_text(text) and len(text) < 60 and _wraps(text)
        ):
            # A wrapped title ("VỤ TRƯỞNG" / "VỤ CẢI CÁCH HÀNH CHÍNH").
            position = f"{position} {text}"
    if position is None and any(doc.pages[page].origin == "ocr" for page, _ in refs):
        position = _deputy_under_seal(doc, authority)
    elif position is not None and _read_by_ocr(doc, evidence.get("signer.position")):
        position = _deputy_after_debris(doc, position, authority)
    if position is not None and any(doc.pages[page].origin == "ocr" for page, _ in refs):
        authority = authority + _head_under_seal(doc, position, authority)
    if name is None and position is not None:
        name, found_at = _tagged_name(doc, refs)
        if name and found_at:
            evidence["signer.name"] = evidence_at(doc, *found_at)
    if name is not None and _read_by_ocr(doc, evidence.get("signer.name")):
        name = _repaired_name(doc, name)
        if (fault := _name_fault(name)) is not None:  # precision first: a blank, not a garbled name
            doc.warn("ocr.name_rejected", f"the signer's name read as {name!r} {fault}")
            name = None
            evidence.pop("signer.name", None)
    if not (authority or position or name):
        return None, {}
    return Signer(name=name, position=position, authority=authority), evidence


def _above(doc: Document, ref: Ref, title: Ref | None) -> bool:
    """Whether line ``ref`` stands above the title's line on its page: an authority line the
    column's second reading added after the lines read beside it, printed over the title."""
    if title is None or title[0] != ref[0]:
        return False
    line, top = _line(doc, ref), _line(doc, title).top
    if line.top is None or line.bottom is None or top is None:
        return False
    return (line.top + line.bottom) / 2 < top  # its middle: boxes of two lines read apart overlap


def _compact(text: str) -> str:
    """A line's letters alone: "KT.GIÁM ĐỐC" and "KT. GIÁM ĐỐC" are one line read twice."""
    return "".join(char for char in ascii_key(text) if char.isalnum())


def _digit_initial(text: str) -> str | None:
    """A name whose family name's capital a seal's stroke made a digit ("1rịnh Ngọc Duệ" ->
    "Trịnh Ngọc Duệ"), when the look-alike and the rest of the syllable, marks included, make
    exactly one family name (names.snap_surname); None otherwise."""
    if not text[:1].isdigit():
        return None
    snapped = snap_surname(text.strip())
    return snapped if snapped != text.strip() else None


def _name_fault(name: str) -> str | None:
    """Why a scanned signer's name is not taken, or None: debris that is no name, a name
    with a syllable OCR made up, a name's last two syllables ("Công Thành"), or syllables in
    two casings ("VŨ THẾ Vui"): a name is printed in capitals or with capital initials
    throughout, so such a line is two readings run together (a title's letters and a name's
    under the seal)."""
    if not well_formed_name(name):
        return "is no well-formed name"
    if not attested_given_names(name):
        return "has a syllable no word has"
    if headless_name(name):
        return "is the end of a name whose family name the seal hid"
    if not _one_casing(name):
        return "mixes capitals and small letters"
    return None


def _whole_title(text: str) -> bool:
    """A scanned line that opens with a title of the list and goes on, if at all, in words
    ("VỤ TRƯỞNG VỤ CẢI CÁCH HÀNH CHÍNH"): a title run into the seal's debris ("PHÓ BÍ THƯ
    FÀNH, VĂN PHÒNG") is no title, and the "KT." line may still give the deputy's."""
    opened = titles().opens(text)
    if opened is None:
        return False
    rest = text.split()[len(opened.split()) :]
    words = [word.strip(",.;:()") for word in rest]
    return all(is_known_syllable(word.lower()) or BARE_CODE.match(word) for word in words if word)


# A unit's code in a title's continuation ("GIÁM ĐỐC SỞ GD&ĐT"): capitals with no marks but Đ.
BARE_CODE = re.compile(r"^[A-ZĐ&]{2,}$")


def _one_casing(name: str) -> bool:
    words = name.split()
    capitals = all(word.isupper() for word in words)
    return capitals or all(word[1:].islower() or len(word) == 1 for word in words)


def _deputy_under_seal(doc: Document, authority: list[str]) -> str | None:
    """On a scan whose title line the seal hid, the title a "KT." line implies: whoever signs
    for a head is that head's deputy ("KT. CHỦ TỊCH" -> "PHÓ CHỦ TỊCH", "KT. BỘ TRƯỞNG" ->
    "THỨ TRƯỞNG"). Reported as a warning; a head outside the list of titles gives nothing."""
    for line, deputy in _implied_deputies(authority):
        doc.warn("signer.position_inferred", f"no title read under {line!r}: the deputy's title {deputy!r}")
        return deputy.upper()
    return None


def _head_under_seal(doc: Document, position: str, authority: list[str]) -> list[str]:
    """On a scan, the "KT." line a deputy's title implies where none was read: a deputy signs
    for the head ("PHÓ CHỦ TỊCH" under "KT. CHỦ TỊCH", "THỨ TRƯỞNG" under "KT. BỘ TRƯỞNG";
    every deputy of the corpus's gold does), and that line, right above the title, is the one
    the seal covers most. Only under a "TM." or "TL." line that was read: with none, the
    whole block may be lost, and a "KT." line alone would be no truer a list. Reported as a
    warning."""
    if not authority or any(signing_for(line) is not None for line in authority):
        return []
    head = head_of_deputy(position)
    if head is None:
        return []
    line = f"KT. {head.upper()}"
    doc.warn(
        "signer.authority_inferred", f'no "KT." line read above the deputy\'s title {position!r}: {line!r}'
    )
    return [line]


def _implied_deputies(authority: list[str]) -> Iterator[tuple[str, str]]:
    """(line, deputy's title) of each authority line that signs for a head of the list of
    titles, the last line first."""
    for line in reversed(authority):
        head = signing_for(line)
        deputy = deputy_title(head) if head is not None else None
        if deputy is not None:
            yield line, deputy


def _without_a_debris_word(text: str) -> str:
    """A name read with a short word of debris before it ("Ni Nguyễn Ngọc Phúc": a stroke of
    the signature read as letters): without that word, when the line as read is no
    well-formed name and what follows is one."""
    first, _, rest = text.partition(" ")
    if len(first) > 2 or len(rest.split()) < MIN_NAME_WORDS_AFTER_DEBRIS:
        return text
    return rest if not well_formed_name(text) and well_formed_name(rest) else text


# A name left after a word of debris is taken with three words or more: "Văn An" after "Ni"
# may be the end of another name.
MIN_NAME_WORDS_AFTER_DEBRIS = 3


def _deputy_after_debris(doc: Document, position: str, authority: list[str]) -> str:
    """A scanned title with a word of debris before it ("TỔ PHÓ CHỦ NHIỆM" under "KT. BỘ
    TRƯỞNG, CHỦ NHIỆM"): when the title as read is none of the list and ends with the
    deputy's title the "KT." line implies, that title. A title read as the very head the
    "KT." line names ("CHỦ NHIỆM" under "KT. BỘ TRƯỞNG, CHỦ NHIỆM") lost its first word under
    the seal: whoever signs for a head is its deputy."""
    for line, deputy in _implied_deputies(authority):
        head = (signing_for(line) or "").split(",")[-1]
        if ascii_key(position) == ascii_key(head):
            doc.warn(
                "signer.position_inferred",
                f"the title read, {position!r}, is the head of {line!r}: the deputy's title {deputy!r}",
            )
            return deputy.upper()
    if titles().nearest(position) is not None:
        return position
    for _, deputy in _implied_deputies(authority):
        if ascii_key(position).endswith(" " + ascii_key(deputy)):
            doc.warn(
                "ocr.snapped", f"signer's title read as {position!r}, the deputy's title {deputy.upper()!r}"
            )
            return deputy.upper()
    return position


# "TM." misread by OCR before a collective body ("EM=ỦY BAN NHÂN DÂN", "M, UỶ BAN NHÂN DÂN"):
# a short run of non-letters and letters with a trace of the prefix.
GARBLED_TM = re.compile(r"^[^\w]{0,2}[A-Za-z]{0,2}[^\w\s]{0,3}\s*(?=\w)")


def _snapped(doc: Document, text: str, *, authority: bool) -> str:
    """An OCR'd signature line with its closed-class words put back (titles, authority
    prefixes); each repair is reported as a warning with the text as read."""
    repaired = _snap_authority(text) if authority else None
    if repaired is None:
        at = authority_head(text) or 0
        prefix, rest = text[:at], text[at:]
        snap = titles().snap_prefix(rest) if is_upper_text(rest) else None
        if (
            snap is None
            and not prefix
            and (lettered := without_leading_debris(rest)) != rest
            and is_upper_text(lettered)
        ):
            snap = titles().snap_prefix(lettered)  # the seal's strokes before a title ("⁄⁄“.» ': HU TỊCH")
        repaired = f"{prefix}{snap.text}" if snap is not None else text
    if repaired != text:
        doc.warn("ocr.snapped", f"signature line read as {text!r}, repaired to {repaired!r}")
    return repaired


def _snap_authority(text: str) -> str | None:
    """'TM. <collective body>' from a line whose prefix OCR garbled, else None."""
    if AUTHORITY.match(text):
        return None
    junk = GARBLED_TM.match(text)
    if junk is None or not junk.group().strip() or not set("TMtm") & set(junk.group()):
        return None
    rest = text[junk.end() :].strip()
    body = collective_bodies().nearest(rest)
    if body is None or not is_upper_text(rest):
        return None
    return f"TM. {body[0].upper()}"


# Marks OCR leaves after the last word of an authority line ("TL. CHỦ TỊCH .").
TRAILING_SPECKS = " .,;:_-–—'`\""


def _mended_authority(doc: Document, text: str, issuer: str | None) -> str | None:
    """An OCR'd authority line as printed: specks after it dropped, a title cut short
    completed ("KT. CHÁNH VĂN" -> "KT. CHÁNH VĂN PHÒNG"), a "TM." line the seal garbled
    ("TM. _ DÂN") put back from the issuer's collective body when what is left of it ends
    that body; a garbled line nothing settles is dropped (None): a wrong authority is worse
    than none. Each repair is reported with the text as read."""
    at = authority_head(text)
    if at is None:
        return text
    prefix, rest = text[:at].rstrip(), text[at:].rstrip(TRAILING_SPECKS).strip()
    words = rest.split()
    lettered = [word for word in words if any(char.isalpha() for char in word)]
    mended = f"{text[:at]}{rest}"
    if rest and len(lettered) == len(words) and is_upper_text(rest):
        whole = titles().completed(rest, min_words=2) if titles().nearest(rest) is None else None
        mended = f"{text[:at]}{whole.upper()}" if whole else mended
        collective = prefix.upper().startswith(("TM", "T/M"))
        near = collective_bodies().nearest(rest) if collective else None
        if near is not None and ascii_key(near[0]) == ascii_key(rest):
            mended = f"{text[:at]}{with_marks_of(near[0].upper(), rest)}"  # a mark slipped: "HỘI ĐÔNG"
        if not whole and not collective:
            head = settled_head(rest)
            if head is None:
                doc.warn("ocr.authority_rejected", f"an authority line read as {text!r} names no title")
                return None
            mended = f"{text[:at]}{head}"
    elif lettered and prefix.upper().startswith("TM"):
        body = collective_bodies().opens(issuer or "")
        tail = ascii_key(" ".join(lettered)).split()
        if body is None or ascii_key(body).split()[-len(tail) :] != tail:
            doc.warn("ocr.authority_rejected", f"an authority line read as {text!r} names no body")
            return None
        mended = f"{prefix} {body.upper()}"
    elif len(lettered) != len(words):
        title = titles().nearest(" ".join(lettered)) if lettered else None
        if title is None:
            doc.warn("ocr.authority_rejected", f"an authority line read as {text!r} is garbled")
            return None
        mended = f"{text[:at]}{' '.join(lettered)}"  # a speck between its words
    if mended != text:
        doc.warn("ocr.snapped", f"authority line read as {text!r}, repaired to {mended!r}")
    return mended


def settled_head(head: str) -> str | None:
    """The head an OCR'd "KT." or "TL." line signs for, each of its comma parts opening with a
    title of the list ("BỘ TRƯỞNG, CHỦ NHIỆM", "BỘ TRƯỞNG BỘ TÀI CHÍNH"): a part whose letters
    OCR split ("C HỦ TỊCH", "BỌ TRU ỞNG") or with a letter or mark slipped ("ĐỘ TRƯỚNG") put
    back as listed; None when a part stands for no title ("THỦ", "BỌ RUC IỚNG")."""
    parts = []
    for part in (piece.strip() for piece in head.split(",")):
        if titles().opens(part) is not None:
            parts.append(part)
        elif (split := sole_spelling(_titles_by_letters().get(letters_key(part), set()))) is not None:
            parts.append(split.upper())
        elif (snap := titles().snap_prefix(part)) is not None and snap.read == part:
            parts.append(snap.text)
        else:
            return None
    return ", ".join(parts)


@cache
def _titles_by_letters() -> dict[str, set[str]]:
    return by_letters(titles().entries)


def is_place_name(text: str) -> bool:
    """An administrative unit's name that does not open with a family name ("Đắk Nông")."""
    first = ascii_key(text.split()[0]) if text.split() else ""
    return ascii_key(text) in admin_unit_spellings() and first not in surnames()


def _read_by_ocr(doc: Document, found_at: Evidence | None) -> bool:
    """The value found at ``found_at`` was read on an OCR'd page."""
    return found_at is not None and doc.pages[found_at.page - 1].origin == "ocr"


def _repaired_name(doc: Document, name: str, *, quiet: bool = False) -> str:
    """An OCR'd name as the document spells it elsewhere, its family name from the closed
    list; the reading is kept in a warning (unless ``quiet``)."""
    repaired = snap_surname(respell_from_text(name, doc.text))
    if repaired != name and not quiet:
        doc.warn("ocr.snapped", f"signer name read as {name!r}, repaired to {repaired!r}")
    return repaired


# The first line of the box an e-signing tool prints over the signature area.
SIGNING_STAMP = re.compile(r"^\s*(?:người\s*ký|ký\s*bởi|signed\s*by)\s*:", re.IGNORECASE)
# Lines of one box start at the same x, give or take this much (points).
STAMP_COLUMN_SLACK = 4.0


def _signing_stamp_columns(doc: Document, refs: list[Ref]) -> list[float]:
    """Left edges of e-signing boxes in the signature zone (their lines wrap at one x)."""
    return [
        line.x0 for ref in refs if (line := _line(doc, ref)).x0 is not None and SIGNING_STAMP.match(line.text)
    ]


def _in_columns(line: Line, columns: list[float]) -> bool:
    return line.x0 is not None and any(abs(line.x0 - x) <= STAMP_COLUMN_SLACK for x in columns)


def _is_title(text: str, authority: list[str]) -> bool:
    """The signer's title: in capitals, or in any case right under the authority lines
    ("KT. BỘ TRƯỞNG BỘ TÀI CHÍNH" / "Thứ trưởng")."""
    return is_upper_text(text) or (bool(authority) and text[:1].isupper() and len(text.split()) <= 6)


def _tagged_name(doc: Document, refs: list[Ref]) -> tuple[str | None, Ref | None]:
    """The last name the tagger finds below the title (the shape rule found none)."""
    for ref in reversed(refs):
        text = _clean(_line(doc, ref).text)
        if not text or is_upper_text(text) or AUTHORITY.match(text) or SIGNATURE_NOISE.match(text):
            continue
        names = [n for n in person_names(text) if len(n.split()) >= 2 and not is_upper_text(n)]
        if names:
            return names[-1], ref
    return None, None


def _wraps(text: str) -> bool:
    """The second line of a title names a unit ('VỤ ...', 'CỤC ...'), not another title."""
    return ascii_key(text).split(" ")[0] in {"vu", "cuc", "so", "ban", "bo", "phong", "vien", "trung"}


def extract_recipients(doc: Document, refs: list[Ref]) -> tuple[list[str], dict[str, Evidence]]:
    """Entries of 'Nơi nhận:', bullets joined with their wrapped continuation lines."""
    entries: list[tuple[str, Ref]] = []
    for position, ref in enumerate(refs):
        text = _line(doc, ref).text.strip()
        if position == 0:
            text = text[recipients_label_end(text) :]
        if not text or SEPARATOR.match(text):
            continue
        scanned = doc.pages[ref[0]].origin == "ocr"
        if scanned and (filing := _misread_filing_label(text)) is not None:
            doc.warn("ocr.snapped", f"recipients entry read as {text!r}, the filing entry: {filing!r}")
            text = filing
        if scanned and (clerk := _clerks_code(text)) != text:
            doc.warn("ocr.snapped", f"recipients entry read as {text!r}, the văn thư's code: {clerk!r}")
            text = clerk
        if entries and _is_filing_entry(entries[-1][0]) and not FILING_CODES.match(text):
            break  # "Lưu: ..." closes the list; what follows is the next page or a speck
        bullet = text.startswith(("-", "–", "+", "•", "*"))
        note = text.startswith("(") and text.rstrip(" ;.,").endswith(")")  # "(để đưa tin)" under an entry
        if note and entries:
            entries[-1] = (entries[-1][0].rstrip(" ;.,") + " " + text, entries[-1][1])
        elif (
            entries
            and not bullet
            and (open_bullet(entries[-1][0]) or _wraps_on(entries[-1][0], text, scanned=scanned))
        ):
            entries[-1] = (entries[-1][0] + " " + text, entries[-1][1])
        else:
            entries.append((text, ref))
    recipients: list[str] = []
    evidence: dict[str, Evidence] = {}
    dropped: list[str] = []
    for text, ref in entries:
        cleaned = SIGNED_MARK.sub("", text).lstrip(BULLETS).rstrip(" ;.,").strip()
        if doc.pages[ref[0]].origin == "ocr":
            if wordless_entry(doc.pages[ref[0]], cleaned):
                continue  # the seal's or the signature's strokes read beside the list
            cleaned = _without_a_wordless_last_part(_without_trailing_specks(_without_a_lone_mark(cleaned)))
            if cleaned and _debris_entry(cleaned):
                dropped.append(cleaned)
                continue
            if (cut := _without_trailing_debris(cleaned)) != cleaned:
                doc.warn("ocr.snapped", f"recipients entry read as {cleaned!r}, its debris cut: {cut!r}")
                cleaned = cut
            if (respelled := respelled_entry(cleaned)) != cleaned:
                doc.warn(
                    "ocr.snapped", f"recipients entry read as {cleaned!r}, in a list's words: {respelled!r}"
                )
                cleaned = respelled
        if cleaned and not AUTHORITY.match(cleaned):  # a signature line sharing the row
            evidence[f"recipients[{len(recipients)}]"] = evidence_at(doc, *ref)
            recipients.append(cleaned)
    if dropped:
        doc.warn("ocr.recipients_dropped", f"scanned entries not opening with a capital, left out: {dropped}")
    return recipients, evidence


# A copy count ends a filing entry ("02", "(03)"); any other token of marks with no letter
# ending a scanned entry ("Lưu: VT _2-~") is the seal's or the signature's strokes.
COPY_COUNT = re.compile(r"^\(?\d+\)?[.,;:]*$")


def _specks(token: str) -> bool:
    return (
        not any(char.isalpha() for char in token)
        and any(not char.isalnum() for char in token)
        and not COPY_COUNT.match(token)
    )


def _debris_entry(entry: str) -> bool:
    """A scanned entry that does not open with a capital, as every entry of a list does (it
    names a body or a person: the corpus's 788 gold entries all do), and is no entry whose
    first letter the scan misread either ("ý ban MTTQ Việt Nam tính"): a word of the seal's
    ring ("sở"), a place cut from an entry the seal covers ("tỉnh"), strokes read as words."""
    if entry[0].isupper():
        return False
    words = [word.strip(",.;:()“”\"'") for word in entry.split()]
    wordlike = [word for word in words if _wordlike(word)]
    misread = entry[0].isalpha() and is_known_syllable(words[0])  # its first letter, not a speck
    return not misread or len(words) < MIN_MISREAD_ENTRY_WORDS or len(wordlike) < WORDLIKE_SHARE * len(words)


# A misread first letter is told from debris by the words after it: this many at least,
# and this share of them syllables, codes or numbers.
MIN_MISREAD_ENTRY_WORDS = 3
WORDLIKE_SHARE = 0.75


def _code(word: str) -> bool:
    return len(word) >= 2 and word.isalpha() and word.isupper()


def _wordlike(word: str) -> bool:
    """A syllable, a number or a code: what an entry is made of, not a stroke."""
    return bool(word) and (is_known_syllable(word) or word.isdigit() or _code(word))


def _without_a_lone_mark(entry: str) -> str:
    """A scanned entry without a first word that is a mark or a symbol alone ("ˆ Ủy ban MTTQVN
    tỉnh", "¬ Ủy ban Trung ương ..."), or a quote mark glued before it ("'ŒT, các PCT"): a
    speck read with no letter to sit on."""
    first, _, rest = entry.partition(" ")
    marks_only = first and all(unicodedata.category(char) in SPECK_CATEGORIES for char in first)
    entry = rest.strip() if marks_only and rest else entry
    return entry.lstrip(QUOTE_SPECKS)


# Modifier letters and marks, symbols, quote marks: what a speck before an entry is read as.
SPECK_CATEGORIES = frozenset({"Lm", "Mn", "Sk", "Sm", "So"})
QUOTE_SPECKS = "'‘’`´\"“”"


def _without_trailing_specks(entry: str) -> str:
    """A scanned entry without the specks read after its last word, and without the colon a
    scan reads for its closing semicolon (no entry of a list ends with a colon)."""
    words = entry.split()
    while len(words) > 1 and _specks(words[-1]):
        words.pop()
    return " ".join(words).rstrip(" ;.,:").strip()


def _without_a_wordless_last_part(entry: str) -> str:
    """A scanned entry without a last part after its semicolon that holds no word, code or
    number ("Bộ Nội vụ; N2", "Như trên; h"): a stroke of the seal or the signature read
    after the entry's closing semicolon. The filing entry's parts are codes and counts."""
    head, semicolon, last = entry.rpartition(";")
    if not semicolon or not head.strip() or _is_filing_entry(entry):
        return entry
    words = [word.strip(WORD_EDGES) for word in last.split()]
    wordless = not any(len(word) >= 2 and _wordlike(word) for word in words)
    return head.rstrip(" ;.,:").strip() if wordless else entry


# Punctuation a list's entry holds as printed ("Ngân hàng Nhà nước - CN Quảng Ngãi").
ENTRY_PUNCTUATION = frozenset("-–.,;:")


def _junk(token: str) -> bool:
    if set(token) <= ENTRY_PUNCTUATION:
        return False
    return is_debris(token) or is_jumbled_case(token.strip(WORD_EDGES))


# An entry keeps at least this many words before a run of debris is cut from it.
MIN_ENTRY_WORDS = 2


def _without_trailing_debris(entry: str) -> str:
    """A scanned entry without the run of debris the seal or the signature beside it left at
    its end ("Đài truyền thanh xã ⁄{0 Ni 42x EmMaIE", "... cơ quan thuộc Chính phủ; | ` 7n
    thà ¿ để 'ẺNHráicLa LÀN"): from its first debris token on, at least two tokens and half
    of them debris. Words the run holds between its specks ("Ni", "để") go with it. The
    filing entry is left whole: its drafters' initials and copy counts ("TH(2). H") read as
    debris do."""
    if _is_filing_entry(entry):
        return entry
    words = entry.split()
    for at in range(MIN_ENTRY_WORDS, len(words)):
        tail = words[at:]
        junk = sum(_junk(word) for word in tail)
        if _junk(words[at]) and junk >= 2 and 2 * junk >= len(tail):
            return " ".join(words[:at]).rstrip(" ;.,:").strip()
    return entry


# "(Đã ký)" of a copy's signature column, sharing a line with an entry.
SIGNED_MARK = re.compile(r"\s*\(\s*đã\s*ký\s*\)\s*", re.IGNORECASE)

# A wrapped continuation of the "Lưu" entry: unit codes and copy counts ("NC, TH (2b).").
FILING_CODES = re.compile(r"^[A-ZĐ0-9][A-ZĐ0-9 ,.;:()&/+-]*$")


def _is_filing_entry(text: str) -> bool:
    return ascii_key(text).lstrip("-+•* ").startswith("luu")


# "Lưu:" with its first letter misread ("- Ekưu: VT, ĐTDG", "Lru:" is too far): the word that
# ends in "ưu" right before the filing entry's colon.
MISREAD_FILING = re.compile(
    r"^(?P<bullet>[-–+•*]\s*)?(?P<word>[^\W\d_]{0,2}ưu)\s*:(?P<rest>.*)$", re.IGNORECASE
)


def _misread_filing_label(text: str) -> str | None:
    """A scanned "Lưu:" entry whose first letter the seal or the stamp changed, written as the
    label it is; None for any other line (and for "Lưu:" as printed)."""
    found = MISREAD_FILING.match(text)
    if found is None or found["word"].lower() == "lưu":
        return None
    return f"{found['bullet'] or ''}Lưu:{found['rest']}"


# The filing entry opens with the văn thư's code (Decree 30: "Lưu: VT, <the drafting unit>"):
# its T read as a look-alike ("VI", "VÌ", "VF", "VE"), or a speck read after it ("VT:", "VT¿",
# "VTF."). "VP" (a Văn phòng) is a code of its own and stays.
CLERKS_CODE = re.compile(r"^(?P<head>[-–+•*]?\s*Lưu\s*:\s*)V(?:[IÌÍlF1|EŨ]|T[F:;¿!])(?=(?P<next>[\s,.;]|$))")


def _clerks_code(text: str) -> str:
    """A scanned filing entry with its first code, the văn thư's "VT", put back."""
    found = CLERKS_CODE.match(text)
    if found is None:
        return text
    comma = "" if found["next"] in ",.;" else ","
    return f"{found['head']}VT{comma}{text[found.end() :]}"


def authority_among_recipients(doc: Document, refs: list[Ref]) -> list[str]:
    """Authority lines that share the recipients' column ("Nơi nhận:<tab>TM. ỦY BAN ...", a
    closing laid out with tabs inside one cell): they belong to the signature."""
    found: list[str] = []
    for ref in refs:
        text = _line(doc, ref).text.strip()
        text = text[recipients_label_end(text) :].lstrip("-–+•* ")
        if AUTHORITY.match(text):
            found.append(text.rstrip(" ;.,"))
    return found


def _wraps_on(entry: str, text: str, *, scanned: bool) -> bool:
    """A line in small letters goes on with the entry before it, closed or not ("- VPCP: BTCN,
    các PCN;" / "các Vụ, Cục: KSTT, ..."): every entry opens with a capital. On a scan only
    after an entry a full stop or a comma ends (a misread comma: "- VPUB: CVP. các PCVP." /
    "phòng: KGVX, ...") and when the line is words, not the seal's debris; after a ";" a
    line in small letters is an entry whose capital the scan lost."""
    if not text[:1].islower():
        return False
    if not scanned:
        return True
    return entry.rstrip().endswith((".", ",")) and not _debris_entry(text)
