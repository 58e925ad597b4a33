"""Request and response shapes of the follow-up API (items, resolutions, supervisions,
voter meetings, complaints, attachments, search, indicators)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from server.followup.states import Action, ItemKind, Status
from server.models.followup import ComplaintType, SupervisionKind
from server.schemas.base import MULTI_LINE, ONE_LINE, DbId, Input, Name, Output, Patch, example

Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300,
                                         pattern=ONE_LINE)]
Body = Annotated[str, StringConstraints(max_length=20000, pattern=MULTI_LINE)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500,
                                         pattern=ONE_LINE)]


class ItemCreate(Input):
    model_config = example(
        {
            "kind": "resolution_task",
            "title": "Hoàn thành kè chống sạt lở đường liên thôn",
            "due_on": "2026-12-31",
            "responsible_agency": "UBND xã Y Tý",
            "field": "Giao thông",
            "resolution_id": 1,
        }
    )

    kind: ItemKind
    title: Title
    text: Body = ""
    received_on: date | None = None
    """Local date of receipt; today in Asia/Ho_Chi_Minh when left out."""
    due_on: date | None = None
    """Left out for a complaint: computed from the legal time limit."""
    responsible_agency: Short = ""
    field: Short = ""
    area: Short = ""
    voters_group: Short = ""
    public: bool = False
    session_id: DbId | None = None
    agenda_item_id: DbId | None = None
    sitting_id: DbId | None = None
    commitment_id: Annotated[str, StringConstraints(max_length=64)] | None = None
    resolution_id: DbId | None = None
    supervision_id: DbId | None = None
    voter_meeting_id: DbId | None = None


class ItemUpdate(Patch):
    nullable = frozenset({"due_on"})
    model_config = example({"due_on": "2027-03-31", "public": True})

    title: Title | None = None
    text: Body | None = None
    due_on: date | None = None
    responsible_agency: Short | None = None
    field: Short | None = None
    area: Short | None = None
    public: bool | None = None


class SenderData(Input):
    full_name: Name
    address: Short = ""
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = ""
    id_number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] = ""


class ComplaintCreate(Input):
    model_config = example(
        {
            "complaint_type": "complaint",
            "title": "Khiếu nại mức bồi thường khi thu hồi đất",
            "received_on": "2026-12-22",
            "area": "Lao Chải",
            "sender": {"full_name": "Lý A Chỉnh", "address": "Thôn Lao Chải"},
        }
    )

    complaint_type: ComplaintType
    title: Title
    text: Body = ""
    received_on: date | None = None
    responsible_agency: Short = ""
    field: Short = ""
    area: Short = ""
    remote_area: bool = False
    """Vùng sâu, vùng xa: the longer settlement limit applies."""
    sender: SenderData


class ActionRequest(Input):
    model_config = example(
        {
            "action": "record_answer",
            "note": "Công văn số 12/UBND",
            "answer": "Đã bố trí kinh phí sửa chữa trong quý I.",
            "as_role": "agency",
        }
    )

    action: Action
    note: Annotated[str, StringConstraints(max_length=5000)] = ""
    answer: Body | None = None
    """With ``record_answer``: the agency's answer, stored on the item."""
    as_role: str | None = None
    """The role the clerk records on behalf of (agency, standing_committee); default clerk."""


class EventRead(Output):
    at: datetime
    action: str
    from_status: str
    to_status: str
    actor_role: str
    actor_account_id: int | None
    note: str


class AttachmentRead(Output):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class ItemRead(Output):
    id: int
    kind: str
    title: str
    text: str
    status: str
    effective_status: Status
    status_label_vi: str
    status_label_en: str
    received_on: date
    due_on: date | None
    days_left: int | None
    overdue_days: int | None = None
    """Days past the deadline of an item still open; None when not late (or closed)."""
    responsible_agency: str
    field: str
    area: str
    voters_group: str
    complaint_type: str | None
    session_id: int | None
    agenda_item_id: int | None
    sitting_id: int | None
    commitment_id: str | None
    resolution_id: int | None
    supervision_id: int | None
    voter_meeting_id: int | None
    group_id: int | None
    public: bool
    answer: str
    forwarded_at: datetime | None
    answered_at: datetime | None
    verified_at: datetime | None
    sender_notified_at: datetime | None


class ItemDetail(ItemRead):
    history: list[EventRead]
    attachments: list[AttachmentRead]
    allowed_actions: list[str]


class SenderRead(Output):
    full_name: str
    address: str
    phone: str
    id_number: str
    handler_account_id: int | None


class ItemPage(Output):
    total: int
    items: list[ItemRead]


class ResolutionCreate(Input):
    model_config = example(
        {
            "number": "15/NQ-HĐND",
            "title": "Nghị quyết về phòng, chống thiên tai",
            "adopted_on": "2026-07-10",
            "public": True,
        }
    )

    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
    title: Title
    adopted_on: date
    session_id: DbId | None = None
    document_id: DbId | None = None
    public: bool = False


