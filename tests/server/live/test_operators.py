"""Whose rights the web console uses: the chair and secretary as themselves, a clerk only
on the chair's delegation and on the chair's behalf, other staff watch only, a delegate
not at all; delegations are audited and only the chair gives or takes them back."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from server.db import make_engine, migrate
from server.demo.calendar import demo_schedule
from server.demo.seed import seed_demo
from server.errors import Forbidden
from server.live import operators, service
from server.models import Account, AuditEntry, CouncilSession
from server.security.principal import load_principal
from tests.conftest import make_settings


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("operators"))
    migrate(settings)
    engine = make_engine(settings)
    with Session(engine) as session:
        seed_demo(session, settings, "pw", long_document_pages=1)
        yield session
    engine.dispose()


def _who(db: Session, username: str):
    return load_principal(db, db.exec(select(Account).where(Account.username == username)).one())


def test_seats_delegation_and_its_audit(db):
    session = db.exec(select(CouncilSession).where(
        CouncilSession.title == demo_schedule().session_title)).one()
    sitting = service.create_sitting(db, _who(db, "clerk"), session.id, "Phiên họp thử")
    db.commit()
    chair, secretary, clerk = _who(db, "chair"), _who(db, "secretary"), _who(db, "clerk")
    assert operators.seat_of(db, chair, sitting).role == "chair"
    assert operators.seat_of(db, secretary, sitting).role == "secretary"
    watcher = operators.seat_of(db, clerk, sitting)
    assert watcher.role == "watcher" and not watcher.can_command
    with pytest.raises(operators.NotAnOperator):
        operators.seat_of(db, _who(db, "delegate05"), sitting)

    with pytest.raises(Forbidden):  # only the chair delegates
        operators.delegate(db, secretary, sitting, clerk.account.id)
    with pytest.raises(operators.NotAStaffAccount):  # and only to a clerk's account
        operators.delegate(db, chair, sitting, _who(db, "delegate05").account.id)
    delegation = operators.delegate(db, chair, sitting, clerk.account.id)
    db.commit()
    seat = operators.seat_of(db, clerk, sitting)
    assert seat.role == "delegate" and seat.person_id == chair.person_id
    caller = seat.caller(clerk.account)
    assert caller.on_behalf_of == chair.person_id and caller.account_id == clerk.account.id
    assert caller.audited
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "sitting.delegated")).one()
    assert entry.actor_username == "chair" and '"to_account":"clerk"' in entry.detail

    operators.revoke(db, chair, sitting, delegation.id)
    db.commit()
    assert operators.seat_of(db, clerk, sitting).role == "watcher"
    assert "cast_vote" in operators.OPERATOR_REFUSED
