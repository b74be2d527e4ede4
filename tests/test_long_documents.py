"""Long documents: a time budget per page and per OCR'd page on top of a base, and nothing
read lost when a document is stopped (status partial, the missing pages named, ``--resume``
reads only them). Scans are built from one real scanned page repeated (tests/scanpdf.py).

A 400-page OCR run is far too slow here: the mechanism is tested on a few pages with a
small per-page budget."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline import progress
from pipeline.batch import read_manifest, run_batch
from pipeline.model import Cell, Line, Page, Run, Table
from pipeline.repair import ocr, page_cache, tesseract
from tests.scanpdf import hanging_tesseract, write_scan_pdf

needs_tesseract = pytest.mark.skipif(
    tesseract.tesseract_problem() is not None, reason="tesseract vie missing"
)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_budget_grows_with_pages_and_with_each_ocr_page_started() -> None:
    limits = progress.Limits(base=60, per_page=1, per_ocr_page=10)
    assert limits.seconds(0, 0) == 60
    assert limits.seconds(400, 400) == 60 + 400 + 4000
    clock = Clock()
    tracker = progress.Tracker(1, limits, started=0.0, clock=clock)
    progress.begin(tracker)
    try:
        progress.report("pages", 400, 400)
        assert tracker.seconds_left() == 460
        for page in range(1, 401):  # 400 pages at 9 s each stay within their budget
            assert progress.should_stop() is None, page
            progress.report("ocr", page, 400)
            clock.now += 9
        assert tracker.ocr_started == 400
        assert tracker.seconds_left() == 4460 - 3600
        # Pages that took longer than their budget: within the reserve of the end, the
        # next page is not started (the parent would stop the document at 4460 s).
        clock.now = limits.seconds(400, 400) - progress.RESERVE_SECONDS + 1
        why = progress.should_stop()
        assert why is not None and "time budget ran out" in why
    finally:
        progress.begin(None)
    assert progress.should_stop() is None  # outside a batch nothing is ever stopped


def test_the_page_cache_gives_back_the_page_as_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan = write_scan_pdf(tmp_path / "scan.pdf", 2)
    monkeypatch.setenv(page_cache.ENVIRONMENT, str(tmp_path / "cache"))
    where = page_cache.folder(str(scan))
    assert where is not None and where.parent.parent == tmp_path / "cache"
    page = Page(
        number=2,
        lines=[
            Line("Văn phòng Quốc hội", x0=1.5, top=2.0, x1=90.0, bottom=12.0, size=10.0),
            Line("V\xb5 ngh\xd6", font=".VnTime", runs=[Run(0, 2, ".VnTime", True), Run(2, 9, ".VnTime")]),
        ],
        tables=[Table(rows=[[Cell("a", colspan=2), Cell("b")]], top=3.0, bottom=40.0)],
        width=595.0,
        height=842.0,
        origin="ocr",
        quality=0.97,
        ocr_confidence=0.91,
    )
    page_cache.store(where, page, [("ocr.oversized_page", "page 2: …")])
    assert page_cache.load(where, 2) == (page, [("ocr.oversized_page", "page 2: …")])
    assert page_cache.load(where, 1) is None
    (where / "1.json").write_text("{not json", encoding="utf-8")
    assert page_cache.load(where, 1) is None  # read again, not trusted


@needs_tesseract
def test_a_long_scan_stopped_keeps_its_pages_and_resume_reads_only_the_rest(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    write_scan_pdf(docs / "long.pdf", 8)
    out = tmp_path / "out"
    # A budget far too small for 8 OCR'd pages, whatever the machine's speed: 6 s in all, none
    # granted per page, so OCR stops once half of it is spent (after the first page at least,
    # as long as a page takes under 6 s; at 1-2 s a page, 2-3 pages are read). A budget that
    # grew with each page (0.5 s a page on 8 s) let a fast, idle machine read all 8.
    summary = run_batch([docs], out, jobs=1, timeout=6, page_seconds=0, ocr_page_seconds=0, progress=False)
    assert summary.by_status["partial"] == 1
    record = json.loads((out / "long.pdf.json").read_text(encoding="utf-8"))
    assert record["status"] == "partial"
    origins = [page["origin"] for page in record["source"]["pages"]]
    read = origins.count("ocr")
    assert 1 <= read < 8 and origins[:read] == ["ocr"] * read  # every page read before the stop
    assert all("Quốc hội" in text for text in record["text"]["pages"][:read])
    stopped = [w for w in record["warnings"] if w["code"] == "ocr.stopped"]
    assert len(stopped) == 1
    missing = "page 8" if read == 7 else f"pages {read + 1}-8"  # how many fit depends on the machine
    assert f"{missing} of 8 not read: the time budget ran out" in stopped[0]["message"]
    assert "--resume" in stopped[0]["message"]
    entry = read_manifest(out)["long.pdf.json"]
    assert entry["incomplete"] is True and entry["pages"] == 8
    cached = sorted(p.name for p in (out / page_cache.FOLDER_NAME).rglob("*.json"))
    assert cached == [f"{n}.json" for n in range(1, read + 1)]

    # --resume with the default budget: the cached pages are not OCR'd again.
    summary = run_batch([docs], out, jobs=1, resume=True, progress=False)
    assert summary.by_status["ok"] + summary.by_status["partial"] == 1 and summary.resumed == 0
    record = json.loads((out / "long.pdf.json").read_text(encoding="utf-8"))
    assert [page["origin"] for page in record["source"]["pages"]] == ["ocr"] * 8
    assert not [w for w in record["warnings"] if w["code"] == "ocr.stopped"]
    assert "incomplete" not in read_manifest(out)["long.pdf.json"]
    assert not (out / page_cache.FOLDER_NAME).exists()  # nothing left behind once complete
    # And a third run skips it as done.
    assert run_batch([docs], out, jobs=1, resume=True, progress=False).resumed == 1


@needs_tesseract
def test_a_document_killed_for_time_still_keeps_the_pages_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    write_scan_pdf(docs / "hangs.pdf", 5)
    monkeypatch.setenv("VANBAN_TESSERACT", str(hanging_tesseract(tmp_path, hang_on_call=3)))
    out = tmp_path / "out"
    summary = run_batch([docs], out, jobs=1, timeout=10, page_seconds=0, ocr_page_seconds=5, progress=False)
    # Page 3 hangs: the parent stops the worker at 10 + 3 × 5 s; the record is rebuilt from
    # the two pages read, without OCR.
    assert summary.by_status["partial"] == 1 and summary.by_status["failed"] == 0
    record = json.loads((out / "hangs.pdf.json").read_text(encoding="utf-8"))
    assert [page["origin"] for page in record["source"]["pages"]] == ["ocr", "ocr", "none", "none", "none"]
    stopped = [w["message"] for w in record["warnings"] if w["code"] == "ocr.stopped"]
    assert len(stopped) == 1 and stopped[0].startswith("pages 3-5 of 5 not read: the document was stopped")
    assert "batch.timeout" in stopped[0]
    assert read_manifest(out)["hangs.pdf.json"]["incomplete"] is True
    assert os.environ["VANBAN_TESSERACT"]


def test_missing_pages_are_named_as_ranges() -> None:
    assert ocr._page_ranges([3, 4, 5, 9, 11, 12]) == "3-5, 9, 11-12"
