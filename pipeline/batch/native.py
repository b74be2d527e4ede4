"""The native engine: long-lived worker processes on this machine (the default).

``jobs`` processes forked from a "forkserver" (a clean, single-threaded process that has
imported the pipeline once), each taking one task at a time over a pipe
(``pipeline.batch.worker.worker_main``). The pool enforces each document's wall-time
budget and watches the resident memory of the worker and its helper programs
(``pipeline.batch.limits``); a worker that hangs, grows too large or dies is killed with its
helpers and replaced, and its task ends in a ``Stopped`` event.

Slots no document uses (the end of a batch, a single large file) are lent to the documents
in hand: before each wait the pool writes, into a shared integer of each busy worker, how
many more pages that document may OCR at once (``progress.spare_slots``), within the
memory limit (``OCR_PAGE_MB`` per page, against the worker's last memory sample). A worker
only reads its number, so a worker killed mid-page holds nothing that must be given back;
when a new document starts the grants are taken back, and a page already started beside
it ends (one page, ~2 s). ``VANBAN_PAGE_FANOUT=0`` turns the lending off.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from multiprocessing.connection import Connection, wait
from typing import Any

from pipeline import progress as doc_progress
from pipeline.batch.engine import Done, EngineStats, Event, Progress, Stopped
from pipeline.batch.limits import _process_tree, memory_exceeded, sample_memory, time_exceeded
from pipeline.batch.names import WORKER_TEMP_PREFIX
from pipeline.batch.summary import _signal_name
from pipeline.batch.worker import Reply, Task, WorkerConfig, worker_main

STARTUP_SECONDS = 120.0  # a worker that cannot import the pipeline in this time is broken
MAX_STARTUP_FAILURES = 3
FANOUT_ENVIRONMENT = "VANBAN_PAGE_FANOUT"  # "0": a document never uses more than its slot
# Resident memory a page OCR'd beside another adds to its worker: Tesseract on an A4 page
# at 300 dpi (~70 MB), the page image in colour and grey (~45 MB), the grid finder's arrays.
OCR_PAGE_MB = 150.0


@dataclasses.dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    started: float
    temp_folder: str = ""
    ready: bool = False
    task: Task | None = None
    task_started: float = 0.0
    source: tuple[str, int] = ("", 0)  # sha256 and size of the current input, once the worker read it
    pages: int = 0  # of the document in hand, once read (progress events)
    ocr_started: int = 0  # its pages whose OCR has started
    spare: Any = None  # shared int: the slots its document may use beside its own (we write it)
    memory_mb: float = 0.0  # the worker and its helpers at the last sample

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def stop(self, *, kill: bool) -> None:
        if kill:
            self.kill()
        else:
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)
        self.process.join(timeout=0.5 if kill else 5)
        if self.process.is_alive():
            self.kill()
            self.process.join(timeout=5)
        self.conn.close()
        if self.temp_folder:
            shutil.rmtree(self.temp_folder, ignore_errors=True)

    def kill(self) -> None:
        """Kill the worker and every helper program it started; also after a crash."""
        if self.pid is None:
            return
        helpers = _process_tree(self.pid)[1:]  # before the worker dies and they are re-parented
        with contextlib.suppress(OSError):
            os.killpg(self.pid, signal.SIGKILL)  # its group: helpers already orphaned by a crash
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        for helper in helpers:  # helpers that started a session of their own (soffice)
            with contextlib.suppress(OSError):
                os.kill(helper, signal.SIGKILL)


def _context() -> multiprocessing.context.ForkServerContext | multiprocessing.context.SpawnContext:
    # forkserver: workers fork from a clean single-threaded server, never from this process,
    # which may run threads (progress bar, a Dask worker's); "pipeline.run" is imported there once.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["pipeline.run"])
        return ctx
    return multiprocessing.get_context("spawn")


class NativePool:
    """``jobs`` worker processes on this machine; see the module docstring."""

    def __init__(self, config: WorkerConfig, jobs: int) -> None:
        self.config = config
        self.slots = jobs
        self.stats = EngineStats()
        self.workers: list[_Worker] = []
        self.startup_failures = 0
        self.ctx = _context()
        self.fanout = os.environ.get(FANOUT_ENVIRONMENT, "1").strip() != "0"

    # -- the engine interface ------------------------------------------------------------

    def has_room(self) -> bool:
        if self._idle_worker() is not None:
            return True
        if len(self.workers) < self.slots:
            self._start_worker()
        return False

    def submit(self, task: Task) -> None:
        worker = self._idle_worker()
        assert worker is not None, "submit only when has_room()"
        worker.task, worker.task_started, worker.source = task, time.perf_counter(), ("", 0)
        worker.pages = worker.ocr_started = 0
        worker.memory_mb = 0.0
        self._lend_spare_slots()  # taken back from the others before the new document starts
        with contextlib.suppress(OSError, ValueError):  # if the worker just died, its sentinel says so
            worker.conn.send(task)

    def in_flight(self) -> int:
        return sum(1 for worker in self.workers if worker.task is not None)

    def poll(self, timeout: float) -> list[Event]:
        """Wait briefly for replies or deaths, then enforce time and memory limits."""
        self._lend_spare_slots()
        waitables: list[Any] = [w.conn for w in self.workers] + [w.process.sentinel for w in self.workers]
        if waitables:
            wait(waitables, timeout=timeout)
        else:
            time.sleep(timeout)
        events: list[Event] = []
        for worker in list(self.workers):
            self._check_worker(worker, events)
        return events

    def close(self, *, interrupted: bool) -> None:
        for worker in list(self.workers):
            self._retire(worker, kill=worker.task is not None or interrupted)

    # -- workers -------------------------------------------------------------------------

    def _lend_spare_slots(self) -> None:
        """Share the slots no document uses among the busy workers, one at a time in turn,
        each within its memory headroom; a worker still starting keeps its slot (it starts
        for a document waiting)."""
        busy = [worker for worker in self.workers if worker.task is not None]
        starting = sum(1 for worker in self.workers if not worker.ready)
        free = max(0, self.slots - len(busy) - starting) if self.fanout else 0
        grants = dict.fromkeys(range(len(busy)), 0)
        while free:
            lent = False
            for number, worker in enumerate(busy):
                if free and self._has_memory_for(worker, grants[number] + 1):
                    grants[number] += 1
                    free -= 1
                    lent = True
            if not lent:
                break
        granted = {id(worker): grants[number] for number, worker in enumerate(busy)}
        for worker in self.workers:
            if worker.spare is not None and worker.spare.value != granted.get(id(worker), 0):
                worker.spare.value = granted.get(id(worker), 0)

    def _has_memory_for(self, worker: _Worker, pages: int) -> bool:
        """Whether ``pages`` more pages OCR'd at once keep the worker within its memory limit
        (the page it reads and a margin of one more page counted too); not before its memory
        has been sampled once for this document."""
        limit = self.config.max_memory_mb
        if limit <= 0:
            return True
        return worker.memory_mb > 0 and worker.memory_mb + OCR_PAGE_MB * (pages + 1) <= limit

    def _start_worker(self) -> None:
        parent_end, child_end = self.ctx.Pipe(duplex=True)
        try:
            temp_folder = tempfile.mkdtemp(prefix=f"{WORKER_TEMP_PREFIX}{os.getpid()}-")
        except OSError:
            temp_folder = ""  # the worker uses the usual temporary folder
        spare = self.ctx.RawValue("i", 0)
        process = self.ctx.Process(
            target=worker_main, args=(child_end, self.config, temp_folder, os.getpid(), spare), daemon=True
        )
        process.start()
        child_end.close()  # so that the parent sees EOF when the worker dies
        self.workers.append(_Worker(process, parent_end, time.perf_counter(), temp_folder, spare=spare))
        self.stats.workers_started += 1

    def _idle_worker(self) -> _Worker | None:
        return next((w for w in self.workers if w.ready and w.task is None), None)

    def _retire(self, worker: _Worker, *, kill: bool) -> None:
        worker.stop(kill=kill)
        self.workers.remove(worker)

    def _stop_task(self, worker: _Worker, code: str, message: str, events: list[Event]) -> None:
        """End the worker's task from outside: the worker and its helpers are killed."""
        assert worker.task is not None
        seconds = time.perf_counter() - worker.task_started
        events.append(Stopped(worker.task.id, code, message, seconds, worker.source, worker.ocr_started))
        worker.task = None
        self._retire(worker, kill=True)

    def _take_progress(self, worker: _Worker, event: doc_progress.Event, events: list[Event]) -> None:
        """A worker's report on the document in hand: its budget grows, the bar shows it."""
        if worker.task is None or event.task_id != worker.task.id:
            return
        if event.stage == "pages":
            worker.pages = event.total
        elif event.stage == "ocr":
            worker.ocr_started = max(worker.ocr_started, event.done)
        events.append(Progress(worker.task.id, event))

    def _handle_reply(self, worker: _Worker, reply: Reply | str, events: list[Event]) -> None:
        if reply == "ready":
            worker.ready = True
            self.startup_failures = 0
            self.stats.first_ready = self.stats.first_ready or time.perf_counter()
            return
        assert isinstance(reply, Reply)
        if reply.kind == "source":  # the task goes on
            worker.source = (reply.sha256, reply.size)
            return
        stats = self.stats
        stats.peak_worker_rss_mb = max(stats.peak_worker_rss_mb, reply.max_rss_mb)
        stats.peak_worker_own_rss_mb = max(stats.peak_worker_own_rss_mb, reply.max_rss_mb)
        if worker.task is None:
            return
        seconds = time.perf_counter() - worker.task_started
        events.append(Done(worker.task.id, reply, seconds, worker.source))
        worker.task = None
        if reply.last:
            self._retire(worker, kill=False)

    def _handle_death(self, worker: _Worker, events: list[Event]) -> None:
        code = worker.process.exitcode
        if worker.task is not None:
            how = f"signal {_signal_name(-code)}" if code and code < 0 else f"exit code {code}"
            hint = " (perhaps the system's out-of-memory killer)" if code == -signal.SIGKILL else ""
            self._stop_task(worker, "batch.crashed", f"the worker process died with {how}{hint}", events)
            return
        self._retire(worker, kill=True)
        if not worker.ready:
            self._count_startup_failure(f"a worker exited with code {code} before it was ready")

    def _count_startup_failure(self, why: str) -> None:
        self.startup_failures += 1
        if self.startup_failures >= MAX_STARTUP_FAILURES:
            raise RuntimeError(f"worker processes fail to start: {why}")

    def _check_worker(self, worker: _Worker, events: list[Event]) -> None:
        try:
            while worker.conn.poll():
                message = worker.conn.recv()
                if isinstance(message, doc_progress.Event):
                    self._take_progress(worker, message, events)
                    continue
                self._handle_reply(worker, message, events)
                return
        except (EOFError, OSError):
            pass
        if not worker.process.is_alive():
            self._handle_death(worker, events)
            return
        now = time.perf_counter()
        if worker.task is None:
            if not worker.ready and now - worker.started > STARTUP_SECONDS:
                self._retire(worker, kill=True)
                self._count_startup_failure("no worker became ready in time")
            return
        late = time_exceeded(self.config.limits, now - worker.task_started, worker.pages, worker.ocr_started)
        if late is not None:
            self._stop_task(worker, "batch.timeout", late, events)
            return
        if worker.pid is None:
            return
        sample = sample_memory(worker.pid)
        worker.memory_mb = sample.total
        stats = self.stats
        stats.peak_worker_rss_mb = max(stats.peak_worker_rss_mb, sample.total)
        stats.peak_worker_own_rss_mb = max(stats.peak_worker_own_rss_mb, sample.own)
        if sample.helpers is not None:
            stats.peak_helper_rss_mb = max(stats.peak_helper_rss_mb, sample.helpers)
        too_big = memory_exceeded(sample, self.config.max_memory_mb)
        if too_big is not None:
            self._stop_task(worker, "batch.memory", too_big, events)
