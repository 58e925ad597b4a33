"""The follow-up API on both databases: the foundation's ``api`` fixture plus a seeded
follow-up year (2025, so that items the tests create in 2026 do not change its figures)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.server.conftest import Api

SEEDED_YEAR = 2025


@pytest.fixture(scope="session")
def followup_api(api: Api) -> Api:
    from server.services.followup_demo import seed_followup_demo

    with Session(api.client.app.state.engine) as db:
        seed_followup_demo(db, SEEDED_YEAR)
        db.commit()
    return api
