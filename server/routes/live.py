"""REST side of the live sitting: create and list sittings, read state and events, send
commands without a websocket, and the public read-only view."""

from __future__ import annotations

from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Body, Query, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from server.deps import PORTAL, CurrentPrincipal, DetachedPrincipal, HubDep, SessionDep
from server.live import service, sitting_details
from server.live.recorder import Caller
from server.models.live import Sitting
from server.routes.common import AUTH_PROBLEMS, problems
from server.schemas.base import MAX_ID, PathId
from server.schemas.live import SittingCreate, SittingRead, SittingView
from server.security.principal import Principal
from server.tenancy import address, scoping
from server.tenancy.scope import Scope
from shared.live.events import Event
from shared.live.protocol import Ack
from shared.live.redaction import public_state, public_view, redact_for, redact_state
from shared.live.roster import Actor
from shared.live.state import SittingState

router = APIRouter(tags=["live sitting"])

_COMMAND_EXAMPLE = {"key": "5f0c1a9e-7d2b-4c61-9a1e-3b8f2d6c4e10", "type": "cast_vote",
                    "vote_id": "v19", "choice": "yes"}


def _viewer(principal, state) -> Actor:
    return Actor.of(state.roster, principal.person_id if principal.person_id else -1)


@router.post("/sessions/{session_id}/sittings", response_model=SittingRead, status_code=201,
             responses=AUTH_PROBLEMS, summary="Create a sitting of a session (clerk or chair)")
def create_sitting(session_id: PathId, data: SittingCreate, principal: CurrentPrincipal,
                   db: SessionDep) -> SittingRead:
    sitting = service.create_sitting(db, principal, session_id, data.title, data.scheduled_at,
                                     data.place)
    db.commit()
    return SittingRead.of(sitting)


@router.patch("/sittings/{sitting_id}", response_model=SittingRead,
              responses={**AUTH_PROBLEMS, **problems(409, 422)},
              summary="Change a sitting's title, time or place until it is held (clerk or chair)")
def update_sitting(sitting_id: PathId, data: sitting_details.SittingDetails,
                   principal: CurrentPrincipal, db: SessionDep) -> SittingRead:
    sitting = sitting_details.update_sitting(db, principal, sitting_id, data)
    db.commit()
    return SittingRead.of(sitting)


@router.get("/sessions/{session_id}/sittings", response_model=list[SittingRead],
            responses=AUTH_PROBLEMS, summary="Sittings of a session")
def list_sittings(session_id: PathId, principal: CurrentPrincipal,
                  db: SessionDep) -> list[SittingRead]:
    return [SittingRead.of(s) for s in service.list_sittings(db, principal, session_id)]


def _check_view(engine: Engine, principal: Principal, sitting_id: int) -> Sitting:
    """In a short session of its own, run in a worker thread: the route then awaits the hub
    without holding a pooled connection (see ``get_detached_principal``)."""
    with Session(engine, expire_on_commit=False) as db:
        scoping.enter(db, principal.scope)  # another council's sitting: not found
        return service.viewable_sitting(db, principal, sitting_id)


@router.get("/sittings/{sitting_id}", response_model=SittingView, responses=AUTH_PROBLEMS,
            summary="The sitting and its live state as the caller may see it")
async def get_sitting(sitting_id: PathId, principal: DetachedPrincipal,
                      hub: HubDep) -> SittingView:
    sitting = await to_thread.run_sync(_check_view, hub.engine, principal, sitting_id)
    state, _events = await hub.current(sitting_id)
    return SittingView(sitting=SittingRead.of(sitting),
                       state=redact_state(state, _viewer(principal, state)))


@router.get("/sittings/{sitting_id}/events", response_model=list[Event], responses=AUTH_PROBLEMS,
            summary="Events after seq N, as the caller may see them")
async def list_events(sitting_id: PathId, principal: DetachedPrincipal, hub: HubDep,
                      after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0) -> list[Event]:
    await to_thread.run_sync(_check_view, hub.engine, principal, sitting_id)
    state, events = await hub.current(sitting_id)
    viewer = _viewer(principal, state)
    return [redact_for(e, viewer) for e in events[after:]]


@router.post("/sittings/{sitting_id}/commands", response_model=Ack,
             responses=problems(401, 403, 404, 409, 422),
             summary="Send a command (the same as over the websocket)")
async def send_command(sitting_id: PathId, principal: DetachedPrincipal, hub: HubDep,
                       command: Annotated[dict, Body(examples=[_COMMAND_EXAMPLE])]) -> Ack:
    await to_thread.run_sync(_check_view, hub.engine, principal, sitting_id)
    return await service.send_command(
        hub, sitting_id, command,
        Caller(person_id=principal.person_id, account_id=principal.account.id))


@router.get("/sittings/{sitting_id}/public", dependencies=[PORTAL], response_model=SittingState,
            summary="What the public and the projector see", responses=problems(404))
async def public_sitting(sitting_id: PathId, hub: HubDep, request: Request) -> SittingState:
    await _check_public(hub.engine, address.council_of_request(request), sitting_id)
    state, _events = await hub.current(sitting_id)
    return public_state(state)


@router.get("/sittings/{sitting_id}/public/events", dependencies=[PORTAL], response_model=list[Event],
            responses=problems(404), summary="Public events after seq N")
async def public_events(sitting_id: PathId, hub: HubDep, request: Request,
                        after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0) -> list[Event]:
    await _check_public(hub.engine, address.council_of_request(request), sitting_id)
    _state, events = await hub.current(sitting_id)
    return [public_view(e) for e in events[after:]]


async def _check_public(engine: Engine, council_id: int, sitting_id: int) -> None:
    """404 once the session is taken back to draft (the public no longer follows it), and
    for another council than the one the address names."""

    def check() -> None:
        with Session(engine) as db:
            scoping.enter(db, Scope.of_council(council_id))
            service.public_sitting(db, sitting_id)

    await to_thread.run_sync(check)
