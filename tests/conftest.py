"""Fixtures shared by every test: a real database (SQLite file or PostgreSQL), a real app."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("KIVY_NO_ARGS", "1")

# Time is an input. The whole suite runs on the project's clock set to one instant, never on
# the day it happens to run: HDND_TEST_CLOCK (default below) is where the clock stands when
# the suite starts; it then runs. Every process the tests start inherits the same clock
# through HDND_CLOCK (an offset from the machine's clock, so all processes agree to the
# millisecond). CI runs the suite a second time with HDND_TEST_CLOCK years later and the
# machine's clock moved by faketime: a test that reads the real date fails there.
TEST_CLOCK_DEFAULT = "2026-11-20T09:00:00+07:00"


def _pin_project_clock() -> None:
    from shared import clock

    start = clock.parse_instant(os.environ.get("HDND_TEST_CLOCK") or TEST_CLOCK_DEFAULT)
    offset = start - clock.machine_now()
    os.environ[clock.ENV_VAR] = f"{offset.total_seconds():+.3f}s"
    clock.set_clock(clock.ShiftedClock(offset))


_pin_project_clock()

PG_ADMIN_URL = os.environ.get("HDND_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _pg_url(database: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + database


@contextlib.contextmanager
def fresh_pg_database(prefix: str = "hdnd_test") -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped on leaving."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _pg_url(name)
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this run, dropped at the end."""
    with fresh_pg_database() as url:
        yield url


def make_settings(data_dir: Path, database_url: str | None = None):
    from server.config import Settings

    return Settings(data_dir=data_dir, database_url=database_url, secret_key="test-secret")
