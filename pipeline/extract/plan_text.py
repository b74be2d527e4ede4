"""The plan's text as numbered paragraphs: what sections, tasks and targets are read from.

Lines come from the layout zones (body, annex); PDF lines wrapped inside a paragraph are
joined back; each paragraph carries its numbering ("II", "1", "1.1", "a", "-", "+"), its
level and the headings above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.extract.plan_settings import plan_settings
from pipeline.model import Document
from pipeline.nlp.lookalikes import roman_one
from pipeline.nlp.plan_words import keyword_in, plan_words
from pipeline.nlp.text import is_upper_text
from pipeline.record.evidence import line_offset
from pipeline.record.models import Evidence
from pipeline.registry import Context

Ref = tuple[int, int]  # (page index, line index)

_ROMAN = re.compile(r"^(?P<label>[IVXL]{1,6})\s*[.):/-]?\s+(?P<title>\S.*)$")
_PART = re.compile(r"^(?P<label>PHẦN\s+(?:THỨ\s+)?\S+|Phần\s+(?:thứ\s+)?\S+)\s*[.:-]?\s*(?P<title>.*)$")
_UPPER_LETTER = re.compile(r"^(?P<label>[A-ZĐ])\s*[.)]\s+(?P<title>\S.*)$")
_DOTTED = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2})+)\s*[.):]?\s+(?P<title>\S.*)$")
_ARABIC = re.compile(r"^(?P<label>\d{1,2})(?:\s*[.)]|-(?=\s))\s*(?P<title>\S.*)$")  # '1.', '1)', '1- '
_CHAPTER = re.compile(r"^(?P<label>(?:CHƯƠNG|Chương)\s+(?:[IVXL]{1,6}|\d{1,2}))\s*[.:-]?\s*(?P<title>.*)$")
_LETTER = re.compile(r"^(?P<label>[a-zđ])\s*\)\s*(?P<title>\S.*)$")
_PAREN = re.compile(r"^\((?P<label>\d{1,2}|[a-zđ]|[ivx]{1,4})\)[.:]?\s*(?P<title>\S.*)$")
_DASH = re.compile(r"^(?P<label>[-–—•·*])\s*(?P<title>\S.*)$")
_PLUS = re.compile(r"^(?P<label>\+)\s*(?P<title>\S.*)$")

# Fixed levels keep the tree tolerant of skipped or repeated numerals.
LEVELS = {
    "part": 0,
    "upper": 1,
    "chapter": 1,
    "roman": 2,
    "arabic": 3,
    "dotted": 4,
    "letter": 6,
    "paren": 7,
    "dash": 8,
    "plus": 9,
}
_ORDINAL_PART = re.compile(r"(?i)\bth[ứu]\b")  # 'PHẦN THỨ HAI' above 'PHẦN I'
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")  # a page number line of a PDF
_BARE_NUMBER = re.compile(r"^(?:[IVXL]{1,6}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])\s*[.)]$")
_VALID_ROMAN = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")


@dataclass
class Para:
    """A paragraph of the plan with its numbering and where each piece was printed."""

    text: str
    refs: list[Ref]
    kind: str | None = None  # key of LEVELS, None for an unnumbered paragraph
    label: str = ""
    title: str = ""  # text without its numbering
    bold: bool = False
    path: list[str] = field(default_factory=list)  # headings above, "II. TITLE"
    level: int = 99

    @property
    def is_heading_like(self) -> bool:
        return self.kind in ("part", "upper", "chapter", "roman", "arabic", "dotted", "letter")


def parse_numbering(text: str, bold: bool) -> tuple[str | None, str, str]:
    """(kind, label, title) of a paragraph's leading numbering, or (None, "", text)."""
    stripped = text.strip()
    match = _PART.match(stripped)
    if match and is_upper_text(match.group("label")):
        return "part", match.group("label"), match.group("title")
    match = _CHAPTER.match(stripped)
    if match:
        return "chapter", match.group("label"), match.group("title")
    match = _ROMAN.match(stripped)
    if match and _VALID_ROMAN.match(match.group("label")) and (bold or is_upper_text(match.group("title"))):
        return "roman", match.group("label"), match.group("title")
    match = _UPPER_LETTER.match(stripped)
    if match and is_upper_text(match.group("title")):
        return "upper", match.group("label"), match.group("title")
    for kind, pattern in (
        ("dotted", _DOTTED),
        ("arabic", _ARABIC),
        ("letter", _LETTER),
        ("paren", _PAREN),
        ("plus", _PLUS),
        ("dash", _DASH),
    ):
        match = pattern.match(stripped)
        if match:
            return kind, match.group("label"), match.group("title")
    return None, "", stripped


def _level(kind: str | None, label: str) -> int:
    if kind is None:
        return 99
    if kind == "dotted":
        return LEVELS["dotted"] + label.count(".") - 1
    if kind == "part" and not _ORDINAL_PART.search(label):
        return LEVELS["part"] + 1  # 'PHẦN I' inside 'PHẦN THỨ HAI'
    return LEVELS[kind]


def zone_refs(ctx: Context, name: str) -> list[Ref]:
    return list(ctx.zones.get(name, []))


def all_refs(doc: Document) -> list[Ref]:
    return [(p, i) for p, page in enumerate(doc.pages) for i in range(len(page.lines))]


def _line(doc: Document, ref: Ref) -> Any:
    return doc.pages[ref[0]].lines[ref[1]]


