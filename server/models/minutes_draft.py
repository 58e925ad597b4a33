"""The minutes as a draft the secretary finishes, its edit history, and the resolutions
prepared from passed votes.

A draft is made once per sitting from the event log; after that only people change it,
and every change is a ``MinutesEdit`` row (who, when, the section before and after), so
the history is the table, not a log file. ``state`` moves draft → final (a numbered PDF
stored as a Document, waiting for signatures) → signed (frozen for good).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.base import Tenanted, UTCDateTime, short_text, utcnow


class MinutesState(StrEnum):
    draft = "draft"  # the secretary edits
    final = "final"  # numbered PDF stored, waiting for signatures; reopen to edit again
    signed = "signed"  # frozen: the signed PDF is the record


class MinutesDraft(Tenanted, SQLModel, table=True):
    __tablename__ = "minutes_draft"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    sitting_id: int = Field(foreign_key="sitting.id", unique=True)
    state: MinutesState = Field(default=MinutesState.draft, sa_type=short_text(16))
    # [{"key": "attendance", "heading": "Thành phần tham dự", "text": "..."}, ...]
    sections: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    revision: int = Field(default=1)  # +1 per saved edit: two editors cannot overwrite
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    created_by: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MinutesEdit(Tenanted, SQLModel, table=True):
    """One section changed by one person at one time (or a change of state)."""

    __tablename__ = "minutes_edit"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    draft_id: int = Field(foreign_key="minutes_draft.id", index=True)
    revision: int  # the draft's revision this edit produced
    action: str = Field(max_length=20)  # created, edited, numbered, finalised, reopened, signed
    section_key: str = Field(default="", max_length=40)
    heading: str = Field(default="", max_length=200)
    before: str = Field(default="")
    after: str = Field(default="")
    account_id: int | None = Field(default=None, foreign_key="account.id")
    username: str = Field(default="", max_length=100)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ResolutionStatus(StrEnum):
    awaiting_signature = "awaiting_signature"  # "Chờ ký"
    signed = "signed"


class PreparedResolution(Tenanted, SQLModel, table=True):
    """The resolution document made from a passed vote: one per vote, ever."""

    __tablename__ = "prepared_resolution"
    __table_args__ = (UniqueConstraint("sitting_id", "vote_id"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    sitting_id: int = Field(foreign_key="sitting.id", index=True)
    vote_id: str = Field(max_length=64)
    agenda_item_id: int = Field(foreign_key="agendaitem.id")
    draft_document_id: int = Field(foreign_key="document.id")
    document_id: int = Field(foreign_key="document.id")
    register_entry_id: int = Field(foreign_key="register_entry.id")
    status: ResolutionStatus = Field(default=ResolutionStatus.awaiting_signature,
                                     sa_type=short_text(24))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
