"""Delegate profiles, training, group-supervision participants and congress targets.

Every write is audited in the caller's transaction. Personal data (full-time, education,
political theory, training) is read by staff and by the delegate; the public part is what
the law publishes of a delegate: name, unit (groups and committees) and constituency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, delete, select

from server.documents.inspection import Limits
from server.documents.storage import DocumentStore
from server.errors import Forbidden, NotFound, ValidationFailed
from server.models import Account, Body, Membership, Person
from server.models.base import id_of, saved_ids, utcnow
from server.models.delegates import (
    CongressTarget,
    CongressTargetLink,
    DelegateProfile,
    EducationLevel,
    SupervisionParticipant,
    TheoryLevel,
    TrainingAttendance,
    TrainingCourse,
)
from server.models.followup import Resolution, Supervision
from server.security.principal import Principal
from server.services import audit
from shared import clock


class DelegateNotFound(NotFound):
    """No delegate with this id."""

    message_vi = "Không tìm thấy đại biểu."
    message_en = "No such delegate."


class PersonalDataForbidden(Forbidden):
    """Someone other than the office or the delegate asks for a delegate's personal data."""

    message_vi = "Chỉ cán bộ Văn phòng và chính đại biểu xem được thông tin cá nhân này."
    message_en = "Only the Office's staff and the delegate may read this personal data."


class CourseNotFound(NotFound):
    """No training course with this id."""

    message_vi = "Không tìm thấy lớp bồi dưỡng."
    message_en = "No such course."


class CourseAttendeeNotFound(NotFound):
    """The person is not on the course's attendance list."""

    message_vi = "Người này không có trong danh sách dự lớp."
    message_en = "This person is not on the course's attendance."


class TargetNotFound(NotFound):
    """No delegate-work target with this code."""

    message_vi = "Không có chỉ tiêu này."
    message_en = "No such target."


def get_delegate(db: Session, person_id: int) -> Person:
    person = db.get(Person, person_id)
    if person is None or not person.is_delegate:
        raise DelegateNotFound()
    return person


def all_delegates(db: Session, *, by_name: bool = False) -> list[Person]:
    """The delegates (not officials or staff): by id for the API and the portal's stable
    order, by name for the console's pick lists."""
    order = col(Person.full_name) if by_name else col(Person.id)
    return list(db.exec(select(Person).where(col(Person.is_delegate).is_(True)).order_by(order)))


def may_read_personal(principal: Principal | None, person_id: int) -> bool:
    """Staff and the delegate themself; nobody else (other delegates included)."""
    return principal is not None and (principal.is_staff or principal.person_id == person_id)


def require_personal(principal: Principal | None, person_id: int) -> None:
    if not may_read_personal(principal, person_id):
        raise PersonalDataForbidden()


def profile_of(db: Session, person_id: int) -> DelegateProfile:
    found = db.exec(select(DelegateProfile).where(DelegateProfile.person_id == person_id)).first()
    return found or DelegateProfile(person_id=person_id)


def units_of(db: Session, person_id: int) -> list[tuple[Body, str]]:
    """The bodies a person belongs to (groups, committees...) with their role."""
    rows = db.exec(select(Body, Membership.role).join(Membership, col(Membership.body_id) == Body.id)
                   .where(Membership.person_id == person_id).order_by(col(Body.id))).all()
    return [(b, str(getattr(r, "value", r))) for b, r in rows]


_FIELDS = ("term", "constituency", "full_time", "education", "theory")


def update_profile(db: Session, actor: Account, person_id: int, changes: dict) -> DelegateProfile:
    """Apply *changes* (any of term, constituency, full_time, education, theory, with
    education_recorded_on / theory_recorded_on); the recorder is the actor."""
    get_delegate(db, person_id)
    profile = profile_of(db, person_id)
    today = clock.today()
    changed = {}
    for name in _FIELDS:
        if name not in changes:
            continue
        value = changes[name]
        if name == "education" and value is not None:
            value = EducationLevel(value).value
        if name == "theory" and value is not None:
            value = TheoryLevel(value).value
        if getattr(profile, name) != value:
            changed[name] = value
        setattr(profile, name, value)
        if name in ("education", "theory"):
            recorded_on = changes.get(f"{name}_recorded_on") or today
            if recorded_on > today:
                raise ValidationFailed("Ngày ghi nhận không được sau hôm nay.",
                                       "The date recorded cannot be in the future.")
            setattr(profile, f"{name}_recorded_on", recorded_on)
            setattr(profile, f"{name}_recorded_by", actor.id)
    profile.updated_at = utcnow()
    db.add(profile)
    # The audit names the fields changed, not personal values.
    audit.record(db, actor, "delegate.profile_updated", "person", person_id,
                 fields=sorted(changed))
    return profile


