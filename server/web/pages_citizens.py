"""The citizens' door: the portal's form for petitions, complaints, denunciations and
proposals (no account, works on a phone and without JavaScript), the status page behind
the tracking code, and the clerks' pages to take, forward, answer and close the cases.

Routes turn HTTP into calls of :mod:`server.citizens.service`; a refusal re-renders the
form with everything typed (files are named to choose again), in words, never a bare code.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlmodel import Session, select
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from server.citizens import notify, service
from server.citizens.codes import grouped
from server.citizens.rules import CASE_RULES, PUBLIC_ANSWER_ALLOWED, CaseType
from server.deps import PORTAL, SessionDep, SettingsDep, StoreDep
from server.documents.inspection import Limits
from server.documents.storage import StagedFile, chunks_of
from server.errors import DomainError, UploadTooLarge
from server.followup import items as followup
from server.models import Body
from server.models.followup import TrackedItem
from server.schemas.base import PathId
from server.security.rate_limit import Budget, RateLimiter
from server.web import auth as web_auth
from server.web.auth import StaffDep, checked_form
from server.web.i18n import language_of, message_of
from server.web.render import render

router = APIRouter(prefix="/cong-dan", include_in_schema=False, dependencies=[PORTAL])
console = APIRouter(prefix="/console/cong-dan", include_in_schema=False)

MAX_FILES = 3
FILE_LIMIT = 10 * 1024 * 1024
BODY_LIMIT = 2 * MAX_FILES * FILE_LIMIT
"""The whole form, refused by its declared length before a byte of it is read (past it the
typed text cannot be given back); below it an oversize file is refused with the text kept."""
SUBMIT_BUDGET = Budget(per_source=5, overall=300, window_seconds=3600)
"""Cases accepted: what fills the clerks' inbox."""
ATTEMPT_BUDGET = Budget(per_source=30, overall=2000, window_seconds=3600)
"""Posts of the form, refused or not: each may cost a PDF check. A citizen correcting a
mistake a few times stays far below it."""
LOOKUP_BUDGET = Budget(per_source=60, overall=3000, window_seconds=600)
FIELDS = ("case_type", "title", "text", "area", "full_name", "address", "email", "phone",
          "notify_by")


def _limiter(request: Request, name: str, budget: Budget) -> RateLimiter:
    limiters = request.app.state.__dict__.setdefault("citizen_limiters", {})
    if name not in limiters:
        limiters[name] = RateLimiter(budget)
    return limiters[name]


