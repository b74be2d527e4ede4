"""The document side of a batch: one task in, one reply out, in a worker process of any engine."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import dataclasses
import errno
import gc
import hashlib
import importlib
import os
import pkgutil
import resource
import select
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path, PurePosixPath
from types import FrameType
from typing import Any, Literal, Protocol

from pipeline import __version__
from pipeline import progress as doc_progress
from pipeline.batch.files import MAX_RECORD_BYTES, _open_in_outdir, _open_regular_in
from pipeline.batch.limits import _limit_address_space, _rss_mb
from pipeline.batch.names import display_path
from pipeline.batch.urls import is_url
from pipeline.record.build import INCOMPLETE_CODES, failed_record
from pipeline.record.models import Record

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)  # both stop the batch cleanly
ProcessFn = Callable[[Path], Record]


class SpareSlots(Protocol):
    """A shared integer (``multiprocessing`` ``RawValue("i")``): written by the parent only."""

    value: int


@dataclasses.dataclass(frozen=True)
class RecordInfo:
    """The few facts about a record the manifest and the summary need."""

    sha256: str
    status: str
    seconds: float | None
    pages: int
    warnings: int
    error: str | None
    format: str
    doc_type: str | None
    pipeline_version: str
    incomplete: bool = False  # some pages not read (stopped for time or memory): resume redoes it

    @classmethod
    def of(cls, record: Record) -> RecordInfo:
        doc_type = record.document.doc_type if record.document else None
        return cls(
            sha256=record.source.sha256,
            status=record.status,
            seconds=record.seconds,
            pages=len(record.source.pages),
            warnings=len(record.warnings),
            error=record.errors[0].code if record.errors else None,
            format=record.source.format,
            doc_type=doc_type.name if doc_type else None,
            pipeline_version=record.pipeline_version,
            incomplete=any(warning.code in INCOMPLETE_CODES for warning in record.warnings),
        )


@dataclasses.dataclass(frozen=True)
class Task:
    id: int
    path: Path
    skip_if_sha256: str | None  # resume: the digest that already succeeded
    identity: tuple[int, int] | None = None  # the file the walk vetted (see Item)
    follow: bool = False  # a symbolic link the walk allowed; otherwise links are not followed
    max_bytes: int = 0  # inputs larger than this are refused unread (0: no limit)
    # Resume: OUTDIR and the record's path in it, checked before an input is skipped.
    outdir: str = ""
    output: str = ""
    salvage: str = ""  # why the document was stopped: rebuild its record from the pages read
    # False on another machine than the walk's (a Dask worker): its device numbers differ
    # for the same shared folder (NFS), so the input is checked by inode alone.
    check_device: bool = True
    # An object on a store: its URL and the version the walk saw (see walk.Item); OUTDIR
    # (``outdir``) may be a URL too.
    url: str = ""
    version: str = ""


@dataclasses.dataclass(frozen=True)
class Reply:
    task_id: int
    # "source" comes first and does not end the task: the input's sha256 and size, so that
    # a record for a timeout or a crash can name them without the parent reading the input.
    # "refused": the input was not read (changed after the walk, not a file, too large).
    kind: Literal["record", "skipped", "memory", "error", "source", "refused"]
    json: str = ""
    jsonl: str = ""
    info: RecordInfo | None = None
    message: str = ""
    cpu_seconds: float = 0.0
    max_rss_mb: float = 0.0  # peak resident memory of the worker process itself, so far
    last: bool = False  # the worker exits after this reply (to be replaced)
    sha256: str = ""
    size: int = 0
    code: str = ""  # the error code of a refusal


@dataclasses.dataclass(frozen=True)
class WorkerConfig:
    process: ProcessFn
    include_text: bool
    want_jsonl: bool
    max_memory_mb: int
    warm_up: bool
    # The built-in process function is given a private link to the descriptor the worker
    # opened and checked (``source=`` and ``digest=`` too); a custom one gets the input's path.
    reads_descriptor: bool = False
    limits: doc_progress.Limits = dataclasses.field(default_factory=doc_progress.Limits)  # time budget
    # VANBAN_* settings (e.g. VANBAN_OCR) as the caller has them now; workers fork from a
    # server that may have started before the caller changed its environment.
    environ: dict[str, str] = dataclasses.field(default_factory=dict)
    # fsspec options for inputs and OUTDIR given as URLs (--storage-option); the worker's own
    # configuration (fsspec's, the backend's) applies beneath them.
    storage_options: dict[str, Any] = dataclasses.field(default_factory=dict)


def serialize_record(record: Record) -> tuple[str, RecordInfo]:
    """JSON text of ``record``; paths with undecodable bytes are escaped first (JSON is UTF-8)."""
    if display_path(record.source.path) != record.source.path:
        record = record.model_copy(
            update={"source": record.source.model_copy(update={"path": display_path(record.source.path)})}
        )
    return record.model_dump_json(indent=2), RecordInfo.of(record)


def _warm_up() -> None:
    """Import the pipeline's components and readers once per worker, not once per document."""
    from pipeline import read, run

    names = [f"pipeline.{name}" for name in run.PIPELINE]
    names += [f"{read.__name__}.{module.name}" for module in pkgutil.iter_modules(read.__path__)]
    for name in names:
        with contextlib.suppress(Exception):  # a broken module fails its documents, not the worker
            importlib.import_module(name)


