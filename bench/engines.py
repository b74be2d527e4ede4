"""The two engines on the same documents, in one run: the native pool and a Dask LocalCluster.

    python -m bench.engines FOLDER [--jobs 2] [--rounds 1] [--json FILE]

First a one-document batch warms the page cache and the imports. Then, per round, the
whole folder through the native pool (``--jobs`` worker processes) and through a Dask
LocalCluster of ``--jobs`` workers (``--scheduler local``); rounds alternate the order
(native first, then Dask first, ...) so that a machine growing busier or quieter does not
favour one engine. Each pass writes to a fresh OUTDIR, and at the end the records of the
two engines are compared (all but their ``seconds``).

What is measured per pass:

* wall s: from before the engine starts (the LocalCluster included) to the batch's end;
  docs/s and pages/s divide by it. The ratio Dask/native is the issue's target (≥ 0.9).
* document CPU s: the per-document CPU of the worker processes and their helper programs
  (``cpu_seconds`` in the manifest: the same measure under both engines).
* engine CPU s: what running the engine costs on top: this process (the batch's parent,
  and for Dask the client, the scheduler and the nannies, which run here) and, for Dask,
  the worker processes themselves (read before the cluster closes).
* CPU s/page: (document + engine CPU) / pages.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.batch import BatchSummary, Item, run_batch, walk_inputs


@dataclass
class Pass:
    engine: str
    round: int
    docs: int
    pages: int
    wall: float
    document_cpu: float
    engine_cpu: float
    ok: int
    failed: int

    @property
    def cpu_per_page(self) -> float:
        return (self.document_cpu + self.engine_cpu) / max(self.pages, 1)


def _native(folder: Path, outdir: Path, jobs: int) -> tuple[BatchSummary, float, float]:
    cpu = time.process_time()
    started = time.perf_counter()
    summary = run_batch([folder], outdir, jobs=jobs, progress=False)
    return summary, time.perf_counter() - started, time.process_time() - cpu


def _dask(folder: Path, outdir: Path, jobs: int) -> tuple[BatchSummary, float, float]:
    import distributed
    import psutil

    from pipeline.batch.dask_engine import local_cluster

    cpu = time.process_time()
    started = time.perf_counter()
    cluster = local_cluster(jobs)  # what --scheduler local starts; here to read its workers' CPU
    try:
        summary = run_batch([folder], outdir, jobs=jobs, progress=False, scheduler=cluster.scheduler_address)
        wall = time.perf_counter() - started
        with distributed.Client(cluster, set_as_default=False) as client:
            pids = list(client.run(os.getpid).values())
        workers_cpu = 0.0
        for pid in pids:
            times = psutil.Process(pid).cpu_times()
            workers_cpu += times.user + times.system
    finally:
        cluster.close()
    return summary, wall, time.process_time() - cpu + workers_cpu


def _records(outdir: Path) -> dict[str, Any]:
    found = {}
    for path in sorted(outdir.rglob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        record.pop("seconds", None)
        found[str(path.relative_to(outdir))] = record
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    docs = sum(isinstance(entry, Item) for entry in walk_inputs([args.folder]))
    work = Path(tempfile.mkdtemp(prefix="vanban-engines-"))
    print(f"load average before: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    try:
        first = next(e.path for e in walk_inputs([args.folder]) if isinstance(e, Item))
        run_batch([first], work / "warm", jobs=1, progress=False)
        passes: list[Pass] = []
        outputs: dict[str, Path] = {}
        for n in range(args.rounds):
            order = ("native", "dask") if n % 2 == 0 else ("dask", "native")
            for engine in order:
                outdir = work / f"{engine}-{n}"
                shutil.rmtree(outdir, ignore_errors=True)
                run = _native if engine == "native" else _dask
                summary, wall, engine_cpu = run(args.folder, outdir, args.jobs)
                result = Pass(
                    engine,
                    n,
                    summary.processed,
                    summary.pages,
                    round(wall, 2),
                    round(summary.cpu_seconds, 2),
                    round(engine_cpu, 2),
                    summary.by_status["ok"] + summary.by_status["partial"],
                    summary.by_status["failed"],
                )
                passes.append(result)
                outputs[engine] = outdir
                print(f"{engine} round {n}: {asdict(result)}", file=sys.stderr)
                if args.json:  # kept pass by pass: a long run stopped halfway still has its passes
                    args.json.write_text(json.dumps([asdict(p) for p in passes], indent=2))
        same = _records(outputs["native"]) == _records(outputs["dask"])
        print(f"load average after: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{docs} documents, {args.jobs} workers each, {args.rounds} round(s)\n")
    print(
        "| engine | round | docs | pages | wall s | docs/s | pages/s | doc CPU s | engine CPU s | CPU s/p |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for p in passes:
        print(
            f"| {p.engine} | {p.round} | {p.docs} | {p.pages} | {p.wall:.1f} | {p.docs / p.wall:.3f} | "
            f"{p.pages / p.wall:.2f} | {p.document_cpu:.1f} | {p.engine_cpu:.1f} | {p.cpu_per_page:.3f} |"
        )
    native = sum(p.wall for p in passes if p.engine == "native")
    dask = sum(p.wall for p in passes if p.engine == "dask")
    print(f"\nDask / native throughput: {native / dask:.3f} (wall over all rounds)")
    print(f"records identical between the engines: {same}")
    if args.json:
        args.json.write_text(json.dumps([asdict(p) for p in passes], indent=2))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
