"""The minutes draft and the resolutions prepared from votes, for clerks.

Each handler turns HTTP into a call of ``server.services.minutes_draft`` or
``server.services.resolutions``; refusals are their problem+json errors.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from server.deps import STAFF_ONLY, CurrentPrincipal, SessionDep, StaffPrincipal, StoreDep
from server.errors import Forbidden
from server.live.store import get_sitting
from server.routes.common import AUTH_PROBLEMS, problems
from server.schemas.base import PathId, example
from server.services import meetings, minutes, minutes_draft, resolutions
from server.services.minutes_draft import MAX_SECTION_CHARS

router = APIRouter(tags=["minutes"])


class DraftSection(BaseModel):
    key: str
    heading: str
    text: str


class DraftRead(BaseModel):
    sitting_id: int
    state: str
    revision: int
    number: str | None
    document_id: int | None
    sections: list[DraftSection]


class DraftEdit(BaseModel):
    model_config = example({"revision": 2, "sections": {
        "conclusions": "Chủ tọa kết luận: giao UBND xã tổ chức thực hiện nghị quyết."}})

    revision: int = Field(ge=1)
    sections: dict[str, str] = Field(max_length=20)


class EditRead(BaseModel):
    revision: int
    action: str
    section_key: str
    heading: str
    before: str
    after: str
    username: str
    at: datetime


class ResolutionRead(BaseModel):
    sitting_id: int
    vote_id: str
    agenda_item_id: int
    draft_document_id: int
    document_id: int
    title: str
    status: str


def _read(db: Session, sitting_id: int) -> DraftRead:
    draft = minutes_draft.require_draft(db, sitting_id)
    entry = minutes.minutes_entry(db, sitting_id)
    return DraftRead(sitting_id=sitting_id, state=draft.state, revision=draft.revision,
                     number=minutes.minutes_number(db, sitting_id) if entry else None,
                     document_id=draft.document_id,
                     sections=[DraftSection(**s) for s in draft.sections])


@router.get("/sittings/{sitting_id}/minutes/draft", responses=AUTH_PROBLEMS,
            summary="The minutes draft of a sitting (clerk)", dependencies=[STAFF_ONLY])
def read_draft(sitting_id: PathId, db: SessionDep) -> DraftRead:
    return _read(db, sitting_id)


@router.post("/sittings/{sitting_id}/minutes/draft", status_code=201, responses=AUTH_PROBLEMS,
             summary="Make the minutes draft from the event log (once; again returns it)")
def start_draft(sitting_id: PathId, principal: StaffPrincipal, db: SessionDep) -> DraftRead:
    minutes_draft.start_draft(db, principal.account, sitting_id)
    db.commit()
    return _read(db, sitting_id)


@router.patch("/sittings/{sitting_id}/minutes/draft",
              responses={**AUTH_PROBLEMS, **problems(409)},
              summary=f"Change sections' text (each at most {MAX_SECTION_CHARS} characters); "
                      "409 when the revision is not the newest or the minutes are final/signed")
def edit_draft(sitting_id: PathId, body: DraftEdit, principal: StaffPrincipal,
               db: SessionDep) -> DraftRead:
    minutes_draft.edit_sections(db, principal.account, sitting_id, body.revision, body.sections)
    db.commit()
    return _read(db, sitting_id)


@router.get("/sittings/{sitting_id}/minutes/draft.pdf", response_class=Response,
            responses=AUTH_PROBLEMS, summary="Preview of the draft in the official PDF layout",
            dependencies=[STAFF_ONLY])
def preview(sitting_id: PathId, db: SessionDep) -> Response:
    pdf = minutes_draft.draft_document(db, sitting_id).render_pdf()
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="du-thao-bien-ban-{sitting_id}.pdf"',
        "Cache-Control": "no-store"})


@router.get("/sittings/{sitting_id}/minutes/history", responses=AUTH_PROBLEMS,
            summary="Every change of the draft, newest first", dependencies=[STAFF_ONLY])
def history(sitting_id: PathId, db: SessionDep) -> list[EditRead]:
    return [EditRead.model_validate(line.edit, from_attributes=True)
            for line in minutes_draft.history(db, sitting_id)]


@router.post("/sittings/{sitting_id}/minutes/number", responses={**AUTH_PROBLEMS, **problems(409)},
             summary="Number from the yearly register (BB-HĐND); asking again keeps it")
def number(sitting_id: PathId, principal: StaffPrincipal, db: SessionDep) -> DraftRead:
    minutes_draft.number(db, principal.account, sitting_id)
    db.commit()
    return _read(db, sitting_id)


@router.post("/sittings/{sitting_id}/minutes/finalise",
             responses={**AUTH_PROBLEMS, **problems(409)},
             summary="Store the numbered minutes as a PDF document (kind minutes) to be signed")
def finalise(sitting_id: PathId, principal: StaffPrincipal, db: SessionDep,
             store: StoreDep) -> DraftRead:
    minutes_draft.finalise(db, store, principal.account, sitting_id)
    db.commit()
    return _read(db, sitting_id)


@router.post("/sittings/{sitting_id}/minutes/reopen", responses={**AUTH_PROBLEMS, **problems(409)},
             summary="Edit final, unsigned minutes again")
def reopen(sitting_id: PathId, principal: StaffPrincipal, db: SessionDep) -> DraftRead:
    minutes_draft.reopen(db, principal.account, sitting_id)
    db.commit()
    return _read(db, sitting_id)


def _resolution(row, document) -> ResolutionRead:
    return ResolutionRead(sitting_id=row.sitting_id, vote_id=row.vote_id,
                          agenda_item_id=row.agenda_item_id,
                          draft_document_id=row.draft_document_id, document_id=row.document_id,
                          title=document.title, status=row.status)


@router.get("/sittings/{sitting_id}/resolutions", responses=AUTH_PROBLEMS,
            summary="Resolutions prepared from the sitting's passed votes", dependencies=[STAFF_ONLY])
def sitting_resolutions(sitting_id: PathId, db: SessionDep) -> list[ResolutionRead]:
    get_sitting(db, sitting_id)
    return [_resolution(r, d) for r, d in resolutions.for_sitting(db, sitting_id)]


@router.post("/sittings/{sitting_id}/resolutions/prepare", responses=AUTH_PROBLEMS,
             summary="Prepare the resolution of every passed vote on a draft (idempotent)")
def prepare_resolutions(sitting_id: PathId, principal: StaffPrincipal, db: SessionDep,
                        store: StoreDep) -> list[ResolutionRead]:
    get_sitting(db, sitting_id)
    resolutions.prepare_passed(db, store, principal.account, sitting_id)
    return [_resolution(r, d) for r, d in resolutions.for_sitting(db, sitting_id)]


@router.get("/resolutions/awaiting-signature", responses=AUTH_PROBLEMS,
            summary="Resolutions waiting for the chair's signature (\"Chờ ký\")")
def awaiting(principal: CurrentPrincipal, db: SessionDep) -> list[ResolutionRead]:
    """Clerks see all; a chair (or vice-chair) sees those of the bodies they chair."""
    if not principal.is_staff and not principal.chairs:
        raise Forbidden()
    rows = resolutions.awaiting_signature(db)
    if not principal.is_staff:
        rows = [(r, d) for r, d in rows
                if meetings.get_session(db, d.session_id).body_id in principal.chairs]
    return [_resolution(r, d) for r, d in rows]
