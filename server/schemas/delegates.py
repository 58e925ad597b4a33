"""API shapes for delegate profiles, training, group-supervision participants, congress
targets and the delegate's record."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from server.models.delegates import EducationLevel, TheoryLevel
from server.schemas.base import DbId, Input, Output, Patch, example


class ProfileUpdate(Patch):
    model_config = example({"constituency": "Phìn Hồ", "full_time": True,
                            "education": "university", "education_recorded_on": "2026-01-05",
                            "theory": "intermediate"})
    nullable = frozenset({"education", "theory", "education_recorded_on", "theory_recorded_on"})
    term: str | None = Field(None, max_length=20)
    constituency: str | None = Field(None, max_length=200)
    full_time: bool | None = None
    education: EducationLevel | None = None
    education_recorded_on: date | None = None
    theory: TheoryLevel | None = None
    theory_recorded_on: date | None = None


class UnitRead(Output):
    body_id: int
    name: str
    kind: str
    role: str


class PublicProfile(Output):
    """What the law makes public of a delegate: name, unit, constituency."""

    person_id: int
    full_name: str
    position: str
    term: str
    constituency: str
    units: list[UnitRead]


class ProfileRead(PublicProfile):
    full_time: bool
    education: str | None
    education_recorded_on: date | None
    education_recorded_by: str | None
    theory: str | None
    theory_recorded_on: date | None
    theory_recorded_by: str | None


class CourseCreate(Input):
    model_config = example({"title": "Bồi dưỡng kỹ năng số cho đại biểu HĐND",
                            "topic": "Kỹ năng số", "digital_skills": True, "ai": False,
                            "starts_on": "2026-04-14", "ends_on": "2026-04-16",
                            "organiser": "Sở Khoa học và Công nghệ tỉnh Lào Cai"})
    title: str = Field(min_length=1, max_length=300)
    topic: str = Field("", max_length=200)
    digital_skills: bool = False
    ai: bool = False
    starts_on: date
    ends_on: date
    organiser: str = Field("", max_length=300)


class CourseRead(Output):
    id: int
    title: str
    topic: str
    digital_skills: bool
    ai: bool
    starts_on: date
    ends_on: date
    organiser: str


class PersonIds(Input):
    model_config = example({"person_ids": [3, 4, 5]})
    person_ids: list[DbId] = Field(max_length=500)


class AttendanceRead(Output):
    person_id: int
    certificate_name: str
    certificate_sha256: str
    has_certificate: bool


class CongressTargetIn(Input):
    code: str = Field(min_length=1, max_length=20)
    text: str = Field(min_length=1, max_length=1000)


class CongressTargetsReplace(Input):
    model_config = example({"source": "Nghị quyết Đại hội đại biểu Đảng bộ xã lần thứ I",
                            "targets": [{"code": "1", "text": "Tăng trưởng bình quân 8%/năm"}]})
    source: str = Field(min_length=1, max_length=300)
    targets: list[CongressTargetIn] = Field(max_length=200)


class ResolutionIds(Input):
    model_config = example({"resolution_ids": [1, 3]})
    resolution_ids: list[DbId] = Field(max_length=200)


class LinkedResolution(Output):
    id: int
    number: str
    title: str


class CongressTargetRead(Output):
    id: int
    code: str
    text: str
    source: str
    resolutions: list[LinkedResolution]


class SpeechRead(Output):
    at: datetime
    sitting_id: int
    sitting_title: str
    kind: str
    seconds: int | None
    text: str = ""


class LineRead(Output):
    on: date
    title: str
    ref_type: str
    ref_id: int
    note: str = ""


class RecordRead(Output):
    person_id: int
    year: int
    sessions: list[LineRead]
    sittings: list[LineRead]
    votes: int
    speeches: list[SpeechRead]
    voter_meetings: list[LineRead]
    supervisions: list[LineRead]
    petitions: list[LineRead] | int
    training: list[LineRead] = []


class RegimeRead(Output):
    key: str
    name_vi: str
    name_en: str
    period: str
    required: bool
    source: str
    status: str


class EntitlementsRecord(Input):
    model_config = example({"regime": "activity_allowance", "period": "2026-10-01",
                            "person_ids": [3, 4, 5], "voucher": "PC 125/10"})
    regime: str = Field(max_length=40)
    period: date
    person_ids: list[DbId] = Field(min_length=1, max_length=500)
    voucher: str = Field("", max_length=100)


class EntitlementRead(Output):
    person_id: int
    regime: str
    period_start: date
    voucher: str
    recorded_at: datetime
