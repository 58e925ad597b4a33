"""Opaque bearer tokens: random, stored as SHA-256, revocable.

Opaque rather than JWT so that logout and a locked account take effect at once,
which matters more here than saving one indexed lookup per request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from server.config import Settings
from server.errors import TokenInvalid
from server.models import Account, AuthToken, TokenKind
from server.models.base import utcnow


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
    db.add(AuthToken(token_hash=token_digest(access), kind=TokenKind.access, account_id=account.id,
                     family=family, expires_at=now + access_ttl))
    db.add(AuthToken(token_hash=token_digest(refresh), kind=TokenKind.refresh,
                     account_id=account.id, family=family,
                     expires_at=now + timedelta(days=settings.refresh_token_days)))
    return IssuedTokens(access, refresh, int(access_ttl.total_seconds()))


def find_live_token(db: Session, token: str, kind: TokenKind) -> AuthToken:
    record = db.exec(select(AuthToken).where(AuthToken.token_hash == token_digest(token))).first()
    if record is None or record.kind != kind or record.revoked_at is not None:
        raise TokenInvalid()
    if record.expires_at <= utcnow():
        raise TokenInvalid()
    return record


def revoke_family(db: Session, family: str) -> None:
    now = utcnow()
    for record in db.exec(select(AuthToken).where(AuthToken.family == family,
                                                  AuthToken.revoked_at.is_(None))):  # type: ignore[union-attr]
        record.revoked_at = now
        db.add(record)
