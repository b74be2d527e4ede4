"""The issuer block's lines of a scan mended before the header is read.

The issuer block is the left header zone's lines above the number line ("Số: ..."), or its
first four lines when there is none, down to its underline. On an OCR'd page its lines come
with the reading's faults: a body read on one line after other words (a received stamp's),
capitals run together, letters misread that the list of bodies puts right, specks between
the lines ("))"). This step mends each line in
place, with a warning for each change (``ocr.snapped``, ``ocr.unglued``), strips the
underline and table rules read at the ends of the issuer's lines (every format), puts a body
name that wrapped in a narrow column back on its first line (``header.issuer_rejoined``), and
leaves in ``Context.issuer_lines`` which lines are the issuer's: ``extract.header`` only reads
them.
"""

from __future__ import annotations

import re

from pipeline.layout.zones import SEPARATOR
from pipeline.model import Document, Line
from pipeline.nlp.bodies import known_body
from pipeline.nlp.body_codes import body_code, initials, named_by_code
from pipeline.nlp.glued import unglue
from pipeline.nlp.header_lines import is_motto_line, is_stamp_line
from pipeline.nlp.issuers import body_at_the_end, opens_with_unit, snap_issuer_line
from pipeline.nlp.numbering import known_codes
from pipeline.nlp.symbols import find_number_line
from pipeline.nlp.text import is_upper_text
from pipeline.nlp.vocabulary import collective_bodies
from pipeline.registry import Context, Ref, component
from pipeline.repair.ocr_words import canonical, in_a_word
from pipeline.repair.quality import is_known_syllable

# Without a number line, the issuer is looked for in the block's first lines only.
LINES_WITHOUT_NUMBER = 4
# What may end an issuer line and is none of its words: an underline, a table rule read by OCR.
LINE_ENDS = "_-–— |."


def has_known_syllable(text: str) -> bool:
    return any(is_known_syllable(word) for word in re.findall(r"[^\W\d_]{2,}", text))


def mend_issuer_block(
    doc: Document, refs: list[Ref], number_at: int | None, code: str | None = None
) -> list[Ref]:
    """Mend the issuer lines among ``refs`` (the left header block; ``number_at``: the
    number line's position in it; ``code``: the body code of its symbol) and return them,
    top to bottom."""
    block = refs[:number_at] if number_at is not None else refs[:LINES_WITHOUT_NUMBER]
    lines: list[tuple[Ref, Line]] = []
    for ref in block:
        scanned = doc.pages[ref[0]].origin == "ocr"
        line = doc.pages[ref[0]].lines[ref[1]]
        text = line.text.strip()
        if scanned and line.marks.letterless:
            continue  # a speck between the issuer's lines ("))"), not its underline
        if scanned and not is_upper_text(text, 2) and (body := body_at_the_end(text)):
            doc.warn("ocr.snapped", f"issuer line read as {text!r}, its body kept: {body!r}")
            text = line.text = body
        if SEPARATOR.match(text) or is_motto_line(text) or not is_upper_text(text, 2):
            if lines and (
                _debris_before_the_place(doc, block, ref) or _inside_a_body(doc, ref, lines[-1][1].text)
            ):
                doc.warn("ocr.debris_skipped", f"a line read as {text!r} inside the issuer block left out")
                continue
            if lines:
                break  # the block ends at its underline
            continue
        if scanned and (apart := unglue(text)) != text:
            doc.warn("ocr.unglued", f"issuer line read as {text!r}, words put apart: {apart!r}")
            text = line.text = apart
        if scanned and (snapped := snap_issuer_line(text)) != text:
            doc.warn("ocr.snapped", f"issuer line read as {text!r}, repaired to {snapped!r}")
            text = line.text = snapped
        if scanned and code and not has_known_syllable(text) and (named := _named_by_code(doc, text, code)):
            text = line.text = named  # its words run together past ungluing ("SỞNỘIVỤU")
        if is_stamp_line(text) or not has_known_syllable(text):
            continue  # stamp marks and OCR debris ("TT9I", "THT") name no body
        if scanned and lines and _debris_after_a_body(lines[-1][1].text, text):
            doc.warn("ocr.debris_skipped", f"a line read as {text!r} under the whole body's name left out")
            continue
        if scanned and (
            _mostly_fragments(text)
            or (lines and _between_a_cut_body_and_its_place(doc, block, ref, lines[-1][1].text, text))
        ):
            doc.warn("ocr.debris_skipped", f"a line read as {text!r} inside the issuer block left out")
            continue
        lines.append((ref, line))
    for _, line in lines:
        line.text = line.text.strip().strip(LINE_ENDS)
    return [ref for ref, _ in rejoin_bodies(doc, lines)]


