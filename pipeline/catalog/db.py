"""Opening a catalog: an SQLAlchemy engine on a URL, brought to the newest schema by Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).with_name("migrations")


def catalog_url(value: str | Path) -> str:
    """A database URL; a plain file path means an SQLite file there."""
    text = str(value)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).resolve()}"


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")  # ON DELETE CASCADE needs it in SQLite
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Filters compare folded keys with LIKE: case folding is done already, and SQLite's own
    # (ASCII only) would only slow the scan of long texts.
    cursor.execute("PRAGMA case_sensitive_like=ON")
    cursor.close()


def make_engine(url: str | Path) -> Engine:
    url = catalog_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in ("", "psycopg2"):
        # psycopg 3 is the driver the catalog extra installs.
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the catalog's schema to ``revision`` (creating it in an empty database)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
