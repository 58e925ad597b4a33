"""Delegate profiles, training, group-supervision participants, congress targets and each
delegate's record: ``/api/delegates/...``, ``/api/training/...``, ``/api/congress-targets``
for signed-in users, ``/api/public/delegates/...`` for anyone (the public part only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import FileResponse
from sqlmodel import Session, col, select

from server.deps import (
    PORTAL,
    STAFF_ONLY,
    CurrentPrincipal,
    SessionDep,
    SettingsDep,
    StaffPrincipal,
    StoreDep,
)
from server.documents.inspection import Limits
from server.errors import NotFound
from server.followup.bodies import get_supervision
from server.followup.deadlines import local_date
from server.models import Account, Person
from server.models.base import id_of, utcnow
from server.packs.device_auth import CurrentDevice
from server.routes.common import AUTH_PROBLEMS, problems
from server.schemas.base import PathId
from server.schemas.delegates import (
    AttendanceRead,
    CongressTargetRead,
    CongressTargetsReplace,
    CourseCreate,
    CourseRead,
    EntitlementRead,
    EntitlementsRecord,
    LinkedResolution,
    PersonIds,
    ProfileRead,
    ProfileUpdate,
    PublicProfile,
    RecordRead,
    RegimeRead,
    ResolutionIds,
    UnitRead,
)
from server.services import delegate_record, delegates, entitlements

router = APIRouter(tags=["delegates"])
PUBLIC = problems(404, 422)
YEAR = Query(None, ge=2000, le=2200)


def _year(year: int | None) -> int:
    return year or local_date(utcnow()).year


def public_profile(db: Session, person: Person) -> PublicProfile:
    profile = delegates.profile_of(db, id_of(person))
    return PublicProfile(
        person_id=id_of(person), full_name=person.full_name, position=person.position,
        term=profile.term, constituency=profile.constituency,
        units=[UnitRead(body_id=id_of(b), name=b.name, kind=str(getattr(b.kind, "value", b.kind)), role=r)
               for b, r in delegates.units_of(db, id_of(person))])


def _username(db: Session, account_id: int | None) -> str | None:
    account = db.get(Account, account_id) if account_id else None
    return account.username if account else None


def full_profile(db: Session, person: Person) -> ProfileRead:
    profile = delegates.profile_of(db, id_of(person))
    return ProfileRead(
        **public_profile(db, person).model_dump(), full_time=profile.full_time,
        education=profile.education, education_recorded_on=profile.education_recorded_on,
        education_recorded_by=_username(db, profile.education_recorded_by),
        theory=profile.theory, theory_recorded_on=profile.theory_recorded_on,
        theory_recorded_by=_username(db, profile.theory_recorded_by))


@router.get("/delegates", response_model=list[PublicProfile], responses=AUTH_PROBLEMS,
            summary="Delegates with their public profile")
def list_delegates(principal: CurrentPrincipal, db: SessionDep) -> list[PublicProfile]:
    return [public_profile(db, p) for p in delegates.all_delegates(db)]


@router.get("/delegates/{person_id}/profile", response_model=ProfileRead,
            responses=AUTH_PROBLEMS, summary="A delegate's profile (staff and the delegate)")
def read_profile(person_id: PathId, principal: CurrentPrincipal, db: SessionDep) -> ProfileRead:
    person = delegates.get_delegate(db, person_id)
    delegates.require_personal(principal, person_id)
    return full_profile(db, person)


@router.patch("/delegates/{person_id}/profile", response_model=ProfileRead,
              responses=AUTH_PROBLEMS, summary="Edit a delegate's profile (clerk, audited)")
def update_profile(person_id: PathId, data: ProfileUpdate, principal: StaffPrincipal,
                   db: SessionDep) -> ProfileRead:
    delegates.update_profile(db, principal.account, person_id, data.model_dump(exclude_unset=True))
    db.commit()
    return full_profile(db, delegates.get_delegate(db, person_id))


@router.get("/delegates/{person_id}/record", response_model=RecordRead,
            responses=AUTH_PROBLEMS,
            summary="A delegate's record of the year (staff and the delegate: in full)")
def read_record(person_id: PathId, principal: CurrentPrincipal, db: SessionDep,
                year: int | None = YEAR) -> RecordRead:
    delegates.get_delegate(db, person_id)
    record = delegate_record.delegate_record(db, person_id, _year(year))
    if delegates.may_read_personal(principal, person_id):
        return RecordRead.model_validate(record.as_dict())
    return RecordRead.model_validate(record.public_part())


@router.get("/devices/me/record", response_model=RecordRead,
            responses=problems(401, 403, 404),
            summary="The device owner's own record of the year, in full (device-signed)")
def device_owner_record(device: CurrentDevice, db: SessionDep,
                        year: int | None = YEAR) -> RecordRead:
    """The tablet's "Hoạt động của tôi": the device key proves the owner, who may read
    their own record in full (training included); a staff member's device gets 404."""
    delegates.get_delegate(db, device.person_id)
    record = delegate_record.delegate_record(db, device.person_id, _year(year))
    return RecordRead.model_validate(record.as_dict())


