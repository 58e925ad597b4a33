"""The watchman of one worker's live connections: tokens that stop being valid.

One task for all connections, not a timer each: every ``token_check_s`` it asks the
database in ONE query which of the connections' access tokens are still valid, closing
the others with 4401. A token that merely expires is also caught at the device's next
command, without any query. (Dead links are found by the server's pings:
``server/live/keepalive.py``.)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from anyio import to_thread
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from server.live.connection import Connection
from server.models import AuthToken
from server.models.base import utcnow

log = logging.getLogger(__name__)

CLOSE_UNAUTHORIZED = 4401
TOKEN_CHECK_S = 60.0


def valid_digests(engine: Engine, digests: set[str]) -> set[str]:
    """Which of these token digests are of tokens neither revoked nor expired now."""
    if not digests:
        return set()
    with Session(engine) as db:
        rows = db.exec(select(AuthToken.token_hash).where(
            col(AuthToken.token_hash).in_(sorted(digests)),
            col(AuthToken.revoked_at).is_(None),
            AuthToken.expires_at > utcnow())).all()
    return set(rows)


class Watchman:
    def __init__(self, engine: Engine, token_check_s: float = TOKEN_CHECK_S):
        self.engine = engine
        self.token_check_s = token_check_s
        self.connections: set[Connection] = set()
        self._tasks: list[asyncio.Task] = []

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._checking_tokens(), name="live-tokens")]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []

    async def _checking_tokens(self) -> None:
        while True:
            await asyncio.sleep(self.token_check_s)
            try:
                await self.check_tokens()
            except Exception:  # a database hiccup: try again next time
                log.exception("live: token check failed")

    async def check_tokens(self) -> None:
        watched = [c for c in self.connections if c.token_digest is not None]
        digests = {c.token_digest for c in watched if c.token_digest}
        valid = await to_thread.run_sync(valid_digests, self.engine, digests)
        for connection in watched:
            if connection.token_digest not in valid:
                log.info("live: closing a connection whose token is no longer valid")
                await connection.close(CLOSE_UNAUTHORIZED)
