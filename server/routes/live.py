"""REST side of the live sitting: create and list sittings, read state and events, send
commands without a websocket, and the public read-only view."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlmodel import Session

from server.deps import CurrentPrincipal, SessionDep, release_connection
from server.live import service, sitting_details
from server.live.hub import SittingHub
from server.live.recorder import Caller
from server.models.live import Sitting
from server.routes.common import AUTH_PROBLEMS, problems
from server.schemas.base import MAX_ID, PathId
from shared.live.protocol import Ack
from shared.live.redaction import public_state, public_view, redact_for, redact_state
from shared.live.roster import Actor

router = APIRouter(tags=["live sitting"])

class SittingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"title": "Phiên họp sáng ngày 14/7/2026"}]})
    title: str = Field(min_length=1, max_length=300)
    scheduled_at: AwareDatetime | None = None
    place: str = Field(default="", max_length=300)


class SittingRead(BaseModel):
    id: int
    session_id: int
    title: str
    scheduled_at: Any = None
    place: str = ""
    status: str
    opened_at: Any = None
    closed_at: Any = None

    @classmethod
    def of(cls, sitting: Sitting) -> SittingRead:
        return cls.model_validate(sitting, from_attributes=True)


_COMMAND_EXAMPLE = {"key": "5f0c1a9e-7d2b-4c61-9a1e-3b8f2d6c4e10", "type": "cast_vote",
                    "vote_id": "v19", "choice": "yes"}


def _hub(request: Request) -> SittingHub:
    return request.app.state.hub


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


def _check_view(db: Session, principal, sitting_id: int) -> Sitting:
    return service.viewable_sitting(db, principal, sitting_id)


@router.get("/sittings/{sitting_id}", responses=AUTH_PROBLEMS,
            summary="The sitting and its live state as the caller may see it")
async def get_sitting(sitting_id: PathId, request: Request, principal: CurrentPrincipal,
                      db: SessionDep) -> dict:
    from anyio import to_thread

    sitting = await to_thread.run_sync(_check_view, db, principal, sitting_id)
    release_connection(db)
    state, _events = await _hub(request).current(sitting_id)
    return {"sitting": SittingRead.of(sitting).model_dump(mode="json"),
            "state": redact_state(state, _viewer(principal, state)).model_dump(mode="json")}


@router.get("/sittings/{sitting_id}/events", responses=AUTH_PROBLEMS,
            summary="Events after seq N, as the caller may see them")
async def list_events(sitting_id: PathId, request: Request, principal: CurrentPrincipal,
                      db: SessionDep, after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0) -> list[dict]:
    from anyio import to_thread

    await to_thread.run_sync(_check_view, db, principal, sitting_id)
    release_connection(db)
    state, events = await _hub(request).current(sitting_id)
    viewer = _viewer(principal, state)
    return [redact_for(e, viewer).model_dump(mode="json") for e in events[after:]]


@router.post("/sittings/{sitting_id}/commands", response_model=Ack,
             responses=problems(401, 403, 404, 409, 422),
             summary="Send a command (the same as over the websocket)")
async def send_command(sitting_id: PathId, request: Request, principal: CurrentPrincipal,
                       db: SessionDep,
                       command: Annotated[dict, Body(examples=[_COMMAND_EXAMPLE])]) -> Ack:
    from anyio import to_thread

    await to_thread.run_sync(_check_view, db, principal, sitting_id)
    release_connection(db)
    return await service.send_command(
        _hub(request), sitting_id, command,
        Caller(person_id=principal.person_id, account_id=principal.account.id))


@router.get("/sittings/{sitting_id}/public", summary="What the public and the projector see",
            responses=problems(404))
async def public_sitting(sitting_id: PathId, request: Request, db: SessionDep) -> dict:
    await _check_public(db, sitting_id)
    state, _events = await _hub(request).current(sitting_id)
    return public_state(state).model_dump(mode="json")


@router.get("/sittings/{sitting_id}/public/events", responses=problems(404),
            summary="Public events after seq N")
async def public_events(sitting_id: PathId, request: Request, db: SessionDep,
                        after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0) -> list[dict]:
    await _check_public(db, sitting_id)
    _state, events = await _hub(request).current(sitting_id)
    return [public_view(e).model_dump(mode="json") for e in events[after:]]


async def _check_public(db: Session, sitting_id: int) -> None:
    """404 once the session is taken back to draft: the public no longer follows it."""
    from anyio import to_thread

    await to_thread.run_sync(service.public_sitting, db, sitting_id)
    release_connection(db)
