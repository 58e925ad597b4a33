"""Shapes of the questioning routes (chất vấn, server/routes/questioning.py)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from server.models.base import id_of
from server.models.questioning import PreparedQuestion
from server.schemas.base import MAX_ID
from shared.live.commands import MAX_QUESTION_CHARS


class QuestionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "to_whom": "Chủ tịch UBND xã", "topic": "Đường liên thôn Y Tý - A Lù",
        "text": "Khi nào hoàn thành đường liên thôn?", "petition_ids": []}]})
    to_whom: str = Field(min_length=1, max_length=300)
    topic: str = Field(min_length=1, max_length=300)
    text: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    petition_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(default=[],
                                                                       max_length=20)


class QuestionSchedule(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "addressee_id": 3, "position": 1, "prepare_by": "2026-11-25",
        "group_label": "Giao thông"}]})
    addressee_id: int = Field(ge=1, le=MAX_ID)
    position: int = Field(ge=1, le=10_000)
    prepare_by: date | None = None
    group_label: str = Field(default="", max_length=200)


class WrittenDue(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "due": "2026-12-20"}]})
    due: date


class QuestionRead(BaseModel):
    id: int
    session_id: int
    place: int
    person_id: int
    to_whom: str
    topic: str
    text: str
    petition_ids: list[int]
    status: str
    group_label: str
    addressee_id: int | None
    prepare_by: date | None
    sitting_id: int | None
    live_question_id: str | None
    conclusion: str
    written_due: date | None
    answer_document_id: int | None
    answered_on: date | None
    list_size: int | None = None  # the tablet's routes: how many questions the list holds

    @classmethod
    def of(cls, q: PreparedQuestion, place: int, petition_ids: list[int]) -> QuestionRead:
        return cls(**{k: getattr(q, k) for k in cls.model_fields if k not in
                      ("id", "place", "petition_ids", "list_size")}, id=id_of(q), place=place,
                   petition_ids=petition_ids)


class PublicQuestion(BaseModel):
    id: int
    session_id: int
    asker: str
    answerer: str
    topic: str
    text: str
    status: str
    conclusion: str
    answer_document_id: int | None
    answered_on: date | None



class ProgrammePublished(BaseModel):
    """The programme as a document of the session: the next agenda pack carries it."""

    document_id: int
    version: int


class QuestionsCalled(BaseModel):
    sent: int  # how many questions went into the sitting
