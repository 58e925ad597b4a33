"""A deployment of several councils on each engine, as the tenancy tests build it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.conftest import fresh_pg_database, make_settings
from tests.server.conftest import Api

ENGINES = ["sqlite", "postgresql"]


def settings_for(engine: str, tmp_path: Path, prefix: str) -> Iterator[Any]:
    """Settings on a fresh SQLite file or a fresh PostgreSQL database (dropped after)."""
    if engine == "postgresql":
        with fresh_pg_database(prefix) as url:
            yield make_settings(tmp_path, url)
    else:
        yield make_settings(tmp_path, None)


def app_after(engine: str, tmp_path: Path, prefix: str,
              seed: Callable[[Session, Any], None]) -> Iterator[Api]:
    """The app, as installed, on a database migrated and seeded by ``seed``."""
    from server.app import create_app
    from server.db import make_engine, migrate

    for settings in settings_for(engine, tmp_path, prefix):
        migrate(settings)
        bind = make_engine(settings)
        with Session(bind) as db:
            seed(db, settings)
        bind.dispose()
        with TestClient(create_app(settings)) as client:
            yield Api(client)
