"""Throughput and memory of the pipeline against plain pdfplumber text extraction, in one run.

    python -m bench.bench FOLDER [--jobs N] [--limit N] [--only-format pdf] [--json FILE]
    python bench/bench.py FOLDER

Runs, over the same files, in this order:

0. a one-document batch: starts the forkserver and warms the page cache for the runs below
   (its time is shown as the cold start);
1. pdfplumber ``extract_text`` alone over the PDFs, in one fresh process, file by file;
2. the pipeline with 1 worker, then with ``--jobs`` workers (default 2), via ``run_batch``,
   twice: first with the batch's idle slots kept idle (``VANBAN_PAGE_FANOUT=0``: a scan's
   pages one at a time, as before), then lent to the documents in hand (a long scan's pages
   OCR'd at once at the end of the batch). ``--parallel-only`` runs only these two;
   ``--lent-only`` leaves out the one with the slots kept idle.

What is measured:

* CPU time is what the worker processes report per document (user + system) and includes
  the helper programs the pipeline runs (tesseract, soffice); worker start-up is left out.
* "work s" is the wall time from the first worker ready to the last document finished:
  the forkserver and imports are left out, so 1 and N workers are compared on the same
  documents doing the same work. "wall s" is the whole batch.
* The CPU ratio compares the pipeline with pdfplumber on the text-layer PDFs only: PDFs on
  most of whose pages pdfplumber finds text (whatever the pipeline then does with them,
  OCR of a page whose layer fails included). Scans are OCR'd by the pipeline and nearly
  free for pdfplumber, so they would only blur the comparison.
* OCR seconds per page: documents with at least one OCR'd page, 1 worker.
* Per document, for the text-layer PDFs (pipeline and pdfplumber on the same files) and for
  the documents with OCR'd pages: the 50th and 95th percentiles of seconds and of CPU
  seconds per page, and pages per second per core (pages ÷ CPU seconds, 1 worker).
* The parallel run's work time against its CPU time divided by the workers: 1.00 when no
  worker ever waits for another (a long scan finishing alone shows here), without and with
  the idle slots lent; and the same for the longest document alone (its seconds against its
  CPU seconds divided by the workers: 2.00 with two workers when it ran on one CPU all
  along, 1.00 when its pages kept both busy).
* Peak RSS per worker, three ways: the worker process alone (its exact peak, from
  getrusage); the helper programs it runs (LibreOffice for legacy .doc, tesseract) alone;
  and the worker together with the helpers it was running at the same moment (the figure
  the memory limit applies to). The last two are sampled by the parent every 0.1 s from
  /proc. (The kernel's peak for finished child processes is useless here: it starts at the
  worker's own size, since a child has the worker's memory until it execs the helper.)

Prints Markdown ready to paste into the README.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.batch import MANIFEST_NAME, BatchSummary, Item, run_batch, walk_inputs
from pipeline.batch.native import FANOUT_ENVIRONMENT
from pipeline.errors import PipelineError
from pipeline.read.sniff import sniff


@dataclass
class Doc:
    """One document of a pipeline run, from the manifest and its record."""

    path: str
    format: str
    status: str
    pages: int
    seconds: float
    cpu: float
    ocr_pages: int
    layer_pages: int


@dataclass
class Row:
    name: str
    workers: int
    docs: int
    pages: int
    wall: float
    work: float
    cpu: float
    own_rss_mb: float = 0.0
    helper_rss_mb: float = 0.0
    tree_rss_mb: float = 0.0
    per_doc: list[Doc] = field(default_factory=list)

    def cells(self) -> list[str]:
        def rate(count: int) -> str:
            return f"{count / self.work:.2f}" if self.work else "n/a"

        def mb(value: float) -> str:
            return f"{value:.0f}" if value else "–"

        return [
            self.name,
            str(self.workers),
            str(self.docs),
            str(self.pages),
            f"{self.wall:.1f}",
            f"{self.work:.1f}",
            rate(self.docs),
            rate(self.pages),
            f"{self.cpu:.1f}",
            f"{self.cpu / self.pages:.4f}" if self.pages else "n/a",
            mb(self.own_rss_mb),
            mb(self.helper_rss_mb),
            mb(self.tree_rss_mb),
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


# --------------------------------------------------------------------------------------
# pdfplumber alone
# --------------------------------------------------------------------------------------

PlumberFile = tuple[int, float, int]  # pages, CPU seconds, pages with text
PlumberResult = tuple[dict[str, PlumberFile], float, float]  # per file, wall, peak


def _pdfplumber_worker(paths: list[Path], queue: multiprocessing.Queue[PlumberResult]) -> None:
    import pdfplumber

    started = time.perf_counter()
    per_file: dict[str, PlumberFile] = {}
    for path in paths:
        cpu_before, pages, with_text = _cpu_seconds(), 0, 0
        try:
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    with_text += bool(page.extract_text().strip())
                    pages += 1
                    page.close()  # drop cached objects, as a long run would
        except Exception:  # a broken PDF costs what it costs; the pipeline meets it too
            pass
        per_file[str(path)] = (pages, _cpu_seconds() - cpu_before, with_text)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((per_file, time.perf_counter() - started, peak))


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_pdfplumber(pdfs: list[Path]) -> tuple[Row, dict[str, PlumberFile]]:
    """pdfplumber alone in one fresh process (spawned, so its memory is its own)."""
    ctx = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[PlumberResult] = ctx.Queue()
    process = ctx.Process(target=_pdfplumber_worker, args=(pdfs, queue))
    process.start()
    per_file, wall, peak = queue.get()
    process.join()
    pages = sum(p for p, _, _ in per_file.values())
    cpu = sum(c for _, c, _ in per_file.values())
    row = Row("pdfplumber extract_text (all PDFs)", 1, len(pdfs), pages, wall, wall, cpu, own_rss_mb=peak)
    return row, per_file


# --------------------------------------------------------------------------------------
# The pipeline
# --------------------------------------------------------------------------------------


def _documents(outdir: Path) -> list[Doc]:
    docs = []
    for line in (outdir / MANIFEST_NAME).read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        origins: list[str] = []
        try:
            record = json.loads((outdir / entry["output"]).read_text(encoding="utf-8"))
            origins = [page.get("origin", "") for page in record["source"].get("pages", [])]
        except (OSError, ValueError, KeyError):
            pass
        docs.append(
            Doc(
                path=entry["path"],
                format=entry["format"],
                status=entry["status"],
                pages=entry["pages"],
                seconds=entry["seconds"] or 0.0,
                cpu=entry.get("cpu_seconds") or 0.0,
                ocr_pages=origins.count("ocr"),
                layer_pages=origins.count("layer"),
            )
        )
    return docs


def run_pipeline(
    files: list[Path], jobs: int, timeout: float, *, fanout: bool = True, keep: Path | None = None
) -> tuple[Row, BatchSummary]:
    """The batch over ``files``; ``fanout=False`` keeps idle slots idle (no page fan-out).
    With ``keep``, its records are written to a folder there (named after the run) and kept."""
    before = os.environ.get(FANOUT_ENVIRONMENT)
    os.environ[FANOUT_ENVIRONMENT] = "1" if fanout else "0"
    try:
        with tempfile.TemporaryDirectory(prefix="vanban-bench-") as temporary:
            outdir = keep / f"jobs{jobs}-{'lent' if fanout else 'kept'}" if keep else Path(temporary)
            summary = run_batch(files, outdir, jobs=jobs, timeout=timeout, progress=False)
            docs = _documents(outdir)
    finally:
        if before is None:
            os.environ.pop(FANOUT_ENVIRONMENT, None)
        else:
            os.environ[FANOUT_ENVIRONMENT] = before
    row = Row(
        "vanban pipeline" if fanout or jobs == 1 else "vanban pipeline, idle slots not lent",
        jobs,
        summary.processed,
        summary.pages,
        summary.wall_seconds,
        summary.work_seconds,
        summary.cpu_seconds,
        own_rss_mb=summary.peak_worker_own_rss_mb,
        helper_rss_mb=summary.peak_helper_rss_mb,
        tree_rss_mb=summary.peak_worker_rss_mb,
        per_doc=docs,
    )
    return row, summary


def cold_start(files: list[Path], timeout: float) -> float:
    """Seconds for a one-document batch: forkserver, worker start-up, imports, first document."""
    started = time.perf_counter()
    run_pipeline(files[:1], 1, timeout)
    return time.perf_counter() - started


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------


def markdown(rows: list[Row]) -> str:
    header = [
        "run",
        "workers",
        "docs",
        "pages",
        "wall s",
        "work s",
        "docs/s",
        "pages/s",
        "CPU s",
        "CPU s/page",
        "peak RSS/worker MB",
        "helpers MB",
        "worker+helpers MB",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def ratio(numerator: float, denominator: float, unit: str = "×") -> str:
    return f"{numerator / denominator:.2f}{unit}" if numerator and denominator else "n/a"


def text_layer_documents(one: Row, plumber: dict[str, PlumberFile]) -> list[Doc]:
    """The PDFs with a text layer: most of their pages give pdfplumber some text."""
    no_file = (0, 0.0, 0)
    return [
        d
        for d in one.per_doc
        if d.format == "pdf" and plumber.get(d.path, no_file)[2] * 2 > plumber.get(d.path, no_file)[0]
    ]


def text_layer_comparison(one: Row, plumber: dict[str, PlumberFile]) -> dict[str, float]:
    """CPU per page of the pipeline and of pdfplumber on the PDFs with a text layer."""
    text_pdfs = text_layer_documents(one, plumber)
    pages = sum(d.pages for d in text_pdfs)
    pipeline_cpu = sum(d.cpu for d in text_pdfs)
    plumber_pages = sum(plumber[d.path][0] for d in text_pdfs)
    plumber_cpu = sum(plumber[d.path][1] for d in text_pdfs)
    return {
        "files": len(text_pdfs),
        "pages": pages,
        "pipeline_cpu_per_page": pipeline_cpu / pages if pages else 0.0,
        "pdfplumber_cpu_per_page": plumber_cpu / plumber_pages if plumber_pages else 0.0,
    }


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``; 0.0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def spread(per_document: list[tuple[int, float, float]]) -> dict[str, float]:
    """p50/p95 per document of seconds and CPU s/page, and pages/s per core, from
    (pages, seconds, CPU seconds) per document."""
    seconds = [wall for _, wall, _ in per_document]
    cpu_per_page = [cpu / pages for pages, _, cpu in per_document if pages]
    pages = sum(p for p, _, _ in per_document)
    cpu = sum(c for _, _, c in per_document)
    return {
        "documents": len(per_document),
        "pages": pages,
        "seconds_p50": percentile(seconds, 0.50),
        "seconds_p95": percentile(seconds, 0.95),
        "cpu_per_page_p50": percentile(cpu_per_page, 0.50),
        "cpu_per_page_p95": percentile(cpu_per_page, 0.95),
        "pages_per_core_second": pages / cpu if cpu else 0.0,
    }


def per_document_spread(one: Row, plumber: dict[str, PlumberFile]) -> dict[str, dict[str, float]]:
    """``spread`` of the text-layer PDFs (pipeline, and pdfplumber on the same files) and of
    the documents with OCR'd pages (1 worker)."""
    text = text_layer_documents(one, plumber)
    return {
        "text pipeline": spread([(d.pages, d.seconds, d.cpu) for d in text]),
        "text pdfplumber": spread(
            [(plumber[d.path][0], plumber[d.path][1], plumber[d.path][1]) for d in text]
        ),
        "ocr pipeline": spread([(d.pages, d.seconds, d.cpu) for d in one.per_doc if d.ocr_pages]),
    }


