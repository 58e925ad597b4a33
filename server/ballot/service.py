"""The verifiable secret ballot as the REST API drives it (docs/ballot.md, "HTTP flow").

setup (the chair names the vote-counting committee; each member's device posts its key
share) → open (the board's setup entry and the live ``vote_opened``) → cast (a device
posts an encrypted ballot: proofs, right to vote, board entry, roll, live ``vote_cast``,
receipt) → closed (the encrypted tally) → partial decryptions, one per member → counted
(the result entry and the live ``vote_closed``).

Every mutating call opens its own transaction, takes the sitting's write lock first
(the live recorder's lock, so board entries and live events of one sitting are written
one at a time), rebuilds the ``SecretBallotBox`` from the stored board, and stores what
the box appended together with the live events and the audit entry: one commit, then
the answer. The server never holds a member's secret and never decrypts a ballot.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import uuid4

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from server.ballot import board_store, live
from server.ballot.errors import (
    BallotNotFound,
    BallotStateError,
    CommitteeInvalid,
    CommitteeKeysMissing,
    CommitteeMemberOnBallot,
    CommitteeTooSmall,
    CommitteeVoteInvalid,
    NotBallotChair,
    NotCommitteeMember,
    NotPresent,
    SubjectExcluded,
    refused,
)
from server.live import service as live_service
from server.models import Council, CouncilSession, Person, Sitting
from server.models.ballot import Ballot, BallotCommitteeMember, BallotVoter
from server.models.base import id_of
from server.security.principal import Principal
from server.services import audit
from server.tenancy import scoping
from shared import clock
from shared.ballot import board as b
from shared.ballot.ballot import BallotDefinition, Subject
from shared.ballot.box import SecretBallotBox
from shared.ballot.committee import KeyShare, joint_public_key, verify_key_share
from shared.ballot.confidence import confidence_result, confidence_vote_result
from shared.ballot.errors import BallotError, InvalidKeyShare, TallyIncomplete
from shared.ballot.verify import lookup_receipt
from shared.crypto.encoding import BadEncoding, b64url_encode
from shared.live.errors import CommandRejected
from shared.live.events import Event
from shared.live.state import SittingState
from shared.live.voting import Candidate, ThresholdRule
from shared.rules.committee import committee_problem
from shared.rules.decisions import LEGAL_THRESHOLD
from shared.rules.survey import RuleWarning, excluded_from_survey, survey_warnings

SETUP, OPEN, CLOSED, COUNTED = "setup", "open", "closed", "counted"
# the ballot kind is the live mode; each is one kind of decision (shared/rules)
DECISION_OF_KIND = {"election": "election", "confidence": "confidence_survey",
                    "confidence_vote": "confidence_vote"}


@dataclass(frozen=True)
class SurveyFacts:
    """What Điều 2 khoản 5 of NQ 96 needs to know about an official on a survey ballot."""

    elected_on: date | None = None
    retirement_announced: bool = False


@dataclass(frozen=True)
class BallotSpec:
    """What the chair decides when setting a ballot up."""

    item_id: int
    kind: str  # election | confidence (survey) | confidence_vote
    title: str
    subjects: Sequence[Candidate]
    committee: Sequence[int]  # person ids
    max_choices: int = 1
    min_choices: int = 0
    # the law fixes it from the kind (docs/rules.md); None takes the legal one
    threshold: ThresholdRule | None = None
    allow_revote: bool = False
    # the live vote (in this sitting) by which the council elected the committee
    committee_vote_id: str | None = None
    # candidate_id -> facts, for a confidence survey's exclusions
    survey_facts: dict[str, SurveyFacts] = field(default_factory=dict)


@dataclass
class Change:
    """What a mutating call committed: the ballot row and the live events to fan out."""

    ballot: Ballot
    events: list[Event] = field(default_factory=list)
    receipt: str | None = None
    # rules the council may be departing from (shown to the chair, kept in the audit)
    warnings: list[RuleWarning] = field(default_factory=list)


def member_id(person_id: int) -> str:
    """Voters and committee members appear on the board by their person id."""
    return str(person_id)


# --- reading -------------------------------------------------------------------------


def get_ballot(db: Session, ballot_id: int) -> Ballot:
    ballot = db.get(Ballot, ballot_id)
    if ballot is None:
        raise BallotNotFound(ballot_id=ballot_id)
    return ballot


def viewable_ballot(db: Session, principal: Principal, ballot_id: int) -> Ballot:
    """The ballot, or BallotNotFound when the caller may not see its sitting."""
    ballot = get_ballot(db, ballot_id)
    try:
        live_service.viewable_sitting(db, principal, ballot.sitting_id)
    except Exception as exc:  # any refusal reads as "no such ballot"
        raise BallotNotFound(ballot_id=ballot_id) from exc
    return ballot


def sitting_of(engine: Engine, principal: Principal, ballot_id: int) -> int:
    with Session(engine) as db:
        scoping.enter(db, principal.scope)  # another council's ballot: not found
        return viewable_ballot(db, principal, ballot_id).sitting_id


def definition_of(ballot: Ballot) -> BallotDefinition:
    return BallotDefinition.from_json(json.loads(ballot.definition))


def committee_of(db: Session, ballot_id: int) -> list[BallotCommitteeMember]:
    return list(db.exec(select(BallotCommitteeMember)
                        .where(BallotCommitteeMember.ballot_id == ballot_id)
                        .order_by(col(BallotCommitteeMember.person_id))).all())


def _share(row: BallotCommitteeMember) -> KeyShare:
    return b.decode_key_share({"member_id": member_id(row.person_id), "public": row.public,
                               "proof": row.proof})


def _require_chair(state: SittingState, principal: Principal) -> int:
    assert state.roster is not None
    if principal.person_id is None or principal.person_id not in state.roster.chair_ids:
        raise NotBallotChair()
    return principal.person_id


def _require_member(db: Session, ballot: Ballot, principal: Principal) -> BallotCommitteeMember:
    row = db.exec(select(BallotCommitteeMember).where(
        BallotCommitteeMember.ballot_id == ballot.id,
        BallotCommitteeMember.person_id == (principal.person_id or -1))).first()
    if row is None:
        raise NotCommitteeMember()
    return row


def _require_status(ballot: Ballot, *allowed: str) -> None:
    if ballot.status not in allowed:
        raise BallotStateError(status=ballot.status)


def _names(db: Session, person_ids: Sequence[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    rows = db.exec(select(Person.id, Person.full_name).where(col(Person.id).in_(person_ids)))
    return {pid: name for pid, name in rows if pid is not None}  # a primary key: never None


# --- setup ---------------------------------------------------------------------------


def create_ballot(engine: Engine, principal: Principal, sitting_id: int, spec: BallotSpec,
                  cached: SittingState | None = None) -> Change:
    """The chair names the committee and the ballot form; members then post their keys."""
    with Session(engine, expire_on_commit=False) as db:
        scoping.enter(db, principal.scope)  # another council's ballot: not found
        state = live.locked_state(db, sitting_id, cached)
        live_service.viewable_sitting(db, principal, sitting_id)
        _require_chair(state, principal)
        if state.status != "open":
            raise BallotStateError(sitting_status=state.status)
        assert state.roster is not None
        if state.roster.item(spec.item_id) is None:
            raise refused(CommandRejected("unknown_item"))
        committee = list(spec.committee)
        if (not committee or len(set(committee)) != len(committee)
                or not set(committee) <= state.roster.member_ids
                or not set(committee) <= state.present):
            raise CommitteeInvalid(committee=committee)
        decision = DECISION_OF_KIND.get(spec.kind)
        if decision is None:
            raise refused(CommandRejected("invalid_vote"))
        if spec.threshold is not None and spec.threshold != LEGAL_THRESHOLD[decision]:
            raise refused(CommandRejected("threshold_fixed_by_law"))
        council, session = _council_and_session(db, sitting_id)
        _check_committee(db, state, spec, committee, council.level)
        warnings = _warnings(db, spec, council, session)
        vote_key = f"hdnd-{sitting_id}-{uuid4().hex[:16]}"
        try:
            definition = BallotDefinition(
                vote_id=vote_key, kind=spec.kind, title=spec.title,  # type: ignore[arg-type]
                subjects=tuple(Subject(s.candidate_id, s.full_name) for s in spec.subjects),
                max_choices=spec.max_choices if spec.kind == "election" else 1,
                min_choices=spec.min_choices if spec.kind == "election" else 0,
                members_total=state.members_total)
        except ValueError as exc:
            raise refused(CommandRejected("invalid_vote")) from exc
        ballot = Ballot(sitting_id=sitting_id, item_id=spec.item_id, vote_key=vote_key,
                        kind=spec.kind, definition=json.dumps(definition.to_json(),
                                                              ensure_ascii=False),
                        threshold=LEGAL_THRESHOLD[decision],
                        allow_revote=spec.allow_revote, created_by=principal.account.id)
        db.add(ballot)
        db.flush()
        for person_id in committee:
            db.add(BallotCommitteeMember(ballot_id=id_of(ballot), person_id=person_id))
        audit.record(db, principal.account, "ballot.created", "ballot", ballot.id,
                     sitting_id=sitting_id, kind=spec.kind, committee=committee,
                     committee_vote_id=spec.committee_vote_id, allow_revote=spec.allow_revote,
                     warnings=[w.code for w in warnings])
        db.commit()
        return Change(ballot, warnings=warnings)


def _council_and_session(db: Session, sitting_id: int) -> tuple[Council, CouncilSession]:
    sitting = db.get(Sitting, sitting_id)
    session = db.get(CouncilSession, sitting.session_id) if sitting else None
    council = db.get(Council, session.council_id) if session else None
    assert session is not None and council is not None
    return council, session


def _check_committee(db: Session, state: SittingState, spec: BallotSpec, committee: list[int],
                     level: str) -> None:
    """The counting committee's rules (docs/rules.md, "counting_committee")."""
    on_ballot = {s.person_id for s in spec.subjects if s.person_id is not None}
    problem = committee_problem(committee, on_ballot, str(level))
    if problem is not None:
        code, people = problem
        names = list(_names(db, people).values())
        if code == "committee_member_on_ballot":
            raise CommitteeMemberOnBallot(people=people, names=names)
        raise CommitteeTooSmall(committee=committee, needed=3)
    if spec.committee_vote_id is not None:
        vote = state.votes.get(spec.committee_vote_id)
        if vote is None or vote.result is None or not vote.result.passed:
            raise CommitteeVoteInvalid(vote_id=spec.committee_vote_id)


