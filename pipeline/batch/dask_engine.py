"""The Dask engine: documents as Dask distributed tasks (``vanban extract --scheduler``).

``--scheduler local`` starts a LocalCluster on this machine (``jobs`` worker processes,
one thread each); ``--scheduler tcp://HOST:8786`` uses a running cluster. The batch core
(walk, records, manifest, resume, salvage, summary) is the one the native pool serves;
this module only runs tasks:

* **Where a document runs.** Each Dask worker thread keeps a one-process ``NativePool`` of
  its own, and each task runs its document there: the time budget, the memory watch of the
  worker and its helper programs, the address-space limit, the temporary folder and the
  crash isolation are the native pool's code. A document that hangs, grows or segfaults
  kills only that process; the Dask task returns the ``Stopped`` event like any result.
* **Who writes.** The client (the ``vanban extract`` process) writes every record and every
  manifest line, with the same code as the native pool: OUTDIR opened once, folders without
  following links, a record renamed into place before its line. One writer means no
  locking across machines, and a task Dask runs twice (after a worker died) or that keeps
  running after the client stopped can never write a record or a manifest line of its own.
  The record's JSON travels back with the result (tens to hundreds of kB, next to seconds
  of work per document).
* **What the workers must see.** The inputs, and OUTDIR (``--resume`` checks the record on
  disk, and the OCR page cache is ``OUTDIR/.pages``), at the same path on every machine: a
  shared folder. On another machine the walk's device number is not comparable (NFS), so
  there the input is checked by inode alone. Or object storage every worker reaches
  (``s3://``: ``pipeline.batch.storage``): each worker downloads its documents' objects.
* **A worker lost.** A Dask worker that dies (killed, the machine's OOM killer) has its
  tasks run again elsewhere by the scheduler; a document that kills every worker it lands
  on is given up after the scheduler's ``allowed-failures`` (``ALLOWED_FAILURES`` on the
  LocalCluster) and recorded ``batch.crashed``. Only the client records, and only once per
  task, so nothing is lost or written twice.
* **The scheduler lost.** The client reconnects (within Dask's connect timeout,
  ``distributed.comm.timeouts.connect``); the tasks the restart cancelled are submitted
  again (at most ``MAX_RESUBMITS`` times each). A scheduler that does not come back ends
  the run with an error; what was recorded stays, and ``--resume`` finishes.

Dask is an optional extra (``pip install vanban[dask]``): only this module imports it,
and only when a scheduler is given.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import multiprocessing
import queue
import secrets
import socket
import threading
import time
from typing import Any

from pipeline import progress as doc_progress
from pipeline.batch.engine import Done, EngineStats, Event, Progress, Stopped
from pipeline.batch.native import NativePool
from pipeline.batch.worker import Task, WorkerConfig

try:
    import dask
    import distributed
except ImportError as exc:  # pragma: no cover - the message is the point
    raise ImportError("--scheduler needs Dask: pip install 'vanban[dask]' (dask[distributed])") from exc

# A Dask worker that dies with a task in hand (killed, out of memory) has its task run
# again elsewhere; after this many deaths the document is recorded batch.crashed.
ALLOWED_FAILURES = 2
MAX_RESUBMITS = 5  # tasks cancelled by a scheduler restart are submitted again, this often at most
QUEUED_PER_SLOT = 2  # tasks in flight per worker thread: the next document waits on the worker
SLOTS_REFRESH_SECONDS = 5.0  # how often the cluster's size is read again (workers come and go)
REMOTE_POLL_SECONDS = 0.1
PROGRESS_TOPIC = "vanban-progress"
# Diagnostics a batch does not use, which cost CPU on every process of the cluster: the
# workers' statistical profiler (a stack sample every 10 ms), the event-loop tick monitor
# (every 20 ms) and the system monitor (every 0.5 s). An idle 2-worker LocalCluster took
# 1.5 CPU s per 20 s with them (its scheduler, nannies and workers), 0.28 without.
QUIET_SETTINGS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
}


# --------------------------------------------------------------------------------------
# On the Dask worker
# --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RemoteResult:
    event: Done | Stopped
    stats: EngineStats  # the worker thread's pool: peaks so far, processes started by this task


_local = threading.local()


def _allow_children() -> None:
    """Let this Dask worker process start its pool's process.

    Dask's nanny starts workers as daemonic processes (``distributed.worker.daemon``), and
    multiprocessing refuses children to a daemonic process, lest they outlive it. The pool's
    processes cannot: each dies with the forkserver it was forked from (a parent-death
    signal), and the forkserver ends with this process.
    """
    process = multiprocessing.current_process()
    if process.daemon:
        process._config["daemon"] = False  # type: ignore[attr-defined]


def _pool(config: WorkerConfig, key: str) -> NativePool:
    """This thread's one-process pool for the run ``key`` (started afresh for another run:
    its settings may differ)."""
    current: tuple[str, NativePool] | None = getattr(_local, "pool", None)
    if current is not None and current[0] == key:
        return current[1]
    if current is not None:
        current[1].close(interrupted=False)
    _allow_children()
    pool = NativePool(config, 1)
    _local.pool = (key, pool)
    return pool


def _publish(worker: Any, key: str, event: Progress) -> None:
    with contextlib.suppress(Exception):  # the bar's page line is a nicety; the document goes on
        worker.log_event(PROGRESS_TOPIC, {"key": key, "event": dataclasses.asdict(event.event)})


def run_remote(task: Task, config: WorkerConfig, run: str, client_host: str, key: str) -> RemoteResult:
    """The Dask task: run one document on this worker thread's pool; never raises for a document."""
    if task.identity is not None and socket.gethostname() != client_host:
        task = dataclasses.replace(task, check_device=False)  # another machine's device numbers
    try:
        worker = distributed.get_worker()
    except ValueError:
        worker = None
    pool = _pool(config, run)
    before = pool.stats.workers_started
    while not pool.has_room():
        pool.poll(REMOTE_POLL_SECONDS)  # the process is starting (nothing in flight here)
    pool.submit(task)
    while True:
        for event in pool.poll(REMOTE_POLL_SECONDS):
            if isinstance(event, Progress):
                if worker is not None:
                    _publish(worker, key, event)
                continue
            stats = dataclasses.replace(pool.stats, workers_started=pool.stats.workers_started - before)
            return RemoteResult(event, stats)


