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
from pipeline.nlp.names import snap_surname, well_formed_name
from pipeline.registry import Context, component
from pipeline.repair.ocr_words import canonical
from pipeline.repair.render import has_seal_rings, page_image
from pipeline.repair.signature import column_box, is_name_line, rereading_languages, signature_column
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
PUNCTUATION = ".,;:!?'\"`“”‘’„«»()[]{}<>|_-–—~^*+=°©®¬§/\\"


def name_in(text: str, size: int | None = None) -> str | None:
    """The personal name a line holds as read, from its first family name on, the family
    name put back to the closed list ("Irần Hữu Tuần" -> "Trần Hữu Tuần"); specks and marks
    before it dropped ("„Vũ Đại Thắng"); None when the line's last words make no
    well-formed name of two to five syllables with capital initials. With ``size``, the
    name of that many syllables that ends the line ("Chu Phạm Mạnh Cường", a stroke of the
    seal read as a word, gives "Phạm Mạnh Cường" for a name of three)."""
    run = _capitalised_run(text)
    starts = range(len(run) - 1) if size is None else [len(run) - size] if len(run) >= size else []
    for start in starts:
        name = snap_surname(" ".join(run[start:]))
        if 2 <= len(name.split()) <= 5 and well_formed_name(name) and is_name_line(name):
            return name  # is_name_line: "PHÓ CHỦ TỊCH" is no name, though Phó is a family name
    return None


def _capitalised_run(text: str) -> list[str]:
    """The words with a capital initial and small letters after it that end ``text``."""
    words = [word.strip(PUNCTUATION) for word in unicodedata.normalize("NFC", text).split()]
    run: list[str] = []
    # Specks with no letter of a case ("ˆ", "1") are no word: they neither end nor join the run.
    for word in reversed([word for word in words if any(char.isupper() or char.islower() for char in word)]):
        if not (word.isalpha() and word[:1].isupper() and word[1:].islower()):
            break
        run.insert(0, word)
    return run


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
    pdf_path: str, page: Page, line: Line, dpi: int, languages: str, *, without_rings: bool = False
) -> str:
    """``line`` of ``page`` read alone as one line, from a crop of the page at ``dpi`` (with
    ``without_rings``, with a black seal's rings taken out)."""
    height = (line.bottom or 0.0) - (line.top or 0.0)
    box = (
        (line.x0 or 0.0) - SIDES * height,
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
        if read is None:
            continue
        try:
            again = [read_line_again(doc.path, page, line, dpi, languages) for dpi in SCALES_DPI]
            if ringed is None:  # not when the document's time budget is spent
                ringed = progress.should_stop() is None and has_seal_rings(
                    doc.path, page.number - 1, column_box(page, column)
                )
            if ringed:  # the rings' arcs cross the family name: two more pictures without them
                again += [
                    read_line_again(doc.path, page, line, dpi, languages, without_rings=True)
                    for dpi in SCALES_DPI
                ]
        except (OcrUnavailable, OSError) as exc:
            doc.warn("ocr.failed", f"page {page.number}: the signer's name could not be read again: {exc}")
            return
        found.append((at, line, [read, *(name_in(text, len(read.split())) for text in again)], again))
    for at, line, own, again in found:
        readings = [*own, *_same_line_readings(found, line, own[0] or "")]
        best, disagree = majority(readings)
        if line.unsure and best is None:
            disagree = True  # a name from unsure words needs a second reading that gives it
        if best == own[0]:
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
