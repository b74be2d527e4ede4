"""initial schema

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("record_file", sa.Text(), nullable=True),
        sa.Column("file_bytes", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("schema_version", sa.String(length=16), nullable=False),
        sa.Column("pipeline_version", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("doc_type", sa.String(length=64), nullable=True),
        sa.Column("doc_type_code", sa.String(length=16), nullable=True),
        sa.Column("number", sa.String(length=32), nullable=True),
        sa.Column("symbol", sa.String(length=64), nullable=True),
        sa.Column("number_symbol", sa.String(length=100), nullable=True),
        sa.Column("number_symbol_key", sa.String(length=100), nullable=True),
        sa.Column("issued_date", sa.String(length=10), nullable=True),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("issuer", sa.Text(), nullable=True),
        sa.Column("issuer_key", sa.Text(), nullable=True),
        sa.Column("issuer_parent", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("summary_key", sa.Text(), nullable=True),
        sa.Column("urgency", sa.String(length=64), nullable=True),
        sa.Column("confidentiality", sa.String(length=64), nullable=True),
        sa.Column("addressees", sa.JSON(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("page_texts", sa.JSON(), nullable=True),
        sa.Column("text_key", sa.Text(), nullable=True),
        sa.Column("minhash", sa.LargeBinary(), nullable=True),
        sa.Column("duplicate_group", sa.Integer(), nullable=True),
        sa.Column("duplicate_similarity", sa.Float(), nullable=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256"),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_duplicate_group"), ["duplicate_group"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_issued_date"), ["issued_date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_documents_number_symbol_key"), ["number_symbol_key"], unique=False
        )

    if op.get_bind().dialect.name == "postgresql":
        # The text filter scans text_key with strpos: stored uncompressed, a scan need not inflate it.
        op.execute("ALTER TABLE documents ALTER COLUMN text_key SET STORAGE EXTERNAL")

    op.create_table(
        "doc_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(length=64), nullable=True),
        sa.Column("number_symbol", sa.String(length=100), nullable=True),
        sa.Column("number_symbol_key", sa.String(length=100), nullable=True),
        sa.Column("date", sa.String(length=10), nullable=True),
        sa.Column("issuer", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Boolean(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=True),
        sa.Column("resolved_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["resolved_id"], ["documents.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("doc_references", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_doc_references_document_id"), ["document_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_doc_references_number_symbol_key"), ["number_symbol_key"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_doc_references_resolved_id"), ["resolved_id"], unique=False)

    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("name_key", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("authority", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_persons_document_id"), ["document_id"], unique=False)

    op.create_table(
        "targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("comparator", sa.String(length=4), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("period_value", sa.String(length=64), nullable=True),
        sa.Column("section_path", sa.JSON(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_targets_document_id"), ["document_id"], unique=False)

    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_key", sa.Text(), nullable=False),
        sa.Column("lead", sa.JSON(), nullable=False),
        sa.Column("cooperating", sa.JSON(), nullable=False),
        sa.Column("deadline_text", sa.Text(), nullable=True),
        sa.Column("deadline_kind", sa.String(length=16), nullable=True),
        sa.Column("deadline_value", sa.String(length=64), nullable=True),
        sa.Column("deadline_start", sa.String(length=10), nullable=True),
        sa.Column("deadline_due", sa.String(length=10), nullable=True),
        sa.Column("deadline_relation", sa.String(length=8), nullable=True),
        sa.Column("deadline_recurrence", sa.String(length=32), nullable=True),
        sa.Column("output", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("section_path", sa.JSON(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tasks_deadline_due"), ["deadline_due"], unique=False)
        batch_op.create_index(batch_op.f("ix_tasks_document_id"), ["document_id"], unique=False)

    op.create_table(
        "task_bodies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("task_bodies", schema=None) as batch_op:
        batch_op.create_index("ix_task_bodies_role_key", ["role", "name_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_bodies_task_id"), ["task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task_bodies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_bodies_task_id"))
        batch_op.drop_index("ix_task_bodies_role_key")

    op.drop_table("task_bodies")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tasks_document_id"))
        batch_op.drop_index(batch_op.f("ix_tasks_deadline_due"))

    op.drop_table("tasks")
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_targets_document_id"))

    op.drop_table("targets")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_persons_document_id"))

    op.drop_table("persons")
    with op.batch_alter_table("doc_references", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_doc_references_resolved_id"))
        batch_op.drop_index(batch_op.f("ix_doc_references_number_symbol_key"))
        batch_op.drop_index(batch_op.f("ix_doc_references_document_id"))

    op.drop_table("doc_references")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_number_symbol_key"))
        batch_op.drop_index(batch_op.f("ix_documents_issued_date"))
        batch_op.drop_index(batch_op.f("ix_documents_duplicate_group"))

    op.drop_table("documents")
