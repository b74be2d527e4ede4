"""Legacy 8-bit Vietnamese encodings (TCVN3/ABC, VNI, VISCII) converted to Unicode.

Readers hand over legacy text as the cp1252/Latin-1 characters of its bytes:
TCVN3 "Céng hoµ x· héi", VNI "COÄNG HOØA XAÕ HOÄI". Detection goes line by line:

1. by font name (``Line.font``): ".Vn*" is TCVN3 (".VnTimeH"-style fonts draw the
   same codes as capitals), "VNI-*" is VNI;
2. by statistics when the font says nothing: the page (and each line) is converted
   with every candidate table and the conversion is kept only when its syllable
   quality is markedly higher than the original's.

Readers that know each run's font convert a line whose runs mix legacy fonts themselves
(``convert_runs``) and leave it without a font; statistics never touch a line that already
has Unicode Vietnamese letters.

Clean Unicode text must never be touched: Vietnamese letters such as "à", "ê", "ô"
are TCVN3 and VNI codes too, so every conversion, even one a font name asks for, must
raise the syllable quality; one that lowers it is refused.

The tables are viparse's (``viparse.normalize``: TCVN3 and VNI checked against real
documents; VNI "ẳ" is a known gap and passes through unconverted).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from viparse.normalize.encodings import CHARMAPS
from viparse.normalize.tables import convert

from pipeline.model import Cell, Line, Page
from pipeline.registry import Context, component
from pipeline.repair.quality import is_known_syllable, syllable_counts

TCVN3 = "tcvn3"
VNI = "vni"
VISCII = "viscii"
CANDIDATES = (TCVN3, VNI, VISCII)

# Statistics only convert a page whose converted text reads this much better...
PAGE_MIN_GAIN = 0.25
# ...and reads as Vietnamese afterwards.
PAGE_MIN_QUALITY = 0.7
# A single line on a page that is otherwise Unicode needs stronger evidence.
LINE_MIN_GAIN = 0.5
LINE_MIN_QUALITY = 0.8
LINE_MIN_TOKENS = 4
# A font's encoding gives way to another table only if that one reads this much better.
FONT_OVERRIDE_GAIN = 0.3

# PDF subset prefix ("ABCDEF+.VnTime") and style suffixes (".VnTimeH,Bold", "VNI-Times-Bold").
_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
_STYLE_SUFFIX = re.compile(r"([,\-\s]?(bold|italic|oblique|regular|normal|bolditalic))+$", re.IGNORECASE)
# Letters only Unicode Vietnamese has (Ă Đ Ĩ Ũ Ơ Ư and the toned vowels of U+1EA0-U+1EF9);
# legacy text read as cp1252/Latin-1 characters never contains them.
_VIETNAMESE_UNICODE = re.compile(
    "[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]"
)
_BRACKET_TAG = re.compile(r"\s*\([^)]*\)\s*$")
_WORD = re.compile(r"[^\W\d_]+")
# One-letter words that are really ư-words whose ư was lost: tư, ưu, cư.
_SINGLE_LETTER_U = {"t": "tư", "u": "ưu", "c": "cư"}
_LOST_U_LETTER = re.compile(r"(?<![\w.])[tuc](?![\w).])")
# VNI typed with a capital base and a small mark ("PHUû" for PHỦ): the table has only
# matching pairs, so the mark follows the base's case.
_VNI_MIXED_CASE = re.compile(r"(?<=[AEIOUYÔÖ])[ùøûõïâêáàåãäéèëü]")
# cp1252 puts printable characters where Latin-1 has the C1 controls VISCII uses for letters.
_CP1252_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_CP1252_TO_LATIN1 = {
    ord(bytes([b]).decode("cp1252")): b for b in range(0x80, 0xA0) if b not in _CP1252_UNDEFINED
}


@dataclass(frozen=True)
class FontEncoding:
    encoding: str
    capitals: bool  # TCVN3 ".VnTimeH" fonts draw every letter as a capital


def font_encoding(font: str | None) -> FontEncoding | None:
    """The legacy encoding a font name implies, or None for a Unicode or unknown font."""
    if not font:
        return None
    name = _SUBSET_TAG.sub("", font.strip())
    # "VnTimeH(Ds)": a vendor tag in brackets follows the family.
    base = _STYLE_SUFFIX.sub("", _BRACKET_TAG.sub("", name.split(",")[0]))
    upper = base.upper()
    if upper.startswith("VNI"):
        return FontEncoding(VNI, capitals=False)
    # ".VnTime" (ABC), "VnArialH(Ds)", "VNSTCVN3": TCVN3 fonts by family or by name.
    if upper.startswith((".VN", "VN")) or "TCVN3" in upper:
        # The capitals face ends a word of the name in "H": ".VnTimeH", ".VnTimeH Tur".
        return FontEncoding(TCVN3, capitals=any(word.endswith("H") for word in base.split()))
    return None


def convert_text(text: str, encoding: str, capitals: bool = False) -> str:
    """``text`` (legacy codes as cp1252 characters) converted to NFC Unicode."""
    if encoding == VISCII:
        text = "".join(chr(_CP1252_TO_LATIN1.get(ord(c), ord(c))) for c in text)
    if encoding == VNI:
        text = _VNI_MIXED_CASE.sub(lambda m: m.group(0).upper(), text)
    converted = convert(text, CHARMAPS[encoding])
    if encoding == TCVN3:
        converted = _caps_typed_upper(restore_lost_u_horn(converted))
    return converted.upper() if capitals else converted


def legacy_spellings(text: str) -> dict[str, str]:
    """``text`` as TCVN3 and VNI would show it read as cp1252 characters ("ngày" -> "ngµy",
    "ngaøy"): the inverse of the conversion tables, for the few words a reader looks for
    before the legacy conversion. A letter a table lacks stays as it is."""
    spelled: dict[str, str] = {}
    for encoding in (TCVN3, VNI):
        inverse: dict[str, str] = {}
        for legacy, unicode in CHARMAPS[encoding].pairs:
            inverse.setdefault(unicode, legacy)
        spelled[encoding] = "".join(inverse.get(char, char) for char in text)
    return spelled


def _caps_typed(word: str) -> bool:
    """No ASCII small letter: TCVN3 has no capital toned vowels, so a word typed in capitals
    in a plain font still shows small ones ("HOạCH", "PHầN")."""
    return not any("a" <= char <= "z" for char in word)


def _caps_typed_upper(text: str) -> str:
    """ "Kế HOạCH TổNG THể" -> "KẾ HOẠCH TỔNG THỂ": capitals typed in a plain TCVN3 font.

    A word with two ASCII capitals and no ASCII small letter is a capitals word; a line whose
    words are all typed so ("Kế" too) is a capitals line. Title case ("Kế hoạch") is kept.
    """
    words = _WORD.findall(text)
    flipped = [w for w in words if _caps_typed(w) and sum(c.isupper() for c in w) >= 2 and not w.isupper()]
    if not flipped:
        return text
    if all(_caps_typed(word) for word in words):
        return text.upper()
    return _WORD.sub(lambda m: m.group(0).upper() if m.group(0) in flipped else m.group(0), text)


def convert_runs(runs: list[tuple[str, str | None]]) -> tuple[list[str], str] | None:
    """Text of runs whose legacy fonts differ ((text, font) pairs), converted run by run.

    A paragraph mixing ".VnTimeH" capitals with ".VnTime", or TCVN3 with VNI, loses that
    when it becomes one Line with one font, so readers that know the runs convert here.
    Returns (the runs' converted texts, main encoding), or None when the runs' legacy fonts
    agree (the Line's font says it all) or the conversion reads worse than the original.
    """
    weights: Counter[FontEncoding] = Counter()
    for text, font in runs:
        encoding = font_encoding(font)
        if encoding is not None and any(char.isalpha() for char in text):
            weights[encoding] += len(text)
    if len(weights) < 2:
        return None
    main = weights.most_common(1)[0][0]
    parts = [_convert_run(text, font_encoding(font), main.encoding) for text, font in runs]
    original, converted = "".join(text for text, _ in runs), "".join(parts)
    if _quality(converted)[0] < _quality(original)[0]:
        return None
    return parts, main.encoding


def _convert_run(text: str, font: FontEncoding | None, main_encoding: str) -> str:
    if font is not None:
        # Too short to judge by spelling ("§" of "§éc lËp"): the font alone decides.
        if syllable_counts(text)[1] < LINE_MIN_TOKENS:
            return convert_text(text, font.encoding, font.capitals)
        return _repair_by_font(text, font).text
    if text.isascii():
        return text
    # A run in some other font amid legacy ones: converted only if that reads better.
    return _repair_by_font(text, FontEncoding(main_encoding, capitals=False)).text


def _with_u_horn(word: str) -> str | None:
    """``word`` with the ư it lost put back, if exactly that makes it a real syllable."""
    letter = "Ư" if word.isupper() else "ư"
    candidates = [word[:i] + letter + word[i:] for i in range(len(word) + 1)]
    # Lowercased: a capitalised candidate would pass as a name ("TƯM" from "TM").
    known = [c for c in candidates if is_known_syllable(c.lower())]
    # "ươ" is by far the commonest home of the lost letter: đợc -> được, nớc -> nước.
    known.sort(key=lambda c: "ươ" not in c.lower())
    return known[0] if known else None


def restore_lost_u_horn(text: str) -> str:
    """Put back TCVN3's ư (byte 0xAD, the soft hyphen) where a reader dropped it.

    Word stores that byte as a soft hyphen, and readers that go through DOCX
    (``<w:softHyphen/>``) or strip invisible characters lose it: "đợc", "nớc", "Trơng",
    "nhng". Only words that are no real syllable are touched (capitalised ones too: a
    name rarely reads "Chơng"); all-capital ASCII words are abbreviations (TM, CT).
    Single letters ("đầu t", "u đãi") are left to ``restore_single_letter_u``, for pages
    that show the loss, since "điểm c khoản 2" is a real one-letter word.
    """

    def fix_word(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < 2 or "ư" in word.lower() or is_known_syllable(word.lower()):
            return word
        if word.isascii() and word.isupper():
            return word
        return _with_u_horn(word) or word

    return _WORD.sub(fix_word, text)


def _uppercase_mixed_words(text: str) -> str:
    """ "CủA" -> "CỦA": a TCVN3 capitals-font word read without its font has mixed case."""
    return _WORD.sub(lambda m: m.group(0).upper() if _has_case_flip(m.group(0)) else m.group(0), text)


def _has_case_flip(word: str) -> bool:
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(word))


def _quality(text: str) -> tuple[float, int]:
    # Judged on spelling alone: without the font, case says nothing about the encoding.
    valid, counted = syllable_counts(_uppercase_mixed_words(text))
    return (valid / counted if counted else 1.0), counted


@dataclass
class _Choice:
    encoding: str | None  # None: keep the text as it is
    text: str
    quality: float


def _best_conversion(text: str, encodings: tuple[str, ...]) -> _Choice:
    """The candidate conversion with the highest syllable quality (the original on ties)."""
    best = _Choice(None, text, _quality(text)[0])
    for encoding in encodings:
        converted = convert_text(text, encoding)
        if converted == text:
            continue
        quality = _quality(converted)[0]
        if quality > best.quality:
            best = _Choice(encoding, converted, quality)
    return best


def _page_texts(page: Page) -> Iterator[str]:
    yield from (line.text for line in page.lines if font_encoding(line.font) is None)
    yield from (cell.text for table in page.tables for row in table.rows for cell in row)


def detect_page_encoding(page: Page) -> str | None:
    """The legacy encoding the page's unlabelled text reads best in, by statistics."""
    text = "\n".join(_page_texts(page))
    if not text.strip():
        return None
    base, counted = _quality(text)
    if counted < LINE_MIN_TOKENS or base > 1 - PAGE_MIN_GAIN:
        return None  # too little to judge, or too good to gain enough (clean text: fast)
    choice = _best_conversion(text, CANDIDATES)
    if choice.encoding is None:
        return None
    if choice.quality - base >= PAGE_MIN_GAIN and choice.quality >= PAGE_MIN_QUALITY:
        return choice.encoding
    return None


def _repair_by_font(text: str, font: FontEncoding) -> _Choice:
    """Convert as the font says, unless that reads worse (a Unicode-mapped legacy font) or
    another table reads far better (a font name that lies: "VNSTCVN3" paragraphs typed in
    VNI)."""
    converted = convert_text(text, font.encoding, font.capitals)
    before, after = _quality(text)[0], _quality(converted)[0]
    choice = _Choice(font.encoding, converted, after) if converted != text and after >= before else None
    best = choice or _Choice(None, text, before)
    if best.quality > 1 - FONT_OVERRIDE_GAIN:
        return best  # nothing can read that much better
    for other in (TCVN3, VNI):
        if other == font.encoding:
            continue
        alternative = convert_text(text, other, font.capitals)
        quality = _quality(alternative)[0]
        if quality - best.quality >= FONT_OVERRIDE_GAIN and quality >= LINE_MIN_QUALITY:
            best = _Choice(other, alternative, quality)
    return best


def _repair_by_statistics(text: str, page_encoding: str | None) -> _Choice:
    """Convert an unlabelled line: freely on a legacy page, on strong evidence otherwise."""
    if _VIETNAMESE_UNICODE.search(text):
        # Already Unicode (a reader converted its runs): no 8-bit code reads as "ư" or "ộ".
        # Kept as it is, so its quality is never compared: not worth scoring.
        return _Choice(None, text, 1.0)
    if page_encoding is not None:
        # Mixed documents (TCVN3 and VNI paragraphs in one file) need every table, the page's first.
        others = tuple(e for e in CANDIDATES if e != page_encoding)
        choice = _best_conversion(text, (page_encoding, *others))
        if choice.encoding is None:
            # A tie keeps the page's encoding: "Sè" and "Số" both spell a syllable.
            converted = convert_text(text, page_encoding)
            if converted != text and _quality(converted)[0] >= choice.quality:
                return _Choice(page_encoding, converted, choice.quality)
        return choice
    before, counted = _quality(text)
    if counted < LINE_MIN_TOKENS or before > 1 - LINE_MIN_GAIN:
        return _Choice(None, text, before)
    choice = _best_conversion(text, CANDIDATES)
    if choice.quality - before >= LINE_MIN_GAIN and choice.quality >= LINE_MIN_QUALITY:
        return choice
    return _Choice(None, text, before)


def _repair_line(line: Line, page_encoding: str | None) -> str | None:
    font = font_encoding(line.font)
    choice = _repair_by_font(line.text, font) if font else _repair_by_statistics(line.text, page_encoding)
    if choice.encoding is not None:
        line.text = choice.text
    return choice.encoding


def _repair_cell(cell: Cell, page_encoding: str | None) -> str | None:
    parts = [_repair_by_statistics(part, page_encoding) for part in cell.text.split("\n")]
    cell.text = "\n".join(part.text for part in parts)
    encodings = [part.encoding for part in parts if part.encoding]
    return encodings[0] if encodings else None


def repair_page(page: Page) -> Counter[str]:
    """Convert the page's legacy lines and cells in place; count conversions by encoding."""
    page_encoding = detect_page_encoding(page)
    converted: Counter[str] = Counter()
    tcvn3_lines: list[tuple[Line, str]] = []
    for line in page.lines:
        original = line.text
        if encoding := _repair_line(line, page_encoding):
            converted[encoding] += 1
            if encoding == TCVN3:
                tcvn3_lines.append((line, original))
    for table in page.tables:
        for row in table.rows:
            for cell in row:
                if encoding := _repair_cell(cell, page_encoding):
                    converted[encoding] += 1
    if _lost_every_u_horn(tcvn3_lines):
        for line, _ in tcvn3_lines:
            line.text = restore_single_letter_u(line.text)
    if converted:
        page.encoding = converted.most_common(1)[0][0]
        page.origin = "converted"
    return converted


def _lost_every_u_horn(lines: list[tuple[Line, str]]) -> bool:
    """TCVN3 text whose reader dropped byte 0xAD: ư appears only where it was restored."""
    originals = "".join(original for _, original in lines)
    restored = sum(line.text.lower().count("ư") for line, _ in lines)
    return "\xad" not in originals and "\u2212" not in originals and restored >= 3


def restore_single_letter_u(text: str) -> str:
    """ "đầu t" -> "đầu tư", "u đãi" -> "ưu đãi": for text known to have lost its ư."""
    return _LOST_U_LETTER.sub(lambda m: _SINGLE_LETTER_U[m.group(0)], text)


@component("repair.legacy", assigns=("text.unicode",))
def repair_legacy(ctx: Context) -> None:
    total: Counter[str] = Counter()
    for page in ctx.doc.pages:
        total.update(repair_page(page))
    if total:
        summary = ", ".join(f"{count} {encoding.upper()}" for encoding, count in total.most_common())
        ctx.doc.warn("encoding.converted", f"legacy text converted to Unicode: {summary} lines/cells")
