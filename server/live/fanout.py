"""How committed events reach every worker's connections.

``InProcessFanout`` (one process, the default) hands events straight to the hub.
``RedisFanout`` (``HDND_REDIS_URL`` set, several workers) publishes each committed batch
on a channel per sitting; every worker subscribes to all of them and delivers to its own
connections. Redis pub/sub may drop or reorder nothing within one connection, but a
worker may still miss a message (a reconnect): the hub notices the gap in ``seq`` and
loads the missing events from the database, which stays the one source of order.

When Redis itself goes away (a restart, a lost connection), events committed meanwhile are
published nowhere: the worker that committed them delivers them to its own connections,
and every worker, once its subscription is back, calls ``resumed`` so the hub reads what
it missed from the database at once instead of waiting for the next event to show the gap.

Revoked credentials travel the same way (``publish_revoked``; on Redis the channel
``<prefix>revoked``), so a logout, a locked account or a revoked device on one worker
reaches the connections of every worker at once (``server/live/revocations.py``). A
worker that misses one still refuses the credential within ``TOKEN_CHECK_S`` (the
watchman asks the database).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from shared.live.events import Event, parse_event

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from redis.asyncio.client import PubSub

log = logging.getLogger(__name__)

Deliver = Callable[[int, list[Event]], Awaitable[None]]
Revoked = Callable[[list[str]], Awaitable[None]]
Resumed = Callable[[], Awaitable[None]]
Wants = Callable[[int], bool]
REVOKED_CHANNEL = "revoked"


class Fanout(Protocol):
    async def start(self, deliver: Deliver, revoked: Revoked | None = None,
                    resumed: Resumed | None = None, wants: Wants | None = None) -> None:
        """Begin handing committed events of every sitting to ``deliver`` (and revoked
        token digests to ``revoked``); ``resumed`` after a lost subscription is back;
        ``wants(sitting_id)`` false: this worker has no connection there, skip it."""

    async def publish(self, sitting_id: int, events: Sequence[Event]) -> None:
        """Tell every worker about events that have been committed."""

    async def publish_revoked(self, digests: Sequence[str]) -> None:
        """Tell every worker that these access tokens no longer count."""

    async def stop(self) -> None: ...


class InProcessFanout:
    def __init__(self) -> None:
        self._deliver: Deliver | None = None
        self._revoked: Revoked | None = None

    async def start(self, deliver: Deliver, revoked: Revoked | None = None,
                    resumed: Resumed | None = None, wants: Wants | None = None) -> None:
        self._deliver, self._revoked = deliver, revoked

    async def publish(self, sitting_id: int, events: Sequence[Event]) -> None:
        if self._deliver is not None:
            await self._deliver(sitting_id, list(events))

    async def publish_revoked(self, digests: Sequence[str]) -> None:
        if self._revoked is not None:
            await self._revoked(list(digests))

    async def stop(self) -> None:
        self._deliver = self._revoked = None


def channel_prefix(database_url: str) -> str:
    """Channels per database, so two deployments sharing one Redis never cross-talk."""
    return "hdnd:" + hashlib.sha256(database_url.encode()).hexdigest()[:12] + ":sitting:"


class RedisFanout:
    def __init__(self, url: str, prefix: str = "hdnd:sitting:"):
        self.url = url
        self.prefix = prefix
        self._redis: Redis | None = None
        self._pubsub: PubSub | None = None
        self._task: asyncio.Task | None = None
        self._deliver: Deliver | None = None
        self._revoked: Revoked | None = None
        self._resumed: Resumed | None = None
        self._wants: Wants | None = None

    async def start(self, deliver: Deliver, revoked: Revoked | None = None,
                    resumed: Resumed | None = None, wants: Wants | None = None) -> None:
        import redis.asyncio as aioredis

        self._deliver, self._revoked, self._resumed = deliver, revoked, resumed
        self._wants = wants
        self._redis = aioredis.from_url(self.url)
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await self._pubsub.psubscribe(self.prefix + "*")
        self._task = asyncio.create_task(self._listen(), name="redis-fanout")

    async def _listen(self) -> None:
        assert self._pubsub is not None and self._deliver is not None
        broken = False
        while True:
            try:
                message = await self._pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception:  # a Redis hiccup must not kill the listener
                if not broken:
                    log.exception("redis fan-out: receive failed; retrying")
                broken = True
                await asyncio.sleep(0.5)
                continue
            if broken:  # subscribed again (redis-py re-subscribes on reconnect)
                broken = False
                log.warning("redis fan-out: subscription back; catching up from the database")
                if self._resumed is not None:
                    try:
                        await self._resumed()
                    except Exception:  # the next event's gap check still helps
                        log.exception("redis fan-out: catching up failed")
            if message is None or message.get("type") != "pmessage":
                continue
            channel = message["channel"]
            channel = channel.decode() if isinstance(channel, bytes) else channel
            try:
                if channel == self.prefix + REVOKED_CHANNEL:
                    if self._revoked is not None:
                        await self._revoked([str(d) for d in json.loads(message["data"])])
                    continue
                sitting_id = int(channel.rsplit(":", 1)[1])
                if self._wants is not None and not self._wants(sitting_id):
                    continue  # nobody here watches it: not even parsed (several hosts)
                events = [parse_event(e) for e in json.loads(message["data"])]
                await self._deliver(sitting_id, events)
            except Exception:  # one bad message must not stop the others
                log.exception("redis fan-out: could not deliver a message on %s", channel)

    async def publish(self, sitting_id: int, events: Sequence[Event]) -> None:
        assert self._redis is not None
        payload = "[" + ",".join(e.model_dump_json() for e in events) + "]"
        await self._redis.publish(f"{self.prefix}{sitting_id}", payload)

    async def publish_revoked(self, digests: Sequence[str]) -> None:
        assert self._redis is not None
        await self._redis.publish(self.prefix + REVOKED_CHANNEL, json.dumps(list(digests)))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass
        if self._pubsub is not None:
            await self._pubsub.aclose()
        if self._redis is not None:
            await self._redis.aclose()
