"""Shared pieces of the Dask engine tests: process functions Dask workers can import, and
the processes of a cluster (to kill one, and to check that none is left behind)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from pathlib import Path

from pipeline.batch import MANIFEST_NAME
from pipeline.record.models import Record
from tests.hostile.helpers import quick_record


def _grandparent(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as handle:
        return int(handle.read().rsplit(")", 1)[1].split()[1])


def slow_record(path: Path) -> Record:
    """``quick_record`` after a pause long enough to stop a run halfway ("slow" in the name:
    1 s); "killer" in the name kills the Dask worker process running the document (the
    parent of the forkserver this worker was forked from), as the OOM killer would."""
    if "killer" in path.name:
        with open(path.with_suffix(".pids"), "a") as pids:
            pids.write(f"{os.getpid()}\n")
        os.kill(_grandparent(os.getppid()), signal.SIGKILL)
        time.sleep(60)
    if "slow" in path.name:
        time.sleep(1.0)
    return quick_record(path)


def reporting_record(path: Path) -> Record:
    """``quick_record`` after telling the batch the document has 3 pages (as a reader does)."""
    from pipeline import progress

    progress.report("pages", 0, 3)
    time.sleep(0.5)  # the report travels on its own channel: let it arrive first
    return quick_record(path)


def make_inputs(folder: Path, count: int, stem: str = "slow") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"{stem}-{n:02d}.txt"
        path.write_text(f"document {n}\n")
        paths.append(path)
    return paths


def manifest_lines(outdir: Path) -> list[dict[str, object]]:
    path = outdir / MANIFEST_NAME
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def wait_for_lines(outdir: Path, count: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while len(manifest_lines(outdir)) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"fewer than {count} manifest lines after {timeout} s")
        time.sleep(0.05)


def descendants(pid: int) -> set[int]:
    import psutil  # comes with distributed

    with contextlib.suppress(psutil.Error):
        return {child.pid for child in psutil.Process(pid).children(recursive=True)}
    return set()


def wait_gone(pids: set[int], timeout: float = 20.0) -> set[int]:
    """The pids of ``pids`` still alive (zombies count as gone) after up to ``timeout`` s."""
    import psutil

    deadline = time.monotonic() + timeout
    alive = set(pids)
    while alive and time.monotonic() < deadline:
        for pid in list(alive):
            try:
                if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                    alive.discard(pid)
            except psutil.NoSuchProcess:
                alive.discard(pid)
        time.sleep(0.1)
    return alive


def main() -> None:
    """``python -m tests.dask_support IN OUT [--resume]``: a batch of ``slow_record`` on a
    LocalCluster of 2 workers, as ``vanban extract --scheduler local`` runs one."""
    import sys

    from pipeline.batch import exit_code, run_batch
    from tests.dask_support import slow_record as process  # not __main__'s copy: workers import it

    summary = run_batch(
        [Path(sys.argv[1])],
        Path(sys.argv[2]),
        scheduler="local",
        jobs=2,
        resume="--resume" in sys.argv,
        process=process,
        progress=False,
        max_memory_mb=0,
    )
    print(summary.render(), file=sys.stderr)
    sys.exit(exit_code(summary))


if __name__ == "__main__":
    main()
