"""Follow-up documents: the half-year and annual reviews, and the notice to a complaint's
sender, as PDF or DOCX (clerks only)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Path
from fastapi.responses import Response

from server.deps import STAFF_ONLY, SessionDep, StaffPrincipal
from server.followup import items as followup
from server.followup import notices as followup_notices
from server.followup import reports as followup_reports
from server.reports.download import document_response
from server.routes.common import AUTH_PROBLEMS, problems
from server.schemas.base import PathId

router = APIRouter(prefix="/followup", tags=["follow-up"])
Format = Literal["pdf", "docx"]


@router.get("/reports/{year}/{period}.{fmt}", response_class=Response, responses=AUTH_PROBLEMS,
            summary="Half-year (sơ kết, 'half') or annual (tổng kết, 'annual') review as PDF "
                    "or DOCX (clerk)", dependencies=[STAFF_ONLY])
def review(year: int = Path(ge=2000, le=2200), period: followup_reports.ReviewPeriod = Path(),
           fmt: Format = Path(), *, db: SessionDep) -> Response:
    document = followup_reports.review_document(db, year, period)
    name = f"{'so-ket-6-thang' if period == 'half' else 'tong-ket-nam'}-{year}"
    return document_response(document, fmt, name)


@router.get("/complaints/{item_id}/notice.{fmt}", response_class=Response,
            responses={**AUTH_PROBLEMS, **problems(409)},
            summary="The notice to the sender, forwarded or answered (clerk; a denunciation: "
                    "the handling clerk only)")
def sender_notice(item_id: PathId, fmt: Format, principal: StaffPrincipal,
                  db: SessionDep) -> Response:
    item = followup.get_item(db, item_id, principal)
    document = followup_notices.sender_notice(db, principal, item)
    response = document_response(document, fmt, f"thong-bao-don-{item_id}")
    db.commit()  # the generation is audited
    return response
