"""The signer's name on a scan, read twice more on its own line, and taken by majority.

Tesseract's page reading slips a mark of a printed name now and then ("Vũ Đại Thăng" for
"Thắng", "Trần Hữu Tuân" for "Tuấn"), or a letter under the seal's rim ("Trương Việt Xin"
for "Dũng"). Any such slip still reads as a well-formed name, which no check on the name
alone can catch. Read alone, the name's line is a different picture to Tesseract: no seal
ring or signature stroke in the same block, one line (psm 7), more pixels a letter. So
each line of a scan's signature column that holds a name is read again from a tight crop
at two scales; where a seal the scan left black lies over the column, at both scales once
more with the seal's rings taken out (``repair.seal_rings``: its arc through the family name
left "—vữ Đại Thắng" of "Vũ Đại Thắng"). The readings vote:

- a name at least two readings give, and more than any other, is taken (the warning
  ``ocr.name_reread`` keeps the page's reading);
- readings that disagree with no majority leave the line without its name
  (``ocr.name_unsure`` with every reading): a blank, not a guess;
- a re-reading that gives no well-formed name (the crop caught the seal) has no vote, so
  the page's reading stands alone; but a name the signature column's second reading took
  from words Tesseract was unsure of (``Line.unsure``) needs a second vote to stand.
"""

from __future__ import annotations

import tempfile
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path

from pipeline import progress
from pipeline.model import Document, Line, Page
from pipeline.nlp.names import (
    PUNCTUATION,
    capitalised_run,
    given_names_at_end,
    snap_surname,
    surname_of_remains,
    well_formed_name,
)
from pipeline.registry import Context, component
from pipeline.repair.ocr_words import canonical
from pipeline.repair.quality import is_known_syllable
from pipeline.repair.render import has_seal_rings, page_image
from pipeline.repair.signature import (
    Column,
    column_box,
    is_name_line,
    rereading_languages,
    signature_column,
)
from pipeline.repair.tesseract import (
    IMAGE_SUFFIX,
    LANGUAGE,
    TIMEOUT_SECONDS,
    OcrUnavailable,
    parse_tsv,
    run_tesseract,
)

# Two more readings: two pictures of the same line, as different as Tesseract's own slips.
SCALES_DPI = (400, 300)
ONE_LINE = 7
# The crop around the line as the page reading placed it, in the line's heights: room for
# the marks above the capitals and the descenders, short of the lines above and below.
ABOVE, BELOW, SIDES = 0.35, 0.35, 0.6


def name_in(text: str, size: int | None = None) -> str | None:
    """The personal name a line holds as read, from its first family name on, the family
    name put back to the closed list ("Irần Hữu Tuần" -> "Trần Hữu Tuần"); specks and marks
    before it dropped ("„Vũ Đại Thắng"); None when the line's last words make no
    well-formed name of two to five syllables with capital initials. With ``size``, the
    name of that many syllables that ends the line ("Chu Phạm Mạnh Cường", a stroke of the
    seal read as a word, gives "Phạm Mạnh Cường" for a name of three)."""
    run = capitalised_run(text)
    starts = range(len(run) - 1) if size is None else [len(run) - size] if len(run) >= size else []
    for start in starts:
        name = snap_surname(" ".join(run[start:]))
        if 2 <= len(name.split()) <= 5 and well_formed_name(name) and is_name_line(name):
            return name  # is_name_line: "PHÓ CHỦ TỊCH" is no name, though Phó is a family name
    return None


def majority(readings: list[str | None]) -> tuple[str | None, bool]:
    """The name most readings give, if at least two give it and no other as many; and
    whether the readings that give a name disagree. A reading that lacks the tone mark
    another reading puts over the same â, ê, ô, ă, ơ or ư has no vote: Tesseract drops such
    a stacked mark far more often than it adds one ("Tuân" for "Tuấn"), so "Tuân" twice
    against "Tuần" once is no majority for either."""
    named = [reading for reading in readings if reading is not None]
    counts = Counter(reading for reading in named if not any(lost_a_tone(reading, other) for other in named))
    ranked = counts.most_common()
    if not ranked:
        return None, False
    disagree = len(set(named)) > 1
    (best, votes), *others = ranked
    if votes >= 2 and not (others and others[0][1] == votes):
        return best, disagree
    return None, disagree


def lost_a_tone(bare: str, marked: str) -> bool:
    """``bare`` is ``marked`` read without the tone mark of one or more of its vowels with a
    letter mark (â, ê, ô, ă, ơ, ư), and otherwise alike: "Trần Hữu Tuân" of "Trần Hữu Tuấn"."""
    words, others = bare.split(), marked.split()
    if len(words) != len(others) or bare == marked:
        return False
    for word, other in zip(words, others, strict=True):
        (letters, tone), (other_letters, other_tone) = canonical(word), canonical(other)
        if letters != other_letters or word[:1].isupper() != other[:1].isupper():
            return False
        if tone != other_tone and (tone or not HATTED_VOWELS.intersection(letters)):
            return False
    return True


