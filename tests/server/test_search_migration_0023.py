"""Migration 0023 with ``hdnd migrate`` on a fresh SQLite data folder and a fresh
PostgreSQL database: entries name the installation's council, PostgreSQL has the GIN index
over (council_id, tsv) and pg_trgm (issue 22)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import fresh_pg_database

HDND = [sys.executable, "-m", "server.cli"]


def _migrate(data_dir: Path, url: str | None = None) -> None:
    env = {**os.environ, "HDND_DATA_DIR": str(data_dir), "HDND_SECRET_KEY": "test-secret"}
    if url:
        env["HDND_DATABASE_URL"] = url
    result = subprocess.run([*HDND, "migrate"], env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr


def test_migrate_fresh_sqlite(tmp_path: Path) -> None:
    _migrate(tmp_path)
    db = sqlite3.connect(tmp_path / "hdnd.sqlite3")
    assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] >= "0023"
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "ix_search_entry_council_id_id" in indexes


@pytest.mark.postgres
def test_migrate_fresh_postgres(tmp_path: Path) -> None:
    import psycopg

    with fresh_pg_database("search22_mig") as url:
        _migrate(tmp_path, url)
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] >= "0023"
            extensions = {r[0] for r in conn.execute("SELECT extname FROM pg_extension")}
            assert {"pg_trgm", "btree_gin"} <= extensions
            index = conn.execute("SELECT indexdef FROM pg_indexes "
                                 "WHERE indexname = 'ix_search_entry_council_tsv'").fetchone()
            assert index and "gin (council_id, tsv)" in index[0]
            assert conn.execute("SELECT to_regclass('ix_search_entry_tsv')").fetchone()[0] is None
