"""REST side of the verifiable secret ballot (docs/ballot.md, "HTTP flow").

Thin: each route runs one ``server.ballot.service`` call in a worker thread (it opens its
own transaction under the sitting's lock), then hands the live events it committed to
the hub's fan-out so every tablet and the projector see them.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from anyio import to_thread
from fastapi import APIRouter, Body, Path, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from server.ballot import live, service
from server.ballot.service import BallotSpec, Change, SurveyFacts
from server.deps import CurrentPrincipal, SessionDep, release_connection
from server.live.hub import SittingHub
from server.models.base import id_of
from server.routes.common import AUTH_PROBLEMS, problems
from server.schemas.base import DbId, PathId, example
from shared.live.state import SittingState
from shared.live.voting import Candidate, ThresholdRule

router = APIRouter(tags=["secret ballot"])
FLOW_PROBLEMS = problems(401, 403, 404, 409, 422)

_B64 = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_-]+$")


class BallotSubject(Candidate):
    """A candidate or official; for a survey, what Điều 2 khoản 5 of NQ 96 needs to know."""

    elected_on: date | None = None
    retirement_announced: bool = False


class BallotCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "item_id": 3, "kind": "election", "title": "Bầu Phó Chủ tịch HĐND",
        "candidates": [{"candidate_id": "12", "full_name": "Nguyễn Văn A"},
                       {"candidate_id": "13", "full_name": "Lò Thị B"}],
        "max_choices": 1, "committee": [5, 6, 7]}]})
    item_id: DbId
    # election; confidence: the survey (lấy phiếu tín nhiệm); confidence_vote: bỏ phiếu tín nhiệm
    kind: Literal["election", "confidence", "confidence_vote"]
    title: str = Field(min_length=1, max_length=2000)
    candidates: list[BallotSubject] = Field(min_length=1, max_length=200)
    committee: list[DbId] = Field(min_length=1, max_length=15)
    # the live vote by which the council elected the committee (docs/rules.md)
    committee_vote_id: str | None = Field(default=None, max_length=40)
    max_choices: int = Field(default=1, ge=1, le=200)
    min_choices: int = Field(default=0, ge=0, le=200)
    # fixed by law from the kind; a different one is refused (threshold_fixed_by_law)
    threshold: ThresholdRule | None = None
    allow_revote: bool = False


class KeySharePost(BaseModel):
    model_config = example({"public": "4tYq3rVv…", "proof": "Qm9v…"})
    public: Annotated[str, _B64]
    proof: Annotated[str, _B64]


class OpenBallot(BaseModel):
    model_config = example({"quorum_override_reason": None})
    quorum_override_reason: str | None = Field(default=None, max_length=1000)


class PartialPost(BaseModel):
    model_config = example({"shares": ["8a1c…", "2f9e…"], "proofs": ["c0ff…", "d00d…"]})
    shares: list[Annotated[str, _B64]] = Field(max_length=2000)
    proofs: list[Annotated[str, _B64]] = Field(max_length=2000)


class CastAnswer(BaseModel):
    receipt: str
    ballot: dict[str, Any]


def _hub(request: Request) -> SittingHub:
    return request.app.state.hub


async def _cached(request: Request, sitting_id: int) -> SittingState | None:
    """The hub's state as a starting point (the service catches up under the lock)."""
    try:
        state, _events = await _hub(request).current(sitting_id)
    except Exception:  # the service loads from the database instead
        return None
    return state


async def _done(request: Request, change: Change) -> dict:
    await live.publish(_hub(request), change.ballot.sitting_id, change.events)
    return await _view(request, id_of(change.ballot))


async def _view(request: Request, ballot_id: int) -> dict:

    engine = _hub(request).engine

    def sitting() -> int:
        with Session(engine) as db:
            return service.get_ballot(db, ballot_id).sitting_id

    state = await _cached(request, await to_thread.run_sync(sitting))

    def view() -> dict:
        with Session(engine) as db:
            return service.ballot_view(db, service.get_ballot(db, ballot_id), state)

    return await to_thread.run_sync(view)


@router.post("/sittings/{sitting_id}/ballots", status_code=201, responses=FLOW_PROBLEMS,
             summary="Set up a verifiable secret ballot and its vote-counting committee (chair)")
async def create_ballot(sitting_id: PathId, data: BallotCreate, request: Request,
                        principal: CurrentPrincipal,
        db: SessionDep) -> dict:
    release_connection(db)
    subjects = [Candidate(candidate_id=s.candidate_id, full_name=s.full_name,
                          person_id=s.person_id) for s in data.candidates]
    facts = {s.candidate_id: SurveyFacts(s.elected_on, s.retirement_announced)
             for s in data.candidates}
    spec = BallotSpec(item_id=data.item_id, kind=data.kind, title=data.title,
                      subjects=subjects, committee=data.committee,
                      max_choices=data.max_choices, min_choices=data.min_choices,
                      threshold=data.threshold, allow_revote=data.allow_revote,
                      committee_vote_id=data.committee_vote_id, survey_facts=facts)
    cached = await _cached(request, sitting_id)
    change = await to_thread.run_sync(service.create_ballot, _hub(request).engine, principal,
                                      sitting_id, spec, cached)
    view = await _done(request, change)
    # departures from the rules (commune council survey, outside the window, committee
    # not elected): the chair sees them with their source, and they are in the audit log
    view["warnings"] = [w.to_json() for w in change.warnings]
    return view