# Vowels with a letter mark, over which Tesseract loses a tone mark.
HATTED_VOWELS = frozenset("âêôăơư")


def read_line_again(
    pdf_path: str,
    page: Page,
    line: Line,
    dpi: int,
    languages: str,
    *,
    without_rings: bool = False,
    left: float | None = None,
) -> str:
    """``line`` of ``page`` read alone as one line, from a crop of the page at ``dpi`` (with
    ``without_rings``, with a black seal's rings taken out; ``left``, in points, where the
    crop starts instead of just before the line)."""
    height = (line.bottom or 0.0) - (line.top or 0.0)
    box = (
        (line.x0 or 0.0) - SIDES * height if left is None else left,
        page.height - ((line.bottom or 0.0) + BELOW * height),  # type: ignore[operator]
        (line.x1 or 0.0) + SIDES * height,
        page.height - ((line.top or 0.0) - ABOVE * height),  # type: ignore[operator]
    )
    image, _ = page_image(
        pdf_path, page.number - 1, dpi / 72, box=box, print_only=True, without_rings=without_rings
    )
    with tempfile.TemporaryDirectory(prefix="vanban-name-") as tmp:
        path = Path(tmp) / f"line.{IMAGE_SUFFIX}"
        image.save(path)
        words = parse_tsv(run_tesseract(path, ONE_LINE, TIMEOUT_SECONDS, languages), scale=1.0)
    return " ".join(word.text for word in words)


def confirm_names(doc: Document, page: Page, languages: str = LANGUAGE) -> None:
    """Every name line of ``page``'s signature column checked against two more readings. Two
    name lines at one height are one printed line read twice (the page reading and the
    column's second one): their readings vote together."""
    column = signature_column(page)
    if column is None or page.origin != "ocr":
        return
    found: list[Found] = []
    ringed: bool | None = None  # whether a black seal's rings lie over the column, once asked
    for at, line in enumerate(page.lines):
        if not column.holds(line) or line.bottom is None or line.x1 is None:
            continue
        read = name_in(line.text)
        if read is None and not given_names_at_end(line.text):
            continue
        # given names alone: the crop reaches left over what a family name would take
        left = None if read is not None else _family_name_room(page, column, line)
        try:
            again = [read_line_again(doc.path, page, line, dpi, languages, left=left) for dpi in SCALES_DPI]
            if ringed is None:  # not when the document's time budget is spent
                ringed = progress.should_stop() is None and has_seal_rings(
                    doc.path, page.number - 1, column_box(page, column)
                )
            if ringed:  # the rings' arcs cross the family name: two more pictures without them
                again += [
                    read_line_again(doc.path, page, line, dpi, languages, without_rings=True, left=left)
                    for dpi in SCALES_DPI
                ]
        except (OcrUnavailable, OSError) as exc:
            doc.warn("ocr.failed", f"page {page.number}: the signer's name could not be read again: {exc}")
            return
        if read is None:
            _restore_family_name(doc, page, at, [line.text, *again, *_texts_beside(page, column, line)])
            continue
        found.append((at, line, [read, *(name_in(text, len(read.split())) for text in again)], again))
    # every reading of each name line and of the print at its height, before any is changed
    heard = {
        at: [
            line.text,
            *again,
            *_texts_beside(page, column, line),
            *_readings_beside(found, line),
        ]
        for at, line, _, again in found
    }
    for at, line, own, again in found:
        readings = [*own, *_same_line_readings(found, line, own[0] or "")]
        best, disagree = majority(readings)
        if line.unsure and best is None:
            disagree = True  # a name from unsure words needs a second reading that gives it
        if best == own[0]:
            continue
        if best is None and disagree and _restore_family_name(doc, page, at, heard[at]):
            continue
        if best is not None:
            page.lines[at] = replace(line, text=best)
            doc.warn(
                "ocr.name_reread",
                f"page {page.number}: the name read {line.text!r} on the page is {best!r} on its own "
                f"line read again (readings: {readings}; as read: {again})",
            )
        elif disagree:
            page.lines[at] = replace(line, text="")
            doc.warn(
                "ocr.name_unsure",
                f"page {page.number}: the name {line.text!r} reads differently on its own line "
                f"({readings}; as read: {again}): left blank",
            )


