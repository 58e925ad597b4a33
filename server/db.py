"""The database engine: SQLite (WAL, foreign keys on) by default, PostgreSQL at scale."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from server.config import Settings
from server.errors import SchemaNotMigrated

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(settings: Settings) -> Engine:
    url = settings.resolved_database_url
    if url.startswith("sqlite"):
        settings.ensure_dirs()
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            # more connections than worker threads (anyio's 40): a thread must never wait
            # for a connection held by a request that is itself waiting for a thread
            # (docs/operations.md, "Hot reads under load"); SQLite connections are cheap
            pool_size=20, max_overflow=60,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # DB-API object
    # WAL lets readers go on while a writer commits; foreign keys are off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def alembic_config(settings: Settings) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", settings.resolved_database_url)
    return config


def head_revision(settings: Settings) -> str | None:
    return ScriptDirectory.from_config(alembic_config(settings)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(settings: Settings) -> str | None:
    """Bring the schema to the newest revision (``hdnd migrate``)."""
    from alembic import command

    settings.ensure_dirs()
    command.upgrade(alembic_config(settings), "head")
    return head_revision(settings)


def check_schema(engine: Engine, settings: Settings) -> str:
    """Refuse to serve a database that is behind the code; say what to run."""
    current, head = current_revision(engine), head_revision(settings)
    if current != head:
        raise SchemaNotMigrated(
            f"Cơ sở dữ liệu chưa được cập nhật (phiên bản {current or 'trống'}, cần {head}). "
            f"Hãy chạy: hdnd migrate\n"
            f"The database schema is not up to date (at {current or 'empty'}, need {head}). "
            f"Run: hdnd migrate"
        )
    return head or ""


def session_scope(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
