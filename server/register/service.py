"""Giving numbers from the register: once per document, in order, from 01 each year.

The year is Vietnam's (``shared.clock.today()``), so a number given at 06:30 on 1 January
in Y Tý starts the new year even though it is still 31 December in UTC. Two clerks asking
at once wait for each other: the transaction takes a lock on the series before reading the
last number (a PostgreSQL advisory lock; SQLite's single write lock), so the second reads
the first one's number. The unique key (year, series, number) stays as the last guard.
Every number given is audited.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from server.errors import Conflict, ValidationFailed
from server.models import Account
from server.models.register import RegisterEntry
from server.register.series import Series, series
from server.services import audit
from server.tenancy import scoping
from server.tenancy.scope import default_council_id
from shared import clock

ATTEMPTS = 5


class RegisterBusy(Conflict):
    code = "register_busy"
    message_vi = "Sổ đăng ký đang được cấp số liên tục; hãy thử lại."
    message_en = "Numbers are being given right now; try again."


class GivenToRequired(ValidationFailed):
    code = "register_given_to_required"
    message_vi = "Hãy ghi số được cấp cho văn bản nào (trích yếu)."
    message_en = "Say which document the number is for."


def symbol(entry: RegisterEntry) -> str:
    """"01/BB-HĐND": two digits at least (Phụ lục I: numbers below 10 take a leading 0)."""
    return f"{entry.number:02d}/{entry.series}"


def entry_for(db: Session, series_symbol: str, subject: str) -> RegisterEntry | None:
    """The number a document in the system already has, if any."""
    return db.exec(select(RegisterEntry).where(RegisterEntry.series == series_symbol,
                                               RegisterEntry.subject == subject)).first()


def _council(db: Session, actor: Account | None) -> int | None:
    """Whose register: the writer's council (each council numbers its own documents)."""
    scope = scoping.scope_of(db)
    if scope is not None and scope.writes is not None:
        return scope.writes
    if actor is not None and actor.council_id is not None:
        return int(actor.council_id)
    return default_council_id(db)


def _lock_series(db: Session, council_id: int | None, year: int, series_symbol: str) -> None:
    """Hold the series until this transaction ends, so no one reads the same last number."""
    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"register:{council_id}:{year}:{series_symbol}".encode())
                             .digest()[:8], "big", signed=True)
        db.connection().execute(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=key))
    elif dialect == "sqlite":
        db.connection().execute(text("UPDATE register_entry SET id = id WHERE 0"))  # takes the write lock


def _next_number(db: Session, council_id: int | None, year: int, series_symbol: str) -> int:
    last = db.exec(select(func.max(RegisterEntry.number)).where(
        RegisterEntry.council_id == council_id,
        RegisterEntry.year == year, RegisterEntry.series == series_symbol)).one()
    return (last or 0) + 1


def give_number(db: Session, actor: Account | None, series_symbol: str, given_to: str,
                subject: str | None = None) -> RegisterEntry:
    """The next number of ``series_symbol`` this year, recorded as given to ``given_to``.

    With a ``subject`` the call is idempotent: a document that has a number keeps it.
    The caller commits (the audit entry commits with the number).
    """
    kind: Series = series(series_symbol)
    given_to = " ".join(given_to.split())[:500]
    if not given_to:
        raise GivenToRequired()
    today = clock.today()
    council_id = _council(db, actor)
    _lock_series(db, council_id, today.year, kind.symbol)
    if subject is not None and (existing := entry_for(db, kind.symbol, subject)):
        return existing
    for _attempt in range(ATTEMPTS):
        entry = RegisterEntry(council_id=council_id, year=today.year, series=kind.symbol,
                              number=_next_number(db, council_id, today.year, kind.symbol),
                              given_to=given_to, subject=subject, issued_on=today,
                              reserved_by_account_id=actor.id if actor else None)
        try:
            with db.begin_nested():
                db.add(entry)
        except IntegrityError:
            if subject is not None and (existing := entry_for(db, kind.symbol, subject)):
                return existing  # another request numbered the same document first
            continue
        audit.record(db, actor, "register.number_given", "register_entry", entry.id,
                     year=entry.year, series=entry.series, number=entry.number,
                     given_to=entry.given_to, subject=entry.subject)
        return entry
    raise RegisterBusy(series=kind.symbol)


@dataclass(frozen=True)
class YearRegister:
    year: int
    by_series: dict[str, list[RegisterEntry]]


def year_register(db: Session, year: int) -> YearRegister:
    """Every number given in ``year``, per series, in order."""
    rows: Sequence[RegisterEntry] = db.exec(
        select(RegisterEntry).where(RegisterEntry.year == year)
        .order_by(col(RegisterEntry.series), col(RegisterEntry.number))).all()
    by_series: dict[str, list[RegisterEntry]] = {}
    for row in rows:
        by_series.setdefault(row.series, []).append(row)
    return YearRegister(year, by_series)


def years(db: Session) -> list[int]:
    """The years that have numbers, and this year, newest first."""
    found = set(db.exec(select(RegisterEntry.year).distinct()).all())
    found.add(clock.today().year)
    return sorted(found, reverse=True)
