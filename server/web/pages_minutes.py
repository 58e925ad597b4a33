"""The minutes page: generate the sitting's minutes and vote-count sheets, PDF or DOCX."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.deps import SessionDep
from server.live.store import get_sitting
from server.schemas.base import PathId
from server.services import compliance, meetings, minutes
from server.web.auth import StaffDep
from server.web.render import render

router = APIRouter(prefix="/console", include_in_schema=False)
TYPES = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@router.get("/phien-hop/{sitting_id}/bien-ban")
def minutes_page(sitting_id: PathId, request: Request, user: StaffDep,
                 db: SessionDep) -> Response:
    sitting = get_sitting(db, sitting_id)
    state = minutes.sitting_state(db, sitting_id)
    return render(request, "console/minutes.html", {
        "user": user, "sitting": sitting, "session": meetings.get_session(db, sitting.session_id),
        "state": state, "signers": minutes.signers(db, sitting_id),
        "checks": compliance.sitting_checks(db, sitting_id),
        "number": minutes.minutes_number(db, sitting_id),
        "numbered": minutes.minutes_entry(db, sitting_id) is not None,
        "secret_votes": [(vote_id, question, minutes.count_committee(db, sitting_id, vote_id))
                         for vote_id, question in minutes.secret_votes(db, sitting_id)]})


def _file(document, fmt: str, name: str) -> Response:  # noqa: ANN001
    body = document.render_pdf() if fmt == "pdf" else document.render_docx()
    return Response(body, media_type=TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"',
        "Cache-Control": "no-store"})


@router.get("/phien-hop/{sitting_id}/bien-ban.{fmt}")
def minutes_file(sitting_id: PathId, fmt: str, user: StaffDep, db: SessionDep) -> Response:
    if fmt not in TYPES:
        return Response(status_code=404)
    return _file(minutes.minutes_document(db, sitting_id), fmt, f"bien-ban-phien-{sitting_id}")


@router.get("/phien-hop/{sitting_id}/kiem-phieu/{vote_id}.{fmt}")
def count_sheet_file(sitting_id: PathId, vote_id: str, fmt: str, user: StaffDep,
                     db: SessionDep) -> Response:
    if fmt not in TYPES:
        return Response(status_code=404)
    return _file(minutes.vote_count_sheet(db, sitting_id, vote_id[:40]), fmt,
                 f"kiem-phieu-{sitting_id}-{vote_id[:40]}")
