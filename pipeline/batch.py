"""Run the pipeline over folders of documents: many files, worker processes, one JSON each.

``run_batch`` is the library entry point behind ``vanban extract``. It never lets one bad
file stop or corrupt the batch:

* The walk is streamed (a generator), recursive and sorted by name within each folder.
* Each document runs in a long-lived worker process with a wall-time limit and a memory
  guard. A hang, a crash (segfault, ``os._exit``) or running out of memory becomes that
  document's failed record (``batch.timeout``, ``batch.crashed``, ``batch.memory``); the
  worker is replaced and the rest go on.
* The time limit fits the work: a base plus a budget per page and per OCR'd page, moved
  by the worker's progress reports (``pipeline.progress``). OCR'd pages are kept in
  ``OUTDIR/.pages`` as they are read, so a document stopped for time or memory still
  gets a record with the pages read (status partial, ``ocr.stopped`` naming the rest),
  and ``resume=True`` reads only the missing pages.
* Each record is written atomically to ``OUTDIR/<relative path>.json`` and a line is
  appended to ``OUTDIR/manifest.jsonl`` as soon as it finishes, so an interrupted run
  loses nothing finished and ``resume=True`` picks up where it stopped. Even a run killed
  outright (SIGKILL, power cut of the process) leaves only whole records: a record is in
  the manifest only after its file was renamed into place; a temporary file it left
  behind is removed by the next run into the same OUTDIR, and its documents are redone.
* Ctrl-C (SIGINT) and SIGTERM (``kill``, ``docker stop``, systemd) both stop cleanly:
  no new documents start, the ones in flight are dropped (``--resume`` redoes them), and
  the exit status is 130 after SIGINT and 143 after SIGTERM (128 + the signal number, the
  shell's convention). A second signal stops at once.

Walk policy (what is read and what is not):

* Names starting with ``.`` (``.git``, ``.DS_Store``, macOS ``._x.pdf`` forks) and
  ``~$`` (Office lock files) are ignored inside folders; paths given explicitly never are.
* Symlinked directories inside a folder are not descended into: no loops, no file seen
  twice, no escape from the folder. Symlinked files are followed only when their target
  lies inside the input folder; otherwise, or when dangling or looping, they get a failed
  record (``batch.symlink_outside``, ``batch.dangling_symlink``, ``batch.symlink_loop``).
* FIFOs, sockets and devices are never opened (``batch.not_a_file``); a folder that cannot
  be listed gets a failed record of its own (``batch.unreadable``).
* OUTDIR is never walked, even when it sits inside an input folder.
* The walk's verdict holds when the file is read: each worker opens its input once,
  without following links (unless the walk allowed that link), and reads only if the
  descriptor is a regular file with the device and inode the walk saw (``batch.changed``,
  ``batch.not_a_file``) and within the size limit (``batch.too_large``, not hashed). The
  record is read from that descriptor; the parent never reads an input.

Output safety: OUTDIR is opened once; the manifest and every output folder are opened from
its descriptor without following links (a planted link or hard-linked manifest refuses the
run with ``OutputError`` before any document, or fails one record with
``batch.write_failed``); records are written to a new file and renamed into place. OUTDIR
inside an input folder must not be reached through a link there.

Workers: ``jobs`` long-lived processes forked from a "forkserver" (a clean, single-threaded
process that has imported the pipeline once), each importing the pipeline's components
once and then taking one document at a time over a pipe. Each worker leads its own
process group, so Ctrl-C reaches only the parent, and a stopped worker takes its helper
programs (tesseract, soffice) with it. Workers leave SIGINT and SIGTERM to the parent, which
decides, and die with it (Linux: a parent-death signal) if it is killed outright. Each
worker gets a temporary folder of its own (``TMPDIR``) that the parent removes when the
worker ends, so files helpers leave behind (LibreOffice profiles, page images) do not pile
up. The parent enforces the wall-time limit and watches the resident memory of the worker
and its helpers; inside the worker an address-space limit turns one huge allocation into
MemoryError. A worker that failed or grew large is replaced; nothing else is lost.

Output naming: a file ``a/b/x.pdf`` under the input folder becomes ``OUTDIR/a/b/x.pdf.json``
(the whole name plus ``.json``, so ``x.pdf`` and ``x.docx`` cannot collide). With several
inputs, each gets a top-level folder named after it (``OUTDIR/<folder>/...``, ``~2`` added
when two share a name). Folder names ending in ``.json`` get a ``_`` appended so that a
folder can never take the name of a file's output. Names that are not clean UTF-8 or hold
control characters (newlines) are cleaned and tagged with a hash of the raw name; names
over 255 bytes are shortened the same way. Every component is a plain name, so no output
can escape OUTDIR. Output paths are unique by construction: one already issued in the walk
gets ``~2`` (``~3``...) before ``.json``. Names are printed through ``terminal_text``.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import dataclasses
import errno
import gc
import hashlib
import heapq
import importlib
import json
import multiprocessing
import os
import pkgutil
import re
import resource
import secrets
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from multiprocessing.connection import Connection, wait
from pathlib import Path, PurePosixPath
from types import FrameType
from typing import Any, BinaryIO, Literal, TextIO

from pipeline import __version__
from pipeline import progress as doc_progress
from pipeline.record.build import INCOMPLETE_CODES, failed_record
from pipeline.record.models import Record
from pipeline.run import process_file

MANIFEST_NAME = "manifest.jsonl"
NAME_MAX = 255  # bytes per path component on Linux, macOS and Windows filesystems
POLL_SECONDS = 0.1  # how often deadlines, memory and Ctrl-C are checked
STARTUP_SECONDS = 120.0  # a worker that cannot import the pipeline in this time is broken
MAX_STARTUP_FAILURES = 3
EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 130, 143
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)  # both stop the batch cleanly
TEMP_PREFIX = ".tmp-"  # temporary record files: .tmp-<pid>-<random>.json, renamed into place
# Inputs over this size are refused unread (``batch.too_large``): the largest scanned
# archives seen are tens of MB; a multi-GB "PDF" would only hold a worker for minutes.
DEFAULT_MAX_INPUT_MB = 512
WORKER_TEMP_PREFIX = "vanban-worker-"  # a worker's TMPDIR: vanban-worker-<parent pid>-<random>

ProcessFn = Callable[[Path], Record]


# --------------------------------------------------------------------------------------
# Output names
# --------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Folder names ending like a record ("x.json") or like the manifest ("manifest.jsonl") get a "_".
_JSON_DIR = re.compile(r"\.jsonl?_*$")
# What a terminal may act on: C0/C1 controls (escape sequences, newlines), format characters
# (bidi overrides that reorder the line) and line/paragraph separators.
_UNPRINTABLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def display_path(path: Path | str) -> str:
    """The path as printable UTF-8 text: undecodable bytes become ``\\xNN`` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def terminal_text(text: str) -> str:
    """``text`` safe to print on a terminal: control and format characters become escapes
    (``\\x1b``, ``\\n``, ``\\u202e``), so a file name cannot set the title, clear the screen or
    break a line of the summary."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable() or char == " " or unicodedata.category(char) not in _UNPRINTABLE_CATEGORIES:
            out.append(char)
        else:
            out.append(char.encode("unicode_escape", "backslashreplace").decode("ascii"))
    return "".join(out)


def _name_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def _clean_name(name: str) -> str:
    """``name`` if it is clean UTF-8 without control characters, else a cleaned, hashed copy."""
    raw = os.fsencode(name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", "replace").replace("\ufffd", "_")
    else:
        if text and text not in (".", "..") and not _CONTROL.search(text):
            return text
    text = _CONTROL.sub("_", text).strip(".") or "_"
    return f"{text}~{_name_hash(raw)}"


def _not_temporary(name: str) -> str:
    """A name the stale-file cleaner would take for a temporary file gets a ``_`` in front."""
    return "_" + name if name.startswith(TEMP_PREFIX) else name


def _shorten(name: str, raw: bytes, suffix: str) -> str:
    """Keep ``name + suffix`` within NAME_MAX bytes, tagging shortened names with a hash."""
    if len((name + suffix).encode()) <= NAME_MAX:
        return name + suffix
    tag = f"~{_name_hash(raw)}{suffix}"
    budget = NAME_MAX - len(tag.encode())
    head = name.encode()[:budget].decode("utf-8", "ignore")
    return head + tag


def output_file_name(name: str) -> str:
    """The output name of an input file: the whole name plus ``.json``."""
    return _shorten(_not_temporary(_clean_name(name)), os.fsencode(name), ".json")


def output_dir_name(name: str) -> str:
    """The output name of an input folder; never ends in ``.json``, so never a file's name."""
    clean = _not_temporary(_clean_name(name))
    if _JSON_DIR.search(clean):
        clean += "_"
    return _shorten(clean, os.fsencode(name), "")