def _continues(doc: Document, prev: Para, ref: Ref) -> bool:
    """A wrapped PDF line continues the paragraph above (formats with paragraphs never wrap)."""
    if doc.format not in ("pdf",):
        return False
    line = _line(doc, ref)
    text = line.text.strip()
    if not text or parse_numbering(text, bool(line.bold))[0] is not None:
        return False
    prev_text = prev.text.rstrip()
    if prev_text.endswith((".", ";", ":", "!", "?")) and not text[:1].islower():
        return False
    if prev.bold != bool(line.bold) and prev.kind in ("roman", "part", "upper", "chapter"):
        return False
    return prev.refs[-1][0] == ref[0] or prev.refs[-1][0] + 1 == ref[0]


def build_paras(doc: Document, refs: list[Ref]) -> list[Para]:
    """Paragraphs of ``refs`` (table lines skipped: tables are read from Page.tables)."""
    paras: list[Para] = []
    for ref in refs:
        line = _line(doc, ref)
        if line.block == "table" or not line.text.strip() or _PAGE_NUMBER.match(line.text):
            continue
        if paras and _BARE_NUMBER.match(paras[-1].text) and parse_numbering(line.text, False)[0] is None:
            # a numeral alone on its line ('6.' / 'Tổ chức triển khai ...'): it numbers the next line
            prev = paras[-1]
            prev.text = f"{prev.text} {line.text.strip()}"
            prev.kind, prev.label, prev.title = parse_numbering(prev.text, prev.bold or bool(line.bold))
            prev.bold = prev.bold or bool(line.bold)
            prev.refs.append(ref)
            continue
        if paras and _continues(doc, paras[-1], ref):
            prev = paras[-1]
            prev.text = f"{prev.text.rstrip()} {line.text.strip()}"
            prev.title = f"{prev.title.rstrip()} {line.text.strip()}"
            prev.refs.append(ref)
            continue
        bold = bool(line.bold)
        kind, label, title = parse_numbering(line.text, bold)
        paras.append(Para(text=line.text.strip(), refs=[ref], kind=kind, label=label, title=title, bold=bold))
    _repair_ocr_numerals(paras)
    paras = _title_bare_parts(paras)
    assign_paths(paras)
    return paras


def _title_bare_parts(paras: list[Para]) -> list[Para]:
    """'PHẦN THỨ NHẤT:' alone on its line: the capitals lines below it are its title."""
    result: list[Para] = []
    pending: Para | None = None
    taken = 0
    for para in paras:
        if (
            pending is not None
            and _continues_part_title(pending, para)
            and taken < plan_settings().part_title_lines
        ):
            pending.title = f"{pending.title} {para.text}".strip()
            pending.text = f"{pending.text} {para.text}"
            pending.refs.extend(para.refs)
            taken += 1
            continue
        pending = para if para.kind == "part" else None
        taken = 0
        result.append(para)
    return result


def _continues_part_title(part: Para, para: Para) -> bool:
    """Below a bare 'PHẦN THỨ NHẤT:' its capitals title; below a title, its wrapped rest."""
    if para.kind is not None or keyword_in(para.text[:10], plan_words()["chapter_words"]):
        return False
    if not part.title.strip(" :.-"):
        return is_upper_text(para.text)
    return para.text[:1].islower() or (is_upper_text(part.title) and is_upper_text(para.text))


# OCR reads 'II.' as 'IL.', 'Il.', '1I.' and may put a speck before it ('Ta IL. NỘI DUNG ...').
_OCR_ROMAN = re.compile(r"^(?:\S{1,3}\s+)?(?P<label>[IVXLl1|]{1,5})\s*[.)]\s+(?P<title>\S.*)$")
_OCR_I = str.maketrans(dict.fromkeys(roman_one(), "I"))
_ROMAN_VALUES = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}


def _repair_ocr_numerals(paras: list[Para]) -> None:
    """An unnumbered capitals paragraph between Roman sections I and III is section II when its
    first token reads as that numeral after OCR confusions."""
    names = {value: name for name, value in _ROMAN_VALUES.items()}
    previous = 0
    for para in paras:
        if para.kind == "roman":
            previous = _ROMAN_VALUES.get(para.label, previous)
            continue
        if para.kind is not None or not previous:
            continue
        match = _OCR_ROMAN.match(para.text)
        expected = names.get(previous + 1)
        if (
            match is None
            or expected is None
            or not is_upper_text(match.group("title")[: plan_settings().roman_title_chars])
        ):
            continue
        if match.group("label").translate(_OCR_I) == expected.translate(_OCR_I) and len(
            match.group("label")
        ) == len(expected):
            para.kind, para.label, para.title = "roman", expected, match.group("title")
            previous += 1


def heading_name(para: Para) -> str:
    return f"{para.label}. {para.title}".strip() if para.kind not in ("dash", "plus") else para.title


def assign_paths(paras: list[Para]) -> None:
    """Each paragraph's level and the chain of headings above it."""
    stack: list[Para] = []
    for para in paras:
        para.level = _level(para.kind, para.label)
        while stack and stack[-1].level >= para.level:
            stack.pop()
        para.path = [heading_name(p) for p in stack]
        if para.kind is not None:
            stack.append(para)


def para_evidence(doc: Document, para: Para, start: int = 0, end: int | None = None) -> Evidence:
    """Evidence over the paragraph's first line (the span where the item starts)."""
    page, index = para.refs[0]
    text = doc.pages[page].lines[index].text
    end = len(text) if end is None else min(end, len(text))
    base = line_offset(doc, page, index)
    return Evidence(page=page + 1, start=base + start, end=base + end, text=text[start:end])


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph: a full stop followed by a capital starts a new one."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ0-9])", text.strip())
    return [part.strip() for part in parts if part.strip()]
