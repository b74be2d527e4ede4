"""The one replaceable part of a batch: the engine that runs tasks on workers.

The batch (``pipeline.batch.core``) walks the inputs, builds a ``Task`` per document, writes
records and the manifest, decides resume and salvage, and keeps the summary; an engine only
runs tasks and reports what happened to them, as events:

* ``Done``: the worker's ``Reply`` (a record, skipped by resume, refused, MemoryError, error);
* ``Stopped``: the task was ended from outside (time or memory limit, the worker died, the
  engine gave up on it); the batch turns it into a failed record, or a salvage run;
* ``Progress``: a page count or an OCR'd page of the document in hand (the progress bar).

Two engines: ``NativePool`` (worker processes on this machine, the default) and
``DaskEngine`` (Dask distributed; each Dask worker runs its documents on a one-process
``NativePool`` of its own, so the limits are the same code on both).
"""

from __future__ import annotations

import dataclasses
from typing import Protocol

from pipeline import progress as doc_progress
from pipeline.batch.worker import Reply, Task


@dataclasses.dataclass(frozen=True)
class Done:
    task_id: int
    reply: Reply
    seconds: float  # since the worker took the task
    source: tuple[str, int] = ("", 0)  # sha256 and size, once the worker had read the input


@dataclasses.dataclass(frozen=True)
class Stopped:
    task_id: int
    code: str  # batch.timeout, batch.memory, batch.crashed
    message: str
    seconds: float
    source: tuple[str, int] = ("", 0)
    ocr_started: int = 0  # pages whose OCR had started (kept in the page cache: salvage)


@dataclasses.dataclass(frozen=True)
class Progress:
    task_id: int
    event: doc_progress.Event


Event = Done | Stopped | Progress


@dataclasses.dataclass
class EngineStats:
    """What the summary reports about the workers (peaks in MB; see ``BatchSummary``)."""

    workers_started: int = 0
    first_ready: float = 0.0  # perf_counter when the first worker was ready (0: none yet)
    peak_worker_rss_mb: float = 0.0
    peak_worker_own_rss_mb: float = 0.0
    peak_helper_rss_mb: float = 0.0

    def merge_peaks(self, other: EngineStats) -> None:
        self.peak_worker_rss_mb = max(self.peak_worker_rss_mb, other.peak_worker_rss_mb)
        self.peak_worker_own_rss_mb = max(self.peak_worker_own_rss_mb, other.peak_worker_own_rss_mb)
        self.peak_helper_rss_mb = max(self.peak_helper_rss_mb, other.peak_helper_rss_mb)


class Engine(Protocol):
    """Runs tasks; never writes records. Every task submitted ends in one ``Done`` or
    ``Stopped`` event, unless the engine is closed first (the batch counts it unfinished)."""

    stats: EngineStats
    slots: int  # tasks it runs at once (the summary's "workers")

    def has_room(self) -> bool:
        """Whether a task submitted now starts at once (an engine may start a worker here)."""
        ...

    def submit(self, task: Task) -> None: ...

    def poll(self, timeout: float) -> list[Event]:
        """Wait up to ``timeout`` seconds for events; enforce the limits."""
        ...

    def in_flight(self) -> int: ...

    def close(self, *, interrupted: bool) -> None:
        """Stop the workers; tasks in flight are dropped (killed when ``interrupted``)."""
        ...
