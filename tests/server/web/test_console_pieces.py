"""Pieces of the console's gap-closing that need no browser: the timed-out form
carried across sign-in, Vietnamese dates, field messages, and the deletes' refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from server.db import make_engine, migrate
from server.demo.seed import seed_demo
from server.errors import InvalidState
from server.models import Account, Body, BodyKind, Person
from server.schemas.council import BodyCreate, PasswordChange, PersonCreate
from server.services import council
from server.web import form_resume
from server.web.forms import FormErrors, validate
from server.web.render import local_time, vn_date
from shared import clock
from tests.conftest import make_settings


def test_a_carried_form_opens_only_with_the_secret_and_only_for_console_paths():
    pending = form_resume.PendingForm("/console/ky-hop", [("title", "Kỳ họp thứ 12"),
                                                          ("person_id", "3"),
                                                          ("person_id", "5")], "/console")
    sealed = form_resume.seal("k", pending)
    assert sealed and "Kỳ họp" not in sealed
    assert form_resume.unseal("k", sealed) == pending  # repeated names kept, in order
    assert form_resume.unseal("other", sealed) is None
    assert form_resume.unseal("k", sealed[:-3] + "AAA") is None
    outside = form_resume.seal("k", form_resume.PendingForm("/api/x", [("a", "b")], "/"))
    assert form_resume.unseal("k", outside or "") is None
    assert form_resume.seal("k", form_resume.PendingForm(
        "/console/x", [("t", "x" * (form_resume.MAX_TEXT + 1))], "/")) is None


def test_a_carried_form_goes_stale():
    with clock.using(clock.FrozenClock(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))) as frozen:
        sealed = form_resume.seal("k", form_resume.PendingForm("/console/x", [("a", "b")], "/"))
        frozen.advance(timedelta(seconds=form_resume.MAX_AGE_S - 10))
        assert form_resume.unseal("k", sealed or "") is not None
        frozen.advance(timedelta(seconds=20))
        assert form_resume.unseal("k", sealed or "") is None


def test_dates_read_the_vietnamese_way():
    assert vn_date("2026-07-14") == "14/07/2026"
    assert vn_date("2026-07-14T03:00:00Z") == "14/07/2026"
    assert vn_date("") == "" and vn_date("không rõ") == "không rõ"
    assert local_time("2026-07-13T17:30:00Z") == "14/07/2026 00:30"  # UTC+7


def test_a_short_password_says_how_long_it_must_be_and_an_empty_one_that_it_is_required():
    with pytest.raises(FormErrors) as short:
        validate(PasswordChange, {"password": "abc"}, "vi")
    assert short.value.errors == {"password": "Quá ngắn: cần ít nhất 4 ký tự."}
    with pytest.raises(FormErrors) as empty:
        validate(PasswordChange, {"password": ""}, "en")
    assert empty.value.errors == {"password": "This field is required."}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("console"))
    migrate(settings)
    engine = make_engine(settings)
    with Session(engine) as session:
        seed_demo(session, settings, "pw", long_document_pages=1)
        yield session
    engine.dispose()


def test_deleting_a_body_or_person_in_use_is_refused_and_rolls_back(db):
    clerk = db.exec(select(Account).where(Account.username == "clerk")).one()
    plenary = db.exec(select(Body).where(Body.kind == BodyKind.plenary)).one()
    members_before = len(council.members(db, plenary.id))
    with pytest.raises(InvalidState):
        council.delete_body(db, clerk, plenary)
    db.rollback()
    assert len(council.members(db, plenary.id)) == members_before
    chair_person = db.get(Person, db.exec(select(Account).where(Account.username == "chair"))
                          .one().person_id)
    with pytest.raises(InvalidState):
        council.delete_person(db, clerk, chair_person)
    db.rollback()

    group = council.create_body(db, clerk, BodyCreate(name="Tổ tạm", kind=BodyKind.delegate_group))
    person = council.create_person(db, clerk, PersonCreate(full_name="Người tạm"))
    council.set_membership(db, clerk, group, person, council.MembershipRole.member)
    db.commit()
    council.delete_person(db, clerk, person)
    council.delete_body(db, clerk, group)
    db.commit()
    assert db.get(Body, group.id) is None and db.get(Person, person.id) is None
