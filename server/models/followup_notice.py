"""Reminders about followed items' deadlines, shown in the console and sent by e-mail.

One row per item, deadline and reminder (7 days before, 1 day before, the day after): the
unique key is what keeps a reminder from being sent twice, whoever runs the job and how
often. A changed deadline gets its own reminders.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.base import Tenanted, UTCDateTime, utcnow


class FollowupReminder(Tenanted, SQLModel, table=True):
    __tablename__ = "followup_reminder"
    __table_args__ = (UniqueConstraint("item_id", "due_on", "days_from_due"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    item_id: int = Field(foreign_key="tracked_item.id", index=True)
    due_on: date
    days_from_due: int  # -7, -1 before the deadline; +1 the day after
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    emailed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    email_error: str = Field(default="", max_length=500)
