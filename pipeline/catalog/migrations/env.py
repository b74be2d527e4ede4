"""Alembic environment: the connection comes from ``pipeline.catalog.db.migrate`` (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from pipeline.catalog.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached when alembic is run by hand
    raise RuntimeError("run the catalog migrations through pipeline.catalog.open_catalog")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