# --------------------------------------------------------------------------------------
# On the client
# --------------------------------------------------------------------------------------


def local_cluster(jobs: int) -> Any:
    """The LocalCluster of ``--scheduler local``: ``jobs`` worker processes, one thread each."""
    # The scheduler runs in this process: its settings are read when it starts. A worker
    # holds one task at a time (worker-saturation 1.0), the rest wait at the scheduler: a
    # document queued behind a long scan on one worker would wait while another is idle.
    settings = {
        "distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
        "distributed.scheduler.worker-saturation": 1.0,
        **QUIET_SETTINGS,
    }
    with dask.config.set(settings):
        return distributed.LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            memory_limit=0,  # the pool's own memory watch applies (--max-memory)
            dashboard_address=None,
        )


class DaskEngine:
    """Tasks as Dask futures; see the module docstring."""

    def __init__(self, config: WorkerConfig, scheduler: str, jobs: int) -> None:
        self.config = config
        self.stats = EngineStats()
        self.cluster: Any = None
        self.host = socket.gethostname()
        self.token = secrets.token_hex(6)
        self.futures: dict[int, Any] = {}  # task id -> its current future
        self.tasks: dict[int, Task] = {}
        self.resubmits: dict[int, int] = {}
        self.progress: queue.SimpleQueue[tuple[str, dict[str, Any]]] = queue.SimpleQueue()
        self.keys: dict[str, int] = {}  # future key -> task id
        try:
            if scheduler == "local":
                self.cluster = local_cluster(jobs)
                self.client = distributed.Client(self.cluster, set_as_default=False)
            else:
                self.client = distributed.Client(scheduler, set_as_default=False)
            self.client.subscribe_topic(PROGRESS_TOPIC, self._on_progress)
            self.client.wait_for_workers(jobs if self.cluster is not None else 1)
        except BaseException:
            if self.cluster is not None:
                self.cluster.close()
            raise
        self.stats.first_ready = time.perf_counter()
        self.slots = jobs
        self.slots_read = 0.0
        self._read_slots()
        self.stats.workers_started = self.slots

    # -- the engine interface ------------------------------------------------------------

    def has_room(self) -> bool:
        return len(self.futures) < self.slots * QUEUED_PER_SLOT

    def submit(self, task: Task) -> None:
        self.tasks[task.id] = task
        self._submit(task)

    def in_flight(self) -> int:
        return len(self.futures)

    def poll(self, timeout: float) -> list[Event]:
        deadline = time.perf_counter() + timeout
        events: list[Event] = []
        while True:
            self._take_progress(events)
            for task_id, future in list(self.futures.items()):
                if future.status != "pending":
                    self._finish(task_id, future, events)
            if events or time.perf_counter() >= deadline:
                break
            time.sleep(0.01)
        if self.client.status in ("closing", "closed"):
            raise RuntimeError("lost the Dask scheduler (it did not come back in time)")
        if time.perf_counter() - self.slots_read > SLOTS_REFRESH_SECONDS:
            self._read_slots()
        return events

    def close(self, *, interrupted: bool) -> None:
        futures = list(self.futures.values())
        self.futures.clear()
        with contextlib.suppress(Exception):
            if futures:
                self.client.cancel(futures)
        with contextlib.suppress(Exception):
            self.client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()

    # -- futures -------------------------------------------------------------------------

    def _submit(self, task: Task) -> None:
        attempt = self.resubmits.get(task.id, 0)
        key = f"vanban-{self.token}-{task.id}-{attempt}"
        self.keys[key] = task.id
        self.futures[task.id] = self.client.submit(
            run_remote, task, self.config, self.token, self.host, key, key=key, pure=False
        )

    def _finish(self, task_id: int, future: Any, events: list[Event]) -> None:
        del self.futures[task_id]
        self.keys.pop(future.key, None)
        outcome = self._outcome(future)
        if isinstance(outcome, RemoteResult):
            self.stats.merge_peaks(outcome.stats)
            self.stats.workers_started += outcome.stats.workers_started
            events.append(outcome.event)
        elif outcome is None:  # the scheduler was restarted: run it again
            tries = self.resubmits.get(task_id, 0) + 1
            self.resubmits[task_id] = tries
            if tries > MAX_RESUBMITS:
                events.append(
                    Stopped(task_id, "batch.crashed", f"the Dask cluster lost the task {tries} times", 0.0)
                )
            else:
                self._wait_for_scheduler()
                self._submit(self.tasks[task_id])
                return
        elif isinstance(outcome, distributed.KilledWorker):
            message = (
                f"the Dask workers running it died {outcome.allowed_failures + 1} times "
                "(perhaps the system's out-of-memory killer); not run again"
            )
            events.append(Stopped(task_id, "batch.crashed", message, 0.0))
        else:  # the task itself raised (a worker that cannot start its pool): not the document's doing
            events.append(Stopped(task_id, "batch.error", f"the Dask task failed: {outcome!r}", 0.0))
        self.tasks.pop(task_id, None)
        self.resubmits.pop(task_id, None)

    @staticmethod
    def _outcome(future: Any) -> RemoteResult | BaseException | None:
        """A done future's result or error; None when the task was lost with the scheduler,
        including when the scheduler died after the task finished but before the client
        fetched its result (a CommClosedError, an OSError): the task is then run again."""
        if future.status in ("cancelled", "lost"):
            return None
        try:
            if future.status == "finished":
                result: RemoteResult = future.result()
                return result
            error: BaseException = future.exception()
            return error
        except (
            OSError,
            asyncio.CancelledError,
            concurrent.futures.CancelledError,
        ):  # lost, or cancelled by the client's reconnect
            return None

    def _wait_for_scheduler(self) -> None:
        """Resubmit only once the client is connected again (or has given up: poll says so)."""
        while self.client.status not in ("running", "closing", "closed"):
            time.sleep(0.1)

    def _read_slots(self) -> None:
        self.slots_read = time.perf_counter()
        with contextlib.suppress(Exception):
            threads = sum(self.client.nthreads().values())
            if threads:
                self.slots = threads

    def _on_progress(self, message: tuple[float, dict[str, Any]]) -> None:
        self.progress.put(("", message[1]))

    def _take_progress(self, events: list[Event]) -> None:
        while True:
            try:
                _, message = self.progress.get_nowait()
            except queue.Empty:
                return
            task_id = self.keys.get(message.get("key", ""))
            if task_id is not None:
                events.append(Progress(task_id, doc_progress.Event(**message["event"])))
