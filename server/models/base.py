"""Column types and helpers shared by every table."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Column as sa_column
from sqlalchemy import DateTime, Integer, String
from sqlalchemy.types import TypeDecorator

from shared import clock


class _Row(Protocol):
    @property
    def id(self) -> int | None: ...


def id_of(row: _Row) -> int:
    """The row's primary key. Raises for a row not yet flushed: its ``id`` is None, and the
    ``row.id or 0`` this replaces turned that into the id 0, a silent wrong reference."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: add and flush it first")
    return row.id


def saved_ids(ids: Iterable[int | None]) -> list[int]:
    """Primary keys read back from the database, typed as what they are there: never None."""
    out = []
    for value in ids:
        if value is None:
            raise ValueError("a primary key read back as NULL")
        out.append(value)
    return out


def utcnow() -> datetime:
    """Now, from the project's one clock (:mod:`shared.clock`); a column default too."""
    return clock.now()


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, returns timezone-aware UTC on SQLite and PostgreSQL alike.

    SQLite has no time zones; without this a value read back would be naive and
    comparisons with ``utcnow()`` would fail.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def short_text(length: int = 64) -> String:
    """A VARCHAR for enums and codes: enums are stored as their string values."""
    return String(length)


class Tenanted:
    """Marker of every table whose rows belong to one council (it has ``council_id``).

    server/tenancy filters every query of a scoped session on it with one rule for all
    these models; a plain class, so it adds no field. server/models/__init__.py gives it,
    once every table is declared, the column the rule is written against.
    """

    if TYPE_CHECKING:  # each table declares its own column; this is for the type checker
        council_id: int | None


def mark_tenanted_column() -> None:
    """SQLAlchemy reads ``Tenanted.council_id`` when it prepares the rule; set after the
    tables so that no table's own ``council_id`` field seems to shadow it."""
    Tenanted.council_id = sa_column("council_id", Integer)  # type: ignore[assignment]