# --------------------------------------------------------------------------------------
# The walk
# --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Item:
    """One input the walk found; ``problem`` set means it fails without being read."""

    path: Path
    output: PurePosixPath  # relative to OUTDIR
    problem: tuple[str, str] | None = None
    # (st_dev, st_ino) of the file the walk vetted: the worker opens it once and reads only
    # if the opened descriptor is that very file (a file swapped for a link after the walk is not).
    identity: tuple[int, int] | None = None
    follow: bool = False  # the walk allowed a symbolic link here (inside the folder, or given by name)


@dataclasses.dataclass(frozen=True)
class Ignored:
    """A path the walk deliberately leaves out (counted in the summary, no record)."""

    path: Path
    reason: str


WalkEntry = Item | Ignored


def _is_ignored_name(name: str) -> bool:
    return name.startswith(".") or name.startswith("~$")


def _stat_problem(path: Path) -> tuple[os.stat_result | None, tuple[str, str] | None]:
    """Stat through symlinks; a dangling link, a loop or an unreadable path is a problem."""
    try:
        return os.stat(path), None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, ("batch.symlink_loop", f"symbolic link loop: {exc.strerror}")
        if exc.errno == errno.ENOENT and os.path.lexists(path):
            return None, ("batch.dangling_symlink", "symbolic link to a missing file")
        if exc.errno == errno.ENOENT:
            return None, ("batch.not_found", "no such file or folder")
        return None, ("batch.unreadable", f"cannot read: {exc.strerror}")


def _inside(path: Path, root_real: str) -> bool:
    real = os.path.realpath(path)
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def _classify_entry(
    entry: os.DirEntry[str], out: PurePosixPath, root_real: str, outdir_id: tuple[int, int] | None
) -> WalkEntry | tuple[Path, PurePosixPath]:
    """What to do with one folder entry; a (path, output) pair means "descend into it"."""
    path = Path(entry.path)
    if _is_ignored_name(entry.name):
        return Ignored(path, "hidden")
    try:
        if entry.is_symlink():
            st, problem = _stat_problem(path)
            if problem or st is None:
                return Item(path, out / output_file_name(entry.name), problem)
            if os.path.isdir(path):
                return Ignored(path, "symlinked folder")
            if not _inside(path, root_real):
                problem = ("batch.symlink_outside", "symbolic link to a file outside the input folder")
                return Item(path, out / output_file_name(entry.name), problem)
            is_regular, follow = stat.S_ISREG(st.st_mode), True
        elif entry.is_dir(follow_symlinks=False):
            st = entry.stat(follow_symlinks=False)
            if outdir_id == (st.st_dev, st.st_ino):
                return Ignored(path, "output folder")
            return path, out / output_dir_name(entry.name)
        else:
            st = entry.stat(follow_symlinks=False)
            is_regular, follow = stat.S_ISREG(st.st_mode), False
    except OSError as exc:
        return Item(path, out / output_file_name(entry.name), ("batch.unreadable", str(exc.strerror)))
    if not is_regular:
        return Item(path, out / output_file_name(entry.name), ("batch.not_a_file", "not a regular file"))
    return Item(path, out / output_file_name(entry.name), identity=(st.st_dev, st.st_ino), follow=follow)


def _sorted_entries(folder: Path) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def _walk_folder(
    root: Path, out: PurePosixPath, error_output: PurePosixPath, outdir_id: tuple[int, int] | None
) -> Iterator[WalkEntry]:
    """Depth-first, name-sorted walk with an explicit stack (deep trees need no recursion)."""
    root_real = os.path.realpath(root)
    try:
        stack = [iter(_sorted_entries(root))]
    except OSError as exc:
        yield Item(root, error_output, ("batch.unreadable", f"cannot list folder: {exc.strerror}"))
        return
    outs = [out]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            outs.pop()
            continue
        found = _classify_entry(entry, outs[-1], root_real, outdir_id)
        if not isinstance(found, tuple):
            yield found
            continue
        folder, folder_out = found
        try:
            stack.append(iter(_sorted_entries(folder)))
            outs.append(folder_out)
        except OSError as exc:
            problem = ("batch.unreadable", f"cannot list folder: {exc.strerror}")
            yield Item(folder, outs[-1] / output_file_name(entry.name), problem)


