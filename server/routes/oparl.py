"""``/api/oparl/v1/...``: the public data as OParl 1.1 objects, read-only, no sign-in.

See ``server.services.oparl`` for the mapping and docs/followup.md for the endpoints.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from server.deps import PORTAL, SessionDep
from server.routes.common import problems
from server.schemas.base import PathId
from server.services.oparl import OParl

router = APIRouter(prefix="/oparl/v1", tags=["OParl 1.1 (public)"], dependencies=[PORTAL])
PROBLEMS = problems(404, 422)
Page = Query(1, ge=1, le=100_000, description="1-based page of 50 objects")
Json = dict[str, Any]


def _oparl(request: Request, db: SessionDep) -> OParl:
    return OParl(db, str(request.base_url))


@router.get("/system", summary="The OParl System object (entry point)")
def system(request: Request, db: SessionDep) -> Json:
    return _oparl(request, db).system()


@router.get("/body", summary="Bodies: the council", responses=PROBLEMS)
def bodies(request: Request, db: SessionDep, page: int = Page) -> Json:
    return _oparl(request, db).bodies(page)


@router.get("/body/{body_id}", summary="One body (the council)", responses=PROBLEMS)
def body(body_id: PathId, request: Request, db: SessionDep) -> Json:
    return _oparl(request, db).body_by_id(body_id)


@router.get("/legislativeTerm/{term_id}", summary="A term of office", responses=PROBLEMS)
def legislative_term(term_id: PathId, request: Request, db: SessionDep) -> Json:
    return _oparl(request, db).term_by_id(term_id)


@router.get("/organization", summary="Organizations: Standing Committee, committees, groups",
            responses=PROBLEMS)
def organizations(request: Request, db: SessionDep, page: int = Page) -> Json:
    return _oparl(request, db).organizations(page)


@router.get("/organization/{organization_id}", summary="One organization", responses=PROBLEMS)
def organization(organization_id: PathId, request: Request, db: SessionDep) -> Json:
    return _oparl(request, db).organization_by_id(organization_id)


@router.get("/meeting", summary="Published sessions as meetings, newest first",
            responses=PROBLEMS)
def meetings(request: Request, db: SessionDep, page: int = Page) -> Json:
    return _oparl(request, db).meetings(page)


@router.get("/meeting/{meeting_id}", summary="One published session with its agenda and files",
            responses=PROBLEMS)
def meeting(meeting_id: PathId, request: Request, db: SessionDep) -> Json:
    return _oparl(request, db).meeting_by_id(meeting_id)


@router.get("/agendaItem/{item_id}", summary="One agenda item of a published session",
            responses=PROBLEMS)
def agenda_item(item_id: PathId, request: Request, db: SessionDep) -> Json:
    return _oparl(request, db).agenda_item_by_id(item_id)


@router.get("/paper", summary="Public session documents and published resolutions",
            responses=PROBLEMS)
def papers(request: Request, db: SessionDep, page: int = Page) -> Json:
    return _oparl(request, db).papers(page)


@router.get("/paper/{key}", summary="One paper: document-{id} or resolution-{id}",
            responses=PROBLEMS)
def paper(key: str, request: Request, db: SessionDep) -> Json:
    return _oparl(request, db).paper_by_key(key[:40])


@router.get("/file/{file_id}", summary="A public document's current PDF", responses=PROBLEMS)
def file(file_id: PathId, request: Request, db: SessionDep) -> Json:
    return _oparl(request, db).file_by_id(file_id)


@router.get("/person", summary="Delegates (name, position and memberships only)",
            responses=PROBLEMS)
def people(request: Request, db: SessionDep, page: int = Page) -> Json:
    return _oparl(request, db).people(page)


@router.get("/person/{person_id}", summary="One delegate", responses=PROBLEMS)
def person(person_id: PathId, request: Request, db: SessionDep) -> Json:
    return _oparl(request, db).person_by_id(person_id)


@router.get("/membership/{membership_id}", summary="A delegate's membership of an organization",
            responses=PROBLEMS)
def membership(membership_id: PathId, request: Request, db: SessionDep) -> Json:
    return _oparl(request, db).membership_by_id(membership_id)
