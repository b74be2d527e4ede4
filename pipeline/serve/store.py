"""What the review service keeps: uploads (content-addressed files), jobs and corrections (rows
in the catalog's database), and the records the batch wrote.

An upload is written to a temporary file, fsynced and renamed to ``uploads/<sha256><suffix>``,
and its job row is committed, before the client hears "accepted": a server killed at any
moment after that loses no upload, and ``Store.requeue_unfinished`` puts the jobs it was running
back in the queue. The client's file name is kept in the row for display only; no path is ever
built from it (the suffix comes from a fixed list, else from the format sniffed from the bytes).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select, update

from pipeline.batch import default_jobs, output_file_name
from pipeline.catalog import Catalog
from pipeline.catalog.models import Correction, Job
from pipeline.errors import PipelineError
from pipeline.read.sniff import sniff
from pipeline.record.models import Record

CHUNK = 1 << 20
# Suffixes a stored upload may keep from the client's name (the Markdown reader wants ".md");
# any other name gets the suffix of the format sniffed from the bytes.
KEPT_SUFFIXES = frozenset({".pdf", ".docx", ".doc", ".rtf", ".html", ".htm", ".txt", ".md"})
FORMAT_SUFFIX = {"pdf": ".pdf", "docx": ".docx", "doc": ".doc", "rtf": ".rtf", "html": ".html", "txt": ".txt"}
MAX_NAME_CHARS = 255  # a client's file name is kept (for display) up to this length


class Refused(Exception):
    """An upload the service will not take: ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass
class Settings:
    """The service's folder, access token and limits (``vanban serve`` options)."""

    data: Path
    token: str | None  # None: no authentication (local development only)
    catalog: str | None = None  # a database URL; default: DATA/catalog.sqlite
    max_upload_mb: float = 64.0
    max_pages: int = 1000
    max_files: int = 50  # per request
    jobs: int = field(default_factory=default_jobs)
    timeout: float = 300.0
    page_seconds: float = 1.0
    ocr_page_seconds: float = 10.0
    max_memory_mb: int = 2048
    batch_size: int = 64  # jobs handed to one batch run

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 2**20)

    @property
    def max_request_bytes(self) -> int:
        return self.max_upload_bytes * self.max_files + 2**20


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def clean_file_name(name: str | None) -> str:
    """The client's name for display: its last component, control characters replaced."""
    text = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch if ch.isprintable() else "\ufffd" for ch in text).strip()
    return text[:MAX_NAME_CHARS] or "upload"


def _suffix(name: str, fmt: str) -> str:
    dot = name.rfind(".")
    suffix = name[dot:].lower() if dot > 0 else ""
    if suffix in KEPT_SUFFIXES and (fmt != "pdf" or suffix == ".pdf"):
        return suffix
    return FORMAT_SUFFIX.get(fmt, "")