# --- training ---------------------------------------------------------------------------


def create_course(db: Session, actor: Account, data: dict) -> TrainingCourse:
    if data["ends_on"] < data["starts_on"]:
        raise ValidationFailed("Ngày kết thúc trước ngày bắt đầu.",
                               "The course ends before it starts.")
    course = TrainingCourse(**data)
    db.add(course)
    audit.record(db, actor, "training.course_created", "training_course", None,
                 title=course.title)
    return course


def get_course(db: Session, course_id: int) -> TrainingCourse:
    course = db.get(TrainingCourse, course_id)
    if course is None:
        raise CourseNotFound()
    return course


def set_attendance(db: Session, actor: Account, course: TrainingCourse,
                   person_ids: list[int]) -> list[TrainingAttendance]:
    """Record who attended *course* (the list replaces the previous one, certificates of
    people still on it are kept)."""
    people = set(saved_ids(db.exec(select(Person.id).where(col(Person.id).in_(person_ids or [-1]))).all()))
    unknown = sorted(set(person_ids) - people)
    if unknown:
        raise ValidationFailed(f"Không có người có mã {unknown}.", f"No person with id {unknown}.")
    rows = {a.person_id: a for a in db.exec(select(TrainingAttendance).where(
        TrainingAttendance.course_id == course.id))}
    for person_id, row in rows.items():
        if person_id not in people:
            db.delete(row)
    for person_id in people - rows.keys():
        db.add(TrainingAttendance(course_id=id_of(course), person_id=person_id))
    audit.record(db, actor, "training.attendance_set", "training_course", course.id,
                 person_ids=sorted(people))
    db.flush()
    return attendance_of(db, id_of(course))


def list_courses(db: Session) -> list[TrainingCourse]:
    return list(db.exec(select(TrainingCourse).order_by(col(TrainingCourse.starts_on).desc(),
                                                        col(TrainingCourse.id))))


def attendance_of(db: Session, course_id: int) -> list[TrainingAttendance]:
    return list(db.exec(select(TrainingAttendance).where(
        TrainingAttendance.course_id == course_id).order_by(col(TrainingAttendance.person_id))))


def get_attendance(db: Session, course_id: int, person_id: int) -> TrainingAttendance:
    row = db.exec(select(TrainingAttendance).where(TrainingAttendance.course_id == course_id,
                                                   TrainingAttendance.person_id == person_id)
                  ).first()
    if row is None:
        raise CourseAttendeeNotFound()
    return row


def attach_certificate(db: Session, actor: Account, row: TrainingAttendance, key: str,
                       name: str | None, sha256: str, size: int) -> TrainingAttendance:
    row.certificate_key = key
    row.certificate_name = (name or "chung-chi.pdf").replace("\\", "/").rsplit("/", 1)[-1][:255]
    row.certificate_sha256, row.certificate_size = sha256, size
    db.add(row)
    audit.record(db, actor, "training.certificate_added", "training_attendance", row.id,
                 sha256=sha256, size=size)
    return row


async def store_certificate(db: Session, actor: Account, store: DocumentStore, limits: Limits,
                            row: TrainingAttendance, upload: object, filename: str | None,
                            content_type: str | None) -> TrainingAttendance:
    """Stage, check (a real PDF up to 20 MB) and keep a certificate, audited; the caller
    commits. A refused file leaves nothing behind (API and console share this)."""
    from server.documents.storage import chunks_of
    from server.followup import items as followup

    staged = await store.stage(chunks_of(upload), followup.ATTACHMENT_LIMIT_BYTES)
    try:
        checked = await followup.check_attachment(staged, content_type, limits)
        if checked != "application/pdf":
            raise followup.AttachmentRefused(declared_type=content_type or "")
        key = store.new_key()
        attach_certificate(db, actor, row, key, filename, staged.sha256, staged.size)
        db.flush()
        store.keep(staged, key)
    except BaseException:
        store.discard(staged)
        raise
    return row


def courses_of(db: Session, person_id: int, until: date | None = None
               ) -> list[tuple[TrainingCourse, TrainingAttendance]]:
    query = (select(TrainingCourse, TrainingAttendance)
             .join(TrainingAttendance, col(TrainingAttendance.course_id) == TrainingCourse.id)
             .where(TrainingAttendance.person_id == person_id)
             .order_by(col(TrainingCourse.starts_on)))
    if until is not None:
        query = query.where(col(TrainingCourse.starts_on) <= until)
    return list(db.exec(query).all())


