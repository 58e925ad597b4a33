"""Where a device request's one-time nonce is remembered (docs/pack-format.md §8.2).

Every signed request's nonce is accepted once. The database remembers them durably, which
costs a write on every request: for the reads every tablet repeats (its list of
sessions at each library refresh) that write was most of the request's time. A process
that serves the database alone (one ``hdnd serve`` worker, no Redis: the commune's
embedded server) keeps the nonces of *safe* requests (GET, HEAD: they change nothing) in
memory instead, without weakening "accepted once":

- a replay is the same request, so it carries the same signed timestamp and lands in the
  same book as the first sending;
- memory only takes requests signed more than ``MAX_SKEW`` seconds after this process
  started. A process that ran before it (and whose memory a restart lost) stopped before
  this one started, so every request it saw was signed at most ``MAX_SKEW`` seconds after
  that (the clock check refuses the rest). Requests signed earlier go to the database, as
  every unsafe request (POST, PUT, DELETE) always does;
- what memory took is also written to the database in the background, a batch a
  second (``keep_writing``) and at shutdown, so the next process finds it there;
- entries are dropped once the clock check alone refuses their timestamp.

What this gives up: a crash (power cut, SIGKILL) loses the nonces of the last second's
safe reads before they reach the database; such a read, captured on the network, could be
sent once more within the five minutes its timestamp stays valid (docs/security.md).

With several workers or hosts each process's memory would miss what the others saw, so
there every nonce goes to the database at once (``for_settings``).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from server.config import Settings
from server.models.base import utcnow
from server.models.devices import DeviceRequestNonce

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD"})
WRITE_EVERY_S = 1.0  # a duration: how much a crash may lose


@dataclass(frozen=True)
class Taken:
    """A nonce memory accepted, still to be written to the database."""

    device_id: int
    council_id: int | None
    nonce: str
    seen_at: datetime


class MemoryNonces:
    """The nonces of safe requests signed after ``since`` + ``max_skew``, by minute of
    signing, so that forgetting the old ones is dropping whole minutes."""

    def __init__(self, since: float, max_skew: int) -> None:
        self.since = since
        self.max_skew = max_skew
        self._minutes: dict[int, set[tuple[int, str]]] = {}
        self._unwritten: list[Taken] = []
        self._lock = threading.Lock()  # the event loop and the thread pool both ask

    def covers(self, method: str, signed_at: int) -> bool:
        """Whether this book, not the database, remembers this request's nonce."""
        return method in SAFE_METHODS and signed_at > self.since + self.max_skew

    def first_use(self, device_id: int, council_id: int | None, nonce: str, signed_at: int,
                  now: float) -> bool:
        """Remember the nonce; False when it was seen before (a replay)."""
        key = (device_id, nonce)
        minute = signed_at // 60
        with self._lock:
            self._forget_before(now - self.max_skew)
            seen = self._minutes.setdefault(minute, set())
            if key in seen:
                return False
            seen.add(key)
            self._unwritten.append(Taken(device_id, council_id, nonce, utcnow()))
            return True

    def take_unwritten(self) -> list[Taken]:
        with self._lock:
            taken, self._unwritten = self._unwritten, []
        return taken

    def _forget_before(self, oldest: float) -> None:
        # a minute whose last second is older than the clock check accepts cannot come back
        for minute in [m for m in self._minutes if (m + 1) * 60 < oldest]:
            del self._minutes[minute]

    def remembered(self) -> int:
        with self._lock:
            return sum(len(seen) for seen in self._minutes.values())


def for_settings(settings: Settings, started_at: float, max_skew: int) -> MemoryNonces | None:
    """A memory book when this process is the only one serving its database, else None
    (every nonce to the database)."""
    if settings.redis_url or settings.workers > 1:
        return None
    return MemoryNonces(started_at, max_skew)


def write(engine: Engine, taken: list[Taken]) -> None:
    """Store nonces memory accepted, as the full check would have (a nonce already there
    is left alone: it was the same request)."""
    if not taken:
        return
    table = DeviceRequestNonce.__table__  # type: ignore[attr-defined]
    insert = postgres_insert if engine.dialect.name == "postgresql" else sqlite_insert
    rows = [{"device_id": t.device_id, "council_id": t.council_id, "nonce": t.nonce,
             "seen_at": t.seen_at} for t in taken]
    statement = insert(table).on_conflict_do_nothing()
    try:
        with engine.begin() as connection:
            connection.execute(statement, rows)
    except IntegrityError:  # a device deleted meanwhile: keep the others
        for row in rows:
            try:
                with engine.begin() as connection:
                    connection.execute(statement, [row])
            except IntegrityError:
                continue


async def keep_writing(engine: Engine, memory: MemoryNonces) -> None:
    """Write what memory took, a batch every ``WRITE_EVERY_S``, and the rest when the
    server stops (this task is cancelled)."""
    pending: list[Taken] = []
    try:
        while True:
            await asyncio.sleep(WRITE_EVERY_S)
            pending += memory.take_unwritten()
            try:
                await run_in_threadpool(write, engine, pending)
                pending = []
            except Exception:  # the database away for a moment: the next batch tries again
                log.exception("request nonces: could not write a batch")
    finally:
        try:
            write(engine, pending + memory.take_unwritten())
        except Exception:
            log.exception("request nonces: could not write the last batch")