@router.get("/public/delegates", dependencies=[PORTAL], response_model=list[PublicProfile], responses=PUBLIC,
            summary="Delegates: name, unit and constituency (public)")
def public_delegates(db: SessionDep) -> list[PublicProfile]:
    return [public_profile(db, p) for p in delegates.all_delegates(db)]


@router.get("/public/delegates/{person_id}", dependencies=[PORTAL], response_model=PublicProfile,
            responses=PUBLIC,
            summary="One delegate's public profile")
def public_delegate(person_id: PathId, db: SessionDep) -> PublicProfile:
    return public_profile(db, delegates.get_delegate(db, person_id))


@router.get("/public/delegates/{person_id}/record", dependencies=[PORTAL], response_model=RecordRead,
            responses=PUBLIC, summary="The public part of a delegate's record")
def public_record(person_id: PathId, db: SessionDep, year: int | None = YEAR) -> RecordRead:
    delegates.get_delegate(db, person_id)
    record = delegate_record.delegate_record(db, person_id, _year(year))
    return RecordRead.model_validate(record.public_part())


# --- training ---------------------------------------------------------------------------


@router.get("/training/courses", response_model=list[CourseRead], responses=AUTH_PROBLEMS,
            summary="Training courses (staff)", dependencies=[STAFF_ONLY])
def list_courses(db: SessionDep) -> list[CourseRead]:
    from server.models.delegates import TrainingCourse

    return [CourseRead.model_validate(c) for c in db.exec(
        select(TrainingCourse).order_by(col(TrainingCourse.starts_on)))]


@router.post("/training/courses", response_model=CourseRead, status_code=201,
             responses=AUTH_PROBLEMS, summary="Add a training course (clerk, audited)")
def create_course(data: CourseCreate, principal: StaffPrincipal, db: SessionDep) -> CourseRead:
    course = delegates.create_course(db, principal.account, data.model_dump())
    db.commit()
    return CourseRead.model_validate(course)


def _attendance(rows) -> list[AttendanceRead]:
    return [AttendanceRead(person_id=a.person_id, certificate_name=a.certificate_name,
                           certificate_sha256=a.certificate_sha256,
                           has_certificate=a.certificate_key is not None) for a in rows]


@router.put("/training/courses/{course_id}/attendance", response_model=list[AttendanceRead],
            responses=AUTH_PROBLEMS, summary="Who attended the course (clerk, audited)")
def set_attendance(course_id: PathId, data: PersonIds, principal: StaffPrincipal,
                   db: SessionDep) -> list[AttendanceRead]:
    rows = delegates.set_attendance(db, principal.account, delegates.get_course(db, course_id),
                                    data.person_ids)
    db.commit()
    return _attendance(rows)


@router.get("/training/courses/{course_id}/attendance", response_model=list[AttendanceRead],
            responses=AUTH_PROBLEMS, summary="Who attended the course (staff)", dependencies=[STAFF_ONLY])
def get_attendance(course_id: PathId, db: SessionDep) -> list[AttendanceRead]:
    return _attendance(delegates.attendance_of(db, id_of(delegates.get_course(db, course_id))))


@router.post("/training/courses/{course_id}/attendance/{person_id}/certificate",
             response_model=AttendanceRead, status_code=201,
             responses={**AUTH_PROBLEMS, **problems(413, 415)},
             summary="Upload the certificate (PDF up to 20 MB; clerk, audited)")
async def upload_certificate(course_id: PathId, person_id: PathId,
                             file: Annotated[UploadFile, File()], principal: StaffPrincipal,
                             db: SessionDep, store: StoreDep,
                             settings: SettingsDep) -> AttendanceRead:
    row = delegates.get_attendance(db, course_id, person_id)
    try:
        await delegates.store_certificate(db, principal.account, store, Limits.of(settings),
                                          row, file, file.filename, file.content_type)
        db.commit()
    except BaseException:
        db.rollback()
        raise
    return _attendance([row])[0]


@router.get("/training/courses/{course_id}/attendance/{person_id}/certificate",
            response_class=FileResponse, responses=AUTH_PROBLEMS,
            summary="Download a certificate (staff and the person)")
