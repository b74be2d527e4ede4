"""The progress bar on stderr (rich), the same whatever engine runs the documents."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

from pipeline import progress as doc_progress
from pipeline.batch.summary import BatchSummary, _counts
from pipeline.batch.walk import Item, WalkEntry


class _Progress:
    """A rich progress bar on stderr, or nothing; the total is counted in the background."""

    def __init__(self, enabled: bool, walk: Callable[[], Iterator[WalkEntry]]) -> None:
        """``walk`` walks the inputs afresh (in a thread of its own) to count them."""
        self._bar: Any = None
        self._stop = threading.Event()
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[document]}"),
            console=Console(stderr=True),
            transient=False,
        )
        self._task = self._bar.add_task("starting", total=None, rate="", document="")
        self._bar.start()
        threading.Thread(target=self._count, args=(walk,), daemon=True).start()

    def _count(self, walk: Callable[[], Iterator[WalkEntry]]) -> None:
        total = 0
        try:
            for entry in walk():
                if self._stop.is_set():
                    return
                total += isinstance(entry, Item)
        except Exception:  # a store that cannot be listed: the batch's own walk says why
            return
        self._bar.update(self._task, total=total)

    def advance(self, summary: BatchSummary) -> None:
        if self._bar is None:
            return
        task = self._bar.tasks[0]
        speed = task.speed
        self._bar.update(
            self._task,
            advance=1,
            description=_counts(summary.by_status, order=("ok", "partial", "failed")),
            rate=f"{speed:.2f}/s" if speed else "",
        )

    def document(self, display: str, event: doc_progress.Event) -> None:
        """Pages within a long document: its page count, then the page being OCR'd."""
        if self._bar is None:
            return
        name = display if len(display) <= 40 else "…" + display[-39:]
        if event.stage == "ocr":
            text = f"{name}: OCR page {event.done}/{event.total}"
        else:
            text = f"{name}: {event.total} pages"
        self._bar.update(self._task, document=text)

    def close(self) -> None:
        self._stop.set()
        if self._bar is not None:
            self._bar.stop()
