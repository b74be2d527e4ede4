"""The Dask engine (``--scheduler``): the same records and manifest as the native pool, and
the faults a cluster meets, on real clusters of two small worker processes.

* records identical between the engines (real documents from samples/);
* a Dask worker killed mid-run: its documents are run elsewhere, none lost, none twice in
  the manifest, and the pool process it held dies with it;
* a document that kills every worker it lands on: recorded ``batch.crashed``, not retried
  forever, the rest of the batch done;
* the client interrupted (SIGINT, exit 130) and resumed: every input once in the manifest,
  no process left behind;
* the scheduler restarted (with its workers, as a service manager restarts them): the
  client reconnects and submits the lost tasks again.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.batch import BatchSummary, run_batch
from tests.dask_support import (
    descendants,
    make_inputs,
    manifest_lines,
    slow_record,
    wait_for_lines,
    wait_gone,
)

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def _outputs(outdir: Path) -> Counter[str]:
    return Counter(str(line["output"]) for line in manifest_lines(outdir))


def _without_timing(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key != "seconds"}


@pytest.fixture
def cluster() -> Iterator[Any]:
    """A LocalCluster of 2 worker processes (1 thread each), closed after the test."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, memory_limit=0, dashboard_address=None
    ) as local:
        yield local


def _in_thread(**kwargs: Any) -> tuple[threading.Thread, dict[str, BatchSummary]]:
    result: dict[str, BatchSummary] = {}

    def run() -> None:
        result["summary"] = run_batch(progress=False, max_memory_mb=0, process=slow_record, **kwargs)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


