"""Cut a document into the zones of Decree 30/2020/NĐ-CP (Appendix I).

Zones are lists of (page index, line index). Where a line sits left or right is read
from PDF positions, from the column of a DOCX/DOC header table, or, for plain text,
from line patterns (the motto and the place-and-date line belong to the right block).
"""

from __future__ import annotations

import re
import statistics
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extract

from pipeline.data import load_data
from pipeline.layout.plain import plain_zones
from pipeline.model import Document, Line, Page
from pipeline.nlp.header_lines import (
    addressee_label,
    is_motto_line,
    is_received_stamp_line,
    motto_start,
    number_label,
    opens_with_addressee_label,
    opens_with_arrival,
    opens_with_recipients_label,
    summary_opener,
    typed_date_line,
)
from pipeline.nlp.numbering import title_types
from pipeline.nlp.text import ascii_key, is_upper_text, squash, without_leading_debris
from pipeline.nlp.vocabulary import authority_head, is_enacting_authority, printed_authority
from pipeline.registry import Context, component, current_settings
from pipeline.repair.ocr_noise import without_lead_specks

Side = Literal["left", "right", "full"]
Ref = tuple[int, int]


@dataclass(frozen=True)
class ZoneSettings:
    """layout.zones' measures (lines, characters, points, edits)."""

    # A header never runs longer than this many lines before its title.
    header_max_lines: int = 40
    # Summaries are short: a few lines under the type name.
    summary_max_lines: int = 6
    # A document without a header block (a dossier, an annex filed alone) may show its title
    # this far in, after a table of contents.
    title_search_lines: int = 200
    # OCR can garble a title past its marks and case ("À mônG TƯ" for THÔNG TƯ). On an OCR'd
    # page a short line whose bare letters are at most this many edits from one type name,
    # and nearer to it than to any other ("THÔNG BÁO" and "THÔNG CÁO" are one edit apart), is
    # taken for that title. Names shorter than garbled_min_letters ("DỰ ÁN") are never guessed.
    garbled_edits: int = 2
    garbled_min_letters: int = 6
    garbled_max_words: int = 4
    # The motto's first words ("CỘNG HÒA XÃ HỘI"), enough to find where it starts.
    motto_words: int = 4
    # The text block's left edge on a scan is where its long lines (this many characters)
    # start (the median, so indented first lines and stamps do not move it much); a line that
    # starts this many points further left is in the margin, no part of it.
    margin_slack: float = 40.0
    margin_line_chars: int = 30
    # A gap this many times the summary's own line spacing ends the summary.
    summary_gap: float = 1.6
    # The addressee block sits within this many lines of the header.
    addressee_window: int = 40
    # A left-hand line ending in ":" this short is the recipients label OCR garbled.
    garbled_label_chars: int = 20


def _settings() -> ZoneSettings:
    return current_settings(ZoneSettings)


SEPARATOR = re.compile(r"^[\s_\-–—=*.…]{3,}$")
# "Chương I", "PHẦN THỨ HAI", "Điều 1", "Mục 2": divisions of the content.
DIVISION_HEADING = re.compile(r"^\s*(?:chương|phần|điều|mục)\s+(?:thứ\s+\w+|[ivxlc]+\b|\d)", re.IGNORECASE)
ROMAN_HEADING = re.compile(r"^(?:[IVXL]+|[A-Đ])\s*[.)]\s*\S")


@lru_cache(maxsize=1)
def header_words() -> dict[str, list[str]]:
    data: dict[str, list[str]] = load_data("header_words")
    return data


OF_ISSUER = re.compile(r"\s+(?:CỦA|CUA)\s+")
BAN_PREFIX = re.compile(r"^BẢN\s+")


@lru_cache(maxsize=1)
def ascii_titles() -> dict[str, str]:
    """Diacritic-free title key ('chithi') -> type name, for titles misread by OCR."""
    return {ascii_key(name).replace(" ", ""): name for name in title_types().values()}


@dataclass
class FlatLine:
    ref: Ref
    line: Line
    page: Page
    side: Side


