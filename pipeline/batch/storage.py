"""Inputs and OUTDIR on object storage (``s3://``, ``gcs://``, any fsspec URL).

Imported only when an input or OUTDIR is a URL, and fsspec only when a filesystem is opened:
a plain extract, and every worker of one, never load it. The backends are the optional
extra ``storage`` (fsspec and s3fs); ``gcs://`` and others work once their fsspec backend is
installed (gcsfs, adlfs...).

* **The walk** lists the remote inputs the way it walks a folder: depth first, names sorted
  within each "folder" (key prefix), names starting with ``.`` or ``~$`` left out, the
  output prefix skipped when it lies under an input, the same output names
  (``pipeline.batch.names``). Each object's ETag (else its size) is kept, so a worker that
  finds another object under the name refuses it (``batch.changed``).
* **A worker** downloads the object into its own temporary folder (inside its time and
  memory limits: the download is part of the task) and reads that file; the record names
  the URL (``source.path``). Over ``--max-size`` it is refused unread (``batch.too_large``).
* **Records** are written whole: one PUT per record, which an object store makes visible
  all at once, never half written.
* **The manifest** (``OUTDIR/manifest.jsonl``, the same lines) cannot be appended to on an
  object store: the run keeps it in a local folder, appends there as today, and uploads the
  whole file every ``MANIFEST_UPLOAD_SECONDS`` (more seldom when the upload gets slow) and at
  the end, also after Ctrl-C or SIGTERM. A line is uploaded only after its record; a run
  killed outright loses at most the lines since the last upload, and ``--resume`` redoes
  those documents (their records are rewritten the same). The existing manifest is read
  first, so ``--resume`` works against it. One run at a time per output prefix.

Storage options (endpoint, credentials, region) come from the backend's own configuration
(``AWS_ACCESS_KEY_ID``, ``~/.aws``), fsspec's (``FSSPEC_S3_ENDPOINT_URL``, fsspec's config
files) and ``--storage-option KEY=VALUE``, which wins.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TextIO

from pipeline.batch.files import _alive
from pipeline.batch.names import MANIFEST_NAME, output_dir_name, output_file_name
from pipeline.batch.urls import StorageError, scheme
from pipeline.batch.walk import Ignored, Item, WalkEntry, _is_ignored_name, _unique

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

EXTRA = "pip install 'vanban[storage]'"
MANIFEST_UPLOAD_SECONDS = 5.0  # the least time between two uploads of the manifest
UPLOAD_SHARE = 20  # ... and at least this many times the last upload's duration
LOCAL_NAME_MAX = 200  # bytes of a downloaded input's file name (its extension kept)
SPOOL_PREFIX = "vanban-out-"  # the local folder of a run writing to a store: vanban-out-<pid>-<random>


def filesystem(url: str, options: dict[str, Any]) -> tuple[AbstractFileSystem, str]:
    """The fsspec filesystem of ``url`` and the path in it; StorageError when it cannot be had."""
    try:
        from fsspec.core import url_to_fs
    except ImportError as exc:
        raise StorageError(f"{url}: object storage needs fsspec ({EXTRA})") from exc
    try:
        fs, path = url_to_fs(url, **options)
    except ImportError as exc:
        raise StorageError(
            f"{scheme(url)}:// needs its fsspec backend: {exc} (s3:// comes with {EXTRA})"
        ) from exc
    except (TypeError, ValueError) as exc:
        raise StorageError(f"cannot open {url}: {exc}") from exc
    return fs, str(path).rstrip("/") or "/"


def describe(exc: BaseException, url: str) -> str:
    """A one-line account of a storage failure, with what to check."""
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, PermissionError):
        return (
            f"access to {url} refused: {text} (check the credentials: the backend's own settings "
            "such as AWS_ACCESS_KEY_ID, fsspec's configuration, or --storage-option)"
        )
    if isinstance(exc, FileNotFoundError):
        return f"{url} does not exist: {text}"
    return f"cannot use {url}: {type(exc).__name__}: {text}"


def version_of(info: dict[str, Any]) -> str:
    """What identifies this state of an object: its ETag (or MD5), else its size."""
    for key in ("ETag", "etag", "md5Hash", "md5"):
        if info.get(key):
            return str(info[key])
    return f"size:{info.get('size')}"


def _join(root: str, relative: str) -> str:
    return f"{root.rstrip('/')}/{relative}" if relative else root


# -- the walk --------------------------------------------------------------------------


def _listing(fs: AbstractFileSystem, folder: str) -> list[dict[str, Any]]:
    """The entries of one prefix, sorted by name; folder markers (``a/``) left out. The
    listing cache is dropped at once, so a long walk keeps only the folders in hand."""
    entries = fs.ls(folder, detail=True)
    with contextlib.suppress(Exception):
        fs.invalidate_cache(folder)
    kept = [
        entry
        for entry in entries
        if not str(entry["name"]).endswith("/") and str(entry["name"]).rstrip("/") != folder.rstrip("/")
    ]
    return sorted(kept, key=lambda entry: str(entry["name"]).rsplit("/", 1)[-1])


def _walk_prefix(
    fs: AbstractFileSystem,
    root: str,
    root_url: str,
    out: PurePosixPath,
    error_output: PurePosixPath,
    skip: str,
) -> Iterator[WalkEntry]:
    """Depth-first, name-sorted walk of a prefix, as ``walk._walk_folder`` walks a folder."""
    try:
        stack = [iter(_listing(fs, root))]
    except Exception as exc:
        yield Item(Path(root), error_output, ("batch.unreadable", describe(exc, root_url)), url=root_url)
        return
    outs, urls = [out], [root_url]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            outs.pop()
            urls.pop()
            continue
        key = str(entry["name"]).rstrip("/")
        name = key.rsplit("/", 1)[-1]
        url = f"{urls[-1]}/{name}"
        if _is_ignored_name(name):
            yield Ignored(Path(key), "hidden")
        elif entry.get("type") == "directory":
            if skip and key == skip:
                yield Ignored(Path(key), "output folder")
                continue
            try:
                listing = _listing(fs, key)
            except Exception as exc:
                problem = ("batch.unreadable", describe(exc, url))
                yield Item(Path(key), outs[-1] / output_file_name(name), problem, url=url)
                continue
            stack.append(iter(listing))
            outs.append(outs[-1] / output_dir_name(name))
            urls.append(url)
        else:
            yield Item(Path(key), outs[-1] / output_file_name(name), url=url, version=version_of(entry))


def walk_remote(urls: list[str], outdir: Path | str | None, options: dict[str, Any]) -> Iterator[WalkEntry]:
    """Every object under the input URLs with its output path, lazily (see the module doc);
    output names as for folders (``walk._walk_inputs``), before ``walk.unique_outputs``."""
    skip = ""
    if isinstance(outdir, str):
        skip = filesystem(outdir, options)[1]
    used: set[str] = set()
    seen: set[tuple[str, str]] = set()
    for url in urls:
        fs, root = filesystem(url, options)
        url = url.rstrip("/") or url
        name = root.rsplit("/", 1)[-1] or "root"
        output = PurePosixPath(_unique(output_file_name(name)[: -len(".json")], used, ".json"))
        try:
            info = fs.info(root)
        except FileNotFoundError:
            yield Item(Path(root), output, ("batch.not_found", "no such object or prefix"), url=url)
            continue
        except Exception as exc:
            yield Item(Path(root), output, ("batch.unreadable", describe(exc, url)), url=url)
            continue
        identity = (scheme(url), root)
        if identity in seen:
            yield Ignored(Path(root), "duplicate input")
            continue
        seen.add(identity)
        if info.get("type") == "directory":
            out = PurePosixPath("") if len(urls) == 1 else PurePosixPath(_unique(output_dir_name(name), used))
            same_fs = skip and isinstance(outdir, str) and scheme(outdir) == scheme(url)
            yield from _walk_prefix(fs, root, url, out, output, skip if same_fs else "")
        else:
            yield Item(Path(root), output, url=url, version=version_of(info))


def check_inputs(urls: list[str], options: dict[str, Any]) -> None:
    """Refuse the run at once when an input's storage cannot be used at all (no backend,
    credentials refused, an endpoint that does not answer, a bucket that does not exist).
    A missing object or prefix in a bucket that exists is the walk's ``batch.not_found``."""
    for url in urls:
        fs, root = filesystem(url, options)
        try:
            fs.info(root)
        except FileNotFoundError:
            _check_parent(fs, root, url)
        except Exception as exc:
            raise StorageError(describe(exc, url)) from exc