@router.get("/sittings/{sitting_id}/ballots", responses=AUTH_PROBLEMS,
            summary="Verifiable secret ballots of a sitting")
def list_ballots(sitting_id: PathId, principal: CurrentPrincipal, db: SessionDep) -> list[dict]:
    return [service.ballot_view(db, b) for b in service.list_ballots(db, principal, sitting_id)]


@router.get("/ballots/{ballot_id}", responses=AUTH_PROBLEMS,
            summary="A ballot: form, public key, committee, who voted, state, result")
async def get_ballot(ballot_id: PathId, request: Request, principal: CurrentPrincipal,
        db: SessionDep) -> dict:
    release_connection(db)
    await to_thread.run_sync(service.sitting_of, _hub(request).engine, principal, ballot_id)
    return await _view(request, ballot_id)


@router.post("/ballots/{ballot_id}/key-share", responses=FLOW_PROBLEMS,
             summary="A committee member's device sends its public key share and proof")
async def post_key_share(ballot_id: PathId, data: KeySharePost, request: Request,
                         principal: CurrentPrincipal,
        db: SessionDep) -> dict:
    release_connection(db)
    change = await to_thread.run_sync(service.post_key_share, _hub(request).engine, principal,
                                      ballot_id, data.public, data.proof)
    return await _done(request, change)


@router.post("/ballots/{ballot_id}/open", responses=FLOW_PROBLEMS,
             summary="Open the ballot: publish the board's setup and the live vote (chair)")
async def open_ballot(ballot_id: PathId, request: Request, principal: CurrentPrincipal,
        db: SessionDep,
                      data: OpenBallot | None = None) -> dict:
    release_connection(db)
    engine = _hub(request).engine
    sitting_id = await to_thread.run_sync(service.sitting_of, engine, principal, ballot_id)
    cached = await _cached(request, sitting_id)
    reason = data.quorum_override_reason if data else None
    change = await to_thread.run_sync(service.open_ballot, engine, principal, ballot_id,
                                      reason, cached)
    return await _done(request, change)


@router.post("/ballots/{ballot_id}/cast", response_model=CastAnswer, responses=FLOW_PROBLEMS,
             summary="Cast an encrypted ballot made on the tablet; answers its receipt")
async def cast_ballot(ballot_id: PathId, request: Request, principal: CurrentPrincipal,
                      db: SessionDep,
                      ballot: Annotated[dict, Body(examples=[{
                          "format": "hdnd-ballot/1", "vote_id": "hdnd-1-0f3a",
                          "voter_id": "17", "boxes": [], "groups": []}])]) -> CastAnswer:
    release_connection(db)
    engine = _hub(request).engine
    sitting_id = await to_thread.run_sync(service.sitting_of, engine, principal, ballot_id)
    cached = await _cached(request, sitting_id)
    change = await to_thread.run_sync(service.cast, engine, principal, ballot_id, ballot, cached)
    await live.publish(_hub(request), sitting_id, change.events)
    assert change.receipt is not None
    return CastAnswer(receipt=change.receipt, ballot={"id": ballot_id, "status": "open"})


@router.post("/ballots/{ballot_id}/close", responses=FLOW_PROBLEMS,
             summary="Stop casting and publish the encrypted tally (chair)")
async def close_ballot(ballot_id: PathId, request: Request, principal: CurrentPrincipal,
        db: SessionDep) -> dict:
    release_connection(db)
    change = await to_thread.run_sync(service.close, _hub(request).engine, principal, ballot_id)
    return await _done(request, change)


@router.get("/ballots/{ballot_id}/tally", responses=FLOW_PROBLEMS,
            summary="The encrypted tally the committee members decrypt their part of")
def get_tally(ballot_id: PathId, principal: CurrentPrincipal, db: SessionDep) -> dict:
    return service.tally_view(db, service.viewable_ballot(db, principal, ballot_id))


@router.post("/ballots/{ballot_id}/partial-decryption", responses=FLOW_PROBLEMS,
             summary="A committee member's partial decryption; the last one publishes the result")
async def post_partial(ballot_id: PathId, data: PartialPost, request: Request,
                       principal: CurrentPrincipal,
        db: SessionDep) -> dict:
    release_connection(db)
    engine = _hub(request).engine
    sitting_id = await to_thread.run_sync(service.sitting_of, engine, principal, ballot_id)
    cached = await _cached(request, sitting_id)
    change = await to_thread.run_sync(service.add_partial, engine, principal, ballot_id,
                                      data.shares, data.proofs, cached)
    return await _done(request, change)


@router.get("/ballots/{ballot_id}/board", responses=AUTH_PROBLEMS,
            summary="The public bulletin board (BOARD.json for `hdnd ballot verify`)")
def get_board(ballot_id: PathId, principal: CurrentPrincipal, db: SessionDep) -> dict:
    from server.ballot.board_store import load_board

    return load_board(db, id_of(service.viewable_ballot(db, principal, ballot_id))).to_json()


@router.get("/ballots/{ballot_id}/receipts/{receipt}", responses=AUTH_PROBLEMS,
            summary="Find a receipt on the board: its entry and whether it still counts")
def get_receipt(ballot_id: PathId, receipt: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")],
                principal: CurrentPrincipal, db: SessionDep) -> dict:
    return service.receipt_view(db, service.viewable_ballot(db, principal, ballot_id), receipt)
