"""The catalog's relational schema (SQLAlchemy 2 declarative models).

One row per record in ``documents`` (keyed by the source file's sha256), and one row per
reference, task, target and person of that record in their own tables. Every child row keeps
its evidence (page and character span) as JSON. The schema is created and upgraded by the
Alembic migrations in ``pipeline/catalog/migrations``; a test checks that they agree with
these models.

Columns ending in ``_key`` hold the folded form of a value (``pipeline.evaluate.fold``: case,
tone placement, dashes, white space), so that filters match the way the evaluator does.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)
    record_file: Mapped[str | None] = mapped_column(Text)
    file_bytes: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(16))
    pages: Mapped[int] = mapped_column(Integer)
    schema_version: Mapped[str] = mapped_column(String(16))
    pipeline_version: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(8))
    doc_type: Mapped[str | None] = mapped_column(String(64))
    doc_type_code: Mapped[str | None] = mapped_column(String(16))
    number: Mapped[str | None] = mapped_column(String(32))
    symbol: Mapped[str | None] = mapped_column(String(64))
    number_symbol: Mapped[str | None] = mapped_column(String(100))
    number_symbol_key: Mapped[str | None] = mapped_column(String(100), index=True)
    issued_date: Mapped[str | None] = mapped_column(String(10), index=True)
    place: Mapped[str | None] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(Text)
    issuer_key: Mapped[str | None] = mapped_column(Text)
    issuer_parent: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    summary_key: Mapped[str | None] = mapped_column(Text)
    urgency: Mapped[str | None] = mapped_column(String(64))
    confidentiality: Mapped[str | None] = mapped_column(String(64))
    addressees: Mapped[list[Any]] = mapped_column(JSON)
    recipients: Mapped[list[Any]] = mapped_column(JSON)
    warnings: Mapped[list[Any]] = mapped_column(JSON)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    page_texts: Mapped[list[Any] | None] = mapped_column(JSON, deferred=True)
    text_key: Mapped[str | None] = mapped_column(Text, deferred=True)
    minhash: Mapped[bytes | None] = mapped_column(
        LargeBinary, deferred=True
    )  # MinHash signature of the text's shingles
    duplicate_group: Mapped[int | None] = mapped_column(Integer, index=True)
    duplicate_similarity: Mapped[float | None] = mapped_column(Float)
    # The whole record but its page texts. Like the other large columns, read only when asked for.
    record: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)

    references: Mapped[list[Reference]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        foreign_keys="Reference.document_id",
        order_by="Reference.position",
    )
    tasks: Mapped[list[TaskRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="TaskRow.position"
    )
    targets: Mapped[list[TargetRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="TargetRow.position"
    )
    persons: Mapped[list[Person]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Person.position"
    )


class Reference(Base):
    """A document cited anywhere in a record (legal bases included), resolved when the catalog holds it."""

    __tablename__ = "doc_references"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    doc_type: Mapped[str | None] = mapped_column(String(64))
    number_symbol: Mapped[str | None] = mapped_column(String(100))
    number_symbol_key: Mapped[str | None] = mapped_column(String(100), index=True)
    date: Mapped[str | None] = mapped_column(String(10))
    issuer: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[bool] = mapped_column(default=False)
    page: Mapped[int | None] = mapped_column(Integer)
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    resolved_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )

    document: Mapped[Document] = relationship(back_populates="references", foreign_keys=[document_id])


class TaskRow(Base):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    text_key: Mapped[str] = mapped_column(Text)
    lead: Mapped[list[Any]] = mapped_column(JSON)
    cooperating: Mapped[list[Any]] = mapped_column(JSON)
    deadline_text: Mapped[str | None] = mapped_column(Text)
    deadline_kind: Mapped[str | None] = mapped_column(String(16))
    deadline_value: Mapped[str | None] = mapped_column(String(64))
    deadline_start: Mapped[str | None] = mapped_column(String(10))
    deadline_due: Mapped[str | None] = mapped_column(String(10), index=True)
    deadline_relation: Mapped[str | None] = mapped_column(String(8))
    deadline_recurrence: Mapped[str | None] = mapped_column(String(32))
    output: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))
    section_path: Mapped[list[Any]] = mapped_column(JSON)
    page: Mapped[int | None] = mapped_column(Integer)
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    document: Mapped[Document] = relationship(back_populates="tasks")
    bodies: Mapped[list[TaskBody]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class TaskBody(Base):
    """One body named as lead or cooperating on a task: what the body filters search."""

    __tablename__ = "task_bodies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text)


class TargetRow(Base):
    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(Text)
    comparator: Mapped[str | None] = mapped_column(String(4))
    year: Mapped[int | None] = mapped_column(Integer)
    period_value: Mapped[str | None] = mapped_column(String(64))
    section_path: Mapped[list[Any]] = mapped_column(JSON)
    page: Mapped[int | None] = mapped_column(Integer)
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    document: Mapped[Document] = relationship(back_populates="targets")


class Person(Base):
    """A person named by a record: today the signer (name, position, authority)."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(Text)
    name_key: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    authority: Mapped[list[Any]] = mapped_column(JSON)
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    document: Mapped[Document] = relationship(back_populates="persons")


Index("ix_task_bodies_role_key", TaskBody.role, TaskBody.name_key)


class Job(Base):
    """An upload to the review service (``vanban serve``), committed before it is acknowledged.

    ``file_name`` is what the client called the file: shown, never used as a path; the stored
    file is ``upload`` (content-addressed) inside the service's data folder.
    """

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created: Mapped[str] = mapped_column(String(32), index=True)  # ISO 8601, UTC
    updated: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), index=True)  # queued, running, done, failed
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_bytes: Mapped[int] = mapped_column(Integer)
    upload: Mapped[str] = mapped_column(String(100))
    record_file: Mapped[str | None] = mapped_column(Text)
    record_status: Mapped[str | None] = mapped_column(String(8))
    error: Mapped[str | None] = mapped_column(Text)


class Correction(Base):
    """An archivist's verdict on one field of a document: accepted as read, or corrected.

    Kept beside the record, keyed by the source file's sha256 (not by the documents row, which
    a newer pipeline version replaces): the machine's value is never overwritten, and the value
    it had when the archivist looked is kept with the verdict.
    """

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    field: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(8))  # accept, correct
    value: Mapped[Any | None] = mapped_column(JSON)
    machine_value: Mapped[Any | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    created: Mapped[str] = mapped_column(String(32))
