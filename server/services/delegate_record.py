"""Each delegate's record of the year (phiếu theo dõi hoạt động đại biểu), computed from
the live event log (check-ins, votes, speeches, questions) and the follow-up data (session
attendance, voter meetings, supervision participation, petitions, training).

Nothing is typed in: every line points at the event or row it comes from. How a delegate
voted is never part of it (only that they took part). ``public_part`` keeps what voters may
see on the portal: the delegate's work in public, not their training or personal data.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from server.followup.deadlines import VN_TZ
from server.followup.states import ItemKind
from server.models import Attendance, AttendanceStatus, CouncilSession, LiveEvent, Sitting
from server.models.base import id_of
from server.models.delegates import SupervisionParticipant
from server.models.followup import Supervision, TrackedItem, VoterMeeting, VoterMeetingDelegate
from server.services.delegates import courses_of

LIVE_TYPES = ("checked_in", "vote_cast", "floor_granted", "turn_ended", "question_registered")


@dataclass
class Speech:
    at: datetime
    sitting_id: int
    sitting_title: str
    kind: str  # speech | debate | question
    seconds: int | None  # None while the turn has not ended in the log
    text: str = ""


@dataclass
class Line:
    """One dated entry: a session, a meeting, a supervision, a petition, a course."""

    on: date
    title: str
    ref_type: str
    ref_id: int
    note: str = ""


@dataclass
class DelegateRecord:
    person_id: int
    year: int
    sessions: list[Line] = field(default_factory=list)  # phiên họp / kỳ họp attended
    sittings: list[Line] = field(default_factory=list)  # sittings checked in on a device
    votes: int = 0  # votes taken part in
    speeches: list[Speech] = field(default_factory=list)  # speeches, debate and questions
    voter_meetings: list[Line] = field(default_factory=list)
    supervisions: list[Line] = field(default_factory=list)
    petitions: list[Line] = field(default_factory=list)  # carried from their voter meetings
    training: list[Line] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    def public_part(self) -> dict:
        """What the portal shows: no training, no petition texts (they may name voters)."""
        data = self.as_dict()
        data.pop("training")
        data["petitions"] = len(self.petitions)
        return data


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return (datetime(year, 1, 1, tzinfo=VN_TZ), datetime(year + 1, 1, 1, tzinfo=VN_TZ))


def _live(db: Session, person_id: int, year: int, record: DelegateRecord) -> None:
    start, end = _year_bounds(year)
    sittings = {s.id: s for s in db.exec(select(Sitting))}
    events = db.exec(select(LiveEvent).where(col(LiveEvent.type).in_(LIVE_TYPES),
                                             col(LiveEvent.at) >= start,
                                             col(LiveEvent.at) < end)
                     .order_by(col(LiveEvent.sitting_id), col(LiveEvent.seq))).all()
    checked: set[int] = set()
    votes: set[tuple[int, str]] = set()
    running: dict[int, Speech] = {}  # sitting -> this delegate's turn still open
    for event in events:
        payload = json.loads(event.payload)
        sitting = sittings.get(event.sitting_id)
        title = sitting.title if sitting else str(event.sitting_id)
        if event.type == "turn_ended":
            turn = running.pop(event.sitting_id, None)
            if turn is not None:
                turn.seconds = int((event.at - turn.at).total_seconds())
            continue
        if event.type == "checked_in" and payload.get("person_id") == person_id:
            if event.sitting_id not in checked:
                checked.add(event.sitting_id)
                record.sittings.append(Line(event.at.astimezone(VN_TZ).date(), title,
                                            "sitting", event.sitting_id))
        elif event.type == "vote_cast" and payload.get("voter_id") == person_id:
            votes.add((event.sitting_id, str(payload.get("vote_id"))))
        elif event.type == "floor_granted":
            running.pop(event.sitting_id, None)
            if payload.get("person_id") == person_id:
                speech = Speech(event.at, event.sitting_id, title, payload.get("kind", "speech"),
                                None)
                running[event.sitting_id] = speech
                record.speeches.append(speech)
        elif event.type == "question_registered" and payload.get("person_id") == person_id:
            record.speeches.append(Speech(event.at, event.sitting_id, title, "question", None,
                                          str(payload.get("text", ""))[:300]))
    record.votes = len(votes)


def delegate_record(db: Session, person_id: int, year: int) -> DelegateRecord:
    record = DelegateRecord(person_id=person_id, year=year)
    first, last = date(year, 1, 1), date(year, 12, 31)
    for session, status in db.exec(
            select(CouncilSession, Attendance.status)
            .join(Attendance, col(Attendance.session_id) == CouncilSession.id)
            .where(Attendance.person_id == person_id, col(CouncilSession.start_date) >= first,
                   col(CouncilSession.start_date) <= last)
            .order_by(col(CouncilSession.start_date))).all():
        if status == AttendanceStatus.present:
            record.sessions.append(Line(session.start_date, session.title, "session",
                                        id_of(session)))
    _live(db, person_id, year, record)
    meetings = db.exec(select(VoterMeeting).join(
        VoterMeetingDelegate, col(VoterMeetingDelegate.meeting_id) == VoterMeeting.id)
        .where(VoterMeetingDelegate.person_id == person_id, col(VoterMeeting.held_on) >= first,
               col(VoterMeeting.held_on) <= last).order_by(col(VoterMeeting.held_on))).all()
    record.voter_meetings = [Line(m.held_on, m.place, "voter_meeting", id_of(m), m.area)
                             for m in meetings]
    meeting_ids = [m.id for m in meetings]
    petitions = db.exec(select(TrackedItem).where(
        TrackedItem.kind == ItemKind.VOTER_PETITION.value,
        col(TrackedItem.voter_meeting_id).in_(meeting_ids or [-1]))
        .order_by(col(TrackedItem.received_on), col(TrackedItem.id))).all()
    record.petitions = [Line(p.received_on, p.title, "tracked_item", id_of(p), p.area)
                        for p in petitions]
    supervisions = db.exec(select(Supervision).join(
        SupervisionParticipant, col(SupervisionParticipant.supervision_id) == Supervision.id)
        .where(SupervisionParticipant.person_id == person_id, Supervision.year == year)
        .order_by(col(Supervision.started_on))).all()
    record.supervisions = [Line(s.started_on or first, s.subject, "supervision", id_of(s),
                                "chuyên đề" if s.kind == "thematic" else "thường xuyên")
                           for s in supervisions]
    record.training = [Line(c.starts_on, c.title, "training_course", id_of(c), c.organiser)
                       for c, _ in courses_of(db, person_id) if c.starts_on.year == year]
    return record