def spread_markdown(spreads: dict[str, dict[str, float]]) -> str:
    header = "| documents | n | pages | s/doc p50 | s/doc p95 | CPU s/page p50 | CPU s/page p95 |"
    lines = [header + " pages/s per core |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, s in spreads.items():
        lines.append(
            f"| {name} | {s['documents']:.0f} | {s['pages']:.0f} | {s['seconds_p50']:.2f} | "
            f"{s['seconds_p95']:.2f} | {s['cpu_per_page_p50']:.4f} | {s['cpu_per_page_p95']:.4f} | "
            f"{s['pages_per_core_second']:.2f} |"
        )
    return "\n".join(lines)


def ocr_figures(one: Row) -> dict[str, float]:
    scanned = [d for d in one.per_doc if d.ocr_pages]
    pages = sum(d.pages for d in scanned)
    ocr_pages = sum(d.ocr_pages for d in scanned)
    seconds = sum(d.seconds for d in scanned)
    cpu = sum(d.cpu for d in scanned)
    return {
        "files": len(scanned),
        "pages": pages,
        "ocr_pages": ocr_pages,
        "seconds_per_page": seconds / pages if pages else 0.0,
        "cpu_per_page": cpu / pages if pages else 0.0,
        "seconds_per_ocr_page": seconds / ocr_pages if ocr_pages else 0.0,
        "cpu_per_ocr_page": cpu / ocr_pages if ocr_pages else 0.0,
    }


def balance_lines(jobs: int, kept: Row | None, lent: Row) -> list[str]:
    """Work time against CPU time ÷ workers, and the longest document, without (unless that
    run was left out) and with the idle slots lent (page fan-out)."""
    lines = []
    runs = ((kept, "idle slots not lent"), (lent, "idle slots lent to the documents in hand"))
    for row, how in [(row, how) for row, how in runs if row is not None]:
        longest = max(row.per_doc, key=lambda d: d.seconds) if row.per_doc else None
        tail = (
            f"; longest document {Path(longest.path).name} {longest.seconds:.1f} s of {row.work:.1f} s, "
            f"{longest.cpu:.1f} CPU s: its time ÷ (its CPU ÷ {jobs}) = "
            f"{ratio(longest.seconds, longest.cpu / jobs)}"
            if longest
            else ""
        )
        lines.append(
            f"- {jobs} workers, {how}: work time ÷ (CPU time ÷ {jobs}) = "
            f"{ratio(row.work, row.cpu / jobs)} (1.00: no worker waits for another); "
            f"work {row.work:.1f} s, CPU {row.cpu:.1f} s{tail}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="+")
    parser.add_argument("--jobs", type=int, default=2, help="workers for the parallel run (default 2)")
    parser.add_argument("--limit", type=int, default=None, help="at most this many files")
    parser.add_argument("--only-format", default=None, help="only files sniffed as this format, e.g. pdf")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per document")
    parser.add_argument(
        "--parallel-only",
        action="store_true",
        help="only the parallel runs, without and with the idle slots lent (no pdfplumber, no 1 worker)",
    )
    parser.add_argument(
        "--lent-only",
        action="store_true",
        help="leave out the run with the idle slots kept idle (with --parallel-only: only the run "
        "with them lent, the batch as it runs by default)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write every figure to this file")
    parser.add_argument("--keep", type=Path, default=None, help="keep each run's records in a folder here")
    args = parser.parse_args(argv)

    files = [path for folder in args.folder for path in select_files(folder, args.only_format, args.limit)]
    if not files:
        print(f"no files found in {' '.join(map(str, args.folder))}", file=sys.stderr)
        return 1
    pdfs = [path for path in files if format_of(path) == "pdf"]
    load_before = os.getloadavg()
    print(f"{len(files)} files ({len(pdfs)} PDF)", file=sys.stderr)

    cold = cold_start(files, args.timeout)
    plumber: Row | None = None
    plumber_files: dict[str, PlumberFile] = {}
    one: Row | None = None
    if not args.parallel_only:
        plumber, plumber_files = run_pdfplumber(pdfs) if pdfs else (None, {})
        print("pdfplumber done; pipeline with 1 worker ...", file=sys.stderr)
        one, _ = run_pipeline(files, 1, args.timeout, keep=args.keep)
    kept: Row | None = None
    if not args.lent_only:
        print(f"pipeline with {args.jobs} workers, idle slots not lent ...", file=sys.stderr)
        kept, _ = run_pipeline(files, args.jobs, args.timeout, fanout=False, keep=args.keep)
    print(f"pipeline with {args.jobs} workers, idle slots lent ...", file=sys.stderr)
    many, summary = run_pipeline(files, args.jobs, args.timeout, fanout=True, keep=args.keep)
    load_after = os.getloadavg()

    rows = [row for row in (plumber, one, kept, many) if row is not None]
    print(markdown(rows))
    print()
    figures: dict[str, object] = {}
    if one is not None:
        spreads = per_document_spread(one, plumber_files)
        print(spread_markdown(spreads))
        print()
        text = text_layer_comparison(one, plumber_files)
        ocr = ocr_figures(one)
        print(
            f"- text-layer PDFs ({text['files']:.0f} files, {text['pages']:.0f} pages): pipeline "
            f"{text['pipeline_cpu_per_page']:.4f} CPU s/page, pdfplumber extract_text "
            f"{text['pdfplumber_cpu_per_page']:.4f} CPU s/page, ratio "
            f"{ratio(text['pipeline_cpu_per_page'], text['pdfplumber_cpu_per_page'])}"
        )
        print(
            f"- throughput {args.jobs} workers ÷ 1 worker: {ratio(one.work, many.work)} "
            f"(work time, start-up excluded), {ratio(one.wall, many.wall)} (whole wall time)"
        )
        print(
            f"- CPU {args.jobs} workers ÷ 1 worker, same documents: {ratio(many.cpu, one.cpu)} "
            f"(above 1.00: each document costs more CPU when workers run side by side)"
        )
        print(
            f"- OCR (1 worker, {ocr['files']:.0f} documents with OCR'd pages, {ocr['pages']:.0f} pages, "
            f"{ocr['ocr_pages']:.0f} OCR'd): {ocr['seconds_per_page']:.2f} s/page wall, "
            f"{ocr['cpu_per_page']:.2f} CPU s/page, {ocr['seconds_per_ocr_page']:.2f} s and "
            f"{ocr['cpu_per_ocr_page']:.2f} CPU s per OCR'd page"
        )
        figures.update({"pdfplumber": plumber_files, "text_layer": text, "ocr": ocr, "per_document": spreads})
    for line in balance_lines(args.jobs, kept, many):
        print(line)
    if kept is not None:
        print(
            f"- {args.jobs} workers, CPU with the idle slots lent ÷ not lent: {ratio(many.cpu, kept.cpu)} "
            f"(above 1.00: pages read side by side cost more CPU)"
        )
    print(
        f"- peak RSS per worker: {max(row.own_rss_mb for row in rows[-3:]):.0f} MB worker alone, "
        f"{max(row.helper_rss_mb for row in rows[-3:]):.0f} MB helper programs alone, "
        f"{max(row.tree_rss_mb for row in rows[-3:]):.0f} MB worker with its helpers"
    )
    print(f"- cold start (1-document batch: forkserver, imports, first document): {cold:.2f} s")
    print("- statuses: " + " · ".join(f"{k} {v}" for k, v in summary.by_status.most_common()))
    print(
        f"- load average (1 min) before/after: {load_before[0]:.2f} / {load_after[0]:.2f} "
        f"on {os.cpu_count()} CPUs"
    )
    if args.json:
        pipeline_rows = [row for row in (one, kept, many) if row is not None]
        figures.update(
            {
                "rows": [{k: v for k, v in asdict(row).items() if k != "per_doc"} for row in rows],
                "documents": {
                    row.name + f" ({row.workers})": [asdict(d) for d in row.per_doc] for row in pipeline_rows
                },
                "cold_start": cold,
                "load": [load_before, load_after],
            }
        )
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
