"""Session documents and their versions. A revision never overwrites an earlier version."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.base import Tenanted, UTCDateTime, short_text, utcnow


class DocumentKind(StrEnum):
    submission = "submission"  # tờ trình
    report = "report"  # báo cáo
    review_report = "review_report"  # báo cáo thẩm tra
    draft_resolution = "draft_resolution"  # dự thảo nghị quyết
    minutes = "minutes"  # biên bản, made by the system from the draft
    resolution = "resolution"  # nghị quyết, made from a passed vote
    other = "other"


class Confidentiality(StrEnum):
    public = "public"  # anyone, the public portal included, once published
    internal = "internal"  # members of the body, officers, invited officials, observers
    restricted = "restricted"  # only the people named in DocumentGrant


class Document(Tenanted, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    session_id: int = Field(foreign_key="council_session.id", index=True)
    agenda_item_id: int | None = Field(default=None, foreign_key="agendaitem.id", index=True)
    title: str = Field(max_length=500)
    # Số, ký hiệu as printed on the paper ("125/TTr-UBND"); empty for a paper with none.
    number: str = Field(default="", max_length=60)
    kind: DocumentKind = Field(sa_type=short_text(20))
    confidentiality: Confidentiality = Field(sa_type=short_text(16))
    current_version: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Withdrawn (rút) after publication: kept in the record, left out of later packs and
    # of the portal. Before publication a document is deleted instead.
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_reason: str = Field(default="", max_length=1000)


class DocumentVersion(Tenanted, SQLModel, table=True):
    __table_args__ = (UniqueConstraint("document_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    version: int = Field(ge=1)
    original_filename: str = Field(max_length=255)  # shown to people, never used as a path
    storage_key: str = Field(max_length=64, unique=True)  # random name of the stored file
    size: int = Field(sa_type=BigInteger)
    page_count: int
    sha256: str = Field(max_length=64)
    note: str = Field(default="", max_length=1000)
    # How much text reached search (server.documents.inspection.TextStatus).
    text_status: str = Field(default="complete", max_length=16)
    uploaded_by: int | None = Field(default=None, foreign_key="account.id")
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DocumentGrant(Tenanted, SQLModel, table=True):
    """Who may read a restricted document."""

    __table_args__ = (UniqueConstraint("document_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