class ResolutionRead(Output):
    id: int
    number: str
    title: str
    adopted_on: date
    session_id: int | None
    document_id: int | None
    public: bool


class ResolutionDetail(ResolutionRead):
    tasks: list[ItemRead]


class SupervisionCreate(Input):
    model_config = example(
        {
            "body_id": 2,
            "year": 2026,
            "kind": "thematic",
            "subject": "Giám sát việc giải quyết kiến nghị cử tri",
        }
    )

    body_id: DbId
    year: int = Field(ge=2000, le=2200)
    kind: SupervisionKind
    digital: bool = False
    subject: Title
    conclusions: Body = ""
    planned_on: date | None = None
    started_on: date | None = None
    concluded_on: date | None = None
    public: bool = False


class SupervisionUpdate(Patch):
    nullable = frozenset({"started_on", "concluded_on"})
    model_config = example(
        {"conclusions": "Còn 7 kiến nghị quá hạn trả lời.", "concluded_on": "2026-05-29", "public": True}
    )

    digital: bool | None = None
    conclusions: Body | None = None
    started_on: date | None = None
    concluded_on: date | None = None
    public: bool | None = None


class SupervisionRead(Output):
    id: int
    body_id: int
    year: int
    kind: str
    digital: bool
    subject: str
    conclusions: str
    planned_on: date | None
    started_on: date | None
    concluded_on: date | None
    public: bool


class SupervisionDetail(SupervisionRead):
    recommendations: list[ItemRead]


class VoterMeetingCreate(Input):
    model_config = example(
        {
            "held_on": "2026-06-08",
            "place": "Nhà văn hóa thôn Lao Chải",
            "area": "Lao Chải",
            "delegate_ids": [3, 4],
        }
    )

    held_on: date
    place: Short
    area: Short = ""
    body_id: DbId | None = None
    voters_present: int | None = Field(default=None, ge=0)
    note: Annotated[str, StringConstraints(max_length=2000)] = ""
    delegate_ids: list[DbId] = Field(default_factory=list, max_length=500)


class VoterMeetingRead(Output):
    id: int
    held_on: date
    place: str
    area: str
    body_id: int | None
    voters_present: int | None
    note: str
    delegate_ids: list[int]


class PetitionCreate(Input):
    model_config = example({"title": "Đường liên thôn bị sạt lở, đề nghị sửa chữa", "field": "Giao thông"})

    """A petition recorded at a voter meeting: place and area default to the meeting's."""

    title: Title
    text: Body = ""
    field: Short = ""
    area: Short = ""
    voters_group: Short = ""
    responsible_agency: Short = ""
    due_on: date | None = None
    public: bool = False


class SimilarGroup(Output):
    ids: list[int]
    score: float
    member_scores: list[float]
    key_terms: list[str]
    titles: list[str]


class MergeRequest(Input):
    model_config = example({"ids": [12, 15, 19]})

    ids: list[DbId] = Field(min_length=2, max_length=500)


class MergeResult(Output):
    group_id: int
    ids: list[int]


class SearchHit(Output):
    source_type: str
    source_id: int
    page: int
    title: str
    snippet: str
    """Original (accented) text around the hits, HTML-escaped, hits in <mark>."""
    rank: float


class SearchNotice(Output):
    """Why the answer is not the whole story: the query was cut, or more matched."""

    code: str
    message_vi: str
    message_en: str


class SearchResults(Output):
    query: str
    total: int
    """Matches ranked (at most ``server.services.search.MAX_CANDIDATES``) the caller may see."""
    hits: list[SearchHit]
    notices: list[SearchNotice] = []
    suggestion: str | None = None
    """When nothing was found: the query with its misspelled words corrected, which does
    find something the caller may see ("Có phải bạn muốn tìm …?")."""


class Indicator(Output):
    key: str
    label_vi: str
    label_en: str
    value: float
    target: float
    comparison: str
    """">=" (value at least target) — every target of the plan is a floor."""
    met: bool
    numerator: int
    denominator: int
    unit: str
    """"count" or "ratio" (0..1)."""
    item_type: str
    """What ``item_ids`` are: tracked_item, supervision, voter_meeting, session."""
    item_ids: list[int]
    missing_ids: list[int] = []
    """What keeps the target from being met (delegates absent, items not done…)."""
    detail: dict[str, object] = {}
    plan_target: str = ""
    """The plan's number for the target in section II.2: "(1)" … "(7)"."""
    measured: bool = True
    """False when the data to measure it does not exist yet: no figure is shown then."""
    reason_vi: str = ""
    reason_en: str = ""


class IndicatorReport(Output):
    year: int
    indicators: list[Indicator]
