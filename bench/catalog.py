"""Catalog benchmark: build a 1,000-record catalog and time each query.

    python3 -m bench.catalog RECORDS_DIR [--count 1000] [--catalog URL] [--json FILE]

RECORDS_DIR holds records written by ``vanban extract`` (e.g. of the corpus). They are copied to
a temporary folder until there are ``--count`` of them, each copy with its own sha256 and path
(the same document again, as an archive holding copies would), then loaded with ``catalog build``'s
code. Each query runs ``--repeat`` times after one warm-up; the median is reported.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.catalog import open_catalog


def make_copies(source: Path, target: Path, count: int) -> int:
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(source.glob("*.json"))]
    records = [r for r in records if isinstance(r, dict) and "source" in r]
    if not records:
        raise SystemExit(f"no records in {source}")
    for index in range(count):
        record = records[index % len(records)]
        copy = index // len(records)
        record["source"]["sha256"] = hashlib.sha256(f"{record['source']['path']}#{copy}".encode()).hexdigest()
        path = Path(record["source"]["path"])
        record["source"]["path"] = str(path.with_name(f"{path.stem}-{copy}{path.suffix}"))
        (target / f"{index:05d}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return len(records)


def timed(func: Callable[[], Any], repeat: int) -> tuple[float, int]:
    func()
    times = []
    size = 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
        size = len(result) if hasattr(result, "__len__") else 0
    return statistics.median(times) * 1000, size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("records", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--catalog", help="database URL [a fresh SQLite file]")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        records = Path(folder) / "records"
        records.mkdir()
        distinct = make_copies(args.records, records, args.count)
        url = args.catalog or f"sqlite:///{Path(folder) / 'catalog.sqlite'}"
        load1 = os.getloadavg()[0]
        started = time.perf_counter()
        catalog = open_catalog(url)
        summary = catalog.load_folder(records)
        build = time.perf_counter() - started
        started = time.perf_counter()
        again = catalog.load_folder(records)
        rebuild = time.perf_counter() - started
        queries: dict[str, Callable[[], Any]] = {
            "tasks --lead 'Sở Nội vụ' --quarter 2026-Q1": lambda: catalog.tasks(
                lead="Sở Nội vụ", quarter="2026-Q1"
            ),
            "tasks --body 'Sở Nội vụ'": lambda: catalog.tasks(body="Sở Nội vụ"),
            "tasks --overdue 2026-06-01": lambda: catalog.tasks(overdue_on="2026-06-01"),
            "tasks --text 'cải cách hành chính'": lambda: catalog.tasks(text="cải cách hành chính"),
            "tasks --source 173/KH-UBND": lambda: catalog.tasks(source="173/KH-UBND"),
            "documents --type KH --from 2026-01-01": lambda: catalog.documents(
                doc_type="KH", date_from="2026-01-01"
            ),
            "documents --issuer 'Lâm Đồng'": lambda: catalog.documents(issuer="Lâm Đồng"),
            "documents --text 'ma túy'": lambda: catalog.documents(text="ma túy"),
            "links 76/NQ-CP": lambda: catalog.links("76/NQ-CP")["cited_by"],
            "duplicates": catalog.duplicates,
        }
        results = {name: timed(func, args.repeat) for name, func in queries.items()}
        report = {
            "records": args.count,
            "distinct_records": distinct,
            "catalog": url.split("://")[0],
            "build_seconds": round(build, 2),
            "reload_seconds": round(rebuild, 2),
            "loaded": summary.render(),
            "reloaded": again.render(),
            "load_average_before": round(load1, 2),
            "queries_ms": {name: {"ms": round(ms, 1), "rows": rows} for name, (ms, rows) in results.items()},
        }
        catalog.close()
    print(
        f"catalog of {args.count} records ({distinct} distinct, {report['catalog']}): "
        f"build {build:.1f} s, reload {rebuild:.1f} s (load average {load1:.2f})"
    )
    for name, (ms, rows) in results.items():
        print(f"  {name:45s} {ms:8.1f} ms  {rows:6d} rows")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
