"""Signing in and out, with lock-out after repeated failures."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from server.config import Settings
from server.errors import AccountLocked, InvalidCredentials, TokenInvalid
from server.models import Account, TokenKind
from server.models.base import utcnow
from server.security import tokens
from server.security.passwords import hash_password, needs_rehash, verify_password
from server.services import audit


def lock_delay(failures: int, settings: Settings) -> timedelta:
    """The lock grows with each failure past the limit: 30 s, 60 s, 120 s … capped at a day."""
    over = failures - settings.lockout_after_failures
    seconds = settings.lockout_base_seconds * (2 ** max(over, 0))
    return timedelta(seconds=min(seconds, 24 * 3600))


def sign_in(db: Session, username: str, password: str, settings: Settings) -> tokens.IssuedTokens:
    account = db.exec(select(Account).where(Account.username == username)).first()
    now = utcnow()
    if account is not None and account.locked_until and account.locked_until > now:
        raise _locked(account, now)
    if account is None or not account.is_active or not verify_password(account.password_hash, password):
        if account is not None:
            account.failed_logins += 1
            if account.failed_logins >= settings.lockout_after_failures:
                account.locked_until = now + lock_delay(account.failed_logins, settings)
            db.add(account)
            audit.record(db, account, "auth.failed", "account", account.id,
                         failures=account.failed_logins)
            db.commit()
            if account.locked_until and account.locked_until > now:
                raise _locked(account, now)
        raise InvalidCredentials()
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    account.failed_logins = 0
    account.locked_until = None
    db.add(account)
    issued = tokens.issue_tokens(db, account, settings)
    audit.record(db, account, "auth.signed_in", "account", account.id)
    db.commit()
    return issued


def _locked(account: Account, now) -> AccountLocked:  # noqa: ANN001
    seconds = int((account.locked_until - now).total_seconds()) + 1
    return AccountLocked(
        f"Tài khoản tạm khóa do đăng nhập sai {account.failed_logins} lần. "
        f"Thử lại sau {seconds} giây.",
        f"The account is locked after {account.failed_logins} failed sign-ins. "
        f"Try again in {seconds} seconds.",
        retry_after_seconds=seconds,
    )


def refresh(db: Session, refresh_token: str, settings: Settings) -> tokens.IssuedTokens:
    """Rotate: the old refresh token stops working; reusing it revokes the whole family."""
    from server.models import AuthToken

    record = db.exec(
        select(AuthToken).where(AuthToken.token_hash == tokens.token_digest(refresh_token))
    ).first()
    if record is not None and record.kind == TokenKind.refresh and record.revoked_at is not None:
        tokens.revoke_family(db, record.family)  # a stolen refresh token was replayed
        db.commit()
        raise TokenInvalid()
    record = tokens.find_live_token(db, refresh_token, TokenKind.refresh)
    account = db.get(Account, record.account_id)
    if account is None or not account.is_active:
        raise TokenInvalid()
    record.revoked_at = utcnow()
    db.add(record)
    issued = tokens.issue_tokens(db, account, settings, family=record.family)
    db.commit()
    return issued


def sign_out(db: Session, account: Account, family: str) -> None:
    tokens.revoke_family(db, family)
    audit.record(db, account, "auth.signed_out", "account", account.id)
    db.commit()


def authenticate(db: Session, access_token: str) -> tuple[Account, str]:
    record = tokens.find_live_token(db, access_token, TokenKind.access)
    account = db.get(Account, record.account_id)
    if account is None or not account.is_active:
        raise TokenInvalid()
    if record.device_id is not None:  # a device's live credential ends with the device
        from server.models.devices import Device

        device = db.get(Device, record.device_id)
        if device is None or device.revoked_at is not None:
            raise TokenInvalid()
    return account, record.family
