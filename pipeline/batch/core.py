"""The batch itself, whatever engine runs the documents: walk → engine → write → manifest.

``_Batch`` walks the inputs, builds one ``Task`` per document, hands it to the engine
(``pipeline.batch.engine``), and turns each event it gets back into a record written
atomically, a manifest line, a line on the stream, the summary's counters and the progress
bar. Resume (what to skip), salvage (a document stopped for time or memory rebuilt from the
pages it read) and the exit status are decided here, once for every engine.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from pipeline import progress as doc_progress
from pipeline.batch.engine import Done, Engine, Event, Progress, Stopped
from pipeline.batch.files import remove_stale_worker_folders
from pipeline.batch.manifest import Output, OutputError, _finished_digests, _open_output, write_manifest_line
from pipeline.batch.progress import _Progress
from pipeline.batch.summary import EXIT_INTERRUPTED, BatchSummary
from pipeline.batch.urls import Location, StorageError, as_location, check_shared
from pipeline.batch.walk import Ignored, Item, WalkEntry, unique_outputs, walk_inputs
from pipeline.batch.worker import (
    STOP_SIGNALS,
    ProcessFn,
    RecordInfo,
    Reply,
    Task,
    WorkerConfig,
    serialize_record,
)
from pipeline.record.build import failed_record
from pipeline.record.models import Record
from pipeline.run import process_file

POLL_SECONDS = 0.1  # how often deadlines, memory and Ctrl-C are checked
# Inputs over this size are refused unread (``batch.too_large``): the largest scanned
# archives seen are tens of MB; a multi-GB "PDF" would only hold a worker for minutes.
DEFAULT_MAX_INPUT_MB = 512


class _Interrupt:
    """Turns SIGINT and SIGTERM into a flag while the batch runs (main thread only), then
    restores the previous handlers."""

    def __init__(self) -> None:
        self.requested = False
        self.signum = 0
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _Interrupt:
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.requested:  # a second Ctrl-C (or SIGTERM): stop now
            raise KeyboardInterrupt
        self.requested, self.signum = True, signum

    def __exit__(self, *exc: object) -> None:
        for signum, previous in self._previous.items():
            if previous is not None:  # None: a handler not set from Python, cannot be restored
                signal.signal(signum, previous)


class _Batch:
    """The state of one run: the manifest, counters, the tasks in flight. Nothing per
    finished document."""

    def __init__(
        self,
        outdir: Location | None,
        engine: Engine,
        jsonl: TextIO | None,
        progress: _Progress,
        finished: dict[str, str],
        output: Output | None = None,
        max_bytes: int = 0,
    ) -> None:
        self.outdir = outdir
        # What a worker opens to check a record before --resume skips its input: a URL as given.
        self.outdir_real = os.path.realpath(outdir) if isinstance(outdir, Path) else outdir or ""
        self.output = output
        self.max_bytes = max_bytes
        self.engine = engine
        self.jsonl = jsonl
        self.progress = progress
        self.finished = finished
        self.summary = BatchSummary(jobs=engine.slots)
        self.items: dict[int, Item] = {}  # in flight only
        self.salvages: dict[Item, str] = {}  # stopped documents waiting to be rebuilt from their pages
        self.salvage_runs: set[int] = set()  # ids of the tasks that rebuild such a document
        self.next_id = 0
        self.started = time.perf_counter()
        self.last_done = 0.0  # when the last document was finished
        if output is not None:  # an earlier run may have been killed
            self.summary.stale_temp_files = output.remove_stale()
        remove_stale_worker_folders()
        self.manifest = output.manifest if output is not None else None
        # Whether the workers keep OCR'd pages (salvage rebuilds a stopped document from them).
        self.page_cache = outdir is not None

    # -- manifest and outputs ----------------------------------------------------------

    def record(
        self, item: Item, text: str, info: RecordInfo, cpu_seconds: float = 0.0, jsonl: str = ""
    ) -> None:
        """Write one finished document: output file, manifest line, stream line, counters.
        The record is renamed into place before its manifest line is written."""
        if self.outdir is not None and self.manifest is not None and self.output is not None:
            text, info = self.write_output(item, text, info)
            write_manifest_line(self.manifest, item, info, cpu_seconds)
            self.output.sync()
        if self.jsonl is not None:
            self.stream(jsonl or json.dumps(json.loads(text), ensure_ascii=False))
        self.summary.add(info, item.shown, cpu_seconds)
        self.last_done = time.perf_counter()
        self.progress.advance(self.summary)

    def write_output(self, item: Item, text: str, info: RecordInfo) -> tuple[str, RecordInfo]:
        assert self.output is not None
        try:  # every folder on the way opened without following links: a planted link is refused
            self.output.write_record(item.output, text)
        except OSError as exc:
            return self._failed_json(item, "batch.write_failed", f"cannot write the record: {exc}")
        return text, info

    def stream(self, line: str) -> None:
        assert self.jsonl is not None
        try:
            self.jsonl.write(line + "\n")
            self.jsonl.flush()
        except BrokenPipeError:  # the reader went away (``| head``): the files still get written
            self.jsonl = None

    def _failed_json(
        self, item: Item, code: str, message: str, seconds: float = 0.0, source: tuple[str, int] = ("", 0)
    ) -> tuple[str, RecordInfo]:
        # The parent never reads an input: the digest and size are the worker's, when it got
        # that far (a timeout, a crash), else empty.
        record = failed_record(
            item.url or item.path,
            source[0],
            source[1],
            "unknown",
            code,
            message,
            time.perf_counter() - seconds,
        )
        return serialize_record(record)

    def fail(
        self, item: Item, code: str, message: str, seconds: float = 0.0, source: tuple[str, int] = ("", 0)
    ) -> None:
        text, info = self._failed_json(item, code, message, seconds, source)
        self.record(item, text, info)

    # -- tasks -------------------------------------------------------------------------

    def dispatch(self, item: Item) -> None:
        self.next_id += 1
        output = item.output.as_posix()
        salvage = self.salvages.pop(item, "")
        skip_if = None if salvage else self.finished.get(output)  # the worker checks the record on disk too
        task = Task(
            self.next_id,
            item.path,
            skip_if,
            identity=item.identity,
            follow=item.follow,
            max_bytes=self.max_bytes,
            outdir=self.outdir_real if skip_if else "",
            output=output if skip_if else "",
            salvage=salvage,
            url=item.url,
            version=item.version,
        )
        self.items[task.id] = item
        if salvage:
            self.salvage_runs.add(task.id)
        self.engine.submit(task)

    def handle(self, event: Event) -> None:
        if isinstance(event, Progress):
            item = self.items.get(event.task_id)
            if item is not None:
                self.progress.document(item.shown, event.event)
            return
        item = self.items.pop(event.task_id, None)
        if item is None:  # not (or no longer) in flight: never recorded twice
            return
        was_salvage = event.task_id in self.salvage_runs
        self.salvage_runs.discard(event.task_id)
        if isinstance(event, Stopped):
            if was_salvage or not self.salvage(item, event):  # a salvage run is never salvaged again
                self.fail(item, event.code, event.message, event.seconds, event.source)
            return
        self.handle_reply(item, event)

    def handle_reply(self, item: Item, done: Done) -> None:
        reply: Reply = done.reply
        if reply.kind == "skipped":
            self.summary.resumed += 1
            self.progress.advance(self.summary)
        elif reply.kind == "record" and reply.info is not None:
            self.record(item, reply.json, reply.info, reply.cpu_seconds, reply.jsonl)
        elif reply.kind == "refused":
            self.fail(item, reply.code, reply.message, done.seconds, ("", reply.size))
        elif reply.kind == "memory":
            self.fail(item, "batch.memory", reply.message, done.seconds, done.source)
        else:
            self.fail(item, "batch.error", reply.message, done.seconds, done.source)

    def salvage(self, item: Item, stopped: Stopped) -> bool:
        """A document stopped for time or memory after some of its pages were OCR'd (and
        kept in the page cache) is run once more without OCR, so that its record keeps
        the pages read and names the missing ones; True when so queued."""
        if not self.page_cache or stopped.code not in ("batch.timeout", "batch.memory"):
            return False
        if stopped.ocr_started < 2:  # the first page OCR'd was still running: nothing kept
            return False
        message = stopped.message.removesuffix("; stopped")
        self.salvages[item] = f"the document was stopped ({stopped.code}: {message})"
        return True

    # -- the loop ----------------------------------------------------------------------

    def run(self, entries: Iterator[WalkEntry], interrupt: _Interrupt) -> None:
        pending: Item | None = None
        exhausted = False
        while not interrupt.requested:
            if pending is None and self.salvages:
                pending = next(iter(self.salvages))
            if pending is None and not exhausted:
                pending = self.next_item(entries)
                exhausted = pending is None
            if pending is not None:
                if self.engine.has_room():
                    self.dispatch(pending)
                    pending = None
                    continue
            elif not self.engine.in_flight() and not self.salvages:
                return
            for event in self.engine.poll(POLL_SECONDS):
                self.handle(event)
        self.summary.interrupted = True
        self.summary.stop_signal = interrupt.signum

    def next_item(self, entries: Iterator[WalkEntry]) -> Item | None:
        """The next input that needs a worker; walk problems are recorded on the way."""
        for entry in entries:
            if isinstance(entry, Ignored):
                self.summary.ignored[entry.reason] += 1
            elif entry.problem is not None:
                self.fail(entry, *entry.problem)
            else:
                return entry
        return None

    def shutdown(self) -> None:
        self.summary.unfinished = len(self.items) + len(self.salvages)
        try:
            self.engine.close(interrupted=self.summary.interrupted)
        finally:
            stats = self.engine.stats
            summary = self.summary
            summary.jobs = self.engine.slots  # a Dask cluster may have grown since the start
            summary.workers_started = stats.workers_started
            summary.peak_worker_rss_mb = max(summary.peak_worker_rss_mb, stats.peak_worker_rss_mb)
            summary.peak_worker_own_rss_mb = max(summary.peak_worker_own_rss_mb, stats.peak_worker_own_rss_mb)
            summary.peak_helper_rss_mb = max(summary.peak_helper_rss_mb, stats.peak_helper_rss_mb)
            if stats.first_ready:
                summary.startup_seconds = stats.first_ready - self.started
                summary.work_seconds = max(0.0, (self.last_done or stats.first_ready) - stats.first_ready)
            if self.output is not None:
                self.output.close()
            if isinstance(self.outdir, Path):
                _prune_page_cache(self.outdir)


def default_jobs() -> int:
    """Usable CPUs (respects container and taskset limits)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def run_batch(
    inputs: Sequence[Location],
    outdir: Location | None,
    *,
    jobs: int | None = None,
    resume: bool = False,
    timeout: float = 300,
    page_seconds: float = doc_progress.Limits.per_page,
    ocr_page_seconds: float = doc_progress.Limits.per_ocr_page,
    max_memory_mb: int = 2048,
    max_input_mb: float = DEFAULT_MAX_INPUT_MB,
    include_text: bool = True,
    progress: bool = True,
    process: ProcessFn = process_file,
    jsonl: TextIO | None = None,
    scheduler: str | None = None,
    storage_options: dict[str, Any] | None = None,
) -> BatchSummary:
    """Turn every file under ``inputs`` (files or folders) into ``OUTDIR/<path>.json``.

    Args:
        inputs: files and folders; folders are walked recursively (policy in the package doc).
        outdir: created if missing; gets one JSON per input and ``manifest.jsonl``.
            None writes no files (stream with ``jsonl`` instead).
        jobs: worker processes; default: the usable CPUs. With ``scheduler="local"``, the
            Dask workers started; with a scheduler address, ignored (the cluster decides).
        resume: skip inputs that already succeeded (ok or partial) with this pipeline
            version and the same sha256 according to the manifest, if their output exists.
        timeout, page_seconds, ocr_page_seconds: a document's time budget (wall clock):
            ``timeout`` plus ``page_seconds`` per page plus ``ocr_page_seconds`` per page
            whose OCR has started (``pipeline.progress``). A document that outruns it is
            stopped: its OCR'd pages are kept (status partial, an ``ocr.stopped`` warning
            naming the missing pages) when there is an output folder, else ``batch.timeout``.
        max_memory_mb: resident memory allowed per worker (and address space a single
            document may add) before the document becomes ``batch.memory``; 0 disables.
        max_input_mb: inputs larger than this are refused unread (``batch.too_large``);
            0 disables.
        include_text: keep the normalised page text in each record.
        progress: show a progress bar on stderr.
        process: the one-document function; must be picklable (a module-level function).
        jsonl: also stream every record as one JSON line to this text stream.
        scheduler: None runs the documents on this machine's worker processes (the native
            pool); ``"local"`` on a Dask LocalCluster started for the run; ``tcp://HOST:PORT``
            on a running Dask cluster (``pipeline.batch.dask_engine``: inputs and OUTDIR
            must be at the same path on every worker).
        storage_options: fsspec options (endpoint, credentials) for inputs and ``outdir`` given
            as URLs (``s3://bucket/prefix``: ``pipeline.batch.storage``); beneath them the
            backend's and fsspec's own configuration applies.

    Returns a ``BatchSummary``; ``exit_code(summary)`` is 0 (all ok or partial), 1 (some
    failed), 130 (interrupted by Ctrl-C) or 143 (by SIGTERM). Both signals stop cleanly:
    finished documents stay written and in the manifest. Never raises for a bad document;
    raises OutputError before any document when OUTDIR cannot be used safely, and
    StorageError when a URL's storage cannot be used (no bucket, credentials refused).
    """
    started = time.perf_counter()
    inputs = [as_location(path) for path in inputs]
    outdir = as_location(outdir) if outdir is not None else None
    options = dict(storage_options or {})
    for location in [*inputs, *([outdir] if outdir is not None else [])]:
        check_shared(location)
    remote = [location for location in inputs if isinstance(location, str)]
    if remote and len(remote) != len(inputs):
        raise StorageError("give the inputs either as paths or as URLs, not both")
    if remote:
        from pipeline.batch import storage

        storage.check_inputs(remote, options)
    output = _open_any_output(outdir, inputs, options) if outdir is not None else None
    if outdir is None and resume:
        raise ValueError("resume needs an output folder and its manifest")
    if process is process_file and not include_text:
        process = _process_without_text
    config = WorkerConfig(
        process=process,
        include_text=include_text,
        want_jsonl=jsonl is not None,
        max_memory_mb=max_memory_mb,
        warm_up=process in (process_file, _process_without_text),
        reads_descriptor=process in (process_file, _process_without_text),
        environ=_worker_environ(outdir, output, scheduler),
        limits=doc_progress.Limits(timeout, page_seconds, ocr_page_seconds),
        storage_options=options,
    )
    try:
        finished = _finished_digests(output.path) if output is not None and resume else {}
        engine = _engine(config, jobs, scheduler)
    except BaseException:
        if output is not None:
            output.close()
        raise
    bar = _Progress(progress, partial(_walk, inputs, outdir, options))
    max_bytes = int(max_input_mb * 2**20) if max_input_mb > 0 else 0
    batch = _Batch(outdir, engine, jsonl, bar, finished, output, max_bytes)
    batch.page_cache = _has_page_cache(config.environ)
    try:
        with _Interrupt() as interrupt:
            try:
                batch.run(_walk(inputs, outdir, options), interrupt)
            except KeyboardInterrupt:
                batch.summary.interrupted = True
                batch.summary.stop_signal = interrupt.signum or signal.SIGINT
    finally:
        batch.shutdown()
        bar.close()
    batch.summary.wall_seconds = time.perf_counter() - started
    return batch.summary


