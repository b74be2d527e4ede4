"""Progress within one document, and its time budget, for long documents in a batch.

A batch worker installs a ``Tracker`` before each document (``begin``). The pipeline
reports what it learns (``report``): how many pages the document has, and each page
whose OCR starts. The tracker forwards each report to the batch's parent (which shows
pages on the progress bar and moves the document's deadline) and keeps the budget
the parent enforces:

    deadline = start + base + per_page × pages + per_ocr_page × OCR'd pages started

so a 400-page scan gets the time it needs, while a hang is still stopped: the OCR budget
is granted page by page, when each page starts, never for pages not yet begun.

``should_stop`` tells the OCR loop, before each page, that the budget is nearly spent
(less than ``RESERVE_SECONDS`` plus one page left): the pages not read are then named in
the record (``ocr.stopped``) rather than the whole document lost to a kill. In a
salvage run (after the parent stopped a document for time or memory) no page is OCR'd
anew: the pages read before the stop come from the page cache (``pipeline.repair.page_cache``).

``spare_slots`` tells the OCR loop how many pages it may read beside the current one: the
batch's parent grants a document the CPU slots no other document is using (the end of a
batch, a single large file), within the memory limit, and takes them back when it has
another document to start (``pipeline.batch.native``).

Outside a batch (``process_file`` called directly) no tracker is installed, ``report``
does nothing, nothing is ever stopped and pages are read one at a time.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

# Kept free at the end of a document's budget for what follows OCR (layout, extraction,
# writing the record): 0.1-0.6 s a page on the corpus, a few seconds for 400 pages.
RESERVE_SECONDS = 20.0


@dataclasses.dataclass(frozen=True)
class Limits:
    """Seconds allowed per document: a base, plus so much per page and per OCR'd page."""

    base: float = 300.0
    per_page: float = 1.0
    per_ocr_page: float = 10.0

    def seconds(self, pages: int, ocr_pages: int) -> float:
        return self.base + self.per_page * pages + self.per_ocr_page * ocr_pages

    def describe(self, pages: int, ocr_pages: int) -> str:
        return (
            f"{self.seconds(pages, ocr_pages):g} s ({self.base:g} s + {self.per_page:g} s × {pages} pages"
            f" + {self.per_ocr_page:g} s × {ocr_pages} OCR'd pages)"
        )


@dataclasses.dataclass(frozen=True)
class Event:
    """One report of a document's progress, sent from a worker to the batch's parent."""

    task_id: int
    stage: str  # "pages": the document's page count is known; "ocr": page ``done`` starts OCR
    done: int
    total: int


@dataclasses.dataclass
class Tracker:
    task_id: int
    limits: Limits
    send: Callable[[Event], None] | None = None
    started: float = dataclasses.field(default_factory=time.perf_counter)
    salvage: str = ""  # why the document was stopped before, in a salvage run
    pages: int = 0
    ocr_started: int = 0
    clock: Callable[[], float] = time.perf_counter
    # How many more pages than one this document may OCR at once right now: the batch's
    # CPU slots no other document is using (the end of a batch, a single large file), as
    # the batch's parent grants them; None: never more than one.
    spare: Callable[[], int] | None = None

    def seconds_left(self) -> float:
        return self.started + self.limits.seconds(self.pages, self.ocr_started) - self.clock()


_current: Tracker | None = None


def begin(tracker: Tracker | None) -> None:
    """Install ``tracker`` for the document about to run (None: no tracking)."""
    global _current
    _current = tracker


def current() -> Tracker | None:
    return _current


def report(stage: str, done: int, total: int) -> None:
    """Record progress; pages and OCR'd pages started extend the document's budget."""
    tracker = _current
    if tracker is None:
        return
    if stage == "pages":
        tracker.pages = total
    elif stage == "ocr":
        tracker.ocr_started = max(tracker.ocr_started, done)
    if tracker.send is not None:
        try:
            tracker.send(Event(tracker.task_id, stage, done, total))
        except OSError:
            tracker.send = None  # the parent is gone; the document still finishes


def spare_slots() -> int:
    """Pages this document may OCR beside the one it is reading now (0 outside a batch, or
    when every slot of the batch is busy)."""
    tracker = _current
    if tracker is None or tracker.spare is None or tracker.salvage:
        return 0
    try:
        return max(0, int(tracker.spare()))
    except (OSError, ValueError):
        return 0


def salvaging() -> bool:
    """Whether this run only rebuilds a stopped document's record (no page is OCR'd anew)."""
    return _current is not None and bool(_current.salvage)


def should_stop() -> str | None:
    """Why the next page must not be OCR'd (budget nearly spent, or a salvage run); None to go on."""
    tracker = _current
    if tracker is None:
        return None
    if tracker.salvage:
        return tracker.salvage
    # Starting a page grants it its own budget; it is refused when the pages so far took
    # theirs and the base down to the reserve (at most half the base).
    if tracker.seconds_left() < min(RESERVE_SECONDS, tracker.limits.base / 2):
        spent = tracker.clock() - tracker.started
        budget = tracker.limits.describe(tracker.pages, tracker.ocr_started)
        return f"the time budget ran out ({spent:.0f} s spent of {budget})"
    return None