def title_type(line: Line) -> str | None:
    """The type name when ``line`` is a type title such as 'KẾ HOẠCH' or 'QUYẾT ĐỊNH'."""
    text = without_lead_specks(line)  # "cap lễ QUYẾT ĐỊNH": a seal's specks before it
    if text.endswith(":") or not is_upper_text(text):
        return None  # "QUYẾT ĐỊNH:" is the enacting formula before "Điều 1", not the title
    # Older documents name the issuer in the title: "QUYẾT ĐỊNH CỦA THỦ TƯỚNG CHÍNH PHỦ".
    text = OF_ISSUER.split(text, maxsplit=1)[0]
    if len(text) > 40:
        return None
    return _type_of_title(text) or _type_of_title(BAN_PREFIX.sub("", text))  # "BẢN QUY ĐỊNH"


def _type_of_title(text: str) -> str | None:
    # OCR misplaces tone marks ("CHÍ THỊ", "QUYÉT ĐỊNH"): fall back to the diacritic-free key,
    # which no two type names share.
    return title_types().get(squash(text)) or ascii_titles().get(ascii_key(text).replace(" ", ""))


def garbled_title_type(line: Line) -> str | None:
    """The type name an OCR-garbled title line stands for, else None."""
    text = line.text.strip()
    key = "".join(ch for ch in ascii_key(text) if ch.isalpha())
    if ascii_key(text).split()[-1:] == ["so"]:
        return None  # "Nghị định số" ending a line of grounds: a citation's type, not a title
    if (
        len(key) < _settings().garbled_min_letters
        or len(text.split()) > _settings().garbled_max_words
        or text.endswith(":")
    ):
        return None
    near = extract(
        key,
        ascii_titles().keys(),
        scorer=Levenshtein.distance,
        score_cutoff=_settings().garbled_edits,
        limit=2,
    )
    if not near or (len(near) == 2 and near[1][1] == near[0][1]):
        return None
    return ascii_titles()[near[0][0]]


def title_prefix_type(line: Line) -> tuple[str, int] | None:
    """(type, length of the type words) when a capitals line opens with a type name and goes on
    with its summary: "KẾ HOẠCH TỔNG THỂ PHÁT TRIỂN CNTT" in documents without a header."""
    whole = line.text.strip()
    text = LEAD_SPECKS.sub("", whole)  # "'GIẤY PHÉP KHAI THÁC ...": a scan's speck glued before it
    if not is_upper_text(text):
        return None
    words = text.split()
    for size in (3, 2):
        name = _type_of_title(" ".join(words[:size]))
        if name and len(words) > size:
            return name, len(whole) - len(text) + len(" ".join(words[:size]))
    return None


# Marks with no letter or digit before a line's first word.
LEAD_SPECKS = re.compile(r"^[^\w(]+")


# Table widths measured once per table: measuring for every line of a table read the whole
# table again each time (a 3,000-row HTML table: 90 s). Keyed by the table's id, checked by
# identity (a weak reference: no table is kept alive) and row count, so a table replaced or
# grown since is measured again.
_WIDTHS: dict[int, tuple[weakref.ref[object], int, int]] = {}


def _table_width(page: Page, index: int) -> int:
    """The widest row of the page's table ``index`` in grid columns (colspans counted)."""
    table = page.tables[index]
    cached = _WIDTHS.get(id(table))
    if cached is not None and cached[0]() is table and cached[1] == len(table.rows):
        return cached[2]
    width = max((sum(cell.colspan for cell in row) for row in table.rows), default=0)
    if len(_WIDTHS) >= 256:  # tables of earlier documents
        _WIDTHS.clear()
    _WIDTHS[id(table)] = (weakref.ref(table), len(table.rows), width)
    return width


def line_side(line: Line, page: Page) -> Side:
    """Left or right block, from a header table's column or from x positions."""
    if line.block == "table" and line.column is not None and line.table_index is not None:
        if line.table_index < len(page.tables) and _table_width(page, line.table_index) == 2:
            return "left" if line.column == 0 else "right"
        return "full"
    if line.x0 is not None and line.x1 is not None and page.width:
        middle = page.width / 2
        if line.x1 <= middle + page.width * 0.06 and line.x0 < page.width * 0.3:
            return "left"
        if line.x0 >= middle - page.width * 0.08:
            return "right"
    return "full"


