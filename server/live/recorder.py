"""Group commit: the commands waiting for a sitting, decided in order, in one transaction.

Synchronous on purpose (SQLModel sessions are); the hub runs it in a worker thread while
holding the sitting's asyncio lock. While one transaction is being written, the hub
queues the commands that arrive meanwhile and hands them here together: each is decided
against the state the previous ones left, and all their events, receipts and ballot
counts are written and committed at once. A commit (an fsync) per batch instead of one
per command is what lets 500 votes in a second through.

Nothing is told to anyone until this has committed: a crash after the commit loses
nothing acknowledged, a crash before it acknowledges nothing. A refused command writes
nothing and does not touch the others of its batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from server.followup import commitments as followup_commitments
from server.live import store
from server.live.ballot_box import DbBallotBox
from server.models import (
    Account,
    Attendance,
    AttendanceStatus,
    CouncilSession,
    Membership,
    SessionStatus,
)
from server.models.base import utcnow
from server.services import audit
from shared import clock
from shared.live import events as ev
from shared.live.commands import Command
from shared.live.decide import decide
from shared.live.errors import CommandRejected
from shared.live.events import Event
from shared.live.protocol import Ack, ErrorMessage
from shared.live.roster import Actor
from shared.live.state import SittingState, apply
from shared.live.voting import SECRET_MODES

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Caller:
    """Who sends a command or opens a connection, as authenticated by the server."""

    person_id: int | None
    account_id: int | None = None
    # the web console: a clerk acting with the chair's rights names the chair here, and
    # every command it sends is written to the audit log with the account that sent it
    on_behalf_of: int | None = None
    audited: bool = False


@dataclass(frozen=True)
class Request:
    """One command waiting to be recorded, with who sent it."""

    command: Command
    caller: Caller


@dataclass(frozen=True)
class Outcome:
    answers: tuple[Ack | ErrorMessage, ...]  # one per request, in the same order
    events: tuple[Event, ...]  # committed by this batch (in seq order)
    state: SittingState  # committed state after the batch
    caught_up: tuple[Event, ...]  # events other workers committed that the cache lacked

    @property
    def answer(self) -> Ack | ErrorMessage:
        """The answer of a batch of one."""
        return self.answers[0]


def record_command(engine: Engine, sitting_id: int, command: Command, caller: Caller,
                   cached: SittingState | None) -> Outcome:
    """One command alone (a batch of one)."""
    return record_batch(engine, sitting_id, [Request(command, caller)], cached)


def record_batch(engine: Engine, sitting_id: int, requests: Sequence[Request],
                 cached: SittingState | None) -> Outcome:
    """Decide ``requests`` in order against the newest committed state; one commit."""
    for _attempt in range(MAX_ATTEMPTS):
        try:
            return _attempt_once(engine, sitting_id, requests, cached)
        except IntegrityError:
            # another writer appended the same seq (only possible without the lock, e.g.
            # a database we do not know how to lock): reload and decide again
            cached = None
    raise RuntimeError(f"sitting {sitting_id}: could not append after {MAX_ATTEMPTS} tries")


def _attempt_once(engine: Engine, sitting_id: int, requests: Sequence[Request],
                  cached: SittingState | None) -> Outcome:
    with store.sitting_session(engine, sitting_id, expire_on_commit=False) as db:
        store.take_write_lock(db, sitting_id)
        state = cached if cached is not None else store.initial_state(
            store.get_sitting(db, sitting_id))
        caught_up = tuple(store.events_after(db, sitting_id, state.seq))
        for event in caught_up:
            state = apply(state, event)
        if cached is None:
            caught_up = ()  # a fresh load is the whole history, not a catch-up

        receipts = store.find_receipts(
            db, sitting_id, {(r.caller.person_id, r.command.key) for r in requests
                             if r.caller.person_id is not None})
        answers: list[Ack | ErrorMessage] = []
        events: list[Event] = []
        box = DbBallotBox(db, sitting_id)
        for request in requests:
            answer, state, made = _decide_one(db, box, sitting_id, state, request, receipts)
            answers.append(answer)
            events.extend(made)
        if any(isinstance(a, Ack) and not a.duplicate for a in answers):
            db.commit()  # ack only after commit: a crash must not lose an acked command
        else:
            db.rollback()  # refusals and repeats only: nothing to write
        return Outcome(tuple(answers), tuple(events), state, caught_up)


def _decide_one(db: Session, box: DbBallotBox, sitting_id: int, state: SittingState,
                request: Request, receipts: dict[tuple[int, str], Ack]
                ) -> tuple[Ack | ErrorMessage, SittingState, tuple[Event, ...]]:
    """The answer, the state after, and the events of one command of the batch.

    Nothing is written before ``decide`` accepts the command, so a refusal leaves the
    transaction as the previous commands of the batch left it.
    """
    command, caller = request.command, request.caller
    if caller.person_id is None:
        return ErrorMessage.of(CommandRejected("unknown_person"), key=command.key), state, ()
    previous = receipts.get((caller.person_id, command.key))
    if previous is not None:  # a resend, maybe within this very batch: same answer
        return previous.model_copy(update={"duplicate": True}), state, ()
    assert state.roster is not None
    actor = Actor.of(state.roster, caller.person_id)
    tally = None
    if command.type == "close_vote":
        vote = state.votes.get(command.vote_id)
        if vote is not None and vote.mode in SECRET_MODES:
            db.flush()
            tally = box.tally(command.vote_id)
    try:
        decision = decide(state, command, actor, clock.now(), tally=tally)
    except CommandRejected as error:
        return ErrorMessage.of(error, key=command.key), state, ()

    for event in decision.events:
        store.append_event(db, event)
        if isinstance(event, ev.VoteOpened) and event.mode in SECRET_MODES:
            box.open(event)
        state = apply(state, event)
    if decision.secret_choice is not None:
        box.record(decision.secret_choice.vote_id, decision.secret_choice.choice)
    ack = Ack(key=command.key, seqs=tuple(e.seq for e in decision.events))
    store.add_receipt(db, sitting_id, caller.person_id, ack)
    receipts[(caller.person_id, command.key)] = ack
    _mirror_sitting(db, sitting_id, decision.events, caller)
    if caller.audited:
        account = db.get(Account, caller.account_id) if caller.account_id else None
        audit.record(db, account, "sitting.command", "sitting", sitting_id,
                     command=command.type, as_person=caller.person_id,
                     on_behalf_of=caller.on_behalf_of, seqs=list(ack.seqs))
    return ack, state, decision.events


def _mirror_sitting(db: Session, sitting_id: int, events: tuple[Event, ...],
                    caller: Caller) -> None:
    """Keep the sitting row, attendance and the audit log in step with the event log."""
    for event in events:
        if isinstance(event, ev.SittingOpened):
            sitting = store.get_sitting(db, sitting_id)
            sitting.status, sitting.opened_at = "open", event.at
            db.add(sitting)
            _session_in_progress(db, sitting.session_id, caller)
        elif isinstance(event, ev.SittingPaused | ev.SittingResumed):
            sitting = store.get_sitting(db, sitting_id)
            sitting.status = "paused" if isinstance(event, ev.SittingPaused) else "open"
            db.add(sitting)
        elif isinstance(event, ev.SittingClosed):
            sitting = store.get_sitting(db, sitting_id)
            sitting.status, sitting.closed_at = "closed", event.at
            db.add(sitting)
            db.flush()
            present = _record_attendance(db, sitting.session_id, sitting_id, caller)
            account = db.get(Account, caller.account_id) if caller.account_id else None
            audit.record(db, account, "sitting.closed", "sitting", sitting_id,
                         session_id=sitting.session_id, last_seq=event.seq, present=present)
            followup_commitments.import_commitments(db, sitting_id, account)
            from server.services import questioning  # questions not reached

            questioning.sync_from_sitting(db, sitting_id)


def _session_in_progress(db: Session, session_id: int, caller: Caller) -> None:
    """The first sitting opened: the session is being held (đang họp)."""
    session = db.get(CouncilSession, session_id)
    assert session is not None
    if session.status == SessionStatus.published:
        session.status = SessionStatus.in_progress
        db.add(session)
        account = db.get(Account, caller.account_id) if caller.account_id else None
        audit.record(db, account, "session.status", "session", session_id,
                     status=SessionStatus.in_progress.value, previous="published")


def _record_attendance(db: Session, session_id: int, sitting_id: int, caller: Caller) -> int:
    """Everyone who checked in during the sitting is present at the session (REST view)."""
    session = db.get(CouncilSession, session_id)
    assert session is not None
    members = set(db.exec(select(Membership.person_id)
                          .where(Membership.body_id == session.body_id)).all())
    present = store.checked_in_people(db, sitting_id) & members
    for person_id in sorted(present):
        row = db.exec(select(Attendance).where(Attendance.session_id == session_id,
                                               Attendance.person_id == person_id)).first()
        if row is None:
            row = Attendance(session_id=session_id, person_id=person_id,
                             status=AttendanceStatus.present)
        row.status = AttendanceStatus.present
        row.note = f"Điểm danh tại phiên họp #{sitting_id}"
        row.recorded_at, row.recorded_by = utcnow(), caller.account_id
        db.add(row)
    return len(present)