def _unique(name: str, used: set[str], suffix: str = "") -> str:
    """``name`` (before ``suffix``) made unique among ``used`` top-level names with ``~2``, ``~3``."""
    candidate, n = name + suffix, 1
    while candidate in used:
        n += 1
        candidate = f"{name}~{n}{suffix}"
    used.add(candidate)
    return candidate


def walk_inputs(inputs: Iterable[Path], outdir: Path | None = None) -> Iterator[WalkEntry]:
    """Every file under ``inputs`` with its output path, lazily, in a deterministic order.

    One input folder maps straight onto OUTDIR; with several inputs each gets its own
    top-level output folder (or file) named after it. See the module docstring for the policy.
    Output paths are unique by construction: a path already issued in this walk (a cleaned
    and hashed name that another file already has) gets ``~2``, ``~3`` before ``.json``.
    """
    issued: set[str] = set()
    for entry in _walk_inputs(inputs, outdir):
        if isinstance(entry, Item):
            output = entry.output.as_posix()
            if output in issued:
                stem, n = output[: -len(".json")] if output.endswith(".json") else output, 1
                while output in issued:
                    n += 1
                    output = f"{stem}~{n}.json"
                entry = dataclasses.replace(entry, output=PurePosixPath(output))
            issued.add(output)
        yield entry


def _walk_inputs(inputs: Iterable[Path], outdir: Path | None) -> Iterator[WalkEntry]:
    roots = list(inputs)
    outdir_id = _dir_id(outdir) if outdir is not None else None
    used: set[str] = set()
    seen: set[str] = set()
    for root in roots:
        root = Path(root)
        name = root.name or Path(os.path.realpath(root)).name or "root"
        st, problem = _stat_problem(root)
        if problem or st is None:
            yield Item(
                root, PurePosixPath(_unique(output_file_name(name)[: -len(".json")], used, ".json")), problem
            )
            continue
        real = os.path.realpath(root)
        if real in seen:
            yield Ignored(root, "duplicate input")
            continue
        seen.add(real)
        output = PurePosixPath(_unique(output_file_name(name)[: -len(".json")], used, ".json"))
        if stat.S_ISDIR(st.st_mode):
            out = (
                PurePosixPath("") if len(roots) == 1 else PurePosixPath(_unique(output_dir_name(name), used))
            )
            yield from _walk_folder(root, out, output, outdir_id)
        else:
            if stat.S_ISREG(st.st_mode):  # given by name: a link to it is the user's choice
                yield Item(root, output, identity=(st.st_dev, st.st_ino), follow=True)
            else:
                yield Item(root, output, ("batch.not_a_file", "not a regular file"))


