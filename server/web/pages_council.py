"""Council set-up (bodies, people, memberships: add, edit, delete with confirmation) and
the delegate import with preview.

Every form is checked by the API's own schema or the service; on an error the page comes
back with the messages next to the fields and with everything that was typed.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select
from starlette.datastructures import UploadFile

from server.deps import SessionDep
from server.errors import DomainError
from server.models import Body, BodyKind, Membership, MembershipRole, Person
from server.models.base import id_of
from server.schemas.base import PathId
from server.schemas.council import BodyCreate, BodyUpdate, MembershipSet, PersonCreate, PersonUpdate
from server.services import council, delegate_import
from server.web.auth import CSRF_FIELD, StaffDep, WebUser, check_csrf, checked_form
from server.web.forms import FormErrors, blank_to_none, domain_errors, validate
from server.web.i18n import language_of, message_of
from server.web.render import render

router = APIRouter(prefix="/console", include_in_schema=False)
MAX_IMPORT_BYTES = 5 * 1024 * 1024
HOME = "/console/hoi-dong"


def _people(db) -> list[Person]:
    return council.people(db)


def _page(request: Request, user, db, errors: dict | None = None,
          values: dict | None = None, status: int = 200) -> Response:
    bodies = list(db.exec(select(Body).order_by(col(Body.id))))
    return render(request, "console/council.html", {
        "user": user, "bodies": [(b, council.members(db, id_of(b))) for b in bodies],
        "people": _people(db), "body_kinds": list(BodyKind), "roles": list(MembershipRole),
        "errors": errors or {}, "values": values or {}}, status)


@router.get("/hoi-dong")
def council_page(request: Request, user: StaffDep, db: SessionDep) -> Response:
    return _page(request, user, db)


async def _save(request: Request, user: WebUser, db, form_name: str,
                action: Callable[[dict, str], str | None],
                again: Callable[[dict, dict], Response] | None = None) -> Response:
    """Run ``action(form, lang)``; on success go where it says (or the council page), on
    an error show ``again(errors, values)`` (the council page by default) with the form."""
    form = await checked_form(request, user)
    lang = language_of(request)
    try:
        target = action(form, lang)
        db.commit()
    except FormErrors as error:
        db.rollback()
        errors = error.errors
    except DomainError as error:
        db.rollback()
        errors = domain_errors(error, lang)
    else:
        return RedirectResponse(target or HOME, status_code=303)
    errors = {f"{form_name}.{k}": v for k, v in errors.items()}
    values = {f"{form_name}.{k}": v for k, v in form.items()}
    if again is not None:
        return again(errors, values)
    return _page(request, user, db, errors, values, 422)


def _flag(form: dict, name: str) -> bool:
    return form.get(name) == "on"


def _person_data(form: dict) -> dict:
    data = blank_to_none({k: form.get(k, "") for k in ("full_name", "position", "email", "phone")},
                         "email", "phone")
    data["is_delegate"] = _flag(form, "is_delegate")
    return data


@router.post("/hoi-dong/co-quan")
async def add_body(request: Request, user: StaffDep, db: SessionDep) -> Response:
    def action(form: dict, lang: str) -> None:
        council.create_body(db, user.account, validate(BodyCreate, {
            "name": form.get("name", ""), "kind": form.get("kind", ""),
            "publish_named_votes": _flag(form, "publish_named_votes"),
            "publish_vote_results": _flag(form, "publish_vote_results")}, lang))

    return await _save(request, user, db, "body", action)


@router.post("/hoi-dong/nguoi")
async def add_person(request: Request, user: StaffDep, db: SessionDep) -> Response:
    def action(form: dict, lang: str) -> None:
        council.create_person(db, user.account, validate(PersonCreate, _person_data(form), lang))

    return await _save(request, user, db, "person", action)


def _membership(db, user: WebUser, body: Body, form: dict, lang: str) -> None:
    data = validate(MembershipSet, blank_to_none(
        {"person_id": form.get("person_id", ""), "role": form.get("role", "member")},
        "person_id"), lang)
    council.set_membership(db, user.account, body, council.get_person(db, data.person_id),
                           data.role)


@router.post("/hoi-dong/thanh-vien")
async def set_member(request: Request, user: StaffDep, db: SessionDep) -> Response:
    def action(form: dict, lang: str) -> None:
        if not form.get("body_id", "").isdigit():
            raise FormErrors({"body_id": "Hãy chọn cơ quan." if lang == "vi" else "Choose a body."})
        _membership(db, user, council.get_body(db, int(form["body_id"])), form, lang)

    return await _save(request, user, db, "member", action)


# ---- one body: edit, members, delete -------------------------------------------------------

def _body_page(request: Request, user, db, body: Body, errors: dict | None = None,
               values: dict | None = None, status: int = 200) -> Response:
    members = council.members(db, id_of(body))
    member_ids = {p.id for _m, p in members}
    return render(request, "console/council_body.html", {
        "user": user, "body": body, "members": members, "roles": list(MembershipRole),
        "others": [p for p in _people(db) if p.id not in member_ids],
        "errors": errors or {}, "values": values or {}}, status)


@router.get("/hoi-dong/co-quan/{body_id}")
def body_page(body_id: PathId, request: Request, user: StaffDep, db: SessionDep) -> Response:
    return _body_page(request, user, db, council.get_body(db, body_id))


@router.post("/hoi-dong/co-quan/{body_id}")
async def edit_body(body_id: PathId, request: Request, user: StaffDep,
                    db: SessionDep) -> Response:
    body = council.get_body(db, body_id)

    def action(form: dict, lang: str) -> str:
        council.update_body(db, user.account, body, validate(BodyUpdate, {
            "name": form.get("name", ""),
            "quorum_numerator": form.get("quorum_numerator", ""),
            "quorum_denominator": form.get("quorum_denominator", ""),
            "publish_named_votes": _flag(form, "publish_named_votes"),
            "publish_vote_results": _flag(form, "publish_vote_results")}, lang))
        return f"{HOME}/co-quan/{body_id}"

    return await _save(request, user, db, "body", action, lambda e, v: _body_page(
        request, user, db, council.get_body(db, body_id), e, v, 422))


@router.post("/hoi-dong/co-quan/{body_id}/thanh-vien")
async def add_member_here(body_id: PathId, request: Request, user: StaffDep,
                          db: SessionDep) -> Response:
    body = council.get_body(db, body_id)

    def action(form: dict, lang: str) -> str:
        _membership(db, user, body, form, lang)
        return f"{HOME}/co-quan/{body_id}#members"

    return await _save(request, user, db, "member", action, lambda e, v: _body_page(
        request, user, db, council.get_body(db, body_id), e, v, 422))


@router.post("/hoi-dong/co-quan/{body_id}/thanh-vien/{person_id}")
async def change_role(body_id: PathId, person_id: PathId, request: Request, user: StaffDep,
                      db: SessionDep) -> Response:
    body = council.get_body(db, body_id)

    def action(form: dict, lang: str) -> str:
        _membership(db, user, body, {**form, "person_id": str(person_id)}, lang)
        return f"{HOME}/co-quan/{body_id}#members"

    return await _save(request, user, db, f"role-{person_id}", action, lambda e, v: _body_page(
        request, user, db, council.get_body(db, body_id), e, v, 422))


@router.post("/hoi-dong/co-quan/{body_id}/thanh-vien/{person_id}/bo")
async def remove_member(body_id: PathId, person_id: PathId, request: Request, user: StaffDep,
                        db: SessionDep) -> Response:
    body = council.get_body(db, body_id)

    def action(form: dict, lang: str) -> str:
        council.remove_membership(db, user.account, body, person_id)
        return f"{HOME}/co-quan/{body_id}#members"

    return await _save(request, user, db, f"role-{person_id}", action, lambda e, v: _body_page(
        request, user, db, council.get_body(db, body_id), e, v, 422))


# ---- one person: edit, memberships, delete -------------------------------------------------

def _person_page(request: Request, user, db, person: Person,
                 errors: dict | None = None, values: dict | None = None,
                 status: int = 200) -> Response:
    memberships = list(db.exec(select(Membership, Body).join(Body, col(Body.id) == Membership.body_id)
                               .where(Membership.person_id == person.id)))
    return render(request, "console/council_person.html", {
        "user": user, "person": person, "memberships": memberships,
        "errors": errors or {}, "values": values or {}}, status)


@router.get("/hoi-dong/nguoi/{person_id}")
def person_page(person_id: PathId, request: Request, user: StaffDep,
                db: SessionDep) -> Response:
    return _person_page(request, user, db, council.get_person(db, person_id))


@router.post("/hoi-dong/nguoi/{person_id}")
async def edit_person(person_id: PathId, request: Request, user: StaffDep,
                      db: SessionDep) -> Response:
    person = council.get_person(db, person_id)

    def action(form: dict, lang: str) -> str:
        council.update_person(db, user.account, person,
                              validate(PersonUpdate, _person_data(form), lang))
        return HOME

    return await _save(request, user, db, "person", action, lambda e, v: _person_page(
        request, user, db, council.get_person(db, person_id), e, v, 422))


# ---- deleting, always behind a confirmation page ------------------------------------------

def confirm_page(request: Request, user: WebUser, question: str, detail: str, action: str,
                 back: str, error: str = "", status: int = 200, confirm_label: str = "") -> Response:
    """The one confirmation page every delete (and every step that cannot be undone, such
    as closing a session) goes through (no script needed)."""
    return render(request, "console/confirm.html", {
        "user": user, "question": question, "detail": detail, "action": action,
        "back": back, "error": error, "confirm_label": confirm_label}, status)


def _what(request: Request, kind: str, name: str) -> tuple[str, str]:
    vi = language_of(request) == "vi"
    if kind == "body":
        return ((f"Xóa cơ quan «{name}»?", "Các thành viên của cơ quan cũng bị bỏ. "
                 "Không hoàn tác được.") if vi else
                (f"Delete the body «{name}»?", "Its memberships go too. This cannot be undone."))
    return ((f"Xóa «{name}» khỏi danh sách?", "Người này cũng bị bỏ khỏi mọi cơ quan. "
             "Không hoàn tác được.") if vi else
            (f"Delete «{name}»?", "Their memberships go too. This cannot be undone."))


@router.get("/hoi-dong/co-quan/{body_id}/xoa")
def confirm_delete_body(body_id: PathId, request: Request, user: StaffDep,
                        db: SessionDep) -> Response:
    body = council.get_body(db, body_id)
    return confirm_page(request, user, *_what(request, "body", body.name),
                        f"{HOME}/co-quan/{body_id}/xoa", f"{HOME}/co-quan/{body_id}")


@router.post("/hoi-dong/co-quan/{body_id}/xoa")
async def delete_body(body_id: PathId, request: Request, user: StaffDep,
                      db: SessionDep) -> Response:
    await checked_form(request, user)
    body = council.get_body(db, body_id)
    return _delete_or_explain(request, user, db, "body", body.name, f"{HOME}/co-quan/{body_id}",
                              lambda: council.delete_body(db, user.account, body))


@router.get("/hoi-dong/nguoi/{person_id}/xoa")
def confirm_delete_person(person_id: PathId, request: Request, user: StaffDep,
                          db: SessionDep) -> Response:
    person = council.get_person(db, person_id)
    return confirm_page(request, user, *_what(request, "person", person.full_name),
                        f"{HOME}/nguoi/{person_id}/xoa", f"{HOME}/nguoi/{person_id}")


@router.post("/hoi-dong/nguoi/{person_id}/xoa")
async def delete_person(person_id: PathId, request: Request, user: StaffDep,
                        db: SessionDep) -> Response:
    await checked_form(request, user)
    person = council.get_person(db, person_id)
    return _delete_or_explain(request, user, db, "person", person.full_name,
                              f"{HOME}/nguoi/{person_id}",
                              lambda: council.delete_person(db, user.account, person))


def _delete_or_explain(request: Request, user: WebUser, db: Session, kind: str, name: str,
                       page: str, delete: Callable[[], None]) -> Response:
    """Delete and go home, or show the confirm page again with why it was refused (409)."""
    try:
        delete()
        db.commit()
    except DomainError as error:
        db.rollback()
        return confirm_page(request, user, *_what(request, kind, name), f"{page}/xoa", page,
                            message_of(error, language_of(request)), 409)
    return RedirectResponse(HOME, status_code=303)


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
