"""The clerk's console: sessions, the session builder, publishing, readiness, sittings."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlmodel import col, select

from server.deps import SessionDep, SettingsDep, StoreDep
from server.errors import DomainError, NotFound, ValidationFailed
from server.live import operators, sitting_details
from server.live import service as live_service
from server.live.sitting_details import SittingDetails
from server.models import (
    Body,
    Confidentiality,
    CouncilSession,
    DocumentKind,
    SessionKind,
    SessionOfficerRole,
    SessionStatus,
)
from server.models.base import id_of
from server.models.live import Sitting
from server.packs import freshness, publish
from server.schemas.base import PathId
from server.schemas.document import DocumentUpdate
from server.schemas.meeting import (
    AgendaItemCreate,
    AgendaItemUpdate,
    OfficerSet,
    SessionCreate,
    SessionUpdate,
)
from server.security.policy import require_read_document
from server.services import council, documents, meetings
from server.web.auth import CSRF_FIELD, StaffDep, StaffOnly, WebUserDep, check_csrf, checked_form
from server.web.forms import FormErrors, blank_to_none, domain_errors, validate
from server.web.i18n import language_of, message_of
from server.web.pages_council import confirm_page
from server.web.projector_code import projector_code
from server.web.render import render
from shared.clock import VN_TZ

router = APIRouter(prefix="/console", include_in_schema=False)


def _bodies(db) -> list[Body]:
    return list(db.exec(select(Body).order_by(col(Body.id))))


@router.get("")
def home(request: Request, user: WebUserDep, db: SessionDep) -> Response:
    if not user.principal.is_staff:
        if user.principal.councils_below:  # the province's Standing Committee: its view
            return RedirectResponse("/console/tinh", status_code=303)
        # the chair and the secretary run their sittings from here without the app
        if operators.operated_sittings(db, user.principal):
            return RedirectResponse("/console/dieu-hanh", status_code=303)
        raise StaffOnly()
    return _home(request, user, db, {}, {})


def _home(request: Request, user, db, values: dict, errors: dict,
          status: int = 200) -> Response:
    sessions = db.exec(select(CouncilSession).order_by(col(CouncilSession.start_date).desc()))
    bodies = _bodies(db)
    return render(request, "console/home.html", {
        "user": user, "sessions": list(sessions), "bodies": bodies,
        "body_names": {b.id: b.name for b in bodies}, "kinds": list(SessionKind),
        "values": values, "errors": errors}, status)


@router.post("/ky-hop")
async def create_session(request: Request, user: StaffDep, db: SessionDep) -> Response:
    form = await checked_form(request, user)
    lang = language_of(request)
    try:
        data = validate(SessionCreate, blank_to_none(form, "end_date", "body_id"), lang)
        session = meetings.create_session(db, user.account, data)
        db.commit()
    except FormErrors as error:
        return _home(request, user, db, form, error.errors, 422)
    except DomainError as error:
        db.rollback()
        return _home(request, user, db, form, domain_errors(error, lang), 422)
    return RedirectResponse(f"/console/ky-hop/{session.id}", status_code=303)


def _pack_state(db, session_id: int) -> dict:
    return freshness.pack_state(db, session_id)


def builder(request: Request, user, db, session_id: int, values: dict | None = None,
            errors: dict | None = None, status: int = 200, open_item: int | None = None,
            open_grants: int | None = None, open_sitting: int | None = None) -> Response:
    session = meetings.get_session(db, session_id)
    agenda = meetings.agenda_tree(db, session_id)
    flat: list = []

    def walk(items, depth: int) -> None:
        for item in items:
            flat.append((item, depth))
            walk(item.children, depth + 1)

    walk(agenda, 0)
    docs = [documents.describe(db, d) for d in documents.in_session(db, session_id)]
    grants = {d.id: set(documents.grants(db, d.id)) for d in docs
              if d.confidentiality == Confidentiality.restricted}
    sittings = list(db.exec(select(Sitting).where(Sitting.session_id == session_id)
                            .order_by(col(Sitting.id))))
    secret = request.app.state.secret_key
    return render(request, "console/session.html", {
        "user": user, "session": session, "agenda": agenda, "flat": flat, "documents": docs,
        "body": council.get_body(db, session.body_id), "kinds": list(DocumentKind),
        "levels": list(Confidentiality), "pack": _pack_state(db, session_id),
        "sittings": [(s, projector_code(secret, id_of(s))) for s in sittings],
        "item_titles": {i.id: f"{i.number}. {i.title}" for i, _ in flat},
        "grants": grants, "people": council.people(db),
        "officers": meetings.officers(db, session_id), "officer_roles": list(SessionOfficerRole),
        "open_item": open_item, "open_grants": open_grants, "open_sitting": open_sitting,
        "values": values or {}, "errors": errors or {}}, status)


@router.get("/ky-hop/{session_id}")
def session_page(session_id: PathId, request: Request, user: StaffDep,
                 db: SessionDep) -> Response:
    return builder(request, user, db, session_id)


@router.post("/ky-hop/{session_id}/chuong-trinh")
async def add_agenda_item(session_id: PathId, request: Request, user: StaffDep,
                          db: SessionDep) -> Response:
    form = await checked_form(request, user)
    lang = language_of(request)
    try:
        data = validate(AgendaItemCreate,
                        blank_to_none(form, "parent_id", "duration_minutes"), lang)
        meetings.add_item(db, user.account, meetings.get_session(db, session_id), data)
        db.commit()
    except FormErrors as error:
        return builder(request, user, db, session_id, form, error.errors, 422)
    except DomainError as error:
        db.rollback()
        return builder(request, user, db, session_id, form, domain_errors(error, lang), 422)
    return RedirectResponse(f"/console/ky-hop/{session_id}#agenda", status_code=303)


# ---- chair, secretary and invited officials -----------------------------------------------
# The officer form's fields are keyed "officer-<field>" in values and errors so they never
# collide with the agenda form's, which shares the page.
OFFICER = "officer-"


@router.post("/ky-hop/{session_id}/chu-toa")
async def add_officer(session_id: PathId, request: Request, user: StaffDep,
                      db: SessionDep) -> Response:
    """Name a chair, secretary or invited official: the API's POST /officers, as a form."""
    form = await checked_form(request, user)
    lang = language_of(request)
    typed = {k: form.get(k, "") for k in ("person_id", "role")}
    try:
        data = validate(OfficerSet, blank_to_none(typed, "person_id", "role"), lang)
        meetings.set_officer(db, user.account, meetings.get_session(db, session_id),
                             data.person_id, data.role)
        db.commit()
    except (FormErrors, DomainError) as error:
        db.rollback()
        found = error.errors if isinstance(error, FormErrors) else domain_errors(error, lang)
        return builder(request, user, db, session_id,
                       {OFFICER + k: v for k, v in typed.items()},
                       {OFFICER + (k or "form"): v for k, v in found.items()}, 422)
    return RedirectResponse(f"/console/ky-hop/{session_id}#officers", status_code=303)