def _dir_id(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


# --------------------------------------------------------------------------------------
# Workers
# --------------------------------------------------------------------------------------


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


def serialize_record(record: Record) -> tuple[str, RecordInfo]:
    """JSON text of ``record``; paths with undecodable bytes are escaped first (JSON is UTF-8)."""
    if display_path(record.source.path) != record.source.path:
        record = record.model_copy(
            update={"source": record.source.model_copy(update={"path": display_path(record.source.path)})}
        )
    return record.model_dump_json(indent=2), RecordInfo.of(record)


def _rss_mb(pid: int | None = None) -> float:
    """Resident memory of ``pid`` (default: this process) in MB; 0 when unknown."""
    try:
        with open(f"/proc/{pid or 'self'}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def _children(pid: int) -> list[int]:
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    found: list[int] = []
    for task in tasks:
        with contextlib.suppress(OSError, ValueError), open(f"/proc/{pid}/task/{task}/children") as handle:
            found += [int(child) for child in handle.read().split()]
    return found


def _process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (helper programs, even those in a session of their own)."""
    todo, seen = [pid], list[int]()
    while todo and len(seen) < 256:
        current = todo.pop()
        if current not in seen:
            seen.append(current)
            todo += _children(current)
    return seen


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _without_unexeced(tree: list[int]) -> list[int]:
    """``tree`` (a worker first) without the children that have not exec'd their program yet.

    Until exec such a child is a copy of the worker (vfork: the very same pages), so its
    resident size is the worker's: sampled in that instant, it counted the worker twice
    (1,021 MB "worker with helpers" for a 510 MB worker, and a false ``batch.memory``).
    It still carries the worker's command line then (none while exec replaces it); a
    helper has its own. Read before its size, so that a child seen exec'd is measured so.
    """
    if len(tree) < 2:
        return tree
    own = _cmdline(tree[0])
    return tree[:1] + [pid for pid in tree[1:] if _cmdline(pid) not in (own, b"")]


def _limit_address_space(max_memory_mb: int) -> None:
    """Make one huge allocation fail fast with MemoryError instead of waking the OOM killer.

    Set before each document, on top of what the worker has mapped at that moment, so
    imports and earlier documents do not count.
    The parent also watches resident memory, which catches slow growth.
    """
    try:
        with open("/proc/self/statm") as handle:
            mapped = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = mapped + max_memory_mb * 2**20
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError):
        pass  # no /proc or not allowed: the parent's RSS watch still applies


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
        if task.identity is not None and (st.st_dev, st.st_ino) != task.identity:
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


MAX_RECORD_BYTES = 256 * 2**20  # a record on disk larger than this is not trusted by --resume


def _open_in_outdir(outdir_fd: int, output: PurePosixPath, *, create_dirs: bool) -> int:
    """The folder of ``output`` inside OUTDIR, opened without following any link; created
    when asked. A link or a non-folder on the way raises OSError with a clear message."""
    fd = os.dup(outdir_fd)
    try:
        for part in output.parts[:-1]:
            if create_dirs:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, dir_fd=fd)
            try:
                inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise OSError(
                        exc.errno, f"{part!r} inside OUTDIR is a symbolic link or not a folder"
                    ) from exc
                raise
            os.close(fd)
            fd = inner
    except BaseException:
        os.close(fd)
        raise
    return fd


def _open_regular_in(folder_fd: int, name: str, flags: int, mode: int = 0o644) -> int:
    """Open ``name`` in ``folder_fd`` without following a link; refuse anything but a file."""
    try:
        fd = os.open(name, flags | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, mode, dir_fd=folder_fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OSError(exc.errno, f"{name!r} is a symbolic link; not followed") from exc
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, f"{name!r} is not a regular file")
    return fd


def _record_on_disk_matches(task: Task, digest: str) -> bool:
    """Resume: the record on disk is a valid record of this very input by this version."""
    if not task.outdir or not task.output:
        return False
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
    try:
        fd, st = _open_input(task)
    except _Refusal as refusal:
        return Reply(task.id, "refused", message=refusal.message, code=refusal.code, size=refusal.size)
    try:
        digest = _sha256_fd(fd, st.st_size)
        if notify is not None:
            notify(Reply(task.id, "source", sha256=digest, size=st.st_size))
        if task.skip_if_sha256 and digest == task.skip_if_sha256 and _record_on_disk_matches(task, digest):
            return Reply(task.id, "skipped")
        if config.reads_descriptor:
            process: Callable[..., Record] = config.process
            with _descriptor_path(fd, task.path) as readable:
                record = process(readable, source=str(task.path), digest=digest)
        else:
            record = config.process(task.path)
        if not config.include_text and record.text is not None:
            record = record.model_copy(update={"text": None})
        text, info, jsonl = _serialized(record, config, task.path, digest, st.st_size)
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
    record: Record, config: WorkerConfig, path: Path, digest: str, size: int
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
    stayed into the next documents (53 MB after 140.doc, 28 MB after 077.pdf) and added
    to their peaks. What survives the collection is long-lived (modules, models, caches):
    it is frozen, so that later collections scan only newer objects (mostly under 20 ms
    instead of 70-180 ms once the models are loaded). Frozen objects are still freed when
    their last reference goes; only a cycle formed among them later would stay (none
    does here: 1,000 documents keep the workers flat, tests/test_batch_thousand.py).

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


def worker_main(conn: Connection, config: WorkerConfig, temp_folder: str = "") -> None:
    """Worker loop: say "ready", then one task in, one reply out, until told to stop."""
    # Its own process group: Ctrl-C in the terminal reaches only the parent, which decides,
    # and a stopped worker's helper programs (tesseract) can be stopped with it.
    with contextlib.suppress(OSError):
        os.setpgrp()
    for signum in STOP_SIGNALS:
        signal.signal(signum, _ignore_stop_signal)
    _die_with_parent()
    os.environ.update(config.environ)
    _use_temp_folder(temp_folder)
    try:
        _serve(conn, config)
    finally:
        # multiprocessing ends children with os._exit, which skips atexit handlers that
        # components registered (e.g. removing a LibreOffice profile): run them here.
        atexit._run_exitfuncs()


def _send_quietly(conn: Connection, reply: Reply) -> None:
    with contextlib.suppress(OSError, ValueError):  # the parent is gone: the next send says so
        conn.send(reply)


def _serve(conn: Connection, config: WorkerConfig) -> None:
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
        doc_progress.begin(_tracker(task, config, conn))
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


def _tracker(task: Task, config: WorkerConfig, conn: Connection) -> doc_progress.Tracker:
    """The document's progress reports go to the parent over the worker's pipe."""
    return doc_progress.Tracker(task.id, config.limits, send=conn.send, salvage=task.salvage)


@dataclasses.dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    started: float
    temp_folder: str = ""
    ready: bool = False
    task: Task | None = None
    task_started: float = 0.0
    peak_rss_mb: float = 0.0
    source: tuple[str, int] = ("", 0)  # sha256 and size of the current input, once the worker read it
    pages: int = 0  # of the document in hand, once read (progress events)
    ocr_started: int = 0  # its pages whose OCR has started

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


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def _context() -> multiprocessing.context.ForkServerContext | multiprocessing.context.SpawnContext:
    # forkserver: workers fork from a clean single-threaded server, never from this process,
    # which may run threads (progress bar); "pipeline.run" is imported there once.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["pipeline.run"])
        return ctx
    return multiprocessing.get_context("spawn")


# --------------------------------------------------------------------------------------
# Manifest, outputs and the summary
# --------------------------------------------------------------------------------------


MAX_MANIFEST_LINE = 1 << 20  # bytes; a line is a path and a few fields, far below this


class OutputError(Exception):
    """OUTDIR cannot be used safely (a link where the manifest should be, OUTDIR reached
    through a link inside an input folder, ...): the run is refused before any document."""


def _manifest_lines(handle: BinaryIO) -> Iterator[bytes]:
    """The manifest's lines, each read with a length limit; an overlong line is skipped whole."""
    while True:
        line = handle.readline(MAX_MANIFEST_LINE + 1)
        if not line:
            return
        if len(line) <= MAX_MANIFEST_LINE:
            yield line
            continue
        while line and not line.endswith(b"\n"):  # the rest of the overlong line, in bounded reads
            line = handle.readline(MAX_MANIFEST_LINE)


def _manifest_entries(outdir: Path) -> Iterator[dict[str, Any]]:
    """Manifest lines in order; a torn or overlong line is skipped. The manifest is opened
    without following a link (refused with OutputError if it is one)."""
    try:
        folder = os.open(outdir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        fd = _open_regular_in(folder, MANIFEST_NAME, os.O_RDONLY)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"cannot read {display_path(outdir / MANIFEST_NAME)}: {exc.strerror}") from exc
    finally:
        os.close(folder)
    with os.fdopen(fd, "rb") as handle:
        for line in _manifest_lines(handle):
            try:
                entry = json.loads(line.decode("utf-8", "replace"))
            except ValueError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("output"), str):
                yield entry


def read_manifest(outdir: Path) -> dict[str, dict[str, Any]]:
    """The last manifest line per output path (runs append; the last word wins)."""
    return {entry["output"]: entry for entry in _manifest_entries(outdir)}


def _finished_digests(outdir: Path) -> dict[str, str]:
    """Output path -> sha256 of inputs whose last run succeeded with this pipeline version."""
    finished: dict[str, str] = {}
    for entry in _manifest_entries(outdir):  # streamed: only two strings kept per input
        succeeded = entry.get("status") in ("ok", "partial") and entry.get("pipeline_version") == __version__
        succeeded = succeeded and not entry.get("incomplete")  # pages missing: resume reads them
        if succeeded and isinstance(entry.get("sha256"), str) and entry["sha256"]:
            finished[entry["output"]] = entry["sha256"]
        else:
            finished.pop(entry["output"], None)
    return finished


def _write_record(outdir_fd: int, output: PurePosixPath, text: str) -> None:
    """Write ``text`` to ``OUTDIR/output`` atomically; no link is followed on the way.

    The folders are opened one by one with O_NOFOLLOW, the temporary file is created new
    (O_EXCL) and renamed over the name (a link there is replaced, never followed).
    """
    folder = _open_in_outdir(outdir_fd, output, create_dirs=True)
    try:
        for _ in range(100):
            tmp = f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(8)}.json"
            try:
                fd = os.open(
                    tmp,
                    os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                    0o600,
                    dir_fd=folder,
                )
                break
            except FileExistsError:
                continue
        else:
            raise OSError(errno.EEXIST, "no free temporary name")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, output.name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=folder)
            raise
    finally:
        os.close(folder)


