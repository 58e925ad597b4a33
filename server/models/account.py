"""Accounts, their roles, and issued tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from server.models.base import Tenanted, UTCDateTime, short_text, utcnow


class AccountRole(StrEnum):
    """The account's standing role. Chair and secretary are given per session."""

    admin = "admin"
    clerk = "clerk"
    delegate = "delegate"
    official = "official"  # invited official of the People's Committee
    observer = "observer"


class Account(Tenanted, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    username: str = Field(max_length=64, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    role: AccountRole = Field(sa_type=short_text(16))
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    is_active: bool = Field(default=True)
    # a province role: may read (never write) every council under the account's own
    # (server/tenancy/scope.py); the account still writes only in its own council
    reads_councils_below: bool = Field(default=False)
    failed_logins: int = Field(default=0)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TokenKind(StrEnum):
    access = "access"
    refresh = "refresh"


class AuthToken(Tenanted, SQLModel, table=True):
    """An issued token, stored only as its SHA-256 so a database leak yields no tokens."""

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    kind: TokenKind = Field(sa_type=short_text(8))
    account_id: int = Field(foreign_key="account.id", index=True)
    # Access and refresh tokens of one sign-in share a family: logout revokes all of it.
    family: str = Field(max_length=32, index=True)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # set for a live credential a device obtained with its own key: revoking the device
    # revokes it too (server/live/revocations.py)
    device_id: int | None = Field(default=None, foreign_key="device.id", index=True)