def _pdf_pages(path: Path) -> int | None:
    """Page count of a PDF; None when pdfium cannot open it (the pipeline then gives the
    document's failed record with its error code)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception:
        return None
    try:
        return len(pdf)
    finally:
        pdf.close()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def job_dict(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "status": job.status,
        "file_name": job.file_name,
        "sha256": job.sha256,
        "bytes": job.file_bytes,
        "created": job.created,
        "updated": job.updated,
        "record_status": job.record_status,
        "error": job.error,
    }


def correction_dict(row: Correction) -> dict[str, Any]:
    return {
        "id": row.id,
        "field": row.field,
        "action": row.action,
        "value": row.value,
        "machine_value": row.machine_value,
        "note": row.note,
        "author": row.author,
        "created": row.created,
    }


class Store:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.data = Path(settings.data)
        self.uploads = self.data / "uploads"
        self.records = self.data / "records"
        self.pages = self.data / "pages"
        for folder in (self.data, self.uploads, self.records, self.pages):
            folder.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(settings.catalog or self.data / "catalog.sqlite")
        # One writer at a time: SQLite takes one, and the queue's claims must not interleave.
        self.lock = threading.Lock()
        self.wakeup = threading.Event()

    def close(self) -> None:
        self.catalog.close()

    # ---- uploads and jobs ------------------------------------------------------------------------

    def accept(self, stream: BinaryIO, file_name: str | None) -> dict[str, Any]:
        """Store one upload and commit its job; raises ``Refused`` for what is not taken."""
        name = clean_file_name(file_name)
        limit = self.settings.max_upload_bytes
        digest = hashlib.sha256()
        size = 0
        temp = self.uploads / f".upload-{secrets.token_hex(8)}"
        try:
            with open(temp, "xb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise Refused(413, "upload.too_large", f"{name}: larger than {limit} bytes")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if size == 0:
                raise Refused(400, "upload.empty", f"{name}: empty file")
            try:
                fmt = sniff(temp)
            except PipelineError as exc:
                raise Refused(400, "upload.unreadable", f"{name}: {exc}") from exc
            if fmt == "unknown":
                raise Refused(415, "upload.unsupported", f"{name}: not a PDF, DOCX, DOC, RTF, HTML or text")
            if fmt == "pdf":
                pages = _pdf_pages(temp)
                if pages is not None and pages > self.settings.max_pages:
                    raise Refused(
                        413,
                        "upload.too_many_pages",
                        f"{name}: {pages} pages (at most {self.settings.max_pages})",
                    )
            sha = digest.hexdigest()
            stored = f"{sha}{_suffix(name, fmt)}"
            os.replace(temp, self.uploads / stored)
            _fsync_dir(self.uploads)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        stamp = now()
        job = Job(
            id=secrets.token_hex(12),
            created=stamp,
            updated=stamp,
            status="queued",
            file_name=name,
            sha256=sha,
            file_bytes=size,
            upload=stored,
        )
        with self.lock, self.catalog.sessions.begin() as session:
            session.add(job)
            session.flush()
            result = job_dict(job)
        self.wakeup.set()
        return result

    def job(self, job_id: str) -> Job | None:
        with self.catalog.sessions() as session:
            return session.get(Job, job_id)

    def jobs(self, status: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        query = select(Job).order_by(Job.created.desc()).limit(limit)
        if status:
            query = query.where(Job.status == status)
        with self.catalog.sessions() as session:
            return [job_dict(job) for job in session.scalars(query)]

    def requeue_unfinished(self) -> int:
        """Jobs left running by a server that stopped go back to the queue."""
        with self.lock, self.catalog.sessions.begin() as session:
            result = session.execute(
                update(Job).where(Job.status == "running").values(status="queued", updated=now())
            )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def requeue(self, job_ids: list[str]) -> None:
        with self.lock, self.catalog.sessions.begin() as session:
            session.execute(update(Job).where(Job.id.in_(job_ids)).values(status="queued", updated=now()))

    def claim(self, limit: int) -> list[Job]:
        """The oldest queued jobs, marked running."""
        with self.lock, self.catalog.sessions.begin() as session:
            jobs = list(
                session.scalars(select(Job).where(Job.status == "queued").order_by(Job.created).limit(limit))
            )
            for job in jobs:
                job.status, job.updated = "running", now()
            return jobs

    def finish(self, job_id: str, **values: Any) -> None:
        with self.lock, self.catalog.sessions.begin() as session:
            session.execute(update(Job).where(Job.id == job_id).values(updated=now(), **values))

    def pending(self) -> int:
        with self.catalog.sessions() as session:
            return len(session.scalars(select(Job.id).where(Job.status.in_(("queued", "running")))).all())

    def record_path(self, upload: str) -> Path:
        return self.records / output_file_name(upload)

    def load_into_catalog(self, record: Record, record_file: Path) -> None:
        with self.lock:
            self.catalog.load([(record, str(record_file))])

    # ---- records ---------------------------------------------------------------------------------

    def record_file_of(self, sha256: str) -> Path | None:
        """The record written for the newest finished upload of this content."""
        with self.catalog.sessions() as session:
            name = session.scalars(
                select(Job.record_file)
                .where(Job.sha256 == sha256, Job.status == "done", Job.record_file.is_not(None))
                .order_by(Job.updated.desc())
                .limit(1)
            ).first()
        if not name:
            return None
        path = self.records / name
        return path if path.is_file() else None

    def record_json(self, sha256: str) -> dict[str, Any] | None:
        path = self.record_file_of(sha256)
        if path is None:
            return None
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def file_name_of(self, sha256: str) -> str | None:
        """What the client called the newest upload of this content (for display)."""
        with self.catalog.sessions() as session:
            query = select(Job.file_name).where(Job.sha256 == sha256).order_by(Job.created.desc()).limit(1)
            return session.scalars(query).first()

    def upload_of(self, sha256: str) -> Path | None:
        with self.catalog.sessions() as session:
            name = session.scalars(select(Job.upload).where(Job.sha256 == sha256).limit(1)).first()
        return None if name is None else self.uploads / name

    # ---- corrections -----------------------------------------------------------------------------

    def add_correction(
        self,
        sha256: str,
        field_name: str,
        action: str,
        value: Any,
        machine_value: Any,
        note: str | None,
        author: str,
    ) -> dict[str, Any]:
        row = Correction(
            sha256=sha256,
            field=field_name,
            action=action,
            value=value if action == "correct" else None,
            machine_value=machine_value,
            note=note or None,
            author=author,
            created=now(),
        )
        with self.lock, self.catalog.sessions.begin() as session:
            session.add(row)
            session.flush()
            return correction_dict(row)

    def corrections(self, sha256: str | None = None) -> list[dict[str, Any]]:
        query = select(Correction).order_by(Correction.id)
        if sha256 is not None:
            query = query.where(Correction.sha256 == sha256)
        with self.catalog.sessions() as session:
            return [{"sha256": row.sha256, **correction_dict(row)} for row in session.scalars(query)]

    def reviewed(self) -> list[str]:
        """sha256 of every document with at least one verdict, in the order first reviewed."""
        with self.catalog.sessions() as session:
            rows = session.execute(select(Correction.sha256).order_by(Correction.id)).scalars()
            return list(dict.fromkeys(rows))
