"""The minutes page: generate the sitting's minutes and vote-count sheets, PDF or DOCX;
the secretary's draft (editor, history, preview, number, finalise) and the resolutions
prepared from passed votes waiting for the chair's signature.

Forms turn into calls of ``server.services.minutes_draft`` and ``resolutions``; a refusal
shows the page again with the reason in words and everything that was typed.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from server.deps import SessionDep, StoreDep
from server.errors import DomainError
from server.live.store import get_sitting
from server.models import Document
from server.reports.download import MEDIA_TYPES, document_response
from server.schemas.base import PathId
from server.services import compliance, meetings, minutes, minutes_draft, resolutions
from server.web.auth import StaffDep, checked_form
from server.web.i18n import language_of, message_of
from server.web.render import render

router = APIRouter(prefix="/console", include_in_schema=False)


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
        "draft": minutes_draft.get_draft(db, sitting_id),
        "resolutions": resolutions.for_sitting(db, sitting_id),
        "secret_votes": [(vote_id, question, minutes.count_committee(db, sitting_id, vote_id))
                         for vote_id, question in minutes.secret_votes(db, sitting_id)]})


@router.get("/phien-hop/{sitting_id}/bien-ban.{fmt}")
def minutes_file(sitting_id: PathId, fmt: str, user: StaffDep, db: SessionDep) -> Response:
    if fmt not in MEDIA_TYPES:
        return Response(status_code=404)
    # the secretary's draft once there is one: the download says what the preview says
    document = (minutes_draft.draft_document(db, sitting_id)
                if minutes_draft.get_draft(db, sitting_id) else
                minutes.minutes_document(db, sitting_id))
    return document_response(document, fmt, f"bien-ban-phien-{sitting_id}")


@router.get("/phien-hop/{sitting_id}/kiem-phieu/{vote_id}.{fmt}")
def count_sheet_file(sitting_id: PathId, vote_id: str, fmt: str, user: StaffDep,
                     db: SessionDep) -> Response:
    if fmt not in MEDIA_TYPES:
        return Response(status_code=404)
    return document_response(minutes.vote_count_sheet(db, sitting_id, vote_id[:40]), fmt,
                             f"kiem-phieu-{sitting_id}-{vote_id[:40]}")


# --- the secretary's draft ----------------------------------------------------------------

def _draft_url(sitting_id: int) -> str:
    return f"/console/phien-hop/{sitting_id}/bien-ban/du-thao"


def _editor(request: Request, user, db, sitting_id: int,
            typed: dict[str, str] | None = None, error: str = "",
            status: int = 200) -> Response:
    sitting = get_sitting(db, sitting_id)
    draft = minutes_draft.require_draft(db, sitting_id)
    return render(request, "console/minutes_draft.html", {
        "user": user, "sitting": sitting, "draft": draft,
        "session": meetings.get_session(db, sitting.session_id),
        "number": minutes.minutes_number(db, sitting_id),
        "numbered": minutes.minutes_entry(db, sitting_id) is not None,
        "final": db.get(Document, draft.document_id) if draft.document_id else None,
        "typed": typed or {}, "error": error}, status)


@router.post("/phien-hop/{sitting_id}/bien-ban/du-thao")
async def start_draft(sitting_id: PathId, request: Request, user: StaffDep,
                      db: SessionDep) -> Response:
    """Make the draft from the event log (once) and open the editor."""
    await checked_form(request, user)
    minutes_draft.start_draft(db, user.account, sitting_id)
    db.commit()
    return RedirectResponse(_draft_url(sitting_id), status_code=303)


@router.get("/phien-hop/{sitting_id}/bien-ban/du-thao")
def draft_editor(sitting_id: PathId, request: Request, user: StaffDep,
                 db: SessionDep) -> Response:
    return _editor(request, user, db, sitting_id)


@router.post("/phien-hop/{sitting_id}/bien-ban/du-thao/luu")
async def save_draft(sitting_id: PathId, request: Request, user: StaffDep,
                     db: SessionDep) -> Response:
    form = await checked_form(request, user)
    texts = {k.removeprefix("section-"): v for k, v in form.items() if k.startswith("section-")}
    try:
        revision = int(form.get("revision", "0"))
        minutes_draft.edit_sections(db, user.account, sitting_id, revision, texts)
        db.commit()
    except DomainError as error:
        db.rollback()
        return _editor(request, user, db, sitting_id, texts,
                       message_of(error, language_of(request)), error.status)
    except ValueError:
        return _editor(request, user, db, sitting_id, texts, "revision", 422)
    return RedirectResponse(f"{_draft_url(sitting_id)}?luu=1", status_code=303)


@router.get("/phien-hop/{sitting_id}/bien-ban/du-thao.pdf")
def draft_preview(sitting_id: PathId, user: StaffDep, db: SessionDep) -> Response:
    """The draft as it would be finalised, in the official layout (shown in the browser)."""
    pdf = minutes_draft.draft_document(db, sitting_id).render_pdf()
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="du-thao-bien-ban-{sitting_id}.pdf"',
        "Cache-Control": "no-store"})


@router.get("/phien-hop/{sitting_id}/bien-ban/lich-su")
def draft_history(sitting_id: PathId, request: Request, user: StaffDep,
                  db: SessionDep) -> Response:
    sitting = get_sitting(db, sitting_id)
    return render(request, "console/minutes_history.html", {
        "user": user, "sitting": sitting, "session": meetings.get_session(db, sitting.session_id),
        "history": minutes_draft.history(db, sitting_id)})


async def _step(request: Request, user, db, sitting_id: int, step) -> Response:
    """A button of the editor: do it, or show the editor with the reason."""
    await checked_form(request, user)
    try:
        step()
        db.commit()
    except DomainError as error:
        db.rollback()
        return _editor(request, user, db, sitting_id, None,
                       message_of(error, language_of(request)), error.status)
    return RedirectResponse(_draft_url(sitting_id), status_code=303)


@router.post("/phien-hop/{sitting_id}/bien-ban/hoan-thien")
async def finalise_draft(sitting_id: PathId, request: Request, user: StaffDep, db: SessionDep,
                         store: StoreDep) -> Response:
    return await _step(request, user, db, sitting_id,
                       lambda: minutes_draft.finalise(db, store, user.account, sitting_id))


@router.post("/phien-hop/{sitting_id}/bien-ban/mo-lai")
async def reopen_draft(sitting_id: PathId, request: Request, user: StaffDep,
                       db: SessionDep) -> Response:
    return await _step(request, user, db, sitting_id,
                       lambda: minutes_draft.reopen(db, user.account, sitting_id))


@router.post("/phien-hop/{sitting_id}/nghi-quyet/chuan-bi")
async def prepare_resolutions(sitting_id: PathId, request: Request, user: StaffDep,
                              db: SessionDep, store: StoreDep) -> Response:
    """The clerk's catch-up for the hub's listener (idempotent: one per passed vote)."""
    await checked_form(request, user)
    resolutions.prepare_passed(db, store, user.account, sitting_id)
    return RedirectResponse(f"/console/phien-hop/{sitting_id}/bien-ban#cho-ky", status_code=303)
