"""Credentials that stopped counting, kept in memory so every live command can ask.

A live connection authenticates once, then sends commands for hours; asking the database
on each command would cost a query per vote. Instead, whatever ends credentials (logout,
an account locked or given a new password, a device revoked or ordered wiped) marks the
digests of the access tokens it ends on the database session (``mark``). When that
session commits, the digests go to the hub of the engine (``after_commit`` below, one
place for REST routes, web pages and the CLI alike), which fans them out to every worker
(``server/live/fanout.py``); each keeps them here and closes the connections using them.
The socket checks each command against this set: a set lookup, no query. Entries are
kept a day, longer than any access token lives. A worker that misses the fan-out still
cuts the connection at the watchman's next database check (``server/live/watch.py``).
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

KEEP_S = 24 * 3600.0
_PENDING = "hdnd_revoked_digests"
# engine -> (the event loop of its hub, the hub's ``revoke``), set when a hub starts
_ANNOUNCERS: weakref.WeakKeyDictionary[Engine, tuple[asyncio.AbstractEventLoop, Any]] = (
    weakref.WeakKeyDictionary())


class Revocations:
    """Digests of revoked access tokens (this worker's copy)."""

    def __init__(self, keep_s: float = KEEP_S) -> None:
        self.keep_s = keep_s
        self._added: dict[str, float] = {}  # digest -> monotonic time learnt

    def add(self, digests: Iterable[str]) -> None:
        now = time.monotonic()
        for digest in digests:
            self._added[digest] = now
        if len(self._added) > 1024:
            for digest, added in list(self._added.items()):
                if now - added > self.keep_s:
                    del self._added[digest]

    def __contains__(self, digest: object) -> bool:
        return digest in self._added

    def __len__(self) -> int:
        return len(self._added)


def mark(db: Session, digests: Iterable[str]) -> None:
    """These tokens end when ``db`` commits (nothing is announced on a rollback)."""
    db.info.setdefault(_PENDING, set()).update(digests)


def announce_to(engine: Engine, loop: asyncio.AbstractEventLoop, revoke: Any) -> None:
    """Send what sessions of ``engine`` revoke to ``revoke`` (a coroutine function) on
    ``loop``; called by the hub when it starts."""
    _ANNOUNCERS[engine] = (loop, revoke)


@event.listens_for(Session, "after_commit")
def _after_commit(db: Session) -> None:
    digests = db.info.pop(_PENDING, None)
    if not digests:
        return
    try:
        engine = db.get_bind()
    except Exception:  # a session without a bind revokes nothing live
        return
    announcer = _ANNOUNCERS.get(engine)  # type: ignore[arg-type]
    if announcer is None:
        return
    loop, revoke = announcer
    if loop.is_closed():
        return
    # thread-safe, and from the loop's own thread too (async web pages): never blocks
    loop.call_soon_threadsafe(
        lambda: loop.create_task(revoke(sorted(digests)), name="live-revoke"))


@event.listens_for(Session, "after_rollback")
def _after_rollback(db: Session) -> None:
    db.info.pop(_PENDING, None)
