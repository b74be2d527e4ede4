"""The review service against the command line on one document (a 10-page scan by default).

    python3 -m bench.serve [PDF] [--repeat 2] [--jobs 1] [--json FILE]

Each round makes a copy of the PDF that differs by a trailing comment (so that neither side can
reuse an earlier reading), then times, alternately:

* ``cli``: ``python3 cli.py extract COPY -o OUT -j N -q`` in a fresh process, start to exit (what
  a system that runs the command line pays per document);
* ``api``: against a ``vanban serve`` already running (started once, its start-up reported on its
  own), the upload, polling the job every 0.1 s and fetching the record, from the first byte sent
  to the record received.

Both report the pipeline's own time for the document (the record's ``seconds``); the overhead is
the wall time minus that.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PDF = ROOT.parent / "shared" / "corpus" / "docs" / "093.pdf"
TOKEN = "bench-token"


def _copy(pdf: Path, folder: Path, round_: int, side: str) -> Path:
    target = folder / f"{pdf.stem}-{side}-{round_}.pdf"
    target.write_bytes(pdf.read_bytes() + f"\n%bench {side} {round_} {time.time_ns()}\n".encode())
    return target


def run_cli(path: Path, outdir: Path, jobs: int) -> dict[str, float]:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "cli.py", "extract", str(path), "-o", str(outdir), "-j", str(jobs), "-q"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    wall = time.perf_counter() - started
    record = json.loads((outdir / f"{path.name}.json").read_text(encoding="utf-8"))
    return {"wall": wall, "pipeline": float(record["seconds"]), "pages": len(record["source"]["pages"])}


def run_api(client: httpx.Client, path: Path) -> dict[str, float]:
    started = time.perf_counter()
    response = client.post("/v1/jobs", files=[("files", (path.name, path.read_bytes()))])
    response.raise_for_status()
    job_id = response.json()["jobs"][0]["id"]
    while client.get(f"/v1/jobs/{job_id}").json()["status"] not in ("done", "failed"):
        time.sleep(0.1)
    record = client.get(f"/v1/jobs/{job_id}/record").json()
    wall = time.perf_counter() - started
    return {"wall": wall, "pipeline": float(record["seconds"]), "pages": len(record["source"]["pages"])}


def start_server(data: Path, port: int, jobs: int) -> tuple[subprocess.Popen[bytes], float]:
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "cli.py",
            "serve",
            "--data",
            str(data),
            "--port",
            str(port),
            "--token",
            TOKEN,
            "-j",
            str(jobs),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process, time.perf_counter() - started
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            raise SystemExit("the server did not start")
        time.sleep(0.05)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pdf", nargs="?", type=Path, default=DEFAULT_PDF)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="vanban-bench-serve-"))
    results: dict[str, Any] = {"pdf": str(args.pdf), "load_before": os.getloadavg()[0], "cli": [], "api": []}
    process, startup = start_server(folder / "data", args.port, args.jobs)
    results["server_startup_s"] = startup
    try:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{args.port}",
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=600,
        ) as client:
            for round_ in range(args.repeat):
                for side in ("cli", "api") if round_ % 2 == 0 else ("api", "cli"):
                    copy = _copy(args.pdf, folder, round_, side)
                    if side == "cli":
                        result = run_cli(copy, folder / f"out-{round_}", args.jobs)
                    else:
                        result = run_api(client, copy)
                    result["overhead"] = result["wall"] - result["pipeline"]
                    results[side].append(result)
                    print(f"round {round_} {side}: {json.dumps({k: round(v, 2) for k, v in result.items()})}")
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)
    results["load_after"] = os.getloadavg()[0]
    for side in ("cli", "api"):
        runs = results[side]
        results[f"{side}_median"] = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    cli, api = results["cli_median"], results["api_median"]
    load = f"{results['load_before']:.2f} -> {results['load_after']:.2f}"
    print(f"server start-up (once): {startup:.2f} s; load average {load}")
    print("side  wall s  pipeline s  overhead s")
    for side, med in (("cli", cli), ("api", api)):
        print(f"{side:5} {med['wall']:6.2f}  {med['pipeline']:10.2f}  {med['overhead']:10.2f}")
    print(f"api / cli wall: {api['wall'] / cli['wall']:.3f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
