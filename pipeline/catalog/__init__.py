"""The catalog: records of a batch in SQLite or PostgreSQL, queried and linked.

    from pipeline.catalog import open_catalog
    with open_catalog("sqlite:///out/catalog.sqlite") as catalog:
        catalog.load_folder(Path("out"))
        catalog.tasks(lead="Sở Nội vụ", quarter="2026-Q3")

Needs the ``catalog`` extra (SQLAlchemy, Alembic, datasketch; psycopg for PostgreSQL). The names
below are imported on first use, so that ``pipeline.catalog.cli`` can be registered on the
command line without loading SQLAlchemy for a plain ``vanban extract``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.catalog.catalog import Catalog, open_catalog
    from pipeline.catalog.load import LoadSummary

__all__ = ["Catalog", "LoadSummary", "open_catalog"]


def __getattr__(name: str) -> Any:
    if name in ("Catalog", "open_catalog"):
        from pipeline.catalog import catalog

        return getattr(catalog, name)
    if name == "LoadSummary":
        from pipeline.catalog.load import LoadSummary

        return LoadSummary
    raise AttributeError(name)
