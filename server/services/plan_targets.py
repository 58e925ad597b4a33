"""The plan's targets (1), (3, delegate groups), (6), (7) and (8) of section II.2, measured
from delegate profiles, training, group-supervision participants, congress targets, pack
publications, device enrolments and the regimes recorded as ensured.

Each is an :class:`Indicator` like the follow-up ones (``followup_indicators``), with the
ids behind the figure and those that keep it from the target. docs/followup.md says how
each is counted.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlmodel import Session, col, select

from server.followup.schemas import Indicator
from server.models import Account, AccountRole, Body, BodyKind, Membership, Person
from server.models.base import id_of, saved_ids
from server.models.delegates import (
    INTERMEDIATE_OR_ABOVE,
    UNIVERSITY_OR_ABOVE,
    CongressTargetLink,
    DelegateProfile,
    SupervisionParticipant,
    TrainingAttendance,
    TrainingCourse,
)
from server.models.devices import Device, PackBuild
from server.models.followup import Supervision
from server.models.meeting import CouncilSession, SessionStatus
from shared import clock


def _indicator(key: str, plan: str, vi: str, en: str, done: list[int], counted: list[int],
               item_type: str, missing_type: str, **detail: object) -> Indicator:
    value = round(len(done) / len(counted), 4) if counted else 1.0
    return Indicator(key=key, label_vi=vi, label_en=en, value=value, target=1.0,
                     comparison=">=", met=value >= 1.0, numerator=len(done),
                     denominator=len(counted), unit="ratio", item_type=item_type,
                     item_ids=sorted(done), missing_ids=sorted(set(counted) - set(done)),
                     detail={"missing_type": missing_type, **detail}, plan_target=plan)


def _delegates(db: Session) -> list[int]:
    return saved_ids(db.exec(select(Person.id).where(col(Person.is_delegate).is_(True))
                             .order_by(col(Person.id))).all())


def staff_ids(db: Session) -> list[int]:
    """The Office's staff: people behind an active clerk account, who are not delegates."""
    return saved_ids(db.exec(select(Person.id).join(Account, col(Account.person_id) == Person.id).where(
        Account.role == AccountRole.clerk, col(Account.is_active).is_(True),
        col(Person.is_delegate).is_(False)).distinct()).all())


def congress_targets_concretised(db: Session, year: int) -> Indicator:
    """(1) Share of the congress resolution's targets linked to a council resolution."""
    from server.models.delegates import CongressTarget

    targets = saved_ids(db.exec(select(CongressTarget.id)).all())
    linked = set(db.exec(select(CongressTargetLink.target_id)).all())
    return _indicator(
        "congress_targets_concretised", "(1)",
        "Chỉ tiêu Nghị quyết Đại hội Đảng bộ xã được cụ thể hóa bằng nghị quyết HĐND: 100% "
        "(đến năm 2030)",
        "Party congress targets made concrete in council resolutions: 100% (by 2030)",
        [t for t in targets if t in linked], targets, "congress_target", "congress_target")


def _group_members(db: Session) -> dict[int, list[int]]:
    rows = db.exec(select(Membership.body_id, Membership.person_id)
                   .join(Body, col(Body.id) == Membership.body_id)
                   .join(Person, col(Person.id) == Membership.person_id)
                   .where(Body.kind == BodyKind.delegate_group,
                          col(Person.is_delegate).is_(True))).all()
    members: dict[int, list[int]] = defaultdict(list)
    for body_id, person_id in rows:
        members[body_id].append(person_id)
    return members


def _group_supervisions(db: Session, year: int) -> dict[int, list[int]]:
    groups = saved_ids(db.exec(select(Body.id).where(Body.kind == BodyKind.delegate_group)).all())
    found: dict[int, list[int]] = {g: [] for g in groups}
    for s in db.exec(select(Supervision).where(Supervision.year == year,
                                               col(Supervision.body_id).in_(groups or [-1]))):
        found[s.body_id].append(id_of(s))
    return found


