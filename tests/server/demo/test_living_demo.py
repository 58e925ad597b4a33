"""`hdnd demo` never grows old: seeded on any day of the term, it shows upcoming sittings,
running deadlines and overdue items, as a newcomer saw on 20/11/2026."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlmodel import Session, select

from server.db import make_engine, migrate
from server.demo.calendar import DemoCalendar, DemoSchedule
from server.demo.seed import seed_demo
from server.followup import items as followup
from server.followup.deadlines import VN_TZ
from server.models import CouncilSession, SessionStatus
from server.models.followup import TrackedItem
from shared import clock
from tests.conftest import make_settings


@pytest.mark.parametrize("today", [date(2026, 11, 20), date(2028, 3, 15), date(2031, 6, 2)])
def test_the_demo_seeded_on_any_day_is_alive_that_day(tmp_path, today: date) -> None:
    settings = make_settings(tmp_path)
    migrate(settings)
    engine = make_engine(settings)
    at_nine = datetime.combine(today, time(9, 0), tzinfo=VN_TZ)
    with clock.using(clock.FrozenClock(at_nine)), Session(engine) as db:
        seed_demo(db, settings, "pw", long_document_pages=1)
        sessions = db.exec(select(CouncilSession)).all()
        published = [s for s in sessions if s.status == SessionStatus.published]
        upcoming = [s for s in published if s.start_date > today]
        assert upcoming, "a published session still to come"
        assert any(str(today.year) in s.title or str(today.year + 1) in s.title
                   for s in upcoming)
        assert any(s.status == SessionStatus.draft and s.start_date > today for s in sessions)

        shown = [followup.describe(item) for item in db.exec(select(TrackedItem)).all()]
        running = [i for i in shown if i.days_left is not None and i.days_left >= 0
                   and i.status not in ("answered", "verified_done")]
        overdue = [i for i in shown if i.overdue_days]
        assert running, "deadlines still running"
        assert overdue, "some items overdue"
        assert all(i.received_on <= today for i in shown), "nothing received in the future"
    engine.dispose()


def test_seeding_again_on_a_later_day_adds_no_second_set_of_sessions(tmp_path) -> None:
    settings = make_settings(tmp_path)
    migrate(settings)
    engine = make_engine(settings)
    with Session(engine) as db:
        with clock.using(clock.FrozenClock(datetime(2027, 5, 4, 9, tzinfo=VN_TZ))):
            seed_demo(db, settings, "pw", long_document_pages=1)
            first = len(db.exec(select(CouncilSession)).all())
        with clock.using(clock.FrozenClock(datetime(2027, 5, 20, 9, tzinfo=VN_TZ))):
            seed_demo(db, settings, "pw", long_document_pages=1)
            assert len(db.exec(select(CouncilSession)).all()) == first
    engine.dispose()


def test_the_story_is_moved_by_whole_years_then_days() -> None:
    assert DemoCalendar.for_today(date(2026, 11, 20)) == DemoCalendar(2026, 0)
    assert DemoCalendar.for_today(date(2028, 11, 20)).on(1, 15) == date(2028, 1, 15)
    spring = DemoCalendar.for_today(date(2028, 3, 15))
    assert spring.year == 2027 and spring.today == date(2028, 3, 15)
    assert spring.on(11, 30) > date(2028, 3, 15)  # the petitions' deadline still ahead


def test_the_sessions_fall_on_working_days_around_today() -> None:
    schedule = DemoSchedule.for_today(date(2028, 3, 15))  # a Wednesday
    assert schedule.session_start == date(2028, 3, 21) and schedule.session_start.weekday() == 1
    assert schedule.session_title == "Kỳ họp thường lệ giữa năm 2028"
    assert schedule.committee_day < schedule.session_start < schedule.draft_start
    assert schedule.draft_start.weekday() == 1
