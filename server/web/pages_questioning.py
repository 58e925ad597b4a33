"""Chất vấn before and after the sitting, on the web: a delegate registers a question and
sees its place and answer; the Standing Committee orders, assigns and publishes the
programme; the answering official (or the office) uploads a written answer.
Logic in ``server.services.questioning``; this module only turns forms into calls."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from server.deps import SessionDep, SettingsDep, StoreDep
from server.documents.inspection import Limits
from server.documents.storage import chunks_of
from server.errors import DomainError, ValidationFailed
from server.services import meetings, questioning
from server.web.auth import WebUser, WebUserDep, check_csrf, checked_form
from server.web.i18n import language_of, message_of
from server.web.render import render

router = APIRouter(prefix="/console", include_in_schema=False)


def _page(request: Request, user: WebUser, db: Session, session_id: int, *,
          form: dict[str, str] | None = None, error: str = "", notice: str = "",
          status: int = 200) -> Response:
    session = meetings.get_session(db, session_id)
    principal = user.principal
    committee = questioning.is_standing_committee(db, principal)
    officials = questioning.officials(db, session_id)
    names = {p.id: p.full_name for p in officials}
    rows = list(enumerate(questioning.in_order(db, session_id), 1))
    if not committee:
        rows = [(i, q) for i, q in rows
                if principal.person_id in (q.person_id, q.addressee_id)]
    people = questioning.names_of(db, {q.person_id for _i, q in rows})
    return render(request, "console/questions.html", {
        "user": user, "session": session, "committee": committee, "rows": rows,
        "names": {**people, **names}, "officials": officials, "form": form or {},
        "error": error, "notice": notice, "me": principal.person_id,
        "can_register": questioning.is_member(db, principal.person_id, session)},
        status)


@router.get("/ky-hop/{session_id}/chat-van")
def questions_page(session_id: int, request: Request, user: WebUserDep,
                   db: SessionDep) -> Response:
    return _page(request, user, db, session_id)


def _ids(text: str) -> list[int]:
    try:
        return [int(p) for p in text.replace(" ", "").split(",") if p]
    except ValueError:
        raise ValidationFailed("Số kiến nghị phải là số.", "Petition numbers must be numbers.",
                               field="petitions") from None


@router.post("/ky-hop/{session_id}/chat-van")
async def register(session_id: int, request: Request, user: WebUserDep,
                   db: SessionDep) -> Response:
    form = await checked_form(request, user)
    try:
        question = questioning.register(
            db, user.principal, session_id, to_whom=form.get("to_whom", ""),
            topic=form.get("topic", ""), text=form.get("text", ""),
            petitions=_ids(form.get("petitions", "")))
        db.commit()
    except DomainError as error:
        db.rollback()  # what was typed comes back in the form
        return _page(request, user, db, session_id, form=form,
                     error=message_of(error, language_of(request)), status=422)
    from server.web.i18n import translator

    notice = translator(language_of(request))("questions.registered_ok",
                                              place=questioning.place_of(db, question))
    return _page(request, user, db, session_id, notice=notice)


@router.post("/chat-van/{question_id}/xep-lich")
async def schedule(question_id: int, request: Request, user: WebUserDep,
                   db: SessionDep) -> Response:
    form = await checked_form(request, user)
    question = questioning.get_question(db, question_id)
    try:
        prepare_by = date.fromisoformat(form["prepare_by"]) if form.get("prepare_by") else None
        questioning.schedule(db, user.principal, question_id,
                             addressee_id=int(form.get("addressee_id") or 0),
                             position=int(form.get("position") or 1), prepare_by=prepare_by,
                             group_label=form.get("group_label", ""))
        db.commit()
    except (DomainError, ValueError) as error:
        db.rollback()
        text = message_of(error, language_of(request)) if isinstance(error, DomainError) \
            else str(ValidationFailed().message_vi)
        return _page(request, user, db, question.session_id, error=text, status=422)
    return RedirectResponse(f"/console/ky-hop/{question.session_id}/chat-van#q{question_id}",
                            status_code=303)


@router.post("/ky-hop/{session_id}/chat-van/cong-bo")
async def publish(session_id: int, request: Request, user: WebUserDep, db: SessionDep,
                  store: StoreDep, settings: SettingsDep) -> Response:
    await checked_form(request, user)
    try:
        document = await questioning.publish_programme(
            db, store, user.principal, session_id, settings.max_upload_bytes,
            Limits.of(settings))
    except DomainError as error:
        db.rollback()
        return _page(request, user, db, session_id,
                     error=message_of(error, language_of(request)), status=422)
    from server.web.i18n import translator

    return _page(request, user, db, session_id, notice=translator(language_of(request))(
        "questions.published_ok", id=document.id))


@router.post("/chat-van/{question_id}/tra-loi")
async def written_answer(question_id: int, request: Request, user: WebUserDep,
                         db: SessionDep, store: StoreDep, settings: SettingsDep) -> Response:
    form = await request.form()
    token = form.get("csrf_token")
    check_csrf(user, token if isinstance(token, str) else None)
    question = questioning.get_question(db, question_id)
    upload = form.get("file")
    try:
        if upload is None or isinstance(upload, str):
            raise ValidationFailed("Chưa chọn tệp PDF.", "No PDF chosen.", field="file")
        await questioning.attach_written_answer(
            db, store, user.principal, question_id, chunks_of(upload), upload.filename,
            settings.max_upload_bytes, Limits.of(settings))
    except DomainError as error:
        db.rollback()
        return _page(request, user, db, question.session_id,
                     error=message_of(error, language_of(request)), status=422)
    return RedirectResponse(f"/console/ky-hop/{question.session_id}/chat-van#q{question_id}",
                            status_code=303)
