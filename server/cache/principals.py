"""Who is calling, without three queries on every request.

An access token's account, family, device and the person's memberships and session roles
are read once and kept under the "access" generation (server/cache/generations.py):
logout, a revoked device, a locked account or a changed membership moves it on every
host at once. Expiry is time, not data, so it is checked on every hit against the
project clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session

from server.cache import generations
from server.cache.lru import GenerationCache
from server.errors import TokenInvalid
from server.models import Account, SessionOfficerRole
from server.models.base import utcnow
from server.security import tokens
from server.security.principal import Principal, load_principal
from server.services import auth


@dataclass(frozen=True)
class _Known:
    account: dict[str, Any]  # the columns, not the ORM object: each request gets its own
    member_of: frozenset[int]
    chairs: frozenset[int]
    session_roles: dict[int, frozenset[SessionOfficerRole]]
    family: str
    expires_at: datetime  # naive UTC, as stored
    councils_below: frozenset[int]

    def principal(self) -> Principal:
        """A fresh Principal on a fresh detached Account, so a route that changes either
        (its own password, say) never touches another request's copy."""
        account = Account(**self.account)
        make_transient_to_detached(account)
        return Principal(account, self.member_of, self.chairs, dict(self.session_roles),
                         _all_roles_loaded=True, councils_below=self.councils_below)


_CACHE: GenerationCache[str, _Known] = GenerationCache()
_ACCOUNT_COLUMNS = [attribute.key for attribute in sa_inspect(Account).column_attrs]


def principal_for(db: Session, access_token: str) -> tuple[Principal, str]:
    """The caller and their token family, as ``auth.authenticate`` + ``load_principal``.

    The Principal has every session role preloaded, so nothing on it reaches the
    database later.
    """
    digest = tokens.token_digest(access_token)
    generation = generations.of(db, generations.ACCESS)
    known = _CACHE.get(digest, generation)
    if known is not None:
        if known.expires_at <= utcnow():
            raise TokenInvalid()
        return known.principal(), known.family
    account, family, expires_at = auth.authenticate_with_expiry(db, access_token)
    principal = load_principal(db, account)
    principal.preload_session_roles(db)
    columns = {key: getattr(account, key) for key in _ACCOUNT_COLUMNS}
    if generations.may_store(db):
        _CACHE.put(digest, generation, _Known(columns, principal.member_of, principal.chairs,
                                              dict(principal._session_roles), family,
                                              expires_at, principal.councils_below))
    return principal, family


def cached_principal(engine: Engine, access_token: str) -> tuple[Principal, str] | None:
    """The caller from this process's memory alone, or None (then ask ``principal_for``).

    No query and no wait, so the hot reads can answer on the event loop; only when the
    counters were read less than ``generations.FRESH_S`` ago.
    """
    counters = generations.fresh(engine)
    if counters is None:
        return None
    known = _CACHE.get(tokens.token_digest(access_token), counters.stamp(generations.ACCESS))
    if known is None or known.expires_at <= utcnow():
        return None
    return known.principal(), known.family
