"""Header lines that the reading ran together, put back apart (a repair of the reading).

OCR joins two lines of a Decree 30 header when the gap between their blocks is narrow, and
a web page's converter may too: the issuer and the national motto ("THỦ TƯỚNG CHÍNH PHỦ CỘNG
HÒA XÃ HỘI ..."), or the number's value and the place-and-date line ("/KH-UBND Lâm Đồng,
ngày ... năm 2026"). This step cuts such a line of the first page in two, so that the layout
finds each block's lines as printed and only cuts zones. The words it looks for are the
header grammar's (``nlp.header_lines``); each part gets its own noise marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.model import Document, Page
from pipeline.nlp.header_lines import date_line, motto_start, typed_date_line
from pipeline.registry import Context, component, current_settings
from pipeline.repair.ocr_noise import mark


@dataclass(frozen=True)
class MergedLineSettings:
    """repair.merged_lines' measures (``--set repair.merged_lines.KEY=VALUE``)."""

    # The motto's first words ("CỘNG HÒA XÃ HỘI"), enough to find it in a merged line.
    motto_words: int = 4
    # The motto sits among the first lines of page 1 (an issuer block of up to three lines
    # and what a seal or a received stamp adds above it).
    motto_lines: int = 12
    # A merged number and date line sits in the header, which never runs longer than this
    # many lines (layout.zones' header_max_lines).
    header_lines: int = 40


def _settings() -> MergedLineSettings:
    return current_settings(MergedLineSettings)


def split_merged_motto(page: Page) -> None:
    """OCR may read the issuer and the motto as one line ("THỦ TƯỚNG CHÍNH PHỦ CỘNG HÒA XÃ HỘI
    ..."): cut it in two so the issuer block stays on its own (the motto goes right)."""
    settings = _settings()
    for index, line in enumerate(page.lines[: settings.motto_lines]):
        match = motto_start(settings.motto_words).search(line.text)
        if not match or match.start() < 3:
            continue
        _split_line(page, index, match.start())
        return


# The number's value and the place-and-date line read as one line ("/KH-UBND Lâm Đồng, ngày
# ... năm 2026", "Số: 12/UBND-VP Hà Nội, ngày ..."): OCR joins them when the gap is narrow.
NUMBER_VALUE_HEAD = re.compile(r"^(?P<value>(?:\S+\s*:\s*)?\S*/\S+)\s+")


def split_merged_date_line(page: Page) -> None:
    """Cut a line that holds the number's value and then the place-and-date line in two."""
    for index, line in enumerate(page.lines[: _settings().header_lines]):
        head = NUMBER_VALUE_HEAD.match(line.text)
        if head and date_line().match(line.text, head.end()) and typed_date_line().search(line.text):
            _split_line(page, index, head.end())
            return


def _split_line(page: Page, index: int, at: int) -> None:
    """Replace line ``index`` of ``page`` by its text before and from ``at``. OCR gives the
    line's box, not its words': the cut is placed by character count, which keeps a long
    issuer ("THỦ TƯỚNG CHÍNH PHỦ") left of the page's middle where the box's middle would not."""
    line = page.lines[index]
    cut = None
    if line.x0 is not None and line.x1 is not None:
        cut = line.x0 + (line.x1 - line.x0) * at / max(1, len(line.text))
    left = replace(line, text=line.text[:at].rstrip(), x1=cut)
    right = replace(line, text=line.text[at:], x0=cut)
    mark(left, page)  # each part gets its own marks
    mark(right, page)
    page.lines[index : index + 1] = [left, right]


def split_merged_lines(doc: Document) -> None:
    """Cut the merged header lines of ``doc``'s first page (what the component does)."""
    if doc.pages:
        split_merged_motto(doc.pages[0])
        split_merged_date_line(doc.pages[0])


@component(
    "repair.merged_lines",
    requires=("text.repaired", "text.noise"),
    assigns=("text.header_lines",),
    settings=MergedLineSettings,
)
def repair_merged_lines(ctx: Context) -> None:
    split_merged_lines(ctx.doc)
