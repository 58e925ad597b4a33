"""Sessions (kỳ họp) and sittings of a body, their agenda, officers and attendance."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.base import Tenanted, UTCDateTime, short_text, utcnow


class SessionKind(StrEnum):
    regular = "regular"  # thường lệ
    thematic = "thematic"  # chuyên đề
    extraordinary = "extraordinary"  # bất thường
    meeting = "meeting"  # phiên họp of the standing committee, a committee or a group


class SessionStatus(StrEnum):
    draft = "draft"
    published = "published"
    in_progress = "in_progress"
    closed = "closed"


class SessionOfficerRole(StrEnum):
    chair = "chair"  # Chủ tọa
    secretary = "secretary"  # Thư ký kỳ họp
    invited_official = "invited_official"  # answers questions, gives explanations


class AttendanceStatus(StrEnum):
    present = "present"
    absent = "absent"
    excused = "excused"  # vắng có lý do


class CouncilSession(Tenanted, SQLModel, table=True):
    """A session of a body. Named so as not to clash with the database session."""

    __tablename__ = "council_session"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int = Field(foreign_key="council.id", index=True)
    body_id: int = Field(foreign_key="body.id", index=True)
    title: str = Field(max_length=300)
    kind: SessionKind = Field(sa_type=short_text(16))
    start_date: date
    end_date: date
    place: str = Field(default="", max_length=300)
    status: SessionStatus = Field(default=SessionStatus.draft, sa_type=short_text(16))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AgendaItem(Tenanted, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    session_id: int = Field(foreign_key="council_session.id", index=True)
    parent_id: int | None = Field(default=None, foreign_key="agendaitem.id", index=True)
    position: int = Field(default=0)
    title: str = Field(max_length=500)
    description: str = Field(default="", max_length=5000)
    presenter: str = Field(default="", max_length=300)
    duration_minutes: int | None = Field(default=None, ge=0, le=24 * 60)


class SessionOfficer(Tenanted, SQLModel, table=True):
    """Per-session roles: who chairs, who keeps the minutes, who is invited to answer."""

    __table_args__ = (UniqueConstraint("session_id", "person_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    session_id: int = Field(foreign_key="council_session.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: SessionOfficerRole = Field(sa_type=short_text(20))


class Attendance(Tenanted, SQLModel, table=True):
    __table_args__ = (UniqueConstraint("session_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    session_id: int = Field(foreign_key="council_session.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    status: AttendanceStatus = Field(sa_type=short_text(16))
    note: str = Field(default="", max_length=500)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    recorded_by: int | None = Field(default=None, foreign_key="account.id")
