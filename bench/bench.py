"""Throughput and memory of the pipeline against plain pdfplumber text extraction, in one run.

    python -m bench.bench FOLDER [--jobs N] [--limit N] [--only-format pdf]
    python bench/bench.py FOLDER

Runs, over the same files:

1. pdfplumber ``extract_text`` alone over the PDFs, in one fresh worker process;
2. the pipeline with 1 worker, then with ``--jobs`` workers (default 2), via ``run_batch``.

CPU time is what the worker processes report per document (user + system, all threads),
so worker start-up (imports) is left out and shown separately as the cold start; it
includes helper programs the pipeline runs (tesseract, soffice). Peak RSS per worker is
the larger of the worker's own peak and its biggest helper program's. Wall time and
documents/s cover the whole batch, start-up included. Prints a Markdown table ready to
paste into the README.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.batch import BatchSummary, Item, run_batch, walk_inputs
from pipeline.errors import PipelineError
from pipeline.read.sniff import sniff


@dataclass
class Row:
    name: str
    workers: int
    docs: int
    pages: int
    wall: float
    cpu: float
    peak_rss_mb: float
    pdf_pages: int = 0
    pdf_cpu: float = 0.0

    def cells(self) -> list[str]:
        return [
            self.name,
            str(self.workers),
            str(self.docs),
            str(self.pages),
            f"{self.wall:.2f}",
            f"{self.docs / self.wall:.2f}" if self.wall else "n/a",
            f"{self.pages / self.wall:.2f}" if self.wall else "n/a",
            f"{self.cpu / self.pages:.4f}" if self.pages else "n/a",
            f"{self.peak_rss_mb:.0f}",
        ]


def format_of(path: Path) -> str:
    try:
        return sniff(path)
    except (PipelineError, OSError):
        return "unknown"


def select_files(folder: Path, only_format: str | None, limit: int | None) -> list[Path]:
    files = []
    for entry in walk_inputs([folder]):
        if not isinstance(entry, Item) or entry.problem:
            continue
        if only_format and format_of(entry.path) != only_format:
            continue
        files.append(entry.path)
        if limit and len(files) >= limit:
            break
    return files


def _pdfplumber_worker(
    paths: list[Path], queue: multiprocessing.Queue[tuple[int, float, float, float]]
) -> None:
    import pdfplumber

    started, cpu_before = time.perf_counter(), _cpu_seconds()
    pages = 0
    for path in paths:
        try:
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    page.extract_text()
                    pages += 1
                    page.close()  # drop cached objects, as a long run would
        except Exception:  # a broken PDF costs what it costs; the pipeline meets it too
            continue
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((pages, time.perf_counter() - started, _cpu_seconds() - cpu_before, peak))


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_pdfplumber(pdfs: list[Path]) -> Row:
    """pdfplumber alone in one fresh process (spawned, so its memory is its own)."""
    ctx = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[tuple[int, float, float, float]] = ctx.Queue()
    process = ctx.Process(target=_pdfplumber_worker, args=(pdfs, queue))
    process.start()
    pages, wall, cpu, peak = queue.get()
    process.join()
    return Row("pdfplumber extract_text", 1, len(pdfs), pages, wall, cpu, peak, pages, cpu)


def run_pipeline(files: list[Path], jobs: int, timeout: float) -> tuple[Row, BatchSummary]:
    with tempfile.TemporaryDirectory(prefix="vanban-bench-") as outdir:
        summary = run_batch(files, Path(outdir), jobs=jobs, timeout=timeout, progress=False)
    pdf = summary.by_format.get("pdf")
    row = Row(
        "vanban pipeline",
        jobs,
        summary.processed,
        summary.pages,
        summary.wall_seconds,
        summary.cpu_seconds,
        summary.peak_worker_rss_mb,
        pdf.pages if pdf else 0,
        pdf.cpu_seconds if pdf else 0.0,
    )
    return row, summary


def cold_start(files: list[Path], timeout: float) -> float:
    """Seconds for a one-document batch: worker start-up, imports, first document."""
    started = time.perf_counter()
    run_pipeline(files[:1], 1, timeout)
    return time.perf_counter() - started


def markdown(rows: list[Row]) -> str:
    header = [
        "run",
        "workers",
        "docs",
        "pages",
        "wall s",
        "docs/s",
        "pages/s",
        "CPU s/page",
        "peak RSS/worker MB",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.2f}×" if numerator and denominator else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs", type=int, default=2, help="workers for the parallel run (default 2)")
    parser.add_argument("--limit", type=int, default=None, help="at most this many files")
    parser.add_argument("--only-format", default=None, help="only files sniffed as this format, e.g. pdf")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per document")
    args = parser.parse_args(argv)

    files = select_files(args.folder, args.only_format, args.limit)
    if not files:
        print(f"no files found in {args.folder}", file=sys.stderr)
        return 1
    pdfs = [path for path in files if format_of(path) == "pdf"]
    print(f"{len(files)} files ({len(pdfs)} PDF) from {args.folder}", file=sys.stderr)

    cold = cold_start(files, args.timeout)
    plumber = run_pdfplumber(pdfs) if pdfs else None
    one, _ = run_pipeline(files, 1, args.timeout)
    many, summary = run_pipeline(files, args.jobs, args.timeout)

    rows = ([plumber] if plumber else []) + [one, many]
    print(markdown(rows))
    print()
    pipeline_per_page = one.pdf_cpu / one.pdf_pages if one.pdf_pages else 0.0
    plumber_per_page = plumber.cpu / plumber.pages if plumber and plumber.pages else 0.0
    print(f"- pipeline CPU/page ÷ pdfplumber CPU/page (PDFs): {ratio(pipeline_per_page, plumber_per_page)}")
    print(f"- throughput {args.jobs} workers ÷ 1 worker (docs/s): {ratio(one.wall, many.wall)}")
    print(f"- cold start (1-document batch, imports included): {cold:.2f} s")
    print("- statuses: " + " · ".join(f"{k} {v}" for k, v in summary.by_status.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
