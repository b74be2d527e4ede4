"""How much of one document's reading can use two CPUs, measured so that a busy machine does
not hide it (issue: the 2-worker batch within 1.15x of its CPU time divided by 2).

    python3 -m bench.parallelism ../shared/corpus/docs/006.pdf [--spare 1]

Reads the document in this process as a batch worker would with ``--spare`` idle slots lent
to it (pages OCR'd at once), and every 20 ms counts this process's threads and helper
programs that are running or waiting for a CPU (state R). Wall times on a shared machine
measure the other processes as much as this one; the counts do not: while one thread is
runnable the document can use one CPU, while two are it can use two, however long the
machine makes either last. With n1 samples of one runnable and n2 of two or more, the
document on an idle machine of two CPUs would take ~(n1 + n2) time units for n1 + 2 n2
CPU units, so its wall time over its CPU time ÷ 2 would be 2 (n1 + n2) / (n1 + 2 n2).
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from pathlib import Path

from pipeline import progress
from pipeline.run import process_file

SAMPLE_SECONDS = 0.02


def _running(pid: int, exclude: int) -> int:
    """Threads of ``pid`` and of its descendants in state R (running or runnable)."""
    count = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0
    for task in tasks:
        if int(task) == exclude:
            continue
        try:
            with open(f"/proc/{pid}/task/{task}/stat") as handle:
                state = handle.read().rsplit(")", 1)[1].split()[0]
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                children = [int(child) for child in handle.read().split()]
        except (OSError, IndexError, ValueError):
            continue
        count += state == "R"
        count += sum(_running(child, exclude) for child in children)
    return count


def sample(path: Path, spare: int) -> tuple[dict[int, int], float]:
    """Samples by how many threads were runnable (0, 1, 2 = two or more), and wall seconds."""
    counts = {0: 0, 1: 0, 2: 0}
    done = threading.Event()

    def watch() -> None:
        me = threading.get_native_id()
        while not done.is_set():
            counts[min(2, _running(os.getpid(), me))] += 1
            time.sleep(SAMPLE_SECONDS)

    progress.begin(progress.Tracker(1, progress.Limits(), send=lambda event: None, spare=lambda: spare))
    watcher = threading.Thread(target=watch, daemon=True)
    started = time.perf_counter()
    watcher.start()
    try:
        process_file(path)
    finally:
        done.set()
        watcher.join()
        progress.begin(None)
    return counts, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("document", type=Path)
    parser.add_argument("--spare", type=int, default=1, help="idle slots lent to it (default 1)")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    counts, wall = sample(args.document, args.spare)
    one, two = counts[1], counts[2]
    ratio = 2 * (one + two) / (one + 2 * two) if one + two else float("nan")
    print(
        f"{args.document.name}: {wall:.1f} s wall (load {load:.1f} before, {os.getloadavg()[0]:.1f} after); "
        f"samples with 0 / 1 / 2+ threads runnable: {counts[0]} / {one} / {two}; "
        f"on an idle 2-CPU machine wall ÷ (CPU ÷ 2) ≈ {ratio:.2f}"
    )


if __name__ == "__main__":
    main()