def _check_parent(fs: AbstractFileSystem, path: str, url: str) -> None:
    """``path`` does not exist: its bucket (the first part of the path) must."""
    parent = fs._parent(path)
    while parent and parent != "/":
        try:
            fs.info(parent)
            return
        except FileNotFoundError:
            path, parent = parent, fs._parent(parent)
        except Exception as exc:
            raise StorageError(describe(exc, url)) from exc
    if not parent:  # a bucket-style store: the top part is the bucket
        raise StorageError(
            f"{url}: the bucket {path!r} does not exist (or is not visible with these credentials)"
        )


# -- on the worker ---------------------------------------------------------------------


class Refused(Exception):
    """The worker does not read this object: a stable code and a message for its record."""

    def __init__(self, code: str, message: str, size: int = 0) -> None:
        super().__init__(message)
        self.code, self.message, self.size = code, message, size


def _local_name(key: str) -> str:
    """A file name for the downloaded object: its own name (readers look at the extension),
    or ``input`` plus the extension when the name is too long or not a plain name."""
    name = key.rsplit("/", 1)[-1]
    if name and name not in (".", "..") and "\x00" not in name and len(name.encode()) <= LOCAL_NAME_MAX:
        return name
    suffix = PurePosixPath(name).suffix
    return "input" + (suffix if len(suffix.encode()) <= 16 else "")


