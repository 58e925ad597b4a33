from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, model_validator

from server.errors import ValidationFailed
from server.models import AttendanceStatus, SessionKind, SessionOfficerRole, SessionStatus
from server.schemas.base import DbId, Input, LongText, Name, Output, Patch, example


class SessionCreate(Input):
    model_config = example(
        {
            "body_id": 1,
            "title": "Kỳ họp chuyên đề về phòng chống thiên tai",
            "kind": "thematic",
            "start_date": "2026-12-15",
            "place": "Hội trường UBND xã Y Tý",
        }
    )

    body_id: DbId
    title: Name
    kind: SessionKind
    start_date: date
    end_date: date | None = None
    place: str = Field(default="", max_length=300)

    @model_validator(mode="after")
    def _dates_in_order(self) -> SessionCreate:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValidationFailed(
                "Ngày kết thúc trước ngày bắt đầu.",
                "The end date is before the start date.",
                field="end_date",
            )
        return self


class SessionUpdate(Patch):
    model_config = example({"place": "Nhà văn hóa thôn Lao Chải"})

    title: Name | None = None
    kind: SessionKind | None = None
    start_date: date | None = None
    end_date: date | None = None
    place: str | None = Field(default=None, max_length=300)


class SessionRead(Output):
    id: int
    council_id: int
    body_id: DbId
    title: str
    kind: SessionKind
    start_date: date
    end_date: date
    place: str
    status: SessionStatus
    published_at: datetime | None


class AgendaItemCreate(Input):
    model_config = example(
        {
            "title": "Thảo luận tờ trình điều chỉnh dự toán",
            "parent_id": None,
            "duration_minutes": 45,
        }
    )

    title: Name
    parent_id: DbId | None = None
    description: LongText = ""
    presenter: str = Field(default="", max_length=300)
    duration_minutes: int | None = Field(default=None, ge=0, le=24 * 60)


class AgendaItemUpdate(Patch):
    nullable = frozenset({"duration_minutes"})
    model_config = example({"presenter": "Phó Chủ tịch UBND xã"})

    title: Name | None = None
    description: LongText | None = None
    presenter: str | None = Field(default=None, max_length=300)
    duration_minutes: int | None = Field(default=None, ge=0, le=24 * 60)


class AgendaMove(Input):
    """Put an item under ``parent_id`` (None: top level) at ``position`` (0-based)."""

    model_config = example({"parent_id": None, "position": 0})

    parent_id: DbId | None = None
    position: int = Field(ge=0, le=10_000)


class AgendaItemRead(Output):
    id: int
    number: str
    parent_id: DbId | None
    position: int
    title: str
    description: str
    presenter: str
    duration_minutes: int | None
    children: list[AgendaItemRead] = []
    document_ids: list[int] = []


class OfficerSet(Input):
    model_config = example({"person_id": 2, "role": "secretary"})

    person_id: DbId
    role: SessionOfficerRole


class OfficerRead(Output):
    person_id: DbId
    full_name: str
    role: SessionOfficerRole


class AttendanceSet(Input):
    model_config = example({"status": "excused", "note": "Đi công tác huyện"})

    status: AttendanceStatus
    note: str = Field(default="", max_length=500)


class AttendanceRead(Output):
    person_id: DbId
    full_name: str
    status: AttendanceStatus | None
    note: str = ""
    recorded_at: datetime | None = None


class AttendanceSummary(Output):
    total: int
    present: int
    quorum_needed: int
    quorum_met: bool
    people: list[AttendanceRead]
