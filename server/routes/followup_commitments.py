"""``POST /api/followup/sittings/{id}/import-commitments``: a clerk turns a sitting's
commitments into followed items (closing the sitting already does it; this is the backfill
for sittings closed before, and is safe to repeat)."""

from __future__ import annotations

from fastapi import APIRouter

from server.deps import SessionDep, StaffPrincipal
from server.routes.common import AUTH_PROBLEMS
from server.schemas.base import PathId
from server.schemas.followup import ItemRead
from server.services import followup, followup_commitments

router = APIRouter(prefix="/followup", tags=["follow-up"])


@router.post("/sittings/{sitting_id}/import-commitments", response_model=list[ItemRead],
             responses=AUTH_PROBLEMS,
             summary="Follow up every commitment made in a sitting's questioning (clerk; "
                     "repeating it adds nothing)")
def import_commitments(sitting_id: PathId, principal: StaffPrincipal,
                       db: SessionDep) -> list[ItemRead]:
    items = followup_commitments.import_commitments(db, sitting_id, principal.account)
    db.commit()
    return [followup.describe(item) for item in items]
