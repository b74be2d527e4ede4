"""Legacy 8-bit Vietnamese encodings (TCVN3/ABC, VNI, VISCII) converted to Unicode.

Readers hand over legacy text as the cp1252/Latin-1 characters of its bytes:
TCVN3 "Céng hoµ x· héi", VNI "COÄNG HOØA XAÕ HOÄI". Detection goes line by line:

1. by font name (``Line.font``): ".Vn*" is TCVN3 (".VnTimeH"-style fonts draw the
   same codes as capitals), "VNI-*" is VNI;
2. by statistics when the font says nothing: the page (and each line) is converted
   with every candidate table and the conversion is kept only when its syllable
   quality is markedly higher than the original's.

Readers that know each run's font hand it over (``Line.runs``); a line whose runs mix legacy
fonts (".VnTimeH" capitals beside ".VnTime", TCVN3 beside VNI) is converted run by run first
(``convert_runs``) and then carries no font; statistics never touch a line that already has
Unicode Vietnamese letters. Readers convert nothing: this is the one place legacy text
becomes Unicode.

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

from pipeline.model import Cell, Line, Page, Run
from pipeline.registry import Context, component
from pipeline.repair.quality import is_known_syllable, syllable_counts

TCVN3 = "tcvn3"
VNI = "vni"
VISCII = "viscii"
CANDIDATES = (TCVN3, VNI, VISCII)


@dataclass(frozen=True)
class LegacySettings:
    """repair.legacy's thresholds: shares of valid syllables (0..1) and token counts."""

    # Statistics only convert a page whose converted text reads this much better...
    page_min_gain: float = 0.25
    # ...and reads as Vietnamese afterwards.
    page_min_quality: float = 0.7
    # A single line on a page that is otherwise Unicode needs stronger evidence.
    line_min_gain: float = 0.5
    line_min_quality: float = 0.8
    line_min_tokens: int = 4
    # A font's encoding gives way to another table only if that one reads this much better.
    font_override_gain: float = 0.3


DEFAULTS = LegacySettings()

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


def convert_runs(
    runs: list[tuple[str, str | None]], settings: LegacySettings = DEFAULTS
) -> tuple[list[str], str] | None:
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
    parts = [_convert_run(text, font_encoding(font), main.encoding, settings) for text, font in runs]
    original, converted = "".join(text for text, _ in runs), "".join(parts)
    if _quality(converted)[0] < _quality(original)[0]:
        return None
    return parts, main.encoding


def _convert_run(text: str, font: FontEncoding | None, main_encoding: str, settings: LegacySettings) -> str:
    if font is not None:
        # Too short to judge by spelling ("§" of "§éc lËp"): the font alone decides.
        if syllable_counts(text)[1] < settings.line_min_tokens:
            return convert_text(text, font.encoding, font.capitals)
        return _repair_by_font(text, font, settings).text
    if text.isascii():
        return text
    # A run in some other font amid legacy ones: converted only if that reads better.
    return _repair_by_font(text, FontEncoding(main_encoding, capitals=False), settings).text


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


def detect_page_encoding(page: Page, settings: LegacySettings = DEFAULTS) -> str | None:
    """The legacy encoding the page's unlabelled text reads best in, by statistics."""
    text = "\n".join(_page_texts(page))
    if not text.strip():
        return None
    base, counted = _quality(text)
    if counted < settings.line_min_tokens or base > 1 - settings.page_min_gain:
        return None  # too little to judge, or too good to gain enough (clean text: fast)
    choice = _best_conversion(text, CANDIDATES)
    if choice.encoding is None:
        return None
    if choice.quality - base >= settings.page_min_gain and choice.quality >= settings.page_min_quality:
        return choice.encoding
    return None


def _repair_by_font(text: str, font: FontEncoding, settings: LegacySettings) -> _Choice:
    """Convert as the font says, unless that reads worse (a Unicode-mapped legacy font) or
    another table reads far better (a font name that lies: "VNSTCVN3" paragraphs typed in
    VNI)."""
    converted = convert_text(text, font.encoding, font.capitals)
    before, after = _quality(text)[0], _quality(converted)[0]
    choice = _Choice(font.encoding, converted, after) if converted != text and after >= before else None
    best = choice or _Choice(None, text, before)
    if best.quality > 1 - settings.font_override_gain:
        return best  # nothing can read that much better
    for other in (TCVN3, VNI):
        if other == font.encoding:
            continue
        alternative = convert_text(text, other, font.capitals)
        quality = _quality(alternative)[0]
        if quality - best.quality >= settings.font_override_gain and quality >= settings.line_min_quality:
            best = _Choice(other, alternative, quality)
    return best


