"""Writes inside OUTDIR without following links; records renamed into place; stale files removed."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import stat
import tempfile
from pathlib import Path, PurePosixPath

from pipeline.batch.names import TEMP_PREFIX, WORKER_TEMP_PREFIX

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