def groups_supervising(db: Session, year: int) -> Indicator:
    """(3) Delegate groups with at least one supervision in the year / all groups."""
    per_group = _group_supervisions(db, year)
    return _indicator(
        "groups_supervising", "(3)", "Tổ đại biểu tổ chức giám sát trong năm: 100%",
        "Delegate groups supervising in the year: 100%",
        [g for g, s in per_group.items() if s], list(per_group), "body", "body",
        per_group={str(g): len(s) for g, s in per_group.items()})


def delegates_in_group_supervision(db: Session, year: int) -> Indicator:
    """(3) Delegates who took part in a supervision of their own group / group members."""
    per_group = _group_supervisions(db, year)
    members = _group_members(db)
    took_part: dict[int, set[int]] = defaultdict(set)
    rows = db.exec(select(Supervision.body_id, SupervisionParticipant.person_id).join(
        SupervisionParticipant, col(SupervisionParticipant.supervision_id) == Supervision.id)
        .where(col(Supervision.id).in_([i for s in per_group.values() for i in s] or [-1]))
    ).all()
    for body_id, person_id in rows:
        took_part[body_id].add(person_id)
    counted = sorted({p for ps in members.values() for p in ps})
    done = sorted({p for g, ps in members.items() for p in ps if p in took_part[g]})
    return _indicator(
        "delegates_in_group_supervision", "(3)",
        "Đại biểu tham gia giám sát của Tổ đại biểu: 100%",
        "Delegates taking part in their group's supervision: 100%",
        done, counted, "person", "person",
        per_group={str(g): [len(took_part[g] & set(ps)), len(ps)] for g, ps in members.items()})


def _trained(db: Session, year: int, flag: str | None = None) -> set[int]:
    """People who attended a course that started by the end of *year* (the term so far)."""
    query = select(TrainingAttendance.person_id).join(
        TrainingCourse, col(TrainingCourse.id) == TrainingAttendance.course_id).where(
        col(TrainingCourse.starts_on) <= date(year, 12, 31))
    if flag:
        query = query.where(col(getattr(TrainingCourse, flag)).is_(True))
    return set(db.exec(query).all())


def digital_skills(db: Session, year: int) -> Indicator:
    """(6) Delegates and staff trained in digital skills."""
    people = sorted(set(_delegates(db)) | set(staff_ids(db)))
    trained = _trained(db, year, "digital_skills")
    return _indicator(
        "digital_skills_trained", "(6)",
        "Đại biểu và công chức được bồi dưỡng kỹ năng số: 100%",
        "Delegates and staff trained in digital skills: 100%",
        [p for p in people if p in trained], people, "person", "person")


def ai_skills(db: Session, year: int) -> Indicator:
    """(6) Delegates and staff trained to use AI."""
    people = sorted(set(_delegates(db)) | set(staff_ids(db)))
    trained = _trained(db, year, "ai")
    return _indicator(
        "ai_trained", "(6)", "Đại biểu và công chức được bồi dưỡng sử dụng AI: 100%",
        "Delegates and staff trained to use AI: 100%",
        [p for p in people if p in trained], people, "person", "person")


def full_time_qualified(db: Session, year: int) -> Indicator:
    """(7) Full-time delegates with a university degree and intermediate political theory."""
    profiles = db.exec(select(DelegateProfile).join(Person, col(Person.id) == DelegateProfile.person_id)
                       .where(col(DelegateProfile.full_time).is_(True),
                              col(Person.is_delegate).is_(True))).all()
    counted = [p.person_id for p in profiles]
    done = [p.person_id for p in profiles if p.education in UNIVERSITY_OR_ABOVE
            and p.theory in INTERMEDIATE_OR_ABOVE]
    return _indicator(
        "full_time_qualified", "(7)",
        "Đại biểu chuyên trách có trình độ đại học và trung cấp lý luận chính trị: 100%",
        "Full-time delegates with a university degree and intermediate political theory: 100%",
        done, counted, "person", "person")