def fetch(url: str, version: str, max_bytes: int, options: dict[str, Any], folder: str) -> Path:
    """Download the object at ``url`` into ``folder``, after checking it is the one the walk
    saw and within the size limit; Refused otherwise."""
    try:
        fs, path = filesystem(url, options)
        info = fs.info(path)
    except FileNotFoundError:
        raise Refused("batch.not_found", "the object disappeared after the walk") from None
    except StorageError as exc:
        raise Refused("batch.storage", str(exc)) from None
    except Exception as exc:
        raise Refused("batch.storage", describe(exc, url)) from None
    if info.get("type") != "file":
        raise Refused("batch.not_a_file", "not an object (changed after the walk)")
    if version and version_of(info) != version:
        raise Refused("batch.changed", "the object was replaced after the walk; not read")
    size = int(info.get("size") or 0)
    if max_bytes and size > max_bytes:
        raise Refused(
            "batch.too_large",
            f"{size} bytes, over the limit of {max_bytes} bytes per input (--max-size)",
            size,
        )
    local = Path(folder) / _local_name(path)
    try:
        fs.get_file(path, str(local))
    except Exception as exc:
        raise Refused("batch.storage", f"cannot download: {describe(exc, url)}") from None
    return local


def read_object(outdir: str, output: str, options: dict[str, Any], limit: int) -> bytes | None:
    """``OUTDIR/output`` on the store (a record, for ``--resume``), or None when it is not
    there, not readable or over ``limit`` bytes."""
    try:
        fs, root = filesystem(outdir, options)
        path = _join(root, output)
        if int(fs.size(path) or 0) > limit:
            return None
        data: bytes = fs.cat_file(path)
    except Exception:
        return None
    return data


# -- OUTDIR on the store ---------------------------------------------------------------


