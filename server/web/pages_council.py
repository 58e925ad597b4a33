"""Council set-up (bodies, people, memberships) and the delegate import with preview."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import col, select
from starlette.datastructures import UploadFile

from server.deps import SessionDep
from server.errors import DomainError
from server.models import Body, BodyKind, MembershipRole, Person
from server.schemas.council import BodyCreate, MembershipSet, PersonCreate
from server.services import council, delegate_import
from server.web.auth import CSRF_FIELD, StaffDep, check_csrf, checked_form
from server.web.forms import FormErrors, blank_to_none, domain_errors, validate
from server.web.i18n import language_of, message_of
from server.web.render import render

router = APIRouter(prefix="/console", include_in_schema=False)
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _page(request: Request, user, db, errors: dict | None = None,  # noqa: ANN001
          values: dict | None = None, status: int = 200) -> Response:
    bodies = list(db.exec(select(Body).order_by(col(Body.id))))
    return render(request, "console/council.html", {
        "user": user, "bodies": [(b, council.members(db, b.id or 0)) for b in bodies],
        "people": list(db.exec(select(Person).order_by(col(Person.full_name)))),
        "body_kinds": list(BodyKind), "roles": list(MembershipRole),
        "errors": errors or {}, "values": values or {}}, status)


@router.get("/hoi-dong")
def council_page(request: Request, user: StaffDep, db: SessionDep) -> Response:
    return _page(request, user, db)


async def _save(request: Request, user, db, form_name: str, action) -> Response:  # noqa: ANN001
    form = await checked_form(request, user)
    lang = language_of(request)
    try:
        action(form, lang)
        db.commit()
    except FormErrors as error:
        db.rollback()
        return _page(request, user, db, {f"{form_name}.{k}": v for k, v in error.errors.items()},
                     {f"{form_name}.{k}": v for k, v in form.items()}, 422)
    except DomainError as error:
        db.rollback()
        field = str(error.extra.get("field", ""))
        return _page(request, user, db, {f"{form_name}.{field}": message_of(error, lang)},
                     {f"{form_name}.{k}": v for k, v in form.items()}, 422)
    return RedirectResponse("/console/hoi-dong", status_code=303)


@router.post("/hoi-dong/co-quan")
async def add_body(request: Request, user: StaffDep, db: SessionDep) -> Response:
    def action(form: dict, lang: str) -> None:
        council.create_body(db, user.account, validate(BodyCreate, {
            "name": form.get("name", ""), "kind": form.get("kind", ""),
            "publish_named_votes": form.get("publish_named_votes") == "on",
            "publish_vote_results": form.get("publish_vote_results") == "on"}, lang))

    return await _save(request, user, db, "body", action)


@router.post("/hoi-dong/nguoi")
async def add_person(request: Request, user: StaffDep, db: SessionDep) -> Response:
    def action(form: dict, lang: str) -> None:
        data = blank_to_none({k: form.get(k, "") for k in
                              ("full_name", "position", "email", "phone")}, "email", "phone")
        data["is_delegate"] = form.get("is_delegate") == "on"
        council.create_person(db, user.account, validate(PersonCreate, data, lang))

    return await _save(request, user, db, "person", action)


@router.post("/hoi-dong/thanh-vien")
async def set_member(request: Request, user: StaffDep, db: SessionDep) -> Response:
    def action(form: dict, lang: str) -> None:
        if not form.get("body_id", "").isdigit():
            raise FormErrors({"body_id": "Hãy chọn cơ quan." if lang == "vi" else "Choose a body."})
        data = validate(MembershipSet, blank_to_none(
            {"person_id": form.get("person_id", ""), "role": form.get("role", "member")},
            "person_id"), lang)
        council.set_membership(db, user.account, council.get_body(db, int(form["body_id"])),
                               council.get_person(db, data.person_id), data.role)

    return await _save(request, user, db, "member", action)


# ---- import ---------------------------------------------------------------------------------

@router.get("/nhap-dai-bieu")
def import_page(request: Request, user: StaffDep) -> Response:
    return render(request, "console/import.html", {"user": user, "rows": None, "errors": {}})


@router.post("/nhap-dai-bieu")
async def import_preview(request: Request, user: StaffDep, db: SessionDep) -> Response:
    form = await request.form()
    token = form.get(CSRF_FIELD)
    check_csrf(user, token if isinstance(token, str) else None)
    lang = language_of(request)
    file = form.get("file")
    errors: dict[str, str] = {}
    rows = None
    if not isinstance(file, UploadFile) or not file.filename:
        errors["file"] = ("Hãy chọn tệp CSV hoặc XLSX." if lang == "vi"
                          else "Choose a CSV or XLSX file.")
    else:
        content = await file.read(MAX_IMPORT_BYTES + 1)
        try:
            if len(content) > MAX_IMPORT_BYTES:
                raise FormErrors({"file": "Tệp quá lớn (tối đa 5 MB)." if lang == "vi"
                                  else "The file is too large (5 MB at most)."})
            rows = delegate_import.parse(db, file.filename, content)
        except FormErrors as error:
            errors = error.errors
        except DomainError as error:
            errors = domain_errors(error, lang)
            errors = {"file": next(iter(errors.values()))}
    return render(request, "console/import.html", {
        "user": user, "rows": rows, "errors": errors,
        "rows_json": json.dumps([r.values for r in rows or []], ensure_ascii=False)},
        status=422 if errors else 200)


@router.post("/nhap-dai-bieu/xac-nhan")
async def import_confirm(request: Request, user: StaffDep, db: SessionDep) -> Response:
    form = await checked_form(request, user)
    lang = language_of(request)
    try:
        values = json.loads(form.get("rows", "[]"))
        rows = [delegate_import.check(db, n, {k: str(v) for k, v in row.items()})
                for n, row in enumerate(values, start=2)]
        count = delegate_import.apply(db, user.account, rows)
        db.commit()
    except (ValueError, AttributeError):
        return render(request, "console/import.html", {"user": user, "rows": None,
                                                       "errors": {"file": "?"}}, status=422)
    except DomainError as error:
        db.rollback()
        return render(request, "console/import.html", {
            "user": user, "rows": rows, "errors": {"file": message_of(error, lang)},
            "rows_json": form.get("rows", "[]")}, status=422)
    return render(request, "console/import.html", {"user": user, "rows": None, "errors": {},
                                                   "imported": count})
