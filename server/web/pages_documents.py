"""The clerk's document pages: upload without a script, edit a document's title, số/ký
hiệu, kind and confidentiality, delete it before publication, withdraw or replace it after.

Every handler is a form over the services the REST API uses (``documents``,
``document_record``); a refusal is shown in words on the same page with what was typed.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import col, select
from starlette.datastructures import UploadFile as StarletteUpload

from server.deps import SessionDep, SettingsDep, StoreDep
from server.documents.errors import DocumentPublished
from server.documents.inspection import Limits
from server.documents.storage import chunks_of
from server.errors import DomainError
from server.models import AgendaItem, Confidentiality, Document, DocumentKind
from server.models.base import id_of
from server.schemas.base import PathId
from server.schemas.document import DocumentUpdate
from server.services import document_record, documents, meetings
from server.web.auth import CSRF_FIELD, StaffDep, check_csrf, checked_form
from server.web.console_api import upload_from_form
from server.web.forms import FormErrors, blank_to_none, domain_errors, validate
from server.web.i18n import language_of, message_of
from server.web.pages_council import confirm_page
from server.web.pages_sessions import builder
from server.web.render import render

router = APIRouter(prefix="/console", include_in_schema=False)
EDITABLE = ("title", "number", "kind", "confidentiality", "agenda_item_id")


async def _multipart(request: Request, user) -> Any:
    form = await request.form()
    token = form.get(CSRF_FIELD)
    check_csrf(user, token if isinstance(token, str) else None)
    return form


@router.post("/ky-hop/{session_id}/tai-lieu")
async def upload_without_script(session_id: PathId, request: Request, user: StaffDep,
                                db: SessionDep, store: StoreDep,
                                settings: SettingsDep) -> Response:
    """The upload form when the page's script does not run: every chosen file, one by one.
    The typed title is used when one file is sent; otherwise each gets its readable one."""
    form = await _multipart(request, user)
    files = [f for f in form.getlist("file") if isinstance(f, StarletteUpload) and f.filename]
    typed = {k: v for k, v in form.items() if isinstance(v, str) and k != CSRF_FIELD}
    lang = language_of(request)
    if not files:
        return builder(request, user, db, session_id, typed, {"upload": (
            "Hãy chọn một hoặc nhiều tệp PDF." if lang == "vi"
            else "Choose one or more PDF files.")}, 422)
    made: list[int] = []
    for file in files:
        fields = typed if len(files) == 1 else {**typed, "title": "", "number": ""}
        try:
            uploaded = await upload_from_form(fields, db, store, settings, user, session_id, file)
        except DomainError as error:
            db.rollback()
            return builder(request, user, db, session_id, typed, {
                "upload": f"{file.filename}: {message_of(error, lang)}"}, 422)
        made.append(id_of(uploaded.document))
    if len(made) == 1:
        return RedirectResponse(f"/console/tai-lieu/{made[0]}", status_code=303)
    return RedirectResponse(f"/console/ky-hop/{session_id}#documents", status_code=303)


def document_page(request: Request, user, db, document: Document,
                  values: dict | None = None, errors: dict | None = None,
                  status: int = 200) -> Response:
    session = meetings.get_session(db, document.session_id)
    detail = documents.describe(db, document)
    items = list(db.exec(select(AgendaItem).where(AgendaItem.session_id == session.id)
                         .order_by(col(AgendaItem.position), col(AgendaItem.id))))
    current = {name: getattr(document, name) for name in EDITABLE}
    current = {k: ("" if v is None else getattr(v, "value", v)) for k, v in current.items()}
    return render(request, "console/document.html", {
        "user": user, "session": session, "d": detail,
        "items": [(i.id, i.title) for i in items],
        "kinds": list(DocumentKind), "levels": list(Confidentiality),
        "values": {**current, **(values or {})}, "errors": errors or {}}, status)


@router.get("/tai-lieu/{document_id}")
def edit_page(document_id: PathId, request: Request, user: StaffDep, db: SessionDep) -> Response:
    return document_page(request, user, db, documents.get_document(db, document_id))


@router.post("/tai-lieu/{document_id}")
async def save_document(document_id: PathId, request: Request, user: StaffDep, db: SessionDep,
                        store: StoreDep) -> Response:
    form = await checked_form(request, user)
    lang = language_of(request)
    document = documents.get_document(db, document_id)
    typed = {k: form.get(k, "") for k in EDITABLE}
    try:
        data = validate(DocumentUpdate, blank_to_none(typed, "agenda_item_id"), lang)
        documents.update_document(db, store, user.account,
                                  meetings.get_session(db, document.session_id), document, data)
        db.commit()
    except FormErrors as error:
        return document_page(request, user, db, document, typed, error.errors, 422)
    except DomainError as error:
        db.rollback()
        db.refresh(document)
        found = domain_errors(error, lang)
        return document_page(request, user, db, document, typed,
                             {k if k in EDITABLE else "": v for k, v in found.items()}, 422)
    return RedirectResponse(f"/console/tai-lieu/{document_id}?da-luu=1", status_code=303)


def _delete_question(request: Request, document: Document) -> tuple[str, str]:
    if language_of(request) == "vi":
        return (f"Xóa tài liệu «{document.title}»?",
                "Tài liệu chưa được phát hành: tệp và mọi phiên bản bị xóa hẳn. "
                "Nhật ký vẫn ghi lại việc xóa.")
    return (f"Delete the document «{document.title}»?",
            "It has not been published: its file and every version are removed. "
            "The audit log keeps a record of the deletion.")


@router.get("/tai-lieu/{document_id}/xoa")
def confirm_delete(document_id: PathId, request: Request, user: StaffDep,
                   db: SessionDep) -> Response:
    document = documents.get_document(db, document_id)
    error = ""
    if document_record.is_published(db, document):
        error = message_of(DocumentPublished(), language_of(request))
    return confirm_page(request, user, *_delete_question(request, document),
                        f"/console/tai-lieu/{document_id}/xoa",
                        f"/console/tai-lieu/{document_id}", error, 409 if error else 200)


@router.post("/tai-lieu/{document_id}/xoa")
async def delete_document(document_id: PathId, request: Request, user: StaffDep, db: SessionDep,
                          store: StoreDep) -> Response:
    await checked_form(request, user)
    document = documents.get_document(db, document_id)
    session_id = document.session_id
    try:
        keys = document_record.delete_document(db, store, user.account, document)
        db.commit()
    except DomainError as error:  # published meanwhile, e.g. a pack built in another tab
        db.rollback()
        return confirm_page(request, user, *_delete_question(request, document),
                            f"/console/tai-lieu/{document_id}/xoa",
                            f"/console/tai-lieu/{document_id}",
                            message_of(error, language_of(request)), 409)
    document_record.remove_files(store, keys)
    return RedirectResponse(f"/console/ky-hop/{session_id}#documents", status_code=303)


@router.post("/tai-lieu/{document_id}/rut")
async def withdraw_document(document_id: PathId, request: Request, user: StaffDep,
                            db: SessionDep) -> Response:
    form = await checked_form(request, user)
    lang = language_of(request)
    document = documents.get_document(db, document_id)
    reason = form.get("reason", "").strip()
    if not reason or len(reason) > 1000:
        return document_page(request, user, db, document, {"reason": reason}, {"reason": (
            "Hãy ghi lý do rút tài liệu (tối đa 1000 ký tự)." if lang == "vi"
            else "Give the reason for withdrawing (at most 1000 characters).")}, 422)
    try:
        document_record.withdraw_document(db, user.account, document, reason)
        db.commit()
    except DomainError as error:
        db.rollback()
        db.refresh(document)
        return document_page(request, user, db, document, {"reason": reason},
                             {"reason": message_of(error, lang)}, 409)
    return RedirectResponse(f"/console/tai-lieu/{document_id}", status_code=303)


@router.post("/tai-lieu/{document_id}/thay-the")
async def replace_without_script(document_id: PathId, request: Request, user: StaffDep,
                                 db: SessionDep, store: StoreDep,
                                 settings: SettingsDep) -> Response:
    """A new version (the replacement), when the page's script does not run."""
    form = await _multipart(request, user)
    lang = language_of(request)
    document = documents.get_document(db, document_id)
    file = form.get("file")
    note = form.get("note")
    note = note.strip()[:1000] if isinstance(note, str) else ""
    if not isinstance(file, StarletteUpload) or not file.filename:
        return document_page(request, user, db, document, {"note": note}, {"file": (
            "Chưa chọn tệp PDF." if lang == "vi" else "No PDF file chosen.")}, 422)
    try:
        await documents.upload_new_version(db, store, user.account, document, chunks_of(file),
                                           settings.max_upload_bytes, Limits.of(settings),
                                           file.filename, note)
    except DomainError as error:
        db.rollback()
        db.refresh(document)
        return document_page(request, user, db, document, {"note": note},
                             {"file": message_of(error, lang)}, 422)
    return RedirectResponse(f"/console/tai-lieu/{document_id}", status_code=303)
