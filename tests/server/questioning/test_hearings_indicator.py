"""The plan's "4 phiên chất vấn hoặc giải trình" counts a Standing Committee session whose
registered questions were really brought into a sitting, and not one where they were only
registered."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from server.followup.indicators import questioning_hearings
from server.models import Body, BodyKind, CouncilSession, SessionKind, SessionStatus
from server.models.live import Sitting
from server.models.questioning import PreparedQuestion, QuestionStatus


def test_a_hearing_with_questions_counts(api) -> None:
    year = 2031  # a year of its own: nothing else of the demo falls in it
    with Session(api.client.app.state.engine) as db:
        standing = db.exec(select(Body).where(Body.kind == BodyKind.standing_committee)).first()
        asker = db.exec(select(PreparedQuestion.person_id)).first()
        sessions = []
        for title in ("Phiên giải trình về nước sạch", "Phiên họp thường kỳ tháng 3"):
            session = CouncilSession(council_id=standing.council_id, body_id=standing.id,
                                     title=title, kind=SessionKind.meeting,
                                     start_date=date(year, 3, 10), end_date=date(year, 3, 10),
                                     status=SessionStatus.closed)
            db.add(session)
            db.flush()
            sessions.append(session)
        before = questioning_hearings(db, year).numerator
        sitting = Sitting(session_id=sessions[0].id, title="Phiên giải trình", roster="{}")
        db.add(sitting)
        db.flush()
        person = asker or 1
        db.add(PreparedQuestion(session_id=sessions[0].id, person_id=person, to_whom="UBND",
                                topic="Nước sạch", text="?", sitting_id=sitting.id,
                                status=QuestionStatus.answered.value))
        db.add(PreparedQuestion(session_id=sessions[1].id, person_id=person, to_whom="UBND",
                                topic="Chợ", text="?"))  # registered, never asked
        db.flush()
        after = questioning_hearings(db, year)
        assert after.numerator == before + 1
        assert sessions[0].id in after.item_ids and sessions[1].id not in after.item_ids
        db.rollback()
