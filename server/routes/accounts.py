from __future__ import annotations

from fastapi import APIRouter
from sqlmodel import col, select

from server.deps import AdminPrincipal, SessionDep
from server.errors import NotFound
from server.models import Account
from server.routes.common import AUTH_PROBLEMS
from server.schemas.base import Input, PathId, example
from server.schemas.council import AccountCreate, AccountRead, PasswordChange
from server.services import accounts

router = APIRouter(prefix="/accounts", tags=["accounts"])


class AccountActive(Input):
    model_config = example({"is_active": False})

    is_active: bool


def _get(db, account_id: PathId) -> Account:
    account = db.get(Account, account_id)
    if account is None:
        raise NotFound("Không tìm thấy tài khoản.", "No such account.")
    return account


@router.get("", response_model=list[AccountRead], responses=AUTH_PROBLEMS,
            summary="The accounts of the admin's council (admin)")
def list_accounts(db: SessionDep, principal: AdminPrincipal) -> list[AccountRead]:
    # the admin's own council only, also for a province role that reads the communes
    return [AccountRead.model_validate(a)
            for a in db.exec(select(Account).where(Account.council_id == principal.council_id)
                             .order_by(col(Account.username)))]


@router.post("", response_model=AccountRead, status_code=201, responses=AUTH_PROBLEMS,
             summary="Create an account (admin)")
def create_account(data: AccountCreate, principal: AdminPrincipal,
                   db: SessionDep) -> AccountRead:
    account = accounts.create_account(db, principal.account, data.username, data.password,
                                      data.role, data.person_id, data.reads_councils_below)
    db.commit()
    return AccountRead.model_validate(account)


@router.put("/{account_id}/password", status_code=204, responses=AUTH_PROBLEMS,
            summary="Set an account's password (admin); signs it out everywhere")
def set_password(account_id: PathId, data: PasswordChange, principal: AdminPrincipal,
                 db: SessionDep) -> None:
    accounts.set_password(db, principal.account, _get(db, account_id), data.password)
    db.commit()


@router.put("/{account_id}/active", response_model=AccountRead, responses=AUTH_PROBLEMS,
            summary="Lock or unlock an account (admin)")
def set_active(account_id: PathId, data: AccountActive, principal: AdminPrincipal,
               db: SessionDep) -> AccountRead:
    account = _get(db, account_id)
    accounts.set_active(db, principal.account, account, data.is_active)
    db.commit()
    return AccountRead.model_validate(account)