def opens_with_title(line: Line) -> bool:
    """A capitals line opening with a type name and its summary, not a citation of another
    document in a summary's second line ("CHỈ THỊ SỐ 32/CT-TTG NGÀY ...")."""
    found = title_prefix_type(line)
    if found is None:
        return False
    rest = ascii_key(line.text.strip()[found[1] :])
    return not re.match(r"(?:so\b|\d)", rest)


def flatten(doc: Document) -> list[FlatLine]:
    return [
        FlatLine((p, i), line, page, line_side(line, page))
        for p, page in enumerate(doc.pages)
        for i, line in enumerate(page.lines)
        if line.text.strip()
    ]


def find_title(lines: list[FlatLine]) -> int | None:
    """Index of the type title line near the top, if the document has one."""
    found = _first_title(lines, lambda flat: title_type(flat.line))
    if found is None:
        found = _first_title(lines, lambda flat: flat.page.origin == "ocr" and garbled_title_type(flat.line))
    return found


def _first_title(lines: list[FlatLine], is_title: Callable[[FlatLine], object]) -> int | None:
    for index, flat in enumerate(lines[: _settings().header_max_lines]):
        if flat.side == "left" and index < 6:
            continue  # the issuer block may contain type words ("BAN CHỈ ĐẠO")
        if is_title(flat):
            return index
    return None


def has_header_block(lines: list[FlatLine]) -> bool:
    """A Decree 30 header: the national motto or a 'Số:' line near the top."""
    return any(
        is_motto_line(f.line.text) or number_label().match(f.line.text)
        for f in lines[: _settings().header_max_lines]
    )


def find_headless_title(lines: list[FlatLine]) -> int | None:
    """In a document without a header, the first capitals line that opens with a type name."""
    return next(
        (i for i, f in enumerate(lines[: _settings().title_search_lines]) if title_prefix_type(f.line)), None
    )


RULE_REMNANTS = " _-–—=.…*"


def starts_body(text: str) -> bool:
    """Opens with a body formula ("Căn cứ", "Thực hiện", "Nhằm" ...). Multi-word openers are
    matched without diacritics (OCR-tolerant); a one-word opener needs its exact letters,
    since "nhằm" and "Nhâm", "để" and "đề" fold alike."""
    text = text.lstrip(RULE_REMNANTS)  # the rule under a summary glued to the line by OCR
    key, lower = ascii_key(text), text.strip().lower()
    for word in header_words()["body_starts"]:
        if " " in word and key.startswith(ascii_key(word)):
            return True
        if " " not in word and re.match(rf"{re.escape(word)}\b", lower):
            return True
    return False


def _addressed(text: str) -> bool:
    """The line opens with the addressees' label ("Kính gửi")."""
    return opens_with_addressee_label(text)


def find_header_end(lines: list[FlatLine], title: int | None) -> int:
    """First index after the header blocks (the title, or the first body line of a letter)."""
    if title is not None:
        return title
    for index, flat in enumerate(lines[: _settings().header_max_lines]):
        text = flat.line.text
        if _addressed(text) or (starts_body(text) and index > 2):
            return index
        if flat.side == "full" and len(text) > 90 and not is_upper_text(text):
            return index
    return min(len(lines), 12)


def assign_header_sides(lines: list[FlatLine]) -> None:
    """Plain text has no geometry: the motto and the dated place line are the right block."""
    if any(flat.side != "full" for flat in lines):
        return
    for flat in lines:
        text = flat.line.text
        flat.side = (
            "right" if is_motto_line(text) or (typed_date_line().search(text) and "," in text) else "left"
        )


def _after_specks(lines: list[FlatLine], start: int) -> int:
    """``start`` moved past blank lines (specks, as repair.ocr_noise marked them), which would
    make the summary's first line gap, and on a scan past letterless ones too (the title's
    underline read as "À _ +*A"): a summary opens with a word ("V/v" alone is kept)."""
    while start < len(lines) - 1 and (lines[start].line.marks.blank or _letterless_on_a_scan(lines[start])):
        start += 1
    return start


def _letterless_on_a_scan(flat: FlatLine) -> bool:
    return flat.page.origin == "ocr" and flat.line.marks.letterless and "/" not in flat.line.text


# Scans carry stamps in the left margin beside the title (the received stamp of a gazette
# office: "TRUNG TÂM CÔNG BÁO & TIN HỌC"): see ZoneSettings.margin_slack.


