"""Signing in and out; failed sign-ins are slowed down per account and source."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from server.config import Settings
from server.errors import InvalidCredentials, SignInThrottled, TokenInvalid
from server.models import Account, AuthToken, TokenKind
from server.models.base import utcnow
from server.security import tokens
from server.security.passwords import hash_password, needs_rehash, verify_password
from server.security.throttle import SignInThrottle
from server.services import audit


def sign_in(db: Session, username: str, password: str, settings: Settings,
            throttle: SignInThrottle, source: str) -> tokens.IssuedTokens:
    """Check a password. Known and unknown usernames cost the same Argon2 verification
    and get the same answers; repeated failures slow down that source, never lock the
    account (``server.security.throttle``)."""
    wait = throttle.wait_seconds(username, source)
    if wait:
        raise _throttled(wait)
    account = db.exec(select(Account).where(Account.username == username)).first()
    # Always one Argon2 verification: against a dummy hash when there is no account.
    verified = verify_password(account.password_hash if account else None, password)
    if account is None or not account.is_active or not verified:
        throttle.failed(username, source)
        audit.record(db, account, "auth.failed", "account", account.id if account else "",
                     source=source[:64])
        db.commit()
        raise InvalidCredentials()
    throttle.succeeded(username, source)
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    db.add(account)
    issued = tokens.issue_tokens(db, account, settings)
    audit.record(db, account, "auth.signed_in", "account", account.id)
    db.commit()
    return issued


def _throttled(seconds: int) -> SignInThrottled:
    return SignInThrottled(
        f"Đăng nhập sai nhiều lần từ máy này. Thử lại sau {seconds} giây.",
        f"Too many failed sign-ins from this machine. Try again in {seconds} seconds.",
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
    account, family, _expires_at = authenticate_with_expiry(db, access_token)
    return account, family


def authenticate_with_expiry(db: Session, access_token: str) -> tuple[Account, str, datetime]:
    """As ``authenticate``, with the token's expiry for callers that keep the answer."""
    # token and account in one query: this runs on every authenticated request
    found = db.exec(select(AuthToken, Account).join(Account, col(Account.id) == AuthToken.account_id)
                    .where(AuthToken.token_hash == tokens.token_digest(access_token))).first()
    if found is None:
        raise TokenInvalid()
    record, account = found
    tokens.check_live(record, TokenKind.access)
    if not account.is_active:
        raise TokenInvalid()
    if record.device_id is not None:  # a device's live credential ends with the device
        from server.models.devices import Device

        device = db.get(Device, record.device_id)
        if device is None or device.revoked_at is not None:
            raise TokenInvalid()
    return account, record.family, record.expires_at