def delegates_trained(db: Session, year: int) -> Indicator:
    """(7) Delegates who attended at least one training course in the term so far."""
    delegates = _delegates(db)
    trained = _trained(db, year)
    return _indicator(
        "delegates_trained", "(7)", "Đại biểu được tham gia bồi dưỡng: 100%",
        "Delegates attending training courses: 100%",
        [p for p in delegates if p in trained], delegates, "person", "person")


def paperless_meetings(db: Session, year: int) -> Indicator:
    """(6) Sessions and meetings of the year held so far (of the council, its Standing
    Committee, committees and delegate groups) whose documents reached the devices as a
    published agenda pack / those sessions and meetings."""
    today = clock.today()
    held = saved_ids(db.exec(select(CouncilSession.id).where(
        col(CouncilSession.start_date) >= date(year, 1, 1),
        col(CouncilSession.start_date) <= min(date(year, 12, 31), today),
        CouncilSession.status != SessionStatus.draft).order_by(col(CouncilSession.id))).all())
    packed = set(db.exec(select(PackBuild.session_id).where(
        col(PackBuild.session_id).in_(held or [-1]), col(PackBuild.published_at).is_not(None)
    )).all())
    return _indicator(
        "paperless_meetings", "(6)",
        "Kỳ họp, phiên họp có tài liệu phát hành qua thiết bị (phòng họp không giấy): 100%",
        "Sessions and meetings whose documents went out to the devices (paperless): 100%",
        [s for s in held if s in packed], held, "session", "session")


def devices_supplied(db: Session, year: int) -> Indicator:
    """(6) Delegates and staff with an enrolled device that is not revoked (as of today)."""
    people = sorted(set(_delegates(db)) | set(staff_ids(db)))
    equipped = set(db.exec(select(Device.person_id).where(
        col(Device.revoked_at).is_(None), col(Device.wipe_ordered_at).is_(None))).all())
    return _indicator(
        "devices_supplied", "(6)", "Đại biểu và công chức được trang bị thiết bị: 100%",
        "Delegates and staff with a device: 100%",
        [p for p in people if p in equipped], people, "person", "person")


def entitlements_ensured(db: Session, year: int) -> Indicator:
    """(8) Delegates for whom every required regime (``shared.rules.entitlements``) is
    recorded as ensured for each month of the year begun so far / delegates."""
    from server.services import entitlements
    from shared.rules.entitlements import REGIMES

    required = [r for r in REGIMES if r.required]
    due = entitlements.months_due(year, clock.today())
    recorded = {(e.person_id, e.regime, e.period_start)
                for e in entitlements.entries(db, year)}
    missing_months: dict[str, int] = {}
    delegates = _delegates(db)
    for person in delegates:
        gaps = sum(1 for r in required for m in due if (person, r.key, m) not in recorded)
        if gaps:
            missing_months[str(person)] = gaps
    return _indicator(
        "entitlements_ensured", "(8)",
        "Đại biểu được bảo đảm chế độ, chính sách đủ các tháng: 100%",
        "Delegates whose regimes were ensured for every month: 100%",
        [p for p in delegates if str(p) not in missing_months], delegates, "person", "person",
        months_due=len(due), regimes=[r.key for r in required],
        missing_months=missing_months,
        sources=sorted({f"{r.source} ({r.status})" for r in required}))


def plan_indicators(db: Session, year: int) -> list[Indicator]:
    return [congress_targets_concretised(db, year), groups_supervising(db, year),
            delegates_in_group_supervision(db, year), digital_skills(db, year),
            ai_skills(db, year), paperless_meetings(db, year), devices_supplied(db, year),
            full_time_qualified(db, year), delegates_trained(db, year),
            entitlements_ensured(db, year)]
