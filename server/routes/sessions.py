from __future__ import annotations

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from server.deps import CurrentPrincipal, EngineDep, SessionDep, StaffPrincipal, TokenDep
from server.errors import Forbidden
from server.models import SessionOfficerRole, SessionStatus
from server.routes.common import AUTH_PROBLEMS
from server.schemas.base import PathId
from server.schemas.meeting import (
    AgendaItemCreate,
    AgendaItemRead,
    AgendaItemUpdate,
    AgendaMove,
    AttendanceSet,
    AttendanceSummary,
    OfficerRead,
    OfficerSet,
    SessionCreate,
    SessionRead,
    SessionUpdate,
)
from server.security.policy import (
    can_manage_attendance,
    require_staff,
    require_view_session,
)
from server.services import hot_reads, meetings

router = APIRouter(tags=["sessions"])


@router.get("/sessions", response_model=list[SessionRead], responses=AUTH_PROBLEMS,
            summary="Sessions the caller may see, newest first")
async def list_sessions(engine: EngineDep, token: TokenDep) -> Response:
    # a hot read: from memory on the event loop when it can (services/hot_reads.py)
    found = hot_reads.sessions_from_memory(engine, token) if token else None
    if found is None:
        found = await run_in_threadpool(hot_reads.sessions, engine, token)
    return Response(found, media_type="application/json")


@router.post("/sessions", response_model=SessionRead, status_code=201, responses=AUTH_PROBLEMS,
             summary="Create a session in draft (clerk)")
def create_session(data: SessionCreate, principal: StaffPrincipal,
                   db: SessionDep) -> SessionRead:
    session = meetings.create_session(db, principal.account, data)
    db.commit()
    return SessionRead.model_validate(session)


@router.get("/sessions/{session_id}", response_model=SessionRead, responses=AUTH_PROBLEMS)
def get_session(session_id: PathId, principal: CurrentPrincipal, db: SessionDep) -> SessionRead:
    session = meetings.get_session(db, session_id)
    require_view_session(db, principal, session)
    return SessionRead.model_validate(session)


@router.patch("/sessions/{session_id}", response_model=SessionRead, responses=AUTH_PROBLEMS,
              summary="Edit a session before it starts (clerk)")
def update_session(session_id: PathId, data: SessionUpdate, principal: StaffPrincipal,
                   db: SessionDep) -> SessionRead:
    session = meetings.update_session(db, principal.account, meetings.get_session(db, session_id),
                                      data)
    db.commit()
    return SessionRead.model_validate(session)


def _status_route(target: SessionStatus, summary: str):
    def change(session_id: PathId, principal: CurrentPrincipal, db: SessionDep) -> SessionRead:
        require_staff(principal)
        session = meetings.change_status(db, principal.account,
                                         meetings.get_session(db, session_id), target)
        db.commit()
        return SessionRead.model_validate(session)

    change.__doc__ = summary
    return change


for _name, _target, _summary in (
    ("publish", SessionStatus.published, "Publish the session to its members (clerk)"),
    ("unpublish", SessionStatus.draft, "Take a published session back to draft (clerk)"),
    ("start", SessionStatus.in_progress, "Mark the session as in progress (clerk)"),
    ("close", SessionStatus.closed, "Close the session (clerk)"),
):
    router.add_api_route(f"/sessions/{{session_id}}/{_name}", _status_route(_target, _summary),
                         methods=["POST"], response_model=SessionRead, responses=AUTH_PROBLEMS,
                         summary=_summary, name=f"session_{_name}")


@router.get("/sessions/{session_id}/agenda", response_model=list[AgendaItemRead],
            responses=AUTH_PROBLEMS, summary="The agenda as a numbered tree")
async def get_agenda(session_id: PathId, engine: EngineDep, token: TokenDep) -> Response:
    # a hot read: from memory on the event loop when it can (services/hot_reads.py)
    found = hot_reads.agenda_from_memory(engine, token, session_id) if token else None
    if found is None:
        found = await run_in_threadpool(hot_reads.agenda, engine, token, session_id)
    return Response(found, media_type="application/json")


@router.post("/sessions/{session_id}/agenda", response_model=list[AgendaItemRead],
             status_code=201, responses=AUTH_PROBLEMS,
             summary="Add an agenda item at the end of its parent (clerk)")
