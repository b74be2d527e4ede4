"""The queue: a thread that hands queued uploads to the batch runner (``pipeline.batch.run_batch``:
its worker processes, per-document time and memory limits, atomic writes and manifest) and
records each job's outcome; finished records are loaded into the catalog."""

from __future__ import annotations

import logging
import threading

from pipeline.batch import run_batch
from pipeline.record.models import Record
from pipeline.serve.store import Store

log = logging.getLogger("vanban.serve")
IDLE_SECONDS = 1.0
RETRY_SECONDS = 5.0  # after a batch run that failed as a whole (workers that cannot start)


class Runner:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="vanban-queue", daemon=True)

    def start(self) -> None:
        requeued = self.store.requeue_unfinished()
        if requeued:
            log.info("resuming %d jobs left running", requeued)
        self.thread.start()

    def close(self, timeout: float = 5.0) -> None:
        self.stop.set()
        self.store.wakeup.set()
        self.thread.join(timeout)

    def _loop(self) -> None:
        while not self.stop.is_set():
            try:
                worked = self.run_once()
            except Exception:  # the queue must outlive any one batch
                log.exception("batch run failed")
                worked = False
            if not worked:
                self.store.wakeup.wait(IDLE_SECONDS)
                self.store.wakeup.clear()

    def run_once(self) -> bool:
        """Run one batch of queued jobs; False when the queue was empty."""
        jobs = self.store.claim(self.store.settings.batch_size)
        if not jobs:
            return False
        uploads = list(dict.fromkeys(job.upload for job in jobs))
        try:
            self._run(uploads)
        except BaseException:
            self.store.requeue([job.id for job in jobs])  # nothing accepted is dropped
            self.stop.wait(RETRY_SECONDS)
            raise
        records: dict[str, Record | None] = {name: self._read(name) for name in uploads}
        # The jobs are answered first; loading into the catalog (for search) follows.
        for job in jobs:
            record = records[job.upload]
            if record is None:
                self.store.finish(job.id, status="failed", error="no record was written")
                continue
            self.store.finish(
                job.id,
                status="done",
                record_file=self.store.record_path(job.upload).name,
                record_status=record.status,
                error=record.errors[0].code if record.errors else None,
            )
        for name, record in records.items():
            if record is not None:
                try:
                    self.store.load_into_catalog(record, self.store.record_path(name))
                except Exception:
                    log.exception("could not load %s into the catalog", name)
        return True

    def _run(self, uploads: list[str]) -> None:
        settings = self.store.settings
        run_batch(
            [self.store.uploads / name for name in uploads],
            self.store.records,
            jobs=min(settings.jobs, len(uploads)),
            resume=True,  # content already read by this pipeline version is not read again
            timeout=settings.timeout,
            page_seconds=settings.page_seconds,
            ocr_page_seconds=settings.ocr_page_seconds,
            max_memory_mb=settings.max_memory_mb,
            max_input_mb=settings.max_upload_mb,
            progress=False,
        )

    def _read(self, upload: str) -> Record | None:
        path = self.store.record_path(upload)
        try:
            return Record.model_validate_json(path.read_bytes())
        except (OSError, ValueError):
            log.warning("no valid record at %s", path)
            return None