def rejoin_bodies(doc: Document, lines: list[tuple[Ref, Line]]) -> list[tuple[Ref, Line]]:
    """Issuer lines with a body's name that wrapped in a narrow column put back on one line
    ("ỦY BAN NHÂN" / "DÂN" -> "ỦY BAN NHÂN DÂN"): where the first line is no whole collective
    body and, joined to the next, it gives one."""
    out: list[tuple[Ref, Line]] = []
    for ref, line in lines:
        if out:
            previous = out[-1][1]
            lost = collective_bodies().completed(previous.text) if doc.pages[ref[0]].origin == "ocr" else None
            if lost is not None and opens_with_unit(line.text):
                # The body's last word lost at the end of its line, the place on the next ("ỦY BAN
                # NHÂN" / "TỈNH LÂM ĐỒNG"): the words read open one body only.
                doc.warn("ocr.snapped", f"issuer line read as {previous.text!r}, its last word put back")
                previous.text = lost.upper()
            joined = f"{previous.text} {line.text}"
            snap = collective_bodies().snap_prefix(joined) if is_upper_text(joined, 2) else None
            if (
                snap is not None
                and collective_bodies().nearest(previous.text) is None
                and len(snap.read.split()) > len(previous.text.split())
            ):
                doc.warn(
                    "header.issuer_rejoined", f"issuer lines {previous.text!r} and {line.text!r} are one name"
                )
                previous.text = snap_issuer_line(joined) if doc.pages[ref[0]].origin == "ocr" else joined
                continue
        out.append((ref, line))
    return out


# A line of debris under an issuer is one short word (a seal's or a stamp's stroke: "SE").
DEBRIS_LETTERS = 3


def _debris_after_a_body(previous: str, text: str) -> bool:
    """``text`` is debris under ``previous``, a known body's whole name ("BỘ NỘI VỤ" / "SE") or
    the issuer's place line ("TỈNH LÂM ĐỒNG" / "BẺ"): one short word that neither goes on with
    the name nor opens a place line."""
    words = text.split()
    whole = known_body(previous) is not None or _is_place_line(previous)
    return (
        len(words) == 1
        and sum(char.isalpha() for char in text) <= DEBRIS_LETTERS
        and whole
        and known_body(f"{previous} {text}") is None
        and not opens_with_unit(text)
    )


def _is_place_line(text: str) -> bool:
    """A unit word and a place after it ("TỈNH LÂM ĐỒNG"), already snapped with the block's
    other lines: the line ends a name."""
    return opens_with_unit(text) and text.split()[-1].isalpha()


# A line of the issuer block most of whose words are fragments ("TL NG VIÊN V", a stamp's or a
# seal's letters): more than this share of its words are neither syllables nor codes.
FRAGMENT_SHARE = 0.5


def _mostly_fragments(text: str) -> bool:
    words = [word.strip(".,;:-") for word in text.split()]
    words = [word for word in words if word]
    fragments = [word for word in words if not (is_known_syllable(word.lower()) or word in known_codes())]
    return len(words) >= 2 and len(fragments) > FRAGMENT_SHARE * len(words)


def _between_a_cut_body_and_its_place(
    doc: Document, block: list[Ref], ref: Ref, previous: str, text: str
) -> bool:
    """A line in capitals between a collective body's name cut short and its place line ("ỦY
    BAN NHÂN" / "SANG 2" / "TỈNH LÂM ĐỒNG", a seal's stroke over "DÂN"): what it says completes
    neither the name nor opens the place."""
    return (
        collective_bodies().completed(previous) is not None
        and collective_bodies().nearest(f"{previous} {text}") is None
        and not opens_with_unit(text)
        and _debris_before_the_place(doc, block, ref)
    )


def _inside_a_body(doc: Document, ref: Ref, above: str) -> bool:
    """On a scan, a line of debris under a collective body's name cut short ("ỦY BAN NHÂN" /
    "sẽ" / "ĐÀN.”" / "TỈNH LÂM ĐỒNG": a seal's stroke read between its lines): the block goes
    on, since no issuer ends inside a body's name."""
    line = doc.pages[ref[0]].lines[ref[1]]
    return (
        doc.pages[ref[0]].origin == "ocr"
        and not SEPARATOR.match(line.text.strip())
        and not is_motto_line(line.text)
        and collective_bodies().completed(above) is not None
    )


def _debris_before_the_place(doc: Document, block: list[Ref], ref: Ref) -> bool:
    """On a scan, a line of debris (a received stamp's words over the header: "TANN., ý")
    between a body's name and its place line ("ỦY BAN NHÂN" / ... / "TỈNH LÂM ĐỒNG"): not the
    block's end when the next line opens with a unit word."""
    if doc.pages[ref[0]].origin != "ocr" or SEPARATOR.match(doc.pages[ref[0]].lines[ref[1]].text.strip()):
        return False
    at = block.index(ref)
    following = (
        doc.pages[block[at + 1][0]].lines[block[at + 1][1]].text.strip() if at + 1 < len(block) else ""
    )
    return is_upper_text(following, 2) and opens_with_unit(snap_issuer_line(following))


