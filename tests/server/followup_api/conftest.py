"""The follow-up API on both databases: the foundation's ``api`` fixture plus a seeded
follow-up year (2025, so that items the tests create in 2026 do not change its figures)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from server.demo.calendar import DemoCalendar
from shared import clock
from tests.server.conftest import Api

SEEDED_CALENDAR = DemoCalendar.for_today(clock.today()).earlier(years=1)
"""The demo's story one year before the suite's: items the tests add now leave it alone."""
SEEDED_YEAR = SEEDED_CALENDAR.year


@pytest.fixture(scope="session")
def followup_api(api: Api) -> Api:
    from server.followup.demo import seed_followup_demo

    with Session(api.client.app.state.engine) as db:
        seed_followup_demo(db, SEEDED_CALENDAR)
        db.commit()
    return api