def add_agenda_item(session_id: PathId, data: AgendaItemCreate, principal: StaffPrincipal,
                    db: SessionDep) -> list[AgendaItemRead]:
    meetings.add_item(db, principal.account, meetings.get_session(db, session_id), data)
    db.commit()
    return meetings.agenda_tree(db, session_id)


@router.patch("/agenda-items/{item_id}", response_model=list[AgendaItemRead],
              responses=AUTH_PROBLEMS, summary="Edit an agenda item (clerk)")
def update_agenda_item(item_id: PathId, data: AgendaItemUpdate, principal: StaffPrincipal,
                       db: SessionDep) -> list[AgendaItemRead]:
    item = meetings.get_item(db, item_id)
    meetings.update_item(db, principal.account, meetings.get_session(db, item.session_id), item,
                         data)
    db.commit()
    return meetings.agenda_tree(db, item.session_id)


@router.post("/agenda-items/{item_id}/move", response_model=list[AgendaItemRead],
             responses=AUTH_PROBLEMS, summary="Move an item: reorder or nest (clerk)")
def move_agenda_item(item_id: PathId, data: AgendaMove, principal: StaffPrincipal,
                     db: SessionDep) -> list[AgendaItemRead]:
    item = meetings.get_item(db, item_id)
    meetings.move_item(db, principal.account, meetings.get_session(db, item.session_id), item,
                       data)
    db.commit()
    return meetings.agenda_tree(db, item.session_id)


@router.delete("/agenda-items/{item_id}", status_code=204, responses=AUTH_PROBLEMS,
               summary="Delete an agenda item without sub-items (clerk)")
def delete_agenda_item(item_id: PathId, principal: StaffPrincipal, db: SessionDep) -> None:
    item = meetings.get_item(db, item_id)
    meetings.delete_item(db, principal.account, meetings.get_session(db, item.session_id), item)
    db.commit()


@router.get("/sessions/{session_id}/officers", response_model=list[OfficerRead],
            responses=AUTH_PROBLEMS, summary="Chair, secretary and invited officials")
def list_officers(session_id: PathId, principal: CurrentPrincipal,
                  db: SessionDep) -> list[OfficerRead]:
    require_view_session(db, principal, meetings.get_session(db, session_id))
    return [OfficerRead(person_id=p.id, full_name=p.full_name, role=o.role)
            for o, p in meetings.officers(db, session_id)]


@router.post("/sessions/{session_id}/officers", response_model=list[OfficerRead],
             status_code=201, responses=AUTH_PROBLEMS, summary="Name an officer (clerk)")
def add_officer(session_id: PathId, data: OfficerSet, principal: StaffPrincipal,
                db: SessionDep) -> list[OfficerRead]:
    meetings.set_officer(db, principal.account, meetings.get_session(db, session_id),
                         data.person_id, data.role)
    db.commit()
    return list_officers(session_id, principal, db)


@router.delete("/sessions/{session_id}/officers/{role}/{person_id}", status_code=204,
               responses=AUTH_PROBLEMS, summary="Remove an officer (clerk)")
def remove_officer(session_id: PathId, role: SessionOfficerRole, person_id: PathId,
                   principal: StaffPrincipal, db: SessionDep) -> None:
    meetings.remove_officer(db, principal.account, meetings.get_session(db, session_id),
                            person_id, role)
    db.commit()


@router.get("/sessions/{session_id}/attendance", response_model=AttendanceSummary,
            responses=AUTH_PROBLEMS, summary="Attendance and quorum")
def get_attendance(session_id: PathId, principal: CurrentPrincipal,
                   db: SessionDep) -> AttendanceSummary:
    session = meetings.get_session(db, session_id)
    require_view_session(db, principal, session)
    return meetings.attendance(db, session)


@router.put("/sessions/{session_id}/attendance/{person_id}", response_model=AttendanceSummary,
            responses=AUTH_PROBLEMS,
            summary="Mark a member present, absent or excused (clerk, chair, secretary)")
def set_attendance(session_id: PathId, person_id: PathId, data: AttendanceSet,
                   principal: CurrentPrincipal, db: SessionDep) -> AttendanceSummary:
    session = meetings.get_session(db, session_id)
    require_view_session(db, principal, session)
    if not can_manage_attendance(db, principal, session):
        raise Forbidden()
    meetings.set_attendance(db, principal.account, session, person_id, data)
    db.commit()
    return meetings.attendance(db, session)
