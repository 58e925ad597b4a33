"""Append-only, hash-chained audit log of every write.

Each entry stores the hash of the previous one; editing or deleting any entry breaks
every hash after it, which ``verify_chain`` (``hdnd audit verify``) reports.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, func, select

from server.models import Account, AuditEntry, Council
from server.models.base import id_of, utcnow
from server.tenancy import scoping
from server.tenancy.scope import default_council_id

GENESIS_HASH = "0" * 64
_PG_AUDIT_LOCK = 0x48444E44  # "HDND": serialises appends to the chain on PostgreSQL


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(entry: AuditEntry) -> str:
    payload = canonical_json(
        {
            "prev": entry.prev_hash,
            "at": entry.at.isoformat(),
            "actor": entry.actor_account_id,
            "username": entry.actor_username,
            "action": entry.action,
            "target_type": entry.target_type,
            "target_id": entry.target_id,
            "detail": entry.detail,
        }
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _take_chain_lock(db: Session, council_id: int) -> None:
    """Make sure no other writer appends to this council's chain between reading the last
    hash and inserting (other councils' chains go on)."""
    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        db.connection().execute(text("SELECT pg_advisory_xact_lock(:key, :council)")
                                .bindparams(key=_PG_AUDIT_LOCK, council=council_id))
    elif dialect == "sqlite":
        # Any write statement takes SQLite's single write lock for the rest of the transaction.
        db.connection().execute(text("UPDATE auditentry SET id = id WHERE 0"))


def record(
    db: Session,
    actor: Account | None,
    action: str,
    target_type: str,
    target_id: object = "",
    **detail: Any,
) -> AuditEntry:
    """Add an audit entry in the caller's transaction: it commits with the write it records.

    The entry goes on the chain of the council the write belongs to: the scope's, else the
    actor's, else the installation's first (the CLI before any account exists)."""
    db.flush()
    council_id = _council_of(db, actor)
    _take_chain_lock(db, council_id)
    last = db.exec(select(AuditEntry).where(AuditEntry.council_id == council_id)
                   .order_by(col(AuditEntry.id).desc()).limit(1)).first()
    entry = AuditEntry(
        council_id=council_id,
        at=utcnow(),
        actor_account_id=actor.id if actor else None,
        actor_username=actor.username if actor else "",
        action=action,
        target_type=target_type,
        target_id="" if target_id is None else str(target_id),
        detail=canonical_json(detail),
        prev_hash=last.hash if last else _genesis(db, council_id),
        hash="",
    )
    entry.hash = entry_hash(entry)
    db.add(entry)
    db.flush()
    return entry


def _council_of(db: Session, actor: Account | None) -> int:
    scope = scoping.scope_of(db)
    if scope is not None and scope.writes is not None:
        return scope.writes
    if actor is not None and actor.council_id is not None:
        return int(actor.council_id)
    first = default_council_id(db)
    if first is None:
        raise RuntimeError("an audit entry before any council exists")
    return first


def _genesis(db: Session, council_id: int) -> str:
    council = db.get(Council, council_id)
    return council.audit_genesis if council is not None else GENESIS_HASH


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_broken_id: int | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify_chain(db: Session, batch: int = 5000, council_id: int | None = None) -> ChainReport:
    """Recompute every hash of every council's chain (or one council's) in order; report
    the first entry that does not match."""
    scope = scoping.scope_of(db)
    if council_id is not None:
        councils: Sequence[int | None] = [council_id]
    elif scope is not None:  # a caller verifies the chains it may read
        councils = sorted(scope.reads)
    else:
        councils = list(db.exec(select(Council.id).order_by(col(Council.id))).all())
    total = 0
    for council in councils:
        report = _verify_one(db, int(council or 0), batch)
        total += report.entries
        if not report.ok:
            return ChainReport(total, report.first_broken_id, report.reason)
    if council_id is None and scope is None:
        orphans = db.exec(select(func.count()).select_from(AuditEntry)
                          .where(col(AuditEntry.council_id).is_(None))).one()
        if orphans:
            first = db.exec(select(AuditEntry.id).where(col(AuditEntry.council_id).is_(None))
                            .order_by(col(AuditEntry.id))).first()
            return ChainReport(total, first, "entry belongs to no council")
    return ChainReport(total, None)


def _verify_one(db: Session, council_id: int, batch: int) -> ChainReport:
    expected_prev, count, last_id = _genesis(db, council_id), 0, 0
    while True:
        rows = db.exec(
            select(AuditEntry).where(col(AuditEntry.id) > last_id, AuditEntry.council_id == council_id)
            .order_by(col(AuditEntry.id)).limit(batch)
        ).all()
        if not rows:
            return ChainReport(count, None)
        for entry in rows:
            if entry.prev_hash != expected_prev:
                return ChainReport(count, entry.id, "prev_hash does not match the entry before")
            if entry_hash(entry) != entry.hash:
                return ChainReport(count, entry.id, "hash does not match the entry's content")
            expected_prev, count, last_id = entry.hash, count + 1, id_of(entry)
