"""The yearly document register (Nghị định 30/2020/NĐ-CP, Điều 15): numbers from 01 each
Vietnamese year, per series, never repeated, one per document, every one audited."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from server.models import AuditEntry, Council, CouncilLevel
from server.models.register import RegisterEntry
from server.register.series import MINUTES, RESOLUTION, UnknownSeries
from server.register.service import GivenToRequired, give_number, symbol, year_register
from shared import clock
from tests.conftest import make_settings


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request, tmp_path):
    from server.db import make_engine, migrate

    url = request.getfixturevalue("pg_database") if request.param == "postgresql" else None
    settings = make_settings(tmp_path, url)
    migrate(settings)
    engine = make_engine(settings)
    if url:  # the session-wide PostgreSQL database is shared: start from an empty register
        from server.models.minutes_draft import PreparedResolution

        with Session(engine) as db:
            # resolutions prepared by other tests hold their numbers
            for prepared in db.exec(select(PreparedResolution)).all():
                db.delete(prepared)
            db.flush()
            for row in db.exec(select(RegisterEntry)).all():
                db.delete(row)
            db.commit()
    with Session(engine) as db:  # every number belongs to a council's register
        if db.exec(select(Council)).first() is None:
            db.add(Council(name="HĐND xã Y Tý", level=CouncilLevel.commune, term_start=2026,
                           term_end=2031))
            db.commit()
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def _at(text: str) -> clock.FrozenClock:
    return clock.FrozenClock(datetime.fromisoformat(text).astimezone(UTC))


def test_numbers_run_from_01_per_series_and_restart_on_vietnams_new_year(db: Session) -> None:
    at = _at("2026-12-31T22:00:00+07:00")
    with clock.using(at):
        first = give_number(db, None, MINUTES, "Biên bản phiên khai mạc")
        second = give_number(db, None, MINUTES, "Biên bản phiên bế mạc")
        resolution = give_number(db, None, RESOLUTION, "Nghị quyết dự toán 2027")
        db.commit()
        assert [symbol(first), symbol(second), symbol(resolution)] == [
            "01/BB-HĐND", "02/BB-HĐND", "01/NQ-HĐND"]
        # 06:30 on 1 January in Y Tý is still 31 December in UTC: the new year has begun
        at.set(datetime.fromisoformat("2027-01-01T06:30:00+07:00"))
        assert at.now().date().isoformat() == "2026-12-31"
        new_year = give_number(db, None, MINUTES, "Biên bản phiên họp chuyên đề")
        db.commit()
    assert (new_year.year, symbol(new_year)) == (2027, "01/BB-HĐND")
    assert [symbol(e) for e in year_register(db, 2026).by_series[MINUTES]] == [
        "01/BB-HĐND", "02/BB-HĐND"]
    assert [e.given_to for e in year_register(db, 2027).by_series[MINUTES]] == [
        "Biên bản phiên họp chuyên đề"]


def test_a_document_keeps_its_number_and_every_number_is_audited(db: Session) -> None:
    with clock.using(_at("2026-07-10T09:00:00+07:00")):
        once = give_number(db, None, MINUTES, "Biên bản phiên 12", subject="sitting:12:minutes")
        again = give_number(db, None, MINUTES, "Biên bản phiên 12", subject="sitting:12:minutes")
        other = give_number(db, None, MINUTES, "Biên bản phiên 13", subject="sitting:13:minutes")
        db.commit()
    assert once.id == again.id and (once.number, other.number) == (1, 2)
    audited = [json.loads(e.detail) for e in db.exec(select(AuditEntry).where(
        AuditEntry.action == "register.number_given")).all()]
    assert [(a["subject"], a["number"], a["year"]) for a in audited
            if a["subject"] in ("sitting:12:minutes", "sitting:13:minutes")] == [
        ("sitting:12:minutes", 1, 2026), ("sitting:13:minutes", 2, 2026)]


def test_the_database_refuses_a_repeated_number(db: Session) -> None:
    with clock.using(_at("2026-03-01T09:00:00+07:00")):
        entry = give_number(db, None, MINUTES, "Biên bản")
        db.commit()
    db.add(RegisterEntry(year=2026, series=MINUTES, number=entry.number, given_to="Trùng số",
                         issued_on=entry.issued_on))
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def test_bad_requests_are_refused_in_both_languages(db: Session) -> None:
    with pytest.raises(UnknownSeries) as unknown:
        give_number(db, None, "XX-HĐND", "Văn bản")
    with pytest.raises(GivenToRequired) as empty:
        give_number(db, None, MINUTES, "   ")
    assert "Loại văn bản" in unknown.value.message_vi and unknown.value.message_en
    assert "trích yếu" in empty.value.message_vi and empty.value.message_en


def test_clerks_giving_numbers_at_once_never_get_the_same_one(engine) -> None:
    """Eight requests at once: each insert that loses the race takes the next number."""
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises writers itself; the race needs PostgreSQL")
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def clerk(n: int) -> None:
        try:
            with Session(engine) as db:
                barrier.wait()
                give_number(db, None, MINUTES, f"Biên bản số {n}")
                db.commit()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(8)]
    # one clock for the whole process, set once: clock.using in each thread would race
    with clock.using(_at("2026-05-05T09:00:00+07:00")):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert not errors, errors
    with Session(engine) as db:
        numbers = sorted(e.number for e in db.exec(select(RegisterEntry)).all())
    assert numbers == list(range(1, 9))


def test_each_council_numbers_its_own_register(db: Session) -> None:
    """Two communes in one deployment both issue 01/NQ-HĐND: a number is per council."""
    from server.tenancy import scoping
    from server.tenancy.scope import Scope

    councils = []
    for name in ("HĐND xã A Mú Sung", "HĐND xã Trịnh Tường"):
        council = Council(name=name, level=CouncilLevel.commune, term_start=2026, term_end=2031)
        db.add(council)
        db.commit()
        councils.append(council.id)
    numbers = []
    with clock.using(_at("2026-12-10T09:00:00+07:00")):
        for council_id in councils:
            with Session(db.get_bind()) as scoped:
                scoping.enter(scoped, Scope.of_council(council_id))
                entry = give_number(scoped, None, RESOLUTION, "Nghị quyết về dự toán")
                scoped.commit()
                numbers.append((entry.council_id, symbol(entry)))
    assert numbers == [(councils[0], "01/NQ-HĐND"), (councils[1], "01/NQ-HĐND")]