def _cpu_seconds() -> float:
    """CPU time of this worker and of the helper programs it ran (OCR, converters)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _peak_rss_mb() -> float:
    """Peak resident memory of this worker so far (its helper programs are not included).

    Not RUSAGE_CHILDREN: a helper's peak as the kernel keeps it starts at the worker's own
    resident size (the forked child has the worker's memory until it execs), so it says
    nothing about the helper itself. The parent samples helpers' memory from /proc instead.
    """
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


class _Refusal(Exception):
    """The worker does not read this input: a stable code and a message for its record."""

    def __init__(self, code: str, message: str, size: int = 0) -> None:
        super().__init__(message)
        self.code, self.message, self.size = code, message, size


_INPUT_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC  # NONBLOCK: a FIFO swapped in


def _open_input(task: Task) -> tuple[int, os.stat_result]:
    """Open the input once and check the descriptor: a regular file, the one the walk vetted,
    within the size limit. Links are not followed unless the walk allowed this one."""
    flags = _INPUT_FLAGS | (0 if task.follow else os.O_NOFOLLOW)
    try:
        fd = os.open(task.path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _Refusal(
                "batch.changed", "the file is now a symbolic link (changed after the walk); not followed"
            ) from None
        if exc.errno == errno.ENOENT:
            raise _Refusal("batch.not_found", "the file disappeared after the walk") from None
        raise _Refusal("read.unreadable", f"cannot open: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _Refusal("batch.not_a_file", "not a regular file (changed after the walk)")
        if task.identity is not None and (
            st.st_ino != task.identity[1] or (task.check_device and st.st_dev != task.identity[0])
        ):
            raise _Refusal("batch.changed", "the file was replaced after the walk; not read")
        if task.max_bytes and st.st_size > task.max_bytes:
            raise _Refusal(
                "batch.too_large",
                f"{st.st_size} bytes, over the limit of {task.max_bytes} bytes per input (--max-size)",
                st.st_size,
            )
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def _sha256_fd(fd: int, size: int) -> str:
    """Stream the descriptor's bytes (at most ``size``: the file may grow meanwhile)."""
    digest = hashlib.sha256()
    offset = 0
    while offset < size:
        block = os.pread(fd, min(1 << 20, size - offset), offset)
        if not block:
            break
        digest.update(block)
        offset += len(block)
    return digest.hexdigest()


@contextlib.contextmanager
def _descriptor_path(fd: int, path: Path) -> Iterator[Path]:
    """A path that reads the open descriptor ``fd``: a link to ``/proc/self/fd/<fd>`` with the
    input's own name, in a folder private to this worker, so readers that open a path (and
    report its name) get exactly the file that was checked. Without /proc: ``path`` itself."""
    magic = f"/proc/self/fd/{fd}"
    if not os.path.exists(magic):
        yield path
        return
    folder = tempfile.mkdtemp(prefix="input-")
    try:
        link = Path(folder) / (path.name or "input")
        os.symlink(magic, link)
        yield link
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _record_on_disk_matches(task: Task, digest: str, storage_options: dict[str, Any]) -> bool:
    """Resume: the record on disk is a valid record of this very input by this version."""
    if not task.outdir or not task.output:
        return False
    if is_url(task.outdir):
        from pipeline.batch import storage

        data = storage.read_object(task.outdir, task.output, storage_options, MAX_RECORD_BYTES)
        return data is not None and _is_record_of(data, digest)
    output = PurePosixPath(task.output)
    try:
        outdir_fd = os.open(task.outdir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            folder = _open_in_outdir(outdir_fd, output, create_dirs=False)
        finally:
            os.close(outdir_fd)
        try:
            fd = _open_regular_in(folder, output.name, os.O_RDONLY)
        finally:
            os.close(folder)
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(MAX_RECORD_BYTES + 1)
    except OSError:
        return False
    if len(data) > MAX_RECORD_BYTES:
        return False
    return _is_record_of(data, digest)


def _is_record_of(data: bytes, digest: str) -> bool:
    try:
        record = Record.model_validate_json(data)
    except ValueError:  # pydantic's ValidationError, broken JSON
        return False
    return (
        record.source.sha256 == digest
        and record.pipeline_version == __version__
        and record.status in ("ok", "partial")
    )


def _run_task(task: Task, config: WorkerConfig, notify: Callable[[Reply], None] | None = None) -> Reply:
    cpu_before = _cpu_seconds()
    if not task.url:
        return _run_file(task, config, notify, str(task.path), cpu_before)
    # An object on a store: downloaded into this worker's temporary folder (within the
    # document's limits), then read as a file; the record names the URL.
    from pipeline.batch import storage

    folder = tempfile.mkdtemp(prefix="object-")
    try:
        try:
            local = storage.fetch(task.url, task.version, task.max_bytes, config.storage_options, folder)
        except storage.Refused as refusal:
            return Reply(task.id, "refused", message=refusal.message, code=refusal.code, size=refusal.size)
        fetched = dataclasses.replace(task, path=local, identity=None, follow=False)
        return _run_file(fetched, config, notify, task.url, cpu_before)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run_file(
    task: Task, config: WorkerConfig, notify: Callable[[Reply], None] | None, source: str, cpu_before: float
) -> Reply:
    try:
        fd, st = _open_input(task)
    except _Refusal as refusal:
        return Reply(task.id, "refused", message=refusal.message, code=refusal.code, size=refusal.size)
    try:
        digest = _sha256_fd(fd, st.st_size)
        if notify is not None:
            notify(Reply(task.id, "source", sha256=digest, size=st.st_size))
        if (
            task.skip_if_sha256
            and digest == task.skip_if_sha256
            and _record_on_disk_matches(task, digest, config.storage_options)
        ):
            return Reply(task.id, "skipped")
        if config.reads_descriptor:
            process: Callable[..., Record] = config.process
            with _descriptor_path(fd, task.path) as readable:
                record = process(readable, source=source, digest=digest)
        else:
            record = config.process(task.path)
        if not config.include_text and record.text is not None:
            record = record.model_copy(update={"text": None})
        text, info, jsonl = _serialized(record, config, source, digest, st.st_size)
        kind: Literal["record", "skipped", "memory", "error"] = "record"
        message = ""
    except MemoryError:
        text, jsonl, info, kind, message = "", "", None, "memory", "ran out of memory (MemoryError)"
    except Exception as exc:  # a custom process function may raise; the batch goes on
        text, jsonl, info, kind, message = "", "", None, "error", repr(exc)
    finally:
        os.close(fd)
    return Reply(
        task.id,
        kind,
        json=text,
        jsonl=jsonl,
        info=info,
        message=message,
        cpu_seconds=_cpu_seconds() - cpu_before,
        max_rss_mb=_peak_rss_mb(),
    )


def _serialized(
    record: Record, config: WorkerConfig, path: Path | str, digest: str, size: int
) -> tuple[str, RecordInfo, str]:
    """The record's JSON (and JSON line); text that cannot be encoded (a lone surrogate a
    reader let through) fails the document with a clear code instead of losing it."""
    try:
        text, info = serialize_record(record)
        jsonl = record.model_dump_json() if config.want_jsonl else ""
    except (UnicodeError, ValueError) as exc:
        failed = failed_record(
            path,
            digest,
            size,
            record.source.format,
            "record.unencodable",
            f"the record cannot be written: {exc}",
            time.perf_counter(),
        )
        text, info = serialize_record(failed)
        jsonl = failed.model_dump_json() if config.want_jsonl else ""
    return text, info, jsonl


def _load_malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # glibc only
    except (OSError, AttributeError):
        return None
    return trim


_malloc_trim = _load_malloc_trim() if sys.platform.startswith("linux") else None


def _release_free_memory() -> None:
    """Free what the last document left behind, and give the heap back to the system.

    python-docx and pdfplumber objects hold their lxml trees and pdfminer objects in
    reference cycles, which only a full collection frees; left to the automatic one, they
    stayed into the next documents (53 MB after a long legacy .doc read through LibreOffice,
    28 MB after a long ruled PDF) and added to their peaks. What survives the collection is
    long-lived (modules, models, caches): it is frozen, so that later collections scan only
    newer objects (mostly under 20 ms instead of 70-180 ms once the models are loaded).
    Frozen objects are still freed when their last reference goes; only a cycle formed among
    them later would stay (none does here: 1,000 documents keep the workers flat,
    tests/test_batch_thousand.py).

    Then the heap glibc keeps: parsers (lxml, pdfminer) leave it fragmented, and without
    ``malloc_trim`` a worker's resident memory creeps up by tens of MB over a thousand
    documents although nothing leaks.
    """
    gc.collect()
    gc.freeze()
    if _malloc_trim is not None:
        _malloc_trim(0)


def _ignore_stop_signal(signum: int, frame: FrameType | None) -> None:
    """Workers leave SIGINT/SIGTERM to the parent (a handler, not SIG_IGN: helpers reset it)."""


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Linux: get SIGKILL when the process that forked this worker ends (the forkserver, which
    ends with the batch's parent), so a batch killed outright leaves no worker behind."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _use_temp_folder(folder: str) -> None:
    """Send this worker's and its helpers' temporary files into ``folder`` (removed by the parent)."""
    if folder and os.path.isdir(folder):
        os.environ["TMPDIR"] = folder
        tempfile.tempdir = folder


def _die_with_owner(owner: int) -> None:
    """End this worker and its helpers as soon as the process that owns its pool ends.

    The parent-death signal is tied to the forkserver, and the forkserver lives on while any
    of its children does (each holds its "alive" pipe): a pool whose owner was killed
    outright (the batch, or a Dask worker killed by the OOM killer) would otherwise keep
    running its document, up to its whole time budget, with nobody to report to.
    """
    if owner <= 0:
        return
    try:
        handle = os.pidfd_open(owner)
    except (AttributeError, OSError):  # no pidfd (old kernel): check once a second
        handle = -1

    def watch() -> None:
        if handle >= 0:
            select.select([handle], [], [])  # readable once the owner has ended
        else:
            while _alive(owner):
                time.sleep(1.0)
        with contextlib.suppress(OSError):
            os.killpg(0, signal.SIGKILL)  # this worker's group: it and its helper programs
        os._exit(1)

    threading.Thread(target=watch, name="vanban-owner-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def worker_main(
    conn: Connection,
    config: WorkerConfig,
    temp_folder: str = "",
    owner: int = 0,
    spare: SpareSlots | None = None,
) -> None:
    """Worker loop: say "ready", then one task in, one reply out, until told to stop.

    ``spare`` is a number the parent writes and this worker only reads: how many of the
    batch's CPU slots its document may use beside its own (pages OCR'd at once; see
    ``pipeline.batch.native``)."""
    # Its own process group: Ctrl-C in the terminal reaches only the parent, which decides,
    # and a stopped worker's helper programs (tesseract) can be stopped with it.
    with contextlib.suppress(OSError):
        os.setpgrp()
    for signum in STOP_SIGNALS:
        signal.signal(signum, _ignore_stop_signal)
    _die_with_parent()
    _die_with_owner(owner)
    os.environ.update(config.environ)
    _use_temp_folder(temp_folder)
    try:
        _serve(conn, config, spare)
    finally:
        # multiprocessing ends children with os._exit, which skips atexit handlers that
        # components registered (e.g. removing a LibreOffice profile): run them here.
        atexit._run_exitfuncs()


def _send_quietly(conn: Connection, reply: Reply) -> None:
    with contextlib.suppress(OSError, ValueError):  # the parent is gone: the next send says so
        conn.send(reply)


def _serve(conn: Connection, config: WorkerConfig, spare: SpareSlots | None = None) -> None:
    if config.warm_up:
        _warm_up()
    recycle_mb = config.max_memory_mb * 0.75 if config.max_memory_mb > 0 else float("inf")
    conn.send("ready")
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if task is None:
            return
        if config.max_memory_mb > 0:  # measured afresh so that one document's leftovers do not count
            _limit_address_space(config.max_memory_mb)
        doc_progress.begin(_tracker(task, config, conn, spare))
        reply = _run_task(task, config, partial(_send_quietly, conn))
        doc_progress.begin(None)
        _release_free_memory()
        # A worker that hit MemoryError or grew large is replaced to keep memory flat.
        last = reply.kind == "memory" or _rss_mb() > recycle_mb
        try:
            conn.send(dataclasses.replace(reply, last=last))
        except OSError:
            return  # the parent is gone
        if last:
            return


def _tracker(
    task: Task, config: WorkerConfig, conn: Connection, spare: SpareSlots | None = None
) -> doc_progress.Tracker:
    """The document's progress reports go to the parent over the worker's pipe; the slots the
    parent grants it are read from ``spare``."""
    return doc_progress.Tracker(
        task.id,
        config.limits,
        send=conn.send,
        salvage=task.salvage,
        spare=None if spare is None else partial(getattr, spare, "value"),
    )