def in_margin(flat: FlatLine) -> bool:
    """A line of an OCR'd page that starts in the left margin, left of the text block."""
    page = flat.page
    if page.origin != "ocr" or flat.line.x0 is None:
        return False
    edges = [
        line.x0
        for line in page.lines
        if line is not flat.line and line.x0 is not None and len(line.text) >= _settings().margin_line_chars
    ]
    return len(edges) >= 5 and flat.line.x0 < statistics.median(edges) - _settings().margin_slack


def find_summary_end(lines: list[FlatLine], start: int) -> int:
    """Summary lines follow the title until a separator, a body start or a style change."""
    end = start
    first = lines[start] if start < len(lines) else None
    spacings: list[float] = []
    while end < len(lines) and end - start < _settings().summary_max_lines:
        flat = lines[end]
        text = flat.line.text
        if SEPARATOR.match(text):
            break
        if end > start and in_margin(flat):
            end += 1  # a stamp beside the summary interrupts nothing
            continue
        spacing = _spacing(lines[end - 1], flat) if end > 0 else None
        if (
            end > start + 1  # the first spacing is the title's: a stamp over the line can skew it
            and spacing is not None
            and spacings
            and spacing > _settings().summary_gap * sorted(spacings)[len(spacings) // 2]
        ):
            break  # the blank (or the rule) between the summary and the body
        if end > start and _blank_line_before(lines[end - 1], flat):
            break  # a one-line summary has no spacing of its own to compare: a blank line ends it
        if spacing is not None:
            spacings.append(spacing)
        if ROMAN_HEADING.match(text) or DIVISION_HEADING.match(text):
            break
        if (
            starts_body(text)
            and text.lstrip(RULE_REMNANTS)[:1].isupper()  # "thực hiện ..." in lower case wraps the summary
            and not summary_opener().match(text)
            and (end > start or not looks_like_title(flat) or opens_a_paragraph(lines, end))
        ):
            break
        core = without_lead_specks(flat.line) if flat.page.origin == "ocr" else text
        if end > start and is_upper_text(core) and not is_upper_text(lines[end - 1].line.text):
            break  # an authority line ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH") after the summary
        if end > start and is_enacting_authority(core.upper()) and _body_follows(lines, end + 1):
            break  # the same after a summary in capitals ("GIẤY PHÉP ... NƯỚC MẶT")
        if (
            end > start
            and flat.page.origin == "ocr"
            and _authority_after_debris(core)
            and _body_follows(lines, end + 1)
        ):
            break  # the same behind a stamp's debris read on its line ("hệ ng Kì, THỦ TƯỚNG CHÍNH PHỦ")
        if end > start and first is not None and first.line.bold and flat.line.bold is False:
            break
        if end > start and first is not None and first.line.bold is None and flat.line.bold:
            break  # Markdown: a summary without emphasis, then the bold authority line
        if end > start and first is not None and first.line.italic is False and flat.line.italic:
            break
        end += 1
    return end


# Words of debris a stamp leaves before a line, looked at up to this many.
DEBRIS_WORDS_BEFORE = 3


def _authority_after_debris(text: str) -> bool:
    """An OCR line whose first words are not in capitals and whose rest, in capitals, names an
    enacting authority."""
    words = text.split()
    for at in range(1, min(DEBRIS_WORDS_BEFORE, len(words) - 1) + 1):
        rest = " ".join(words[at:])
        if not is_upper_text(" ".join(words[:at])) and is_upper_text(rest) and is_enacting_authority(rest):
            return True
    return False


def _body_follows(lines: list[FlatLine], index: int) -> bool:
    """The line at ``index`` opens the body: a "Căn cứ" line, or the enacting formula."""
    while index < len(lines) and in_margin(lines[index]):
        index += 1
    if index >= len(lines):
        return True
    text = lines[index].line.text
    return starts_body(text) or ENACTING_FORMULA.match(text) is not None


# "QUYẾT ĐỊNH:", "CHỈ THỊ:": the formula before the articles.
ENACTING_FORMULA = re.compile(r"^\s*[A-ZĐÀ-Ỹ ]{4,20}:\s*$")


def _blank_line_before(previous: FlatLine, flat: FlatLine) -> bool:
    """A gap between two lines of one page at least as tall as the line above: a blank line
    (the rule under a summary, which a scan does not read, leaves one too)."""
    above, line = previous.line, flat.line
    if previous.ref[0] != flat.ref[0] or None in (above.top, above.bottom, line.top):
        return False
    height = above.bottom - above.top  # type: ignore[operator]
    return height > 0 and line.top - above.bottom >= height  # type: ignore[operator]


def _spacing(previous: FlatLine, flat: FlatLine) -> float | None:
    """Distance between the tops of two consecutive lines of the same page, if known."""
    if previous.ref[0] != flat.ref[0] or previous.line.top is None or flat.line.top is None:
        return None
    distance = flat.line.top - previous.line.top
    return distance if distance > 0 else None


# A paragraph's first line is indented at least this much (points) past the next line's start.
PARAGRAPH_INDENT = 12.0
# Justified lines end this close (points) to each other.
JUSTIFIED_SLACK = 6.0


def opens_a_paragraph(lines: list[FlatLine], at: int) -> bool:
    """Line ``at`` is placed as a justified paragraph's first: indented, and the next line of
    the page starts further left at the margin and ends where it ends. Its centre then lies
    near the page's, yet it is no centred trích yếu (whose lines share their centre, not
    their right edge)."""
    if at + 1 >= len(lines) or lines[at + 1].ref[0] != lines[at].ref[0]:
        return False
    line, after = lines[at].line, lines[at + 1].line
    if None in (line.x0, line.x1, after.x0, after.x1):
        return False
    return line.x0 - after.x0 >= PARAGRAPH_INDENT and abs(line.x1 - after.x1) <= JUSTIFIED_SLACK  # type: ignore[operator]


def looks_like_title(flat: FlatLine) -> bool:
    """A trích yếu line rather than a body paragraph: bold or centred, or short without
    trailing punctuation when the format tells neither ("Triển khai thực hiện Chương trình ...")."""
    line, page = flat.line, flat.page
    if line.bold is not None:
        return line.bold
    if line.x0 is not None and line.x1 is not None and page.width:
        return abs((line.x0 + line.x1) / 2 - page.width / 2) < page.width * 0.08
    text = line.text.rstrip()
    # A capitals trích yếu joined into one paragraph (Markdown, HTML) runs longer than prose lines.
    return (len(text) < 160 or is_upper_text(text)) and not text.endswith((",", ":", ";"))


BULLETS = ("-", "–", "+", "•", "*")


def find_addressees(lines: list[FlatLine], start: int) -> tuple[int, int] | None:
    """(first, end) of the 'Kính gửi' block: its label line, bullets and wrapped lines."""
    for label in range(start, min(len(lines), start + _settings().addressee_window)):
        if not addressee_label().match(lines[label].line.text):
            continue
        end = label + 1
        entry = lines[label] if addressee_label().sub("", lines[label].line.text).strip() else None
        while end < len(lines):
            flat = lines[end]
            text = flat.line.text.strip()
            if text.startswith(BULLETS) and not starts_body(text.lstrip("-–+•* ")):
                entry = flat
            elif (
                entry is None
                or entry.line.text.rstrip().endswith((";", ".", ":"))
                or not _continues(flat, entry)
            ):
                break
            end += 1
        return label, end
    return None


def _continues(flat: FlatLine, entry: FlatLine) -> bool:
    """A wrapped entry line: starts in lower case, or hangs indented under its entry."""
    text = flat.line.text.strip()
    if not text or starts_body(text):
        return False
    if text[0].islower() or text[0].isdigit():
        return True
    line, first = flat.line, entry.line
    return line.x0 is not None and first.x0 is not None and line.x0 > first.x0 + 3


def find_recipients_label(lines: list[FlatLine], start: int) -> int | None:
    for index in range(start, len(lines)):
        if opens_with_recipients_label(lines[index].line.text):
            return index
    return None


# The printed authority prefix, for the extract stage's closing (nlp.vocabulary defines it).
AUTHORITY = printed_authority()


def find_signature_anchor(lines: list[FlatLine], start: int) -> int | None:
    """Where the signature block begins when there is no 'Nơi nhận' to anchor it."""
    for index in range(start, len(lines)):
        text = lines[index].line.text
        if lines[index].page.origin == "ocr":
            text = without_leading_debris(text)  # "_KT.GIÁM ĐÓC": a seal's stroke before the prefix
        if authority_head(text) is not None:
            return index
    return None


def same_table(a: FlatLine, b: FlatLine) -> bool:
    return (
        a.line.block == "table"
        and b.line.block == "table"
        and a.ref[0] == b.ref[0]
        and a.line.table_index == b.line.table_index
    )


def same_row(a: FlatLine, b: FlatLine) -> bool:
    return same_table(a, b) and a.line.row == b.line.row


# The closing block (recipients and signature) holds at most this many lines.
CLOSING_LINES = 60


def closing_zones(lines: list[FlatLine], body_start: int) -> tuple[list[int], list[int], int, int]:
    """Signature lines, recipient lines, where the body ends and where annexes begin."""
    label = find_recipients_label(lines, body_start)
    anchor = label if label is not None else find_signature_anchor(lines, body_start)
    if anchor is None:
        return [], [], len(lines), len(lines)
    # The signature may begin a few lines above the label (reading order of two columns).
    body_end = anchor
    while body_end > body_start and _is_signature_line(lines[body_end - 1], lines[anchor]):
        body_end -= 1
    recipients: list[int] = []
    signature: list[int] = []
    index = body_end
    kept = 0
    while index < len(lines) and kept < CLOSING_LINES:
        flat = lines[index]
        # A scan's seal and signature read as many specks: only lines with words count.
        kept += not (flat.page.origin == "ocr" and (flat.line.marks.blank or flat.line.marks.letterless))
        if index > anchor + 2 and _leaves_closing(flat, lines[anchor]):
            break
        if is_motto_line(flat.line.text):
            break  # an attached document begins with its own header
        if flat.ref[0] != lines[index - 1].ref[0] and _closing_complete(lines, signature, recipients):
            break
        in_list = (
            _is_recipient_side(flat, lines[label]) and index >= label
            if label is not None
            else _is_unlabelled_recipient(flat, lines[recipients[-1]] if recipients else None)
        )
        if in_list:
            recipients.append(index)
        elif not (label is None and _is_garbled_label(flat)):
            signature.append(index)
        index += 1
    return signature, recipients, body_end, index


def _is_unlabelled_recipient(flat: FlatLine, previous: FlatLine | None) -> bool:
    """A bulleted entry of the left column when OCR garbled the "Nơi nhận:" label away, or the
    left column's line that goes on with an entry not yet closed by ";" or "." ("- Các cơ
    quan chuyên môn thuộc UBND" / "tỉnh;"): the column is known from the line's position, not
    its words."""
    if flat.side != "left":
        return False
    if flat.line.text.lstrip().startswith(BULLETS):
        return True
    return previous is not None and previous.ref[0] == flat.ref[0] and open_bullet(previous.line.text)


def open_bullet(text: str) -> bool:
    """A bulleted entry not yet closed by ';' or '.': the next plain line wraps it. In a list
    without bullets ("Như điều 2" / "Sở TC, KBNN") every line is an entry of its own."""
    return text.lstrip().startswith(BULLETS) and not text.rstrip().endswith((";", "."))


def _is_garbled_label(flat: FlatLine) -> bool:
    """The left column's short line ending with a colon: the label OCR could not read."""
    text = flat.line.text.strip()
    return flat.side == "left" and text.endswith(":") and len(text) <= _settings().garbled_label_chars


def _closing_complete(lines: list[FlatLine], signature: list[int], recipients: list[int]) -> bool:
    """At a page break: the block is done once the archive entry ('Lưu') and a name were seen."""
    filed = any(ascii_key(lines[i].line.text).lstrip("-+ ").startswith("luu") for i in recipients)
    named = any(NAME_SHAPE.match(lines[i].line.text.strip()) for i in signature)
    return filed or named


# A printed personal name, for deciding where the closing block ends.
NAME_SHAPE = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+\s){1,5}[A-ZĐÀ-Ỹ][a-zà-ỹđ]+$")


