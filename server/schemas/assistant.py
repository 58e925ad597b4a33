"""The assistant's request and answer on the API."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from server.schemas.base import DbId, example
from shared.assistant.answer import Answer


class AssistantQuestion(BaseModel):
    model_config = example({"question": "Kè chống sạt lở Km 7+300 được bổ sung bao nhiêu?",
                            "session_id": 1, "lang": "vi"})

    question: str = Field(min_length=1, max_length=500)
    document_id: DbId | None = Field(None, description="Ask about this document only.")
    session_id: DbId | None = Field(None, description="Ask about this session's documents only.")
    lang: Literal["vi", "en"] = "vi"


class CitationRead(BaseModel):
    number: int
    source_type: str
    source_id: int
    title: str
    page: int
    section: str
    link: str
    quote: str


class AssistantAnswer(BaseModel):
    question: str
    found: bool = Field(description="False: nothing relevant the reader may see; no citations.")
    text: str = Field(description="The answer; it refers to citations as [1], [2] …")
    mode: Literal["passages", "model", "summary"]
    notice: str = Field("", description="Why the answer is the passages (model server down).")
    citations: list[CitationRead]

    @classmethod
    def of(cls, answer: Answer) -> AssistantAnswer:
        return cls(question=answer.question, found=answer.found, text=answer.text,
                   mode=answer.mode, notice=answer.notice,
                   citations=[CitationRead(**{f: getattr(c, f) for f in CitationRead.model_fields})
                              for c in answer.citations])
