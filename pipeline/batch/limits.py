"""Per-document limits on a worker process: resident memory of it and its helpers, address space."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import resource

from pipeline import progress as doc_progress


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


def time_exceeded(limits: doc_progress.Limits, elapsed: float, pages: int, ocr_started: int) -> str | None:
    """The ``batch.timeout`` message when a document has outrun its budget, else None."""
    if elapsed > limits.seconds(pages, ocr_started):
        return f"no result within {limits.describe(pages, ocr_started)}; stopped"
    return None


@dataclasses.dataclass(frozen=True)
class MemorySample:
    """Resident memory of a worker and the helper programs it runs at this moment, in MB."""

    total: float  # what the memory limit applies to
    own: float  # the worker process alone
    helpers: float | None  # None: no helper running


def sample_memory(pid: int) -> MemorySample:
    tree = _without_unexeced(_process_tree(pid))
    sizes = [_rss_mb(member) for member in tree]
    return MemorySample(sum(sizes), sizes[0] if sizes else 0.0, sum(sizes[1:]) if len(sizes) > 1 else None)


def memory_exceeded(sample: MemorySample, max_memory_mb: int) -> str | None:
    """The ``batch.memory`` message when the worker and its helpers are over the limit, else None."""
    if max_memory_mb > 0 and sample.total > max_memory_mb:
        return f"worker memory reached {sample.total:.0f} MB (limit {max_memory_mb} MB)"
    return None
