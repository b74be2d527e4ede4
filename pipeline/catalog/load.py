"""Loading records into the catalog: one row per source file (its sha256), idempotent.

A record whose sha256 is already in the catalog replaces the row only when its pipeline version
is newer; the same or an older version leaves the row as it is. After a load, references are
resolved against the documents the catalog holds and duplicate groups are recomputed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pipeline.catalog.keys import code_key, last_day, number_symbol, text_key, version_key
from pipeline.catalog.models import Document, Person, Reference, TargetRow, TaskBody, TaskRow
from pipeline.record.models import Evidence, Record


@dataclass
class LoadSummary:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    older: int = 0
    unreadable: list[str] = field(default_factory=list)

    def render(self) -> str:
        text = (
            f"catalog: {self.added} added, {self.replaced} replaced by a newer pipeline, "
            f"{self.unchanged} unchanged, {self.older} older than the catalog's"
        )
        if self.unreadable:
            text += f", {len(self.unreadable)} files not records"
        return text


def iter_record_files(outdir: Path) -> Iterator[tuple[Path, str]]:
    """The records under an extract OUTDIR: the manifest's outputs, or every *.json when it has none."""
    manifest = outdir / "manifest.jsonl"
    if manifest.is_file():
        seen: dict[str, None] = {}
        with manifest.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line torn by a killed run
                output = entry.get("output") if isinstance(entry, dict) else None
                if isinstance(output, str):
                    seen[output] = None
        for output in seen:
            if (outdir / output).is_file():
                yield outdir / output, output
        return
    for path in sorted(outdir.rglob("*.json")):
        yield path, path.relative_to(outdir).as_posix()


def _evidence(value: Evidence | None) -> dict[str, Any] | None:
    return value.model_dump() if value is not None else None


def _due(start: str | None, end: str | None, kind: str | None) -> str | None:
    """The last day a deadline allows: the end of its date, month, quarter, half, year or range."""
    if kind in (None, "recurrence", "unknown"):
        return None
    return last_day(end) or last_day(start)