def _repair_by_statistics(text: str, page_encoding: str | None, settings: LegacySettings) -> _Choice:
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
    if counted < settings.line_min_tokens or before > 1 - settings.line_min_gain:
        return _Choice(None, text, before)
    choice = _best_conversion(text, CANDIDATES)
    if choice.quality - before >= settings.line_min_gain and choice.quality >= settings.line_min_quality:
        return choice
    return _Choice(None, text, before)


def _repair_line(line: Line, page_encoding: str | None, settings: LegacySettings) -> str | None:
    font = font_encoding(line.font)
    if font:
        choice = _repair_by_font(line.text, font, settings)
    else:
        choice = _repair_by_statistics(line.text, page_encoding, settings)
    if choice.encoding is not None:
        line.text = choice.text
    return choice.encoding


def _repair_cell(cell: Cell, page_encoding: str | None, settings: LegacySettings) -> str | None:
    parts = [_repair_by_statistics(part, page_encoding, settings) for part in cell.text.split("\n")]
    cell.text = "\n".join(part.text for part in parts)
    encodings = [part.encoding for part in parts if part.encoding]
    return encodings[0] if encodings else None


def _convert_mixed_line(line: Line, settings: LegacySettings) -> tuple[str, str] | None:
    """Convert a line whose runs mix legacy fonts, run by run; the line then carries no font
    (nothing is left for its font to say). Returns (its text as read, the main encoding)."""
    if len({run.font for run in line.runs}) < 2:
        return None
    original = line.text
    converted = convert_runs([(original[run.start : run.end], run.font) for run in line.runs], settings)
    if converted is None:
        return None
    parts, encoding = converted
    line.text, line.font, line.read_text = "".join(parts), None, original
    line.runs = _respan(line.runs, [len(part) for part in parts])
    return original, encoding


def _respan(runs: list[Run], lengths: list[int]) -> list[Run]:
    """The runs moved onto the converted text, whose runs are ``lengths`` long."""
    spans: list[Run] = []
    start = 0
    for run, length in zip(runs, lengths, strict=True):
        spans.append(Run(start, start + length, run.font, run.bold))
        start += length
    return spans


def _respan_converted(line: Line, original: str, encoding: str) -> None:
    """Keep the runs of a line converted whole on its converted text: each run converted alone
    must come to the same text, else the runs are dropped (they would point amiss)."""
    if not line.runs:
        return
    font = font_encoding(line.font)
    capitals = font.capitals if font is not None else False
    parts = [convert_text(original[run.start : run.end], encoding, capitals) for run in line.runs]
    line.runs = _respan(line.runs, [len(part) for part in parts]) if "".join(parts) == line.text else []


def _cell_parts_converted(cell: Cell, converted: dict[str, str]) -> None:
    """A cell's lines that were converted run by run, converted in the cell's text too."""
    if converted:
        cell.text = "\n".join(converted.get(part, part) for part in cell.text.split("\n"))


def repair_page(page: Page, settings: LegacySettings = DEFAULTS) -> Counter[str]:
    """Convert the page's legacy lines and cells in place; count conversions by encoding."""
    converted: Counter[str] = Counter()
    tcvn3_lines: list[tuple[Line, str]] = []
    # Lines of mixed legacy fonts first: the page's statistics then read them as Unicode.
    mixed_cells: dict[tuple[int | None, str], str] = {}
    for line in page.lines:
        if mixed := _convert_mixed_line(line, settings):
            converted[mixed[1]] += 1
            if line.block == "table":
                mixed_cells[(line.table_index, mixed[0])] = line.text
    for index, table in enumerate(page.tables):
        in_table = {original: text for (at, original), text in mixed_cells.items() if at == index}
        for row in table.rows:
            for cell in row:
                _cell_parts_converted(cell, in_table)
    page_encoding = detect_page_encoding(page, settings)
    for line in page.lines:
        original = line.text
        if encoding := _repair_line(line, page_encoding, settings):
            line.read_text = line.read_text or original
            _respan_converted(line, original, encoding)
            converted[encoding] += 1
            if encoding == TCVN3:
                tcvn3_lines.append((line, original))
    for table in page.tables:
        for row in table.rows:
            for cell in row:
                if encoding := _repair_cell(cell, page_encoding, settings):
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


@component("repair.legacy", assigns=("text.unicode",), settings=LegacySettings)
def repair_legacy(ctx: Context) -> None:
    settings = ctx.settings(LegacySettings)
    total: Counter[str] = Counter()
    for page in ctx.doc.pages:
        total.update(repair_page(page, settings))
    if total:
        summary = ", ".join(f"{count} {encoding.upper()}" for encoding, count in total.most_common())
        ctx.doc.warn("encoding.converted", f"legacy text converted to Unicode: {summary} lines/cells")
