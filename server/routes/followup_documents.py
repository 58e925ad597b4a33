"""Follow-up documents: the half-year and annual reviews, and the notice to a complaint's
sender, as PDF or DOCX (clerks only)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Path
from fastapi.responses import Response

from server.deps import STAFF_ONLY, SessionDep, StaffPrincipal
from server.reports.document import OfficialDocument
from server.routes.common import AUTH_PROBLEMS, problems
from server.schemas.base import PathId
from server.services import followup, followup_notices, followup_reports

router = APIRouter(prefix="/followup", tags=["follow-up"])
MEDIA_TYPES = {"pdf": "application/pdf",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
Format = Literal["pdf", "docx"]


def document_response(document: OfficialDocument, fmt: str, name: str) -> Response:
    body = document.render_pdf() if fmt == "pdf" else document.render_docx()
    return Response(body, media_type=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"',
        "Cache-Control": "no-store"})


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