def document_row(record: Record, record_file: str | None) -> Document:
    header = record.document
    doc = Document(
        sha256=record.source.sha256,
        path=record.source.path,
        record_file=record_file,
        file_bytes=record.source.bytes,
        format=record.source.format,
        pages=len(record.source.pages),
        schema_version=record.schema_version,
        pipeline_version=record.pipeline_version,
        status=record.status,
        addressees=[],
        recipients=[],
        warnings=[m.code for m in record.warnings],
        evidence={},
        page_texts=list(record.text.pages) if record.text is not None else None,
        record=record.model_dump(mode="json", exclude={"text"}),
    )
    if record.text is not None:
        doc.text_key = text_key("\n".join(record.text.pages))
    if header is not None:
        doc.doc_type = header.doc_type.name if header.doc_type else None
        doc.doc_type_code = header.doc_type.code if header.doc_type else None
        doc.number = header.number
        doc.symbol = header.symbol
        doc.number_symbol = number_symbol(header.number, header.symbol)
        doc.number_symbol_key = code_key(doc.number_symbol)
        doc.issued_date = header.issued_date
        doc.place = header.place
        doc.issuer = header.issuer
        doc.issuer_key = text_key(header.issuer)
        doc.issuer_parent = header.issuer_parent
        doc.summary = header.summary
        doc.summary_key = text_key(header.summary)
        doc.urgency = header.urgency
        doc.confidentiality = header.confidentiality
        doc.addressees = list(header.addressees)
        doc.recipients = list(header.recipients)
        doc.evidence = {name: ev.model_dump() for name, ev in header.evidence.items()}
        if header.signer is not None and (header.signer.name or header.signer.position):
            doc.persons.append(
                Person(
                    position=0,
                    role="signer",
                    name=header.signer.name,
                    name_key=text_key(header.signer.name),
                    title=header.signer.position,
                    authority=list(header.signer.authority),
                    evidence=doc.evidence.get("signer.name"),
                )
            )
    bases = {ref.text for ref in header.legal_bases if ref.text} if header is not None else set()
    for position, ref in enumerate(record.references):
        doc.references.append(
            Reference(
                position=position,
                doc_type=ref.doc_type,
                number_symbol=ref.number_symbol,
                number_symbol_key=code_key(ref.number_symbol),
                date=ref.date,
                issuer=ref.issuer,
                text=ref.text,
                legal_basis=ref.text in bases,
                page=ref.evidence.page if ref.evidence else None,
                evidence=_evidence(ref.evidence),
            )
        )
    for position, task in enumerate(record.tasks):  # a plan's and a letter's
        deadline = task.deadline
        row = TaskRow(
            position=position,
            text=task.text,
            text_key=text_key(task.text) or "",
            lead=list(task.lead),
            cooperating=list(task.cooperating),
            deadline_text=deadline.text if deadline else None,
            deadline_kind=deadline.kind if deadline else None,
            deadline_value=deadline.value if deadline else None,
            deadline_start=(deadline.start or "")[:10] or None if deadline else None,
            deadline_due=_due(deadline.start, deadline.end, deadline.kind) if deadline else None,
            deadline_relation=deadline.relation if deadline else None,
            deadline_recurrence=deadline.recurrence if deadline else None,
            output=task.output,
            source=task.source,
            section_path=list(task.section_path),
            page=task.evidence.page if task.evidence else None,
            evidence=_evidence(task.evidence),
        )
        for role, names in (("lead", task.lead), ("cooperating", task.cooperating)):
            for name in names:
                row.bodies.append(TaskBody(role=role, name=name, name_key=text_key(name) or ""))
        doc.tasks.append(row)
    if record.plan is not None:
        for position, target in enumerate(record.plan.targets):
            doc.targets.append(
                TargetRow(
                    position=position,
                    text=target.text,
                    value=target.value,
                    unit=target.unit,
                    comparator=target.comparator,
                    year=target.year,
                    period_value=target.period.value if target.period else None,
                    section_path=list(target.section_path),
                    page=target.evidence.page if target.evidence else None,
                    evidence=_evidence(target.evidence),
                )
            )
    return doc


def load_records(session: Session, records: Iterable[tuple[Record, str | None]]) -> LoadSummary:
    """Add or replace records (with the name of the file each came from) in one transaction."""
    summary = LoadSummary()
    known: dict[str, tuple[Document | int, str]] = {
        sha: (doc_id, version)
        for doc_id, sha, version in session.execute(
            select(Document.id, Document.sha256, Document.pipeline_version)
        )
    }
    pending = 0
    for record, record_file in records:
        sha = record.source.sha256
        if sha in known:
            old, version = known[sha]
            if version_key(record.pipeline_version) <= version_key(version):
                if version_key(record.pipeline_version) < version_key(version):
                    summary.older += 1
                else:
                    summary.unchanged += 1
                continue
            session.flush()
            old_id = old if isinstance(old, int) else old.id
            session.execute(
                delete(Document).where(Document.id == old_id),
                execution_options={"synchronize_session": False},
            )
            if not isinstance(old, int):
                session.expunge(old)
            summary.replaced += 1
        else:
            summary.added += 1
        doc = document_row(record, record_file)
        session.add(doc)
        known[sha] = (doc, record.pipeline_version)
        pending += 1
        if pending % 100 == 0:
            session.flush()
    session.flush()
    return summary


def read_records(outdir: Path, summary: LoadSummary | None = None) -> Iterator[tuple[Record, str]]:
    """Validated records from an extract OUTDIR; files that are not records are counted, not fatal."""
    for path, name in iter_record_files(outdir):
        try:
            record = Record.model_validate_json(path.read_bytes())
        except (OSError, ValueError) as exc:
            if summary is not None:
                summary.unreadable.append(f"{name}: {exc.__class__.__name__}")
            continue
        yield record, name
