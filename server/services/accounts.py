"""Creating accounts, changing passwords, locking — for the CLI and the admin API."""

from __future__ import annotations

from sqlmodel import Session, select

from server.errors import Conflict, Invalid, NotFound, ValidationFailed
from server.models import Account, AccountRole, Person
from server.security import tokens
from server.security.passwords import hash_password
from server.services import audit
from server.tenancy.scope import councils_below

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


class NoCouncilsBelow(Invalid):
    """A province role asked for in a council that has no council under it."""

    code = "no_councils_below"
    message_vi = "Hội đồng nhân dân này không có Hội đồng nhân dân cấp dưới để theo dõi."
    message_en = "This council has no council under it to follow."


def create_account(
    db: Session,
    actor: Account | None,
    username: str,
    password: str,
    role: AccountRole,
    person_id: int | None = None,
    reads_councils_below: bool = False,
    council_id: int | None = None,
) -> Account:
    """A new account in the caller's council (or ``council_id`` from the CLI). With
    ``reads_councils_below`` it is a province role: it also reads, never writes, every
    council under its own."""
    _check_password(password)
    if username_taken(db, username):
        raise Conflict(f"Tên đăng nhập '{username}' đã có.", f"Username '{username}' is taken.",
                       field="username")
    if person_id is not None and db.get(Person, person_id) is None:
        raise NotFound("Không tìm thấy người này.", "No such person.", field="person_id")
    account = Account(username=username, password_hash=hash_password(password), role=role,
                      person_id=person_id, reads_councils_below=reads_councils_below,
                      council_id=council_id)
    db.add(account)
    db.flush()
    if reads_councils_below and not councils_below(db, int(account.council_id or 0)):
        raise NoCouncilsBelow(field="reads_councils_below")
    audit.record(db, actor, "account.created", "account", account.id, username=username,
                 role=str(role), reads_councils_below=reads_councils_below)
    return account


def username_taken(db: Session, username: str) -> bool:
    """Whether any council's account has this name: names are unique in the deployment
    (a sign-in names no council), so the check looks past the caller's scope."""
    with Session(db.get_bind()) as everywhere:
        found = everywhere.exec(select(Account.id).where(Account.username == username)).first()
    return found is not None


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
