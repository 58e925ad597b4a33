"""A sitting run through the live recorder as the hall runs it, for the minutes tests."""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

from server.live.recorder import Caller, record_command
from server.live.store import get_sitting, initial_state
from server.models import Document, DocumentKind
from shared.live import commands as cmd
from shared.live.state import SittingState


def key() -> str:
    return uuid.uuid4().hex


def run(engine, sitting_id: int, person_id: int, command) -> SittingState:
    outcome = record_command(engine, sitting_id, command, Caller(person_id), None)
    assert outcome.answer.type == "ack", outcome.answer
    return outcome.state


def item_with_draft(engine) -> tuple[int, Document]:
    """An agenda item of the demo session with a draft resolution attached, and the draft
    (of the demo session itself: other tests on the same database add sessions of theirs)."""
    from server.demo.calendar import demo_schedule
    from server.models import CouncilSession

    with Session(engine) as db:
        demo = db.exec(select(CouncilSession).where(
            CouncilSession.title == demo_schedule().session_title)
            .order_by(CouncilSession.id)).first()
        draft = db.exec(select(Document).where(
            Document.session_id == demo.id,
            Document.kind == DocumentKind.draft_resolution,
            Document.agenda_item_id.is_not(None)).order_by(Document.id)).first()  # type: ignore[union-attr]
        assert draft is not None, "the demo session has a draft resolution on an item"
        return draft.agenda_item_id, draft


def open_sitting_with_everyone(engine, sitting_id: int, chair: int) -> list[int]:
    """Open the sitting and check every member in; the members' person ids."""
    with Session(engine) as db:
        roster = initial_state(get_sitting(db, sitting_id)).roster
    members = [m.person_id for m in roster.members]
    run(engine, sitting_id, chair, cmd.OpenSitting(key=key()))
    for person in members:
        if person != chair:
            run(engine, sitting_id, chair, cmd.CheckIn(key=key(), person_id=person))
    if chair in members:
        run(engine, sitting_id, chair, cmd.CheckIn(key=key()))
    return members


def vote_through(engine, sitting_id: int, chair: int, members: list[int], item_id: int,
                 question: str, close: bool = True) -> str:
    """Open a resolution vote on ``item_id`` and have every member vote yes; its id."""
    run(engine, sitting_id, chair, cmd.OpenItem(key=key(), item_id=item_id))
    state = run(engine, sitting_id, chair, cmd.OpenVote(
        key=key(), item_id=item_id, question=question, decision="resolution"))
    vote_id = next(v for v in state.votes if state.votes[v].status == "open")
    for person in members:
        run(engine, sitting_id, person, cmd.CastVote(key=key(), vote_id=vote_id, choice="yes"))
    if close:
        run(engine, sitting_id, chair, cmd.CloseVote(key=key(), vote_id=vote_id))
    return vote_id
