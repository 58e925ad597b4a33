"""REST side of the verifiable secret ballot (docs/ballot.md, "HTTP flow").

Thin: each route runs one ``server.ballot.service`` call in a worker thread (it opens its
own transaction under the sitting's lock), then hands the live events it committed to
the hub's fan-out so every tablet and the projector see them.
"""

from __future__ import annotations

from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Body, Path
from sqlmodel import Session

from server.ballot import live, service
from server.ballot.service import BallotSpec, Change, SurveyFacts
from server.deps import CurrentPrincipal, DetachedPrincipal, HubDep, SessionDep
from server.live.hub import SittingHub
from server.models.base import id_of
from server.routes.common import AUTH_PROBLEMS, problems
from server.schemas.ballot import (
    BallotCreate,
    BallotCreated,
    BallotRead,
    BoardRead,
    CastAnswer,
    KeySharePost,
    OpenBallot,
    PartialPost,
    ReceiptRead,
    TallyRead,
)
from server.schemas.base import PathId
from shared.live.state import SittingState
from shared.live.voting import Candidate

router = APIRouter(tags=["secret ballot"])
FLOW_PROBLEMS = problems(401, 403, 404, 409, 422)


async def _cached(hub: SittingHub, sitting_id: int) -> SittingState | None:
    """The hub's state as a starting point (the service catches up under the lock)."""
    try:
        state, _events = await hub.current(sitting_id)
    except Exception:  # the service loads from the database instead
        return None
    return state


async def _done(hub: SittingHub, change: Change) -> dict:
    await live.publish(hub, change.ballot.sitting_id, change.events)
    return await _view(hub, id_of(change.ballot))


async def _view(hub: SittingHub, ballot_id: int) -> dict:
    engine = hub.engine

    def sitting() -> int:
        with Session(engine) as db:
            return service.get_ballot(db, ballot_id).sitting_id

    state = await _cached(hub, await to_thread.run_sync(sitting))

    def view() -> dict:
        with Session(engine) as db:
            return service.ballot_view(db, service.get_ballot(db, ballot_id), state)

    return await to_thread.run_sync(view)


@router.post("/sittings/{sitting_id}/ballots", response_model=BallotCreated, status_code=201,
             responses=FLOW_PROBLEMS,
             summary="Set up a verifiable secret ballot and its vote-counting committee (chair)")
async def create_ballot(sitting_id: PathId, data: BallotCreate, principal: DetachedPrincipal,
                        hub: HubDep) -> dict:
    subjects = [Candidate(candidate_id=s.candidate_id, full_name=s.full_name,
                          person_id=s.person_id) for s in data.candidates]
    facts = {s.candidate_id: SurveyFacts(s.elected_on, s.retirement_announced)
             for s in data.candidates}
    spec = BallotSpec(item_id=data.item_id, kind=data.kind, title=data.title,
                      subjects=subjects, committee=data.committee,
                      max_choices=data.max_choices, min_choices=data.min_choices,
                      threshold=data.threshold, allow_revote=data.allow_revote,
                      committee_vote_id=data.committee_vote_id, survey_facts=facts)
    cached = await _cached(hub, sitting_id)
    change = await to_thread.run_sync(service.create_ballot, hub.engine, principal,
                                      sitting_id, spec, cached)
    view = await _done(hub, change)
    # departures from the rules (commune council survey, outside the window, committee
    # not elected): the chair sees them with their source, and they are in the audit log
    view["warnings"] = [w.to_json() for w in change.warnings]
    return view


@router.get("/sittings/{sitting_id}/ballots", response_model=list[BallotRead],
            responses=AUTH_PROBLEMS,
            summary="Verifiable secret ballots of a sitting")
def list_ballots(sitting_id: PathId, principal: CurrentPrincipal, db: SessionDep) -> list[dict]:
    return [service.ballot_view(db, b) for b in service.list_ballots(db, principal, sitting_id)]


@router.get("/ballots/{ballot_id}", response_model=BallotRead, responses=AUTH_PROBLEMS,
            summary="A ballot: form, public key, committee, who voted, state, result")
async def get_ballot(ballot_id: PathId, principal: DetachedPrincipal, hub: HubDep) -> dict:
    await to_thread.run_sync(service.sitting_of, hub.engine, principal, ballot_id)
    return await _view(hub, ballot_id)


@router.post("/ballots/{ballot_id}/key-share", response_model=BallotRead,
             responses=FLOW_PROBLEMS,
             summary="A committee member's device sends its public key share and proof")