@router.post("/ky-hop/{session_id}/chu-toa/{role}/{person_id}/bo")
async def remove_officer(session_id: PathId, role: SessionOfficerRole, person_id: PathId,
                         request: Request, user: StaffDep, db: SessionDep) -> Response:
    await checked_form(request, user)
    try:
        meetings.remove_officer(db, user.account, meetings.get_session(db, session_id),
                                person_id, role)
        db.commit()
    except DomainError as error:  # already removed, e.g. in another tab
        db.rollback()
        return builder(request, user, db, session_id, {},
                       {OFFICER + "form": message_of(error, language_of(request))}, 409)
    return RedirectResponse(f"/console/ky-hop/{session_id}#officers", status_code=303)


@router.post("/chuong-trinh/{item_id}")
async def edit_agenda_item(item_id: PathId, request: Request, user: StaffDep,
                           db: SessionDep) -> Response:
    """The inline edit of an item's title, presenter and duration."""
    form = await checked_form(request, user)
    lang = language_of(request)
    item = meetings.get_item(db, item_id)
    session_id = item.session_id
    prefix = f"item-{item_id}."
    try:
        data = validate(AgendaItemUpdate, blank_to_none(
            {k: form.get(k, "") for k in ("title", "presenter", "duration_minutes")},
            "duration_minutes"), lang)
        meetings.update_item(db, user.account, meetings.get_session(db, session_id), item, data)
        db.commit()
    except (FormErrors, DomainError) as error:
        db.rollback()
        found = error.errors if isinstance(error, FormErrors) else domain_errors(error, lang)
        return builder(request, user, db, session_id,
                       {prefix + k: v for k, v in form.items()},
                       {prefix + k: v for k, v in found.items()}, 422, open_item=item_id)
    return RedirectResponse(f"/console/ky-hop/{session_id}#item-{item_id}", status_code=303)


