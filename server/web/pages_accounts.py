"""Accounts (admin only): list, create with a role and a person, reset a password, lock and
unlock. Clerks get 403 here: who may sign in is the administrator's decision.

Passwords are never echoed back into a page, not even after an error; everything else
typed comes back with the messages next to the fields.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import col, select

from server.deps import SessionDep
from server.errors import Conflict, DomainError, NotFound
from server.models import Account, AccountRole
from server.schemas.base import PathId
from server.schemas.council import AccountCreate, PasswordChange
from server.services import accounts, council
from server.tenancy.scope import councils_below
from server.web.auth import StaffDep, StaffOnly, WebUser, checked_form
from server.web.forms import FormErrors, blank_to_none, domain_errors, validate
from server.web.i18n import language_of
from server.web.render import render

router = APIRouter(prefix="/console/tai-khoan", include_in_schema=False)
HOME = "/console/tai-khoan"


def get_admin_user(user: StaffDep) -> WebUser:
    if not user.principal.is_admin:
        raise StaffOnly()
    return user


AdminDep = Annotated[WebUser, Depends(get_admin_user)]


class CannotLockYourself(Conflict):
    code = "cannot_lock_yourself"
    message_vi = "Không thể tự khóa tài khoản đang đăng nhập."
    message_en = "You cannot lock the account you are signed in with."


def _page(request: Request, user: WebUser, db, errors: dict | None = None,
          values: dict | None = None, status: int = 200) -> Response:
    people = council.people(db)
    own = user.principal.council_id  # a province reader also reads the communes' accounts
    return render(request, "console/accounts.html", {
        "user": user, "accounts": list(db.exec(select(Account).where(Account.council_id == own)
                                               .order_by(col(Account.username)))),
        "people": people, "names": {p.id: p.full_name for p in people},
        "has_councils_below": bool(councils_below(db, own)),
        "roles": list(AccountRole), "errors": errors or {}, "values": values or {}}, status)


def _account(db, account_id: int) -> Account:
    account = db.get(Account, account_id)
    if account is None:
        raise NotFound("Không tìm thấy tài khoản này.", "No such account.")
    return account


@router.get("")
def accounts_page(request: Request, user: AdminDep, db: SessionDep) -> Response:
    return _page(request, user, db)


async def _save(request: Request, user: WebUser, db, prefix: str, action) -> Response:
    form = await checked_form(request, user)
    lang = language_of(request)
    try:
        action(form, lang)
        db.commit()
    except FormErrors as error:
        db.rollback()
        errors = error.errors
    except DomainError as error:
        db.rollback()
        errors = domain_errors(error, lang)
    else:
        return RedirectResponse(HOME, status_code=303)
    kept = {f"{prefix}.{k}": v for k, v in form.items() if k != "password"}
    return _page(request, user, db, {f"{prefix}.{k}": v for k, v in errors.items()}, kept, 422)


@router.post("")
async def create_account(request: Request, user: AdminDep, db: SessionDep) -> Response:
    def action(form: dict, lang: str) -> None:
        values = {k: form.get(k, "") for k in ("username", "password", "role", "person_id")}
        values["reads_councils_below"] = form.get("reads_councils_below") == "on"
        data = validate(AccountCreate, blank_to_none(values, "person_id"), lang)
        accounts.create_account(db, user.account, data.username, data.password, data.role,
                                data.person_id, data.reads_councils_below)

    return await _save(request, user, db, "new", action)


@router.post("/{account_id}/mat-khau")
async def reset_password(account_id: PathId, request: Request, user: AdminDep,
                         db: SessionDep) -> Response:
    def action(form: dict, lang: str) -> None:
        data = validate(PasswordChange, {"password": form.get("password", "")}, lang)
        accounts.set_password(db, user.account, _account(db, account_id), data.password)

    return await _save(request, user, db, f"pw-{account_id}", action)


@router.post("/{account_id}/{state}")
async def lock_or_unlock(account_id: PathId, state: str, request: Request, user: AdminDep,
                         db: SessionDep) -> Response:
    if state not in ("khoa", "mo-khoa"):
        return Response(status_code=404)

    def action(form: dict, lang: str) -> None:
        account = _account(db, account_id)
        if state == "khoa" and account.id == user.account.id:
            raise CannotLockYourself()
        accounts.set_active(db, user.account, account, state == "mo-khoa")

    return await _save(request, user, db, f"lock-{account_id}", action)
