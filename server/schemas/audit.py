"""Shapes of the audit log's REST side (server/routes/audit.py)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class AuditRead(BaseModel):
    id: int
    at: datetime
    actor_username: str
    action: str
    target_type: str
    target_id: str
    # made before its council moved beside others (hdnd import): the target's id today
    target_id_now: str | None = None
    detail: dict
    hash: str


class ChainRead(BaseModel):
    """Whether the hash chain still holds, and where it first breaks if not."""

    ok: bool
    entries: int
    first_broken_id: int | None
    reason: str