async def post_key_share(ballot_id: PathId, data: KeySharePost, principal: DetachedPrincipal,
                         hub: HubDep) -> dict:
    change = await to_thread.run_sync(service.post_key_share, hub.engine, principal,
                                      ballot_id, data.public, data.proof)
    return await _done(hub, change)


@router.post("/ballots/{ballot_id}/open", response_model=BallotRead, responses=FLOW_PROBLEMS,
             summary="Open the ballot: publish the board's setup and the live vote (chair)")
async def open_ballot(ballot_id: PathId, principal: DetachedPrincipal, hub: HubDep,
                      data: OpenBallot | None = None) -> dict:
    engine = hub.engine
    sitting_id = await to_thread.run_sync(service.sitting_of, engine, principal, ballot_id)
    cached = await _cached(hub, sitting_id)
    reason = data.quorum_override_reason if data else None
    change = await to_thread.run_sync(service.open_ballot, engine, principal, ballot_id,
                                      reason, cached)
    return await _done(hub, change)


@router.post("/ballots/{ballot_id}/cast", response_model=CastAnswer, responses=FLOW_PROBLEMS,
             summary="Cast an encrypted ballot made on the tablet; answers its receipt")
async def cast_ballot(ballot_id: PathId, principal: DetachedPrincipal, hub: HubDep,
                      ballot: Annotated[dict, Body(examples=[{
                          "format": "hdnd-ballot/1", "vote_id": "hdnd-1-0f3a",
                          "voter_id": "17", "boxes": [], "groups": []}])]) -> CastAnswer:
    engine = hub.engine
    sitting_id = await to_thread.run_sync(service.sitting_of, engine, principal, ballot_id)
    cached = await _cached(hub, sitting_id)
    change = await to_thread.run_sync(service.cast, engine, principal, ballot_id, ballot, cached)
    await live.publish(hub, sitting_id, change.events)
    assert change.receipt is not None
    return CastAnswer(receipt=change.receipt, ballot={"id": ballot_id, "status": "open"})


@router.post("/ballots/{ballot_id}/close", response_model=BallotRead, responses=FLOW_PROBLEMS,
             summary="Stop casting and publish the encrypted tally (chair)")
async def close_ballot(ballot_id: PathId, principal: DetachedPrincipal, hub: HubDep) -> dict:
    change = await to_thread.run_sync(service.close, hub.engine, principal, ballot_id)
    return await _done(hub, change)


@router.get("/ballots/{ballot_id}/tally", response_model=TallyRead, responses=FLOW_PROBLEMS,
            summary="The encrypted tally the committee members decrypt their part of")
def get_tally(ballot_id: PathId, principal: CurrentPrincipal, db: SessionDep) -> dict:
    return service.tally_view(db, service.viewable_ballot(db, principal, ballot_id))


@router.post("/ballots/{ballot_id}/partial-decryption", response_model=BallotRead,
             responses=FLOW_PROBLEMS,
             summary="A committee member's partial decryption; the last one publishes the result")
async def post_partial(ballot_id: PathId, data: PartialPost, principal: DetachedPrincipal,
                       hub: HubDep) -> dict:
    engine = hub.engine
    sitting_id = await to_thread.run_sync(service.sitting_of, engine, principal, ballot_id)
    cached = await _cached(hub, sitting_id)
    change = await to_thread.run_sync(service.add_partial, engine, principal, ballot_id,
                                      data.shares, data.proofs, cached)
    return await _done(hub, change)


@router.get("/ballots/{ballot_id}/board", response_model=BoardRead, responses=AUTH_PROBLEMS,
            summary="The public bulletin board (BOARD.json for `hdnd ballot verify`)")
def get_board(ballot_id: PathId, principal: CurrentPrincipal, db: SessionDep) -> dict:
    from server.ballot.board_store import load_board

    return load_board(db, id_of(service.viewable_ballot(db, principal, ballot_id))).to_json()


@router.get("/ballots/{ballot_id}/receipts/{receipt}", response_model=ReceiptRead,
            responses=AUTH_PROBLEMS,
            summary="Find a receipt on the board: its entry and whether it still counts")
def get_receipt(ballot_id: PathId, receipt: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")],
                principal: CurrentPrincipal, db: SessionDep) -> dict:
    return service.receipt_view(db, service.viewable_ballot(db, principal, ballot_id), receipt)
