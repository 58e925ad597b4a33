"""The append-only, hash-chained audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.base import Tenanted, UTCDateTime, utcnow


class AuditEntry(Tenanted, SQLModel, table=True):
    # each council's chain can never fork; two chains may both start from the zero hash
    # (a commune's that began before councils were tenants, imported beside another)
    __table_args__ = (UniqueConstraint("council_id", "prev_hash",
                                       name="uq_auditentry_council_prev_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor_account_id: int | None = Field(default=None, index=True)
    actor_username: str = Field(default="", max_length=64)
    action: str = Field(max_length=64, index=True)
    target_type: str = Field(max_length=64)
    target_id: str = Field(default="", max_length=64)
    detail: str = Field(default="{}", sa_type=Text)  # canonical JSON
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
