"""Run the pipeline over folders of documents: many files, worker processes, one JSON each.

The package: ``walk`` (inputs and output names: ``names``), ``engine`` (the interface every
engine implements) with ``native`` (worker processes on this machine, the default) and
``dask_engine`` (Dask distributed, ``--scheduler``), ``worker`` (one document in a worker
process, whatever the engine), ``limits`` (time and memory), ``files`` and ``manifest``
(OUTDIR, atomic writes, the manifest, resume), ``summary`` and ``progress``; ``core`` ties
them together in ``run_batch``. Everything below holds for both engines. Inputs and OUTDIR
may also be object-storage URLs (``s3://bucket/prefix``): ``urls`` tells them from paths and
``storage`` (fsspec, loaded only then) lists, downloads and writes them, with the same
names, manifest and resume.

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

from pipeline.batch.core import (
    DEFAULT_MAX_INPUT_MB,
    POLL_SECONDS,
    _Batch,
    _Interrupt,
    _process_without_text,
    _worker_environ,
    default_jobs,
    exit_code,
    print_summary,
    run_batch,
)
from pipeline.batch.engine import Done, Engine, EngineStats, Event, Progress, Stopped
from pipeline.batch.files import (
    MAX_RECORD_BYTES,
    _open_in_outdir,
    _open_regular_in,
    _write_record,
    remove_stale_temp_files,
    remove_stale_worker_folders,
    write_atomically,
)
from pipeline.batch.limits import (
    _limit_address_space,
    _process_tree,
    _rss_mb,
    _without_unexeced,
    memory_exceeded,
    sample_memory,
    time_exceeded,
)
from pipeline.batch.manifest import (
    MAX_MANIFEST_LINE,
    OutputError,
    _finished_digests,
    _manifest_entries,
    _open_output,
    read_manifest,
    write_manifest_line,
)
from pipeline.batch.names import (
    MANIFEST_NAME,
    NAME_MAX,
    TEMP_PREFIX,
    WORKER_TEMP_PREFIX,
    display_path,
    output_dir_name,
    output_file_name,
    terminal_text,
)
from pipeline.batch.summary import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    BatchSummary,
    FormatStats,
)
from pipeline.batch.urls import StorageError, is_url
from pipeline.batch.walk import Ignored, Item, WalkEntry, walk_inputs
from pipeline.batch.worker import (
    STOP_SIGNALS,
    ProcessFn,
    RecordInfo,
    Reply,
    Task,
    WorkerConfig,
    _release_free_memory,
    _run_task,
    serialize_record,
    worker_main,
)

__all__ = [
    "DEFAULT_MAX_INPUT_MB",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_TERMINATED",
    "MANIFEST_NAME",
    "MAX_MANIFEST_LINE",
    "MAX_RECORD_BYTES",
    "NAME_MAX",
    "POLL_SECONDS",
    "STOP_SIGNALS",
    "TEMP_PREFIX",
    "WORKER_TEMP_PREFIX",
    "BatchSummary",
    "Done",
    "Engine",
    "EngineStats",
    "Event",
    "FormatStats",
    "Ignored",
    "Item",
    "OutputError",
    "ProcessFn",
    "Progress",
    "RecordInfo",
    "Reply",
    "Stopped",
    "StorageError",
    "Task",
    "WalkEntry",
    "WorkerConfig",
    "_Batch",
    "_Interrupt",
    "_finished_digests",
    "_limit_address_space",
    "_manifest_entries",
    "_open_in_outdir",
    "_open_output",
    "_open_regular_in",
    "_process_tree",
    "_process_without_text",
    "_release_free_memory",
    "_rss_mb",
    "_run_task",
    "_without_unexeced",
    "_worker_environ",
    "_write_record",
    "default_jobs",
    "display_path",
    "exit_code",
    "is_url",
    "memory_exceeded",
    "output_dir_name",
    "output_file_name",
    "print_summary",
    "read_manifest",
    "remove_stale_temp_files",
    "remove_stale_worker_folders",
    "run_batch",
    "sample_memory",
    "serialize_record",
    "terminal_text",
    "time_exceeded",
    "walk_inputs",
    "worker_main",
    "write_atomically",
    "write_manifest_line",
]
