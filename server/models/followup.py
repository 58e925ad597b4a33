"""What the council follows until it is done: one tracked-item table for all five kinds.

Resolutions' tasks, supervision recommendations, questioning commitments, voter petitions
and citizens' complaints share :class:`TrackedItem` and its history
(:class:`TrackedItemEvent`), so one life cycle (``server.followup.lifecycle``) serves them
all. What only one kind has lives beside it: the resolution, the supervision, the voter
meeting, the complainant's personal data (kept apart so that no list can leak it).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.base import Tenanted, UTCDateTime, short_text, utcnow


class SupervisionKind(StrEnum):
    thematic = "thematic"  # giám sát chuyên đề
    regular = "regular"  # giám sát thường xuyên


class ComplaintType(StrEnum):
    complaint = "complaint"  # khiếu nại
    denunciation = "denunciation"  # tố cáo: the denouncer's identity stays confidential
    petition = "petition"  # kiến nghị
    feedback = "feedback"  # phản ánh


class Resolution(Tenanted, SQLModel, table=True):
    """A resolution (nghị quyết) adopted at a session; its tasks are tracked items."""

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    number: str = Field(max_length=50, index=True)  # "15/NQ-HĐND"
    title: str = Field(max_length=500)
    adopted_on: date
    session_id: int | None = Field(default=None, foreign_key="council_session.id", index=True)
    document_id: int | None = Field(default=None, foreign_key="document.id")
    public: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Supervision(Tenanted, SQLModel, table=True):
    """One supervision in a body's yearly programme, with its conclusions."""

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    body_id: int = Field(foreign_key="body.id", index=True)
    year: int = Field(index=True, ge=2000, le=2200)
    kind: SupervisionKind = Field(sa_type=short_text(16))
    digital: bool = Field(default=False)  # done through the digital environment
    subject: str = Field(max_length=500)
    conclusions: str = Field(default="", sa_type=Text)
    planned_on: date | None = None
    started_on: date | None = None
    concluded_on: date | None = None
    public: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class VoterMeeting(Tenanted, SQLModel, table=True):
    """A voter meeting (tiếp xúc cử tri) held by a delegate group."""

    __tablename__ = "voter_meeting"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    body_id: int | None = Field(default=None, foreign_key="body.id", index=True)
    held_on: date = Field(index=True)
    place: str = Field(max_length=300)
    area: str = Field(default="", max_length=200)  # thôn / village
    voters_present: int | None = Field(default=None, ge=0)
    note: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class VoterMeetingDelegate(Tenanted, SQLModel, table=True):
    """A delegate who attended a voter meeting."""

    __tablename__ = "voter_meeting_delegate"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    meeting_id: int = Field(foreign_key="voter_meeting.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)


class TrackedItem(Tenanted, SQLModel, table=True):
    """Anything followed until done; ``kind`` says which of the five it is."""

    __tablename__ = "tracked_item"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    kind: str = Field(sa_type=short_text(32), index=True)  # server.followup.states.ItemKind
    title: str = Field(max_length=500)
    text: str = Field(default="", sa_type=Text)
    status: str = Field(default="received", sa_type=short_text(16), index=True)
    received_on: date = Field(index=True)  # local date (Asia/Ho_Chi_Minh)
    due_on: date | None = Field(default=None, index=True)
    responsible_agency: str = Field(default="", max_length=300, index=True)
    field: str = Field(default="", max_length=100, index=True)  # lĩnh vực
    area: str = Field(default="", max_length=200, index=True)  # thôn / village
    voters_group: str = Field(default="", max_length=200)
    complaint_type: str | None = Field(default=None, sa_type=short_text(16))
    # Where it came from.
    session_id: int | None = Field(default=None, foreign_key="council_session.id", index=True)
    agenda_item_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    sitting_id: int | None = None  # the live sitting; no foreign key: its table is elsewhere
    commitment_id: str | None = Field(default=None, max_length=64)
    resolution_id: int | None = Field(default=None, foreign_key="resolution.id", index=True)
    supervision_id: int | None = Field(default=None, foreign_key="supervision.id", index=True)
    voter_meeting_id: int | None = Field(default=None, foreign_key="voter_meeting.id",
                                         index=True)
    group_id: int | None = Field(default=None, index=True)  # merged petitions: first item's id
    public: bool = Field(default=False, index=True)
    answer: str = Field(default="", sa_type=Text)
    forwarded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sender_notified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TrackedItemEvent(Tenanted, SQLModel, table=True):
    """One line of an item's history: who did what, from which status to which, and when."""

    __tablename__ = "tracked_item_event"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    item_id: int = Field(foreign_key="tracked_item.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    action: str = Field(sa_type=short_text(32))
    from_status: str = Field(sa_type=short_text(16))
    to_status: str = Field(sa_type=short_text(16))
    actor_role: str = Field(sa_type=short_text(32))
    actor_account_id: int | None = Field(default=None, foreign_key="account.id")
    note: str = Field(default="", sa_type=Text)


class ComplainantRecord(Tenanted, SQLModel, table=True):
    """The sender of a citizen's complaint: personal data, readable by clerks only.

    For a denunciation only the handling clerk reads it (Luật Tố cáo 2018 protects the
    denouncer's identity); it never appears in lists, search or exports.
    """

    __tablename__ = "complainant_record"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    item_id: int = Field(foreign_key="tracked_item.id", unique=True)
    full_name: str = Field(max_length=200)
    address: str = Field(default="", max_length=500)
    phone: str = Field(default="", max_length=40)
    id_number: str = Field(default="", max_length=20)  # CCCD
    handler_account_id: int | None = Field(default=None, foreign_key="account.id")


class Attachment(Tenanted, SQLModel, table=True):
    """Evidence attached to a tracked item, stored under a random name."""

    __tablename__ = "followup_attachment"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    item_id: int = Field(foreign_key="tracked_item.id", index=True)
    original_name: str = Field(max_length=255)  # a label, never a path
    content_type: str = Field(max_length=64)
    storage_key: str = Field(max_length=64, unique=True)
    size: int = Field(sa_type=BigInteger)
    sha256: str = Field(max_length=64)
    uploaded_by: int | None = Field(default=None, foreign_key="account.id")
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SearchEntry(Tenanted, SQLModel, table=True):
    """One searchable text: an item, a resolution, a supervision or a document's page.

    ``folded`` holds ``fold(title + body)``; SQLite indexes it in the FTS5 table
    ``search_fts`` (rowid = this id), PostgreSQL through a GIN index on
    ``to_tsvector('simple', folded)``. Both are created in migration 0004; 0012 adds
    ``council_id`` with an index on ``(council_id, id)`` and, on PostgreSQL, keeps the long
    columns out of the table's pages (``toast_tuple_target``) so that scanning matches
    reads little.
    """

    __tablename__ = "search_entry"
    __table_args__ = (UniqueConstraint("source_type", "source_id", "page"),)

    id: int | None = Field(default=None, primary_key=True)
    source_type: str = Field(sa_type=short_text(16))
    source_id: int
    page: int = Field(default=0)
    title: str = Field(max_length=500)
    body: str = Field(default="", sa_type=Text)
    folded: str = Field(default="", sa_type=Text)
    public: bool = Field(default=False)
    # Whose text it is, for a province's per-council search (migration 0012); None when
    # the source names no session or body.
    council_id: int | None = Field(default=None, foreign_key="council.id")


class SearchWord(Tenanted, SQLModel, table=True):
    """A folded word that occurs in a council's indexed text: the list a misspelled word of
    a query is compared with to suggest a correction (migration 0027; PostgreSQL looks it
    up through a ``pg_trgm`` GIN index). Words stay when their entries go: a suggestion is
    only shown once a search for it finds something the caller may see."""

    __tablename__ = "search_word"

    council_id: int | None = Field(default=None, foreign_key="council.id", primary_key=True)
    word: str = Field(primary_key=True, max_length=40)
