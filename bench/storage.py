"""A local folder and an S3 store on the same documents, in one run.

    python -m bench.storage FOLDER [--jobs 2] [--rounds 1] [--scheduler local]

Starts the S3 server the tests use (SeaweedFS, ``tests/s3_support.py``: the dev extra),
uploads FOLDER to a bucket, then per round runs the batch over the folder into a local
OUTDIR and over ``s3://bench/in`` into ``s3://bench/out-N`` (the same engine: the native pool
of ``--jobs`` workers, or ``--scheduler local``); rounds alternate which goes first. At the
end the records are compared (all but ``seconds`` and ``source.path``, which names the file
or the object).

Measured per pass: wall s (docs/s, pages/s divide by it; the store's pass includes listing,
downloading each object in the workers, the PUT of each record and the manifest uploads),
the documents' CPU (the manifest's ``cpu_seconds``), this process's CPU (the batch's parent:
the walk, the writes, the uploads) and the S3 server's CPU during the pass (it runs on the
same cores, idle heartbeats included).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.batch import BatchSummary, run_batch


def _comparable(record: dict[str, Any]) -> dict[str, Any]:
    record = {key: value for key, value in record.items() if key != "seconds"}
    record["source"] = {key: value for key, value in record["source"].items() if key != "path"}
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--scheduler", default=None)
    args = parser.parse_args(argv)

    import psutil
    import s3fs

    from tests.s3_support import SeaweedS3, require_weed

    work = Path(tempfile.mkdtemp(prefix="vanban-storage-bench-"))
    server = SeaweedS3(require_weed(), work / "seaweedfs")
    server_process = psutil.Process(server.process.pid)

    def server_cpu() -> float:
        times = server_process.cpu_times()
        return float(times.user + times.system)

    rows: list[tuple[str, int, BatchSummary, float, float, float]] = []
    try:
        options = server.options()
        fs = s3fs.S3FileSystem(skip_instance_cache=True, **options)
        fs.mkdir("bench")
        for path in sorted(args.folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                fs.put_file(str(path), f"bench/in/{path.relative_to(args.folder).as_posix()}")
        print(f"load average before: {os.getloadavg()[0]:.2f}", file=sys.stderr)
        for n in range(args.rounds):
            order = ("local", "s3") if n % 2 == 0 else ("s3", "local")
            for where in order:
                cpu, store_cpu, started = time.process_time(), server_cpu(), time.perf_counter()
                if where == "local":
                    summary = run_batch(
                        [args.folder],
                        work / f"local-{n}",
                        jobs=args.jobs,
                        progress=False,
                        scheduler=args.scheduler,
                    )
                else:
                    summary = run_batch(
                        ["s3://bench/in"],
                        f"s3://bench/out-{n}",
                        jobs=args.jobs,
                        progress=False,
                        scheduler=args.scheduler,
                        storage_options=options,
                    )
                wall, cpu = time.perf_counter() - started, time.process_time() - cpu
                rows.append((where, n, summary, wall, cpu, server_cpu() - store_cpu))
                print(f"{where} round {n}: {wall:.1f} s, {summary.by_status}", file=sys.stderr)
        print(f"load average after: {os.getloadavg()[0]:.2f}", file=sys.stderr)
        local_records = {
            path.relative_to(work / "local-0").as_posix(): _comparable(json.loads(path.read_text()))
            for path in (work / "local-0").rglob("*.json")
            if ".pages" not in path.parts
        }
        fs.invalidate_cache()
        store_records = {
            key[len("bench/out-0/") :]: _comparable(json.loads(fs.cat_file(key)))
            for key in fs.find("bench/out-0")
            if key.endswith(".json")
        }
        same = local_records == store_records
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(
        "| where | round | docs | pages | wall s | docs/s | pages/s | doc CPU s | parent CPU s | S3 CPU s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for where, n, summary, wall, cpu, store_cpu in rows:
        print(
            f"| {where} | {n} | {summary.processed} | {summary.pages} | {wall:.1f} | "
            f"{summary.processed / wall:.3f} | {summary.pages / wall:.2f} | "
            f"{summary.cpu_seconds:.1f} | {cpu:.1f} | {store_cpu:.1f} |"
        )
    local_wall = sum(row[3] for row in rows if row[0] == "local")
    store_wall = sum(row[3] for row in rows if row[0] == "s3")
    print(f"\nS3 / local folder throughput: {local_wall / store_wall:.3f} (wall over all rounds)")
    print(f"records identical (but source.path): {same} ({len(local_records)} records)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
