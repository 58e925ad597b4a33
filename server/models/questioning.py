"""Questions registered before a sitting (chất vấn, giải trình), from the delegate's
registration to the official's last written answer.

The hall part of a question lives in the sitting's event log (``question_registered`` and
what follows); this row is the part before and after: who asked whom about what, the
Standing Committee's order and deadline, the written answer and its publication.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from server.models.base import Tenanted, UTCDateTime, short_text, utcnow


class QuestionStatus(StrEnum):
    registered = "registered"  # the delegate sent it
    scheduled = "scheduled"  # the Standing Committee gave it an official, a place, a deadline
    called = "called"  # sent into the sitting's list
    answered = "answered"  # answered in the hall
    in_writing = "in_writing"  # not reached, or sent to writing: a written answer is due
    written = "written"  # the written answer is in and published


class PreparedQuestion(Tenanted, SQLModel, table=True):
    __tablename__ = "prepared_question"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    session_id: int = Field(foreign_key="council_session.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)  # the asking delegate
    to_whom: str = Field(max_length=300)  # as the delegate wrote it
    topic: str = Field(max_length=300)
    text: str = Field(sa_type=Text)
    petition_ids: str = Field(default="", max_length=500)  # tracked_item ids, "12,40"
    status: str = Field(default=QuestionStatus.registered.value, sa_type=short_text(16),
                        index=True)
    group_label: str = Field(default="", max_length=200)
    position: int | None = None
    addressee_id: int | None = Field(default=None, foreign_key="person.id")
    prepare_by: date | None = None
    sitting_id: int | None = Field(default=None, foreign_key="sitting.id", index=True)
    live_question_id: str | None = Field(default=None, max_length=16)
    conclusion: str = Field(default="", sa_type=Text)
    written_due: date | None = None
    answer_document_id: int | None = Field(default=None, foreign_key="document.id")
    answered_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