@dataclasses.dataclass
class _Output:
    """OUTDIR opened once: its descriptor (every write goes through it) and the manifest."""

    path: Path
    fd: int
    manifest: TextIO
    existed: bool  # a manifest was there: an earlier run may have left temporary files

    def close(self) -> None:
        self.manifest.close()
        os.close(self.fd)


def _open_output(outdir: Path, inputs: list[Path]) -> _Output:
    """Check and open OUTDIR and its manifest, or refuse with OutputError."""
    _check_outdir_placement(outdir, inputs)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        fd = os.open(outdir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise OutputError(
            f"cannot use {display_path(outdir)} as the output folder: {exc.strerror or exc}"
        ) from exc
    try:
        manifest_fd = _open_regular_in(fd, MANIFEST_NAME, os.O_RDWR | os.O_APPEND | os.O_CREAT)
    except OSError as exc:
        os.close(fd)
        raise OutputError(
            f"refusing to write {display_path(outdir / MANIFEST_NAME)}: {exc.strerror}"
        ) from exc
    st = os.fstat(manifest_fd)
    if st.st_nlink > 1:  # a hard link planted in an input tree: appending would change the other name
        os.close(manifest_fd)
        os.close(fd)
        raise OutputError(
            f"refusing to write {display_path(outdir / MANIFEST_NAME)}: it has other hard links"
        )
    # A torn line from a killed run must not swallow the next one.
    needs_newline = st.st_size > 0 and os.pread(manifest_fd, 1, st.st_size - 1) != b"\n"
    manifest = os.fdopen(manifest_fd, "a", encoding="utf-8")
    if needs_newline:
        manifest.write("\n")
        manifest.flush()
    return _Output(outdir, fd, manifest, existed=st.st_size > 0)


def _check_outdir_placement(outdir: Path, inputs: list[Path]) -> None:
    """OUTDIR inside an input folder is allowed (the walk skips it) but must be reached
    without a symbolic link below that folder: a tree could otherwise point OUTDIR anywhere.
    OUTDIR may not be an input folder itself."""
    out_abs, out_real = Path(os.path.abspath(outdir)), os.path.realpath(outdir)
    for root in inputs:
        if not os.path.isdir(root):
            continue
        root_abs = Path(os.path.abspath(root))
        if out_real == os.path.realpath(root):
            raise OutputError(f"the output folder {display_path(outdir)} is an input folder")
        try:
            below = out_abs.relative_to(root_abs).parts
        except ValueError:
            continue
        current = root_abs
        for part in below:
            current = current / part
            if current.is_symlink():
                raise OutputError(
                    f"the output folder {display_path(outdir)} is reached through the symbolic link "
                    f"{display_path(current)} inside the input folder {display_path(root)}"
                )


def write_atomically(target: Path, text: str) -> None:
    """Write ``text`` so that ``target`` is either the old file or the whole new one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"(?:(\d+)-)?.*\.json")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: someone else's process
        return True
    return True


def remove_stale_temp_files(outdir: Path) -> int:
    """Remove temporary files a killed run left in ``outdir``; returns how many.

    Only files whose writer (the pid in the name) is no longer running are removed, so a
    run writing into the same folder right now keeps its own.
    """
    removed = 0
    for folder, _, names in os.walk(outdir):  # symlinked folders are not followed
        for name in names:
            match = _TEMP_NAME.fullmatch(name)
            if match is None or (match.group(1) and _alive(int(match.group(1)))):
                continue
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, name))
                removed += 1
    return removed


_WORKER_TEMP_NAME = re.compile(re.escape(WORKER_TEMP_PREFIX) + r"(\d+)-.*")


def remove_stale_worker_folders() -> int:
    """Remove the temporary folders of workers whose batch was killed before it could."""
    removed = 0
    with contextlib.suppress(OSError), os.scandir(tempfile.gettempdir()) as entries:
        for entry in entries:
            match = _WORKER_TEMP_NAME.fullmatch(entry.name)
            if match and not _alive(int(match.group(1))) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
    return removed


@dataclasses.dataclass
class FormatStats:
    files: int = 0
    pages: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0


@dataclasses.dataclass
class BatchSummary:
    """Counters for the end-of-run report; nothing per document beyond the 5 slowest."""

    jobs: int = 0
    by_status: Counter[str] = dataclasses.field(default_factory=Counter)
    by_doc_type: Counter[str] = dataclasses.field(default_factory=Counter)
    by_format: dict[str, FormatStats] = dataclasses.field(default_factory=dict)
    errors: Counter[str] = dataclasses.field(default_factory=Counter)
    ignored: Counter[str] = dataclasses.field(default_factory=Counter)
    resumed: int = 0  # skipped: already done according to the manifest
    slowest: list[tuple[float, str]] = dataclasses.field(default_factory=list)
    pages: int = 0
    cpu_seconds: float = 0.0  # worker CPU time over all documents
    wall_seconds: float = 0.0
    # From the first worker ready to the last document finished: the batch's wall time
    # without the start-up (forkserver, imports), for comparing runs with different -j.
    work_seconds: float = 0.0
    startup_seconds: float = 0.0  # until the first worker was ready
    # Peak resident memory per worker: with the helper programs it was running at the same
    # moment (sampled every POLL_SECONDS; what max_memory_mb limits), the worker process
    # alone (its exact peak), and its helper programs alone (sampled).
    peak_worker_rss_mb: float = 0.0
    peak_worker_own_rss_mb: float = 0.0
    peak_helper_rss_mb: float = 0.0
    workers_started: int = 0
    interrupted: bool = False
    stop_signal: int = 0  # the signal that interrupted the run (SIGINT, SIGTERM)
    unfinished: int = 0  # in flight when interrupted; not recorded, redone by resume
    stale_temp_files: int = 0  # left by a killed run, removed at the start

    @property
    def processed(self) -> int:
        return sum(self.by_status.values())

    @property
    def exit_code(self) -> int:
        """128 + signal when stopped by one (130 Ctrl-C, 143 SIGTERM), 1 when any document
        failed, else 0 (ok and partial both count)."""
        if self.interrupted:
            return 128 + self.stop_signal if self.stop_signal else EXIT_INTERRUPTED
        return EXIT_FAILED if self.by_status["failed"] else EXIT_OK

    def add(self, info: RecordInfo, display: str, cpu_seconds: float) -> None:
        self.by_status[info.status] += 1
        self.by_doc_type[info.doc_type or "(none)"] += 1
        if info.error:
            self.errors[info.error] += 1
        stats = self.by_format.setdefault(info.format, FormatStats())
        stats.files += 1
        stats.pages += info.pages
        stats.seconds += info.seconds or 0.0
        stats.cpu_seconds += cpu_seconds
        self.pages += info.pages
        self.cpu_seconds += cpu_seconds
        entry = (info.seconds or 0.0, display)
        if len(self.slowest) < 5:
            heapq.heappush(self.slowest, entry)
        else:
            heapq.heappushpop(self.slowest, entry)

    def render(self) -> str:
        """The end-of-run report as plain text."""
        wall = max(self.wall_seconds, 1e-9)
        lines = [
            f"{self.processed} files in {self.wall_seconds:.1f} s with {self.jobs} workers "
            f"({self.processed / wall:.2f} files/s, {self.pages / wall:.2f} pages/s, "
            f"{self.cpu_seconds:.1f} CPU s, peak worker memory {self.peak_worker_rss_mb:.0f} MB: "
            f"worker {self.peak_worker_own_rss_mb:.0f} MB, helper programs {self.peak_helper_rss_mb:.0f} MB)",
            "status: " + _counts(self.by_status, order=("ok", "partial", "failed")),
        ]
        if self.resumed:
            lines.append(f"already done (resume): {self.resumed}")
        if self.ignored:
            lines.append("ignored: " + _counts(self.ignored))
        if self.errors:
            lines.append("errors: " + _counts(self.errors))
        if self.by_format:
            lines.append("by format: " + _counts(Counter({k: v.files for k, v in self.by_format.items()})))
        if self.by_doc_type:
            lines.append("by document type: " + _counts(self.by_doc_type))
        if self.slowest:
            lines.append("slowest:")
            lines += [
                f"  {seconds:8.2f} s  {terminal_text(path)}"
                for seconds, path in sorted(self.slowest, reverse=True)
            ]
        if self.stale_temp_files:
            lines.append(f"removed {self.stale_temp_files} temporary files left by a killed run")
        if self.interrupted:
            lines.append(
                f"interrupted{f' by {_signal_name(self.stop_signal)}' if self.stop_signal else ''}: "
                f"{self.unfinished} documents in flight were not recorded; run again with --resume to finish"
            )
        return "\n".join(lines)


def _counts(counter: Counter[str], order: tuple[str, ...] = ()) -> str:
    keys = [k for k in order if counter[k]] + [k for k, _ in counter.most_common() if k not in order]
    return " · ".join(f"{key} {counter[key]}" for key in keys) or "none"


# --------------------------------------------------------------------------------------
# Progress
# --------------------------------------------------------------------------------------


class _Progress:
    """A rich progress bar on stderr, or nothing; the total is counted in the background."""

    def __init__(self, enabled: bool, inputs: list[Path], outdir: Path | None) -> None:
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
        threading.Thread(target=self._count, args=(inputs, outdir), daemon=True).start()

    def _count(self, inputs: list[Path], outdir: Path | None) -> None:
        total = 0
        for entry in walk_inputs(inputs, outdir):
            if self._stop.is_set():
                return
            total += isinstance(entry, Item)
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


# --------------------------------------------------------------------------------------
# The batch
# --------------------------------------------------------------------------------------


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
    """The state of one run: workers, the manifest, counters. Nothing per finished document."""

    def __init__(
        self,
        outdir: Path | None,
        config: WorkerConfig,
        jobs: int,
        limits: doc_progress.Limits,
        jsonl: TextIO | None,
        progress: _Progress,
        finished: dict[str, str],
        output: _Output | None = None,
        max_bytes: int = 0,
    ) -> None:
        self.outdir = outdir
        self.outdir_real = os.path.realpath(outdir) if outdir else ""
        self.output = output
        self.max_bytes = max_bytes
        self.config = config
        self.jobs = jobs
        self.limits = limits
        self.jsonl = jsonl
        self.progress = progress
        self.finished = finished
        self.summary = BatchSummary(jobs=jobs)
        self.workers: list[_Worker] = []
        self.items: dict[int, Item] = {}  # in flight only
        self.salvages: dict[Item, str] = {}  # stopped documents waiting to be rebuilt from their pages
        self.next_id = 0
        self.startup_failures = 0
        self.ctx = _context()
        self.started = time.perf_counter()
        self.first_ready = 0.0  # when the first worker was ready
        self.last_done = 0.0  # when the last document was finished
        if output is not None and output.existed:  # an earlier run may have been killed
            self.summary.stale_temp_files = remove_stale_temp_files(output.path)
        remove_stale_worker_folders()
        self.manifest = output.manifest if output is not None else None

    # -- manifest and outputs ----------------------------------------------------------

    def record(
        self, item: Item, text: str, info: RecordInfo, cpu_seconds: float = 0.0, jsonl: str = ""
    ) -> None:
        """Write one finished document: output file, manifest line, stream line, counters."""
        if self.outdir is not None and self.manifest is not None:
            text, info = self.write_output(item, text, info)
            self.write_manifest_line(item, info, self.manifest, cpu_seconds)
        if self.jsonl is not None:
            self.stream(jsonl or json.dumps(json.loads(text), ensure_ascii=False))
        self.summary.add(info, display_path(item.path), cpu_seconds)
        self.last_done = time.perf_counter()
        self.progress.advance(self.summary)

    def write_output(self, item: Item, text: str, info: RecordInfo) -> tuple[str, RecordInfo]:
        assert self.output is not None
        try:  # every folder on the way opened without following links: a planted link is refused
            _write_record(self.output.fd, item.output, text)
        except OSError as exc:
            return self._failed_json(item, "batch.write_failed", f"cannot write the record: {exc}")
        return text, info

    @staticmethod
    def write_manifest_line(item: Item, info: RecordInfo, manifest: TextIO, cpu_seconds: float = 0.0) -> None:
        line = {
            "path": display_path(item.path),
            "output": item.output.as_posix(),
            "sha256": info.sha256,
            "status": info.status,
            "seconds": info.seconds,
            "cpu_seconds": round(cpu_seconds, 3),  # the worker's and its helper programs'
            "pages": info.pages,
            "warnings": info.warnings,
            "error": info.error,
            "format": info.format,
            "doc_type": info.doc_type,
            "pipeline_version": info.pipeline_version,
        }
        if info.incomplete:
            line["incomplete"] = True
        manifest.write(json.dumps(line, ensure_ascii=False) + "\n")
        manifest.flush()  # a line per finished document, even if the run is killed next

    def stream(self, line: str) -> None:
        assert self.jsonl is not None
        try:
            self.jsonl.write(line + "\n")
            self.jsonl.flush()
        except BrokenPipeError:  # the reader went away (``| head``): the files still get written
            self.jsonl = None

    def _failed_json(
        self,
        item: Item,
        code: str,
        message: str,
        started: float | None = None,
        source: tuple[str, int] = ("", 0),
    ) -> tuple[str, RecordInfo]:
        # The parent never reads an input: the digest and size are the worker's, when it got
        # that far (a timeout, a crash), else empty.
        start = time.perf_counter() if started is None else started
        record = failed_record(item.path, source[0], source[1], "unknown", code, message, start)
        return serialize_record(record)

    def fail(
        self,
        item: Item,
        code: str,
        message: str,
        started: float | None = None,
        source: tuple[str, int] = ("", 0),
    ) -> None:
        text, info = self._failed_json(item, code, message, started, source)
        self.record(item, text, info)

    # -- workers -----------------------------------------------------------------------

    def start_worker(self) -> None:
        parent_end, child_end = self.ctx.Pipe(duplex=True)
        try:
            temp_folder = tempfile.mkdtemp(prefix=f"{WORKER_TEMP_PREFIX}{os.getpid()}-")
        except OSError:
            temp_folder = ""  # the worker uses the usual temporary folder
        process = self.ctx.Process(
            target=worker_main, args=(child_end, self.config, temp_folder), daemon=True
        )
        process.start()
        child_end.close()  # so that the parent sees EOF when the worker dies
        self.workers.append(_Worker(process, parent_end, time.perf_counter(), temp_folder))
        self.summary.workers_started += 1

    def idle_worker(self) -> _Worker | None:
        return next((w for w in self.workers if w.ready and w.task is None), None)

    def dispatch(self, worker: _Worker, item: Item) -> None:
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
        )
        self.items[task.id] = item
        worker.task, worker.task_started, worker.source = task, time.perf_counter(), ("", 0)
        worker.pages = worker.ocr_started = 0
        with contextlib.suppress(OSError, ValueError):  # if the worker just died, its sentinel says so
            worker.conn.send(task)

    def busy(self) -> list[_Worker]:
        return [w for w in self.workers if w.task is not None]

    def retire(self, worker: _Worker, *, kill: bool) -> None:
        worker.stop(kill=kill)
        self.workers.remove(worker)

    def finish_task(self, worker: _Worker) -> Item:
        assert worker.task is not None
        item = self.items.pop(worker.task.id)
        worker.task = None
        return item

    def fail_worker_task(self, worker: _Worker, code: str, message: str) -> None:
        if self.salvage(worker, code, message):
            return
        started, source = worker.task_started, worker.source
        item = self.finish_task(worker)
        self.retire(worker, kill=True)
        self.fail(item, code, message, started, source)

    def salvage(self, worker: _Worker, code: str, message: str) -> bool:
        """A document stopped for time or memory after some of its pages were OCR'd (and
        kept in the page cache) is run once more without OCR, so that its record keeps
        the pages read and names the missing ones; True when so queued."""
        task = worker.task
        if (
            task is None
            or task.salvage
            or self.outdir is None
            or code not in ("batch.timeout", "batch.memory")
        ):
            return False
        if worker.ocr_started < 2:  # the first page OCR'd was still running: nothing kept
            return False
        item = self.finish_task(worker)
        self.retire(worker, kill=True)
        self.salvages[item] = f"the document was stopped ({code}: {message.removesuffix('; stopped')})"
        return True

    def take_progress(self, worker: _Worker, event: doc_progress.Event) -> None:
        """A worker's report on the document in hand: its budget grows, the bar shows it."""
        if worker.task is None or event.task_id != worker.task.id:
            return
        if event.stage == "pages":
            worker.pages = event.total
        elif event.stage == "ocr":
            worker.ocr_started = max(worker.ocr_started, event.done)
        self.progress.document(display_path(worker.task.path), event)

    def handle_reply(self, worker: _Worker, reply: Reply | str) -> None:
        if reply == "ready":
            worker.ready = True
            self.startup_failures = 0
            self.first_ready = self.first_ready or time.perf_counter()
            return
        assert isinstance(reply, Reply)
        if reply.kind == "source":  # the task goes on
            worker.source = (reply.sha256, reply.size)
            return
        worker.peak_rss_mb = max(worker.peak_rss_mb, reply.max_rss_mb)
        summary = self.summary
        summary.peak_worker_rss_mb = max(summary.peak_worker_rss_mb, reply.max_rss_mb)
        summary.peak_worker_own_rss_mb = max(summary.peak_worker_own_rss_mb, reply.max_rss_mb)
        started, source = worker.task_started, worker.source
        item = self.finish_task(worker)
        if reply.last:
            self.retire(worker, kill=False)
        if reply.kind == "skipped":
            self.summary.resumed += 1
            self.progress.advance(self.summary)
        elif reply.kind == "record" and reply.info is not None:
            self.record(item, reply.json, reply.info, reply.cpu_seconds, reply.jsonl)
        elif reply.kind == "refused":
            self.fail(item, reply.code, reply.message, started, ("", reply.size))
        elif reply.kind == "memory":
            self.fail(item, "batch.memory", reply.message, started, source)
        else:
            self.fail(item, "batch.error", reply.message, started, source)

    def handle_death(self, worker: _Worker) -> None:
        code = worker.process.exitcode
        if worker.task is not None:
            how = f"signal {_signal_name(-code)}" if code and code < 0 else f"exit code {code}"
            hint = " (perhaps the system's out-of-memory killer)" if code == -signal.SIGKILL else ""
            self.fail_worker_task(worker, "batch.crashed", f"the worker process died with {how}{hint}")
            return
        self.retire(worker, kill=True)
        if not worker.ready:
            self._count_startup_failure(f"a worker exited with code {code} before it was ready")

    def _count_startup_failure(self, why: str) -> None:
        self.startup_failures += 1
        if self.startup_failures >= MAX_STARTUP_FAILURES:
            raise RuntimeError(f"worker processes fail to start: {why}")

    def poll(self) -> None:
        """Wait briefly for replies or deaths, then enforce time and memory limits."""
        waitables: list[Any] = [w.conn for w in self.workers] + [w.process.sentinel for w in self.workers]
        if waitables:
            wait(waitables, timeout=POLL_SECONDS)
        else:
            time.sleep(POLL_SECONDS)
        for worker in list(self.workers):
            self.check_worker(worker)

    def check_worker(self, worker: _Worker) -> None:
        try:
            while worker.conn.poll():
                message = worker.conn.recv()
                if isinstance(message, doc_progress.Event):
                    self.take_progress(worker, message)
                    continue
                self.handle_reply(worker, message)
                return
        except (EOFError, OSError):
            pass
        if not worker.process.is_alive():
            self.handle_death(worker)
            return
        now = time.perf_counter()
        if worker.task is None:
            if not worker.ready and now - worker.started > STARTUP_SECONDS:
                self.retire(worker, kill=True)
                self._count_startup_failure("no worker became ready in time")
            return
        if now - worker.task_started > self.limits.seconds(worker.pages, worker.ocr_started):
            budget = self.limits.describe(worker.pages, worker.ocr_started)
            self.fail_worker_task(worker, "batch.timeout", f"no result within {budget}; stopped")
            return
        tree = _without_unexeced(_process_tree(worker.pid)) if worker.pid else []
        rss = sum(_rss_mb(member) for member in tree)
        summary = self.summary
        summary.peak_worker_rss_mb = max(summary.peak_worker_rss_mb, rss)
        if tree:
            summary.peak_worker_own_rss_mb = max(summary.peak_worker_own_rss_mb, _rss_mb(tree[0]))
        if len(tree) > 1:
            helpers = sum(_rss_mb(member) for member in tree[1:])
            summary.peak_helper_rss_mb = max(summary.peak_helper_rss_mb, helpers)
        limit = self.config.max_memory_mb
        if limit > 0 and rss > limit:
            self.fail_worker_task(
                worker, "batch.memory", f"worker memory reached {rss:.0f} MB (limit {limit} MB)"
            )

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
                worker = self.idle_worker()
                if worker is not None:
                    self.dispatch(worker, pending)
                    pending = None
                    continue
                if len(self.workers) < self.jobs:
                    self.start_worker()
            elif not self.busy() and not self.salvages:
                return
            self.poll()
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
        if self.first_ready:
            self.summary.startup_seconds = self.first_ready - self.started
            self.summary.work_seconds = max(0.0, (self.last_done or self.first_ready) - self.first_ready)
        for worker in list(self.workers):
            self.retire(worker, kill=worker.task is not None or self.summary.interrupted)
        if self.output is not None:
            self.output.close()
        if self.outdir is not None:
            _prune_page_cache(self.outdir)


