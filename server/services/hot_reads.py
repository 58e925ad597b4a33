"""The reads every tablet and portal visitor makes most, answered from memory when they can.

Profiling the agenda read under wrk (docs/operations.md, "Hot reads") showed the time going
to six small queries, to five hops between the event loop and the thread pool and to
serialising the same answer again for every tablet, not to building it. Here the caller,
the session and the agenda's JSON come from the generation caches (server/cache/) with no
query and no thread; when anything is missing or the counters are older than
``generations.FRESH_S``, the route falls back to the ordinary path in one thread-pool
hop, which fills the caches again. Answers are JSON bytes, identical to what the
response model would produce (tests/server/cache).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.engine import Engine
from sqlmodel import Session

from server.cache import generations, principals
from server.errors import NotAuthenticated
from server.security.policy import can_view_session_preloaded, require_view_session
from server.security.principal import Principal
from server.services import meetings
from server.tenancy import scoping


def agenda_from_memory(engine: Engine, token: str, session_id: int) -> bytes | None:
    counters = generations.fresh(engine)
    caller = principals.cached_principal(engine, token) if counters is not None else None
    if counters is None or caller is None:
        return None
    session = meetings.cached_session(counters, caller[0].scope.reads, session_id)
    if session is None or not can_view_session_preloaded(caller[0], session):
        return None  # the ordinary path answers, "not found" included
    return meetings.cached_agenda_json(counters, session_id)


def agenda(engine: Engine, token: str | None, session_id: int) -> bytes:
    """The ordinary path, in its own short database session."""
    with Session(engine, expire_on_commit=False) as db:
        principal = _caller(db, token)
        scoping.enter(db, principal.scope)  # another council's session is "not found"
        require_view_session(db, principal, meetings.viewed_session(db, session_id))
        return meetings.agenda_json(db, session_id)


def sessions_from_memory(engine: Engine, token: str) -> bytes | None:
    counters = generations.fresh(engine)
    caller = principals.cached_principal(engine, token) if counters is not None else None
    if counters is None or caller is None:
        return None
    found = meetings.cached_session_json(counters, caller[0].scope.reads)
    if found is None:
        return None
    return _json_list(json for read, json in found if can_view_session_preloaded(caller[0], read))


def sessions(engine: Engine, token: str | None) -> bytes:
    with Session(engine, expire_on_commit=False) as db:
        principal = _caller(db, token)
        scoping.enter(db, principal.scope)
        return _json_list(meetings.visible_session_json(db, principal))


def _json_list(items: Iterable[bytes]) -> bytes:
    return b"[" + b",".join(items) + b"]"


def _caller(db: Session, token: str | None) -> Principal:
    if not token:
        raise NotAuthenticated()
    return principals.principal_for(db, token)[0]