def _engine(config: WorkerConfig, jobs: int | None, scheduler: str | None) -> Engine:
    """The native pool, or Dask when a scheduler is named (dask is imported only then)."""
    if not scheduler:
        from pipeline.batch.native import NativePool

        return NativePool(config, jobs or default_jobs())
    from pipeline.batch.dask_engine import DaskEngine

    return DaskEngine(config, scheduler, jobs or default_jobs())


def _open_any_output(outdir: Location, inputs: list[Location], options: dict[str, Any]) -> Output:
    """OUTDIR opened: a folder (``manifest._open_output``) or a store's prefix (``storage``)."""
    if isinstance(outdir, Path):
        return _open_output(outdir, [path for path in inputs if isinstance(path, Path)])
    from pipeline.batch import storage

    for location in inputs:
        if isinstance(location, str) and storage.same_location(location, outdir, options):
            raise OutputError(f"the output prefix {outdir} is an input")
    return storage.RemoteOutput(outdir, options)


def _walk(inputs: list[Location], outdir: Location | None, options: dict[str, Any]) -> Iterator[WalkEntry]:
    """The walk of local folders (``walk``) or of a store's prefixes (``storage``)."""
    local_outdir = outdir if isinstance(outdir, Path) else None
    paths = [location for location in inputs if isinstance(location, Path)]
    if len(paths) == len(inputs):
        return walk_inputs(paths, local_outdir)
    from pipeline.batch import storage

    urls = [location for location in inputs if isinstance(location, str)]
    return unique_outputs(storage.walk_remote(urls, outdir, options))


