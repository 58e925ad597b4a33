"""Creating accounts, changing passwords, locking — for the CLI and the admin API."""

from __future__ import annotations

from sqlmodel import Session, select

from server.errors import Conflict, NotFound, ValidationFailed
from server.models import Account, AccountRole, Person
from server.security import tokens
from server.security.passwords import hash_password
from server.services import audit

MIN_PASSWORD_LENGTH = 4  # the demo's "demo"; real deployments set longer ones


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.",
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters.",
            field="password",
        )


def get_by_username(db: Session, username: str) -> Account:
    account = db.exec(select(Account).where(Account.username == username)).first()
    if account is None:
        raise NotFound(f"Không có tài khoản '{username}'.", f"No account '{username}'.")
    return account


def create_account(
    db: Session,
    actor: Account | None,
    username: str,
    password: str,
    role: AccountRole,
    person_id: int | None = None,
) -> Account:
    _check_password(password)
    if db.exec(select(Account).where(Account.username == username)).first() is not None:
        raise Conflict(f"Tên đăng nhập '{username}' đã có.", f"Username '{username}' is taken.",
                       field="username")
    if person_id is not None and db.get(Person, person_id) is None:
        raise NotFound("Không tìm thấy người này.", "No such person.", field="person_id")
    account = Account(username=username, password_hash=hash_password(password), role=role,
                      person_id=person_id)
    db.add(account)
    db.flush()
    audit.record(db, actor, "account.created", "account", account.id, username=username,
                 role=str(role))
    return account


def set_password(db: Session, actor: Account | None, account: Account, password: str) -> None:
    _check_password(password)
    account.password_hash = hash_password(password)
    account.failed_logins = 0
    account.locked_until = None
    db.add(account)
    _revoke_all(db, account)
    audit.record(db, actor, "account.password_set", "account", account.id)


def set_active(db: Session, actor: Account | None, account: Account, active: bool) -> None:
    account.is_active = active
    db.add(account)
    if not active:
        _revoke_all(db, account)
    audit.record(db, actor, "account.unlocked" if active else "account.locked", "account",
                 account.id)


def _revoke_all(db: Session, account: Account) -> None:
    from server.models import AuthToken

    families = set(db.exec(select(AuthToken.family).where(AuthToken.account_id == account.id)))
    for family in families:
        tokens.revoke_family(db, family)
