from __future__ import annotations

from fastapi import APIRouter
from sqlmodel import col, select

from server.deps import CurrentPrincipal, SessionDep, StaffPrincipal
from server.models import Body
from server.models.base import id_of
from server.routes.common import AUTH_PROBLEMS
from server.schemas.base import PathId
from server.schemas.council import (
    BodyCreate,
    BodyRead,
    BodyUpdate,
    CouncilRead,
    MemberRead,
    MembershipSet,
    PersonCreate,
    PersonDetail,
    PersonRead,
    PersonUpdate,
)
from server.services import council

router = APIRouter(tags=["council"])


@router.get("/council", response_model=CouncilRead, responses=AUTH_PROBLEMS,
            summary="The council this server serves")
def get_council(principal: CurrentPrincipal, db: SessionDep) -> CouncilRead:
    return CouncilRead.model_validate(council.the_council(db))


def _body_read(db, body: Body) -> BodyRead:
    return BodyRead.model_validate(body).model_copy(
        update={"member_count": council.member_count(db, id_of(body))})


@router.get("/bodies", response_model=list[BodyRead], responses=AUTH_PROBLEMS,
            summary="Bodies: plenary, standing committee, committees, delegate groups")
def list_bodies(principal: CurrentPrincipal, db: SessionDep) -> list[BodyRead]:
    return [_body_read(db, b) for b in db.exec(select(Body).order_by(col(Body.id)))]


@router.post("/bodies", response_model=BodyRead, status_code=201, responses=AUTH_PROBLEMS,
             summary="Create a body (clerk)")
def create_body(data: BodyCreate, principal: StaffPrincipal, db: SessionDep) -> BodyRead:
    body = council.create_body(db, principal.account, data)
    db.commit()
    return _body_read(db, body)


@router.get("/bodies/{body_id}", response_model=BodyRead, responses=AUTH_PROBLEMS)
def get_body(body_id: PathId, principal: CurrentPrincipal, db: SessionDep) -> BodyRead:
    return _body_read(db, council.get_body(db, body_id))


@router.patch("/bodies/{body_id}", response_model=BodyRead, responses=AUTH_PROBLEMS,
              summary="Change a body's name, quorum or publication settings (clerk)")
def update_body(body_id: PathId, data: BodyUpdate, principal: StaffPrincipal,
                db: SessionDep) -> BodyRead:
    body = council.update_body(db, principal.account, council.get_body(db, body_id), data)
    db.commit()
    return _body_read(db, body)


@router.get("/bodies/{body_id}/members", response_model=list[MemberRead],
            responses=AUTH_PROBLEMS, summary="Members of a body with their roles")
def list_members(body_id: PathId, principal: CurrentPrincipal, db: SessionDep) -> list[MemberRead]:
    council.get_body(db, body_id)
    return [MemberRead(person_id=p.id, full_name=p.full_name, position=p.position, role=m.role)
            for m, p in council.members(db, body_id)]


@router.put("/bodies/{body_id}/members", response_model=MemberRead, responses=AUTH_PROBLEMS,
            summary="Add a person to a body or change their role (clerk)")
def set_member(body_id: PathId, data: MembershipSet, principal: StaffPrincipal,
               db: SessionDep) -> MemberRead:
    person = council.get_person(db, data.person_id)
    membership = council.set_membership(db, principal.account, council.get_body(db, body_id),
                                        person, data.role)
    db.commit()
    return MemberRead(person_id=person.id, full_name=person.full_name, position=person.position,
                      role=membership.role)


@router.delete("/bodies/{body_id}/members/{person_id}", status_code=204,
               responses=AUTH_PROBLEMS, summary="Remove a person from a body (clerk)")
def remove_member(body_id: PathId, person_id: PathId, principal: StaffPrincipal,
                  db: SessionDep) -> None:
    council.remove_membership(db, principal.account, council.get_body(db, body_id), person_id)
    db.commit()


@router.get("/people", response_model=list[PersonRead], responses=AUTH_PROBLEMS,
            summary="People of the council (names and positions)")
def list_people(principal: CurrentPrincipal, db: SessionDep) -> list[PersonRead]:
    return [PersonRead.model_validate(p) for p in council.people(db)]


@router.post("/people", response_model=PersonDetail, status_code=201, responses=AUTH_PROBLEMS,
             summary="Add a person (clerk)")
def create_person(data: PersonCreate, principal: StaffPrincipal,
                  db: SessionDep) -> PersonDetail:
    person = council.create_person(db, principal.account, data)
    db.commit()
    return PersonDetail.model_validate(person)


@router.get("/people/{person_id}", response_model=PersonDetail, responses=AUTH_PROBLEMS,
            summary="A person with contact details (clerk, or the person themselves)")
def get_person(person_id: PathId, principal: CurrentPrincipal, db: SessionDep) -> PersonDetail:
    person = council.get_person(db, person_id)
    if principal.is_staff or principal.person_id == person_id:
        return PersonDetail.model_validate(person)
    # Contact details are personal data: others see name and position only.
    return PersonDetail(**PersonRead.model_validate(person).model_dump(), email=None, phone=None)


@router.patch("/people/{person_id}", response_model=PersonDetail, responses=AUTH_PROBLEMS,
              summary="Edit a person (clerk)")
def update_person(person_id: PathId, data: PersonUpdate, principal: StaffPrincipal,
                  db: SessionDep) -> PersonDetail:
    person = council.update_person(db, principal.account, council.get_person(db, person_id), data)
    db.commit()
    return PersonDetail.model_validate(person)
