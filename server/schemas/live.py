"""Shapes of the live sitting's REST side (server/routes/live.py)."""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from server.models.live import Sitting
from shared.live.state import SittingState


class SittingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"title": "Phiên họp sáng ngày 14/7/2026"}]})
    title: str = Field(min_length=1, max_length=300)
    scheduled_at: AwareDatetime | None = None
    place: str = Field(default="", max_length=300)


class SittingRead(BaseModel):
    id: int
    session_id: int
    title: str
    scheduled_at: Any = None
    place: str = ""
    status: str
    opened_at: Any = None
    closed_at: Any = None

    @classmethod
    def of(cls, sitting: Sitting) -> SittingRead:
        return cls.model_validate(sitting, from_attributes=True)


class SittingView(BaseModel):
    """A sitting and its live state, redacted for the caller (a vote's choices are private)."""

    sitting: SittingRead
    state: SittingState
