"""Who is told after a document is signed: a small listener registry.

The minutes draft freezes itself when its PDF is signed; a resolution becomes trackable.
Listeners run after the signed version is committed, in the same database session; each
listener's writes are committed when it returns, so one that fails (rolled back, logged and
audited) neither undoes the signature nor another listener's work: the signed file is what
the signers signed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentSigned:
    document_id: int
    version: int
    signer_names: tuple[str, ...]


Listener = Callable[[Session, DocumentSigned], None]
_listeners: list[Listener] = []


def register(listener: Listener) -> Listener:
    """Add a listener (usable as a decorator); registering twice has no effect."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def unregister(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def _freeze_minutes(db: Session, event: DocumentSigned) -> None:
    """Signed minutes freeze, and a prepared resolution leaves the "Chờ ký" list."""
    from server.services import minutes_draft  # minutes import documents

    minutes_draft.on_document_signed(db, event.document_id)


register(_freeze_minutes)


def notify(db: Session, event: DocumentSigned) -> list[str]:
    """Run every listener; returns the names of those that failed (already logged)."""
    failed = []
    for listener in list(_listeners):
        try:
            listener(db, event)
            db.commit()
        except Exception:  # one listener must not stop the others
            log.exception("listener %s failed for document %s", listener, event.document_id)
            db.rollback()
            failed.append(getattr(listener, "__name__", repr(listener)))
    return failed
