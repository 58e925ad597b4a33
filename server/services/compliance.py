"""The sitting compliance check (docs/rules.md) from the database: the pack's publication,
the sitting's votes, the minutes; and the yearly share of lawful sittings, the plan's
target (2) (Đề án 06, II.2: "100% các kỳ họp … tổ chức đảm bảo theo đúng luật định")."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from server.live.store import get_sitting
from server.models import CouncilSession, Sitting
from server.services import minutes
from shared.rules.compliance import Check, documents_check, lawful, minutes_check, vote_checks


def sitting_checks(db: Session, sitting_id: int) -> list[Check]:
    sitting = get_sitting(db, sitting_id)
    session = db.get(CouncilSession, sitting.session_id)
    assert session is not None
    state = minutes.sitting_state(db, sitting_id)
    return [documents_check(session.published_at, session.start_date), *vote_checks(state),
            minutes_check(None)]


def closed_sittings(db: Session, year: int) -> list[int]:
    """Sittings of sessions opening in ``year`` that are over: the ones the target counts."""
    rows = db.exec(select(Sitting.id).join(CouncilSession,
                                           col(CouncilSession.id) == col(Sitting.session_id))
                   .where(Sitting.status == "closed",
                          col(CouncilSession.start_date) >= date(year, 1, 1),
                          col(CouncilSession.start_date) <= date(year, 12, 31))
                   .order_by(col(Sitting.id))).all()
    return [r for r in rows if r is not None]


def lawful_sittings(db: Session, year: int) -> tuple[list[int], list[int]]:
    """(all closed sittings of the year, those whose checklist has no failed line)."""
    ids = closed_sittings(db, year)
    return ids, [i for i in ids if lawful(sitting_checks(db, i))]