def _delete_question(request: Request, title: str) -> tuple[str, str]:
    if language_of(request) == "vi":
        return (f"Xóa mục «{title}» khỏi chương trình?",
                "Tài liệu gắn với mục vẫn ở lại kỳ họp, không thuộc mục nào.")
    return (f"Delete «{title}» from the agenda?",
            "Its documents stay in the session, attached to no item.")


@router.get("/chuong-trinh/{item_id}/xoa")
def confirm_delete_item(item_id: PathId, request: Request, user: StaffDep,
                        db: SessionDep) -> Response:
    item = meetings.get_item(db, item_id)
    return confirm_page(request, user, *_delete_question(request, item.title),
                        f"/console/chuong-trinh/{item_id}/xoa",
                        f"/console/ky-hop/{item.session_id}#agenda")


@router.post("/chuong-trinh/{item_id}/xoa")
async def delete_agenda_item(item_id: PathId, request: Request, user: StaffDep,
                             db: SessionDep) -> Response:
    await checked_form(request, user)
    item = meetings.get_item(db, item_id)
    session_id, title = item.session_id, item.title
    try:
        meetings.delete_item(db, user.account, meetings.get_session(db, session_id), item)
        db.commit()
    except DomainError as error:  # sub-items, or the session is no longer editable
        db.rollback()
        return confirm_page(request, user, *_delete_question(request, title),
                            f"/console/chuong-trinh/{item_id}/xoa",
                            f"/console/ky-hop/{session_id}#agenda",
                            message_of(error, language_of(request)), 409)
    return RedirectResponse(f"/console/ky-hop/{session_id}#agenda", status_code=303)


@router.post("/tai-lieu/{document_id}/quyen-doc")
async def set_readers(document_id: PathId, request: Request, user: StaffDep,
                      db: SessionDep) -> Response:
    """Who may read a restricted document: the grants editor's checkboxes."""
    form = await request.form()
    token = form.get(CSRF_FIELD)
    check_csrf(user, token if isinstance(token, str) else None)
    document = documents.get_document(db, document_id)
    chosen = [int(v) for v in form.getlist("person_id") if isinstance(v, str) and v.isdigit()]
    try:
        documents.set_grants(db, user.account, document, chosen)
        db.commit()
    except DomainError as error:
        db.rollback()
        return builder(request, user, db, document.session_id, {},
                       {f"grants-{document_id}": message_of(error, language_of(request))},
                       422, open_grants=document_id)
    return RedirectResponse(f"/console/ky-hop/{document.session_id}#doc-{document_id}",
                            status_code=303)


def _status_question(request: Request, session: CouncilSession, target: SessionStatus
                     ) -> tuple[str, str, str]:
    """(question, what follows, button) of the confirmation before a status change."""
    vi = language_of(request) == "vi"
    if target == SessionStatus.closed:
        return ((f"Bế mạc kỳ họp «{session.title}»?",
                 "Kỳ họp kết thúc: không tạo thêm phiên họp, không sửa chương trình. "
                 "Không hoàn tác được.", "Bế mạc kỳ họp") if vi else
                (f"Close the session «{session.title}»?",
                 "The session ends: no more sittings, no agenda changes. This cannot be undone.",
                 "Close the session"))
    return ((f"Đưa kỳ họp «{session.title}» về dự thảo?",
             "Trang công khai của kỳ họp sẽ bị ẩn và đại biểu không nhận được gói tài liệu mới "
             "cho đến khi công bố lại.", "Đưa về dự thảo") if vi else
            (f"Take «{session.title}» back to draft?",
             "Its public page is hidden and delegates get no new pack until it is published "
             "again.", "Back to draft"))


