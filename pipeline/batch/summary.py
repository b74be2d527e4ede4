"""The end-of-run report: counters, never a list per document."""

from __future__ import annotations

import dataclasses
import heapq
import signal
from collections import Counter

from pipeline.batch.names import terminal_text
from pipeline.batch.worker import RecordInfo

EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 130, 143


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


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