def agree_with_the_symbol(doc: Document, refs: list[Ref], code: str) -> list[Ref]:
    """A scan's issuer lines ``refs`` made to agree with the symbol's body code ``code``
    (nlp.body_codes): a line that names, a slip or two off, the one body of the lists with
    those initials takes its name ("SỞNỘIVỤU", "SỞ TƯ TƯ PHÁP", "UY BA NHÂN DÂN"); then lines
    after the lines whose initials are the code are a stamp's ("BỘ NỘI VỤ" / ": TỔNG"), unless
    they are the body's place ("TỈNH BÌNH THUẬN") or may go on with its name."""
    lines = [doc.pages[page].lines[index] for page, index in refs]
    if not _initials_agree([line.text for line in lines], code):
        for line in lines:
            if (named := _named_by_code(doc, line.text, code)) is not None:
                line.text = named
                break
    end = _end_of_the_name(lines, code)
    if end is None:
        return refs
    for line in lines[end:]:
        doc.warn("ocr.debris_skipped", f"a line read as {line.text!r} after the body its code names left out")
    return refs[:end]


def _named_by_code(doc: Document, text: str, code: str) -> str | None:
    """The listed body ``code`` names that a line's capitals are a slip or two from, in
    capitals (reported); None when the line's initials already agree or no one body is that
    near."""
    capitals = "".join(char for char in text if char.isupper() or char == " ").strip()
    if initials(text) == code or (named := named_by_code(capitals, code)) is None:
        return None  # the capitals alone: specks in small letters before them ("»-v..UY BA")
    named = named.upper()
    doc.warn("ocr.snapped", f"issuer line read as {text!r}, repaired to {named!r}: its symbol's code {code}")
    return named


def _initials_agree(texts: list[str], code: str) -> bool:
    """Some run of ``texts`` opens with the initials ``code``."""
    return any(
        initials(" ".join(texts[start:end])).startswith(code)
        for start in range(len(texts))
        for end in range(start + 1, len(texts) + 1)
    )


def _end_of_the_name(lines: list[Line], code: str) -> int | None:
    """Where the lines that are not the issuer's begin: after the run of lines whose initials
    are ``code``, when the lines after it cannot go on with the name. A code may abbreviate a
    name's first words only ("HĐTĐ" of "HỘI ĐỒNG THẨM ĐỊNH, ĐÁNH GIÁ CHỈ SỐ ..."), so they
    must be no place line, no known body (alone or with the line before), form no word of
    the lexicon (a stamp's or a seal's letters: "TỔNG"), and the name must not end open (a
    comma, a hyphen); None when nothing is to be cut."""
    texts = [line.text for line in lines]
    for start in range(len(texts)):
        for end in range(start + 1, len(texts)):
            if initials(" ".join(texts[start:end])) != code or texts[end - 1].rstrip().endswith(OPEN_ENDS):
                continue
            rest = texts[end:]
            if not any(
                opens_with_unit(text) or known_body(text) or _forms_a_word(text) for text in rest
            ) and not known_body(f"{texts[end - 1]} {rest[0]}"):
                return end
    return None


# What ends a line of a name that goes on on the next.
OPEN_ENDS = (",", "-", "–", "&")


def _forms_a_word(text: str) -> bool:
    syllables = [canonical(word) for word in text.split()]
    return any(in_a_word(syllables, at) for at in range(len(syllables)))


def issuer_lines(doc: Document, left: list[Ref]) -> list[Ref]:
    """The issuer lines of the left header block ``left``, mended (``mend_issuer_block``), and
    on a scan made to agree with the symbol's body code (``agree_with_the_symbol``)."""
    texts = [doc.pages[page].lines[index].text for page, index in left]
    found = find_number_line(texts, [doc.pages[page].origin == "ocr" for page, _ in left])
    code = body_code(found[1].symbol) if found is not None else None
    refs = mend_issuer_block(doc, left, found[0] if found is not None else None, code)
    if code is None or not refs or any(doc.pages[page].origin != "ocr" for page, _ in refs):
        return refs
    return agree_with_the_symbol(doc, refs, code)


@component("repair.issuer_lines", requires=("zones",), assigns=("text.issuer_lines",))
def repair_issuer_lines(ctx: Context) -> None:
    ctx.issuer_lines = issuer_lines(ctx.doc, ctx.zones.get("header_left", []))
