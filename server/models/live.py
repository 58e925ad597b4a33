"""Tables of the live sitting: the sitting, its event log, idempotency receipts, ballot box.

The event log is the sitting's record (and its audit trail): the state is always the
reducer (``shared.live.state``) folded over these rows. ``SecretTally`` is the database
ballot box of secret modes and holds counts only: no voter, no time, no per-ballot row,
and no autoincrement id (rows are all created when the vote opens, so their order says
nothing about who voted first).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.base import Tenanted, UTCDateTime, short_text, utcnow


class Sitting(Tenanted, SQLModel, table=True):
    """One sitting (phiên họp) of a session; ``roster`` is the JSON the reducer starts from."""

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    session_id: int = Field(foreign_key="council_session.id", index=True)
    title: str = Field(max_length=300)
    # When and where it is to be held, as the notice says; editable until it opens.
    scheduled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    place: str = Field(default="", max_length=300)
    status: str = Field(default="scheduled", sa_type=short_text(16))  # scheduled|open|closed
    roster: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    opened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LiveEvent(Tenanted, SQLModel, table=True):
    """One event; (sitting_id, seq) unique, so two workers can never append the same seq."""

    __tablename__ = "live_event"
    __table_args__ = (UniqueConstraint("sitting_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    sitting_id: int = Field(foreign_key="sitting.id", index=True)
    seq: int
    type: str = Field(sa_type=short_text(40))
    payload: str = Field(sa_type=Text)
    at: datetime = Field(sa_type=UTCDateTime)


class CommandReceipt(Tenanted, SQLModel, table=True):
    """The answer given to a command key, so a resent command gets it again, undecided."""

    __tablename__ = "command_receipt"
    __table_args__ = (UniqueConstraint("sitting_id", "person_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    sitting_id: int = Field(foreign_key="sitting.id", index=True)
    person_id: int
    key: str = Field(max_length=100)
    answer: str = Field(sa_type=Text)


class SecretTally(Tenanted, SQLModel, table=True):
    """Counts of one secret vote per counting key; never a voter, never a time."""

    __tablename__ = "secret_tally"

    sitting_id: int = Field(foreign_key="sitting.id", primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    vote_id: str = Field(max_length=40, primary_key=True)
    choice_key: str = Field(max_length=120, primary_key=True)
    count: int = Field(default=0)


class SittingDelegation(Tenanted, SQLModel, table=True):
    """The chair lets a clerk's account drive the sitting from the console on the chair's
    behalf (a secretariat operator at the chair's word); revoked by setting ``revoked_at``."""

    __tablename__ = "sitting_delegation"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    sitting_id: int = Field(foreign_key="sitting.id", index=True)
    account_id: int = Field(foreign_key="account.id")  # the operator
    chair_person_id: int = Field(foreign_key="person.id")  # on whose behalf
    granted_by: int = Field(foreign_key="account.id")
    granted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
