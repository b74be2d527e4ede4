"""Second reading of a scan's signature column.

Tesseract's page layout analysis often takes the signature column of a scan (the signer's
title, the seal over it, the handwritten signature, the printed name) for a picture: it
returns nothing from it, or only specks and a garbled name, while the recipients' list
beside it reads well. When the page that holds the "Nơi nhận" label has no title line or
no name in the column to the right of that list, the column is cut out of a 400 dpi
rendering and read again as one block of text (psm 6). Its confident lines replace what
the page reading had there only when they hold more of the signature (a title, a name)
than it did; the change is reported in an ``ocr.signature_reread`` warning.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from pathlib import Path

from pipeline import progress
from pipeline.model import Document, Line, Page
from pipeline.nlp.bodies import province_names
from pipeline.nlp.glued import unglue
from pipeline.nlp.header_lines import opens_with_recipients_label
from pipeline.nlp.names import (
    attested_given_names,
    given_names_at_end,
    name_among,
    names_in_text,
    snap_surname,
    surname_from_its_end,
    well_formed_name,
)
from pipeline.nlp.text import ascii_key, is_upper_text, without_leading_debris
from pipeline.nlp.vocabulary import (
    authority_from_letters,
    authority_head,
    deputy_title,
    signing_for,
    stopless_prefixes,
    titles,
)
from pipeline.registry import Context, component
from pipeline.repair.ocr import image_boxes, read_box, words_to_lines
from pipeline.repair.render import has_seal_rings
from pipeline.repair.tesseract import IMAGE_SUFFIX, LANGUAGE, OcrUnavailable, tesseract_problem

DPI = 400
# One uniform block: the column holds only the title, the seal, the signature and the name.
BLOCK_MODE = 6
# Words Tesseract is less sure of than this are the seal's and the signature's strokes.
MIN_WORD_CONFIDENCE = 45.0
# The label sits in the left column; the signature column starts right of the list, but
# never left of this share of the page width nor right of the second.
COLUMN_LEFT = (0.40, 0.52)
# The title may stand up to this many points above the label; the name this far below the
# list's last line.
ABOVE_LABEL = 40.0
BELOW_LIST = 60.0
# The column reaches at least this far below the label (a short list beside a tall seal).
MIN_DEPTH = 150.0
# Letters proper: a modifier letter ("ˆ") or a digit under the seal is no part of a title.
LETTERS = frozenset({"Lu", "Ll", "Lt", "Lo"})
# How far, in letter widths, a title's centre may lie from the name's and still be the whole
# title (a word lost under the seal shifts it by two letters or more).
CENTRE_TOLERANCE = 1.5


@dataclass(frozen=True)
class Column:
    """The signature column of one page, in PDF points."""

    left: float
    top: float
    right: float
    bottom: float

    def holds(self, line: Line) -> bool:
        return (
            line.x0 is not None
            and line.top is not None
            and line.x0 >= self.left - 8
            and self.top <= line.top <= self.bottom
        )


def _is_label(line: Line, width: float) -> bool:
    return line.x0 is not None and line.x0 < width * 0.4 and opens_with_recipients_label(line.text.strip())


def _unlabelled_list(lines: list[Line], width: float) -> Line | None:
    """Where the label of a recipients' list stands that OCR garbled past reading ("TT n,",
    "h Phe" under a seal's edge): the run of lines at the left margin that ends with the
    filing entry ("- Lưu: VT, ..."), each narrower than a body line and close below the one
    before, opens with the label as read, or one line below it when the run opens with an
    entry."""
    placed = [line for line in lines if None not in (line.x0, line.top, line.bottom)]
    margin = sorted((line for line in placed if (line.x0 or 0.0) < width * LIST_LEFT), key=_top)
    filing = next((at for at in range(len(margin) - 1, -1, -1) if _is_filing(margin[at].text)), None)
    if filing is None:
        return None
    first = margin[filing]
    for line in reversed(margin[:filing]):
        if (line.x1 or 0.0) > width * LIST_RIGHT or _top(first) - _top(line) > LIST_GAP * _height(first):
            break
        first = line
    if not first.text.lstrip().startswith(tuple(LIST_BULLETS)):
        return replace(first, text="")  # the garbled label itself, read at its place
    return replace(first, text="", top=_top(first) - _height(first), bottom=first.top)


def _height(line: Line) -> float:
    return (line.bottom or 0.0) - (line.top or 0.0)


def _top(line: Line) -> float:
    return line.top or 0.0


def _is_filing(text: str) -> bool:
    return ascii_key(text).lstrip("-+~_ ").startswith("luu")


# The list's entries start in this share of the page width and end before the second (a body
# line runs across the page); an entry starts at most this many line heights below the last.
LIST_LEFT, LIST_RIGHT = 0.3, 0.6
LIST_GAP = 2.5
LIST_BULLETS = "-–+•*~"


def signature_column(page: Page) -> Column | None:
    """Where the signature column of ``page`` lies, from its recipients' list; None when the
    page has no "Nơi nhận" label or no size."""
    width, height = page.width, page.height
    if not width or not height:
        return None
    labelled = next((line for line in page.lines if _is_label(line, width)), None)
    label = labelled or _unlabelled_list(page.lines, width)
    if label is None or label.top is None:
        return None
    listed = [
        line
        for line in page.lines
        if line.top is not None and line.top >= label.top and line.x0 is not None and line.x0 < width * 0.3
    ]
    list_right = max((line.x1 or 0.0) for line in listed)
    left = min(max(list_right + 4, width * COLUMN_LEFT[0]), width * COLUMN_LEFT[1])
    # Body lines run across the page above the label: the column starts below the last one.
    # They start left of the column; marks read inside it (a seal's rim as ">" or "S") do not.
    body_bottoms = [
        line.bottom
        for line in page.lines
        if line.top is not None and line.bottom is not None and line.x0 is not None
        if line.top < label.top - 4 and line.x0 < left and (line.x1 or 0) > left + 40
    ]
    top = max([label.top - ABOVE_LABEL, *[b + 1 for b in body_bottoms if b < label.top]])
    list_bottom = max((line.bottom or label.top) for line in listed)
    bottom = min(height - 4, max(list_bottom + BELOW_LIST, label.top + MIN_DEPTH))
    return Column(left=left, top=top, right=width - 4, bottom=bottom)


def _without_authority(text: str) -> tuple[str, bool]:
    """``text`` without its authority prefix ("KT. ", "TM. ", "KT, " as OCR reads the full
    stop), and whether it had one."""
    end = authority_head(text, ocr=True)
    if end is None:
        return text, False
    return text[end:].strip(" .,"), True


def _is_authority_line(text: str) -> bool:
    return _without_authority(text.strip())[1]


def _whole_titles(lines: list[Line]) -> list[Line]:
    """The lines that stand for one whole title of the list, without the marks a seal or a
    signature left before their first letter ("„PHO GIÁM ĐÓC"); authority lines are none."""
    bare = [replace(line, text=without_leading_debris(line.text)) for line in lines]
    return [line for line in bare if not _is_authority_line(line.text) and _is_clean_title(line.text)]


def _is_clean_title(text: str) -> bool:
    """A whole line that stands for one title of the closed list, in capitals."""
    rest = text.strip()
    return is_upper_text(rest) and titles().nearest(rest) is not None


def is_title_line(text: str) -> bool:
    rest, has_authority = _without_authority(text.strip())
    return has_authority or (is_upper_text(rest) and titles().snap_prefix(rest) is not None)


@cache
def _title_words() -> frozenset[str]:
    return frozenset(word for entry in titles().entries for word in ascii_key(entry).split() if len(word) > 2)


def _holds_title_words(text: str) -> bool:
    return any(word in _title_words() for word in ascii_key(text).split())


def is_name_line(text: str, *, min_words: int = 2) -> bool:
    words = [w.strip(".,;:_-–—'\"`") for w in text.split()]
    words = [w for w in words if w]
    return (
        min_words <= len(words) <= 5
        and all(w[:1].isupper() for w in words)
        and well_formed_name(" ".join(words))
        and not is_title_line(text)  # "PHÓ CHỦ TỊCH": Phó and Chu are family names too
        and ascii_key(" ".join(words)) not in province_names()  # "Hồ Chí Minh" is a city
    )


def _names_from_text(lines: list[Line], text: str) -> list[Line]:
    """The last line a seal garbled ("PhamfManh Cường") that stands for one name the document
    prints elsewhere ("PCN Phạm Mạnh Cường" among the recipients), in that spelling."""
    names = names_in_text(text)
    for line in reversed(lines):
        if (name := name_among(line.text, names)) is not None:
            return [replace(line, text=name)]
    return []


def _unsure_name(loose: list[Line]) -> list[Line]:
    """The last line of unsure words that reads as a whole name in small letters once the
    seal's specks before it are dropped and its family name is put back ("guyễn Ngọc Phúc",
    "“Đô Văn Chung"): three syllables or more, every given name a real syllable. Marked
    ``unsure``: repair.signer_name keeps it only when a reading of its line alone agrees."""
    for line in reversed(loose):
        read = without_leading_debris(line.text).strip()
        for name in (read, surname_from_its_end(read)):
            if name is None or is_upper_text(name):
                continue  # a name in capitals is too like a title's garbled letters
            name = snap_surname(name)
            if is_name_line(name, min_words=3) and attested_given_names(name):
                return [replace(line, text=name, unsure=True)]
    return []


def signature_score(lines: list[Line]) -> int:
    """How much of a signature ``lines`` hold: a title line and a name line count one each.
    An authority line is no title: "TM. ỦY BAN NHÂN DÂN" always has one below it, which the
    seal may have hidden with a "KT." line."""
    title = any(is_title_line(line.text) and not _is_authority_line(line.text) for line in lines)
    return int(title) + int(any(is_name_line(line.text) for line in lines))


def missing_parts(
    before: list[Line], after: list[Line], text: str = "", loose: list[Line] | None = None
) -> list[Line]:
    """The lines of the second reading that give what the page reading lacked: the authority
    lines, the title, the name. Precision first: the title only when the second reading has
    one title-like line besides the authority lines and it is a whole title of the list (a seal
    leaves fragments such as "TỊCH" that would make "PHÓ CHỦ TỊCH" into "CHỦ TỊCH"); the name
    only when it has three syllables or more, the first a family name (a seal hides the first
    syllables, leaving a given name that is not the signer's whole name), or when a garbled
    line stands for one name that ``text``, the document, prints elsewhere."""
    added: list[Line] = []
    if not any(_is_authority_line(line.text) for line in before):
        added += [line for line in after if _is_authority_line(line.text)] or [
            line for line in loose or [] if authority_from_letters(line.text) == line.text
        ]  # an unsure line whose letters are one authority line's ("KLGIÁMĐÓC")
    elif not any(signing_for(line.text) for line in before):
        # "TM. ỦY BAN NHÂN DÂN" read, the "KT. CHỦ TỊCH" below it lost under the seal
        added += [line for line in after if signing_for(line.text) is not None]
    has_title = any(is_title_line(line.text) and not _is_authority_line(line.text) for line in before)
    titled = [
        line
        for line in after
        if not _is_authority_line(line.text) and _holds_title_words(line.text) and not is_name_line(line.text)
    ]  # a name holds title words too ("Văn" of "Chánh Văn phòng")
    whole = _whole_titles(titled)
    if not has_title and len(titled) == 1 and whole:
        added += whole
    elif not has_title and not any(signing_for(line.text) for line in [*before, *added]):
        added += _deputy_block(titled)
    names_before = [line for line in before if is_name_line(line.text)]
    if not names_before:
        names = [line for line in after if is_name_line(line.text, min_words=3)][-1:]
        found = names or _names_from_text(after, text) or _unsure_name(loose or [])
        added += found or ([] if loose is None else _headless(after, before))  # a scan's reading
    name_lines = [*names_before, *[line for line in added if is_name_line(line.text)]]
    name = name_lines[-1] if name_lines else None
    if not has_title and name is not None and not any(line in added for line in titled):
        authority = [line for line in [*before, *added] if _is_authority_line(line.text)]
        centred = centred_title(loose or [], name, authority)
        added += [centred] if centred is not None else []
    return sorted(added, key=lambda line: line.top or 0.0)


def _headless(after: list[Line], before: list[Line]) -> list[Line]:
    """The last line of the second reading that ends with given names and no family name
    before them ("Việt Dũng"), when no line of the page reading ends so: no name for the
    record, but a line whose own readings may give back what the seal took
    (``repair.signer_name``). Not two given names that make a name themselves ("Lương Khôi"
    of "Mai Lương Khôi" would be taken for a name of two)."""
    if any(given_names_at_end(line.text) for line in before):
        return []
    return [
        line
        for line in after
        if (given := given_names_at_end(line.text)) and not well_formed_name(" ".join(given))
    ][-1:]


def _deputy_block(titled: list[Line]) -> list[Line]:
    """The "KT." block of a deputy whose prefix and first word the seal hid: a whole title
    with a deputy ("CHỦ TỊCH", the head's line without its "KT.") and, below it, a line that
    ends with that title's last word and is not that title ("BH HỦ TỊCH", "PHÓ CHẾ TỊCH",
    "TỊCH": the deputy's title, garbled). A block under "TM." has one title line, the head's,
    or these two. Gives the two lines as printed ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")."""
    for first, second in pairwise(titled):
        head = without_leading_debris(first.text).strip()
        found = titles().nearest(head) if _is_clean_title(head) else None
        deputy = deputy_title(found[0]) if found is not None else None
        if found is None or deputy is None:
            continue
        last = ascii_key(found[0]).split()[-1]
        below = ascii_key(without_leading_debris(second.text)).split()
        if below and below[-1] == last and titles().nearest(" ".join(below)) != found:
            return [replace(first, text=f"KT. {found[0].upper()}"), replace(second, text=deputy.upper())]
    return []


@dataclass(frozen=True)
class ColumnReading:
    """The column read again: its confident words as lines, and every word with a letter as
    lines (a title under the seal is read with little confidence, yet may still be placed)."""

    confident: list[Line]
    loose: list[Line]


def _read_column(
    pdf_path: str, page: Page, column: Column, languages: str, *, without_rings: bool = False
) -> ColumnReading:
    """The column read again as one block (in ``languages``), in page coordinates; with
    ``without_rings``, with a black seal's rings taken out."""
    box = column_box(page, column)
    with tempfile.TemporaryDirectory(prefix="vanban-sig-") as tmp:
        image = Path(tmp) / f"column.{IMAGE_SUFFIX}"
        size = (page.width, page.height)
        words = read_box(
            pdf_path,
            page.number - 1,
            box,
            DPI / 72,
            BLOCK_MODE,
            image,
            size,  # type: ignore[arg-type]
            print_only=True,
            without_rings=without_rings,
            languages=languages,
        )
    kept = [w for w in words if w.confidence >= MIN_WORD_CONFIDENCE and any(c.isalpha() for c in w.text)]
    lettered = [w for w in words if any(unicodedata.category(char) in LETTERS for char in w.text)]
    return ColumnReading(
        [_unglued(line) for line in words_to_lines(kept) if column.holds(line)],
        [_unglued(line) for line in words_to_lines(lettered) if column.holds(line)],
    )


def column_box(page: Page, column: Column) -> tuple[float, float, float, float]:
    """The column as a box in PDF points (left, bottom, right, top)."""
    return (column.left, page.height - column.bottom, column.right, page.height - column.top)  # type: ignore[operator]


def _unglued(line: Line) -> Line:
    """A title or authority line of the column whose words the block reading ran together (a
    black seal beside them makes Tesseract take their spaces for letter gaps): "KTCHỦTỊCH" ->
    "KT. CHỦ TỊCH", "_TM.ỦYBANNHÂNDÂN" -> "TM. ỦY BAN NHÂN DÂN"; the prefix's stop put back.
    A black seal also takes a letter ("KTGÁMĐÓC"): a line whose letters are one edit from
    one authority line's is that line (vocabulary.authority_from_letters). Lines that are not
    in capitals, or that nothing cuts, stay as read."""
    text = line.text.strip()
    if (authority := authority_from_letters(text)) is not None:
        return replace(line, text=authority)
    bare = text.strip("_-–—.,'`\" ")
    prefixed = GLUED_PREFIX.match(bare)
    if prefixed and prefixed["prefix"] in stopless_prefixes():
        unglued = f"{prefixed['prefix']}. {unglue(prefixed['rest'])}"
    else:
        unglued = unglue(bare)
        first, _, rest = unglued.partition(" ")
        if first in stopless_prefixes() and is_upper_text(rest):
            unglued = f"{first}. {rest}"
    if unglued == bare or not is_upper_text(unglued):
        return line  # nothing was cut apart: the line stays as read
    return replace(line, text=unglued)


# An authority prefix glued to what follows it ("TM.ỦYBANNHÂNDÂN", "KT,CHỦTỊCH").
GLUED_PREFIX = re.compile(r"^(?P<prefix>[A-ZĐ]{1,3})[.,]\s*(?P<rest>\S.*)$")


def _centre(line: Line) -> float:
    return ((line.x0 or 0.0) + (line.x1 or 0.0)) / 2


def _deputy_heads(lines: list[Line]) -> set[str]:
    """The heads a deputy signs for ("KT. CHỦ TỊCH" -> "chu tich"): the signer is not one."""
    heads = set()
    for line in lines:
        head = signing_for(line.text.strip())
        if head is not None:
            heads.add(ascii_key(head.strip(" .,")))
    return heads


def centred_title(loose: list[Line], name: Line, authority: list[Line]) -> Line | None:
    """The one line of the loose reading that stands for a whole title of the list and sits on
    the axis of the name below it.

    A signature block is centred on one axis. A seal may hide the first word of a title
    ("PHÓ" of "PHÓ CHỦ TỊCH"), leaving what reads as another title ("CHỦ TỊCH"), but then
    what is left sits right of the axis by that word's width; a slip of one letter under the
    seal ("*HỦ TƯỚNG", "SHỦ TỊCH") keeps the line on the axis. A title that a "KT." line above
    names as the head the signer stands in for is never the signer's."""
    axis = _centre(name)
    heads = _deputy_heads(authority)
    found = []
    for line in loose:
        if line.top is None or name.top is None or line.top >= name.top or _is_authority_line(line.text):
            continue
        text = line.text.strip()
        near = titles().nearest(text) if is_upper_text(text) else None
        if near is None or ascii_key(near[0]) in heads:
            continue
        letter_width = ((line.x1 or 0.0) - (line.x0 or 0.0)) / max(1, len(text))
        if abs(_centre(line) - axis) <= CENTRE_TOLERANCE * letter_width:
            found.append(replace(line, text=near[0].upper()))
    return found[0] if len(found) == 1 else None


def lengthened_title(before: list[Line], after: list[Line]) -> tuple[Line, Line] | None:
    """The page reading's one title line and the whole title the column's second reading
    gives in its place, when the seal hid the title's first words from the page reading
    ("GIÁM ĐỐC" for "PHÓ GIÁM ĐỐC"): both readings end alike, the second has more words
    before that end, and it is the one whole title of the list in the second reading."""
    titled = [line for line in before if is_title_line(line.text) and not _is_authority_line(line.text)]
    whole = _whole_titles(after)
    if len(titled) != 1 or len(whole) != 1:
        return None
    short, long = ascii_key(titled[0].text).split(), ascii_key(whole[0].text).split()
    if len(long) > len(short) and long[-len(short) :] == short:
        return titled[0], whole[0]
    return None


def reread_signature(doc: Document, page: Page, languages: str = LANGUAGE) -> bool:
    """Read ``page``'s signature column again when the page reading lost part of it; True
    when lines of the new reading were added.

    On a page with a text layer only the name is looked for, and only where an image lies in
    the column: e-signing tools stamp the signer's name inside the signature image, so the
    text layer holds the title and no name."""
    column = signature_column(page)
    if column is None:
        return False
    before = [line for line in page.lines if column.holds(line)]
    layer = page.origin != "ocr"
    if signature_score(before) == 2 or (layer and any(is_name_line(line.text) for line in before)):
        return False  # nothing to look for
    if layer and not _image_in(doc.path, page, column):
        return False
    try:
        reading = _read_column(doc.path, page, column, languages)
        after = reading.confident
        added = missing_parts(before, after, doc.text, None if layer else reading.loose)
        unringed = [] if layer else _read_without_rings(doc, page, column, [*before, *added], languages)
    except (OcrUnavailable, OSError) as exc:
        doc.warn("ocr.failed", f"page {page.number}: the signature column could not be read again: {exc}")
        return False
    added = sorted([*added, *unringed], key=lambda line: line.top or 0.0)
    if layer:
        added = [line for line in added if is_name_line(line.text)]
    at = max((page.lines.index(line) + 1 for line in before), default=None)
    longer = None if layer else lengthened_title(before, after)
    if longer is not None:
        page.lines[page.lines.index(longer[0])] = longer[1]
        doc.warn(
            "ocr.signature_reread",
            f"page {page.number}: the title read {longer[0].text!r} on the page is {longer[1].text!r} in the "
            "signature column read again: the seal had hidden its first words",
        )
    if not added:
        return longer is not None
    at = at if at is not None else _beside(page.lines, added[-1])
    page.lines[at:at] = added
    doc.warn(
        "ocr.signature_reread",
        f"page {page.number}: the signature column read "
        f"{'from its image' if layer else 'again as a block'} gave "
        f"{[line.text for line in added]} (the page had {[line.text for line in before]}; "
        f"the reading, as read: {[line.text for line in after]}; with its unsure words: "
        f"{[line.text for line in reading.loose]}"
        + (f"; with the seal's rings taken out: {[line.text for line in unringed]}" if unringed else "")
        + ")",
    )
    return True


def _read_without_rings(
    doc: Document, page: Page, column: Column, known: list[Line], languages: str
) -> list[Line]:
    """The title and name the column gives read once more with a black seal's rings taken out
    (``repair.seal_rings``), when ``known``, the lines of the page and the first reading,
    still lack one: a seal the scan left black crosses them with its rings. An authority
    line of this reading is not taken (the rings' gaps make "VĂN" read "ÁN"). A document whose
    time budget is spent is not read again so (``progress.should_stop``)."""
    if signature_score(known) == 2 or progress.should_stop() is not None:
        return []
    if not has_seal_rings(doc.path, page.number - 1, column_box(page, column)):
        return []
    again = _read_column(doc.path, page, column, languages, without_rings=True)
    return [
        line
        for line in missing_parts(known, again.confident, doc.text, again.loose)
        if not _is_authority_line(line.text)
    ]


def _beside(lines: list[Line], last: Line) -> int:
    """Where lines read again go when the page reading had none in the column: after the
    last line that starts above the last of them, the recipients' list beside the signature.
    (At the page's end they would follow whatever comes below the closing block, an annex's
    heading such as "QUY TRÌNH", where the closing block is no longer looked for.)"""
    above = [at for at, line in enumerate(lines) if line.top is not None and line.top <= (last.top or 0.0)]
    return max(above) + 1 if above else len(lines)


def _image_in(pdf_path: str, page: Page, column: Column) -> bool:
    """Whether an image is drawn inside ``column`` of ``page``."""
    return any(
        right > column.left and left < column.right and bottom > column.top and top < column.bottom
        for left, top, right, bottom in image_boxes(pdf_path, page.number - 1)
    )


def rereading_languages(ctx: Context) -> str | None:
    """The languages a PDF's page images are read again in, or None when they cannot be: not
    a PDF, OCR turned off, or no working Tesseract for those languages."""
    languages = ctx.options.languages
    if ctx.doc.format != "pdf" or not ctx.options.ocr or tesseract_problem(languages) is not None:
        return None
    return languages


@component("repair.signature", requires=("pages.read",), assigns=("pages.signature",))
def reread_signature_columns(ctx: Context) -> None:
    if (languages := rereading_languages(ctx)) is None:
        return
    for page in ctx.doc.pages:
        reread_signature(ctx.doc, page, languages)
