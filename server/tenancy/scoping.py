"""The ORM wall: every query of a scoped session is filtered to its councils, and a flush
that would add or change another council's row is refused.

A session is scoped by ``enter(session, scope)`` (``server/deps.py`` does it as soon as it
knows the caller). New rows get their council from the scope, or, in an unscoped session
(seeding, the CLI), from the row they belong to (an agenda item from its session), so code
that builds rows never has to name the council.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import ORMExecuteState, with_loader_criteria
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, SQLModel

from server.errors import CouncilReadOnly
from server.models import Council
from server.models.base import Tenanted
from server.tenancy import rls
from server.tenancy.scope import Scope, default_council_id

SCOPE_KEY = "hdnd_scope"


def tenant_models() -> list[type[Tenanted]]:
    import server.models  # noqa: F401  every model registered

    return [m.class_ for m in SQLModel._sa_registry.mappers if issubclass(m.class_, Tenanted)]


def scope_of(session: OrmSession) -> Scope | None:
    return session.info.get(SCOPE_KEY)


def enter(session: Session, scope: Scope) -> None:
    """Scope ``session`` from now on; a transaction already open is scoped at once."""
    session.info[SCOPE_KEY] = scope
    if session.in_transaction():
        rls.apply(session.connection(), scope)


def leave(session: Session) -> None:
    """Unscoped from now on (the CLI moving from one council's work to the next)."""
    if session.info.pop(SCOPE_KEY, None) is not None and session.in_transaction():
        rls.release(session.connection())


@lru_cache(maxsize=1024)
def _criteria(reads: frozenset[int]) -> Any:
    # one option per scope, built once: the statement cache then sees the same option
    allowed = sorted(reads)
    # one rule on the marker class covers every tenant model the statement touches; a
    # council the caller may not read does not exist for it either
    return (with_loader_criteria(Tenanted, lambda cls: cls.council_id.in_(allowed), include_aliases=True),
            with_loader_criteria(Council, lambda cls: cls.id.in_(allowed), include_aliases=True))


_MODELS: list[type[Tenanted]] = []


@event.listens_for(Session, "do_orm_execute")
def _filter(state: ORMExecuteState) -> None:
    scope = scope_of(state.session)
    if scope is None:
        return
    if state.is_column_load or state.is_relationship_load:
        return
    if state.is_select or state.is_update or state.is_delete:
        state.statement = state.statement.options(*_criteria(scope.reads))


@event.listens_for(Session, "after_begin")
def _scope_transaction(session: Session, _transaction: Any, connection: Any) -> None:
    scope = scope_of(session)
    if scope is not None:
        rls.apply(connection, scope)


@event.listens_for(Session, "before_flush")
def _stamp_and_guard(session: Session, _context: Any, _instances: Any) -> None:
    scope = scope_of(session)
    for obj in session.new:
        if not isinstance(obj, Tenanted):
            continue
        if obj.council_id is None:
            obj.council_id = _council_for(session, obj, scope)
        if scope is not None and obj.council_id != scope.writes:
            raise CouncilReadOnly()
    if scope is None:
        return
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, Tenanted) and obj.council_id != scope.writes:
            raise CouncilReadOnly()


def _council_for(session: Session, obj: Any, scope: Scope | None) -> int | None:
    if scope is not None and scope.writes is not None:
        return scope.writes
    parent = _parent_council(session, obj)
    if parent is not None:
        return parent
    with session.no_autoflush:
        return default_council_id(session)


def _parent_council(session: Session, obj: Any) -> int | None:
    """The council of the first row ``obj`` points to that has one (its session, body...)."""
    install()
    mapper = sa_inspect(type(obj))
    for column in mapper.columns:
        for fk in column.foreign_keys:
            target = fk.column.table
            value = getattr(obj, column.key, None)
            if value is None or target.name not in _MODEL_BY_TABLE:
                continue
            model = _MODEL_BY_TABLE.get(target.name)
            if model is None:
                continue
            with session.no_autoflush:
                parent = session.get(model, value)
            if parent is not None and parent.council_id is not None:
                return int(parent.council_id)
    return None


_MODEL_BY_TABLE: dict[str, type[Tenanted]] = {}


def install() -> None:
    """Learn the tenant models once every model is imported (``server.app`` calls it)."""
    if not _MODELS:
        _MODELS.extend(tenant_models())
        _MODEL_BY_TABLE.update({str(sa_inspect(m).local_table.name): m for m in _MODELS})
