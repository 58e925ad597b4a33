"""Dependencies that routes receive through ``Depends``: database session, caller, app state.

Routes name what they need in their signature (``StaffPrincipal``, ``HubDep``...) instead of
reaching into ``request.app.state`` or checking roles in their body, so a route's permission
reads on its first line and in one place (server/security/policy.py keeps the rule itself).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.engine import Engine
from sqlmodel import Session

from server.cache import principals
from server.config import Settings
from server.documents.storage import DocumentStore
from server.errors import NotAuthenticated
from server.live.hub import SittingHub
from server.security.policy import require_admin, require_staff
from server.security.principal import Principal
from server.security.throttle import SignInThrottle
from server.tenancy import address, scoping
from server.tenancy.scope import Scope

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


def get_db(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        portal = getattr(request.state, "portal_scope", None)
        if portal is not None:  # a public route (PORTAL); a caller's own scope replaces it
            scoping.enter(session, portal)
        yield session


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> DocumentStore:
    return request.app.state.store


def get_signin_throttle(request: Request) -> SignInThrottle:
    return request.app.state.signin_throttle


def get_hub(request: Request) -> SittingHub:
    return request.app.state.hub


def get_secret_key(request: Request) -> str:
    """The server's secret (enrolment codes, projector codes, sealed cookies)."""
    return request.app.state.secret_key


def source_of(request: Request) -> str:
    """The client's address (behind a reverse proxy: as uvicorn's proxy headers set it)."""
    return request.client.host if request.client else "unknown"


SessionDep = Annotated[Session, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
StoreDep = Annotated[DocumentStore, Depends(get_store)]
ThrottleDep = Annotated[SignInThrottle, Depends(get_signin_throttle)]
SourceDep = Annotated[str, Depends(source_of)]
HubDep = Annotated[SittingHub, Depends(get_hub)]
SecretKeyDep = Annotated[str, Depends(get_secret_key)]


TokenDep = Annotated[str | None, Depends(oauth2_scheme)]


async def get_engine_async(request: Request) -> Engine:
    # async so FastAPI calls it on the event loop: the hot reads must not hop to a thread
    return request.app.state.engine


EngineDep = Annotated[Engine, Depends(get_engine_async)]


async def get_portal_scope(request: Request) -> Scope:
    """Public routes answer for the council their address names (``/hdnd/<slug>/``, a
    council's host name, else the first council), whoever asks: ``get_db`` scopes the
    request's session to it (server/tenancy/address.py). Async and with no session of its
    own, so the portal's hot pages, answered from memory, stay on the event loop."""
    scope = Scope.of_council(address.council_of_request(request))
    request.state.portal_scope = scope
    return scope


# for ``dependencies=[...]`` on a public router or route
PORTAL = Depends(get_portal_scope)


def get_principal(db: SessionDep, token: TokenDep, request: Request) -> Principal:
    if not token:
        raise NotAuthenticated()
    principal, family = principals.principal_for(db, token)
    request.state.token_family = family
    # from here on the request's session sees only the caller's councils (server/tenancy)
    scoping.enter(db, principal.scope)
    request.state.scope = principal.scope
    return principal


def get_detached_principal(token: TokenDep, request: Request) -> Principal:
    """The caller, read in a session of its own that is closed before the route runs.

    For routes that await the live hub: the hub's group commit needs a pooled connection,
    and a request holding one while it waits (every tablet resending at once after a
    restart) could leave nobody able to go on. The account and memberships stay usable:
    they are loaded, and closing the session does not expire them.
    """
    with Session(request.app.state.engine, expire_on_commit=False) as db:
        return get_principal(db, token, request)


def get_staff_principal(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    """A clerk or admin; anyone else is refused (403 ``forbidden``) before the route runs."""
    require_staff(principal)
    return principal


def get_admin_principal(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    """An admin; anyone else is refused (403 ``forbidden``) before the route runs."""
    require_admin(principal)
    return principal


def get_standing_committee_principal(db: SessionDep,
                                     principal: Annotated[Principal, Depends(get_principal)]
                                     ) -> Principal:
    """The Standing Committee (or staff), who prepare the questioning programme; anyone else
    is refused (403 ``not_standing_committee``) before the route runs."""
    from server.services.questioning import require_standing_committee

    require_standing_committee(db, principal)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
StandingCommitteePrincipal = Annotated[Principal, Depends(get_standing_committee_principal)]
DetachedPrincipal = Annotated[Principal, Depends(get_detached_principal)]
StaffPrincipal = Annotated[Principal, Depends(get_staff_principal)]
AdminPrincipal = Annotated[Principal, Depends(get_admin_principal)]
# for ``dependencies=[...]`` on a decorator when the route does not use the caller itself
STAFF_ONLY = Depends(get_staff_principal)
ADMIN_ONLY = Depends(get_admin_principal)
STANDING_COMMITTEE_ONLY = Depends(get_standing_committee_principal)


def release_connection(db: Session) -> None:
    """Give this request's pooled connection back before awaiting the live hub.

    ``CurrentPrincipal`` reads the caller through the request's ``SessionDep``, which keeps
    its connection until the response. The hub's group commit needs a connection too: with
    as many requests waiting on the hub as the pool has connections (every tablet resending
    at once after a server restart), nobody could go on. Objects already read stay usable:
    their attributes are loaded and closing does not expire them.
    """
    db.close()