def _is_signature_line(flat: FlatLine, anchor: FlatLine) -> bool:
    text = flat.line.text
    if authority_head(text) is not None:
        return True
    if flat.side == "right" and flat.ref[0] == anchor.ref[0] and is_upper_text(text) and len(text) < 60:
        return True
    if same_table(flat, anchor) and flat.line.column != anchor.line.column and is_upper_text(text):
        return True  # the title in another column of the closing table
    return same_row(flat, anchor) and flat.side == "right"


def _is_recipient_side(flat: FlatLine, label: FlatLine) -> bool:
    if label.line.block == "table" and flat.line.block == "table":
        return flat.line.column == label.line.column
    if flat.side == "right":
        return False
    if flat.side == "left":
        return True
    # No column to tell: what does not look like a signature line is a recipient entry.
    text = flat.line.text.strip()
    if text.startswith(("-", "+", "•")) or ascii_key(text).startswith("luu"):
        return True
    signature_like = authority_head(text) is not None or is_upper_text(text) or NAME_SHAPE.match(text)
    return not (signature_like or text.startswith("("))


ANNEX_HEADINGS = (
    "phu luc",
    "quy dinh",
    "quy che",
    "ke hoach",
    "huong dan",
    "danh muc",
    "danh sach",
    "bieu mau",
)
# "1 Trong đó, UBND tỉnh giao ...": a footnote at the foot of the signature page, from its left
# margin; its number is followed by words ("7 \\" is a seal's strokes read beside the signature).
FOOTNOTE = re.compile(r"^\d{1,2}\s+[^\W\d_]{2,}")


