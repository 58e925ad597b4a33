"""The portal's address names its council: ``/hdnd/<slug>/…`` on any host, or a host name
given to one council (``council.portal_host``); with neither, the deployment's first
council, so a single-council installation answers as before.

``CouncilAddress`` makes the prefix the request's ``root_path`` (Starlette routes on the
path below it, so the routes stay as they are, and links built from the request keep
it) and remembers the slug; ``council_at`` turns slug or host into a council id.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from starlette.requests import HTTPConnection

from server.cache import generations
from server.cache.lru import GenerationCache
from server.errors import NotFound
from server.models import Council
from server.tenancy.scope import default_council_id

PREFIX = "/hdnd/"
_SLUG = re.compile(r"^/hdnd/([a-z0-9][a-z0-9-]{0,63})(/.*)?$")


class UnknownCouncilAddress(NotFound):
    """``/hdnd/<slug>/`` names no council of this deployment."""

    code = "unknown_council"
    message_vi = "Không có Hội đồng nhân dân nào ở địa chỉ này."
    message_en = "No council at this address."


class CouncilAddress:
    """ASGI middleware: ``/hdnd/<slug>/rest`` is routed as ``/rest`` with the slug kept in
    ``scope["state"]["council_slug"]``."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            found = _SLUG.match(scope.get("path", ""))
            if found:
                slug = found.group(1)
                # one state for the request: what the app puts there (the cookie a page
                # sets) must reach the middleware outside this one
                state = scope.setdefault("state", {})
                state["council_slug"] = slug
                scope = dict(scope)
                scope["root_path"] = scope.get("root_path", "") + PREFIX + slug
                if found.group(2) is None:  # "/hdnd/y-ty" is the portal's home page
                    scope["path"] = scope["path"] + "/"
        await self.app(scope, receive, send)


def council_at(db: Session, slug: str | None, host: str | None) -> int:
    """The council the address names (the slug, else the host), else the first one."""
    if slug:
        found = db.exec(select(Council.id).where(Council.slug == slug)).first()
        if found is None:
            raise UnknownCouncilAddress(slug=slug)
        return int(found)
    if host:
        name = host.split(":", 1)[0].lower()
        by_host = db.exec(select(Council.id).where(col(Council.portal_host) == name)).first()
        if by_host is not None:
            return int(by_host)
    first = default_council_id(db)
    if first is None:
        raise UnknownCouncilAddress()
    return first


_ADDRESSES: GenerationCache[tuple[str | None, str | None], int] = GenerationCache(capacity=256)


def council_for(engine: Engine, slug: str | None, host: str | None) -> int:
    """``council_at`` kept under the "meeting" generation (which watches the councils), so a
    public page asks the database for its council once per change, not per visitor."""
    key = (slug, host.split(":", 1)[0].lower() if host else None)
    fresh = generations.fresh(engine)
    if fresh is not None and (known := _ADDRESSES.get(key, fresh.stamp(generations.MEETING))):
        return known
    with Session(engine) as db:
        stamp = generations.of(db, generations.MEETING)
        council_id = council_at(db, slug, host)
        if generations.may_store(db):
            _ADDRESSES.put(key, stamp, council_id)
        return council_id


def council_of_request(request: HTTPConnection) -> int:
    """The council a public request is answered for (``/hdnd/<slug>/``, the host, or the
    first), resolved once per request."""
    known = getattr(request.state, "address_council", None)
    if known is None:
        known = council_for(request.app.state.engine, getattr(request.state, "council_slug", None),
                            request.headers.get("host"))
        request.state.address_council = known
    return int(known)
