"""Digital signatures found valid on a stored document version (server/signatures)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.base import Tenanted, UTCDateTime, utcnow


class DocumentSignature(Tenanted, SQLModel, table=True):
    """One signature of a signed version, in signing order, as the validator found it."""

    __tablename__ = "document_signature"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    version_id: int = Field(foreign_key="documentversion.id", index=True)
    position: int = Field(ge=1)  # 1 = first signer
    field_name: str = Field(max_length=100)
    signer_name: str = Field(max_length=300)
    subject: str = Field(max_length=1000)
    issuer: str = Field(max_length=1000)
    serial: str = Field(max_length=100)
    signing_time: datetime = Field(sa_type=UTCDateTime)
    valid: bool
    # pyHanko's one-line summary at the time of the check ("INTACT:TRUSTED,…")
    summary: str = Field(default="", max_length=500)
    checked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
