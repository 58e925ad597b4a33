"""Opaque bearer tokens: random, stored as SHA-256, revocable.

Opaque rather than JWT so that logout and a locked account take effect at once,
which matters more here than saving one indexed lookup per request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from server.config import Settings
from server.errors import TokenInvalid
from server.models import Account, AuthToken, TokenKind
from server.models.base import id_of, utcnow


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int


def issue_tokens(db: Session, account: Account, settings: Settings,
                 family: str | None = None) -> IssuedTokens:
    family = family or secrets.token_hex(16)
    now = utcnow()
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    access_ttl = timedelta(minutes=settings.access_token_minutes)
    db.add(AuthToken(token_hash=token_digest(access), kind=TokenKind.access, account_id=id_of(account),
                     family=family, expires_at=now + access_ttl))
    db.add(AuthToken(token_hash=token_digest(refresh), kind=TokenKind.refresh,
                     account_id=id_of(account), family=family,
                     expires_at=now + timedelta(days=settings.refresh_token_days)))
    return IssuedTokens(access, refresh, int(access_ttl.total_seconds()))


def find_live_token(db: Session, token: str, kind: TokenKind) -> AuthToken:
    record = db.exec(select(AuthToken).where(AuthToken.token_hash == token_digest(token))).first()
    if record is None:
        raise TokenInvalid()
    return check_live(record, kind)


def check_live(record: AuthToken, kind: TokenKind) -> AuthToken:
    """The token is of this kind, not revoked and not expired; otherwise TokenInvalid."""
    if record.kind != kind or record.revoked_at is not None or record.expires_at <= utcnow():
        raise TokenInvalid()
    return record


def revoke_family(db: Session, family: str) -> None:
    from server.live.revocations import mark

    now = utcnow()
    for record in db.exec(select(AuthToken).where(AuthToken.family == family,
                                                  AuthToken.revoked_at.is_(None))):  # type: ignore[union-attr]
        record.revoked_at = now
        db.add(record)
        mark(db, [record.token_hash])  # live connections using it are cut at commit


def revoke_device_tokens(db: Session, device_id: int) -> None:
    """End every credential a device obtained with its key (the device is revoked)."""
    from server.live.revocations import mark

    now = utcnow()
    for record in db.exec(select(AuthToken).where(AuthToken.device_id == device_id,
                                                  AuthToken.revoked_at.is_(None))):  # type: ignore[union-attr]
        record.revoked_at = now
        db.add(record)
        mark(db, [record.token_hash])


@dataclass(frozen=True)
class LiveCredential:
    access_token: str
    expires_at: datetime  # aware UTC
    expires_in: int


def issue_live_credential(db: Session, account: Account, device_id: int,
                          settings: Settings) -> LiveCredential:
    """A short-lived access token bound to a device: no refresh token, since the device
    asks again with its own key; revoking the device or the account ends it."""
    now = utcnow()
    ttl = timedelta(minutes=settings.live_credential_minutes)
    token = secrets.token_urlsafe(32)
    db.add(AuthToken(token_hash=token_digest(token), kind=TokenKind.access,
                     account_id=id_of(account), family=secrets.token_hex(16),
                     expires_at=now + ttl, device_id=device_id))
    return LiveCredential(token, now + ttl, int(ttl.total_seconds()))