def test_records_identical_between_engines(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    for name in ("056.docx", "070.pdf"):  # a DOCX and a text-layer PDF: quick real documents
        (docs / name).write_bytes((SAMPLES / name).read_bytes())
    native = run_batch([docs], tmp_path / "native", jobs=2, progress=False)
    dask = run_batch([docs], tmp_path / "dask", jobs=2, progress=False, scheduler="local")
    assert native.by_status == dask.by_status == Counter({"ok": 2})
    for name in ("056.docx.json", "070.pdf.json"):
        ours = json.loads((tmp_path / "dask" / name).read_text())
        theirs = json.loads((tmp_path / "native" / name).read_text())
        assert ours["document"]["doc_type"] is not None
        assert _without_timing(ours) == _without_timing(theirs)
    lines = {
        str(line["output"]): {k: v for k, v in line.items() if k not in ("seconds", "cpu_seconds")}
        for line in manifest_lines(tmp_path / "dask")
    }
    assert lines == {
        str(line["output"]): {k: v for k, v in line.items() if k not in ("seconds", "cpu_seconds")}
        for line in manifest_lines(tmp_path / "native")
    }


def test_a_worker_killed_mid_run_loses_nothing_and_writes_nothing_twice(tmp_path: Path, cluster: Any) -> None:
    inputs = make_inputs(tmp_path / "in", 10)
    out = tmp_path / "out"
    thread, result = _in_thread(inputs=[tmp_path / "in"], outdir=out, scheduler=cluster.scheduler_address)
    wait_for_lines(out, 2)
    with distributed.Client(cluster, set_as_default=False) as client:
        busy = {address: keys for address, keys in client.processing().items() if keys}
        assert busy, "no worker has a document in hand"
        address = sorted(busy)[0]
        pid = client.run(os.getpid, workers=[address])[address]
    pool_processes = descendants(pid)
    assert pool_processes, "the worker runs its document in a pool process"
    os.kill(pid, signal.SIGKILL)
    thread.join(120)
    assert not thread.is_alive()
    summary = result["summary"]
    assert summary.by_status == Counter({"ok": len(inputs)})
    assert _outputs(out) == Counter({f"{path.name}.json": 1 for path in inputs})
    assert not wait_gone(pool_processes), "the killed worker's pool process outlived it"


def test_a_document_that_kills_its_worker_is_recorded_failed(tmp_path: Path) -> None:
    make_inputs(tmp_path / "in", 3, stem="quick")
    (tmp_path / "in" / "killer.txt").write_text("kills the worker it runs on\n")
    out = tmp_path / "out"
    summary = run_batch(
        [tmp_path / "in"],
        out,
        jobs=2,
        scheduler="local",
        process=slow_record,
        progress=False,
        max_memory_mb=0,
    )
    entries = {str(line["output"]): line for line in manifest_lines(out)}
    assert len(manifest_lines(out)) == 4
    assert entries["killer.txt.json"]["status"] == "failed"
    assert entries["killer.txt.json"]["error"] == "batch.crashed"
    record = json.loads((out / "killer.txt.json").read_text())
    assert "died 3 times" in record["errors"][0]["message"]
    assert summary.by_status == Counter({"ok": 3, "failed": 1})
    # The pool process running the document ends with the Dask worker it killed.
    pids = {int(pid) for pid in (tmp_path / "in" / "killer.pids").read_text().split()}
    assert len(pids) == 3
    assert not wait_gone(pids, timeout=5)


def test_page_progress_reaches_the_client(tmp_path: Path) -> None:
    """The bar's page line: a worker's progress report arrives as an event of its task."""
    from pipeline.batch import Done, Progress, Task, WorkerConfig
    from pipeline.batch.dask_engine import DaskEngine
    from tests.dask_support import reporting_record

    path = make_inputs(tmp_path / "in", 1, stem="quick")[0]
    config = WorkerConfig(
        process=reporting_record, include_text=True, want_jsonl=False, max_memory_mb=0, warm_up=False
    )
    engine = DaskEngine(config, "local", 1)
    events: list[Any] = []
    try:
        identity = (path.stat().st_dev, path.stat().st_ino)
        engine.submit(Task(7, path, None, identity=identity))
        deadline = time.monotonic() + 60
        while not any(isinstance(event, Done) for event in events) and time.monotonic() < deadline:
            events += engine.poll(0.1)
    finally:
        engine.close(interrupted=False)
    progress = [event for event in events if isinstance(event, Progress)]
    assert [(event.task_id, event.event.stage, event.event.total) for event in progress] == [(7, "pages", 3)]
    done = [event for event in events if isinstance(event, Done)]
    assert done[0].reply.kind == "record"


def _batch_command(docs: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "tests.dask_support", str(docs), str(out), *extra]


def test_client_interrupted_then_resumed(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in", 12)
    out = tmp_path / "out"
    first = subprocess.Popen(
        _batch_command(tmp_path / "in", out), cwd=ROOT, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_for_lines(out, 3)
        started = descendants(first.pid)  # the LocalCluster's nannies, workers and pool processes
        first.send_signal(signal.SIGINT)
        _, stderr = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 130, stderr
    assert "run again with --resume" in stderr
    assert not wait_gone(started), "the cluster outlived the interrupted client"
    done_first = _outputs(out)
    assert 3 <= sum(done_first.values()) < len(inputs)
    assert set(done_first.values()) == {1}
    recorded = {name: (out / name).stat().st_mtime_ns for name in done_first}

    second = subprocess.run(
        _batch_command(tmp_path / "in", out, "--resume"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert second.returncode == 0, second.stderr
    assert f"already done (resume): {sum(done_first.values())}" in second.stderr
    assert _outputs(out) == Counter({f"{path.name}.json": 1 for path in inputs})
    assert {name: (out / name).stat().st_mtime_ns for name in done_first} == recorded  # not rewritten


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Service:
    """A ``dask scheduler`` and its ``dask worker`` processes, each in a session of its own,
    as a service manager would run them; everything is killed at the end."""

    def __init__(self, log: Path) -> None:
        self.port = _free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.log = log
        self.processes: list[subprocess.Popen[bytes]] = []

    def _start(self, *args: str) -> subprocess.Popen[bytes]:
        with open(self.log, "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", *args], cwd=ROOT, stdout=log, stderr=log, start_new_session=True
            )
        self.processes.append(process)
        return process

    def scheduler(self) -> subprocess.Popen[bytes]:
        return self._start(
            "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(self.port),
            "--dashboard-address", ":0",
        )  # fmt: skip

    def workers(self) -> subprocess.Popen[bytes]:
        return self._start(
            "distributed.cli.dask_worker", self.address, "--nworkers", "2", "--nthreads", "1",
            "--memory-limit", "0", "--no-dashboard",
        )  # fmt: skip

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


def test_scheduler_restart_loses_nothing(tmp_path: Path) -> None:
    service = _Service(tmp_path / "cluster.log")
    try:
        scheduler = service.scheduler()
        workers = service.workers()
        inputs = make_inputs(tmp_path / "in", 12)
        out = tmp_path / "out"
        thread, result = _in_thread(inputs=[tmp_path / "in"], outdir=out, scheduler=service.address)
        wait_for_lines(out, 3)
        service.kill(scheduler)  # the scheduler dies; its workers close when they lose it
        time.sleep(0.5)
        service.scheduler()  # the service manager starts both again
        workers.wait(60)
        service.workers()
        thread.join(150)
        assert not thread.is_alive()
    finally:
        service.close()
    assert result["summary"].by_status == Counter({"ok": len(inputs)})
    assert _outputs(out) == Counter({f"{path.name}.json": 1 for path in inputs})


def test_a_plain_extract_never_imports_dask(tmp_path: Path) -> None:
    source, out = str(SAMPLES / "070.pdf"), str(tmp_path / "out")
    script = (
        "import sys\nfrom pathlib import Path\nfrom pipeline.batch import run_batch\n"
        f"run_batch([Path({source!r})], Path({out!r}), jobs=1, progress=False)\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('dask', 'distributed')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert json.loads((tmp_path / "out" / "070.pdf.json").read_text())["status"] == "ok"


def test_a_result_lost_with_the_scheduler_before_it_was_fetched_is_run_again(tmp_path: Path) -> None:
    """The scheduler dies after a task finished but before the client fetched its result.
    Whichever the client meets first (its reconnect cancels the future, or fetching the
    result fails on the closed connection), the engine reads a lost task to run again,
    never an error that ends the batch (it once ended a batch with no summary)."""
    from pipeline.batch.dask_engine import DaskEngine

    service = _Service(tmp_path / "cluster.log")
    try:
        scheduler = service.scheduler()
        service.workers()
        with distributed.Client(service.address, set_as_default=False, timeout=60) as client:
            client.wait_for_workers(1, timeout=60)
            future = client.submit(sum, [1, 2], pure=False)
            deadline = time.monotonic() + 60
            while future.status == "pending" and time.monotonic() < deadline:
                time.sleep(0.05)
            assert future.status == "finished"
            service.kill(scheduler)
            assert DaskEngine._outcome(future) is None
    finally:
        service.close()