def _warnings(db: Session, spec: BallotSpec, council: Council,
              session: CouncilSession) -> list[RuleWarning]:
    """Departures from the rules the chair should know of; exclusions are refused."""
    warnings: list[RuleWarning] = []
    if spec.committee_vote_id is None:
        warnings.append(RuleWarning(
            "committee_not_elected",
            "Ban kiểm phiếu phải do Hội đồng biểu quyết bầu; chưa gắn với cuộc biểu quyết nào.",
            "The council must elect the vote-counting committee by a vote; none is linked.",
            "counting_committee"))
    if spec.kind != "confidence":
        return warnings
    year = session.start_date.year
    excluded = {s.candidate_id: reason for s in spec.subjects
                if (reason := excluded_from_survey(
                    year, spec.survey_facts.get(s.candidate_id, SurveyFacts()).elected_on,
                    spec.survey_facts.get(s.candidate_id, SurveyFacts()).retirement_announced))}
    if excluded:
        names = [s.full_name for s in spec.subjects if s.candidate_id in excluded]
        raise SubjectExcluded(excluded=excluded, names=names)
    later = db.exec(select(CouncilSession.id).where(
        CouncilSession.body_id == session.body_id, CouncilSession.kind == "regular",
        CouncilSession.start_date > session.start_date,
        CouncilSession.start_date <= date(year, 12, 31))).first() is not None
    return warnings + survey_warnings(str(council.level), council.term_start,
                                      str(session.kind), session.start_date, later)


