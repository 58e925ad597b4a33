"""The two walls between councils, on both engines: the ORM scoping of a session and, on
PostgreSQL, row-level security that holds even for raw SQL. Also: new rows take their
council without being told, a province reader reads below and writes nothing there, and
every council has an audit chain of its own."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from server.errors import CouncilReadOnly
from server.models import (
    AgendaItem,
    AuditEntry,
    Body,
    BodyKind,
    Council,
    CouncilLevel,
    CouncilSession,
    SessionKind,
)
from server.models.base import id_of
from server.services import audit
from server.tenancy import scoping
from server.tenancy.scope import Scope, councils_below
from tests.conftest import fresh_pg_database, make_settings


@dataclass
class Tree:
    engine: Engine
    province: int
    commune_a: int
    commune_b: int
    session_a: int
    session_b: int


def _council(db: Session, name: str, level: CouncilLevel, parent: int | None) -> int:
    council = Council(name=name, level=level, term_start=2026, term_end=2031, parent_id=parent)
    db.add(council)
    db.flush()
    return id_of(council)


def _session(db: Session, council: int, title: str) -> int:
    body = Body(council_id=council, name=f"HĐND {title}", kind=BodyKind.plenary)
    db.add(body)
    db.flush()
    session = CouncilSession(council_id=council, body_id=id_of(body), title=title, kind=SessionKind.regular,
                             start_date=date(2026, 12, 10), end_date=date(2026, 12, 11))
    db.add(session)
    db.flush()
    return id_of(session)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def tree(request, tmp_path: Path) -> Iterator[Tree]:
    from server.db import make_engine, migrate

    def build(url: str | None) -> Iterator[Tree]:
        settings = make_settings(tmp_path, url)
        migrate(settings)
        engine = make_engine(settings)
        with Session(engine) as db:
            province = _council(db, "HĐND tỉnh Lào Cai", CouncilLevel.province, None)
            a = _council(db, "HĐND xã Y Tý", CouncilLevel.commune, province)
            b = _council(db, "HĐND xã Bát Xát", CouncilLevel.commune, province)
            session_a = _session(db, a, "Kỳ họp Y Tý")
            session_b = _session(db, b, "Kỳ họp Bát Xát")
            db.commit()
        yield Tree(engine, province, a, b, session_a, session_b)
        engine.dispose()

    if request.param == "postgresql":
        with fresh_pg_database("tenancy_walls") as url:
            yield from build(url)
    else:
        yield from build(None)


def _scoped(tree: Tree, scope: Scope) -> Session:
    db = Session(tree.engine, expire_on_commit=False)
    scoping.enter(db, scope)
    return db


def test_a_scoped_session_sees_only_its_council(tree: Tree) -> None:
    with _scoped(tree, Scope.of_council(tree.commune_a)) as db:
        titles = set(db.exec(select(CouncilSession.title)).all())
        assert titles == {"Kỳ họp Y Tý"}
        assert db.get(CouncilSession, tree.session_b) is None
        # an ORM bulk update reaches only the caller's rows
        db.exec(update(CouncilSession).values(place="Hội trường"))
        db.commit()
    with Session(tree.engine) as db:
        places = dict(db.exec(select(CouncilSession.id, CouncilSession.place)).all())
    assert places == {tree.session_a: "Hội trường", tree.session_b: ""}


def test_new_rows_take_their_council_without_being_told(tree: Tree) -> None:
    with _scoped(tree, Scope.of_council(tree.commune_a)) as db:
        item = AgendaItem(session_id=tree.session_a, title="Báo cáo kinh tế - xã hội")
        db.add(item)
        db.commit()
        assert item.council_id == tree.commune_a
    with Session(tree.engine) as db:  # unscoped (seeding, the CLI): from the row it belongs to
        item = AgendaItem(session_id=tree.session_b, title="Tờ trình dự toán")
        db.add(item)
        db.commit()
        assert item.council_id == tree.commune_b


def test_a_write_into_another_council_is_refused(tree: Tree) -> None:
    with _scoped(tree, Scope.of_council(tree.commune_a)) as db:
        db.add(AgendaItem(council_id=tree.commune_b, session_id=tree.session_b, title="lạc chỗ"))
        with pytest.raises(CouncilReadOnly):
            db.flush()


def test_a_province_reader_reads_below_and_writes_nothing_there(tree: Tree) -> None:
    with Session(tree.engine) as db:
        below = councils_below(db, tree.province)
    assert below == {tree.commune_a, tree.commune_b}
    reader = Scope(frozenset({tree.province}) | below, tree.province)
    with _scoped(tree, reader) as db:
        assert {s.title for s in db.exec(select(CouncilSession)).all()} == {"Kỳ họp Y Tý", "Kỳ họp Bát Xát"}
        session = db.get(CouncilSession, tree.session_a)
        assert session is not None
        session.title = "đổi tên"
        with pytest.raises(CouncilReadOnly):
            db.flush()
        db.rollback()
    with Session(tree.engine) as db:
        assert db.get(CouncilSession, tree.session_a).title == "Kỳ họp Y Tý"  # type: ignore[union-attr]


# row-level security is PostgreSQL's; SQLite has the ORM wall only
@pytest.mark.parametrize("tree", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_row_level_security_holds_for_raw_sql(tree: Tree) -> None:
    with _scoped(tree, Scope.of_council(tree.commune_a)) as db:
        connection = db.connection()
        assert connection.execute(text("SELECT current_user")).scalar_one() == "hdnd_tenant"
        titles = connection.execute(text("SELECT title FROM council_session")).scalars().all()
        assert titles == ["Kỳ họp Y Tý"]
        changed = connection.execute(text("UPDATE council_session SET place = 'x' WHERE id = :id"),
                                     {"id": tree.session_b})
        assert changed.rowcount == 0
        with pytest.raises(DBAPIError, match="row-level security"):
            connection.execute(text(
                "INSERT INTO agendaitem (council_id, session_id, position, title, description, presenter) "
                "VALUES (:c, :s, 0, 'x', '', '')"), {"c": tree.commune_b, "s": tree.session_b})
        db.rollback()
    with Session(tree.engine) as db:  # the scope ended with the transaction: the pool is clean
        connection = db.connection()
        assert connection.execute(text("SELECT current_user")).scalar_one() != "hdnd_tenant"
        assert connection.execute(text("SELECT count(*) FROM council_session")).scalar_one() == 2


def test_every_council_has_its_own_audit_chain(tree: Tree) -> None:
    for council, actions in ((tree.commune_a, 3), (tree.commune_b, 2), (tree.province, 1)):
        with _scoped(tree, Scope.of_council(council)) as db:
            for n in range(actions):
                audit.record(db, None, "test.write", "thing", n)
            db.commit()
    with Session(tree.engine) as db:
        assert audit.verify_chain(db).ok
        assert audit.verify_chain(db).entries == 6
        assert audit.verify_chain(db, council_id=tree.commune_a).entries == 3
        firsts = db.exec(select(AuditEntry.prev_hash).order_by(col(AuditEntry.id))).all()
        assert len(set(firsts)) == 6  # no two chains share a first link
        # break commune B's chain: B reports it, A still verifies
        victim = db.exec(select(AuditEntry).where(AuditEntry.council_id == tree.commune_b)).first()
        assert victim is not None
        victim.target_id = "sửa"
        db.commit()
        assert audit.verify_chain(db, council_id=tree.commune_a).ok
        broken = audit.verify_chain(db, council_id=tree.commune_b)
        assert broken.first_broken_id == victim.id
        assert not audit.verify_chain(db).ok


def test_the_live_path_works_behind_the_sittings_council_wall(tree: Tree) -> None:
    """The hub and the recorder serve every council; each of their sessions sees only the
    council of the sitting it works on (on PostgreSQL as the restricted role too)."""
    from server.live import store
    from server.models.live import Sitting

    with Session(tree.engine) as db:
        sittings = {}
        for council, session in ((tree.commune_a, tree.session_a), (tree.commune_b, tree.session_b)):
            sitting = Sitting(session_id=session, title="Phiên thứ nhất", roster="{}")
            db.add(sitting)
            db.flush()
            sittings[council] = id_of(sitting)
        db.commit()
    a, b = sittings[tree.commune_a], sittings[tree.commune_b]
    assert store.council_of_sitting(tree.engine, a) == tree.commune_a
    assert store.council_of_sitting(tree.engine, 10**6) is None
    with store.sitting_session(tree.engine, a) as db:
        assert store.get_sitting(db, a).council_id == tree.commune_a
        with pytest.raises(store.SittingNotFound):
            store.get_sitting(db, b)  # the other council's sitting does not exist here
        assert set(db.exec(select(CouncilSession.title)).all()) == {"Kỳ họp Y Tý"}
        if tree.engine.dialect.name == "postgresql":
            connection = db.connection()
            assert connection.execute(text("SELECT current_user")).scalar_one() == "hdnd_tenant"
            assert connection.execute(text("SELECT count(*) FROM sitting")).scalar_one() == 1
