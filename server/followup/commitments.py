"""Commitments made in a live sitting become questioning-commitment items to follow up.

An official answering a question may promise something (``commitment_recorded``); the
council then follows that promise until it is kept. The event log is the only record of
the promise, so the items are made by replaying it: when the sitting closes, and again
on demand (a clerk's backfill). Each commitment is imported once: a second import finds
the item by ``(sitting_id, commitment_id)`` and adds nothing.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from server.followup.deadlines import local_date
from server.followup.states import ItemKind, Role, Status
from server.live import store
from server.models import Account, AgendaItem
from server.models.base import id_of, utcnow
from server.models.followup import TrackedItem, TrackedItemEvent
from server.services import audit, search
from shared.live.roster import Roster
from shared.live.state import Commitment, QuestionState, replay

TITLE_LIMIT = 500
AGENCY_LIMIT = 300


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _addressee(roster: Roster | None, person_id: int) -> str:
    """The official's name and title as the roster carried them ("Nguyễn Văn A, Chủ tịch")."""
    official = next((o for o in roster.officials if o.person_id == person_id), None) \
        if roster is not None else None
    if official is None:
        return f"#{person_id}"
    return ", ".join(p for p in (official.full_name, official.title) if p)


def _agenda_item_of(db: Session, session_id: int, question: QuestionState) -> int | None:
    """The agenda item the question was asked under, if that row still belongs to the session
    (the event log outlives agenda edits, so an id may point to a deleted or moved item)."""
    if question.item_id is None:
        return None
    row = db.get(AgendaItem, question.item_id)
    return row.id if row is not None and row.session_id == session_id else None


def _new_item(session_id: int, sitting_id: int, roster: Roster | None,
              question: QuestionState, commitment: Commitment,
              agenda_item_id: int | None) -> TrackedItem:
    responsible = _addressee(roster, question.addressee_id)
    return TrackedItem(
        kind=ItemKind.QUESTIONING_COMMITMENT.value,
        title=_clip(f"Cam kết của {responsible}: {commitment.text}", TITLE_LIMIT),
        text=f"Câu hỏi chất vấn: {question.text}\n\nCam kết: {commitment.text}",
        status=Status.RECEIVED.value,
        received_on=local_date(commitment.recorded_at),
        due_on=commitment.due,
        responsible_agency=_clip(responsible, AGENCY_LIMIT),
        session_id=session_id,
        agenda_item_id=agenda_item_id,
        sitting_id=sitting_id,
        commitment_id=commitment.commitment_id,
    )


def import_commitments(db: Session, sitting_id: int,
                       actor: Account | None = None) -> list[TrackedItem]:
    """One tracked item per commitment of the sitting, old and new, in the order recorded.

    Writes in the caller's transaction; the caller commits. ``actor`` is who triggered the
    import (the clerk, or whoever closed the sitting); ``None`` for the system.
    """
    sitting = store.get_sitting(db, sitting_id)
    state = replay(store.events_after(db, sitting_id, 0), store.initial_state(sitting))
    existing = {item.commitment_id: item for item in db.exec(
        select(TrackedItem).where(TrackedItem.sitting_id == sitting_id,
                                  col(TrackedItem.commitment_id).is_not(None))).all()}
    pairs = sorted(((q, c) for q in state.questions.values() for c in q.commitments),
                   key=lambda pair: pair[1].recorded_at)
    items: list[TrackedItem] = []
    for question, commitment in pairs:
        item = existing.get(commitment.commitment_id)
        if item is None:
            item = _new_item(sitting.session_id, sitting_id, state.roster, question, commitment,
                             _agenda_item_of(db, sitting.session_id, question))
            _record_creation(db, actor, item)
        items.append(item)
    return items


def _record_creation(db: Session, actor: Account | None, item: TrackedItem) -> None:
    item.created_by = actor.id if actor else None
    db.add(item)
    db.flush()
    db.add(TrackedItemEvent(item_id=id_of(item), at=utcnow(), action="receive", from_status="",
                            to_status=Status.RECEIVED.value,
                            actor_role=(Role.CLERK if actor else Role.SYSTEM).value,
                            actor_account_id=actor.id if actor else None,
                            note=f"Từ phiên họp #{item.sitting_id}"))
    audit.record(db, actor, "followup.item_created", "tracked_item", item.id,
                 kind=item.kind, due_on=item.due_on, sitting_id=item.sitting_id,
                 commitment_id=item.commitment_id)
    search.index_item(db, item)