def post_key_share(engine: Engine, principal: Principal, ballot_id: int, public: str,
                   proof: str) -> Change:
    """A member's device sends Y_i and its proof; the secret x_i never leaves the device."""
    sitting_id = sitting_of(engine, principal, ballot_id)
    with Session(engine, expire_on_commit=False) as db:
        scoping.enter(db, principal.scope)  # another council's ballot: not found
        live.locked_state(db, sitting_id)
        ballot = get_ballot(db, ballot_id)
        row = _require_member(db, ballot, principal)
        _require_status(ballot, SETUP)
        try:
            share = b.decode_key_share({"member_id": member_id(row.person_id), "public": public,
                                        "proof": proof})
            verify_key_share(ballot.vote_key, share)
        except (BallotError, BadEncoding, ValueError) as exc:
            raise refused(exc) from exc
        others = [m for m in committee_of(db, ballot_id) if m.id != row.id and m.public]
        if any(m.public == public for m in others):
            raise refused(InvalidKeyShare(reason="duplicate_key"))
        row.public, row.proof, row.key_posted_at = public, proof, clock.now()
        db.add(row)
        audit.record(db, principal.account, "ballot.key_share", "ballot", ballot_id,
                     member=row.person_id, public=public)
        db.commit()
        return Change(ballot)