def restored_name(texts: list[str]) -> tuple[str, list[str]] | None:
    """A name whose family name a seal's ring spoiled, from several readings of its line: the
    syllables that end at least two readings alike (two or three, each one Vietnamese words
    have), when they make a whole name of three (crops that reach past the ring; two could
    be a middle name that is a family name too, "Lương Khôi" of "Mai Lương Khôi"), or else
    as given names with the family name that what precedes them stands for
    (``names.surname_of_remains``) in at least two readings, no reading standing for
    another. Syllables that lost a stacked tone another reading has have no vote
    (``majority``). Returns the name and what was read before the given names."""
    runs = [capitalised_run(text) for text in texts]
    # as in ``majority``: given names that lost a stacked tone another reading has, no vote
    tails = {" ".join(run[-2:]) for run in runs if len(run) >= 2}
    for size in (3, 2):
        ends = Counter(" ".join(run[-size:]) for run in runs if len(run) >= size)
        common = [
            end.split()
            for end, count in ends.items()
            if count >= 2 and not any(lost_a_tone(" ".join(end.split()[-2:]), tail) for tail in tails)
        ]
        if len(common) != 1 or not all(is_known_syllable(word.lower()) for word in common[0]):
            continue
        # a whole name, its family name as the list spells it ("Tràn Hữu Tuấn": Trần)
        if size == 3 and (whole := name_in(" ".join(common[0]), size)) is not None:
            return whole, []
        return _with_family_name(texts, common[0])
    return None


def _with_family_name(texts: list[str], given: list[str]) -> tuple[str, list[str]] | None:
    remains = [token for text in texts if (token := _before(text, given))]
    votes = Counter(surname for token in remains if (surname := surname_of_remains(token)) is not None)
    if len(votes) != 1:
        return None
    ((surname, count),) = votes.items()
    name = " ".join([surname, *given])
    if count < 2 or not (well_formed_name(name) and is_name_line(name)):
        return None
    return name, remains


def _before(text: str, given: list[str]) -> str:
    """The word of two letters or more before ``given`` where ``text`` ends with it, as read;
    "" otherwise."""
    words = unicodedata.normalize("NFC", text).split()
    tail = [word.strip(PUNCTUATION) for word in words[-len(given) :]]
    if len(words) <= len(given) or tail != given:
        return ""
    # a speck between ("Trươi ø Việt Dũng") is no remains
    lettered = [word for word in words[: -len(given)] if sum(char.isalpha() for char in word) >= 2]
    return lettered[-1] if lettered else ""


def _restore_family_name(doc: Document, page: Page, at: int, texts: list[str]) -> bool:
    """Put the name ``restored_name`` finds in ``texts`` in place of line ``at``; True if so."""
    found = restored_name(texts)
    if found is None:
        return False
    name, remains = found
    line = page.lines[at]
    page.lines[at] = replace(line, text=name)
    doc.warn(
        "ocr.name_restored",
        f"page {page.number}: the name read {line.text!r} is taken as {name!r} from the readings of its "
        f"line (before its given names: {remains}; as read: {texts})",
    )
    return True


# The widest family name and its space ("Nguyễn ", "Trương ") in the line's heights.
FAMILY_NAME_HEIGHTS = 4.0


def _family_name_room(page: Page, column: Column, line: Line) -> float:
    """Where a crop of ``line`` starts to hold a family name before it, within the column."""
    height = (line.bottom or 0.0) - (line.top or 0.0)
    return max(column_box(page, column)[0], (line.x0 or 0.0) - FAMILY_NAME_HEIGHTS * height)


def _texts_beside(page: Page, column: Column, line: Line) -> list[str]:
    """The other lines of the column at ``line``'s height: the same print read again."""
    return [
        other.text
        for other in page.lines
        if other is not line and column.holds(other) and other.bottom is not None and _one_height(line, other)
    ]


# A name line of the column: where it is in the page's lines, the line, its readings (the
# page's and the two of its line alone) and the two as read.
Found = tuple[int, Line, list[str | None], list[str]]


def _same_line_readings(found: list[Found], line: Line, read: str) -> list[str | None]:
    """The readings of the other name lines at ``line``'s height that give a name of as many
    syllables as ``read``, its own (a reading the seal cut short is of another name)."""
    size = len(read.split())
    return [
        reading
        for _, other, theirs, _ in found
        if other is not line and _one_height(line, other) and len((theirs[0] or "").split()) == size
        for reading in theirs
    ]


def _readings_beside(found: list[Found], line: Line) -> list[str]:
    """The readings, as read, of the other name lines at ``line``'s height."""
    return [
        text
        for _, other, _, again in found
        if other is not line and _one_height(line, other)
        for text in again
    ]


def _one_height(line: Line, other: Line) -> bool:
    """The two lines overlap by more than half the shorter one's height."""
    overlap = min(line.bottom or 0.0, other.bottom or 0.0) - max(line.top or 0.0, other.top or 0.0)
    heights = [(each.bottom or 0.0) - (each.top or 0.0) for each in (line, other)]
    return overlap > min(heights) / 2


@component("repair.signer_name", requires=("pages.signature",), assigns=("pages.signer_name",))
def confirm_signer_names(ctx: Context) -> None:
    if (languages := rereading_languages(ctx)) is None:
        return
    for page in ctx.doc.pages:
        confirm_names(ctx.doc, page, languages)
