"""The closing block: signer (authority chain, title, name) and the 'Nơi nhận' list."""

from __future__ import annotations

import re

from pipeline.layout.zones import AUTHORITY, SEPARATOR
from pipeline.model import Document, Line
from pipeline.nlp.persons import person_names
from pipeline.nlp.text import ascii_key, is_upper_text
from pipeline.record.evidence import evidence_at
from pipeline.record.models import Evidence, Signer

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


def extract_signer(doc: Document, refs: list[Ref]) -> tuple[Signer | None, dict[str, Evidence]]:
    authority: list[str] = []
    position: str | None = None
    name: str | None = None
    evidence: dict[str, Evidence] = {}
    for ref in refs:
        text = _clean(_line(doc, ref).text)
        if not text or SEPARATOR.match(text) or SIGNATURE_NOISE.match(text):
            continue
        if AUTHORITY.match(text) and position is None:
            authority.append(text)
            evidence.setdefault("signer.authority", evidence_at(doc, *ref))
        elif position is None and not looks_like_name(text) and len(text) < 80 and _is_title(text, authority):
            position = text
            evidence["signer.position"] = evidence_at(doc, *ref)
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
    if name is None and position is not None:
        name, found_at = _tagged_name(doc, refs)
        if name and found_at:
            evidence["signer.name"] = evidence_at(doc, *found_at)
    if not (authority or position or name):
        return None, {}
    return Signer(name=name, position=position, authority=authority), evidence


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
            text = re.sub(r"^\s*Nơi\s*(?:nhận|gửi)\s*[:.]?\s*", "", text, flags=re.IGNORECASE)
        if not text or SEPARATOR.match(text):
            continue
        bullet = text.startswith(("-", "–", "+", "•", "*"))
        note = text.startswith("(") and text.rstrip(" ;.,").endswith(")")  # "(để đưa tin)" under an entry
        if note and entries:
            entries[-1] = (entries[-1][0].rstrip(" ;.,") + " " + text, entries[-1][1])
        elif entries and not bullet and _open_bullet(entries[-1][0]):
            entries[-1] = (entries[-1][0] + " " + text, entries[-1][1])
        else:
            entries.append((text, ref))
    recipients: list[str] = []
    evidence: dict[str, Evidence] = {}
    for text, ref in entries:
        cleaned = text.lstrip("-–+•* ").rstrip(" ;.,").strip()
        if cleaned:
            evidence[f"recipients[{len(recipients)}]"] = evidence_at(doc, *ref)
            recipients.append(cleaned)
    return recipients, evidence


def _open_bullet(text: str) -> bool:
    """A bulleted entry not yet closed by ';' or '.': the next plain line wraps it. In a list
    without bullets ("Như điều 2" / "Sở TC, KBNN") every line is an entry of its own."""
    return text.startswith(("-", "–", "+", "•", "*")) and not _entry_closed(text)


def _entry_closed(text: str) -> bool:
    return text.rstrip().endswith((";", "."))