# --- open, cast, close ---------------------------------------------------------------


def open_ballot(engine: Engine, principal: Principal, ballot_id: int,
                quorum_override_reason: str | None = None,
                cached: SittingState | None = None) -> Change:
    """Publish the board's setup entry and open the live vote, in one transaction."""
    sitting_id = sitting_of(engine, principal, ballot_id)
    with Session(engine, expire_on_commit=False) as db:
        scoping.enter(db, principal.scope)  # another council's ballot: not found
        state = live.locked_state(db, sitting_id, cached)
        ballot = get_ballot(db, ballot_id)
        chair_id = _require_chair(state, principal)
        _require_status(ballot, SETUP)
        members = committee_of(db, ballot_id)
        missing = [m.person_id for m in members if m.public is None]
        if missing:
            raise CommitteeKeysMissing(missing=missing)
        assert state.roster is not None
        definition = definition_of(ballot)
        try:
            opened = live.open_vote(db, state, chair_id, ballot_id, ballot.item_id, definition,
                                    ballot.threshold, quorum_override_reason)  # type: ignore[arg-type]
            box = SecretBallotBox.open(definition, [_share(m) for m in members],
                                       [member_id(p) for p in state.roster.member_ids],
                                       allow_revote=ballot.allow_revote)
        except (CommandRejected, BallotError) as exc:
            raise refused(exc) from exc
        board_store.save_new_entries(db, ballot_id, box.board, 0)
        ballot.status, ballot.live_vote_id = OPEN, opened.vote_id
        db.add(ballot)
        audit.record(db, principal.account, "ballot.opened", "ballot", ballot_id,
                     sitting_id=sitting_id, vote_id=opened.vote_id, board_head=box.board.head)
        db.commit()
        return Change(ballot, [opened])


def cast(engine: Engine, principal: Principal, ballot_id: int, ballot_json: Any,
         cached: SittingState | None = None) -> Change:
    """Check and record one encrypted ballot; answer its receipt (the box's rules apply)."""
    sitting_id = sitting_of(engine, principal, ballot_id)
    with Session(engine, expire_on_commit=False) as db:
        scoping.enter(db, principal.scope)  # another council's ballot: not found
        state = live.locked_state(db, sitting_id, cached)
        ballot = get_ballot(db, ballot_id)
        person_id = principal.person_id
        if ballot.status != OPEN:
            raise refused(_box_refusal("vote_not_open", state=ballot.status))
        if person_id is None:
            raise refused(_box_refusal("ballot_not_eligible"))
        assert state.roster is not None
        if person_id in state.roster.member_ids and person_id not in state.present:
            raise NotPresent()
        box = board_store.load_box(db, ballot_id)
        stored = len(box.board.entries)
        try:
            receipt = box.cast(ballot_json, voter_id=member_id(person_id))
        except BallotError as exc:
            raise refused(exc) from exc
        board_store.save_new_entries(db, ballot_id, box.board, stored)
        roll = db.exec(select(BallotVoter).where(BallotVoter.ballot_id == ballot_id,
                                                 BallotVoter.person_id == person_id)).first()
        if roll is None:
            roll = BallotVoter(ballot_id=ballot_id, person_id=person_id)
        else:
            roll.ballots_cast += 1
        db.add(roll)
        assert ballot.live_vote_id is not None
        event = live.vote_cast(db, state, ballot.live_vote_id, person_id)
        audit.record(db, principal.account, "ballot.cast", "ballot", ballot_id,
                     voter=person_id, receipt=receipt)
        db.commit()
        return Change(ballot, [event], receipt)