def _source(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _areas(db: Session) -> list[str]:
    rows = db.exec(select(TrackedItem.area).where(TrackedItem.area != "").distinct()).all()
    return sorted({r for r in rows if r})


def _form_page(request: Request, db: Session, values: dict[str, str] | None = None,
               errors: dict[str, str] | None = None, dropped: list[str] | None = None,
               status: int = 200) -> Response:
    lang = language_of(request)
    return render(request, "portal/citizen_form.html", {
        "csrf": web_auth.anonymous_csrf(request), "values": values or {},
        "errors": errors or {}, "dropped": dropped or [], "areas": _areas(db),
        "types": [(t.value, t) for t in CaseType], "rules": CASE_RULES, "lang": lang,
        "max_files": MAX_FILES, "file_mb": FILE_LIMIT // (1024 * 1024)}, status)


@router.get("/gui-don")
def form_page(request: Request, db: SessionDep) -> Response:
    return _form_page(request, db, {"case_type": request.query_params.get("loai", "petition")})


def _refuse(request: Request, db: Session, values: dict[str, str], dropped: list[str],
            error: DomainError, status: int) -> Response:
    field = str(error.extra.get("field", ""))
    message = message_of(error, language_of(request))
    errors = {"": message}
    if field:
        errors[field] = message
    return _form_page(request, db, values, errors, dropped, status)


@router.post("/gui-don")
async def submit(request: Request, db: SessionDep, store: StoreDep,
                 settings: SettingsDep) -> Response:
    declared = request.headers.get("content-length", "")
    if not declared.isdigit() or int(declared) > BODY_LIMIT:
        error: DomainError = UploadTooLarge(
            f"Đơn và tệp đính kèm vượt quá {BODY_LIMIT // (1024 * 1024)} MB. Hãy gửi ít tệp hơn "
            "hoặc tệp nhỏ hơn; nội dung bạn đã nhập không được gửi lên.",
            f"The letter and its files exceed {BODY_LIMIT // (1024 * 1024)} MB. Send fewer or "
            "smaller files; what you typed was not sent.")
        return _refuse(request, db, {}, [], error, 413)
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=40)
    except HTTPException:  # more files or fields than the form has: a hand-made post
        error = service.CaseIncomplete(
            f"Tối đa {MAX_FILES} tệp đính kèm; nội dung bạn đã nhập không được gửi lên.",
            f"At most {MAX_FILES} attached files; what you typed was not sent.", field="files")
        return _refuse(request, db, {}, [], error, 422)
    values = {k: str(form.get(k) or "") for k in FIELDS}
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    dropped = [f.filename or "" for f in uploads]
    try:
        web_auth.check_anonymous_csrf(request, str(form.get("csrf_token") or ""))
        wait = max(_limiter(request, "attempt", ATTEMPT_BUDGET).take(_source(request)),
                   _limiter(request, "submit", SUBMIT_BUDGET).wait(_source(request)))
        if wait:
            raise service.SubmissionThrottled(retry_after_seconds=wait)
        data = service.Submission(**values)
        service.check(data)
    except DomainError as error:
        return _refuse(request, db, values, dropped, error,
                       error.status if error.status in (403, 413, 415, 429) else 422)
    staged: list[tuple[StagedFile, str]] = []
    try:
        for upload in uploads:
            file = await store.stage(chunks_of(upload), FILE_LIMIT)
            staged.append((file, ""))
            kind = await followup.check_attachment(file, upload.content_type,
                                                   Limits.of(settings))
            staged[-1] = (file, kind)
        secret = request.app.state.secret_key
        case = service.receive(db, secret, data)
        for number, (file, kind) in enumerate(staged, start=1):
            key = store.new_key()
            service.add_attachment(db, case, number, key, file.size, file.sha256, kind)
            store.keep(file, key)
        db.commit()
        _limiter(request, "submit", SUBMIT_BUDGET).count(_source(request))
    except DomainError as error:
        db.rollback()
        for file, _kind in staged:
            store.discard(file)
        return _refuse(request, db, values, dropped, error,
                       error.status if error.status in (413, 415) else 422)
    notify.notify(db, settings, secret, case, "received", str(request.base_url))
    root = request.scope.get("root_path", "")  # the council's /hdnd/<slug> address, if any
    return RedirectResponse(f"{root}/cong-dan/ho-so?ma={case.code}&moi=1", status_code=303)


@router.get("/ho-so")
def status_page(request: Request, db: SessionDep, ma: str = "", moi: str = "") -> Response:
    """The case behind a code; without one, the box to type it in."""
    context: dict[str, Any] = {"query": ma, "new": bool(moi), "case": None, "error": ""}
    status = 200
    if ma:
        wait = _limiter(request, "lookup", LOOKUP_BUDGET).take(_source(request))
        try:
            if wait:
                raise service.SubmissionThrottled(
                    "Bạn đã tra cứu quá nhiều lần. Hãy chờ ít phút rồi thử lại.",
                    "Too many look-ups. Wait a few minutes and try again.",
                    retry_after_seconds=wait)
            view = service.status_view(db, service.by_code(db, ma))
            context["case"] = {**view, "grouped": grouped(view["code"])}
        except DomainError as error:
            context["error"] = message_of(error, language_of(request))
            status = error.status
    return render(request, "portal/citizen_case.html", context, status)


# --- the clerks' pages --------------------------------------------------------------------


def _agencies(db: Session) -> list[str]:
    used = db.exec(select(TrackedItem.responsible_agency)
                   .where(TrackedItem.responsible_agency != "").distinct()).all()
    bodies = db.exec(select(Body.name)).all()
    return sorted({*used, *bodies} - {""})


@console.get("")
def cases_page(request: Request, user: StaffDep, db: SessionDep) -> Response:
    rows = service.incoming(db, user.principal)
    return render(request, "console/citizen_cases.html", {
        "user": user, "rows": [(c, followup.describe(i)) for c, i in rows]})


def _case_page(request: Request, user, db: Session, case_id: int,
               error: str = "", status: int = 200) -> Response:
    case = service.get_case(db, case_id)
    item = followup.get_item(db, case.item_id, user.principal)
    sender = service.read_sender(db, request.app.state.secret_key, user.principal, case)
    db.commit()  # the audit of reading the sender
    detail = followup.detail(db, item, user.principal)
    return render(request, "console/citizen_case.html", {
        "user": user, "case": case, "item": detail, "code": grouped(case.code),
        "sender": asdict(sender) if sender else None,
        "denunciation": case.case_type == CaseType.denunciation,
        "may_claim": (case.handler_account_id is None and case.closed_at is None
                      and user.principal.role.value == "clerk"),
        "notices": service.notices(db, case),
        "files": service.attachments(db, user.principal, case),
        "reply_may_be_public": CaseType(case.case_type) in PUBLIC_ANSWER_ALLOWED,
        "agencies": _agencies(db), "error": error}, status)


@console.get("/{case_id}")
def case_page(case_id: PathId, request: Request, user: StaffDep, db: SessionDep) -> Response:
    return _case_page(request, user, db, case_id)


STEP_OF = {"chuyen": "forwarded", "tra-loi": "answered", "ket-thuc": "closed", "nhan": ""}


@console.post("/{case_id}/{step}")
async def case_action(case_id: PathId, step: str, request: Request, user: StaffDep,
                      db: SessionDep, settings: SettingsDep) -> Response:
    if step not in STEP_OF:
        return Response(status_code=404)
    form = await checked_form(request, user)
    case = service.get_case(db, case_id)
    try:
        if step == "nhan":
            service.claim(db, user.principal, case)
        elif step == "chuyen":
            service.forward(db, user.principal, case, form.get("agency", ""),
                            form.get("note", ""))
        elif step == "tra-loi":
            service.record_reply(db, user.principal, case, form.get("answer", ""),
                                 form.get("public") == "1", form.get("note", ""))
        else:
            service.close(db, user.principal, case, form.get("note", ""))
        db.commit()
    except DomainError as error:
        db.rollback()
        return _case_page(request, user, db, case_id, message_of(error, language_of(request)),
                          409 if error.status == 409 else 422)
    if STEP_OF[step]:
        notify.notify(db, settings, request.app.state.secret_key, case, STEP_OF[step],
                      str(request.base_url))
    return RedirectResponse(f"/console/cong-dan/{case_id}", status_code=303)


@console.get("/{case_id}/tep/{attachment_id}")
def case_file(case_id: PathId, attachment_id: PathId, user: StaffDep, db: SessionDep,
              store: StoreDep) -> Response:
    case = service.get_case(db, case_id)
    found = next((a for a in service.attachments(db, user.principal, case)
                  if a.id == attachment_id), None)
    if found is None:
        return Response(status_code=404)
    db.commit()
    return FileResponse(store.path_for(found.storage_key), media_type=found.content_type,
                        filename=found.original_name)

