"""Migration 0026 on an installation that already holds a council's data: every row gets
that council, the audit chain still verifies, and (PostgreSQL) the policies are in place."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from server.db import alembic_config, make_engine
from server.models import AuditEntry
from server.services import audit
from tests.conftest import fresh_pg_database, make_settings


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def at_0025(request, tmp_path: Path) -> Iterator[tuple[Engine, object]]:
    def build(url: str | None) -> Iterator[tuple[Engine, object]]:
        settings = make_settings(tmp_path, url)
        settings.ensure_dirs()
        command.upgrade(alembic_config(settings), "0025")
        engine = make_engine(settings)
        with engine.begin() as c:
            c.execute(text("INSERT INTO council (name, level, term_start, term_end, created_at) "
                           "VALUES ('HĐND xã Y Tý', 'xa', 2026, 2031, CURRENT_TIMESTAMP)"))
            c.execute(text("INSERT INTO body (council_id, name, kind, quorum_numerator, quorum_denominator, "
                           "publish_named_votes, publish_vote_results) "
                           "VALUES (1, 'HĐND xã', 'plenary', 2, 3, false, true)"))
            c.execute(text("INSERT INTO council_session (council_id, body_id, title, kind, start_date, "
                           "end_date, place, status, created_at) VALUES (1, 1, 'Kỳ họp thứ nhất', 'regular', "
                           "'2026-12-10', '2026-12-11', '', 'draft', CURRENT_TIMESTAMP)"))
            c.execute(text("INSERT INTO agendaitem (session_id, position, title, description, presenter) "
                           "VALUES (1, 0, 'Khai mạc', '', '')"))
        yield engine, settings
        engine.dispose()

    if request.param == "postgresql":
        with fresh_pg_database("tenancy_0026") as url:
            yield from build(url)
    else:
        yield from build(None)


def test_existing_rows_belong_to_the_one_council(at_0025) -> None:
    engine, settings = at_0025
    # an entry written before tenancy, on the one chain that started at "0" * 64
    entry = AuditEntry(at=datetime(2026, 11, 1, 2, 0, tzinfo=UTC), action="session.created",
                       target_type="session", target_id="1", detail="{}",
                       prev_hash=audit.GENESIS_HASH, hash="")
    entry.hash = audit.entry_hash(entry)
    with engine.begin() as c:
        c.execute(text("INSERT INTO auditentry (at, actor_username, action, target_type, target_id, detail, "
                       "prev_hash, hash) VALUES (:at, '', :action, :tt, :ti, :detail, :prev, :hash)"),
                  {"at": entry.at.replace(tzinfo=None), "action": entry.action, "tt": entry.target_type,
                   "ti": entry.target_id, "detail": entry.detail, "prev": entry.prev_hash,
                   "hash": entry.hash})
    command.upgrade(alembic_config(settings), "head")
    with engine.connect() as c:
        assert c.execute(text("SELECT council_id FROM agendaitem")).scalar_one() == 1
        assert c.execute(text("SELECT council_id FROM auditentry")).scalar_one() == 1
        assert c.execute(text("SELECT audit_genesis FROM council")).scalar_one() == "0" * 64
        columns = {t: {col["name"] for col in inspect(c).get_columns(t)}
                   for t in inspect(c).get_table_names()}
        missing = [t for t, cols in columns.items() if "council_id" not in cols
                   and t not in {"council", "alembic_version", "cache_generation", "stored_file"}
                   and not t.startswith("search_fts")]
        assert missing == []
        if engine.dialect.name == "postgresql":
            secured = set(c.execute(text("SELECT relname FROM pg_class WHERE relrowsecurity")).scalars())
            assert {t for t in columns if "council_id" in columns[t] and t != "council"} <= secured
    with Session(engine) as db:
        report = audit.verify_chain(db)
        assert report.ok and report.entries == 1