@router.get("/ky-hop/{session_id}/trang-thai/{target}")
def confirm_status(session_id: PathId, target: SessionStatus, request: Request,
                   user: StaffDep, db: SessionDep) -> Response:
    """Going back to draft and closing the session are asked twice."""
    session = meetings.get_session(db, session_id)
    question, detail, label = _status_question(request, session, target)
    return confirm_page(request, user, question, detail,
                        f"/console/ky-hop/{session_id}/trang-thai/{target.value}",
                        f"/console/ky-hop/{session_id}", confirm_label=label)


@router.post("/ky-hop/{session_id}/trang-thai/{target}")
async def change_status(session_id: PathId, target: SessionStatus, request: Request,
                        user: StaffDep, db: SessionDep) -> Response:
    await checked_form(request, user)
    session = meetings.get_session(db, session_id)
    try:
        meetings.change_status(db, user.account, session, target)
        db.commit()
    except DomainError as error:
        db.rollback()
        if target in (SessionStatus.draft, SessionStatus.closed):  # came from the confirmation
            question, detail, label = _status_question(request, session, target)
            return confirm_page(request, user, question, detail,
                                f"/console/ky-hop/{session_id}/trang-thai/{target.value}",
                                f"/console/ky-hop/{session_id}",
                                message_of(error, language_of(request)), 409, label)
        return builder(request, user, db, session_id, {},
                       {"status": message_of(error, language_of(request))}, 409)
    return RedirectResponse(f"/console/ky-hop/{session_id}", status_code=303)


@router.post("/ky-hop/{session_id}/goi-tai-lieu")
async def build_pack(session_id: PathId, request: Request, user: StaffDep, db: SessionDep,
                     settings: SettingsDep, background: BackgroundTasks) -> Response:
    """Publish the agenda pack: the same build the API's POST /packs starts."""
    await checked_form(request, user)
    try:
        build = publish.start_build(db, user.account, meetings.get_session(db, session_id),
                                    settings)
        db.commit()
    except DomainError as error:
        db.rollback()
        return builder(request, user, db, session_id, {},
                       {"pack": message_of(error, language_of(request))}, 409)
    background.add_task(publish.run_build, request.app.state.engine, settings, id_of(build))
    return RedirectResponse(f"/console/ky-hop/{session_id}#pack", status_code=303)


@router.post("/tai-lieu/{document_id}/mat-do")
async def set_confidentiality(document_id: PathId, request: Request, user: StaffDep,
                              db: SessionDep, store: StoreDep) -> Response:
    form = await checked_form(request, user)
    document = documents.get_document(db, document_id)
    lang = language_of(request)
    try:
        data = validate(DocumentUpdate, {"confidentiality": form.get("confidentiality")}, lang)
        documents.update_document(db, store, user.account,
                                  meetings.get_session(db, document.session_id), document, data)
        db.commit()
    except FormErrors as error:
        return builder(request, user, db, document.session_id, {},
                       {f"doc-{document_id}": next(iter(error.errors.values()))}, 422)
    return RedirectResponse(f"/console/ky-hop/{document.session_id}#documents", status_code=303)


@router.get("/tai-lieu/{document_id}/phien-ban/{version}")
def download_version(document_id: PathId, version: PathId, user: StaffDep, db: SessionDep,
                     store: StoreDep) -> FileResponse:
    document = documents.get_document(db, document_id)
    require_read_document(db, user.principal, meetings.get_session(db, document.session_id),
                          document)
    found = documents.get_version(db, document_id, version)
    return FileResponse(store.path_for(found.storage_key), media_type="application/pdf",
                        filename=f"tai-lieu-{document_id}-v{version}.pdf")


