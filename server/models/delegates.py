"""What the plan's targets (1), (3), (6) and (7) are measured from.

A delegate's profile (term, constituency, full-time, education and political theory with
who recorded them and when), training courses and who attended them (with the
certificate), who took part in a delegate group's supervision, and the Party congress
resolution's targets with the council resolutions that make each concrete.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.base import Tenanted, UTCDateTime, short_text, utcnow


class EducationLevel(StrEnum):
    """Trình độ chuyên môn (highest degree)."""

    lower_secondary = "lower_secondary"  # trung học cơ sở
    upper_secondary = "upper_secondary"  # trung học phổ thông
    vocational = "vocational"  # trung cấp
    college = "college"  # cao đẳng
    university = "university"  # đại học
    postgraduate = "postgraduate"  # sau đại học


class TheoryLevel(StrEnum):
    """Trình độ lý luận chính trị."""

    none = "none"
    elementary = "elementary"  # sơ cấp
    intermediate = "intermediate"  # trung cấp
    advanced = "advanced"  # cao cấp


UNIVERSITY_OR_ABOVE = (EducationLevel.university, EducationLevel.postgraduate)
INTERMEDIATE_OR_ABOVE = (TheoryLevel.intermediate, TheoryLevel.advanced)


class DelegateProfile(Tenanted, SQLModel, table=True):
    """A delegate's profile. Name, unit (memberships) and constituency are public; the rest
    is personal data read only by staff and the delegate."""

    __tablename__ = "delegate_profile"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    person_id: int = Field(foreign_key="person.id", unique=True)
    term: str = Field(default="", max_length=20)  # "2026-2031"
    constituency: str = Field(default="", max_length=200)  # thôn / đơn vị bầu cử
    full_time: bool = Field(default=False)  # đại biểu hoạt động chuyên trách
    education: str | None = Field(default=None, sa_type=short_text(20))
    education_recorded_on: date | None = None
    education_recorded_by: int | None = Field(default=None, foreign_key="account.id")
    theory: str | None = Field(default=None, sa_type=short_text(20))
    theory_recorded_on: date | None = None
    theory_recorded_by: int | None = Field(default=None, foreign_key="account.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TrainingCourse(Tenanted, SQLModel, table=True):
    """A training course (lớp bồi dưỡng) for delegates and staff."""

    __tablename__ = "training_course"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    title: str = Field(max_length=300)
    topic: str = Field(default="", max_length=200)
    digital_skills: bool = Field(default=False)  # kỹ năng số
    ai: bool = Field(default=False)  # sử dụng trí tuệ nhân tạo
    starts_on: date = Field(index=True)
    ends_on: date
    organiser: str = Field(default="", max_length=300)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TrainingAttendance(Tenanted, SQLModel, table=True):
    """A person who attended a course, with the certificate's PDF if uploaded."""

    __tablename__ = "training_attendance"
    __table_args__ = (UniqueConstraint("course_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    course_id: int = Field(foreign_key="training_course.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    certificate_key: str | None = Field(default=None, max_length=64, unique=True)
    certificate_name: str = Field(default="", max_length=255)  # a label, never a path
    certificate_sha256: str = Field(default="", max_length=64)
    certificate_size: int | None = Field(default=None, sa_type=BigInteger)


class SupervisionParticipant(Tenanted, SQLModel, table=True):
    """A delegate who took part in a supervision (a delegate group's, above all)."""

    __tablename__ = "supervision_participant"
    __table_args__ = (UniqueConstraint("supervision_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    supervision_id: int = Field(foreign_key="supervision.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)


class CongressTarget(Tenanted, SQLModel, table=True):
    """One target of the Party congress resolution (Nghị quyết Đại hội Đảng bộ xã)."""

    __tablename__ = "congress_target"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    code: str = Field(max_length=20)  # as the congress resolution numbers it
    text: str = Field(max_length=1000)
    source: str = Field(default="", max_length=300)  # the congress resolution
    position: int = Field(default=0)


class CongressTargetLink(Tenanted, SQLModel, table=True):
    """A council resolution that makes a congress target concrete."""

    __tablename__ = "congress_target_link"
    __table_args__ = (UniqueConstraint("target_id", "resolution_id"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    target_id: int = Field(foreign_key="congress_target.id", index=True)
    resolution_id: int = Field(foreign_key="resolution.id", index=True)


class EntitlementEntry(Tenanted, SQLModel, table=True):
    """A regime (chế độ, chính sách; ``shared.rules.entitlements``) ensured for a delegate
    for a period, as staff record it from the voucher: target (8) counts these, never a
    figure typed by hand. Personal data: staff and the delegate only."""

    __tablename__ = "entitlement_entry"
    __table_args__ = (UniqueConstraint("person_id", "regime", "period_start"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    regime: str = Field(max_length=40)
    period_start: date = Field(index=True)  # first day of the month, year or term
    voucher: str = Field(default="", max_length=100)  # chứng từ (số phiếu chi, ...)
    recorded_by: int | None = Field(default=None, foreign_key="account.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
