"""Pages of one scan OCR'd at once when the batch has slots no other document uses.

The scans are built from one real scanned page repeated (tests/scanpdf.py). What is checked
is behaviour, never speed (the machine is shared): every page is read, the record is the
one the pages read one at a time give, pages really start before others are done, the
batch lends its free slots, and the time limit still stops a document whose page hangs,
with its helper programs.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from pipeline import progress
from pipeline.batch import read_manifest, run_batch
from pipeline.batch.native import FANOUT_ENVIRONMENT, NativePool, _Worker
from pipeline.batch.worker import Task, WorkerConfig
from pipeline.record.models import Record
from pipeline.repair import ocr, page_cache, tesseract
from pipeline.run import process_file
from tests.scanpdf import hanging_tesseract, write_scan_pdf

needs_tesseract = pytest.mark.skipif(
    tesseract.tesseract_problem() is not None, reason="tesseract vie missing"
)


def _without_timing(record: Record) -> dict[str, Any]:
    data = record.model_dump(mode="json")
    data.pop("seconds", None)
    return data


def _read_with_spare_slots(pdf: Path, cache: Path, spare: int) -> tuple[Record, list[int]]:
    """The record of ``pdf`` read with ``spare`` slots lent, and, as each page's OCR started,
    how many pages were already done (in the page cache)."""
    done_when_started: list[int] = []

    def send(event: progress.Event) -> None:
        if event.stage == "ocr":
            done_when_started.append(len(list(cache.rglob("*.json"))))

    progress.begin(progress.Tracker(1, progress.Limits(), send=send, spare=lambda: spare))
    try:
        record = process_file(pdf)
    finally:
        progress.begin(None)
    return record, done_when_started


@needs_tesseract
def test_pages_read_at_once_give_the_record_read_one_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = write_scan_pdf(tmp_path / "scan.pdf", 3)
    alone = process_file(pdf)  # no batch: one page at a time
    cache = tmp_path / "cache"
    monkeypatch.setenv(page_cache.ENVIRONMENT, str(cache))

    together, done_when_started = _read_with_spare_slots(pdf, cache, spare=2)
    # All three pages started before any was done: they were read at once.
    assert done_when_started == [0, 0, 0]
    assert [page.origin for page in together.source.pages] == ["ocr"] * 3
    assert together.text is not None and all("Quốc hội" in text for text in together.text.pages)
    assert _without_timing(together) == _without_timing(alone)

    # No slot to spare: each page starts once the one before it is done.
    sequential, done_when_started = _read_with_spare_slots(pdf, cache, spare=0)
    assert done_when_started == [0, 1, 2]
    assert _without_timing(sequential) == _without_timing(alone)
    assert not list(cache.rglob("*.json"))  # a document read whole leaves no cached page


@needs_tesseract
def test_a_salvage_run_reads_nothing_even_with_slots_to_spare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = write_scan_pdf(tmp_path / "scan.pdf", 2)
    monkeypatch.setenv(page_cache.ENVIRONMENT, str(tmp_path / "cache"))
    tracker = progress.Tracker(1, progress.Limits(), salvage="stopped", spare=lambda: 3)
    progress.begin(tracker)
    try:
        assert progress.spare_slots() == 0
        record = process_file(pdf)
    finally:
        progress.begin(None)
    assert [page.origin for page in record.source.pages] == ["none", "none"]


def _records(out: Path) -> dict[str, dict[str, Any]]:
    records = {}
    for path in sorted(out.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("seconds", None)
        records[path.name] = data
    return records


def _logging_tesseract(folder: Path) -> tuple[Path, Path]:
    """The real tesseract, writing a line to a log as each page call starts and ends."""
    script, log = folder / "tesseract", folder / "calls.log"
    script.write_text(
        "#!/bin/sh\n"
        'case "$*" in *tsv*) ;; *) exec tesseract "$@";; esac\n'
        f'echo start >> "{log}"\n'
        'tesseract "$@"\n'
        "status=$?\n"
        f'echo end >> "{log}"\n'
        "exit $status\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, log


def _most_at_once(log: Path) -> int:
    running = most = 0
    for line in log.read_text(encoding="ascii").split():
        running += 1 if line == "start" else -1
        most = max(most, running)
    return most


@needs_tesseract
def test_a_batch_lends_its_idle_slot_to_a_long_scan_and_writes_the_same_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    # Eight pages: the short document's worker starts cold (its imports take seconds on a
    # loaded machine), and the scan must still have pages left when that slot comes free.
    write_scan_pdf(docs / "long.pdf", 8)
    (docs / "note.txt").write_text("Một văn bản ngắn.\n", encoding="utf-8")
    script, log = _logging_tesseract(tmp_path)
    monkeypatch.setenv("VANBAN_TESSERACT", str(script))

    monkeypatch.setenv(FANOUT_ENVIRONMENT, "0")
    run_batch([docs], tmp_path / "alone", jobs=2, progress=False)
    assert _most_at_once(log) == 1  # not lent: one page at a time
    log.unlink()

    monkeypatch.delenv(FANOUT_ENVIRONMENT)
    summary = run_batch([docs], tmp_path / "fanned", jobs=2, progress=False)
    assert summary.by_status["failed"] == 0
    # Once the short document was done, its slot went to the scan: two pages at once.
    assert _most_at_once(log) == 2
    fanned = _records(tmp_path / "fanned")
    assert [page["origin"] for page in fanned["long.pdf.json"]["source"]["pages"]] == ["ocr"] * 8
    assert fanned == _records(tmp_path / "alone")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return False


@needs_tesseract
def test_the_time_limit_still_stops_a_scan_whose_pages_run_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    write_scan_pdf(docs / "hangs.pdf", 5)
    monkeypatch.setenv("VANBAN_TESSERACT", str(hanging_tesseract(tmp_path, hang_on_call=3)))
    out = tmp_path / "out"
    # One document, two slots: its pages are read two at a time. The third Tesseract call
    # hangs; the parent stops the worker, and its helpers, when the budget of the pages
    # started is spent.
    summary = run_batch([docs], out, jobs=2, timeout=60, page_seconds=0, ocr_page_seconds=10, progress=False)
    assert summary.by_status["partial"] == 1 and summary.by_status["failed"] == 0
    record = json.loads((out / "hangs.pdf.json").read_text(encoding="utf-8"))
    origins = [page["origin"] for page in record["source"]["pages"]]
    # The page whose Tesseract hung is not read; the pages read beside it (how many depends
    # on the machine's speed) were kept in the page cache, and the record rebuilt from them
    # names every page not read.
    missing = [number for number, origin in enumerate(origins, start=1) if origin != "ocr"]
    assert 1 <= len(missing) <= 4 and all(origins[number - 1] == "none" for number in missing)
    stopped = [w["message"] for w in record["warnings"] if w["code"] == "ocr.stopped"]
    named = "page " + str(missing[0]) if len(missing) == 1 else "pages " + ocr._page_ranges(missing)
    assert len(stopped) == 1 and stopped[0].startswith(f"{named} of 5 not read: the document was stopped")
    assert "batch.timeout" in stopped[0]
    assert read_manifest(out)["hangs.pdf.json"]["incomplete"] is True
    # The hung helper was killed with its worker.
    assert not _alive(int((tmp_path / "hung").read_text(encoding="ascii")))
    assert os.environ["VANBAN_TESSERACT"]


def _pool(slots: int, max_memory_mb: int) -> NativePool:
    config = WorkerConfig(
        process=process_file, include_text=True, want_jsonl=False, max_memory_mb=max_memory_mb, warm_up=False
    )
    return NativePool(config, slots)


def _busy_worker(pool: NativePool, memory_mb: float, *, ready: bool = True, task: bool = True) -> _Worker:
    """A worker as the pool keeps it (no process is started: only the lending is looked at)."""
    process = multiprocessing.get_context("spawn").Process(target=print)
    worker = _Worker(process, None, 0.0, spare=pool.ctx.RawValue("i", 0), ready=ready)  # type: ignore[arg-type]
    worker.task = Task(1, Path("scan.pdf"), None) if task else None
    worker.memory_mb = memory_mb
    pool.workers.append(worker)
    return worker


def test_idle_slots_are_lent_in_turn_within_the_memory_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    pool = _pool(slots=4, max_memory_mb=2048)
    first, second = _busy_worker(pool, 300), _busy_worker(pool, 300)
    pool._lend_spare_slots()
    assert (first.spare.value, second.spare.value) == (1, 1)  # two free slots, one each
    # A worker starting keeps its slot for the document waiting for it.
    starting = _busy_worker(pool, 0, ready=False, task=False)
    pool._lend_spare_slots()
    assert (first.spare.value, second.spare.value, starting.spare.value) == (1, 0, 0)
    # Memory: 300 MB and 150 MB a page, the page in hand and a margin of one counted.
    pool = _pool(slots=4, max_memory_mb=700)
    alone = _busy_worker(pool, 300)
    pool._lend_spare_slots()
    assert alone.spare.value == 1  # 300 + 3 x 150 = 750 > 700 for a second
    alone.memory_mb = 0  # not sampled yet for its document: nothing lent
    pool._lend_spare_slots()
    assert alone.spare.value == 0
    # Switched off: nothing lent.
    monkeypatch.setenv(FANOUT_ENVIRONMENT, "0")
    pool = _pool(slots=4, max_memory_mb=0)
    off = _busy_worker(pool, 300)
    pool._lend_spare_slots()
    assert off.spare.value == 0