@router.post("/ky-hop/{session_id}/phien-hop")
async def create_sitting(session_id: PathId, request: Request, user: StaffDep,
                         db: SessionDep) -> Response:
    form = await checked_form(request, user)
    title = form.get("title", "").strip()
    lang = language_of(request)
    if not title or len(title) > 300:
        return builder(request, user, db, session_id, form, {
            "sitting_title": "Trường này bắt buộc." if lang == "vi" else "This field is required."},
            422)
    try:
        live_service.create_sitting(db, user.principal, session_id, title)
        db.commit()
    except DomainError as error:
        db.rollback()
        return builder(request, user, db, session_id, form,
                       {"sitting_title": message_of(error, lang)}, 422)
    return RedirectResponse(f"/console/ky-hop/{session_id}#sittings", status_code=303)


def _local_datetime(text: str) -> datetime | None:
    """A datetime-local input ("2026-12-15T07:30"), in Vietnam's time."""
    if not text.strip():
        return None
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=VN_TZ)
    except ValueError:
        raise ValidationFailed("Thời gian không hợp lệ.", "The date and time are not valid.",
                               field="scheduled_at") from None


@router.post("/phien-hop/{sitting_id}/sua")
async def edit_sitting(sitting_id: PathId, request: Request, user: StaffDep,
                       db: SessionDep) -> Response:
    """A sitting's title, time and place, until it is held (then refused in words)."""
    form = await checked_form(request, user)
    lang = language_of(request)
    sitting = db.get(Sitting, sitting_id)
    if sitting is None:
        raise NotFound()
    session_id = sitting.session_id
    prefix = f"sitting-{sitting_id}."
    typed = {k: form.get(k, "") for k in ("title", "scheduled_at", "place")}
    try:
        data = validate(SittingDetails, {"title": typed["title"] or None, "place": typed["place"],
                                         "scheduled_at": _local_datetime(typed["scheduled_at"])},
                        lang)
        sitting_details.update_sitting(db, user.principal, sitting_id, data)
        db.commit()
    except (FormErrors, DomainError) as error:
        db.rollback()
        found = error.errors if isinstance(error, FormErrors) else domain_errors(error, lang)
        return builder(request, user, db, session_id, {prefix + k: v for k, v in typed.items()},
                       {prefix + (k or "form"): v for k, v in found.items()}, 422,
                       open_sitting=sitting_id)
    return RedirectResponse(f"/console/ky-hop/{session_id}#sitting-{sitting_id}", status_code=303)


@router.post("/ky-hop/{session_id}/thong-tin")
async def edit_session(session_id: PathId, request: Request, user: StaffDep,
                       db: SessionDep) -> Response:
    """The session's title, dates and place, until it starts: the API's PATCH as a form."""
    form = await checked_form(request, user)
    lang = language_of(request)
    typed = {k: form.get(k, "") for k in ("title", "start_date", "end_date", "place")}
    try:
        data = validate(SessionUpdate, blank_to_none(typed, "end_date", "start_date", "title"),
                        lang)
        meetings.update_session(db, user.account, meetings.get_session(db, session_id), data)
        db.commit()
    except (FormErrors, DomainError) as error:
        db.rollback()
        found = error.errors if isinstance(error, FormErrors) else domain_errors(error, lang)
        return builder(request, user, db, session_id,
                       {"session-" + k: v for k, v in typed.items()},
                       {"session-" + (k or "form"): v for k, v in found.items()}, 422)
    return RedirectResponse(f"/console/ky-hop/{session_id}", status_code=303)


@router.get("/ky-hop/{session_id}/san-sang")
def readiness_page(session_id: PathId, request: Request, user: StaffDep,
                   db: SessionDep) -> Response:
    session = meetings.get_session(db, session_id)
    return render(request, "console/readiness.html", {"user": user, "session": session})