def _leaves_closing(flat: FlatLine, anchor: FlatLine) -> bool:
    """The closing block ends at an annex heading or a new full-width paragraph."""
    text = flat.line.text
    key = ascii_key(text)
    if key.startswith(ANNEX_HEADINGS) and is_upper_text(text):
        return True
    if FOOTNOTE.match(text) and (flat.line.size or 0) < (anchor.line.size or 1) and flat.side != "right":
        return True  # in the signature column, "5 SUÀ :" is a seal's strokes read as a number
    if anchor.line.block == "table" and flat.line.block != "table":
        return flat.ref[0] != anchor.ref[0] or len(text) > 80
    if anchor.line.block == "table" and flat.line.table_index != anchor.line.table_index:
        return True
    if flat.ref[0] > anchor.ref[0] + 1:
        return True
    return flat.side == "full" and len(text) > 100 and not text.lstrip().startswith(("-", "+"))


def above_the_motto(header: list[FlatLine]) -> set[Ref]:
    """Lines of a scan's first page that end above the national motto's top. The issuer block
    and the motto open level with each other (Decree 30), so what stands higher in the left
    column is an office's received stamp ("VP.UBND TỈNH ..." / "ĐẾN Số: ... Ngày: ...") or a
    speck, never the issuer's first line."""
    motto = next(
        (
            f
            for f in header
            if f.page.origin == "ocr" and motto_start(_settings().motto_words).match(f.line.text.strip())
        ),
        None,
    )  # its first line ("CỘNG HÒA XÃ HỘI ..."), not "Độc lập - Tự do - Hạnh phúc" under it
    if motto is None or motto.line.top is None:
        return set()
    return {
        f.ref
        for f in header
        if f.ref[0] == motto.ref[0] and f.line.bottom is not None and f.line.bottom < motto.line.top
    }


