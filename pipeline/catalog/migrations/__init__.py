"""Alembic migrations of the catalog schema, run programmatically by ``open_catalog``."""