# --- group supervision ------------------------------------------------------------------


def set_participants(db: Session, actor: Account, supervision: Supervision,
                     person_ids: list[int]) -> list[int]:
    """Who took part in *supervision*: delegates only, the list replaces the previous one."""
    delegates = set(saved_ids(db.exec(select(Person.id).where(
        col(Person.id).in_(person_ids or [-1]), col(Person.is_delegate).is_(True))).all()))
    unknown = sorted(set(person_ids) - delegates)
    if unknown:
        raise ValidationFailed(f"Không phải đại biểu: {unknown}.", f"Not delegates: {unknown}.")
    db.exec(delete(SupervisionParticipant).where(
        col(SupervisionParticipant.supervision_id) == supervision.id))
    for person_id in sorted(delegates):
        db.add(SupervisionParticipant(supervision_id=id_of(supervision), person_id=person_id))
    audit.record(db, actor, "followup.supervision_participants_set", "supervision",
                 supervision.id, person_ids=sorted(delegates))
    return sorted(delegates)


def member_ids(db: Session, body_id: int) -> set[int]:
    """The delegates who are members of *body_id* (a delegate group, a committee)."""
    return set(db.exec(select(Membership.person_id).join(
        Person, col(Person.id) == Membership.person_id).where(
        Membership.body_id == body_id, col(Person.is_delegate).is_(True))).all())


def participants_of(db: Session, supervision_id: int) -> list[int]:
    return sorted(db.exec(select(SupervisionParticipant.person_id).where(
        SupervisionParticipant.supervision_id == supervision_id)).all())


# --- congress targets -------------------------------------------------------------------


@dataclass
class TargetWithLinks:
    target: CongressTarget
    resolutions: list[Resolution]


def replace_congress_targets(db: Session, actor: Account, source: str,
                             targets: list[tuple[str, str]]) -> list[CongressTarget]:
    """Enter the congress resolution's targets once: (code, text) in order. Links of targets
    whose code is kept stay; targets no longer listed are removed with their links."""
    existing = {t.code: t for t in db.exec(select(CongressTarget))}
    codes = [code for code, _ in targets]
    if len(set(codes)) != len(codes):
        raise ValidationFailed("Mã chỉ tiêu bị trùng.", "A target code appears twice.")
    for code, old in existing.items():
        if code not in codes:
            db.exec(delete(CongressTargetLink).where(col(CongressTargetLink.target_id) == old.id))
            db.delete(old)
    kept = []
    for position, (code, text) in enumerate(targets):
        target = existing.get(code) or CongressTarget(code=code, text=text)
        target.text, target.source, target.position = text, source, position
        db.add(target)
        kept.append(target)
    audit.record(db, actor, "congress_targets.replaced", "congress_target", None,
                 source=source, codes=codes)
    db.flush()
    return kept


def link_resolutions(db: Session, actor: Account, target_id: int,
                     resolution_ids: list[int]) -> TargetWithLinks:
    target = db.get(CongressTarget, target_id)
    if target is None:
        raise TargetNotFound()
    found = set(saved_ids(db.exec(select(Resolution.id).where(
        col(Resolution.id).in_(resolution_ids or [-1]))).all()))
    unknown = sorted(set(resolution_ids) - found)
    if unknown:
        raise ValidationFailed(f"Không có nghị quyết {unknown}.", f"No resolution {unknown}.")
    db.exec(delete(CongressTargetLink).where(col(CongressTargetLink.target_id) == target_id))
    for resolution_id in sorted(found):
        db.add(CongressTargetLink(target_id=target_id, resolution_id=resolution_id))
    audit.record(db, actor, "congress_targets.linked", "congress_target", target_id,
                 resolution_ids=sorted(found))
    db.flush()
    return targets_with_links(db, [target_id])[0]


def targets_with_links(db: Session, ids: list[int] | None = None) -> list[TargetWithLinks]:
    query = select(CongressTarget).order_by(col(CongressTarget.position), col(CongressTarget.id))
    if ids is not None:
        query = query.where(col(CongressTarget.id).in_(ids))
    targets = list(db.exec(query))
    links = db.exec(select(CongressTargetLink.target_id, Resolution)
                    .join(Resolution, col(Resolution.id) == CongressTargetLink.resolution_id)
                    .order_by(col(Resolution.adopted_on))).all()
    by_target: dict[int, list[Resolution]] = {}
    for target_id, resolution in links:
        by_target.setdefault(target_id, []).append(resolution)
    return [TargetWithLinks(t, by_target.get(id_of(t), [])) for t in targets]
