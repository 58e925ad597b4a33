"""A citizen's case sent through the portal: the tracking code, the sealed sender, and the
notices sent to them. The case's life cycle is its :class:`TrackedItem` (kind
``citizen_complaint``), so the plan's target (5) counts it like any complaint received at
the reception desk.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from server.models.base import Tenanted, UTCDateTime, short_text, utcnow


class CitizenCase(Tenanted, SQLModel, table=True):
    """What only a portal case has; everything else is on its tracked item."""

    __tablename__ = "citizen_case"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    item_id: int = Field(foreign_key="tracked_item.id", unique=True)
    code: str = Field(sa_type=short_text(16), unique=True)  # the sender's tracking code
    case_type: str = Field(sa_type=short_text(16))  # server.citizens.rules.CaseType
    # The sender's name and contact, sealed (AES-256-GCM) with a key derived from the
    # server's secret: a copied database or backup does not give them away.
    sender_sealed: str = Field(default="", sa_type=Text)
    notify_by: str = Field(default="", sa_type=short_text(8))  # "", "email", "sms"
    handler_account_id: int | None = Field(default=None, foreign_key="account.id")
    answer_public: bool = Field(default=False)  # the reply may be shown on the status page
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CitizenNotice(Tenanted, SQLModel, table=True):
    """One notice sent (or tried) to the sender: which step, which channel, the outcome.

    The address is not kept here: it stays sealed on the case only.
    """

    __tablename__ = "citizen_notice"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    case_id: int = Field(foreign_key="citizen_case.id", index=True)
    step: str = Field(sa_type=short_text(16))  # received, forwarded, answered, closed
    channel: str = Field(sa_type=short_text(8))  # email, sms
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