def download_certificate(course_id: PathId, person_id: PathId, principal: CurrentPrincipal,
                         db: SessionDep, store: StoreDep) -> FileResponse:
    delegates.require_personal(principal, person_id)
    row = delegates.get_attendance(db, course_id, person_id)
    if row.certificate_key is None:
        raise NotFound("Chưa có chứng chỉ.", "No certificate uploaded.")
    return FileResponse(store.path_for(row.certificate_key), media_type="application/pdf",
                        filename=row.certificate_name)


# --- group supervision participants -----------------------------------------------------


@router.put("/followup/supervisions/{supervision_id}/participants", response_model=list[int],
            responses=AUTH_PROBLEMS,
            summary="The delegates who took part in a supervision (clerk, audited)")
def set_participants(supervision_id: PathId, data: PersonIds, principal: StaffPrincipal,
                     db: SessionDep) -> list[int]:
    ids = delegates.set_participants(db, principal.account, get_supervision(db, supervision_id),
                                     data.person_ids)
    db.commit()
    return ids


@router.get("/followup/supervisions/{supervision_id}/participants", response_model=list[int],
            responses=AUTH_PROBLEMS, summary="The delegates who took part in a supervision")
def get_participants(supervision_id: PathId, principal: CurrentPrincipal,
                     db: SessionDep) -> list[int]:
    return delegates.participants_of(db, id_of(get_supervision(db, supervision_id)))


# --- congress targets -------------------------------------------------------------------


def _targets(rows: list[delegates.TargetWithLinks]) -> list[CongressTargetRead]:
    return [CongressTargetRead(id=id_of(r.target), code=r.target.code, text=r.target.text,
                               source=r.target.source,
                               resolutions=[LinkedResolution.model_validate(x)
                                            for x in r.resolutions]) for r in rows]


@router.get("/congress-targets", response_model=list[CongressTargetRead],
            responses=AUTH_PROBLEMS, summary="The Party congress targets and their resolutions")
def list_targets(principal: CurrentPrincipal, db: SessionDep) -> list[CongressTargetRead]:
    return _targets(delegates.targets_with_links(db))


@router.put("/congress-targets", response_model=list[CongressTargetRead],
            responses=AUTH_PROBLEMS,
            summary="Enter the congress resolution's targets once, as a list (clerk, audited)")
def replace_targets(data: CongressTargetsReplace, principal: StaffPrincipal,
                    db: SessionDep) -> list[CongressTargetRead]:
    delegates.replace_congress_targets(db, principal.account, data.source,
                                       [(t.code, t.text) for t in data.targets])
    db.commit()
    return _targets(delegates.targets_with_links(db))


@router.put("/congress-targets/{target_id}/resolutions", response_model=CongressTargetRead,
            responses=AUTH_PROBLEMS,
            summary="The council resolutions that make a target concrete (clerk, audited)")
def link_resolutions(target_id: PathId, data: ResolutionIds, principal: StaffPrincipal,
                     db: SessionDep) -> CongressTargetRead:
    linked = delegates.link_resolutions(db, principal.account, target_id, data.resolution_ids)
    db.commit()
    return _targets([linked])[0]



# --- regimes ensured (target (8)) -------------------------------------------------------


@router.get("/entitlements/regimes", response_model=list[RegimeRead], responses=AUTH_PROBLEMS,
            summary="The regimes target (8) counts, with their legal source and status")
def list_regimes(principal: CurrentPrincipal) -> list[RegimeRead]:
    from dataclasses import asdict

    from shared.rules.entitlements import REGIMES

    return [RegimeRead(**asdict(r)) for r in REGIMES]


@router.post("/entitlements", response_model=list[EntitlementRead], status_code=201,
             responses=AUTH_PROBLEMS,
             summary="Record a regime ensured for delegates and a period (clerk, audited)")
def record_entitlements(data: EntitlementsRecord, principal: StaffPrincipal,
                        db: SessionDep) -> list[EntitlementRead]:
    rows = entitlements.record(db, principal.account, data.regime, data.period,
                               data.person_ids, data.voucher)
    db.commit()
    return [EntitlementRead.model_validate(r) for r in rows]


@router.get("/delegates/{person_id}/entitlements", response_model=list[EntitlementRead],
            responses=AUTH_PROBLEMS,
            summary="The regimes recorded for a delegate in a year (staff and the delegate)")
def read_entitlements(person_id: PathId, principal: CurrentPrincipal, db: SessionDep,
                      year: int | None = YEAR) -> list[EntitlementRead]:
    delegates.get_delegate(db, person_id)
    delegates.require_personal(principal, person_id)
    return [EntitlementRead.model_validate(e)
            for e in entitlements.entries(db, _year(year), person_id)]
