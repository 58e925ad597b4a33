from __future__ import annotations

import json

from fastapi import APIRouter, Query
from sqlmodel import col, select

from server.deps import ADMIN_ONLY, SessionDep
from server.models import AuditEntry
from server.routes.common import AUTH_PROBLEMS
from server.schemas.audit import AuditRead, ChainRead
from server.schemas.base import MAX_ID
from server.services import renumbering
from server.services.audit import verify_chain

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=list[AuditRead], responses=AUTH_PROBLEMS,
            summary="Newest audit entries (admin)", dependencies=[ADMIN_ONLY])
def list_entries(db: SessionDep,
                 limit: int = Query(default=100, ge=1, le=1000),
                 before_id: int | None = Query(default=None, ge=1, le=MAX_ID),
                 ) -> list[AuditRead]:
    query = select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(limit)
    if before_id is not None:
        query = query.where(col(AuditEntry.id) < before_id)
    return [AuditRead(id=e.id, at=e.at, actor_username=e.actor_username, action=e.action,
                      target_type=e.target_type, target_id=e.target_id,
                      target_id_now=renumbering.audit_target_today(db, e),
                      detail=json.loads(e.detail), hash=e.hash) for e in db.exec(query)]


@router.get("/verify", response_model=ChainRead, responses=AUTH_PROBLEMS,
            summary="Recompute the audit hash chain (admin)", dependencies=[ADMIN_ONLY])
def verify(db: SessionDep) -> ChainRead:
    report = verify_chain(db)
    return ChainRead(ok=report.ok, entries=report.entries,
                     first_broken_id=report.first_broken_id, reason=report.reason)
