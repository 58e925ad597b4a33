"""The plan's yearly targets (Đề án 06, section II.2), measured from the follow-up data.

Each indicator carries the ids behind its figure so the dashboard can drill down, and the
ids that keep it from its target. docs/followup.md says what each one counts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlmodel import Session, col, select

from server.followup.deadlines import local_date
from server.followup.schemas import Indicator, IndicatorReport
from server.followup.states import ItemKind
from server.models import AgendaItem, Body, BodyKind, CouncilSession, Person
from server.models.base import id_of, saved_ids, utcnow
from server.models.followup import (
    Supervision,
    SupervisionKind,
    TrackedItem,
    VoterMeeting,
    VoterMeetingDelegate,
)
from server.services import plan_targets, questioning
from server.text.vietnamese import fold

HEARING_WORDS = ("chat van", "giai trinh")
"""An agenda item whose folded title holds one of these makes its sitting a hearing."""

SUPERVISING_BODIES = (BodyKind.standing_committee, BodyKind.committee)
""""Each body" of the plan's thematic-supervision target: the Standing Committee and the
committees (Ban). Delegate groups supervise too but the plan sets them no yearly count."""


def _ratio(numerator: int, denominator: int) -> float:
    # Nothing to count is nothing missed: an empty year meets a 100% target.
    return round(numerator / denominator, 4) if denominator else 1.0


def _between(column, year: int):  # a SQL column
    return (col(column) >= date(year, 1, 1)) & (col(column) <= date(year, 12, 31))


def _indicator(key: str, vi: str, en: str, numerator: int, denominator: int, target: float,
               item_type: str, item_ids: list[int], missing: list[int], *,
               unit: str = "ratio", strictly_more: bool = False,
               detail: dict | None = None) -> Indicator:
    value = float(numerator) if unit == "count" else _ratio(numerator, denominator)
    met = value > target if strictly_more else value >= target
    return Indicator(key=key, label_vi=vi, label_en=en, value=value, target=target,
                     comparison=">" if strictly_more else ">=", met=met, numerator=numerator,
                     denominator=denominator, unit=unit, item_type=item_type,
                     item_ids=sorted(item_ids), missing_ids=sorted(missing),
                     detail=detail or {})


def thematic_supervision(db: Session, year: int) -> Indicator:
    bodies = db.exec(select(Body).where(col(Body.kind).in_([k.value for k in SUPERVISING_BODIES]))
                     .order_by(col(Body.id))).all()
    rows = db.exec(select(Supervision).where(Supervision.year == year,
                                             Supervision.kind == SupervisionKind.thematic)).all()
    per_body: dict[int, list[int]] = defaultdict(list)
    for s in rows:
        per_body[s.body_id].append(id_of(s))
    ids = [id_of(b) for b in bodies]
    done = [b for b in ids if per_body.get(b)]
    return _indicator(
        "thematic_supervision_per_body",
        "Giám sát chuyên đề: ít nhất 01 cuộc/năm ở mỗi cơ quan của HĐND",
        "Thematic supervision: at least one a year by each body",
        len(done), len(ids), 1.0, "supervision", [id_of(s) for s in rows],
        [b for b in ids if b not in done],
        detail={"per_body": {str(b): len(per_body.get(b, [])) for b in ids}})


def digital_regular_supervision(db: Session, year: int) -> Indicator:
    rows = db.exec(select(Supervision).where(Supervision.year == year,
                                             Supervision.kind == SupervisionKind.regular)).all()
    digital = [id_of(s) for s in rows if s.digital]
    return _indicator(
        "digital_regular_supervision",
        "Giám sát thường xuyên qua môi trường số: trên 20%",
        "Regular supervision done through the digital environment: more than 20%",
        len(digital), len(rows), 0.2, "supervision", digital,
        [id_of(s) for s in rows if not s.digital], strictly_more=True)


def questioning_hearings(db: Session, year: int) -> Indicator:
    standing = db.exec(select(Body.id).where(Body.kind == BodyKind.standing_committee)).all()
    sessions = db.exec(select(CouncilSession).where(
        col(CouncilSession.body_id).in_(list(standing) or [-1]),
        _between(CouncilSession.start_date, year))).all()
    session_ids = [id_of(s) for s in sessions]
    hearings: set[int] = set()
    for item in db.exec(select(AgendaItem).where(col(AgendaItem.session_id).in_(
            session_ids or [-1]))):
        if any(w in fold(item.title) for w in HEARING_WORDS):
            hearings.add(item.session_id)
    committed = db.exec(select(TrackedItem.session_id).where(
        TrackedItem.kind == ItemKind.QUESTIONING_COMMITMENT.value,
        col(TrackedItem.session_id).in_(session_ids or [-1]))).all()
    hearings.update(s for s in committed if s is not None)
    hearings |= questioning.hearing_sessions(db, session_ids)  # registered questions asked
    return _indicator(
        "questioning_hearings",
        "Phiên chất vấn, giải trình tại phiên họp Thường trực HĐND: 04 phiên/năm",
        "Questioning or explanation hearings at Standing Committee sittings: four a year",
        len(hearings), 4, 4.0, "session", list(hearings), [], unit="count")


def voter_meeting_attendance(db: Session, year: int) -> Indicator:
    delegates = saved_ids(db.exec(select(Person.id).where(col(Person.is_delegate).is_(True))).all())
    meetings = saved_ids(db.exec(select(VoterMeeting.id).where(
        _between(VoterMeeting.held_on, year))).all())
    attended = set(db.exec(select(VoterMeetingDelegate.person_id).where(
        col(VoterMeetingDelegate.meeting_id).in_(list(meetings) or [-1]))).all())
    present = [d for d in delegates if d in attended]
    return _indicator(
        "voter_meeting_attendance",
        "Đại biểu tham gia tiếp xúc cử tri: 100%",
        "Delegates attending voter meetings: 100%",
        len(present), len(delegates), 1.0, "voter_meeting", list(meetings),
        [d for d in delegates if d not in attended],
        detail={"missing_type": "person"})


def _items(db: Session, kind: ItemKind, year: int) -> list[TrackedItem]:
    return list(db.exec(select(TrackedItem).where(TrackedItem.kind == kind.value,
                                                  _between(TrackedItem.received_on, year))))


def _share(key: str, vi: str, en: str, items: list[TrackedItem], attribute: str) -> Indicator:
    done = [id_of(i) for i in items if getattr(i, attribute) is not None]
    return _indicator(key, vi, en, len(done), len(items), 1.0, "tracked_item", done,
                      [id_of(i) for i in items if getattr(i, attribute) is None])


def resolution_tasks_on_time(db: Session, year: int, now: datetime) -> Indicator:
    """Tasks due in *year* whose deadline has passed or that are done: done by the due date?"""
    today = local_date(now)
    tasks = db.exec(select(TrackedItem).where(
        TrackedItem.kind == ItemKind.RESOLUTION_TASK.value,
        _between(TrackedItem.due_on, year))).all()
    counted, on_time = [], []
    for task in tasks:
        done_on = local_date(task.answered_at) if task.answered_at else None
        if done_on is None and task.due_on is not None and task.due_on >= today:
            continue  # still running and not late: not yet counted either way
        counted.append(id_of(task))
        if done_on is not None and task.due_on is not None and done_on <= task.due_on:
            on_time.append(id_of(task))
    return _indicator(
        "resolution_tasks_on_time",
        "Nhiệm vụ theo nghị quyết hoàn thành đúng hạn",
        "Resolution tasks done on time",
        len(on_time), len(counted), 1.0, "tracked_item", on_time,
        [i for i in counted if i not in on_time])


def lawful_sittings(db: Session, year: int) -> Indicator:
    """Target (2): every sitting held according to law, from each sitting's compliance
    checklist (server/services/compliance.py, docs/rules.md)."""
    from server.services.compliance import lawful_sittings as counted

    ids, ok = counted(db, year)
    return _indicator(
        "sittings_lawful",
        "Kỳ họp, phiên họp tổ chức đúng luật định: 100%",
        "Sittings held according to law: 100%",
        len(ok), len(ids), 1.0, "sitting", ok, [i for i in ids if i not in ok])


PLAN_NUMBERS = {
    "sittings_lawful": "(2)", "thematic_supervision_per_body": "(3)",
    "digital_regular_supervision": "(3)",
    "questioning_hearings": "(3)", "voter_meeting_attendance": "(4)",
    "petitions_forwarded": "(4)", "petitions_answered": "(4)", "complaints_forwarded": "(5)",
    "complaint_senders_notified": "(5)", "resolution_tasks_on_time": "(3)",
}
"""Where each follow-up indicator sits among the plan's numbered targets of section II.2
(resolution tasks: "100% of conclusions carried out as required")."""


def indicators(db: Session, year: int, now: datetime | None = None) -> IndicatorReport:
    now = now or utcnow()
    petitions = _items(db, ItemKind.VOTER_PETITION, year)
    complaints = _items(db, ItemKind.CITIZEN_COMPLAINT, year)
    followed = [
        lawful_sittings(db, year),
        thematic_supervision(db, year),
        digital_regular_supervision(db, year),
        questioning_hearings(db, year),
        voter_meeting_attendance(db, year),
        _share("petitions_forwarded", "Kiến nghị cử tri được tổng hợp, chuyển: 100%",
               "Voter petitions compiled and forwarded: 100%", petitions, "forwarded_at"),
        _share("petitions_answered", "Kiến nghị cử tri được trả lời: 100%",
               "Voter petitions answered: 100%", petitions, "answered_at"),
        _share("complaints_forwarded", "Đơn khiếu nại, tố cáo, kiến nghị được chuyển: 100%",
               "Complaints, denunciations and petitions forwarded: 100%", complaints,
               "forwarded_at"),
        _share("complaint_senders_notified", "Người gửi đơn được thông báo: 100%",
               "Senders of complaints notified: 100%", complaints, "sender_notified_at"),
        resolution_tasks_on_time(db, year, now),
    ]
    for indicator in followed:
        indicator.plan_target = PLAN_NUMBERS.get(indicator.key, "")
    together = followed + plan_targets.plan_indicators(db, year)
    together.sort(key=lambda i: i.plan_target)  # stable: the plan's order, then as listed
    return IndicatorReport(year=year, indicators=together)
