"""Dependencies that routes receive through ``Depends``: database session and caller."""

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
from server.security.principal import Principal
from server.security.throttle import SignInThrottle

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


def get_db(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> DocumentStore:
    return request.app.state.store


def get_signin_throttle(request: Request) -> SignInThrottle:
    return request.app.state.signin_throttle


def source_of(request: Request) -> str:
    """The client's address (behind a reverse proxy: as uvicorn's proxy headers set it)."""
    return request.client.host if request.client else "unknown"


SessionDep = Annotated[Session, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
StoreDep = Annotated[DocumentStore, Depends(get_store)]
ThrottleDep = Annotated[SignInThrottle, Depends(get_signin_throttle)]
SourceDep = Annotated[str, Depends(source_of)]


async def get_engine_async(request: Request) -> Engine:
    # async so FastAPI calls it on the event loop: the hot reads must not hop to a thread
    return request.app.state.engine


EngineDep = Annotated[Engine, Depends(get_engine_async)]
BearerToken = Annotated[str | None, Depends(oauth2_scheme)]


def get_principal(db: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)],
                  request: Request) -> Principal:
    if not token:
        raise NotAuthenticated()
    principal, family = principals.principal_for(db, token)
    request.state.token_family = family
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def release_connection(db: Session) -> None:
    """Give this request's pooled connection back before awaiting the live hub.

    ``CurrentPrincipal`` reads the caller through the request's ``SessionDep``, which keeps
    its connection until the response. The hub's group commit needs a connection too: with
    as many requests waiting on the hub as the pool has connections (every tablet resending
    at once after a server restart), nobody could go on. Objects already read stay usable:
    their attributes are loaded and closing does not expire them.
    """
    db.close()