# The office's name stands over a received stamp's "ĐẾN" by at most this many of its lines.
STAMP_TITLE_GAP = 1.6
# A line lies inside the stamp's box when it overhangs the box's print by at most this (points).
STAMP_BOX_SLACK = 6.0


def received_stamp(header: list[FlatLine]) -> set[Ref]:
    """Lines of a scan's header that are an office's received stamp, printed in the same black
    as the page on a black-and-white or grey scan: its "ĐẾN" line and its labels ("Ngày:",
    "Chuyển:"), and the office's name right above its "ĐẾN" inside the box they span. They are
    no part of the issuer, the number or the date ("VĂN PHÒNG UBND TỈNH" / "ĐẾN Số: ...")."""
    scanned = [f for f in header if f.page.origin == "ocr"]
    stamp = [f for f in scanned if is_received_stamp_line(f.line.text)]
    if not stamp:
        return set()
    refs = {f.ref for f in stamp}
    for arrival in (f for f in stamp if opens_with_arrival(f.line.text)):
        box = [f.line for f in stamp if f.ref[0] == arrival.ref[0] and f.line.x0 is not None]
        left = min(line.x0 or 0.0 for line in box) - STAMP_BOX_SLACK
        right = max(line.x1 or 0.0 for line in box) + STAMP_BOX_SLACK
        title = _line_above(scanned, arrival)
        if title is not None and left <= (title.line.x0 or 0.0) and (title.line.x1 or 0.0) <= right:
            refs.add(title.ref)
    return refs