def _worker_environ(
    outdir: Location | None, output: Output | None = None, scheduler: str | None = None
) -> dict[str, str]:
    """VANBAN_* settings for the workers; with an output folder, the OCR page cache in it
    (``OUTDIR/.pages``: pages read are kept until their document's OCR is complete). With
    OUTDIR on a store, the cache is in the run's local folder, which only workers on this
    machine see: none with a remote scheduler."""
    from pipeline.repair import page_cache

    environ = {key: value for key, value in os.environ.items() if key.startswith("VANBAN_")}
    if isinstance(outdir, Path):
        environ[page_cache.ENVIRONMENT] = str(Path(outdir).resolve() / page_cache.FOLDER_NAME)
    elif output is not None and scheduler in (None, "local"):
        environ[page_cache.ENVIRONMENT] = str(output.path / page_cache.FOLDER_NAME)
    return environ


def _has_page_cache(environ: dict[str, str]) -> bool:
    from pipeline.repair import page_cache

    return bool(environ.get(page_cache.ENVIRONMENT))


def _prune_page_cache(outdir: Path) -> None:
    """Remove the page cache's folders of documents whose OCR finished."""
    from pipeline.repair import page_cache

    page_cache.prune(outdir / page_cache.FOLDER_NAME)


def _process_without_text(path: Path, *, source: str | None = None, digest: str | None = None) -> Record:
    return process_file(path, include_text=False, source=source, digest=digest)


def exit_code(summary: BatchSummary) -> int:
    """The command's exit status: 0 all ok or partial, 1 some failed, 130 Ctrl-C, 143 SIGTERM."""
    return summary.exit_code


def print_summary(summary: BatchSummary, stream: TextIO = sys.stderr) -> None:
    """Print ``summary.render()``; a helper for the command line."""
    print(summary.render(), file=stream)


__all__ = [
    "DEFAULT_MAX_INPUT_MB",
    "EXIT_INTERRUPTED",
    "OutputError",
    "default_jobs",
    "exit_code",
    "print_summary",
    "run_batch",
]