class RemoteOutput:
    """OUTDIR as a URL: records PUT whole, the manifest kept locally and uploaded (module doc)."""

    def __init__(self, url: str, options: dict[str, Any]) -> None:
        self.url = url
        self.fs, self.root = filesystem(url, options)
        self._check()
        remove_stale_spools()
        self.spool = Path(tempfile.mkdtemp(prefix=f"{SPOOL_PREFIX}{os.getpid()}-"))
        self.manifest_path = self.spool / MANIFEST_NAME
        try:
            existing = self._existing_manifest()
            if existing and not existing.endswith(b"\n"):  # a torn line must not swallow the next one
                existing += b"\n"
            self.manifest_path.write_bytes(existing)
            self.existed = bool(existing)
            self.manifest: TextIO = open(self.manifest_path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
            self.last_upload = 0.0
            self.upload_seconds = 0.0
            self.dirty = False
            self._upload()  # refuses the run before any document when OUTDIR cannot be written
        except BaseException:
            if hasattr(self, "manifest"):
                self.manifest.close()
            shutil.rmtree(self.spool, ignore_errors=True)
            raise

    @property
    def path(self) -> Path:
        """The local folder holding the manifest (``--resume`` reads it from here)."""
        return self.spool

    def _check(self) -> None:
        try:
            info = self.fs.info(self.root)
        except FileNotFoundError:
            _check_parent(self.fs, self.root, self.url)  # a new prefix: its bucket must exist
            return
        except Exception as exc:
            raise StorageError(describe(exc, self.url)) from exc
        if info.get("type") == "file":
            raise StorageError(f"{self.url} is an object, not a folder (prefix) for the records")

    def _existing_manifest(self) -> bytes:
        try:
            data: bytes = self.fs.cat_file(_join(self.root, MANIFEST_NAME))
        except FileNotFoundError:
            return b""
        except Exception as exc:
            raise StorageError(describe(exc, _join(self.url, MANIFEST_NAME))) from exc
        return data

    def _upload(self) -> None:
        started = time.perf_counter()
        self.manifest.flush()
        try:
            # streamed from the file (a multipart upload when large), visible whole when complete
            self.fs.put_file(str(self.manifest_path), _join(self.root, MANIFEST_NAME))
        except Exception as exc:
            raise StorageError(describe(exc, _join(self.url, MANIFEST_NAME))) from exc
        self.dirty = False
        self.last_upload = time.perf_counter()
        self.upload_seconds = self.last_upload - started

    def write_record(self, output: PurePosixPath, text: str) -> None:
        """PUT the record whole (OSError on failure: the document's record says so)."""
        try:
            self.fs.pipe_file(_join(self.root, output.as_posix()), text.encode("utf-8"))
        except Exception as exc:
            raise OSError(describe(exc, _join(self.url, output.as_posix()))) from exc

    def sync(self) -> None:
        """A manifest line was written: upload the manifest when it is due."""
        self.dirty = True
        interval = max(MANIFEST_UPLOAD_SECONDS, UPLOAD_SHARE * self.upload_seconds)
        if time.perf_counter() - self.last_upload >= interval:
            with contextlib.suppress(StorageError):  # tried again at the next line, and at the end
                self._upload()

    def remove_stale(self) -> int:
        return 0  # nothing half written is left on a store: records are PUT whole

    def close(self) -> None:
        """Upload the manifest one last time; its local copy is kept (and named) if that fails."""
        try:
            if self.dirty:
                self._upload()
        except StorageError as exc:
            self.manifest.close()
            print(f"vanban: {exc}; the manifest is kept at {self.manifest_path}", file=sys.stderr)
            return
        self.manifest.close()
        shutil.rmtree(self.spool, ignore_errors=True)


def remove_stale_spools() -> int:
    """Remove the local folders of runs that were killed before they could (their pid is gone)."""
    removed = 0
    pattern = re.compile(re.escape(SPOOL_PREFIX) + r"(\d+)-.*")
    with contextlib.suppress(OSError), os.scandir(tempfile.gettempdir()) as entries:
        for entry in entries:
            match = pattern.fullmatch(entry.name)
            if match and not _alive(int(match.group(1))) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
    return removed


def same_location(a: str, b: str, options: dict[str, Any]) -> bool:
    """Whether two URLs name the same prefix (OUTDIR may not be an input)."""
    if scheme(a) != scheme(b):
        return False
    return filesystem(a, options)[1] == filesystem(b, options)[1]


def page_cache_folder(output: RemoteOutput) -> str:
    """The OCR page cache of a run writing to the store: in its local folder (this machine's)."""
    return os.fspath(output.spool / ".pages")