def _line_above(lines: list[FlatLine], below: FlatLine) -> FlatLine | None:
    """The nearest line of ``lines`` over ``below`` on its page, overlapping it across, within
    ``STAMP_TITLE_GAP`` of its heights."""
    line = below.line
    if line.top is None or line.bottom is None or line.x0 is None or line.x1 is None:
        return None
    reach = STAMP_TITLE_GAP * (line.bottom - line.top)
    above = [
        f
        for f in lines
        if f.ref[0] == below.ref[0]
        and f.line.bottom is not None
        and f.line.top is not None
        and line.top - reach <= f.line.top < line.top
        and (f.line.x0 or 0.0) < line.x1
        and (f.line.x1 or 0.0) > line.x0
    ]
    return max(above, key=lambda f: f.line.top or 0.0, default=None)


def cut_zones(doc: Document) -> dict[str, list[Ref]]:
    lines = flatten(doc)
    if not lines:
        return {}
    title = find_title(lines)
    headed = has_header_block(lines)
    inline_title = headless = False
    if title is None and headed:
        # A title printed on one line with its summary ("GIẤY PHÉP KHAI THÁC, SỬ DỤNG NƯỚC MẶT").
        title = _first_title(lines, lambda flat: opens_with_title(flat.line))
        inline_title = title is not None
    if title is None and not headed:
        title = find_headless_title(lines)
        inline_title = headless = title is not None
    header_end = find_header_end(lines, title) if headed else 0
    header = lines[:header_end]
    assign_header_sides(header)
    received = received_stamp(header)
    stamped = above_the_motto(header) | received
    zones: dict[str, list[Ref]] = {
        "header_left": [
            f.ref
            for f in header
            if f.side == "left" and not is_motto_line(f.line.text) and f.ref not in stamped
        ],
        "header_right": [
            f.ref
            for f in header
            if f.side != "left" and not is_motto_line(f.line.text) and f.ref not in received
        ],
    }
    body_start = header_end
    if title is not None:
        summary_start = title if inline_title else _after_specks(lines, title + 1)
        summary_end = find_summary_end(lines, summary_start)
        zones["title"] = [lines[title].ref]
        # A headless title line goes on with its summary ("KẾ HOẠCH TỔNG THỂ ...").
        first = title if inline_title else summary_start
        zones["summary"] = [
            f.ref for f in lines[first:summary_end] if not SEPARATOR.match(f.line.text) and not in_margin(f)
        ]
        # A headless dossier's title stands inside its content ("PHẦN THỨ NHẤT:" / "KẾ HOẠCH
        # TỔNG THỂ ..."): the body keeps it; a Decree 30 document's body follows its summary.
        body_start = 0 if headless else summary_end
    addressees = find_addressees(lines, max(0, body_start - 2))
    if addressees is not None:
        zones["addressees"] = [f.ref for f in lines[addressees[0] : addressees[1]]]
        body_start = max(body_start, addressees[1])
    signature, recipients, body_end, annex_start = closing_zones(lines, body_start)
    zones["body"] = [f.ref for f in lines[body_start:body_end]]
    zones["signature"] = [lines[i].ref for i in signature]
    zones["recipients"] = [lines[i].ref for i in recipients]
    zones["annex"] = [f.ref for f in lines[annex_start:]]
    return zones


@component(
    "layout.zones",
    requires=("text.repaired", "text.noise", "text.header_lines"),
    assigns=("zones",),
    settings=ZoneSettings,
)
def layout_zones(ctx: Context) -> None:
    zones = cut_zones(ctx.doc)
    if not zones.get("body"):
        zones.update(plain_zones(ctx.doc))  # no Decree 30 body: the plain cut by titles and "Nơi nhận"
    ctx.zones = zones