def _box_refusal(code: str, **extra: Any) -> BallotError:
    from shared.ballot.errors import InvalidBallot

    return InvalidBallot(code, **extra)


def close(engine: Engine, principal: Principal, ballot_id: int,
          cached: SittingState | None = None) -> Change:
    """Stop casting; the board gets the encrypted tally the committee must decrypt."""
    sitting_id = sitting_of(engine, principal, ballot_id)
    with Session(engine, expire_on_commit=False) as db:
        scoping.enter(db, principal.scope)  # another council's ballot: not found
        state = live.locked_state(db, sitting_id, cached)
        ballot = get_ballot(db, ballot_id)
        _require_chair(state, principal)
        _require_status(ballot, OPEN)
        box = board_store.load_box(db, ballot_id)
        stored = len(box.board.entries)
        box.close()
        board_store.save_new_entries(db, ballot_id, box.board, stored)
        ballot.status = CLOSED
        db.add(ballot)
        assert ballot.live_vote_id is not None
        event = live.vote_counting(db, state, ballot.live_vote_id, len(box.voted),
                                   _person_ids(box.missing_members))
        audit.record(db, principal.account, "ballot.closed", "ballot", ballot_id,
                     ballots=len(box.voted), board_head=box.board.head)
        db.commit()
        return Change(ballot, [event])


def _person_ids(member_ids: Sequence[str]) -> list[int]:
    """Committee members are on the board by their person id (``member_id``)."""
    return [int(m) for m in member_ids]


# --- counting ------------------------------------------------------------------------


def add_partial(engine: Engine, principal: Principal, ballot_id: int, shares: Sequence[str],
                proofs: Sequence[str], cached: SittingState | None = None) -> Change:
    """A member's partial decryption of the tally; the last one publishes the result.

    A wrong one is refused by its proof; a member who never sends leaves the ballot
    ``closed`` and waiting for them, and it is counted as soon as they do.
    """
    sitting_id = sitting_of(engine, principal, ballot_id)
    with Session(engine, expire_on_commit=False) as db:
        scoping.enter(db, principal.scope)  # another council's ballot: not found
        state = live.locked_state(db, sitting_id, cached)
        ballot = get_ballot(db, ballot_id)
        row = _require_member(db, ballot, principal)
        if ballot.status == COUNTED:
            return Change(ballot)  # a resend after a lost answer: nothing twice
        _require_status(ballot, CLOSED)
        box = board_store.load_box(db, ballot_id)
        stored = len(box.board.entries)
        try:
            partial = b.decode_partial({"member_id": member_id(row.person_id),
                                        "shares": list(shares), "proofs": list(proofs)})
            box.add_partial(partial)
        except (BallotError, BadEncoding, ValueError, TypeError) as exc:
            if isinstance(exc, BallotError):
                raise refused(exc) from exc
            from shared.ballot.errors import WrongPartialDecryption

            raise refused(WrongPartialDecryption(member_id=row.person_id)) from exc
        audit.record(db, principal.account, "ballot.partial_decryption", "ballot", ballot_id,
                     member=row.person_id)
        events: list[Event] = []
        try:
            counts = box.publish_result()
        except TallyIncomplete as incomplete:
            counts = None
            assert ballot.live_vote_id is not None
            events.append(live.vote_counting(db, state, ballot.live_vote_id, len(box.voted),
                                             _person_ids(incomplete.missing)))
        if counts is not None:
            ballot.status = COUNTED
            db.add(ballot)
            assert ballot.live_vote_id is not None
            events.append(live.vote_closed(db, state, ballot.live_vote_id, definition_of(ballot),
                                           counts, len(box.voted)))
            audit.record(db, principal.account, "ballot.counted", "ballot", ballot_id,
                         ballots=len(box.voted), board_head=box.board.head)
        board_store.save_new_entries(db, ballot_id, box.board, stored)
        db.commit()
        return Change(ballot, events)


