"""Append-only, hash-chained audit log of every write.

Each entry stores the hash of the previous one; editing or deleting any entry breaks
every hash after it, which ``verify_chain`` (``hdnd audit verify``) reports.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from server.models import Account, AuditEntry
from server.models.base import id_of, utcnow

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


def _take_chain_lock(db: Session) -> None:
    """Make sure no other writer appends between reading the last hash and inserting."""
    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        db.connection().execute(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=_PG_AUDIT_LOCK))
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
    """Add an audit entry in the caller's transaction: it commits with the write it records."""
    db.flush()
    _take_chain_lock(db)
    last = db.exec(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()  # type: ignore[union-attr]
    entry = AuditEntry(
        at=utcnow(),
        actor_account_id=actor.id if actor else None,
        actor_username=actor.username if actor else "",
        action=action,
        target_type=target_type,
        target_id="" if target_id is None else str(target_id),
        detail=canonical_json(detail),
        prev_hash=last.hash if last else GENESIS_HASH,
        hash="",
    )
    entry.hash = entry_hash(entry)
    db.add(entry)
    db.flush()
    return entry


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_broken_id: int | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify_chain(db: Session, batch: int = 5000) -> ChainReport:
    """Recompute every hash in order; report the first entry that does not match."""
    expected_prev, count, last_id = GENESIS_HASH, 0, 0
    while True:
        rows = db.exec(
            select(AuditEntry).where(col(AuditEntry.id) > last_id).order_by(col(AuditEntry.id)).limit(batch)
        ).all()
        if not rows:
            return ChainReport(count, None)
        for entry in rows:
            if entry.prev_hash != expected_prev:
                return ChainReport(count, entry.id, "prev_hash does not match the entry before")
            if entry_hash(entry) != entry.hash:
                return ChainReport(count, entry.id, "hash does not match the entry's content")
            expected_prev, count, last_id = entry.hash, count + 1, id_of(entry)