def default_jobs() -> int:
    """Usable CPUs (respects container and taskset limits)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def run_batch(
    inputs: list[Path],
    outdir: Path | None,
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
) -> BatchSummary:
    """Turn every file under ``inputs`` (files or folders) into ``OUTDIR/<path>.json``.

    Args:
        inputs: files and folders; folders are walked recursively (policy in the module doc).
        outdir: created if missing; gets one JSON per input and ``manifest.jsonl``.
            None writes no files (stream with ``jsonl`` instead).
        jobs: worker processes; default: the usable CPUs.
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

    Returns a ``BatchSummary``; ``exit_code(summary)`` is 0 (all ok or partial), 1 (some
    failed), 130 (interrupted by Ctrl-C) or 143 (by SIGTERM). Both signals stop cleanly:
    finished documents stay written and in the manifest. Never raises for a bad document;
    raises OutputError before any document when OUTDIR cannot be used safely.
    """
    started = time.perf_counter()
    inputs = [Path(path) for path in inputs]
    output: _Output | None = None
    if outdir is not None:
        outdir = Path(outdir)
        output = _open_output(outdir, inputs)
    elif resume:
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
        environ=_worker_environ(outdir),
        limits=doc_progress.Limits(timeout, page_seconds, ocr_page_seconds),
    )
    try:
        finished = _finished_digests(outdir) if outdir and resume else {}
    except BaseException:
        if output is not None:
            output.close()
        raise
    bar = _Progress(progress, list(inputs), outdir)
    max_bytes = int(max_input_mb * 2**20) if max_input_mb > 0 else 0
    limits = config.limits
    batch = _Batch(outdir, config, jobs or default_jobs(), limits, jsonl, bar, finished, output, max_bytes)
    try:
        with _Interrupt() as interrupt:
            try:
                batch.run(walk_inputs(inputs, outdir), interrupt)
            except KeyboardInterrupt:
                batch.summary.interrupted = True
                batch.summary.stop_signal = interrupt.signum or signal.SIGINT
    finally:
        batch.shutdown()
        bar.close()
    batch.summary.wall_seconds = time.perf_counter() - started
    return batch.summary


def _worker_environ(outdir: Path | None) -> dict[str, str]:
    """VANBAN_* settings for the workers; with an output folder, the OCR page cache in it
    (``OUTDIR/.pages``: pages read are kept until their document's OCR is complete)."""
    from pipeline.repair import page_cache

    environ = {key: value for key, value in os.environ.items() if key.startswith("VANBAN_")}
    if outdir is not None:
        environ[page_cache.ENVIRONMENT] = str(Path(outdir).resolve() / page_cache.FOLDER_NAME)
    return environ


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
    "MANIFEST_NAME",
    "BatchSummary",
    "Ignored",
    "Item",
    "OutputError",
    "default_jobs",
    "exit_code",
    "output_dir_name",
    "output_file_name",
    "print_summary",
    "read_manifest",
    "run_batch",
    "terminal_text",
    "walk_inputs",
    "write_atomically",
]