# --- what the API shows ----------------------------------------------------------------


def result_json(ballot: Ballot, counts: Sequence[int], state: SittingState | None) -> dict:
    """Counts per candidate or per level, the live rule's outcome, confidence flags."""
    definition = definition_of(ballot)
    out: dict[str, Any] = {"labels": definition.box_labels(), "counts": list(counts)}
    if definition.kind == "election":
        out["candidates"] = [{"candidate_id": s.subject_id, "full_name": s.full_name,
                              "votes": n} for s, n in zip(definition.subjects, counts,
                                                          strict=True)]
    elif definition.kind == "confidence_vote":
        out["confidence_vote"] = confidence_vote_result(definition, counts)
    else:
        out["confidence"] = confidence_result(definition, counts).to_json()
    vote = state.votes.get(ballot.live_vote_id or "") if state else None
    if vote is not None and vote.result is not None:
        out["live_result"] = vote.result.model_dump(mode="json")
    return out


def ballot_view(db: Session, ballot: Ballot, state: SittingState | None = None) -> dict:
    """Everything public about the ballot: never a choice (there is none to show)."""
    assert ballot.id is not None
    members = committee_of(db, ballot.id)
    board = board_store.load_board(db, ballot.id)
    box = SecretBallotBox(board) if board.entries else None
    voted = [r.person_id for r in db.exec(select(BallotVoter).where(
        BallotVoter.ballot_id == ballot.id).order_by(col(BallotVoter.person_id)))]
    missing = set(box.missing_members) if box is not None and ballot.status == CLOSED else set()
    names = _names(db, [m.person_id for m in members] + voted)
    public_key = None
    if members and all(m.public for m in members):
        public_key = b64url_encode(joint_public_key(ballot.vote_key, [_share(m) for m in members]))
    waiting = [m.person_id for m in members if member_id(m.person_id) in missing]
    return {
        "id": ballot.id,
        "sitting_id": ballot.sitting_id,
        "item_id": ballot.item_id,
        "vote_id": ballot.vote_key,
        "live_vote_id": ballot.live_vote_id,
        "kind": ballot.kind,
        "status": ballot.status,
        "threshold": ballot.threshold,
        "allow_revote": ballot.allow_revote,
        "definition": definition_of(ballot).to_json(),
        "public_key": public_key,
        "committee": [{"person_id": m.person_id, "member_id": member_id(m.person_id),
                       "full_name": names.get(m.person_id, ""),
                       "key_posted": m.public is not None,
                       "partial_posted": ballot.status == COUNTED or (
                           ballot.status == CLOSED and member_id(m.person_id) not in missing)}
                      for m in members],
        "waiting_for": [{"person_id": p, "full_name": names.get(p, "")} for p in waiting],
        "voted": [{"person_id": p, "full_name": names.get(p, "")} for p in voted],
        "turnout": len(voted),
        "voters_total": len(box.voters) if box else None,
        "board_head": board.head if board.entries else None,
        "board_entries": len(board.entries),
        "result": result_json(ballot, box.counts, state)
        if box is not None and box.counts is not None else None,
    }


def list_ballots(db: Session, principal: Principal, sitting_id: int) -> list[Ballot]:
    live_service.viewable_sitting(db, principal, sitting_id)
    return list(db.exec(select(Ballot).where(Ballot.sitting_id == sitting_id)
                        .order_by(col(Ballot.id))).all())


def tally_view(db: Session, ballot: Ballot) -> dict:
    """The encrypted tally each member's device decrypts its part of."""
    if ballot.status not in (CLOSED, COUNTED):
        raise BallotStateError(status=ballot.status)
    box = board_store.load_box(db, id_of(ballot))
    return {"vote_id": ballot.vote_key, "tally": b.encode_ciphertexts(box.tally),
            "missing_members": box.missing_members}


def receipt_view(db: Session, ballot: Ballot, receipt: str) -> dict:
    try:
        found = lookup_receipt(board_store.load_board(db, id_of(ballot)), receipt)
    except BallotError as exc:
        raise refused(exc) from exc
    return {"receipt": receipt, "index": found.entry.index, "hash": found.entry.hash,
            "voter_id": found.entry.body["voter_id"], "counted": found.counted}
