"""OUTDIR and its manifest: opened safely once, read for --resume, one line per finished document."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Protocol, TextIO

from pipeline import __version__
from pipeline.batch.files import _open_regular_in, _write_record, remove_stale_temp_files
from pipeline.batch.names import MANIFEST_NAME, display_path
from pipeline.batch.walk import Item
from pipeline.batch.worker import RecordInfo

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


class Output(Protocol):
    """Where the records and the manifest go: a folder (``_Output``) or a store's prefix
    (``pipeline.batch.storage.RemoteOutput``)."""

    manifest: TextIO  # one line per finished document, appended

    @property
    def path(self) -> Path:
        """The local folder holding the manifest."""
        ...

    def write_record(self, output: PurePosixPath, text: str) -> None: ...

    def sync(self) -> None: ...

    def remove_stale(self) -> int: ...

    def close(self) -> None: ...


@dataclasses.dataclass
class _Output:
    """OUTDIR opened once: its descriptor (every write goes through it) and the manifest."""

    path: Path
    fd: int
    manifest: TextIO
    existed: bool  # a manifest was there: an earlier run may have left temporary files

    def write_record(self, output: PurePosixPath, text: str) -> None:
        """Write a record atomically, every folder on the way opened without following links."""
        _write_record(self.fd, output, text)

    def sync(self) -> None:
        """A manifest line was written (already flushed: nothing more to do on a local disk)."""

    def remove_stale(self) -> int:
        """Temporary files an earlier, killed run left behind."""
        return remove_stale_temp_files(self.path) if self.existed else 0

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


def write_manifest_line(manifest: TextIO, item: Item, info: RecordInfo, cpu_seconds: float = 0.0) -> None:
    """Append one finished document's line (flushed at once: kept even if the run is killed next)."""
    line = {
        "path": item.shown,
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
    manifest.flush()
